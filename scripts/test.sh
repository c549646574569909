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
# The web app: build the bundle when stale (kairos up serves it; the browser tests use it),
# then its unit tests (Vitest). Without Node.js 20.19+ both are skipped with one line.
if [ "$#" -eq 0 ] || [ "${KAIROS_WEB_TESTS:-}" = "1" ]; then
  status=0
  .venv/bin/python -m interfaces.cli.main web build || status=$?
  if [ "$status" -eq 0 ]; then
    (cd interfaces/web && npm test --silent) || { echo "web unit tests failed" >&2; exit 1; }
  elif [ "$status" -eq 3 ]; then
    echo "no Node.js 20.19+: the web app's unit and browser tests are skipped" >&2
  else
    exit "$status"
  fi
fi
exec .venv/bin/python -m pytest "$@"
