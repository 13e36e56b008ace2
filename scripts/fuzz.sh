#!/usr/bin/env bash
# Builds the libFuzzer harnesses with clang and runs each for a bounded number
# of iterations with a fixed seed. usage: scripts/fuzz.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20000}
build=${LENDGATE_FUZZ_BUILD_DIR:-build-fuzz}
# Everything is instrumented for coverage, not only the harnesses.
flags="-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer"
CC=clang CXX=clang++ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DLENDGATE_BUILD_FUZZERS=ON \
  -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" >/dev/null
mapfile -t targets < <(find tests/fuzz -name '*_fuzz.cpp' -printf '%f\n' | sed 's/_fuzz.cpp$//' | sort)
for t in "${targets[@]}"; do cmake --build "$build" -j"${LENDGATE_JOBS:-2}" --target "fuzz_$t" >/dev/null; done
for t in "${targets[@]}"; do
  corpus=$(mktemp -d)
  # Seeds: the harness's own corpus, plus the golden files of what it parses.
  for seeds in "tests/fuzz/corpus/$t" $(cat "tests/fuzz/corpus/$t.seeds" 2>/dev/null); do
    [ -d "$seeds" ] && find "$seeds" -maxdepth 1 -type f -exec cp {} "$corpus"/ \;
  done
  echo "fuzz_$t: $runs runs, seed 1"
  "$build/tests/fuzz/fuzz_$t" -runs="$runs" -seed=1 -max_len=65536 "$corpus" 2>&1 | tail -n 2
  rm -rf "$corpus"
done
