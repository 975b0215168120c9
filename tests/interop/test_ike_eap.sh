#!/bin/bash
# EAP in IKE_AUTH (issue 8, RFC 7296 §2.16): strongSwan charon 5.9.8 as the
# initiator with its eap-* plugins against lanyard-gateway as the EAP
# authenticator (--kernel none). The gateway proves itself with the RSA
# server certificate of the test PKI (make pki); charon's user proves
# itself with EAP-MSCHAPv2, EAP-MD5, EAP-GTC (from swanctl secrets eap-*) or
# EAP-TLS (client certificate). Negative cases: wrong password, an
# eap_id the gateway does not accept. RFC 4739 rounds from charon; and
# Lanyard to Lanyard (lanyard-gateway as EAP peer): MSCHAPv2, PEAP,
# EAP-TLS, certificate then EAP-MD5. charon as the gateway with eap-radius
# and Lanyard's RADIUS server as its back-end (LYD_RADIUS_SERVER or
# $BUILD_ROOT/bin/lanyard-authenticator), lanyard-gateway as EAP peer.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/strongswan-charon.sh"
lyd_init ike_eap
GW=$LYD_BIN/lanyard-gateway
lyd_require "$GW" "$SW_CHARON" "$SW_SWANCTL" || exit 0

C_ADDR=10.78.0.1   # charon
G_ADDR=10.78.0.2   # lanyard-gateway
EAP_SECRET="eap s3cr3t"
SW_LOAD="load = random nonce openssl pem pkcs1 x509 revocation constraints pubkey socket-default vici kdf pkcs8 kernel-libipsec kernel-netlink md4 md5 sha1 sha2 hmac eap-identity eap-md5 eap-mschapv2 eap-tls eap-gtc"

net_pair() {
  local c=$1
  lyd_netns "$c-c" "$c-g" || return 1
  lyd_veth "$c-c" eth0 "$(lyd_mac)" "$c-g" eth0 "$(lyd_mac)" || return 1
  ip -n "$(lyd_ns "$c-c")" addr add "$C_ADDR/24" dev eth0
  ip -n "$(lyd_ns "$c-g")" addr add "$G_ADDR/24" dev eth0
}

# sec NAME LINES: one swanctl section at the auth-round indentation.
sec() { printf '        %s {\n%s\n        }\n' "$1" "$2"; }

# eap_case NAME GW_REMOTE_LINES CHARON_LOCAL_LINES CHARON_SECRET EXPECT(ok|regex of the refusal)
eap_case() {
  eap_rounds_case "$1" "$(sec remote "$2")" "$(sec local "$3")" "$4" "$5"
}

# Lanyard's RADIUS server (lanyard-authenticator driver=none, LYD_RADIUS_SERVER
# to use another build) on the loopback of a case's namespace, with carol
# (MSCHAPv2, or MD5 after a Nak) and dave (MD5) in its eap_user file.
RADIUS_SERVER=${LYD_RADIUS_SERVER:-$LYD_BIN/lanyard-authenticator}
RADIUS_PORT=18120
RADIUS_SECRET=lanyard-radius-secret
# start_radius_server NAMESPACE DIR
start_radius_server() {
  local ns=$1 dir=$2
  printf '"carol" MSCHAPV2,MD5 "%s"\n"dave" MD5 "%s"\n' "$EAP_SECRET" "$EAP_SECRET" > "$dir/eap_user"
  echo "127.0.0.1/32 $RADIUS_SECRET" > "$dir/clients"
  cat > "$dir/radius.conf" <<CONF
driver=none
eap_server=1
eap_user_file=$dir/eap_user
radius_server_clients=$dir/clients
radius_server_auth_port=$RADIUS_PORT
CONF
  run_bg "$ns" "$dir/radius.log" "$RADIUS_SERVER" -d -t "$dir/radius.conf" > /dev/null
  wait_for_log "$dir/radius.log" 'RADIUS server listening' 10
}

# start_freeradius NAMESPACE DIR: FreeRADIUS 3.2 (tests/interop/freeradius-conf.sh,
# the test PKI for EAP-TLS) on the same port and secret, carol in its users
# file; log in DIR/radius.log.
FREERADIUS=${REF_FREERADIUS:-/usr/sbin/freeradius}
start_freeradius() {
  local ns=$1 dir=$2
  printf 'carol Cleartext-Password := "%s"\n' "$EAP_SECRET" > "$dir/fr-users"
  "$REPO_ROOT/tests/interop/freeradius-conf.sh" "$dir/fr" "$RADIUS_PORT" "$RADIUS_SECRET" "$PKI_DIR" "$dir/fr-users" \
    > "$dir/fr-conf.log" 2>&1 || { not_ok "${ns%-g}" "freeradius-conf.sh failed: $(tail -1 "$dir/fr-conf.log")"; return 1; }
  run_bg "$ns" "$dir/radius.log" "$FREERADIUS" -X -d "$dir/fr" > /dev/null
  wait_for_log "$dir/radius.log" 'Ready to process requests' 30 ||
    { not_ok "${ns%-g}" "FreeRADIUS did not start: $(tail -2 "$dir/radius.log" | tr '\n' ' ')"; return 1; }
}

# start_gateway CASE DIR GW_REMOTE_SECTIONS: lanyard-gateway in the case's
# gateway namespace, with DIR/gw.conf: the local round GW_LOCAL (default:
# server.pem), the given remote rounds, users carol and dave, and the
# server's credentials (server.pem, other-server.pem of other-ca.pem for a
# second round) beside it. For auth = eap-radius rounds Lanyard's RADIUS
# server (RADIUS_BACKEND=freeradius: FreeRADIUS) runs beside it, named in
# a strongswan.conf as charon's eap-radius plugin reads it.
start_gateway() {
  local c=$1 dir=$2 gw_remote=$3
  local gw_local=${GW_LOCAL:-$(sec local "            auth = pubkey
            certs = server.pem
            id = server.lanyard.test")}
  mkdir -p "$dir/x509" "$dir/x509ca" "$dir/private"
  cp "$PKI_DIR/server.pem" "$PKI_DIR/other-server.pem" "$dir/x509/"
  cp "$PKI_DIR/server.key" "$PKI_DIR/other-server.key" "$dir/private/"
  cp "$PKI_DIR/ca.pem" "$dir/x509ca/"
  cat > "$dir/gw.conf" <<CONF
connections {
    rw {
        local_addrs = $G_ADDR
        proposals = aes128-sha256-x25519
$gw_local
$gw_remote
        children {
            net {
                local_ts = 10.1.0.0/16
                esp_proposals = aes128gcm16
            }
        }
    }
}
secrets {
    eap-carol {
        id = carol
        secret = "$EAP_SECRET"
    }
    eap-dave {
        id = dave@example.org
        secret = "dave's other secret"
    }
}
CONF
  if printf '%s' "$gw_remote" | grep -q 'eap-radius'; then
    if [ "${RADIUS_BACKEND:-lanyard}" = freeradius ]; then
      start_freeradius "$c-g" "$dir" || return 1
    else
      start_radius_server "$c-g" "$dir" || { not_ok "$c" "RADIUS server: $(tail -1 "$dir/radius.log")"; return 1; }
    fi
    printf 'charon {\n  plugins {\n    eap-radius {\n      nas_identifier = lanyard-gw\n      servers {\n        lyd {\n          address = 127.0.0.1\n          auth_port = %s\n          secret = %s\n        }\n      }\n    }\n  }\n}\n' \
      "$RADIUS_PORT" "$RADIUS_SECRET" > "$dir/strongswan.conf"
  fi
  run_bg "$c-g" "$dir/gw.log" "$GW" -c "$dir/gw.conf" --strongswan-conf "$dir/strongswan.conf" --listen "$G_ADDR" --kernel none -d > /dev/null
  wait_for_log "$dir/gw.log" 'listening on .*\(NAT-T\)' 5 || { not_ok "$c" "gateway: $(head -1 "$dir/gw.log")"; return 1; }
}

# eap_rounds_case NAME GW_REMOTE_SECTIONS CHARON_LOCAL_SECTIONS CHARON_SECRET EXPECT
eap_rounds_case() {
  local c=$1 gw_remote=$2 sw_local=$3 sw_secret=$4 expect=$5 out
  local sw_remote=${SW_REMOTE:-$(sec remote "            auth = pubkey
            id = server.lanyard.test")}
  lyd_case_begin "$c"
  if [ ! -f "$PKI_DIR/server.pem" ] || [ ! -f "$PKI_DIR/client.pem" ]; then
    not_ok "$c" "no server/client certificates in $PKI_DIR (run: make pki)"
    return
  fi
  D=$LYD_WORK/$c
  net_pair "$c" || { not_ok "$c" "namespaces"; return; }
  start_gateway "$c" "$D" "$gw_remote" || return
  sw_init "$D/sw" "$SW_LOAD"
  cp "$PKI_DIR/client.pem" "$D/sw/x509/"; cp "$PKI_DIR/client.key" "$D/sw/private/"; cp "$PKI_DIR/ca.pem" "$D/sw/x509ca/"
  cp "$PKI_DIR/ec-client.pem" "$D/sw/x509/"; cp "$PKI_DIR/ec-client.key" "$D/sw/private/"
  cat > "$D/sw/swanctl.conf" <<CONF
connections {
    gw {
        local_addrs = $C_ADDR
        remote_addrs = $G_ADDR
        version = 2
        proposals = aes128-sha256-x25519
$sw_local
$sw_remote
        children {
            net {
                remote_ts = 10.1.0.0/16
                esp_proposals = aes128gcm16
            }
        }
    }
}
secrets {
    eap-carol {
        id = carol
        secret = "$sw_secret"
    }
}
CONF
  sw_start "$c-c" "$D/sw" || { not_ok "$c" "charon did not start"; return; }
  sw_load "$D/sw" | grep -q 'successfully loaded 1 connections' || { not_ok "$c" "swanctl --load-all failed"; return; }
  out=$(sw_ctl "$D/sw" --initiate --child net)
  printf '%s\n' "$out" > "$D/initiate.out"
  if [ "$expect" = ok ]; then
    if printf '%s' "$out" | grep -q 'initiate completed successfully' &&
       printf '%s' "$out" | grep -q "authentication of 'server.lanyard.test' with .* successful" &&
       grep -q "IKE_SA rw\[[0-9]*\] established" "$D/gw.log" &&
       grep -q "CHILD_SA net{1} established" "$D/gw.log" &&
       { [ -z "${EXPECT_CHARON:-}" ] || printf '%s' "$out" | grep -q "$EXPECT_CHARON"; } &&
       { [ -z "${EXPECT_GW:-}" ] || grep -qE "$EXPECT_GW" "$D/gw.log"; } &&
       { [ -z "${EXPECT_RADIUS:-}" ] || grep -qE "$EXPECT_RADIUS" "$D/radius.log"; }; then
      ok "$c"
      echo "# $c: $(grep -m1 -oE "${EXPECT_GW:-EAP method EAP-[A-Z0-9]* succeeded}.*" "$D/gw.log")"
    else
      not_ok "$c" "$(printf '%s' "$out" | grep -E 'failed|AUTH_FAILED|EAP' | tail -2 | tr '\n' ' ') gw: $(grep -m1 -E 'failed|refused' "$D/gw.log")"
    fi
  else
    if printf '%s' "$out" | grep -q 'initiate completed successfully' || grep -q "IKE_SA rw\[[0-9]*\] established" "$D/gw.log"; then
      not_ok "$c" "established although it should have been refused"
    elif grep -qE "$expect" "$D/gw.log"; then
      ok "$c"
      echo "# $c: $(grep -m1 -oE "$expect.*" "$D/gw.log")"
    else
      not_ok "$c" "refused, but not with /$expect/: $(grep -m1 -E 'failed|refused' "$D/gw.log")"
    fi
  fi
  lyd_case_end "$c"
  lyd_case_cleanup
}

eap_case eap_mschapv2 "            auth = eap-mschapv2" \
  "            auth = eap-mschapv2
            id = carol" "$EAP_SECRET" ok
eap_case eap_md5 "            auth = eap-md5" \
  "            auth = eap-md5
            id = carol" "$EAP_SECRET" ok
eap_case eap_gtc "            auth = eap-gtc" \
  "            auth = eap-gtc
            id = carol" "$EAP_SECRET" ok
eap_case eap_tls "            auth = eap-tls" \
  "            auth = eap-tls
            certs = client.pem
            id = user@lanyard.test" "" ok
# charon's IDi is its address; the EAP identity comes from EAP-Identity.
eap_case eap_identity "            auth = eap-mschapv2
            eap_id = %any" \
  "            auth = eap-mschapv2
            eap_id = carol" "$EAP_SECRET" ok
eap_case eap_dynamic "            auth = eap-dynamic" \
  "            auth = eap-md5
            id = carol" "$EAP_SECRET" ok
eap_case eap_wrong_password "            auth = eap-mschapv2" \
  "            auth = eap-mschapv2
            id = carol" "not the secret" "peer sent AUTHENTICATION_FAILED during IKE_AUTH|authentication of 'carol' with EAP failed"
eap_case eap_id_mismatch "            auth = eap-mschapv2
            eap_id = dave@example.org" \
  "            auth = eap-mschapv2
            eap_id = carol" "$EAP_SECRET" "does not match eap_id"
# RFC 5998 EAP-only: EAP-TLS authenticates the gateway too (its local
# round is auth = eap-tls); no certificate AUTH from the gateway.
GW_LOCAL=$(sec local "            auth = eap-tls
            certs = server.pem
            id = server.lanyard.test") SW_REMOTE=$(sec remote "            auth = eap-tls
            id = server.lanyard.test") EXPECT_CHARON="allow mutual EAP-only authentication" \
eap_case eap_only_tls "            auth = eap-tls" \
  "            auth = eap-tls
            certs = client.pem
            id = user@lanyard.test" "" ok
# RFC 4739: two rounds from charon (local-1, local-2) against the
# gateway's remote-1, remote-2.
eap_rounds_case rfc4739_pubkey_eap \
  "$(sec remote-1 "            auth = pubkey
            id = user@lanyard.test
            cacerts = ca.pem")$(sec remote-2 "            auth = eap-mschapv2
            eap_id = %any")" \
  "$(sec local-1 "            auth = pubkey
            certs = client.pem
            id = user@lanyard.test")$(sec local-2 "            auth = eap-mschapv2
            eap_id = carol")" "$EAP_SECRET" ok
eap_rounds_case rfc4739_eap_eap \
  "$(sec remote-1 "            auth = eap-md5")$(sec remote-2 "            auth = eap-mschapv2
            eap_id = %any")" \
  "$(sec local-1 "            auth = eap-md5
            id = carol")$(sec local-2 "            auth = eap-mschapv2
            eap_id = carol")" "$EAP_SECRET" ok
# Two initiator certificates (RSA, then ECDSA), each round checked against
# its own remote-N.
EXPECT_GW="certificate '.*' of 'user@lanyard.test' verified \\(ECDSA" \
eap_rounds_case rfc4739_two_certs \
  "$(sec remote-1 "            auth = pubkey
            id = user@lanyard.test
            cacerts = ca.pem")$(sec remote-2 "            auth = pubkey
            id = user@lanyard.test")" \
  "$(sec local-1 "            auth = pubkey
            certs = client.pem
            id = user@lanyard.test")$(sec local-2 "            auth = pubkey
            certs = ec-client.pem
            id = user@lanyard.test")" "" ok
# The gateway wants two rounds, charon does one: refused.
eap_rounds_case rfc4739_missing_round \
  "$(sec remote-1 "            auth = eap-md5")$(sec remote-2 "            auth = eap-mschapv2")" \
  "$(sec local "            auth = eap-md5
            id = carol")" "$EAP_SECRET" "requires 2 authentication rounds, peer completed 1"
# The gateway's EAP round served by Lanyard's RADIUS server (auth =
# eap-radius): IDi as the EAP identity, sent to the server as the
# EAP-Response/Identity; then RFC 4739 pubkey + EAP with the EAP identity
# asked for (eap_id = %any) and relayed; then a wrong EAP-MD5 password
# (Access-Reject with EAP-Failure, after charon's Nak of MSCHAPv2).
EXPECT_GW="EAP method EAP-MSCHAPV2 succeeded for 'carol' \\(RADIUS\\), MSK established" \
EXPECT_RADIUS="RADIUS: 127.0.0.1 carol MSCHAPV2 success" \
eap_case radius_mschapv2 "            auth = eap-radius" \
  "            auth = eap-mschapv2
            id = carol" "$EAP_SECRET" ok
EXPECT_GW="EAP method EAP-MSCHAPV2 succeeded for 'carol' \\(RADIUS\\)" \
EXPECT_RADIUS="RADIUS: 127.0.0.1 carol MSCHAPV2 success" \
eap_rounds_case rfc4739_pubkey_radius \
  "$(sec remote-1 "            auth = pubkey
            id = user@lanyard.test
            cacerts = ca.pem")$(sec remote-2 "            auth = eap-radius
            eap_id = %any")" \
  "$(sec local-1 "            auth = pubkey
            certs = client.pem
            id = user@lanyard.test")$(sec local-2 "            auth = eap-mschapv2
            eap_id = carol")" "$EAP_SECRET" ok
eap_case radius_wrong_password "            auth = eap-radius" \
  "            auth = eap-md5
            id = carol" "not the secret" "EAP method EAP-MD5 failed for 'carol': Access-Reject"
# The same round with FreeRADIUS as the back-end: charon Naks FreeRADIUS's
# default EAP-MD5 for MSCHAPv2, whose MSK comes back in MS-MPPE keys; and
# EAP-TLS with the client certificate checked by FreeRADIUS.
if [ -x "$FREERADIUS" ]; then
  RADIUS_BACKEND=freeradius EXPECT_GW="EAP method EAP-MSCHAPV2 succeeded for 'carol' \\(RADIUS\\), MSK established" \
  EXPECT_RADIUS="Sent Access-Accept" \
  eap_case freeradius_mschapv2 "            auth = eap-radius" \
    "            auth = eap-mschapv2
            id = carol" "$EAP_SECRET" ok
  RADIUS_BACKEND=freeradius EXPECT_GW="EAP method EAP-TLS succeeded for 'user@lanyard.test' \\(RADIUS\\), MSK established" \
  EXPECT_RADIUS="Sent Access-Accept" \
  eap_case freeradius_tls "            auth = eap-radius" \
    "            auth = eap-tls
            certs = client.pem
            id = user@lanyard.test" "" ok
else
  echo "# skipped freeradius_mschapv2, freeradius_tls: no $FREERADIUS"
fi
# Lanyard to Lanyard: lanyard-gateway as the EAP peer (initiator) against
# lanyard-gateway as the EAP authenticator, for what charon cannot do
# (PEAP) and the rest once more.
# lanyard_case NAME GW_REMOTE_SECTIONS INIT_LOCAL_SECTIONS
# GW_LOCAL / INIT_REMOTE replace the gateway's local and the initiator's
# remote sections.
lanyard_case() {
  local c=$1 gw_remote=$2 init_local=$3 out
  local init_remote=${INIT_REMOTE:-$(sec remote "            auth = pubkey
            id = server.lanyard.test")}
  lyd_case_begin "$c"
  D=$LYD_WORK/$c
  mkdir -p "$D/i/x509" "$D/i/x509ca" "$D/i/private"
  cp "$PKI_DIR/client.pem" "$D/i/x509/"; cp "$PKI_DIR/client.key" "$D/i/private/"; cp "$PKI_DIR/ca.pem" "$D/i/x509ca/"
  cp "$PKI_DIR/other-ca.pem" "$D/i/x509ca/"
  net_pair "$c" || { not_ok "$c" "namespaces"; return; }
  cat > "$D/i/init.conf" <<CONF
connections {
    gw {
        local_addrs = $C_ADDR
        remote_addrs = $G_ADDR
        proposals = aes128-sha256-x25519
$init_local
$init_remote
        children {
            net {
                remote_ts = 10.1.0.0/16
                esp_proposals = aes128gcm16
            }
        }
    }
}
secrets {
    eap-carol {
        id = carol
        secret = "$EAP_SECRET"
    }
}
CONF
  start_gateway "$c" "$D" "$gw_remote" || return
  out=$(lyd_exec "$c-c" 30 "$GW" -c "$D/i/init.conf" --listen "$C_ADDR" --kernel none --initiate gw/net --exit-when-done -d -f "$D/init.log")
  if printf '%s' "$out" | grep -q '1 established, 0 failed' &&
     grep -q "IKE_SA rw\[[0-9]*\] established" "$D/gw.log" &&
     grep -q "CHILD_SA net{1} established" "$D/gw.log" &&
     { [ -z "${EXPECT_INIT:-}" ] || grep -qE "$EXPECT_INIT" "$D/init.log"; }; then
    ok "$c"
    echo "# $c: $(cat "$D/init.log" "$D/gw.log" | grep -m1 -oE "${EXPECT_INIT:-EAP method EAP-[A-Z0-9]* succeeded}.*")"
  else
    not_ok "$c" "$out $(grep -m1 -E 'failed|refused' "$D/init.log") gw: $(grep -m1 -E 'failed|refused' "$D/gw.log")"
  fi
  lyd_case_end "$c"
  lyd_case_cleanup
}

lanyard_case lanyard_mschapv2 "$(sec remote "            auth = eap-mschapv2")" \
  "$(sec local "            auth = eap-mschapv2
            id = carol")"
lanyard_case lanyard_peap "$(sec remote "            auth = eap-peap")" \
  "$(sec local "            auth = eap-peap
            id = carol")"
lanyard_case lanyard_tls "$(sec remote "            auth = eap-tls")" \
  "$(sec local "            auth = eap-tls
            certs = client.pem
            id = user@lanyard.test")"
lanyard_case lanyard_pubkey_eap \
  "$(sec remote-1 "            auth = pubkey
            id = user@lanyard.test")$(sec remote-2 "            auth = eap-md5")" \
  "$(sec local-1 "            auth = pubkey
            certs = client.pem
            id = user@lanyard.test")$(sec local-2 "            auth = eap-md5
            id = carol")"
# RFC 4739 rounds of the responder (charon has none): the gateway proves
# itself with server.pem, then with other-server.pem of another CA, the
# second round answering the initiator's empty IKE_AUTH request.
GW_LOCAL="$(sec local-1 "            auth = pubkey
            certs = server.pem
            id = server.lanyard.test")$(sec local-2 "            auth = pubkey
            certs = other-server.pem
            id = server.lanyard.test")" \
INIT_REMOTE="$(sec remote-1 "            auth = pubkey
            id = server.lanyard.test
            cacerts = ca.pem")$(sec remote-2 "            auth = pubkey
            id = server.lanyard.test
            cacerts = other-ca.pem")" \
EXPECT_INIT="with pubkey successful \(responder round 2, RFC 4739\)" \
lanyard_case lanyard_two_responder_certs "$(sec remote "            auth = pubkey
            id = user@lanyard.test")" \
  "$(sec local "            auth = pubkey
            certs = client.pem
            id = user@lanyard.test")"
# lanyard-gateway on both ends, the responder's round relayed to Lanyard's
# RADIUS server; the initiator Naks MSCHAPv2 and gets EAP-MD5.
EXPECT_INIT="EAP method EAP-MD5 succeeded" \
lanyard_case lanyard_radius_md5 "$(sec remote "            auth = eap-radius")" \
  "$(sec local "            auth = eap-md5
            id = carol")"
# charon as the gateway with its eap-radius plugin, Lanyard's RADIUS server
# (lanyard-authenticator driver=none) as its back-end on loopback, and
# lanyard-gateway as the EAP peer (initiator).
# charon_radius_case NAME INIT_LOCAL_LINES
charon_radius_case() {
  local c=$1 init_local=$2 out
  lyd_case_begin "$c"
  if [ ! -x "$RADIUS_SERVER" ]; then lyd_skip "$c" "no lanyard-authenticator at $RADIUS_SERVER"; return; fi
  D=$LYD_WORK/$c
  mkdir -p "$D/i/x509ca"
  cp "$PKI_DIR/ca.pem" "$D/i/x509ca/"
  net_pair "$c" || { not_ok "$c" "namespaces"; return; }
  start_radius_server "$c-c" "$D" || { not_ok "$c" "RADIUS server: $(tail -1 "$D/radius.log")"; return; }
  sw_init "$D/sw" "${SW_LOAD} eap-radius" "plugins {" "    eap-radius {" "        servers {" "            lyd {" \
    "                address = 127.0.0.1" "                auth_port = $RADIUS_PORT" "                secret = $RADIUS_SECRET" \
    "            }" "        }" "    }" "}"
  cp "$PKI_DIR/server.pem" "$D/sw/x509/"; cp "$PKI_DIR/server.key" "$D/sw/private/"; cp "$PKI_DIR/ca.pem" "$D/sw/x509ca/"
  cat > "$D/sw/swanctl.conf" <<CONF
connections {
    rw {
        local_addrs = $C_ADDR
        proposals = aes128-sha256-x25519
        local {
            auth = pubkey
            certs = server.pem
            id = server.lanyard.test
        }
        remote {
            auth = eap-radius
            eap_id = %any
        }
        children {
            net {
                local_ts = 10.1.0.0/16
                esp_proposals = aes128gcm16
            }
        }
    }
}
CONF
  sw_start "$c-c" "$D/sw" || { not_ok "$c" "charon did not start"; return; }
  sw_load "$D/sw" | grep -q 'successfully loaded 1 connections' || { not_ok "$c" "swanctl --load-all failed"; return; }
  cat > "$D/i/init.conf" <<CONF
connections {
    gw {
        local_addrs = $G_ADDR
        remote_addrs = $C_ADDR
        proposals = aes128-sha256-x25519
        vips = 0.0.0.0
        local {
$init_local
        }
        remote {
            auth = pubkey
            id = server.lanyard.test
        }
    }
}
secrets {
    eap-carol {
        id = carol
        secret = "$EAP_SECRET"
    }
    eap-dave {
        id = dave
        secret = "$EAP_SECRET"
    }
}
CONF
  out=$(lyd_exec "$c-g" 30 "$GW" -c "$D/i/init.conf" --listen "$G_ADDR" --kernel none --initiate gw --exit-when-done -d -f "$D/init.log")
  if printf '%s' "$out" | grep -q '1 established, 0 failed' &&
     sw_ctl "$D/sw" --list-sas | grep -q 'rw: #[0-9]*, ESTABLISHED, IKEv2' &&
     grep -q "received RADIUS Access-Accept from server 'lyd'" "$D/sw/charon.log" &&
     grep -qE "RADIUS: 127.0.0.1 [a-z]+ [A-Z0-9]+ success" "$D/radius.log"; then
    ok "$c"
    echo "# $c: $(grep -m1 -oE 'RADIUS: 127.0.0.1 .*success' "$D/radius.log"); $(grep -m1 -o 'EAP method EAP-[A-Z0-9]* succeeded.*' "$D/init.log")"
  else
    not_ok "$c" "$out $(grep -m1 -E 'failed|refused' "$D/init.log") charon: $(grep -m1 -iE 'radius.*(fail|reject|timeout)|EAP.*fail' "$D/sw/charon.log")"
  fi
  lyd_case_end "$c"
  lyd_case_cleanup
}
charon_radius_case charon_radius_mschapv2 "            auth = eap-mschapv2
            id = carol"
charon_radius_case charon_radius_md5 "            auth = eap-md5
            id = dave"
lyd_finish
