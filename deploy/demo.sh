#!/usr/bin/env bash
# The demo: builds Passerelle, starts a private Mosquitto on loopback, runs the gateway on the example
# territory, then two compressed scenarios against it, one after the other: a winter of about four
# days (a silent sensor, a heating fault, a red grid-tension evening, a water leak) and a 48-hour
# heatwave starting where the winter ended. It shows the notifications as the parties receive them
# and ends with a summary per rule; it succeeds only when each of the six rules of the example
# territory (the five scenarios of the design and the hot building) fired, and the gateway polled
# the substation over Modbus TCP. `--follow` keeps everything running (and prints notifications)
# until Ctrl-C.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/demo-security.sh"

usage() {
    cat <<'USAGE'
usage: deploy/demo.sh [--follow] [--keep] [--speed=FACTOR]
  --follow         after the heatwave, keep the gateway running and print notify/# until Ctrl-C,
                   then stop it and print the summary
  --keep           keep the work folder /tmp/passerelle-demo.* (the recorded readings hiver.jsonl and
                   canicule.jsonl, the gateway's log gateway.log, the territory's copy territoire/);
                   the last line names it
  --speed=FACTOR   territory seconds per real second (default 21600, 6 hours a second: the winter
                   in 13 to 17 seconds, the heatwave in 8)
USAGE
}

follow=0
keep=0
speed=21600   # 6 hours of territory time per second: the ~6 days in ~25 seconds
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
        printf 'kept %s (hiver.jsonl, canicule.jsonl, gateway.log)' "$work"
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
    if grep -q "ahead of the gateway's clock" "$work/gateway.log" 2>/dev/null; then
        say "the gateway refused readings dated too far ahead of its clock: the two scenarios run" \
            "about 6 days ahead, limits.max_clock_ahead in $config must allow it (7d)" >&2
    fi
    say "demo: FAILED — $*; $(kept)"
    exit 1
}

# The example territory, with the broker accounts and TLS of a real deployment: each party
# publishes only under its own name and reads only its own notifications (docs/sovereignty.md).
cp -r "$PASSERELLE_ROOT/examples/territoire" "$work/territoire"
config="$work/territoire/passerelle.yaml"
secure_territory "$config" "$work"
# The broker's readiness and the gateway's status are checked as the town, a party like any other.
mapfile -t MOSQUITTO_CLIENT < <(client_options ville)
start_private_mosquitto "$work"
broker="ssl://127.0.0.1:$MOSQUITTO_PORT"
say "mosquitto: $broker (private, loopback only; TLS, one account per party, ACLs from passerelle acl)"

# The substation's controller moved to a free port on loopback where `passerelle simulate` serves
# its Modbus registers. The gateway polls it every 20 ms: at 6 hours a second a quarter hour of the
# scenario lasts 42 ms, and the simulator waits for each quarter hour's registers to be polled
# before the next.
modbus_port=$(free_loopback_port "$MOSQUITTO_PORT") || die "no free port on 127.0.0.1 for the substation"
map="$work/territoire/modbus/sst-nord.yaml"
sed -i -E "s/host: [0-9.]+, port: [0-9]+/host: 127.0.0.1, port: $modbus_port/; s/poll_s: [0-9]+/poll_s: 0.02/" "$map"
grep -q "port: $modbus_port," "$map" && grep -q 'poll_s: 0.02' "$map" \
    || die "cannot move the substation to 127.0.0.1:$modbus_port in $map"
say "substation sst-nord: Modbus TCP on 127.0.0.1:$modbus_port (served by the simulator)"

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

# The CCAS's desks say their clients are connected, retained, as their applications do on
# connecting. The elected official on duty has none: the route's fallback, the town hall's
# switchboard (ccas/standard), gets the messages meant for them.
mapfile -t ccas_client < <(client_options ccas)
for level in ccas ccas/astreinte ccas/encadrement; do
    mosquitto_pub -h 127.0.0.1 -p "$MOSQUITTO_PORT" "${ccas_client[@]}" -q 1 -r \
        -t "notify/$level/presence" -m online || failed "cannot publish the presence of $level"
done
say "CCAS desks connected: ccas, ccas/astreinte, ccas/encadrement; none for ccas/elu-astreinte, whose"
say "notices go to the town hall's switchboard (ccas/standard) once the route's fallback delay has passed"

# run_scenario NAME [simulate options…]: plays a scenario against the gateway, printing the
# notifications as they arrive; its output goes to $work/NAME.out, its readings to $work/NAME.jsonl.
# Sets SIM_RC to simulate's exit code.
run_scenario() {
    local name=$1
    shift
    SIM_RC=0
    "$passerelle" --log-level warn simulate -c "$config" --broker "$broker" --as simulateur \
        --scenario "$name" \
        --speed "$speed" --record "$work/$name.jsonl" "$@" | tee "$work/$name.out" || SIM_RC=$?
}

say ""
say "Winter over the example territory (a silent sensor, a heating fault, a red grid-tension"
say "evening, a water leak); notifications as the parties receive them:"
run_scenario hiver
sim_rc=$SIM_RC
sim_failed=""
if [ "$sim_rc" -eq 0 ]; then
    # The heatwave starts one quarter hour after the winter's last reading: the rules' time never
    # goes backwards, and no sensor looks silent in between.
    winter_end=$(sed -n "s/^simulate: scenario 'hiver', .* to \([^ ]*\) (.*/\1/p" "$work/hiver.out")
    [ -n "$winter_end" ] || failed "cannot read the winter's end in $work/hiver.out"
    heat_start=$(date -u -d "@$(( $(date -u -d "$winter_end" +%s) + 900 ))" +%Y-%m-%dT%H:%M:%SZ)
    say ""
    say "Heatwave from $heat_start, where the winter ended:"
    run_scenario canicule --start "$heat_start"
    sim_rc=$SIM_RC
    [ "$sim_rc" -eq 0 ] || sim_failed="the heatwave's simulate exited with code $sim_rc"
else
    sim_failed="the winter's simulate exited with code $sim_rc"
fi
touch "$work/canicule.out"

if [ "$follow" -eq 1 ] && [ "$sim_rc" -eq 0 ]; then
    say ""
    say "Following notify/# on $broker (Ctrl-C to stop)…"
    # Ctrl-C ends the subscription only; the script goes on to stop the gateway and sum up.
    trap 'kill "$watch_pid" 2>/dev/null || true' INT
    mapfile -t watcher < <(client_options simulateur)
    mosquitto_sub -h 127.0.0.1 -p "$MOSQUITTO_PORT" "${watcher[@]}" -t 'notify/#' -v &
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

# The notification lines of both runs: "  TIME → RECIPIENT ALERTE|FIN RULE KEY MESSAGE".
rules="canicule-logement immeuble-chaud fuite-eau panne-chauffage capteur-muet effacement-pompage"
summary=$(awk -v rules="$rules" '
    $2 == "→" && ($4 == "ALERTE" || $4 == "FIN") {
        rule = $5
        kind = $4 == "ALERTE" ? "fired" : "resolved"
        # One alert per rule, key and time, whatever the number of its recipients.
        if (!((rule, $6, $1, kind) in seen)) { seen[rule, $6, $1, kind] = 1; count[rule, kind]++ }
        told[rule, $3, kind]++
        if (!((rule, $3) in has)) { has[rule, $3] = 1; recipients[rule] = recipients[rule] " " $3 }
    }
    # A grouped notice of a route: "  TIME → DESK GROUPE RULE GROUP SUMMARY", counted per desk.
    $2 == "→" && $4 == "GROUPE" {
        grouped[$5, $3]++
        if (!(($5, $3) in has_desk)) { has_desk[$5, $3] = 1; desks[$5] = desks[$5] " " $3 }
    }
    END {
        n = split(rules, wanted, " ")
        printf "  %-20s %5s %8s   %s\n", "rule", "fired", "resolved", "notifications per recipient (alert/end)"
        for (i = 1; i <= n; i++) {
            rule = wanted[i]
            line = ""
            m = split(recipients[rule], who, " ")
            for (j = 1; j <= m; j++) {
                line = line (j > 1 ? ", " : "") who[j] " " (told[rule, who[j], "fired"] + 0) "/" (told[rule, who[j], "resolved"] + 0)
            }
            m = split(desks[rule], desk, " ")
            for (j = 1; j <= m; j++) {
                line = line (j > 1 ? ", " : "; grouped notices: ") desk[j] " " grouped[rule, desk[j]]
            }
            printf "  %-20s %5d %8d   %s\n", rule, count[rule, "fired"], count[rule, "resolved"], line == "" ? "-" : line
        }
    }' "$work/hiver.out" "$work/canicule.out")
say ""
say "Summary per rule (alerts fired and resolved):"
say "$summary"

# The audit log: what the CCAS received, from whose data, under which sharing agreement; and the
# log's hash chain, checked end to end.
audit_ccas=$("$passerelle" audit -c "$config" --data "$work/data" --recipient ccas 2>&1) ||
    failed "passerelle audit failed: $audit_ccas"
say ""
say "Audit log, the CCAS's notifications (whose data, under which agreement):"
say "$(printf '%s\n' "$audit_ccas" | head -n 7 | sed 's/^/  /')"
verified=$("$passerelle" audit -c "$config" --data "$work/data" --verify 2>&1) ||
    failed "the audit log's hash chain does not verify: $verified"
say "  $verified"
case "$audit_ccas" in
*canicule-habitat-sud-ccas*) ;;
*) failed "the CCAS's notifications do not name the agreement that allowed them" ;;
esac

# Rules that never fired, and those with alerts still open.
unfired=""
open_rules=""
brief=""
while read -r rule fired resolved _; do
    [ "$rule" != "rule" ] || continue
    [ "$fired" -gt 0 ] || unfired="$unfired $rule"
    [ "$resolved" -ge "$fired" ] || open_rules="$open_rules $rule"
    brief="${brief:+$brief, }$rule $fired/$resolved"
done <<<"$summary"

if [ -n "$sim_failed" ]; then
    failed "$sim_failed"
fi
if [ -n "$unfired" ]; then
    failed "never fired:$unfired (fired/resolved: $brief)"
fi
# "the gateway polled N of M Modbus register sets (sst-nord)": the substation's readings reached
# the rules through the gateway's Modbus polls.
polls=$(sed -n 's/.*the gateway polled \([0-9]*\) of \([0-9]*\) Modbus register sets.*/\1 of \2/p' "$work/hiver.out")
[ -n "$polls" ] && [ "${polls%% *}" -gt 0 ] || failed "the gateway never polled the substation over Modbus"
note=""
[ -z "$open_rules" ] || note=" (still firing at the end:$open_rules)"
say "demo: ok — all six rules fired (fired/resolved: $brief)$note; sst-nord polled over Modbus TCP: $polls quarter hours; $(kept)"
exit 0
