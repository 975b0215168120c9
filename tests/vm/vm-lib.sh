# shellcheck shell=bash
# Lanyard VM scenario library: helpers for scenarios that run INSIDE the VM
# guest (tests/vm/run-vm.sh) with mac80211_hwsim radios. It builds on
# tests/interop/lib.sh (namespaces, run_bg, wait_for_log, ok/not_ok, the
# credentials and config writers, cleanup trap): read that file's header too.
#
# A scenario, tests/vm/scenarios/NAME.sh (run-vm.sh picks up every *.sh there):
#
#   #!/bin/bash
#   # vm-radios: 2                      (optional; default LANYARD_VM_RADIOS=4)
#   source "$LANYARD_ROOT/tests/vm/vm-lib.sh"
#   vm_init NAME                        # lyd_init + logs copied to RESULT_DIR
#   lyd_netns ap sta
#   vm_move_wlan wlan0 ap && vm_move_wlan wlan1 sta || { not_ok NAME "no netns"; vm_finish; }
#   vm_write_hostapd_wpa2_eap "$LYD_WORK/hapd.conf" wlan0 "$LYD_WORK/hapd" "$LYD_WORK/eap_user"
#   vm_start_hostapd ap "$LYD_WORK/hapd.conf" "$LYD_WORK/hapd.log" || ...
#   vm_write_wpas_wpa2_eap "$LYD_WORK/wpas.conf" "$LYD_WORK/wpas" TLS
#   vm_start_wpa_supplicant sta wlan1 "$LYD_WORK/wpas.conf" "$LYD_WORK/wpas.log"
#   wait_for_log "$LYD_WORK/wpas.log" 'Key negotiation completed' "$VM_T_CONNECT" && ok NAME-4way ...
#   vm_finish                           # exit 1 if any not ok
#
# The guest is a chroot of the host's tree: $BUILD_ROOT/bin/lanyard-*,
# Debian's hostapd/wpa_supplicant/iw/ip are there; /tmp and /run are private
# tmpfs; everything runs about ten times slower than on the host (TCG), so
# wait with the VM_T_* bounds below rather than fixed sleeps.
#
# ENVIRONMENT (set by the harness): LANYARD_ROOT, BUILD_ROOT, PKI_DIR,
#   RESULT_DIR (writable, copied back to the host), LANYARD_VM_WLANS
#   ("wlan0 wlan1 ..." in the root namespace, fresh for each scenario),
#   LANYARD_VM_MODPROBE ("modprobe -d DIR": the guest kernel's modules).
#
# FUNCTIONS
#   vm_init NAME            lyd_init NAME; at exit the work dir LYD_WORK (logs,
#                           configs) moves to $RESULT_DIR/work, which run-vm.sh
#                           keeps on the host when anything failed
#   vm_finish               lyd_finish
#   vm_phy IFACE [NS]       the wiphy (phyN) of a wireless interface
#   vm_move_wlan IFACE NS   moves IFACE's wiphy into our namespace NS (SHORT
#                           name, as lyd_netns) with `iw phy … set netns name`
#                           (a wireless netdev cannot move alone: `ip link set
#                           netns` refuses it); waits until IFACE is there
#   vm_addr NS IFACE CIDR   adds an address and sets the link up
#   vm_write_hostapd_wpa2_eap FILE IFACE CTRL_DIR EAP_USER_FILE [LINE...]
#                           hostapd.conf: driver=nl80211, SSID $VM_SSID on
#                           channel 1, WPA2-Enterprise (wpa=2, WPA-EAP, CCMP),
#                           ieee80211w=2, integrated EAP server with the build
#                           PKI; writes the default eap_user file to
#                           EAP_USER_FILE when it does not exist; LINEs appended
#   vm_write_wpas_wpa2_eap FILE CTRL_DIR METHOD [NETWORK_LINE...]
#                           wpa_supplicant.conf (ap_scan=1) for $VM_SSID with
#                           the method presets of write_wpa_supplicant_conf
#                           (TLS | MD5 | PEAP | NONE), WPA-EAP, CCMP, PMF
#                           required, scanning only 2412 MHz
#   vm_start_hostapd NS CONF LOG        starts Debian's hostapd -t (-dd with
#                           VM_DEBUG=1), waits for AP-ENABLED; pid in
#                           LYD_LAST_PID; returns 1 when it did not come up
#   vm_start_wpa_supplicant NS IFACE CONF LOG   same for wpa_supplicant -D nl80211
#   vm_ping NS ADDR TIMEOUT_S   1 when no reply came within TIMEOUT_S (one
#                           ping a second: the first may be lost to ARP)
#   vm_no_ping NS ADDR COUNT    0 when none of COUNT pings (1 s each) is answered
#   vm_stop PID             TERM, then KILL after 2 s; reaped
#   VM_SSID VM_T_START VM_T_CONNECT   SSID and bounds (s) for start / connect
set -u
# shellcheck source=../interop/lib.sh
source "${LANYARD_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}/tests/interop/lib.sh"

VM_SSID=${VM_SSID:-lanyard-vm}
VM_T_START=${VM_T_START:-30}
VM_T_CONNECT=${VM_T_CONNECT:-90}
VM_DEBUG=${VM_DEBUG:-0}

vm_init() {
  lyd_init "$1"
  trap 'vm_cleanup' EXIT
}

vm_cleanup() {
  local rc=$?
  if [ "$LYD_CLEANED" -eq 0 ]; then
    lyd_case_cleanup
    # The guest's /tmp vanishes at power-off: keep the work dir in RESULT_DIR
    # (on the host: RESULTS_DIR/results/SCENARIO/work).
    if [ -n "${RESULT_DIR:-}" ] && [ -n "$LYD_WORK" ] && [ -d "$LYD_WORK" ]; then
      mkdir -p "$RESULT_DIR/work" && cp -a "$LYD_WORK"/. "$RESULT_DIR/work/" 2> /dev/null &&
        rm -rf "$LYD_WORK"
    fi
  fi
  (exit "$rc")
  lyd_cleanup
}

vm_finish() { lyd_finish; }

vm_phy() {  # IFACE [NS]
  if [ $# -ge 2 ]; then
    ip netns exec "$(lyd_ns "$2")" cat "/sys/class/net/$1/phy80211/name" 2> /dev/null
  else
    cat "/sys/class/net/$1/phy80211/name" 2> /dev/null
  fi
}

vm_move_wlan() {  # IFACE NS
  local ifc=$1 ns phy
  ns=$(lyd_ns "$2")
  phy=$(vm_phy "$ifc") || { echo "# vm_move_wlan: no wireless interface $ifc" >&2; return 1; }
  iw phy "$phy" set netns name "$ns" || return 1
  for _ in $(seq 50); do
    ip -n "$ns" link show "$ifc" > /dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "# vm_move_wlan: $ifc did not appear in $ns" >&2
  return 1
}

vm_addr() {  # NS IFACE CIDR
  local ns
  ns=$(lyd_ns "$1")
  ip -n "$ns" addr add "$3" dev "$2" && ip -n "$ns" link set "$2" up
}

vm_write_hostapd_wpa2_eap() {  # FILE IFACE CTRL_DIR EAP_USER_FILE [LINE...]
  local file=$1 ifc=$2 ctrl=$3 users=$4
  shift 4
  [ -f "$users" ] || write_eap_user "$users"
  # write_hostapd_conf writes a wired 802.1X authenticator; the later lines
  # turn it into a WPA2-Enterprise AP (hostapd: a repeated key overrides).
  write_hostapd_conf "$file" "$ifc" "$ctrl" "$users" \
    driver=nl80211 "ssid=$VM_SSID" hw_mode=g channel=1 \
    wpa=2 wpa_key_mgmt=WPA-EAP rsn_pairwise=CCMP ieee80211w=2 "$@"
}

vm_write_wpas_wpa2_eap() {  # FILE CTRL_DIR METHOD [NETWORK_LINE...]
  local file=$1 ctrl=$2 method=$3
  shift 3
  write_wpa_supplicant_conf "$file" "$ctrl" "$method" \
    "ssid=\"$VM_SSID\"" scan_ssid=1 scan_freq=2412 key_mgmt=WPA-EAP proto=RSN \
    pairwise=CCMP group=CCMP ieee80211w=2 "$@" || return 1
  # write_wpa_supplicant_conf is for wired ports (ap_scan=0): scan here.
  sed -i 's/^ap_scan=0$/ap_scan=1/' "$file"
}

vm_debug_args() { VM_DBG=(); if [ "$VM_DEBUG" = 1 ]; then VM_DBG=(-dd); fi; }

vm_start_hostapd() {  # NS CONF LOG
  vm_debug_args
  run_bg "$1" "$3" "$REF_HOSTAPD" -t "${VM_DBG[@]}" "$2" > /dev/null
  local pid=$LYD_LAST_PID
  wait_for_log "$3" 'AP-ENABLED|interface state .*->ENABLED' "$VM_T_START" && kill -0 "$pid" 2> /dev/null
}

vm_start_wpa_supplicant() {  # NS IFACE CONF LOG
  vm_debug_args
  run_bg "$1" "$4" "$REF_WPA_SUPPLICANT" -t "${VM_DBG[@]}" -D nl80211 -i "$2" -c "$3" > /dev/null
  local pid=$LYD_LAST_PID
  sleep 0.5
  kill -0 "$pid" 2> /dev/null
}

# Debian's ping (iputils-ping) when installed, else busybox's (busybox-static
# is a harness dependency anyway). Only options both know.
if command -v ping > /dev/null 2>&1; then VM_PING=(ping); else VM_PING=(busybox ping); fi

vm_ping() {  # NS ADDR TIMEOUT_S
  local deadline=$(( $(lyd_now_ms) + $3 * 1000 ))
  while :; do
    lyd_exec "$1" 5 "${VM_PING[@]}" -q -c 1 -W 1 "$2" > /dev/null 2>&1 && return 0
    [ "$(lyd_now_ms)" -lt "$deadline" ] || return 1
  done
}

# True only when ping ran, sent COUNT requests and got no reply (a ping that
# cannot run is not "blocked").
vm_no_ping() {  # NS ADDR COUNT
  local out
  out=$(lyd_exec "$1" $(($3 * 2 + 5)) "${VM_PING[@]}" -q -c "$3" -W 1 "$2" 2>&1)
  printf '%s\n' "$out" | grep -Eq "^$3 packets transmitted, 0 (packets )?received"
}

vm_stop() {  # PID
  lyd_term_wait_kill "$1"
  wait "$1" 2> /dev/null
  return 0
}

# ---- WPA2-Enterprise pair: hostapd on wlan0, a station on wlan1 -------------
#   vm_wpa2_pair C          namespaces C-ap (wlan0, 10.80.0.1/24) and C-sta
#                           (wlan1, 10.80.0.2/24, link up, not associated);
#                           sets VM_AP_IP VM_STA_IP
#   vm_check_blocked C WHEN no data from the station to the AP: ok/not_ok
#                           "C-blocked-WHEN"
#   vm_check_connected C HAPD_LOG WPAS_LOG   the EAP method, the 4-way
#                           handshake on both sides (wpa_supplicant "Key
#                           negotiation completed", hostapd AP-STA-CONNECTED
#                           and EAPOL-4WAY-HS-COMPLETED): "C-connected";
#                           returns 1 when not connected
#   vm_check_data C         ping both ways after authorization: "C-data"
VM_AP_IP=10.80.0.1
VM_STA_IP=10.80.0.2

vm_wpa2_pair() {  # C
  lyd_netns "$1-ap" "$1-sta" || return 1
  vm_move_wlan wlan0 "$1-ap" && vm_move_wlan wlan1 "$1-sta" || return 1
  vm_addr "$1-ap" wlan0 "$VM_AP_IP/24" && vm_addr "$1-sta" wlan1 "$VM_STA_IP/24"
}

vm_check_blocked() {  # C WHEN
  if vm_no_ping "$1-sta" "$VM_AP_IP" 3; then ok "$1-blocked-$2"
  else not_ok "$1-blocked-$2" "a ping from the station reached the AP $2"; fi
}

vm_check_connected() {  # C HAPD_LOG WPAS_LOG
  local c=$1 hl=$2 wl=$3 t0 why=""
  t0=$(lyd_now_ms)
  if ! wait_for_log "$wl" 'Key negotiation completed' "$VM_T_CONNECT"; then
    why="wpa_supplicant: no 'Key negotiation completed' within ${VM_T_CONNECT}s"
    grep -Eq 'CTRL-EVENT-EAP-FAILURE' "$wl" && why="$why (EAP failure)"
    grep -Eq 'CTRL-EVENT-EAP-SUCCESS' "$wl" && why="$why (after EAP success)"
  elif ! wait_for_log "$hl" 'AP-STA-CONNECTED' 10; then
    why="hostapd: no AP-STA-CONNECTED"
  elif ! wait_for_log "$hl" 'EAPOL-4WAY-HS-COMPLETED' 5; then
    why="hostapd: no EAPOL-4WAY-HS-COMPLETED"
  elif ! grep -q 'CTRL-EVENT-EAP-SUCCESS' "$wl"; then
    why="wpa_supplicant: keys without CTRL-EVENT-EAP-SUCCESS"
  fi
  if [ -n "$why" ]; then
    not_ok "$c-connected" "$why"
    return 1
  fi
  echo "# $c: $(grep -m1 -o 'Key negotiation completed.*' "$wl")"
  echo "# $c: connected $(( $(lyd_now_ms) - t0 )) ms after wpa_supplicant started;" \
    "EAP start to 4-way done $(lyd_log_ms_between "$wl" 'CTRL-EVENT-EAP-STARTED' 'Key negotiation completed') ms (guest clock)"
  ok "$c-connected"
}

vm_check_data() {  # C
  if ! vm_ping "$1-sta" "$VM_AP_IP" 20; then
    not_ok "$1-data" "station cannot ping the AP after the 4-way handshake"
  elif ! vm_ping "$1-ap" "$VM_STA_IP" 10; then
    not_ok "$1-data" "AP cannot ping the station after the 4-way handshake"
  else
    ok "$1-data"
  fi
}
