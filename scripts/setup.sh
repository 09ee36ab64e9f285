#!/usr/bin/env bash
# Set up hipfirst in ./.venv from the pinned lock file. Safe to run again.
#
# mediapipe 0.10.21 declares jax/jaxlib and the GUI build of OpenCV, which the
# pose API never uses; installing the lock with --no-deps keeps them out.
set -euo pipefail
cd "$(dirname "$0")/.."

find_python() {
    for candidate in "${PYTHON:-}" python3.11 python3.12; do
        if [ -n "$candidate" ] && command -v "$candidate" >/dev/null 2>&1; then
            echo "$candidate"; return 0
        fi
    done
    echo "hipfirst needs Python 3.11 or 3.12 (mediapipe 0.10.21 has wheels for those only)." >&2
    return 1
}

if [ ! -x .venv/bin/python ]; then
    "$(find_python)" -m venv .venv
fi
stamp=.venv/.hipfirst-lock.sha256
want=$(cat requirements/lock.txt pyproject.toml | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -r requirements/lock.txt
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
    echo "$want" > "$stamp"
fi
# BlazePose's heavy landmark model (hipfirst analyze --model heavy), from npm, pinned.
bash scripts/pose-model.sh
