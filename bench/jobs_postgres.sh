#!/usr/bin/env bash
# Issue-11 figures: BC_EXT_APPJOB_MANAGEMENT on PostgreSQL (a throw-away local cluster,
# tests/support/pg_cluster.sh, fsync and synchronous_commit on) with one node and with two nodes
# on the same machine, next to SQLite with one node, measured in one run:
#   JobStatusGet (JSON) and JobSchedule (POST with CSRF, durable) with wrk, 64 connections in
#   total (two nodes: 32 each, run at the same time, totals summed; on a database of their own).
#   After each JobSchedule run: the jobs that ran to their end meanwhile, and, once the backlog
#   drained, the jobs scheduled and run per second from wrk's start to the last job's end.
# Usage: bench/jobs_postgres.sh   (DURATION=10 seconds per figure; SKIP_BUILD=1 to use the build)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
DURATION="${DURATION:-10}"
build_release
rm -rf "$BENCH_DIR"
mkdir -p "$BENCH_DIR"

PIDS=()
PG_DIR=""
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [[ -n "$PG_DIR" ]] && "$ROOT/tests/support/pg_cluster.sh" stop "$PG_DIR"
}
trap cleanup EXIT

# A node of its own folder under BENCH_DIR, named as its node_id.
config_node() {  # config_node NAME PORT STORE_TOML
  node_config "$BENCH_DIR/$1" "$2" "node_id = \"$1\"
$3"
}

run_node() {  # run_node NAME: starts it in the background
  start_node "$BIN" "$BENCH_DIR/$1"
  PIDS+=("$NODE_PID")
}

stop_nodes() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  PIDS=()
}

# Session, token and one finished job per node, exported for schedule.lua.
prepare() {  # prepare PORT → sets TOKEN, COOKIE, NAME, COUNT
  fetch_session "http://127.0.0.1:$1$SRV" "$BENCH_DIR/jar.$1"
  schedule_probe "http://127.0.0.1:$1$SRV" "$BENCH_DIR/jar.$1"
}

AUTH_HEADER="Authorization: Basic $(printf '%s' "$AUTH" | base64 -w0)"

# wrk_on PORT CONNS KIND OUT: one wrk run (after a short warm-up) of KIND status|schedule.
wrk_on() {
  local port=$1 conns=$2 kind=$3 out=$4 b="http://127.0.0.1:$1$SRV" t=$WRK_THREADS
  prepare "$port"
  if [[ $kind == status ]]; then
    local url="$b/JobStatusGet?JobName='$NAME'&JobRunCount='$COUNT'&\$format=json"
    wrk -t"$t" -c"$conns" -d2s -H "$AUTH_HEADER" "$url" >/dev/null
    wrk -t"$t" -c"$conns" -d"${DURATION}s" --latency -H "$AUTH_HEADER" "$url" > "$out"
  else
    local url="$b/JobSchedule?JobTemplateName='ZCW_DEMO_NOOP'&JobText='b'&JobUser='PLANNER'&\$format=json"
    CW_TOKEN=$TOKEN CW_COOKIE=$COOKIE CW_AUTH="${AUTH_HEADER#Authorization: }" \
      wrk -t"$t" -c"$conns" -d"${DURATION}s" --latency -H "$AUTH_HEADER" -s "$HERE/schedule.lua" "$url" > "$out"
  fi
}

# count_jobs CONDITION: jobs in the store the nodes measured now share.
count_jobs() {
  if [[ -n "${STORE_URI:-}" ]]; then psql -X -qAt "$STORE_URI" -c "SELECT count(*) FROM jobs WHERE $1"
  else sqlite3 "$BENCH_DIR/sqlite/data/causeway.db" "SELECT count(*) FROM jobs WHERE $1"; fi
}

# measure LABEL KIND PORT... : wrk on every port at once, 64 connections split between them.
# JobSchedule also says how many jobs ran to their end while wrk scheduled (the engines compete
# with the requests for the same cores: two nodes run more of the backlog meanwhile) and, once
# the backlog drained, jobs scheduled and run per second from wrk's start to the last job's end.
measure() {
  local label=$1 kind=$2; shift 2
  local n=$# conns=$((64 / $#)) i=0 pids=() total=0 p99s="" non2xx=0 t0 ended_before
  WRK_THREADS=$((2 / $# > 0 ? 2 / $# : 1))  # two wrk threads in all, as bench/jobs_load.sh
  t0=$(date +%s.%N)
  [[ $kind == schedule ]] && ended_before=$(count_jobs "status NOT IN ('Y', 'R')")
  for port in "$@"; do
    wrk_on "$port" "$conns" "$kind" "$BENCH_DIR/wrk.$kind.$i" & pids+=($!)
    i=$((i + 1))
  done
  for p in "${pids[@]}"; do wait "$p"; done
  for ((i = 0; i < n; i++)); do
    local f="$BENCH_DIR/wrk.$kind.$i"
    total=$(awk -v t="$total" '/Requests\/sec/{printf "%.0f", t + $2}' "$f")
    p99s="$p99s $(awk '$1=="99%"{print $2}' "$f")"
    non2xx=$((non2xx + $(awk '/Non-2xx/{s += $5} END {print s + 0}' "$f")))
  done
  printf '%-44s %8s req/s  p99%-20s non-2xx %s\n' "$label" "$total" "$p99s" "$non2xx"
  if [[ $kind == schedule ]]; then
    local ended all t1=""
    ended=$(( $(count_jobs "status NOT IN ('Y', 'R')") - ended_before ))
    for _ in $(seq 1 1200); do
      [[ $(count_jobs "status IN ('Y', 'R')") == 0 ]] && { t1=$(date +%s.%N); break; }
      sleep 0.1
    done
    all=$(( $(count_jobs "1 = 1") - ended_before ))
    printf '%-44s %8s jobs ran to their end meanwhile; end to end %s jobs/s\n' "" "$ended" \
      "$([[ -n $t1 ]] && awk -v n="$all" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", n / (b - a) }' || echo '-')"
  fi
}

echo "== $(date -u +%FT%TZ) $(nproc) cores, $(uptime | sed 's/.*load/load/')"

config_node sqlite 18301 ""
run_node sqlite
measure "SQLite, one node: JobStatusGet" status 18301
measure "SQLite, one node: JobSchedule (durable)" schedule 18301
stop_nodes

eval "$("$ROOT/tests/support/pg_cluster.sh" start)"
PG_DIR=$CAUSEWAY_PG_DIR
PG_STORE="[store]
backend = \"postgres\"
uri = \"$CAUSEWAY_PG_URI\"
pool_size = ${POOL_SIZE:-16}"
config_node pg1 18311 "$PG_STORE"
STORE_URI=$CAUSEWAY_PG_URI

run_node pg1
measure "PostgreSQL, one node: JobStatusGet" status 18311
measure "PostgreSQL, one node: JobSchedule (durable)" schedule 18311
stop_nodes

# Two nodes start from what one node started from: a database of their own. On the first one
# they would measure while draining the tens of thousands of jobs the one-node flood left
# waiting (the engine runs them in the background), which is not the figure asked for.
psql -X -q "${CAUSEWAY_PG_URI%/causeway}/postgres" -c "CREATE DATABASE two_nodes" >/dev/null
PG_STORE="${PG_STORE/\/causeway\"/\/two_nodes\"}"
STORE_URI="${CAUSEWAY_PG_URI%/causeway}/two_nodes"
config_node pg1 18311 "$PG_STORE"
config_node pg2 18312 "$PG_STORE"
run_node pg1
run_node pg2
measure "PostgreSQL, two nodes: JobStatusGet" status 18311 18312
measure "PostgreSQL, two nodes: JobSchedule (durable)" schedule 18311 18312
stop_nodes
