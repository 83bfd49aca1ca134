//! Consuming articles from Kafka: partitions, ordered parallel extraction, offsets.
//!
//! Shape (after getsentry/arroyo's RunTaskInThreads and Vector's Kafka source):
//! one poll thread owns the consumer; a pool of worker threads extracts; the
//! producer's own thread reports deliveries. Per partition, messages wait in
//! an offset-ordered window ([`window::Window`]): results are published in
//! offset order as soon as the head of the window is ready, and an offset
//! becomes committable only when every message before it has had its output
//! confirmed. Partitions never wait for each other.

pub mod metrics;
mod pipeline;
mod ratecap;
mod window;

pub use pipeline::{run, Mode, PipelineConfig, PipelineError};
