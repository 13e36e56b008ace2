#!/usr/bin/env bash
# Installs, from Debian 12 packages, whatever lendgate needs and is missing;
# then the pinned npm packages the test suite uses. Safe to run repeatedly.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake pkg-config git ca-certificates
  libpoco-dev libboost-dev nlohmann-json3-dev libxml2-dev libvalijson-dev
  libssl-dev libgtest-dev libgmock-dev
  clang libclang-rt-14-dev
  curl sqlite3 wrk openssl time
  openssh-server openssh-client libssh-dev libgpgme-dev gnupg
  systemd
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js runs the JSON Schema checks (ajv); any node >= 18 with npm will do.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "install-deps: run as root (missing: ${missing[*]})" >&2; exit 1; }
    sudo=sudo
  fi
  $sudo apt-get update
  # --no-install-recommends: libvalijson-dev recommends adapters' libraries such as Qt.
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
fi

if [ "${1:-}" = "--with-test-tools" ]; then
  # npm ci installs exactly what tests/package-lock.json pins.
  stamp=tests/node_modules/.lendgate-lock
  if ! cmp -s tests/package-lock.json "$stamp" 2>/dev/null; then
    npm ci --prefix tests --no-audit --no-fund --loglevel=error
    cp tests/package-lock.json "$stamp"
  fi
fi
