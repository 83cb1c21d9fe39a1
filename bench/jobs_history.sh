#!/usr/bin/env bash
# Memory with history (issue 11): the store holds JOBS finished jobs (default one million, with a
# step and three log lines each, bulk-inserted with SQL), then the server starts on it. Prints
# the start time, RSS at start, after JobStatusGet of the oldest job (checked: status F) and of
# random old jobs (wrk, every request a different job), and after the JobSchedule flood of
# jobs_load.sh on top of it. Target: RSS <= 100 MiB, old jobs answer correctly.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
JOBS="${JOBS:-1000000}"
DURATION="${DURATION:-10}"
build_release
rm -rf "$BENCH_DIR"
write_config
start_server  # creates the store and applies the migrations
stop_server
SERVER_PID=
t0=$(date +%s)
sqlite3 "$BENCH_DIR/data/causeway.db" <<SQL
BEGIN;
CREATE TEMP TABLE n AS WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < $JOBS) SELECT i FROM c;
INSERT INTO jobs (job_name, run_count, text, template_name, template_text, report_name, job_user, creator, status,
  created_at, planned_start, started_at, ended_at, app_rc, parameters, orig_job_name, orig_job_count, restart_count,
  restart_mode)
SELECT printf('%032X', i), 'HIST0001', 'history ' || i, 'ZCW_DEMO_NOOP', 'Demo: no operation', '', 'PLANNER',
  'JOB_ADMIN', 'F', 1600000000000 + i, 1600000000000 + i, 1600000000000 + i, 1600000000005 + i, 0, '{"VALUES":[]}',
  '', '', 0, '' FROM n;
INSERT INTO job_steps (job_name, run_count, step_nr, definition, status, started_at, ended_at, app_rc)
SELECT printf('%032X', i), 'HIST0001', 1, '{"catalog_entry_name":"ZCW_NOOP","text":"No operation","kind":"noop",'
  || '"argv":[],"env":{},"working_dir":"","timeout_s":0,"sleep_parameter":"P_SECONDS","days_parameter":"P_DAYS"}',
  'F', 1600000000001 + i, 1600000000004 + i, 0 FROM n;
INSERT INTO job_log (job_name, run_count, seq, step_nr, at, msg_type, text)
SELECT printf('%032X', i), 'HIST0001', s.seq, s.step_nr, 1600000000000 + i, s.type, s.text FROM n,
  (SELECT 1 AS seq, 0 AS step_nr, 'S' AS type, 'Job history has been scheduled.' AS text
   UNION ALL SELECT 2, 1, 'I', 'Nothing to do (noop)' UNION ALL SELECT 3, 0, 'I', 'Job ended with status F') s;
COMMIT;
SQL
echo "store: $(sqlite3 "$BENCH_DIR/data/causeway.db" 'SELECT COUNT(*) FROM jobs') jobs, $(du -m "$BENCH_DIR/data/causeway.db" | cut -f1) MB, filled in $(( $(date +%s) - t0 )) s"
started=$(date +%s%N)
start_server
trap stop_server EXIT
echo "start: $(( ($(date +%s%N) - started) / 1000000 )) ms, RSS $(rss_mib "$SERVER_PID") MiB"
B="http://127.0.0.1:$PORT$SRV"
export CW_AUTH="Basic $(printf '%s' "$AUTH" | base64 -w0)"
oldest=$(printf '%032X' 1)
status=$(curl -fsS -H "Authorization: $CW_AUTH" "$B/JobStatusGet?JobName='$oldest'&JobRunCount='HIST0001'&\$format=json" |
  sed -E 's/.*"JobStatus":"([^"]*)".*/\1/')
echo "JobStatusGet of the oldest job: $status (want F)"
[[ "$status" == F ]] || { echo "wrong status of an old job" >&2; exit 1; }
lua=$(mktemp --suffix=.lua)
cat > "$lua" <<LUA
-- every request another old job
math.randomseed(os.time())
request = function()
  return wrk.format("GET", "$SRV/JobStatusGet?JobName='" .. string.format("%032X", math.random(1, $JOBS)) ..
    "'&JobRunCount='HIST0001'&\$format=json")
end
LUA
out=$(wrk -t2 -c64 -d"${DURATION}s" --latency -H "Authorization: $CW_AUTH" -s "$lua" "http://127.0.0.1:$PORT")
printf 'JobStatusGet, random old jobs: %s req/s, p99 %s, non-2xx %s\n' "$(awk '/Requests\/sec/{print $2}' <<<"$out")" \
  "$(awk '$1=="99%"{print $2}' <<<"$out")" "$(awk '/Non-2xx/{print $5}' <<<"$out")"
echo "RSS after JobStatusGet of random old jobs: $(rss_mib "$SERVER_PID") MiB"
hdrs=$(mktemp)
curl -fsS -u "$AUTH" -c "$BENCH_DIR/jar" -I -H 'X-CSRF-Token: Fetch' "$B/" > "$hdrs"
export CW_TOKEN=$(awk -F': ' 'tolower($1)=="x-csrf-token"{print $2}' "$hdrs" | tr -d '\r')
export CW_COOKIE=$(awk '/SAP_SESSIONID/{print $6"="$7}' "$BENCH_DIR/jar")
out=$(wrk -t2 -c64 -d"${DURATION}s" -H "Authorization: $CW_AUTH" -s "$HERE/schedule.lua" \
  "$B/JobSchedule?JobTemplateName='ZCW_DEMO_NOOP'&JobText='b'&JobUser='PLANNER'&\$format=json")
echo "JobSchedule on top: $(awk '/Requests\/sec/{print $2}' <<<"$out") req/s; RSS $(rss_mib "$SERVER_PID") MiB"
