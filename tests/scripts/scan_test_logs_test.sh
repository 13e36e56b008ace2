#!/usr/bin/env bash
# scripts/scan-test-logs.sh finds each kind of clear personal value a fixture
# holds, names the file and line, and lets the masked forms through.
set -uo pipefail
scan="$(cd "$(dirname "$0")/../.." && pwd)/scripts/scan-test-logs.sh"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0

expect() {  # expected-exit, expected-text, log-line
  local want="$1" text="$2" line="$3" out code
  mkdir -p "$work/run" && rm -f "$work/run"/*
  printf '{"level":"info","msg":"received"}\n%s\n' "$line" >"$work/run/lendgated.log"
  out="$("$scan" "$work/run" 2>&1)"
  code=$?
  if [[ $code -ne $want || "$out" != *"$text"* ]]; then
    echo "FAIL: for log line: $line"
    echo "  wanted exit $want and \"$text\", got exit $code:"
    sed 's/^/  /' <<<"$out"
    failures=$((failures + 1))
  fi
}

# From samples/desert-valley-bank/DVB_DELQ_20261123_001.csv: an account
# number (ACCT_NO column), a VIN (VIN column).
expect 1 "lendgated.log:2: holds a clear account number" '{"msg":"rejected","account":"4401009817"}'
expect 1 "lendgated.log:2: holds a clear VIN" '{"msg":"vehicle 4T1B11HK5M0214873 seen"}'
# A fixture SSN without its dashes, and any dashed SSN at all.
expect 1 "lendgated.log:2: holds a clear SSN" '{"ssn":"900550142"}'
expect 1 "lendgated.log:2: holds a clear SSN" 'borrower 123-45-6780 on file'
# What logs may carry.
expect 0 "none found" '{"ssn":"***-**-0142","account":"******9817","vin":"*************4873"}'
expect 0 "none found" '{"at":"2026-11-23T05:45:00Z","phone":"602-555-0131","id":"DQ-20261122-000417"}'

"$scan" >/dev/null 2>&1
[[ $? -eq 2 ]] || { echo "FAIL: no arguments is not a usage error"; failures=$((failures + 1)); }
"$scan" "$work/empty-nothing-here" >/dev/null 2>&1
[[ $? -eq 2 ]] || { echo "FAIL: nothing to scan is not an error"; failures=$((failures + 1)); }

[[ $failures -eq 0 ]] && echo "all scan-test-logs cases passed"
exit $((failures > 0))
