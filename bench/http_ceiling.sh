#!/usr/bin/env bash
# Issue-2 figure: an authenticated GET on a trivial route (the service document in JSON) with
# wrk -t2 -c64, next to the nginx static 200 of ../shared/bench-peers in the same run.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
DURATION="${DURATION:-10}"
build_release
write_config
start_server
trap 'stop_server; CEILING_PORT=18080 "$PEERS/peers/ceiling/ceiling.sh" stop >/dev/null 2>&1 || true' EXIT
hdr="Authorization: Basic $(printf '%s' "$AUTH" | base64 -w0)"
url="http://127.0.0.1:$PORT$SRV/?\$format=json"
curl -fsS -H "$hdr" -o /dev/null "$url"
echo "idle RSS before load: $(rss_mib "$SERVER_PID") MiB"
wrk -t2 -c64 -d3s -H "$hdr" "$url" >/dev/null  # warm-up
wrk -t2 -c64 -d"${DURATION}s" --latency -H "$hdr" "$url" | tee "$BENCH_DIR/ours.txt"
echo "RSS after load: $(rss_mib "$SERVER_PID") MiB"
stop_server
CEILING_PORT=18080 "$PEERS/peers/ceiling/ceiling.sh" start >/dev/null
wrk -t2 -c64 -d3s http://127.0.0.1:18080/ >/dev/null
wrk -t2 -c64 -d"${DURATION}s" --latency http://127.0.0.1:18080/ | tee "$BENCH_DIR/nginx.txt"
ours=$(awk '/Requests\/sec/{print $2}' "$BENCH_DIR/ours.txt")
ceil=$(awk '/Requests\/sec/{print $2}' "$BENCH_DIR/nginx.txt")
echo "ours ${ours} req/s, nginx ${ceil} req/s: $(awk -v a="$ours" -v b="$ceil" 'BEGIN{printf "%.0f%%", 100*a/b}') of the ceiling"
