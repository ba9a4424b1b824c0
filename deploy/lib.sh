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

# configure_and_build BUILD_DIR [TARGET] [extra cmake args...]
configure_and_build() {
    local dir=$1 target=$2
    shift 2
    cmake -S "$PASSERELLE_ROOT" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >"$dir/configure.log" 2>&1 \
        || { cat "$dir/configure.log"; die "cmake configure failed"; }
    if [ -n "$target" ]; then
        cmake --build "$dir" -j "$(nproc)" --target "$target" || die "build failed"
    else
        cmake --build "$dir" -j "$(nproc)" || die "build failed"
    fi
}

# Starts a private Mosquitto on a free loopback port; sets MOSQUITTO_PID and MOSQUITTO_PORT.
# MQTT-NOTES: the default max_queued_messages (1000) silently drops messages for a subscriber
# that falls behind, so the queue limits are lifted; Nagle is off on the broker's side.
start_private_mosquitto() {
    local dir=$1 attempt port
    for attempt in 1 2 3 4 5; do
        port=$(( 20000 + (RANDOM % 20000) ))
        cat >"$dir/mosquitto.conf" <<CONF
listener $port 127.0.0.1
allow_anonymous true
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
        /usr/sbin/mosquitto -c "$dir/mosquitto.conf" 2>"$dir/mosquitto.log" &
        MOSQUITTO_PID=$!
        local waited=0
        while [ $waited -lt 50 ]; do
            if grep -q 'running' "$dir/mosquitto.log" 2>/dev/null; then
                MOSQUITTO_PORT=$port
                return 0
            fi
            kill -0 "$MOSQUITTO_PID" 2>/dev/null || break
            sleep 0.1
            waited=$((waited + 1))
        done
        kill "$MOSQUITTO_PID" 2>/dev/null || true
        wait "$MOSQUITTO_PID" 2>/dev/null || true
    done
    cat "$dir/mosquitto.log" >&2
    die "could not start mosquitto"
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
