#!/usr/bin/env bash
# Decode throughput and peak memory of each generic plugin on generated
# inputs of 10 MB, 100 MB and 1 GB: MB/s and records/s through the daemon's
# own plugin host (decode_bench), and peak RSS from /usr/bin/time. Figures are
# printed against the goals (one core: delimited and fixed-width >= 150 MB/s,
# XML >= 50 MB/s without XSD, JSON >= 80 MB/s; peak RSS flat in input size),
# never asserted. The goals are per second of CPU time (user + system; the
# "CPU MB/s" column): on a shared machine wall time also counts the wait for a
# core. Wall-clock MB/s is printed beside it.
#
#   tests/bench/decode.sh [--quick]      # --quick: 10 MB and 100 MB only
#   LENDGATE_DECODE_BENCH_MB="1 5" tests/bench/decode.sh   # other sizes
#
# LENDGATE_BUILD_DIR (default: build) is a RelWithDebInfo build with tests;
# inputs are written to TMPDIR and removed as soon as they are measured.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)

read -r -a sizes <<<"${LENDGATE_DECODE_BENCH_MB:-10 100 1000}"
for arg in "$@"; do
  case "$arg" in
    --quick) sizes=(10 100) ;;
    -h | --help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "decode.sh: unknown argument $arg (try --help)" >&2; exit 64 ;;
  esac
done

build=${LENDGATE_BUILD_DIR:-build}
case "$build" in /*) ;; *) build="$repo/$build" ;; esac
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLENDGATE_BUILD_TESTS=ON >/dev/null
fi
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt")
[ "$build_type" = "RelWithDebInfo" ] || [ "$build_type" = "Release" ] ||
  echo "decode.sh: $build is a '$build_type' build; figures are meant for RelWithDebInfo" >&2
echo "Building the decode benchmarks in $build ..."
if ! cmake --build "$build" -j "${LENDGATE_BUILD_JOBS:-$(nproc)}" --target decode_bench lendgate plugins \
  delimited_bench fixedwidth_throughput xml_bench >"$build/decode-bench-build.log" 2>&1; then
  tail -40 "$build/decode-bench-build.log" >&2
  echo "decode.sh: the build failed (full log: $build/decode-bench-build.log)" >&2
  exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/lendgate-decode-bench-XXXXXX")
trap 'rm -rf "$work"' EXIT
plugins="$build/plugins"
cfg="$repo/config/plugins"
# The XML figure without XSD: the same configuration less its xsd line.
grep -v '"xsd"' "$cfg/sfcu-hardship-application.json" >"$work/sfcu-no-xsd.json"

# generate KIND MEGABYTES FILE
generate() {
  local kind=$1 mb=$2 out=$3
  case "$kind" in
    csv) "$build/tests/plugins/delimited/delimited_bench" generate-delinquency "$mb" "$out" >/dev/null ;;
    fixed) "$build/tests/plugins/fixedwidth/fixedwidth_throughput" generate "$out" "$mb" >/dev/null ;;
    xml)
      "$build/tests/plugins/xml/xml_bench" generate-applications \
        "$repo/samples/saguaro-fcu/SFCU_HARDSHIP_20261124_001.xml" "$mb" "$out" >/dev/null 2>&1
      ;;
    jsonl | jsonarray)
      # Canonical records as a bank's file decodes to them: about 3.5 bytes of
      # JSON per byte of CSV, so the CSV is generated that much smaller.
      local csv="$work/for-json.csv"
      "$build/tests/plugins/delimited/delimited_bench" generate-delinquency \
        "$(awk -v m="$mb" 'BEGIN { n = int(m / 3.5 + 0.5); printf "%d", n < 1 ? 1 : n }')" "$csv" >/dev/null
      if [ "$kind" = jsonl ]; then
        "$build/core/app/lendgate" decode --plugin "$plugins/lendgate-plugin-delimited.so" \
          --config "$cfg/dvb-delinquency.json" "$csv" >"$out" 2>/dev/null || true
      else
        "$build/core/app/lendgate" decode --plugin "$plugins/lendgate-plugin-delimited.so" \
          --config "$cfg/dvb-delinquency.json" "$csv" 2>/dev/null | sed '1s/^/[/; $!s/$/,/; $s/$/]/' >"$out" || true
      fi
      rm -f "$csv"
      ;;
  esac
}

printf '%-34s %8s %10s %10s %12s %10s  %s\n' "plugin (input)" "size" "CPU MB/s" "wall MB/s" "rec/CPU s" "peak RSS" \
  "goal (CPU MB/s)"
# label | plugin | config | input kind | goal MB/s (0: context only)
cases=(
  "delimited (DVB CSV)|delimited|$cfg/dvb-delinquency.json|csv|150"
  "fixedwidth (Cactus)|fixedwidth|$cfg/cactus-notices-orders.json|fixed|150"
  "xml (SFCU, no XSD)|xml|$work/sfcu-no-xsd.json|xml|50"
  "xml (SFCU, with XSD)|xml|$cfg/sfcu-hardship-application.json|xml|0"
  "json (JSON lines)|json|$cfg/json.json|jsonl|80"
  "json (one array)|json|$cfg/json.json|jsonarray|80"
)
for spec in "${cases[@]}"; do
  IFS='|' read -r label plugin config kind goal <<<"$spec"
  rss_first=""
  for mb in "${sizes[@]}"; do
    input="$work/input-$kind-$mb"
    generate "$kind" "$mb" "$input"
    actual_mb=$(awk -v b="$(stat -c %s "$input")" 'BEGIN { printf "%.0f", b / 1e6 }')
    if ! /usr/bin/time -f 'rss_kb=%M' -o "$work/time" \
      "$build/tests/bench/decode_bench" "$plugins/lendgate-plugin-$plugin.so" "$config" "$input" >"$work/out" 2>"$work/err"; then
      printf '%-34s %6s MB  FAILED: %s\n' "$label" "$actual_mb" "$(head -c 200 "$work/err" "$work/out" | tr '\n' ' ')"
      rm -f "$input"
      continue
    fi
    rm -f "$input"
    mbps=$(sed -n 's/.*cpu_mb_per_s=\([0-9.]*\).*/\1/p' "$work/out")
    wall=$(sed -n 's/.* mb_per_s=\([0-9.]*\).*/\1/p' "$work/out")
    rps=$(sed -n 's/.*cpu_records_per_s=\([0-9]*\).*/\1/p' "$work/out")
    rss=$(awk -F= '/rss_kb/ { printf "%.1f", $2 / 1024 }' "$work/time")
    [ -n "$rss_first" ] || rss_first=$rss
    verdict="(context)"
    if [ "$goal" != 0 ]; then
      verdict=$(awk -v m="$mbps" -v g="$goal" -v r="$rss" -v f="$rss_first" \
        'BEGIN { printf ">= %d MB/s: %s; RSS %s", g, (m >= g ? "met" : "NOT met"), (r <= f * 1.5 + 8 ? "flat" : "GROWS") }')
    fi
    printf '%-34s %6s MB %10s %10s %12s %7s MB  %s\n' "$label" "$actual_mb" "$mbps" "$wall" "$rps" "$rss" "$verdict"
  done
done
