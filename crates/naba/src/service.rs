//! `naba run`: the Kafka pipeline as a service.
//!
//! Entry point for in-process callers (`naba demo`, tests):
//!
//! ```ignore
//! pub async fn run(config: Config, shutdown: impl Future<Output = ()>) -> anyhow::Result<()>
//! ```
//!
//! It consumes `kafka.input_topic`, publishes to `kafka.output_topic` and
//! `kafka.dlq_topic`, serves `/metrics`, `/healthz` and `/readyz` on
//! `telemetry.metrics_addr` (when not empty), and returns `Ok(())` once
//! `shutdown` has completed and all in-flight articles are published and
//! committed; it returns an error (the process should exit non-zero) on a
//! fatal producer error, the dead-letter rate cap, or a shutdown that could
//! not drain in time. The extraction itself runs on dedicated OS threads, not
//! on the async runtime, so `run` may be awaited from any Tokio runtime.

use crate::config::Config;
use anyhow::Context;
use naba_consumer::metrics::Metrics;
use prometheus::Registry;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub async fn run(config: Config, shutdown: impl Future<Output = ()>) -> anyhow::Result<()> {
    let registry = Registry::new();
    let metrics = Arc::new(Metrics::new(&registry).context("registering metrics")?);
    let server = if config.telemetry.metrics_addr.is_empty() {
        None
    } else {
        let listener = tokio::net::TcpListener::bind(&config.telemetry.metrics_addr)
            .await
            .with_context(|| format!("listening on {}", config.telemetry.metrics_addr))?;
        tracing::info!(addr = %config.telemetry.metrics_addr, "serving /metrics, /healthz, /readyz");
        Some(tokio::spawn(crate::metrics::serve(
            listener,
            registry,
            metrics.ready.clone(),
        )))
    };

    let pipeline = config.pipeline();
    tracing::info!(
        brokers = %pipeline.brokers,
        input_topic = %pipeline.input_topic,
        output_topic = %pipeline.output_topic,
        dlq_topic = %pipeline.dlq_topic,
        group = %pipeline.group,
        mode = ?pipeline.mode,
        workers = pipeline.workers,
        "starting"
    );
    let stop = Arc::new(AtomicBool::new(false));
    let max_restarts = config.pipeline.max_restarts;
    let supervisor = {
        let stop = Arc::clone(&stop);
        tokio::task::spawn_blocking(move || supervise(pipeline, metrics, stop, max_restarts))
    };
    tokio::pin!(supervisor);
    tokio::pin!(shutdown);
    let result = tokio::select! {
        r = &mut supervisor => r,
        () = &mut shutdown => {
            stop.store(true, Ordering::SeqCst);
            supervisor.await
        }
    };
    if let Some(s) = server {
        s.abort();
    }
    result.context("the pipeline thread panicked")??;
    Ok(())
}

/// A run this long proves the clients work again: the restart count starts over.
const HEALTHY_RUN: Duration = Duration::from_secs(300);

/// Runs the pipeline, and runs it again with new Kafka clients when they fail
/// (`PipelineError::Client`), up to `max_restarts` times in a row with a
/// growing pause. Any other error, or a stop request, ends it. librdkafka
/// cannot recover a producer after a fatal error: only a new instance can, and
/// since nothing after the failure was committed, starting over from the
/// committed offsets redoes work but loses none.
fn supervise(
    pipeline: naba_consumer::PipelineConfig,
    metrics: Arc<Metrics>,
    stop: Arc<AtomicBool>,
    max_restarts: u32,
) -> Result<(), naba_consumer::PipelineError> {
    let mut restarts = 0u32;
    loop {
        let started = Instant::now();
        match naba_consumer::run(pipeline.clone(), Arc::clone(&metrics), Arc::clone(&stop)) {
            Err(naba_consumer::PipelineError::Client(e)) if !stop.load(Ordering::SeqCst) => {
                if started.elapsed() >= HEALTHY_RUN {
                    restarts = 0;
                }
                if restarts >= max_restarts {
                    return Err(naba_consumer::PipelineError::Client(format!(
                        "{e} (after {restarts} restarts)"
                    )));
                }
                restarts += 1;
                metrics.pipeline_restarts.inc();
                let pause = Duration::from_secs(1 << restarts.min(5));
                tracing::error!(error = %e, restart = restarts, pause_secs = pause.as_secs(), "the Kafka clients failed; starting the pipeline again from the committed offsets");
                let until = Instant::now() + pause;
                while Instant::now() < until && !stop.load(Ordering::SeqCst) {
                    std::thread::sleep(Duration::from_millis(100));
                }
                if stop.load(Ordering::SeqCst) {
                    return Ok(());
                }
            }
            other => return other,
        }
    }
}

/// Completes on the first SIGTERM or SIGINT.
pub async fn signals() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match (
            signal(SignalKind::terminate()),
            signal(SignalKind::interrupt()),
        ) {
            (Ok(mut term), Ok(mut int)) => {
                tokio::select! {
                    _ = term.recv() => tracing::info!("SIGTERM received"),
                    _ = int.recv() => tracing::info!("SIGINT received"),
                }
            }
            _ => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
