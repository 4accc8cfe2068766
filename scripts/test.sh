#!/usr/bin/env bash
# The whole test suite: type check, lint, unit, database (PGlite and a real PostgreSQL server), HTTP and browser tests.
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

echo "== type check (tsc --noEmit)"
npx --no-install tsc --noEmit
echo "== lint (eslint)"
npx --no-install eslint .
echo "== tests: unit, db-pglite, db-postgres, browser"
npx --no-install vitest run "$@"
