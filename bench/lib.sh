# Shared helpers for the bench scripts: build, start our server on loopback with a bench config.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HERE="$ROOT/bench"  # the bench scripts, their wrk scripts and Python helpers
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

node_config() {  # node_config DIR PORT [TOML]: DIR/causeway.toml, data in DIR/data; TOML goes after
  # [server]'s keys: more of them (node_id = …) and further tables ([store] …)
  mkdir -p "$1"
  cat > "$1/causeway.toml" <<TOML
[server]
data_dir = "$1/data"
log_level = "warn"
access_log = "${ACCESS_LOG:-}"
io_threads = ${IO_THREADS:-2}
io_slice_us = ${IO_SLICE_US:-100}
${3:-}
[jobs]
demo_templates = true
workers = ${JOB_WORKERS:-8}
[[listeners]]
address = "127.0.0.1"
port = $2
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

write_config() {  # a fresh data dir unless KEEP_DATA=1: a stale one runs old jobs during the measurement
  [[ "${KEEP_DATA:-0}" == 1 ]] || rm -rf "$BENCH_DIR/data"
  node_config "$BENCH_DIR" "$PORT"
}

start_node() {  # start_node BIN DIR: serves DIR/causeway.toml in the background, sets NODE_PID once ready
  rm -f "$2/ready"
  "$1" serve --config "$2/causeway.toml" --ready-file "$2/ready" > "$2/server.log" 2>&1 &
  NODE_PID=$!
  for _ in $(seq 1 400); do [[ -f "$2/ready" ]] && return 0; sleep 0.05; done
  echo "server in $2 did not start" >&2; cat "$2/server.log" >&2; return 1
}

start_server() {  # start_server: runs causeway in the background, sets SERVER_PID
  start_node "$BIN" "$BENCH_DIR"
  SERVER_PID=$NODE_PID
}

fetch_session() {  # fetch_session SERVICE_URL JAR: sets TOKEN and COOKIE (CSRF token and session cookie)
  local hdrs
  hdrs=$(curl -fsS -u "$AUTH" -c "$2" -I -H 'X-CSRF-Token: Fetch' "$1/")
  TOKEN=$(awk -F': ' 'tolower($1)=="x-csrf-token"{print $2}' <<<"$hdrs" | tr -d '\r')
  COOKIE=$(awk '/SAP_SESSIONID/{print $6"="$7}' "$2")
}

schedule_probe() {  # schedule_probe SERVICE_URL JAR: one noop job (after fetch_session); sets NAME and COUNT
  local job
  job=$(curl -fsS -u "$AUTH" -b "$2" -H "X-CSRF-Token: $TOKEN" -X POST \
    "$1/JobSchedule?JobTemplateName='ZCW_DEMO_NOOP'&JobText='bench'&JobUser='PLANNER'&\$format=json")
  NAME=$(sed -E 's/.*"JobName":"([^"]+)".*/\1/' <<<"$job")
  COUNT=$(sed -E 's/.*"JobRunCount":"([^"]+)".*/\1/' <<<"$job")
}

stop_server() { [[ -n "${SERVER_PID:-}" ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true; }

rss_mib() { awk '/^VmRSS:/{printf "%.1f", $2/1024}' "/proc/$1/status"; }
hwm_mib() { awk '/^VmHWM:/{printf "%.1f", $2/1024}' "/proc/$1/status"; }

# CPU time (user + system) of process PID and its live children so far, in seconds (nginx and
# node do their work in child processes; ours has none).
cpu_s() {
  local pids; pids="$1 $(ps -o pid= --ppid "$1" 2>/dev/null | tr '\n' ' ')"
  for p in $pids; do cat "/proc/$p/stat" 2>/dev/null; done |
    awk -v hz="$(getconf CLK_TCK)" '{t += $14 + $15} END {printf "%.2f", t / hz}'
}
# Seconds the machine's cores were busy so far (user, nice, system, irq, softirq, steal).
busy_s() { awk -v hz="$(getconf CLK_TCK)" '/^cpu /{printf "%.2f", ($2 + $3 + $4 + $7 + $8 + $9) / hz}' /proc/stat; }
# What else runs: the load, and the busiest other processes over one second (the server, top
# and wrk left out).
machine() {
  echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); other processes over 1 s (%CPU):" \
    "$(top -b -n 2 -d 1 -w 200 | awk -v me="${SERVER_PID:-0}" '/^top -/{n++} n == 2 && $1 ~ /^[0-9]+$/ && $1 != me &&
      $12 != "top" && $12 != "wrk" && $9 > 2 {printf "%s %s, ", $12, $9}' | head -c 300)"
}
