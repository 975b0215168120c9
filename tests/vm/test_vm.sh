#!/bin/bash
# Suite "vm" of tests/run-all.sh: boots ONE VM guest (tests/vm/run-vm.sh) for
# every scenario in tests/vm/scenarios/ and relays their "ok" / "not ok"
# lines, with the boot time, each scenario's time and the total. When the
# kernel, the initramfs tools or qemu are missing it prints one
# "not ok vm: missing ..., run make deps".
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
if [ "$(id -u)" -ne 0 ]; then
  echo "not ok vm: needs root"
  exit 1
fi
if ! m=$("$HERE/run-vm.sh" --check); then
  echo "not ok vm: missing $(echo "$m" | paste -sd, - | sed 's/,/, /g'); run make deps"
  exit 1
fi
t0=$(date +%s%3N)
"$HERE/run-vm.sh" "$HERE/scenarios"
rc=$?
echo "# test_vm: wall time $(( $(date +%s%3N) - t0 )) ms"
exit "$rc"
