#!/usr/bin/env bash
# Records are OCR'd with Debian's Tesseract in English and French (issue 23): install the
# program and both languages when missing and we may (root with apt-get); otherwise say how.
set -eu
PACKAGES="tesseract-ocr tesseract-ocr-eng tesseract-ocr-fra"
have() {
  command -v tesseract >/dev/null 2>&1 || return 1
  langs=$(tesseract --list-langs 2>/dev/null)
  echo "$langs" | grep -qx eng && echo "$langs" | grep -qx fra
}
if have; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's tesseract-ocr (eng, fra) for reading scanned records..."
  apt-get update -qq >/dev/null
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $PACKAGES >/dev/null
else
  echo "tesseract is missing: run 'sudo apt-get install -y $PACKAGES' to read scanned records" >&2
  exit 1
fi
