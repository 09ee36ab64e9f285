#!/usr/bin/env bash
# Set up hipfirst, then start the clinic web app (http://127.0.0.1:8000 by default).
# Extra arguments go to `hipfirst serve` (e.g. --port 8080 --data-dir ./clinic-data).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/hipfirst serve "$@"
