#!/bin/bash
# vm-radios: 2
# lanyard-authenticator driver=nl80211 (WPA2-Enterprise, PMF required,
# integrated EAP server, wpa_group_rekey=5) on wlan0:
#  - wpas-tls:  Debian's wpa_supplicant with EAP-TLS: no data before; the
#               4-way handshake (AP-STA-CONNECTED, EAPOL-4WAY-HS-COMPLETED);
#               hostapd_cli all_sta lists it; data; two group rekeys with data
#               after them; AP-STA-DISCONNECTED when it leaves; blocked after
#  - wpas-peap: the same station with PEAP-MSCHAPv2, connected, data
#  - lyd:       lanyard-supplicant against it (EAP-TLS), connected, data
source "$LANYARD_ROOT/tests/vm/vm-lib.sh"
vm_init lanyard_authenticator_wifi
AUTHD=$LYD_BIN/lanyard-authenticator
SUPP=$LYD_BIN/lanyard-supplicant
lyd_require "$AUTHD" "$SUPP" "$REF_WPA_SUPPLICANT" "$REF_HOSTAPD_CLI" || { not_ok lauth "programs missing"; vm_finish; }

w=$LYD_WORK
REKEY_S=5
c=lauth
# vm_check_data with this scenario's namespaces ($c-ap, $c-sta) and the
# result named after the case.
check_data() {  # CASE
  if ! vm_ping $c-sta "$VM_AP_IP" 20; then not_ok "$1-data" "station cannot ping the AP after the 4-way handshake"
  elif ! vm_ping $c-ap "$VM_STA_IP" 10; then not_ok "$1-data" "AP cannot ping the station after the 4-way handshake"
  else ok "$1-data"; fi
}
vm_wpa2_pair $c || { not_ok $c-setup "could not move the radios into namespaces"; vm_finish; }
vm_write_hostapd_wpa2_eap "$w/auth.conf" wlan0 "$w/actrl" "$w/eap_user" "wpa_group_rekey=$REKEY_S"
run_bg $c-ap "$w/auth.log" "$AUTHD" -d "$w/auth.conf" > /dev/null
auth=$LYD_LAST_PID
wait_for_log "$w/auth.log" 'AP-ENABLED' "$VM_T_START" && kill -0 "$auth" 2> /dev/null ||
  { not_ok $c-ap "lanyard-authenticator did not start: $(tail -3 "$w/auth.log" | tr '\n' ' ')"; vm_finish; }
ok $c-ap-started
vm_check_blocked $c before-connect

# The authenticator log grows across cases: each case checks the lines after its start.
case_log() {  # CASE -> $w/CASE.auth.log holds the authenticator log lines since the mark
  tail -n +"$MARK" "$w/auth.log" > "$w/$1.auth.log"
}
wait_auth() {  # REGEX TIMEOUT
  wait_for_cmd "$2" '^[1-9]' sh -c "tail -n +$MARK '$w/auth.log' | grep -Ec '$1'"
}

# ---- wpa_supplicant, EAP-TLS ----
t=$c-wpas-tls
MARK=$(($(wc -l < "$w/auth.log") + 1))
vm_write_wpas_wpa2_eap "$w/wpas-tls.conf" "$w/wctrl" TLS
vm_start_wpa_supplicant $c-sta wlan1 "$w/wpas-tls.conf" "$w/wpas-tls.log" ||
  { not_ok $t "wpa_supplicant did not start"; vm_finish; }
wpas=$LYD_LAST_PID
if wait_for_log "$w/wpas-tls.log" 'Key negotiation completed' "$VM_T_CONNECT" &&
   wait_auth 'AP-STA-CONNECTED' 10 && wait_auth 'EAPOL-4WAY-HS-COMPLETED' 5; then
  echo "# $t: $(grep -m1 -o 'Key negotiation completed.*' "$w/wpas-tls.log")"
  ok $t-connected
  sta=$(lyd_exec $c-ap 5 "$REF_HOSTAPD_CLI" -p "$w/actrl" -i wlan0 all_sta 2>&1)
  echo "$sta" | head -3 | sed 's/^/#   /'
  grep -Eq '^([0-9a-f]{2}:){5}[0-9a-f]{2}$' <<< "$sta" && ok $t-all-sta || not_ok $t-all-sta "hostapd_cli all_sta lists no station"
  check_data $t
  if wait_for_cmd $((REKEY_S * 6 + 20)) '^[2-9]' grep -c 'WPA: Group rekeying completed' "$w/wpas-tls.log"; then
    ok $t-group-rekey
  else
    not_ok $t-group-rekey "fewer than 2 'WPA: Group rekeying completed' within $((REKEY_S * 6 + 20))s"
  fi
  ip -n "$(lyd_ns $c-ap)" neigh flush dev wlan0
  ip -n "$(lyd_ns $c-sta)" neigh flush dev wlan1
  if vm_ping $c-ap "$VM_STA_IP" 10; then ok $t-data-after-rekey
  else not_ok $t-data-after-rekey "no ping from the AP after the group rekeys"; fi
  vm_stop "$wpas"
  wait_auth 'AP-STA-DISCONNECTED' 10 && ok $t-left || not_ok $t-left "no AP-STA-DISCONNECTED after wpa_supplicant stopped"
  vm_check_blocked $c after-disconnect
else
  not_ok $t-connected "no 4-way handshake: $(grep -Eo 'CTRL-EVENT-EAP-(SUCCESS|FAILURE)' "$w/wpas-tls.log" | head -1)"
fi
vm_stop "$wpas"
case_log wpas-tls

# ---- wpa_supplicant, PEAP ----
t=$c-wpas-peap
MARK=$(($(wc -l < "$w/auth.log") + 1))
vm_write_wpas_wpa2_eap "$w/wpas-peap.conf" "$w/wctrl2" PEAP
vm_start_wpa_supplicant $c-sta wlan1 "$w/wpas-peap.conf" "$w/wpas-peap.log" || { not_ok $t "wpa_supplicant did not start"; vm_finish; }
wpas=$LYD_LAST_PID
if wait_for_log "$w/wpas-peap.log" 'Key negotiation completed' "$VM_T_CONNECT" && wait_auth 'EAPOL-4WAY-HS-COMPLETED' 10; then
  grep -Eq 'CTRL-EVENT-EAP-METHOD .*\(PEAP\) selected' "$w/wpas-peap.log" && ok $t-connected ||
    not_ok $t-connected "connected, but not with PEAP"
  check_data $t
else
  not_ok $t-connected "no 4-way handshake"
fi
vm_stop "$wpas"
wait_auth 'AP-STA-DISCONNECTED' 10 > /dev/null
case_log wpas-peap

# ---- lanyard-supplicant, EAP-TLS ----
t=$c-lyd
MARK=$(($(wc -l < "$w/auth.log") + 1))
vm_write_wpas_wpa2_eap "$w/lyd.conf" "$w/lctrl" TLS
run_bg $c-sta "$w/lyd.log" "$SUPP" -d -D nl80211 -i wlan1 -c "$w/lyd.conf" > /dev/null
lyd=$LYD_LAST_PID
if wait_for_log "$w/lyd.log" 'Key negotiation completed' "$VM_T_CONNECT" && wait_auth 'EAPOL-4WAY-HS-COMPLETED' 10; then
  ok $t-connected
  check_data $t
else
  not_ok $t-connected "no 4-way handshake"
fi
vm_stop "$lyd"
case_log lyd
vm_stop "$auth"
vm_finish
