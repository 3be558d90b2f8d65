#!/usr/bin/env bash
# Tests tests/fuzz/run_smoke.sh itself against fake harnesses (selftest/fake_harness.sh), so
# the fuzz smoke can fail: only a harness that exits 0 after "Done N runs" (N > 0) with no
# crash input passes; one that exits non-zero at start, never fuzzes, or leaves a crash
# input fails. Runs in the plain build (no clang, no libFuzzer needed), in well under a second.
set -u
here=$(cd "$(dirname "$0")" && pwd)
seeds=$(mktemp -d)
trap 'rm -rf "$seeds" /tmp/ismsc-fuzz-selftest-*' EXIT
bad=0
expect() { # expect pass|fail MODE
  local want=$1 mode=$2 got out
  if out=$(FAKE_MODE=$mode "$here/run_smoke.sh" "$here/selftest/fake_harness.sh" selftest 1 \
           "$seeds" 2>&1); then got=pass; else got=fail; fi
  if [ "$got" = "$want" ]; then
    echo "ok   fake harness '$mode': run_smoke.sh ${got}ed"
  else
    echo "FAIL fake harness '$mode': run_smoke.sh ${got}ed, expected it to $want; its output:"
    printf '%s\n' "$out" | sed 's/^/  | /'
    bad=$((bad + 1))
  fi
}
expect pass good
expect fail exit1
expect fail silent
expect fail zero-runs
expect fail crash
expect fail crash-exit0
expect fail done-then-fail
[ "$bad" -eq 0 ] && echo "run_smoke.sh: all 7 cases as expected" && exit 0
echo "run_smoke.sh: $bad case(s) wrong"; exit 1
