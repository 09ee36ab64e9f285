#!/usr/bin/env bash
# Set up hipfirst, then run the main job.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/hipfirst --help
