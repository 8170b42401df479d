#!/usr/bin/env bash
# A cluster on this machine for `runner=cluster` runs: a Ray head and an MLflow tracking server,
# both bound to 127.0.0.1 unless SIMLAB_HOST says otherwise.
#
#   scripts/cluster.sh up      # start both, print the `simlab run` line to use them
#   scripts/cluster.sh status
#   scripts/cluster.sh down    # stop exactly the processes `up` started
#
# Settings (environment): SIMLAB_HOST (127.0.0.1), RAY_PORT (6379), MLFLOW_PORT (5000),
# NUM_CPUS (all), SIMLAB_CLUSTER_DIR (.cluster: pids, logs, store), MLFLOW_BACKEND
# (sqlite:///<dir>/mlflow.db; use postgresql://... for many concurrent users),
# MLFLOW_ARTIFACTS (<dir>/artifacts). On a real cluster, run the Ray part on the head node and
# `ray start --address=<head>:<port>` on each worker node (see docs/scaling.md).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$ROOT/.venv/bin}
HOST=${SIMLAB_HOST:-127.0.0.1}
RAY_PORT=${RAY_PORT:-6379}
MLFLOW_PORT=${MLFLOW_PORT:-5000}
STATE=${SIMLAB_CLUSTER_DIR:-$ROOT/.cluster}
BACKEND=${MLFLOW_BACKEND:-sqlite:///$STATE/mlflow.db}
ARTIFACTS=${MLFLOW_ARTIFACTS:-$STATE/artifacts}
# Ray's unix socket paths must stay short: its temp dir lives under /tmp, keyed by the state dir.
RAY_TMP=${RAY_TMP:-/tmp/simlab-head-$(printf %s "$STATE" | sha1sum | cut -c1-8)}

# Ray rewrites 127.0.0.1 to the machine's network address and listens there unless told that
# this is a single-machine cluster; keep a loopback head on loopback.
case "$HOST" in 127.0.0.1|localhost|::1) export RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0 ;; esac

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

wait_http() {   # wait_http URL SECONDS
  "$BIN/python" - "$1" "$2" <<'PY'
import sys, time, urllib.request
url, deadline = sys.argv[1], time.monotonic() + float(sys.argv[2])
while time.monotonic() < deadline:
    try:
        urllib.request.urlopen(url, timeout=2).read()
        sys.exit(0)
    except Exception:
        time.sleep(0.3)
sys.exit(f"timed out waiting for {url}")
PY
}

up() {
  mkdir -p "$STATE" "$ARTIFACTS"
  if alive "$STATE/ray.pid" || alive "$STATE/mlflow.pid"; then
    echo "cluster already up (pids in $STATE); scripts/cluster.sh down first" >&2; exit 1
  fi
  cpus=()
  [ -n "${NUM_CPUS:-}" ] && cpus=(--num-cpus "$NUM_CPUS")
  # --block keeps the head's processes children of this one, so `down` stops exactly them
  # (plain `ray stop` would stop every Ray of this user on the machine).
  RAY_USAGE_STATS_ENABLED=0 setsid nohup "$BIN/ray" start --head --block --node-ip-address="$HOST" \
      --port="$RAY_PORT" "${cpus[@]}" --include-dashboard=false --disable-usage-stats \
      --temp-dir="$RAY_TMP" >"$STATE/ray.log" 2>&1 &
  echo $! >"$STATE/ray.pid"
  setsid nohup "$BIN/mlflow" server --host "$HOST" --port "$MLFLOW_PORT" --workers 1 \
      --backend-store-uri "$BACKEND" --artifacts-destination "$ARTIFACTS" >"$STATE/mlflow.log" 2>&1 &
  echo $! >"$STATE/mlflow.pid"
  wait_http "http://$HOST:$MLFLOW_PORT/health" 120 || { tail -20 "$STATE/mlflow.log" >&2; down; exit 1; }
  # connect the way `simlab run runner=cluster` does, until the head answers
  (cd "$ROOT" && "$BIN/python" - "$HOST:$RAY_PORT" <<'PY') || { tail -20 "$STATE/ray.log" >&2; down; exit 1; }
import sys, time
from runners.ray_backend import connected
deadline = time.monotonic() + 120
while True:
    try:
        with connected({"address": sys.argv[1]}) as cpus:
            print(f"Ray head answers: {cpus} CPU(s)")
        break
    except Exception:
        if time.monotonic() > deadline:
            raise
        time.sleep(0.5)
PY
  echo "Ray head: $HOST:$RAY_PORT   MLflow server: http://$HOST:$MLFLOW_PORT   (state: $STATE)"
  echo "run:  simlab run runner=cluster runner.address=$HOST:$RAY_PORT tracking.uri=http://$HOST:$MLFLOW_PORT ..."
}

stop_pid() {   # stop_pid PIDFILE NAME: TERM the process group, KILL after 15 s
  local f=$1
  if alive "$f"; then
    local pid; pid=$(cat "$f")
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.3; done
    kill -KILL -- "-$pid" 2>/dev/null || true
    echo "stopped $2 (pid $pid)"
  fi
  rm -f "$f"
}

down() {
  stop_pid "$STATE/mlflow.pid" "MLflow server"
  stop_pid "$STATE/ray.pid" "Ray head"
}

status() {
  alive "$STATE/ray.pid" && echo "Ray head: up ($HOST:$RAY_PORT)" || echo "Ray head: down"
  alive "$STATE/mlflow.pid" && echo "MLflow server: up (http://$HOST:$MLFLOW_PORT)" || echo "MLflow server: down"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) echo "usage: scripts/cluster.sh up|down|status" >&2; exit 2 ;;
esac
