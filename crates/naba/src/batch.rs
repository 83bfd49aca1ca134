//! `naba extract`: batch mode over JSON Lines, order kept, all cores used.

use crate::jsonl;
use anyhow::Context;
use naba_extractor::Extractor;
use naba_model::{decode_article, DecodeOptions};
use std::io::{IsTerminal, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};

#[derive(clap::Args)]
pub struct ExtractArgs {
    /// JSON Lines files of articles; standard input when none is given.
    files: Vec<std::path::PathBuf>,
    /// Worker threads (default: all cores).
    #[arg(long, short = 'j')]
    jobs: Option<usize>,
    /// Lines longer than this many bytes are rejected.
    #[arg(long, default_value_t = DecodeOptions::default().max_bytes)]
    max_article_bytes: usize,
}

/// Lines read and extracted together; bounds memory while keeping every core busy.
const CHUNK: usize = 256;

struct Line {
    origin: String,
    number: usize,
    bytes: Vec<u8>,
}

pub fn run(args: ExtractArgs) -> anyhow::Result<ExitCode> {
    let extractor = Extractor::new().context("loading the extractor")?;
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let opts = DecodeOptions {
        max_bytes: args.max_article_bytes,
    };
    let sources = jsonl::open(&args.files)?;

    let progress = std::io::stderr().is_terminal();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let (mut done, mut rejected) = (0usize, 0usize);
    let mut chunk: Vec<Line> = Vec::with_capacity(CHUNK);
    jsonl::for_each_line(sources, |origin, number, bytes| {
        chunk.push(Line {
            origin: origin.to_string(),
            number,
            bytes,
        });
        if chunk.len() == CHUNK {
            let (d, r) = flush(&extractor, &opts, jobs, &mut chunk, &mut out)?;
            done += d;
            rejected += r;
            if progress {
                eprint!("\r{done} articles, {rejected} rejected");
            }
        }
        Ok(())
    })?;
    let (d, r) = flush(&extractor, &opts, jobs, &mut chunk, &mut out)?;
    done += d;
    rejected += r;
    out.flush().context("writing to stdout")?;
    if progress {
        eprintln!("\r{done} articles, {rejected} rejected");
    }
    Ok(if rejected > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Extracts a chunk on `jobs` threads and writes it in input order.
fn flush(
    extractor: &Extractor,
    opts: &DecodeOptions,
    jobs: usize,
    chunk: &mut Vec<Line>,
    out: &mut impl Write,
) -> anyhow::Result<(usize, usize)> {
    let next = AtomicUsize::new(0);
    let mut results: Vec<Option<Result<String, String>>> = vec![None; chunk.len()];
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..jobs.min(chunk.len()))
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(line) = chunk.get(i) else { break };
                        mine.push((i, process(extractor, opts, line)));
                    }
                    mine
                })
            })
            .collect();
        for h in handles {
            // `process` catches extraction panics, so a worker cannot panic.
            if let Ok(mine) = h.join() {
                for (i, r) in mine {
                    results[i] = Some(r);
                }
            }
        }
    });
    let (mut done, mut rejected) = (0, 0);
    for (line, r) in chunk.iter().zip(results) {
        match r.unwrap_or_else(|| Err("worker thread failed".into())) {
            Ok(json) => {
                writeln!(out, "{json}").context("writing to stdout")?;
                done += 1;
            }
            Err(reason) => {
                eprintln!("naba: {}:{}: {reason}", line.origin, line.number);
                rejected += 1;
            }
        }
    }
    chunk.clear();
    Ok((done, rejected))
}

fn process(extractor: &Extractor, opts: &DecodeOptions, line: &Line) -> Result<String, String> {
    let fallback = || format!("{}:{}", line.origin, line.number);
    let bytes = line.bytes.strip_suffix(b"\n").unwrap_or(&line.bytes);
    let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
    let article = decode_article(bytes, &fallback, opts).map_err(|e| e.to_string())?;
    let record = catch_unwind(AssertUnwindSafe(|| extractor.enrich(&article)))
        .map_err(|_| "extraction panicked (this is a bug in naba; please report it)".to_string())?;
    serde_json::to_string(&record).map_err(|e| format!("encoding the record: {e}"))
}
