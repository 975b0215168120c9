#!/bin/bash
# Baseline: Debian's hostapd (driver=wired, integrated EAP server) against
# Debian's wpa_supplicant (-D wired) on a veth pair between two namespaces.
# Proves the harness (lib.sh) and records what the reference programs do, so
# the Lanyard cases can run the same files against our daemons.
# Cases: tls, md5, peap (succeed), md5_bad_password, tls_untrusted_server
# (fail), reauth_events (monitors see "<3>..." events during a reauth).
source "$(dirname "$0")/lib.sh"
lyd_init baseline
if ! lyd_require "$REF_HOSTAPD" "$REF_WPA_SUPPLICANT" "$REF_HOSTAPD_CLI" "$REF_WPA_CLI"; then
  lyd_skip baseline "reference programs not installed"
  lyd_finish
fi

AUTH_TIMEOUT=20   # seconds for one EAP exchange (EAP-TLS takes ~0.1 s here)

# start_pair CASE METHOD [hostapd.conf extra lines...]
# Fresh namespaces CASE-ap / CASE-sta, fresh MACs, hostapd up and ready,
# wpa_supplicant started. Sets: AP_MAC STA_MAC HAPD_DIR WPAS_DIR HAPD_LOG
# WPAS_LOG T_START (ms, when wpa_supplicant was started). Returns 1 (after
# printing not ok) when hostapd does not come up.
start_pair() {
  local c=$1 method=$2
  shift 2
  lyd_netns "$c-ap" "$c-sta" || { not_ok "$c" "cannot create namespaces"; return 1; }
  AP_MAC=$(lyd_mac)
  STA_MAC=$(lyd_mac)
  lyd_veth "$c-ap" eth0 "$AP_MAC" "$c-sta" eth0 "$STA_MAC" || { not_ok "$c" "cannot create veth"; return 1; }
  HAPD_DIR=$LYD_WORK/$c-hostapd
  WPAS_DIR=$LYD_WORK/$c-wpas
  HAPD_LOG=$LYD_WORK/$c-hostapd.log
  WPAS_LOG=$LYD_WORK/$c-wpas.log
  write_eap_user "$LYD_WORK/$c.eap_user"
  write_hostapd_conf "$LYD_WORK/$c-hostapd.conf" eth0 "$HAPD_DIR" "$LYD_WORK/$c.eap_user" "$@"
  write_wpa_supplicant_conf "$LYD_WORK/$c-wpas.conf" "$WPAS_DIR" "$method" ${WPAS_EXTRA:+"$WPAS_EXTRA"}
  run_bg "$c-ap" "$HAPD_LOG" "$REF_HOSTAPD" -dd -t "$LYD_WORK/$c-hostapd.conf" > /dev/null
  if ! wait_for_log "$HAPD_LOG" 'eth0: AP-ENABLED' 10; then
    not_ok "$c" "hostapd did not reach AP-ENABLED (log $HAPD_LOG)"
    return 1
  fi
  T_START=$(lyd_now_ms)
  run_bg "$c-sta" "$WPAS_LOG" "$REF_WPA_SUPPLICANT" -dd -t -D wired -i eth0 -c "$LYD_WORK/$c-wpas.conf" > /dev/null
}

# expect_success CASE METHOD_REGEX: the checks shared by the success cases.
expect_success() {
  local c=$1 method_re=$2
  if ! wait_for_log "$WPAS_LOG" 'CTRL-EVENT-EAP-SUCCESS' "$AUTH_TIMEOUT"; then
    not_ok "$c" "no CTRL-EVENT-EAP-SUCCESS from wpa_supplicant in ${AUTH_TIMEOUT}s"
    return 1
  fi
  echo "# $c: EAP success $(( $(lyd_now_ms) - T_START )) ms after wpa_supplicant started" \
    "(EAP exchange $(lyd_log_ms_between "$WPAS_LOG" 'CTRL-EVENT-EAP-STARTED' 'CTRL-EVENT-EAP-SUCCESS') ms;" \
    "wpa_supplicant waits startWhen = 2 s before its EAPOL-Start)"
  if ! wait_for_cmd 5 'suppPortStatus=Authorized' wpa_cli_ns "$WPAS_DIR" eth0 status; then
    not_ok "$c" "wpa_cli status never showed suppPortStatus=Authorized: $LYD_LAST_OUTPUT"
    return 1
  fi
  local st=$LYD_LAST_OUTPUT
  echo "$st" > "$LYD_WORK/$c-wpa_cli-status.txt"
  if ! grep -q '^EAP state=SUCCESS$' <<< "$st" || ! grep -Eq "^selectedMethod=$method_re" <<< "$st"; then
    not_ok "$c" "unexpected wpa_cli status: $(tr '\n' ' ' <<< "$st")"
    return 1
  fi
  if ! wait_for_log "$HAPD_LOG" "eth0: AP-STA-CONNECTED $STA_MAC" 5 ||
     ! wait_for_log "$HAPD_LOG" "STA $STA_MAC IEEE 802.1X: authorizing port" 5; then
    not_ok "$c" "hostapd log does not show $STA_MAC connected and authorized"
    return 1
  fi
  local sta all
  sta=$(hostapd_cli_ns "$HAPD_DIR" eth0 sta "$STA_MAC")
  all=$(hostapd_cli_ns "$HAPD_DIR" eth0 all_sta)
  echo "$sta" > "$LYD_WORK/$c-hostapd_cli-sta.txt"
  echo "$all" > "$LYD_WORK/$c-hostapd_cli-all_sta.txt"
  hostapd_cli_ns "$HAPD_DIR" eth0 status > "$LYD_WORK/$c-hostapd_cli-status.txt"
  if ! grep -q '^flags=\[AUTHORIZED\]' <<< "$sta" || [ "$(head -1 <<< "$all")" != "$STA_MAC" ]; then
    not_ok "$c" "hostapd_cli does not list $STA_MAC as authorized: $(tr '\n' ' ' <<< "$sta" | cut -c1-200)"
    return 1
  fi
  return 0
}

case_success() {  # CASE METHOD SELECTED_METHOD_REGEX
  local c=$1
  lyd_case_begin "$c"
  if start_pair "$c" "$2" && expect_success "$c" "$3"; then ok "$c"; fi
  lyd_case_end "$c"
  lyd_case_cleanup
}

# expect_failure CASE REGEX: the supplicant must report failure, never success.
case_failure() {  # CASE METHOD WPAS_FAILURE_REGEX [hostapd extra lines]
  local c=$1 method=$2 fail_re=$3
  shift 3
  lyd_case_begin "$c"
  if start_pair "$c" "$method" "$@"; then
    if ! wait_for_log "$WPAS_LOG" "$fail_re" "$AUTH_TIMEOUT"; then
      not_ok "$c" "no '$fail_re' from wpa_supplicant in ${AUTH_TIMEOUT}s"
    elif grep -q 'CTRL-EVENT-EAP-SUCCESS' "$WPAS_LOG"; then
      not_ok "$c" "wpa_supplicant reported success"
    elif hostapd_cli_ns "$HAPD_DIR" eth0 sta "$STA_MAC" | grep -q 'AUTHORIZED'; then
      not_ok "$c" "hostapd authorized the port"
    else
      echo "# $c: failure seen $(( $(lyd_now_ms) - T_START )) ms after wpa_supplicant started"
      ok "$c"
    fi
  fi
  lyd_case_end "$c"
  lyd_case_cleanup
}

# Monitors (interactive wpa_cli / hostapd_cli, which ATTACH) see the events
# of a reauthentication started with `hostapd_cli raw EAPOL_REAUTH ADDR`.
case_reauth_events() {
  local c=reauth_events
  lyd_case_begin "$c"
  if start_pair "$c" MD5 && expect_success "$c" '4 \(EAP-MD5\)'; then
    local wmon=$LYD_WORK/$c-wpa_cli-monitor.txt hmon=$LYD_WORK/$c-hostapd_cli-monitor.txt
    # Interactive mode reads commands from stdin; keep it open with sleep.
    # hostapd_cli prints events with stdio: line-buffer it (stdbuf).
    run_bg "$c-sta" "$wmon" bash -c "sleep 15 | exec '$REF_WPA_CLI' -p '$WPAS_DIR' -i eth0" > /dev/null
    run_bg "$c-ap" "$hmon" bash -c "sleep 15 | exec stdbuf -oL '$REF_HOSTAPD_CLI' -p '$HAPD_DIR' -i eth0" > /dev/null
    sleep 1  # both ATTACHed
    local reply
    reply=$(hostapd_cli_ns "$HAPD_DIR" eth0 raw EAPOL_REAUTH "$STA_MAC")
    if [ "$reply" != OK ]; then
      not_ok "$c" "EAPOL_REAUTH replied '$reply'"
    elif ! wait_for_log "$wmon" '<3>CTRL-EVENT-EAP-SUCCESS' 10; then
      not_ok "$c" "wpa_cli monitor saw no <3>CTRL-EVENT-EAP-SUCCESS"
    elif ! wait_for_log "$hmon" "<3>CTRL-EVENT-EAP-SUCCESS $STA_MAC" 10; then
      not_ok "$c" "hostapd_cli monitor saw no <3>CTRL-EVENT-EAP-SUCCESS $STA_MAC"
    else
      ok "$c"
    fi
  fi
  lyd_case_end "$c"
  lyd_case_cleanup
}

case_success tls TLS '13 \(EAP-TLS\)'
case_success md5 MD5 '4 \(EAP-MD5\)'
case_success peap PEAP '25 \(EAP-PEAP\)'
WPAS_EXTRA='password="wrong-password"' case_failure md5_bad_password MD5 'CTRL-EVENT-EAP-FAILURE'
case_failure tls_untrusted_server TLS 'CTRL-EVENT-EAP-TLS-CERT-ERROR|CTRL-EVENT-EAP-FAILURE' \
  "server_cert=$PKI_DIR/other-server.pem" "private_key=$PKI_DIR/other-server.key"
case_reauth_events
lyd_finish
