#!/usr/bin/env bash
# Builds every libFuzzer harness (tests/**/fuzz/NAME_fuzz.cpp -> fuzz_NAME)
# with clang and runs each for a bounded number of iterations with a fixed
# seed. usage: scripts/fuzz.sh [RUNS]   (longer runs: a larger RUNS)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20000}
build=${LENDGATE_FUZZ_BUILD_DIR:-build-fuzz}
# Everything is instrumented for coverage, not only the harnesses.
flags="-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer"
CC=clang CXX=clang++ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DLENDGATE_BUILD_FUZZERS=ON \
  -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" >/dev/null
mapfile -t harnesses < <(find tests -path '*/fuzz/*_fuzz.cpp' | sort)
targets=()
for h in "${harnesses[@]}"; do targets+=("fuzz_$(basename "$h" _fuzz.cpp)"); done
cmake --build "$build" -j"${LENDGATE_JOBS:-2}" --target "${targets[@]}" >/dev/null
for h in "${harnesses[@]}"; do
  dir=$(dirname "$h")
  name=$(basename "$h" _fuzz.cpp)
  corpus=$(mktemp -d)
  # Seeds: the harness's own corpus, plus golden files named in NAME.seeds.
  for seeds in "$dir/corpus/$name" $(cat "$dir/corpus/$name.seeds" 2>/dev/null); do
    if [ -d "$seeds" ]; then find "$seeds" -maxdepth 1 -type f -exec cp {} "$corpus"/ \; ; fi
  done
  echo "fuzz_$name: $runs runs, seed 1"
  "$build/$dir/fuzz_$name" -runs="$runs" -seed=1 -max_len=65536 "$corpus" 2>&1 | tail -n 1
  rm -rf "$corpus"
done
