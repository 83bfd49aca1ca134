//! The at-least-once pipeline against a real broker: order, completeness, dead letters.

mod common;

use common::*;
use std::collections::HashSet;
use std::time::Duration;

#[test]
fn ten_thousand_articles_come_out_once_in_partition_order() {
    let Some(brokers) = brokers() else { return };
    let t = Topics::new("order");
    t.create(&brokers, 4);
    const N: usize = 10_000;
    let msgs = keyed_articles("a", N, 4);
    produce(&brokers, &t.input, &msgs);

    let mut args = t.args(&brokers);
    args.extend(["--workers".into(), "2".into()]);
    let mut naba = Naba::spawn(&args, &[]);
    let out = read_topic(
        &brokers,
        &t.output,
        N,
        Duration::from_secs(240),
        Duration::from_secs(2),
        false,
    );
    naba.stop_cleanly(Duration::from_secs(30));

    assert_source_order(&out);
    for r in &out {
        let v = r.json();
        let id = v["id"].as_str().unwrap().to_string();
        assert_eq!(r.key.as_deref(), Some(id.as_bytes()), "keyed by article id");
        assert_eq!(r.header("naba-schema").as_deref(), Some("naba.enriched.v1"));
        assert_eq!(
            r.header("naba-source-topic").as_deref(),
            Some(t.input.as_str())
        );
        assert!(v["entities"].is_array() && v["statements"].is_array() && v["dates"].is_array());
        let p: i32 = r.header("naba-source-partition").unwrap().parse().unwrap();
        let off: i64 = r.header("naba-source-offset").unwrap().parse().unwrap();
        let i: usize = id[1..].parse().unwrap();
        assert_eq!(p, (i % 4) as i32, "{id} came from partition {p}");
        assert_eq!(off, (i / 4) as i64, "{id} had offset {}", i / 4);
    }
    let seen = id_counts(&out);
    let dups: Vec<_> = seen.iter().filter(|(_, &n)| n > 1).collect();
    assert!(
        dups.is_empty(),
        "duplicates: {:?}",
        &dups[..dups.len().min(5)]
    );
    assert_eq!(seen.len(), N, "missing {} articles", N - seen.len());
}

#[test]
fn poison_messages_go_to_the_dead_letter_topic_with_their_reason() {
    let Some(brokers) = brokers() else { return };
    let t = Topics::new("poison");
    t.create(&brokers, 2);
    let too_large = article_json("big", 1).replace("resume", &"resume ".repeat(500));
    assert!(too_large.len() > 3000);
    let poison: Vec<(&str, Vec<u8>)> = vec![
        ("invalid_json", b"{\"text\": \"unterminated".to_vec()),
        ("invalid_utf8", b"{\"text\": \"caf\xe9\"}".to_vec()),
        ("missing_field", br#"{"title": "No body at all"}"#.to_vec()),
        ("not_an_object", br#"["text", "in", "a", "list"]"#.to_vec()),
        ("too_large", too_large.into_bytes()),
    ];
    let mut msgs = Vec::new();
    let mut good = HashSet::new();
    for i in 0..40 {
        let id = format!("g{i}");
        msgs.push(Msg {
            partition: i % 2,
            key: Some(id.clone().into_bytes()),
            value: article_json(&id, i as usize).into_bytes(),
            headers: vec![],
        });
        good.insert(id);
        if i % 8 == 3 {
            let (reason, bytes) = &poison[(i / 8) as usize];
            msgs.push(Msg {
                partition: i % 2,
                key: Some(format!("bad-{reason}").into_bytes()),
                value: bytes.clone(),
                headers: vec![("x-origin".into(), b"scraper-7".to_vec())],
            });
        }
    }
    produce(&brokers, &t.input, &msgs);

    let mut args = t.args(&brokers);
    args.extend(["--max-article-bytes".into(), "3000".into()]);
    let mut naba = Naba::spawn(&args, &[]);
    let out = read_topic(
        &brokers,
        &t.output,
        good.len(),
        Duration::from_secs(120),
        Duration::from_millis(500),
        false,
    );
    let dlq = read_topic(
        &brokers,
        &t.dlq,
        poison.len(),
        Duration::from_secs(60),
        Duration::from_millis(500),
        false,
    );
    naba.stop_cleanly(Duration::from_secs(30));

    let ids: HashSet<String> = out
        .iter()
        .map(|r| r.json()["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, good, "every good article is published");
    assert_eq!(out.len(), good.len());
    assert_eq!(dlq.len(), poison.len(), "log:\n{}", naba.log());
    for (reason, bytes) in &poison {
        let d = dlq
            .iter()
            .find(|d| d.key.as_deref() == Some(format!("bad-{reason}").as_bytes()))
            .unwrap_or_else(|| panic!("no dead letter for {reason}"));
        assert_eq!(d.header("naba-error-reason").as_deref(), Some(*reason));
        assert!(!d.header("naba-error-detail").unwrap().is_empty());
        assert_eq!(
            d.value.as_deref(),
            Some(&bytes[..]),
            "{reason}: original bytes kept"
        );
        assert_eq!(
            d.header("x-origin").as_deref(),
            Some("scraper-7"),
            "original headers kept"
        );
        assert_eq!(
            d.header("naba-source-topic").as_deref(),
            Some(t.input.as_str())
        );
        assert!(
            d.header("naba-source-partition").is_some() && d.header("naba-source-offset").is_some()
        );
    }
}
