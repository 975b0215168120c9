#!/bin/bash
# PEAP interop with the real peers, on a veth pair between two namespaces:
#  - lanyard-supplicant (-D wired) against Debian's hostapd (driver=wired,
#    integrated EAP server): PEAPv0/MSCHAPv2 (sh_mschapv2), PEAPv0/GTC
#    (sh_gtc), PEAPv0 with crypto_binding=2 (sh_cb2, hostapd validates our
#    cryptobinding TLV), PEAPv1/MSCHAPv2 (sh_v1_mschapv2, hostapd's default
#    offer), reauthentication by EAPOL_REAUTH resumed with fast reconnect
#    (sh_resume: our resumed=1 and hostapd's "skip Phase2");
#  - Debian's wpa_supplicant (-D wired) against lanyard-authenticator:
#    PEAPv0/MSCHAPv2 (wa_mschapv2), crypto_binding=2 (wa_cb2), reauthentication
#    by EAPOL_REAUTH resumed (wa_resume: our resumed=1, wpa_supplicant's
#    "Handshake finished - resumed=1" and a valid cryptobinding TLV both times).
source "$(dirname "$0")/lib.sh"
lyd_init peap
LYD_SUPP=$LYD_BIN/lanyard-supplicant
AUTHD=$LYD_BIN/lanyard-authenticator
if ! lyd_require "$REF_HOSTAPD" "$REF_HOSTAPD_CLI" "$REF_WPA_SUPPLICANT" "$REF_WPA_CLI" "$LYD_SUPP" "$AUTHD"; then
  lyd_skip peap "reference programs or our daemons missing"
  lyd_finish
fi

AUTH_TIMEOUT=20

# start_ap CASE KIND EAP_USER_LINES_FILE [hostapd.conf extra lines...]
# KIND=ref (Debian hostapd) or lanyard. Fresh namespaces and MACs.
# Sets AP_MAC STA_MAC AP_DIR AP_LOG.
start_ap() {
  local c=$1 kind=$2 users=$3
  shift 3
  lyd_netns "$c-ap" "$c-sta" || { not_ok "$c" "cannot create namespaces"; return 1; }
  AP_MAC=$(lyd_mac)
  STA_MAC=$(lyd_mac)
  lyd_veth "$c-ap" eth0 "$AP_MAC" "$c-sta" eth0 "$STA_MAC" || { not_ok "$c" "cannot create veth"; return 1; }
  AP_DIR=$LYD_WORK/$c-ap
  AP_LOG=$LYD_WORK/$c-ap.log
  if [ "$users" = default ]; then write_eap_user "$LYD_WORK/$c.eap_user"
  else cp "$users" "$LYD_WORK/$c.eap_user"; fi
  write_hostapd_conf "$LYD_WORK/$c-hostapd.conf" eth0 "$AP_DIR" "$LYD_WORK/$c.eap_user" "$@"
  if [ "$kind" = ref ]; then
    run_bg "$c-ap" "$AP_LOG" "$REF_HOSTAPD" -dd -t "$LYD_WORK/$c-hostapd.conf" > /dev/null
  else
    run_bg "$c-ap" "$AP_LOG" "$AUTHD" -dd -t -P "$LYD_WORK/$c-ap.pid" "$LYD_WORK/$c-hostapd.conf" > /dev/null
  fi
  if ! wait_for_log "$AP_LOG" 'eth0: AP-ENABLED' 10; then
    not_ok "$c" "authenticator did not reach AP-ENABLED: $(tail -3 "$AP_LOG" | tr '\n' ' ')"
    return 1
  fi
}

# start_sta CASE KIND [network lines...]: KIND=lanyard or ref. Sets STA_DIR STA_LOG.
start_sta() {
  local c=$1 kind=$2
  shift 2
  STA_DIR=$LYD_WORK/$c-sta
  STA_LOG=$LYD_WORK/$c-sta.log
  write_wpa_supplicant_conf "$LYD_WORK/$c-sta.conf" "$STA_DIR" PEAP "$@"
  if [ "$kind" = ref ]; then
    run_bg "$c-sta" "$STA_LOG" "$REF_WPA_SUPPLICANT" -dd -t -D wired -i eth0 -c "$LYD_WORK/$c-sta.conf" > /dev/null
  else
    run_bg "$c-sta" "$LYD_WORK/$c-sta.stderr" "$LYD_SUPP" -D wired -i eth0 -c "$LYD_WORK/$c-sta.conf" \
      -d -t -f "$STA_LOG" -P "$LYD_WORK/$c-sta.pid" > /dev/null
  fi
}

# expect_success CASE: both ends agree, the port is authorized.
expect_success() {
  local c=$1
  if ! wait_for_log "$STA_LOG" 'CTRL-EVENT-EAP-SUCCESS' "$AUTH_TIMEOUT"; then
    not_ok "$c" "no CTRL-EVENT-EAP-SUCCESS from the supplicant in ${AUTH_TIMEOUT}s: $(grep -E 'FAILURE|failed|error' "$STA_LOG" "$AP_LOG" 2>/dev/null | tail -3 | tr '\n' ' ')"
    return 1
  fi
  echo "# $c: EAP-STARTED -> EAP-SUCCESS $(lyd_log_ms_between "$STA_LOG" 'CTRL-EVENT-EAP-STARTED' 'CTRL-EVENT-EAP-SUCCESS') ms"
  if ! wait_for_cmd 5 'suppPortStatus=Authorized' wpa_cli_ns "$STA_DIR" eth0 status; then
    not_ok "$c" "wpa_cli status never showed suppPortStatus=Authorized"
    return 1
  fi
  if ! grep -Eq '^selectedMethod=25 \(EAP-PEAP\)' <<< "$LYD_LAST_OUTPUT"; then
    not_ok "$c" "wpa_cli status: unexpected method: $(tr '\n' ' ' <<< "$LYD_LAST_OUTPUT")"
    return 1
  fi
  if ! wait_for_log "$AP_LOG" "eth0: CTRL-EVENT-EAP-SUCCESS $STA_MAC" 5 ||
     ! wait_for_log "$AP_LOG" "eth0: AP-STA-CONNECTED $STA_MAC" 5; then
    not_ok "$c" "authenticator log lacks CTRL-EVENT-EAP-SUCCESS / AP-STA-CONNECTED $STA_MAC"
    return 1
  fi
  return 0
}

# reauth CASE KIND_OF_AP: trigger a reauthentication from the authenticator,
# wait for the second success on both ends.
reauth() {
  local c=$1
  if [ "$(hostapd_cli_ns "$AP_DIR" eth0 raw EAPOL_REAUTH "$STA_MAC")" != OK ]; then
    not_ok "$c" "EAPOL_REAUTH not accepted by the authenticator's control socket"
    return 1
  fi
  if ! wait_for_cmd 15 '^2$' grep -c 'CTRL-EVENT-EAP-SUCCESS' "$STA_LOG"; then
    not_ok "$c" "no second CTRL-EVENT-EAP-SUCCESS after EAPOL_REAUTH: $(grep -E 'FAILURE|failed' "$STA_LOG" "$AP_LOG" | tail -3 | tr '\n' ' ')"
    return 1
  fi
  if ! wait_for_cmd 5 '^2$' grep -c "eth0: CTRL-EVENT-EAP-SUCCESS $STA_MAC" "$AP_LOG"; then
    not_ok "$c" "authenticator log shows no second CTRL-EVENT-EAP-SUCCESS"
    return 1
  fi
  return 0
}

# expect_logs CASE STA_REGEX AP_REGEX: each non-empty regex must match its
# log (the negotiated PEAP version, a validated cryptobinding TLV...).
expect_logs() {
  local c=$1 sta_re=$2 ap_re=$3
  if [ -n "$sta_re" ] && ! grep -Eq "$sta_re" "$STA_LOG"; then
    not_ok "$c" "supplicant log lacks /$sta_re/"
    return 1
  fi
  if [ -n "$ap_re" ] && ! grep -Eq "$ap_re" "$AP_LOG"; then
    not_ok "$c" "authenticator log lacks /$ap_re/"
    return 1
  fi
  return 0
}

# ---- lanyard-supplicant against Debian's hostapd ---------------------------

case_sh() {  # CASE EAP_USERS(default|file) STA_REGEX AP_REGEX [network lines...]
  local c=$1 users=$2 sta_re=$3 ap_re=$4
  shift 4
  lyd_case_begin "$c"
  if start_ap "$c" ref "$users" && start_sta "$c" lanyard "$@" && expect_success "$c" &&
     expect_logs "$c" "$sta_re" "$ap_re"; then
    if grep -Eq 'EAP: PEAP completed: .*resumed=0' "$STA_LOG"; then
      grep -Em1 'EAP: PEAP completed' "$STA_LOG" | sed 's/.*supplicant: /# /'
      ok "$c"
    else
      not_ok "$c" "our log lacks 'EAP: PEAP completed: ... resumed=0'"
    fi
  fi
  lyd_case_end "$c"
  lyd_case_cleanup
}

case_sh_resume() {
  local c=sh_resume
  lyd_case_begin "$c"
  if start_ap "$c" ref default "tls_session_lifetime=3600" && start_sta "$c" lanyard 'phase1="peapver=0"' && expect_success "$c" &&
     expect_logs "$c" "$OUR_V0" "$HAPD_CB_OK" && reauth "$c"; then
    if ! grep -E 'EAP: PEAP completed' "$STA_LOG" | tail -1 | grep -q 'resumed=1'; then
      not_ok "$c" "our second 'EAP: PEAP completed' line is not resumed=1: $(grep -E 'EAP: PEAP completed' "$STA_LOG" | tr '\n' ' ')"
    elif ! grep -q 'OpenSSL: Handshake finished - resumed=1' "$AP_LOG" || ! grep -Eq "$HAPD_RESUMED_RE" "$AP_LOG"; then
      not_ok "$c" "hostapd's log does not show the session resumed (/$HAPD_RESUMED_RE/)"
    elif [ "$(grep -c "$HAPD_CB_OK" "$AP_LOG")" -lt 2 ]; then
      not_ok "$c" "hostapd did not validate our cryptobinding TLV in both authentications"
    else
      grep -E 'EAP: PEAP completed' "$STA_LOG" | tail -1 | sed 's/.*supplicant: /# /'
      grep -Em1 "$HAPD_RESUMED_RE" "$AP_LOG" | sed 's/^/# hostapd: /'
      ok "$c"
    fi
  fi
  lyd_case_end "$c"
  lyd_case_cleanup
}

# ---- Debian's wpa_supplicant against lanyard-authenticator -----------------

case_wa() {  # CASE STA_REGEX AP_REGEX [network lines...]
  local c=$1 sta_re=$2 ap_re=$3
  shift 3
  lyd_case_begin "$c"
  if start_ap "$c" lanyard default && start_sta "$c" ref "$@" && expect_success "$c" &&
     expect_logs "$c" "$sta_re" "$ap_re"; then
    if grep -Eq "EAP: $STA_MAC PEAP completed: .*resumed=0" "$AP_LOG"; then
      grep -Em1 "EAP: $STA_MAC PEAP completed" "$AP_LOG" | sed 's/^.*authenticator: /# /'
      ok "$c"
    else
      not_ok "$c" "our log lacks 'EAP: $STA_MAC PEAP completed: ... resumed=0'"
    fi
  fi
  lyd_case_end "$c"
  lyd_case_cleanup
}

case_wa_resume() {
  local c=wa_resume
  lyd_case_begin "$c"
  if start_ap "$c" lanyard default "tls_session_lifetime=3600" && start_sta "$c" ref && expect_success "$c" &&
     expect_logs "$c" "$WPAS_V0" "" && reauth "$c"; then
    if ! wait_for_log "$AP_LOG" "EAP: $STA_MAC PEAP completed: .*resumed=1" 5; then
      not_ok "$c" "our log shows no resumed=1: $(grep "EAP: $STA_MAC" "$AP_LOG" | tr '\n' ' ')"
    elif ! grep -Eq "$WPAS_RESUMED_RE" "$STA_LOG"; then
      not_ok "$c" "wpa_supplicant's log does not show the session resumed (/$WPAS_RESUMED_RE/)"
    elif [ "$(grep -c "$WPAS_CB_OK" "$STA_LOG")" -lt 2 ]; then
      not_ok "$c" "wpa_supplicant did not validate a cryptobinding TLV in both authentications"
    else
      grep -Em1 "EAP: $STA_MAC PEAP completed: .*resumed=1" "$AP_LOG" | sed 's/^.*authenticator: /# /'
      grep -Em1 "$WPAS_RESUMED_RE" "$STA_LOG" | sed 's/^/# wpa_supplicant: /'
      ok "$c"
    fi
  fi
  lyd_case_end "$c"
  lyd_case_cleanup
}

# What the reference programs (2.10, OpenSSL backend) print at -dd when the
# TLS session was resumed: hostapd also says it skipped Phase 2.
HAPD_RESUMED_RE='EAP-PEAP: Resuming previous session - skip Phase2'
WPAS_RESUMED_RE='OpenSSL: Handshake finished - resumed=1'
# The negotiated version (our debug line; wpa_supplicant's) and a validated
# cryptobinding TLV (hostapd's and wpa_supplicant's PEAP print the same text).
OUR_V0='eap-peap: server offers PEAPv[01], using PEAPv0'
OUR_V1='eap-peap: server offers PEAPv1, using PEAPv1'
WPAS_V0='EAP-PEAP: Using PEAP version 0'
HAPD_CB_OK='EAP-PEAP: Valid cryptobinding TLV received'
WPAS_CB_OK='EAP-PEAP: Valid cryptobinding TLV received'

GTC_USERS=$LYD_WORK/gtc.eap_user
printf '%s\n' "\"$LYD_PEAP_USER\" PEAP" "\"$LYD_PEAP_USER\" GTC \"$LYD_PEAP_PASSWORD\" [2]" > "$GTC_USERS"

# hostapd offers PEAPv1 (its default); peapver=0 makes it PEAPv0.
case_sh sh_mschapv2 default "$OUR_V0" "" 'phase1="peapver=0"'
case_sh sh_gtc "$GTC_USERS" "$OUR_V0" "" 'phase1="peapver=0"' 'phase2="auth=GTC"'
case_sh sh_cb2 default "$OUR_V0" "$HAPD_CB_OK" 'phase1="peapver=0 crypto_binding=2"'
case_sh sh_v1_mschapv2 default "$OUR_V1" ""
case_sh_resume
case_wa wa_mschapv2 "$WPAS_V0" ""
case_wa wa_cb2 "$WPAS_CB_OK" "" 'phase1="crypto_binding=2"'
case_wa_resume
lyd_finish
