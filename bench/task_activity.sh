#!/usr/bin/env bash
# ManageTaskActivityIn MaintainBundle throughput on loopback (release build, fresh data dir,
# durable: SQLite WAL + synchronous=FULL): wrk -t2 -c64 posting 10 new tasks per request, each
# with its own message UUID. Prints requests/s, tasks/s, p50/p99 and non-2xx, then checks the
# stored task count. PEER=node-soap runs the same load against the in-memory node-soap server of
# bench/peers/node-soap (same WSDL) for comparison.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
DURATION="${DURATION:-15}"
TASKS="${TASKS:-10}"
export TASKS
SOAP_PATH="/sap/bc/srt/scs/sap/managetaskactivityin"
export CW_AUTH="Basic $(printf '%s' 'TASK_SYNC:Welcome1!' | base64 -w0)"

run() {  # run LABEL URL
  local label=$1 url=$2
  wrk -t2 -c64 -d2s -s "$(dirname "${BASH_SOURCE[0]}")/task_activity.lua" "$url" >/dev/null 2>&1
  local out; out=$(wrk -t2 -c64 -d"${DURATION}s" --latency -s "$(dirname "${BASH_SOURCE[0]}")/task_activity.lua" "$url" 2>/dev/null)
  local rps; rps=$(awk '/Requests\/sec/{print $2}' <<<"$out")
  printf '%-34s %9s req/s  %9.0f tasks/s  p50 %-9s p99 %-9s non-2xx %s\n' "$label" "$rps" \
    "$(awk -v r="$rps" -v t="$TASKS" 'BEGIN{print r*t}')" "$(awk '$1=="50%"{print $2}' <<<"$out")" \
    "$(awk '$1=="99%"{print $2}' <<<"$out")" "$(awk '/Non-2xx/{print $5}' <<<"$out")"
}

if [[ "${PEER:-}" == node-soap ]]; then
  peer="$(dirname "${BASH_SOURCE[0]}")/peers/node-soap"
  (cd "$peer" && [[ -d node_modules/soap ]] || npm install --no-audit --no-fund --loglevel=error >/dev/null)
  node "$peer/server.js" "$PORT" "$ROOT/src/services/task_activity/ManageTaskActivityIn.wsdl" > "$BENCH_DIR-node.log" 2>&1 &
  NODE_PID=$!
  trap 'kill $NODE_PID 2>/dev/null' EXIT
  for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$PORT$SOAP_PATH?wsdl" >/dev/null 2>&1 && break; sleep 0.1; done
  run "node-soap MaintainBundle x$TASKS (mem)" "http://127.0.0.1:$PORT$SOAP_PATH"
  echo "node-soap RSS: $(rss_mib "$NODE_PID") MiB"
  exit 0
fi

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
start_server
trap stop_server EXIT
echo "idle RSS: $(rss_mib "$SERVER_PID") MiB"
run "MaintainBundle x$TASKS (durable)" "http://127.0.0.1:$PORT$SOAP_PATH"
echo "RSS after load: $(rss_mib "$SERVER_PID") MiB"
stored=$(curl -fsS -u 'TASK_SYNC:Welcome1!' -H 'Content-Type: text/xml' --data-binary \
  '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><n0:TaskActivityBundleMaintainRequest_sync_V1 xmlns:n0="http://sap.com/xi/SAPGlobal20/Global"><ActivityTask><Name>last</Name></ActivityTask></n0:TaskActivityBundleMaintainRequest_sync_V1></s:Body></s:Envelope>' \
  "http://127.0.0.1:$PORT$SOAP_PATH" | sed -E 's/.*<ID>([0-9]+)<\/ID>.*/\1/')
echo "tasks stored (last ID drawn): $stored"
# The malformed-envelope corpus of the e2e test, replayed under load, must get faults only.
bad=$(mktemp)
printf '%s' '<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><x>&b;</x></s:Body></s:Envelope>' > "$bad"
codes=$(for _ in $(seq 1 200); do curl -s -o /dev/null -w '%{http_code}\n' -u 'TASK_SYNC:Welcome1!' -H 'Content-Type: text/xml' --data-binary @"$bad" "http://127.0.0.1:$PORT$SOAP_PATH"; done | sort | uniq -c | tr '\n' ' ')
rm -f "$bad"
echo "malformed envelopes: $codes; server alive: $(kill -0 "$SERVER_PID" && echo yes)"
