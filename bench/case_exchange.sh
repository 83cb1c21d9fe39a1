#!/usr/bin/env bash
# Case exchange figures (issue 16) on loopback, release build, fresh data dir, durable (SQLite
# WAL + synchronous=FULL):
#   1. seed RECORDS changes owned by the external group (one Assign each, via ems/bulk)
#   2. a /ces poll of all RECORDS operations (the default page of 4000): wrk -t1 -c1 latency
#   3. incoming Update operations at 64 connections (wrk -t2 -c64):
#      a. closed loop: the most the server answers (req/s) and the latency that comes with it
#         (Little's law: mean latency = 64 / throughput);
#      b. open loop at RATE (default 5000) requests/s (pace.lua): the
#         latency at the issue's target rate. The target is p99 <= 10 ms at >= 5,000/s.
#   4. visibility: comment answered -> a poll shows its Update (case_exchange_visibility.py)
# Every phase prints the server's CPU per request (user + system of the process over the run,
# divided by the requests wrk counted) and the cores the rest of the machine used meanwhile:
# the machine is shared, and CPU per request is steadier than req/s when it is busy.
# Knobs: DURATION (wrk seconds, default 15), RECORDS (4000), RATE (5000), ROUNDS (300),
# WORKER_THREADS ([server] worker_threads; default the server's own, 32).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
DURATION="${DURATION:-15}"
RECORDS="${RECORDS:-4000}"
RATE="${RATE:-5000}"
TENANT=100000002
export CX_TENANT=$TENANT RECORDS FIRST_ID=10001

build_release
rm -rf "$BENCH_DIR"
write_config
cat >> "$BENCH_DIR/causeway.toml" <<TOML
[case_exchange]
hash_iterations = 1000
[[case_exchange.tenants]]
id = "$TENANT"
[[case_exchange.tenants.external_systems]]
id = "SNOW"
authorized_user = "sx.snow"
[[case_exchange.tenants.groups]]
id = "20003"
name = "ServiceNow Fulfillment"
external_system = "SNOW"
[[case_exchange.tenants.people]]
id = "10010"
login = "ana.agent"
password = "Welcome1!"
roles = ["agent"]
first_name = "Ana"
last_name = "Agent"
email = "ana@bench.example"
[[case_exchange.tenants.people]]
id = "10020"
login = "sx.snow"
password = "Welcome1!"
TOML
if [[ -n "${WORKER_THREADS:-}" ]]; then
  sed -i "s/^io_threads = .*/&\nworker_threads = $WORKER_THREADS/" "$BENCH_DIR/causeway.toml"
fi
echo "server: $(grep -E '^(io_threads|worker_threads)' "$BENCH_DIR/causeway.toml" | tr '\n' ' ')(worker_threads 32 unless set)"
start_server
trap stop_server EXIT
# measure LABEL WRK_ARGS…: one wrk run; prints req/s, latency, non-2xx, server CPU per request
# and the cores the server, wrk and everything else used.
measure() {
  local label=$1; shift
  local cpu0 busy0 t0 out
  cpu0=$(cpu_s "$SERVER_PID") busy0=$(busy_s) t0=$(date +%s.%N)
  out=$(/usr/bin/time -f '%U %S' -o "$BENCH_DIR/wrk.cpu" wrk "$@" 2>/dev/null)
  local cpu; cpu=$(awk -v a="$cpu0" -v b="$(cpu_s "$SERVER_PID")" 'BEGIN{print b-a}')
  local secs; secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{print b-a}')
  local wrk_cpu; wrk_cpu=$(awk '{print $1 + $2}' "$BENCH_DIR/wrk.cpu")
  local n; n=$(awk '/requests in/{print $1}' <<<"$out")
  printf '%s: %s req/s  p50 %s  p90 %s  p99 %s  non-2xx %s  server CPU %s µs/request\n' "$label" \
    "$(awk '/Requests\/sec/{print $2}' <<<"$out")" "$(awk '$1=="50%"{print $2}' <<<"$out")" \
    "$(awk '$1=="90%"{print $2}' <<<"$out")" "$(awk '$1=="99%"{print $2}' <<<"$out")" \
    "$(awk '/Non-2xx/{print $5}' <<<"$out" | grep . || echo 0)" \
    "$(awk -v c="$cpu" -v n="$n" 'BEGIN{printf "%.0f", c * 1e6 / n}')"
  echo "  cores used: server $(awk -v c="$cpu" -v t="$secs" 'BEGIN{printf "%.2f", c/t}')," \
    "wrk $(awk -v c="$wrk_cpu" -v t="$secs" 'BEGIN{printf "%.2f", c/t}')," \
    "other processes $(awk -v b0="$busy0" -v b1="$(busy_s)" -v s="$cpu" -v w="$wrk_cpu" -v t="$secs" \
      'BEGIN{printf "%.2f", (b1 - b0 - s - w) / t}')"
}
machine
token() {
  curl -fsS -H 'Content-Type: application/json' -d "{\"Login\":\"$1\",\"Password\":\"Welcome1!\"}" \
    "http://127.0.0.1:$PORT/auth/authentication-endpoint/authenticate/token?TENANTID=$TENANT"
}
AGENT=$(token ana.agent)
SNOW=$(token sx.snow)

# 1. seed, 500 per bulk request
python3 - "$PORT" "$TENANT" "$AGENT" "$RECORDS" <<'PY'
import http.client, json, sys
port, tenant, token, n = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
c = http.client.HTTPConnection("127.0.0.1", port)
done = 0
while done < n:
    k = min(500, n - done)
    body = {"operation": "CREATE", "entities": [{"entity_type": "Change", "properties": {
        "DisplayLabel": f"bench change {done + i}", "Description": "seeded", "OwningGroup": "20003",
        "RequestedByPerson": "10010"}} for i in range(k)]}
    c.request("POST", f"/rest/{tenant}/ems/bulk", json.dumps(body),
              {"Content-Type": "application/json", "Cookie": "LWSSO_COOKIE_KEY=" + token})
    r = c.getresponse(); doc = json.loads(r.read())
    assert r.status == 200 and doc["meta"]["completion_status"] == "OK", doc
    done += k
print(f"seeded {done} changes (one Assign each)")
PY

# 2. the poll of a full page
export CX_TOKEN=$SNOW
bytes=$(curl -fsS -o /dev/null -w '%{size_download}' -H "Cookie: LWSSO_COOKIE_KEY=$SNOW" \
  "http://127.0.0.1:$PORT/rest/$TENANT/ces?layout=Id,DisplayLabel,PhaseId,OwningGroup,RequestedByPerson.Email&type=Change&system=SNOW&time=0&size=4000")
measure "poll of $RECORDS operations ($bytes bytes)" -t1 -c1 -d"${DURATION}s" --latency \
  -s "$HERE/case_exchange_poll.lua" "http://127.0.0.1:$PORT"

# 3. incoming Updates, 64 connections
export CX_TOKEN=$SNOW WRK_THREADS=2
RATE=0 wrk -t2 -c64 -d2s -s "$HERE/case_exchange_update.lua" "http://127.0.0.1:$PORT" >/dev/null 2>&1
RATE=0 measure "incoming Update, closed loop (durable, 64 connections, maximum)" -t2 -c64 -d"${DURATION}s" \
  --latency -s "$HERE/case_exchange_update.lua" "http://127.0.0.1:$PORT"
RATE=$RATE measure "incoming Update, open loop at $RATE/s offered (durable, 64 connections)" -t2 -c64 \
  -d"${DURATION}s" --latency -s "$HERE/case_exchange_update.lua" "http://127.0.0.1:$PORT"
echo "RSS after load: $(rss_mib "$SERVER_PID") MiB"

# 4. visibility
python3 "$HERE/case_exchange_visibility.py" "$PORT" "$TENANT" 10001 "$RECORDS" "${ROUNDS:-300}"
machine
