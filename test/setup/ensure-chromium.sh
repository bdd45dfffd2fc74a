#!/usr/bin/env bash
# npm test's own set-up: the Swagger UI tests drive Debian's Chromium (a browser download fails on these
# machines). Installs it when it is missing and this user may; otherwise says how, and the tests that need it fail
# with the same advice.
set -euo pipefail
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$CHROMIUM" ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's chromium for the browser tests..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  echo "Installing Debian's chromium for the browser tests..."
  sudo DEBIAN_FRONTEND=noninteractive apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  echo "The browser tests need Chromium at $CHROMIUM: run 'sudo apt-get install chromium', or set CHROMIUM_PATH." >&2
fi
