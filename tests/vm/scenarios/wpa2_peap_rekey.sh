#!/bin/bash
# vm-radios: 2
# Debian's hostapd and wpa_supplicant over mac80211_hwsim with PEAP-MSCHAPv2
# (WPA2-Enterprise, PMF required) and a short group rekey interval: the
# station connects, then logs group rekeys, and broadcast traffic from the AP
# (ARP after a neighbour flush, under the new GTK) still reaches it.
source "$LANYARD_ROOT/tests/vm/vm-lib.sh"
vm_init wpa2_peap_rekey
lyd_require "$REF_HOSTAPD" "$REF_WPA_SUPPLICANT" || { not_ok peap "reference programs missing"; vm_finish; }

c=peap
w=$LYD_WORK
REKEY_S=4
vm_wpa2_pair $c || { not_ok $c-setup "could not move the radios into namespaces"; vm_finish; }
vm_write_hostapd_wpa2_eap "$w/hapd.conf" wlan0 "$w/hapd" "$w/eap_user" "wpa_group_rekey=$REKEY_S"
vm_write_wpas_wpa2_eap "$w/wpas.conf" "$w/wpas" PEAP
vm_start_hostapd $c-ap "$w/hapd.conf" "$w/hapd.log" ||
  { not_ok $c-ap "hostapd did not start: $(tail -3 "$w/hapd.log" | tr '\n' ' ')"; vm_finish; }
vm_start_wpa_supplicant $c-sta wlan1 "$w/wpas.conf" "$w/wpas.log" ||
  { not_ok $c-sta "wpa_supplicant did not start: $(tail -3 "$w/wpas.log" | tr '\n' ' ')"; vm_finish; }
if vm_check_connected $c "$w/hapd.log" "$w/wpas.log"; then
  if ! grep -Eq 'CTRL-EVENT-EAP-METHOD .*\(PEAP\) selected' "$w/wpas.log" ||
     ! grep -q 'EAP-MSCHAPV2: Authentication succeeded' "$w/wpas.log"; then
    not_ok $c-method "wpa_supplicant log does not show PEAP with MSCHAPv2 succeeding"
  else
    ok $c-method
  fi
  vm_check_data $c
  # Two rekeys, so the second one runs under a GTK that was itself rekeyed.
  if wait_for_cmd $((REKEY_S * 6 + 20)) '^[2-9]' grep -c 'WPA: Group rekeying completed' "$w/wpas.log"; then
    echo "# $c: $(grep -m1 -o 'WPA: Group rekeying completed.*' "$w/wpas.log")"
    ok $c-group-rekey
  else
    not_ok $c-group-rekey "fewer than 2 'WPA: Group rekeying completed' within $((REKEY_S * 6 + 20))s"
  fi
  ip -n "$(lyd_ns $c-ap)" neigh flush dev wlan0
  ip -n "$(lyd_ns $c-sta)" neigh flush dev wlan1
  if vm_ping $c-ap "$VM_STA_IP" 10; then ok $c-data-after-rekey
  else not_ok $c-data-after-rekey "no ping from the AP (ARP broadcast under the new GTK)"; fi
fi
vm_finish
