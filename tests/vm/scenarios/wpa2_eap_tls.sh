#!/bin/bash
# vm-radios: 2
# Debian's hostapd (nl80211, WPA2-Enterprise, PMF required, integrated EAP
# server) on wlan0 and wpa_supplicant on wlan1 in its own namespace, EAP-TLS
# with the build PKI: no data before the station is connected, the 4-way
# handshake completes on both sides, data flows, and stops after it leaves.
source "$LANYARD_ROOT/tests/vm/vm-lib.sh"
vm_init wpa2_eap_tls
lyd_require "$REF_HOSTAPD" "$REF_WPA_SUPPLICANT" || { not_ok tls "reference programs missing"; vm_finish; }

c=tls
w=$LYD_WORK
vm_wpa2_pair $c || { not_ok $c-setup "could not move the radios into namespaces"; vm_finish; }
vm_write_hostapd_wpa2_eap "$w/hapd.conf" wlan0 "$w/hapd" "$w/eap_user"
vm_write_wpas_wpa2_eap "$w/wpas.conf" "$w/wpas" TLS
vm_start_hostapd $c-ap "$w/hapd.conf" "$w/hapd.log" ||
  { not_ok $c-ap "hostapd did not start: $(tail -3 "$w/hapd.log" | tr '\n' ' ')"; vm_finish; }
vm_check_blocked $c before-connect
vm_start_wpa_supplicant $c-sta wlan1 "$w/wpas.conf" "$w/wpas.log" ||
  { not_ok $c-sta "wpa_supplicant did not start: $(tail -3 "$w/wpas.log" | tr '\n' ' ')"; vm_finish; }
wpas=$LYD_LAST_PID
if vm_check_connected $c "$w/hapd.log" "$w/wpas.log"; then
  if grep -Eq 'CTRL-EVENT-EAP-METHOD .*\(TLS\) selected' "$w/wpas.log"; then ok $c-method
  else not_ok $c-method "wpa_supplicant log does not show EAP-TLS selected"; fi
  vm_check_data $c
  vm_stop "$wpas"
  wait_for_log "$w/hapd.log" 'AP-STA-DISCONNECTED' 10 ||
    not_ok $c-left "hostapd saw no AP-STA-DISCONNECTED after wpa_supplicant stopped"
  vm_check_blocked $c after-disconnect
fi
vm_finish
