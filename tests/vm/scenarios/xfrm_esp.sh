#!/bin/bash
# vm-radios: 1
# Kernel IPsec in the guest (for the IKE gateway tests): an ESP state can be
# added, listed and deleted with ip xfrm, and two namespaces joined by a veth
# pair exchange ESP-protected pings (transport mode, AES-GCM-128).
source "$LANYARD_ROOT/tests/vm/vm-lib.sh"
vm_init xfrm_esp

lyd_netns a b || { not_ok xfrm-setup "no namespaces"; vm_finish; }
A=$(lyd_ns a)
B=$(lyd_ns b)
lyd_veth a eth0 "$(lyd_mac)" b eth0 "$(lyd_mac)" || { not_ok xfrm-setup "no veth pair"; vm_finish; }
ip -n "$A" addr add 10.81.0.1/24 dev eth0
ip -n "$B" addr add 10.81.0.2/24 dev eth0

# 1. add / list / delete one state.
KEY_GCM=0x0102030405060708090a0b0c0d0e0f1011121314     # 16-byte key + 4-byte salt
KEY_ENC=0x000102030405060708090a0b0c0d0e0f
KEY_AUTH=0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
if ! out=$(ip -n "$A" xfrm state add src 10.81.0.1 dst 10.81.0.2 proto esp spi 0x1000 reqid 1 \
    mode transport enc 'cbc(aes)' "$KEY_ENC" auth-trunc 'hmac(sha256)' "$KEY_AUTH" 128 2>&1); then
  not_ok xfrm-state "ip xfrm state add failed: $out"
elif ! ip -n "$A" xfrm state list | grep -q 'spi 0x00001000'; then
  not_ok xfrm-state "the added state is not listed"
elif ! out=$(ip -n "$A" xfrm state delete src 10.81.0.1 dst 10.81.0.2 proto esp spi 0x1000 2>&1); then
  not_ok xfrm-state "ip xfrm state delete failed: $out"
elif [ -n "$(ip -n "$A" xfrm state list)" ]; then
  not_ok xfrm-state "state still listed after delete"
else
  ok xfrm-state
fi

# 2. ESP between the namespaces: one SA each way, policies on both sides.
sa() {  # NS SRC DST SPI
  ip -n "$1" xfrm state add src "$2" dst "$3" proto esp spi "$4" reqid 2 mode transport \
    aead 'rfc4106(gcm(aes))' "$KEY_GCM" 128
}
pol() {  # NS SRC DST DIR
  ip -n "$1" xfrm policy add src "$2/32" dst "$3/32" dir "$4" \
    tmpl src "$2" dst "$3" proto esp reqid 2 mode transport
}
if ! { for ns in "$A" "$B"; do
         sa "$ns" 10.81.0.1 10.81.0.2 0x2001 && sa "$ns" 10.81.0.2 10.81.0.1 0x2002 || exit 1
       done
       pol "$A" 10.81.0.1 10.81.0.2 out && pol "$A" 10.81.0.2 10.81.0.1 in &&
       pol "$B" 10.81.0.2 10.81.0.1 out && pol "$B" 10.81.0.1 10.81.0.2 in; } 2> "$LYD_WORK/xfrm.err"; then
  not_ok xfrm-esp "could not install SAs/policies: $(tr '\n' ' ' < "$LYD_WORK/xfrm.err")"
elif ! vm_ping a 10.81.0.2 10; then
  not_ok xfrm-esp "no ping through the ESP SAs"
else
  # The SA counters prove the pings went through ESP, not around it.
  pkts=$(ip -s -n "$B" xfrm state list src 10.81.0.1 dst 10.81.0.2 | sed -nE 's/.* ([0-9]+)\(packets\).*/\1/p' | head -1)
  if [ "${pkts:-0}" -gt 0 ]; then
    echo "# xfrm: $pkts packets through SPI 0x2001 into b"
    ok xfrm-esp
  else
    not_ok xfrm-esp "ping answered but the inbound SA counted no packets"
  fi
fi
vm_finish
