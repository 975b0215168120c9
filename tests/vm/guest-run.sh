#!/bin/bash
# Runs INSIDE the VM guest, as root in a chroot of the host tree (see the /init
# of build-initramfs.sh): runs every scenario named in run.env, in order, each
# bounded by a timeout, with fresh mac80211_hwsim radios, and writes
#   io/results/NAME/{output,rc,ms,leftovers}  and io/booted_ms, io/done
# where io is the writable 9p share the host reads after power-off.
set -u
IO=/run/lanyard-vm/io
MODROOT=/run/lanyard-vm/modroot
# shellcheck source=/dev/null
. "$IO/run.env"
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/tmp LANG=C LC_ALL=C
export LANYARD_ROOT BUILD_ROOT PKI_DIR VM_DEBUG
export LANYARD_VM_MODPROBE="modprobe -d $MODROOT"
now_ms() { date +%s%3N; }
now_ms > "$IO/booted_ms"
{
  echo "# guest: kernel $(uname -r), uptime $(cut -d' ' -f1 /proc/uptime) s at guest-run start"
  echo "# guest: modules: $(cut -d' ' -f1 /proc/modules | sort | tr '\n' ' ')"
} > "$IO/guest.log"
hostname lanyard-vm 2> /dev/null
ip link set lo up

# Fresh radios for each scenario: a scenario may leave a phy renamed or moved;
# reloading mac80211_hwsim gives wlan0..wlan(N-1) in the root namespace.
load_radios() {  # N
  local n=$1 i
  if grep -q '^mac80211_hwsim ' /proc/modules; then
    rmmod mac80211_hwsim || return 1
  fi
  $LANYARD_VM_MODPROBE mac80211_hwsim radios="$n" || return 1
  local phys
  for i in $(seq 100); do
    phys=(/sys/class/ieee80211/*)
    [ "${#phys[@]}" -ge "$n" ] && [ -e "/sys/class/net/wlan$((n - 1))" ] && return 0
    sleep 0.1
  done
  return 1
}

# User-space processes (kernel threads have an empty cmdline), into PIDS.
PIDS=()
list_pids() {
  local p c
  PIDS=()
  for p in /proc/[0-9]*; do
    p=${p#/proc/}
    c=
    read -r -d '' c < "/proc/$p/cmdline" 2> /dev/null
    [ -n "$c" ] && PIDS+=("$p")
  done
}

for scenario in $LANYARD_VM_SCENARIOS; do
  name=$(basename "$scenario" .sh)
  rd=$IO/results/$name
  mkdir -p "$rd"
  radios=$(sed -nE 's/^# vm-radios: *([0-9]+).*/\1/p' "$scenario" | head -1)
  radios=${radios:-$LANYARD_VM_RADIOS}
  echo "# guest: $name starts at uptime $(cut -d' ' -f1 /proc/uptime) s" >> "$IO/guest.log"
  if ! load_radios "$radios"; then
    echo "not ok $name: could not load mac80211_hwsim radios=$radios" > "$rd/output"
    echo 125 > "$rd/rc"
    continue
  fi
  wlans=""
  for i in $(seq 0 $((radios - 1))); do wlans="$wlans wlan$i"; done
  list_pids
  before=" ${PIDS[*]} "
  t0=$(now_ms)
  RESULT_DIR=$rd LANYARD_VM_WLANS=${wlans# } LANYARD_VM_RADIOS=$radios \
    timeout -k 5 "$LANYARD_VM_SCENARIO_TIMEOUT" bash "$scenario" > "$rd/output" 2>&1 < /dev/null
  rc=$?
  echo $(( $(now_ms) - t0 )) > "$rd/ms"
  # The contract: a scenario stops what it started. Whatever is left is
  # reported and killed, and its namespaces and XFRM state are removed.
  list_pids
  left=""
  for p in "${PIDS[@]}"; do
    case $before in *" $p "*) continue ;; esac
    [ "$p" = "$$" ] && continue
    left="$left $p:$(tr '\0' ' ' < "/proc/$p/cmdline" 2> /dev/null | cut -c1-60)"
    kill -KILL "$p" 2> /dev/null
  done
  for ns in $(ip netns list 2> /dev/null | awk '{print $1}'); do
    left="$left netns:$ns"
    ip netns del "$ns"
  done
  [ -n "$left" ] && echo "${left# }" > "$rd/leftovers"
  ip xfrm state flush 2> /dev/null
  ip xfrm policy flush 2> /dev/null
  echo "$rc" > "$rd/rc"
done
now_ms > "$IO/done"
sync
