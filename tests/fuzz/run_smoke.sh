#!/usr/bin/env bash
# Runs one fuzz harness for a bounded time on a scratch copy of its corpus (the committed
# corpus in tests/fuzz/corpus/NAME and seeds made from the repository) and fails on any
# crash, leak, timeout or sanitizer report.
#   run_smoke.sh HARNESS NAME SECONDS SEEDS_DIR
#
# What must stay true: the run passes only when the harness itself says it finished (exit
# status 0 and libFuzzer's closing "Done N runs" line with N > 0) and left no crash input.
# A harness that exits non-zero, dies at start, or runs nothing fails, whatever it printed.
# tests/fuzz/selftest.sh runs this script against fake harnesses to keep that true.
set -euo pipefail
harness=$1 name=$2 seconds=$3 seeds=$4
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
# fuzz_tree's scratch trees are /dev/shm/ismsc-fuzz-PID[.docx]: remove those whose process
# is gone (another harness may be running in parallel).
cleanup() {
  rm -rf "$work"
  for p in /dev/shm/ismsc-fuzz-*; do
    [ -e "$p" ] || continue
    pid=${p##*/ismsc-fuzz-}
    pid=${pid%.docx}
    kill -0 "$pid" 2>/dev/null || rm -rf "$p"
  done
}
trap cleanup EXIT
mkdir -p "$work/new" "$work/artifacts"
corpus=()
[ -d "$here/corpus/$name" ] && corpus+=("$here/corpus/$name")
[ -d "$seeds/$name" ] && corpus+=("$seeds/$name")
dict=()
[ -f "$here/$name.dict" ] && dict+=("-dict=$here/$name.dict")

status=0
"$harness" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  "${dict[@]}" -artifact_prefix="$work/artifacts/" -print_final_stats=1 \
  "$work/new" "${corpus[@]}" >"$work/log" 2>&1 || status=$?
# The summary lines only; the whole log when something went wrong.
grep -E "^(#[0-9]+ +DONE|stat::number_of_executed_units|==[0-9]+==|SUMMARY|ERROR|Done)" \
  "$work/log" || true

failed=""
if ls "$work/artifacts"/* >/dev/null 2>&1; then
  echo "fuzz $name: crash inputs:"; ls -l "$work/artifacts"
  for f in "$work/artifacts"/*; do cp "$f" "/tmp/ismsc-fuzz-$name-$(basename "$f")"; done
  echo "copied to /tmp/ismsc-fuzz-$name-*"
  failed="crash inputs written"
fi
if [ "$status" -ne 0 ]; then
  failed="${failed:+$failed; }the harness exited with status $status"
fi
runs=$(sed -n 's/^Done \([0-9][0-9]*\) runs in .*/\1/p' "$work/log" | tail -n 1)
if [ -z "$runs" ] || [ "$runs" -eq 0 ]; then
  failed="${failed:+$failed; }no 'Done N runs' line with N > 0: the harness did not fuzz"
fi
if [ -n "$failed" ]; then
  echo "fuzz $name: FAILED: $failed; its last output:"
  tail -n 40 "$work/log" | sed 's/^/  | /'
  exit 1
fi
echo "fuzz $name: no crash in ${seconds}s ($runs runs)"
