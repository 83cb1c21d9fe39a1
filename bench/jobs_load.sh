#!/usr/bin/env bash
# Issue-4 figures on loopback (release build, fresh data dir):
#   JobStatusGet JSON and JobTemplateSet top 20 (JSON, Atom) with wrk -t2 -c64;
#   JobSchedule (POST with CSRF, durable) with wrk -t2 -c64;
#   noop job latency and a burst of 10,000 jobs (jobs_bench.py), idle and peak RSS.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
DURATION="${DURATION:-10}"
build_release
rm -rf "$BENCH_DIR"
write_config
start_server
trap stop_server EXIT
B="http://127.0.0.1:$PORT$SRV"
echo "idle RSS: $(rss_mib "$SERVER_PID") MiB"
fetch_session "$B" "$BENCH_DIR/jar"
schedule_probe "$B" "$BENCH_DIR/jar"
export CW_TOKEN=$TOKEN CW_COOKIE=$COOKIE
export CW_AUTH="Basic $(printf '%s' "$AUTH" | base64 -w0)"
name=$NAME count=$COUNT
run() {  # run LABEL URL [wrk args...]
  local label=$1 url=$2; shift 2
  wrk -t2 -c64 -d2s -H "Authorization: $CW_AUTH" "$@" "$url" >/dev/null
  local out; out=$(wrk -t2 -c64 -d"${DURATION}s" --latency -H "Authorization: $CW_AUTH" "$@" "$url")
  printf '%-28s %10s req/s  p50 %-9s p99 %-9s non-2xx %s\n' "$label" "$(awk '/Requests\/sec/{print $2}' <<<"$out")" \
    "$(awk '$1=="50%"{print $2}' <<<"$out")" "$(awk '$1=="99%"{print $2}' <<<"$out")" \
    "$(awk '/Non-2xx/{print $5}' <<<"$out")"
}
run "JobStatusGet json" "$B/JobStatusGet?JobName='$name'&JobRunCount='$count'&\$format=json"
run "JobTemplateSet top20 json" "$B/JobTemplateSet?\$top=20&\$format=json"
run "JobTemplateSet top20 atom" "$B/JobTemplateSet?\$top=20"
# Latency and the burst run before the JobSchedule flood, which leaves tens of thousands of
# jobs queued behind it.
python3 "$HERE/jobs_bench.py" --port "$PORT" --pid "$SERVER_PID" \
  --samples "${SAMPLES:-200}" --burst "${BURST:-10000}"
run "JobSchedule (POST, durable)" "$B/JobSchedule?JobTemplateName='ZCW_DEMO_NOOP'&JobText='b'&JobUser='PLANNER'&\$format=json" \
  -s "$HERE/schedule.lua"
echo "RSS after load: $(rss_mib "$SERVER_PID") MiB"
