//! Logs: `tracing` events to stderr, as JSON lines (for log shippers) or
//! human-readable text.

use crate::config::LogFormat;
use tracing_subscriber::filter::LevelFilter;

/// Installs the global subscriber; a second call (tests, `demo`) is a no-op.
pub fn init(format: LogFormat, level: &str) {
    let level = match level {
        "error" => LevelFilter::ERROR,
        "warn" => LevelFilter::WARN,
        "debug" => LevelFilter::DEBUG,
        "trace" => LevelFilter::TRACE,
        _ => LevelFilter::INFO,
    };
    let builder = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    let _ = match format {
        LogFormat::Json => builder
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
        LogFormat::Pretty => builder.try_init(),
    };
}
