#!/bin/bash
# Runs every test suite that exists and ends with one line, "N passed, M failed",
# adding up all suites (unit test cases, interop cases, VM scenarios).
#   SUITES="unit unit-mbedtls interop vm"  (default: all)   BUILD_ROOT, PKI_DIR as in the Makefile
set -u
cd "$(dirname "$0")/.."
BUILD_ROOT=${BUILD_ROOT:-build}
PKI_DIR=${PKI_DIR:-build/pki}
MBEDTLS_BUILD_ROOT=${MBEDTLS_BUILD_ROOT:-build/mbedtls}
export BUILD_ROOT PKI_DIR MBEDTLS_BUILD_ROOT
SUITES=${SUITES:-unit unit-mbedtls interop vm}
passed=0
failed=0

stage_start() { STAGE_T0=$(date +%s); echo "=== stage: $1"; }
stage_end() { echo "=== stage $1 took $(( $(date +%s) - STAGE_T0 ))s"; }

run_unit() {  # SUITE_NAME BINARY
  local suite=$1 binary=$2
  stage_start "$suite"
  if [ ! -x "$binary" ]; then
    echo "$suite: $binary missing"
    failed=$((failed + 1))
    stage_end "$suite"
    return
  fi
  local out
  out=$(mktemp)
  LANYARD_TEST_PKI=$PKI_DIR "$binary" 2>&1 | tee "$out"
  local line
  line=$(grep '^\[doctest\] test cases:' "$out" | tail -1)
  if [ -z "$line" ]; then
    echo "$suite: no doctest summary (crashed?)"
    failed=$((failed + 1))
  else
    local p f
    p=$(echo "$line" | sed -E 's/.*\| *([0-9]+) passed.*/\1/')
    f=$(echo "$line" | sed -E 's/.*\| *([0-9]+) failed.*/\1/')
    passed=$((passed + p))
    failed=$((failed + f))
  fi
  rm -f "$out"
  stage_end "$suite"
}

# Each tests/<suite>/test_*.sh prints "ok NAME" or "not ok NAME: reason" per
# case; a script that exits non-zero without any "not ok" counts as one failure.
run_scripts() {
  local suite=$1
  local scripts
  scripts=$(ls tests/"$suite"/test_*.sh 2>/dev/null)
  [ -n "$scripts" ] || return 0
  stage_start "$suite"
  if [ "$(id -u)" -ne 0 ]; then
    echo "$suite: needs root (network namespaces); counted as 1 failure"
    failed=$((failed + 1))
    stage_end "$suite"
    return
  fi
  for s in $scripts; do
    local out rc t0
    out=$(mktemp)
    t0=$(date +%s)
    BUILD_ROOT=$BUILD_ROOT PKI_DIR=$PKI_DIR timeout --kill-after=10 "${SUITE_TIMEOUT:-600}" "$s" 2>&1 | tee "$out"
    rc=${PIPESTATUS[0]}
    local p f
    p=$(grep -c '^ok ' "$out")
    f=$(grep -c '^not ok ' "$out")
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
      echo "not ok $(basename "$s"): exited $rc"
      f=1
    fi
    echo "--- $(basename "$s"): $p passed, $f failed, $(( $(date +%s) - t0 ))s"
    passed=$((passed + p))
    failed=$((failed + f))
    rm -f "$out"
  done
  stage_end "$suite"
}

for suite in $SUITES; do
  case $suite in
    unit) run_unit unit "$BUILD_ROOT/bin/lanyard-unit-tests" ;;
    unit-mbedtls) run_unit unit-mbedtls "$MBEDTLS_BUILD_ROOT/bin/lanyard-unit-tests" ;;
    interop|vm) run_scripts "$suite" ;;
    *) echo "unknown suite $suite"; failed=$((failed + 1)) ;;
  esac
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
