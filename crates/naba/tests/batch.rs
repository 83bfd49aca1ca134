//! `naba extract`: batch mode end to end, through the real binary.

use serde_json::Value;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn repo_file(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
}

fn naba(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_naba"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Feed stdin from a thread: naba writes while it reads, and both pipes are bounded.
    let mut input = child.stdin.take().unwrap();
    let bytes = stdin.unwrap_or_default().to_vec();
    let feeder = std::thread::spawn(move || input.write_all(&bytes));
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap().unwrap();
    out
}

fn records(out: &Output) -> Vec<Value> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn schema() -> jsonschema::Validator {
    let raw = std::fs::read_to_string(repo_file("schemas/naba.enriched.v1.json")).unwrap();
    jsonschema::validator_for(&serde_json::from_str(&raw).unwrap()).unwrap()
}

/// Every span in a record must be the code-point slice it claims to be.
fn assert_spans_are_slices(record: &Value, text: &str, title: Option<&str>) {
    let text: Vec<char> = text.chars().collect();
    let title: Vec<char> = title.unwrap_or("").chars().collect();
    let mut spans: Vec<&Value> = Vec::new();
    for e in record["entities"].as_array().unwrap() {
        spans.extend(e["mentions"].as_array().unwrap());
    }
    spans.extend(record["dates"].as_array().unwrap());
    for s in record["statements"].as_array().unwrap() {
        spans.push(&s["cue"]);
        spans.push(&s["content"]);
        spans.extend(s["quotes"].as_array().unwrap());
        if !s["speaker"]["mention"].is_null() {
            spans.push(&s["speaker"]["mention"]);
        }
    }
    for span in spans {
        let src = if span["field"] == "title" {
            &title
        } else {
            &text
        };
        let (a, b) = (
            span["start"].as_u64().unwrap() as usize,
            span["end"].as_u64().unwrap() as usize,
        );
        assert!(a <= b && b <= src.len(), "span out of range: {span}");
        let slice: String = src[a..b].iter().collect();
        assert_eq!(
            slice,
            span["text"].as_str().unwrap(),
            "span text differs from its slice"
        );
    }
}

#[test]
fn seed_article_yields_one_valid_enriched_record() {
    let seed: Value = serde_json::from_str(
        &std::fs::read_to_string(repo_file("tests/data/seed.gold.json")).unwrap(),
    )
    .unwrap();
    let input = serde_json::json!({"id": seed["id"], "text": seed["text"]}).to_string();
    let out = naba(&["extract"], Some(input.as_bytes()));
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let recs = records(&out);
    assert_eq!(recs.len(), 1);
    let r = &recs[0];
    let validator = schema();
    let errors: Vec<String> = validator.iter_errors(r).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "schema violations: {errors:?}");
    assert_eq!(r["id"], seed["id"]);
    assert_eq!(r["language"], "ar");
    assert_spans_are_slices(r, seed["text"].as_str().unwrap(), None);
}

#[test]
fn bad_lines_are_reported_and_skipped_while_good_ones_come_out() {
    let path = repo_file("tests/data/batch_mixed.jsonl");
    let out = naba(&["extract", path.to_str().unwrap()], None);
    assert!(
        !out.status.success(),
        "a rejected line must make the exit status non-zero"
    );
    let recs = records(&out);
    let ids: Vec<&str> = recs.iter().map(|r| r["id"].as_str().unwrap()).collect();
    // The second good article has no id: it is named by its url.
    assert_eq!(ids, ["good-1", "https://news.example/a2"]);
    let validator = schema();
    for r in &recs {
        assert!(validator.is_valid(r), "invalid record: {r}");
    }
    let stderr = String::from_utf8(out.stderr).unwrap();
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("naba: ")).collect();
    assert_eq!(
        errors.len(),
        4,
        "one error line per bad line, got:\n{stderr}"
    );
    assert!(errors[0].contains("batch_mixed.jsonl:2:") && errors[0].contains("not valid JSON"));
    assert!(errors[1].contains(":3:") && errors[1].contains("UTF-8"));
    assert!(errors[2].contains(":4:") && errors[2].contains("`text`"));
    assert!(errors[3].contains(":7:") && errors[3].contains("`text` must be a string"));
}

#[test]
fn output_keeps_input_order_with_several_jobs() {
    let mut input = String::new();
    for i in 0..700 {
        // Lengths vary so that workers finish out of order.
        let text = "قال المتحدث إن الاجتماع انتهى. ".repeat(1 + (i * 7) % 13);
        input.push_str(&serde_json::json!({"id": format!("a{i}"), "text": text}).to_string());
        input.push('\n');
    }
    let out = naba(&["extract", "--jobs", "3"], Some(input.as_bytes()));
    assert!(out.status.success());
    let ids: Vec<String> = records(&out)
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect();
    let expected: Vec<String> = (0..700).map(|i| format!("a{i}")).collect();
    assert_eq!(ids, expected);
}

#[test]
fn bundled_samples_all_come_out_valid() {
    let path = repo_file("tests/data/samples.jsonl");
    let out = naba(&["extract", path.to_str().unwrap()], None);
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let inputs: Vec<Value> = std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let recs = records(&out);
    assert_eq!(recs.len(), inputs.len());
    let validator = schema();
    for (r, a) in recs.iter().zip(&inputs) {
        assert!(validator.is_valid(r), "invalid record: {r}");
        assert_eq!(r["id"], a["id"]);
        assert_spans_are_slices(r, a["text"].as_str().unwrap(), a["title"].as_str());
    }
}
