#!/usr/bin/env bash
# Builds the `bench` target and prints the benchmarks' figures, each against
# its goal (met / NOT met). Figures are printed, never asserted; on a shared
# machine they are noisy.
#
#   tests/bench/run.sh [--quick]
#
#   HTTP intake   lendgated on a pull-only copy of the sample config; wrk POSTs
#                 single-record delinquency notices (with SSN, DOB, account
#                 number) with unique keys (1, 16, 64 conns)
#   file intake   intake_file_bench: a DVB delinquency CSV of 100k (and 1M)
#                 records through IntakeService::ingest, in-process
#   delivery      delivery_bench: the Dispatcher (4, 16 workers) sending to an
#                 in-process webhook receiver
#
# --quick: 3 s per wrk run, 100k-record file only, 5,000 deliveries.
# LENDGATE_BUILD_DIR (default: build) is the build folder, configured as
# RelWithDebInfo with tests if it is not yet; LENDGATE_BUILD_JOBS (default:
# nproc) the build's parallelism.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)

quick=0
for arg in "$@"; do
  case "$arg" in
    --quick) quick=1 ;;
    -h | --help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument $arg (try --help)" >&2; exit 2 ;;
  esac
done
if ((quick)); then
  wrk_seconds=3 file_sizes=(100000) deliveries=5000
else
  wrk_seconds=10 file_sizes=(100000 1000000) deliveries=20000
fi

build=${LENDGATE_BUILD_DIR:-build}
case "$build" in /*) ;; *) build="$repo/$build" ;; esac
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLENDGATE_BUILD_TESTS=ON >/dev/null
fi
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt")
if [ "$build_type" != "RelWithDebInfo" ]; then
  echo "run.sh: $build is a '$build_type' build; figures are meant for RelWithDebInfo" >&2
fi
echo "Building the bench target in $build ..."
if ! cmake --build "$build" --target bench -j "${LENDGATE_BUILD_JOBS:-$(nproc)}" >"$build/bench-build.log" 2>&1; then
  tail -40 "$build/bench-build.log" >&2
  echo "run.sh: the build failed (full log: $build/bench-build.log)" >&2
  exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/lendgate-bench-XXXXXX")
daemon_pid=""
cleanup() {
  if [ -n "$daemon_pid" ] && kill -0 "$daemon_pid" 2>/dev/null; then kill -TERM "$daemon_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

row() { printf '%-34s %-46s %s\n' "$@"; }
verdict() { if [ "$1" = 1 ]; then echo met; else echo "NOT met"; fi; }

echo
echo "lendgate benchmarks ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
echo "Figures are noisy when others use the machine; they are printed, never asserted."
echo
row "benchmark" "figure" "goal: verdict"
row "---------" "------" "-------------"

# --- 1. HTTP intake ---------------------------------------------------------
http_intake() {
  if ! command -v wrk >/dev/null 2>&1; then
    row "HTTP intake" "SKIPPED: wrk is missing" "(scripts/install-deps.sh installs the Debian package wrk)"
    return 0
  fi
  "$build/tests/bench/lendgate_bench_config" --source-dir "$repo" --out "$work/http"
  # Secrets the partner files name; with pull endpoints only they are unused,
  # but the daemon must not depend on that.
  for name in $(grep -ho 'LENDGATE_SECRET_[A-Z0-9_]*' "$repo"/config/partners/*.json | sort -u); do
    export "$name=bench-secret-not-for-production"
  done
  "$build/core/app/lendgated" --config "$work/http/lendgate.json" --plugin-dir "$build/plugins" \
    >"$work/lendgated.log" 2>&1 &
  daemon_pid=$!
  local ports="$work/http/data/lendgated.ports.json" partner="" admin="" i
  for i in $(seq 1 300); do
    if [ -s "$ports" ]; then
      partner=$(sed -n 's/.*"partner_api":\([0-9]*\).*/\1/p' "$ports")
      admin=$(sed -n 's/.*"admin_api":\([0-9]*\).*/\1/p' "$ports")
      curl -fs "http://127.0.0.1:$admin/readyz" >/dev/null 2>&1 && break
    fi
    kill -0 "$daemon_pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$admin" ] || ! curl -fs "http://127.0.0.1:$admin/readyz" >/dev/null 2>&1; then
    row "HTTP intake" "FAILED: lendgated did not become ready" "(log below)"
    tail -20 "$work/lendgated.log"
    return 0
  fi

  # bench-lender and its sample come from lendgate_bench_config.
  local key="lgk_bench_lender_only_for_benchmarks"
  local sample="$work/http/intake_sample.json"
  local conns line rps p50 p99 non202 errors first met
  for conns in 1 16 64; do
    line=$(wrk -t"$((conns < 2 ? conns : 2))" -c"$conns" -d"${wrk_seconds}s" --latency -s "$repo/tests/bench/intake_http.lua" \
      "http://127.0.0.1:$partner" -- "$sample" "$key" "c$conns-$$" | grep '^WRK ' || true)
    if [ -z "$line" ]; then
      row "HTTP intake, $conns conn" "FAILED: no figures from wrk" ""
      continue
    fi
    field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$line"; }
    rps=$(field rps) p50=$(field p50_ms) p99=$(field p99_ms) non202=$(field non202) errors=$(field socket_errors)
    first=${line#*first_non202=}
    local figure="$rps req/s, p50 $p50 ms, p99 $p99 ms, non-202 $non202"
    ((errors > 0)) && figure+=", socket errors $errors"
    if [ "$conns" = 64 ]; then
      met=$(awk -v r="$rps" -v p="$p99" -v n="$non202" 'BEGIN { print (r >= 5000 && p < 25 && n == 0) ? 1 : 0 }')
      row "HTTP intake, $conns connections" "$figure" ">=5k durable POST/s, p99<25ms: $(verdict "$met")"
    else
      row "HTTP intake, $conns connection$([ "$conns" = 1 ] || echo s)" "$figure" "(context)"
    fi
    [ -n "$first" ] && row "" "  first non-202: $first" ""
  done

  kill -TERM "$daemon_pid"
  for i in $(seq 1 300); do kill -0 "$daemon_pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$daemon_pid" 2>/dev/null; then
    row "" "  lendgated still running 30 s after SIGTERM" "(killed)"
    kill -KILL "$daemon_pid" 2>/dev/null || true
  fi
  wait "$daemon_pid" 2>/dev/null || true
  daemon_pid=""
}
http_intake

# --- 2. File intake -----------------------------------------------------------
for n in "${file_sizes[@]}"; do
  extra=()
  [ "$n" = "${file_sizes[0]}" ] && extra=(--decode-only-too)
  TMPDIR="$work" "$build/tests/bench/intake_file_bench" --records "$n" --source-dir "$repo" \
    --plugin-dir "$build/plugins" "${extra[@]}" || row "file intake, $n records" "FAILED (see above)" ""
done

# --- 3. Delivery --------------------------------------------------------------
TMPDIR="$work" "$build/tests/bench/delivery_bench" --messages "$deliveries" --workers 4,16 \
  --plugin-dir "$build/plugins" || row "delivery" "FAILED (see above)" ""
