#!/usr/bin/env bash
# Runs every check naba has, on a fresh machine: formatting, lints, unit and
# integration tests. It installs and starts the Kafka-protocol broker the
# integration tests need (scripts/broker.sh) unless KAFKA_BROKERS is already set.
set -euo pipefail
cd "$(dirname "$0")/.."

rustup component add rustfmt clippy >/dev/null 2>&1 || true

# promtool checks deploy/prometheus's alert rules (crates/naba/tests/deploy_alert_rules.rs).
# It comes with Debian's prometheus package; installed when we may (root, apt), else that test
# says it did not run. Never fatal: the rest of the suite does not need it.
if ! command -v promtool >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "== installing promtool (Debian package prometheus)"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus) \
    >/dev/null 2>&1 || echo "promtool could not be installed; the alert rule tests will not run"
fi

echo "== cargo fmt --check"
cargo fmt --all -- --check

echo "== cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

started_broker=""
if [ -z "${KAFKA_BROKERS:-}" ]; then
  echo "== starting a Kafka-protocol broker on loopback"
  export NABA_BROKER_DIR=$(mktemp -d)/broker
  line=$(scripts/broker.sh start)
  export "$line"
  started_broker=1
  trap 'scripts/broker.sh stop' EXIT
fi
echo "KAFKA_BROKERS=$KAFKA_BROKERS"

echo "== cargo test"
cargo test --workspace --locked
