//! Exactly-once mode: transactions survive a kill -9.

mod common;

use common::*;
use std::time::Duration;

#[test]
fn exactly_once_mode_shows_each_article_once_to_read_committed_readers() {
    let Some(brokers) = brokers() else { return };
    let t = Topics::new("eos");
    t.create(&brokers, 2);
    const N: usize = 3000;
    let msgs = keyed_articles("x", N, 2);
    produce(&brokers, &t.input, &msgs);

    let mut args = t.args(&brokers);
    args.extend(
        [
            "--mode",
            "exactly-once",
            "--workers",
            "2",
            "--max-in-flight",
            "200",
        ]
        .map(String::from),
    );
    // The restarted instance takes the killed one's place at once through
    // static membership (otherwise the group waits for the dead member's
    // session or rebalance timeout, which some brokers stretch to minutes);
    // this also checks that librdkafka properties pass through from the file.
    let config = std::env::temp_dir().join(format!("{}.toml", unique("eos-config")));
    std::fs::write(
        &config,
        format!(
            "[kafka.consumer]\n\"group.instance.id\" = \"{}\"\n",
            unique("eos-instance")
        ),
    )
    .unwrap();
    args.extend(["--config".to_string(), config.display().to_string()]);
    let env = [("NABA_PIPELINE_COMMIT_INTERVAL_MS", "200")];
    let mut first = Naba::spawn(&args, &env);
    first.await_output(&brokers, &t.output, 400, true);
    first.signal("KILL");
    assert!(first.wait(Duration::from_secs(10)).is_some());

    let mut second = Naba::spawn(&args, &env);
    let out = read_topic(
        &brokers,
        &t.output,
        N,
        Duration::from_secs(180),
        Duration::from_secs(3),
        true,
    );
    second.stop_cleanly(Duration::from_secs(30));

    let seen = id_counts(&out);
    let dups: Vec<_> = seen.iter().filter(|(_, &n)| n > 1).take(5).collect();
    assert!(
        dups.is_empty(),
        "read_committed saw duplicates: {dups:?}; log:\n{}",
        second.log()
    );
    assert_eq!(seen.len(), N, "articles lost; log:\n{}", second.log());
}
