#!/usr/bin/env bash
# Benchmark what Git history costs: the Git rules in `check`/`build` and `ismsc diff`.
# Prints figures; it is not a test and has no pass mark (see bench/README.md).
#
#   bench/history.sh [--scale S] [--commits N] [--runs N] [ISMSC_BINARY]
#
#   --scale S     tree size; 1.0 is about 10,000 files (default 1.0)
#   --commits N   commits of history, each editing about 10 records (default 1000)
#   --runs N      runs per command, the first a warm-up left out (default 4, at least 2)
#   --callgrind   also count instructions (valgrind --tool=callgrind) of the check and diff
#                 rows: the figure a loaded machine does not move
#
# The tree comes from bench/gen_tree.py and its history from bench/gen_history.py (about
# 30 s at scale 1.0); both go to a temporary folder removed at the end. "Without history"
# is the same files outside any repository (git archive of HEAD), so the only difference is
# the history. Figures: median wall time, median user+system CPU time, and peak resident
# memory, from /usr/bin/time. Targets (from issue 11): a build with histories (every
# document's revision history table) at most 1.5x the build without; `diff HEAD~100 HEAD`
# at most 2.5x one check; memory bounded. `build --since HEAD~100` adds the change report.
set -euo pipefail

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$bench_dir/.." && pwd)
DATE=2026-11-23
scale=1.0 commits=1000 runs=4 ismsc="" callgrind=0
die() { printf 'bench/history.sh: %s\n' "$*" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case $1 in
    --scale) scale=$2; shift 2 ;;
    --commits) commits=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --callgrind) callgrind=1; shift ;;
    -h|--help) sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option '$1'" ;;
    *) ismsc=$1; shift ;;
  esac
done
ismsc=${ismsc:-$repo_root/build/ismsc}
[ -x "$ismsc" ] || die "ismsc binary not found: $ismsc"
[ -x /usr/bin/time ] || die "/usr/bin/time is needed for the CPU and memory figures"
command -v git >/dev/null || die "git is needed to build the history"
[ "$runs" -ge 2 ] || die "--runs must be at least 2"

work=$(mktemp -d "${TMPDIR:-/tmp}/ismsc-history.XXXXXX")
trap 'rm -rf "$work"' EXIT
tree=$work/tree plain=$work/plain
echo "generating a scale-$scale tree with $commits commits of history ..."
/usr/bin/python3 "$bench_dir/gen_tree.py" "$tree" --scale "$scale" >/dev/null
/usr/bin/python3 "$bench_dir/gen_history.py" "$tree" --commits "$commits"
mkdir "$plain"
git -C "$tree" archive HEAD | tar -x -C "$plain"
echo "tree: $(git -C "$tree" ls-files | wc -l) files, $(git -C "$tree" rev-list --count HEAD) commits"

# measure NAME CMD...: runs CMD $runs times (the first a warm-up) and prints the medians.
declare -A wall cpu mem
measure() {
  local name=$1; shift
  local w=() c=() m=()
  for i in $(seq 1 "$runs"); do
    /usr/bin/time -f "%e %U %S %M" -o "$work/t" "$@" >/dev/null 2>"$work/err" || true
    [ "$i" -eq 1 ] && continue
    read -r e u s k <"$work/t" <<<"$(tail -1 "$work/t")"
    w+=("$e"); c+=("$(echo "$u + $s" | bc)"); m+=("$k")
  done
  wall[$name]=$(printf '%s\n' "${w[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  cpu[$name]=$(printf '%s\n' "${c[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  mem[$name]=$(printf '%s\n' "${m[@]}" | sort -n | tail -1)
  printf '%-34s %7.2f s wall %7.2f s cpu %7.0f MB peak\n' "$name" "${wall[$name]}" \
    "${cpu[$name]}" "$(echo "${mem[$name]} / 1024" | bc -l)"
}

measure "check, without history" "$ismsc" check "$plain" --date $DATE
measure "check, with history" "$ismsc" check "$tree" --date $DATE
measure "build --only json, without" "$ismsc" build "$plain" -o "$work/out1" --only json --force --date $DATE
measure "build --only json, with history" "$ismsc" build "$tree" -o "$work/out2" --only json --force --date $DATE
measure "build (every document), without" "$ismsc" build "$plain" -o "$work/out3" --force --date $DATE
measure "build (every document), with history" "$ismsc" build "$tree" -o "$work/out4" --force --date $DATE
measure "build --since HEAD~100" "$ismsc" build "$tree" -o "$work/out5" --force --date $DATE --since HEAD~100
measure "diff HEAD~100 HEAD" "$ismsc" diff -C "$tree" --date $DATE HEAD~100 HEAD
measure "diff (HEAD and the work tree)" "$ismsc" diff -C "$tree" --date $DATE

ratio() { echo "scale=2; $1 / $2" | bc; }

# instructions NAME CMD...: the instructions callgrind counts for one run of CMD.
declare -A instr
instructions() {
  local name=$1; shift
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" >/dev/null 2>"$work/cg" || true
  instr[$name]=$(sed -n 's/.*Collected : *\([0-9]*\).*/\1/p' "$work/cg" | tail -1)
  printf '%-34s %7.2f G instructions\n' "$name" "$(echo "${instr[$name]:-0} / 1000000000" | bc -l)"
}
if [ "$callgrind" = 1 ]; then
  command -v valgrind >/dev/null || die "--callgrind needs valgrind"
  echo
  instructions "check, without history" "$ismsc" check "$plain" --date $DATE
  instructions "check, with history" "$ismsc" check "$tree" --date $DATE
  instructions "diff HEAD~100 HEAD" "$ismsc" diff -C "$tree" --date $DATE HEAD~100 HEAD
  echo "check with / without history:      $(ratio "${instr[check, with history]}" "${instr[check, without history]}")x instructions"
  echo "diff HEAD~100 HEAD / one check:    $(ratio "${instr[diff HEAD~100 HEAD]}" "${instr[check, with history]}")x instructions"
fi
echo
echo "check with / without history:      $(ratio "${cpu[check, with history]}" "${cpu[check, without history]}")x cpu, $(ratio "${wall[check, with history]}" "${wall[check, without history]}")x wall (target 1.5x)"
echo "build --only json with / without:  $(ratio "${cpu[build --only json, with history]}" "${cpu[build --only json, without]}")x cpu"
echo "build with / without history:      $(ratio "${cpu[build (every document), with history]}" "${cpu[build (every document), without]}")x cpu, $(ratio "${mem[build (every document), with history]}" "${mem[build (every document), without]}")x peak memory (target 1.5x; every document has its revision history)"
echo "build --since HEAD~100 / build:    $(ratio "${cpu[build --since HEAD~100]}" "${cpu[build (every document), with history]}")x cpu"
echo "diff HEAD~100 HEAD / one check:    $(ratio "${cpu[diff HEAD~100 HEAD]}" "${cpu[check, with history]}")x cpu, $(ratio "${wall[diff HEAD~100 HEAD]}" "${wall[check, with history]}")x wall (target 2.5x)"
echo "diagnostics with history: $("$ismsc" check "$tree" --date $DATE | tail -1)"
