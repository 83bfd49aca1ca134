//! Helpers of the reliability tests (`tests/reliability_*.rs`), on top of
//! `common/mod.rs`: producing messages larger than librdkafka's defaults
//! and probing `/readyz` and the metrics endpoint.
#![allow(dead_code)]

use crate::common::*;
use rdkafka::config::ClientConfig;
use std::io::{Read, Write};
use std::time::{Duration, Instant};

/// Like `common::produce`, with the producer's `message.max.bytes` raised to
/// `max_bytes` so that oversized articles reach the broker at all.
pub fn produce_large(brokers: &str, topic: &str, msgs: &[Msg], max_bytes: usize) {
    produce_with(
        brokers,
        topic,
        msgs,
        &[("message.max.bytes", &max_bytes.to_string())],
    );
}

/// A loopback address nothing listens on right now, for `--metrics-addr`
/// when the test must reach the endpoint.
pub fn free_local_addr() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().to_string()
}

/// The HTTP status of `GET path` on `addr`, or `None` if nothing answers.
pub fn http_status(addr: &str, path: &str) -> Option<u16> {
    let mut s =
        std::net::TcpStream::connect_timeout(&addr.parse().ok()?, Duration::from_secs(1)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let head = String::from_utf8_lossy(&buf);
    head.split_whitespace().nth(1)?.parse().ok()
}

/// Polls until `f` holds or `timeout` passes; whether it held.
pub fn eventually(timeout: Duration, mut f: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        if f() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// `args` (from `Topics::args`) with `--metrics-addr` set to `addr`.
pub fn with_metrics_addr(mut args: Vec<String>, addr: &str) -> Vec<String> {
    if let Some(i) = args.iter().position(|a| a == "--metrics-addr") {
        args[i + 1] = addr.to_string();
    }
    args
}

/// The sum of a metric's samples (all label sets) on `/metrics` at `addr`.
pub fn metric(addr: &str, name: &str) -> Option<f64> {
    let mut s =
        std::net::TcpStream::connect_timeout(&addr.parse().ok()?, Duration::from_secs(1)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    write!(
        s,
        "GET /metrics HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let body = String::from_utf8_lossy(&buf);
    let mut found = None;
    for line in body.lines() {
        let Some(rest) = line.strip_prefix(name) else {
            continue;
        };
        if !(rest.starts_with(' ') || rest.starts_with('{')) {
            continue;
        }
        if let Some(v) = rest.rsplit(' ').next().and_then(|v| v.parse::<f64>().ok()) {
            *found.get_or_insert(0.0) += v;
        }
    }
    found
}

/// A pseudo-random number in `0..n`, different on every call (no rand dependency).
pub fn random_below(n: u64) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos(),
    );
    h.finish() % n.max(1)
}

/// `t`'s topics, each allowing messages of up to `max_message_bytes`.
pub fn create_large_topics(brokers: &str, t: &Topics, partitions: i32, max_message_bytes: usize) {
    use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
    use rdkafka::client::DefaultClientContext;
    let admin: AdminClient<DefaultClientContext> = ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .create()
        .unwrap();
    let max = max_message_bytes.to_string();
    let new: Vec<NewTopic<'_>> = [(&t.input, partitions), (&t.output, 2), (&t.dlq, 1)]
        .into_iter()
        .map(|(name, n)| {
            NewTopic::new(name, n, TopicReplication::Fixed(1)).set("max.message.bytes", &max)
        })
        .collect();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    for r in rt
        .block_on(admin.create_topics(&new, &AdminOptions::new()))
        .unwrap()
    {
        r.unwrap();
    }
}
