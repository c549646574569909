#!/bin/sh
# Runs the whole test suite (unit, integration, end-to-end) against real PostgreSQL and
# Redis: this machine's services when reachable, embedded ones otherwise.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing chromium for the browser tests ..." >&2
  (apt-get install -y -qq chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null 2>&1)) \
    || echo "chromium unavailable: browser tests will be skipped" >&2
fi
exec .venv/bin/python -m pytest "$@"
