//! `naba demo` is the README's first command: on a machine with nothing but
//! the binary it must show every bundled sample enriched, quickly, and exit 0.

use std::process::Command;
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn samples() -> Vec<serde_json::Value> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/data/samples.jsonl"
    );
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn demo(extra: &[&str]) -> (bool, String, String, Duration) {
    let addr = format!("127.0.0.1:{}", free_port());
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_naba"));
    for (k, _) in std::env::vars() {
        if k.starts_with("NABA_") {
            cmd.env_remove(k);
        }
    }
    let started = Instant::now();
    let out = cmd
        .args(["demo", "--metrics-addr", &addr, "--timeout-secs", "50"])
        .args(extra)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        started.elapsed(),
    )
}

#[test]
fn demo_shows_every_sample_enriched_without_any_broker_installed() {
    let (ok, stdout, stderr, took) = demo(&[]);
    assert!(ok, "demo failed:\n{stderr}\n{stdout}");
    for s in samples() {
        let id = s["id"].as_str().unwrap();
        assert!(
            stdout.contains(&format!("id {id} ")),
            "{id} missing:\n{stdout}"
        );
        if let Some(title) = s["title"].as_str() {
            assert!(stdout.contains(title), "title of {id} missing:\n{stdout}");
        }
    }
    assert_eq!(stdout.matches("\n━━ ").count(), samples().len(), "{stdout}");
    assert!(took < Duration::from_secs(60), "demo took {took:?}");
}

#[test]
fn demo_json_output_is_one_enriched_record_per_sample() {
    let (ok, stdout, stderr, _) = demo(&["--json"]);
    assert!(ok, "demo failed:\n{stderr}");
    let records: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), samples().len());
    let mut ids: Vec<_> = records.iter().map(|r| r["id"].as_str().unwrap()).collect();
    ids.sort_unstable();
    let mut want: Vec<_> = samples()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect();
    want.sort_unstable();
    assert_eq!(ids, want);
    assert!(records.iter().all(|r| r["schema"] == "naba.enriched.v1"));
}
