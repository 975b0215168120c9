#!/bin/bash
# IKE_SA setup rate and memory per IKE_SA: lanyard-gateway --initiate as the
# load generator against (1) lanyard-gateway and (2) charon 5.9.8 as
# responders, PSK, X25519, AES-CBC/SHA-256, childless (RFC 6023), in two
# namespaces on a veth pair. Short by design (this machine is shared):
#   BUILD_ROOT=build tests/interop/strongswan-bench-ike.sh [N] [CONCURRENCY]
# Prints "# rate ..." and "# memory ..." lines; no ok/not ok (not a test).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/strongswan-charon.sh"
lyd_init ike_bench
GW=$LYD_BIN/lanyard-gateway
lyd_require "$GW" "$SW_CHARON" "$SW_SWANCTL" || exit 0
N=${1:-1000}
K=${2:-16}
A=10.78.0.1   # load generator
R=10.78.0.2   # responder

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null; }

lyd_netns l r
lyd_veth l eth0 "$(lyd_mac)" r eth0 "$(lyd_mac)"
ip -n "$(lyd_ns l)" addr add $A/24 dev eth0
ip -n "$(lyd_ns r)" addr add $R/24 dev eth0

cat > "$LYD_WORK/load.conf" <<CONF
connections {
    gw {
        local_addrs = $A
        remote_addrs = $R
        proposals = aes128-sha256-x25519
        local {
            auth = psk
            id = carol@example.org
        }
        remote {
            auth = psk
            id = moon.example.org
        }
    }
}
secrets {
    ike-1 {
        id-a = carol@example.org
        id-b = moon.example.org
        secret = bench-secret
    }
}
CONF
cat > "$LYD_WORK/resp.conf" <<CONF
connections {
    rw {
        local_addrs = $R
        proposals = aes128-sha256-x25519
        local {
            auth = psk
            id = moon.example.org
        }
        remote {
            auth = psk
        }
    }
}
secrets {
    ike-1 {
        id-a = carol@example.org
        id-b = moon.example.org
        secret = bench-secret
    }
}
CONF

load() {  # $1: label; prints the generator's summary
  local out
  out=$(lyd_exec l 120 "$GW" -c "$LYD_WORK/load.conf" --listen $A --port 6500 --port-nat-t 6501 --initiate gw \
        --childless --count "$N" --concurrency "$K" --exit-when-done --cookie-threshold 100000 -f "$LYD_WORK/load-$1.log")
  echo "$out" | grep initiated
}

# (1) Lanyard responder
run_bg r "$LYD_WORK/resp.log" "$GW" -c "$LYD_WORK/resp.conf" --listen $R --cookie-threshold 100000 > /dev/null
RP=$LYD_LAST_PID
wait_for_log "$LYD_WORK/resp.log" 'NAT-T' 5
pid=$(pgrep -f "lanyard-gateway -c $LYD_WORK/resp.conf" | head -1)
before=$(rss_kb "$pid")
summary=$(load lanyard)
after=$(rss_kb "$pid")
echo "# rate lanyard-gateway responder: $summary"
echo "# memory lanyard-gateway responder: RSS $before KB -> $after KB with $N IKE_SAs: $(( (after - before) * 1024 / N )) bytes per IKE_SA"
lyd_term_wait_kill "$RP"

# (2) charon responder (kernel-libipsec loaded because charon needs a kernel
# interface; no CHILD_SAs here)
sw_init "$LYD_WORK/sw" 'ikesa_table_size = 4096' 'init_limit_half_open = 100000' 'cookie_threshold = 100000' 'block_threshold = 100000'
sed 's/^    rw {/    rw {\n        unique = never/' "$LYD_WORK/resp.conf" > "$LYD_WORK/sw/swanctl.conf"
# quiet for the benchmark (level -1), except the start-up line sw_start waits for
sed -i 's/default = 1/default = -1\n            job = 1/; s/ike = 2/ike = -1/; s/enc = 1/enc = -1/' "$LYD_WORK/sw/strongswan.conf"
sw_start r "$LYD_WORK/sw" || { echo "# charon did not start"; lyd_finish; }
sw_load "$LYD_WORK/sw" > /dev/null
cpid=$(pgrep -f "^$SW_CHARON" | while read -r p; do [ "$(ip netns identify "$p" 2>/dev/null)" = "$(lyd_ns r)" ] && echo "$p"; done | head -1)
before=$(rss_kb "$cpid")
summary=$(load charon)
after=$(rss_kb "$cpid")
echo "# rate charon responder: $summary"
echo "# memory charon responder: RSS $before KB -> $after KB with $N IKE_SAs: $(( (after - before) * 1024 / N )) bytes per IKE_SA"
echo "# charon: $(sw_ctl "$LYD_WORK/sw" --stats | grep 'IKE_SAs')"
lyd_finish
