//! Stopping: SIGTERM drains and commits; a flood of poison stops the service.

mod common;

use common::*;
use std::time::Duration;

#[test]
fn sigterm_drains_and_exits_zero_and_restart_finishes_the_stream() {
    let Some(brokers) = brokers() else { return };
    let t = Topics::new("sigterm");
    t.create(&brokers, 2);
    const N: usize = 4000;
    produce(&brokers, &t.input, &keyed_articles("s", N, 2));

    let mut args = t.args(&brokers);
    args.extend(["--workers", "2", "--max-in-flight", "300"].map(String::from));
    let mut first = Naba::spawn(&args, &[]);
    first.await_output(&brokers, &t.output, 300, false);
    first.stop_cleanly(Duration::from_secs(30));
    assert!(first.log().contains("drained"), "log:\n{}", first.log());
    let after_first = read_topic(
        &brokers,
        &t.output,
        N,
        Duration::from_secs(5),
        Duration::ZERO,
        false,
    )
    .len();
    assert!(
        after_first < N,
        "the first run should have been stopped mid-stream"
    );

    let mut second = Naba::spawn(&args, &[]);
    let out = read_topic(
        &brokers,
        &t.output,
        N,
        Duration::from_secs(180),
        Duration::from_secs(2),
        false,
    );
    second.stop_cleanly(Duration::from_secs(30));

    let seen = id_counts(&out);
    let lost = missing("s", N, &seen);
    assert!(
        lost.is_empty(),
        "articles lost across the restart: {lost:?} (first run published {after_first}); logs:\n{}\n----\n{}",
        first.log(),
        second.log()
    );
    // A clean drain commits exactly what was published, so nothing is redone.
    let dups = seen.values().filter(|&&n| n > 1).count();
    assert_eq!(
        dups, 0,
        "{dups} articles published twice after a clean shutdown"
    );
}

#[test]
fn dead_letter_rate_cap_stops_the_service() {
    let Some(brokers) = brokers() else { return };
    let t = Topics::new("ratecap");
    t.create(&brokers, 1);
    let garbage: Vec<Msg> = (0..300)
        .map(|i| Msg {
            partition: 0,
            key: Some(format!("junk{i}").into_bytes()),
            value: format!("<html>not an article {i}</html>").into_bytes(),
            headers: vec![],
        })
        .collect();
    produce(&brokers, &t.input, &garbage);

    let mut naba = Naba::spawn(&t.args(&brokers), &[("NABA_DEAD_LETTER_WINDOW", "100")]);
    let status = naba.wait(Duration::from_secs(60));
    let log = naba.log();
    assert!(
        status.is_some_and(|s| !s.success()),
        "expected a failing exit, got {status:?}; log:\n{log}"
    );
    assert!(log.contains("dead-letter rate cap exceeded"), "log:\n{log}");
    let dlq = read_topic(
        &brokers,
        &t.dlq,
        300,
        Duration::from_secs(5),
        Duration::ZERO,
        false,
    );
    assert!(
        dlq.len() <= 50,
        "{} dead letters: the cap (more than half of 100) must stop it before",
        dlq.len()
    );
}
