//! Extractor throughput on real news, per language and per task, its scaling
//! with article length, and its start-up cost.
//!
//! `cargo bench -p naba-extractor` (add `-- ar/` etc. to filter). The articles
//! are the dev sets in `../shared/eval/dev/`, read at bench time so that no
//! shared text is copied into the repository; `NABA_SHARED` points elsewhere.
//! Without them the bundled `tests/data/samples.jsonl` is used, and the bench
//! says so on stderr: those figures are then not comparable.
//!
//! Sample sizes and measurement times are kept small so the whole run takes a
//! few minutes on two shared cores; criterion's confidence intervals say how
//! much to trust each figure.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use naba_extractor::{Document, Extractor, Tasks};
use naba_model::{decode_article, Article, DecodeOptions};
use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

const ENTITIES: Tasks = Tasks {
    entities: true,
    dates: false,
    statements: false,
};
/// Statements need the entity mentions (speakers are resolved to entities),
/// so this still runs the tagger; it leaves out building the entity list and dates.
const STATEMENTS: Tasks = Tasks {
    entities: false,
    dates: false,
    statements: true,
};

/// Article lengths for the scaling benchmark: cost per byte should stay flat.
const SIZES: &[usize] = &[1 << 10, 10 << 10, 100 << 10, 1 << 20];

fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The articles of one language and where they came from.
fn corpus(lang: &str) -> (Vec<Article>, String) {
    let shared = std::env::var_os("NABA_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("../shared"));
    let file = match lang {
        "ar" => "ar_dev.jsonl",
        _ => "en_polnear_dev.jsonl",
    };
    let dev = shared.join("eval/dev").join(file);
    if let Ok(text) = std::fs::read_to_string(&dev) {
        let articles = parse(&text, |_| true);
        if !articles.is_empty() {
            return (articles, dev.display().to_string());
        }
    }
    let samples = workspace_root().join("tests/data/samples.jsonl");
    let text = std::fs::read_to_string(&samples).unwrap_or_default();
    let articles = parse(&text, |a| a.language.as_deref() == Some(lang));
    eprintln!(
        "bench: {} not found; falling back to {} ({} {lang} articles): figures are not comparable",
        dev.display(),
        samples.display(),
        articles.len()
    );
    (articles, samples.display().to_string())
}

fn parse(jsonl: &str, keep: impl Fn(&Article) -> bool) -> Vec<Article> {
    let opts = DecodeOptions::default();
    jsonl
        .lines()
        .filter(|l| !l.trim().is_empty())
        .filter_map(|l| decode_article(l.as_bytes(), &|| "bench".into(), &opts).ok())
        .filter(keep)
        .collect()
}

fn doc(a: &Article) -> Document<'_> {
    Document {
        text: &a.text,
        title: a.title.as_deref(),
        language: a.language.as_deref(),
        published_at: a.published_at.as_deref(),
    }
}

fn bytes(a: &Article) -> usize {
    a.text.len() + a.title.as_deref().map_or(0, str::len)
}

/// One article of at least `target` bytes, whole paragraphs of the corpus in
/// turn, so the text stays real prose at every size.
fn long_article(articles: &[Article], target: usize) -> String {
    let paragraphs: Vec<&str> = articles
        .iter()
        .flat_map(|a| a.text.split('\n'))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let mut out = String::with_capacity(target + 4096);
    for p in paragraphs.iter().cycle() {
        if out.len() >= target || paragraphs.is_empty() {
            break;
        }
        out.push_str(p);
        out.push('\n');
    }
    out
}

fn extractor() -> Extractor {
    match Extractor::new() {
        Ok(x) => x,
        Err(e) => panic!("the embedded extractor does not load: {e}"),
    }
}

fn per_language(c: &mut Criterion) {
    let x = extractor();
    for lang in ["ar", "en"] {
        let (articles, origin) = corpus(lang);
        if articles.is_empty() {
            continue;
        }
        let total: usize = articles.iter().map(bytes).sum();
        eprintln!(
            "bench: {lang}: {} articles, {total} bytes, from {origin}",
            articles.len()
        );
        let mut g = c.benchmark_group(lang);
        g.sample_size(10)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(4))
            .throughput(Throughput::ElementsAndBytes {
                elements: articles.len() as u64,
                bytes: total as u64,
            });
        for (name, tasks) in [
            ("entities", ENTITIES),
            ("statements", STATEMENTS),
            ("all", Tasks::ALL),
        ] {
            g.bench_function(name, |b| {
                b.iter(|| {
                    for a in &articles {
                        black_box(x.extract_with(black_box(&doc(a)), tasks));
                    }
                })
            });
        }
        g.finish();
    }
}

fn scaling(c: &mut Criterion) {
    let x = extractor();
    for lang in ["ar", "en"] {
        let (articles, _) = corpus(lang);
        if articles.is_empty() {
            continue;
        }
        let mut g = c.benchmark_group(format!("scaling-{lang}"));
        g.sample_size(10)
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_secs(3));
        for &size in SIZES {
            let text = long_article(&articles, size);
            let d = Document {
                text: &text,
                title: None,
                language: Some(lang),
                published_at: None,
            };
            g.throughput(Throughput::Bytes(text.len() as u64));
            g.bench_with_input(BenchmarkId::from_parameter(size), &d, |b, d| {
                b.iter(|| black_box(x.extract_with(black_box(d), Tasks::ALL)))
            });
        }
        g.finish();
    }
}

fn startup(c: &mut Criterion) {
    // Lexicons are parsed once per process and then shared, so only the first
    // load is what a starting service pays; criterion then measures the rest.
    let started = Instant::now();
    let first = Extractor::new();
    eprintln!(
        "bench: first Extractor::new() in this process: {:.1} ms ({})",
        started.elapsed().as_secs_f64() * 1e3,
        if first.is_ok() { "ok" } else { "failed" }
    );
    let mut g = c.benchmark_group("startup");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    g.bench_function("new", |b| b.iter(|| black_box(Extractor::new().is_ok())));
    g.finish();
}

criterion_group!(benches, startup, per_language, scaling);
criterion_main!(benches);
