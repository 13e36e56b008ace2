#!/usr/bin/env bash
# The README's main-job command: installs what is missing, builds, and runs the
# sample world: lendgated on config/ with embedded SQLite, a local webhook
# receiver standing in for the partners' servers, the drop-folder sshd (as
# root), and the sample inputs: the banks' files over SFTP, the rest over
# HTTP. It shows where each message went, prints the URLs and keeps running
# until Ctrl-C. With --once it stops after showing the results.
#
#   scripts/demo.sh [--once] [--no-install]
set -euo pipefail
cd "$(dirname "$0")/.."
once=0 install=1
for arg in "$@"; do
  case "$arg" in
    --once) once=1 ;;
    --no-install) install=0 ;;
    *) echo "usage: scripts/demo.sh [--once] [--no-install]" >&2; exit 64 ;;
  esac
done
if ((install)); then scripts/install-deps.sh; fi
LENDGATE_TARGETS="lendgated lendgate plugins" scripts/build.sh
build=${LENDGATE_BUILD_DIR:-build}
bin="$build/core/app"
run=var   # config/lendgate.json keeps its data in var/, directory drops in var/outbound/
mkdir -p "$run"

# Demo webhook signing secrets; a real deployment sets its own.
for p in ARIZONA_VETERANS_BRIDGE COPPER_STATE_LOSSMIT SONORAN_FAMILY_SERVICES VALLEY_RECOVERY; do
  v=LENDGATE_SECRET_${p}_WEBHOOK
  export "$v"="${!v:-demo-secret-${p,,}}"
done

pids=()
daemon_pid=""
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 0' INT TERM

cli=("$bin/lendgate")
conf=(--config config/lendgate.json --plugin-dir "$build/plugins")
"${cli[@]}" config check "${conf[@]}" >/dev/null
"${cli[@]}" dev receiver --listen 127.0.0.1:9101 --out "$run/webhooks" >"$run/receiver.log" 2>&1 &
pids+=($!)

# Drop folders: each file-sending partner gets a chrooted SFTP account with a
# demo key (accounts and chroots need root; without it the files go over HTTP).
sftp_root=$(sed -n 's/.*"sftp": *{"root": *"\([^"]*\)".*/\1/p' config/lendgate.json)
sftp_port=$(sed -n 's/.*"sftp":.*"port": *\([0-9]*\).*/\1/p' config/lendgate.json)
sftp_partners=(desert-valley-bank cactus-auto-finance mesa-asset-recovery)
keys="$run/sftp-demo-keys"
use_sftp=0
if [ "$(id -u)" -eq 0 ] && [ -n "$sftp_root" ]; then
  use_sftp=1
  mkdir -p "$keys" && chmod 700 "$keys"
  for p in "${sftp_partners[@]}"; do
    [ -f "$keys/$p" ] || ssh-keygen -q -t ed25519 -N "" -C "demo key of $p" -f "$keys/$p"
    "${cli[@]}" sftp provision "$p" --key "$keys/$p.pub" "${conf[@]}" >/dev/null
  done
  "${cli[@]}" sftp serve "${conf[@]}" >"$run/sshd.log" 2>&1 &
  pids+=($!)
else
  echo "(not root: no drop-folder sshd; the banks' files go over HTTP)"
fi

"$bin/lendgated" "${conf[@]}" >"$run/lendgated.log" 2>&1 &
daemon_pid=$!
pids+=($daemon_pid)

partner=http://127.0.0.1:8480 admin=http://127.0.0.1:8481
for _ in $(seq 100); do
  curl -fsS "$admin/readyz" >/dev/null 2>&1 && break
  kill -0 "$daemon_pid" 2>/dev/null || { echo "lendgated did not start:" >&2; cat "$run/lendgated.log" >&2; exit 1; }
  sleep 0.1
done
curl -fsS "$admin/readyz" >/dev/null || { echo "lendgated is not ready; see $run/lendgated.log" >&2; exit 1; }

post() {  # partner content-type file [type]
  local url="$partner/v1/messages${4:+?type=$4}"
  printf '\n== %s posts %s\n' "$1" "$3"
  curl -sS -X POST "$url" -H "Authorization: Bearer lgk_demo_$1_only_for_local_use" \
    -H "Content-Type: $2" -H "Idempotency-Key: demo-$(basename "$3")" --data-binary @"$3" \
    -w '\nHTTP %{http_code}\n'
}

# A partner's SFTP session: upload as NAME.partial, rename when complete (the
# convention), then fetch the ACK file the gateway leaves in outbound/.
sftp_as() {  # partner batch-commands
  printf '%s\n' "$2" >"$run/sftp.batch"
  timeout 60 sftp -q -b "$run/sftp.batch" -i "$keys/$1" -P "$sftp_port" -o BatchMode=yes \
    -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null "lg-$1@127.0.0.1" >/dev/null
}
upload() {  # partner file
  local name ack=""
  name=$(basename "$2")
  printf '\n== %s uploads %s over SFTP\n' "$1" "$name"
  rm -f "$sftp_root/$1/outbound/ACK_$name"*  # an earlier run's answer, not fetched
  sftp_as "$1" "cd inbound
put $2 $name.partial
rename $name.partial $name"
  for _ in $(seq 150); do
    ack=$(find "$sftp_root/$1/outbound" -maxdepth 1 -name "ACK_$name*" -printf '%f\n' 2>/dev/null | head -1)
    [ -n "$ack" ] && break
    sleep 0.1
  done
  if [ -z "$ack" ]; then echo "(no ACK file yet; see $run/lendgated.log)"; return; fi
  sftp_as "$1" "get outbound/$ack $run/$ack
rm outbound/$ack"
  echo "-- $ack, fetched over SFTP:"
  head -12 "$run/$ack"
}
if ((use_sftp)); then
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$sftp_port") 2>/dev/null && break
    sleep 0.1
  done
  upload desert-valley-bank samples/desert-valley-bank/DVB_DELQ_20261123_001.csv
  upload cactus-auto-finance samples/cactus-auto-finance/CAF_DQAO_20261122_001.txt
  upload mesa-asset-recovery samples/mesa-asset-recovery/MESA_OUTCOMES_20261122_01.csv
else
  post desert-valley-bank text/csv samples/desert-valley-bank/DVB_DELQ_20261123_001.csv delinquency_notice
  post cactus-auto-finance text/plain samples/cactus-auto-finance/CAF_DQAO_20261122_001.txt
fi
post saguaro-fcu application/xml samples/saguaro-fcu/SFCU_HARDSHIP_20261124_001.xml hardship_application

# The repo firm answers the Phoenix assignment with a recovery, naming the case
# the gateway gave the assignment; it goes back to the lender's drop folder.
case_id=""
for _ in $(seq 50); do
  case_id=$(cat "$run"/webhooks/valley-recovery/assignments/*.json 2>/dev/null |
    grep -o '"case_id": *"[0-9A-Z]*"' | head -1 | cut -d'"' -f4 || true)
  [ -n "$case_id" ] && break
  sleep 0.1
done
if [ -n "$case_id" ]; then
  # Valley's webhook echoes the reference it got with the assignment.
  sed "1s/^{/{\"lendgate\": {\"case_id\": \"$case_id\"},/" samples/valley-recovery/outcome_recovered.json \
    >"$run/outcome_recovered.json"
  post valley-recovery application/json "$run/outcome_recovered.json"
fi

sleep 2  # let the delivery workers run
viewer="Authorization: Bearer lga_demo_viewer_only_for_local_use"
printf '\n== journal: every message and its state\n'
"$bin/lendgate" messages list --config config/lendgate.json --plugin-dir "$build/plugins"
printf '\n== webhook deliveries received (%s)\n' "$run/webhooks"
grep '^received' "$run/receiver.log" || echo "(none yet)"
printf '\n== directory drops (%s)\n' "$run/outbound"
find "$run/outbound" -type f 2>/dev/null | sort || true
printf '\n== outbox of saguaro-fcu (pull API; empty until something is routed to it)\n'
curl -sS "$partner/v1/outbox?limit=5" -H "Authorization: Bearer lgk_demo_saguaro-fcu_only_for_local_use" | head -c 600; echo
if [ -n "$case_id" ]; then
  printf '\n== case %s: timeline (admin API, viewer token)\n' "$case_id"
  curl -sS "$admin/admin/v1/cases/$case_id/timeline" -H "$viewer" | head -c 1200; echo
fi
printf '\n== metrics (excerpt)\n'
curl -sS "$admin/metrics" | grep -E '^lendgate_(messages_received|delivery_attempts)_total' || true

cat <<TEXT

lendgated is running (log: $run/lendgated.log, journal: $run/journal.db)
  partner API  $partner/v1/messages   (API keys: lgk_demo_<partner id>_only_for_local_use)
  admin API    $admin/admin/v1/messages  (tokens: lga_demo_{viewer,operator,admin}_only_for_local_use)
  metrics      $admin/metrics   health $admin/healthz   ready $admin/readyz
  webhooks     received into $run/webhooks (receiver on 127.0.0.1:9101)
  SFTP         sftp -P $sftp_port -i $keys/desert-valley-bank lg-desert-valley-bank@127.0.0.1 (as root; drop folders under $sftp_root)
  CLI          $bin/lendgate messages list --config config/lendgate.json
TEXT
if ((once)); then exit 0; fi
echo "Ctrl-C stops it."
wait "$daemon_pid"
