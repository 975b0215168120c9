#!/bin/bash
# Boots ONE qemu guest (TCG, Debian's kernel from fetch-kernel.sh, the host's
# tree over 9p read-only) and runs in it every scenario given, in order.
#
#   tests/vm/run-vm.sh [-o RESULTS_DIR] SCENARIO.sh|SCENARIO_DIR ...
#   tests/vm/run-vm.sh --check        prints what is missing, exit 1 if any
#
# A scenario is tests/vm/scenarios/NAME.sh (see vm-lib.sh): a bash script run
# as root in the guest with LANYARD_ROOT, BUILD_ROOT, PKI_DIR (absolute),
# RESULT_DIR (writable, ends up in RESULTS_DIR/results/NAME on the host),
# LANYARD_VM_WLANS ("wlan0 wlan1 ...": fresh mac80211_hwsim radios in the root
# namespace; a line "# vm-radios: N" in the script overrides the count).
# It prints "ok NAME" / "not ok NAME: reason" lines and stops what it started.
#
# Output (stdout): each scenario's ok / not ok / "# " lines, then
#   "not ok SCENARIO: ..." when it timed out, exited non-zero without a
#   "not ok", printed no result, left processes behind, or never ran;
#   "# SCENARIO took N ms", "# vm: boot took N ms", "# vm: total N ms".
# Exit status 0 when every scenario passed.
#
# Environment: LANYARD_VM_CACHE (/var/cache/lanyard-vm), LANYARD_VM_RADIOS (4),
# LANYARD_VM_SCENARIO_TIMEOUT seconds per scenario (150),
# LANYARD_VM_TIMEOUT seconds for the whole VM (default 90 + 20 + per-scenario
# timeout for each scenario, at most 540), LANYARD_VM_MEM MiB (1024),
# LANYARD_VM_SMP (1), LANYARD_VM_DEBUG=1 (VM_DEBUG=1 in the scenarios:
# hostapd/wpa_supplicant -dd), LANYARD_VM_QEMU_ARGS (extra qemu arguments, split on
# spaces), LANYARD_VM_KEEP=1 keeps the results dir, BUILD_ROOT,
# PKI_DIR (default build, build/pki), QEMU (qemu-system-x86_64).
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$HERE/../.." && pwd)
CACHE=${LANYARD_VM_CACHE:-/var/cache/lanyard-vm}
QEMU=${QEMU:-qemu-system-x86_64}
BUILD_ROOT=${BUILD_ROOT:-build}
case $BUILD_ROOT in /*) ;; *) BUILD_ROOT=$REPO_ROOT/$BUILD_ROOT ;; esac
PKI_DIR=${PKI_DIR:-build/pki}
case $PKI_DIR in /*) ;; *) PKI_DIR=$REPO_ROOT/$PKI_DIR ;; esac
RADIOS=${LANYARD_VM_RADIOS:-4}
SCENARIO_TIMEOUT=${LANYARD_VM_SCENARIO_TIMEOUT:-150}
now_ms() { date +%s%3N; }
T_START=$(now_ms)

# What the harness needs on the host; one line per missing thing.
missing() {
  command -v "$QEMU" > /dev/null || echo "$QEMU (package qemu-system-x86)"
  [ -x /bin/busybox ] || echo "/bin/busybox (package busybox-static)"
  command -v cpio > /dev/null || echo "cpio (package cpio)"
  command -v depmod > /dev/null || echo "depmod (package kmod)"
  [ -e "$CACHE/kernel/current/.complete" ] || echo "guest kernel in $CACHE (tests/vm/fetch-kernel.sh)"
  command -v iw > /dev/null || echo "iw (package iw)"
}
if [ "${1:-}" = --check ]; then
  m=$(missing)
  [ -z "$m" ] && exit 0
  echo "$m"
  exit 1
fi

RES=""
if [ "${1:-}" = -o ]; then
  RES=${2:?usage: run-vm.sh [-o RESULTS_DIR] SCENARIO...}
  shift 2
  KEEP=1
else
  KEEP=${LANYARD_VM_KEEP:-0}
fi
[ $# -gt 0 ] || { echo "usage: run-vm.sh [-o RESULTS_DIR] SCENARIO.sh|DIR ..." >&2; exit 2; }

m=$(missing)
if [ -n "$m" ]; then
  echo "not ok vm: missing $(echo "$m" | paste -sd, -), run make deps"
  exit 1
fi

# Scenario list: files as given, directories expanded to their *.sh, sorted.
scenarios=()
for a in "$@"; do
  if [ -d "$a" ]; then
    for f in "$a"/*.sh; do [ -f "$f" ] && scenarios+=("$(realpath "$f")"); done
  elif [ -f "$a" ]; then
    scenarios+=("$(realpath "$a")")
  else
    echo "not ok vm: no scenario $a"
    exit 1
  fi
done
[ ${#scenarios[@]} -gt 0 ] || { echo "not ok vm: no scenarios in $*"; exit 1; }
names=" "
for s in "${scenarios[@]}"; do
  n=$(basename "$s" .sh)
  case $names in *" $n "*) echo "not ok vm: two scenarios named $n"; exit 1 ;; esac
  names="$names$n "
  case $s in *[[:space:]\'\"\\\$]*) echo "not ok vm: unsupported characters in path $s"; exit 1 ;; esac
done
for p in "$REPO_ROOT" "$BUILD_ROOT" "$PKI_DIR"; do
  case $p in *[[:space:]\'\"\\\$]*) echo "not ok vm: unsupported characters in path $p"; exit 1 ;; esac
done

INITRD=$("$HERE/build-initramfs.sh") || { echo "not ok vm: could not build the initramfs"; exit 1; }
KROOT=$CACHE/kernel/current
KVER=$(basename "$(readlink -f "$KROOT")")

if [ -z "$RES" ]; then
  RES=$(mktemp -d /tmp/lanyard-vm.XXXXXX)
else
  mkdir -p "$RES" || exit 1
  RES=$(realpath "$RES")
  rm -rf "$RES/results" "$RES/done" "$RES/booted_ms"
fi
mkdir -p "$RES/results"

# Host paths the guest must see although it puts a tmpfs over /tmp, /run and
# /var/tmp (a clone under /tmp, scenarios given from /tmp): re-bound by /init.
keep=""
for p in "$REPO_ROOT" "$BUILD_ROOT" "$PKI_DIR" "${scenarios[@]}"; do
  [ -f "$p" ] && p=$(dirname "$p")
  case $p in /tmp/*|/run/*|/var/tmp/*) keep="$keep $p" ;; esac
done
{
  echo "LANYARD_ROOT='$REPO_ROOT'"
  echo "BUILD_ROOT='$BUILD_ROOT'"
  echo "PKI_DIR='$PKI_DIR'"
  echo "LANYARD_VM_RADIOS='$RADIOS'"
  echo "LANYARD_VM_SCENARIO_TIMEOUT='$SCENARIO_TIMEOUT'"
  echo "LANYARD_VM_SCENARIOS='${scenarios[*]}'"
  echo "LANYARD_VM_KEEP_PATHS='${keep# }'"
  echo "VM_DEBUG='${LANYARD_VM_DEBUG:-0}'"
} > "$RES/run.env"

n=${#scenarios[@]}
OVERALL=${LANYARD_VM_TIMEOUT:-$((90 + n * (SCENARIO_TIMEOUT + 20)))}
[ -z "${LANYARD_VM_TIMEOUT:-}" ] && [ "$OVERALL" -gt 540 ] && OVERALL=540

QEMU_PID=""
stop_qemu() {
  [ -n "$QEMU_PID" ] || return 0
  kill -TERM "$QEMU_PID" 2> /dev/null
  for _ in $(seq 30); do kill -0 "$QEMU_PID" 2> /dev/null || break; sleep 0.1; done
  kill -KILL "$QEMU_PID" 2> /dev/null
  wait "$QEMU_PID" 2> /dev/null
  QEMU_PID=""
}
trap 'stop_qemu' EXIT
trap 'echo "# vm: interrupted"; exit 130' INT
trap 'echo "# vm: terminated"; exit 143' TERM HUP

echo "# vm: kernel $KVER, ${#scenarios[@]} scenario(s), $RADIOS radios, -smp ${LANYARD_VM_SMP:-1}, bound ${OVERALL}s, results in $RES"
T_QEMU=$(now_ms)
# shellcheck disable=SC2086  # LANYARD_VM_QEMU_ARGS: extra words, split on purpose
"$QEMU" -accel tcg -m "${LANYARD_VM_MEM:-1024}" -smp "${LANYARD_VM_SMP:-1}" \
  -nodefaults -no-user-config -display none -monitor none -no-reboot \
  -serial "file:$RES/console.log" \
  -kernel "$KROOT/boot/vmlinuz-$KVER" -initrd "$INITRD" \
  -append "console=ttyS0 panic=-1 quiet loglevel=4 mitigations=off" \
  -device virtio-rng-pci ${LANYARD_VM_QEMU_ARGS:-} \
  -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
  -virtfs "local,path=$RES,mount_tag=io,security_model=none,multidevs=remap" \
  < /dev/null > "$RES/qemu.log" 2>&1 &
QEMU_PID=$!
deadline=$(( $(now_ms) + OVERALL * 1000 ))
while kill -0 "$QEMU_PID" 2> /dev/null; do
  if [ "$(now_ms)" -ge "$deadline" ]; then
    echo "# vm: still running after ${OVERALL}s: stopping qemu"
    stop_qemu
    break
  fi
  sleep 0.5
done
wait "$QEMU_PID" 2> /dev/null
QEMU_PID=""
T_END=$(now_ms)

failed=0
for s in "${scenarios[@]}"; do
  name=$(basename "$s" .sh)
  rd=$RES/results/$name
  if [ ! -f "$rd/rc" ]; then
    # Relay what it printed before the VM went away.
    [ -f "$rd/output" ] && grep -E '^(ok |not ok |# )' "$rd/output"
    echo "not ok $name: did not finish (VM stopped or died; see $RES/console.log)"
    failed=$((failed + 1))
    continue
  fi
  rc=$(cat "$rd/rc")
  grep -E '^(ok |not ok |# )' "$rd/output"
  nok=$(grep -c '^not ok ' "$rd/output")
  nres=$(grep -cE '^(ok|not ok) ' "$rd/output")
  if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
    echo "not ok $name: timed out after ${SCENARIO_TIMEOUT}s"
    nok=$((nok + 1))
  elif [ "$rc" -ne 0 ] && [ "$nok" -eq 0 ]; then
    echo "not ok $name: exited $rc"
    nok=1
  elif [ "$nres" -eq 0 ]; then
    echo "not ok $name: printed no result"
    nok=1
  fi
  if [ -f "$rd/leftovers" ]; then
    echo "not ok $name/cleanup: left running: $(cat "$rd/leftovers")"
    nok=$((nok + 1))
  fi
  echo "# $name took $(cat "$rd/ms" 2> /dev/null || echo '?') ms"
  [ "$nok" -eq 0 ] || failed=$((failed + 1))
done
if [ -f "$RES/booted_ms" ]; then
  echo "# vm: boot took $(( $(cat "$RES/booted_ms") - T_QEMU )) ms (qemu start to first scenario)"
else
  echo "not ok vm: guest never started its runner; console:"
  tail -20 "$RES/console.log" 2> /dev/null | sed 's/^/#   /'
  failed=$((failed + 1))
fi
[ -f "$RES/done" ] && echo "# vm: power-off took $((T_END - $(cat "$RES/done"))) ms"
echo "# vm: total $((T_END - T_START)) ms (qemu $((T_END - T_QEMU)) ms)"
if [ "$failed" -eq 0 ] && [ "$KEEP" != 1 ]; then
  rm -rf "$RES"
else
  echo "# vm: results kept in $RES"
fi
[ "$failed" -eq 0 ]
