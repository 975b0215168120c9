#!/bin/bash
# vm-radios: 2
# lanyard-supplicant -D nl80211 against Debian's hostapd (nl80211,
# WPA2-Enterprise, PMF required, integrated EAP server, wpa_group_rekey=5):
#  - tls:  EAP-TLS; no data before; 4-way handshake on both sides; wpa_cli
#          STATUS fields; data both ways; two group rekeys with data after
#          them; the AP sees the station leave when lanyard-supplicant stops
#  - peap: PEAP-MSCHAPv2 against a fresh hostapd, connected, data
#  - sha256: EAP-TLS with WPA-EAP-SHA256 (AKM 00-0F-AC:5) on both sides.
source "$LANYARD_ROOT/tests/vm/vm-lib.sh"
vm_init lanyard_supplicant_hostapd
SUPP=$LYD_BIN/lanyard-supplicant
lyd_require "$SUPP" "$REF_HOSTAPD" "$REF_WPA_CLI" || { not_ok lsupp "programs missing"; vm_finish; }

w=$LYD_WORK
REKEY_S=5
c=lsupp
# vm_check_data with this scenario's namespaces ($c-ap, $c-sta) and the
# result named after the case.
check_data() {  # CASE
  if ! vm_ping $c-sta "$VM_AP_IP" 20; then not_ok "$1-data" "station cannot ping the AP after the 4-way handshake"
  elif ! vm_ping $c-ap "$VM_STA_IP" 10; then not_ok "$1-data" "AP cannot ping the station after the 4-way handshake"
  else ok "$1-data"; fi
}
vm_wpa2_pair $c || { not_ok $c-setup "could not move the radios into namespaces"; vm_finish; }

start_supp() {  # CASE CONF LOG
  run_bg $c-sta "$3" "$SUPP" -d -t -D nl80211 -i wlan1 -c "$2" > /dev/null
  LSUPP_PID=$LYD_LAST_PID
  sleep 0.5
  kill -0 "$LSUPP_PID" 2> /dev/null
}

# ---- EAP-TLS ----
t=$c-tls
vm_write_hostapd_wpa2_eap "$w/hapd-tls.conf" wlan0 "$w/hapd" "$w/eap_user" "wpa_group_rekey=$REKEY_S"
vm_write_wpas_wpa2_eap "$w/tls.conf" "$w/ctrl" TLS
vm_start_hostapd $c-ap "$w/hapd-tls.conf" "$w/hapd-tls.log" ||
  { not_ok $t-ap "hostapd did not start: $(tail -3 "$w/hapd-tls.log" | tr '\n' ' ')"; vm_finish; }
hapd=$LYD_LAST_PID
vm_check_blocked $c before-connect
start_supp $t "$w/tls.conf" "$w/tls.log" || { not_ok $t "lanyard-supplicant did not start: $(tail -3 "$w/tls.log" | tr '\n' ' ')"; vm_finish; }
if vm_check_connected $t "$w/hapd-tls.log" "$w/tls.log"; then
  grep -Eq 'CTRL-EVENT-EAP-METHOD .*\(TLS\) selected' "$w/tls.log" && ok $t-method ||
    not_ok $t-method "no EAP-TLS selected in the log"
  grep -q 'CTRL-EVENT-CONNECTED - Connection to ' "$w/tls.log" && ok $t-event-connected ||
    not_ok $t-event-connected "no CTRL-EVENT-CONNECTED"
  st=$(lyd_exec $c-sta 5 "$REF_WPA_CLI" -p "$w/ctrl" -i wlan1 status 2>&1)
  echo "$st" | sed 's/^/#   /'
  if grep -qx 'wpa_state=COMPLETED' <<< "$st" && grep -qx 'key_mgmt=WPA2/IEEE 802.1X/EAP' <<< "$st" &&
     grep -qx 'pairwise_cipher=CCMP' <<< "$st" && grep -qx "ssid=$VM_SSID" <<< "$st" &&
     grep -Eq '^bssid=([0-9a-f]{2}:){5}[0-9a-f]{2}$' <<< "$st"; then
    ok $t-wpa-cli-status
  else
    not_ok $t-wpa-cli-status "STATUS lacks COMPLETED/key_mgmt/CCMP/ssid/bssid"
  fi
  check_data $t
  if wait_for_cmd $((REKEY_S * 6 + 20)) '^[2-9]' grep -c 'WPA: Group rekeying completed' "$w/tls.log"; then
    ok $t-group-rekey
  else
    not_ok $t-group-rekey "fewer than 2 'WPA: Group rekeying completed' within $((REKEY_S * 6 + 20))s"
  fi
  ip -n "$(lyd_ns $c-ap)" neigh flush dev wlan0
  ip -n "$(lyd_ns $c-sta)" neigh flush dev wlan1
  if vm_ping $c-ap "$VM_STA_IP" 10; then ok $t-data-after-rekey
  else not_ok $t-data-after-rekey "no ping from the AP after the group rekeys"; fi
  vm_stop "$LSUPP_PID"
  wait_for_log "$w/hapd-tls.log" 'AP-STA-DISCONNECTED' 10 && ok $t-left ||
    not_ok $t-left "hostapd saw no AP-STA-DISCONNECTED after lanyard-supplicant stopped"
  grep -q 'CTRL-EVENT-DISCONNECTED bssid=' "$w/tls.log" && ok $t-event-disconnected ||
    not_ok $t-event-disconnected "no CTRL-EVENT-DISCONNECTED at exit"
  vm_check_blocked $c after-disconnect
fi
vm_stop "$LSUPP_PID"
vm_stop "$hapd"

# ---- PEAP-MSCHAPv2 ----
t=$c-peap
vm_write_hostapd_wpa2_eap "$w/hapd-peap.conf" wlan0 "$w/hapd2" "$w/eap_user"
vm_write_wpas_wpa2_eap "$w/peap.conf" "$w/ctrl2" PEAP
vm_start_hostapd $c-ap "$w/hapd-peap.conf" "$w/hapd-peap.log" ||
  { not_ok $t-ap "hostapd did not start"; vm_finish; }
hapd2=$LYD_LAST_PID
start_supp $t "$w/peap.conf" "$w/peap.log" || { not_ok $t "lanyard-supplicant did not start"; vm_finish; }
if vm_check_connected $t "$w/hapd-peap.log" "$w/peap.log"; then
  grep -Eq 'CTRL-EVENT-EAP-METHOD .*\(PEAP\) selected' "$w/peap.log" && ok $t-method ||
    not_ok $t-method "no PEAP selected in the log"
  check_data $t
fi
vm_stop "$LSUPP_PID"
vm_stop "$hapd2"

# ---- WPA-EAP-SHA256 ----
t=$c-sha256
vm_write_hostapd_wpa2_eap "$w/hapd-sha.conf" wlan0 "$w/hapd3" "$w/eap_user" wpa_key_mgmt=WPA-EAP-SHA256
vm_write_wpas_wpa2_eap "$w/sha.conf" "$w/ctrl3" TLS key_mgmt=WPA-EAP-SHA256
vm_start_hostapd $c-ap "$w/hapd-sha.conf" "$w/hapd-sha.log" || { not_ok $t-ap "hostapd did not start"; vm_finish; }
start_supp $t "$w/sha.conf" "$w/sha.log" || { not_ok $t "lanyard-supplicant did not start"; vm_finish; }
if vm_check_connected $t "$w/hapd-sha.log" "$w/sha.log"; then
  st=$(lyd_exec $c-sta 5 "$REF_WPA_CLI" -p "$w/ctrl3" -i wlan1 status 2>&1)
  grep -qx 'key_mgmt=WPA2-EAP-SHA256' <<< "$st" && ok $t-key-mgmt || not_ok $t-key-mgmt "STATUS: $(grep key_mgmt <<< "$st")"
  check_data $t
fi
vm_finish
