# shellcheck shell=bash
# Shared by deploy/demo.sh and deploy/test.sh: packages, build, a private Mosquitto.
# Sourced, not run.

PASSERELLE_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

say() { printf '%s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Installs the packages of deploy/packages.txt that are missing, and only those.
ensure_packages() {
    local missing=()
    local package
    while read -r package; do
        case "$package" in ''|'#'*) continue ;; esac
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' \
            || missing+=("$package")
    done < "$PASSERELLE_ROOT/deploy/packages.txt"
    [ ${#missing[@]} -eq 0 ] && return 0
    say "installing: ${missing[*]}"
    [ "$(id -u)" -eq 0 ] || die "missing packages (${missing[*]}); run as root or install them"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq || die "apt-get update failed"
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
        || die "apt-get install ${missing[*]} failed"
}

# configure_and_build [--quiet] BUILD_DIR TARGET [extra cmake args...]
# TARGET "" builds everything. The configure output goes to BUILD_DIR/configure.log, the build output
# to BUILD_DIR/build.log and to stdout (only to the log with --quiet); on a failure the log (its last
# 60 lines for the build) is printed on stderr. An exclusive lock on BUILD_DIR/.lock makes two runs
# that share BUILD_DIR (two demos, a demo and the tests) wait for each other instead of building into
# the same folder at once; the commands run without the lock's descriptor, so nothing they leave
# behind can hold it.
configure_and_build() {
    local quiet=0
    if [ "${1:-}" = "--quiet" ]; then
        quiet=1
        shift
    fi
    local dir=$1 target=$2
    shift 2
    mkdir -p "$dir"
    local lock
    exec {lock}>"$dir/.lock"
    if ! flock -n "$lock"; then
        say "waiting for another build in $dir to finish…" >&2
        flock "$lock"
    fi
    # Without debug information (-g): it is a third to a half of the compile time on these
    # machines, and the scripts' builds are for running, not debugging (a -DCMAKE_BUILD_TYPE in
    # "$@" still wins, as the sanitized build's Debug does). A unity build compiles a module's
    # files eight at a time: the common headers (JSON, fmt, Catch2) are parsed and instantiated
    # once per batch instead of once per file, which makes a clean build 2 to 3 times faster.
    if ! cmake -S "$PASSERELLE_ROOT" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -DNDEBUG" -DCMAKE_UNITY_BUILD=ON "$@" \
        >"$dir/configure.log" 2>&1 {lock}>&-; then
        cat "$dir/configure.log" >&2
        die "cmake configure failed (log: $dir/configure.log)"
    fi
    local build_args=(--build "$dir" -j "$(nproc)")
    if [ -n "$target" ]; then
        build_args+=(--target "$target")
    fi
    local built=0
    if [ "$quiet" -eq 1 ]; then
        cmake "${build_args[@]}" >"$dir/build.log" 2>&1 {lock}>&- || built=$?
        if [ "$built" -ne 0 ]; then
            say "--- last 60 lines of $dir/build.log ---" >&2
            tail -n 60 "$dir/build.log" >&2
        fi
    else
        cmake "${build_args[@]}" 2>&1 {lock}>&- | tee "$dir/build.log" {lock}>&- || built=$?
    fi
    [ "$built" -eq 0 ] || die "build failed (log: $dir/build.log)"
    exec {lock}>&-
}

# mosquitto_accepts PORT: a client can connect to the broker on 127.0.0.1:PORT and publish.
# MOSQUITTO_CLIENT: extra options of mosquitto_pub/sub for a broker with TLS and accounts.
MOSQUITTO_CLIENT=()
mosquitto_accepts() {
    mosquitto_pub -h 127.0.0.1 -p "$1" "${MOSQUITTO_CLIENT[@]}" -t passerelle/broker-check -n -q 0 \
        >/dev/null 2>&1
}

# Starts a private Mosquitto on a free loopback port; sets MOSQUITTO_PID and MOSQUITTO_PORT.
# MOSQUITTO_SECURITY, when set, holds the listener's TLS and accounts lines (the demo's); without
# it the broker takes anonymous clients.
# It is ready once it logged "running" and a client can connect on the port. It runs in its own
# session (setsid keeps the PID, as a background child is no process group leader), so a Ctrl-C in
# the terminal reaches the script alone, which stops the broker last.
# MQTT-NOTES: the default max_queued_messages (1000) silently drops messages for a subscriber
# that falls behind, so the queue limits are lifted; Nagle is off on the broker's side.
start_private_mosquitto() {
    local dir=$1 attempt port
    for attempt in 1 2 3 4 5; do
        port=$(( 20000 + (RANDOM % 20000) ))
        cat >"$dir/mosquitto.conf" <<CONF
listener $port 127.0.0.1
${MOSQUITTO_SECURITY:-allow_anonymous true}
persistence false
max_queued_messages 1000000
max_queued_bytes 0
set_tcp_nodelay true
log_dest stderr
log_type error
log_type warning
log_type notice
log_type information
CONF
        setsid /usr/sbin/mosquitto -c "$dir/mosquitto.conf" 2>"$dir/mosquitto.log" &
        MOSQUITTO_PID=$!
        local waited=0
        while [ $waited -lt 50 ]; do
            # Ours must be alive: a port taken by another broker would accept connections too.
            kill -0 "$MOSQUITTO_PID" 2>/dev/null || break
            if grep -q 'running' "$dir/mosquitto.log" 2>/dev/null && mosquitto_accepts "$port"; then
                MOSQUITTO_PORT=$port
                return 0
            fi
            sleep 0.1
            waited=$((waited + 1))
        done
        stop_process "$MOSQUITTO_PID"
        MOSQUITTO_PID=""
    done
    cat "$dir/mosquitto.log" >&2
    die "could not start mosquitto"
}

# free_loopback_port [EXCEPT]: prints a port of 127.0.0.1 in 20000..39999 that nothing listens on
# (nor EXCEPT). Another program may take it before its user binds it, which then fails plainly.
free_loopback_port() {
    local except=${1:-0} attempt port
    for attempt in $(seq 1 50); do
        port=$(( 20000 + (RANDOM % 20000) ))
        [ "$port" -ne "$except" ] || continue
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    return 1
}

# wait_for_status PID PORT TOPIC VALUE SECONDS
# Polls the retained message of TOPIC on the broker at 127.0.0.1:PORT until it is VALUE, for at most
# SECONDS, while process PID (a child of this shell) runs. Returns 0 when it is VALUE, 1 on timeout,
# 2 when PID exited first; its exit code is then in EXITED_CODE.
wait_for_status() {
    local pid=$1 port=$2 topic=$3 value=$4 seconds=$5
    local deadline=$((SECONDS + seconds)) got
    EXITED_CODE=""
    while :; do
        if ! kill -0 "$pid" 2>/dev/null; then
            EXITED_CODE=0
            wait "$pid" 2>/dev/null || EXITED_CODE=$?
            return 2
        fi
        got=$(mosquitto_sub -h 127.0.0.1 -p "$port" "${MOSQUITTO_CLIENT[@]}" -t "$topic" -C 1 -W 1 \
            2>/dev/null || true)
        [ "$got" != "$value" ] || return 0
        [ "$SECONDS" -lt "$deadline" ] || return 1
        sleep 0.2   # mosquitto_sub returns at once if the broker refuses or the value differs
    done
}

stop_process() {
    local pid=$1
    [ -n "$pid" ] || return 0
    kill -TERM "$pid" 2>/dev/null || return 0
    local waited=0
    while kill -0 "$pid" 2>/dev/null && [ $waited -lt 100 ]; do
        sleep 0.1
        waited=$((waited + 1))
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    return 0
}
