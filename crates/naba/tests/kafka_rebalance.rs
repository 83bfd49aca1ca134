//! Scaling out: a second instance joins mid-stream; revoked partitions are
//! drained and committed before they move, so nothing is lost or redone.

mod common;

use common::*;
use std::time::Duration;

// Against noida-db this needs scripts/broker/noida-db-group-rebalance.patch
// (see scripts/broker.sh): unpatched, the joining member's JoinGroup could
// stay parked for minutes, or the first member's assignment was reported lost.
#[test]
fn a_joining_instance_takes_partitions_without_loss_or_duplicates() {
    let Some(brokers) = brokers() else { return };
    let t = Topics::new("rebalance");
    t.create(&brokers, 4);
    const N: usize = 6000;
    let msgs = keyed_articles("r", N, 4);
    produce(&brokers, &t.input, &msgs);

    let mut args = t.args(&brokers);
    args.extend(["--workers", "1", "--max-in-flight", "100"].map(String::from));
    let mut a = Naba::spawn(&args, &[]);
    a.await_output(&brokers, &t.output, 300, false);
    let mut b = Naba::spawn(&args, &[]);
    let out = read_topic(
        &brokers,
        &t.output,
        N,
        Duration::from_secs(180),
        Duration::from_secs(2),
        false,
    );
    for n in [&a, &b] {
        n.signal("TERM");
    }
    for n in [&mut a, &mut b] {
        let status = n.wait(Duration::from_secs(30));
        assert!(
            status.is_some_and(|s| s.success()),
            "{status:?}; log:\n{}",
            n.log()
        );
    }
    assert!(
        b.log().contains("partitions assigned"),
        "the second instance never got partitions; log:\n{}",
        b.log()
    );
    assert!(a.log().contains("partitions revoked"), "log:\n{}", a.log());

    // A generation ended abruptly would make at-least-once redo the
    // unconfirmed articles; a cooperative hand-over never reports the
    // assignment lost.
    assert!(
        !a.log().contains("partitions lost"),
        "the first instance's assignment was lost instead of revoked; log:\n{}",
        a.log()
    );
    let seen = id_counts(&out);
    let lost = missing("r", N, &seen);
    assert!(lost.is_empty(), "lost in the rebalance: {lost:?}");
    let dups = out.len() - N;
    assert_eq!(
        dups, 0,
        "{dups} articles redone: revoked partitions were not drained and committed"
    );
    assert_source_order(&out);
}
