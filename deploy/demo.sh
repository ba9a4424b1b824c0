#!/usr/bin/env bash
# The demo: builds Passerelle, starts a private Mosquitto on loopback, runs the gateway on the example
# territory and a compressed heatwave against it, and shows the notifications that the CCAS and the
# landlords receive. `--follow` keeps everything running (and prints notifications) until Ctrl-C.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
    cat <<'USAGE'
usage: deploy/demo.sh [--follow] [--keep] [--speed=FACTOR]
  --follow         after the heatwave, keep the gateway running and print notify/# until Ctrl-C,
                   then stop it and print the summary
  --keep           keep the work folder /tmp/passerelle-demo.* (the recorded readings heatwave.jsonl,
                   the gateway's log gateway.log); the last line names it
  --speed=FACTOR   territory seconds per real second (default 14400: the 48 hours in 12 seconds)
USAGE
}

follow=0
keep=0
speed=14400   # 4 hours of territory time per second: 48 hours in 12 seconds
for arg in "$@"; do
    case "$arg" in
        --follow) follow=1 ;;
        --keep) keep=1 ;;
        --speed=*) speed=${arg#--speed=} ;;
        -h|--help) usage; exit 0 ;;
        *) die "unknown argument '$arg' (see --help)" ;;
    esac
done
[[ "$speed" =~ ^[0-9]+([.][0-9]+)?$ ]] || die "--speed needs a positive number, not '$speed'"

ensure_packages
build="$PASSERELLE_ROOT/build"
say "building passerelle…"
configure_and_build --quiet "$build" passerelle
passerelle="$build/gateway/passerelle"

work=""
gateway_pid=""
MOSQUITTO_PID=""
watch_pid=""
cleanup() {
    stop_process "$watch_pid"
    stop_process "$gateway_pid"
    stop_process "$MOSQUITTO_PID"
    if [ "$keep" -eq 0 ] && [ -n "$work" ]; then
        rm -rf "$work" || true
    fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

work=$(mktemp -d /tmp/passerelle-demo.XXXXXX)
chmod 755 "$work"   # the broker drops to the mosquitto user

# Where the evidence is, for the last line: the kept folder, or how to keep it.
kept() {
    if [ "$keep" -eq 1 ]; then
        printf 'kept %s (heatwave.jsonl, gateway.log)' "$work"
    else
        printf 'run with --keep to keep the recorded readings and the gateway log'
    fi
}
show_gateway_log() {
    say "--- last 30 lines of the gateway log ---" >&2
    tail -n 30 "$work/gateway.log" >&2 || true
}
failed() {
    show_gateway_log
    say "demo: FAILED — $*; $(kept)"
    exit 1
}

start_private_mosquitto "$work"
broker="tcp://127.0.0.1:$MOSQUITTO_PORT"
say "mosquitto: $broker (private, loopback only)"

config="$PASSERELLE_ROOT/examples/territoire/passerelle.yaml"
"$passerelle" check -c "$config" || die "passerelle check found problems in $config"
# Its own session, like the broker's: a Ctrl-C reaches the script, which stops the gateway first.
setsid "$passerelle" run -c "$config" --broker "$broker" --data "$work/data" 2>"$work/gateway.log" &
gateway_pid=$!
online=0
wait_for_status "$gateway_pid" "$MOSQUITTO_PORT" 'passerelle/territoire-demo/status' online 30 || online=$?
case "$online" in
    0) ;;
    2) gateway_pid=""; failed "the gateway exited with code $EXITED_CODE" ;;
    *) failed "the gateway did not come online within 30 s" ;;
esac
if [ "$keep" -eq 1 ]; then say "gateway: online (log: $work/gateway.log)"; else say "gateway: online"; fi
say ""
say "Heatwave over the example territory; notifications as the parties receive them:"

sim_rc=0
"$passerelle" --log-level warn simulate -c "$config" --broker "$broker" --scenario heatwave --speed "$speed" \
    --record "$work/heatwave.jsonl" | tee "$work/simulate.out" || sim_rc=$?

summary=$(grep '^simulate: published' "$work/simulate.out" || true)
ccas=$(grep -c '→ ccas ' "$work/simulate.out" || true)
landlords=$(grep -cE '→ (habitat-sud|logis-nord) ' "$work/simulate.out" || true)

if [ "$follow" -eq 1 ] && [ "$sim_rc" -eq 0 ]; then
    say ""
    say "Following notify/# on $broker (Ctrl-C to stop)…"
    # Ctrl-C ends the subscription only; the script goes on to stop the gateway and sum up.
    trap 'kill "$watch_pid" 2>/dev/null || true' INT
    mosquitto_sub -h 127.0.0.1 -p "$MOSQUITTO_PORT" -t 'notify/#' -v &
    watch_pid=$!
    wait "$watch_pid" || true
    stop_process "$watch_pid"
    watch_pid=""
    trap 'exit 130' INT
fi

stop_process "$gateway_pid"; gateway_pid=""
gateway_summary=$(grep -o 'stopped: .*' "$work/gateway.log" || true)
say ""
say "gateway ${gateway_summary:-stopped}"
if [ "$sim_rc" -ne 0 ]; then
    failed "simulate exited with code $sim_rc (${summary:-no summary}); CCAS received $ccas notifications, landlords $landlords"
fi
if [ "$ccas" -gt 0 ] && [ "$landlords" -gt 0 ]; then
    say "demo: ok — CCAS received $ccas notifications, landlords $landlords; $(kept)"
    exit 0
fi
failed "CCAS received $ccas notifications, landlords $landlords (${summary:-no summary})"
