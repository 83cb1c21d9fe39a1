#!/usr/bin/env bash
# BusinessAgreementReplicationIn (SOAP one-way, asynchronous) on loopback: release build, fresh
# SQLite data dir (WAL, fdatasync before every 202), wrk -t2 -c64 posting ReplicateBusinessAgreement
# messages (bench/business_agreement.lua: each with its own message UUID and, unless AGREEMENTS=K,
# its own agreement). Each phase prints the cores the server, wrk and the rest of the machine used.
# Three phases:
#  1. reception with processing off ([business_agreement] workers = 0): 202/s, p50/p99, non-202
#     and the server's CPU per message, closed loop and paced at RATE messages/s (pace.lua: the
#     latency at the issue's rate); then more wrk runs until BACKLOG (default 100,000)
#     messages are queued, and the server's VmRSS/VmHWM with that backlog;
#  2. processing: the same data dir served again with workers = 1; the time from the start of
#     the process until nothing is left received (monitor list, polled every POLL_S), and the span
#     from the first to the last finished_ms in the store (sqlite3, after the server stopped);
#  3. live: a fresh data dir, workers = 1, reception while processing runs; how long the backlog
#     takes to drain once wrk stopped.
# Knobs (besides lib.sh's): DURATION (wrk seconds, default 15), CONNECTIONS (default 64), BACKLOG,
# RATE (default 5000; a list runs one paced run each, 0 none),
# AGREEMENTS (messages spread over K agreements per wrk thread, i.e. 2K queues processed one
# message at a time each; default: one agreement per message), PHASES (default "1 2 3"), POLL_S
# (default 0.2), BA_OPTIONS (more [business_agreement] lines, e.g. "claim_batch = 256").
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
DURATION="${DURATION:-15}"
BACKLOG="${BACKLOG:-100000}"
PHASES="${PHASES:-1 2 3}"
POLL_S="${POLL_S:-0.2}"
CONNECTIONS="${CONNECTIONS:-64}"
RATE="${RATE:-5000}"
export AGREEMENTS="${AGREEMENTS:-0}"
SOAP_URL="http://127.0.0.1:$PORT/sap/bc/srt/scs/sap/businessagreementreplicationin"
MONITOR="http://127.0.0.1:$PORT/_causeway/messages"
ADMIN="CAUSEWAY_ADMIN:Admin1!"
LUA="$HERE/business_agreement.lua"
export CW_AUTH="Basic $(printf '%s' 'BUAG_REPL:Welcome1!' | base64 -w0)"
RUN_NO=0
next_run() { RUN_NO=$((RUN_NO + 1)); }  # not inside $(…): a resend of an earlier run's UUIDs stores nothing

configure() {  # configure WORKERS: the bench config with the business-agreement sender and admin
  write_config
  cat >> "$BENCH_DIR/causeway.toml" <<TOML
[[users]]
name = "BUAG_REPL"
kind = "communication"
password = "Welcome1!"
scenarios = ["CAUSEWAY_BUSINESS_AGREEMENT"]
[[users]]
name = "CAUSEWAY_ADMIN"
kind = "communication"
password = "Admin1!"
scenarios = ["CAUSEWAY_CONTROL"]
[business_agreement]
demo_master_data = true
workers = $1
${BA_OPTIONS:-}
TOML
}

now() { date +%s.%N; }
# others SECONDS BUSY0 SERVER_CPU WRK_CPU: the cores the rest of the machine used meanwhile.
others() { awk -v t="$1" -v b0="$2" -v b1="$(busy_s)" -v s="$3" -v w="$4" 'BEGIN{printf "%.2f", (b1 - b0 - s - w) / t}'; }
wrk_cpu() { awk '{print $1 + $2}' "$BENCH_DIR/wrk.cpu"; }
# Messages of one status in the store (the monitor's summary).
count() { curl -fsS -u "$ADMIN" "$MONITOR/summary" | grep -o "\"status\":\"$1\",\"count\":[0-9]*" | grep -o '[0-9]*$' || echo 0; }
# True while a message is still received (cheap: the newest received one, by the monitor's index).
pending() { local r; r=$(curl -fsS -u "$ADMIN" "$MONITOR?kind=async&status=received&limit=1"); [[ "$r" == *'"id"'* ]]; }

wrk_run() {  # wrk_run SECONDS [--latency]: one wrk run of new messages (RUN_NO: call next_run first; PACE: rate)
  RUN_NO=$RUN_NO RATE=${PACE:-0} /usr/bin/time -f '%U %S' -o "$BENCH_DIR/wrk.cpu" \
    wrk -t2 -c"$CONNECTIONS" -d"$1s" ${2:-} -s "$LUA" "$SOAP_URL" 2>"$BENCH_DIR/wrk.err"
}

report() {  # report LABEL WRK_OUTPUT CPU_SECONDS
  local rps; rps=$(awk '/Requests\/sec/{print $2}' <<<"$2")
  local n; n=$(awk '/requests in/{print $1}' <<<"$2")
  printf '%-30s %9s msg/s  p50 %-8s p99 %-8s non-202 %s  CPU µs/msg: server %s, wrk %s\n' "$1" "$rps" \
    "$(awk '$1=="50%"{print $2}' <<<"$2")" "$(awk '$1=="99%"{print $2}' <<<"$2")" \
    "$(awk '/Non-2xx/{print $5}' <<<"$2" | grep . || echo 0)" "$(awk -v c="$3" -v n="$n" 'BEGIN{printf "%.0f", c*1e6/n}')" \
    "$(awk -v n="$n" '{printf "%.0f", ($1 + $2) * 1e6 / n}' "$BENCH_DIR/wrk.cpu")"
  [[ -s "$BENCH_DIR/wrk.err" ]] && { echo "first errors:"; sort "$BENCH_DIR/wrk.err" | uniq -c | sort -rn | head -3; }
  return 0
}

wait_drained() {  # wait_drained: polls until nothing is received; prints the seconds it took
  local t0; t0=$(now)
  while pending; do sleep "$POLL_S"; done
  awk -v a="$t0" -v b="$(now)" 'BEGIN{printf "%.2f", b-a}'
}

store_span() {  # processed messages and the first→last finished_ms span, from the stopped server's store
  sqlite3 -readonly "$BENCH_DIR/data/causeway.db" \
    "SELECT COUNT(*), (MAX(finished_ms) - MIN(finished_ms)) / 1000.0 FROM soap_messages WHERE status = 'processed'"
}

build_release
trap stop_server EXIT
machine

if [[ " $PHASES " == *" 1 "* ]]; then
  rm -rf "$BENCH_DIR"
  configure 0
  start_server
  echo "idle RSS: $(rss_mib "$SERVER_PID") MiB"
  next_run; wrk_run 2 >/dev/null
  cpu0=$(cpu_s "$SERVER_PID") busy0=$(busy_s)
  next_run; out=$(wrk_run "$DURATION" --latency)
  cpu=$(awk -v a="$cpu0" -v b="$(cpu_s "$SERVER_PID")" 'BEGIN{print b-a}')
  report "1 reception, processing off" "$out" "$cpu"
  echo "  cores used: server $(awk -v c="$cpu" -v t="$DURATION" 'BEGIN{printf "%.2f", c/t}'), wrk" \
    "$(awk -v c="$(wrk_cpu)" -v t="$DURATION" 'BEGIN{printf "%.2f", c/t}'), other processes $(others "$DURATION" "$busy0" "$cpu" "$(wrk_cpu)")"
  for r in $RATE; do
    (( r > 0 )) || continue
    cpu0=$(cpu_s "$SERVER_PID")
    next_run; out=$(PACE=$r wrk_run "$DURATION" --latency)
    report "1 reception, paced at $r/s" "$out" "$(awk -v a="$cpu0" -v b="$(cpu_s "$SERVER_PID")" 'BEGIN{print b-a}')"
  done
  queued=$(count received)
  while (( queued < BACKLOG )); do
    (( RUN_NO < 12 )) || { echo "backlog not reached after $RUN_NO wrk runs" >&2; exit 1; }
    rate=$(awk '/Requests\/sec/{print int($2)}' <<<"$out")
    next_run; out=$(wrk_run $(( (BACKLOG - queued) / (rate > 500 ? rate : 500) + 1 )))
    queued=$(count received)
  done
  echo "backlog: $queued messages received, none processed; server VmRSS $(rss_mib "$SERVER_PID") MiB, VmHWM $(hwm_mib "$SERVER_PID") MiB; store $(du -sm "$BENCH_DIR/data" | cut -f1) MiB"
  stop_server
fi

if [[ " $PHASES " == *" 2 "* ]]; then
  KEEP_DATA=1 configure 1  # phase 1's backlog
  t0=$(now) busy0=$(busy_s)
  start_server
  while pending; do sleep "$POLL_S"; done
  t1=$(now)
  took=$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')
  other=$(others "$took" "$busy0" "$(cpu_s "$SERVER_PID")" 0)
  processed=$(count processed)
  errors=$(count error)
  echo "2 processing: $processed processed, $errors in error, $(awk -v a="$t0" -v b="$t1" -v n="$processed" \
    'BEGIN{printf "%.2f s from start, %.0f agreements/s", b-a, n/(b-a)}'); server CPU $(cpu_s "$SERVER_PID") s," \
    "VmRSS $(rss_mib "$SERVER_PID") MiB, VmHWM $(hwm_mib "$SERVER_PID") MiB; other processes $other cores"
  stop_server
  read -r n span < <(store_span | tr '|' ' ')
  echo "  store: $n processed, first→last finished $span s = $(awk -v n="$n" -v s="$span" 'BEGIN{printf "%.0f", (s > 0 ? n / s : 0)}') agreements/s"
fi

if [[ " $PHASES " == *" 3 "* ]]; then
  rm -rf "$BENCH_DIR"
  configure 1
  start_server
  next_run; wrk_run 2 >/dev/null
  wait_drained >/dev/null
  cpu0=$(cpu_s "$SERVER_PID") busy0=$(busy_s)
  next_run; out=$(wrk_run "$DURATION" --latency)
  cpu=$(awk -v a="$cpu0" -v b="$(cpu_s "$SERVER_PID")" 'BEGIN{print b-a}')
  other=$(others "$DURATION" "$busy0" "$cpu" "$(wrk_cpu)")
  backlog=$(count received)
  drain=$(wait_drained)
  report "3 reception, processing on" "$out" "$cpu"
  echo "  cores used: server $(awk -v c="$cpu" -v t="$DURATION" 'BEGIN{printf "%.2f", c/t}'), wrk" \
    "$(awk -v c="$(wrk_cpu)" -v t="$DURATION" 'BEGIN{printf "%.2f", c/t}'), other processes $other"
  echo "  at wrk's end $backlog still received, drained $drain s later; processed $(count processed)," \
    "error $(count error); VmRSS $(rss_mib "$SERVER_PID") MiB, VmHWM $(hwm_mib "$SERVER_PID") MiB"
  stop_server
  read -r n span < <(store_span | tr '|' ' ')
  echo "  store: $n processed, first→last finished $span s = $(awk -v n="$n" -v s="$span" 'BEGIN{printf "%.0f", (s > 0 ? n / s : 0)}') agreements/s"
fi
machine
