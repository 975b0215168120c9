#!/bin/bash
# lanyard-authenticator as a RADIUS client (hostapd.conf eap_server=0 with
# auth_server_* and acct_server_*): Debian's wpa_supplicant in one
# namespace, our authenticator (driver=wired) and the RADIUS servers on the
# loopback of the other.
# Cases: lanyard_tls (our RADIUS server behind, EAPOL_REAUTH resumes),
# fr_tls and fr_peap (FreeRADIUS 3.2 behind, accounting Start and Stop seen
# by FreeRADIUS), session_timeout (FreeRADIUS sends Session-Timeout with
# Termination-Action=RADIUS-Request: we reauthenticate), failover (the first
# server's port is closed), wrong_secret (answers dropped, never authorized).
source "$(dirname "$0")/lib.sh"
lyd_init radius_cli
LYD_AUTH=$LYD_BIN/lanyard-authenticator
FREERADIUS=${REF_FREERADIUS:-/usr/sbin/freeradius}
if ! lyd_require "$REF_WPA_SUPPLICANT" "$REF_HOSTAPD_CLI" "$LYD_AUTH"; then
  lyd_skip radius_cli "wpa_supplicant, hostapd_cli or lanyard-authenticator missing"
  lyd_finish
fi

SECRET=lanyard-nas-secret
LYD_PORT=18120
FR_PORT=18130
FR_ACCT_PORT=18131
CLOSED_PORT=18199

# setup_case CASE: namespaces CASE-ap / CASE-sta joined by veth. Sets AP_MAC STA_MAC.
setup_case() {
  local c=$1
  lyd_netns "$c-ap" "$c-sta" || { not_ok "$c" "cannot create namespaces"; return 1; }
  AP_MAC=$(lyd_mac)
  STA_MAC=$(lyd_mac)
  lyd_veth "$c-ap" eth0 "$AP_MAC" "$c-sta" eth0 "$STA_MAC" || { not_ok "$c" "cannot create veth"; return 1; }
}

# start_lanyard_radius CASE SECRET: our RADIUS server in CASE-ap on LYD_PORT.
start_lanyard_radius() {
  local c=$1 secret=$2
  write_radius_server_conf "$LYD_WORK/$c-radius.conf" "$LYD_PORT" "$secret"
  RADIUS_LOG=$LYD_WORK/$c-radius.log
  run_bg "$c-ap" "$RADIUS_LOG" "$LYD_AUTH" -d -t "$LYD_WORK/$c-radius.conf" > /dev/null
  wait_for_log "$RADIUS_LOG" 'RADIUS server listening' 10 || { not_ok "$c" "RADIUS server did not start"; return 1; }
}

# start_freeradius CASE USERS: FreeRADIUS in CASE-ap, auth FR_PORT, acct FR_ACCT_PORT.
start_freeradius() {
  local c=$1 users=$2 dir=$LYD_WORK/$1-fr
  "$REPO_ROOT/tests/interop/freeradius-conf.sh" "$dir" "$FR_PORT" "$SECRET" "$PKI_DIR" "$users" \
    > "$LYD_WORK/$c-fr-conf.log" 2>&1 || { not_ok "$c" "freeradius-conf.sh failed"; return 1; }
  # An accounting listener next to the auth one.
  sed -i "0,/^server default {/s//server default {\nlisten {\n\ttype = acct\n\tipaddr = 127.0.0.1\n\tport = $FR_ACCT_PORT\n}\n/" \
    "$dir/sites-available/default"
  FR_LOG=$LYD_WORK/$c-fr.log
  run_bg "$c-ap" "$FR_LOG" "$FREERADIUS" -X -d "$dir" > /dev/null
  wait_for_log "$FR_LOG" 'Ready to process requests' 30 || { not_ok "$c" "FreeRADIUS did not start: $(tail -3 "$FR_LOG" | tr '\n' ' ')"; return 1; }
}

# start_nas CASE [LINES...]: lanyard-authenticator, eap_server=0, in CASE-ap.
start_nas() {
  local c=$1
  shift
  NAS_DIR=$LYD_WORK/$c-nas
  NAS_LOG=$LYD_WORK/$c-nas.log
  {
    echo "interface=eth0"
    echo "driver=wired"
    echo "ctrl_interface=$NAS_DIR"
    echo "ieee8021x=1"
    echo "eapol_version=2"
    echo "use_pae_group_addr=1"
    echo "eap_server=0"
    echo "own_ip_addr=127.0.0.1"
    echo "nas_identifier=lanyard-nas"
    printf '%s\n' "$@"
  } > "$LYD_WORK/$c-nas.conf"
  run_bg "$c-ap" "$LYD_WORK/$c-nas.stderr" "$LYD_AUTH" -d -t -f "$NAS_LOG" "$LYD_WORK/$c-nas.conf" > /dev/null
  wait_for_log "$NAS_LOG" 'AP-ENABLED' 10 || { not_ok "$c" "lanyard-authenticator did not start: $(tail -2 "$LYD_WORK/$c-nas.stderr")"; return 1; }
}

# start_wpas CASE METHOD: Debian's wpa_supplicant in CASE-sta.
start_wpas() {
  local c=$1 method=$2
  WPAS_DIR=$LYD_WORK/$c-wpas
  WPAS_LOG=$LYD_WORK/$c-wpas.log
  write_wpa_supplicant_conf "$LYD_WORK/$c-wpas.conf" "$WPAS_DIR" "$method"
  run_bg "$c-sta" "$WPAS_LOG" "$REF_WPA_SUPPLICANT" -dd -t -D wired -i eth0 -c "$LYD_WORK/$c-wpas.conf" > /dev/null
}

auth_lines() {  # PORT SECRET: one auth_server group
  echo "auth_server_addr=127.0.0.1"
  echo "auth_server_port=$1"
  echo "auth_server_shared_secret=$2"
}

# expect_success CASE: wpa_supplicant succeeded and our port is authorized.
expect_success() {
  local c=$1
  wait_for_log "$WPAS_LOG" 'CTRL-EVENT-EAP-SUCCESS' 20 || { echo "no CTRL-EVENT-EAP-SUCCESS from wpa_supplicant"; return 1; }
  wait_for_log "$NAS_LOG" "AP-STA-CONNECTED $STA_MAC" 5 || { echo "our authenticator did not authorize $STA_MAC"; return 1; }
  hostapd_cli_ns "$NAS_DIR" eth0 sta "$STA_MAC" | grep -q '^flags=\[AUTHORIZED\]' || { echo "hostapd_cli sta: not AUTHORIZED"; return 1; }
}

report() {  # CASE FAILS
  if [ -z "$2" ]; then ok "$1"; else not_ok "$1" "${2#; }"; fi
}

case_lanyard_tls() {
  local c=lanyard_tls fails="" why
  lyd_case_begin "$c"
  if setup_case "$c" && start_lanyard_radius "$c" "$SECRET" && start_nas "$c" $(auth_lines $LYD_PORT $SECRET); then
    start_wpas "$c" TLS
    if ! why=$(expect_success "$c"); then
      fails="$fails; $why"
    elif [ "$(hostapd_cli_ns "$NAS_DIR" eth0 raw EAPOL_REAUTH "$STA_MAC")" != OK ]; then
      fails="$fails; EAPOL_REAUTH refused"
    elif ! wait_for_cmd 15 '^2$' grep -c 'CTRL-EVENT-EAP-SUCCESS' "$WPAS_LOG"; then
      fails="$fails; no second success after EAPOL_REAUTH"
    elif ! grep -q 'Handshake finished - resumed=1' "$WPAS_LOG"; then
      fails="$fails; the reauthentication did not resume TLS"
    fi
    hostapd_cli_ns "$NAS_DIR" eth0 sta "$STA_MAC" | grep -q '^last_eap_type_as=13 (TLS)' ||
      fails="$fails; STA does not show last_eap_type_as=13 (TLS)"
    echo "# $c: $(grep -E 'RADIUS: .* (success|failure)' "$RADIUS_LOG" | sed 's/.*radius-server: //' | tr '\n' ';')"
  fi
  report "$c" "$fails"
  lyd_case_end "$c"
  lyd_case_cleanup
}

# case_freeradius CASE METHOD: FreeRADIUS behind, accounting Start then Stop on logoff.
case_freeradius() {
  local c=$1 method=$2 fails="" why
  lyd_case_begin "$c"
  if setup_case "$c" && start_freeradius "$c" default &&
     start_nas "$c" $(auth_lines $FR_PORT $SECRET) "acct_server_addr=127.0.0.1" "acct_server_port=$FR_ACCT_PORT" \
       "acct_server_shared_secret=$SECRET"; then
    start_wpas "$c" "$method"
    if ! why=$(expect_success "$c"); then
      fails="$fails; $why"
    else
      wait_for_log "$FR_LOG" 'Acct-Status-Type = Start' 10 || fails="$fails; FreeRADIUS saw no Accounting Start"
      local sta_id
      sta_id=$(tr 'a-f:' 'A-F-' <<< "$STA_MAC")
      grep -q "Calling-Station-Id = \"$sta_id\"" "$FR_LOG" || fails="$fails; FreeRADIUS saw no Calling-Station-Id $sta_id"
      if [ "$(wpa_cli_ns "$WPAS_DIR" eth0 logoff)" != OK ]; then
        fails="$fails; wpa_cli logoff refused"
      else
        wait_for_log "$FR_LOG" 'Acct-Status-Type = Stop' 10 || fails="$fails; FreeRADIUS saw no Accounting Stop after logoff"
        grep -q 'Acct-Terminate-Cause = User-Request' "$FR_LOG" || fails="$fails; Stop without Acct-Terminate-Cause = User-Request"
      fi
    fi
    grep -q 'Sent Access-Accept' "$FR_LOG" || fails="$fails; FreeRADIUS sent no Access-Accept"
  fi
  report "$c" "$fails"
  lyd_case_end "$c"
  lyd_case_cleanup
}

case_session_timeout() {
  local c=session_timeout fails="" why
  [ -x "$FREERADIUS" ] || { lyd_skip "$c" "no $FREERADIUS"; return; }
  lyd_case_begin "$c"
  cat > "$LYD_WORK/$c.users" <<EOF
"$LYD_TLS_IDENTITY"
	Session-Timeout := 3,
	Termination-Action := RADIUS-Request
EOF
  if setup_case "$c" && start_freeradius "$c" "$LYD_WORK/$c.users" && start_nas "$c" $(auth_lines $FR_PORT $SECRET); then
    start_wpas "$c" TLS
    if ! why=$(expect_success "$c"); then
      fails="$fails; $why"
    elif ! wait_for_log "$NAS_LOG" 'Session-Timeout reached' 10; then
      fails="$fails; no Session-Timeout in our log"
    elif ! wait_for_cmd 15 '^2$' grep -c 'CTRL-EVENT-EAP-SUCCESS' "$WPAS_LOG"; then
      fails="$fails; no reauthentication after Session-Timeout"
    fi
  fi
  report "$c" "$fails"
  lyd_case_end "$c"
  lyd_case_cleanup
}

case_failover() {
  local c=failover fails="" why
  lyd_case_begin "$c"
  if setup_case "$c" && start_lanyard_radius "$c" "$SECRET" &&
     start_nas "$c" $(auth_lines $CLOSED_PORT $SECRET) $(auth_lines $LYD_PORT $SECRET); then
    start_wpas "$c" TLS
    if ! why=$(expect_success "$c"); then fails="$fails; $why"; fi
    grep -q "now using server 127.0.0.1:$LYD_PORT" "$NAS_LOG" || fails="$fails; our log does not show the failover"
  fi
  report "$c" "$fails"
  lyd_case_end "$c"
  lyd_case_cleanup
}

case_wrong_secret() {
  local c=wrong_secret fails=""
  lyd_case_begin "$c"
  if setup_case "$c" && start_lanyard_radius "$c" "another-secret" && start_nas "$c" $(auth_lines $LYD_PORT $SECRET); then
    start_wpas "$c" MD5
    sleep 6
    grep -q 'CTRL-EVENT-EAP-SUCCESS' "$WPAS_LOG" && fails="$fails; wpa_supplicant succeeded"
    grep -q "AP-STA-CONNECTED" "$NAS_LOG" && fails="$fails; the port was authorized"
    grep -q 'bad authenticator=' <(kill -TERM "$(pgrep -f "$LYD_WORK/$c-radius.conf" | head -1)"; sleep 1; cat "$RADIUS_LOG") ||
      fails="$fails; our RADIUS server did not count bad authenticators"
  fi
  report "$c" "$fails"
  lyd_case_end "$c"
  lyd_case_cleanup
}

case_lanyard_tls
if [ -x "$FREERADIUS" ]; then
  case_freeradius fr_tls TLS
  case_freeradius fr_peap PEAP
else
  lyd_skip fr "no $FREERADIUS (apt-get install freeradius)"
fi
case_session_timeout
case_failover
case_wrong_secret
lyd_finish
