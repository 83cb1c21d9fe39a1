#!/usr/bin/env bash
# Runs every libFuzzer target for a bounded time and prints executions and crashes per target.
# Usage: fuzz/run.sh [seconds-per-target (default 20)] [build-dir (default build/fuzz)]
# Targets run FUZZ_PARALLEL (default: the number of cores) at a time.
set -u
SECONDS_EACH="${1:-${FUZZ_SECONDS:-20}}"
BUILD_DIR="${2:-${FUZZ_BUILD_DIR:-build/fuzz}}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
status=0
found=0
PARALLEL="${FUZZ_PARALLEL:-$(nproc)}"
results="$(mktemp -d)"
run_one() {  # run_one BIN: writes its summary line (and the log tail on failure) to $results/NAME
  local bin="$1" name corpus seeds log args stem_base flags rc execs crashes
  name="$(basename "$bin")"
  corpus="$ROOT/build/fuzz-corpus/$name"
  mkdir -p "$corpus"
  seeds="$ROOT/fuzz/$(echo "$name" | cut -d_ -f2)/seeds/${name#fuzz_*_}"
  log="$(mktemp)"
  args=("$corpus")
  [ -d "$seeds" ] && args+=("$seeds")
  # Per-target extras beside the sources: <stem>.options (flags, e.g. a larger -max_len for
  # inputs that must be long to reach deep paths) and <stem>.dict (a libFuzzer dictionary).
  stem_base="$ROOT/fuzz/$(echo "$name" | cut -d_ -f2)/${name#fuzz_*_}"
  flags=(-max_len=4096)
  [ -f "$stem_base.options" ] && read -r -a flags < "$stem_base.options"
  [ -f "$stem_base.dict" ] && flags+=(-dict="$stem_base.dict")
  "$bin" -max_total_time="$SECONDS_EACH" "${flags[@]}" -timeout=10 -rss_limit_mb=2048 \
         -artifact_prefix="$corpus/" "${args[@]}" >"$log" 2>&1
  rc=$?
  execs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)"
  [ -z "$execs" ] && execs="$(grep -Eo '#[0-9]+' "$log" | tail -1 | tr -d '#')"
  crashes="$(ls "$corpus" 2>/dev/null | grep -cE '^(crash|leak|timeout|oom)-' || true)"
  {
    printf '%-24s executions=%-10s crashes=%s exit=%s\n' "$name" "${execs:-?}" "$crashes" "$rc"
    if [ "$rc" -ne 0 ]; then tail -30 "$log"; fi
  } >"$results/$name"
  [ "$rc" -eq 0 ] || touch "$results/$name.failed"
  rm -f "$log"
}
for bin in $(find "$BUILD_DIR" -type f -name 'fuzz_*' -perm -u+x | sort); do
  found=$((found + 1))
  while [ "$(jobs -rp | wc -l)" -ge "$PARALLEL" ]; do wait -n; done
  run_one "$bin" &
done
wait
for f in $(ls "$results" | grep -v '\.failed$' | sort); do cat "$results/$f"; done
ls "$results" | grep -q '\.failed$' && status=1
rm -rf "$results"
if [ "$found" -eq 0 ]; then echo "no fuzz targets under $BUILD_DIR (cmake --preset fuzz && cmake --build --preset fuzz --target fuzz_all)"; exit 1; fi
exit $status
