#!/usr/bin/env bash
# The mail tests run a real IMAP server: Debian's dovecot-imapd, started by the tests
# themselves in the foreground with a configuration in a temporary folder (tests/dovecot.py).
# Install it when missing and we may (root with apt-get); otherwise say how.
set -eu
if command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's dovecot-imapd for the mail tests..."
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dovecot-imapd >/dev/null
  # The tests start their own server; the system's is not needed.
  if command -v systemctl >/dev/null 2>&1; then systemctl disable --now dovecot >/dev/null 2>&1 || true; fi
else
  echo "dovecot is missing: run 'sudo apt-get install -y dovecot-imapd' so the mail tests can run" >&2
  exit 1
fi
