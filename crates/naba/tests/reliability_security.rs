//! Security basics: librdkafka security settings reach the clients (a bad
//! one stops `naba run` at start, naming it), secrets never appear in the
//! printed configuration nor in the logs, and the metrics endpoint listens
//! on loopback unless told otherwise.

mod common;

use common::*;
use std::process::{Command, Output};
use std::time::Duration;

fn naba(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_naba"));
    cmd.args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.env_remove("NABA_CONFIG")
        .env_remove("NABA_TELEMETRY_METRICS_ADDR");
    cmd.output().unwrap()
}

fn config_file(name: &str, body: &str) -> String {
    let path = std::env::temp_dir().join(format!("{}.toml", unique(name)));
    std::fs::write(&path, body).unwrap();
    path.to_string_lossy().into_owned()
}

/// Every kind of secret librdkafka takes, each with a value that must never be shown.
const SECRETS: &[(&str, &str)] = &[
    ("sasl.password", "scram-pass-7f3a"),
    ("ssl.key.password", "key-pass-91bd"),
    ("ssl.keystore.password", "keystore-pass-2c44"),
    ("sasl.oauthbearer.client.secret", "oauth-secret-6e10"),
    (
        "sasl.oauthbearer.config",
        "principal=naba clientSecret=oauth-config-secret-55aa",
    ),
    (
        "ssl.key.pem",
        "-----BEGIN PRIVATE KEY-----\\nprivate-key-body-0d9e\\n-----END PRIVATE KEY-----",
    ),
    (
        "sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\\\"naba\\\" password=\\\"jaas-pass-3b71\\\";",
    ),
];

/// The distinctive part of each secret value above.
const SECRET_MARKERS: &[&str] = &[
    "scram-pass-7f3a",
    "key-pass-91bd",
    "keystore-pass-2c44",
    "oauth-secret-6e10",
    "oauth-config-secret-55aa",
    "private-key-body-0d9e",
    "jaas-pass-3b71",
];

fn secrets_section(section: &str) -> String {
    let mut s = format!("[kafka.{section}]\n");
    for (k, v) in SECRETS {
        s.push_str(&format!("\"{k}\" = \"{v}\"\n"));
    }
    s
}

#[test]
fn printed_configuration_never_shows_a_secret() {
    let file = config_file(
        "secrets",
        &format!(
            "{}\"sasl.username\" = \"naba-user\"\n{}",
            secrets_section("consumer"),
            secrets_section("producer")
        ),
    );
    let out = naba(&["config", "--print", "--config", &file], &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{out:?}");
    for marker in SECRET_MARKERS {
        assert!(!stdout.contains(marker), "{marker} shown:\n{stdout}");
    }
    // Masked, not dropped: the operator sees that the key is set.
    assert!(stdout.contains("\"sasl.password\" = \"****\""), "{stdout}");
    assert!(
        stdout.contains("naba-user"),
        "non-secret values stay visible"
    );
}

#[test]
fn metrics_endpoint_listens_on_loopback_by_default() {
    let out = naba(&["config", "--print"], &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("metrics_addr = \"127.0.0.1:9898\""),
        "{stdout}"
    );
}

#[test]
fn a_bad_security_protocol_for_the_producer_fails_at_start_naming_it() {
    let file = config_file(
        "badproto",
        "[kafka.producer]\n\"security.protocol\" = \"sasl_carrier_pigeon\"\n",
    );
    let out = naba(
        &[
            "run",
            "--config",
            &file,
            "--brokers",
            "127.0.0.1:1",
            "--metrics-addr",
            "",
        ],
        &[],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr.contains("security.protocol") && stderr.contains("sasl_carrier_pigeon"),
        "{stderr}"
    );
}

#[test]
fn a_bad_security_protocol_for_the_consumer_fails_at_start_naming_it() {
    let Some(brokers) = brokers() else { return };
    let t = Topics::new("badproto");
    t.create(&brokers, 1);
    let file = config_file(
        "badproto-consumer",
        "[kafka.consumer]\n\"security.protocol\" = \"sasl_carrier_pigeon\"\n",
    );
    let mut args = t.args(&brokers);
    args.extend(["--config".into(), file]);
    let mut naba = Naba::spawn(&args, &[]);
    let status = naba.wait(Duration::from_secs(30));
    let log = naba.log();
    assert!(status.is_some_and(|s| !s.success()), "{status:?}: {log}");
    assert!(
        log.contains("security.protocol") && log.contains("sasl_carrier_pigeon"),
        "{log}"
    );
}

#[test]
fn secrets_are_not_logged_even_at_debug_level() {
    let Some(brokers) = brokers() else { return };
    let t = Topics::new("nolog");
    t.create(&brokers, 1);
    // SCRAM against a broker without SASL: the client fails to authenticate
    // and logs about it, which is where a careless log line would leak.
    let file = config_file(
        "nolog",
        "[kafka.consumer]\n\"security.protocol\" = \"sasl_plaintext\"\n\"sasl.mechanisms\" = \"SCRAM-SHA-256\"\n\"sasl.username\" = \"naba\"\n\"sasl.password\" = \"scram-pass-7f3a\"\n\
         [kafka.producer]\n\"security.protocol\" = \"sasl_plaintext\"\n\"sasl.mechanisms\" = \"SCRAM-SHA-512\"\n\"sasl.username\" = \"naba\"\n\"sasl.password\" = \"key-pass-91bd\"\n",
    );
    let mut args = t.args(&brokers);
    args.extend(["--config".into(), file]);
    let mut naba = Naba::spawn(&args, &[("NABA_TELEMETRY_LOG_LEVEL", "debug")]);
    let _ = naba.wait(Duration::from_secs(8));
    let log = naba.log();
    assert!(log.contains("starting"), "the service did start: {log}");
    for marker in SECRET_MARKERS {
        assert!(!log.contains(marker), "{marker} logged:\n{log}");
    }
}
