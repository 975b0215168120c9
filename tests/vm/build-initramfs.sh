#!/bin/bash
# Builds the VM harness initramfs (cpio newc, gzip) from the kernel that
# tests/vm/fetch-kernel.sh unpacked: a static busybox, /init (below), and the
# modules the harness needs with all their dependencies, indexed by depmod -b.
# Prints the path of the image. Cached: $LANYARD_VM_CACHE/initramfs-<kernel
# version>-<hash of this script>.cpio.gz is rebuilt only when the kernel or
# this script changes (older images are removed).
#   LANYARD_VM_CACHE   cache folder, default /var/cache/lanyard-vm
set -euo pipefail
CACHE=${LANYARD_VM_CACHE:-/var/cache/lanyard-vm}
KROOT=$CACHE/kernel/current
BUSYBOX=${LANYARD_VM_BUSYBOX:-/bin/busybox}

if [ ! -e "$KROOT/.complete" ]; then
  echo "build-initramfs: no kernel in $KROOT (run tests/vm/fetch-kernel.sh or make deps)" >&2
  exit 1
fi
KVER=$(basename "$(readlink -f "$KROOT")")
for tool in depmod modprobe cpio gzip; do
  command -v "$tool" > /dev/null || { echo "build-initramfs: $tool missing (packages kmod, cpio)" >&2; exit 1; }
done
if [ ! -x "$BUSYBOX" ] || ! file -L "$BUSYBOX" 2>/dev/null | grep -q 'statically linked'; then
  # 'file' may be absent: then trust the busybox-static package's path.
  [ -x "$BUSYBOX" ] || { echo "build-initramfs: $BUSYBOX missing (package busybox-static)" >&2; exit 1; }
fi

hash=$(sha256sum "${BASH_SOURCE[0]}" | cut -c1-12)
out=$CACHE/initramfs-$KVER-$hash.cpio.gz
if [ -s "$out" ]; then
  echo "$out"
  exit 0
fi

# Modules the guest loads at boot, in this order (each after its dependencies).
#  virtio + 9p: the host root and the results share; mac80211_hwsim is loaded
#  per scenario by guest-run.sh; the crypto modules are the ones mac80211 asks
#  for when keys are installed (CCMP/GCMP/BIP; aes and sha256 are built in,
#  ghash_generic stands for "ghash": the guest CPU has no CLMUL/AES-NI);
#  xfrm/esp for the IKE tests;
#  veth/dummy/tun for scenarios that want more links.
MODULES="virtio_pci virtio_rng 9pnet_virtio 9p netfs fscache
rfkill libarc4 cfg80211 mac80211 mac80211_hwsim
ccm gcm cmac ctr ghash_generic seqiv echainiv drbg
xfrm_user xfrm_algo esp4 esp6 authenc xfrm4_tunnel tunnel4
veth dummy tun"
BOOT_SKIP="mac80211_hwsim"   # loaded later with radios=N

# The unpacked package has no modules.dep: index it once.
if [ ! -s "$KROOT/lib/modules/$KVER/modules.dep" ]; then
  depmod -b "$KROOT" "$KVER"
fi

stage=$(mktemp -d "$CACHE/.initramfs.XXXXXX")
trap 'rm -rf "$stage" "$stage.cpio.gz"' EXIT
mkdir -p "$stage"/{bin,sbin,dev,proc,sys,tmp,host,etc/lanyard-vm,lib/modules/"$KVER"}
cp "$BUSYBOX" "$stage/bin/busybox"

: > "$stage/etc/lanyard-vm/load-order"
declare -A seen=()
for m in $MODULES; do
  deps=$(modprobe -d "$KROOT" -S "$KVER" --show-depends "$m") || {
    echo "build-initramfs: module $m not found in $KVER" >&2; exit 1; }
  while read -r kind path _; do
    [ "$kind" = insmod ] || continue          # "builtin NAME": nothing to load
    rel=${path#"$KROOT"/lib/modules/"$KVER"/}
    [ -n "${seen[$rel]:-}" ] && continue
    seen[$rel]=1
    mkdir -p "$stage/lib/modules/$KVER/$(dirname "$rel")"
    cp "$path" "$stage/lib/modules/$KVER/$rel"
    name=$(basename "$rel" .ko)
    case " $BOOT_SKIP " in *" ${name//-/_} "*) continue ;; esac
    echo "/lib/modules/$KVER/$rel" >> "$stage/etc/lanyard-vm/load-order"
  done <<< "$deps"
done
cp "$KROOT/lib/modules/$KVER"/modules.{builtin,builtin.modinfo,order} "$stage/lib/modules/$KVER/"
depmod -b "$stage" "$KVER"
echo "$KVER" > "$stage/etc/lanyard-vm/kernel-version"

cat > "$stage/init" <<'INIT'
#!/bin/busybox sh
# Lanyard VM harness init: load modules, mount the host tree read-only over
# 9p at /host with private tmpfs on /tmp and /run, mount the writable 9p share
# at /host/run/lanyard-vm/io, run tests/vm/guest-run.sh in a chroot, power off.
/bin/busybox --install -s /bin
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
KVER=$(cat /etc/lanyard-vm/kernel-version)
while read -r ko; do
  insmod "$ko" 2> /dev/null || grep -q "^$(basename "$ko" .ko | tr - _) " /proc/modules ||
    echo "lanyard-vm: insmod $ko failed"
done < /etc/lanyard-vm/load-order
fail() { echo "lanyard-vm: $*"; sync; poweroff -f; }
O=trans=virtio,version=9p2000.L,msize=262144
mount -t 9p -o "$O,ro,cache=loose" hostroot /host || fail "cannot mount the host root"
mkdir -p /io
mount -t 9p -o "$O" io /io || fail "cannot mount the io share"
. /io/run.env
# Host paths under /tmp, /run or /var/tmp that the run needs (a clone in
# /tmp): bound aside now, bound back after the tmpfs mounts hide them.
i=0
for p in $LANYARD_VM_KEEP_PATHS; do
  mkdir -p /keep/$i && mount --bind "/host$p" /keep/$i || echo "lanyard-vm: cannot keep $p"
  i=$((i + 1))
done
mount -t proc proc /host/proc
mount -t sysfs sysfs /host/sys
mount -t devtmpfs devtmpfs /host/dev
mkdir -p /host/dev/pts /host/dev/shm
mount -t devpts devpts /host/dev/pts
mount -t tmpfs tmpfs /host/dev/shm
mount -t tmpfs -o mode=1777 tmpfs /host/tmp
mount -t tmpfs -o mode=755 tmpfs /host/run
mount -t tmpfs -o mode=1777 tmpfs /host/var/tmp 2> /dev/null
i=0
for p in $LANYARD_VM_KEEP_PATHS; do
  mkdir -p "/host$p" && mount --bind /keep/$i "/host$p"
  i=$((i + 1))
done
mkdir -p /host/run/lanyard-vm/io /host/run/lanyard-vm/modroot/lib/modules/"$KVER" /host/run/netns
mount --bind /io /host/run/lanyard-vm/io
# The guest kernel's modules for kmod in the chroot: modprobe -d /run/lanyard-vm/modroot
mount --bind /lib/modules/"$KVER" /host/run/lanyard-vm/modroot/lib/modules/"$KVER"
mount -t debugfs debugfs /host/sys/kernel/debug 2> /dev/null
HOME=/tmp chroot /host /bin/bash "$LANYARD_ROOT/tests/vm/guest-run.sh"
echo "lanyard-vm: guest-run exited $?"
sync
poweroff -f
INIT
chmod 755 "$stage/init"

(cd "$stage" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet -R 0:0) |
  gzip -6 > "$stage.cpio.gz"
mv "$stage.cpio.gz" "$out"   # atomic: a concurrent run sees all or nothing
for old in "$CACHE"/initramfs-*.cpio.gz; do
  [ "$old" = "$out" ] || rm -f "$old"
done
echo "$out"
