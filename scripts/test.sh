#!/usr/bin/env bash
# The whole test suite: type check, lint, unit, database (PGlite and a real PostgreSQL server), HTTP, process and browser tests.
# Installs Debian's postgresql and chromium when missing and run as root; otherwise stops, naming them.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian packages the tests need: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "The tests need these Debian packages, which are not installed: ${missing[*]}" >&2
    echo "Install them (sudo apt-get install ${missing[*]}) and run npm test again." >&2
    exit 1
  fi
fi

# The type check and lint run alongside the tests (they take a core each for half a minute, while
# the tests often wait on a database, Chromium or a server process); their output is shown after
# the tests'. Every step runs even when another fails, and the last line says which failed.
logs=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$logs"' EXIT
npx --no-install tsc --noEmit >"$logs/tsc" 2>&1 &
pids+=($!)
npm run --silent lint >"$logs/eslint" 2>&1 &
pids+=($!)

echo "== tests: unit, db-pglite, db-postgres, process, browser (type check and lint running alongside)"
set +e
npx --no-install vitest run "$@"
tests=$?
wait "${pids[0]}"
tsc=$?
wait "${pids[1]}"
lint=$?
set -e
pids=()

echo "== type check (tsc --noEmit): $([ $tsc = 0 ] && echo passed || echo "FAILED, exit $tsc")"
cat "$logs/tsc"
echo "== lint (eslint, then knip for unused files, exports and dependencies): $([ $lint = 0 ] && echo passed || echo "FAILED, exit $lint")"
cat "$logs/eslint"

failed=()
[ $tsc = 0 ] || failed+=("type check")
[ $lint = 0 ] || failed+=(lint)
[ $tests = 0 ] || failed+=(tests)
if [ ${#failed[@]} -gt 0 ]; then
  echo "npm test FAILED: ${failed[*]} (see above)" >&2
  exit 1
fi
echo "npm test passed: type check, lint and every test project"
