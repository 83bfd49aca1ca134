//! Keeps deploy/ honest: the files parse, agree with each other, and name only
//! what the binary really has (metrics, port, probe paths, config keys).
//! Docker and Kubernetes are not available to CI, so this is what stands
//! between a rename in the code and a dashboard that silently goes blank.

use rdkafka::config::ClientConfig;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::Message;
use rdkafka::mocking::MockCluster;
use rdkafka::topic_partition_list::{Offset, TopicPartitionList};
use serde_json::Value as Json;
use serde_yaml::Value as Yaml;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn deploy_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../deploy")
}

fn read(rel: &str) -> String {
    let p = deploy_dir().join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("reading {}: {e}", p.display()))
}

/// Every document of a (possibly multi-document) YAML file.
fn yaml_docs(rel: &str) -> Vec<Yaml> {
    let text = read(rel);
    serde_yaml::Deserializer::from_str(&text)
        .map(|d| {
            serde::Deserialize::deserialize(d)
                .unwrap_or_else(|e| panic!("{rel} does not parse: {e}"))
        })
        .filter(|v: &Yaml| !v.is_null())
        .collect()
}

fn yaml(rel: &str) -> Yaml {
    let mut docs = yaml_docs(rel);
    assert_eq!(docs.len(), 1, "{rel}: expected one YAML document");
    docs.remove(0)
}

fn files_with_ext(dir: &Path, exts: &[&str], out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            files_with_ext(&p, exts, out);
        } else if p
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| exts.contains(&e))
        {
            out.push(p);
        }
    }
}

/// Follows a path of mapping keys and sequence indices written as `a.b.0.c`.
fn at<'a>(v: &'a Yaml, path: &str) -> &'a Yaml {
    let mut cur = v;
    for part in path.split('.') {
        cur = match part.parse::<usize>() {
            Ok(i) => &cur[i],
            Err(_) => &cur[part],
        };
    }
    assert!(!cur.is_null(), "no value at `{path}`");
    cur
}

fn s<'a>(v: &'a Yaml, path: &str) -> &'a str {
    at(v, path)
        .as_str()
        .unwrap_or_else(|| panic!("`{path}` is not a string"))
}

fn n(v: &Yaml, path: &str) -> u64 {
    let x = at(v, path);
    x.as_u64()
        .or_else(|| x.as_str().and_then(|s| s.parse().ok()))
        .unwrap_or_else(|| panic!("`{path}` is not a number: {x:?}"))
}

/// `[section] key = value` pairs of a flat TOML document, comments dropped.
/// naba's config has no nested tables beyond sections, so this is enough and
/// keeps `toml` out of the test's dependencies.
fn toml_keys(text: &str) -> BTreeSet<(String, String)> {
    let mut section = String::new();
    let mut keys = BTreeSet::new();
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name.trim().to_string();
        } else if let Some((k, v)) = line.split_once('=') {
            keys.insert((format!("{section}.{}", k.trim()), v.trim().to_string()));
        }
    }
    keys
}

fn toml_value(text: &str, key: &str) -> String {
    toml_keys(text)
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.trim_matches('"').to_string())
        .unwrap_or_else(|| panic!("no `{key}` in the config"))
}

fn port_of(addr: &str) -> u64 {
    addr.rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no port in {addr:?}"))
}

fn deployment() -> Yaml {
    yaml("k8s/deployment.yaml")
}

fn configmap_toml() -> String {
    let cm = yaml("k8s/configmap.yaml");
    // The key contains a dot, so it is looked up directly.
    cm["data"]["naba.toml"]
        .as_str()
        .expect("the ConfigMap holds naba.toml")
        .to_string()
}

/// `naba_*` names in a PromQL-bearing text, in order of appearance.
fn metric_names(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(pos) = text[i..].find("naba_") {
        let start = i + pos;
        let boundary = start == 0 || {
            let c = bytes[start - 1];
            !(c.is_ascii_alphanumeric() || c == b'_')
        };
        let mut end = start;
        while end < bytes.len() && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_') {
            end += 1;
        }
        if boundary {
            out.insert(text[start..end].to_string());
        }
        i = end;
    }
    out
}

fn dashboard() -> Json {
    serde_json::from_str(&read("grafana/dashboards/naba.json"))
        .unwrap_or_else(|e| panic!("the dashboard does not parse: {e}"))
}

fn dashboard_exprs() -> Vec<String> {
    let d = dashboard();
    let mut out = Vec::new();
    for p in d["panels"].as_array().expect("panels") {
        for t in p["targets"].as_array().expect("targets") {
            out.push(t["expr"].as_str().expect("expr").to_string());
        }
    }
    out
}

fn alert_exprs() -> Vec<(String, String)> {
    let rules = yaml("prometheus/alerts.yml");
    let mut out = Vec::new();
    for g in at(&rules, "groups").as_sequence().expect("groups") {
        for r in at(g, "rules").as_sequence().expect("rules") {
            out.push((s(r, "alert").to_string(), s(r, "expr").to_string()));
        }
    }
    out
}

/// Every metric the dashboard and the alerts query, with `_bucket/_sum/_count` kept.
fn referenced_metrics() -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for e in dashboard_exprs() {
        names.extend(metric_names(&e));
    }
    for (_, e) in alert_exprs() {
        names.extend(metric_names(&e));
    }
    names
}

#[test]
fn every_yaml_and_json_file_in_deploy_parses() {
    let mut files = Vec::new();
    files_with_ext(&deploy_dir(), &["yml", "yaml", "json"], &mut files);
    assert!(files.len() >= 12, "deploy/ lost files: {files:?}");
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let rel = f.strip_prefix(deploy_dir()).unwrap().display().to_string();
        if rel.ends_with(".json") {
            serde_json::from_str::<Json>(&text).unwrap_or_else(|e| panic!("{rel}: {e}"));
        } else {
            assert!(!yaml_docs(&rel).is_empty(), "{rel} is empty");
        }
    }
}

#[test]
fn kubernetes_manifests_have_the_kinds_and_fields_operators_rely_on() {
    let mut kinds = BTreeSet::new();
    let mut files = Vec::new();
    files_with_ext(&deploy_dir().join("k8s"), &["yaml"], &mut files);
    for f in &files {
        let rel = f.strip_prefix(deploy_dir()).unwrap().display().to_string();
        for doc in yaml_docs(&rel) {
            kinds.insert(s(&doc, "kind").to_string());
        }
    }
    for kind in [
        "Deployment",
        "ConfigMap",
        "Service",
        "PodDisruptionBudget",
        "ScaledObject",
        "HorizontalPodAutoscaler",
    ] {
        assert!(
            kinds.contains(kind),
            "no {kind} under deploy/k8s: {kinds:?}"
        );
    }
    let d = deployment();
    let c = at(&d, "spec.template.spec.containers.0");
    for key in ["resources.requests.cpu", "resources.requests.memory"] {
        at(c, key);
    }
    assert_eq!(n(&d, "spec.template.spec.securityContext.runAsUser"), 10001);
    // The Service, the PDB and the Deployment's own selector pick the pods it labels.
    let name_label = "app.kubernetes.io/name";
    let label = &at(&d, "spec.template.metadata.labels")[name_label];
    assert!(label.is_string());
    assert_eq!(&at(&d, "spec.selector.matchLabels")[name_label], label);
    assert_eq!(
        &at(&yaml("k8s/service.yaml"), "spec.selector")[name_label],
        label
    );
    assert_eq!(
        &at(&yaml("k8s/pdb.yaml"), "spec.selector.matchLabels")[name_label],
        label
    );
}

#[test]
fn dashboard_and_alerts_only_query_names_in_the_naba_scheme() {
    let names = referenced_metrics();
    assert!(names.len() >= 10, "suspiciously few metrics: {names:?}");
    for name in &names {
        let base = ["_bucket", "_sum", "_count"]
            .iter()
            .find_map(|suf| name.strip_suffix(suf))
            .unwrap_or(name);
        assert!(
            base.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
            "{name} is not snake_case"
        );
        assert!(
            !name.ends_with("_bucket") || base.ends_with("_seconds"),
            "{name}: histograms in naba measure seconds"
        );
    }
    let alerts: BTreeSet<_> = alert_exprs().into_iter().map(|(a, _)| a).collect();
    for wanted in [
        "NabaConsumerLagGrowing",
        "NabaNoProgress",
        "NabaDeadLetterRateHigh",
        "NabaEndToEndLatencyHigh",
        "NabaRestarting",
    ] {
        assert!(
            alerts.contains(wanted),
            "alert {wanted} missing: {alerts:?}"
        );
    }
}

#[test]
fn metrics_port_and_probe_paths_agree_across_deploy_files() {
    let toml = read("naba.toml");
    let port = port_of(&toml_value(&toml, "telemetry.metrics_addr"));
    assert_eq!(
        port_of(&toml_value(&configmap_toml(), "telemetry.metrics_addr")),
        port
    );

    // Kubernetes: container port, probes by port name, Service, scrape annotations.
    let d = deployment();
    let c = at(&d, "spec.template.spec.containers.0");
    assert_eq!(n(c, "ports.0.containerPort"), port);
    let port_name = s(c, "ports.0.name");
    assert_eq!(s(c, "livenessProbe.httpGet.path"), "/healthz");
    assert_eq!(s(c, "readinessProbe.httpGet.path"), "/readyz");
    assert_eq!(s(c, "livenessProbe.httpGet.port"), port_name);
    assert_eq!(s(c, "readinessProbe.httpGet.port"), port_name);
    let ann = at(&d, "spec.template.metadata.annotations");
    assert_eq!(
        ann["prometheus.io/port"].as_str(),
        Some(port.to_string().as_str())
    );
    assert_eq!(ann["prometheus.io/path"].as_str(), Some("/metrics"));
    let svc = yaml("k8s/service.yaml");
    assert_eq!(n(&svc, "spec.ports.0.port"), port);
    assert_eq!(s(&svc, "spec.ports.0.targetPort"), port_name);

    // Compose: published port, healthcheck, Prometheus target.
    let compose = yaml("docker-compose.yml");
    let naba = at(&compose, "services.naba");
    assert_eq!(s(naba, "ports.0"), format!("{port}:{port}"));
    let check = at(naba, "healthcheck.test")
        .as_sequence()
        .expect("healthcheck.test")
        .iter()
        .filter_map(|v| v.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        check.contains(&format!(":{port}/healthz")),
        "compose healthcheck: {check}"
    );
    let prom = yaml("prometheus/prometheus.yml");
    let job = at(&prom, "scrape_configs.0");
    assert_eq!(s(job, "metrics_path"), "/metrics");
    assert_eq!(s(job, "static_configs.0.targets.0"), format!("naba:{port}"));

    // Dockerfile: EXPOSE and HEALTHCHECK.
    let docker = read("Dockerfile");
    assert!(docker.contains(&format!("EXPOSE {port}")));
    assert!(docker.contains(&format!("127.0.0.1:{port}/healthz")));
    assert!(
        docker.contains("USER 10001"),
        "the image must not run as root"
    );
}

#[test]
fn environment_overrides_in_deploy_files_name_real_config_keys() {
    let keys: BTreeSet<String> = toml_keys(&read("naba.toml"))
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    let env_to_key = |var: &str| -> Option<String> {
        let rest = var.strip_prefix("NABA_")?.to_ascii_lowercase();
        keys.iter().find(|k| k.replace('.', "_") == rest).cloned()
    };
    let vars = deploy_env_vars();
    assert!(vars.len() >= 5, "{vars:?}");
    for (var, value) in vars {
        let key = env_to_key(&var)
            .unwrap_or_else(|| panic!("{var} does not name a key of deploy/naba.toml"));
        if key == "telemetry.metrics_addr" {
            assert_eq!(
                port_of(&value),
                port_of(&toml_value(&read("naba.toml"), &key)),
                "{var}"
            );
        }
    }
}

#[test]
fn scaling_targets_the_consumer_group_and_topic_naba_uses() {
    let toml = configmap_toml();
    let so = yaml("k8s/scaledobject.yaml");
    let trigger = at(&so, "spec.triggers.0.metadata");
    assert_eq!(
        s(trigger, "consumerGroup"),
        toml_value(&toml, "kafka.group")
    );
    assert_eq!(s(trigger, "topic"), toml_value(&toml, "kafka.input_topic"));
    assert_eq!(
        s(trigger, "bootstrapServers"),
        toml_value(&toml, "kafka.brokers")
    );
    assert_eq!(
        s(&so, "spec.scaleTargetRef.name"),
        s(&deployment(), "metadata.name")
    );
    let hpa = yaml("k8s/hpa.yaml");
    assert_eq!(
        s(&hpa, "spec.scaleTargetRef.name"),
        s(&deployment(), "metadata.name")
    );
    assert!(referenced_metrics().contains(s(&hpa, "spec.metrics.0.external.metric.name")));
    // The pod must have time to drain and commit before it is killed.
    let grace = n(
        &deployment(),
        "spec.template.spec.terminationGracePeriodSeconds",
    );
    let drain: u64 = toml_value(&toml, "pipeline.shutdown_timeout_secs")
        .parse()
        .unwrap();
    assert!(
        grace > drain,
        "grace {grace}s <= shutdown_timeout_secs {drain}s"
    );
}

#[test]
fn configmap_and_example_config_differ_only_in_the_broker_address() {
    let a = toml_keys(&read("naba.toml"));
    let b = toml_keys(&configmap_toml());
    let differ: Vec<_> = a.symmetric_difference(&b).map(|(k, _)| k.clone()).collect();
    assert!(
        differ.iter().all(|k| k == "kafka.brokers"),
        "deploy/naba.toml and the ConfigMap disagree on {differ:?}"
    );
}

// ---- Against the binary -------------------------------------------------

/// The naba binary with no `NABA_*` variable of the caller's environment.
fn naba() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_naba"));
    for (k, _) in std::env::vars() {
        if k.starts_with("NABA_") {
            cmd.env_remove(k);
        }
    }
    cmd
}

fn output_ok(cmd: &mut Command) -> String {
    let out = cmd.output().expect("running naba");
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// `naba config --print`, the keys and values the binary really uses.
fn printed_config(
    extra: &[&std::ffi::OsStr],
    env: Option<(&str, &str)>,
) -> BTreeSet<(String, String)> {
    let mut cmd = naba();
    cmd.args(["config", "--print"]).args(extra);
    if let Some((k, v)) = env {
        cmd.env(k, v);
    }
    toml_keys(&output_ok(&mut cmd))
}

fn value_of(keys: &BTreeSet<(String, String)>, key: &str) -> String {
    keys.iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.trim_matches('"').to_string())
        .unwrap_or_else(|| panic!("`naba config --print` has no `{key}`"))
}

/// `NABA_*` variables the Dockerfile, the compose file and the Deployment set.
fn deploy_env_vars() -> Vec<(String, String)> {
    let mut vars = Vec::new();
    let compose = yaml("docker-compose.yml");
    for (k, v) in at(&compose, "services.naba.environment")
        .as_mapping()
        .expect("environment")
    {
        let v = v.as_str().map(str::to_string).unwrap_or_default();
        vars.push((k.as_str().expect("variable name").to_string(), v));
    }
    let d = deployment();
    for e in at(&d, "spec.template.spec.containers.0.env")
        .as_sequence()
        .expect("env")
    {
        vars.push((s(e, "name").to_string(), s(e, "value").to_string()));
    }
    for line in read("Dockerfile").lines() {
        for word in line.split_whitespace() {
            if let Some((k, v)) = word.split_once('=') {
                if k.starts_with("NABA_") {
                    vars.push((k.to_string(), v.to_string()));
                }
            }
        }
    }
    vars
}

#[test]
fn example_config_and_configmap_are_accepted_by_the_binary() {
    let path = deploy_dir().join("naba.toml");
    let printed = printed_config(&["--config".as_ref(), path.as_os_str()], None);
    let printed_keys: BTreeSet<_> = printed.iter().map(|(k, _)| k.clone()).collect();
    for (key, value) in toml_keys(&read("naba.toml")) {
        assert!(printed_keys.contains(&key), "naba does not know `{key}`");
        assert_eq!(
            value.trim_matches('"'),
            value_of(&printed, &key),
            "`{key}` is not read as written"
        );
    }
    let dir = std::env::temp_dir().join(format!("naba-deploy-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cm = dir.join("naba.toml");
    std::fs::write(&cm, configmap_toml()).unwrap();
    output_ok(naba().arg("config").arg("--config").arg(&cm));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn environment_variables_in_deploy_files_are_read_by_the_binary() {
    for (var, value) in deploy_env_vars() {
        let key = var
            .strip_prefix("NABA_")
            .expect("NABA_ prefix")
            .to_ascii_lowercase();
        let printed = printed_config(&[], Some((&var, &value)));
        let hit = printed
            .iter()
            .find(|(k, _)| k.replace('.', "_") == key)
            .unwrap_or_else(|| panic!("{var} names no key of `naba config --print`"));
        assert_eq!(hit.1.trim_matches('"'), value, "{var} was not applied");
    }
}

#[test]
fn deployed_port_is_the_binary_default_port_and_entrypoint_exists() {
    let printed = printed_config(&[], None);
    let default_port = port_of(&value_of(&printed, "telemetry.metrics_addr"));
    assert_eq!(
        default_port,
        port_of(&toml_value(&read("naba.toml"), "telemetry.metrics_addr"))
    );
    // Dockerfile CMD, compose `command` and the Deployment's args run `naba run --config`.
    let help = output_ok(naba().args(["run", "--help"]));
    assert!(help.contains("--config"), "{help}");
    let d = deployment();
    assert_eq!(s(&d, "spec.template.spec.containers.0.args.0"), "run");
    assert_eq!(
        s(&yaml("docker-compose.yml"), "services.naba.command.0"),
        "run"
    );
    assert!(read("Dockerfile").contains(r#"CMD ["run", "--config""#));
}

/// Kills the child on drop, so a failed assertion leaves no service running.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn http_get(addr: &str, path: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(addr).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut raw = String::new();
    stream.read_to_string(&mut raw).ok()?;
    let status = raw.split_whitespace().nth(1)?.parse().ok()?;
    let body = raw.split_once("\r\n\r\n").map(|(_, b)| b.to_string())?;
    Some((status, body))
}

/// Base names of every sample in a Prometheus text exposition.
fn exported_names(exposition: &str) -> BTreeSet<String> {
    exposition
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split(['{', ' ']).next())
        .map(str::to_string)
        .collect()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn running_naba_exports_every_metric_the_dashboard_and_alerts_use() {
    let cluster = MockCluster::new(1).unwrap();
    for topic in ["in", "out", "dlq"] {
        cluster.create_topic(topic, 2, 1).unwrap();
    }
    let brokers = cluster.bootstrap_servers();
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/samples.jsonl");
    output_ok(
        naba()
            .args(["produce", "--brokers", &brokers, "--topic", "in"])
            .arg(&samples),
    );
    // One message naba must dead-letter, so the dead-letter series exists.
    let mut raw = naba()
        .args(["produce", "--raw", "--brokers", &brokers, "--topic", "in"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    raw.stdin.take().unwrap().write_all(b"not json\n").unwrap();
    assert!(raw.wait().unwrap().success());

    let addr = format!("127.0.0.1:{}", free_port());
    // A file, not a pipe: nobody reads while it runs, and a full pipe would block naba.
    let log_path =
        std::env::temp_dir().join(format!("naba-deploy-test-{}.log", std::process::id()));
    let log = std::fs::File::create(&log_path).unwrap();
    let mut service = Running(
        naba()
            .args(["run", "--brokers", &brokers, "--input-topic", "in"])
            .args([
                "--output-topic",
                "out",
                "--dlq-topic",
                "dlq",
                "--group",
                "deploy-test",
            ])
            .args(["--metrics-addr", &addr])
            .env("NABA_TELEMETRY_STATISTICS_INTERVAL_MS", "200")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap(),
    );

    let wanted = referenced_metrics();
    let samples_count = read_samples_count(&samples);
    let deadline = Instant::now() + Duration::from_secs(60);
    let (mut missing, mut ready, mut exposition) = (wanted.clone(), false, String::new());
    let mut extracted: Option<BTreeMap<String, f64>> = None;
    while Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(300));
        if let Ok(Some(status)) = service.0.try_wait() {
            let err = std::fs::read_to_string(&log_path).unwrap_or_default();
            panic!("naba run exited early ({status}):\n{err}");
        }
        if let Some((200, body)) = http_get(&addr, "/metrics") {
            exposition = body;
        }
        ready = ready || matches!(http_get(&addr, "/readyz"), Some((200, _)));
        let published = sample_sum(&exposition, "naba_articles_published_total");
        if published >= samples_count as f64 && extracted.is_none() {
            extracted = Some(extracted_counts(&brokers, samples_count));
        }
        let Some(counts) = &extracted else { continue };
        // A labelled counter has no series until its first increment, so the
        // entity and statement counters can only be asked of a running naba
        // once the extractor has found an entity or a statement in the samples.
        let names = exported_names(&exposition);
        missing = wanted
            .iter()
            .filter(|m| !names.contains(*m))
            .filter(|m| !matches!(counts.get(*m), Some(n) if *n == 0.0))
            .cloned()
            .collect();
        if missing.is_empty() && ready {
            break;
        }
    }
    assert!(
        missing.is_empty(),
        "metrics used by deploy/ but not exported by naba: {missing:?}\n{exposition}"
    );
    assert!(ready, "/readyz never answered 200");
    // Retried: on a loaded two-core CI machine one request can time out.
    let healthz = (0..5).find_map(|_| http_get(&addr, "/healthz").map(|(s, _)| s));
    assert_eq!(healthz, Some(200));
    // What the counters say agrees with the records naba published.
    let counts = extracted.expect("the samples were published");
    for (metric, n) in counts {
        assert_eq!(sample_sum(&exposition, &metric), n, "{metric}");
    }
    drop(service);
    let _ = std::fs::remove_file(&log_path);
}

/// Sum of every sample of `metric`, whatever its labels.
fn sample_sum(exposition: &str, metric: &str) -> f64 {
    exposition
        .lines()
        .filter(|l| l.split(['{', ' ']).next() == Some(metric))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}

/// Entities and statements in the published records, keyed by the counter
/// that counts them.
fn extracted_counts(brokers: &str, expected: usize) -> BTreeMap<String, f64> {
    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set("group.id", "deploy-test-reader")
        .set("enable.auto.commit", "false")
        .create()
        .unwrap();
    let mut tpl = TopicPartitionList::new();
    for p in 0..2 {
        tpl.add_partition_offset("out", p, Offset::Beginning)
            .unwrap();
    }
    consumer.assign(&tpl).unwrap();
    let mut counts = BTreeMap::from([
        ("naba_entities_extracted_total".to_string(), 0.0),
        ("naba_statements_extracted_total".to_string(), 0.0),
    ]);
    let (mut seen, deadline) = (0, Instant::now() + Duration::from_secs(20));
    while seen < expected && Instant::now() < deadline {
        let Some(Ok(msg)) = consumer.poll(Duration::from_millis(200)) else {
            continue;
        };
        let record: Json = serde_json::from_slice(msg.payload().unwrap_or_default()).unwrap();
        for (field, metric) in [
            ("entities", "naba_entities_extracted_total"),
            ("statements", "naba_statements_extracted_total"),
        ] {
            let n = record[field].as_array().map_or(0, Vec::len);
            *counts.get_mut(metric).unwrap() += n as f64;
        }
        seen += 1;
    }
    assert_eq!(seen, expected, "not every sample came out of `out`");
    counts
}

fn read_samples_count(path: &Path) -> usize {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .count()
}
