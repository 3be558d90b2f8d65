#!/usr/bin/env bash
# Runs one fuzz harness for a bounded time on a scratch copy of its corpus (the committed
# corpus in tests/fuzz/corpus/NAME and seeds made from the repository) and fails on any
# crash, leak, timeout or sanitizer report.
#   run_smoke.sh HARNESS NAME SECONDS SEEDS_DIR
set -euo pipefail
harness=$1 name=$2 seconds=$3 seeds=$4
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"; rm -rf /dev/shm/ismsc-fuzz-*' EXIT
mkdir -p "$work/new" "$work/artifacts"
corpus=()
[ -d "$here/corpus/$name" ] && corpus+=("$here/corpus/$name")
[ -d "$seeds/$name" ] && corpus+=("$seeds/$name")
"$harness" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -dict="$here/$name.dict" -artifact_prefix="$work/artifacts/" -print_final_stats=1 \
  "$work/new" "${corpus[@]}" 2>&1 | grep -E "^(#[0-9]+ +DONE|stat::number_of_executed_units|==[0-9]+==|SUMMARY|ERROR|Done)" || true
if ls "$work/artifacts"/* >/dev/null 2>&1; then
  echo "fuzz $name: crash inputs:"; ls -l "$work/artifacts"
  for f in "$work/artifacts"/*; do cp "$f" "/tmp/ismsc-fuzz-$name-$(basename "$f")"; done
  echo "copied to /tmp/ismsc-fuzz-$name-*"
  exit 1
fi
echo "fuzz $name: no crash in ${seconds}s"
