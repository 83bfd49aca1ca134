//! `naba demo`: the first command a new user runs. It needs nothing installed:
//! without `--brokers` it starts librdkafka's in-process mock Kafka cluster,
//! feeds it the bundled sample articles, runs the pipeline against it and
//! prints what came out.

use crate::config::Config;
use crate::produce;
use anyhow::{bail, Context};
use naba_model::{EnrichedRecord, EntityType, Statement};
use rdkafka::config::ClientConfig;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::Message;
use rdkafka::mocking::MockCluster;
use rdkafka::topic_partition_list::{Offset, TopicPartitionList};
use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// Arabic and English articles written for the demo, plus the seed article.
const SAMPLES: &str = include_str!("../../../tests/data/samples.jsonl");

const INPUT_TOPIC: &str = "naba-demo.articles";
const OUTPUT_TOPIC: &str = "naba-demo.enriched";
const DEAD_LETTER_TOPIC: &str = "naba-demo.dead-letter";

#[derive(clap::Args)]
pub struct DemoArgs {
    /// Use this Kafka cluster instead of the built-in mock one (topics `naba-demo.*`).
    #[arg(long, env = "NABA_KAFKA_BROKERS")]
    brokers: Option<String>,
    /// Where to serve /metrics, /healthz and /readyz while the demo runs.
    #[arg(long, default_value = "127.0.0.1:9898")]
    metrics_addr: String,
    /// Give up when not every sample has come out after this many seconds.
    #[arg(long, default_value_t = 60)]
    timeout_secs: u64,
    /// Print the enriched records as JSON Lines instead of the readable summary.
    #[arg(long)]
    json: bool,
}

pub fn run(args: DemoArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    // The mock cluster lives as long as this binding: keep it to the end.
    let (_mock, brokers) = match &args.brokers {
        Some(b) => (None, b.clone()),
        None => {
            let cluster = MockCluster::new(1).context("starting the in-process Kafka cluster")?;
            for topic in [INPUT_TOPIC, OUTPUT_TOPIC, DEAD_LETTER_TOPIC] {
                cluster
                    .create_topic(topic, 3, 1)
                    .with_context(|| format!("creating topic {topic}"))?;
            }
            let b = cluster.bootstrap_servers();
            (Some(cluster), b)
        }
    };
    let expected = sample_ids();
    eprintln!(
        "naba demo: {} sample articles -> {INPUT_TOPIC} on {}",
        expected.len(),
        if args.brokers.is_some() {
            brokers.as_str()
        } else {
            "an in-process Kafka cluster"
        }
    );

    // Positioned before anything is produced, so that on a real cluster earlier
    // runs' records are skipped and this run's are all seen.
    let reader = output_reader(&brokers)?;

    let sources: Vec<crate::jsonl::Source> = vec![(
        "samples.jsonl".into(),
        Box::new(std::io::Cursor::new(SAMPLES)),
    )];
    let opts = produce::Options {
        check: true,
        timeout: Duration::from_secs(20),
    };
    let sent = produce::send(&brokers, INPUT_TOPIC, sources, &opts)?;
    if sent.delivered != expected.len() {
        bail!(
            "only {} of {} samples reached {INPUT_TOPIC}",
            sent.delivered,
            expected.len()
        );
    }

    // The real service, as `naba run` runs it, on its own runtime.
    let config = demo_config(&brokers, &args.metrics_addr);
    crate::telemetry::init(config.telemetry.log_format, &config.telemetry.log_level);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let pipeline = runtime.spawn(crate::service::run(config, async {
        let _ = stopped.await;
    }));
    eprintln!(
        "naba demo: pipeline running; metrics on http://{}/metrics",
        args.metrics_addr
    );

    let deadline = Instant::now() + Duration::from_secs(args.timeout_secs.max(1));
    let mut seen = HashSet::new();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    while seen.len() < expected.len() && Instant::now() < deadline {
        if pipeline.is_finished() {
            // It stopped on its own: an error, reported below.
            break;
        }
        let Some(msg) = reader.poll(Duration::from_millis(200)) else {
            continue;
        };
        let msg = msg.context("reading the enriched topic")?;
        let Some(payload) = msg.payload() else {
            continue;
        };
        let record: EnrichedRecord = match serde_json::from_slice(payload) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("naba demo: an output record is not naba.enriched.v1: {e}");
                continue;
            }
        };
        if !expected.contains(&record.id) || !seen.insert(record.id.clone()) {
            continue;
        }
        if args.json {
            writeln!(out, "{}", String::from_utf8_lossy(payload))?;
        } else {
            write!(out, "{}", render(&record))?;
        }
        out.flush()?;
    }
    drop(out);

    let _ = stop.send(());
    runtime
        .block_on(pipeline)
        .context("the pipeline task panicked")?
        .context("the pipeline failed")?;

    let missing: Vec<_> = expected.iter().filter(|id| !seen.contains(*id)).collect();
    if !missing.is_empty() {
        eprintln!(
            "naba demo: {} of {} articles did not come out within {} s: {}",
            missing.len(),
            expected.len(),
            args.timeout_secs,
            missing
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
        return Ok(ExitCode::FAILURE);
    }
    eprintln!(
        "naba demo: all {} articles enriched in {:.1} s",
        expected.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

/// Ids of the bundled samples, in file order.
fn sample_ids() -> Vec<String> {
    SAMPLES
        .lines()
        .filter_map(|l| produce::article_key(l.as_bytes()))
        .map(|k| String::from_utf8_lossy(&k).into_owned())
        .collect()
}

/// A consumer of the output topic, assigned (not subscribed: no group
/// rebalance to wait for) at each partition's current end.
fn output_reader(brokers: &str) -> anyhow::Result<BaseConsumer> {
    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set("group.id", "naba-demo-reader")
        .set("enable.auto.commit", "false")
        .set("allow.auto.create.topics", "true")
        .create()
        .context("creating the output reader")?;
    let timeout = Duration::from_secs(10);
    let metadata = consumer
        .fetch_metadata(Some(OUTPUT_TOPIC), timeout)
        .with_context(|| format!("cannot reach Kafka at {brokers}"))?;
    let mut tpl = TopicPartitionList::new();
    for topic in metadata.topics() {
        for p in topic.partitions() {
            let offset = match consumer.fetch_watermarks(OUTPUT_TOPIC, p.id(), timeout) {
                Ok((_, high)) => Offset::Offset(high),
                Err(_) => Offset::Beginning,
            };
            tpl.add_partition_offset(OUTPUT_TOPIC, p.id(), offset)
                .context("positioning the output reader")?;
        }
    }
    if tpl.count() == 0 {
        bail!("topic {OUTPUT_TOPIC} has no partitions on {brokers}");
    }
    consumer
        .assign(&tpl)
        .context("assigning the output reader")?;
    Ok(consumer)
}

/// One article as a person reads it: who said what, then who and where.
pub fn render(r: &EnrichedRecord) -> String {
    let mut s = String::new();
    // Untitled articles (the seed has none) are headed by their id instead.
    let title = r.title.as_deref().unwrap_or(&r.id);
    s.push_str(&format!("\n━━ {title}\n   id {} · {}", r.id, r.language));
    if let Some(src) = &r.source {
        s.push_str(&format!(" · {src}"));
    }
    if let Some(at) = &r.published_at {
        s.push_str(&format!(" · {at}"));
    }
    s.push_str(&format!(" · {} µs\n", r.extractor.elapsed_us));
    s.push_str(&format!("   statements ({}):\n", r.statements.len()));
    for st in &r.statements {
        s.push_str(&render_statement(st));
    }
    let mut by_type: BTreeMap<EntityType, Vec<&str>> = BTreeMap::new();
    for e in &r.entities {
        by_type.entry(e.kind).or_default().push(&e.name);
    }
    s.push_str(&format!("   entities ({}):\n", r.entities.len()));
    for (kind, names) in by_type {
        s.push_str(&format!("     {}: {}\n", kind.as_str(), names.join(", ")));
    }
    if !r.dates.is_empty() {
        let dates: Vec<String> = r
            .dates
            .iter()
            .map(|d| match &d.value {
                Some(v) => format!("{} ({v})", d.text),
                None => d.text.clone(),
            })
            .collect();
        s.push_str(&format!("   dates: {}\n", dates.join(", ")));
    }
    s
}

fn render_statement(st: &Statement) -> String {
    let mut line = format!(
        "     • {}: {}\n       [{}, cue «{}»",
        st.speaker.name,
        one_line(&st.content.text, 200),
        st.kind.as_str(),
        st.cue.text
    );
    if let Some(role) = &st.speaker.role {
        line.push_str(&format!(", role «{role}»"));
    }
    if let Some(src) = &st.source {
        line.push_str(&format!(", via {src}"));
    }
    line.push_str("]\n");
    line
}

/// Collapses whitespace and cuts at `max` characters, so one statement stays one line.
fn one_line(text: &str, max: usize) -> String {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if joined.chars().count() <= max {
        return joined;
    }
    let mut cut: String = joined.chars().take(max).collect();
    cut.push('…');
    cut
}

/// The service's configuration for the demo topics; logs only warnings so
/// that the enriched records stay readable.
fn demo_config(brokers: &str, metrics_addr: &str) -> Config {
    let mut config = Config::default();
    config.kafka.brokers = brokers.to_string();
    config.kafka.input_topic = INPUT_TOPIC.into();
    config.kafka.output_topic = OUTPUT_TOPIC.into();
    config.kafka.dlq_topic = DEAD_LETTER_TOPIC.into();
    config.kafka.group = "naba-demo".into();
    config.telemetry.metrics_addr = metrics_addr.to_string();
    config.telemetry.log_level = "warn".into();
    config
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_have_distinct_ids_and_both_languages() {
        let ids = sample_ids();
        assert_eq!(ids.len(), SAMPLES.lines().count());
        assert_eq!(ids.iter().collect::<HashSet<_>>().len(), ids.len());
        assert!(ids.iter().any(|i| i == "sample-ar-seed"));
        let languages: HashSet<String> = SAMPLES
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["language"].to_string())
            .collect();
        assert!(languages.contains("\"ar\"") && languages.contains("\"en\""));
    }

    #[test]
    fn long_statements_are_cut_to_one_line() {
        assert_eq!(one_line("a\n  b", 10), "a b");
        assert_eq!(one_line("abcdef", 3), "abc…");
    }
}
