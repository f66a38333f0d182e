#!/usr/bin/env bash
# The browser tests drive Debian's Chromium through Playwright (never `playwright install`).
# Install it when missing and we may (root with apt-get); otherwise say how.
set -eu
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's chromium for the browser tests..."
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  echo "chromium is missing: run 'sudo apt-get install -y chromium' so the browser tests can run" >&2
  exit 1
fi
