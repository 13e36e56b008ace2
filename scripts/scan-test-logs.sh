#!/usr/bin/env bash
# Searches the logs of a test-suite run for personal values in the clear: the
# SSNs, full account numbers and full VINs of every sample and test fixture in
# the tree, and anything shaped like a dashed SSN. Logs may carry only the
# masked forms (***-**-1234, last four of an account), so any hit fails.
#
#   scripts/scan-test-logs.sh LOG_FILE_OR_DIR...
#
# Exit status: 0 clean, 1 a value was found (each hit is printed as
# "FILE:LINE: holds a clear SSN|account number|VIN"), 2 usage or nothing to scan.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

if [[ $# -eq 0 ]]; then
  echo "usage: $0 LOG_FILE_OR_DIR..." >&2
  exit 2
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Where the fixtures live; node_modules and build trees are not ours.
data_files() {
  find "$root/samples" "$root/tests" "$root/plugins" "$root/sdk" "$root/config" \
    -path '*/node_modules' -prune -o -type f \
    \( -name '*.csv' -o -name '*.json' -o -name '*.jsonl' -o -name '*.txt' -o -name '*.xml' \
       -o -name '*.cpp' -o -name '*.h' \) -print
}
data_files >"$work/files"

# SSNs: every dashed one anywhere in the fixtures, with and without dashes.
xargs -d '\n' grep -hoE '\b[0-9]{3}-[0-9]{2}-[0-9]{4}\b' <"$work/files" | sort -u >"$work/ssn-dashed" || true
tr -d '-' <"$work/ssn-dashed" >"$work/ssn-plain"
# SSNs and account numbers written as JSON (or C++ string literal) values.
xargs -d '\n' grep -hoE '\\?"(ssn|borrower_ssn)\\?"[[:space:]]*:[[:space:]]*\\?"[0-9-]{9,11}' <"$work/files" \
  | grep -oE '[0-9-]{9,11}$' | tr -d '-' >>"$work/ssn-plain" || true
xargs -d '\n' grep -hoE '\\?"account_number\\?"[[:space:]]*:[[:space:]]*\\?"[0-9]{6,20}' <"$work/files" \
  | grep -oE '[0-9]{6,20}$' >"$work/accounts" || true
xargs -d '\n' grep -hoE '<AccountNumber>[0-9]{6,20}<' <"$work/files" | grep -oE '[0-9]{6,20}' >>"$work/accounts" || true
xargs -d '\n' grep -hoiE '\\?"vin\\?"[[:space:]]*:[[:space:]]*\\?"[A-HJ-NPR-Z0-9]{17}' <"$work/files" \
  | grep -oE '[A-HJ-NPR-Z0-9]{17}$' >"$work/vins" || true
# Delimited files: the columns whose header names an account, SSN or VIN.
grep -E '\.csv$' "$work/files" | while IFS= read -r csv; do
  awk -F',' '
    NR == 1 { for (i = 1; i <= NF; i++) if ($i ~ /ACCT|ACCOUNT|SSN|VIN/) { keep[i] = $i } ; next }
    { for (i in keep) print keep[i] "\t" $i }' "$csv"
done >"$work/columns"
awk -F'\t' '$1 ~ /ACCT|ACCOUNT/ && $2 ~ /^[0-9]{6,20}$/ { print $2 }' "$work/columns" >>"$work/accounts"
awk -F'\t' '$1 ~ /SSN/ && $2 ~ /^[0-9-]{9,11}$/ { gsub("-", "", $2); print $2 }' "$work/columns" >>"$work/ssn-plain"
awk -F'\t' '$1 ~ /VIN/ && $2 ~ /^[A-HJ-NPR-Z0-9]{17}$/ { print $2 }' "$work/columns" >>"$work/vins"
for f in ssn-plain accounts vins; do sort -u -o "$work/$f" "$work/$f"; done

logs=()
for target in "$@"; do
  if [[ -d "$target" ]]; then
    while IFS= read -r -d '' f; do logs+=("$f"); done < <(find "$target" -type f -print0)
  elif [[ -f "$target" ]]; then
    logs+=("$target")
  fi
done
if [[ ${#logs[@]} -eq 0 ]]; then
  echo "scan-test-logs: no log files under: $*" >&2
  exit 2
fi

hits="$work/hits"
: >"$hits"
report() {  # pattern-file-or-regex, grep flags, what
  local what="$1"
  shift
  grep -HnoI "$@" "${logs[@]}" 2>/dev/null | cut -d: -f1,2 | sort -u | sed "s/\$/: holds a clear $what/" >>"$hits" || true
}
report "SSN" -E '(^|[^0-9*])[0-9]{3}-[0-9]{2}-[0-9]{4}([^0-9]|$)'
[[ -s "$work/ssn-plain" ]] && report "SSN" -wF -f "$work/ssn-plain"
[[ -s "$work/accounts" ]] && report "account number" -wF -f "$work/accounts"
[[ -s "$work/vins" ]] && report "VIN" -wF -f "$work/vins"

echo "scan-test-logs: ${#logs[@]} log files, $(wc -l <"$work/ssn-plain") SSNs," \
  "$(wc -l <"$work/accounts") account numbers and $(wc -l <"$work/vins") VINs looked for"
if [[ -s "$hits" ]]; then
  sort -u "$hits"
  echo "scan-test-logs: personal values in the clear in the logs above" >&2
  exit 1
fi
echo "scan-test-logs: none found"
