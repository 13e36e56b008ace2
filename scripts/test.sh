#!/usr/bin/env bash
# The README's test command: installs what is missing, builds, runs every test,
# then searches the run's logs (ctest's, and every daemon the e2e tests
# started) for SSNs, account numbers and VINs in the clear.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --with-test-tools
scripts/build.sh
build="${LENDGATE_BUILD_DIR:-build}"
logs="$build/test-logs"
rm -rf "$logs" && mkdir -p "$logs"
LENDGATE_TEST_LOG_DIR="$(cd "$logs" && pwd)" \
  ctest --test-dir "$build" --output-on-failure -j"${LENDGATE_JOBS:-2}"
scripts/scan-test-logs.sh "$build/Testing/Temporary/LastTest.log" "$logs"
