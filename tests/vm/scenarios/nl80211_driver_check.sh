#!/bin/bash
# vm-radios: 3
# Lanyard's own nl80211 drivers (drivers/nl80211/) on mac80211_hwsim: an AP
# (Nl80211AccessPointDriver) on wlan0 and a station (Nl80211StationDriver) on
# wlan1, both in one process, drivers/tools/nl80211_check.cpp. Checks the wiphy
# probe, START_AP, scan + CONNECT, the AP's user-space SME admitting the
# station, one EAPOL frame each way, keys, data frames blocked before and
# passing after port authorization (unicast and broadcast, both ways), another EAPOL
# frame each way under the installed CCMP key, a frame under mismatched keys
# being dropped, a fresh key working again, then either the station's
# disconnect reaching the AP, or a roam (reconnect) to a second AP with the
# same SSID on wlan2 which then deauthenticates the station. Four runs:
#   nl80211       open, EAPOL over the nl80211 control port
#   nl80211-pkt   open, EAPOL over the PAE packet-socket fallback
#   nl80211-rsn   WPA2-Enterprise, PMF required (RSN elements in beacon, CONNECT
#                 and association, checked with eapol::negotiate_rsn), fixed keys
#   nl80211-4way  the same with the keys from eapol/'s 4-way handshake machines
#                 (fixed PMK, no EAP)
#
# The check binary is not built by the Makefile. Build it on the host with:
#   make BUILD_ROOT=build/nl SRC_DIRS="common crypto tls tls/openssl methods eapol drivers drivers/memory drivers/wired drivers/nl80211" \
#        build/nl/lib/liblanyard_os.a build/nl/lib/liblanyard.a
#   g++ -std=c++20 -O1 -g -I. $(pkg-config --cflags libnl-genl-3.0) -o build/nl/bin/nl80211_check \
#       drivers/tools/nl80211_check.cpp build/nl/lib/liblanyard_os.a build/nl/lib/liblanyard.a \
#       $(pkg-config --libs libnl-genl-3.0) -lssl -lcrypto -lpthread
# NL80211_CHECK_BIN overrides the path (default: $BUILD_ROOT/bin/nl80211_check,
# else $LANYARD_ROOT/build/nl/bin/nl80211_check).
source "$LANYARD_ROOT/tests/vm/vm-lib.sh"
vm_init nl80211_driver_check

bin=${NL80211_CHECK_BIN:-$BUILD_ROOT/bin/nl80211_check}
[ -x "$bin" ] || bin=$LANYARD_ROOT/build/nl/bin/nl80211_check
if [ ! -x "$bin" ]; then
  not_ok nl80211-check "no check binary (build drivers/tools/nl80211_check.cpp, see this script's header)"
  vm_finish
fi

# Re-emits a check program's "ok"/"not ok" lines (PREFIX replaces their
# "nl80211-"), with the end of its log when something failed.
emit_results() {  # PREFIX OUTPUT LOG RC
  local prefix=$1 out=$2 log=$3 rc=$4 line name rest
  # (no process substitution: the guest has no /dev/fd)
  grep -E '^(ok |not ok |# )' "$out" > "$out.lines"
  while IFS= read -r line; do
    case $line in
      "ok "*) rest=${line#ok }; ok "$prefix${rest#nl80211-}" ;;
      "not ok "*)
        rest=${line#not ok }
        name=${rest%%:*}
        not_ok "$prefix${name#nl80211-}" "${rest#*: }" ;;
      "# "*) echo "$line" ;;
    esac
  done < "$out.lines"
  if [ "$rc" -ne 0 ] && ! grep -q '^not ok' "$out"; then
    not_ok "${prefix}exit" "exited $rc: $(tail -3 "$log" | tr '\n' ' ')"
  fi
  if grep -q '^not ok' "$out"; then
    echo "# $(basename "$log"): last log lines:"
    tail -15 "$log" | sed 's/^/#   /'
  fi
}

run_check() {  # PREFIX ARGS...
  local prefix=$1 log rc
  shift
  log=$LYD_WORK/$prefix.log
  timeout -k 5 60 "$bin" --ap wlan0 --sta wlan1 --ssid "lanyard-$prefix" --timeout-s 40 -d "$@" \
    > "$log.out" 2> "$log"
  rc=$?
  emit_results "$prefix-" "$log.out" "$log" $rc
}

# The first run ends with the station's disconnect; the others roam to
# wlan2 and end with that AP deauthenticating the station. The WPA2 runs
# scan actively, so the AP's SME answers probe requests.
run_check nl80211
run_check nl80211-pkt --packet-socket --ap2 wlan2
run_check nl80211-rsn --rsn --ap2 wlan2 --active-scan
run_check nl80211-4way --four-way --ap2 wlan2 --active-scan

# ---- interoperability with Debian's hostapd and wpa_supplicant ----------
# (WPA2-Enterprise, PMF required, vm-lib's configurations; EAP identity
# exchange only: the EAP methods are not part of the drivers.)
ibin=$(dirname "$bin")/nl80211_interop_check
w=$LYD_WORK
if [ ! -x "$ibin" ]; then
  not_ok interop "no $ibin (build drivers/tools/nl80211_interop_check.cpp like nl80211_check)"
elif ! lyd_require "$REF_HOSTAPD" "$REF_WPA_SUPPLICANT"; then
  not_ok interop "hostapd or wpa_supplicant missing"
else
  # Our station against hostapd.
  vm_write_hostapd_wpa2_eap "$w/hapd.conf" wlan0 "$w/hapd" "$w/eap_user"
  if vm_start_hostapd - "$w/hapd.conf" "$w/hapd.log"; then
    hapd=$LYD_LAST_PID
    timeout -k 5 60 "$ibin" station wlan1 "$VM_SSID" --timeout-s 40 -d > "$w/interop-sta.out" 2> "$w/interop-sta.log"
    emit_results "" "$w/interop-sta.out" "$w/interop-sta.log" $?
    vm_stop "$hapd"
  else
    not_ok interop-hostapd "hostapd did not start: $(tail -3 "$w/hapd.log" | tr '\n' ' ')"
  fi
  # Our AP against wpa_supplicant.
  "$ibin" ap wlan0 "$VM_SSID" --timeout-s 40 -d > "$w/interop-ap.out" 2> "$w/interop-ap.log" &
  apid=$!
  echo "$apid" >> "$LYD_WORK/.pids"
  if wait_for_log "$w/interop-ap.out" '^# ap ready' 20; then
    vm_write_wpas_wpa2_eap "$w/wpas.conf" "$w/wpas" MD5
    vm_start_wpa_supplicant - wlan1 "$w/wpas.conf" "$w/wpas.log" || not_ok interop-wpa_supplicant "did not start"
    wpas=$LYD_LAST_PID
  fi
  rc=0
  for _ in $(seq 600); do kill -0 "$apid" 2> /dev/null || break; sleep 0.1; done
  kill -0 "$apid" 2> /dev/null && vm_stop "$apid"
  wait "$apid" 2> /dev/null || rc=$?
  emit_results "" "$w/interop-ap.out" "$w/interop-ap.log" $rc
  [ -n "${wpas:-}" ] && vm_stop "$wpas"
fi
vm_finish
