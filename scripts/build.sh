#!/usr/bin/env bash
# Configures and builds lendgate into build/ (or $LENDGATE_BUILD_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${LENDGATE_BUILD_DIR:-build}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE="${LENDGATE_BUILD_TYPE:-RelWithDebInfo}" "$@" >/dev/null
cmake --build "$build" -j"${LENDGATE_JOBS:-2}"
