//! `naba-train`: trains the Arabic NER model the extractor embeds.
//!
//!     naba-train train --corpus ../shared/data/anercorp/train.txt --out data/model/ar-ner.bin
//!     naba-train dev-split --corpus ../shared/data/anercorp/train.txt --out target/ner/dev.txt
//!     naba-train clusters --corpus ../shared/data/anercorp/train.txt --out data/clusters/ar.tsv
//!     naba-train profiles --list wordfreq-ar.tsv --out data/clusters/ar-profiles.tsv
//!
//! The last 10 % of the corpus's sentences are held out as the dev split.

use anyhow::{bail, Context};
use naba_extractor::ner::gazetteer::Gazetteer;
use naba_train::{
    corpus_names, evaluate, evaluate_two_pass, name_words, read_corpus, samples, split_dev,
    to_conll, with_doc_features, Options, Sentence,
};

const DEV_FRACTION: f64 = 0.1;
/// Folds of the training part for the gazetteer features (see `corpus_names`).
const FOLDS: usize = 5;
/// Word classes (fine, coarse) for `clusters`, the minimum count of a word
/// to get one, and the most exchange passes.
const CLUSTERS: (usize, usize) = (200, 40);
const CLUSTER_MIN_COUNT: usize = 3;
const CLUSTER_ITERS: usize = 20;
/// The least frequency (per word of text) of a word given a profile: Zipf 2.
const PROFILE_MIN_FREQ: f64 = 1e-7;

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let cmd = args.first().map(String::as_str).unwrap_or("");
    let out = arg(&args, "--out").context("--out PATH is required")?;
    if cmd == "profiles" {
        // A frequency list of word forms, `form<TAB>frequency` per line
        // (scripts/wordfreq/build.sh writes it from wordfreq's Arabic list).
        let list = arg(&args, "--list").context("--list PATH is required")?;
        let text = std::fs::read_to_string(&list).with_context(|| format!("reading {list}"))?;
        let mut forms = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let (w, f) = line
                .split_once('\t')
                .with_context(|| format!("{list}:{}: no tab", n + 1))?;
            let f: f64 = f
                .parse()
                .with_context(|| format!("{list}:{}: frequency", n + 1))?;
            forms.push((w.to_owned(), f));
        }
        let profiles = naba_train::word_profiles(&forms, PROFILE_MIN_FREQ);
        let mut s = String::new();
        for (w, code) in &profiles {
            s.push_str(&format!("{w}\t{code}\n"));
        }
        std::fs::write(&out, s).with_context(|| format!("writing {out}"))?;
        eprintln!("wrote {out} ({} words)", profiles.len());
        return Ok(());
    }
    let corpus = arg(&args, "--corpus").context("--corpus PATH is required")?;
    let text = std::fs::read_to_string(&corpus).with_context(|| format!("reading {corpus}"))?;
    let sents = read_corpus(&text);
    let (train, dev) = split_dev(&sents, DEV_FRACTION);
    match cmd {
        "dev-split" => {
            std::fs::write(&out, to_conll(dev)).with_context(|| format!("writing {out}"))?;
        }
        "clusters" => {
            // Two granularities of the same words: the tagger reads both.
            let fine = naba_train::clusters(train, CLUSTERS.0, CLUSTER_MIN_COUNT, CLUSTER_ITERS);
            let coarse = naba_train::clusters(train, CLUSTERS.1, CLUSTER_MIN_COUNT, CLUSTER_ITERS);
            let mut s = String::new();
            for ((w, f), (_, c)) in fine.iter().zip(&coarse) {
                s.push_str(&format!("{w}\t{f}\t{c}\n"));
            }
            std::fs::write(&out, s).with_context(|| format!("writing {out}"))?;
            eprintln!("wrote {out} ({} words)", fine.len());
        }
        "train" => {
            let mut opts = Options::default();
            if let Some(e) = arg(&args, "--epochs") {
                opts.epochs = e.parse().context("--epochs")?;
            }
            if let Some(b) = arg(&args, "--bits") {
                opts.bits = b.parse().context("--bits")?;
            }
            if let Some(x) = arg(&args, "--seed") {
                opts.seed = x.parse().context("--seed")?;
            }
            if let Some(n) = arg(&args, "--ensemble") {
                opts.ensemble = n.parse().context("--ensemble")?;
            }
            if let Some(p) = arg(&args, "--prune") {
                opts.prune = p.parse().context("--prune")?;
            }
            let words = name_words(train);
            let common = naba_train::common_words(train);
            // Off by default: corpus names raise the ANERcorp dev F1 (0.727 to
            // 0.745) but lower ar_dev's (0.699 to 0.673): they are names of
            // the corpus's years and countries, not of today's news.
            let use_names = args.iter().any(|a| a == "--corpus-names");
            let names_of = |s: &[Sentence]| if use_names { corpus_names(s) } else { String::new() };
            let names = names_of(train);
            if let Some(path) = arg(&args, "--names-out") {
                std::fs::write(&path, &names).with_context(|| format!("writing {path}"))?;
            }
            // Each fold's gazetteer features come from the other folds' names.
            let mut tr = Vec::new();
            let mut fold_ends = Vec::new();
            let fold = train.len().div_ceil(FOLDS);
            for k in 0..FOLDS {
                let (lo, hi) = ((k * fold).min(train.len()), ((k + 1) * fold).min(train.len()));
                let others: Vec<_> = train[..lo].iter().chain(&train[hi..]).cloned().collect();
                let gaz = Gazetteer::with_corpus_names(&words, &common, &names_of(&others));
                tr.extend(samples(&train[lo..hi], &gaz).into_iter().map(|mut s| {
                    s.src += lo;
                    s
                }));
                fold_ends.push(tr.len());
            }
            let gaz = Gazetteer::with_corpus_names(&words, &common, &names);
            let dv = samples(dev, &gaz);
            eprintln!(
                "{} train sentences ({} tagger sentences), {} dev; {} name words",
                train.len(),
                tr.len(),
                dev.len(),
                words.len()
            );
            // The document features (see `naba_extractor::ner::doclayer`)
            // are learnt from a first pass's output on text it was not
            // trained on: each fold tagged by a first pass trained on the
            // other folds. Every sentence is then learnt twice, without and
            // with them, so that one table serves both passes.
            let two_pass = !args.iter().any(|a| a == "--one-pass");
            if two_pass {
                let mut extra = Vec::new();
                let mut lo = 0;
                for &hi in &fold_ends {
                    let others: Vec<_> = tr[..lo].iter().chain(&tr[hi..]).cloned().collect();
                    let m = naba_train::train(&others, &opts, words.clone(), common.clone(), |_, _| {});
                    extra.extend(with_doc_features(&m, &tr[lo..hi]));
                    lo = hi;
                }
                tr.extend(extra);
            }
            let mut model = naba_train::train(&tr, &opts, words, common, |epoch, m| {
                let (p, r, f) = evaluate(m, &dv);
                eprint!("epoch {epoch}: dev (tagger alone) P={p:.3} R={r:.3} F1={f:.3}");
                if two_pass {
                    let (p, r, f) = evaluate_two_pass(m, &dv);
                    eprint!("; two passes P={p:.3} R={r:.3} F1={f:.3}");
                }
                eprintln!();
            });
            model.stacked = two_pass;
            let bytes = model.to_bytes();
            std::fs::write(&out, &bytes).with_context(|| format!("writing {out}"))?;
            eprintln!("wrote {out} ({} bytes)", bytes.len());
        }
        _ => bail!("usage: naba-train train|dev-split|clusters --corpus PATH --out PATH [--epochs N] [--bits B] [--prune X] [--seed N] [--ensemble N] [--names-out PATH] [--corpus-names] [--one-pass]\n       naba-train profiles --list PATH --out PATH"),
    }
    Ok(())
}
