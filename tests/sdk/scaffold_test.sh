#!/usr/bin/env bash
# usage: scaffold_test.sh BUILD_DIR LENDGATE_CLI
# `lendgate plugin scaffold` as a plugin author runs it: the SDK installed into
# a temporary prefix, a new project written with the installed CLI, built
# against that prefix alone, and its own conformance test passing as written.
set -euo pipefail
build=$1 cli=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cmake --install "$build" --component sdk --prefix "$tmp/prefix" >/dev/null
lendgate="$tmp/prefix/bin/lendgate"

# Usage errors and a folder that is not empty: nothing is written.
set +e
"$lendgate" plugin scaffold "Bad Name" "$tmp/bad" >/dev/null 2>&1; rc=$?
set -e
[ $rc -eq 64 ] || fail "a bad name gave exit status $rc, expected 64"
[ ! -e "$tmp/bad" ] || fail "a bad name wrote files"
mkdir -p "$tmp/occupied" && echo keep > "$tmp/occupied/notes.txt"
set +e
"$lendgate" plugin scaffold acme-status "$tmp/occupied" >/dev/null 2>"$tmp/err.txt"; rc=$?
set -e
[ $rc -eq 3 ] || fail "an occupied folder gave exit status $rc, expected 3"
grep -q "exists and is not an empty folder" "$tmp/err.txt" || fail "no reason for refusing the folder"
[ "$(ls "$tmp/occupied")" = "notes.txt" ] || fail "files written into an occupied folder"

for name in acme-status x2_loans-9; do
  project="$tmp/projects/$name"
  (cd "$tmp" && mkdir -p projects && cd projects && "$lendgate" plugin scaffold "$name" > "$tmp/scaffold.txt")
  grep -q "^created $name/" "$tmp/scaffold.txt" || { cat "$tmp/scaffold.txt" >&2; fail "$name: no summary"; }
  for file in CMakeLists.txt config.json README.md samples/example.txt samples/example.expected.jsonl; do
    [ -f "$project/$file" ] || fail "$name: $file not written"
  done
  source=$(echo "$name" | tr - _)_plugin.cpp
  [ -f "$project/$source" ] || fail "$name: $source not written"
  grep -q "find_package(LendgateSDK" "$project/CMakeLists.txt" || fail "$name: no find_package"
  grep -q "lendgate_plugin_test(TARGET lendgate-plugin-$name" "$project/CMakeLists.txt" || fail "$name: no test"

  cmake -S "$project" -B "$project/build" -DCMAKE_PREFIX_PATH="$tmp/prefix" > "$tmp/configure.txt" 2>&1 ||
    { cat "$tmp/configure.txt" >&2; fail "$name: configure failed"; }
  cmake --build "$project/build" > "$tmp/build.txt" 2>&1 || { cat "$tmp/build.txt" >&2; fail "$name: build failed"; }
  [ -f "$project/build/lendgate-plugin-$name.so" ] || fail "$name: lendgate-plugin-$name.so not built"
  ctest --test-dir "$project/build" -V > "$tmp/ctest.txt" 2>&1 ||
    { cat "$tmp/ctest.txt" >&2; fail "$name: its own conformance test failed"; }
  grep -q "$name: conformant (" "$tmp/ctest.txt" || { cat "$tmp/ctest.txt" >&2; fail "$name: no verdict"; }
  grep -q "PASS golden example: 3 records and 0 errors as expected" "$tmp/ctest.txt" ||
    { cat "$tmp/ctest.txt" >&2; fail "$name: the sample was not checked against its golden file"; }
  if grep -q "^FAIL\|^SKIP hostile" "$tmp/ctest.txt"; then cat "$tmp/ctest.txt" >&2; fail "$name: a check failed"; fi
done

# The project is a real starting point: a wrong change shows up in its test.
project="$tmp/projects/acme-status"
sed -i 's/TRAILER|3/TRAILER|4/' "$project/samples/example.txt"
if ctest --test-dir "$project/build" -V > "$tmp/ctest.txt" 2>&1; then fail "a wrong trailer count passed"; fi
grep -q "FAIL golden example" "$tmp/ctest.txt" || { cat "$tmp/ctest.txt" >&2; fail "the golden check did not fail"; }
grep -q "input: control_totals" "$tmp/ctest.txt" || { cat "$tmp/ctest.txt" >&2; fail "the refusal was not named"; }
echo "scaffold: both projects built against the installed SDK and passed their own conformance test"
