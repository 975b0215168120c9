#!/bin/sh
# Installs, from Debian packages, everything the build and the tests need.
# Idempotent: when every package is already there it changes nothing.
set -eu
PACKAGES="
g++ make pkg-config clang libclang-rt-14-dev
doctest-dev libssl-dev libmbedtls-dev libpcap-dev
libnl-3-dev libnl-genl-3-dev libnl-route-3-dev libnl-xfrm-3-dev
openssl iproute2 procps psmisc
hostapd wpasupplicant eapoltest tshark
"
missing=""
for p in $PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done
if [ -z "$missing" ]; then
  echo "deps: all packages present"
  exit 0
fi
echo "deps: installing$missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
