//! Crashes against the real broker: `kill -9` at random points, a second
//! instance joining and leaving the group. Each test produces a known set of
//! ids and checks afterwards that every one came out, counting duplicates.

mod common;
#[path = "common/reliability.rs"]
mod reliability;

use common::*;
use reliability::*;
use std::time::Duration;

const KILLS: usize = 5;
const BATCH: usize = 500;
const MAX_IN_FLIGHT: usize = 100;
const COMMIT_INTERVAL_MS: u64 = 200;

/// Produces a fresh batch before every incarnation (so each is killed
/// mid-stream, with a backlog), kills it with SIGKILL at a random moment
/// after it published something, then lets a last one finish the stream.
/// Returns the output records and the number of articles produced.
fn kill_nine_rounds(test: &str, mode: &str, read_committed: bool) -> (Vec<Record>, usize) {
    let brokers = brokers().unwrap();
    let t = Topics::new(test);
    t.create(&brokers, 3);
    let env = [
        ("NABA_PIPELINE_COMMIT_INTERVAL_MS", "200"),
        ("NABA_PIPELINE_MODE", mode),
    ];
    // Static membership: a restart takes the killed member's place at once
    // instead of waiting out its session (see kafka_exactly_once.rs).
    let config = std::env::temp_dir().join(format!("{}.toml", unique(test)));
    std::fs::write(
        &config,
        format!(
            "[kafka.consumer]\n\"group.instance.id\" = \"{}\"\n",
            unique("instance")
        ),
    )
    .unwrap();
    let config = config.to_string_lossy().into_owned();
    let mut produced = 0;
    for round in 0..KILLS {
        let batch: Vec<Msg> = keyed_articles("k", produced + BATCH, 3)
            .into_iter()
            .skip(produced)
            .collect();
        produce(&brokers, &t.input, &batch);
        produced += BATCH;
        let addr = free_local_addr();
        let mut args = with_metrics_addr(t.args(&brokers), &addr);
        args.extend(["--workers", "1", "--config"].map(String::from));
        args.extend([
            config.clone(),
            "--max-in-flight".into(),
            MAX_IN_FLIGHT.to_string(),
        ]);
        let mut naba = Naba::spawn(&args, &env);
        let progressed = eventually(Duration::from_secs(90), || {
            metric(&addr, "naba_articles_published_total").is_some_and(|n| n > 0.0)
        });
        assert!(
            progressed,
            "round {round}: no progress; log:\n{}",
            naba.log()
        );
        std::thread::sleep(Duration::from_millis(random_below(700)));
        let published = metric(&addr, "naba_articles_published_total").unwrap_or(0.0);
        naba.signal("KILL");
        assert!(
            naba.wait(Duration::from_secs(10)).is_some(),
            "SIGKILL ignored?"
        );
        println!("{test}: kill {} after {published} published", round + 1);
    }
    let mut args = t.args(&brokers);
    args.extend(["--config".into(), config]);
    let mut last = Naba::spawn(&args, &env);
    let out = read_topic(
        &brokers,
        &t.output,
        produced,
        Duration::from_secs(240),
        Duration::from_secs(3),
        read_committed,
    );
    last.stop_cleanly(Duration::from_secs(40));
    let seen = id_counts(&out);
    let lost = missing("k", produced, &seen);
    assert!(
        lost.is_empty(),
        "{test}: lost after {KILLS} kills: {lost:?}; last log:\n{}",
        last.log()
    );
    (out, produced)
}

#[test]
fn kill_nine_at_random_points_loses_nothing_at_least_once() {
    if brokers().is_none() {
        return;
    }
    let (out, produced) = kill_nine_rounds("kill9", "at-least-once", false);
    let dups = out.len() - produced;
    println!(
        "at-least-once: {KILLS} kills survived, {produced} articles checked, {dups} duplicates"
    );
    // What a kill can redo is what was published since the last commit:
    // at most the in-flight window plus one commit interval of throughput
    // (one worker publishes well under 2000 articles a second here).
    let per_kill = MAX_IN_FLIGHT + (2000 * COMMIT_INTERVAL_MS as usize) / 1000;
    assert!(
        dups <= KILLS * per_kill,
        "{dups} duplicates for {KILLS} kills (bound {per_kill} per kill)"
    );
}

#[test]
fn kill_nine_at_random_points_gives_no_duplicate_exactly_once() {
    if brokers().is_none() {
        return;
    }
    let (out, produced) = kill_nine_rounds("kill9eos", "exactly-once", true);
    let dups = out.len() - produced;
    println!(
        "exactly-once: {KILLS} kills survived, {produced} articles checked, {dups} duplicates"
    );
    assert_eq!(dups, 0, "read_committed must see each article once");
}

// Against noida-db this needs scripts/broker/noida-db-group-rebalance.patch,
// like kafka_rebalance.rs.
#[test]
fn a_second_instance_joining_and_leaving_loses_nothing_and_keeps_partition_order() {
    let Some(brokers) = brokers() else { return };
    let t = Topics::new("rebalance");
    t.create(&brokers, 4);
    const N: usize = 3000;
    produce(&brokers, &t.input, &keyed_articles("r", N, 4));
    let mut args = t.args(&brokers);
    args.extend(["--workers", "1", "--max-in-flight", "100"].map(String::from));
    let addr_a = free_local_addr();
    let mut a = Naba::spawn(&with_metrics_addr(args.clone(), &addr_a), &[]);
    assert!(
        eventually(Duration::from_secs(60), || {
            metric(&addr_a, "naba_articles_published_total").is_some_and(|n| n > 0.0)
        }),
        "first instance made no progress; log:\n{}",
        a.log()
    );
    let addr_b = free_local_addr();
    let mut b = Naba::spawn(&with_metrics_addr(args.clone(), &addr_b), &[]);
    let joined = eventually(Duration::from_secs(60), || {
        metric(&addr_b, "naba_articles_published_total").is_some_and(|n| n > 0.0)
    });
    let a_mid = metric(&addr_a, "naba_articles_published_total").unwrap_or(0.0);
    let b_status = b.terminate(Duration::from_secs(40));
    assert!(joined, "second instance never got work; log:\n{}", b.log());
    assert!(
        b_status.is_some_and(|s| s.success()),
        "{b_status:?}; log:\n{}",
        b.log()
    );
    let out = read_topic(
        &brokers,
        &t.output,
        N,
        Duration::from_secs(180),
        Duration::from_secs(2),
        false,
    );
    a.stop_cleanly(Duration::from_secs(40));
    println!("rebalance: first instance had published {a_mid} when the second left");

    let seen = id_counts(&out);
    let lost = missing("r", N, &seen);
    assert!(lost.is_empty(), "lost: {lost:?}");
    let dups = out.len() - N;
    println!("rebalance: {N} articles checked, {dups} duplicates");
    assert_eq!(dups, 0, "a cooperative hand-over drains and commits first");
    assert_source_order(&out);
}
