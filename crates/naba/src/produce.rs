//! `naba produce`: puts JSON Lines articles on a topic, so that trying naba
//! needs no kcat or Kafka CLI.

use crate::jsonl;
use anyhow::{bail, Context};
use naba_model::{decode_article, DecodeOptions};
use rdkafka::config::ClientConfig;
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::message::Message;
use rdkafka::producer::{BaseProducer, BaseRecord, DeliveryResult, Producer, ProducerContext};
use rdkafka::ClientContext;
use serde_json::Value;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(clap::Args)]
pub struct ProduceArgs {
    /// Kafka bootstrap servers, host:port[,host:port...].
    #[arg(long, env = "NABA_KAFKA_BROKERS")]
    brokers: String,
    /// The topic to write to (naba's input topic).
    #[arg(long, env = "NABA_KAFKA_INPUT_TOPIC")]
    topic: String,
    /// JSON Lines files of articles; standard input when none is given.
    files: Vec<PathBuf>,
    /// Send every non-blank line as it is, without checking that naba can decode it
    /// (useful to exercise the dead-letter topic).
    #[arg(long)]
    raw: bool,
    /// Give up on a message not acknowledged by the brokers within this many seconds.
    #[arg(long, default_value_t = 30)]
    timeout_secs: u64,
}

/// What one `produce` run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    /// Acknowledged by the brokers.
    pub delivered: usize,
    /// Refused locally before sending (not an article naba could decode).
    pub rejected: usize,
    /// Sent but not acknowledged (timeout, broker error).
    pub failed: usize,
}

pub fn run(args: ProduceArgs) -> anyhow::Result<ExitCode> {
    let sources = jsonl::open(&args.files)?;
    let opts = Options {
        check: !args.raw,
        timeout: Duration::from_secs(args.timeout_secs.max(1)),
    };
    let report = send(&args.brokers, &args.topic, sources, &opts)?;
    eprintln!(
        "naba: {} article{} delivered to `{}`{}{}",
        report.delivered,
        if report.delivered == 1 { "" } else { "s" },
        args.topic,
        if report.rejected > 0 {
            format!(", {} line(s) rejected", report.rejected)
        } else {
            String::new()
        },
        if report.failed > 0 {
            format!(", {} not delivered", report.failed)
        } else {
            String::new()
        },
    );
    Ok(if report.rejected + report.failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

pub struct Options {
    /// Refuse lines that naba would dead-letter, naming the problem.
    pub check: bool,
    /// Per-message delivery timeout, also the bound on the initial connection.
    pub timeout: Duration,
}

/// Counts acknowledgements as librdkafka reports them, from its own thread.
#[derive(Default)]
struct Deliveries {
    delivered: AtomicUsize,
    failed: AtomicUsize,
    first_error: Mutex<Option<String>>,
}

impl ClientContext for Deliveries {}

impl ProducerContext for Deliveries {
    type DeliveryOpaque = ();

    fn delivery(&self, result: &DeliveryResult<'_>, _: ()) {
        match result {
            Ok(_) => {
                self.delivered.fetch_add(1, Ordering::Relaxed);
            }
            Err((e, msg)) => {
                self.failed.fetch_add(1, Ordering::Relaxed);
                let key = msg
                    .key()
                    .map(|k| String::from_utf8_lossy(k).into_owned())
                    .unwrap_or_else(|| "(no id)".into());
                if let Ok(mut first) = self.first_error.lock() {
                    first.get_or_insert_with(|| format!("article {key}: {e}"));
                }
            }
        }
    }
}

/// Sends every non-blank line of `sources` to `topic` and waits for the brokers
/// to acknowledge them all (or for the timeout).
pub fn send(
    brokers: &str,
    topic: &str,
    sources: Vec<jsonl::Source>,
    opts: &Options,
) -> anyhow::Result<Report> {
    if topic.trim().is_empty() {
        bail!("the topic name is empty");
    }
    let timeout_ms = opts.timeout.as_millis().to_string();
    let producer: BaseProducer<Deliveries> = ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set("message.timeout.ms", &timeout_ms)
        // Articles can be large; the broker still has the last word on size.
        .set("message.max.bytes", "8388608")
        .set("enable.idempotence", "true")
        .create_with_context(Deliveries::default())
        .with_context(|| format!("creating a Kafka producer for {brokers}"))?;
    // Fail early and clearly when nothing answers, rather than after every
    // message has timed out one by one.
    let metadata = producer
        .client()
        .fetch_metadata(Some(topic), opts.timeout)
        .with_context(|| format!("cannot reach Kafka at {brokers} (topic `{topic}`)"))?;
    // A missing topic on a broker that does not create topics would otherwise
    // surface only after every message has timed out.
    let missing = metadata.topics().iter().any(|t| {
        t.name() == topic
            && t.error().map(RDKafkaErrorCode::from)
                == Some(RDKafkaErrorCode::UnknownTopicOrPartition)
    });
    if missing {
        bail!("topic `{topic}` does not exist on {brokers} (create it first; this broker does not create topics on demand)");
    }

    let decode_opts = DecodeOptions::default();
    let mut report = Report::default();
    let mut sent = 0usize;
    jsonl::for_each_line(sources, |origin, number, line| {
        if opts.check {
            let fallback = || format!("{origin}:{number}");
            if let Err(e) = decode_article(&line, &fallback, &decode_opts) {
                eprintln!("naba: {origin}:{number}: {e}; not sent");
                report.rejected += 1;
                return Ok(());
            }
        }
        let key = article_key(&line);
        let mut record = BaseRecord::to(topic).payload(line.as_slice());
        if let Some(k) = key.as_deref() {
            record = record.key(k);
        }
        enqueue(&producer, record, opts.timeout)
            .with_context(|| format!("sending {origin}:{number}"))?;
        sent += 1;
        Ok(())
    })?;
    // flush() returns early with an error on timeout; the counters still tell
    // exactly which messages were acknowledged.
    let deadline = Instant::now() + opts.timeout + Duration::from_secs(1);
    let ctx = producer.context();
    while ctx.delivered.load(Ordering::Relaxed) + ctx.failed.load(Ordering::Relaxed) < sent
        && Instant::now() < deadline
    {
        let _ = producer.flush(Duration::from_millis(200));
    }
    report.delivered = ctx.delivered.load(Ordering::Relaxed);
    report.failed = sent.saturating_sub(report.delivered);
    if report.failed > 0 {
        let first = ctx
            .first_error
            .lock()
            .ok()
            .and_then(|f| f.clone())
            .unwrap_or_else(|| "no acknowledgement before the timeout".into());
        eprintln!(
            "naba: {} of {sent} articles were not delivered; first error: {first}",
            report.failed
        );
    }
    Ok(report)
}

/// Queues one record, waiting for room when librdkafka's local queue is full.
fn enqueue<'a>(
    producer: &BaseProducer<Deliveries>,
    mut record: BaseRecord<'a, [u8], [u8], ()>,
    timeout: Duration,
) -> anyhow::Result<()> {
    let deadline = Instant::now() + timeout;
    loop {
        match producer.send(record) {
            Ok(()) => {
                producer.poll(Duration::ZERO);
                return Ok(());
            }
            Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), back))
                if Instant::now() < deadline =>
            {
                record = back;
                producer.poll(Duration::from_millis(50));
            }
            Err((e, _)) => return Err(e.into()),
        }
    }
}

/// The message key: the article's own `id` (string or number), so that updates
/// of one article land on one partition, in order. No key when there is no id.
pub fn article_key(line: &[u8]) -> Option<Vec<u8>> {
    let value: Value = serde_json::from_slice(line).ok()?;
    match value.get("id")? {
        Value::String(s) if !s.is_empty() => Some(s.clone().into_bytes()),
        Value::Number(n) => Some(n.to_string().into_bytes()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rdkafka::consumer::{BaseConsumer, Consumer};
    use rdkafka::mocking::MockCluster;

    #[test]
    fn key_is_the_string_or_numeric_id() {
        assert_eq!(
            article_key(br#"{"id":"a-1","text":"x"}"#),
            Some(b"a-1".to_vec())
        );
        assert_eq!(
            article_key(br#"{"id":42,"text":"x"}"#),
            Some(b"42".to_vec())
        );
    }

    #[test]
    fn no_key_without_a_usable_id() {
        assert_eq!(article_key(br#"{"text":"x"}"#), None);
        assert_eq!(article_key(br#"{"id":"","text":"x"}"#), None);
        assert_eq!(article_key(br#"{"id":[1],"text":"x"}"#), None);
        assert_eq!(article_key(b"not json"), None);
    }

    fn source(s: &str) -> Vec<jsonl::Source> {
        vec![("test".into(), Box::new(std::io::Cursor::new(s.to_owned())))]
    }

    #[test]
    fn articles_arrive_keyed_and_bad_lines_are_counted_not_sent() {
        let cluster = MockCluster::new(1).unwrap();
        cluster.create_topic("in", 1, 1).unwrap();
        let brokers = cluster.bootstrap_servers();
        let input = "{\"id\":\"one\",\"text\":\"First.\"}\n\n{\"text\":\"No id.\"}\r\n{\"title\":\"no text\"}\nnot json\n";
        let opts = Options {
            check: true,
            timeout: Duration::from_secs(10),
        };
        let report = send(&brokers, "in", source(input), &opts).unwrap();
        assert_eq!(
            report,
            Report {
                delivered: 2,
                rejected: 2,
                failed: 0
            }
        );

        let consumer: BaseConsumer = ClientConfig::new()
            .set("bootstrap.servers", &brokers)
            .set("group.id", "produce-test")
            .set("auto.offset.reset", "earliest")
            .create()
            .unwrap();
        consumer.subscribe(&["in"]).unwrap();
        let mut got = Vec::new();
        let deadline = Instant::now() + Duration::from_secs(20);
        while got.len() < 2 && Instant::now() < deadline {
            if let Some(Ok(m)) = consumer.poll(Duration::from_millis(200)) {
                got.push((
                    m.key().map(|k| k.to_vec()),
                    m.payload().map(|p| p.to_vec()).unwrap_or_default(),
                ));
            }
        }
        assert_eq!(
            got,
            vec![
                (
                    Some(b"one".to_vec()),
                    br#"{"id":"one","text":"First."}"#.to_vec()
                ),
                (None, br#"{"text":"No id."}"#.to_vec()),
            ]
        );
    }

    #[test]
    fn raw_mode_sends_what_naba_would_dead_letter() {
        let cluster = MockCluster::new(1).unwrap();
        cluster.create_topic("in", 1, 1).unwrap();
        let opts = Options {
            check: false,
            timeout: Duration::from_secs(10),
        };
        let report = send(
            &cluster.bootstrap_servers(),
            "in",
            source("not json\n"),
            &opts,
        )
        .unwrap();
        assert_eq!(report.delivered, 1);
        assert_eq!(report.rejected, 0);
    }

    #[test]
    fn missing_topic_is_a_clear_error_not_a_timeout() {
        let cluster = MockCluster::new(1).unwrap();
        cluster
            .topic_error(
                "absent",
                rdkafka::types::RDKafkaRespErr::RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART,
            )
            .unwrap();
        let opts = Options {
            check: true,
            timeout: Duration::from_secs(10),
        };
        let started = Instant::now();
        let err = send(
            &cluster.bootstrap_servers(),
            "absent",
            source("{\"text\":\"x\"}\n"),
            &opts,
        )
        .unwrap_err();
        assert!(
            format!("{err:#}").contains("topic `absent` does not exist"),
            "{err:#}"
        );
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn unreachable_broker_is_a_clear_error() {
        // Port 9 (discard) on loopback: nothing listens there in a test environment.
        let opts = Options {
            check: true,
            timeout: Duration::from_secs(2),
        };
        let err = send("127.0.0.1:9", "in", source("{\"text\":\"x\"}\n"), &opts).unwrap_err();
        assert!(
            format!("{err:#}").contains("cannot reach Kafka at 127.0.0.1:9"),
            "{err:#}"
        );
    }
}
