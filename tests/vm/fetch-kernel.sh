#!/bin/bash
# Fetches Debian's kernel for the VM harness WITHOUT installing it: downloads
# the linux-image-6.1.0-*-amd64 package that linux-image-amd64 depends on and
# unpacks it with dpkg -x into the cache (outside the git clone):
#   $LANYARD_VM_CACHE/kernel/<version>/boot/vmlinuz-<version>
#   $LANYARD_VM_CACHE/kernel/<version>/lib/modules/<version>/
#   $LANYARD_VM_CACHE/kernel/current   -> symlink to <version>
# LANYARD_VM_CACHE defaults to /var/cache/lanyard-vm.
# Idempotent: when the kernel named by linux-image-amd64 is already unpacked
# it does nothing. Needs apt lists (apt-get update) for the name lookup; with
# no lists but a cached kernel it keeps the cached one.
set -eu
CACHE=${LANYARD_VM_CACHE:-/var/cache/lanyard-vm}
mkdir -p "$CACHE/kernel"

# Name of the versioned image package, e.g. linux-image-6.1.0-56-amd64.
resolve() {
  apt-cache depends linux-image-amd64 2> /dev/null |
    sed -nE 's/^ *Depends: (linux-image-[0-9][^ ]*-amd64)$/\1/p' | head -1
}
pkg=$(resolve || true)
if [ -z "$pkg" ] && [ ! -e "$CACHE/kernel/current/.complete" ] && [ "$(id -u)" -eq 0 ]; then
  apt-get update -qq || true   # a fresh machine may have no package lists yet
  pkg=$(resolve || true)
fi
if [ -z "$pkg" ]; then
  if [ -e "$CACHE/kernel/current/.complete" ]; then
    echo "vm-kernel: apt-cache has no linux-image-amd64 (run apt-get update); keeping $(readlink "$CACHE/kernel/current")"
    exit 0
  fi
  echo "vm-kernel: cannot resolve linux-image-amd64 with apt-cache (run apt-get update)" >&2
  exit 1
fi
version=${pkg#linux-image-}
dest=$CACHE/kernel/$version
if [ -e "$dest/.complete" ]; then
  ln -sfn "$version" "$CACHE/kernel/current"
  echo "vm-kernel: $version already in $dest"
  exit 0
fi

tmp=$(mktemp -d "$CACHE/kernel/.fetch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
echo "vm-kernel: downloading $pkg"
# apt-get download writes into the current directory; as root it drops to the
# _apt user, which must be able to write there.
chmod 755 "$tmp"
chown _apt "$tmp" 2>/dev/null || true
(cd "$tmp" && apt-get download -q "$pkg")
deb=$(ls "$tmp"/"$pkg"_*.deb)
mkdir -p "$tmp/root"
dpkg -x "$deb" "$tmp/root"
if [ ! -f "$tmp/root/boot/vmlinuz-$version" ] || [ ! -d "$tmp/root/lib/modules/$version" ]; then
  echo "vm-kernel: $deb has no boot/vmlinuz-$version or lib/modules/$version" >&2
  exit 1
fi
rm -rf "$dest"
mv "$tmp/root" "$dest"
touch "$dest/.complete"
ln -sfn "$version" "$CACHE/kernel/current"
# Older kernels (about 400 MB each) are not needed any more.
for old in "$CACHE"/kernel/*/; do
  old=${old%/}
  case $(basename "$old") in "$version"|current) ;; *) rm -rf "$old" ;; esac
done
echo "vm-kernel: $version unpacked in $dest"
