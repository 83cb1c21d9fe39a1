#!/usr/bin/env bash
# Before/after figures of one job operation for two (or more) binaries, alternating in one run so
# that the load other processes put on the machine hits both alike. For each round and binary:
# a fresh server (fresh SQLite data dir, or a fresh database on one throw-away PostgreSQL cluster,
# tests/support/pg_cluster.sh: fsync and synchronous_commit on), a warm-up, then wrk at 64
# connections for DURATION seconds. Besides req/s it prints CPU per request read from /proc:
# the server, the PostgreSQL processes (postmaster and its children), and what the rest of the
# machine used (other load; wrk included), all in µs per request; the share of the scheduled
# jobs that had ended when wrk stopped, and (JobSchedule) jobs scheduled and run to their end
# per second, from the warm-up until the backlog drained.
#
# Usage: BINS="before=/tmp/causeway.old after=build/ci/src/app/causeway" bench/jobs_ab.sh
# Knobs: BACKENDS ("postgres sqlite"), KIND (schedule | status), ROUNDS (3), DURATION (10),
# POOL_SIZE (16), JOB_WORKERS (8), CONNECTIONS (64).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
DURATION="${DURATION:-10}"
ROUNDS="${ROUNDS:-3}"
KIND="${KIND:-schedule}"
BACKENDS="${BACKENDS:-postgres sqlite}"
CONNECTIONS="${CONNECTIONS:-64}"
BINS="${BINS:?set BINS=\"label=/path/to/causeway …\"}"
PORT=18321
BENCH_DIR="${BENCH_DIR:-/tmp/causeway-bench-ab}"
rm -rf "$BENCH_DIR"
mkdir -p "$BENCH_DIR"

SERVER_PID=""
PG_DIR=""
cleanup() {
  [[ -n "$SERVER_PID" ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  [[ -n "$PG_DIR" ]] && "$ROOT/tests/support/pg_cluster.sh" stop "$PG_DIR"
  true
}
trap cleanup EXIT

ticks() {  # ticks PID...: utime+stime (+ reaped children) of the processes, in clock ticks
  local t=0 p
  for p in "$@"; do
    [[ -r /proc/$p/stat ]] || continue
    t=$((t + $(awk '{sub(/^.*\) /, ""); print $12 + $13 + $14 + $15}' "/proc/$p/stat")))
  done
  echo "$t"
}
busy_ticks() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8}' /proc/stat; }  # user nice system irq softirq
pg_pids() {
  [[ -z "$PG_DIR" ]] && return 0
  local master; master=$(head -1 "$PG_DIR/data/postmaster.pid")
  echo "$master" $(cat "/proc/$master/task/$master/children" 2>/dev/null)
}

start_one() {  # start_one BIN STORE_TOML: a fresh node in $BENCH_DIR/node, SERVER_PID
  rm -rf "$BENCH_DIR/node"
  node_config "$BENCH_DIR/node" "$PORT" "$2"
  start_node "$1" "$BENCH_DIR/node"
  SERVER_PID=$NODE_PID
}

AUTH_HEADER="Authorization: Basic $(printf '%s' "$AUTH" | base64 -w0)"

measure() {  # measure LABEL BACKEND → one line of figures
  local b="http://127.0.0.1:$PORT$SRV" url
  fetch_session "$b" "$BENCH_DIR/jar"
  schedule_probe "$b" "$BENCH_DIR/jar"
  local wrk_args=(-t2 -c"$CONNECTIONS" -H "$AUTH_HEADER")
  if [[ $KIND == status ]]; then
    url="$b/JobStatusGet?JobName='$NAME'&JobRunCount='$COUNT'&\$format=json"
  else
    url="$b/JobSchedule?JobTemplateName='ZCW_DEMO_NOOP'&JobText='b'&JobUser='PLANNER'&\$format=json"
    wrk_args+=(-s "$HERE/schedule.lua")
  fi
  export CW_TOKEN=$TOKEN CW_COOKIE=$COOKIE
  local t0; t0=$(date +%s.%N)
  wrk "${wrk_args[@]}" -d2s "$url" > /dev/null
  local s0 p0 a0 s1 p1 a1 out="$BENCH_DIR/wrk.out"
  s0=$(ticks "$SERVER_PID"); p0=$(ticks $(pg_pids)); a0=$(busy_ticks)
  wrk "${wrk_args[@]}" -d"${DURATION}s" --latency "$url" > "$out"
  s1=$(ticks "$SERVER_PID"); p1=$(ticks $(pg_pids)); a1=$(busy_ticks)
  # Jobs that ran to their end while wrk scheduled (the rest still wait): how far execution kept
  # up. Then the backlog drains: every job scheduled since the warm-up, run to its end, per
  # second from the warm-up to the last end ("end to end"; DRAIN_LIMIT seconds at most).
  count() {
    if [[ $2 == postgres ]]; then psql -X -qAt "$STORE_URI" -c "SELECT count(*) FROM jobs WHERE $1"
    else sqlite3 "$BENCH_DIR/node/data/causeway.db" "SELECT count(*) FROM jobs WHERE $1"; fi
  }
  local ended total t1 e2e="-"
  ended=$(count "status NOT IN ('Y', 'R')" "$2")
  for _ in $(seq 1 $((${DRAIN_LIMIT:-120} * 10))); do
    [[ $(count "status IN ('Y', 'R')" "$2") == 0 ]] && { t1=$(date +%s.%N); break; }
    sleep 0.1
  done
  total=$(count "1 = 1" "$2")
  [[ -n "${t1:-}" ]] && e2e=$(awk -v n="$total" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", n / (b - a) }')
  local rps p99 n non2xx hz
  rps=$(awk '/Requests\/sec/{printf "%.0f", $2}' "$out")
  p99=$(awk '$1=="99%"{print $2}' "$out")
  n=$(awk '/requests in/{print $1}' "$out")
  non2xx=$(awk '/Non-2xx/{s += $5} END {print s + 0}' "$out")
  hz=$(getconf CLK_TCK)
  awk -v l="$1" -v be="$2" -v rps="$rps" -v p99="$p99" -v n="$n" -v bad="$non2xx" -v hz="$hz" \
      -v ended="$ended" -v e2e="$e2e" -v s=$((s1 - s0)) -v p=$((p1 - p0)) -v a=$((a1 - a0)) -v d="$DURATION" 'BEGIN {
    us = 1e6 / hz / n
    printf "%-9s %-8s %7d req/s  p99 %-9s cpu/req µs: server %6.1f  postgres %6.1f  rest %6.1f  (machine busy %.2f cores)  ended meanwhile %d%%  end to end %s jobs/s  non-2xx %d\n",
      be, l, rps, p99, s * us, p * us, (a - s - p) * us, a / hz / d, 100 * ended / n, e2e, bad
  }'
}

for backend in $BACKENDS; do
  if [[ $backend == postgres && -z "$PG_DIR" ]]; then
    eval "$("$ROOT/tests/support/pg_cluster.sh" start)"
    PG_DIR=$CAUSEWAY_PG_DIR
  fi
done
echo "== $(date -u +%FT%TZ) $(nproc) cores, $(uptime | sed 's/.*load/load/'), KIND=$KIND, ${DURATION}s x $ROUNDS rounds"
db=0
for ((round = 1; round <= ROUNDS; round++)); do
  for backend in $BACKENDS; do
    for entry in $BINS; do
      label=${entry%%=*} bin=${entry#*=}
      store=""
      if [[ $backend == postgres ]]; then
        db=$((db + 1))
        psql -X -q "${CAUSEWAY_PG_URI%/causeway}/postgres" -c "CREATE DATABASE ab_$db" >/dev/null
        STORE_URI="${CAUSEWAY_PG_URI%/causeway}/ab_$db"
        store="[store]
backend = \"postgres\"
uri = \"$STORE_URI\"
pool_size = ${POOL_SIZE:-16}"
      fi
      start_one "$bin" "$store"
      measure "$label" "$backend"
      kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
      SERVER_PID=""
      if [[ $backend == postgres ]]; then
        psql -X -q "${CAUSEWAY_PG_URI%/causeway}/postgres" -c "DROP DATABASE ab_$db" >/dev/null
      fi
    done
  done
done
