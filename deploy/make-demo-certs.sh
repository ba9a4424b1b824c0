#!/usr/bin/env bash
# Makes, with openssl, a private CA and the certificates of a demo or test broker on loopback:
#   DIR/ca.pem                      the CA the gateway and the parties trust (broker.tls.ca_file)
#   DIR/broker.pem, DIR/broker.key  the broker's certificate, for 127.0.0.1 and localhost
#   DIR/passerelle.pem, .key        the gateway's client certificate (broker.tls.cert_file, key_file)
# The CA's key is deleted once they are signed: nothing else can be signed with it.
# For the demo and the tests only: a real territory's broker gets its certificate from the
# town's PKI or an ACME service. Usage: deploy/make-demo-certs.sh DIR [DAYS, default 30]
set -euo pipefail

dir=${1:?usage: make-demo-certs.sh DIR [DAYS]}
days=${2:-30}
mkdir -p "$dir"
umask 077

# EC keys: made in milliseconds, where RSA takes seconds on a loaded machine.
new_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:prime256v1 -out "$1"; }

# sign NAME SUBJECT EXTENSIONS: a key and a certificate signed by the CA.
sign() {
    local name=$1 subject=$2 extensions=$3
    new_key "$dir/$name.key"
    openssl req -new -key "$dir/$name.key" -subj "/CN=$subject" -out "$dir/$name.csr"
    openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" \
        -set_serial "0x$(openssl rand -hex 8)" -days "$days" -sha256 \
        -extfile <(printf '%b\n' "$extensions") -out "$dir/$name.pem" 2>/dev/null
    rm -f "$dir/$name.csr"
}

new_key "$dir/ca.key"
openssl req -x509 -new -key "$dir/ca.key" -sha256 -days "$days" \
    -subj "/CN=Passerelle demo CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out "$dir/ca.pem"
sign broker 127.0.0.1 \
    "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE"
sign passerelle passerelle "extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE"
rm -f "$dir/ca.key"
chmod 644 "$dir/ca.pem" "$dir/broker.pem" "$dir/passerelle.pem"
echo "certificates in $dir: ca.pem, broker.pem/.key, passerelle.pem/.key (valid $days days)"
