#!/bin/bash
# RADIUS server benchmark, side by side in one run: the same load
# (lanyard-eapol-test, same concurrency, count, certificates and users)
# against Lanyard's RADIUS server (lanyard-authenticator, driver=none),
# Debian hostapd's RADIUS server and FreeRADIUS 3.2 (threaded, -f), all on
# loopback inside one network namespace.
#
# Rows: EAP-TLS full (--no-resume), EAP-TLS resumed (--warmup, then every
# authentication offers its station's cached session), PEAP-MSCHAPv2 full,
# PEAP-MSCHAPv2 resumed. Columns per server: auth/s, p50 and p99 latency
# (ms), server CPU per authentication (ms, from /proc/PID/stat utime+stime
# before/after the row), server peak RSS (VmHWM after the row, MB). Then
# the ratio Lanyard / best other per row, `openssl speed` sign/s for the
# server key's type as the public-key limit, and Lanyard's EAP-TLS full rate
# as a fraction of it. A markdown report goes to stdout and to
# BUILD_ROOT/bench/radius.md.
#
# usage: tests/bench/bench-radius.sh BIN_DIR PKI_DIR
#   BIN_DIR holds lanyard-eapol-test and lanyard-authenticator (build/bin).
# knobs (environment): CONCURRENCY (16), COUNT (800 per row), SERVERS
#   ("lanyard hostapd freeradius"), SPEED_SECONDS (3), RETRANSMIT_MS (1000),
#   LANYARD_CONF_EXTRA (lines appended to lanyard-authenticator's config only,
#   e.g. "radius_server_workers=2"; shown in the report).
#   COUNT stays below hostapd's 1000 RADIUS sessions, which it keeps 5 s
#   after each authentication (RADIUS_MAX_SESSION / _MAINTAIN in hostapd
#   2.10); the script waits 6 s between rows for hostapd for the same reason.
set -u
if [ $# -ne 2 ]; then
  echo "usage: $0 BIN_DIR PKI_DIR" >&2
  exit 2
fi
BIN_DIR=$(cd "$1" && pwd) || exit 2
export PKI_DIR=$2
export BUILD_ROOT=$(dirname "$BIN_DIR")
source "$(dirname "$0")/../interop/lib.sh"
lyd_init bench-radius

CONCURRENCY=${CONCURRENCY:-16}
COUNT=${COUNT:-800}
SERVERS=${SERVERS:-lanyard hostapd freeradius}
SPEED_SECONDS=${SPEED_SECONDS:-3}
RETRANSMIT_MS=${RETRANSMIT_MS:-1000}
TOOL=$BIN_DIR/lanyard-eapol-test
LANYARD=$BIN_DIR/lanyard-authenticator
FREERADIUS=${REF_FREERADIUS:-/usr/sbin/freeradius}
SECRET=bench-secret
PORT_BASE=18120
OUT_DIR=$BUILD_ROOT/bench
mkdir -p "$OUT_DIR"
REPORT=$OUT_DIR/radius.md
CLK_TCK=$(getconf CLK_TCK)
ROWS="tls-full tls-resumed peap-full peap-resumed"
declare -A ROW_NAME=([tls-full]="EAP-TLS full" [tls-resumed]="EAP-TLS resumed"
                     [peap-full]="PEAP-MSCHAPv2 full" [peap-resumed]="PEAP-MSCHAPv2 resumed")
declare -A RES=()       # RES[server,row,field]
declare -A STATUS=()    # STATUS[server]: "ok" or "not available (reason)"

[ -x "$TOOL" ] || { echo "bench-radius: no $TOOL (make)" >&2; exit 1; }
lyd_netns b || { echo "bench-radius: cannot create a namespace" >&2; exit 1; }

write_wpa_supplicant_conf "$LYD_WORK/tls.conf" "$LYD_WORK/ctrl" TLS
write_wpa_supplicant_conf "$LYD_WORK/peap.conf" "$LYD_WORK/ctrl" PEAP
write_wpa_supplicant_conf "$LYD_WORK/md5.conf" "$LYD_WORK/ctrl" MD5
# hostapd.conf for a RADIUS server (tests/interop/lib.sh), read by hostapd
# and lanyard-authenticator alike; hostapd wants an interface name.
bench_server_conf() {  # FILE PORT [LINES...]
  local file=$1 port=$2
  shift 2
  write_radius_server_conf "$file" "$port" "$SECRET" "interface=lo" "logger_stdout=-1" "logger_stdout_level=2" "$@"
}

# probe PORT: one MD5 authentication within a few seconds.
probe() {
  local port=$1 i
  for i in $(seq 20); do
    if lyd_exec b 5 "$TOOL" -q -c "$LYD_WORK/md5.conf" -p "$port" -s "$SECRET" -n -t 1 \
         > "$LYD_WORK/probe.out" 2>&1; then
      return 0
    fi
    sleep 0.25
  done
  return 1
}

SERVER_PID=
start_server() {
  local s=$1 port=$2
  SERVER_PID=
  case $s in
    lanyard)
      [ -x "$LANYARD" ] || { STATUS[$s]="not available (no $LANYARD)"; return 1; }
      bench_server_conf "$LYD_WORK/lanyard.conf" "$port"
      [ -z "${LANYARD_CONF_EXTRA:-}" ] || printf '%s\n' "$LANYARD_CONF_EXTRA" >> "$LYD_WORK/lanyard.conf"
      run_bg b "$LYD_WORK/lanyard.log" "$LANYARD" "$LYD_WORK/lanyard.conf" > /dev/null ;;
    hostapd)
      [ -x "$REF_HOSTAPD" ] || { STATUS[$s]="not available (no $REF_HOSTAPD)"; return 1; }
      bench_server_conf "$LYD_WORK/hostapd.conf" "$port"
      run_bg b "$LYD_WORK/hostapd.log" "$REF_HOSTAPD" "$LYD_WORK/hostapd.conf" > /dev/null ;;
    freeradius)
      [ -x "$FREERADIUS" ] || { STATUS[$s]="not available (no $FREERADIUS)"; return 1; }
      "$REPO_ROOT/tests/interop/freeradius-conf.sh" "$LYD_WORK/fr" "$port" "$SECRET" "$PKI_DIR" default \
        > "$LYD_WORK/fr-conf.log" 2>&1 || { STATUS[$s]="not available (config: $(tail -1 "$LYD_WORK/fr-conf.log"))"; return 1; }
      run_bg b "$LYD_WORK/freeradius.log" "$FREERADIUS" -f -d "$LYD_WORK/fr" > /dev/null ;;
  esac
  SERVER_PID=$LYD_LAST_PID
  if ! probe "$port"; then
    local why
    if kill -0 "$SERVER_PID" 2>/dev/null; then
      why="no RADIUS answer on 127.0.0.1:$port: $(grep -E '^(authentication|EAPOL)' "$LYD_WORK/probe.out" | head -1)"
    else
      why="exited: $(grep -v '^\s*$' "$LYD_WORK/$s.log" | tail -1 | cut -c1-160)"
    fi
    STATUS[$s]="not available ($why)"
    stop_server
    return 1
  fi
  STATUS[$s]=ok
}

stop_server() {
  [ -n "$SERVER_PID" ] || return 0
  lyd_term_wait_kill "$SERVER_PID"
  wait "$SERVER_PID" 2>/dev/null
  SERVER_PID=
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
hwm_kb() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }

# measure SERVER ROW PORT
measure() {
  local s=$1 row=$2 port=$3 conf mode c0 c1 out=$LYD_WORK/$s-$row.out
  case $row in tls-*) conf=tls.conf ;; peap-*) conf=peap.conf ;; esac
  case $row in *-full) mode=--no-resume ;; *-resumed) mode=--warmup ;; esac
  c0=$(cpu_ticks "$SERVER_PID")
  lyd_exec b 600 "$TOOL" -q -c "$LYD_WORK/$conf" -p "$port" -s "$SECRET" -t 10 $mode \
    --concurrency "$CONCURRENCY" --count "$COUNT" --retransmit-ms "$RETRANSMIT_MS" > "$out" 2>&1
  c1=$(cpu_ticks "$SERVER_PID")
  local done ok rate p50 p99 resumed gen
  done=$(awk '/^authentications:/ { print $2 }' "$out")
  ok=$(awk '/^authentications:/ { print $4 }' "$out")
  resumed=$(awk '/^authentications:/ { print $NF }' "$out")
  rate=$(awk '/^rate:/ { print $2 }' "$out")
  p50=$(awk '/^latency ms:/ { print $4 }' "$out")
  p99=$(awk '/^latency ms:/ { print $6 }' "$out")
  gen=$(awk '/^load generator cpu:/ { print $8 }' "$out")
  RES[$s,$row,rate]=${rate:-?}
  RES[$s,$row,p50]=${p50:-?}
  RES[$s,$row,p99]=${p99:-?}
  RES[$s,$row,ok]=${ok:-0}
  RES[$s,$row,done]=${done:-0}
  RES[$s,$row,resumed]=${resumed:-0}
  RES[$s,$row,gen]=${gen:-?}
  if [ "${ok:-0}" -gt 0 ]; then
    RES[$s,$row,cpu]=$(awk -v t=$((c1 - c0)) -v hz="$CLK_TCK" -v n="$ok" 'BEGIN { printf "%.3f", t / hz * 1000 / n }')
  else
    RES[$s,$row,cpu]="?"
  fi
  RES[$s,$row,rss]=$(awk -v k="$(hwm_kb "$SERVER_PID")" 'BEGIN { printf "%.1f", k / 1024 }')
  echo "# $s ${ROW_NAME[$row]}: ${rate:-?} auth/s, ${ok:-0}/${done:-0} ok, resumed ${resumed:-0}," \
       "p50 ${p50:-?} ms, p99 ${p99:-?} ms, server ${RES[$s,$row,cpu]} ms CPU/auth, load generator ${gen:-?} ms CPU/auth" >&2
}

T0=$(lyd_now_ms)
LOAD_START=$(cut -d" " -f1-3 /proc/loadavg)
port=$PORT_BASE
for s in $SERVERS; do
  port=$((port + 1))
  echo "# starting $s on 127.0.0.1:$port" >&2
  if ! start_server "$s" "$port"; then
    echo "# $s: ${STATUS[$s]}" >&2
    continue
  fi
  first=1
  for row in $ROWS; do
    # hostapd keeps each finished RADIUS session 5 s and refuses a new one
    # beyond 1000: let the previous row's sessions expire.
    [ "$s" = hostapd ] && [ $first -eq 0 ] && sleep 6
    first=0
    measure "$s" "$row" "$port"
  done
  stop_server
done

# ---- Lanyard's scaling rows (issue 10) -------------------------------------
# 1 worker vs N workers (in-process store), N workers with the Redis store,
# and two servers sharing Redis behind one load generator (each station
# roams A, B, A, ...). Stations spread over several sockets here so that
# SO_REUSEPORT can spread them over the workers.
SCALE_ROWS="tls-full tls-resumed"
SCALE_VARIANTS="w1 wN redis two"
declare -A SCALE_NAME=([w1]="1 worker, in-process store" [wN]="$(nproc) workers, in-process store"
                       [redis]="$(nproc) workers, Redis store" [two]="2 servers x $(nproc) workers, one Redis")
declare -A SRES
REDIS_BIN=${REF_REDIS:-/usr/bin/redis-server}
REDIS_PORT=$((PORT_BASE + 40))
scale_server() {  # NAME PORT EXTRA...: a lanyard server with extra config lines; sets LAST_PID
  local name=$1 port=$2
  shift 2
  bench_server_conf "$LYD_WORK/$name.conf" "$port" "$@"
  run_bg b "$LYD_WORK/$name.log" "$LANYARD" "$LYD_WORK/$name.conf" > /dev/null
  LAST_PID=$LYD_LAST_PID
  probe "$port"
}
if [ -x "$LANYARD" ] && [ "${SCALE:-1}" = 1 ]; then
  openssl rand -hex 32 > "$LYD_WORK/session.key"
  have_redis=0
  if [ -x "$REDIS_BIN" ]; then
    run_bg b "$LYD_WORK/redis.log" "$REDIS_BIN" --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
      --dir "$LYD_WORK" > /dev/null
    REDIS_PID=$LYD_LAST_PID
    sleep 0.5 && have_redis=1
  fi
  REDIS_LINES=("tls_session_cache=redis://127.0.0.1:$REDIS_PORT/0" "tls_session_cache_key=$LYD_WORK/session.key")
  for v in $SCALE_VARIANTS; do
    pids=() servers="" port_a=$((PORT_BASE + 20)) port_b=$((PORT_BASE + 21))
    case $v in
      w1) scale_server s-$v "$port_a" radius_server_workers=1 && pids=("$LAST_PID") ;;
      wN) scale_server s-$v "$port_a" && pids=("$LAST_PID") ;;
      redis) [ $have_redis = 1 ] && scale_server s-$v "$port_a" "${REDIS_LINES[@]}" && pids=("$LAST_PID") ;;
      two) [ $have_redis = 1 ] && scale_server s-a "$port_a" "${REDIS_LINES[@]}" && pids=("$LAST_PID") &&
             scale_server s-b "$port_b" "${REDIS_LINES[@]}" && pids+=("$LAST_PID") &&
             servers="--servers 127.0.0.1:$port_a,127.0.0.1:$port_b" ;;
    esac
    if [ ${#pids[@]} -eq 0 ]; then SRES[$v,skip]="not run (server or redis-server missing)"; continue; fi
    for row in $SCALE_ROWS; do
      mode=--no-resume; [ "$row" = tls-resumed ] && mode=--warmup
      c0=0; for pid in "${pids[@]}"; do c0=$((c0 + $(cpu_ticks "$pid"))); done
      out=$LYD_WORK/scale-$v-$row.out
      # shellcheck disable=SC2086
      lyd_exec b 600 "$TOOL" -q -c "$LYD_WORK/tls.conf" -p "$port_a" -s "$SECRET" -t 10 $mode $servers \
        --concurrency "$CONCURRENCY" --count "$COUNT" --stations-per-socket 2 --retransmit-ms "$RETRANSMIT_MS" > "$out" 2>&1
      c1=0; for pid in "${pids[@]}"; do c1=$((c1 + $(cpu_ticks "$pid"))); done
      ok=$(awk '/^authentications:/ { print $4 }' "$out")
      SRES[$v,$row,rate]=$(awk '/^rate:/ { print $2 }' "$out")
      SRES[$v,$row,resumed]=$(awk '/^authentications:/ { print $NF }' "$out")
      SRES[$v,$row,ok]=${ok:-0}
      SRES[$v,$row,cpu]=$(awk -v t=$((c1 - c0)) -v hz="$CLK_TCK" -v n="${ok:-0}" 'BEGIN { if (n > 0) printf "%.3f", t / hz * 1000 / n; else print "?" }')
      echo "# scale ${SCALE_NAME[$v]} ${ROW_NAME[$row]}: ${SRES[$v,$row,rate]:-?} auth/s, resumed ${SRES[$v,$row,resumed]:-0}/${ok:-0}, server ${SRES[$v,$row,cpu]} ms CPU/auth" >&2
    done
    for pid in "${pids[@]}"; do lyd_term_wait_kill "$pid"; wait "$pid" 2>/dev/null; done
  done
  [ $have_redis = 1 ] && { lyd_term_wait_kill "$REDIS_PID"; wait "$REDIS_PID" 2>/dev/null; }
fi

# The public-key limit: one core signing with the server key's type.
key_text=$(openssl x509 -in "$PKI_DIR/server.pem" -noout -text 2>/dev/null)
speed_alg=
case $key_text in
  *rsaEncryption*)
    bits=$(printf '%s\n' "$key_text" | sed -n 's/.*Public-Key: (\([0-9]*\) bit).*/\1/p' | head -1)
    speed_alg=rsa$bits ;;
  *prime256v1*) speed_alg=ecdsap256 ;;
  *secp384r1*) speed_alg=ecdsap384 ;;
esac
sign_rate=
if [ -n "$speed_alg" ]; then
  sign_rate=$(openssl speed -seconds "$SPEED_SECONDS" "$speed_alg" 2>/dev/null |
    awk '/^rsa [0-9]+ bits/ { print $6 } /^ *[0-9]+ bits ecdsa/ { print $7 }' | head -1)
fi

# ---- the report ---------------------------------------------------------
num() { case $1 in ''|'?'|*[!0-9.]*) return 1 ;; *) return 0 ;; esac; }
cell_rate() {
  local s=$1 row=$2 r=${RES[$1,$2,rate]:-?} bad
  bad=$(( ${RES[$s,$row,done]:-0} - ${RES[$s,$row,ok]:-0} ))
  if [ "$bad" -gt 0 ] || [ "${RES[$s,$row,done]:-0}" -eq 0 ]; then echo "$r ($bad failed)"; else echo "$r"; fi
}
{
  echo "## RADIUS servers side by side"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load: lanyard-eapol-test --concurrency $CONCURRENCY" \
       "--count $COUNT per row (full: --no-resume; resumed: --warmup, then every station offers its cached" \
       "session), same PKI ($(basename "$PKI_DIR")/server.pem, ${speed_alg:-unknown key}) and users; servers" \
       "on loopback in one namespace, the load generator on the same 2 cores."
  echo "Command: \`tests/bench/bench-radius.sh $1 $2\` (CONCURRENCY=$CONCURRENCY COUNT=$COUNT" \
       "LANYARD_CONF_EXTRA='${LANYARD_CONF_EXTRA:-}')"
  echo
  for s in $SERVERS; do
    [ "${STATUS[$s]:-}" = ok ] || printf -- '- %s: %s\n\n' "$s" "${STATUS[$s]:-not run}"
  done
  header="| row |"; sep="|---|"
  for s in $SERVERS; do
    header="$header $s auth/s | $s p50 ms | $s p99 ms | $s CPU ms/auth | $s peak RSS MB |"
    sep="$sep---:|---:|---:|---:|---:|"
  done
  header="$header lanyard / best other |"; sep="$sep---:|"
  echo "$header"
  echo "$sep"
  for row in $ROWS; do
    line="| ${ROW_NAME[$row]} |"
    best=
    for s in $SERVERS; do
      if [ "${STATUS[$s]:-}" = ok ]; then
        line="$line $(cell_rate "$s" "$row") | ${RES[$s,$row,p50]} | ${RES[$s,$row,p99]} | ${RES[$s,$row,cpu]} | ${RES[$s,$row,rss]} |"
        if [ "$s" != lanyard ] && num "${RES[$s,$row,rate]}"; then
          best=$(awk -v a="${best:-0}" -v b="${RES[$s,$row,rate]}" 'BEGIN { print (b > a) ? b : a }')
        fi
      else
        line="$line n/a | n/a | n/a | n/a | n/a |"
      fi
    done
    if [ "${STATUS[lanyard]:-}" = ok ] && num "${RES[lanyard,$row,rate]:-}" && [ -n "$best" ] &&
       awk -v b="$best" 'BEGIN { exit !(b > 0) }'; then
      line="$line $(awk -v a="${RES[lanyard,$row,rate]}" -v b="$best" 'BEGIN { printf "%.2f", a / b }') |"
    else
      line="$line n/a |"
    fi
    echo "$line"
  done
  echo
  echo "Resumed rows: authentications that resumed / accepted:"
  for s in $SERVERS; do
    [ "${STATUS[$s]:-}" = ok ] || continue
    echo "- $s: EAP-TLS ${RES[$s,tls-resumed,resumed]}/${RES[$s,tls-resumed,ok]}," \
         "PEAP ${RES[$s,peap-resumed,resumed]}/${RES[$s,peap-resumed,ok]}"
  done
  echo
  echo "Load generator's own CPU per authentication (ms; it must not be the bottleneck):"
  for s in $SERVERS; do
    [ "${STATUS[$s]:-}" = ok ] || continue
    line="- $s:"
    for row in $ROWS; do line="$line ${ROW_NAME[$row]} ${RES[$s,$row,gen]};"; done
    echo "$line"
  done
  echo
  if [ -n "$sign_rate" ]; then
    echo "Public-key limit: \`openssl speed -seconds $SPEED_SECONDS $speed_alg\`: $sign_rate sign/s on one core."
    if [ "${STATUS[lanyard]:-}" = ok ] && num "${RES[lanyard,tls-full,rate]:-}"; then
      echo "Lanyard EAP-TLS full / sign rate: $(awk -v a="${RES[lanyard,tls-full,rate]}" -v b="$sign_rate" \
            'BEGIN { printf "%.2f", a / b }')"
    else
      echo "Lanyard EAP-TLS full / sign rate: n/a (lanyard ${STATUS[lanyard]:-not run})"
    fi
  else
    echo "Public-key limit: openssl speed gave no number for ${speed_alg:-the server key}"
  fi
  echo
  echo "Notes: CPU ms/auth is the server's utime+stime over the row divided by accepted authentications;"
  echo "peak RSS is VmHWM after the row (the process's peak so far). FreeRADIUS runs threaded (-f),"
  echo "hostapd is single-threaded, lanyard-authenticator runs radius_server_workers (default one per core). Load average at start $LOAD_START, at end"
  echo "$(cut -d" " -f1-3 /proc/loadavg) (other work on the machine skews every column alike only roughly)."
  echo
  echo "## Lanyard scaling: workers, session store, two servers"
  echo
  echo "Same load (EAP-TLS, --concurrency $CONCURRENCY --count $COUNT), stations spread over sockets (--stations-per-socket 2)."
  echo
  echo "| configuration | EAP-TLS full auth/s | full CPU ms/auth | EAP-TLS resumed auth/s | resumed CPU ms/auth | resumed/accepted |"
  echo "|---|---:|---:|---:|---:|---:|"
  for v in $SCALE_VARIANTS; do
    if [ -n "${SRES[$v,skip]:-}" ]; then echo "| ${SCALE_NAME[$v]} | ${SRES[$v,skip]} | | | | |"; continue; fi
    echo "| ${SCALE_NAME[$v]} | ${SRES[$v,tls-full,rate]:-?} | ${SRES[$v,tls-full,cpu]:-?} | ${SRES[$v,tls-resumed,rate]:-?} |" \
         "${SRES[$v,tls-resumed,cpu]:-?} | ${SRES[$v,tls-resumed,resumed]:-0}/${SRES[$v,tls-resumed,ok]:-0} |"
  done
  echo
  echo "Took $(( ($(lyd_now_ms) - T0) / 1000 )) s."
} > "$REPORT"
cat "$REPORT"
