#!/usr/bin/env bash
# The README's main-job command: installs what is missing, builds, and runs
# the sample world. Until the daemon lands this decodes Desert Valley Bank's
# nightly delinquency file into canonical records.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
build=${LENDGATE_BUILD_DIR:-build}
echo "== lendgate: decoding samples/desert-valley-bank/DVB_DELQ_20261123_001.csv" >&2
exec "$build/core/app/lendgate" decode \
  --plugin "$build/plugins/lendgate-plugin-delimited.so" \
  --config config/plugins/dvb-delinquency.json \
  samples/desert-valley-bank/DVB_DELQ_20261123_001.csv
