#!/usr/bin/env bash
# Set up everything the tests need, then run lint, type checks and the whole test suite.
# Extra arguments go to pytest (e.g. `bash scripts/test.sh -k akps`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== mypy"
.venv/bin/mypy
echo "== import-linter (the layers of docs/architecture.md)"
.venv/bin/lint-imports --no-cache
bash scripts/test-deps.sh
echo "== pytest"
# Two workers or more (one per core), each test module kept on one worker so that its
# module-scoped fixtures (a real pose-model run, a live server) are built once.
.venv/bin/pytest -n auto --dist loadscope "$@"
