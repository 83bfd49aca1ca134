//! What operators see: /metrics, /healthz and /readyz of a running service.

mod common;

use common::*;
use std::io::{Read, Write};
use std::time::{Duration, Instant};

fn get(addr: &str, path: &str) -> (u16, String) {
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let mut resp = String::new();
    s.read_to_string(&mut resp).unwrap();
    let status = resp.split_whitespace().nth(1).unwrap().parse().unwrap();
    let body = resp
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The value of the first sample line starting with `prefix`.
fn sample(metrics: &str, prefix: &str) -> Option<f64> {
    metrics
        .lines()
        .find(|l| l.starts_with(prefix))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}

#[test]
fn metrics_and_probes_report_what_the_pipeline_did() {
    let Some(brokers) = brokers() else { return };
    let t = Topics::new("metrics");
    t.create(&brokers, 2);
    let mut msgs: Vec<Msg> = (0..20)
        .map(|i| {
            let id = format!("m{i}");
            Msg {
                partition: i % 2,
                key: Some(id.clone().into_bytes()),
                value: article_json(&id, i as usize).into_bytes(),
                headers: vec![],
            }
        })
        .collect();
    msgs.push(Msg {
        partition: 0,
        key: None,
        value: b"not json".to_vec(),
        headers: vec![],
    });
    produce(&brokers, &t.input, &msgs);

    let addr = format!("127.0.0.1:{}", free_port());
    let mut args = t.args(&brokers);
    let i = args.iter().position(|a| a == "--metrics-addr").unwrap();
    args[i + 1] = addr.clone();
    let mut naba = Naba::spawn(&args, &[]);
    read_topic(
        &brokers,
        &t.output,
        20,
        Duration::from_secs(60),
        Duration::ZERO,
        false,
    );

    let lag = format!("naba_consumer_lag{{partition=\"0\",topic=\"{}\"}}", t.input);
    let deadline = Instant::now() + Duration::from_secs(20);
    let metrics = loop {
        let (status, body) = get(&addr, "/metrics");
        assert_eq!(status, 200);
        let done = sample(&body, "naba_articles_published_total") == Some(20.0)
            && sample(&body, "naba_articles_dead_lettered_total{reason=\"invalid_json\"}") == Some(1.0)
            // librdkafka statistics arrive every second (set by the test
            // helper); a partition's lag appears once its offsets are
            // committed, which for one partition can be a commit interval
            // after the other's.
            && sample(&body, &lag) == Some(0.0)
            && body.contains("naba_broker_rtt_seconds{");
        if done || Instant::now() > deadline {
            break body;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let consumed = format!("naba_articles_consumed_total{{topic=\"{}\"}}", t.input);
    assert_eq!(sample(&metrics, &consumed), Some(21.0), "{metrics}");
    let published = format!("naba_articles_published_total{{topic=\"{}\"}}", t.output);
    assert_eq!(sample(&metrics, &published), Some(20.0), "{metrics}");
    assert_eq!(
        sample(
            &metrics,
            "naba_articles_dead_lettered_total{reason=\"invalid_json\"}"
        ),
        Some(1.0)
    );
    assert_eq!(
        sample(&metrics, "naba_extraction_duration_seconds_count"),
        Some(20.0)
    );
    assert_eq!(sample(&metrics, "naba_assigned_partitions"), Some(2.0));
    assert_eq!(sample(&metrics, "naba_ready"), Some(1.0));
    assert_eq!(sample(&metrics, "naba_in_flight_articles"), Some(0.0));
    assert!(sample(&metrics, "naba_end_to_end_latency_seconds_count").is_some_and(|n| n >= 20.0));
    assert!(metrics.contains("naba_build_info{version=\""), "{metrics}");
    assert_eq!(sample(&metrics, &lag), Some(0.0), "{metrics}");
    assert!(
        metrics.contains("naba_broker_rtt_seconds{broker=\""),
        "{metrics}"
    );
    assert_eq!(get(&addr, "/healthz").0, 200);
    assert_eq!(get(&addr, "/readyz").0, 200);
    assert_eq!(get(&addr, "/nope").0, 404);

    naba.stop_cleanly(Duration::from_secs(30));
}
