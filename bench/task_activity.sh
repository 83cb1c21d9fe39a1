#!/usr/bin/env bash
# ManageTaskActivityIn MaintainBundle on loopback (release build, fresh data dir, durable: SQLite
# WAL, fdatasync before every answer): wrk -t$THREADS -c$CONNECTIONS posting TASKS (10) new tasks
# per request, each request with its own message UUID (bench/task_activity.lua). Two phases, each
# printed on its own labelled line:
#   closed loop   as fast as answers come back: the maximum requests/s and tasks/s;
#   at RATE       the same load paced at RATE requests/s (default 2000 = 20,000 tasks/s): p50/p99
#                 at the target rate (with 64 connections in a closed loop the mean latency is
#                 only 64 / throughput, which says nothing about the latency at a given rate).
# Each line also gives the server's CPU per request (utime+stime from /proc over the run divided by
# the requests wrk counted: steadier than requests/s on a shared machine), wrk's, and the cores the
# rest of the machine used meanwhile. Then: tasks stored against tasks sent, and 200 malformed
# envelopes (billion laughs) that must be answered with faults while the server stays up.
# PEER=node-soap then runs the closed loop against the in-memory node-soap server of
# bench/peers/node-soap (same WSDL) in the same run and prints the ratio. CEILING=1 then runs it
# against the nginx ceiling of $PEERS/peers/ceiling (a fixed answer to the same POSTs, nothing
# parsed or stored): what any server can reach here with wrk on the same two cores, and where
# Causeway and 20× node-soap sit against it.
# Knobs (besides lib.sh's): DURATION (wrk seconds, default 15), TASKS, RATE, CONNECTIONS (64),
# THREADS (2).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
DURATION="${DURATION:-15}"
TASKS="${TASKS:-10}"
RATE="${RATE:-2000}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
export TASKS THREADS
LUA="$HERE/task_activity.lua"
SOAP_PATH="/sap/bc/srt/scs/sap/managetaskactivityin"
URL="http://127.0.0.1:$PORT$SOAP_PATH"
export CW_AUTH="Basic $(printf '%s' 'TASK_SYNC:Welcome1!' | base64 -w0)"
RUN_NO=0
SENT=0  # requests wrk counted against our server (each creates TASKS tasks)


# measure LABEL PID [RATE]: a warm-up, then one wrk run; prints the labelled figures.
measure() {
  local label=$1 pid=$2 rate=${3:-0}
  RUN_NO=$((RUN_NO + 1))
  local warm; warm=$(RUN_NO=$RUN_NO RATE=$rate wrk -t"$THREADS" -c"$CONNECTIONS" -d2s -s "$LUA" "$URL" 2>/dev/null |
    awk '/requests in/{print $1}')
  RUN_NO=$((RUN_NO + 1))
  local cpu0 busy0 t0; cpu0=$(cpu_s "$pid"); busy0=$(busy_s); t0=$(date +%s.%N)
  local out; out=$(RUN_NO=$RUN_NO RATE=$rate /usr/bin/time -f '%U %S' -o "$BENCH_DIR/wrk.cpu" \
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$LUA" "$URL" 2>"$BENCH_DIR/wrk.err")
  local secs; secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{print b - a}')
  local cpu; cpu=$(awk -v a="$cpu0" -v b="$(cpu_s "$pid")" 'BEGIN{print b - a}')
  local wcpu; wcpu=$(awk '{print $1 + $2}' "$BENCH_DIR/wrk.cpu")
  local n; n=$(awk '/requests in/{print $1}' <<<"$out")
  local rps; rps=$(awk '/Requests\/sec/{print $2}' <<<"$out")
  local non2xx; non2xx=$(awk '/Non-2xx/{print $5}' <<<"$out" | grep . || echo 0)
  [[ "$label" == Causeway* ]] && SENT=$((SENT + ${warm:-0} + n))
  printf '%-44s %8.0f req/s %8.0f tasks/s  p50 %-9s p99 %-9s non-2xx %s\n' "$label" "$rps" \
    "$(awk -v r="$rps" -v t="$TASKS" 'BEGIN{print r*t}')" "$(awk '$1=="50%"{print $2}' <<<"$out")" \
    "$(awk '$1=="99%"{print $2}' <<<"$out")" "$non2xx"
  printf '%-44s CPU µs/request: server %.0f, wrk %.0f; cores: server %.2f, wrk %.2f, other processes %.2f\n' "" \
    "$(awk -v c="$cpu" -v n="$n" 'BEGIN{print c*1e6/n}')" "$(awk -v c="$wcpu" -v n="$n" 'BEGIN{print c*1e6/n}')" \
    "$(awk -v c="$cpu" -v t="$secs" 'BEGIN{print c/t}')" "$(awk -v c="$wcpu" -v t="$secs" 'BEGIN{print c/t}')" \
    "$(awk -v b0="$busy0" -v b1="$(busy_s)" -v c="$cpu" -v w="$wcpu" -v t="$secs" 'BEGIN{v=(b1-b0-c-w)/t; print v<0?0:v}')"
  if [[ -s "$BENCH_DIR/wrk.err" ]]; then echo "  first errors:"; sort "$BENCH_DIR/wrk.err" | uniq -c | sort -rn | head -3; fi
  LAST_RPS=$rps
}

build_release
rm -rf "$BENCH_DIR"
write_config
cat >> "$BENCH_DIR/causeway.toml" <<TOML
[[users]]
name = "TASK_SYNC"
password = "Welcome1!"
scenarios = ["CAUSEWAY_TASK_ACTIVITY"]
[task_activity]
demo_master_data = true
TOML
machine
start_server
trap stop_server EXIT
echo "idle RSS: $(rss_mib "$SERVER_PID") MiB"
measure "Causeway x$TASKS, closed loop (maximum)" "$SERVER_PID"
OURS=$LAST_RPS
measure "Causeway x$TASKS, at RATE=$RATE req/s" "$SERVER_PID" "$RATE"
echo "RSS after load: $(rss_mib "$SERVER_PID") MiB"
# Every answered request created TASKS tasks (warm-ups included: they are new messages too); a
# request still in flight when wrk stopped may have created its tasks without being counted.
last=$(curl -fsS -u 'TASK_SYNC:Welcome1!' -H 'Content-Type: text/xml' --data-binary \
  '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><n0:TaskActivityBundleMaintainRequest_sync_V1 xmlns:n0="http://sap.com/xi/SAPGlobal20/Global"><ActivityTask><Name>last</Name></ActivityTask></n0:TaskActivityBundleMaintainRequest_sync_V1></s:Body></s:Envelope>' \
  "$URL" | sed -E 's/.*<ID>([0-9]+)<\/ID>.*/\1/')
echo "tasks stored (last ID drawn, minus the probe): $((last - 1)); tasks in answered requests: $((SENT * TASKS))"
# The malformed-envelope corpus of the e2e test, replayed under load, must get faults only.
bad=$(mktemp)
printf '%s' '<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><x>&b;</x></s:Body></s:Envelope>' > "$bad"
codes=$(for _ in $(seq 1 200); do curl -s -o /dev/null -w '%{http_code}\n' -u 'TASK_SYNC:Welcome1!' -H 'Content-Type: text/xml' --data-binary @"$bad" "$URL"; done | sort | uniq -c | tr '\n' ' ')
rm -f "$bad"
echo "malformed envelopes: $codes; server alive: $(kill -0 "$SERVER_PID" && echo yes)"

if [[ "${PEER:-}" == node-soap ]]; then
  stop_server
  peer="$HERE/peers/node-soap"
  (cd "$peer" && [[ -d node_modules/soap ]] || npm install --no-audit --no-fund --loglevel=error >/dev/null)
  node "$peer/server.js" "$PORT" "$ROOT/src/services/task_activity/ManageTaskActivityIn.wsdl" > "$BENCH_DIR/node.log" 2>&1 &
  NODE_PID=$!
  trap 'kill $NODE_PID 2>/dev/null' EXIT
  for _ in $(seq 1 100); do curl -fsS "$URL?wsdl" >/dev/null 2>&1 && break; sleep 0.1; done
  measure "node-soap x$TASKS, closed loop (in memory)" "$NODE_PID"
  echo "node-soap RSS: $(rss_mib "$NODE_PID") MiB"
  NODE_RPS=$LAST_RPS
  echo "Causeway / node-soap (closed loop): $(awk -v a="$OURS" -v b="$LAST_RPS" 'BEGIN{printf "%.1f", a/b}')x"
fi

if [[ "${CEILING:-0}" == 1 ]]; then
  [[ -n "${NODE_PID:-}" ]] && kill "$NODE_PID" 2>/dev/null && wait "$NODE_PID" 2>/dev/null || true
  stop_server
  ceiling="$PEERS/peers/ceiling/ceiling.sh"
  export CEILING_PORT=$PORT CEILING_PREFIX="$BENCH_DIR/ceiling"
  "$ceiling" start >/dev/null
  trap '"$ceiling" stop >/dev/null' EXIT
  measure "nginx ceiling (fixed answer, nothing stored)" "$(cat "$CEILING_PREFIX/run.pid")"
  echo "Causeway / ceiling: $(awk -v a="$OURS" -v b="$LAST_RPS" 'BEGIN{printf "%.1f%%", 100*a/b}')"
  if [[ -n "${NODE_RPS:-}" ]]; then
    echo "20x node-soap = $(awk -v n="$NODE_RPS" 'BEGIN{printf "%.0f", 20*n}') req/s =" \
      "$(awk -v n="$NODE_RPS" -v b="$LAST_RPS" 'BEGIN{printf "%.0f%%", 2000*n/b}') of the ceiling"
  fi
fi
