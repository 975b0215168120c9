#!/bin/bash
# vm-radios: 3
# Lanyard against Lanyard with roaming. Two lanyard-authenticator access
# points with the same SSID (wlan0 on channel 1, wlan2 on channel 6, PMF
# required), both RADIUS pass-through (eap_server=0) to one Lanyard RADIUS
# server (driver=none) that keeps the TLS session cache; lanyard-supplicant
# -D nl80211 on wlan1 (EAP-TLS):
#  - no data before; full EAP-TLS + 4-way with AP1; data through AP1
#  - wpa_cli roam to AP2: EAP again with the TLS session resumed, 4-way; data
#  - wpa_cli roam back to AP1: the PMKID in the association hits AP1's PMKSA
#    cache, EAP is skipped, the 4-way handshake alone opens the port; data
source "$LANYARD_ROOT/tests/vm/vm-lib.sh"
vm_init lanyard_roam
AUTHD=$LYD_BIN/lanyard-authenticator
SUPP=$LYD_BIN/lanyard-supplicant
lyd_require "$AUTHD" "$SUPP" "$REF_WPA_CLI" || { not_ok roam "programs missing"; vm_finish; }

w=$LYD_WORK
c=roam
PORT=18120
SECRET=lanyard-roam-secret
AP1_IP=10.80.0.1
AP2_IP=10.81.0.1

lyd_netns $c-ap $c-sta || { not_ok $c-setup "namespaces"; vm_finish; }
vm_move_wlan wlan0 $c-ap && vm_move_wlan wlan2 $c-ap && vm_move_wlan wlan1 $c-sta ||
  { not_ok $c-setup "could not move the radios into namespaces"; vm_finish; }
vm_addr $c-ap wlan0 $AP1_IP/24 && vm_addr $c-ap wlan2 $AP2_IP/24 && vm_addr $c-sta wlan1 10.80.0.2/24 &&
  ip -n "$(lyd_ns $c-sta)" addr add 10.81.0.2/24 dev wlan1 || { not_ok $c-setup "addresses"; vm_finish; }
ip -n "$(lyd_ns $c-ap)" link set lo up
BSSID1=$(ip netns exec "$(lyd_ns $c-ap)" cat /sys/class/net/wlan0/address)
BSSID2=$(ip netns exec "$(lyd_ns $c-ap)" cat /sys/class/net/wlan2/address)

# The RADIUS server shared by both access points (its TLS cache makes the
# second EAP-TLS a resumption).
write_eap_user "$w/eap_user"
echo "127.0.0.1/32 $SECRET" > "$w/clients"
cat > "$w/radius.conf" <<EOF
driver=none
eap_server=1
eap_user_file=$w/eap_user
ca_cert=$PKI_DIR/ca.pem
server_cert=$PKI_DIR/server.pem
private_key=$PKI_DIR/server.key
tls_session_lifetime=3600
radius_server_clients=$w/clients
radius_server_auth_port=$PORT
EOF
run_bg $c-ap "$w/radius.log" "$AUTHD" -d -t "$w/radius.conf" > /dev/null
wait_for_log "$w/radius.log" 'RADIUS server listening' "$VM_T_START" ||
  { not_ok $c-radius "RADIUS server did not start: $(tail -3 "$w/radius.log" | tr '\n' ' ')"; vm_finish; }

write_nas() {  # FILE IFACE CHANNEL NAME
  cat > "$1" <<EOF
interface=$2
driver=nl80211
ctrl_interface=$w/actrl
ssid=$VM_SSID
hw_mode=g
channel=$3
ieee8021x=1
eapol_version=2
wpa=2
wpa_key_mgmt=WPA-EAP
rsn_pairwise=CCMP
ieee80211w=2
eap_server=0
own_ip_addr=127.0.0.1
nas_identifier=$4
auth_server_addr=127.0.0.1
auth_server_port=$PORT
auth_server_shared_secret=$SECRET
EOF
}
write_nas "$w/ap1.conf" wlan0 1 ap1
write_nas "$w/ap2.conf" wlan2 6 ap2
for n in 1 2; do
  run_bg $c-ap "$w/ap$n.log" "$AUTHD" -d "$w/ap$n.conf" > /dev/null
  wait_for_log "$w/ap$n.log" 'AP-ENABLED' "$VM_T_START" ||
    { not_ok $c-ap$n "lanyard-authenticator did not start: $(tail -3 "$w/ap$n.log" | tr '\n' ' ')"; vm_finish; }
done
ok $c-aps-started

if vm_no_ping $c-sta $AP1_IP 3; then ok $c-blocked-before; else not_ok $c-blocked-before "data before any association"; fi

vm_write_wpas_wpa2_eap "$w/sta.conf" "$w/sctrl" TLS
sed -i '/scan_freq=/d' "$w/sta.conf"
run_bg $c-sta "$w/sta.log" "$SUPP" -d -D nl80211 -i wlan1 -c "$w/sta.conf" > /dev/null
wpa_cli_sta() { lyd_exec $c-sta 10 "$REF_WPA_CLI" -p "$w/sctrl" -i wlan1 "$@"; }
bssid_now() { wpa_cli_sta status | sed -n 's/^bssid=//p'; }
completed_count() { grep -c 'Key negotiation completed' "$w/sta.log"; }

# ---- 1: AP1, full EAP-TLS ----
if wait_for_log "$w/sta.log" 'Key negotiation completed' "$VM_T_CONNECT" &&
   wait_for_log "$w/ap1.log" 'EAPOL-4WAY-HS-COMPLETED' 10; then
  ok $c-ap1-connected
else
  not_ok $c-ap1-connected "no 4-way handshake with AP1"; vm_finish
fi
first=$(bssid_now)
echo "# $c: AP1 $BSSID1, AP2 $BSSID2, station on $first"
grep -q 'EAP: TLS completed: rounds=[0-9]* resumed=0' "$w/sta.log" && ok $c-ap1-full-tls ||
  not_ok $c-ap1-full-tls "the first EAP-TLS was not a full handshake"
vm_ping $c-sta $AP1_IP 20 && ok $c-ap1-data || not_ok $c-ap1-data "no ping through AP1"

# ---- 2: roam to AP2: EAP with TLS resumption ----
t0=$(lyd_now_ms)
[ "$(wpa_cli_sta roam "$BSSID2")" = OK ] || not_ok $c-roam-command "wpa_cli roam $BSSID2 refused"
if wait_for_cmd "$VM_T_CONNECT" '^2$' completed_count && wait_for_log "$w/ap2.log" 'EAPOL-4WAY-HS-COMPLETED' 10; then
  echo "# $c: roamed to AP2 in $(( $(lyd_now_ms) - t0 )) ms"
  [ "$(bssid_now)" = "$BSSID2" ] && ok $c-ap2-connected || not_ok $c-ap2-connected "STATUS bssid is $(bssid_now)"
  grep -q 'EAP: TLS completed: rounds=[0-9]* resumed=1' "$w/sta.log" && ok $c-ap2-tls-resumed ||
    not_ok $c-ap2-tls-resumed "EAP-TLS on AP2 was not a resumption"
  wait_for_log "$w/ap1.log" 'AP-STA-DISCONNECTED' 10 && ok $c-ap1-left || not_ok $c-ap1-left "AP1 saw no AP-STA-DISCONNECTED"
  vm_ping $c-sta $AP2_IP 20 && ok $c-ap2-data || not_ok $c-ap2-data "no ping through AP2"
else
  not_ok $c-ap2-connected "no 4-way handshake with AP2"
fi

# ---- 3: roam back to AP1: PMKSA caching, no EAP ----
eap_before=$(grep -c 'CTRL-EVENT-EAP-STARTED' "$w/sta.log")
t0=$(lyd_now_ms)
[ "$(wpa_cli_sta roam "$BSSID1")" = OK ] || not_ok $c-roam-back-command "wpa_cli roam $BSSID1 refused"
if wait_for_cmd "$VM_T_CONNECT" '^3$' completed_count &&
   wait_for_cmd 10 '^2$' grep -c 'EAPOL-4WAY-HS-COMPLETED' "$w/ap1.log"; then
  echo "# $c: roamed back to AP1 in $(( $(lyd_now_ms) - t0 )) ms"
  [ "$(bssid_now)" = "$BSSID1" ] && ok $c-ap1-again || not_ok $c-ap1-again "STATUS bssid is $(bssid_now)"
  if grep -q 'PMKSA cache entry found' "$w/sta.log" && grep -q 'PMKSA cache: skipping EAP' "$w/ap1.log" &&
     [ "$(grep -c 'CTRL-EVENT-EAP-STARTED' "$w/sta.log")" = "$eap_before" ]; then
    ok $c-pmksa-cached
  else
    not_ok $c-pmksa-cached "EAP ran again or no PMKSA hit on AP1"
  fi
  vm_ping $c-sta $AP1_IP 20 && ok $c-ap1-data-again || not_ok $c-ap1-data-again "no ping through AP1 after roaming back"
else
  not_ok $c-ap1-again "no 4-way handshake with AP1 after roaming back"
fi
vm_finish
