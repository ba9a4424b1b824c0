#!/usr/bin/env bash
# The demo: builds Passerelle, starts a private Mosquitto on loopback, runs the gateway on the example
# territory and a compressed heatwave against it, and shows the notifications that the CCAS and the
# landlords receive. `--follow` keeps everything running (and prints notifications) until Ctrl-C.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

follow=0
speed=14400   # 4 hours of territory time per second: 48 hours in 12 seconds
for arg in "$@"; do
    case "$arg" in
        --follow) follow=1 ;;
        --speed=*) speed=${arg#--speed=} ;;
        -h|--help) say "usage: deploy/demo.sh [--follow] [--speed=FACTOR]"; exit 0 ;;
        *) die "unknown argument '$arg' (see --help)" ;;
    esac
done

ensure_packages
build="$PASSERELLE_ROOT/build"
mkdir -p "$build"
say "building passerelle…"
configure_and_build "$build" passerelle >/dev/null
passerelle="$build/gateway/passerelle"

work=$(mktemp -d /tmp/passerelle-demo.XXXXXX)
chmod 755 "$work"   # the broker drops to the mosquitto user
gateway_pid=""
MOSQUITTO_PID=""
watch_pid=""
cleanup() {
    stop_process "$watch_pid"
    stop_process "$gateway_pid"
    stop_process "$MOSQUITTO_PID"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_private_mosquitto "$work"
broker="tcp://127.0.0.1:$MOSQUITTO_PORT"
say "mosquitto: $broker (private, loopback only)"

config="$PASSERELLE_ROOT/examples/territoire/passerelle.yaml"
"$passerelle" check -c "$config"
"$passerelle" run -c "$config" --broker "$broker" --data "$work/data" 2>"$work/gateway.log" &
gateway_pid=$!
status=$(mosquitto_sub -h 127.0.0.1 -p "$MOSQUITTO_PORT" -t 'passerelle/territoire-demo/status' \
    -C 1 -W 30 2>/dev/null || true)
[ "$status" = "online" ] || { cat "$work/gateway.log" >&2; die "the gateway did not come online"; }
say "gateway: online (log: $work/gateway.log)"
say ""
say "Heatwave over the example territory; notifications as the parties receive them:"

"$passerelle" --log-level warn simulate -c "$config" --broker "$broker" --scenario heatwave --speed "$speed" \
    --record "$work/heatwave.jsonl" | tee "$work/simulate.out"

summary=$(grep '^simulate: published' "$work/simulate.out" || true)
ccas=$(grep -c '→ ccas ' "$work/simulate.out" || true)
landlords=$(grep -cE '→ (habitat-sud|logis-nord) ' "$work/simulate.out" || true)

if [ "$follow" -eq 1 ]; then
    say ""
    say "Following notify/# on $broker (Ctrl-C to stop)…"
    mosquitto_sub -h 127.0.0.1 -p "$MOSQUITTO_PORT" -t 'notify/#' -v &
    watch_pid=$!
    wait "$watch_pid" || true
fi

stop_process "$gateway_pid"; gateway_pid=""
gateway_summary=$(grep -o 'stopped: .*' "$work/gateway.log" || true)
say ""
say "gateway ${gateway_summary:-stopped}"
if [ "$ccas" -gt 0 ] && [ "$landlords" -gt 0 ]; then
    say "demo: ok — CCAS received $ccas notifications, landlords $landlords; readings recorded in $work/heatwave.jsonl"
    exit 0
fi
say "demo: FAILED — CCAS received $ccas notifications, landlords $landlords (${summary:-no summary}); see $work/gateway.log"
exit 1
