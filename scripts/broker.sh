#!/usr/bin/env bash
# A Kafka-protocol broker on loopback for naba's tests and benchmarks.
#
#   scripts/broker.sh install   build noida-db (MIT, crates.io), with the patches in scripts/broker/,
#                               into ~/.cache/naba if missing
#   scripts/broker.sh start     start it in the background, wait until it answers, print KAFKA_BROKERS
#   scripts/broker.sh stop      stop it (data kept in $NABA_BROKER_DIR)
#   scripts/broker.sh restart   stop, then start (data and group offsets survive)
#
# The tests only need KAFKA_BROKERS=host:port, so they run unchanged against any
# broker, real Kafka included: set KAFKA_BROKERS yourself and skip this script.
set -euo pipefail
NOIDA_VERSION=0.2.3
# Bump when scripts/broker/*.patch change, so every machine rebuilds.
PATCH_LEVEL=4
PORT=${NABA_BROKER_PORT:-19092}
DIR=${NABA_BROKER_DIR:-${TMPDIR:-/tmp}/naba-broker-$PORT}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=${NABA_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/naba}/noida-db-$NOIDA_VERSION-p$PATCH_LEVEL
BIN=$ROOT/bin/noida-db
LOG=$DIR.log

# noida-db-aborted-txns.patch: noida-db 0.2.3 lists, in a read_committed fetch, every aborted transaction
# of the partition, even those whose abort marker lies before the fetch
# offset; librdkafka then skips that producer's records until the next abort
# marker, so a reader that keeps up with a transactional topic stalls after a
# restarted producer's abort (issue #8: the kill -9 exactly-once test failed
# one run in four this way). The patch lists only the transactions that reach
# into the fetch, as Kafka does.
#
# noida-db-group-rebalance.patch (issue #8, a second instance joining and
# leaving): noida-db 0.2.3 moved the group's generation on when a rebalance
# *started*, so the members' offset commits were refused (ILLEGAL_GENERATION)
# the moment another consumer joined, and librdkafka declared its
# cooperative assignment lost, redoing what it had not committed; Kafka
# moves the generation on when the round completes and accepts commits
# while it prepares. A parked JoinGroup only noticed a completed round by
# polling the group's state every 20 ms, so when the leader synced and
# rejoined faster than that (the second round of every cooperative
# rebalance) the other member's JoinGroup stayed parked until the five-minute
# rebalance timeout (the new instance never got partitions). And a member
# that stopped heartbeating was only expired by its own next heartbeat, that
# is never: a dead consumer kept its partitions. The patch completes the
# generation with the round, answers every member of a completed round, and
# expires sessions as Kafka does (with tests in noida-db's own suite: its 62
# Kafka tests pass with `cargo test --features kafka --lib kafka::`).
#
# noida-db-shutdown-save.patch (the broker restarted mid-stream): noida-db
# saves its whole state as JSON when it stops (10 s for the ~300 MB a suite
# run leaves), and `stop` used to kill -9 it after 5 s, losing everything
# acknowledged since its last autosave; even a finished save missed what
# the broker kept acknowledging while it wrote. After the restart those
# records were gone, and so were the idempotent producers' sequence numbers
# (naba's producer failed with OutOfOrderSequenceNumber). The patch stops
# answering requests before the last snapshot, and `stop` waits for the save.
#
# noida-db-autosave-interval.patch (speed of the suite and of the pipeline
# benchmark): noida-db re-serialises its whole state as JSON about once a
# second while anything changes, hundreds of MB once topics fill, which took a
# large share of one of the two cores away from naba and the tests. The patch
# reads the interval from NOIDA_AUTOSAVE_SECS (0: no autosave, only the save
# at a clean stop); `start` sets it from NABA_BROKER_AUTOSAVE_SECS, default 0.
# The tests stop the broker cleanly (broker.sh stop/restart); nothing kills
# it with -9, which would lose the writes since its start.
#
# noida-db-fetch-limits.patch (the pipeline benchmark's ceiling, issue #7):
# noida-db 0.2.3 answered every Fetch with the partition's whole remaining
# log (it ignored partition_max_bytes and max_bytes, and found the first
# batch by scanning the log), and answered a fetch that found nothing at
# once instead of waiting up to its max_wait_ms. So a consumer that pauses
# (naba does, at max_in_flight; librdkafka then drops what it prefetched)
# had the whole backlog copied to it again after every resume (a 100 000
# article backlog is ~470 MB, above librdkafka's receive.message.max.bytes),
# and every caught-up consumer (the benchmark's meter, naba at the head of
# the log) exchanged empty fetches back to back with the broker: 3.5 CPU-s
# of the broker per 10 000 articles, the same two cores naba runs on. The
# patch binary-searches the first batch, stops at the limits as Kafka does
# (whole batches, a partition's first one always), and parks an empty fetch
# for up to max_wait_ms, re-reading the log every 2 ms (a test in noida-db's
# suite; its 63 Kafka tests pass). As in Kafka, a parked fetch holds back the
# requests behind it on its connection for up to fetch.wait.max.ms.
#
# The patches are applied to the crate's published source, taken from the
# registry by cargo itself.
install() {
  if [ -x "$BIN" ]; then return; fi
  echo "broker.sh: building noida-db $NOIDA_VERSION with naba's patches (a few minutes, once)" >&2
  local work
  work=$(mktemp -d)
  mkdir -p "$work/fetch/src"
  cat >"$work/fetch/Cargo.toml" <<TOML
[package]
name = "fetch-noida"
version = "0.0.0"
edition = "2021"
[dependencies]
noida-db = { version = "=$NOIDA_VERSION", default-features = false, features = ["kafka"] }
TOML
  : >"$work/fetch/src/lib.rs"
  (cd "$work/fetch" && cargo fetch -q >&2)
  local src
  src=$(cd "$work/fetch" && cargo metadata --format-version 1 2>/dev/null |
    python3 -c 'import json,sys; print(next(p["manifest_path"] for p in json.load(sys.stdin)["packages"] if p["name"]=="noida-db").rsplit("/",1)[0])')
  cp -r "$src" "$work/noida-db"
  chmod -R u+w "$work/noida-db"
  for p in "$HERE"/broker/*.patch; do
    (cd "$work/noida-db" && patch -s -p1 <"$p") >&2
  done
  cargo install --path "$work/noida-db" --locked --no-default-features --features kafka --root "$ROOT" >&2
  rm -rf "$work"
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
  NOIDA_AUTOSAVE_SECS=${NABA_BROKER_AUTOSAVE_SECS:-0} \
    nohup "$BIN" start --only kafka --host 127.0.0.1 --kafka-port "$PORT" --data-dir "$DIR" >"$LOG" 2>&1 &
  echo $! >"$DIR.pid"
  wait_port
  echo "KAFKA_BROKERS=127.0.0.1:$PORT"
}

stop() {
  if [ -f "$DIR.pid" ]; then
    pid=$(cat "$DIR.pid")
    kill "$pid" 2>/dev/null || true
    # noida-db saves its whole state (as JSON) before it exits: seconds, or
    # tens of seconds once the suite has filled it. Killing it sooner loses
    # everything acknowledged since its last autosave.
    for _ in $(seq 1 1200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
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
