#!/usr/bin/env bash
# A Kafka-protocol broker on loopback for naba's tests and benchmarks.
#
#   scripts/broker.sh install   build noida-db (MIT, crates.io) into ~/.cargo/bin if missing
#   scripts/broker.sh start     start it in the background, wait until it answers, print KAFKA_BROKERS
#   scripts/broker.sh stop      stop it (data kept in $NABA_BROKER_DIR)
#   scripts/broker.sh restart   stop, then start (data and group offsets survive)
#
# The tests only need KAFKA_BROKERS=host:port, so they run unchanged against any
# broker, real Kafka included: set KAFKA_BROKERS yourself and skip this script.
set -euo pipefail
NOIDA_VERSION=0.2.3
PORT=${NABA_BROKER_PORT:-19092}
DIR=${NABA_BROKER_DIR:-${TMPDIR:-/tmp}/naba-broker-$PORT}
BIN=${CARGO_HOME:-$HOME/.cargo}/bin/noida-db
LOG=$DIR.log

install() {
  if [ -x "$BIN" ] && "$BIN" version 2>/dev/null | grep -q "$NOIDA_VERSION"; then return; fi
  echo "broker.sh: building noida-db $NOIDA_VERSION (about two minutes, once)" >&2
  cargo install noida-db --version "$NOIDA_VERSION" --locked --no-default-features --features kafka >&2
}

wait_port() {
  for _ in $(seq 1 150); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  echo "broker.sh: broker did not open port $PORT; log:" >&2
  tail -n 30 "$LOG" >&2 || true
  return 1
}

start() {
  install
  mkdir -p "$DIR"
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    echo "KAFKA_BROKERS=127.0.0.1:$PORT"
    return
  fi
  nohup "$BIN" start --only kafka --host 127.0.0.1 --kafka-port "$PORT" --data-dir "$DIR" >"$LOG" 2>&1 &
  echo $! >"$DIR.pid"
  wait_port
  echo "KAFKA_BROKERS=127.0.0.1:$PORT"
}

stop() {
  if [ -f "$DIR.pid" ]; then
    pid=$(cat "$DIR.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$DIR.pid"
  fi
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  *) echo "usage: $0 install|start|stop|restart" >&2; exit 2 ;;
esac
