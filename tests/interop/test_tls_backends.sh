#!/bin/bash
# OpenSSL backend against mbedTLS backend, both directions, with and
# without a client certificate: each side is the unit-test binary of its
# build running the "cross-backend pipe peer" case
# (tests/unit/tls_mbedtls_pipe_test.cpp) over two FIFOs; both sides must
# establish and derive the same RFC 5216 key block (compared by SHA-256).
#
#   BUILD_ROOT        OpenSSL build (default build)
#   MBEDTLS_BUILD_ROOT  mbedTLS build (default build/mbedtls)
#   PKI_DIR           test PKI (default build/pki)
set -u
BUILD_ROOT=${BUILD_ROOT:-build}
MBEDTLS_BUILD_ROOT=${MBEDTLS_BUILD_ROOT:-build/mbedtls}
PKI_DIR=${PKI_DIR:-build/pki}
OSSL_BIN=$BUILD_ROOT/bin/lanyard-unit-tests
MBED_BIN=$MBEDTLS_BUILD_ROOT/bin/lanyard-unit-tests
CASE_TC='cross-backend pipe peer*'

for bin in "$OSSL_BIN" "$MBED_BIN"; do
    if [ ! -x "$bin" ]; then
        echo "not ok tls_backends: $bin missing (make unit and make unit TLS=mbedtls first)"
        exit 0
    fi
done

work=$(mktemp -d /tmp/lanyard-tls-backends.XXXXXX)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    rm -rf "$work"
}
trap cleanup EXIT

# run_case NAME SERVER_BIN SERVER_ROLE CLIENT_BIN
run_case() {
    local name=$1 sbin=$2 srole=$3 cbin=$4 d="$work/$1"
    mkdir -p "$d" && mkfifo "$d/c2s" "$d/s2c"
    LANYARD_TEST_PKI=$PKI_DIR LANYARD_TLS_PIPE_PEER="$srole,$d/c2s,$d/s2c,$d/server.txt" \
        timeout 20 "$sbin" -tc="$CASE_TC" >"$d/server.log" 2>&1 &
    local spid=$!
    pids+=("$spid")
    LANYARD_TEST_PKI=$PKI_DIR LANYARD_TLS_PIPE_PEER="client,$d/s2c,$d/c2s,$d/client.txt" \
        timeout 20 "$cbin" -tc="$CASE_TC" >"$d/client.log" 2>&1
    wait "$spid" 2>/dev/null
    local sk ck
    sk=$(grep '^key_sha256=' "$d/server.txt" 2>/dev/null)
    ck=$(grep '^key_sha256=' "$d/client.txt" 2>/dev/null)
    if [ -z "$sk" ] || [ -z "$ck" ]; then
        echo "not ok $name: handshake did not finish (server: $(grep -h '^failure=' "$d/server.txt" 2>/dev/null)" \
             "client: $(grep -h '^failure=' "$d/client.txt" 2>/dev/null))"
    elif [ "$sk" != "$ck" ]; then
        echo "not ok $name: key blocks differ"
    else
        echo "ok $name ($(grep -h '^cipher=' "$d/client.txt"))"
    fi
}

run_case tls_openssl_server_mbedtls_client "$OSSL_BIN" server "$MBED_BIN"
run_case tls_mbedtls_server_openssl_client "$MBED_BIN" server "$OSSL_BIN"
run_case tls_openssl_server_mbedtls_client_cert "$OSSL_BIN" server-cert "$MBED_BIN"
run_case tls_mbedtls_server_openssl_client_cert "$MBED_BIN" server-cert "$OSSL_BIN"
