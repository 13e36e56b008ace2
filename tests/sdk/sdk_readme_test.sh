#!/usr/bin/env bash
# usage: sdk_readme_test.sh SOURCE_DIR [--check-only]
# Follows sdk/README.md to the letter: every ```sh block, in order, in one
# shell, as a newcomer would type them, on a fresh copy of the checkout (the
# files a clone of the working tree would have) and with an empty HOME. Then
# checks what the page promises. --check-only extracts the blocks and checks
# them without running (shell syntax, the steps present, the paths it names).
set -euo pipefail
src=$1 mode=${2:-}
readme="$src/sdk/README.md"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

awk '/^```sh$/ {inside=1; next} /^```$/ {inside=0; next} inside {print}' "$readme" > "$tmp/readme.sh"
[ "$(grep -c '^```sh$' "$readme")" -ge 3 ] || fail "sdk/README.md has fewer than 3 sh blocks"
bash -n "$tmp/readme.sh" || fail "the README's sh blocks are not valid shell"
for step in "scripts/install-deps.sh" "cmake --install build --component sdk" "cp -r samples/external-plugin" \
            "lendgate plugin test build/lendgate-plugin-sonoran-status.so" "lendgate plugin scaffold acme-status" \
            "ctest --test-dir build --output-on-failure"; do
  grep -qF -- "$step" "$tmp/readme.sh" || fail "the README no longer runs: $step"
done
# Every file of the lendgate tree the page names exists (samples/NAME are the plugins' own).
for path in $(grep -oP '(?<![\w/$-])(samples/external-plugin|sdk|docs|tests|scripts)/([\w./-]*[\w/])?' "$readme" |
              sort -u); do
  [ -e "$src/$path" ] || fail "sdk/README.md names $path, which does not exist"
done
if [ "$mode" = "--check-only" ]; then
  echo "sdk/README.md: $(grep -c '^```sh$' "$readme") sh blocks, $(grep -c . "$tmp/readme.sh") commands, all present"
  exit 0
fi

# A fresh checkout: the tracked and new files, without build folders or local state.
mkdir -p "$tmp/lendgate" "$tmp/home"
if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  (cd "$src" && git ls-files -z --cached --others --exclude-standard) |
    while IFS= read -r -d '' f; do
      if [ -e "$src/$f" ] || [ -L "$src/$f" ]; then printf '%s\0' "$f"; fi
    done | tar -C "$src" --null -T - -cf - | tar -C "$tmp/lendgate" -xf -
else
  tar -C "$src" --exclude='./build*' --exclude=./var --exclude=./tests/node_modules --exclude=./.git -cf - . |
    tar -C "$tmp/lendgate" -xf -
fi

export HOME="$tmp/home"
cd "$tmp/lendgate"
if ! bash -euo pipefail "$tmp/readme.sh" > "$tmp/log.txt" 2>&1; then
  tail -n 80 "$tmp/log.txt" >&2
  fail "a command of sdk/README.md failed (its output above)"
fi

# What the page says the reader will see.
[ -x "$HOME/lendgate-sdk/bin/lendgate" ] || fail "the SDK has no bin/lendgate"
[ -f "$HOME/sonoran-status/build/lendgate-plugin-sonoran-status.so" ] || fail "the worked example was not built"
[ -f "$HOME/acme-status/build/lendgate-plugin-acme-status.so" ] || fail "the scaffolded plugin was not built"
grep -q "exit status 1: line 6 was refused" "$tmp/log.txt" || fail "decode did not refuse line 6 as the page says"
[ "$(wc -l < "$HOME/sonoran-status/records.jsonl")" -eq 4 ] || fail "decode did not print the four good records"
claim=$(grep -oE 'sonoran-status: conformant \([^)]*\)' "$readme" | head -1)
grep -qF "$claim" "$tmp/log.txt" || { tail -n 30 "$tmp/log.txt" >&2; fail "plugin test did not end with: $claim"; }
grep -q "100% tests passed, 0 tests failed out of 1" "$tmp/log.txt" || fail "a ctest run did not pass"
echo "sdk/README.md: followed on a fresh copy; SDK installed, example and scaffold built, loaded and conformant"
