//! `naba-bench`: load generator and meter for `scripts/bench-pipeline.sh`.
//!
//! Articles are the dev sets of `../shared/eval/dev/` replicated with fresh
//! ids (the bundled `tests/data/samples.jsonl` when those are absent, said on
//! stderr). An id reads `<run>-<seq>-<sent µs since the epoch>`, and naba keys
//! its output by article id, so the meter gets the end-to-end latency of each
//! article from the output's key alone, without parsing records.
//!
//! Every measuring command prints one JSON object on stdout; the script
//! collects them into the summary.

use anyhow::{bail, Context as _};
use clap::{Parser, Subcommand};
use naba_model::{decode_article, DecodeOptions};
use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::config::ClientConfig;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::message::Message;
use rdkafka::producer::{BaseProducer, BaseRecord, DeliveryResult, Producer, ProducerContext};
use rdkafka::ClientContext;
use serde_json::{json, Value};
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

#[derive(Parser)]
#[command(
    name = "naba-bench",
    about = "Load generator and meter for naba's pipeline benchmark"
)]
struct Cli {
    /// Where the evaluation data lives (`eval/dev/*.jsonl` below it).
    #[arg(long, env = "NABA_SHARED", default_value = "../shared", global = true)]
    shared: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write N articles as JSON Lines to stdout (for `naba extract`).
    Articles {
        #[arg(long)]
        n: usize,
        #[arg(long, default_value = "bench")]
        run: String,
    },
    /// Create topics, NAME:PARTITIONS each; existing ones are left as they are.
    Topics {
        #[arg(long)]
        brokers: String,
        topics: Vec<String>,
    },
    /// Produce N articles round-robin over the topic's partitions, as fast as
    /// the broker takes them or at `--rate` per second.
    Produce {
        #[command(flatten)]
        at: Target,
        /// Articles per second; 0 means as fast as possible.
        #[arg(long, default_value_t = 0.0)]
        rate: f64,
    },
    /// Read `--topic` until the N articles of `--run` are there; report
    /// throughput, latency and the CPU and memory of process `--pid`.
    Drain {
        #[command(flatten)]
        at: Target,
        #[command(flatten)]
        watch: Watch,
    },
    /// Produce at `--rate` into `--topic` while metering `--output`: the
    /// latency of a pipeline that is not saturated.
    /// Read the JSON results in DIR (written by scripts/bench-pipeline.sh),
    /// print them as a Markdown table with the ratios, and write DIR/summary.json.
    Report { dir: PathBuf },
    Live {
        #[command(flatten)]
        at: Target,
        #[arg(long)]
        rate: f64,
        /// naba's output topic (`--topic` is its input).
        #[arg(long)]
        output: String,
        #[command(flatten)]
        watch: Watch,
    },
}

/// The N articles of one run, on one topic.
#[derive(clap::Args, Clone)]
struct Target {
    #[arg(long)]
    brokers: String,
    /// naba's input topic to produce to, or its output topic to meter.
    #[arg(long)]
    topic: String,
    #[arg(long)]
    n: usize,
    #[arg(long, default_value = "bench")]
    run: String,
}

#[derive(clap::Args)]
struct Watch {
    /// naba's process id, for its CPU time and peak RSS.
    #[arg(long)]
    pid: Option<u32>,
    /// Give up when nothing new arrived for this long.
    #[arg(long, default_value_t = 60)]
    idle_secs: u64,
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Articles { n, run } => {
            let corpus = Corpus::load(&cli.shared)?;
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let mut bytes = 0;
            for seq in 0..n {
                let (_, payload, b) = corpus.payload(&run, seq, 0);
                bytes += b;
                out.write_all(payload.as_bytes())?;
                out.write_all(b"\n")?;
            }
            out.flush()?;
            eprintln!("{}", json!({ "articles": n, "text_bytes": bytes }));
        }
        Command::Topics { brokers, topics } => create_topics(&brokers, &topics)?,
        Command::Produce { at, rate } => {
            let corpus = Corpus::load(&cli.shared)?;
            println!("{}", produce(&corpus, &at, rate)?);
        }
        Command::Drain { at, watch } => {
            let corpus = Corpus::load(&cli.shared)?;
            println!("{}", drain(&corpus, &at, &watch)?);
        }
        Command::Report { dir } => {
            let (table, summary) = report(&dir)?;
            std::fs::write(dir.join("summary.json"), format!("{summary:#}\n"))?;
            print!("{table}");
        }
        Command::Live {
            at,
            rate,
            output,
            watch,
        } => {
            let corpus = Corpus::load(&cli.shared)?;
            let out = Target {
                topic: output,
                ..at.clone()
            };
            let report = std::thread::scope(|s| {
                let producer = s.spawn(|| produce(&corpus, &at, rate));
                let metered = drain(&corpus, &out, &watch);
                let produced = producer
                    .join()
                    .unwrap_or_else(|_| Err(anyhow::anyhow!("producer thread panicked")));
                metered.and_then(|mut m| {
                    m["producer"] = produced?;
                    m["rate"] = json!(rate);
                    Ok::<_, anyhow::Error>(m)
                })
            })?;
            println!("{report}");
        }
    }
    Ok(())
}

/// The dev articles, each pre-encoded without its id.
struct Corpus {
    /// JSON object text minus its opening brace, and the article's text+title bytes.
    rest: Vec<(String, usize)>,
}

impl Corpus {
    fn load(shared: &std::path::Path) -> anyhow::Result<Corpus> {
        let dev = shared.join("eval/dev");
        let mut lines = String::new();
        for f in ["ar_dev.jsonl", "en_polnear_dev.jsonl"] {
            if let Ok(t) = std::fs::read_to_string(dev.join(f)) {
                lines.push_str(&t);
            }
        }
        if lines.is_empty() {
            let fallback = PathBuf::from("tests/data/samples.jsonl");
            eprintln!(
                "naba-bench: no dev sets under {}; using {} (figures not comparable)",
                dev.display(),
                fallback.display()
            );
            lines = std::fs::read_to_string(&fallback)
                .with_context(|| format!("reading {}", fallback.display()))?;
        }
        let opts = DecodeOptions::default();
        let mut rest = Vec::new();
        for l in lines.lines().filter(|l| !l.trim().is_empty()) {
            let Ok(a) = decode_article(l.as_bytes(), &|| "bench".into(), &opts) else {
                continue;
            };
            let bytes = a.text.len() + a.title.as_deref().map_or(0, str::len);
            let v = json!({
                "language": a.language,
                "title": a.title,
                "published_at": a.published_at,
                "source": a.source,
                "text": a.text,
            });
            let s = v.to_string();
            rest.push((s[1..].to_owned(), bytes));
        }
        if rest.is_empty() {
            bail!("no articles to benchmark with");
        }
        Ok(Corpus { rest })
    }

    /// Article `seq` of run `run`, sent at `sent_us`: its id, JSON and text bytes.
    fn payload(&self, run: &str, seq: usize, sent_us: u64) -> (String, String, usize) {
        let (rest, bytes) = &self.rest[seq % self.rest.len()];
        let id = format!("{run}-{seq}-{sent_us}");
        let json = format!("{{\"id\":\"{id}\",{rest}");
        (id, json, *bytes)
    }

    fn bytes(&self, seq: usize) -> usize {
        self.rest[seq % self.rest.len()].1
    }
}

/// `(seq, sent µs)` from an id of `run`.
fn parse_id(run: &str, key: &[u8]) -> Option<(usize, u64)> {
    let key = std::str::from_utf8(key).ok()?;
    let rest = key.strip_prefix(run)?.strip_prefix('-')?;
    let (seq, sent) = rest.split_once('-')?;
    Some((seq.parse().ok()?, sent.parse().ok()?))
}

fn now_us() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_micros()).unwrap_or(u64::MAX))
}

fn create_topics(brokers: &str, specs: &[String]) -> anyhow::Result<()> {
    let admin: AdminClient<DefaultClientContext> = ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .create()
        .context("creating an admin client")?;
    let mut new = Vec::new();
    for spec in specs {
        let (name, n) = spec
            .rsplit_once(':')
            .with_context(|| format!("{spec}: expected NAME:PARTITIONS"))?;
        let n: i32 = n.parse().with_context(|| format!("{spec}: partitions"))?;
        new.push(NewTopic::new(name, n, TopicReplication::Fixed(1)));
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let results = rt
        .block_on(admin.create_topics(&new, &AdminOptions::new()))
        .context("creating topics")?;
    for r in results {
        match r {
            Ok(_) | Err((_, RDKafkaErrorCode::TopicAlreadyExists)) => {}
            Err((name, e)) => bail!("creating topic {name}: {e}"),
        }
    }
    Ok(())
}

#[derive(Default)]
struct Acks {
    delivered: AtomicUsize,
    failed: AtomicUsize,
}

impl ClientContext for Acks {}

impl ProducerContext for Acks {
    type DeliveryOpaque = ();
    fn delivery(&self, result: &DeliveryResult<'_>, _: ()) {
        let counter = if result.is_ok() {
            &self.delivered
        } else {
            &self.failed
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

fn produce(corpus: &Corpus, load: &Target, rate: f64) -> anyhow::Result<Value> {
    let producer: BaseProducer<Acks> = ClientConfig::new()
        .set("bootstrap.servers", &load.brokers)
        .set("message.max.bytes", "8388608")
        .set("linger.ms", if rate > 0.0 { "1" } else { "20" })
        .set("queue.buffering.max.messages", "100000")
        .set("queue.buffering.max.kbytes", "1048576")
        .set("message.timeout.ms", "120000")
        .create_with_context(Acks::default())
        .context("creating the producer")?;
    let meta = producer
        .client()
        .fetch_metadata(Some(&load.topic), Duration::from_secs(10))
        .with_context(|| format!("reaching {} for topic {}", load.brokers, load.topic))?;
    let partitions = meta
        .topics()
        .first()
        .map_or(0, |t| t.partitions().len() as i32);
    if partitions == 0 {
        bail!("topic {} has no partitions (create it first)", load.topic);
    }
    let started = Instant::now();
    let mut bytes = 0;
    for seq in 0..load.n {
        if rate > 0.0 {
            let due = started + Duration::from_secs_f64(seq as f64 / rate);
            if let Some(wait) = due.checked_duration_since(Instant::now()) {
                std::thread::sleep(wait);
            }
        }
        let (key, payload, b) = corpus.payload(&load.run, seq, now_us());
        bytes += b;
        let mut record = BaseRecord::to(&load.topic)
            .key(&key)
            .payload(&payload)
            .partition(seq as i32 % partitions);
        loop {
            match producer.send(record) {
                Ok(()) => break,
                Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), r)) => {
                    record = r;
                    producer.poll(Duration::from_millis(20));
                }
                Err((e, _)) => bail!("producing: {e}"),
            }
        }
        producer.poll(Duration::ZERO);
    }
    producer
        .flush(Duration::from_secs(120))
        .context("waiting for acknowledgements")?;
    let secs = started.elapsed().as_secs_f64();
    let c = producer.context();
    Ok(json!({
        "produced": c.delivered.load(Ordering::Relaxed),
        "failed": c.failed.load(Ordering::Relaxed),
        "text_bytes": bytes,
        "secs": secs,
        "articles_per_s": load.n as f64 / secs,
    }))
}

/// CPU seconds (user + system, all threads) and peak RSS in bytes of `pid`.
fn process_usage(pid: u32) -> Option<(f64, u64)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of stat(5); `after` starts at field 3.
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let hwm_kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    // USER_HZ is 100 on every Linux ABI naba targets.
    Some((ticks as f64 / 100.0, hwm_kb * 1024))
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn drain(corpus: &Corpus, m: &Target, watch: &Watch) -> anyhow::Result<Value> {
    let group = format!("naba-bench-{}-{}", m.run, now_us());
    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", &m.brokers)
        .set("group.id", &group)
        .set("enable.auto.commit", "false")
        .set("auto.offset.reset", "earliest")
        .set("isolation.level", "read_committed")
        .set("fetch.wait.max.ms", "10")
        .create()
        .context("creating the meter's consumer")?;
    consumer
        .subscribe(&[&m.topic])
        .with_context(|| format!("subscribing to {}", m.topic))?;
    let mut seen = vec![false; m.n];
    let (mut count, mut duplicates, mut bytes) = (0usize, 0usize, 0usize);
    let mut latencies_ms = Vec::with_capacity(m.n);
    // The span is taken from the output records' timestamps (set when naba
    // produced them), not from when the meter read them: the meter's group
    // join takes seconds, and what naba wrote meanwhile was read in a burst
    // that counted as throughput. CPU is counted from the meter's start
    // (naba was just started), so it includes naba's start-up.
    let start_usage = watch.pid.and_then(process_usage);
    let (mut first_ms, mut last_ms) = (i64::MAX, i64::MIN);
    let mut first_seq: Option<usize> = None;
    let mut last = Instant::now();
    let idle = Duration::from_secs(watch.idle_secs.max(1));
    while count < m.n && last.elapsed() < idle {
        let Some(msg) = consumer.poll(Duration::from_millis(100)) else {
            continue;
        };
        let msg = msg.context("reading the output topic")?;
        let Some((seq, sent)) = msg.key().and_then(|k| parse_id(&m.run, k)) else {
            continue;
        };
        let now = Instant::now();
        if seq >= m.n || seen[seq] {
            duplicates += 1;
            continue;
        }
        seen[seq] = true;
        count += 1;
        latencies_ms.push(now_us().saturating_sub(sent) as f64 / 1e3);
        let at = msg.timestamp().to_millis().unwrap_or(0);
        if at < first_ms {
            first_ms = at;
            first_seq = Some(seq);
        }
        last_ms = last_ms.max(at);
        bytes += corpus.bytes(seq);
        last = now;
    }
    let end_usage = watch.pid.and_then(process_usage);
    latencies_ms.sort_by(f64::total_cmp);
    // The first article opens the span, so only the later ones count in it.
    if let Some(seq) = first_seq {
        bytes -= corpus.bytes(seq);
    }
    let span = if count > 1 {
        (last_ms - first_ms) as f64 / 1e3
    } else {
        0.0
    };
    let cpu = match (start_usage, end_usage) {
        (Some((a, _)), Some((b, _))) => Some(b - a),
        _ => None,
    };
    let per_s = |x: f64| if span > 0.0 { x / span } else { 0.0 };
    let counted = count.saturating_sub(1) as f64;
    Ok(json!({
        "articles": count,
        "complete": count == m.n,
        "duplicates": duplicates,
        "span_secs": span,
        "articles_per_s": per_s(counted),
        "mb_per_s": per_s(bytes as f64) / 1e6,
        "latency_ms": {
            "p50": percentile(&latencies_ms, 50.0),
            "p95": percentile(&latencies_ms, 95.0),
            "p99": percentile(&latencies_ms, 99.0),
            "max": latencies_ms.last().copied().unwrap_or(f64::NAN),
        },
        "cpu_ms_per_article": cpu.map(|c| if count > 0 { c * 1e3 / count as f64 } else { f64::NAN }),
        "peak_rss_mb": end_usage.map(|(_, rss)| rss as f64 / 1e6),
    }))
}

fn read_json(dir: &std::path::Path, name: &str) -> Value {
    std::fs::read_to_string(dir.join(name))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or(Value::Null)
}

fn ratio(a: &Value, b: &Value) -> Value {
    match (a.as_f64(), b.as_f64()) {
        (Some(a), Some(b)) if b > 0.0 => json!(a / b),
        _ => Value::Null,
    }
}

/// The summary of one pipeline benchmark run and its Markdown table.
fn report(dir: &std::path::Path) -> anyhow::Result<(String, Value)> {
    let machine = read_json(dir, "machine.json");
    let runs = [
        ("naba run (at-least-once)", "alo"),
        ("naba run --mode exactly-once", "eos"),
        ("naba run --passthrough (no extraction)", "passthrough"),
    ];
    let extract_time = read_json(dir, "extract-time.json");
    let startup = read_json(dir, "startup-time.json");
    let extract_info = read_json(dir, "extract-articles.json");
    let n = extract_info["articles"].as_f64().unwrap_or(0.0);
    let cpu_of =
        |t: &Value| t["user_secs"].as_f64().unwrap_or(0.0) + t["sys_secs"].as_f64().unwrap_or(0.0);
    // The one-article run is the start-up (lexicons, model); the rest is per article.
    let wall = extract_time["wall_secs"].as_f64().unwrap_or(0.0)
        - startup["wall_secs"].as_f64().unwrap_or(0.0);
    let cpu = cpu_of(&extract_time) - cpu_of(&startup);
    let extract = if n > 1.0 && wall > 0.0 {
        json!({
            "articles": n,
            "articles_per_s": n / wall,
            "mb_per_s": extract_info["text_bytes"].as_f64().unwrap_or(0.0) / wall / 1e6,
            "cpu_ms_per_article": cpu * 1e3 / (n - 1.0),
            "startup_wall_secs": startup["wall_secs"],
            "startup_cpu_secs": cpu_of(&startup),
            "peak_rss_mb": extract_time["max_rss_kb"].as_f64().map(|k| k * 1024.0 / 1e6),
        })
    } else {
        Value::Null
    };
    let mut summary = json!({ "machine": machine, "extract_alone": extract });
    let mut table = String::from(
        "| run | articles | articles/s | MB/s | CPU ms/article | articles/CPU-s | peak RSS MB | broker CPU ms/article |\n|---|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    let row = |name: &str, v: &Value| {
        let f = |k: &str, p: usize| {
            v[k].as_f64()
                .map_or_else(|| "-".to_owned(), |x| format!("{x:.p$}"))
        };
        let per_cpu_s = v["cpu_ms_per_article"]
            .as_f64()
            .filter(|c| *c > 0.0)
            .map_or_else(|| "-".to_owned(), |c| format!("{:.0}", 1e3 / c));
        format!(
            "| {name} | {} | {} | {} | {} | {per_cpu_s} | {} | {} |\n",
            f("articles", 0),
            f("articles_per_s", 0),
            f("mb_per_s", 2),
            f("cpu_ms_per_article", 3),
            f("peak_rss_mb", 0),
            f("broker_cpu_ms_per_article", 3)
        )
    };
    table.push_str(&row("naba extract -j 2 (extractor alone)", &extract));
    for (name, key) in runs {
        let v = read_json(dir, &format!("{key}.json"));
        table.push_str(&row(name, &v));
        summary[key] = v;
    }
    let alo = &summary["alo"]["articles_per_s"];
    // Per CPU time, the inverse ratio of CPU per article: on a shared machine
    // wall-clock rates move with the other tenants' load, CPU time much less.
    let cpu = |k: &str| &summary[k]["cpu_ms_per_article"];
    summary["ratios"] = json!({
        "naba_over_extractor_alone": ratio(alo, &summary["extract_alone"]["articles_per_s"]),
        "naba_over_passthrough": ratio(alo, &summary["passthrough"]["articles_per_s"]),
        "exactly_once_over_at_least_once": ratio(&summary["eos"]["articles_per_s"], alo),
        "per_cpu_naba_over_extractor_alone": ratio(cpu("extract_alone"), cpu("alo")),
        "per_cpu_naba_over_passthrough": ratio(cpu("passthrough"), cpu("alo")),
        "per_cpu_exactly_once_over_at_least_once": ratio(cpu("alo"), cpu("eos")),
    });
    table.push_str("\n| ratio | value |\n|---|---:|\n");
    for (k, v) in summary["ratios"].as_object().into_iter().flatten() {
        let v = v.as_f64().map_or("-".to_owned(), |x| format!("{x:.2}"));
        table.push_str(&format!("| {k} | {v} |\n"));
    }
    table.push_str("\n| load | rate (articles/s) | p50 ms | p95 ms | p99 ms | articles |\n|---|---:|---:|---:|---:|---:|\n");
    for pct in ["50", "90"] {
        let v = read_json(dir, &format!("live-{pct}.json"));
        let l = &v["latency_ms"];
        let f = |x: &Value| x.as_f64().map_or("-".to_owned(), |x| format!("{x:.0}"));
        table.push_str(&format!(
            "| {pct} % of saturation | {} | {} | {} | {} | {} |\n",
            f(&v["rate"]),
            f(&l["p50"]),
            f(&l["p95"]),
            f(&l["p99"]),
            f(&v["articles"])
        ));
        summary[format!("latency_at_{pct}_percent")] = v;
    }
    Ok((table, summary))
}
