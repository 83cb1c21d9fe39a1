#!/usr/bin/env bash
# The outbox (SQLite store, CurlHttpClient) against the nginx "physical ceiling" of
# ../shared/bench-peers (every request answered 200 at once). Issue 12's figures:
#   >= 5,000 messages/s delivered durably across 64 keys (enqueue committed, delivery recorded);
#   enqueue-to-delivered p50 <= 5 ms, p99 <= 50 ms at 1,000 messages/s;
#   100,000 pending messages with RSS <= 100 MiB; a restart with 100,000 pending delivers
#   again within 1 s.
# Env: PRESET (release), MESSAGES (100000), PRODUCERS (32), UNIT (1), SECONDS_PER_RUN (10),
#      CEILING_PORT (18080), SKIP_BUILD=1, BENCH_DIR (a temporary folder for the store).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PRESET="${PRESET:-release}"
PEERS="${PEERS:-$ROOT/../shared/bench-peers}"
PORT="${CEILING_PORT:-18080}"
MESSAGES="${MESSAGES:-100000}"
PRODUCERS="${PRODUCERS:-32}"
UNIT="${UNIT:-1}"
RUN="${SECONDS_PER_RUN:-10}"
BIN="$ROOT/build/$PRESET/bench/exchange/outbox_bench"
DIR="${BENCH_DIR:-$(mktemp -d -t cw-outbox-bench.XXXXXX)}"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  (cd "$ROOT" && cmake --preset "$PRESET" >/dev/null && cmake --build --preset "$PRESET" --target outbox_bench -j2 >/dev/null)
fi
CEILING_PORT="$PORT" "$PEERS/peers/ceiling/ceiling.sh" start >/dev/null
trap 'CEILING_PORT="$PORT" "$PEERS/peers/ceiling/ceiling.sh" stop >/dev/null 2>&1 || true; rm -rf "$DIR"' EXIT
URL="http://127.0.0.1:$PORT"
fresh() { rm -f "$DIR"/outbox.db*; }

echo "== throughput: $MESSAGES messages over 64 keys, enqueued by $PRODUCERS threads ($UNIT per unit) while delivered"
fresh
"$BIN" --url "$URL" --db "$DIR/outbox.db" --mode throughput --messages "$MESSAGES" --keys 64 \
  --producers "$PRODUCERS" --unit "$UNIT" --concurrency 64
echo "== latency: 1,000 messages/s for $RUN s over 64 keys"
fresh
"$BIN" --url "$URL" --db "$DIR/outbox.db" --mode latency --rate 1000 --seconds "$RUN" --keys 64 --concurrency 64
echo "== 100,000 pending, then a restart"
fresh
"$BIN" --url "$URL" --db "$DIR/outbox.db" --mode fill --messages 100000 --keys 64 --producers "$PRODUCERS"
"$BIN" --url "$URL" --db "$DIR/outbox.db" --mode resume --keys 64 --concurrency 64
