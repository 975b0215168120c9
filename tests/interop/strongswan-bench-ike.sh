#!/bin/bash
# IKE_SA setup rate and memory per IKE_SA (issue 8): lanyard-gateway
# --initiate as the load generator against (1) lanyard-gateway and (2)
# charon 5.9.8 as responders, in two namespaces on a veth pair, X25519,
# AES-CBC/SHA-256, childless (RFC 6023), for three authentication setups:
#   psk            PSK both ways
#   eap-mschapv2   responder: certificate (RSA-2048, auth = pubkey); the
#                  initiator: EAP-MSCHAPv2 as 'carol' (IDi is the EAP identity)
#   eap-tls        responder: certificate; the initiator: EAP-TLS (TLS 1.2,
#                  client certificate user@lanyard.test, full handshake each)
# Certificates from the test PKI (make pki; PKI_DIR, default build/pki).
# Short by design (this machine is shared):
#   BUILD_ROOT=build tests/interop/strongswan-bench-ike.sh [N] [CONCURRENCY]
# N per setup: IKE_COUNT_PSK (default N), IKE_COUNT_MSCHAPV2 (default N),
# IKE_COUNT_TLS (default N/4: each EAP-TLS IKE_SA adds a full TLS handshake,
# two more RSA signatures); IKE_AUTHS selects setups (default
# "psk eap-mschapv2 eap-tls"). IKE_GEN_PREFIX runs the generator under a
# profiler, e.g. IKE_GEN_PREFIX="valgrind --tool=callgrind
# --callgrind-out-file=/tmp/cg.%p"; IKE_RESP_PREFIX likewise for the
# lanyard-gateway responder.
# Prints "# rate ...", "# memory ..." and "# cpu ..." lines per run, then a
# table and one ratio line per setup. The generator and the responder share
# this machine's cores (with whatever else runs), so IKE_SA/s is bounded by
# their CPU together; the CPU columns (user+sys of the responder, all
# threads, from /proc; of the generator, from bash's times) say what each
# side spent per IKE_SA. Memory is the responder's RSS growth per IKE_SA
# still held (the generator exits without deleting them).
# A run whose generator did not establish every IKE_SA, whose responder
# does not hold them all, or in which the EAP method did not succeed once
# per IKE_SA (counted in the logs), is reported "not ok": its numbers are
# worthless. Otherwise no ok/not ok (not a test).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/strongswan-charon.sh"
lyd_init ike_bench
GW=$LYD_BIN/lanyard-gateway
lyd_require "$GW" "$SW_CHARON" "$SW_SWANCTL" || exit 0
N=${1:-1000}
K=${2:-16}
A=10.78.0.1   # load generator
R=10.78.0.2   # responder
AUTHS=${IKE_AUTHS:-psk eap-mschapv2 eap-tls}
EAP_SECRET="bench eap secret"
SW_EAP_LOAD="load = random nonce openssl pem pkcs1 x509 revocation constraints pubkey socket-default vici kdf pkcs8 kernel-libipsec kernel-netlink md4 md5 sha1 sha2 hmac eap-identity eap-mschapv2 eap-tls"

count_for() {
  case $1 in
    psk) echo "${IKE_COUNT_PSK:-$N}" ;;
    eap-mschapv2) echo "${IKE_COUNT_MSCHAPV2:-$N}" ;;
    eap-tls) echo "${IKE_COUNT_TLS:-$(( N / 4 > 0 ? N / 4 : 1 ))}" ;;
  esac
}
# The EAP method name both sides log on success ("EAP method EAP-X succeeded").
eap_name_for() {
  case $1 in
    psk) echo "" ;;
    eap-mschapv2) echo MSCHAPV2 ;;
    eap-tls) echo TLS ;;
  esac
}

for auth in $AUTHS; do
  case $auth in
    psk|eap-mschapv2|eap-tls) ;;
    *) echo "# unknown setup '$auth' in IKE_AUTHS (psk eap-mschapv2 eap-tls)"; exit 1 ;;
  esac
  if [ "$auth" != psk ] && { [ ! -f "$PKI_DIR/server.pem" ] || [ ! -f "$PKI_DIR/client.pem" ]; }; then
    echo "# no server/client certificates in $PKI_DIR (run: make pki)"
    exit 1
  fi
done

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null; }

lyd_netns l r
lyd_veth l eth0 "$(lyd_mac)" r eth0 "$(lyd_mac)"
ip -n "$(lyd_ns l)" addr add $A/24 dev eth0
ip -n "$(lyd_ns r)" addr add $R/24 dev eth0

# ---- configurations ---------------------------------------------------------

# The generator's local round / the responder's remote round per setup.
gen_local() {
  case $1 in
    psk) printf '            auth = psk\n            id = carol@example.org' ;;
    eap-mschapv2) printf '            auth = eap-mschapv2\n            id = carol' ;;
    eap-tls) printf '            auth = eap-tls\n            certs = client.pem\n            id = user@lanyard.test' ;;
  esac
}
resp_local() {
  case $1 in
    psk) printf '            auth = psk\n            id = moon.example.org' ;;
    *) printf '            auth = pubkey\n            certs = server.pem\n            id = server.lanyard.test' ;;
  esac
}
resp_remote() {
  case $1 in
    psk) printf '            auth = psk' ;;
    # no eap_id: IDi is the EAP identity (RFC 7296 §2.16)
    eap-mschapv2) printf '            auth = eap-mschapv2' ;;
    eap-tls) printf '            auth = eap-tls' ;;
  esac
}
secrets_for() {
  case $1 in
    psk) printf '    ike-1 {\n        id-a = carol@example.org\n        id-b = moon.example.org\n        secret = bench-secret\n    }' ;;
    eap-mschapv2) printf '    eap-carol {\n        id = carol\n        secret = "%s"\n    }' "$EAP_SECRET" ;;
    eap-tls) printf '' ;;
  esac
}

# write_load_conf AUTH DIR: the generator's swanctl.conf (+ x509 dirs).
write_load_conf() {
  local auth=$1 d=$2 rid=moon.example.org rauth=psk
  mkdir -p "$d/x509" "$d/x509ca" "$d/private"
  if [ "$auth" != psk ]; then
    rid=server.lanyard.test rauth=pubkey
    cp "$PKI_DIR/ca.pem" "$d/x509ca/"
    if [ "$auth" = eap-tls ]; then cp "$PKI_DIR/client.pem" "$d/x509/"; cp "$PKI_DIR/client.key" "$d/private/"; fi
  fi
  cat > "$d/load.conf" <<CONF
connections {
    gw {
        local_addrs = $A
        remote_addrs = $R
        proposals = aes128-sha256-x25519
        local {
$(gen_local "$auth")
        }
        remote {
            auth = $rauth
            id = $rid
        }
    }
}
secrets {
$(secrets_for "$auth")
}
CONF
}

# write_resp_conf AUTH DIR FILE: the responder's swanctl.conf (+ x509 dirs).
write_resp_conf() {
  local auth=$1 d=$2 f=$3
  mkdir -p "$d/x509" "$d/x509ca" "$d/private"
  if [ "$auth" != psk ]; then
    cp "$PKI_DIR/server.pem" "$d/x509/"; cp "$PKI_DIR/server.key" "$d/private/"; cp "$PKI_DIR/ca.pem" "$d/x509ca/"
  fi
  cat > "$f" <<CONF
connections {
    rw {
        local_addrs = $R
        proposals = aes128-sha256-x25519
        local {
$(resp_local "$auth")
        }
        remote {
$(resp_remote "$auth")
        }
    }
}
secrets {
$(secrets_for "$auth")
}
CONF
}

# ---- one run ------------------------------------------------------------------

declare -A ROW_RATE ROW_MEM ROW_EST ROW_N ROW_NOTE ROW_RCPU ROW_GCPU

# load AUTH LABEL COUNT: runs the generator; prints its summary line and
# "gencpu MS", the CPU time (user+sys) it used (bash's times for children).
load() {
  local auth=$1 label=$2 n=$3
  # shellcheck disable=SC2086  # IKE_GEN_PREFIX is split on purpose
  lyd_exec l $(( 120 + n / 10 )) ${IKE_GEN_PREFIX:-} "$GW" -c "$LYD_WORK/$auth/load/load.conf" --listen $A --port 6500 --port-nat-t 6501 \
    --initiate gw --childless --count "$n" --concurrency "$K" --exit-when-done --cookie-threshold 100000 \
    -f "$LYD_WORK/$auth/load-$label.log" > "$LYD_WORK/$auth/load-$label.out"
  grep initiated "$LYD_WORK/$auth/load-$label.out"
  times > "$LYD_WORK/$auth/load-$label.times"   # no pipe: a forked builtin would report 0
  awk 'NR == 2 { t = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); t += a[1] * 60 + a[2] } printf "gencpu %d\n", t * 1000 }' "$LYD_WORK/$auth/load-$label.times"
}

# CPU time (user+sys, all threads) of a running process in ms.
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{ print int(($14 + $15) * 1000 / hz) }' "/proc/$1/stat" 2>/dev/null; }

# record AUTH RESPONDER N BEFORE_KB AFTER_KB OUTPUT RESPONDER_LOG HELD RESPONDER_CPU_MS
# OUTPUT is what load printed. Checks the summary (every IKE_SA established), that the EAP method ran on
# both ends (generator log; responder log if given) and what the responder
# holds; stores the row.
record() {
  local auth=$1 resp=$2 n=$3 before=$4 after=$5 out=$6 rlog=$7 held=$8 rcpu=$9
  local key=$auth/$resp est failed rate eap note="" gen_eap resp_eap summary gcpu
  summary=$(printf '%s\n' "$out" | grep initiated)
  gcpu=$(printf '%s\n' "$out" | sed -n 's/^gencpu //p')
  est=$(printf '%s' "$summary" | sed -n 's/.*: \([0-9]*\) established, \([0-9]*\) failed.*/\1/p')
  failed=$(printf '%s' "$summary" | sed -n 's/.*: \([0-9]*\) established, \([0-9]*\) failed.*/\2/p')
  rate=$(printf '%s' "$summary" | sed -n 's/.*(\([0-9.]*\) IKE_SA\/s).*/\1/p')
  est=${est:-0} failed=${failed:-?} rate=${rate:-0}
  echo "# rate $resp responder ($auth, N=$n): ${summary:-no summary from the generator}"
  if [ "$est" -gt 0 ] && [ -n "$before" ] && [ -n "$after" ]; then
    ROW_MEM[$key]=$(( (after - before) * 1024 / est ))
  else
    ROW_MEM[$key]=-
  fi
  echo "# memory $resp responder ($auth): RSS $before KB -> $after KB with $est IKE_SAs: ${ROW_MEM[$key]} bytes per IKE_SA"
  [ "$est" -eq "$n" ] || note="$note only $est of $n established ($failed failed);"
  [ "$held" = "$n" ] || note="$note responder holds ${held:-?} IKE_SAs, not $n;"
  eap=$(eap_name_for "$auth")
  if [ -n "$eap" ]; then
    gen_eap=$(grep -c "EAP method EAP-$eap succeeded" "$LYD_WORK/$auth/load-$resp.log")
    [ "$gen_eap" -eq "$n" ] || note="$note generator logged EAP-$eap success $gen_eap times, not $n;"
    if [ -n "$rlog" ]; then
      resp_eap=$(grep -c "EAP method EAP-$eap succeeded" "$rlog")
      [ "$resp_eap" -eq "$n" ] || note="$note responder logged EAP-$eap success $resp_eap times, not $n;"
      echo "# $resp ($auth): $(grep -m1 -o "EAP method EAP-$eap succeeded.*" "$rlog") ($resp_eap times; generator: $gen_eap)"
    else
      echo "# $resp ($auth): generator's peer logged EAP-$eap success $gen_eap times: $(grep -m1 -o "EAP method EAP-$eap succeeded.*" "$LYD_WORK/$auth/load-$resp.log")"
    fi
  elif grep -q 'EAP method' "$LYD_WORK/$auth/load-$resp.log"; then
    note="$note EAP ran in the PSK setup;"
  fi
  if [ "$est" -gt 0 ]; then
    ROW_RCPU[$key]=$(( rcpu * 1000 / est )) ROW_GCPU[$key]=$(( ${gcpu:-0} * 1000 / est ))
  else
    ROW_RCPU[$key]=- ROW_GCPU[$key]=-
  fi
  echo "# cpu $resp responder ($auth): responder $rcpu ms, generator ${gcpu:-?} ms for $est IKE_SAs"
  ROW_RATE[$key]=$rate ROW_EST[$key]=$est ROW_N[$key]=$n ROW_NOTE[$key]=$note
  [ -z "$note" ] || not_ok "bench_${auth}_$resp" "$note (logs: $LYD_WORK/$auth)"
}

bench_lanyard() {
  local auth=$1 n=$2 d=$LYD_WORK/$1 rp before after summary held cpu0 cpu1
  write_resp_conf "$auth" "$d/resp" "$d/resp/resp.conf"
  # shellcheck disable=SC2086  # IKE_RESP_PREFIX is split on purpose
  run_bg r "$d/resp.log" ${IKE_RESP_PREFIX:-} "$GW" -c "$d/resp/resp.conf" --listen $R --kernel none --cookie-threshold 100000 > /dev/null
  rp=$LYD_LAST_PID
  if ! wait_for_log "$d/resp.log" 'NAT-T' 5; then
    not_ok "bench_${auth}_lanyard-gateway" "responder did not start: $(head -2 "$d/resp.log" | tr '\n' ' ')"
    lyd_term_wait_kill "$rp"
    return
  fi
  before=$(rss_kb "$rp") cpu0=$(cpu_ms "$rp")
  summary=$(load "$auth" lanyard-gateway "$n")
  after=$(rss_kb "$rp") cpu1=$(cpu_ms "$rp")
  held=$(grep -c "IKE_SA rw\[[0-9]*\] established" "$d/resp.log")
  record "$auth" lanyard-gateway "$n" "$before" "$after" "$summary" "$d/resp.log" "$held" $(( ${cpu1:-0} - ${cpu0:-0} ))
  lyd_term_wait_kill "$rp"
}

# charon: kernel-libipsec loaded because charon needs a kernel interface
# (no CHILD_SAs here); logging off for the benchmark (level -1), except the
# start-up line sw_start waits for.
bench_charon() {
  local auth=$1 n=$2 d=$LYD_WORK/$1 sw=$LYD_WORK/$1/sw cpid before after summary held cpu0 cpu1
  local extra=()
  [ "$auth" = psk ] || extra=("$SW_EAP_LOAD")
  sw_init "$sw" "${extra[@]}" 'ikesa_table_size = 4096' 'init_limit_half_open = 100000' 'cookie_threshold = 100000' 'block_threshold = 100000'
  write_resp_conf "$auth" "$sw" "$sw/swanctl.conf.in"
  sed 's/^    rw {/    rw {\n        unique = never/' "$sw/swanctl.conf.in" > "$sw/swanctl.conf"
  sed -i 's/default = 1/default = -1\n            job = 1/; s/ike = 2/ike = -1/; s/enc = 1/enc = -1/' "$sw/strongswan.conf"
  if ! sw_start r "$sw"; then
    not_ok "bench_${auth}_charon" "charon did not start: $(grep -m2 -iE 'fail|error' "$sw/charon.log" | tr '\n' ' ')"
    lyd_term_wait_kill "$SW_PID"
    return
  fi
  if ! sw_load "$sw" | grep -q 'successfully loaded 1 connections'; then
    not_ok "bench_${auth}_charon" "swanctl --load-all failed"
    lyd_term_wait_kill "$SW_PID"
    return
  fi
  cpid=$SW_PID
  if [ "$(cat "/proc/$cpid/comm" 2>/dev/null)" != charon ]; then
    cpid=$(pgrep -f "^$SW_CHARON" | while read -r p; do [ "$(ip netns identify "$p" 2>/dev/null)" = "$(lyd_ns r)" ] && echo "$p"; done | head -1)
  fi
  before=$(rss_kb "$cpid") cpu0=$(cpu_ms "$cpid")
  summary=$(load "$auth" charon "$n")
  after=$(rss_kb "$cpid") cpu1=$(cpu_ms "$cpid")
  held=$(sw_ctl "$sw" --stats | sed -n 's/^IKE_SAs: \([0-9]*\) total.*/\1/p')
  echo "# charon ($auth): $(sw_ctl "$sw" --stats | grep 'IKE_SAs')"
  record "$auth" charon "$n" "$before" "$after" "$summary" "" "$held" $(( ${cpu1:-0} - ${cpu0:-0} ))
  lyd_term_wait_kill "$SW_PID"
}

echo "# $(date -u '+%Y-%m-%d %H:%M:%S UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs, concurrency $K"
for auth in $AUTHS; do
  n=$(count_for "$auth")
  mkdir -p "$LYD_WORK/$auth"
  write_load_conf "$auth" "$LYD_WORK/$auth/load"
  bench_lanyard "$auth" "$n"
  bench_charon "$auth" "$n"
done

# ---- summary --------------------------------------------------------------------
per_core() { awk -v us="$1" 'BEGIN { if (us + 0 > 0) printf "%d", 1000000 / us; else printf "n/a" }'; }
echo
# IKE_SA/s per core: what one core of the responder sustains, 1 s over
# its CPU time per IKE_SA (the wall-clock rate is bounded by the generator
# too, which shares the 2 cores).
echo "| auth | responder | N | IKE_SA/s | IKE_SA/s per core | memory per IKE_SA (bytes) | established/attempted | responder CPU us/IKE_SA | generator CPU us/IKE_SA |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
for auth in $AUTHS; do
  for resp in lanyard-gateway charon; do
    key=$auth/$resp
    [ -n "${ROW_N[$key]:-}" ] || { echo "| $auth | $resp | - | - | - | - | not run | - | - |"; continue; }
    echo "| $auth | $resp | ${ROW_N[$key]} | ${ROW_RATE[$key]} | $(per_core "${ROW_RCPU[$key]}") | ${ROW_MEM[$key]} | ${ROW_EST[$key]}/${ROW_N[$key]}${ROW_NOTE[$key]:+ INVALID:${ROW_NOTE[$key]}} | ${ROW_RCPU[$key]} | ${ROW_GCPU[$key]} |"
  done
done
echo
for auth in $AUTHS; do
  l=$auth/lanyard-gateway c=$auth/charon
  awk -v a="$auth" -v lr="${ROW_RATE[$l]:-}" -v cr="${ROW_RATE[$c]:-}" -v lm="${ROW_MEM[$l]:-}" -v cm="${ROW_MEM[$c]:-}" \
      -v lc="${ROW_RCPU[$l]:-}" -v cc="${ROW_RCPU[$c]:-}" 'BEGIN {
    r = (lr != "" && cr + 0 > 0) ? sprintf("%.2f", lr / cr) : "n/a"
    p = (lc + 0 > 0 && cc + 0 > 0) ? sprintf("%.2f", cc / lc) : "n/a"
    m = (lm ~ /^-?[0-9]+$/ && cm ~ /^-?[0-9]+$/ && cm + 0 > 0) ? sprintf("%.2f", lm / cm) : "n/a"
    printf "%s: lanyard/charon rate %s, rate per core %s (target >= 2), memory %s (target <= 0.5)\n", a, r, p, m
  }'
done
lyd_finish
