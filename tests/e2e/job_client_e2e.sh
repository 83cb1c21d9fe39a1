#!/usr/bin/env bash
# End-to-end check of `causeway job run` against a running Causeway (or SAP) server.
#
# Required environment:
#   CAUSEWAY_URL       service root, e.g. https://localhost:8443/sap/opu/odata/sap/BC_EXT_APPJOB_MANAGEMENT;v=0002
#   CAUSEWAY_USER      communication user
#   CAUSEWAY_PASSWORD  its password
# Optional:
#   CAUSEWAY_BIN       client binary (default: causeway; "causeway-job" works too)
#   E2E_JOB_USER       business user for JobUser (default: $CAUSEWAY_USER)
#   E2E_TPL_FINISH     template that finishes (F)                 (default: CW_E2E_FINISH)
#   E2E_TPL_FAIL       template that fails (A)                    (default: CW_E2E_FAIL)
#   E2E_TPL_LONG       template that runs long enough to cancel   (default: CW_E2E_LONG)
#   CAUSEWAY_CA_BUNDLE / --insecure via E2E_EXTRA_ARGS for self-signed servers
#
# In ctest this runs against a fresh Causeway from tests/e2e/test_job_client.py (ShellScript).
set -u

: "${CAUSEWAY_URL:?set CAUSEWAY_URL}" "${CAUSEWAY_USER:?set CAUSEWAY_USER}" "${CAUSEWAY_PASSWORD:?set CAUSEWAY_PASSWORD}"
BIN=${CAUSEWAY_BIN:-causeway}
JOB_USER=${E2E_JOB_USER:-$CAUSEWAY_USER}
TPL_FINISH=${E2E_TPL_FINISH:-CW_E2E_FINISH}
TPL_FAIL=${E2E_TPL_FAIL:-CW_E2E_FAIL}
TPL_LONG=${E2E_TPL_LONG:-CW_E2E_LONG}
read -r -a EXTRA <<< "${E2E_EXTRA_ARGS:-}"

# Exit codes (src/client/exit_codes.h).
EXIT_FINISHED=0 EXIT_FAILED=4 EXIT_SIGTERM=143

failures=0
check() {  # name expected actual
  if [[ "$2" == "$3" ]]; then echo "PASS $1 (exit $3)"; else echo "FAIL $1: expected exit $2, got $3"; failures=$((failures + 1)); fi
}

job() { "$BIN" job "${EXTRA[@]}" "$@"; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# 1. A template that finishes.
job run --template "$TPL_FINISH" --user "$JOB_USER" --poll 2s --timeout 5m --json >"$tmp/finish.json"
check "finishing template" "$EXIT_FINISHED" $?
grep -q '"status":"F"' "$tmp/finish.json" || { echo "FAIL finishing template: summary lacks status F"; failures=$((failures + 1)); }

# 2. A template that fails.
job run --template "$TPL_FAIL" --user "$JOB_USER" --poll 2s --timeout 5m >/dev/null
check "failing template" "$EXIT_FAILED" $?

# 3. SIGTERM while waiting: the client must cancel the remote job and exit 143.
# Not through job(): `job … &` would fork a subshell and $! would be that shell, not the client.
"$BIN" job "${EXTRA[@]}" run --template "$TPL_LONG" --user "$JOB_USER" --poll 1s --json \
  >"$tmp/long.json" 2>"$tmp/long.err" &
pid=$!
for _ in $(seq 1 100); do   # wait until the job is scheduled (the client logs it), max ~20 s
  grep -q "scheduled job" "$tmp/long.err" 2>/dev/null && break
  sleep 0.2
done
kill -TERM "$pid"
wait "$pid"
check "cancel on SIGTERM" "$EXIT_SIGTERM" $?
name=$(sed -n 's/.*"job_name":"\([^"]*\)".*/\1/p' "$tmp/long.json")
count=$(sed -n 's/.*"job_run_count":"\([^"]*\)".*/\1/p' "$tmp/long.json")
if [[ -n "$name" ]]; then
  status=$(job status "$name" "$count" 2>/dev/null | sed -n 's/^JobStatus=//p')
  if [[ "$status" == "C" || -z "$status" ]]; then echo "PASS remote job cancelled (status '${status:-deleted}')"
  else echo "FAIL remote job not cancelled: status $status"; failures=$((failures + 1)); fi
else
  echo "FAIL cancel on SIGTERM: no job name in summary"; failures=$((failures + 1))
fi

echo "$failures failure(s)"
exit $((failures > 0))
