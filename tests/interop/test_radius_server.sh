#!/bin/bash
# Lanyard's RADIUS server (lanyard-authenticator driver=none, hostapd's
# radius_server_clients / radius_server_auth_port keys) against Debian's
# eapol_test and against Debian's hostapd as the NAS, on loopback inside a
# namespace of the test's own.
# Cases: eapol_tls, eapol_peap (-r 3: resumed, MPPE keys OK), eapol_md5,
# wrong_secret (no answer accepted, drop counted), malformed (garbage is
# dropped and counted, service goes on), nas_tls and nas_peap (hostapd
# driver=wired as the NAS in front, lanyard-supplicant behind it).
source "$(dirname "$0")/lib.sh"
lyd_init radius_srv
LYD_AUTH=$LYD_BIN/lanyard-authenticator
LYD_SUPP=$LYD_BIN/lanyard-supplicant
if ! lyd_require "$REF_EAPOL_TEST" "$REF_HOSTAPD" "$LYD_AUTH" "$LYD_SUPP"; then
  lyd_skip radius_srv "eapol_test, hostapd or the Lanyard daemons missing"
  lyd_finish
fi

PORT=18120
SECRET=lanyard-radius-secret

# start_server CASE NS: lanyard-authenticator driver=none in namespace NS.
# Sets SRV_LOG SRV_PID.
start_server() {
  local c=$1 ns=$2
  write_radius_server_conf "$LYD_WORK/$c-server.conf" "$PORT" "$SECRET"
  SRV_LOG=$LYD_WORK/$c-server.log
  run_bg "$ns" "$SRV_LOG" "$LYD_AUTH" -d -t "$LYD_WORK/$c-server.conf" > /dev/null
  SRV_PID=$LYD_LAST_PID
  wait_for_log "$SRV_LOG" 'RADIUS server listening' 10 || { not_ok "$c" "server did not start: $(tail -2 "$SRV_LOG")"; return 1; }
}

# stop_server: SIGTERM, wait, so the stats line is written.
stop_server() {
  kill -TERM "$SRV_PID" 2> /dev/null
  wait_pid_exit "$SRV_PID" 5
}

# eapol_conf FILE METHOD: eapol_test's network block (the wired presets).
eapol_conf() {
  local file=$1 method=$2 tmp
  tmp=$(mktemp -p "$LYD_WORK")
  write_wpa_supplicant_conf "$tmp" "$LYD_WORK/unused" "$method"
  grep -v '^ctrl_interface=\|^ap_scan=\|^eapol_version=' "$tmp" > "$file"
  rm -f "$tmp"
}

# case_eapol CASE METHOD REAUTHS: eapol_test against our server.
case_eapol() {
  local c=$1 method=$2 reauths=$3
  lyd_case_begin "$c"
  lyd_netns "$c" || { not_ok "$c" "cannot create namespace"; return; }
  if start_server "$c" "$c"; then
    eapol_conf "$LYD_WORK/$c-eapol.conf" "$method"
    local out=$LYD_WORK/$c-eapol_test.log nokeys=""
    [ "$method" = MD5 ] && nokeys=-n
    lyd_exec "$c" 60 "$REF_EAPOL_TEST" -c "$LYD_WORK/$c-eapol.conf" -a 127.0.0.1 -p "$PORT" -s "$SECRET" \
      -r "$reauths" -t 10 $nokeys > "$out" 2>&1
    local rc=$? fails=""
    [ "$rc" -eq 0 ] || fails="$fails; eapol_test exit $rc"
    [ "$(tail -1 "$out")" = SUCCESS ] || fails="$fails; last line is not SUCCESS"
    if [ -z "$nokeys" ]; then
      grep -q "^MPPE keys OK: $((reauths + 1))  mismatch: 0" "$out" ||
        fails="$fails; $(grep -m1 '^MPPE keys' "$out" || echo 'no MPPE line')"
      local resumed
      resumed=$(grep -c 'Handshake finished - resumed=1' "$out")
      [ "$resumed" -eq "$reauths" ] || fails="$fails; $resumed of $reauths reauthentications resumed"
    fi
    stop_server
    local srv_ok
    srv_ok=$(grep -c "RADIUS: 127.0.0.1 .* success" "$SRV_LOG")
    [ "$srv_ok" -eq $((reauths + 1)) ] || fails="$fails; server logged $srv_ok successes"
    echo "# $c: $(grep -E 'RADIUS: .* success' "$SRV_LOG" | sed 's/.*radius-server: //' | tr '\n' ';')"
    if [ -z "$fails" ]; then ok "$c"; else not_ok "$c" "${fails#; }"; fi
  fi
  lyd_case_end "$c"
  lyd_case_cleanup
}

case_wrong_secret() {
  local c=wrong_secret
  lyd_case_begin "$c"
  lyd_netns "$c" || { not_ok "$c" "cannot create namespace"; return; }
  if start_server "$c" "$c"; then
    eapol_conf "$LYD_WORK/$c-eapol.conf" MD5
    lyd_exec "$c" 30 "$REF_EAPOL_TEST" -c "$LYD_WORK/$c-eapol.conf" -a 127.0.0.1 -p "$PORT" -s not-the-secret \
      -t 3 -n > "$LYD_WORK/$c-eapol_test.log" 2>&1
    local rc=$?
    stop_server
    if [ "$rc" -eq 0 ] || grep -q '^SUCCESS' "$LYD_WORK/$c-eapol_test.log"; then
      not_ok "$c" "eapol_test succeeded with a wrong secret"
    elif ! grep -Eq 'stats: requests=0 .*\[bad authenticator=[1-9]' "$SRV_LOG"; then
      not_ok "$c" "the server did not count the drop: $(grep 'stats:' "$SRV_LOG")"
    else
      echo "# $c: $(grep 'stats:' "$SRV_LOG" | sed 's/.*radius-server: //')"
      ok "$c"
    fi
  fi
  lyd_case_end "$c"
  lyd_case_cleanup
}

case_malformed() {
  local c=malformed
  lyd_case_begin "$c"
  lyd_netns "$c" || { not_ok "$c" "cannot create namespace"; return; }
  if start_server "$c" "$c"; then
    # A header that claims more than it has, an attribute overrunning its
    # packet, and a datagram too short for a header.
    local junk
    for junk in '\x01\x07\x10\x00AAAAAAAAAAAAAAAA' '\x01\x08\x00\x18BBBBBBBBBBBBBBBB\x50\x09ab' '\x01\x02'; do
      lyd_exec "$c" 5 bash -c "printf '$junk' > /dev/udp/127.0.0.1/$PORT"
    done
    sleep 0.3
    # Still serving.
    eapol_conf "$LYD_WORK/$c-eapol.conf" MD5
    lyd_exec "$c" 30 "$REF_EAPOL_TEST" -c "$LYD_WORK/$c-eapol.conf" -a 127.0.0.1 -p "$PORT" -s "$SECRET" \
      -t 5 -n > "$LYD_WORK/$c-eapol_test.log" 2>&1
    local rc=$?
    stop_server
    if [ "$rc" -ne 0 ]; then
      not_ok "$c" "eapol_test failed after the malformed datagrams"
    elif ! grep -Eq 'stats: .*\[malformed=3\]' "$SRV_LOG"; then
      not_ok "$c" "three malformed datagrams not counted: $(grep 'stats:' "$SRV_LOG")"
    else
      echo "# $c: $(grep 'stats:' "$SRV_LOG" | sed 's/.*radius-server: //')"
      ok "$c"
    fi
  fi
  lyd_case_end "$c"
  lyd_case_cleanup
}

# case_nas CASE METHOD: lanyard-supplicant -> hostapd (wired NAS, RADIUS
# client) -> our RADIUS server, then a reauthentication that resumes.
case_nas() {
  local c=$1 method=$2
  lyd_case_begin "$c"
  lyd_netns "$c-ap" "$c-sta" || { not_ok "$c" "cannot create namespaces"; return; }
  local ap_mac sta_mac
  ap_mac=$(lyd_mac)
  sta_mac=$(lyd_mac)
  lyd_veth "$c-ap" eth0 "$ap_mac" "$c-sta" eth0 "$sta_mac" || { not_ok "$c" "cannot create veth"; return; }
  if start_server "$c" "$c-ap"; then
    local hapd_dir=$LYD_WORK/$c-hostapd hapd_log=$LYD_WORK/$c-hostapd.log
    {
      echo "interface=eth0"
      echo "driver=wired"
      echo "ctrl_interface=$hapd_dir"
      echo "ieee8021x=1"
      echo "eapol_version=2"
      echo "use_pae_group_addr=1"
      echo "eap_server=0"
      echo "own_ip_addr=127.0.0.1"
      echo "nas_identifier=lanyard-test-nas"
      echo "auth_server_addr=127.0.0.1"
      echo "auth_server_port=$PORT"
      echo "auth_server_shared_secret=$SECRET"
    } > "$LYD_WORK/$c-hostapd.conf"
    run_bg "$c-ap" "$hapd_log" "$REF_HOSTAPD" -dd -t "$LYD_WORK/$c-hostapd.conf" > /dev/null
    if ! wait_for_log "$hapd_log" 'eth0: AP-ENABLED' 10; then
      not_ok "$c" "hostapd did not start"
    else
      local supp_log=$LYD_WORK/$c-supp.log
      write_wpa_supplicant_conf "$LYD_WORK/$c-supp.conf" "$LYD_WORK/$c-supp" "$method"
      run_bg "$c-sta" "$LYD_WORK/$c-supp.stderr" "$LYD_SUPP" -D wired -i eth0 -c "$LYD_WORK/$c-supp.conf" \
        -d -t -f "$supp_log" > /dev/null
      local fails=""
      if ! wait_for_log "$supp_log" 'CTRL-EVENT-EAP-SUCCESS' 20; then
        fails="$fails; no CTRL-EVENT-EAP-SUCCESS"
      elif ! wait_for_log "$hapd_log" "STA $sta_mac IEEE 802.1X: authorizing port" 5; then
        fails="$fails; hostapd did not authorize the port"
      elif [ "$(hostapd_cli_ns "$hapd_dir" eth0 raw EAPOL_REAUTH "$sta_mac")" != OK ]; then
        fails="$fails; EAPOL_REAUTH refused"
      elif ! wait_for_cmd 15 '^2$' grep -c 'CTRL-EVENT-EAP-SUCCESS' "$supp_log"; then
        fails="$fails; no second success after EAPOL_REAUTH"
      elif ! grep -E 'EAP: .* completed' "$supp_log" | tail -1 | grep -q 'resumed=1'; then
        fails="$fails; the reauthentication did not resume"
      fi
      # hostapd took the MSK from our MS-MPPE keys: it says so when it cannot.
      grep -q 'could not get keys\|Failed to decrypt MPPE key' "$hapd_log" &&
        fails="$fails; hostapd could not read our MS-MPPE keys"
      grep -q 'Vendor-Specific' "$hapd_log" || fails="$fails; hostapd log shows no Vendor-Specific (MPPE) attribute"
      stop_server
      echo "# $c: $(grep -E 'RADIUS: .* (success|failure)' "$SRV_LOG" | sed 's/.*radius-server: //' | tr '\n' ';')"
      if [ -z "$fails" ]; then ok "$c"; else not_ok "$c" "${fails#; }"; fi
    fi
  fi
  lyd_case_end "$c"
  lyd_case_cleanup
}

case_eapol eapol_tls TLS 3
case_eapol eapol_peap PEAP 3
case_eapol eapol_md5 MD5 0
case_wrong_secret
case_malformed
case_nas nas_tls TLS
case_nas nas_peap PEAP
lyd_finish
