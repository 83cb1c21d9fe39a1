#!/usr/bin/env bash
# Set-up command 1: install, build (release) and run the server on the embedded demo
# (SQLite under ./var, demo users and job templates, HTTP 127.0.0.1:8080, HTTPS :8443).
# Extra arguments go to `causeway serve` (e.g. --config causeway.toml, --port 9090).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target causeway
exec build/release/src/app/causeway serve "$@"
