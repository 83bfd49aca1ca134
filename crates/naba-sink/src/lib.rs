//! Publishing enriched records and dead letters to Kafka.
//!
//! The sink never decides what is safe to commit: it reports every delivery
//! (success or failure) back to its owner through a callback carrying the
//! caller's token, because only the consumer knows which input offsets a
//! delivery makes committable. Retries of retriable errors are librdkafka's
//! (idempotent producer: `retries`, `retry.backoff.ms`, bounded by
//! `message.timeout.ms`), so a failed delivery report means the record could
//! not be written at all and the owner must stop rather than move on.

use rdkafka::config::{ClientConfig, RDKafkaLogLevel};
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::message::{Header, OwnedHeaders};
use rdkafka::producer::{
    BaseRecord, DeliveryResult, NoCustomPartitioner, Producer, ProducerContext, ThreadedProducer,
};
use rdkafka::{ClientContext, Statistics};
use std::sync::Arc;
use std::time::Duration;

/// Header names shared by records and dead letters, so consumers can trace any
/// output back to its input message.
pub const HEADER_SCHEMA: &str = "naba-schema";
pub const HEADER_SOURCE_TOPIC: &str = "naba-source-topic";
pub const HEADER_SOURCE_PARTITION: &str = "naba-source-partition";
pub const HEADER_SOURCE_OFFSET: &str = "naba-source-offset";
pub const HEADER_ERROR_REASON: &str = "naba-error-reason";
pub const HEADER_ERROR_DETAIL: &str = "naba-error-detail";
pub const HEADER_TRACEPARENT: &str = "traceparent";

#[derive(Debug, thiserror::Error)]
pub enum SinkError {
    #[error("creating the Kafka producer: {0}")]
    Create(#[source] KafkaError),
    #[error(
        "the producer's queue is full; raise queue.buffering.max.messages above max_in_flight"
    )]
    QueueFull,
    #[error("sending to {topic}: {source}")]
    Send {
        topic: String,
        #[source]
        source: KafkaError,
    },
    #[error("{what}: {source}")]
    Transaction {
        what: &'static str,
        #[source]
        source: KafkaError,
    },
}

impl SinkError {
    /// A transaction error after which the transaction must be aborted (and
    /// the input rewound) but the producer itself remains usable.
    pub fn txn_requires_abort(&self) -> bool {
        match self {
            SinkError::Transaction {
                source: KafkaError::Transaction(e),
                ..
            } => e.txn_requires_abort() && !e.is_fatal(),
            _ => false,
        }
    }
}

/// Where an input message came from; copied into the output's headers.
#[derive(Debug, Clone)]
pub struct Source<'a> {
    pub topic: &'a str,
    pub partition: i32,
    pub offset: i64,
}

type DeliveryFn<T> = dyn Fn(T, Result<(), KafkaError>) + Send + Sync;
type StatsFn = dyn Fn(&Statistics) + Send + Sync;

pub struct SinkContext<T> {
    on_delivery: Arc<DeliveryFn<T>>,
    on_stats: Option<Arc<StatsFn>>,
}

impl<T: Send + Sync + 'static> ClientContext for SinkContext<T> {
    fn stats(&self, statistics: Statistics) {
        if let Some(f) = &self.on_stats {
            f(&statistics);
        }
    }

    fn error(&self, error: KafkaError, reason: &str) {
        tracing::warn!(error = %error, reason, "producer error");
    }

    fn log(&self, level: RDKafkaLogLevel, fac: &str, message: &str) {
        log_to_tracing("producer", level, fac, message);
    }
}

/// librdkafka's own log lines, as `tracing` events (they would otherwise go
/// to the `log` crate, which nothing here listens to).
pub fn log_to_tracing(client: &str, level: RDKafkaLogLevel, fac: &str, message: &str) {
    use RDKafkaLogLevel::*;
    match level {
        Emerg | Alert | Critical | Error => {
            tracing::error!(target: "librdkafka", client, fac, "{message}")
        }
        Warning => tracing::warn!(target: "librdkafka", client, fac, "{message}"),
        Notice | Info => tracing::info!(target: "librdkafka", client, fac, "{message}"),
        Debug => tracing::debug!(target: "librdkafka", client, fac, "{message}"),
    }
}

impl<T: Send + Sync + 'static> ProducerContext<NoCustomPartitioner> for SinkContext<T> {
    type DeliveryOpaque = Box<T>;

    fn delivery(&self, result: &DeliveryResult<'_>, token: Box<T>) {
        let r = match result {
            Ok(_) => Ok(()),
            Err((e, _)) => Err(e.clone()),
        };
        (self.on_delivery)(*token, r);
    }
}

/// The producer half of the service; `T` is the caller's delivery token.
pub struct Sink<T: Send + Sync + 'static> {
    producer: ThreadedProducer<SinkContext<T>>,
    transactional: bool,
}

impl<T: Send + Sync + 'static> Sink<T> {
    /// `config` carries every librdkafka property (bootstrap servers, SASL,
    /// TLS, `transactional.id`, ...); the sink adds the settings its
    /// guarantees rest on, which the caller cannot weaken.
    pub fn new(
        mut config: ClientConfig,
        on_delivery: Arc<DeliveryFn<T>>,
        on_stats: Option<Arc<StatsFn>>,
    ) -> Result<Self, SinkError> {
        config.set("enable.idempotence", "true");
        config.set("acks", "all");
        let transactional = config.get("transactional.id").is_some();
        let producer = config
            .create_with_context(SinkContext {
                on_delivery,
                on_stats,
            })
            .map_err(SinkError::Create)?;
        Ok(Sink {
            producer,
            transactional,
        })
    }

    pub fn is_transactional(&self) -> bool {
        self.transactional
    }

    /// Queues an enriched record keyed by article id. Returns at once; the
    /// outcome arrives through the delivery callback with `token`.
    #[allow(clippy::too_many_arguments)]
    pub fn publish(
        &self,
        topic: &str,
        key: &str,
        payload: &[u8],
        schema: &str,
        source: &Source<'_>,
        traceparent: Option<&[u8]>,
        token: T,
    ) -> Result<(), SinkError> {
        let mut headers = OwnedHeaders::new_with_capacity(5).insert(Header {
            key: HEADER_SCHEMA,
            value: Some(schema),
        });
        headers = source_headers(headers, source);
        if let Some(tp) = traceparent {
            headers = headers.insert(Header {
                key: HEADER_TRACEPARENT,
                value: Some(tp),
            });
        }
        let record = BaseRecord::with_opaque_to(topic, Box::new(token))
            .key(key)
            .payload(payload)
            .headers(headers);
        self.send(topic, record)
    }

    /// Queues a dead letter: the original key, value and headers, plus why.
    #[allow(clippy::too_many_arguments)]
    pub fn dead_letter(
        &self,
        topic: &str,
        key: Option<&[u8]>,
        payload: Option<&[u8]>,
        original_headers: &[(String, Option<Vec<u8>>)],
        reason: &str,
        detail: &str,
        source: &Source<'_>,
        token: T,
    ) -> Result<(), SinkError> {
        let mut headers = OwnedHeaders::new_with_capacity(original_headers.len() + 5);
        for (k, v) in original_headers {
            headers = headers.insert(Header {
                key: k,
                value: v.as_deref(),
            });
        }
        headers = headers
            .insert(Header {
                key: HEADER_ERROR_REASON,
                value: Some(reason),
            })
            .insert(Header {
                key: HEADER_ERROR_DETAIL,
                value: Some(detail),
            });
        headers = source_headers(headers, source);
        let mut record: BaseRecord<'_, [u8], [u8], Box<T>> =
            BaseRecord::with_opaque_to(topic, Box::new(token)).headers(headers);
        if let Some(k) = key {
            record = record.key(k);
        }
        if let Some(p) = payload {
            record = record.payload(p);
        }
        self.send(topic, record)
    }

    fn send<K, P>(&self, topic: &str, record: BaseRecord<'_, K, P, Box<T>>) -> Result<(), SinkError>
    where
        K: rdkafka::message::ToBytes + ?Sized,
        P: rdkafka::message::ToBytes + ?Sized,
    {
        match self.producer.send(record) {
            Ok(()) => Ok(()),
            Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), _)) => {
                Err(SinkError::QueueFull)
            }
            Err((source, _)) => Err(SinkError::Send {
                topic: topic.to_owned(),
                source,
            }),
        }
    }

    /// A fatal producer error (fenced, idempotence broken): nothing more
    /// can be written with this producer.
    pub fn fatal_error(&self) -> Option<String> {
        self.producer
            .client()
            .fatal_error()
            .map(|(code, msg)| format!("{code:?}: {msg}"))
    }

    /// Waits until every queued record is delivered or failed.
    pub fn flush(&self, timeout: Duration) -> Result<(), SinkError> {
        self.producer
            .flush(timeout)
            .map_err(|source| SinkError::Transaction {
                what: "flushing the producer",
                source,
            })
    }

    /// Checks that the brokers answer and the topics exist.
    pub fn check_topics(&self, topics: &[&str], timeout: Duration) -> Result<(), SinkError> {
        for topic in topics {
            let md = self
                .producer
                .client()
                .fetch_metadata(Some(topic), timeout)
                .map_err(|source| SinkError::Send {
                    topic: (*topic).to_owned(),
                    source,
                })?;
            if let Some(e) = md.topics().first().and_then(|t| t.error()) {
                return Err(SinkError::Send {
                    topic: (*topic).to_owned(),
                    source: KafkaError::MetadataFetch(e.into()),
                });
            }
        }
        Ok(())
    }

    pub fn init_transactions(&self, timeout: Duration) -> Result<(), SinkError> {
        self.producer
            .init_transactions(timeout)
            .map_err(|source| SinkError::Transaction {
                what: "initialising transactions",
                source,
            })
    }

    pub fn begin_transaction(&self) -> Result<(), SinkError> {
        self.producer
            .begin_transaction()
            .map_err(|source| SinkError::Transaction {
                what: "beginning a transaction",
                source,
            })
    }

    /// Commits the open transaction together with the consumer offsets that
    /// its records account for.
    pub fn commit_transaction(
        &self,
        offsets: &rdkafka::TopicPartitionList,
        group: &rdkafka::consumer::ConsumerGroupMetadata,
        timeout: Duration,
    ) -> Result<(), SinkError> {
        if offsets.count() > 0 {
            self.producer
                .send_offsets_to_transaction(offsets, group, timeout)
                .map_err(|source| SinkError::Transaction {
                    what: "sending offsets to the transaction",
                    source,
                })?;
        }
        self.producer
            .commit_transaction(timeout)
            .map_err(|source| SinkError::Transaction {
                what: "committing the transaction",
                source,
            })
    }

    pub fn abort_transaction(&self, timeout: Duration) -> Result<(), SinkError> {
        self.producer
            .abort_transaction(timeout)
            .map_err(|source| SinkError::Transaction {
                what: "aborting the transaction",
                source,
            })
    }
}

fn source_headers(headers: OwnedHeaders, source: &Source<'_>) -> OwnedHeaders {
    headers
        .insert(Header {
            key: HEADER_SOURCE_TOPIC,
            value: Some(source.topic),
        })
        .insert(Header {
            key: HEADER_SOURCE_PARTITION,
            value: Some(&source.partition.to_string()),
        })
        .insert(Header {
            key: HEADER_SOURCE_OFFSET,
            value: Some(&source.offset.to_string()),
        })
}
