#!/bin/bash
# Debian's wpa_supplicant (-D wired) in one namespace against
# lanyard-authenticator (driver=wired, integrated EAP server) in the other,
# with the same hostapd.conf / eap_user files Debian's hostapd runs
# (lib.sh writers). Debian's hostapd_cli talks to our control socket.
# Cases: tls, md5 (success; hostapd_cli sta/all_sta/status/raw EAPOL_REAUTH,
# --pcap decoded by tshark, SIGTERM cleanup), tls_untrusted_server,
# md5_bad_password, unknown_user (failure on both ends, port closed),
# logoff (AP-STA-DISCONNECTED), reauth_resume (eap_reauth_period=5 with
# tls_session_lifetime=3600: second success on both sides, resumed=1),
# config_errors (file:line:key messages, non-zero exit), and ref_timing
# (the same EAP-TLS against Debian's hostapd, for the timing comparison).
source "$(dirname "$0")/lib.sh"
lyd_init hapd_compat_auth
AUTHD=$LYD_BIN/lanyard-authenticator
if ! lyd_require "$AUTHD" "$REF_WPA_SUPPLICANT" "$REF_WPA_CLI" "$REF_HOSTAPD_CLI"; then
  lyd_skip hostapd_compat_authenticator "lanyard-authenticator or Debian's wpa_supplicant/hostapd_cli missing"
  lyd_finish
fi

AUTH_TIMEOUT=20

# start_pair CASE METHOD [hostapd.conf extra lines...]
# Sets AP_MAC STA_MAC AP_DIR WPAS_DIR AP_LOG WPAS_LOG AP_PID AP_PIDFILE PCAP
# T_START. With REF=1 runs Debian's hostapd instead of ours.
start_pair() {
  local c=$1 method=$2
  shift 2
  lyd_netns "$c-ap" "$c-sta" || { not_ok "$c" "cannot create namespaces"; return 1; }
  AP_MAC=$(lyd_mac)
  STA_MAC=$(lyd_mac)
  lyd_veth "$c-ap" eth0 "$AP_MAC" "$c-sta" eth0 "$STA_MAC" || { not_ok "$c" "cannot create veth"; return 1; }
  AP_DIR=$LYD_WORK/$c-ap
  WPAS_DIR=$LYD_WORK/$c-wpas
  AP_LOG=$LYD_WORK/$c-ap.log
  WPAS_LOG=$LYD_WORK/$c-wpas.log
  AP_PIDFILE=$LYD_WORK/$c-ap.pid
  PCAP=$LYD_WORK/$c.pcap
  write_eap_user "$LYD_WORK/$c.eap_user"
  write_hostapd_conf "$LYD_WORK/$c-hostapd.conf" eth0 "$AP_DIR" "$LYD_WORK/$c.eap_user" "$@"
  write_wpa_supplicant_conf "$LYD_WORK/$c-wpas.conf" "$WPAS_DIR" "$method" ${WPAS_EXTRA:+"$WPAS_EXTRA"}
  if [ "${REF:-0}" = 1 ]; then
    run_bg "$c-ap" "$AP_LOG" "$REF_HOSTAPD" -dd -t "$LYD_WORK/$c-hostapd.conf" > /dev/null
  else
    run_bg "$c-ap" "$AP_LOG" "$AUTHD" -dd -t -P "$AP_PIDFILE" --pcap "$PCAP" "$LYD_WORK/$c-hostapd.conf" > /dev/null
  fi
  AP_PID=$LYD_LAST_PID
  if ! wait_for_log "$AP_LOG" 'eth0: AP-ENABLED' 10; then
    not_ok "$c" "authenticator did not reach AP-ENABLED: $(tail -3 "$AP_LOG" | tr '\n' ' ')"
    return 1
  fi
  T_START=$(lyd_now_ms)
  run_bg "$c-sta" "$WPAS_LOG" "$REF_WPA_SUPPLICANT" -dd -t -D wired -i eth0 -c "$LYD_WORK/$c-wpas.conf" > /dev/null
}

eap_ms() { lyd_log_ms_between "$WPAS_LOG" 'CTRL-EVENT-EAP-STARTED' 'CTRL-EVENT-EAP-SUCCESS'; }

# The success checks on both ends and through Debian's hostapd_cli.
expect_success() {
  local c=$1 method_re=$2 method_name=$3
  if ! wait_for_log "$WPAS_LOG" 'CTRL-EVENT-EAP-SUCCESS' "$AUTH_TIMEOUT"; then
    not_ok "$c" "no CTRL-EVENT-EAP-SUCCESS from wpa_supplicant in ${AUTH_TIMEOUT}s"
    return 1
  fi
  echo "# $c: EAP exchange $(eap_ms) ms in wpa_supplicant's log (EAP-STARTED -> EAP-SUCCESS)"
  if ! wait_for_cmd 5 'suppPortStatus=Authorized' wpa_cli_ns "$WPAS_DIR" eth0 status; then
    not_ok "$c" "wpa_cli status never showed suppPortStatus=Authorized"
    return 1
  fi
  if ! grep -Eq "^selectedMethod=$method_re" <<< "$LYD_LAST_OUTPUT"; then
    not_ok "$c" "wpa_cli status: unexpected method: $(tr '\n' ' ' <<< "$LYD_LAST_OUTPUT")"
    return 1
  fi
  if ! wait_for_log "$AP_LOG" "eth0: AP-STA-CONNECTED $STA_MAC" 5 ||
     ! wait_for_log "$AP_LOG" "eth0: CTRL-EVENT-EAP-SUCCESS $STA_MAC" 5; then
    not_ok "$c" "our log does not show CTRL-EVENT-EAP-SUCCESS / AP-STA-CONNECTED $STA_MAC"
    return 1
  fi
  if ! grep -Eq "EAP: $STA_MAC $method_name completed: rounds=[0-9]+ time=[0-9]+ms resumed=0" "$AP_LOG"; then
    not_ok "$c" "no timeline line 'EAP: $STA_MAC $method_name completed ...' in our log"
    return 1
  fi
  grep -E "EAP: $STA_MAC $method_name completed" "$AP_LOG" | head -1 | sed 's/^/# /'
  local sta all st
  sta=$(hostapd_cli_ns "$AP_DIR" eth0 sta "$STA_MAC")
  all=$(hostapd_cli_ns "$AP_DIR" eth0 all_sta)
  st=$(hostapd_cli_ns "$AP_DIR" eth0 status)
  echo "$sta" > "$LYD_WORK/$c-hostapd_cli-sta.txt"
  echo "$all" > "$LYD_WORK/$c-hostapd_cli-all_sta.txt"
  echo "$st" > "$LYD_WORK/$c-hostapd_cli-status.txt"
  if [ "$(head -1 <<< "$sta")" != "$STA_MAC" ] || ! grep -q '^flags=\[AUTHORIZED\]' <<< "$sta" ||
     ! grep -q '^dot1xAuthAuthControlledPortStatus=1$' <<< "$sta"; then
    not_ok "$c" "hostapd_cli sta: $(tr '\n' ' ' <<< "$sta" | cut -c1-200)"
    return 1
  fi
  if [ "$(head -1 <<< "$all")" != "$STA_MAC" ] || ! grep -q '^flags=\[AUTHORIZED\]' <<< "$all"; then
    not_ok "$c" "hostapd_cli all_sta: $(tr '\n' ' ' <<< "$all" | cut -c1-200)"
    return 1
  fi
  if ! grep -q '^state=ENABLED$' <<< "$st" || ! grep -q '^num_sta\[0\]=1$' <<< "$st"; then
    not_ok "$c" "hostapd_cli status: $(tr '\n' ' ' <<< "$st" | cut -c1-200)"
    return 1
  fi
  return 0
}

# Stops our daemon with SIGTERM: pid file and control socket must go away.
expect_clean_shutdown() {
  local c=$1
  kill -TERM "$AP_PID" 2>/dev/null
  if ! wait_pid_exit "$AP_PID" 5; then
    not_ok "$c" "lanyard-authenticator did not exit within 5 s of SIGTERM"
    return 1
  fi
  wait "$AP_PID" 2>/dev/null
  local rc=$?
  if [ "$rc" -ne 0 ]; then not_ok "$c" "exit status $rc after SIGTERM"; return 1; fi
  if [ -e "$AP_PIDFILE" ] || [ -e "$AP_DIR/eth0" ]; then
    not_ok "$c" "pid file or control socket left behind after SIGTERM"
    return 1
  fi
  return 0
}

# --pcap: every frame decodes as EAPOL/EAP, nothing malformed.
expect_clean_pcap() {
  local c=$1
  command -v tshark > /dev/null || { echo "# $c: tshark missing, pcap not decoded"; return 0; }
  local out frames eap bad
  # One line per frame: its protocol stack, e.g. eth:ethertype:eapol:eap:tls.
  out=$(timeout 30 tshark -r "$PCAP" -T fields -e frame.protocols 2> /dev/null)
  frames=$(grep -c . <<< "$out")
  eap=$(grep -c ':eapol' <<< "$out")
  bad=$(grep -ci 'malformed' <<< "$out")
  if [ "$frames" -lt 4 ] || [ "$eap" -ne "$frames" ] || [ "$bad" -ne 0 ]; then
    not_ok "$c" "pcap: $frames frames, $eap EAPOL, $bad malformed"
    return 1
  fi
  echo "# $c: pcap holds $frames EAPOL frames, none malformed"
  return 0
}

case_tls() {
  local c=tls
  lyd_case_begin $c
  if start_pair $c TLS && expect_success $c '13 \(EAP-TLS\)' TLS && expect_clean_shutdown $c &&
     expect_clean_pcap $c; then
    TLS_MS_LANYARD=$(eap_ms)
    ok $c
  fi
  lyd_case_end $c
  lyd_case_cleanup
}

case_md5() {
  local c=md5
  lyd_case_begin $c
  if start_pair $c MD5 && expect_success $c '4 \(EAP-MD5\)' MD5; then
    # An interactive hostapd_cli ATTACHes and must see our "<3>..." events.
    local reply hmon=$LYD_WORK/$c-hostapd_cli-monitor.txt
    run_bg "$c-ap" "$hmon" bash -c "sleep 15 | exec stdbuf -oL '$REF_HOSTAPD_CLI' -p '$AP_DIR' -i eth0" > /dev/null
    sleep 1
    reply=$(hostapd_cli_ns "$AP_DIR" eth0 raw EAPOL_REAUTH "$STA_MAC")
    if [ "$reply" != OK ]; then
      not_ok $c "EAPOL_REAUTH replied '$reply'"
    elif ! wait_for_log "$hmon" "<3>CTRL-EVENT-EAP-SUCCESS $STA_MAC" 10; then
      not_ok $c "hostapd_cli monitor saw no <3>CTRL-EVENT-EAP-SUCCESS $STA_MAC"
    elif ! wait_for_cmd 10 '2' bash -c "grep -c 'CTRL-EVENT-EAP-SUCCESS' '$WPAS_LOG'"; then
      not_ok $c "no second CTRL-EVENT-EAP-SUCCESS after EAPOL_REAUTH"
    elif [ "$(grep -c "eth0: CTRL-EVENT-EAP-SUCCESS $STA_MAC" "$AP_LOG")" -lt 2 ]; then
      not_ok $c "our log shows no second CTRL-EVENT-EAP-SUCCESS after EAPOL_REAUTH"
    elif [ "$(hostapd_cli_ns "$AP_DIR" eth0 raw STA-NEXT "$STA_MAC" | grep -c .)" -ne 0 ]; then
      not_ok $c "STA-NEXT of the last station is not empty"
    elif ! expect_clean_shutdown $c; then
      :
    else
      ok $c
    fi
  fi
  lyd_case_end $c
  lyd_case_cleanup
}

# Failure on both ends; the port stays unauthorized.
case_failure() {  # CASE METHOD [hostapd extra lines]
  local c=$1 method=$2
  shift 2
  lyd_case_begin "$c"
  if start_pair "$c" "$method" "$@"; then
    if ! wait_for_log "$WPAS_LOG" 'CTRL-EVENT-EAP-FAILURE' "$AUTH_TIMEOUT"; then
      not_ok "$c" "no CTRL-EVENT-EAP-FAILURE from wpa_supplicant in ${AUTH_TIMEOUT}s"
    elif grep -q 'CTRL-EVENT-EAP-SUCCESS' "$WPAS_LOG"; then
      not_ok "$c" "wpa_supplicant reported success"
    elif ! wait_for_log "$AP_LOG" "eth0: CTRL-EVENT-EAP-FAILURE $STA_MAC" 5; then
      not_ok "$c" "our log has no CTRL-EVENT-EAP-FAILURE $STA_MAC"
    elif grep -q "AP-STA-CONNECTED $STA_MAC" "$AP_LOG"; then
      not_ok "$c" "we reported AP-STA-CONNECTED"
    elif ! hostapd_cli_ns "$AP_DIR" eth0 sta "$STA_MAC" | grep -q '^dot1xAuthAuthControlledPortStatus=2$'; then
      not_ok "$c" "hostapd_cli sta does not show the port unauthorized"
    elif hostapd_cli_ns "$AP_DIR" eth0 sta "$STA_MAC" | grep -q 'AUTHORIZED'; then
      not_ok "$c" "hostapd_cli sta shows the station authorized"
    else
      grep -E "EAP: $STA_MAC .* failed" "$AP_LOG" | head -1 | sed 's/^/# /'
      ok "$c"
    fi
  fi
  lyd_case_end "$c"
  lyd_case_cleanup
}

case_logoff() {
  local c=logoff
  lyd_case_begin $c
  if start_pair $c MD5 && expect_success $c '4 \(EAP-MD5\)' MD5; then
    wpa_cli_ns "$WPAS_DIR" eth0 logoff > /dev/null
    if ! wait_for_log "$AP_LOG" "eth0: AP-STA-DISCONNECTED $STA_MAC" 5; then
      not_ok $c "no AP-STA-DISCONNECTED $STA_MAC after wpa_cli logoff"
    elif hostapd_cli_ns "$AP_DIR" eth0 sta "$STA_MAC" | grep -q 'AUTHORIZED'; then
      not_ok $c "station still authorized after logoff"
    else
      ok $c
    fi
  fi
  lyd_case_end $c
  lyd_case_cleanup
}

case_reauth_resume() {
  local c=reauth_resume
  lyd_case_begin $c
  if start_pair $c TLS "eap_reauth_period=5" "tls_session_lifetime=3600" &&
     expect_success $c '13 \(EAP-TLS\)' TLS; then
    if ! wait_for_cmd 15 '^2$' bash -c "grep -c 'CTRL-EVENT-EAP-SUCCESS' '$WPAS_LOG'"; then
      not_ok $c "wpa_supplicant saw no second CTRL-EVENT-EAP-SUCCESS (eap_reauth_period=5)"
    elif ! wait_for_log "$AP_LOG" "EAP: $STA_MAC TLS completed: .*resumed=1" 5; then
      not_ok $c "our timeline shows no resumed=1: $(grep "EAP: $STA_MAC" "$AP_LOG" | tr '\n' ' ')"
    elif [ "$(grep -c "eth0: CTRL-EVENT-EAP-SUCCESS $STA_MAC" "$AP_LOG")" -lt 2 ]; then
      not_ok $c "our log shows no second CTRL-EVENT-EAP-SUCCESS"
    elif ! grep -q 'resumed=1' "$WPAS_LOG"; then
      not_ok $c "wpa_supplicant's log does not say resumed=1"
    elif [ "$(grep -c "AP-STA-CONNECTED $STA_MAC" "$AP_LOG")" -ne 1 ] ||
         grep -q "AP-STA-DISCONNECTED $STA_MAC" "$AP_LOG"; then
      not_ok $c "the port did not stay open through the reauthentication"
    else
      grep -E "EAP: $STA_MAC TLS completed: .*resumed=1" "$AP_LOG" | head -1 | sed 's/^/# /'
      ok $c
    fi
  fi
  lyd_case_end $c
  lyd_case_cleanup
}

# Broken configurations: non-zero exit and a file:line:key message.
case_config_errors() {
  local c=config_errors f=$LYD_WORK/bad.conf out rc
  lyd_case_begin $c
  write_eap_user "$LYD_WORK/bad.eap_user"
  write_hostapd_conf "$f" eth0 "$LYD_WORK/bad-ctrl" "$LYD_WORK/bad.eap_user" "no_such_key=1"
  out=$(timeout 5 "$AUTHD" "$f" 2>&1); rc=$?
  if [ $rc -eq 0 ] || ! grep -q "$f:[0-9]*.*no_such_key" <<< "$out"; then
    not_ok $c "unknown key: rc=$rc '$out'"; lyd_case_end $c; return
  fi
  write_hostapd_conf "$f" eth0 "$LYD_WORK/bad-ctrl" "$LYD_WORK/bad.eap_user" "driver=nl80211"
  out=$(timeout 5 "$AUTHD" "$f" 2>&1); rc=$?
  # driver=nl80211 without WPA2-Enterprise settings is refused naming the key.
  if [ $rc -eq 0 ] || ! grep -q "wpa=2" <<< "$out"; then
    not_ok $c "driver=nl80211: rc=$rc '$out'"; lyd_case_end $c; return
  fi
  write_hostapd_conf "$f" eth0 "$LYD_WORK/bad-ctrl" "$LYD_WORK/bad.eap_user" "eap_server=0" \
    "auth_server_addr=radius.example" "auth_server_shared_secret=s"
  out=$(timeout 5 "$AUTHD" "$f" 2>&1); rc=$?
  if [ $rc -eq 0 ] || ! grep -q "$f:[0-9]*: key 'auth_server_addr'.*not an IPv4 or IPv6 address" <<< "$out"; then
    not_ok $c "RADIUS server name: rc=$rc '$out'"; lyd_case_end $c; return
  fi
  write_hostapd_conf "$f" eth0 "$LYD_WORK/bad-ctrl" "$LYD_WORK/bad.eap_user" "server_cert=$LYD_WORK/missing.pem"
  out=$(timeout 5 "$AUTHD" "$f" 2>&1); rc=$?
  if [ $rc -eq 0 ] || ! grep -q "$f:[0-9]*: key 'server_cert'" <<< "$out"; then
    not_ok $c "missing server_cert: rc=$rc '$out'"; lyd_case_end $c; return
  fi
  out=$(timeout 5 "$AUTHD" --version 2>&1); rc=$?
  if [ $rc -ne 0 ] || ! grep -q '^lanyard-authenticator .* (TLS backend: .*)$' <<< "$out"; then
    not_ok $c "--version: rc=$rc '$out'"; lyd_case_end $c; return
  fi
  ok $c
  lyd_case_end $c
}

# The same EAP-TLS against Debian's hostapd: the reference time.
case_ref_timing() {
  local c=ref_timing
  [ -x "$REF_HOSTAPD" ] || { lyd_skip $c "no Debian hostapd"; return; }
  lyd_case_begin $c
  if REF=1 start_pair $c TLS; then
    if wait_for_log "$WPAS_LOG" 'CTRL-EVENT-EAP-SUCCESS' "$AUTH_TIMEOUT"; then
      TLS_MS_REF=$(eap_ms)
      ok $c
    else
      not_ok $c "Debian hostapd: no CTRL-EVENT-EAP-SUCCESS"
    fi
  fi
  lyd_case_end $c
  lyd_case_cleanup
}

# CASES="tls ref_timing" runs only those (e.g. for timing); default: all.
want() { [ -z "${CASES:-}" ] || [[ " $CASES " == *" $1 "* ]]; }
TLS_MS_LANYARD=?
TLS_MS_REF=?
want config_errors && case_config_errors
want tls && case_tls
want md5 && case_md5
want tls_untrusted_server &&
  WPAS_EXTRA="ca_cert=\"$PKI_DIR/other-ca.pem\"" case_failure tls_untrusted_server TLS
want md5_bad_password && WPAS_EXTRA='password="wrong-password"' case_failure md5_bad_password MD5
want unknown_user && WPAS_EXTRA='identity="nobody"' case_failure unknown_user MD5
want logoff && case_logoff
want reauth_resume && case_reauth_resume
want ref_timing && case_ref_timing
echo "# EAP-TLS exchange in wpa_supplicant's log: ${TLS_MS_LANYARD} ms against lanyard-authenticator," \
  "${TLS_MS_REF} ms against Debian hostapd"
lyd_finish
