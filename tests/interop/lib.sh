# shellcheck shell=bash
# Lanyard interop test library: real peers (Debian's hostapd / wpa_supplicant
# and our daemons) in network namespaces joined by veth pairs.
#
# USAGE (a test script tests/interop/test_NAME.sh):
#
#   #!/bin/bash
#   source "$(dirname "$0")/lib.sh"
#   lyd_init NAME                      # root check, work dir, cleanup trap
#   lyd_require "$REF_HOSTAPD" "$REF_WPA_SUPPLICANT" || exit 0
#
#   case_tls() {                       # one case: fresh namespaces + MACs
#     local c=tls                      # (keep case names short: see lyd_netns)
#     lyd_netns "$c-ap" "$c-sta"       # → $LYD_NS_PREFIX-tls-ap ...
#     lyd_veth "$c-ap" eth0 "$(lyd_mac)" "$c-sta" eth0 "$(lyd_mac)"
#     write_eap_user "$LYD_WORK/$c.eap_user"
#     write_hostapd_conf "$LYD_WORK/$c-hostapd.conf" eth0 "$LYD_WORK/$c-hapd" "$LYD_WORK/$c.eap_user"
#     write_wpa_supplicant_conf "$LYD_WORK/$c-wpas.conf" "$LYD_WORK/$c-wpas" TLS
#     run_bg "$c-ap"  "$LYD_WORK/$c-hostapd.log" "$REF_HOSTAPD" -dd "$LYD_WORK/$c-hostapd.conf" >/dev/null
#     wait_for_log "$LYD_WORK/$c-hostapd.log" 'eth0: AP-ENABLED|interface state .*->ENABLED' 10 ||
#       { not_ok tls "hostapd did not start"; return; }
#     run_bg "$c-sta" "$LYD_WORK/$c-wpas.log" "$REF_WPA_SUPPLICANT" -dd -D wired -i eth0 \
#       -c "$LYD_WORK/$c-wpas.conf" >/dev/null
#     if wait_for_log "$LYD_WORK/$c-wpas.log" 'CTRL-EVENT-EAP-SUCCESS' 20; then ok tls
#     else not_ok tls "no CTRL-EVENT-EAP-SUCCESS within 20 s"; fi
#     lyd_case_cleanup                 # optional: frees namespaces/processes now
#   }
#   case_tls
#   lyd_finish                         # exit status: 1 if any case failed
#
# Output contract (tests/run-all.sh): one line "ok NAME" or
# "not ok NAME: reason" per case on stdout; anything else is commentary
# (lines starting "# " by convention). Timings go to "# NAME took N ms".
#
# VARIABLES set by this file (override by exporting before sourcing):
#   REPO_ROOT            repository root (absolute)
#   BUILD_ROOT           build root, default build (absolute after sourcing)
#   PKI_DIR              generated test PKI (make pki), default build/pki:
#                        ca.pem, server.pem/.key (server.lanyard.test),
#                        client.pem/.key (CN user@lanyard.test), other-ca.pem,
#                        other-server.pem/.key (signed by the untrusted CA)
#   LYD_BIN              $BUILD_ROOT/bin: lanyard-supplicant, lanyard-authenticator, ...
#   REF_HOSTAPD REF_WPA_SUPPLICANT REF_HOSTAPD_CLI REF_WPA_CLI REF_EAPOL_TEST
#                        Debian's reference programs (/usr/sbin, /usr/bin)
#   LYD_TEST             the test name given to lyd_init
#   LYD_NS_PREFIX        "lyd-<test>-<pid>": every namespace this test makes
#   LYD_WORK             private work dir for configs/logs/sockets (removed at
#                        exit when every case passed; kept and printed otherwise,
#                        or always with LYD_KEEP=1)
#   Credentials that write_eap_user and the wpa_supplicant presets agree on:
#   LYD_TLS_IDENTITY=user@lanyard.test  LYD_MD5_USER/LYD_MD5_PASSWORD
#   LYD_PEAP_USER/LYD_PEAP_PASSWORD     LYD_SERVER_NAME=server.lanyard.test
#
# FUNCTIONS
#   lyd_init NAME                 start a test (needs root); sets the trap
#   lyd_require FILE...           all executable? else prints "# skip: ..." and
#                                 returns 1 (caller decides: exit 0 or not_ok)
#   lyd_netns SHORT...            create namespaces $LYD_NS_PREFIX-SHORT (lo up);
#                                 lyd_ns SHORT prints the full name
#   lyd_veth NS_A IF_A MAC_A NS_B IF_B MAC_B
#                                 veth pair between two of our namespaces, MACs
#                                 set, links up (interface names ≤ 15 chars)
#   lyd_mac                       a fresh locally administered unicast MAC,
#                                 unique per call in this run: an 802.1X
#                                 authenticator holds a failed station's port
#                                 for quietPeriod (60 s), so use a new station
#                                 address for every case
#   run_bg NS LOGFILE CMD...      start CMD inside namespace NS (SHORT or full
#                                 name; "-" = the root namespace), stdout+stderr
#                                 to LOGFILE, stdin /dev/null; prints the pid
#                                 and sets LYD_LAST_PID. Preferred:
#                                   run_bg ns log cmd > /dev/null; pid=$LYD_LAST_PID
#                                 (the process stays this shell's child and is
#                                 reaped). `pid=$(run_bg ...)` works too (pids
#                                 are recorded in a file), but then the process
#                                 is reparented and may linger as a zombie.
#                                 Prefer a namespace over "-": cleanup also
#                                 kills everything left inside our namespaces.
#   lyd_exec NS TIMEOUT_S CMD...  run CMD in NS in the foreground, bounded
#   wait_for_log FILE REGEX TIMEOUT_S   poll (0.1 s) until grep -E matches
#   wait_for_cmd TIMEOUT_S REGEX CMD... re-run CMD (each run bounded to 5 s;
#                                 a shell function such as wpa_cli_ns must
#                                 bound itself) until its output matches;
#                                 last output in $LYD_LAST_OUTPUT
#   lyd_log_ms_between LOG REGEX_A REGEX_B   ms between the first lines
#                                 matching A and B in a log written with -t
#                                 (hostapd/wpa_supplicant "SECONDS.USEC: ...")
#   wait_pid_exit PID TIMEOUT_S   wait for a background process to end
#   ok NAME / not_ok NAME REASON / lyd_skip NAME REASON ("ok NAME # SKIP ...")
#   lyd_case_begin NAME / lyd_case_end NAME   print "# NAME took N ms"
#   lyd_now_ms                    monotonic-enough wall clock in ms
#   lyd_case_cleanup              kill everything started so far, delete the
#                                 namespaces made so far (call between cases)
#   lyd_finish                    cleanup, summary line "# N ok, M not ok", exit
#   write_eap_user FILE [LINE...]             hostapd eap_user file
#   write_hostapd_conf FILE IFACE CTRL_DIR EAP_USER_FILE [LINE...]
#   write_wpa_supplicant_conf FILE CTRL_DIR METHOD [NETWORK_LINE...]
#        METHOD: TLS | MD5 | PEAP | NONE (only the given lines); extra lines
#        are appended inside network={} (a repeated key overrides the earlier)
#   wpa_cli_ns / hostapd_cli_ns CTRL_DIR IFACE CMD...   Debian's CLIs, bounded
#        to 5 s (control sockets are filesystem paths, not per namespace)
#
# Debian's clients and daemons: see REFERENCE_OUTPUTS.md next to this file for
# real STATUS / ALL_STA / STA / event texts that our daemons must match.

set -u

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD_ROOT=${BUILD_ROOT:-build}
case $BUILD_ROOT in /*) ;; *) BUILD_ROOT=$REPO_ROOT/$BUILD_ROOT ;; esac
PKI_DIR=${PKI_DIR:-build/pki}
case $PKI_DIR in /*) ;; *) PKI_DIR=$REPO_ROOT/$PKI_DIR ;; esac
LYD_BIN=$BUILD_ROOT/bin

REF_HOSTAPD=${REF_HOSTAPD:-/usr/sbin/hostapd}
REF_WPA_SUPPLICANT=${REF_WPA_SUPPLICANT:-/usr/sbin/wpa_supplicant}
REF_HOSTAPD_CLI=${REF_HOSTAPD_CLI:-/usr/sbin/hostapd_cli}
REF_WPA_CLI=${REF_WPA_CLI:-/usr/sbin/wpa_cli}
REF_EAPOL_TEST=${REF_EAPOL_TEST:-/usr/bin/eapol_test}

LYD_TLS_IDENTITY=user@lanyard.test
LYD_MD5_USER=md5user
LYD_MD5_PASSWORD=md5-secret
LYD_PEAP_USER=peapuser
LYD_PEAP_PASSWORD=peap-secret
LYD_SERVER_NAME=server.lanyard.test

LYD_TEST=
LYD_NS_PREFIX=
LYD_WORK=
LYD_OK=0
LYD_NOT_OK=0
LYD_CLEANED=0
LYD_LAST_PID=

lyd_now_ms() { date +%s%3N; }

lyd_init() {
  LYD_TEST=${1:?usage: lyd_init NAME}
  if [ "$(id -u)" -ne 0 ]; then
    echo "not ok $LYD_TEST: needs root (network namespaces)"
    exit 1
  fi
  LYD_NS_PREFIX="lyd-$LYD_TEST-$$"
  LYD_WORK=$(mktemp -d "/tmp/lyd-$LYD_TEST-$$.XXXXXX")
  : > "$LYD_WORK/.pids"
  : > "$LYD_WORK/.netns"
  trap 'lyd_cleanup' EXIT
  trap 'echo "# $LYD_TEST: interrupted"; exit 130' INT
  trap 'echo "# $LYD_TEST: terminated (timeout?)"; exit 143' TERM HUP
  if [ ! -f "$PKI_DIR/ca.pem" ]; then
    echo "# $LYD_TEST: no PKI in $PKI_DIR (run: make pki)"
  fi
}

lyd_require() {
  local f missing=""
  for f in "$@"; do [ -x "$f" ] || missing="$missing $f"; done
  if [ -n "$missing" ]; then
    echo "# skip: missing$missing"
    return 1
  fi
}

lyd_ns() {
  case $1 in
    -) echo - ;;
    "$LYD_NS_PREFIX"-*) echo "$1" ;;
    *) echo "$LYD_NS_PREFIX-$1" ;;
  esac
}

lyd_netns() {
  local s ns
  for s in "$@"; do
    ns=$(lyd_ns "$s")
    ip netns add "$ns" || return 1
    echo "$ns" >> "$LYD_WORK/.netns"
    ip -n "$ns" link set lo up
  done
}

lyd_veth() {
  local ns_a ns_b
  ns_a=$(lyd_ns "$1")
  ns_b=$(lyd_ns "$4")
  # Created directly inside both namespaces: no name clash in the root one.
  ip link add "$2" netns "$ns_a" address "$3" type veth peer name "$5" netns "$ns_b" address "$6" || return 1
  ip -n "$ns_a" link set "$2" up || return 1
  ip -n "$ns_b" link set "$5" up || return 1
}

lyd_mac() {
  # 02: locally administered, unicast; pid and counter make it unique per run,
  # a random byte makes it differ between runs. (Called via $(...), so the
  # counter lives in a file.)
  local n
  n=$(( $(cat "$LYD_WORK/.mac" 2>/dev/null || echo 0) + 1 ))
  echo "$n" > "$LYD_WORK/.mac"
  printf '02:%02x:%02x:%02x:%02x:%02x\n' $((RANDOM % 256)) $((($$ >> 8) & 255)) $(($$ & 255)) \
    $(((n >> 8) & 255)) $((n & 255))
}

run_bg() {
  local ns log
  ns=$(lyd_ns "$1")
  log=$2
  shift 2
  if [ "$ns" = - ]; then
    "$@" > "$log" 2>&1 < /dev/null &
  else
    ip netns exec "$ns" "$@" > "$log" 2>&1 < /dev/null &
  fi
  LYD_LAST_PID=$!
  echo "$LYD_LAST_PID" >> "$LYD_WORK/.pids"
  echo "$LYD_LAST_PID"
}

lyd_exec() {
  local ns t
  ns=$(lyd_ns "$1")
  t=$2
  shift 2
  if [ "$ns" = - ]; then
    timeout --kill-after=2 "$t" "$@"
  else
    timeout --kill-after=2 "$t" ip netns exec "$ns" "$@"
  fi
}

wait_for_log() {
  local file=$1 regex=$2 timeout_s=$3
  local deadline=$(( $(lyd_now_ms) + timeout_s * 1000 ))
  while [ "$(lyd_now_ms)" -lt "$deadline" ]; do
    if [ -f "$file" ] && grep -Eq -- "$regex" "$file"; then return 0; fi
    sleep 0.1
  done
  grep -Eq -- "$regex" "$file" 2>/dev/null
}

LYD_LAST_OUTPUT=
wait_for_cmd() {
  local timeout_s=$1 regex=$2
  shift 2
  local deadline=$(( $(lyd_now_ms) + timeout_s * 1000 ))
  while :; do
    if declare -F "$1" > /dev/null; then
      LYD_LAST_OUTPUT=$("$@" 2>&1)   # a shell function: must bound itself
    else
      LYD_LAST_OUTPUT=$(timeout --kill-after=1 5 "$@" 2>&1)
    fi
    if printf '%s\n' "$LYD_LAST_OUTPUT" | grep -Eq -- "$regex"; then return 0; fi
    [ "$(lyd_now_ms)" -lt "$deadline" ] || return 1
    sleep 0.2
  done
}

lyd_log_ms_between() {
  local log=$1 a=$2 b=$3 ta tb
  ta=$(grep -Em1 -- "$a" "$log" | cut -d: -f1)
  tb=$(grep -Em1 -- "$b" "$log" | cut -d: -f1)
  [ -n "$ta" ] && [ -n "$tb" ] || { echo "?"; return 1; }
  awk -v a="$ta" -v b="$tb" 'BEGIN { printf "%d\n", (b - a) * 1000 }'
}

wait_pid_exit() {
  local pid=$1 timeout_s=$2
  local deadline=$(( $(lyd_now_ms) + timeout_s * 1000 ))
  while kill -0 "$pid" 2>/dev/null; do
    [ "$(lyd_now_ms)" -lt "$deadline" ] || return 1
    sleep 0.1
  done
}

wpa_cli_ns() {
  local dir=$1 ifc=$2
  shift 2
  timeout --kill-after=1 5 "$REF_WPA_CLI" -p "$dir" -i "$ifc" "$@"
}

hostapd_cli_ns() {
  local dir=$1 ifc=$2
  shift 2
  timeout --kill-after=1 5 "$REF_HOSTAPD_CLI" -p "$dir" -i "$ifc" "$@"
}

ok() {
  LYD_OK=$((LYD_OK + 1))
  echo "ok $1"
}

not_ok() {
  LYD_NOT_OK=$((LYD_NOT_OK + 1))
  echo "not ok $1: ${2:-failed}"
}

lyd_skip() {
  LYD_OK=$((LYD_OK + 1))
  echo "ok $1 # SKIP ${2:-}"
}

declare -A LYD_CASE_T0=()
lyd_case_begin() { LYD_CASE_T0[$1]=$(lyd_now_ms); }
lyd_case_end() {
  local t0=${LYD_CASE_T0[$1]:-}
  [ -n "$t0" ] && echo "# $1 took $(( $(lyd_now_ms) - t0 )) ms"
}

# Kills what we started, TERM first and KILL after 2 s: first whatever runs
# inside our namespaces that run_bg did not start itself (children such as
# wpa_cli under a bash -c wrapper, so their parent is still alive to reap
# them), then the processes run_bg started (reaped here with wait).
lyd_term_wait_kill() {
  local pid i alive
  [ $# -gt 0 ] || return 0
  for pid in "$@"; do kill -TERM "$pid" 2>/dev/null; done
  for i in $(seq 20); do
    alive=0
    for pid in "$@"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" -eq 0 ] && break
    sleep 0.1
  done
  for pid in "$@"; do kill -KILL "$pid" 2>/dev/null; done
}

lyd_kill_all() {
  [ -n "$LYD_WORK" ] && [ -d "$LYD_WORK" ] || return 0
  local recorded="" others="" ns pid
  recorded=$(cat "$LYD_WORK/.pids" 2>/dev/null | tr '\n' ' ')
  while read -r ns; do
    [ -n "$ns" ] || continue
    for pid in $(ip netns pids "$ns" 2>/dev/null); do
      case " $recorded " in *" $pid "*) ;; *) others="$others $pid" ;; esac
    done
  done < "$LYD_WORK/.netns"
  # shellcheck disable=SC2086
  lyd_term_wait_kill $others
  # shellcheck disable=SC2086
  lyd_term_wait_kill $recorded
  for pid in $recorded; do wait "$pid" 2>/dev/null; done
  # A wpa_cli/hostapd_cli that was killed leaves its client socket behind.
  for pid in $others $recorded; do rm -f "/tmp/wpa_ctrl_$pid-"*; done
  : > "$LYD_WORK/.pids"
}

lyd_delete_netns() {
  [ -n "$LYD_WORK" ] && [ -f "$LYD_WORK/.netns" ] || return 0
  local ns
  while read -r ns; do
    [ -n "$ns" ] && ip netns del "$ns" 2>/dev/null
  done < "$LYD_WORK/.netns"
  : > "$LYD_WORK/.netns"
}

lyd_case_cleanup() {
  lyd_kill_all
  lyd_delete_netns
}

lyd_cleanup() {
  local rc=$?
  [ "$LYD_CLEANED" -eq 1 ] && return
  LYD_CLEANED=1
  trap - EXIT INT TERM HUP
  lyd_case_cleanup
  # Namespaces of this run that somehow escaped the list.
  local ns
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep -F -- "$LYD_NS_PREFIX-"); do
    ip netns del "$ns" 2>/dev/null
  done
  if [ -n "$LYD_WORK" ] && [ -d "$LYD_WORK" ]; then
    if [ "$LYD_NOT_OK" -eq 0 ] && [ "$rc" -eq 0 ] && [ "${LYD_KEEP:-0}" != 1 ]; then
      rm -rf "$LYD_WORK"
    else
      echo "# $LYD_TEST: logs kept in $LYD_WORK"
    fi
  fi
  exit "$rc"
}

lyd_finish() {
  echo "# $LYD_TEST: $LYD_OK ok, $LYD_NOT_OK not ok"
  [ "$LYD_NOT_OK" -eq 0 ]
  exit $?
}

# ---- configuration writers ------------------------------------------------

# hostapd eap_user file (phase 1 entries first, then phase 2 "[2]" entries).
# With extra LINEs given, they are written INSTEAD of the defaults.
write_eap_user() {
  local file=$1
  shift
  if [ $# -gt 0 ]; then
    printf '%s\n' "$@" > "$file"
    return
  fi
  cat > "$file" <<EOF
# written by tests/interop/lib.sh
"$LYD_TLS_IDENTITY" TLS
"$LYD_MD5_USER" MD5 "$LYD_MD5_PASSWORD"
"$LYD_PEAP_USER" PEAP
"$LYD_PEAP_USER" MSCHAPV2 "$LYD_PEAP_PASSWORD" [2]
EOF
}

# hostapd.conf for a wired authenticator with the integrated EAP server.
# Extra LINEs are appended (a later key overrides an earlier one in hostapd).
write_hostapd_conf() {
  local file=$1 ifc=$2 ctrl_dir=$3 eap_user=$4
  shift 4
  {
    echo "# written by tests/interop/lib.sh"
    echo "interface=$ifc"
    echo "driver=wired"
    echo "ctrl_interface=$ctrl_dir"
    echo "logger_stdout=-1"
    echo "logger_stdout_level=1"
    echo "ieee8021x=1"
    echo "eapol_version=2"
    echo "use_pae_group_addr=1"
    echo "eap_server=1"
    echo "eap_user_file=$eap_user"
    echo "ca_cert=$PKI_DIR/ca.pem"
    echo "server_cert=$PKI_DIR/server.pem"
    echo "private_key=$PKI_DIR/server.key"
    echo "eap_reauth_period=3600"
    printf '%s\n' "$@"
  } > "$file"
}

# wpa_supplicant.conf for a wired port (use with -D wired).
write_wpa_supplicant_conf() {
  local file=$1 ctrl_dir=$2 method=$3
  shift 3
  {
    echo "# written by tests/interop/lib.sh"
    echo "ctrl_interface=$ctrl_dir"
    echo "ap_scan=0"
    echo "eapol_version=2"
    echo "network={"
    echo "  key_mgmt=IEEE8021X"
    echo "  eapol_flags=0"
    case $method in
      TLS)
        echo "  eap=TLS"
        echo "  identity=\"$LYD_TLS_IDENTITY\""
        echo "  ca_cert=\"$PKI_DIR/ca.pem\""
        echo "  client_cert=\"$PKI_DIR/client.pem\""
        echo "  private_key=\"$PKI_DIR/client.key\""
        echo "  domain_match=\"$LYD_SERVER_NAME\""
        ;;
      MD5)
        echo "  eap=MD5"
        echo "  identity=\"$LYD_MD5_USER\""
        echo "  password=\"$LYD_MD5_PASSWORD\""
        ;;
      PEAP)
        echo "  eap=PEAP"
        echo "  identity=\"$LYD_PEAP_USER\""
        echo "  password=\"$LYD_PEAP_PASSWORD\""
        echo "  phase2=\"auth=MSCHAPV2\""
        echo "  ca_cert=\"$PKI_DIR/ca.pem\""
        echo "  domain_match=\"$LYD_SERVER_NAME\""
        ;;
      NONE) ;;
      *) echo "write_wpa_supplicant_conf: unknown method $method" >&2; return 1 ;;
    esac
    local line
    for line in "$@"; do echo "  $line"; done
    echo "}"
  } > "$file"
}

# hostapd.conf for a RADIUS server only (driver=none) with the integrated EAP
# server and the test PKI; read by lanyard-authenticator and hostapd alike.
# Writes FILE plus FILE.clients (127.0.0.1/32 with SECRET) and FILE.eap_user
# (write_eap_user's defaults). Extra LINEs are appended.
write_radius_server_conf() {
  local file=$1 port=$2 secret=$3
  shift 3
  write_eap_user "$file.eap_user"
  echo "127.0.0.1/32 $secret" > "$file.clients"
  {
    echo "# written by tests/interop/lib.sh"
    echo "driver=none"
    echo "eap_server=1"
    echo "eap_user_file=$file.eap_user"
    echo "ca_cert=$PKI_DIR/ca.pem"
    echo "server_cert=$PKI_DIR/server.pem"
    echo "private_key=$PKI_DIR/server.key"
    echo "tls_session_lifetime=3600"
    echo "radius_server_clients=$file.clients"
    echo "radius_server_auth_port=$port"
    printf '%s\n' "$@"
  } > "$file"
}
