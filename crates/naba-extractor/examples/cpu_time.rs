//! Extractor throughput per CPU-second of the measuring thread, on the dev sets.
//!
//! `cargo run --release -p naba-extractor --example cpu_time -- [FILTER] [SECONDS | nROUNDS]`
//! (FILTER: `ar/`, `en/all`, `en/ner+dates`...; SECONDS of CPU per figure, default 3; `n3`: exactly
//! three passes over the dev set, for instruction counts under callgrind).
//!
//! Criterion measures wall-clock time, which on a shared machine mostly
//! measures the other tenants. This thread's user+system time (from
//! `/proc/thread-self/stat`, Linux only, 10 ms ticks) moves much less with
//! load, though caches shared with other processes still slow it down.

use naba_extractor::{Document, Extractor, Tasks};
use naba_model::{decode_article, Article, DecodeOptions};
use std::path::PathBuf;
use std::time::Instant;

/// CPU seconds used so far by this thread.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    let fields: Vec<&str> = stat.get(stat.rfind(')')? + 2..)?.split(' ').collect();
    let ticks = |k: usize| fields.get(k)?.parse::<f64>().ok();
    Some((ticks(11)? + ticks(12)?) / 100.0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let filter = std::env::args().nth(1).unwrap_or_default();
    let arg = std::env::args().nth(2).unwrap_or_else(|| "3".into());
    let (secs, fixed) = match arg.strip_prefix('n') {
        Some(n) => (0.0, Some(n.parse::<usize>()?)),
        None => (arg.parse::<f64>()?, None),
    };
    let shared = std::env::var_os("NABA_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    let x = Extractor::new()?;
    let tasks = [
        (
            "entities",
            Tasks {
                entities: true,
                dates: false,
                statements: false,
            },
        ),
        // Entities and dates: everything but statements, the base that
        // "what statements add" (issue #4) is measured against.
        (
            "ner+dates",
            Tasks {
                entities: true,
                dates: true,
                statements: false,
            },
        ),
        (
            "statements",
            Tasks {
                entities: false,
                dates: false,
                statements: true,
            },
        ),
        ("all", Tasks::ALL),
    ];
    for (lang, file) in [("ar", "ar_dev.jsonl"), ("en", "en_polnear_dev.jsonl")] {
        let path = shared.join("eval/dev").join(file);
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let opts = DecodeOptions::default();
        let articles: Vec<Article> = text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .filter_map(|l| decode_article(l.as_bytes(), &|| "bench".into(), &opts).ok())
            .collect();
        let bytes: usize = articles
            .iter()
            .map(|a| a.text.len() + a.title.as_deref().map_or(0, str::len))
            .sum();
        for (name, t) in tasks {
            let id = format!("{lang}/{name}");
            if !id.contains(&filter) {
                continue;
            }
            let (cpu0, wall0) = (
                cpu_seconds().ok_or("no /proc/thread-self/stat")?,
                Instant::now(),
            );
            let mut rounds = 0usize;
            let mut cpu = 0.0;
            while fixed.map_or(cpu < secs, |n| rounds < n) {
                for a in &articles {
                    let d = Document {
                        text: &a.text,
                        title: a.title.as_deref(),
                        language: a.language.as_deref(),
                        published_at: a.published_at.as_deref(),
                    };
                    std::hint::black_box(x.extract_with(&d, t));
                }
                rounds += 1;
                cpu = cpu_seconds().unwrap_or(f64::MAX) - cpu0;
            }
            let mib = (bytes * rounds) as f64 / (1024.0 * 1024.0);
            println!(
                "{id:16} {:6.2} MiB per CPU-s  {:6.2} MiB/s wall  ({rounds} rounds of {} articles)",
                mib / cpu.max(0.01),
                mib / wall0.elapsed().as_secs_f64(),
                articles.len()
            );
        }
    }
    Ok(())
}
