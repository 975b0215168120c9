#!/bin/bash
# Writes a self-contained FreeRADIUS 3.2 configuration folder for tests and
# benchmarks: a copy of Debian's /etc/freeradius/3.0 with
#   - one auth listener on 127.0.0.1:PORT (every other listener removed,
#     including inner-tunnel's 127.0.0.1:18120, so several copies can run);
#   - clients.conf: 127.0.0.1 and ::1 with SECRET, Message-Authenticator required;
#   - the eap module on the test PKI (PKI_DIR/server.pem, server.key, ca.pem)
#     with the TLS session cache enabled (without it nothing resumes);
#   - USERS as the users file (mods-config/files/authorize), or "default":
#     the users tests/interop/lib.sh uses (md5user, peapuser; EAP-TLS needs
#     no entry);
#   - logs, run and cache folders inside TARGET; runs as the invoking user
#     (no user/group switch), reject_delay 0.
# Run it with:  freeradius -X -d TARGET      (debug, single-threaded, logs
# every Access-Accept)  or  freeradius -f -d TARGET  (threaded, quiet).
#
# usage: tests/interop/freeradius-conf.sh TARGET PORT SECRET PKI_DIR USERS
set -eu

if [ $# -ne 5 ]; then
  echo "usage: $0 TARGET_DIR PORT CLIENT_SECRET PKI_DIR USERS_FILE|default" >&2
  exit 2
fi
target=$1 port=$2 secret=$3 pki=$4 users=$5
src=${FREERADIUS_SRC:-/etc/freeradius/3.0}

[ -d "$src" ] || { echo "$0: no FreeRADIUS configuration in $src (apt-get install freeradius)" >&2; exit 1; }
case $port in ''|*[!0-9]*) echo "$0: bad port '$port'" >&2; exit 2 ;; esac
case $pki in /*) ;; *) pki=$(cd "$pki" && pwd) ;; esac
for f in server.pem server.key ca.pem; do
  [ -r "$pki/$f" ] || { echo "$0: missing $pki/$f (make pki)" >&2; exit 1; }
done
case $secret in *'"'*|*'\'*) echo "$0: the secret must not contain quotes or backslashes" >&2; exit 2 ;; esac

mkdir -p "$target"
target=$(cd "$target" && pwd)
cp -a "$src/." "$target/"
mkdir -p "$target/log" "$target/run" "$target/tlscache"

# Removes every top-level "listen { ... }" block (brace-matched) of a site.
strip_listen() {
  awk '
    depth == 0 && /^[ \t]*listen[ \t]*\{/ { skipping = 1 }
    {
      line = $0
      if (skipping) {
        n = gsub(/\{/, "{", line); m = gsub(/\}/, "}", line)
        depth += n - m
        if (depth <= 0) { skipping = 0; depth = 0 }
        next
      }
      print
    }' "$1" > "$1.tmp" && mv "$1.tmp" "$1"
}

for site in default inner-tunnel; do
  f="$target/sites-available/$site"
  strip_listen "$f"
done
# Our one listener, at the top of the default server.
sed -i "0,/^server default {/s//server default {\nlisten {\n\ttype = auth\n\tipaddr = 127.0.0.1\n\tport = $port\n}\n/" \
  "$target/sites-available/default"
grep -q "port = $port" "$target/sites-available/default" || { echo "$0: could not add the listener" >&2; exit 1; }

# radiusd.conf: our folders, no privilege switch, no reject delay.
sed -i \
  -e "s|^raddbdir = .*|raddbdir = $target|" \
  -e "s|^logdir = .*|logdir = $target/log|" \
  -e "s|^run_dir = .*|run_dir = $target/run|" \
  -e "s|^\([[:space:]]*\)user = freerad|\1# user = freerad|" \
  -e "s|^\([[:space:]]*\)group = freerad|\1# group = freerad|" \
  -e "s|^\([[:space:]]*\)reject_delay = .*|\1reject_delay = 0|" \
  "$target/radiusd.conf"

cat > "$target/clients.conf" <<CLIENTS
# written by tests/interop/freeradius-conf.sh
client localhost {
	ipaddr = 127.0.0.1
	secret = "$secret"
	require_message_authenticator = yes
	nas_type = other
}
client localhost_ipv6 {
	ipv6addr = ::1
	secret = "$secret"
	require_message_authenticator = yes
}
CLIENTS

# The eap module: test PKI, session cache on.
eap="$target/mods-available/eap"
sed -i \
  -e "s|^\([[:space:]]*\)private_key_password = .*|\1# private_key_password (the test key is not encrypted)|" \
  -e "s|^\([[:space:]]*\)private_key_file = .*|\1private_key_file = $pki/server.key|" \
  -e "s|^\([[:space:]]*\)certificate_file = .*|\1certificate_file = $pki/server.pem|" \
  -e "s|^\([[:space:]]*\)ca_file = .*|\1ca_file = $pki/ca.pem|" \
  -e "s|^\([[:space:]]*\)ca_path = .*|\1# ca_path: ca_file only|" \
  "$eap"
# cache { enable = no ... } → enable = yes, with a name and a persist_dir
# (FreeRADIUS 3.2 resumes nothing without them).
awk -v dir="$target/tlscache" '
  /^[ \t]*cache[ \t]*\{/ { incache = 1 }
  incache && /^[ \t]*enable = no/ { sub(/enable = no/, "enable = yes\n\t\t\tname = \"lanyard-test EAP\"\n\t\t\tpersist_dir = \"" dir "\"") ; incache = 0 }
  { print }' "$eap" > "$eap.tmp" && mv "$eap.tmp" "$eap"
grep -q 'name = "lanyard-test EAP"' "$eap" || { echo "$0: could not enable the TLS cache" >&2; exit 1; }

authorize="$target/mods-config/files/authorize"
rm -f "$authorize"
if [ "$users" = default ]; then
  cat > "$authorize" <<USERS
# written by tests/interop/freeradius-conf.sh (the users of tests/interop/lib.sh)
md5user	Cleartext-Password := "md5-secret"
peapuser	Cleartext-Password := "peap-secret"
USERS
else
  [ -r "$users" ] || { echo "$0: cannot read users file $users" >&2; exit 1; }
  cp "$users" "$authorize"
fi
echo "$target"
