#!/usr/bin/env bash
# System packages the test suite needs besides Python, from Debian's archive:
#   postgresql  initdb/pg_ctl for the migration tests on a throw-away PostgreSQL server
#   chromium    the headless browser the Playwright end-to-end tests drive (/usr/bin/chromium)
#   npm         fetches BlazePose's heavy model for `--model heavy` (scripts/pose-model.sh,
#               run again here once npm is installed)
#   poppler-utils  pdftotext, pdfimages and pdfinfo: the handout PDF is checked by its text and pages
# Installs only what is missing (non-interactive apt-get; as root, or through sudo).
set -euo pipefail

newest_pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

missing=()
pg_bin=$(newest_pg_bin || true)
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then missing+=(postgresql); fi
if [ ! -x /usr/bin/chromium ]; then missing+=(chromium); fi
if ! command -v npm >/dev/null 2>&1; then missing+=(npm); fi
if ! command -v pdftotext >/dev/null 2>&1; then missing+=(poppler-utils); fi
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "test-deps: apt-get not found; install ${missing[*]} yourself (the tests that need them are skipped)." >&2
    exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "== installing system packages for the tests: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
bash "$(dirname "$0")/pose-model.sh"
