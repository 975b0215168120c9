#!/bin/bash
# lanyard-gateway (IKEv2, --kernel none) against strongSwan charon 5.9.8:
# charon initiates to the Lanyard responder (PSK childless, PSK with a
# CHILD_SA, forced fragmentation, NAT-T on custom ports with the non-ESP
# marker, encap=yes, CHILD_SA and IKE_SA rekey, DPD both ways, terminate,
# wrong PSK), Lanyard initiates to charon, and Lanyard to Lanyard.
# CHILD_SAs stay out of the kernel on the Lanyard side (this host has no
# XFRM); charon keeps its half in kernel-libipsec.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/strongswan-charon.sh"
lyd_init ike_strongswan
GW=$LYD_BIN/lanyard-gateway
lyd_require "$GW" "$SW_CHARON" "$SW_SWANCTL" || exit 0
echo "# CHILD_SAs are not installed in a kernel on the Lanyard side (--kernel none: no XFRM on this host)"

PSK="interop s3cr3t"
C_ADDR=10.77.0.1   # charon
G_ADDR=10.77.0.2   # lanyard-gateway

# Two namespaces joined by a veth pair: $c-c (charon) and $c-g (gateway).
net_pair() {
  local c=$1
  lyd_netns "$c-c" "$c-g" || return 1
  lyd_veth "$c-c" eth0 "$(lyd_mac)" "$c-g" eth0 "$(lyd_mac)" || return 1
  ip -n "$(lyd_ns "$c-c")" addr add "$C_ADDR/24" dev eth0
  ip -n "$(lyd_ns "$c-g")" addr add "$G_ADDR/24" dev eth0
}

# swanctl.conf for the side at $1 (local address) talking to $2; extra
# lines for the connection body in $3, for the child in $4.
write_swanctl() {
  local file=$1 local_addr=$2 remote_addr=$3 local_id=$4 remote_id=$5 conn_extra=${6:-} child_extra=${7:-} secret=${8:-$PSK}
  cat > "$file" <<CONF
connections {
    gw {
        local_addrs = $local_addr
        remote_addrs = $remote_addr
        version = 2
        proposals = aes128-sha256-x25519
$conn_extra
        local {
            auth = psk
            id = $local_id
        }
        remote {
            auth = psk
            id = $remote_id
        }
        children {
            net {
                local_ts = dynamic
                remote_ts = 10.1.0.0/16
                esp_proposals = aes128gcm16
$child_extra
            }
        }
    }
}
secrets {
    ike-gw {
        id-a = carol@example.org
        id-b = moon.example.org
        secret = "$secret"
    }
}
CONF
}

# Responder config for lanyard-gateway (remote %any, local_ts the net);
# GW_CHILD_EXTRA adds lines to its child.
write_gw_conf() {
  local file=$1 conn_extra=${2:-} secret=${3:-$PSK}
  cat > "$file" <<CONF
connections {
    rw {
        local_addrs = $G_ADDR
        proposals = aes128-sha256-x25519, aes256gcm16-prfsha384-ecp384
$conn_extra
        local {
            auth = psk
            id = moon.example.org
        }
        remote {
            auth = psk
        }
        children {
            net {
                local_ts = 10.1.0.0/16,10.2.0.0/16
                esp_proposals = aes128gcm16, aes256-sha256
${GW_CHILD_EXTRA:-}
            }
        }
    }
}
secrets {
    ike-carol {
        id-a = carol@example.org
        id-b = moon.example.org
        secret = "$secret"
    }
}
CONF
}

# setup CASE GW_ARGS CHARON_CONN_EXTRA CHARON_CHILD_EXTRA GW_CONN_EXTRA CHARON_LINES GW_SECRET
setup() {
  local c=$1 gw_args=$2 c_extra=${3:-} c_child=${4:-} g_extra=${5:-} c_lines=${6:-} g_secret=${7:-$PSK}
  D=$LYD_WORK/$c
  mkdir -p "$D"
  net_pair "$c" || { not_ok "$c" "namespaces"; return 1; }
  write_gw_conf "$D/gw.conf" "$g_extra" "$g_secret"
  # shellcheck disable=SC2086
  run_bg "$c-g" "$D/gw.log" "$GW" -c "$D/gw.conf" --listen "$G_ADDR" --kernel none -d $gw_args > /dev/null
  GW_PID=$LYD_LAST_PID
  wait_for_log "$D/gw.log" 'listening on .*\(NAT-T\)' 5 || { not_ok "$c" "lanyard-gateway did not start: $(tail -1 "$D/gw.log")"; return 1; }
  if [ -n "$c_lines" ]; then sw_init "$D/sw" "$c_lines"; else sw_init "$D/sw"; fi
  write_swanctl "$D/sw/swanctl.conf" "$C_ADDR" "$G_ADDR" carol@example.org moon.example.org "$c_extra" "$c_child"
  sw_start "$c-c" "$D/sw" || { not_ok "$c" "charon did not start: $(grep -m1 -E 'failed|error' "$D/sw/charon.log")"; return 1; }
  sw_load "$D/sw" | grep -q 'successfully loaded 1 connections' || { not_ok "$c" "swanctl --load-all failed"; return 1; }
}

established_ike() { sw_ctl "$D/sw" --list-sas | grep -q 'gw: #[0-9]*, ESTABLISHED, IKEv2'; }

case_psk() {
  local c=psk
  lyd_case_begin $c
  setup $c "" || return
  local out
  out=$(sw_ctl "$D/sw" --initiate --ike gw)
  if ! printf '%s' "$out" | grep -q 'initiate completed successfully'; then
    not_ok $c "charon: $(printf '%s' "$out" | tail -1)"
  elif ! grep -q "IKE_SA rw\[[0-9]*\] established between $G_ADDR\[moon.example.org\]...$C_ADDR\[carol@example.org\]" "$D/gw.log"; then
    not_ok $c "no 'established' line in the gateway log"
  elif ! established_ike; then
    not_ok $c "charon lists no ESTABLISHED IKE_SA"
  else
    ok $c
  fi
  lyd_case_end $c
  # Same SA: CHILD_SA by CREATE_CHILD_SA, rekeys, DPD, terminate.
  c=psk_child_create
  out=$(sw_ctl "$D/sw" --initiate --child net)
  if printf '%s' "$out" | grep -q 'initiate completed successfully' &&
     grep -q 'CHILD_SA net{[0-9]*} established .*(kernel: none)' "$D/gw.log"; then ok $c
  else not_ok $c "CREATE_CHILD_SA for net failed: $(printf '%s' "$out" | tail -1)"; fi
  c=child_rekey
  out=$(sw_ctl "$D/sw" --rekey --child net)
  if printf '%s' "$out" | grep -q 'rekey completed successfully' &&
     wait_for_log "$D/gw.log" 'CHILD_SA net\{[0-9]*\} rekeyed' 5 &&
     wait_for_log "$D/gw.log" 'CHILD_SA net\{1\} deleted by peer' 5; then ok $c
  else not_ok $c "CHILD_SA rekey: $(printf '%s' "$out" | tail -1)"; fi
  c=ike_rekey
  out=$(sw_ctl "$D/sw" --rekey --ike gw)
  if printf '%s' "$out" | grep -q 'rekey completed successfully' &&
     wait_for_log "$D/gw.log" 'IKE_SA rw\[1\] rekeyed to rw\[2\]' 5 &&
     wait_for_log "$D/gw.log" 'IKE_SA rw\[1\] deleted by peer' 5 &&
     sw_ctl "$D/sw" --list-sas | grep -q 'net: #[0-9]*, reqid [0-9]*, INSTALLED'; then ok $c
  else not_ok $c "IKE_SA rekey: $(printf '%s' "$out" | tail -1)"; fi
  c=terminate
  out=$(sw_ctl "$D/sw" --terminate --ike gw)
  if printf '%s' "$out" | grep -q 'terminate completed successfully' &&
     wait_for_log "$D/gw.log" 'IKE_SA rw\[2\] deleted by peer' 5; then ok $c
  else not_ok $c "terminate: $(printf '%s' "$out" | tail -1)"; fi
  lyd_case_cleanup
}

case_child_in_auth() {
  local c=psk_child_auth out
  lyd_case_begin $c
  setup $c "" || return
  out=$(sw_ctl "$D/sw" --initiate --child net)
  if printf '%s' "$out" | grep -q 'initiate completed successfully' &&
     grep -q "CHILD_SA net{1} established with SPIs .* and TS 10.1.0.0/16 === $C_ADDR/32 (kernel: none)" "$D/gw.log"; then
    ok $c
  else
    not_ok $c "CHILD_SA in IKE_AUTH: $(printf '%s' "$out" | grep -E 'CHILD_SA|failed' | tail -1)"
  fi
  lyd_case_end $c
  lyd_case_cleanup
}

case_fragmentation() {
  local c=fragmentation out
  lyd_case_begin $c
  # charon fragments at 200 octets (IP datagram), Lanyard at 200 too.
  setup $c "" "        fragmentation = force" "" "        fragment_size = 200" "fragment_size = 200" || return
  out=$(sw_ctl "$D/sw" --initiate --child net)
  if printf '%s' "$out" | grep -q 'initiate completed successfully' &&
     grep -q 'split into [0-9]* fragments' "$D/gw.log" &&
     printf '%s' "$out" | grep -qE 'IKE_AUTH response 1 \[ EF\(1/[0-9]+\) \]|received fragment #1'; then
    ok $c
  else
    not_ok $c "fragmented IKE_AUTH failed ($(printf '%s' "$out" | grep -cE 'EF\(') fragments seen by charon)"
  fi
  lyd_case_end $c
  lyd_case_cleanup
}

case_natt_custom_ports() {
  local c=natt_ports out
  lyd_case_begin $c
  # Both sides off 500/4500: charon on 5600/5601 puts the non-ESP marker on
  # everything from IKE_SA_INIT on (it uses its NAT-T socket).
  setup $c "--port 5500 --port-nat-t 5501" "        remote_port = 5500" "" "" $'port = 5600\nport_nat_t = 5601' || return
  out=$(sw_ctl "$D/sw" --initiate --child net)
  if printf '%s' "$out" | grep -q 'initiate completed successfully' &&
     printf '%s' "$out" | grep -q "to $G_ADDR\[5500\]" &&
     grep -q 'CHILD_SA net{1} established' "$D/gw.log"; then
    ok $c
  else
    not_ok $c "custom ports with the non-ESP marker: $(printf '%s' "$out" | tail -1)"
  fi
  lyd_case_end $c
  lyd_case_cleanup
}

case_encap() {
  local c=encap_4500 out
  lyd_case_begin $c
  setup $c "" "        encap = yes" || return
  out=$(sw_ctl "$D/sw" --initiate --ike gw)
  if printf '%s' "$out" | grep -q 'initiate completed successfully' &&
     printf '%s' "$out" | grep -q "from $C_ADDR\[4500\] to $G_ADDR\[4500\]" &&
     grep -q 'NAT detected' "$D/gw.log"; then
    ok $c
  else
    not_ok $c "IKE_AUTH on 4500: $(printf '%s' "$out" | tail -1)"
  fi
  lyd_case_end $c
  lyd_case_cleanup
}

case_dpd() {
  local c=dpd_charon
  lyd_case_begin $c
  # charon probes after 2 s without traffic; the Lanyard responder answers.
  setup $c "" "        dpd_delay = 2s" || return
  sw_ctl "$D/sw" --initiate --ike gw > /dev/null
  if wait_for_log "$D/sw/charon.log" 'parsed INFORMATIONAL response [0-9]+ \[ \]' 10 && established_ike; then
    ok $c
  else
    not_ok $c "no answered DPD within 10 s"
  fi
  lyd_case_end $c
  lyd_case_cleanup
  c=dpd_lanyard
  lyd_case_begin $c
  # Lanyard probes after 2 s without traffic; charon answers.
  setup $c "" "" "" "        dpd_delay = 2s" || return
  sw_ctl "$D/sw" --initiate --ike gw > /dev/null
  if wait_for_log "$D/sw/charon.log" 'parsed INFORMATIONAL request 0 \[ \]' 10 &&
     wait_for_log "$D/sw/charon.log" 'parsed INFORMATIONAL request 1 \[ \]' 10 && established_ike; then
    ok $c
  else
    not_ok $c "charon saw no two DPD requests from Lanyard within 10 s"
  fi
  lyd_case_end $c
  lyd_case_cleanup
}

case_lanyard_rekeys() {
  local c=lanyard_rekeys
  lyd_case_begin $c
  # Lanyard's own schedule (rekey_time, rand_time 0): the responder
  # rekeys the CHILD_SA after 3 s and the IKE_SA after 6 s; charon (1 h/4 h
  # by default) only answers.
  GW_CHILD_EXTRA="                rekey_time = 3s
                rand_time = 0s" setup $c "" "" "" "        rekey_time = 6s
        rand_time = 0s" || return
  sw_ctl "$D/sw" --initiate --child net > /dev/null
  if wait_for_log "$D/gw.log" 'rekeying CHILD_SA [0-9a-f]*_i \(rekey_time\)' 6 &&
     wait_for_log "$D/gw.log" 'CHILD_SA net\{2\} established with SPIs' 5 &&
     wait_for_log "$D/gw.log" 'IKE_SA rw\[1\]: rekeying \(rekey_time\)' 6 &&
     wait_for_log "$D/sw/charon.log" 'parsed CREATE_CHILD_SA request [0-9]+ \[ SA No KE \]' 5 &&
     sleep 1 && sw_ctl "$D/sw" --list-sas | grep -q 'gw: #2, ESTABLISHED, IKEv2' &&
     sw_ctl "$D/sw" --list-sas | grep -q 'net: #[0-9]*, reqid [0-9]*, INSTALLED'; then
    ok $c
    echo "# $c: $(grep -m1 -o 'rekeying CHILD_SA.*' "$D/gw.log"); $(grep -m1 -o 'IKE_SA rw\[1\]: rekeying.*' "$D/gw.log")"
  else
    not_ok $c "gw: $(grep -E 'rekey' "$D/gw.log" | tail -2 | tr '\n' ' ') charon: $(sw_ctl "$D/sw" --list-sas | head -3 | tr '\n' ' ')"
  fi
  lyd_case_end $c
  lyd_case_cleanup
}

case_initial_contact() {
  local c=initial_contact
  lyd_case_begin $c
  # charon crashes (SIGKILL, no DELETE) and comes back: its new IKE_SA
  # carries INITIAL_CONTACT and replaces the old one on the gateway (§2.4).
  setup $c "" || return
  sw_ctl "$D/sw" --initiate --child net > /dev/null
  kill -KILL "$SW_PID" 2>/dev/null; wait "$SW_PID" 2>/dev/null
  mv "$D/sw/charon.log" "$D/sw/charon-1.log"
  sw_start "$c-c" "$D/sw" || { not_ok $c "charon did not restart"; return; }
  sw_load "$D/sw" > /dev/null
  sw_ctl "$D/sw" --initiate --child net > /dev/null
  if wait_for_log "$D/gw.log" "IKE_SA #1 of 'carol@example.org' replaced by #2 \\(INITIAL_CONTACT" 5 &&
     established_ike && [ "$(grep -c 'CHILD_SA net{[0-9]*} established' "$D/gw.log")" -eq 2 ] &&
     [ "$(sw_ctl "$D/sw" --list-sas | grep -c 'ESTABLISHED, IKEv2')" -eq 1 ]; then
    ok $c
    echo "# $c: $(grep -m1 -o 'IKE_SA #1 of .*' "$D/gw.log")"
  else
    not_ok $c "gw: $(grep -E 'replaced|established' "$D/gw.log" | tail -2 | tr '\n' ' ')"
  fi
  lyd_case_end $c
  lyd_case_cleanup
}

case_wrong_psk() {
  local c=wrong_psk out
  lyd_case_begin $c
  setup $c "" "" "" "" "" "not the same secret" || return
  out=$(sw_ctl "$D/sw" --initiate --ike gw)
  if printf '%s' "$out" | grep -q 'N(AUTH_FAILED)' && grep -q 'pre-shared key AUTH .* is wrong' "$D/gw.log"; then
    ok $c
  else
    not_ok $c "expected AUTHENTICATION_FAILED: $(printf '%s' "$out" | tail -1)"
  fi
  lyd_case_end $c
  lyd_case_cleanup
}

# Certificates from the test PKI (make pki): charon proves user@lanyard.test
# (email SAN) with CLIENT, Lanyard proves server.lanyard.test (DNS SAN)
# with SERVER; both trust ca.pem.
case_certs() {
  local c=$1 client=$2 server=$3 charon_line=${4:-} out
  lyd_case_begin $c
  if [ ! -f "$PKI_DIR/$client.pem" ] || [ ! -f "$PKI_DIR/$server.pem" ]; then
    not_ok $c "no $client/$server certificates in $PKI_DIR (run: make pki)"
    return
  fi
  D=$LYD_WORK/$c
  mkdir -p "$D/x509" "$D/x509ca" "$D/private"
  cp "$PKI_DIR/$server.pem" "$D/x509/"; cp "$PKI_DIR/$server.key" "$D/private/"; cp "$PKI_DIR/ca.pem" "$D/x509ca/"
  net_pair "$c" || { not_ok $c "namespaces"; return; }
  cat > "$D/gw.conf" <<CONF
connections {
    rw {
        local_addrs = $G_ADDR
        proposals = aes128-sha256-x25519, aes256-sha384-ecp384
        local {
            auth = pubkey
            certs = $server.pem
            id = server.lanyard.test
        }
        remote {
            auth = pubkey
            cacerts = ca.pem
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
  run_bg "$c-g" "$D/gw.log" "$GW" -c "$D/gw.conf" --listen "$G_ADDR" --kernel none -d > /dev/null
  wait_for_log "$D/gw.log" 'listening on .*\(NAT-T\)' 5 || { not_ok $c "gateway: $(head -1 "$D/gw.log")"; return; }
  if [ -n "$charon_line" ]; then sw_init "$D/sw" "$charon_line"; else sw_init "$D/sw"; fi
  cp "$PKI_DIR/$client.pem" "$D/sw/x509/"; cp "$PKI_DIR/$client.key" "$D/sw/private/"; cp "$PKI_DIR/ca.pem" "$D/sw/x509ca/"
  cat > "$D/sw/swanctl.conf" <<CONF
connections {
    gw {
        local_addrs = $C_ADDR
        remote_addrs = $G_ADDR
        version = 2
        proposals = aes128-sha256-x25519
        local {
            auth = pubkey
            certs = $client.pem
            id = user@lanyard.test
        }
        remote {
            auth = pubkey
            id = server.lanyard.test
        }
        children {
            net {
                remote_ts = 10.1.0.0/16
                esp_proposals = aes128gcm16
            }
        }
    }
}
CONF
  sw_start "$c-c" "$D/sw" || { not_ok $c "charon did not start"; return; }
  sw_load "$D/sw" | grep -q 'successfully loaded 1 connections' || { not_ok $c "swanctl --load-all failed"; return; }
  out=$(sw_ctl "$D/sw" --initiate --child net)
  if printf '%s' "$out" | grep -q 'initiate completed successfully' &&
     printf '%s' "$out" | grep -q "authentication of 'server.lanyard.test' with .* successful" &&
     grep -q "certificate 'O=Lanyard test, CN=user@lanyard.test' of 'user@lanyard.test' verified" "$D/gw.log"; then
    ok $c
    echo "# $c: $(printf '%s' "$out" | grep -o "authentication of 'server.lanyard.test' with .* successful" | head -1)"
  else
    not_ok $c "$(printf '%s' "$out" | grep -E 'failed|AUTH_FAILED|constraint' | head -1) $(grep -m1 'failed' "$D/gw.log")"
  fi
  lyd_case_end $c
  lyd_case_cleanup
}

# Lanyard initiates, charon responds. kernel-libipsec cannot route a
# selector holding the peer's own IKE address, so Lanyard asks for a
# virtual IP (configuration payload) and its TSi becomes that address.
case_lanyard_to_charon() {
  local c=lanyard_init out
  lyd_case_begin $c
  D=$LYD_WORK/$c
  mkdir -p "$D"
  net_pair "$c" || { not_ok $c "namespaces"; return; }
  # charon's kernel-libipsec routes the protected net from an address in it.
  ip -n "$(lyd_ns "$c-c")" addr add 10.1.0.1/16 dev lo
  sw_init "$D/sw"
  write_swanctl "$D/sw/swanctl.conf" "$C_ADDR" "%any" moon.example.org "%any" "        pools = p"
  sed -i 's/remote_ts = 10.1.0.0\/16/remote_ts = dynamic/; s/local_ts = dynamic/local_ts = 10.1.0.0\/16/' "$D/sw/swanctl.conf"
  printf 'pools {\n    p {\n        addrs = 10.3.0.0/28\n        dns = 10.3.0.53\n    }\n}\n' >> "$D/sw/swanctl.conf"
  sw_start "$c-c" "$D/sw" || { not_ok $c "charon did not start"; return; }
  sw_load "$D/sw" > /dev/null
  write_swanctl "$D/init.conf" "$G_ADDR" "$C_ADDR" carol@example.org moon.example.org "        vips = 0.0.0.0"
  out=$(lyd_exec "$c-g" 20 "$GW" -c "$D/init.conf" --listen "$G_ADDR" --initiate gw/net --exit-when-done -f "$D/init.log")
  if printf '%s' "$out" | grep -q '1 established, 0 failed' &&
     grep -q 'virtual IP 10.3.0.1 assigned by the peer' "$D/init.log" &&
     grep -q 'CHILD_SA net{1} established .* TS 10.3.0.1/32 === 10.1.0.0/16 (kernel: none)' "$D/init.log" &&
     sw_ctl "$D/sw" --list-sas | grep -q 'net: #1, reqid 1, INSTALLED'; then
    ok $c
  else
    not_ok $c "Lanyard initiator: $out $(grep -m1 -E 'failed|refused|not established' "$D/init.log")"
  fi
  lyd_case_end $c
  lyd_case_cleanup
}

# charon asks the Lanyard responder for a virtual IP from a pool.
case_vip_pool() {
  local c=vip_pool out
  lyd_case_begin $c
  setup $c "" "        vips = 0.0.0.0" "" "        pools = rw" || return
  printf 'pools {\n    rw {\n        addrs = 10.4.0.0/28\n        dns = 10.4.0.53\n    }\n}\n' >> "$D/gw.conf"
  lyd_term_wait_kill "$GW_PID"
  run_bg "$c-g" "$D/gw2.log" "$GW" -c "$D/gw.conf" --listen "$G_ADDR" --kernel none -d > /dev/null
  wait_for_log "$D/gw2.log" 'listening on .*\(NAT-T\)' 5 || { not_ok $c "gateway restart: $(head -1 "$D/gw2.log")"; return; }
  out=$(sw_ctl "$D/sw" --initiate --child net)
  if printf '%s' "$out" | grep -q 'installing DNS server 10.4.0.53\|handling INTERNAL_IP4_DNS attribute' &&
     printf '%s' "$out" | grep -q 'installing new virtual IP 10.4.0.1' &&
     grep -q "assigning virtual IP 10.4.0.1 to 'carol@example.org'" "$D/gw2.log" &&
     grep -q 'CHILD_SA net{1} established .* TS 10.1.0.0/16 === 10.4.0.1/32 (kernel: none)' "$D/gw2.log"; then
    ok $c
  else
    not_ok $c "virtual IP: $(printf '%s' "$out" | grep -iE 'virtual|failed' | tail -1)"
  fi
  lyd_case_end $c
  lyd_case_cleanup
}

# Lanyard to Lanyard across the veth pair, 200 IKE_SAs with a CHILD_SA each.
case_lanyard_pair() {
  local c=lanyard_pair out
  lyd_case_begin $c
  D=$LYD_WORK/$c
  mkdir -p "$D"
  net_pair "$c" || { not_ok $c "namespaces"; return; }
  write_gw_conf "$D/gw.conf"
  run_bg "$c-g" "$D/gw.log" "$GW" -c "$D/gw.conf" --listen "$G_ADDR" --kernel none > /dev/null
  wait_for_log "$D/gw.log" 'listening on .*\(NAT-T\)' 5 || { not_ok $c "gateway did not start"; return; }
  write_swanctl "$D/init.conf" "$C_ADDR" "$G_ADDR" carol@example.org moon.example.org
  out=$(lyd_exec "$c-c" 60 "$GW" -c "$D/init.conf" --listen "$C_ADDR" --initiate gw/net --count 200 --concurrency 8 \
        --delete-after --exit-when-done -f "$D/init.log")
  echo "# $out"
  if printf '%s' "$out" | grep -q 'initiated 200 IKE_SAs: 200 established, 0 failed'; then ok $c
  else not_ok $c "$out"; fi
  lyd_case_end $c
  lyd_case_cleanup
}

case_psk
case_child_in_auth
case_fragmentation
case_natt_custom_ports
case_encap
case_dpd
case_lanyard_rekeys
case_initial_contact
case_wrong_psk
case_vip_pool
case_certs rsa_certs client server
case_certs ecdsa_certs ec-client ec-server
# charon without RFC 7427: classic AUTH methods 1 (RSA) and 9 (ECDSA P-256)
case_certs rsa_classic client server 'signature_authentication = no'
case_certs ecdsa_classic ec-client ec-server 'signature_authentication = no'
case_lanyard_to_charon
case_lanyard_pair
lyd_finish
