#!/usr/bin/env bash
# A stand-in for a libFuzzer harness, for tests/fuzz/selftest.sh: FAKE_MODE says how it
# behaves. It takes libFuzzer's arguments and ignores all but -artifact_prefix=.
set -u
prefix=""
for a in "$@"; do
  case $a in -artifact_prefix=*) prefix=${a#-artifact_prefix=} ;; esac
done
case ${FAKE_MODE:-} in
  good) echo "INFO: Seed: 1"; echo "#42 DONE cov: 10 ft: 10"; echo "Done 42 runs in 1 second(s)"
        echo "stat::number_of_executed_units: 42"; exit 0 ;;
  exit1) echo "INFO: Seed: 1"; exit 1 ;;                # dies at start: a link or ASan init failure
  silent) exit 0 ;;                                     # exits 0 but never fuzzed
  zero-runs) echo "Done 0 runs in 0 second(s)"; exit 0 ;;
  crash) printf 'boom' >"${prefix}crash-0000"; echo "==1==ERROR: AddressSanitizer: heap-use-after-free"
         echo "SUMMARY: AddressSanitizer: heap-use-after-free"; exit 1 ;;
  crash-exit0) printf 'boom' >"${prefix}crash-0000"; echo "Done 5 runs in 1 second(s)"; exit 0 ;;
  done-then-fail) echo "Done 42 runs in 1 second(s)"; exit 77 ;;
  *) echo "fake_harness: unknown FAKE_MODE '${FAKE_MODE:-}'" >&2; exit 2 ;;
esac
