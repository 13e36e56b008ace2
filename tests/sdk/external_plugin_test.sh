#!/usr/bin/env bash
# usage: external_plugin_test.sh BUILD_DIR SOURCE_DIR LENDGATE_CLI
# Installs the SDK component into a temporary prefix, builds a copy of
# samples/external-plugin against it alone, loads the plugin with the CLI and
# runs its conformance test (ctest) with the lendgate installed in the prefix.
set -euo pipefail
build=$1 src=$2 cli=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ -n "${KEEP_TMP:-}" ] && trap - EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cmake --install "$build" --component sdk --prefix "$tmp/prefix" >/dev/null
[ -f "$tmp/prefix/include/lendgate/plugin.h" ] || fail "plugin.h not installed"
[ -f "$tmp/prefix/include/lendgate/plugin.hpp" ] || fail "plugin.hpp not installed"
[ -x "$tmp/prefix/bin/lendgate" ] || fail "the lendgate CLI is not installed with the sdk component"
config=$(find "$tmp/prefix" -name LendgateSDKConfig.cmake)
[ -n "$config" ] || fail "LendgateSDKConfig.cmake not installed"
[ -f "$(dirname "$config")/LendgateSDKConfigVersion.cmake" ] || fail "version file not installed"
ls "$tmp/prefix"/share/lendgate/schemas/*.schema.json >/dev/null || fail "schemas not installed"

# A copy outside the source tree, so nothing can reach the lendgate sources.
cp -r "$src/samples/external-plugin" "$tmp/plugin-src"
rm -rf "$tmp/plugin-src/build"
cmake -S "$tmp/plugin-src" -B "$tmp/plugin-build" -DCMAKE_PREFIX_PATH="$tmp/prefix" >"$tmp/configure.txt" ||
  { cat "$tmp/configure.txt" >&2; fail "configure failed"; }
grep -q "^LENDGATE_EXECUTABLE:FILEPATH=$tmp/prefix/bin/lendgate\$" "$tmp/plugin-build/CMakeCache.txt" ||
  fail "lendgate_plugin_test did not find the lendgate installed with the SDK"
cmake --build "$tmp/plugin-build" >/dev/null
so="$tmp/plugin-build/lendgate-plugin-sonoran-status.so"
[ -f "$so" ] || fail "plugin not built with the fixed file name"

# Only the entry symbol is exported (hidden visibility).
exported=$(nm -D --defined-only "$so" | awk '$2 ~ /^[TDBRW]$/ {print $3}' | grep -v '^_' || true)
[ "$exported" = "lendgate_plugin_entry" ] || fail "unexpected exported symbols: $exported"

"$cli" plugin inspect "$so" > "$tmp/inspect.json"
grep -q '"name": "sonoran-status"' "$tmp/inspect.json" || fail "inspect did not show the plugin"

set +e
"$cli" decode --plugin "$so" --config "$tmp/plugin-src/config.json" \
  "$tmp/plugin-src/samples/SFS_STATUS_20261123.txt" > "$tmp/out.jsonl" 2> "$tmp/err.txt"
rc=$?
set -e
[ $rc -eq 1 ] || { cat "$tmp/err.txt" >&2; fail "decode exit status $rc, expected 1 (one bad line)"; }
diff -u "$tmp/plugin-src/samples/SFS_STATUS_20261123.expected.jsonl" "$tmp/out.jsonl" || fail "decoded records differ"
grep -q ':6: record 5: /payload/status: enum:' "$tmp/err.txt" || { cat "$tmp/err.txt" >&2; fail "bad line not reported"; }

# Its conformance test, as the plugin's own ctest runs it.
ctest --test-dir "$tmp/plugin-build" -V > "$tmp/ctest.txt" 2>&1 ||
  { cat "$tmp/ctest.txt" >&2; fail "the plugin's conformance test failed"; }
grep -q "sonoran-status: conformant" "$tmp/ctest.txt" || { cat "$tmp/ctest.txt" >&2; fail "no conformance verdict"; }
grep -q "PASS golden SFS_STATUS_20261123: 4 records and 1 error as expected" "$tmp/ctest.txt" ||
  { cat "$tmp/ctest.txt" >&2; fail "the golden sample was not checked"; }

# A broken golden file makes the same test fail, naming the field.
sed -i 's/"status":"completed"/"status":"in-progress"/' "$tmp/plugin-src/samples/SFS_STATUS_20261123.expected.jsonl"
if ctest --test-dir "$tmp/plugin-build" -V > "$tmp/ctest.txt" 2>&1; then fail "a wrong golden file passed"; fi
grep -q 'at /payload/status: expected "in-progress", the plugin gave "completed"' "$tmp/ctest.txt" ||
  { cat "$tmp/ctest.txt" >&2; fail "the golden difference was not named"; }

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
echo "external plugin: built against the installed SDK, loaded, and conformant"
