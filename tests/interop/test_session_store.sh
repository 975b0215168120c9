#!/bin/bash
# The shared TLS session store (issue 10): Redis (Debian's redis-server,
# started here on its own port and folder, no persistence) behind two
# Lanyard RADIUS servers on two loopback ports of one namespace.
# Cases: redis_contract (the store contract unit tests against this Redis),
# roam_tls and roam_peap (full on server A, then resumed on server B, via
# lanyard-eapol-test --servers A,B), redis_down (Redis stopped: both servers
# keep authenticating with full handshakes; Redis back: resumption again),
# tampered (an entry edited in Redis is refused; full handshake instead).
source "$(dirname "$0")/lib.sh"
lyd_init sess_store
LYD_AUTH=$LYD_BIN/lanyard-authenticator
TOOL=$LYD_BIN/lanyard-eapol-test
UNIT=$LYD_BIN/lanyard-unit-tests
REDIS=${REF_REDIS:-/usr/bin/redis-server}
REDIS_CLI=${REF_REDIS_CLI:-/usr/bin/redis-cli}
if ! lyd_require "$LYD_AUTH" "$TOOL" "$UNIT" "$REDIS" "$REDIS_CLI"; then
  lyd_skip sess_store "redis-server, redis-cli or Lanyard programs missing"
  lyd_finish
fi

NS=srv
REDIS_PORT=16390
PORT_A=18151
PORT_B=18152
SECRET=store-secret
lyd_netns "$NS" || { not_ok sess_store "cannot create namespace"; lyd_finish; }

start_redis() {
  run_bg "$NS" "$LYD_WORK/redis.log" "$REDIS" --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
    --dir "$LYD_WORK" > /dev/null
  REDIS_PID=$LYD_LAST_PID
  wait_for_cmd 10 PONG lyd_exec "$NS" 3 "$REDIS_CLI" -p "$REDIS_PORT" ping
}
stop_redis() {
  lyd_exec "$NS" 3 "$REDIS_CLI" -p "$REDIS_PORT" shutdown nosave > /dev/null 2>&1
  wait_pid_exit "$REDIS_PID" 5
}
rcli() { lyd_exec "$NS" 3 "$REDIS_CLI" -p "$REDIS_PORT" "$@"; }

# start_server NAME PORT: a Lanyard RADIUS server sharing the Redis store.
start_server() {
  local name=$1 port=$2
  write_radius_server_conf "$LYD_WORK/$name.conf" "$port" "$SECRET" \
    "tls_session_cache=redis://127.0.0.1:$REDIS_PORT/0" "tls_session_cache_key=$LYD_WORK/session.key" \
    "radius_server_workers=2"
  run_bg "$NS" "$LYD_WORK/$name.log" "$LYD_AUTH" -d -t "$LYD_WORK/$name.conf" > /dev/null
  wait_for_log "$LYD_WORK/$name.log" 'RADIUS server listening' 10
}

# roam NAME CONF: two authentications of one station, A then B.
roam() {
  local name=$1 conf=$2
  lyd_exec "$NS" 60 "$TOOL" -c "$LYD_WORK/$conf" -s "$SECRET" -t 10 --concurrency 1 --count 2 \
    --servers "127.0.0.1:$PORT_A,127.0.0.1:$PORT_B" > "$LYD_WORK/$name.out" 2>&1
}
resumed_of() { sed -n 's/^authentications: .* resumed: \([0-9]*\)$/\1/p' "$LYD_WORK/$1.out"; }
accepted_of() { sed -n 's/^authentications: \([0-9]*\) .*/\1/p' "$LYD_WORK/$1.out"; }

openssl rand -hex 32 > "$LYD_WORK/session.key"
for m in TLS PEAP; do
  tmp=$LYD_WORK/tmp-$m.conf
  write_wpa_supplicant_conf "$tmp" "$LYD_WORK/unused" "$m"
  grep -v '^ctrl_interface=\|^ap_scan=\|^eapol_version=' "$tmp" > "$LYD_WORK/$(tr 'A-Z' 'a-z' <<< "$m").conf"
done

if ! start_redis; then
  not_ok sess_store "redis-server did not start: $(tail -3 "$LYD_WORK/redis.log" | tr '\n' ' ')"
  lyd_finish
fi

# The store contract (tests/unit/authenticator_session_cache_test.cpp) on this Redis.
lyd_case_begin redis_contract
out=$(LANYARD_TEST_REDIS=127.0.0.1:$REDIS_PORT lyd_exec "$NS" 60 env LANYARD_TEST_REDIS=127.0.0.1:$REDIS_PORT \
  "$UNIT" -tc='session store contract: Redis*' 2>&1)
if grep -Eq 'test cases: +1 \| +1 passed \| +0 failed' <<< "$out"; then ok redis_contract
else not_ok redis_contract "$(grep -E 'ERROR|test cases' <<< "$out" | head -3 | tr '\n' ' ')"; fi
lyd_case_end redis_contract
rcli flushall > /dev/null

if ! start_server a "$PORT_A" || ! start_server b "$PORT_B"; then
  not_ok sess_store "RADIUS servers did not start: $(tail -2 "$LYD_WORK/a.log" "$LYD_WORK/b.log" | tr '\n' ' ')"
  lyd_finish
fi

case_roam() {  # NAME CONF METHOD
  local c=$1 conf=$2 method=$3
  lyd_case_begin "$c"
  roam "$c" "$conf"
  if [ "$(accepted_of "$c")" != 2 ]; then not_ok "$c" "not 2 accepted: $(tail -3 "$LYD_WORK/$c.out" | tr '\n' ' ')"
  elif [ "$(resumed_of "$c")" != 1 ]; then not_ok "$c" "the second authentication (on B) was not resumed: $(tail -2 "$LYD_WORK/$c.out" | tr '\n' ' ')"
  elif ! grep -q "RADIUS: .* $method success .*resumed=1" "$LYD_WORK/b.log"; then not_ok "$c" "server B logged no resumed $method success"
  else ok "$c"; echo "# $c: full on A, resumed on B"
  fi
  lyd_case_end "$c"
}
case_roam roam_tls tls.conf TLS
case_roam roam_peap peap.conf PEAP

lyd_case_begin redis_down
stop_redis
roam redis_down tls.conf
if [ "$(accepted_of redis_down)" != 2 ]; then not_ok redis_down "authentications failed with Redis down: $(tail -2 "$LYD_WORK/redis_down.out" | tr '\n' ' ')"
elif [ "$(resumed_of redis_down)" != 0 ]; then not_ok redis_down "resumed without Redis?"
elif ! grep -q 'session-store: .*full handshakes' "$LYD_WORK/a.log" "$LYD_WORK/b.log"; then not_ok redis_down "no warning about the store"
elif ! start_redis; then not_ok redis_down "redis-server did not restart"
else
  sleep 1.2   # the backend retries the connection at most once a second
  roam redis_back tls.conf
  if [ "$(resumed_of redis_back)" != 1 ]; then not_ok redis_down "no resumption after Redis came back: $(tail -2 "$LYD_WORK/redis_back.out" | tr '\n' ' ')"
  else ok redis_down; echo "# redis_down: 2 full handshakes while Redis was down; resumed again after it came back"
  fi
fi
lyd_case_end redis_down

lyd_case_begin tampered
# wpa_supplicant keeps its TLS session between authentications: it
# authenticates through our NAS (lanyard-authenticator, eap_server=0) to
# server A; the entry A published is edited in Redis; a reauthentication
# must then be refused resumption and run a full handshake.
rcli flushall > /dev/null
STA_MAC=$(lyd_mac)
if ! lyd_netns sta || ! lyd_veth "$NS" eth0 "$(lyd_mac)" sta eth0 "$STA_MAC"; then
  not_ok tampered "cannot create the station namespace"
else
  {
    echo "interface=eth0"
    echo "driver=wired"
    echo "ctrl_interface=$LYD_WORK/nas"
    echo "ieee8021x=1"
    echo "use_pae_group_addr=1"
    echo "eap_server=0"
    echo "auth_server_addr=127.0.0.1"
    echo "auth_server_port=$PORT_A"
    echo "auth_server_shared_secret=$SECRET"
  } > "$LYD_WORK/nas.conf"
  run_bg "$NS" "$LYD_WORK/nas.log" "$LYD_AUTH" -d -t "$LYD_WORK/nas.conf" > /dev/null
  write_wpa_supplicant_conf "$LYD_WORK/wpas.conf" "$LYD_WORK/wpas" TLS
  wait_for_log "$LYD_WORK/nas.log" 'AP-ENABLED' 10
  run_bg sta "$LYD_WORK/wpas.log" "$REF_WPA_SUPPLICANT" -dd -D wired -i eth0 -c "$LYD_WORK/wpas.conf" > /dev/null
  key=""
  if wait_for_log "$LYD_WORK/wpas.log" 'CTRL-EVENT-EAP-SUCCESS' 20; then
    wait_for_cmd 5 'lanyard:tls:' rcli --scan --pattern 'lanyard:tls:*'
    key=$(rcli --scan --pattern 'lanyard:tls:*' | head -1)
  fi
  if [ -z "$key" ]; then
    not_ok tampered "no first success or no session in Redis"
  else
    rcli setrange "$key" 30 XXXX > /dev/null
    hostapd_cli_ns "$LYD_WORK/nas" eth0 raw EAPOL_REAUTH "$STA_MAC" > /dev/null
    if ! wait_for_cmd 20 '^2$' grep -c 'CTRL-EVENT-EAP-SUCCESS' "$LYD_WORK/wpas.log"; then
      not_ok tampered "the reauthentication failed: $(grep -E 'RADIUS: ' "$LYD_WORK/a.log" | tail -1)"
    elif grep -q 'Handshake finished - resumed=1' "$LYD_WORK/wpas.log"; then
      not_ok tampered "the edited session was resumed"
    elif ! grep -q 'failed to open (altered' "$LYD_WORK/a.log"; then
      not_ok tampered "server A did not report the refused entry"
    else
      ok tampered; echo "# tampered: edited entry refused, reauthentication succeeded with a full handshake"
    fi
  fi
fi
lyd_case_end tampered
lyd_finish
