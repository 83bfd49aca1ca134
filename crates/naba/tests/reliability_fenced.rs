//! A zombie with naba's `transactional.id` fences naba's producer mid-stream:
//! librdkafka makes that a fatal producer error, which only a new producer
//! survives. naba must start its pipeline again with new clients (taking the
//! id back) and still show every article once to read_committed readers.

mod common;
#[path = "common/reliability.rs"]
mod reliability;

use common::*;
use rdkafka::config::ClientConfig;
use rdkafka::producer::{BaseProducer, Producer};
use reliability::*;
use std::time::Duration;

#[test]
fn fenced_producer_restarts_the_pipeline_and_loses_nothing() {
    let Some(brokers) = brokers() else { return };
    let t = Topics::new("fenced");
    t.create(&brokers, 2);
    const N: usize = 1200;
    produce(&brokers, &t.input, &keyed_articles("f", N, 2));
    let txn_id = unique("fenced-txn");
    let addr = free_local_addr();
    let mut args = with_metrics_addr(t.args(&brokers), &addr);
    args.extend(["--workers", "1", "--max-in-flight", "50"].map(String::from));
    let env = [
        ("NABA_PIPELINE_MODE", "exactly-once"),
        ("NABA_PIPELINE_COMMIT_INTERVAL_MS", "200"),
        ("NABA_KAFKA_TRANSACTIONAL_ID", txn_id.as_str()),
    ];
    let mut naba = Naba::spawn(&args, &env);
    assert!(
        eventually(Duration::from_secs(60), || {
            metric(&addr, "naba_articles_published_total").is_some_and(|n| n > 0.0)
        }),
        "no progress; log:\n{}",
        naba.log()
    );

    // The zombie: same transactional.id, initialised while naba works.
    let zombie: BaseProducer = ClientConfig::new()
        .set("bootstrap.servers", &brokers)
        .set("transactional.id", &txn_id)
        .create()
        .unwrap();
    zombie.init_transactions(Duration::from_secs(30)).unwrap();
    drop(zombie);

    let restarted = eventually(Duration::from_secs(60), || {
        metric(&addr, "naba_pipeline_restarts_total").is_some_and(|n| n >= 1.0)
    });
    assert!(restarted, "no pipeline restart; log:\n{}", naba.log());
    let out = read_topic(
        &brokers,
        &t.output,
        N,
        Duration::from_secs(120),
        Duration::from_secs(3),
        true,
    );
    assert!(
        naba.child.try_wait().unwrap().is_none(),
        "naba exited instead of restarting its pipeline; log:\n{}",
        naba.log()
    );
    let status = naba.terminate(Duration::from_secs(40));
    let seen = id_counts(&out);
    let lost = missing("f", N, &seen);
    assert!(lost.is_empty(), "lost: {lost:?}; log:\n{}", naba.log());
    let dups: Vec<_> = seen.iter().filter(|(_, &n)| n > 1).collect();
    assert!(dups.is_empty(), "duplicates: {dups:?}");
    assert!(
        status.is_some_and(|s| s.success()),
        "{status:?}; log:\n{}",
        naba.log()
    );
}
