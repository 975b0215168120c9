#!/bin/sh
# Installs, from Debian packages, everything the build and the tests need.
# Idempotent: when every package is already there it changes nothing.
set -eu
PACKAGES="
g++ make pkg-config clang libclang-rt-14-dev
doctest-dev libssl-dev libmbedtls-dev libpcap-dev
libnl-3-dev libnl-genl-3-dev libnl-route-3-dev libnl-xfrm-3-dev libhiredis-dev redis-server
openssl iproute2 procps psmisc
hostapd wpasupplicant eapoltest tshark freeradius
strongswan-charon strongswan-swanctl libstrongswan-standard-plugins libcharon-extra-plugins libcharon-extauth-plugins
qemu-system-x86 busybox-static cpio kmod iw
"
missing=""
for p in $PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done
if [ -z "$missing" ]; then
  echo "deps: all packages present"
else
  echo "deps: installing$missing"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  # shellcheck disable=SC2086
  $SUDO apt-get install -y -qq --no-install-recommends $missing
fi
# The VM suite's guest kernel (Debian's linux-image, unpacked, not installed).
"$(dirname "$0")/vm/fetch-kernel.sh"
