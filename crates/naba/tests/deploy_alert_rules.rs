//! The alert rules fire when they should (deploy/prometheus/alerts_test.yml,
//! promtool's own unit-test format). promtool is not a Rust tool, so where it
//! is not installed (`apt-get install prometheus` brings it) this says so and
//! checks nothing; deploy_consistency.rs covers the names either way.

use std::path::Path;
use std::process::Command;

fn promtool(args: &[&str]) -> Option<std::process::Output> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../deploy/prometheus");
    match Command::new("promtool")
        .args(args)
        .current_dir(dir)
        .output()
    {
        Ok(out) => Some(out),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!("promtool not installed: alert rule unit tests not run");
            None
        }
        Err(e) => panic!("running promtool: {e}"),
    }
}

fn assert_success(out: std::process::Output, what: &str) {
    assert!(
        out.status.success(),
        "{what} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn alert_rules_are_valid_promql() {
    if let Some(out) = promtool(&["check", "rules", "alerts.yml"]) {
        assert_success(out, "promtool check rules");
    }
}

#[test]
fn alerts_fire_on_lag_stalls_dead_letters_latency_and_restarts() {
    if let Some(out) = promtool(&["test", "rules", "alerts_test.yml"]) {
        assert_success(out, "promtool test rules");
    }
}

#[test]
fn dashboard_queries_are_valid_promql() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../deploy/grafana/dashboards/naba.json");
    let dash: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    // Each query becomes a recording rule, the one form promtool checks offline.
    let mut rules = String::from("groups:\n  - name: dashboard\n    rules:\n");
    for (i, panel) in dash["panels"].as_array().unwrap().iter().enumerate() {
        for (j, t) in panel["targets"].as_array().unwrap().iter().enumerate() {
            let expr = t["expr"]
                .as_str()
                .unwrap()
                .replace("$__rate_interval", "1m");
            rules.push_str(&format!(
                "      - record: dashboard:p{i}_t{j}\n        expr: {}\n",
                serde_json::to_string(&expr).unwrap()
            ));
        }
    }
    let file =
        std::env::temp_dir().join(format!("naba-dashboard-rules-{}.yml", std::process::id()));
    std::fs::write(&file, rules).unwrap();
    if let Some(out) = promtool(&["check", "rules", file.to_str().unwrap()]) {
        assert_success(out, "promtool check rules (dashboard queries)");
    }
    let _ = std::fs::remove_file(&file);
}
