#!/bin/bash
# lanyard-supplicant built with the mbedTLS backend (make TLS=mbedtls, in
# MBEDTLS_BUILD_ROOT) against Debian's hostapd (driver=wired, integrated EAP
# server): EAP-TLS and PEAPv0/MSCHAPv2 succeed, and a reauthentication of the
# PEAP session resumes it (issue 9: one interop case with the mbedTLS build).
source "$(dirname "$0")/lib.sh"
lyd_init mbed_hapd
MBEDTLS_BUILD_ROOT=$(realpath -m "${MBEDTLS_BUILD_ROOT:-$REPO_ROOT/build/mbedtls}")
SUPP=$MBEDTLS_BUILD_ROOT/bin/lanyard-supplicant
if [ ! -x "$SUPP" ]; then
  not_ok mbedtls_supplicant "$SUPP missing (make TLS=mbedtls)"
  lyd_finish
fi
if ! "$SUPP" --version | grep -q 'mbedtls'; then
  not_ok mbedtls_supplicant "$SUPP --version does not report the mbedTLS backend: $("$SUPP" --version)"
  lyd_finish
fi
lyd_require "$REF_HOSTAPD" "$REF_HOSTAPD_CLI" || { lyd_skip mbed_hapd "hostapd missing"; lyd_finish; }

run_case() {  # CASE METHOD REAUTH [network lines...]
  local c=$1 method=$2 reauth=$3
  shift 3
  lyd_case_begin "$c"
  lyd_netns "$c-ap" "$c-st" || { not_ok "$c" "cannot create namespaces"; return; }
  local sta_mac
  sta_mac=$(lyd_mac)
  lyd_veth "$c-ap" eth0 "$(lyd_mac)" "$c-st" eth0 "$sta_mac" || { not_ok "$c" "cannot create veth"; return; }
  write_eap_user "$LYD_WORK/$c.eap_user"
  write_hostapd_conf "$LYD_WORK/$c-hapd.conf" eth0 "$LYD_WORK/$c-hctrl" "$LYD_WORK/$c.eap_user" \
    "tls_session_lifetime=3600"
  run_bg "$c-ap" "$LYD_WORK/$c-hapd.log" "$REF_HOSTAPD" -dd -t "$LYD_WORK/$c-hapd.conf" > /dev/null
  wait_for_log "$LYD_WORK/$c-hapd.log" 'eth0: AP-ENABLED' 10 || { not_ok "$c" "hostapd did not start"; return; }
  write_wpa_supplicant_conf "$LYD_WORK/$c-supp.conf" "$LYD_WORK/$c-sctrl" "$method" "$@"
  local log=$LYD_WORK/$c-supp.log
  run_bg "$c-st" "$log" "$SUPP" -d -D wired -i eth0 -c "$LYD_WORK/$c-supp.conf" > /dev/null
  if ! wait_for_log "$log" "EAP: $method completed: .*resumed=0" 15; then
    not_ok "$c" "no '$method completed' ($(grep -E 'failed' "$log" | tail -1))"
    return
  fi
  wait_for_log "$LYD_WORK/$c-hapd.log" "AP-STA-CONNECTED $sta_mac" 5 ||
    { not_ok "$c" "hostapd did not authorize $sta_mac"; return; }
  if [ "$reauth" = yes ]; then
    hostapd_cli_ns "$LYD_WORK/$c-hctrl" eth0 raw EAPOL_REAUTH "$sta_mac" > /dev/null
    if ! wait_for_log "$log" "EAP: $method completed: .*resumed=1" 15 ||
       ! grep -q 'Handshake finished - resumed=1' "$LYD_WORK/$c-hapd.log"; then
      not_ok "$c" "reauthentication was not resumed on both ends"
      return
    fi
  fi
  ok "$c"
  lyd_case_end "$c"
  lyd_case_cleanup
}

run_case tls TLS no
run_case peap PEAP yes 'phase1="peapver=0"'
lyd_finish
