#!/usr/bin/env bash
# Focused Build figures (issue 13) on loopback, release build, fresh data dir, durable (SQLite
# WAL + synchronous=FULL):
#   a. handover of PACKAGES work packages with ITEMS work items each (demo customizing, RFC
#      destination JIRA_DEMO pointed at focused_build_receiver.py): S1_CALL_EXT from CLIENTS
#      threads; handover req/s, pushes/s from the first handover to the last push received, and
#      a check that every push arrived once, in order, with PARENT_EXTERNAL_ID (focused_build_bench.py)
#   b. StatusSet PUT as the Jira connector sends it (Basic, sap-client, CSRF token, session
#      cookie) at 64 connections: wrk -t2 -c64, req/s, p50/p90/p99, non-2xx; every PUT changes
#      a work item's status (focused_build_status.lua); then the same at RATE requests/s
#      (default 5000, the issue's throughput; pace.lua): the latency at that rate
# Env: PACKAGES (1000), ITEMS (5), CLIENTS (16), RATE (5000; a list runs one paced run each, 0
# none), MAX_CONCURRENT (the RFC destination's, default 8 as SM59's), DURATION (wrk seconds, 10), SPLIT=1 (destination paused during the handovers,
# then drained: handover and delivery measured apart), plus lib.sh's PORT, PRESET, SKIP_BUILD,
# BENCH_DIR.
# Prints the host's load before and after: the machine is shared.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
DURATION="${DURATION:-10}"
PACKAGES="${PACKAGES:-1000}"
ITEMS="${ITEMS:-5}"
CLIENTS="${CLIENTS:-16}"
MAX_CONCURRENT="${MAX_CONCURRENT:-8}"
RATE="${RATE:-5000}"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  (cd "$ROOT" && cmake --preset "$PRESET" >/dev/null && cmake --build --preset "$PRESET" --target causeway -j2 >/dev/null)
fi
rm -rf "$BENCH_DIR"
write_config

python3 "$HERE/focused_build_receiver.py" > "$BENCH_DIR/receiver.out" 2>&1 &
RECEIVER_PID=$!
cleanup() { stop_server; kill "$RECEIVER_PID" 2>/dev/null || true; wait "$RECEIVER_PID" 2>/dev/null || true; }
trap cleanup EXIT
RECEIVER_PORT=
for _ in $(seq 1 200); do
  RECEIVER_PORT=$(sed -nE 's/^\{"port": ([0-9]+)\}$/\1/p' "$BENCH_DIR/receiver.out")
  [[ -n "$RECEIVER_PORT" ]] && break
  sleep 0.05
done
[[ -n "$RECEIVER_PORT" ]] || { echo "receiver did not start" >&2; cat "$BENCH_DIR/receiver.out" >&2; exit 1; }

cat >> "$BENCH_DIR/causeway.toml" <<TOML
[[users]]
name = "FB_CONNECTOR"
password = "Welcome1!"
scenarios = ["CAUSEWAY_FB_EXT_INTEGRATION"]
[[users]]
name = "CAUSEWAY_ADMIN"
password = "Admin1!"
scenarios = ["CAUSEWAY_CONTROL"]
[ext_integration]
demo = true
demo_tool_url = "http://127.0.0.1:$RECEIVER_PORT"
TOML
start_server
echo "host load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "idle RSS: $(rss_mib "$SERVER_PID") MiB"
if [[ "$MAX_CONCURRENT" != 8 ]]; then
  curl -fsS -u 'CAUSEWAY_ADMIN:Admin1!' "http://127.0.0.1:$PORT/_causeway/fb/customizing/destinations" |
    python3 -c 'import json,sys; d=json.load(sys.stdin); [x.update(max_concurrent=int(sys.argv[1])) for x in d]; print(json.dumps(d))' "$MAX_CONCURRENT" |
    curl -fsS -o /dev/null -u 'CAUSEWAY_ADMIN:Admin1!' -X PUT -H 'Content-Type: application/json' --data-binary @- \
      "http://127.0.0.1:$PORT/_causeway/fb/customizing/destinations"
fi

# a. handover
python3 "$HERE/focused_build_bench.py" --port "$PORT" --receiver-port "$RECEIVER_PORT" --packages "$PACKAGES" \
  --items "$ITEMS" --clients "$CLIENTS" --guids "$BENCH_DIR/item_guids" --pid "$SERVER_PID" --receiver-pid "$RECEIVER_PID" \
  ${SPLIT:+--split}
echo "RSS after handover: $(rss_mib "$SERVER_PID") MiB"

# b. StatusSet PUT, 64 connections
S="http://127.0.0.1:$PORT/sap/opu/odata/SALM/EXT_INTEGRATION_SRV/"
hdrs=$(mktemp)
curl -fsS -u 'FB_CONNECTOR:Welcome1!' -c "$BENCH_DIR/jar" -H 'sap-client: 100' -H 'X-CSRF-Token: Fetch' -o /dev/null -D "$hdrs" "$S"
export CW_TOKEN=$(awk -F': ' 'tolower($1)=="x-csrf-token"{print $2}' "$hdrs" | tr -d '\r')
export CW_COOKIE=$(awk '/SAP_SESSIONID/{print $6"="$7}' "$BENCH_DIR/jar")
export CW_AUTH="Basic $(printf '%s' 'FB_CONNECTOR:Welcome1!' | base64 -w0)"
export FB_GUIDS="$BENCH_DIR/item_guids" WRK_THREADS=2
rm -f "$hdrs"
# Warm-up with reads only: every PUT of the measured run must find its item at E0002.
wrk -t2 -c64 -d2s -H "Authorization: $CW_AUTH" -H "Cookie: $CW_COOKIE" -H 'sap-client: 100' "$S" >/dev/null 2>&1
# status_run LABEL [RATE]: one measured wrk run of StatusSet PUTs, closed loop or paced.
status_run() {
  local cpu_before cpu_after out requests
  cpu_before=$(cpu_s "$SERVER_PID")
  out=$(RATE=${2:-0} wrk -t2 -c64 -d"${DURATION}s" --latency -s "$HERE/focused_build_status.lua" "http://127.0.0.1:$PORT" 2>&1)
  cpu_after=$(cpu_s "$SERVER_PID")
  requests=$(awk '/requests in/{print $1}' <<<"$out")
  printf 'StatusSet PUT (durable, 64 connections%s): %s req/s  p50 %s  p90 %s  p99 %s  non-2xx %s  server CPU %s µs/request\n' \
    "$1" "$(awk '/Requests\/sec/{print $2}' <<<"$out")" "$(awk '$1=="50%"{print $2}' <<<"$out")" \
    "$(awk '$1=="90%"{print $2}' <<<"$out")" "$(awk '$1=="99%"{print $2}' <<<"$out")" \
    "$(awk '/Non-2xx/{n=$5} END{print n+0}' <<<"$out")" \
    "$(awk -v a="$cpu_before" -v b="$cpu_after" -v n="$requests" 'BEGIN{printf "%.0f", (b-a)/n*1e6}')"
  grep -E '^status [0-9]+' <<<"$out" | head -3 || true
}
export FB_STATE="$BENCH_DIR/status_positions"
status_run ""
for r in $RATE; do (( r > 0 )) && status_run ", paced at $r/s" "$r"; done

first=$(head -1 "$FB_GUIDS")
curl -fsS -u 'CAUSEWAY_ADMIN:Admin1!' "http://127.0.0.1:$PORT/_causeway/fb/objects/$first/history" |
  python3 -c 'import json,sys; h=json.load(sys.stdin)["history"]; print("history of the first work item: %d inbound changes, last %s" % (sum(1 for x in h if x["origin"]=="inbound"), h[-1]["to"]))'
echo "RSS after load: $(rss_mib "$SERVER_PID") MiB"
echo "host load: $(cut -d' ' -f1-3 /proc/loadavg)"
