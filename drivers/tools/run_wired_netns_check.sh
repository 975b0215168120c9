#!/bin/sh
# Manual check of the wired driver and the pcap capture (run as root):
# builds the two check programs against the os library, runs pcap_check
# (no root needed) and wired_netns_check over a veth pair between two
# network namespaces, then decodes both captures with tshark and fails on
# any "Malformed". Namespaces are named lyd-* and removed on exit.
#
#   drivers/tools/run_wired_netns_check.sh [BUILD_ROOT]   (default build/h-drv)
set -eu
BUILD_ROOT=${1:-build/h-drv}
OUT=$BUILD_ROOT/drv-check
NS_A=lyd-drv-a NS_B=lyd-drv-b IF_A=lyd-va IF_B=lyd-vb
CXXFLAGS="-std=c++20 -O1 -g -Wall -Wextra -Wshadow -Wswitch-enum -I."

make -s -j2 BUILD_ROOT="$BUILD_ROOT" SRC_DIRS="common drivers drivers/memory drivers/wired drivers/pcap" \
    "$BUILD_ROOT/lib/liblanyard_os.a" "$BUILD_ROOT/lib/liblanyard.a"
mkdir -p "$OUT"
LIBS="$BUILD_ROOT/lib/liblanyard_os.a $BUILD_ROOT/lib/liblanyard.a -lpcap"
g++ $CXXFLAGS -o "$OUT/pcap_check" drivers/tools/pcap_check.cpp $LIBS
g++ $CXXFLAGS -o "$OUT/wired_netns_check" drivers/tools/wired_netns_check.cpp $LIBS

decode() {  # FILE: prints a summary, fails on Malformed or no EAPOL
    tshark -r "$1" -Y eapol 2>/dev/null | sed 's/^/    /'
    if tshark -r "$1" -V 2>/dev/null | grep -qi malformed; then echo "FAIL $1: Malformed"; return 1; fi
    n=$(tshark -r "$1" -Y eapol 2>/dev/null | wc -l)
    [ "$n" -gt 0 ] || { echo "FAIL $1: no EAPOL frame decoded"; return 1; }
    echo "PASS $1: $n EAPOL frames, none malformed"
}

echo "== pcap_check"
"$OUT/pcap_check" "$OUT/memory.pcap"
decode "$OUT/memory.pcap"

cleanup() {
    ip netns del $NS_A 2>/dev/null || true
    ip netns del $NS_B 2>/dev/null || true
}
trap cleanup EXIT
cleanup
ip netns add $NS_A
ip netns add $NS_B
ip link add $IF_A netns $NS_A type veth peer name $IF_B netns $NS_B
ip -n $NS_A link set $IF_A up
ip -n $NS_B link set $IF_B up
# Operstate follows carrier through the kernel's linkwatch, up to a
# second later: wait until both ends say UP.
for i in $(seq 50); do
    ip -n $NS_A link show $IF_A | grep -q "state UP" && ip -n $NS_B link show $IF_B | grep -q "state UP" && break
    sleep 0.1
done

echo "== wired_netns_check"
"$OUT/wired_netns_check" $NS_A $IF_A $NS_B $IF_B "$OUT/wired.pcap" 2>"$OUT/wired.log"
decode "$OUT/wired.pcap"
