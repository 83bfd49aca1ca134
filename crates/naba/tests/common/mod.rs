//! Helpers for the Kafka integration tests: a broker from `KAFKA_BROKERS`,
//! fresh topics, producing, reading back, and the real `naba` binary.
#![allow(dead_code)]

use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::config::ClientConfig;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::{Header, Headers, Message, OwnedHeaders};
use rdkafka::producer::{BaseRecord, DefaultProducerContext, Producer, ThreadedProducer};
use std::collections::HashMap;
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// The broker to test against, or `None` (test skipped) when there is none
/// outside CI. In CI a missing broker is a failure, never a silent skip.
pub fn brokers() -> Option<String> {
    match std::env::var("KAFKA_BROKERS") {
        Ok(b) if !b.is_empty() => Some(b),
        _ if std::env::var_os("CI").is_some() => {
            panic!("KAFKA_BROKERS must be set in CI (scripts/test.sh starts a broker)")
        }
        _ => {
            println!("skipped: KAFKA_BROKERS not set");
            None
        }
    }
}

/// A name no other test run uses.
pub fn unique(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{prefix}-{}-{nanos}", std::process::id())
}

pub struct Topics {
    pub input: String,
    pub output: String,
    pub dlq: String,
    pub group: String,
}

impl Topics {
    pub fn new(test: &str) -> Topics {
        Topics {
            input: unique(&format!("{test}-in")),
            output: unique(&format!("{test}-out")),
            dlq: unique(&format!("{test}-dlq")),
            group: unique(&format!("{test}-group")),
        }
    }

    pub fn create(&self, brokers: &str, input_partitions: i32) {
        create_topics(
            brokers,
            &[
                (&self.input, input_partitions),
                (&self.output, 2),
                (&self.dlq, 1),
            ],
        );
    }

    /// `naba run` arguments for these topics.
    pub fn args<'a>(&'a self, brokers: &'a str) -> Vec<String> {
        [
            "run",
            "--brokers",
            brokers,
            "--input-topic",
            &self.input,
            "--output-topic",
            &self.output,
            "--dlq-topic",
            &self.dlq,
            "--group",
            &self.group,
            "--metrics-addr",
            "127.0.0.1:0",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }
}

pub fn create_topics(brokers: &str, topics: &[(&str, i32)]) {
    let admin: AdminClient<DefaultClientContext> = ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .create()
        .unwrap();
    let new: Vec<NewTopic<'_>> = topics
        .iter()
        .map(|(name, n)| NewTopic::new(name, *n, TopicReplication::Fixed(1)))
        .collect();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let results = rt
        .block_on(admin.create_topics(&new, &AdminOptions::new()))
        .unwrap();
    for r in results {
        r.unwrap();
    }
}

pub struct Msg {
    pub partition: i32,
    pub key: Option<Vec<u8>>,
    pub value: Vec<u8>,
    pub headers: Vec<(String, Vec<u8>)>,
}

pub fn produce(brokers: &str, topic: &str, msgs: &[Msg]) {
    produce_with(brokers, topic, msgs, &[]);
}

/// `produce` with extra producer properties (say, a larger `message.max.bytes`).
pub fn produce_with(brokers: &str, topic: &str, msgs: &[Msg], props: &[(&str, &str)]) {
    let mut config = ClientConfig::new();
    config
        .set("bootstrap.servers", brokers)
        .set("linger.ms", "5")
        .set("queue.buffering.max.messages", "1000000");
    for (k, v) in props {
        config.set(*k, *v);
    }
    let producer: ThreadedProducer<DefaultProducerContext> = config.create().unwrap();
    for m in msgs {
        let mut headers = OwnedHeaders::new();
        for (k, v) in &m.headers {
            headers = headers.insert(Header {
                key: k,
                value: Some(v),
            });
        }
        let mut rec: BaseRecord<'_, [u8], [u8]> = BaseRecord::to(topic)
            .partition(m.partition)
            .payload(&m.value[..])
            .headers(headers);
        if let Some(k) = &m.key {
            rec = rec.key(&k[..]);
        }
        producer.send(rec).map_err(|(e, _)| e).unwrap();
    }
    producer.flush(Duration::from_secs(60)).unwrap();
}

#[derive(Debug, Clone)]
pub struct Record {
    pub partition: i32,
    pub offset: i64,
    pub key: Option<Vec<u8>>,
    pub value: Option<Vec<u8>>,
    pub headers: HashMap<String, Vec<u8>>,
}

impl Record {
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|v| String::from_utf8_lossy(v).into_owned())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(self.value.as_deref().unwrap()).unwrap()
    }
}

/// Reads `topic` from the beginning until `want` records arrived (then
/// `settle` longer, so duplicates would show) or `timeout` passed.
pub fn read_topic(
    brokers: &str,
    topic: &str,
    want: usize,
    timeout: Duration,
    settle: Duration,
    read_committed: bool,
) -> Vec<Record> {
    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set("group.id", unique("reader"))
        .set("enable.auto.commit", "false")
        .set("auto.offset.reset", "earliest")
        .set("session.timeout.ms", "6000")
        .set(
            "isolation.level",
            if read_committed {
                "read_committed"
            } else {
                "read_uncommitted"
            },
        )
        .create()
        .unwrap();
    consumer.subscribe(&[topic]).unwrap();
    let mut out = Vec::new();
    let deadline = Instant::now() + timeout;
    let mut settle_until: Option<Instant> = None;
    loop {
        let now = Instant::now();
        if now >= deadline || settle_until.is_some_and(|s| now >= s) {
            break;
        }
        if out.len() >= want && settle_until.is_none() {
            settle_until = Some(now + settle);
        }
        if let Some(Ok(m)) = consumer.poll(Duration::from_millis(100)) {
            let headers = m
                .headers()
                .map(|h| {
                    h.iter()
                        .map(|h| (h.key.to_string(), h.value.unwrap_or_default().to_vec()))
                        .collect()
                })
                .unwrap_or_default();
            out.push(Record {
                partition: m.partition(),
                offset: m.offset(),
                key: m.key().map(<[u8]>::to_vec),
                value: m.payload().map(<[u8]>::to_vec),
                headers,
            });
        }
    }
    drop(consumer);
    out
}

/// The real binary, killed (SIGKILL) when dropped so a failing test leaves nothing behind.
pub struct Naba {
    pub child: Child,
    pub log: PathBuf,
}

impl Naba {
    pub fn spawn(args: &[String], env: &[(&str, &str)]) -> Naba {
        let log = std::env::temp_dir().join(format!("{}.log", unique("naba-test")));
        let file = std::fs::File::create(&log).unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_naba"));
        cmd.args(args)
            .env("NABA_TELEMETRY_STATISTICS_INTERVAL_MS", "1000")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(file);
        for (k, v) in env {
            cmd.env(k, v);
        }
        Naba {
            child: cmd.spawn().unwrap(),
            log,
        }
    }

    pub fn signal(&self, sig: &str) {
        let ok = Command::new("kill")
            .args([&format!("-{sig}"), &self.child.id().to_string()])
            .status()
            .unwrap()
            .success();
        assert!(ok, "kill -{sig} failed");
    }

    /// Waits for the exit, up to `timeout`; `None` if it is still running.
    pub fn wait(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                return Some(s);
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// SIGTERM, then the exit status if it came within `timeout`.
    pub fn terminate(&mut self, timeout: Duration) -> Option<ExitStatus> {
        self.signal("TERM");
        self.wait(timeout)
    }

    /// SIGTERM must drain and exit 0 within `timeout`: the promise of a
    /// graceful shutdown. A failure shows the instance's log.
    pub fn stop_cleanly(&mut self, timeout: Duration) {
        let status = self.terminate(timeout);
        assert!(
            status.is_some_and(|s| s.success()),
            "no exit 0 within {timeout:?} of SIGTERM ({status:?}); log:\n{}",
            self.log()
        );
    }

    /// Waits (up to a minute) until `topic` holds `n` records, so that what
    /// the test does next happens mid-stream.
    pub fn await_output(&self, brokers: &str, topic: &str, n: usize, read_committed: bool) {
        let early = read_topic(
            brokers,
            topic,
            n,
            Duration::from_secs(60),
            Duration::ZERO,
            read_committed,
        );
        assert!(early.len() >= n, "no progress; log:\n{}", self.log());
    }
}

/// Within each output partition, the records of one input partition carry
/// increasing source offsets: the order they were consumed in, which naba
/// promises to keep.
pub fn assert_source_order(records: &[Record]) {
    let mut last: HashMap<(i32, i32), i64> = HashMap::new();
    for r in records {
        let p: i32 = r.header("naba-source-partition").unwrap().parse().unwrap();
        let off: i64 = r.header("naba-source-offset").unwrap().parse().unwrap();
        if let Some(prev) = last.insert((r.partition, p), off) {
            assert!(
                prev < off,
                "input partition {p}: offset {off} published after {prev}"
            );
        }
    }
}

/// How often each article id was published.
pub fn id_counts(records: &[Record]) -> HashMap<String, usize> {
    let mut seen = HashMap::new();
    for r in records {
        let id = r.json()["id"].as_str().unwrap().to_string();
        *seen.entry(id).or_default() += 1;
    }
    seen
}

/// The ids of `0..n` that never came out, at most ten of them.
pub fn missing(prefix: &str, n: usize, seen: &HashMap<String, usize>) -> Vec<String> {
    (0..n)
        .map(|i| format!("{prefix}{i}"))
        .filter(|id| !seen.contains_key(id))
        .take(10)
        .collect()
}

impl Drop for Naba {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `n` keyed articles `{prefix}0`, `{prefix}1`, ... spread round-robin over `partitions`.
pub fn keyed_articles(prefix: &str, n: usize, partitions: usize) -> Vec<Msg> {
    (0..n)
        .map(|i| {
            let id = format!("{prefix}{i}");
            Msg {
                partition: (i % partitions) as i32,
                key: Some(id.clone().into_bytes()),
                value: article_json(&id, i).into_bytes(),
                headers: vec![],
            }
        })
        .collect()
}

/// A short English article of our own; `n` varies the names and numbers.
pub fn article_json(id: &str, n: usize) -> String {
    const PEOPLE: &[&str] = &["Maria Lopez", "John Carter", "Amina Haddad", "Peter Novak"];
    const PLACES: &[&str] = &["Geneva", "Cairo", "Lisbon", "Nairobi"];
    let person = PEOPLE[n % PEOPLE.len()];
    let place = PLACES[(n / 4) % PLACES.len()];
    let text = format!(
        "{person} said on Monday in {place} that talks on item {n} would resume next week. \
         \"We are hopeful,\" {person} told reporters."
    );
    serde_json::json!({ "id": id, "title": format!("Talks in {place}"), "text": text, "language": "en" })
        .to_string()
}
