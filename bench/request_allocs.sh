#!/usr/bin/env bash
# Heap allocations per request on the read paths that peers.sh measures (service document
# entity, JobTemplateSet list, JobStatusGet): a uprobe on glibc's malloc (perf, root, x86-64:
# the size is the first argument, %di) counts every allocation of the server during a short
# wrk run at 4 connections, divided by the requests wrk counted. Besides the count it lists the
# sizes that come once or more per request and are above asio's recycling limit for coroutine
# frames (1,020 bytes): each such allocation is a large-chunk malloc and free per request, the
# kind that made glibc consolidate its fast bins on every request (bench/README.md, 2026-12-01).
# Not a throughput figure: the probe slows the server down several times.
# Usage: bench/request_allocs.sh   (SKIP_BUILD=1 to use the build; SCENARIOS="entity func list")
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
SCENARIOS="${SCENARIOS:-entity func list}"
build_release
rm -rf "$BENCH_DIR"
mkdir -p "$BENCH_DIR"

LIBC=$(ldd "$BIN" | awk '/libc\.so/{print $3}')
ADDED_PROBE=0
if ! perf probe -l 2>/dev/null | grep -q 'probe_libc:malloc'; then
  perf probe -q -x "$LIBC" -a 'malloc bytes=%di:u64' || { echo "perf probe on $LIBC failed (root and perf needed)" >&2; exit 1; }
  ADDED_PROBE=1
fi
cleanup() {
  stop_server
  [[ $ADDED_PROBE == 1 ]] && perf probe -q -d 'probe_libc:malloc' || true
}
trap cleanup EXIT

write_config
start_server
B="http://127.0.0.1:$PORT$SRV"
fetch_session "$B" "$BENCH_DIR/jar"
schedule_probe "$B" "$BENCH_DIR/jar"
AUTH_HEADER="Authorization: Basic $(printf '%s' "$AUTH" | base64 -w0)"
echo "== $(date -u +%FT%TZ) $(git -C "$ROOT" rev-parse --short HEAD), $(basename "$BIN")"
for scenario in $SCENARIOS; do
  case $scenario in
    entity) url="$B/JobTemplateSet(JobTemplateName='ZCW_DEMO_NOOP',JobTemplateVersion='0')?\$format=json" ;;
    list) url="$B/JobTemplateSet?\$top=20&\$format=json" ;;
    func) url="$B/JobStatusGet?JobName='$NAME'&JobRunCount='$COUNT'&\$format=json" ;;
    *) echo "unknown scenario $scenario" >&2; exit 2 ;;
  esac
  curl -fsS -o /dev/null -u "$AUTH" "$url"
  wrk -t1 -c4 -H "$AUTH_HEADER" -d1s "$url" > /dev/null  # warm: caches filled, frames recycled
  perf record -q -e probe_libc:malloc -p "$SERVER_PID" -o "$BENCH_DIR/allocs.data" > /dev/null 2>&1 &
  perf_pid=$!
  sleep 0.5
  wrk -t1 -c4 -H "$AUTH_HEADER" -d2s "$url" > "$BENCH_DIR/wrk.out"
  sleep 0.3
  kill -INT "$perf_pid"
  wait "$perf_pid" || true
  requests=$(awk '/requests in/{print $1}' "$BENCH_DIR/wrk.out")
  perf script -i "$BENCH_DIR/allocs.data" -F trace 2>/dev/null | awk -v n="$requests" -v s="$scenario" '
    { split($NF, a, "="); size = a[2] + 0; count++; bytes += size; if (size > 1020) big[size]++ }
    END {
      line = ""
      for (k in big) if (big[k] >= n) line = line sprintf(" %d B x %.2f", k, big[k] / n)
      printf "%-7s %8d requests  %6.1f allocations/request  %8.0f bytes/request  above 1,020 B each request:%s\n",
             s, n, count / n, bytes / n, line == "" ? " none" : line
    }'
done
