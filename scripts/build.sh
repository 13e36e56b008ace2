#!/usr/bin/env bash
# Configures and builds lendgate into build/ (or $LENDGATE_BUILD_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${LENDGATE_BUILD_DIR:-build}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE="${LENDGATE_BUILD_TYPE:-RelWithDebInfo}" "$@" >/dev/null
# LENDGATE_TARGETS: build only these (the main job skips the tests).
targets=()
for t in ${LENDGATE_TARGETS:-}; do targets+=(--target "$t"); done
cmake --build "$build" -j"${LENDGATE_JOBS:-2}" "${targets[@]}"
