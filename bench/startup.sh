#!/usr/bin/env bash
# Start-to-first-answer time and idle RSS of the release binary (median of 10 starts).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
build_release
write_config
rm -rf "$BENCH_DIR/data"
times=()
for i in $(seq 1 10); do
  rm -f "$BENCH_DIR/ready"
  t0=$(date +%s%N)
  "$BIN" serve --config "$BENCH_DIR/causeway.toml" --ready-file "$BENCH_DIR/ready" > "$BENCH_DIR/server.log" 2>&1 &
  SERVER_PID=$!
  until curl -fsS -o /dev/null "http://127.0.0.1:$PORT/_causeway/health" 2>/dev/null; do sleep 0.002; done
  t1=$(date +%s%N)
  times+=($(( (t1 - t0) / 1000000 )))
  [[ $i -eq 10 ]] && { sleep 1; echo "idle RSS: $(rss_mib "$SERVER_PID") MiB"; }
  stop_server
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
echo "start to first answer: median ${sorted[5]} ms (min ${sorted[0]}, max ${sorted[9]}) over 10 starts"
