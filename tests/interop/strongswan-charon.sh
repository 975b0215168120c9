# shellcheck shell=bash
# strongSwan charon 5.9.8 for interop tests (source after lib.sh).
#
# charon always writes /var/run/charon.pid, so each instance runs in a
# private mount namespace with a tmpfs on /run (unshare -m) inside the
# test's network namespace; its vici socket lives in the instance's
# directory, and swanctl reaches it with --uri. This host's kernel has no
# XFRM: charon gets kernel-libipsec (userspace ESP over TUN), which also
# makes charon force UDP encapsulation ("faking NAT situation").
#
#   sw_init DIR [CHARON_LINE...]  writes DIR/strongswan.conf (extra lines go
#                                 inside charon { }), creates DIR/x509 ...
#   sw_start NS DIR               starts charon in NS, waits until it runs;
#                                 log in DIR/charon.log, pid in SW_PID
#   sw_ctl DIR ARGS...            swanctl against that charon (bounded 20 s)
#   sw_load DIR                   swanctl --load-all --file DIR/swanctl.conf
SW_CHARON=${SW_CHARON:-/usr/lib/ipsec/charon}
SW_SWANCTL=${SW_SWANCTL:-/usr/sbin/swanctl}
SW_PID=

sw_init() {
  local dir=$1
  shift
  mkdir -p "$dir/x509" "$dir/x509ca" "$dir/private"
  {
    echo "charon {"
    echo "    load = random nonce openssl pem pkcs1 x509 revocation constraints pubkey socket-default vici kdf pkcs8 kernel-libipsec kernel-netlink"
    echo "    install_routes = no"
    echo "    install_virtual_ip = no"
    echo "    retransmit_tries = 2"
    echo "    filelog {"
    echo "        stderr {"
    echo "            path = /dev/stderr"
    echo "            flush_line = yes"
    echo "            default = 1"
    echo "            ike = 2"
    echo "            enc = 1"
    echo "        }"
    echo "    }"
    echo "    plugins {"
    echo "        vici {"
    echo "            socket = unix://$dir/charon.vici"
    echo "        }"
    echo "    }"
    local l
    for l in "$@"; do echo "    $l"; done
    echo "}"
    echo "swanctl {"
    echo "    load = pem pkcs1 pkcs8 x509 revocation constraints pubkey openssl random"
    echo "}"
  } > "$dir/strongswan.conf"
}

sw_start() {
  local ns=$1 dir=$2
  run_bg "$ns" "$dir/charon.log" env STRONGSWAN_CONF="$dir/strongswan.conf" \
    unshare -m sh -c "mount -t tmpfs tmpfs /run && exec $SW_CHARON" > /dev/null
  SW_PID=$LYD_LAST_PID
  wait_for_log "$dir/charon.log" 'spawning [0-9]+ worker threads|initialization failed' 10 &&
    ! grep -q 'initialization failed' "$dir/charon.log" &&
    wait_for_cmd 5 'Daemon|uptime|running' sw_ctl "$dir" --stats
}

sw_ctl() {
  local dir=$1
  shift
  STRONGSWAN_CONF="$dir/strongswan.conf" timeout --kill-after=2 20 "$SW_SWANCTL" "$@" --uri "unix://$dir/charon.vici" 2>&1 |
    grep -v "^plugin '.*': failed to load"
}

sw_load() {
  local dir=$1
  STRONGSWAN_CONF="$dir/strongswan.conf" timeout --kill-after=2 20 "$SW_SWANCTL" --load-all --noprompt \
    --file "$dir/swanctl.conf" --uri "unix://$dir/charon.vici" 2>&1 | grep -v "^plugin '.*': failed to load\|opening directory"
}
