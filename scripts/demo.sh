#!/usr/bin/env bash
# The README's main-job command: installs what is missing, builds, and runs the
# sample world: lendgated on config/ with embedded SQLite, a local webhook
# receiver standing in for the partners' servers, and the sample inputs fed
# over HTTP. It shows where each message went, prints the URLs and keeps
# running until Ctrl-C. With --once it stops after showing the results.
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
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 0' INT TERM

"$bin/lendgate" config check --config config/lendgate.json --plugin-dir "$build/plugins" >/dev/null
"$bin/lendgate" dev receiver --listen 127.0.0.1:9101 --out "$run/webhooks" >"$run/receiver.log" 2>&1 &
pids+=($!)
"$bin/lendgated" --config config/lendgate.json --plugin-dir "$build/plugins" >"$run/lendgated.log" 2>&1 &
pids+=($!)

partner=http://127.0.0.1:8480 admin=http://127.0.0.1:8481
for _ in $(seq 100); do
  curl -fsS "$admin/readyz" >/dev/null 2>&1 && break
  kill -0 "${pids[1]}" 2>/dev/null || { echo "lendgated did not start:" >&2; cat "$run/lendgated.log" >&2; exit 1; }
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
post desert-valley-bank text/csv samples/desert-valley-bank/DVB_DELQ_20261123_001.csv delinquency_notice
post cactus-auto-finance application/json samples/cactus-auto-finance/assignment_new.json
post cactus-auto-finance application/json samples/cactus-auto-finance/assignment_new_tucson.json
post saguaro-fcu application/json samples/saguaro-fcu/hardship_application.json

# The repo firm answers the Phoenix assignment with a recovery, naming the case
# the gateway gave the assignment; it goes back to the lender's drop folder.
case_id=""
for _ in $(seq 50); do
  case_id=$(cat "$run"/webhooks/valley-recovery/assignments/*.json 2>/dev/null |
    grep -o '"case_id":"[0-9A-Z]*"' | head -1 | cut -d'"' -f4 || true)
  [ -n "$case_id" ] && break
  sleep 0.1
done
if [ -n "$case_id" ]; then
  sed "s/CASE_ID_OF_THE_ASSIGNMENT/$case_id/" samples/valley-recovery/outcome_recovered.json >"$run/outcome_recovered.json"
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
  CLI          $bin/lendgate messages list --config config/lendgate.json
TEXT
if ((once)); then exit 0; fi
echo "Ctrl-C stops it."
wait "${pids[1]}"
