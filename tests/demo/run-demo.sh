#!/bin/bash
# make demo: with no configuration from the user, a throw-away PKI, two network
# namespaces joined by a veth pair, lanyard-authenticator in one and
# lanyard-supplicant in the other; EAP-TLS, then PEAP-MSCHAPv2 twice (the
# second authentication resumes the TLS session); a short timeline; clean-up.
set -u
if [ "$(id -u)" -ne 0 ]; then
  echo "make demo needs root: it creates network namespaces and raw 802.1X sockets." >&2
  echo "Run it as root, e.g.: sudo make demo" >&2
  exit 1
fi
BIN_DIR=$(realpath "${1:-build/bin}")
export PKI_DIR=$(realpath "${2:-build/pki}")
export BUILD_ROOT=$(dirname "$BIN_DIR")
# shellcheck source=../interop/lib.sh
source "$(dirname "$0")/../interop/lib.sh"
lyd_init demo >/dev/null
AUTH="$BIN_DIR/lanyard-authenticator"
SUPP="$BIN_DIR/lanyard-supplicant"
lyd_require "$AUTH" "$SUPP" || { echo "build first: make"; exit 1; }

demo_failed=0
timeline() {  # LOG LABEL: print the EAP timeline lines a daemon wrote
  grep -E 'EAP: .*completed|CTRL-EVENT-EAP-(SUCCESS|FAILURE)' "$1" | sed "s/^/  $2: /"
}

run_pair() {  # NAME METHOD REAUTHS
  local name=$1 method=$2 reauths=$3
  local ap="$name-ap" sta="$name-st"
  lyd_netns "$ap" "$sta"
  lyd_veth "$ap" eth0 "$(lyd_mac)" "$sta" eth0 "$(lyd_mac)"
  write_eap_user "$LYD_WORK/$name.eap_user"
  write_hostapd_conf "$LYD_WORK/$name-auth.conf" eth0 "$LYD_WORK/$name-actrl" "$LYD_WORK/$name.eap_user" \
    "tls_session_lifetime=3600"
  write_wpa_supplicant_conf "$LYD_WORK/$name-supp.conf" "$LYD_WORK/$name-sctrl" "$method"
  run_bg "$ap" "$LYD_WORK/$name-auth.log" "$AUTH" -d "$LYD_WORK/$name-auth.conf" >/dev/null
  wait_for_log "$LYD_WORK/$name-auth.log" 'AP-ENABLED|ENABLED|listening|ready' 10 || true
  local t0
  t0=$(lyd_now_ms)
  run_bg "$sta" "$LYD_WORK/$name-supp.log" "$SUPP" -d -D wired -i eth0 -c "$LYD_WORK/$name-supp.conf" >/dev/null
  echo "== $method: full authentication"
  if ! wait_for_log "$LYD_WORK/$name-supp.log" 'CTRL-EVENT-EAP-SUCCESS' 20; then
    echo "  FAILED: no EAP success within 20 s (logs kept in $LYD_WORK)"
    demo_failed=1
    LYD_KEEP=1
    return
  fi
  echo "  wall time from supplicant start: $(( $(lyd_now_ms) - t0 )) ms"
  local i
  for i in $(seq 1 "$reauths"); do
    echo "== $method: reauthentication $i (TLS session resumption)"
    wpa_cli_ns "$LYD_WORK/$name-sctrl" eth0 reassociate >/dev/null
    if ! wait_for_cmd 20 "CTRL-EVENT-EAP-SUCCESS" bash -c "grep -c CTRL-EVENT-EAP-SUCCESS '$LYD_WORK/$name-supp.log' | awk '\$1 > $i {print \"CTRL-EVENT-EAP-SUCCESS\"}'"; then
      echo "  FAILED: no second EAP success"
      demo_failed=1
      LYD_KEEP=1
      return
    fi
  done
  echo "-- timeline ($method)"
  timeline "$LYD_WORK/$name-supp.log" supplicant
  timeline "$LYD_WORK/$name-auth.log" authenticator
  lyd_case_cleanup
}

run_pair tls TLS 0
run_pair peap PEAP 1
lyd_finish >/dev/null 2>&1
if [ "$demo_failed" -ne 0 ]; then
  echo "demo: FAILED"
  exit 1
fi
echo "demo: done, namespaces and processes cleaned up"
