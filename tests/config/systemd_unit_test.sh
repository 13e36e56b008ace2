#!/bin/bash
# The shipped systemd unit loads cleanly and keeps its hardening: systemd's
# own verifier, then its offline security assessment with a threshold, so a
# directive dropped or weakened fails here. ExecStart points at this build's
# daemon because the verifier checks that the program exists.
set -euo pipefail
unit="$1"
daemon="$2"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sed "s|^ExecStart=/usr/local/bin/lendgated|ExecStart=$daemon|" "$unit" > "$work/lendgated.service"
grep -q "^ExecStart=$daemon " "$work/lendgated.service" || { echo "ExecStart was not found in $unit"; exit 1; }
systemd-analyze verify --man=no "$work/lendgated.service"
for directive in NoNewPrivileges=yes ProtectSystem=strict PrivateTmp=yes SystemCallFilter=@system-service \
                 MemoryMax= ReadWritePaths=/var/lib/lendgate; do
    grep -q "^$directive" "$unit" || { echo "$unit lacks $directive"; exit 1; }
done
# Exposure is reported from 0.0 (best) to 10.0; the threshold is in tenths.
systemd-analyze security --offline=yes --threshold=20 "$work/lendgated.service" | tail -1
