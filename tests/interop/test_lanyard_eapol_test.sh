#!/bin/bash
# lanyard-eapol-test (Debian eapol_test's command line and output) against
# real RADIUS servers on loopback inside one namespace:
#  - Debian hostapd's RADIUS server (driver=none, radius_server_clients,
#    eap_server=1, tls_session_lifetime): EAP-TLS and PEAP-MSCHAPv2 with
#    -r 2 (two resumed reauthentications, "MPPE keys OK: 3"), EAP-MD5 with
#    -n and without (-n missing: FAILURE and exit 252, as eapol_test), a
#    wrong shared secret (no response accepted: FAILURE, exit 252), a small
#    concurrent load;
#  - FreeRADIUS 3.2 (tests/interop/freeradius-conf.sh, freeradius -X): the
#    same EAP-TLS, PEAP and MD5 cases and the wrong secret;
#  - roaming: --servers with both, a station's successive authentications
#    alternate between them;
#  - Debian's eapol_test on the same files and options (ref_*): the same
#    "MPPE keys OK" line, last line and exit status.
source "$(dirname "$0")/lib.sh"
lyd_init eapt
TOOL=$LYD_BIN/lanyard-eapol-test
FREERADIUS=${REF_FREERADIUS:-/usr/sbin/freeradius}
SECRET=lanyard-test-secret
HAPD_PORT=1812
FR_PORT=1822
if ! lyd_require "$TOOL"; then
  not_ok eapt "no $TOOL (make)"
  lyd_finish
fi
HAVE_HAPD=1; lyd_require "$REF_HOSTAPD" || HAVE_HAPD=0
HAVE_FR=1; lyd_require "$FREERADIUS" || HAVE_FR=0

lyd_netns srv || { not_ok eapt "cannot create a namespace"; lyd_finish; }

# Client configurations (wpa_supplicant.conf, one network block each).
write_wpa_supplicant_conf "$LYD_WORK/tls.conf" "$LYD_WORK/ctrl" TLS
write_wpa_supplicant_conf "$LYD_WORK/peap.conf" "$LYD_WORK/ctrl" PEAP
write_wpa_supplicant_conf "$LYD_WORK/md5.conf" "$LYD_WORK/ctrl" MD5

start_hostapd() {
  write_eap_user "$LYD_WORK/hapd.eap_user"
  echo "127.0.0.1/32 $SECRET" > "$LYD_WORK/hapd.clients"
  cat > "$LYD_WORK/hapd.conf" <<CONF
# written by tests/interop/test_lanyard_eapol_test.sh: RADIUS server only
driver=none
interface=lo
logger_stdout=-1
logger_stdout_level=1
radius_server_clients=$LYD_WORK/hapd.clients
radius_server_auth_port=$HAPD_PORT
eap_server=1
eap_user_file=$LYD_WORK/hapd.eap_user
ca_cert=$PKI_DIR/ca.pem
server_cert=$PKI_DIR/server.pem
private_key=$PKI_DIR/server.key
tls_session_lifetime=3600
CONF
  run_bg srv "$LYD_WORK/hapd.log" "$REF_HOSTAPD" -t "$LYD_WORK/hapd.conf" > /dev/null
  wait_for_log "$LYD_WORK/hapd.log" 'AP-ENABLED' 10
}

start_freeradius() {
  "$REPO_ROOT/tests/interop/freeradius-conf.sh" "$LYD_WORK/fr" "$FR_PORT" "$SECRET" "$PKI_DIR" default \
    > "$LYD_WORK/fr-conf.log" 2>&1 || return 1
  run_bg srv "$LYD_WORK/fr.log" "$FREERADIUS" -X -d "$LYD_WORK/fr" > /dev/null
  wait_for_log "$LYD_WORK/fr.log" 'Ready to process requests' 20
}

# run_tool NAME ARGS...: runs the tool in the namespace, output in
# $LYD_WORK/NAME.out, exit status in RC.
RC=0
run_tool() {
  local name=$1
  shift
  lyd_exec srv 60 "$TOOL" "$@" > "$LYD_WORK/$name.out" 2>&1
  RC=$?
}

last_line() { tail -n 1 "$LYD_WORK/$1.out"; }
brief() { tr '\n' '|' < "$LYD_WORK/$1.out" | cut -c1-300; }

# case_reauth NAME PORT CONF: the first authentication full, -r 2 both resumed.
case_reauth() {
  local name=$1 port=$2 conf=$3 resumed
  lyd_case_begin "$name"
  run_tool "$name" -c "$LYD_WORK/$conf" -a 127.0.0.1 -p "$port" -s "$SECRET" -r 2 -t 20 -M "$(lyd_mac)"
  resumed=$(grep -c '^authentication [23]: accept .*resumed=1' "$LYD_WORK/$name.out")
  if [ "$RC" -ne 0 ]; then not_ok "$name" "exit status $RC: $(brief "$name")"
  elif ! grep -q '^MPPE keys OK: 3  mismatch: 0$' "$LYD_WORK/$name.out"; then not_ok "$name" "keys: $(brief "$name")"
  elif [ "$(last_line "$name")" != SUCCESS ]; then not_ok "$name" "last line is not SUCCESS: $(brief "$name")"
  elif ! grep -q '^authentication 1: accept .*resumed=0' "$LYD_WORK/$name.out"; then not_ok "$name" "first not full"
  elif [ "$resumed" -ne 2 ]; then not_ok "$name" "resumed $resumed of 2 reauthentications: $(brief "$name")"
  else ok "$name"; echo "# $name: 3 accepted, 2 resumed, MPPE keys OK: 3"
  fi
  lyd_case_end "$name"
}

# case_md5 NAME PORT: with -n SUCCESS; without, eapol_test's key mismatch.
case_md5() {
  local name=$1 port=$2
  run_tool "$name" -c "$LYD_WORK/md5.conf" -p "$port" -s "$SECRET" -n -t 10 -M "$(lyd_mac)"
  if [ "$RC" -ne 0 ] || [ "$(last_line "$name")" != SUCCESS ] ||
     ! grep -q '^MPPE keys OK: 0  mismatch: 0$' "$LYD_WORK/$name.out"; then
    not_ok "$name" "-n: exit $RC: $(brief "$name")"
    return
  fi
  run_tool "$name-keys" -c "$LYD_WORK/md5.conf" -p "$port" -s "$SECRET" -t 10 -M "$(lyd_mac)"
  if [ "$RC" -ne 252 ] || [ "$(last_line "$name-keys")" != FAILURE ] ||
     ! grep -q '^MPPE keys OK: 0  mismatch: 1$' "$LYD_WORK/$name-keys.out" ||
     ! grep -q '^authentication 1: accept method=MD5' "$LYD_WORK/$name-keys.out"; then
    not_ok "$name" "without -n (expected accept, mismatch 1, FAILURE, 252): exit $RC: $(brief "$name-keys")"
    return
  fi
  ok "$name"
}

# case_wrong_secret NAME PORT: the server drops our requests (bad
# Message-Authenticator); nothing is accepted; FAILURE within -t.
case_wrong_secret() {
  local name=$1 port=$2 t0 t1
  t0=$(lyd_now_ms)
  run_tool "$name" -c "$LYD_WORK/md5.conf" -p "$port" -s "not-$SECRET" -n -t 3 -M "$(lyd_mac)"
  t1=$(lyd_now_ms)
  if [ "$RC" -ne 252 ] || [ "$(last_line "$name")" != FAILURE ]; then
    not_ok "$name" "exit $RC: $(brief "$name")"
  elif ! grep -q '^authentication 1: timeout .*round_trips=0' "$LYD_WORK/$name.out"; then
    not_ok "$name" "a response was accepted: $(brief "$name")"
  elif [ $((t1 - t0)) -gt 8000 ]; then
    not_ok "$name" "took $((t1 - t0)) ms with -t 3"
  else ok "$name"
  fi
}

# case_load NAME CONF SERVERS...: 4 stations, 40 authentications.
case_load() {
  local name=$1 conf=$2 servers=$3
  run_tool "$name" -c "$LYD_WORK/$conf" -s "$SECRET" --servers "$servers" --concurrency 4 --count 40 -t 20 \
    -M "$(lyd_mac)"
  if [ "$RC" -ne 0 ] || [ "$(last_line "$name")" != SUCCESS ] ||
     ! grep -q '^authentications: 40  successes: 40 ' "$LYD_WORK/$name.out"; then
    not_ok "$name" "exit $RC: $(brief "$name")"
    return 1
  fi
  grep -E '^(authentications|rate|latency ms|per server|load generator)' "$LYD_WORK/$name.out" | sed "s/^/# $name: /"
  return 0
}

# case_reference NAME PORT CONF ARGS...: Debian's eapol_test and ours on the
# same file and options print the same "MPPE keys OK" line, the same last
# line and exit with the same status.
case_reference() {
  local name=$1 port=$2 conf=$3 ref_rc ours_rc ref_keys ours_keys ref_last ours_last
  shift 3
  lyd_exec srv 60 "$REF_EAPOL_TEST" -c "$LYD_WORK/$conf" -p "$port" -s "$SECRET" -t 10 "$@" \
    > "$LYD_WORK/$name-ref.out" 2>&1
  ref_rc=$?
  run_tool "$name" -c "$LYD_WORK/$conf" -p "$port" -s "$SECRET" -t 10 "$@"
  ours_rc=$RC
  ref_keys=$(grep '^MPPE keys OK' "$LYD_WORK/$name-ref.out")
  ours_keys=$(grep '^MPPE keys OK' "$LYD_WORK/$name.out")
  ref_last=$(tail -n 1 "$LYD_WORK/$name-ref.out")
  ours_last=$(last_line "$name")
  if [ -z "$ref_keys" ]; then not_ok "$name" "eapol_test printed no MPPE line (exit $ref_rc)"
  elif [ "$ref_keys|$ref_last|$ref_rc" != "$ours_keys|$ours_last|$ours_rc" ]; then
    not_ok "$name" "eapol_test: '$ref_keys' $ref_last exit $ref_rc; ours: '$ours_keys' $ours_last exit $ours_rc"
  else ok "$name"; echo "# $name: both '$ours_keys', $ours_last, exit $ours_rc"
  fi
}

if [ "$HAVE_HAPD" = 1 ]; then
  if start_hostapd; then
    if [ -x "$REF_EAPOL_TEST" ]; then
      case_reference ref_tls "$HAPD_PORT" tls.conf -r 1
      case_reference ref_md5 "$HAPD_PORT" md5.conf
      case_reference ref_md5_n "$HAPD_PORT" md5.conf -n
    else
      lyd_skip ref "no $REF_EAPOL_TEST (apt-get install eapoltest)"
    fi
    case_reauth hapd_tls "$HAPD_PORT" tls.conf
    case_reauth hapd_peap "$HAPD_PORT" peap.conf
    case_md5 hapd_md5 "$HAPD_PORT"
    case_wrong_secret hapd_secret "$HAPD_PORT"
    if case_load hapd_load tls.conf "127.0.0.1:$HAPD_PORT"; then
      if grep -Eq '^authentications: 40 .* resumed: 36$' "$LYD_WORK/hapd_load.out"; then ok hapd_load
      else not_ok hapd_load "expected 36 resumed (4 stations' first full): $(brief hapd_load)"; fi
    fi
  else
    not_ok hapd "hostapd RADIUS server did not start: $(tail -3 "$LYD_WORK/hapd.log" | tr '\n' ' ')"
  fi
else
  lyd_skip hapd "no $REF_HOSTAPD"
fi

if [ "$HAVE_FR" = 1 ]; then
  if start_freeradius; then
    case_reauth fr_tls "$FR_PORT" tls.conf
    case_reauth fr_peap "$FR_PORT" peap.conf
    case_md5 fr_md5 "$FR_PORT"
    case_wrong_secret fr_secret "$FR_PORT"
    if grep -q 'invalid Message-Authenticator' "$LYD_WORK/fr.log"; then ok fr_secret_logged
    else not_ok fr_secret_logged "FreeRADIUS did not log the bad Message-Authenticator"; fi
  else
    not_ok fr "FreeRADIUS did not start: $(tail -5 "$LYD_WORK/fr.log" "$LYD_WORK/fr-conf.log" | tr '\n' ' ')"
  fi
else
  lyd_skip fr "no $FREERADIUS (apt-get install freeradius)"
fi

if [ "$HAVE_HAPD" = 1 ] && [ "$HAVE_FR" = 1 ]; then
  # Two servers with separate TLS caches: each station alternates, so every
  # authentication is a full one. Stations run at their own pace (one may do
  # 11 and another 9), so each server gets 20 give or take one per station.
  if case_load roam peap.conf "127.0.0.1:$HAPD_PORT,127.0.0.1:$FR_PORT"; then
    split=$(sed -n 's/^per server: \([0-9]*\) \([0-9]*\)$/\1 \2/p' "$LYD_WORK/roam.out")
    a=${split% *} b=${split#* }
    if [ -n "$split" ] && [ $((a + b)) -eq 40 ] && [ "$a" -ge 16 ] && [ "$b" -ge 16 ]; then
      ok roam; echo "# roam: per server $a $b"
    else not_ok roam "expected about 20/20 per server, got '${split:-none}': $(brief roam)"; fi
  fi
fi

lyd_finish
