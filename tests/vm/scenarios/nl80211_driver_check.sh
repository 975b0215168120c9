#!/bin/bash
# vm-radios: 3
# Lanyard's own nl80211 drivers (drivers/nl80211/) on mac80211_hwsim: an AP
# (Nl80211AccessPointDriver) on wlan0 and a station (Nl80211StationDriver) on
# wlan1, both in one process, drivers/tools/nl80211_check.cpp. Checks the wiphy
# probe, START_AP, scan + CONNECT, the AP's user-space SME admitting the
# station, one EAPOL frame each way, keys, port authorization, another EAPOL
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

run_check() {  # PREFIX ARGS...
  local prefix=$1 log line name rest rc
  shift
  log=$LYD_WORK/$prefix.log
  timeout -k 5 60 "$bin" --ap wlan0 --sta wlan1 --ssid "lanyard-$prefix" --timeout-s 40 -d "$@" \
    > "$log.out" 2> "$log"
  rc=$?
  while IFS= read -r line; do
    case $line in
      "ok "*) ok "$prefix-${line#ok nl80211-}" ;;
      "not ok "*)
        rest=${line#not ok nl80211-}
        name=${rest%%:*}
        not_ok "$prefix-$name" "${rest#*: }" ;;
      "#"*) echo "$line" ;;
    esac
  done < "$log.out"
  if [ $rc -ne 0 ] && ! grep -q '^not ok' "$log.out"; then
    not_ok "$prefix-exit" "nl80211_check exited $rc: $(tail -3 "$log" | tr '\n' ' ')"
  fi
  if grep -q '^not ok' "$log.out"; then
    echo "# $prefix: last log lines:"
    tail -15 "$log" | sed 's/^/#   /'
  fi
}

# The first run ends with the station's disconnect; the others roam to
# wlan2 and end with that AP deauthenticating the station.
run_check nl80211
run_check nl80211-pkt --packet-socket --ap2 wlan2
run_check nl80211-rsn --rsn --ap2 wlan2
run_check nl80211-4way --four-way --ap2 wlan2
vm_finish
