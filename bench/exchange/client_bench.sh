#!/usr/bin/env bash
# exchange's HTTP client against the nginx "physical ceiling" of ../shared/bench-peers (every
# request answered 200 at once): messages/s over 64 ordered streams, and latency at 1,000/s.
# Targets for the whole outbox later (issue 12): >= 5,000 messages/s durable across 64 keys;
# enqueue-to-delivered p50 <= 5 ms, p99 <= 50 ms at 1,000/s. This measures the client's share.
# Env: PRESET (release), SECONDS_PER_RUN (10), CEILING_PORT (18080), THREADS (1), SKIP_BUILD=1.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PRESET="${PRESET:-release}"
PEERS="${PEERS:-$ROOT/../shared/bench-peers}"
PORT="${CEILING_PORT:-18080}"
RUN="${SECONDS_PER_RUN:-10}"
THREADS="${THREADS:-1}"
BIN="$ROOT/build/$PRESET/bench/exchange/exchange_client_bench"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  (cd "$ROOT" && cmake --preset "$PRESET" >/dev/null && cmake --build --preset "$PRESET" --target exchange_client_bench -j2 >/dev/null)
fi
CEILING_PORT="$PORT" "$PEERS/peers/ceiling/ceiling.sh" start >/dev/null
trap 'CEILING_PORT="$PORT" "$PEERS/peers/ceiling/ceiling.sh" stop >/dev/null 2>&1 || true' EXIT
URL="http://127.0.0.1:$PORT"

echo "== 64 ordered streams, one message in flight each, as fast as they go"
"$BIN" --url "$URL" --mode keys --keys 64 --seconds "$RUN" --threads "$THREADS"
echo "== open loop at 1,000 messages/s"
"$BIN" --url "$URL" --mode rate --rate 1000 --keys 64 --seconds "$RUN" --threads "$THREADS"
echo "== open loop at 5,000 messages/s"
"$BIN" --url "$URL" --mode rate --rate 5000 --keys 64 --seconds "$RUN" --threads "$THREADS"
