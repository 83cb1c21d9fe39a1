#!/usr/bin/env bash
# A throw-away PostgreSQL 15 cluster for scripts (end-to-end tests, benchmarks), the shell
# twin of pg_cluster.h: a temporary folder owned by an unprivileged user (causeway-test when
# run as root), a Unix socket in that folder, a free TCP port on 127.0.0.1, fsync=on, C
# collation, a random superuser password.
#
#   eval "$(tests/support/pg_cluster.sh start)"   # exports CAUSEWAY_PG_DIR, CAUSEWAY_PG_URI,
#                                                 # CAUSEWAY_PG_CONNINFO (socket), CAUSEWAY_PG_PORT
#   trap 'tests/support/pg_cluster.sh stop "$CAUSEWAY_PG_DIR"' EXIT
#   tests/support/pg_cluster.sh stop DIR          # stops the server and removes DIR
#
# Extra server settings: PG_SETTINGS="-c shared_buffers=256MB -c max_connections=300".
set -euo pipefail

BIN=/usr/lib/postgresql/15/bin
TEST_USER=causeway-test
SUPERUSER=causeway

as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u "$TEST_USER" -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
  [[ -x $BIN/initdb ]] || { echo "pg_cluster: $BIN/initdb not found (CAUSEWAY_TEST_DEPS=1 scripts/install-deps.sh)" >&2; exit 1; }
  local dir; dir=$(mktemp -d /tmp/cw_pg_XXXXXX)
  if [[ $(id -u) -eq 0 ]]; then
    id -u "$TEST_USER" >/dev/null 2>&1 ||
      useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$TEST_USER"
    chown "$TEST_USER": "$dir"
  fi
  as_owner "$BIN/initdb" -D "$dir/data" -U "$SUPERUSER" --auth-local=trust --auth-host=scram-sha-256 \
    -E UTF8 --locale=C --no-sync --no-instructions >"$dir/setup.log" 2>&1 ||
    { cat "$dir/setup.log" >&2; rm -rf "$dir"; exit 1; }
  local port started=0
  for _ in 1 2 3; do
    port=$(free_port)
    if as_owner "$BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
         -o "-c port=$port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir -c fsync=on -c synchronous_commit=on -c max_connections=200 ${PG_SETTINGS:-}" \
         start >>"$dir/setup.log" 2>&1; then
      started=1; break
    fi
  done
  ((started)) || { tail -n 20 "$dir/server.log" >&2; rm -rf "$dir"; exit 1; }
  local password; password=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
  psql -X -q -h "$dir" -p "$port" -U "$SUPERUSER" -d postgres \
    -c "ALTER ROLE $SUPERUSER PASSWORD '$password'" -c "CREATE DATABASE causeway" >/dev/null
  echo "export CAUSEWAY_PG_DIR=$dir"
  echo "export CAUSEWAY_PG_PORT=$port"
  echo "export CAUSEWAY_PG_CONNINFO='host=$dir port=$port dbname=causeway user=$SUPERUSER'"
  echo "export CAUSEWAY_PG_URI='postgresql://$SUPERUSER:$password@127.0.0.1:$port/causeway'"
}

stop() {
  local dir=${1:?usage: pg_cluster.sh stop DIR}
  [[ $dir == /tmp/cw_pg_* && -d $dir ]] || { echo "pg_cluster: $dir is not a pg_cluster folder" >&2; exit 1; }
  as_owner "$BIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
