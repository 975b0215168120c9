#!/bin/bash
# lanyard-supplicant (-D wired) against Debian's hostapd (driver=wired,
# integrated EAP server) on a veth pair between two namespaces.
# Cases: tls (success, wpa_cli status, hostapd authorized, --pcap decoded by
# tshark, reauthentication with session resumption, wpa_cli logoff, SIGTERM
# clean-up), md5 (success), tls_untrusted_ca, md5_bad_password,
# unknown_user (failures), wpas_tls_time (the same EAP-TLS with Debian's
# wpa_supplicant, for the timing comparison).
source "$(dirname "$0")/lib.sh"
lyd_init supp_hapd
LYD_SUPP=$LYD_BIN/lanyard-supplicant
if ! lyd_require "$REF_HOSTAPD" "$REF_HOSTAPD_CLI" "$REF_WPA_CLI" "$LYD_SUPP"; then
  lyd_skip supp_hapd "reference programs or lanyard-supplicant missing"
  lyd_finish
fi

AUTH_TIMEOUT=15

# start_hostapd CASE [hostapd.conf extra lines...]: fresh namespaces CASE-ap /
# CASE-sta, fresh MACs, hostapd up. Sets AP_MAC STA_MAC HAPD_DIR HAPD_LOG.
start_hostapd() {
  local c=$1
  shift
  lyd_netns "$c-ap" "$c-sta" || { not_ok "$c" "cannot create namespaces"; return 1; }
  AP_MAC=$(lyd_mac)
  STA_MAC=$(lyd_mac)
  lyd_veth "$c-ap" eth0 "$AP_MAC" "$c-sta" eth0 "$STA_MAC" || { not_ok "$c" "cannot create veth"; return 1; }
  HAPD_DIR=$LYD_WORK/$c-hostapd
  HAPD_LOG=$LYD_WORK/$c-hostapd.log
  write_eap_user "$LYD_WORK/$c.eap_user"
  write_hostapd_conf "$LYD_WORK/$c-hostapd.conf" eth0 "$HAPD_DIR" "$LYD_WORK/$c.eap_user" "$@"
  run_bg "$c-ap" "$HAPD_LOG" "$REF_HOSTAPD" -dd -t "$LYD_WORK/$c-hostapd.conf" > /dev/null
  if ! wait_for_log "$HAPD_LOG" 'eth0: AP-ENABLED' 10; then
    not_ok "$c" "hostapd did not reach AP-ENABLED (log $HAPD_LOG)"
    return 1
  fi
}

# start_lanyard CASE METHOD [network lines...]: lanyard-supplicant in CASE-sta.
# Sets SUPP_DIR SUPP_LOG SUPP_PID SUPP_PIDFILE SUPP_PCAP.
start_lanyard() {
  local c=$1 method=$2
  shift 2
  SUPP_DIR=$LYD_WORK/$c-supp
  SUPP_LOG=$LYD_WORK/$c-supp.log
  SUPP_PIDFILE=$LYD_WORK/$c-supp.pid
  SUPP_PCAP=$LYD_WORK/$c-supp.pcap
  write_wpa_supplicant_conf "$LYD_WORK/$c-supp.conf" "$SUPP_DIR" "$method" "$@"
  run_bg "$c-sta" "$LYD_WORK/$c-supp.stderr" "$LYD_SUPP" -D wired -i eth0 -c "$LYD_WORK/$c-supp.conf" \
    -d -t -f "$SUPP_LOG" -P "$SUPP_PIDFILE" --pcap "$SUPP_PCAP" > /dev/null
  SUPP_PID=$LYD_LAST_PID
}

# check_success CASE SELECTED_METHOD_REGEX: our log, wpa_cli status, hostapd.
check_success() {
  local c=$1 method_re=$2
  if ! wait_for_log "$SUPP_LOG" 'CTRL-EVENT-EAP-SUCCESS' "$AUTH_TIMEOUT"; then
    not_ok "$c" "no CTRL-EVENT-EAP-SUCCESS in our log within ${AUTH_TIMEOUT}s ($(tail -3 "$SUPP_LOG" "$LYD_WORK/$c-supp.stderr" 2>/dev/null | tr '\n' ' '))"
    return 1
  fi
  echo "# $c: $(grep -Em1 'EAP: .* completed' "$SUPP_LOG" | sed 's/.*supplicant: //')" \
    "(EAP-STARTED -> EAP-SUCCESS $(lyd_log_ms_between "$SUPP_LOG" 'CTRL-EVENT-EAP-STARTED' 'CTRL-EVENT-EAP-SUCCESS') ms)"
  if ! wait_for_cmd 5 'suppPortStatus=Authorized' wpa_cli_ns "$SUPP_DIR" eth0 status; then
    not_ok "$c" "wpa_cli status never showed suppPortStatus=Authorized: $LYD_LAST_OUTPUT"
    return 1
  fi
  local st=$LYD_LAST_OUTPUT
  echo "$st" > "$LYD_WORK/$c-wpa_cli-status.txt"
  if ! grep -q '^EAP state=SUCCESS$' <<< "$st" || ! grep -Eq "^selectedMethod=$method_re" <<< "$st" ||
     ! grep -q '^wpa_state=COMPLETED$' <<< "$st" || ! grep -q "^address=$STA_MAC$" <<< "$st"; then
    not_ok "$c" "unexpected wpa_cli status: $(tr '\n' ' ' <<< "$st")"
    return 1
  fi
  if ! grep -q 'CTRL-EVENT-CONNECTED - Connection to 01:80:c2:00:00:03 completed \[id=0 id_str=\]' "$SUPP_LOG"; then
    not_ok "$c" "no CTRL-EVENT-CONNECTED line in our log"
    return 1
  fi
  if ! wait_for_log "$HAPD_LOG" "STA $STA_MAC IEEE 802.1X: authorizing port" 5; then
    not_ok "$c" "hostapd log does not show $STA_MAC authorized"
    return 1
  fi
  if ! hostapd_cli_ns "$HAPD_DIR" eth0 sta "$STA_MAC" | grep -q '^flags=\[AUTHORIZED\]'; then
    not_ok "$c" "hostapd_cli sta $STA_MAC is not AUTHORIZED"
    return 1
  fi
  return 0
}

check_pcap() {  # CASE: every frame decodes, EAPOL seen in both directions
  local c=$1 out
  if ! command -v tshark > /dev/null; then echo "# $c: tshark missing, pcap not decoded"; return 0; fi
  out=$(timeout 30 tshark -r "$SUPP_PCAP" 2>&1)
  echo "$out" > "$LYD_WORK/$c-tshark.txt"
  if grep -qi malformed <<< "$out"; then not_ok "$c" "tshark: Malformed frame in $SUPP_PCAP"; return 1; fi
  if ! grep -q 'EAPOL' <<< "$out" || ! grep -q "Start" <<< "$out" || ! grep -q 'Response, TLS' <<< "$out" ||
     ! grep -q 'Request, TLS' <<< "$out"; then
    not_ok "$c" "tshark does not show EAPOL-Start and TLS both ways: $(head -5 <<< "$out" | tr '\n' ' ')"
    return 1
  fi
  return 0
}

case_tls() {
  local c=tls
  lyd_case_begin "$c"
  if start_hostapd "$c" "tls_session_lifetime=3600" && start_lanyard "$c" TLS && check_success "$c" '13 \(EAP-TLS\)'; then
    local fails=""
    # Reauthentication started by the authenticator: a second success, resumed.
    if [ "$(hostapd_cli_ns "$HAPD_DIR" eth0 raw EAPOL_REAUTH "$STA_MAC")" != OK ]; then
      fails="$fails; EAPOL_REAUTH not accepted"
    elif ! wait_for_cmd 10 '^2$' grep -c 'CTRL-EVENT-EAP-SUCCESS' "$SUPP_LOG"; then
      fails="$fails; no second CTRL-EVENT-EAP-SUCCESS after EAPOL_REAUTH"
    else
      echo "# $c reauth: $(grep -E 'EAP: .* completed' "$SUPP_LOG" | tail -1 | sed 's/.*supplicant: //')"
      grep -E 'EAP: .* completed' "$SUPP_LOG" | tail -1 | grep -q 'resumed=1' ||
        fails="$fails; reauthentication did not resume the TLS session"
    fi
    # STATUS-VERBOSE and MIB answer.
    wpa_cli_ns "$SUPP_DIR" eth0 status verbose > "$LYD_WORK/$c-status-verbose.txt"
    grep -q '^Supplicant Backend state=' "$LYD_WORK/$c-status-verbose.txt" || fails="$fails; STATUS-VERBOSE lacks backend state"
    wpa_cli_ns "$SUPP_DIR" eth0 mib > "$LYD_WORK/$c-mib.txt"
    grep -q '^dot1xSuppEapolFramesRx=' "$LYD_WORK/$c-mib.txt" || fails="$fails; MIB lacks dot1xSuppEapolFramesRx"
    # wpa_cli logoff: EAPOL-Logoff closes the port on both sides.
    if [ "$(wpa_cli_ns "$SUPP_DIR" eth0 logoff)" != OK ]; then
      fails="$fails; logoff not OK"
    else
      wait_for_log "$HAPD_LOG" "AP-STA-DISCONNECTED $STA_MAC|$STA_MAC IEEE 802.1X: unauthorizing port" 5 ||
        fails="$fails; hostapd did not unauthorize after logoff"
      wait_for_cmd 5 'suppPortStatus=Unauthorized' wpa_cli_ns "$SUPP_DIR" eth0 status ||
        fails="$fails; our port still authorized after logoff"
    fi
    # SIGTERM: clean exit, pid file and control socket gone.
    kill -TERM "$SUPP_PID"
    if ! wait_pid_exit "$SUPP_PID" 5; then fails="$fails; did not exit on SIGTERM"
    else
      wait "$SUPP_PID"; local rc=$?
      [ "$rc" -eq 0 ] || fails="$fails; exit status $rc after SIGTERM"
      [ ! -e "$SUPP_PIDFILE" ] || fails="$fails; pid file left behind"
      [ ! -e "$SUPP_DIR/eth0" ] || fails="$fails; control socket left behind"
      grep -q 'CTRL-EVENT-DISCONNECTED bssid=01:80:c2:00:00:03 reason=3 locally_generated=1' "$SUPP_LOG" ||
        fails="$fails; no CTRL-EVENT-DISCONNECTED at exit"
    fi
    check_pcap "$c" || fails="$fails; pcap"
    if [ -z "$fails" ]; then ok "$c"; else not_ok "$c" "${fails#; }"; fi
  fi
  lyd_case_end "$c"
  lyd_case_cleanup
}

case_md5() {
  local c=md5
  lyd_case_begin "$c"
  if start_hostapd "$c" && start_lanyard "$c" MD5 && check_success "$c" '4 \(EAP-MD5\)'; then ok "$c"; fi
  lyd_case_end "$c"
  lyd_case_cleanup
}

# case_failure CASE METHOD [network lines...]: failure reported, port closed.
case_failure() {
  local c=$1 method=$2
  shift 2
  lyd_case_begin "$c"
  if start_hostapd "$c" && start_lanyard "$c" "$method" "$@"; then
    if ! wait_for_log "$SUPP_LOG" 'CTRL-EVENT-EAP-FAILURE' "$AUTH_TIMEOUT"; then
      not_ok "$c" "no CTRL-EVENT-EAP-FAILURE in our log within ${AUTH_TIMEOUT}s"
    elif grep -q 'CTRL-EVENT-EAP-SUCCESS' "$SUPP_LOG"; then
      not_ok "$c" "we reported success"
    elif ! wait_for_cmd 5 'suppPortStatus=Unauthorized' wpa_cli_ns "$SUPP_DIR" eth0 status; then
      not_ok "$c" "wpa_cli status does not show Unauthorized: $LYD_LAST_OUTPUT"
    elif hostapd_cli_ns "$HAPD_DIR" eth0 sta "$STA_MAC" | grep -q 'AUTHORIZED'; then
      not_ok "$c" "hostapd authorized the port"
    else
      echo "# $c: $(grep -Em1 'EAP: .* failed' "$SUPP_LOG" | sed 's/.*supplicant: //')"
      ok "$c"
    fi
  fi
  lyd_case_end "$c"
  lyd_case_cleanup
}

# The same EAP-TLS with Debian's wpa_supplicant, for the timing comparison.
case_wpas_tls_time() {
  local c=wpas_tls
  [ -x "$REF_WPA_SUPPLICANT" ] || { lyd_skip "$c" "no wpa_supplicant"; return; }
  lyd_case_begin "$c"
  if start_hostapd "$c"; then
    local log=$LYD_WORK/$c-wpas.log
    write_wpa_supplicant_conf "$LYD_WORK/$c-wpas.conf" "$LYD_WORK/$c-wpas" TLS
    run_bg "$c-sta" "$log" "$REF_WPA_SUPPLICANT" -dd -t -D wired -i eth0 -c "$LYD_WORK/$c-wpas.conf" > /dev/null
    if wait_for_log "$log" 'CTRL-EVENT-EAP-SUCCESS' "$AUTH_TIMEOUT"; then
      echo "# $c: wpa_supplicant EAPOL-Start -> EAP-SUCCESS" \
        "$(lyd_log_ms_between "$log" 'TX EAPOL: dst=' 'CTRL-EVENT-EAP-SUCCESS') ms" \
        "(EAP-STARTED -> EAP-SUCCESS $(lyd_log_ms_between "$log" 'CTRL-EVENT-EAP-STARTED' 'CTRL-EVENT-EAP-SUCCESS') ms)"
      ok "$c"
    else
      not_ok "$c" "wpa_supplicant did not succeed"
    fi
  fi
  lyd_case_end "$c"
  lyd_case_cleanup
}

case_tls
case_md5
case_failure tls_untrusted_ca TLS "ca_cert=\"$PKI_DIR/other-ca.pem\""
case_failure md5_bad_password MD5 'password="wrong-password"'
case_failure unknown_user MD5 'identity="nobody"'
case_wpas_tls_time
lyd_finish
