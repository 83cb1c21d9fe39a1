#!/usr/bin/env bash
# Case exchange figures (issue 16) on loopback, release build, fresh data dir, durable (SQLite
# WAL + synchronous=FULL):
#   1. seed RECORDS changes owned by the external group (one Assign each, via ems/bulk)
#   2. a /ces poll of all RECORDS operations (the default page of 4000): wrk -t1 -c1 latency
#   3. incoming Update operations at 64 connections: wrk -t2 -c64, req/s and p50/p99
#   4. visibility: comment answered -> a poll shows its Update (case_exchange_visibility.py)
# Prints the host's load before and after: the machine is shared.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
DURATION="${DURATION:-15}"
RECORDS="${RECORDS:-4000}"
TENANT=100000002
HERE="$(dirname "${BASH_SOURCE[0]}")"
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
start_server
trap stop_server EXIT
echo "host load: $(cut -d' ' -f1-3 /proc/loadavg)"
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
out=$(wrk -t1 -c1 -d"${DURATION}s" --latency -s "$HERE/case_exchange_poll.lua" "http://127.0.0.1:$PORT" 2>/dev/null)
printf 'poll of %s operations (%s bytes): %s req/s  p50 %s  p90 %s  p99 %s\n' "$RECORDS" "$bytes" \
  "$(awk '/Requests\/sec/{print $2}' <<<"$out")" "$(awk '$1=="50%"{print $2}' <<<"$out")" \
  "$(awk '$1=="90%"{print $2}' <<<"$out")" "$(awk '$1=="99%"{print $2}' <<<"$out")"

# 3. incoming Updates, 64 connections
export CX_TOKEN=$SNOW
wrk -t2 -c64 -d2s -s "$HERE/case_exchange_update.lua" "http://127.0.0.1:$PORT" >/dev/null 2>&1
out=$(wrk -t2 -c64 -d"${DURATION}s" --latency -s "$HERE/case_exchange_update.lua" "http://127.0.0.1:$PORT" 2>/dev/null)
printf 'incoming Update (durable, 64 connections): %s req/s  p50 %s  p90 %s  p99 %s  non-2xx %s\n' \
  "$(awk '/Requests\/sec/{print $2}' <<<"$out")" "$(awk '$1=="50%"{print $2}' <<<"$out")" \
  "$(awk '$1=="90%"{print $2}' <<<"$out")" "$(awk '$1=="99%"{print $2}' <<<"$out")" \
  "$(awk '/Non-2xx/{print $5}' <<<"$out")"
echo "RSS after load: $(rss_mib "$SERVER_PID") MiB"

# 4. visibility
python3 "$HERE/case_exchange_visibility.py" "$PORT" "$TENANT" 10001 "$RECORDS" "${ROUNDS:-300}"
echo "host load: $(cut -d' ' -f1-3 /proc/loadavg)"
