# Shared helpers for the bench scripts: build, start our server on loopback with a bench config.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PRESET="${PRESET:-release}"
BIN="${BIN:-$ROOT/build/$PRESET/src/app/causeway}"
PEERS="${PEERS:-$ROOT/../shared/bench-peers}"
PORT="${PORT:-18181}"
BENCH_DIR="${BENCH_DIR:-/tmp/causeway-bench}"
SRV="/sap/opu/odata/sap/BC_EXT_APPJOB_MANAGEMENT;v=0002"
AUTH="JOB_ADMIN:Welcome1!"

build_release() {
  [[ "${SKIP_BUILD:-0}" == 1 ]] && return 0
  (cd "$ROOT" && cmake --preset "$PRESET" >/dev/null && cmake --build --preset "$PRESET" --target causeway >/dev/null)
}

write_config() {  # a fresh data dir unless KEEP_DATA=1: a stale one runs old jobs during the measurement
  [[ "${KEEP_DATA:-0}" == 1 ]] || rm -rf "$BENCH_DIR/data"
  mkdir -p "$BENCH_DIR"
  cat > "$BENCH_DIR/causeway.toml" <<TOML
[server]
data_dir = "$BENCH_DIR/data"
log_level = "warn"
access_log = "${ACCESS_LOG:-}"
io_threads = ${IO_THREADS:-2}
io_slice_us = ${IO_SLICE_US:-100}
[jobs]
demo_templates = true
workers = ${JOB_WORKERS:-8}
[[listeners]]
address = "127.0.0.1"
port = $PORT
[[users]]
name = "JOB_ADMIN"
password = "Welcome1!"
scenarios = ["SAP_COM_0064", "SAP_COM_0326"]
[[users]]
name = "PLANNER"
kind = "business"
password = "Welcome1!"
TOML
}

start_server() {  # start_server: runs causeway in the background, sets SERVER_PID
  rm -f "$BENCH_DIR/ready"
  "$BIN" serve --config "$BENCH_DIR/causeway.toml" --ready-file "$BENCH_DIR/ready" > "$BENCH_DIR/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 200); do [[ -f "$BENCH_DIR/ready" ]] && return 0; sleep 0.05; done
  echo "server did not start" >&2; cat "$BENCH_DIR/server.log" >&2; return 1
}

stop_server() { [[ -n "${SERVER_PID:-}" ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true; }

rss_mib() { awk '/^VmRSS:/{printf "%.1f", $2/1024}' "/proc/$1/status"; }
