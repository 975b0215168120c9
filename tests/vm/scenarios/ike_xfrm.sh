#!/bin/bash
# vm-radios: 1
# lanyard-gateway with --kernel xfrm on both ends (drivers/xfrm installer):
# an IKEv2 initiator (namespace i) and responder (namespace r) joined by a
# veth pair (10.81.1.1 <-> 10.81.1.2) negotiate a tunnel-mode CHILD_SA with
# PSK for 10.10.1.1/32 (dummy in i) === 10.10.2.1/32 (dummy in r). Per ESP
# case: gcm (AES-GCM-128), cbc (AES-CBC-128 + HMAC-SHA2-256-128) and encap
# (AES-GCM-128, the initiator forces UDP encapsulation, RFC 3948, with
# "encap = yes": ESP-in-UDP on port 4500 both ways):
#   CASE-blocked-before  ping -I 10.10.1.1 10.10.2.1 fails before the IKE_SA
#                        (a lower-priority "block" policy for 10.10.1.0/24 <->
#                        10.10.2.0/24 stands in for a firewall; routes exist)
#   CASE-established     both gateways log the CHILD_SA with kernel xfrm
#   CASE-installed       ip xfrm state/policy in both namespaces show the two
#                        ESP SAs (tunnel mode, the negotiated SPIs) and the
#                        out/in/fwd policies for the /32 selectors
#   CASE-ping            the same ping now passes
#   CASE-esp-counters    the inbound SA on each side counted packets, and the
#                        counters grow with more pings (traffic went via ESP)
#   CASE-terminated-i    SIGTERM to the initiator: it deletes its IKE_SA
#                        (INFORMATIONAL DELETE) and stops; its namespace has
#                        no ESP SA and none of the /32 policies left
#   CASE-terminated-r    the responder (still running) logged "deleted by
#                        peer" and its namespace has no ESP SA / policy left
#   CASE-blocked-after   the ping fails again
# Case charon: strongSwan charon 5.9.8 (kernel-netlink, so its CHILD_SA is
# in the kernel too) initiates to the Lanyard responder: blocked-before,
# established, installed, ping, esp-counters as above; then
#   charon-rekeyed       swanctl --rekey --child: the responder logs the
#                        CREATE_CHILD_SA rekey
#   charon-installed-after-rekey / -ping-after-rekey / -esp-counters-after-rekey
#                        the new SPIs are in both kernels, the responder has
#                        only the new pair and the /32 policies, traffic flows
#                        through the new SAs
#   charon-terminated-i/-r, charon-blocked-after   swanctl --terminate --ike:
#                        the responder removes SAs and policies on DELETE
source "$LANYARD_ROOT/tests/vm/vm-lib.sh"
# shellcheck source=../../interop/strongswan-charon.sh
source "$LANYARD_ROOT/tests/interop/strongswan-charon.sh"
vm_init ike_xfrm

GW=$LYD_BIN/lanyard-gateway
PSK="vm xfrm s3cr3t"
I_ADDR=10.81.1.1
R_ADDR=10.81.1.2
I_NET=10.10.1.1
R_NET=10.10.2.1
T_IKE=${VM_T_CONNECT:-90}

lyd_require "$GW" || { not_ok ike-xfrm "lanyard-gateway not built"; vm_finish; }

write_conf() {  # FILE LOCAL_ADDR REMOTE_ADDR|"" LOCAL_ID REMOTE_ID LOCAL_TS REMOTE_TS ESP [CONN_LINE]
  local remote_line=""
  [ -n "$3" ] && remote_line="remote_addrs = $3"
  cat > "$1" <<CONF
connections {
    gw {
        local_addrs = $2
        $remote_line
        version = 2
        proposals = aes128-sha256-x25519
        ${9:-}
        local {
            auth = psk
            id = $4
        }
        remote {
            auth = psk
            id = $5
        }
        children {
            ipsec {
                local_ts = $6
                remote_ts = $7
                esp_proposals = $8
            }
        }
    }
}
secrets {
    ike-pair {
        id-a = $4
        id-b = $5
        secret = "$PSK"
    }
}
CONF
}

# SA lines in NS from SRC to DST: "spi 0x... packets" (packets from ip -s).
sa_packets() {  # NS SRC DST
  ip -s -n "$(lyd_ns "$1")" xfrm state list src "$2" dst "$3" proto esp |
    sed -nE 's/.*[[:space:]]([0-9]+)\(packets\).*/\1/p' | head -1
}

# ping -I I_NET R_NET in CASE-i: one a second until one reply or TIMEOUT_S.
inner_ping() {  # CASE TIMEOUT_S
  local deadline=$(( $(lyd_now_ms) + $2 * 1000 ))
  while :; do
    lyd_exec "$1-i" 5 "${VM_PING[@]}" -q -c 1 -W 1 -I "$I_NET" "$R_NET" > /dev/null 2>&1 && return 0
    [ "$(lyd_now_ms)" -lt "$deadline" ] || return 1
  done
}
# True only when ping ran and got no reply: COUNT requests sent and none
# answered, or the kernel refused to send (EPERM from a block policy).
inner_no_ping() {  # CASE COUNT
  local out
  out=$(lyd_exec "$1-i" $(($2 * 2 + 5)) "${VM_PING[@]}" -q -c "$2" -W 1 -I "$I_NET" "$R_NET" 2>&1)
  printf '%s\n' "$out" >> "$LYD_WORK/$1/no-ping.txt"
  printf '%s\n' "$out" | grep -Eq "[1-9][0-9]* (packets )?received" && return 1
  printf '%s\n' "$out" | grep -Eq "^[0-9]+ packets transmitted, 0 (packets )?received|Operation not permitted"
}

# Namespaces CASE-i / CASE-r, veth, dummies, routes, block policies; checks
# CASE-blocked-before. Sets I, R. Returns 1 (after a not ok) on failure.
net_setup() {  # CASE
  local c=$1
  lyd_netns "$c-i" "$c-r" || { not_ok "$c-setup" "namespaces"; return 1; }
  I=$(lyd_ns "$c-i")
  R=$(lyd_ns "$c-r")
  lyd_veth "$c-i" eth0 "$(lyd_mac)" "$c-r" eth0 "$(lyd_mac)" || { not_ok "$c-setup" "veth"; return 1; }
  if ! { ip -n "$I" addr add "$I_ADDR/24" dev eth0 && ip -n "$R" addr add "$R_ADDR/24" dev eth0 &&
         ip -n "$I" link add dum0 type dummy && ip -n "$I" addr add "$I_NET/32" dev dum0 && ip -n "$I" link set dum0 up &&
         ip -n "$R" link add dum0 type dummy && ip -n "$R" addr add "$R_NET/32" dev dum0 && ip -n "$R" link set dum0 up &&
         ip -n "$I" route add "$R_NET/32" via "$R_ADDR" dev eth0 &&
         ip -n "$R" route add "$I_NET/32" via "$I_ADDR" dev eth0 &&
         # Without IPsec the inner networks must not talk: a block policy
         # below the IPsec ones (Lanyard 2000, charon's below 4000000)
         # and wider than their /32s.
         ip -n "$I" xfrm policy add src 10.10.1.0/24 dst 10.10.2.0/24 dir out action block priority 4000000 &&
         ip -n "$R" xfrm policy add src 10.10.2.0/24 dst 10.10.1.0/24 dir out action block priority 4000000; } 2> "$D/setup.err"; then
    not_ok "$c-setup" "$(tr '\n' ' ' < "$D/setup.err")"
    return 1
  fi
  # The outer path works (so a failing inner ping below is the policy).
  vm_ping "$c-i" "$R_ADDR" 10 || { not_ok "$c-setup" "no ping between the veth ends"; return 1; }

  if inner_no_ping "$c" 2; then ok "$c-blocked-before"
  else not_ok "$c-blocked-before" "inner ping answered without IPsec"; fi
}

# CASE-TAG: two ESP states (tunnel mode; ESP-in-UDP on 4500 when ENCAP=1)
# and the out/in/fwd /32 policies in both namespaces, and the SPIs of the
# responder's last CHILD_SA log line are the kernel's. Dumps to DUMP.
check_installed() {  # TAG ENCAP DUMP [I_EXTRA_STATES]
  local tag=$1 encap=$2 dump=$3 i_extra_states=${4:-0} ns st pol spis spi good=1 want
  for ns in "$I" "$R"; do
    { echo "== $ns"; ip -s -n "$ns" xfrm state; ip -n "$ns" xfrm policy; } >> "$dump" 2>&1
  done
  for ns in "$I" "$R"; do
    st=$(ip -n "$ns" xfrm state list proto esp | grep -c '^src ')
    want=2
    [ "$ns" = "$I" ] && want=$((2 + i_extra_states))
    [ "$st" -ge 2 ] && [ "$st" -le "$want" ] || { good=0; echo "# $ns: $st ESP states (want 2..$want)"; }
    ip -n "$ns" xfrm state list proto esp | grep -q 'mode tunnel' || { good=0; echo "# $ns: no tunnel-mode state"; }
    if [ "$encap" = 1 ]; then
      st=$(ip -n "$ns" xfrm state list proto esp | grep -c 'encap type espinudp sport 4500 dport 4500')
      [ "$st" = 2 ] || { good=0; echo "# $ns: $st UDP-encapsulated states (want 2)"; }
    fi
    pol=$(ip -n "$ns" xfrm policy list | grep -cE '^src 10\.10\.[12]\.1/32 dst 10\.10\.[12]\.1/32')
    [ "$pol" = 3 ] || { good=0; echo "# $ns: $pol policies for the /32 selectors (want out/in/fwd)"; }
  done
  spis=$(sed -nE 's/.*CHILD_SA ipsec\{[0-9]+\} (established|rekeyed) with SPIs ([0-9a-f]{8})_i ([0-9a-f]{8})_o.*/\2 \3/p' "$D/r.log" | tail -1)
  [ -n "$spis" ] || { good=0; echo "# no SPIs in r.log"; }
  for spi in $spis; do
    for ns in "$I" "$R"; do
      ip -n "$ns" xfrm state list proto esp | grep -q "spi 0x$spi" || { good=0; echo "# $ns: no state with SPI 0x$spi"; }
    done
  done
  if [ $good = 1 ]; then ok "$c-$tag"
  else not_ok "$c-$tag" "see $dump"; fi
}

# CASE-TAG: the inbound SA on each side counted packets, and 3 more pings
# raise both counters.
check_counters() {  # TAG
  local a b a2 b2
  a=$(sa_packets "$c-r" "$I_ADDR" "$R_ADDR"); b=$(sa_packets "$c-i" "$R_ADDR" "$I_ADDR")
  lyd_exec "$c-i" 15 "${VM_PING[@]}" -q -c 3 -W 1 -I "$I_NET" "$R_NET" > /dev/null 2>&1
  a2=$(sa_packets "$c-r" "$I_ADDR" "$R_ADDR"); b2=$(sa_packets "$c-i" "$R_ADDR" "$I_ADDR")
  echo "# $c-$1: packets into r $a -> $a2, into i $b -> $b2"
  if [ "${a:-0}" -gt 0 ] && [ "${b:-0}" -gt 0 ] && [ "${a2:-0}" -gt "${a:-0}" ] && [ "${b2:-0}" -gt "${b:-0}" ]; then
    ok "$c-$1"
  else
    not_ok "$c-$1" "inbound SA packet counters r: '$a' -> '$a2', i: '$b' -> '$b2'"
  fi
}

# CASE-terminated-SIDE: no ESP state and no /32 policy left in CASE-SIDE
# (waits up to 10 s for it); for r also "deleted by peer" in r.log.
check_gone() {  # SIDE
  local side=$1 ns good=1
  ns=$(lyd_ns "$c-$side")
  for _ in $(seq 50); do
    [ -z "$(ip -n "$ns" xfrm state list proto esp)" ] && break
    sleep 0.2
  done
  { echo "== $ns"; ip -n "$ns" xfrm state; ip -n "$ns" xfrm policy; } >> "$D/xfrm-down.txt" 2>&1
  [ -z "$(ip -n "$ns" xfrm state list proto esp)" ] || { good=0; echo "# $c-$side: ESP states left"; }
  ! ip -n "$ns" xfrm policy list | grep -qE '^src 10\.10\.[12]\.1/32' || { good=0; echo "# $c-$side: /32 policies left"; }
  if [ "$side" = r ] && ! grep -q 'deleted by peer' "$D/r.log"; then good=0; echo "# $c-r: no 'deleted by peer' in r.log"; fi
  if [ $good = 1 ]; then ok "$c-terminated-$side"
  else not_ok "$c-terminated-$side" "kernel state left or no DELETE, see $D/xfrm-down.txt"; fi
}

run_case() {  # CASE ESP_PROPOSAL [INITIATOR_CONN_LINE]
  local c=$1 esp=$2 i_extra=${3:-} D I R ip_pid rp_pid t0
  lyd_case_begin "$c"
  D=$LYD_WORK/$c
  mkdir -p "$D"
  net_setup "$c" || return

  write_conf "$D/r.conf" "$R_ADDR" "" moon.example.org carol@example.org "$R_NET/32" "$I_NET/32" "$esp"
  write_conf "$D/i.conf" "$I_ADDR" "$R_ADDR" carol@example.org moon.example.org "$I_NET/32" "$R_NET/32" "$esp" "$i_extra"
  t0=$(lyd_now_ms)
  run_bg "$c-r" "$D/r.log" "$GW" -c "$D/r.conf" --listen "$R_ADDR" --kernel xfrm -t -d > /dev/null
  rp_pid=$LYD_LAST_PID
  if ! wait_for_log "$D/r.log" 'listening on' "${VM_T_START:-30}"; then
    not_ok "$c-established" "responder did not start: $(tail -3 "$D/r.log" | tr '\n' ' ')"
    vm_stop "$rp_pid"; return
  fi
  run_bg "$c-i" "$D/i.log" "$GW" -c "$D/i.conf" --listen "$I_ADDR" --initiate gw/ipsec --kernel xfrm -t -d > /dev/null
  ip_pid=$LYD_LAST_PID
  if wait_for_log "$D/i.log" 'CHILD_SA ipsec\{[0-9]+\} established .*kernel: xfrm' "$T_IKE" &&
     wait_for_log "$D/r.log" 'CHILD_SA ipsec\{[0-9]+\} established .*kernel: xfrm' 10; then
    ok "$c-established"
    echo "# $c: IKE_SA + CHILD_SA in $(( $(lyd_now_ms) - t0 )) ms (both gateways started)"
  else
    not_ok "$c-established" "i: $(grep -E 'CHILD_SA|error|failed' "$D/i.log" | tail -3 | tr '\n' ' ') r: $(grep -E 'CHILD_SA|error|failed' "$D/r.log" | tail -3 | tr '\n' ' ')"
  fi

  check_installed installed "$([ -n "$i_extra" ] && echo 1 || echo 0)" "$D/xfrm-up.txt"

  if inner_ping "$c" 20; then ok "$c-ping"
  else not_ok "$c-ping" "no reply from $R_NET through the tunnel"; fi
  check_counters esp-counters

  # Terminate: SIGTERM makes the initiator delete its IKE_SA (INFORMATIONAL
  # DELETE) and leave; the responder, still running, removes its side.
  vm_stop "$ip_pid"
  check_gone i
  check_gone r

  if inner_no_ping "$c" 2; then ok "$c-blocked-after"
  else not_ok "$c-blocked-after" "inner ping answered after the CHILD_SA was gone"; fi
  vm_stop "$rp_pid"
  lyd_case_end "$c"
  lyd_case_cleanup
}

# charon (kernel-netlink: its CHILD_SAs in the kernel too) initiates to the
# Lanyard responder; then charon rekeys the CHILD_SA (CREATE_CHILD_SA: the
# responder installs the new pair, keeps the shared policies and removes
# the old SAs) and terminates the IKE_SA (DELETE from charon).
charon_case() {
  local c=charon D I R rp_pid out
  lyd_case_begin "$c"
  D=$LYD_WORK/$c
  mkdir -p "$D"
  if [ ! -x "$SW_CHARON" ]; then lyd_skip "$c" "no $SW_CHARON"; return; fi
  net_setup "$c" || return
  write_conf "$D/r.conf" "$R_ADDR" "" moon.example.org carol@example.org "$R_NET/32" "$I_NET/32" aes128gcm16
  run_bg "$c-r" "$D/r.log" "$GW" -c "$D/r.conf" --listen "$R_ADDR" --kernel xfrm -t -d > /dev/null
  rp_pid=$LYD_LAST_PID
  wait_for_log "$D/r.log" 'listening on' "${VM_T_START:-30}" || { not_ok "$c-established" "responder did not start"; vm_stop "$rp_pid"; return; }
  sw_init "$D/sw"
  # The kernel's IPsec, not charon's userspace ESP; the log to a file (the
  # guest's chroot has no /dev/stderr to open).
  sed -i -e 's/ kernel-libipsec / /' -e "s#path = /dev/stderr#path = $D/sw/charon.log#" "$D/sw/strongswan.conf"
  write_conf "$D/sw/swanctl.conf" "$I_ADDR" "$R_ADDR" carol@example.org moon.example.org "$I_NET/32" "$R_NET/32" aes128gcm16
  if ! sw_start "$c-i" "$D/sw"; then
    not_ok "$c-established" "charon did not start: $(grep -m1 -E 'failed|error' "$D/sw/charon.log")"
    vm_stop "$rp_pid"; return
  fi
  sw_load "$D/sw" > "$D/sw/load.txt"
  out=$(sw_ctl "$D/sw" --initiate --child ipsec)
  if printf '%s' "$out" | grep -q 'initiate completed successfully' &&
     wait_for_log "$D/r.log" 'CHILD_SA ipsec\{[0-9]+\} established .*kernel: xfrm' 10; then
    ok "$c-established"
  else
    not_ok "$c-established" "charon: $(printf '%s' "$out" | tail -2 | tr '\n' ' ')"
  fi
  check_installed installed 0 "$D/xfrm-up.txt"
  if inner_ping "$c" 20; then ok "$c-ping"
  else not_ok "$c-ping" "no reply from $R_NET through the tunnel"; fi
  check_counters esp-counters

  out=$(sw_ctl "$D/sw" --rekey --child ipsec)
  if wait_for_log "$D/r.log" 'CHILD_SA ipsec\{[0-9]+\} rekeyed .*kernel: xfrm' 20; then
    sleep 1   # charon deletes the old pair right after the rekey
    ok "$c-rekeyed"
  else
    not_ok "$c-rekeyed" "no rekey on the responder: $(printf '%s' "$out" | tail -1)"
  fi
  # Lanyard (r) has only the new pair; charon 5.9.8 keeps its old inbound
  # SA for a few seconds after a rekey (one extra state allowed on i).
  check_installed installed-after-rekey 0 "$D/xfrm-rekeyed.txt" 1
  if inner_ping "$c" 20; then ok "$c-ping-after-rekey"
  else not_ok "$c-ping-after-rekey" "no reply through the rekeyed CHILD_SA"; fi
  check_counters esp-counters-after-rekey

  out=$(sw_ctl "$D/sw" --terminate --ike gw)
  check_gone i
  check_gone r
  if inner_no_ping "$c" 2; then ok "$c-blocked-after"
  else not_ok "$c-blocked-after" "inner ping answered after the CHILD_SA was gone"; fi
  vm_stop "$SW_PID"
  vm_stop "$rp_pid"
  lyd_case_end "$c"
  lyd_case_cleanup
}

run_case gcm aes128gcm16
run_case cbc aes128-sha256
run_case encap aes128gcm16 "encap = yes"
charon_case
vm_finish
