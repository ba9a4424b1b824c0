# Sourced by demo.sh: the demo territory's broker accounts and TLS, as a real deployment has them.
# Each stakeholder, the gateway and the demo's simulator get a random password; a private CA signs
# the broker's certificate and the gateway's client certificate (make-demo-certs.sh); the
# territory's copy is told where they are, and `passerelle acl` writes the broker's ACL and
# password files from it.

# secure_territory CONFIG DIR: edits the territory's copy CONFIG in place; the certificates go to
# DIR/tls, the broker's files to DIR/broker. Sets MOSQUITTO_SECURITY (lines for mosquitto.conf)
# and DEMO_SECRETS (the folder of the passwords, one file per account).
secure_territory() {
    local config=$1 dir=$2 id
    local secrets
    secrets="$(dirname "$config")/secrets"
    "$PASSERELLE_ROOT/deploy/make-demo-certs.sh" "$dir/tls" >/dev/null
    mkdir -p "$secrets"
    chmod 700 "$secrets"
    local ids
    # Only the `stakeholders:` section: agreements have ids too.
    ids=$(sed -n -E '/^stakeholders:$/,/^[a-z_]+:/ s/^  - id: ([A-Za-z0-9._-]+)$/\1/p' "$config")
    [ -n "$ids" ] || die "no stakeholder found in $config"
    for id in $ids passerelle simulateur; do
        (umask 077 && openssl rand -hex 16 >"$secrets/$id")
    done
    # Each stakeholder's password file, the gateway's account and TLS, and the simulator's account.
    sed -i -E '/^stakeholders:$/,/^[a-z_]+:/ s/^(  - id: ([A-Za-z0-9._-]+))$/\1\n    password_file: secrets\/\2/' "$config"
    sed -i -E "s|^broker:$|broker:\n  username: passerelle\n  password_file: secrets/passerelle\n  tls: {ca_file: $dir/tls/ca.pem, cert_file: $dir/tls/passerelle.pem, key_file: $dir/tls/passerelle.key}|" "$config"
    sed -i -E 's|^  url: tcp://|  url: ssl://|' "$config"
    cat >>"$config" <<'YAML'

# The demo's simulator plays every party's sensors, the network server and the radio receivers,
# and watches every notification: an account of its own, which `passerelle acl` warns about.
broker_users:
  - name: simulateur
    password_file: secrets/simulateur
    publish: [telemetry/#, signal/#, application/+/device/+/event/up, wmbus/+/telegram]
    subscribe: [notify/#]
YAML
    "$passerelle" acl -c "$config" --out "$dir/broker" 2>"$dir/acl.log" >/dev/null \
        || { cat "$dir/acl.log" >&2; die "passerelle acl failed"; }
    # The broker reads its key and these files as the mosquitto user.
    if getent group mosquitto >/dev/null; then
        chgrp mosquitto "$dir/tls/broker.key" "$dir/broker/passwd" "$dir/broker/acl"
        chmod 640 "$dir/tls/broker.key" "$dir/broker/passwd"
    else
        chmod 644 "$dir/tls/broker.key" "$dir/broker/passwd"
    fi
    chmod 755 "$dir/tls" "$dir/broker"
    MOSQUITTO_SECURITY="certfile $dir/tls/broker.pem
keyfile $dir/tls/broker.key
password_file $dir/broker/passwd
acl_file $dir/broker/acl
allow_anonymous false"
    DEMO_SECRETS=$secrets
}

# client_options ACCOUNT: mosquitto_sub/pub options to reach the demo's broker as ACCOUNT over TLS.
client_options() {
    printf '%s\n' --cafile "$work/tls/ca.pem" -u "$1" -P "$(cat "$DEMO_SECRETS/$1")"
}
