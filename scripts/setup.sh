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

# WeasyPrint (the patient handout PDF) draws text with Pango and HarfBuzz through cffi:
# Debian's libraries and one font family, installed only when missing.
system_libraries_missing() {
    for library in libpango-1.0.so.0 libpangoft2-1.0.so.0 libharfbuzz-subset.so.0 libfontconfig.so.1; do
        ldconfig -p 2>/dev/null | grep -q "$library" || return 0
    done
    fc-list 2>/dev/null | grep -q . || return 0
    return 1
}
if system_libraries_missing; then
    if command -v apt-get >/dev/null 2>&1; then
        sudo=""
        if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
        echo "== installing the libraries WeasyPrint needs (Pango, HarfBuzz, a font)"
        export DEBIAN_FRONTEND=noninteractive
        $sudo apt-get update -qq
        $sudo apt-get install -y -qq --no-install-recommends \
            libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-dejavu-core >/dev/null
    else
        echo "setup: install Pango, HarfBuzz and a font yourself (the handout PDF needs them)." >&2
    fi
fi

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
