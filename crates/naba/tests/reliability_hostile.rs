//! Hostile input against the real broker: every bad message ends in the
//! dead-letter topic with its reason and its original bytes, every odd but
//! valid article comes out enriched, and the good articles around them flow.

mod common;
#[path = "common/reliability.rs"]
mod reliability;

use common::*;
use reliability::*;
use std::collections::HashSet;
use std::time::Duration;

/// naba's limit in this test; the 16 MB article is far above it.
const MAX_ARTICLE_BYTES: usize = 4 * 1024 * 1024;
const HUGE: usize = 16 * 1024 * 1024;
/// What the topics, the test's producer and naba's producer accept: the
/// 16 MB article must reach naba (to be refused by it), and the enriched
/// record of the 1 MB article is a few MB (every mention carries its text).
const LARGEST_MESSAGE: usize = 32 * 1024 * 1024;

fn json(v: serde_json::Value) -> Vec<u8> {
    v.to_string().into_bytes()
}

/// (key, expected dead-letter reason, bytes)
fn poison() -> Vec<(&'static str, &'static str, Vec<u8>)> {
    let nested_arrays = format!(
        "{{\"text\":\"deep\",\"x\":{}{}}}",
        "[".repeat(50_000),
        "]".repeat(50_000)
    );
    let nested_objects = format!(
        "{}{{\"text\":\"deep\"}}{}",
        "{\"a\":".repeat(10_000),
        "}".repeat(10_000)
    );
    let huge = {
        let sentence = "Maria Lopez said in Geneva that the talks would resume. ";
        let text = sentence.repeat(HUGE / sentence.len() + 1);
        json(serde_json::json!({ "id": "huge", "text": text }))
    };
    assert!(huge.len() >= HUGE);
    vec![
        ("bad-json", "invalid_json", b"{\"text\": \"cut off".to_vec()),
        (
            "bad-trailing",
            "invalid_json",
            b"{\"text\":\"a\"} {}".to_vec(),
        ),
        ("bad-empty-payload", "invalid_json", Vec::new()),
        (
            "bad-utf8",
            "invalid_utf8",
            b"{\"text\":\"Geneva \xff\xfe talks\"}".to_vec(),
        ),
        (
            "bad-utf8-surrogate",
            "invalid_utf8",
            b"{\"text\":\"\xed\xa0\x80\"}".to_vec(),
        ),
        ("bad-array", "not_an_object", b"[\"text\",\"x\"]".to_vec()),
        ("bad-number", "not_an_object", b"42".to_vec()),
        ("bad-string", "not_an_object", b"\"text\"".to_vec()),
        (
            "bad-missing",
            "missing_field",
            json(serde_json::json!({"id": "m", "title": "Talks"})),
        ),
        (
            "bad-empty",
            "empty_field",
            json(serde_json::json!({"id": "e", "text": ""})),
        ),
        (
            "bad-blank",
            "empty_field",
            json(serde_json::json!({"id": "b", "text": " \n\t "})),
        ),
        (
            "bad-text-type",
            "wrong_type",
            json(serde_json::json!({"id": "t", "text": ["a", "b"]})),
        ),
        (
            "bad-title-type",
            "wrong_type",
            json(serde_json::json!({"id": "t2", "text": "Fine.", "title": {"a": 1}})),
        ),
        (
            "bad-id-type",
            "wrong_type",
            json(serde_json::json!({"id": true, "text": "Fine."})),
        ),
        (
            "bad-nested-arrays",
            "invalid_json",
            nested_arrays.into_bytes(),
        ),
        (
            "bad-nested-objects",
            "invalid_json",
            nested_objects.into_bytes(),
        ),
        ("bad-huge", "too_large", huge),
    ]
}

/// Valid articles that look odd: they must be enriched, not dead-lettered.
fn odd_but_valid() -> Vec<(&'static str, Vec<u8>)> {
    let line = "Amina Haddad told reporters in Cairo that the agreement would hold, \
                وقال الوزير سامي نور في بيروت إن الاتفاق صامد. ";
    let one_mb = line.repeat((1024 * 1024) / line.len() + 1);
    assert!(one_mb.len() > 1024 * 1024 && !one_mb.contains('\n'));
    vec![
        (
            "odd-quotes",
            json(serde_json::json!({"id": "odd-quotes", "text": "\"\"\"\"\"\" «»«»«» “”“” '' „“"})),
        ),
        (
            "odd-invisible",
            json(serde_json::json!({
                "id": "odd-invisible",
                "text": "\u{200f}قال\u{200c} الوزير\u{200b} \u{202b}«سنواصل\u{200d} الحوار»\u{202c} \u{2066}John\u{2069} Carter said\u{feff} \u{202e}\"yes\"."
            })),
        ),
        (
            "odd-mixed",
            json(serde_json::json!({
                "id": "odd-mixed",
                "text": "قال John Carter في Geneva إن 中国 و Россия 😀 agreed «نعم» \"да\" ٣ December 2016."
            })),
        ),
        (
            "odd-one-mb-line",
            json(serde_json::json!({"id": "odd-one-mb-line", "title": "One line", "text": one_mb})),
        ),
    ]
}

#[test]
fn hostile_messages_are_dead_lettered_with_reason_and_bytes_while_good_ones_flow() {
    let Some(brokers) = brokers() else { return };
    let t = Topics::new("hostile");
    create_large_topics(&brokers, &t, 2, LARGEST_MESSAGE);
    let poison = poison();
    let odd = odd_but_valid();
    let mut msgs = Vec::new();
    let mut want_out: HashSet<String> = HashSet::new();
    let mut n = 0;
    let mut good = |msgs: &mut Vec<Msg>, want: &mut HashSet<String>, p: i32| {
        let id = format!("g{n}");
        msgs.push(Msg {
            partition: p,
            key: Some(id.clone().into_bytes()),
            value: article_json(&id, n).into_bytes(),
            headers: vec![],
        });
        want.insert(id);
        n += 1;
    };
    for (i, (key, _, bytes)) in poison.iter().enumerate() {
        let p = (i % 2) as i32;
        good(&mut msgs, &mut want_out, p);
        msgs.push(Msg {
            partition: p,
            key: Some(key.as_bytes().to_vec()),
            value: bytes.clone(),
            headers: vec![("x-origin".into(), b"hostile-test".to_vec())],
        });
        good(&mut msgs, &mut want_out, p);
    }
    for (i, (id, bytes)) in odd.iter().enumerate() {
        msgs.push(Msg {
            partition: (i % 2) as i32,
            key: Some(id.as_bytes().to_vec()),
            value: bytes.clone(),
            headers: vec![],
        });
        want_out.insert(id.to_string());
        good(&mut msgs, &mut want_out, (i % 2) as i32);
    }
    produce_large(&brokers, &t.input, &msgs, LARGEST_MESSAGE);

    let config = std::env::temp_dir().join(format!("{}.toml", unique("hostile")));
    std::fs::write(
        &config,
        format!("[kafka.producer]\n\"message.max.bytes\" = \"{LARGEST_MESSAGE}\"\n"),
    )
    .unwrap();
    let mut args = t.args(&brokers);
    args.extend(["--max-article-bytes".into(), MAX_ARTICLE_BYTES.to_string()]);
    args.extend(["--config".into(), config.to_string_lossy().into_owned()]);
    let mut naba = Naba::spawn(&args, &[]);
    let out = read_topic(
        &brokers,
        &t.output,
        want_out.len(),
        Duration::from_secs(180),
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
    let still_running = naba.child.try_wait().unwrap().is_none();
    let status = naba.terminate(Duration::from_secs(30));
    let log = naba.log();
    assert!(still_running, "naba died on hostile input; log:\n{log}");
    assert!(
        status.is_some_and(|s| s.success()),
        "{status:?}; log:\n{log}"
    );

    let seen = id_counts(&out);
    let got: HashSet<String> = seen.keys().cloned().collect();
    let lost: Vec<_> = want_out.difference(&got).collect();
    assert!(lost.is_empty(), "not enriched: {lost:?}; log:\n{log}");
    assert_eq!(
        out.len(),
        want_out.len(),
        "no article twice, no extra record"
    );
    for r in &out {
        assert_eq!(r.header("naba-schema").as_deref(), Some("naba.enriched.v1"));
    }

    for (key, reason, bytes) in &poison {
        let d = dlq
            .iter()
            .find(|d| d.key.as_deref() == Some(key.as_bytes()))
            .unwrap_or_else(|| panic!("{key}: no dead letter; log:\n{log}"));
        assert_eq!(
            d.header("naba-error-reason").as_deref(),
            Some(*reason),
            "{key}: detail {:?}",
            d.header("naba-error-detail")
        );
        assert!(
            d.header("naba-error-detail").is_some_and(|s| !s.is_empty()),
            "{key}: a detail for people"
        );
        assert_eq!(
            d.value.as_deref().unwrap_or_default().len(),
            bytes.len(),
            "{key}: original size"
        );
        assert!(
            d.value.as_deref().unwrap_or_default() == &bytes[..],
            "{key}: original bytes kept"
        );
        assert_eq!(d.header("x-origin").as_deref(), Some("hostile-test"));
    }
    assert_eq!(dlq.len(), poison.len(), "one dead letter per bad message");
}

#[test]
fn messages_naba_cannot_write_back_are_dead_lettered_instead_of_stopping_it() {
    let Some(brokers) = brokers() else { return };
    let t = Topics::new("unwritable");
    create_large_topics(&brokers, &t, 1, LARGEST_MESSAGE);
    // naba's producer keeps librdkafka's 1 MB message.max.bytes here.
    // Every mention in the record carries its text: about 1.6 MB of record.
    let line = "Amina Haddad told reporters in Cairo that the agreement would hold, \
                وقال الوزير سامي نور في بيروت إن الاتفاق صامد. ";
    let big_record =
        json(serde_json::json!({"id": "big-record", "text": line.repeat(600_000 / line.len())}));
    let big_input = json(serde_json::json!({"id": "big-input", "text": "word ".repeat(400_000)}));
    assert!(big_record.len() < 1_000_000 && big_input.len() > 1_500_000);
    let mut msgs = keyed_articles("u", 3, 1);
    for (key, value) in [("big-record", big_record), ("big-input", big_input)] {
        msgs.insert(
            msgs.len() - 1,
            Msg {
                partition: 0,
                key: Some(key.as_bytes().to_vec()),
                value,
                headers: vec![],
            },
        );
    }
    produce_large(&brokers, &t.input, &msgs, LARGEST_MESSAGE);
    let mut args = t.args(&brokers);
    args.extend(["--max-article-bytes".into(), "1500000".into()]);
    let mut naba = Naba::spawn(&args, &[]);
    let out = read_topic(
        &brokers,
        &t.output,
        3,
        Duration::from_secs(90),
        Duration::from_millis(500),
        false,
    );
    let dlq = read_topic(
        &brokers,
        &t.dlq,
        2,
        Duration::from_secs(30),
        Duration::from_millis(500),
        false,
    );
    let running = naba.child.try_wait().unwrap().is_none();
    let log = naba.log();
    assert!(running, "naba stopped on an unwritable record; log:\n{log}");
    let seen = id_counts(&out);
    assert!(missing("u", 3, &seen).is_empty(), "log:\n{log}");
    let letter = |key: &str| {
        dlq.iter()
            .find(|d| d.key.as_deref() == Some(key.as_bytes()))
            .unwrap_or_else(|| panic!("no dead letter for {key}; log:\n{log}"))
    };
    let d = letter("big-record");
    assert_eq!(d.header("naba-error-reason").as_deref(), Some("too_large"));
    assert!(d
        .header("naba-error-detail")
        .unwrap()
        .contains("enriched record"));
    assert!(
        d.value.as_ref().is_some_and(|v| v.len() > 500_000),
        "original bytes kept"
    );
    let d = letter("big-input");
    assert_eq!(d.header("naba-error-reason").as_deref(), Some("too_large"));
    assert!(d
        .header("naba-error-detail")
        .unwrap()
        .contains("not attached"));
    assert!(
        d.value.is_none(),
        "too big for naba's producer to send back"
    );
}
