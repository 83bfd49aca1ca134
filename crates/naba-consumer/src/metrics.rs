//! The pipeline's Prometheus metrics (names fixed by the project's metric scheme).
//!
//! They live here, next to the code that updates them, and are registered into
//! a registry the binary owns and serves.

use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};

use prometheus::{
    GaugeVec, Histogram, HistogramOpts, IntCounter, IntCounterVec, IntGauge, IntGaugeVec, Opts,
    Registry,
};

pub struct Metrics {
    pub consumed: IntCounterVec,
    pub published: IntCounterVec,
    pub dead_lettered: IntCounterVec,
    pub extraction_seconds: Histogram,
    pub end_to_end_seconds: Histogram,
    pub in_flight: IntGauge,
    pub consumer_lag: IntGaugeVec,
    pub offset_commits: IntCounter,
    pub offset_commit_failures: IntCounter,
    /// The pipeline rebuilt its Kafka clients after they failed.
    pub pipeline_restarts: IntCounter,
    pub entities: IntCounterVec,
    pub statements: IntCounterVec,
    pub broker_rtt_seconds: GaugeVec,
    pub producer_queue: IntGauge,
    pub assigned_partitions: IntGauge,
    pub ready: IntGauge,
    pub build_info: GaugeVec,
    /// Inputs of `naba_ready`, kept apart so either can change it.
    producer_up: AtomicBool,
    partitions: AtomicI64,
}

impl Metrics {
    pub fn new(registry: &Registry) -> prometheus::Result<Self> {
        let m = Metrics {
            consumed: IntCounterVec::new(
                Opts::new("naba_articles_consumed_total", "Input messages read."),
                &["topic"],
            )?,
            published: IntCounterVec::new(
                Opts::new(
                    "naba_articles_published_total",
                    "Enriched records confirmed delivered.",
                ),
                &["topic"],
            )?,
            dead_lettered: IntCounterVec::new(
                Opts::new(
                    "naba_articles_dead_lettered_total",
                    "Input messages confirmed written to the dead-letter topic, by reason.",
                ),
                &["reason"],
            )?,
            extraction_seconds: Histogram::with_opts(
                HistogramOpts::new(
                    "naba_extraction_duration_seconds",
                    "Decoding and extraction time of one article.",
                )
                .buckets(vec![
                    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
                ]),
            )?,
            end_to_end_seconds: Histogram::with_opts(
                HistogramOpts::new(
                    "naba_end_to_end_latency_seconds",
                    "From the input message's timestamp to its output's confirmed delivery.",
                )
                .buckets(vec![
                    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0,
                ]),
            )?,
            in_flight: IntGauge::new(
                "naba_in_flight_articles",
                "Articles read but whose offset is not yet committable.",
            )?,
            consumer_lag: IntGaugeVec::new(
                Opts::new(
                    "naba_consumer_lag",
                    "High watermark minus position, per input partition.",
                ),
                &["topic", "partition"],
            )?,
            offset_commits: IntCounter::new(
                "naba_offset_commits_total",
                "Successful offset commits.",
            )?,
            offset_commit_failures: IntCounter::new(
                "naba_offset_commit_failures_total",
                "Failed offset commits.",
            )?,
            pipeline_restarts: IntCounter::new(
                "naba_pipeline_restarts_total",
                "Times the pipeline rebuilt its Kafka clients after a client failure",
            )?,
            entities: IntCounterVec::new(
                Opts::new(
                    "naba_entities_extracted_total",
                    "Entities extracted, by type.",
                ),
                &["type"],
            )?,
            statements: IntCounterVec::new(
                Opts::new(
                    "naba_statements_extracted_total",
                    "Statements extracted, by kind.",
                ),
                &["kind"],
            )?,
            broker_rtt_seconds: GaugeVec::new(
                Opts::new(
                    "naba_broker_rtt_seconds",
                    "Average round-trip time to each broker (librdkafka statistics).",
                ),
                &["broker"],
            )?,
            producer_queue: IntGauge::new(
                "naba_producer_queue_messages",
                "Messages in the producer's queue (librdkafka msg_cnt).",
            )?,
            assigned_partitions: IntGauge::new(
                "naba_assigned_partitions",
                "Input partitions assigned to this instance.",
            )?,
            ready: IntGauge::new(
                "naba_ready",
                "1 when partitions are assigned and the producer is connected.",
            )?,
            build_info: GaugeVec::new(
                Opts::new("naba_build_info", "Always 1; the version is the label."),
                &["version"],
            )?,
            producer_up: AtomicBool::new(false),
            partitions: AtomicI64::new(0),
        };
        registry.register(Box::new(m.consumed.clone()))?;
        registry.register(Box::new(m.published.clone()))?;
        registry.register(Box::new(m.dead_lettered.clone()))?;
        registry.register(Box::new(m.extraction_seconds.clone()))?;
        registry.register(Box::new(m.end_to_end_seconds.clone()))?;
        registry.register(Box::new(m.in_flight.clone()))?;
        registry.register(Box::new(m.consumer_lag.clone()))?;
        registry.register(Box::new(m.offset_commits.clone()))?;
        registry.register(Box::new(m.offset_commit_failures.clone()))?;
        registry.register(Box::new(m.pipeline_restarts.clone()))?;
        registry.register(Box::new(m.entities.clone()))?;
        registry.register(Box::new(m.statements.clone()))?;
        registry.register(Box::new(m.broker_rtt_seconds.clone()))?;
        registry.register(Box::new(m.producer_queue.clone()))?;
        registry.register(Box::new(m.assigned_partitions.clone()))?;
        registry.register(Box::new(m.ready.clone()))?;
        registry.register(Box::new(m.build_info.clone()))?;
        m.build_info
            .with_label_values(&[env!("CARGO_PKG_VERSION")])
            .set(1.0);
        // Labelled counters exist only once a label value is used; create the
        // closed sets at zero so that `rate()` sees the first event and dashboards
        // show 0 rather than "no data".
        for reason in naba_model::ErrorReason::ALL {
            m.dead_lettered.with_label_values(&[reason.as_str()]);
        }
        m.dead_lettered.with_label_values(&["extraction_panic"]);
        for kind in ["PER", "ORG", "LOC"] {
            m.entities.with_label_values(&[kind]);
        }
        for kind in ["direct", "indirect", "mixed"] {
            m.statements.with_label_values(&[kind]);
        }
        Ok(m)
    }

    /// Ready = partitions assigned and the producer connected to a broker.
    pub fn set_assigned(&self, partitions: i64) {
        self.partitions.store(partitions, Ordering::SeqCst);
        self.assigned_partitions.set(partitions);
        self.refresh_ready();
    }

    pub fn set_producer_up(&self, up: bool) {
        self.producer_up.store(up, Ordering::SeqCst);
        self.refresh_ready();
    }

    fn refresh_ready(&self) {
        let ready =
            self.producer_up.load(Ordering::SeqCst) && self.partitions.load(Ordering::SeqCst) > 0;
        self.ready.set(i64::from(ready));
    }

    /// Updates gauges from a librdkafka statistics report.
    pub fn observe_stats(&self, stats: &rdkafka::Statistics, producer: bool) {
        // Logical brokers (GroupCoordinator, TxnCoordinator) have no node id and
        // their "rtt" includes long-poll waits, which is not network delay.
        for b in stats.brokers.values().filter(|b| b.nodeid >= 0) {
            if let Some(rtt) = &b.rtt {
                // librdkafka reports microseconds.
                let secs = rtt.avg as f64 / 1e6;
                if rtt.cnt > 0 {
                    self.broker_rtt_seconds
                        .with_label_values(&[b.name.as_str()])
                        .set(secs);
                }
            }
        }
        if producer {
            self.producer_queue.set(stats.msg_cnt as i64);
            // Bootstrap entries have no node id; a producer is connected when
            // at least one real broker connection is up.
            let up = stats
                .brokers
                .values()
                .any(|b| b.nodeid >= 0 && b.state == "UP");
            self.set_producer_up(up);
            return;
        }
        for (topic, t) in &stats.topics {
            for (p, part) in &t.partitions {
                if *p < 0 || part.consumer_lag < 0 {
                    continue;
                }
                self.consumer_lag
                    .with_label_values(&[topic.as_str(), &p.to_string()])
                    .set(part.consumer_lag);
            }
        }
    }
}
