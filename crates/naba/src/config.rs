//! The service's configuration: one struct tree, read from TOML (`--config`),
//! overridden by `NABA_<SECTION>_<KEY>` environment variables, overridden by
//! flags. Defaults live in the `Default` impls below and nowhere else.
//!
//! Unknown keys are errors (a typo must not silently fall back to a default),
//! and every error names the key it is about.

use anyhow::{bail, Context};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub kafka: KafkaConfig,
    pub pipeline: PipelineSection,
    pub dead_letter: DeadLetterConfig,
    pub telemetry: TelemetryConfig,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct KafkaConfig {
    /// Bootstrap servers, `host:port[,host:port...]`.
    pub brokers: String,
    /// Topic the articles are read from.
    pub input_topic: String,
    /// Topic the enriched records (`naba.enriched.v1`) are written to.
    pub output_topic: String,
    /// Topic that receives messages naba cannot process, with the reason in headers.
    pub dlq_topic: String,
    /// Consumer group; instances sharing it split the input partitions.
    pub group: String,
    /// Exactly-once only: the producer's `transactional.id`. Must be stable
    /// across restarts of one instance (so a restart fences its predecessor
    /// and aborts its open transaction at once) and distinct between
    /// instances (two live instances sharing one fence each other over and
    /// over). Empty means `naba-<group>-<host name>`, which gives both on a
    /// Kubernetes StatefulSet or a fixed host; where host names change on
    /// restart, a crashed instance's open transaction is aborted by the broker
    /// after `transaction.timeout.ms` instead.
    pub transactional_id: String,
    /// librdkafka consumer properties passed through as they are (SASL, TLS, tuning).
    pub consumer: BTreeMap<String, String>,
    /// librdkafka producer properties passed through as they are.
    pub producer: BTreeMap<String, String>,
}

impl Default for KafkaConfig {
    fn default() -> Self {
        KafkaConfig {
            brokers: "localhost:9092".into(),
            input_topic: "articles".into(),
            output_topic: "articles.enriched".into(),
            dlq_topic: "articles.dlq".into(),
            group: "naba".into(),
            transactional_id: String::new(),
            consumer: BTreeMap::new(),
            producer: BTreeMap::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    /// Commit offsets after outputs are confirmed (duplicates possible after a crash).
    AtLeastOnce,
    /// Kafka transactions: read_committed readers see each article once.
    ExactlyOnce,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PipelineSection {
    /// Delivery guarantee: `at-least-once` or `exactly-once`.
    pub mode: Mode,
    /// Extraction threads; 0 means one per core.
    pub workers: usize,
    /// Articles read but not yet committable before fetching pauses.
    pub max_in_flight: usize,
    /// Larger messages are dead-lettered as `too_large` without being parsed.
    pub max_article_bytes: usize,
    /// Auto-commit interval (at-least-once) or transaction length (exactly-once).
    pub commit_interval_ms: u64,
    /// Time allowed on SIGTERM (and per revoked partition) to drain and commit.
    pub shutdown_timeout_secs: u64,
    /// After a failure of the Kafka clients (a fatal idempotent-producer
    /// error, for example after a broker lost producer state in a restart),
    /// the pipeline starts again with new clients from the committed offsets,
    /// at most this many times in a row (a run of five minutes resets the
    /// count); then the service exits non-zero. 0 exits on the first failure.
    pub max_restarts: u32,
    /// `--passthrough` only (benchmarks): never read from the file or environment.
    #[serde(skip)]
    pub passthrough: bool,
}

impl Default for PipelineSection {
    fn default() -> Self {
        PipelineSection {
            mode: Mode::AtLeastOnce,
            workers: 0,
            max_in_flight: 1000,
            max_article_bytes: naba_model::DecodeOptions::default().max_bytes,
            commit_interval_ms: 1000,
            shutdown_timeout_secs: 30,
            max_restarts: 5,
            passthrough: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DeadLetterConfig {
    /// How many recent messages the rate cap looks at.
    pub window: usize,
    /// The service stops when more than this share of the window was dead-lettered.
    pub max_ratio: f64,
}

impl Default for DeadLetterConfig {
    fn default() -> Self {
        DeadLetterConfig {
            window: 1000,
            max_ratio: 0.5,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Json,
    Pretty,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TelemetryConfig {
    /// Where `/metrics`, `/healthz` and `/readyz` are served; empty disables it.
    pub metrics_addr: String,
    /// `json` (one object per line, for log shippers) or `pretty` (for people).
    pub log_format: LogFormat,
    /// Log filter: `error`, `warn`, `info`, `debug` or `trace`.
    pub log_level: String,
    /// librdkafka statistics interval feeding the lag/RTT/queue gauges; 0 disables.
    pub statistics_interval_ms: u64,
}

impl Default for TelemetryConfig {
    fn default() -> Self {
        TelemetryConfig {
            metrics_addr: "127.0.0.1:9898".into(),
            log_format: LogFormat::Pretty,
            log_level: "info".into(),
            statistics_interval_ms: 5000,
        }
    }
}

/// Flags of `naba run` (and `naba config --print`); each overrides the config file and env.
#[derive(Debug, Default, clap::Args)]
pub struct Flags {
    /// TOML configuration file.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[arg(long)]
    pub brokers: Option<String>,
    #[arg(long)]
    pub input_topic: Option<String>,
    #[arg(long)]
    pub output_topic: Option<String>,
    #[arg(long)]
    pub dlq_topic: Option<String>,
    #[arg(long)]
    pub group: Option<String>,
    #[arg(long, value_enum)]
    pub mode: Option<Mode>,
    /// Extraction threads (default: all cores).
    #[arg(long)]
    pub workers: Option<usize>,
    #[arg(long)]
    pub max_in_flight: Option<usize>,
    #[arg(long)]
    pub max_article_bytes: Option<usize>,
    /// Seconds allowed to drain and commit on SIGTERM/SIGINT.
    #[arg(long, value_name = "SECS")]
    pub shutdown_timeout: Option<u64>,
    #[arg(long)]
    pub metrics_addr: Option<String>,
    #[arg(long, value_enum)]
    pub log_format: Option<LogFormat>,
    /// Benchmarks only: consume, decode, re-encode, produce and commit without
    /// extracting anything (scripts/bench-pipeline.sh measures the ceiling with it).
    #[arg(long)]
    pub passthrough: bool,
}

impl Config {
    /// File, then environment, then flags; validated.
    pub fn load(flags: &Flags) -> anyhow::Result<Config> {
        Config::load_with(flags, |k| std::env::var(k).ok())
    }

    pub fn load_with(
        flags: &Flags,
        env: impl Fn(&str) -> Option<String>,
    ) -> anyhow::Result<Config> {
        let path = flags
            .config
            .clone()
            .or_else(|| env("NABA_CONFIG").map(PathBuf::from));
        let mut value = match &path {
            Some(p) => read_file(p)?,
            None => toml::Value::Table(toml::Table::new()),
        };
        apply_env(&mut value, &env)?;
        let mut cfg: Config = value
            .try_into()
            .map_err(|e: toml::de::Error| anyhow::anyhow!("invalid configuration: {e}"))?;
        cfg.apply_flags(flags);
        cfg.validate()?;
        Ok(cfg)
    }

    fn apply_flags(&mut self, f: &Flags) {
        let k = &mut self.kafka;
        let p = &mut self.pipeline;
        let set = |dst: &mut String, src: &Option<String>| {
            if let Some(v) = src {
                dst.clone_from(v);
            }
        };
        set(&mut k.brokers, &f.brokers);
        set(&mut k.input_topic, &f.input_topic);
        set(&mut k.output_topic, &f.output_topic);
        set(&mut k.dlq_topic, &f.dlq_topic);
        set(&mut k.group, &f.group);
        set(&mut self.telemetry.metrics_addr, &f.metrics_addr);
        p.mode = f.mode.unwrap_or(p.mode);
        p.workers = f.workers.unwrap_or(p.workers);
        p.max_in_flight = f.max_in_flight.unwrap_or(p.max_in_flight);
        p.max_article_bytes = f.max_article_bytes.unwrap_or(p.max_article_bytes);
        p.shutdown_timeout_secs = f.shutdown_timeout.unwrap_or(p.shutdown_timeout_secs);
        self.telemetry.log_format = f.log_format.unwrap_or(self.telemetry.log_format);
        p.passthrough |= f.passthrough;
    }

    fn validate(&self) -> anyhow::Result<()> {
        let k = &self.kafka;
        for (key, v) in [
            ("kafka.brokers", &k.brokers),
            ("kafka.input_topic", &k.input_topic),
            ("kafka.output_topic", &k.output_topic),
            ("kafka.dlq_topic", &k.dlq_topic),
            ("kafka.group", &k.group),
        ] {
            if v.trim().is_empty() {
                bail!("invalid configuration: `{key}` must not be empty");
            }
        }
        if k.input_topic == k.output_topic || k.input_topic == k.dlq_topic {
            bail!("invalid configuration: `kafka.input_topic` must differ from the output and dead-letter topics");
        }
        let p = &self.pipeline;
        if p.max_in_flight == 0 {
            bail!("invalid configuration: `pipeline.max_in_flight` must be at least 1");
        }
        if p.max_article_bytes == 0 {
            bail!("invalid configuration: `pipeline.max_article_bytes` must be at least 1");
        }
        if p.commit_interval_ms == 0 {
            bail!("invalid configuration: `pipeline.commit_interval_ms` must be at least 1");
        }
        let d = &self.dead_letter;
        if d.window == 0 {
            bail!("invalid configuration: `dead_letter.window` must be at least 1");
        }
        if !(d.max_ratio > 0.0 && d.max_ratio <= 1.0) {
            bail!("invalid configuration: `dead_letter.max_ratio` must be in (0, 1]");
        }
        let t = &self.telemetry;
        if !t.metrics_addr.is_empty() && t.metrics_addr.parse::<std::net::SocketAddr>().is_err() {
            bail!(
                "invalid configuration: `telemetry.metrics_addr` is not an address: {:?}",
                t.metrics_addr
            );
        }
        if !["error", "warn", "info", "debug", "trace"].contains(&t.log_level.as_str()) {
            bail!("invalid configuration: `telemetry.log_level` must be error, warn, info, debug or trace");
        }
        Ok(())
    }

    pub fn workers(&self) -> usize {
        match self.pipeline.workers {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        }
    }

    pub fn pipeline(&self) -> naba_consumer::PipelineConfig {
        let k = &self.kafka;
        let p = &self.pipeline;
        naba_consumer::PipelineConfig {
            brokers: k.brokers.clone(),
            input_topic: k.input_topic.clone(),
            output_topic: k.output_topic.clone(),
            dlq_topic: k.dlq_topic.clone(),
            group: k.group.clone(),
            mode: match p.mode {
                Mode::AtLeastOnce => naba_consumer::Mode::AtLeastOnce,
                Mode::ExactlyOnce => naba_consumer::Mode::ExactlyOnce,
            },
            workers: self.workers(),
            max_in_flight: p.max_in_flight,
            max_article_bytes: p.max_article_bytes,
            shutdown_timeout: Duration::from_secs(p.shutdown_timeout_secs),
            commit_interval: Duration::from_millis(p.commit_interval_ms),
            dead_letter_window: self.dead_letter.window,
            dead_letter_max_ratio: self.dead_letter.max_ratio,
            transactional_id: if k.transactional_id.is_empty() {
                default_transactional_id(&k.group, &host_name())
            } else {
                k.transactional_id.clone()
            },
            statistics_interval: Duration::from_millis(self.telemetry.statistics_interval_ms),
            consumer_properties: k.consumer.clone(),
            producer_properties: k.producer.clone(),
            passthrough: p.passthrough,
        }
    }

    /// The effective configuration as TOML, secrets masked.
    pub fn to_masked_toml(&self) -> anyhow::Result<String> {
        let mut v = toml::Value::try_from(self).context("encoding the configuration")?;
        mask(&mut v);
        toml::to_string_pretty(&v).context("encoding the configuration")
    }
}

fn read_file(path: &Path) -> anyhow::Result<toml::Value> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading the configuration file {}", path.display()))?;
    let table: toml::Table = toml::from_str(&text)
        .map_err(|e| anyhow::anyhow!("invalid configuration in {}: {e}", path.display()))?;
    Ok(toml::Value::Table(table))
}

/// Overrides `section.key` with `NABA_SECTION_KEY` for every key the struct
/// tree has, parsing the variable as the type of the default it replaces.
fn apply_env(value: &mut toml::Value, env: &impl Fn(&str) -> Option<String>) -> anyhow::Result<()> {
    let defaults = toml::Value::try_from(Config::default()).context("encoding defaults")?;
    let (Some(defaults), Some(table)) = (defaults.as_table(), value.as_table_mut()) else {
        return Ok(());
    };
    for (section, fields) in defaults {
        let Some(fields) = fields.as_table() else {
            continue;
        };
        for (key, default) in fields {
            let var = format!("NABA_{}_{}", section, key).to_uppercase();
            let Some(raw) = env(&var) else { continue };
            let parsed = match default {
                toml::Value::String(_) => toml::Value::String(raw.clone()),
                toml::Value::Integer(_) => raw
                    .trim()
                    .parse::<i64>()
                    .map(toml::Value::Integer)
                    .with_context(|| format!("invalid configuration: {var} (`{section}.{key}`) must be an integer, got {raw:?}"))?,
                toml::Value::Float(_) => raw
                    .trim()
                    .parse::<f64>()
                    .map(toml::Value::Float)
                    .with_context(|| format!("invalid configuration: {var} (`{section}.{key}`) must be a number, got {raw:?}"))?,
                toml::Value::Boolean(_) => raw
                    .trim()
                    .parse::<bool>()
                    .map(toml::Value::Boolean)
                    .with_context(|| format!("invalid configuration: {var} (`{section}.{key}`) must be true or false, got {raw:?}"))?,
                // Tables (librdkafka pass-through) are set in the file only.
                _ => continue,
            };
            let entry = table
                .entry(section.clone())
                .or_insert_with(|| toml::Value::Table(toml::Table::new()));
            if let Some(t) = entry.as_table_mut() {
                t.insert(key.clone(), parsed);
            }
        }
    }
    Ok(())
}

fn is_secret(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    // `ssl.key.pem` is an inline private key; `sasl.oauthbearer.config`
    // carries client secrets as `clientSecret=...`.
    [
        "password",
        "secret",
        "token",
        "sasl.jaas",
        "key.pem",
        "oauthbearer.config",
    ]
    .iter()
    .any(|s| k.contains(s))
}

fn mask(v: &mut toml::Value) {
    if let Some(t) = v.as_table_mut() {
        for (k, v) in t.iter_mut() {
            if is_secret(k) && !v.is_table() {
                *v = toml::Value::String("****".into());
            } else {
                mask(v);
            }
        }
    }
}

/// `naba-<group>-<host>`: one id per instance, the same after a restart on
/// the same host (see [`KafkaConfig::transactional_id`]).
fn default_transactional_id(group: &str, host: &str) -> String {
    let host = host.trim();
    if host.is_empty() {
        format!("naba-{group}")
    } else {
        format!("naba-{group}-{host}")
    }
}

/// The pod or machine name: `HOSTNAME` (set in containers and pods), else the
/// kernel's, else empty.
fn host_name() -> String {
    std::env::var("HOSTNAME")
        .ok()
        .filter(|h| !h.trim().is_empty())
        .or_else(|| std::fs::read_to_string("/proc/sys/kernel/hostname").ok())
        .unwrap_or_default()
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn load(file: Option<&str>, env: &[(&str, &str)], flags: Flags) -> anyhow::Result<Config> {
        let dir = std::env::temp_dir().join(format!("naba-config-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut flags = flags;
        if let Some(text) = file {
            let path = dir.join(format!("{:x}.toml", text.len() * 31 + env.len()));
            std::fs::write(&path, text).unwrap();
            flags.config = Some(path);
        }
        let env: HashMap<String, String> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::load_with(&flags, |k| env.get(k).cloned())
    }

    #[test]
    fn default_transactional_id_is_distinct_per_host_and_stable_on_one() {
        let a = default_transactional_id("news", "naba-0");
        assert_eq!(a, "naba-news-naba-0");
        assert_eq!(a, default_transactional_id("news", "naba-0\n"));
        assert_ne!(a, default_transactional_id("news", "naba-1"));
        assert_ne!(a, default_transactional_id("sports", "naba-0"));
        assert_eq!(default_transactional_id("news", " "), "naba-news");
    }

    #[test]
    fn explicit_transactional_id_is_used_as_given() {
        let c = load(
            None,
            &[("NABA_KAFKA_TRANSACTIONAL_ID", "naba-fixed")],
            Flags::default(),
        )
        .unwrap();
        assert_eq!(c.pipeline().transactional_id, "naba-fixed");
        let d = load(None, &[], Flags::default()).unwrap();
        assert!(d.pipeline().transactional_id.starts_with("naba-naba"));
    }

    #[test]
    fn flags_beat_environment_which_beats_the_file() {
        let file =
            "[kafka]\nbrokers = \"file:1\"\ngroup = \"from-file\"\ninput_topic = \"in-file\"\n";
        let cfg = load(
            Some(file),
            &[
                ("NABA_KAFKA_BROKERS", "env:2"),
                ("NABA_KAFKA_GROUP", "from-env"),
            ],
            Flags {
                brokers: Some("flag:3".into()),
                ..Flags::default()
            },
        )
        .unwrap();
        assert_eq!(cfg.kafka.brokers, "flag:3");
        assert_eq!(cfg.kafka.group, "from-env");
        assert_eq!(cfg.kafka.input_topic, "in-file");
        assert_eq!(cfg.kafka.output_topic, "articles.enriched");
    }

    #[test]
    fn an_unknown_key_fails_naming_it() {
        let e = load(
            Some("[pipeline]\nmax_inflight = 3\n"),
            &[],
            Flags::default(),
        )
        .unwrap_err();
        assert!(format!("{e:#}").contains("max_inflight"), "{e:#}");
    }

    #[test]
    fn a_malformed_environment_variable_fails_naming_it() {
        let e = load(None, &[("NABA_PIPELINE_WORKERS", "many")], Flags::default()).unwrap_err();
        let msg = format!("{e:#}");
        assert!(
            msg.contains("NABA_PIPELINE_WORKERS") && msg.contains("pipeline.workers"),
            "{msg}"
        );
    }

    #[test]
    fn an_out_of_range_value_fails_naming_the_key() {
        let e = load(
            None,
            &[("NABA_DEAD_LETTER_MAX_RATIO", "1.5")],
            Flags::default(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("dead_letter.max_ratio"), "{e}");
    }

    #[test]
    fn printed_config_masks_secrets_and_keeps_the_rest() {
        let file = "[kafka.producer]\n\"sasl.password\" = \"hunter2\"\n\"sasl.jaas.config\" = \"x\"\n\"linger.ms\" = \"5\"\n";
        let cfg = load(Some(file), &[], Flags::default()).unwrap();
        let out = cfg.to_masked_toml().unwrap();
        assert!(!out.contains("hunter2"), "{out}");
        assert!(out.contains("\"sasl.password\" = \"****\""), "{out}");
        assert!(out.contains("\"linger.ms\" = \"5\""), "{out}");
        let back: Config = toml::from_str(&out).unwrap();
        assert_eq!(back.pipeline, PipelineSection::default());
    }
}
