#!/usr/bin/env bash
# usage: external_plugin_test.sh BUILD_DIR SOURCE_DIR LENDGATE_CLI
set -euo pipefail
build=$1 src=$2 cli=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cmake --install "$build" --component sdk --prefix "$tmp/prefix" >/dev/null
[ -f "$tmp/prefix/include/lendgate/plugin.h" ] || fail "plugin.h not installed"
[ -f "$tmp/prefix/include/lendgate/plugin.hpp" ] || fail "plugin.hpp not installed"
config=$(find "$tmp/prefix" -name LendgateSDKConfig.cmake)
[ -n "$config" ] || fail "LendgateSDKConfig.cmake not installed"
[ -f "$(dirname "$config")/LendgateSDKConfigVersion.cmake" ] || fail "version file not installed"
ls "$tmp/prefix"/share/lendgate/schemas/*.schema.json >/dev/null || fail "schemas not installed"

# A copy outside the source tree, so nothing can reach the lendgate sources.
cp -r "$src/samples/external-plugin" "$tmp/plugin-src"
rm -rf "$tmp/plugin-src/build"
cmake -S "$tmp/plugin-src" -B "$tmp/plugin-build" -DCMAKE_PREFIX_PATH="$tmp/prefix" >/dev/null
cmake --build "$tmp/plugin-build" >/dev/null
so="$tmp/plugin-build/lendgate-plugin-sonoran-status.so"
[ -f "$so" ] || fail "plugin not built with the fixed file name"

# Only the entry symbol is exported (hidden visibility).
exported=$(nm -D --defined-only "$so" | awk '$2 ~ /^[TDBRW]$/ {print $3}' | grep -v '^_' || true)
[ "$exported" = "lendgate_plugin_entry" ] || fail "unexpected exported symbols: $exported"

"$cli" plugin inspect "$so" > "$tmp/inspect.json"
grep -q '"name": "sonoran-status"' "$tmp/inspect.json" || fail "inspect did not show the plugin"

set +e
"$cli" decode --plugin "$so" --config "$tmp/plugin-src/example/config.json" \
  "$tmp/plugin-src/example/SFS_STATUS_20261123.txt" > "$tmp/out.jsonl" 2> "$tmp/err.txt"
rc=$?
set -e
[ $rc -eq 1 ] || { cat "$tmp/err.txt" >&2; fail "decode exit status $rc, expected 1 (one bad line)"; }
diff -u "$tmp/plugin-src/example/expected.jsonl" "$tmp/out.jsonl" || fail "decoded records differ"
grep -q ':6: record 5: /payload/status: enum:' "$tmp/err.txt" || { cat "$tmp/err.txt" >&2; fail "bad line not reported"; }

# SameMajorVersion: asking for another major version must fail.
mkdir -p "$tmp/major"
cat > "$tmp/major/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.20)
project(major_check LANGUAGES CXX)
find_package(LendgateSDK 99.0 REQUIRED)
CM
if cmake -S "$tmp/major" -B "$tmp/major/build" -DCMAKE_PREFIX_PATH="$tmp/prefix" >/dev/null 2>&1; then
  fail "find_package(LendgateSDK 99.0) should fail"
fi
echo "external plugin: built against the installed SDK and loaded"
