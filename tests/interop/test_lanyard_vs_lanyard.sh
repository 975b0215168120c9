#!/bin/bash
# lanyard-supplicant (-D wired) against lanyard-authenticator (driver=wired,
# integrated EAP server) on a veth pair between two namespaces, with the same
# hostapd.conf / eap_user / wpa_supplicant.conf files the reference programs
# read. Cases: tls, md5, peap (PEAPv0/MSCHAPv2, then a reauthentication that
# resumes the TLS session with fewer EAP round trips), tls_untrusted_ca and
# md5_bad_password (failure on both ends, port closed), logoff (wpa_cli
# logoff closes the port on the authenticator: hostapd_cli sta).
source "$(dirname "$0")/lib.sh"
lyd_init lyd_lyd
LYD_SUPP=$LYD_BIN/lanyard-supplicant
LYD_AUTH=$LYD_BIN/lanyard-authenticator
if ! lyd_require "$LYD_SUPP" "$LYD_AUTH" "$REF_WPA_CLI" "$REF_HOSTAPD_CLI"; then
  lyd_skip lyd_lyd "lanyard daemons or reference CLIs missing"
  lyd_finish
fi
AUTH_TIMEOUT=15

# start_pair CASE METHOD [network lines...]: namespaces, veth, both daemons.
# Sets AUTH_LOG AUTH_DIR SUPP_LOG SUPP_DIR STA_MAC.
start_pair() {
  local c=$1 method=$2
  shift 2
  lyd_netns "$c-ap" "$c-st" || { not_ok "$c" "cannot create namespaces"; return 1; }
  STA_MAC=$(lyd_mac)
  lyd_veth "$c-ap" eth0 "$(lyd_mac)" "$c-st" eth0 "$STA_MAC" || { not_ok "$c" "cannot create veth"; return 1; }
  AUTH_DIR=$LYD_WORK/$c-actrl
  AUTH_LOG=$LYD_WORK/$c-auth.log
  SUPP_DIR=$LYD_WORK/$c-sctrl
  SUPP_LOG=$LYD_WORK/$c-supp.log
  write_eap_user "$LYD_WORK/$c.eap_user"
  write_hostapd_conf "$LYD_WORK/$c-auth.conf" eth0 "$AUTH_DIR" "$LYD_WORK/$c.eap_user" "tls_session_lifetime=3600"
  write_wpa_supplicant_conf "$LYD_WORK/$c-supp.conf" "$SUPP_DIR" "$method" "$@"
  run_bg "$c-ap" "$AUTH_LOG" "$LYD_AUTH" -d "$LYD_WORK/$c-auth.conf" > /dev/null
  wait_for_cmd 10 PONG hostapd_cli_ns "$AUTH_DIR" eth0 ping > /dev/null ||
    { not_ok "$c" "lanyard-authenticator did not answer PING ($(tail -2 "$AUTH_LOG" | tr '\n' ' '))"; return 1; }
  run_bg "$c-st" "$SUPP_LOG" "$LYD_SUPP" -d -D wired -i eth0 -c "$LYD_WORK/$c-supp.conf" > /dev/null
}

# expect_success CASE METHOD: both ends report success and the port is open.
expect_success() {
  local c=$1 method=$2
  wait_for_log "$SUPP_LOG" "EAP: $method completed" "$AUTH_TIMEOUT" ||
    { not_ok "$c" "supplicant: no '$method completed' ($(grep -E 'failed|ERROR' "$SUPP_LOG" | tail -2 | tr '\n' ' '))"; return 1; }
  wait_for_log "$AUTH_LOG" "CTRL-EVENT-EAP-SUCCESS $STA_MAC" 5 ||
    { not_ok "$c" "authenticator: no CTRL-EVENT-EAP-SUCCESS $STA_MAC"; return 1; }
  wait_for_cmd 5 'suppPortStatus=Authorized' wpa_cli_ns "$SUPP_DIR" eth0 status > /dev/null ||
    { not_ok "$c" "wpa_cli status: port not Authorized"; return 1; }
  wait_for_cmd 5 'AUTHORIZED' hostapd_cli_ns "$AUTH_DIR" eth0 sta "$STA_MAC" > /dev/null ||
    { not_ok "$c" "hostapd_cli sta: station not AUTHORIZED"; return 1; }
}

# expect_failure CASE: both ends report failure; the port stays closed.
expect_failure() {
  local c=$1
  wait_for_log "$SUPP_LOG" 'CTRL-EVENT-EAP-FAILURE' "$AUTH_TIMEOUT" ||
    { not_ok "$c" "supplicant: no CTRL-EVENT-EAP-FAILURE"; return 1; }
  wait_for_log "$AUTH_LOG" "CTRL-EVENT-EAP-FAILURE $STA_MAC" 5 ||
    { not_ok "$c" "authenticator: no CTRL-EVENT-EAP-FAILURE $STA_MAC"; return 1; }
  wpa_cli_ns "$SUPP_DIR" eth0 status | grep -q 'suppPortStatus=Unauthorized' ||
    { not_ok "$c" "wpa_cli status: port not Unauthorized after failure"; return 1; }
  if hostapd_cli_ns "$AUTH_DIR" eth0 sta "$STA_MAC" | grep -q 'AUTHORIZED'; then
    not_ok "$c" "hostapd_cli sta: station AUTHORIZED after failure"
    return 1
  fi
}

case_simple() {  # CASE METHOD
  lyd_case_begin "$1"
  start_pair "$1" "$2" && expect_success "$1" "$2" && ok "$1"
  lyd_case_end "$1"
  lyd_case_cleanup
}

case_peap_resumed() {
  local c=peap
  lyd_case_begin $c
  if start_pair $c PEAP && expect_success $c PEAP; then
    local full resumed
    full=$(grep -oE 'EAP: PEAP completed: rounds=[0-9]+' "$SUPP_LOG" | head -1 | grep -oE '[0-9]+$')
    wpa_cli_ns "$SUPP_DIR" eth0 reassociate > /dev/null
    if wait_for_log "$SUPP_LOG" 'EAP: PEAP completed: .*resumed=1' "$AUTH_TIMEOUT" &&
       wait_for_log "$AUTH_LOG" "EAP: $STA_MAC PEAP completed: .*resumed=1" 5; then
      resumed=$(grep -oE 'EAP: PEAP completed: rounds=[0-9]+ .*resumed=1' "$SUPP_LOG" | head -1 |
                grep -oE 'rounds=[0-9]+' | grep -oE '[0-9]+')
      echo "# peap: full handshake $full EAP round trips, resumed $resumed"
      if [ -n "$full" ] && [ -n "$resumed" ] && [ "$resumed" -lt "$full" ]; then ok $c
      else not_ok $c "resumed authentication did not take fewer round trips ($full vs $resumed)"; fi
    else
      not_ok $c "reauthentication was not resumed on both ends"
    fi
  fi
  lyd_case_end $c
  lyd_case_cleanup
}

case_failure() {  # CASE METHOD [network lines...]
  local c=$1
  lyd_case_begin "$c"
  start_pair "$@" && expect_failure "$c" && ok "$c"
  lyd_case_end "$c"
  lyd_case_cleanup
}

case_logoff() {
  local c=logoff
  lyd_case_begin $c
  if start_pair $c MD5 && expect_success $c MD5; then
    wpa_cli_ns "$SUPP_DIR" eth0 logoff > /dev/null
    if wait_for_log "$AUTH_LOG" "AP-STA-DISCONNECTED $STA_MAC" 5 &&
       ! hostapd_cli_ns "$AUTH_DIR" eth0 sta "$STA_MAC" | grep -q 'AUTHORIZED'; then
      ok $c
    else
      not_ok $c "EAPOL-Logoff did not close the port on the authenticator"
    fi
  fi
  lyd_case_end $c
  lyd_case_cleanup
}

case_simple tls TLS
case_simple md5 MD5
case_peap_resumed
case_failure tls_untrusted_ca TLS "ca_cert=\"$PKI_DIR/other-ca.pem\""
case_failure md5_bad_password MD5 'password="not-the-password"'
case_logoff
lyd_finish
