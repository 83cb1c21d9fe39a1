#!/usr/bin/env bash
# Our server side by side with the SAP CAP peer (OData V4 and V2) and the nginx ceiling, in one
# run of ../shared/bench-peers/bench/peers.sh (wrk -t2 -c64, loopback). Our server holds the
# peer's data set: the 50 job templates of peers/cap/db/data/jobs-JobTemplates.csv (loaded as
# [[jobs.templates]]) and real jobs for JobStatusGet.
# Results: bench/results/results-peers.md (newest first) and bench/results/runs/.
#   bench/peers.sh                       # needs ../shared/bench-peers/bench/setup.sh once
#   REPEAT=3 bench/peers.sh              # median of three runs per URL
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
build_release
rm -rf "$BENCH_DIR"
write_config
CSV="$PEERS/peers/cap/db/data/jobs-JobTemplates.csv"
# One noop step per JobTemplateStepCount, as the peer's rows describe.
tail -n +2 "$CSV" | while IFS=';' read -r name version text steps report periodic created cuser changed chuser testmode; do
  printf '\n[[jobs.templates]]\nname = "%s"\nversion = "%s"\ntext = "%s"\nreport = "%s"\n' "$name" "$version" "$text" "$report"
  for _ in $(seq 1 "$steps"); do printf '[[jobs.templates.steps]]\nkind = "noop"\n'; done
done >> "$BENCH_DIR/causeway.toml"
start_server
B="http://127.0.0.1:$PORT$SRV"
curl -fsS -u "$AUTH" -c "$BENCH_DIR/jar" -I -H 'X-CSRF-Token: Fetch' "$B/" > "$BENCH_DIR/fetch.txt"
token=$(awk -F': ' 'tolower($1)=="x-csrf-token"{print $2}' "$BENCH_DIR/fetch.txt" | tr -d '\r')
job=$(curl -fsS -u "$AUTH" -b "$BENCH_DIR/jar" -H "X-CSRF-Token: $token" -X POST \
  "$B/JobSchedule?JobTemplateName='SAP_JOB_TEMPLATE_007'&JobText='peer'&JobUser='PLANNER'&\$format=json")
name=$(sed -E 's/.*"JobName":"([^"]+)".*/\1/' <<<"$job"); count=$(sed -E 's/.*"JobRunCount":"([^"]+)".*/\1/' <<<"$job")
stop_server
mkdir -p "$ROOT/bench/results/runs"
OURS_NAME=causeway \
OURS_BASE="http://127.0.0.1:$PORT$SRV" \
OURS_START="$BIN serve --config $BENCH_DIR/causeway.toml" \
OURS_AUTH="$AUTH" \
OURS_LIST_PATH="/JobTemplateSet?\$top=20&\$format=json" \
OURS_ENTITY_PATH="/JobTemplateSet(JobTemplateName='SAP_JOB_TEMPLATE_007',JobTemplateVersion='1')?\$format=json" \
OURS_FUNC_PATH="/JobStatusGet?JobName='$name'&JobRunCount='$count'&\$format=json" \
RESULTS="$ROOT/bench/results/results-peers.md" RUNS_DIR="$ROOT/bench/results/runs" \
LABEL="${LABEL:-causeway $(git -C "$ROOT" rev-parse --short HEAD)}" \
  "$PEERS/bench/peers.sh"
