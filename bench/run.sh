#!/usr/bin/env bash
# Benchmark ismsc on a large synthetic ISMS tree. Prints figures; it is not a test and has
# no pass mark (see bench/README.md). Every row's time is also shown as a multiple of the
# floor (bench/floor.c: libyaml and cmark-gfm doing only the unavoidable work, on one
# thread): each measured run is paired with a floor run just before it, so figures from a
# loaded machine still compare.
#
#   bench/run.sh [--scale S] [--runs N] [--save] [--hyperfine] [--no-pandoc] [ISMSC_BINARY]
#
#   ISMSC_BINARY  the binary to measure (default: build/ismsc under the repository root)
#   --scale S     tree size; 1.0 is about 10,000 files (default 1.0, or $BENCH_SCALE)
#   --runs N      runs per command, the first one a warm-up left out of the figures
#                 (default 5, or $BENCH_RUNS; at least 2)
#   --save        keep the generated tree in bench/.cache/tree-S for the next run
#   --hyperfine   also time each command with hyperfine, when it is installed
#   --no-pandoc   leave out the pandoc row even when pandoc is installed (it takes minutes)
#
# The tree comes from bench/.cache/tree-S when that exists and was made by the current
# bench/gen_tree.py from the current catalog; otherwise it is generated into a temporary
# folder (1-5 s at scale 1.0) and removed at the end.
#
# Exit status: 0 when every measured command ran as expected (figures are valid, whatever
# they are), 1 when one did not (e.g. the check found problems: its figures measure the wrong
# thing), 2 when the benchmark could not run (no binary, generator failure, bad usage).
set -euo pipefail

DATE=2026-11-23           # the date the generated tree is clean on
TARGET_CHECK_S=0.3        # targets for `ismsc check` at scale 1.0
TARGET_CHECK_MB=100
TARGET_HTML_S=1           # targets for `ismsc build --only html` at scale 1.0
TARGET_HTML_MB=200
TARGET_FULL_FLOOR=5       # the whole build (HTML + DOCX + JSON): at most 5x the floor

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$bench_dir/.." && pwd)

usage() { sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
die() { printf 'bench/run.sh: %s\n' "$*" >&2; exit 2; }

scale=${BENCH_SCALE:-1.0}
runs=${BENCH_RUNS:-5}
save=0 use_hyperfine=0 use_pandoc=1 ismsc=""
while [ $# -gt 0 ]; do
  case $1 in
    --scale) [ $# -ge 2 ] || die "--scale needs a value"; scale=$2; shift 2 ;;
    --scale=*) scale=${1#*=}; shift ;;
    --runs) [ $# -ge 2 ] || die "--runs needs a value"; runs=$2; shift 2 ;;
    --runs=*) runs=${1#*=}; shift ;;
    --save) save=1; shift ;;
    --hyperfine) use_hyperfine=1; shift ;;
    --no-pandoc) use_pandoc=0; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) die "unknown option '$1' (see --help)" ;;
    *) [ -z "$ismsc" ] || die "one binary only (see --help)"; ismsc=$1; shift ;;
  esac
done
[[ $scale =~ ^[0-9]*\.?[0-9]+$ ]] || die "--scale must be a positive number, not '$scale'"
if ! [[ $runs =~ ^[0-9]+$ ]] || [ "$runs" -lt 2 ]; then die "--runs must be an integer >= 2"; fi

# --- the binary --------------------------------------------------------------------------
ismsc=${ismsc:-$repo_root/build/ismsc}
if [ ! -e "$ismsc" ]; then
  die "ismsc binary not found: $ismsc
  Build it first:  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build
  or pass its path: bench/run.sh path/to/ismsc"
fi
if [ ! -f "$ismsc" ] || [ ! -x "$ismsc" ]; then die "not an executable file: $ismsc"; fi
ismsc=$(cd "$(dirname "$ismsc")" && pwd)/$(basename "$ismsc")

# --- tools ---------------------------------------------------------------------------------
python=/usr/bin/python3
[ -x "$python" ] || python=$(command -v python3) || die "python3 not found (the generator needs it)"
gnu_time=""
if [ -x /usr/bin/time ] && /usr/bin/time -f '%e %M' -o /dev/null true 2>/dev/null; then
  gnu_time=/usr/bin/time
else
  echo "bench/run.sh: GNU time (/usr/bin/time) not found; peak RSS will not be measured" \
       "(Debian: apt-get install time)" >&2
fi
if [ "$use_hyperfine" = 1 ] && ! command -v hyperfine >/dev/null; then
  echo "bench/run.sh: --hyperfine given but hyperfine is not installed; skipping it" >&2
  use_hyperfine=0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/ismsc-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

# --- the floor -----------------------------------------------------------------------------
# Compiled here, optimised like a Release build, against the libraries ismsc uses.
cc=${CC:-cc}
floor=$work/floor
floor_flags=$(pkg-config --cflags --libs yaml-0.1 libcmark-gfm 2>/dev/null) \
  || die "pkg-config cannot find yaml-0.1 and libcmark-gfm (scripts/install-deps installs them)"
# shellcheck disable=SC2086 # the flags are words
"$cc" -O2 -Wall -Wextra -Werror -o "$floor" "$bench_dir/floor.c" $floor_flags \
  -lcmark-gfm-extensions || die "could not compile bench/floor.c with $cc"

# --- the tree ------------------------------------------------------------------------------
catalog=$repo_root/compiler/catalogs/iso27001-2022.yaml
[ -f "$catalog" ] || catalog=/work/shared/catalogs/iso27001-2022.yaml
[ -f "$catalog" ] || die "catalog not found: $repo_root/compiler/catalogs/iso27001-2022.yaml"
stamp=$(cat "$bench_dir/gen_tree.py" "$bench_dir/gen_cycle.py" "$catalog" | sha256sum | cut -c1-16)
cache=$bench_dir/.cache/tree-$scale

generate() {  # generate DIR [ARG...]: the tree for $scale into DIR (which must not exist)
  local t0 t1
  t0=$(date +%s%N)
  "$python" "$bench_dir/gen_tree.py" --quiet --scale "$scale" --catalog "$catalog" "$@" \
    || die "gen_tree.py failed"
  t1=$(date +%s%N)
  gen_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
}

gen_s=""
if [ -d "$cache" ] && [ "$(cat "$cache.stamp" 2>/dev/null)" = "$stamp" ]; then
  tree=$cache
  tree_from="cached, $cache"
elif [ "$save" = 1 ]; then
  [ ! -e "$cache" ] || echo "bench/run.sh: $cache is stale; regenerating it" >&2
  mkdir -p "$bench_dir/.cache"
  rm -rf "$cache" "$cache.stamp" "$cache.tmp.$$"
  generate "$cache.tmp.$$"
  mv "$cache.tmp.$$" "$cache"
  echo "$stamp" > "$cache.stamp"
  tree=$cache
  tree_from="generated in ${gen_s} s, saved to $cache"
else
  [ ! -e "$cache" ] || echo "bench/run.sh: $cache is stale (generator or catalog changed);" \
                            "using a fresh tree (--save refreshes the cache)" >&2
  generate "$work/tree"
  tree=$work/tree
  tree_from="generated in ${gen_s} s into a temporary folder"
fi

n_files=$(find "$tree" -type f | wc -l)
n_bytes=$(find "$tree" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')

# --- measuring -----------------------------------------------------------------------------
# measure NAME CMD...: run CMD $runs times (the first a warm-up), print one row of figures.
# The targets for the row come from TARGET_S and TARGET_MB (empty: no target, shown as -);
# EXPECT_EXIT (default 0) is the exit status the command must have for its figures to count.
# EXPECT_LAST, when set, is the last line of output expected (a mismatch is noted, no more).
# BEFORE_RUN, when set, is a command run before each run, outside the time (a cleanup).
TARGET_S="" TARGET_MB="" EXPECT_EXIT=0 EXPECT_LAST="" BEFORE_RUN=""
measure_failed=0
declare -a notes=()
declare -A median_of=() x_floor_of=()

ratio() {  # ratio VALUE TARGET -> "0.42x" or "-"
  if [ -z "$2" ] || [ "$1" = "-" ]; then echo "-"; else
    awk -v v="$1" -v t="$2" 'BEGIN { printf "%.2fx", v / t }'; fi
}
floor_median=""  # set by the floor row, measured first
floor_cmd=()     # then set: every later measured run is paired with a floor run just before it

median_of_list() {  # median_of_list V... -> the median
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
    END { printf "%.2f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

measure() {
  local name=$1; shift
  local out=$work/$name.out err=$work/$name.err tfile=$work/$name.time
  local i rc t0 t1 rss last
  local -a times=() rcs=() ratios=()
  local peak_kb=0 f0 f1
  for ((i = 0; i < runs; i++)); do
    rc=0
    [ -z "$BEFORE_RUN" ] || eval "$BEFORE_RUN"
    if [ "$i" -gt 0 ] && [ ${#floor_cmd[@]} -gt 0 ]; then
      f0=$(date +%s%N)
      "${floor_cmd[@]}" >/dev/null 2>&1 || true
      f1=$(date +%s%N)
    fi
    t0=$(date +%s%N)
    if [ -n "$gnu_time" ]; then
      "$gnu_time" -f '%e %M' -o "$tfile" "$@" >"$out" 2>"$err" || rc=$?
    else
      "$@" >"$out" 2>"$err" || rc=$?
    fi
    t1=$(date +%s%N)
    rcs+=("$rc")
    [ "$i" -eq 0 ] && continue  # warm-up
    times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", (b - a) / 1e9 }')")
    [ ${#floor_cmd[@]} -eq 0 ] ||
      ratios+=("$(awk -v a="$t0" -v b="$t1" -v c="$f0" -v d="$f1" \
        'BEGIN { printf "%.4f", (b - a) / (d - c) }')")
    if [ -n "$gnu_time" ]; then
      # GNU time writes "Command exited with non-zero status N" first when N != 0.
      rss=$(tail -n 1 "$tfile" | awk '{ print $2 }')
      [[ $rss =~ ^[0-9]+$ ]] && [ "$rss" -gt "$peak_kb" ] && peak_kb=$rss
    fi
  done

  local stats median min peak_mb per_k
  stats=$(printf '%s\n' "${times[@]}" | sort -g | awk '
    { v[NR] = $1 }
    END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
          printf "%.3f %.3f", m, v[1] }')
  median=${stats% *} min=${stats#* }
  last_median=$median
  if [ -n "$gnu_time" ] && [ "$peak_kb" -gt 0 ]; then
    peak_mb=$(awk -v k="$peak_kb" 'BEGIN { printf "%.1f", k / 1024 }')
  else
    peak_mb="-"
  fi
  median_of[$name]=$median
  local x_floor="-"
  [ ${#ratios[@]} -eq 0 ] || x_floor="$(median_of_list "${ratios[@]}")x"
  x_floor_of[$name]=$x_floor
  per_k=$(awk -v m="$median" -v n="$n_files" 'BEGIN { printf "%.1f", n ? m * 1000 / n * 1000 : 0 }')

  printf '%-22s %5d %5s %9s %9s %9s %12s %12s %12s %8s\n' "$name" "$((runs - 1))" "$rc" \
    "$median" "$min" "$peak_mb" "$per_k" "$(ratio "$median" "$TARGET_S")" \
    "$(ratio "$peak_mb" "$TARGET_MB")" "$x_floor"

  last=$(grep -v '^[[:space:]]*$' "$out" | tail -n 1 || true)
  [ -n "$last" ] || last=$(grep -v '^[[:space:]]*$' "$err" | tail -n 1 || true)
  notes+=("$name: exit $rc, last line of output: ${last:-(none)}")
  if [ -n "$TARGET_S$TARGET_MB" ]; then
    local fig
    fig="$name: median ${median} s = $(ratio "$median" "$TARGET_S") of target"
    fig+=" (${TARGET_S:-none} s); peak RSS ${peak_mb} MB = $(ratio "$peak_mb" "$TARGET_MB")"
    fig+=" of target (${TARGET_MB:-none} MB); ${per_k} ms per 1,000 files"
    notes+=("$fig")
  fi

  local distinct
  distinct=$(printf '%s\n' "${rcs[@]}" | sort -u | tr '\n' ' ')
  if [ "$distinct" != "$EXPECT_EXIT " ]; then
    measure_failed=1
    notes+=("$name: WARNING: exit statuses over the runs were: ${rcs[*]} (expected $EXPECT_EXIT)")
    local bar='!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!'
    echo
    echo "$bar"
    echo "!!! $name exited $rc, not $EXPECT_EXIT: the figures above measure a FAILING run."
    echo "!!! The generated tree is meant to be clean; either the generator or ismsc is wrong."
    if [ -s "$out" ]; then echo "!!! First lines of its output:"; head -n 8 "$out" | sed 's/^/!!!   /'; fi
    if [ -s "$err" ]; then echo "!!! First lines of its errors:"; head -n 8 "$err" | sed 's/^/!!!   /'; fi
    echo "$bar"
    echo
  elif [ -n "$EXPECT_LAST" ] && [ "$last" != "$EXPECT_LAST" ]; then
    local w="$name: warning: expected '$EXPECT_LAST' (the tree is meant to be spotless);"
    w+=" the figures stand, but the diagnostics it printed are part of them"
    notes+=("$w")
  fi

  if [ "$use_hyperfine" = 1 ]; then
    local cmd json=$work/$name.hyperfine.json
    cmd=$(printf '%q ' "$@")
    local hruns=$((runs > 2 ? runs - 1 : 2))
    if hyperfine --style none --warmup 1 --runs "$hruns" -i --export-json "$json" \
         -- "$cmd" >/dev/null 2>&1; then
      stats=$("$python" -c 'import json, sys, statistics
r = json.load(open(sys.argv[1]))["results"][0]
print("%.3f %.3f" % (r["median"], r["min"]))' "$json")
      median=${stats% *} min=${stats#* }
      printf '%-22s %5d %5s %9s %9s %9s %12s %12s %12s %8s\n' "  (hyperfine)" "$hruns" \
        "" "$median" "$min" "" "" "$(ratio "$median" "$TARGET_S")" "" \
        "$(ratio "$median" "$floor_median")"
    else
      notes+=("$name: hyperfine failed")
    fi
  fi
}

# --- report --------------------------------------------------------------------------------
version=$("$ismsc" --version 2>/dev/null | head -n 1 || true)
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
echo "ismsc benchmark"
echo "  binary   $ismsc${version:+ ($version)}"
echo "  machine  ${cpu:-unknown CPU}, $(nproc 2>/dev/null || echo '?') CPUs, $(uname -sr)"
echo "  tree     scale $scale: $n_files files, $n_bytes bytes ($(awk -v b="$n_bytes" \
  'BEGIN { printf "%.1f MB", b / 1048576 }')), $tree_from"
echo "  runs     $runs per command, the first a warm-up; times are wall clock in seconds"
echo "  targets  check: ${TARGET_CHECK_S} s and ${TARGET_CHECK_MB} MB, build-html: ${TARGET_HTML_S} s and" \
  "${TARGET_HTML_MB} MB, at scale 1.0 (about 10,000 files); build-all: at most" \
  "${TARGET_FULL_FLOOR}x the floor"
echo "  floor    bench/floor.c: libyaml parses every YAML file and front matter, cmark-gfm" \
  "parses and renders every body; one thread. 'x floor': each measured run is timed" \
  "against a floor run made just before it; the column is the median of those ratios"
echo
printf '%-22s %5s %5s %9s %9s %9s %12s %12s %12s %8s\n' command runs exit "median s" "min s" \
  "peak MB" "ms/1k files" "time/target" "RSS/target" "x floor"

# The measured commands. Add later steps here, one `measure` each, e.g.
#   TARGET_S="" TARGET_MB="" measure check-no-lua "$ismsc" check "$tree" --date "$DATE" ...
# (Lua rules off: a copy of the tree whose isms.yaml sets the coverage rules to `off`, or
# a command-line switch if ismsc grows one; Lua rules heavier: add rules/*.lua to a copy.)
export NO_COLOR=1
measure floor "$floor" "$tree"
floor_median=$last_median
floor_cmd=("$floor" "$tree")

TARGET_S=$TARGET_CHECK_S TARGET_MB=$TARGET_CHECK_MB EXPECT_LAST="no problems" \
  measure check "$ismsc" check "$tree" --date "$DATE"

# The same check on the tree without its Check and Act records (gen_tree.py --no-cycle: no
# objectives, metrics, audits, nonconformities or reviews; the rest identical): what the v2
# kinds cost. Generated afresh each run (a few seconds); not cached. Its row's "x floor" is
# against the floor on that same tree.
# Beside the measured tree, so that both are in a Git repository or both are not: the cached
# tree lies in this project's (ignored) and check reads its Git state; a tree in /tmp has
# none, and check skips the Git rules with a note. Compared across that, the ratio measured
# the Git rules as much as the records.
# The side-by-side rounds below run on two trees generated just now, one beside the other
# (with_cycle is the measured tree again): an older tree's files, laid out on the disk by
# other runs, read up to a fifth slower or faster than fresh ones, whatever they hold.
no_cycle=$(dirname "$tree")/.no-cycle-$$
with_cycle=$(dirname "$tree")/.with-cycle-$$
trap 'rm -rf "$work" "$no_cycle" "$with_cycle"' EXIT
generate "$no_cycle" --no-cycle
generate "$with_cycle"
n_files_all=$n_files  # the ms/1k files column counts the files of the tree measured
n_files=$(find "$no_cycle" -type f | wc -l)
floor_cmd=("$floor" "$no_cycle")
EXPECT_LAST="no problems" measure check-no-cycle "$ismsc" check "$no_cycle" --date "$DATE"
floor_cmd=("$floor" "$tree")
n_files_cycle=$(( n_files_all - n_files )) n_files=$n_files_all

# The ratio itself, from runs made side by side (bench/pair.py): check and the floor on
# both trees in turn, the order reversed every other round, each ratio taken within a round
# so that both of its runs met the same load; CPU from wait4, to the microsecond. Two rows'
# medians, taken minutes apart on a shared machine, differ by the load as much as by the
# tree. The floor's own ratio is what the records cost any reader of YAML and Markdown:
# check's cannot fall far below it. At least PAIR_ROUNDS rounds: the ratio is a few percent,
# and four rounds of it moved by ten.
PAIR_ROUNDS=20
pair_rounds=$(( runs - 1 > PAIR_ROUNDS ? runs - 1 : PAIR_ROUNDS ))
tab=$'\t'
read -r cw cc fw fc nr <<<"$("$python" "$bench_dir/pair.py" "$pair_rounds" \
  "$ismsc${tab}check${tab}$with_cycle${tab}--date${tab}$DATE" \
  "$ismsc${tab}check${tab}$no_cycle${tab}--date${tab}$DATE" \
  "$floor${tab}$with_cycle" "$floor${tab}$no_cycle")"
[ -n "$nr" ] || { cw=- cc=- fw=- fc=- nr=0; measure_failed=1; }
fig="Check and Act records ($n_files_cycle files): check takes ${cw}x the time without them,"
fig+=" ${cc}x the CPU (user+sys) (target: at most 1.1x; medians of $nr side-by-side rounds);"
fig+=" the floor takes ${fw}x the time and ${fc}x the CPU;"
fig+=" check is ${x_floor_of[check]} the floor with them, ${x_floor_of[check-no-cycle]} without"
notes+=("$fig")

# The HTML set alone (every page; isms.json is --only json), check included. Issue 4's targets at scale
# 1.0: under 1 s and 200 MB.
TARGET_S=$TARGET_HTML_S TARGET_MB=$TARGET_HTML_MB EXPECT_LAST="no problems" \
  measure build-html "$ismsc" build "$tree" -o "$work/site" --only html --date "$DATE"
notes+=("build-html: $(find "$work/site" -name '*.html' | wc -l) pages, $(du -sk "$work/site" | cut -f1) KB")

# The DOCX set alone (SoA, RTP and every policy), check included; then, when pandoc is
# installed, pandoc converting the same policies one by one, as a team scripting it would.
# The ratio of the two medians is the speed-up (target: ismsc at least 30x faster).
TARGET_S="" TARGET_MB="" measure build-docx "$ismsc" build "$tree" -o "$work/docx" \
  --only docx --date "$DATE"
docx_median=$last_median
n_docx=$(find "$work/docx" -name '*.docx' | wc -l)
notes+=("build-docx: $n_docx DOCX files")
if [ "$use_pandoc" = 1 ] && command -v pandoc >/dev/null; then
  n_policies=$(find "$tree/policies" -name '*.md' | wc -l)
  # One pandoc process per policy (time and RSS are those of the loop's shell and its children).
  pandoc_loop='mkdir -p "$2" && for f in "$1"/policies/*.md; do
    pandoc -f gfm -t docx -o "$2/$(basename "$f" .md).docx" "$f" || exit 1; done'
  saved_runs=$runs
  runs=${BENCH_PANDOC_RUNS:-2}  # minutes per run at scale 1.0: one warm-up, one measured
  TARGET_S="" TARGET_MB="" measure pandoc-policies bash -c "$pandoc_loop" _ "$tree" "$work/pandoc"
  runs=$saved_runs
  notes+=("pandoc-policies: $(pandoc --version | head -n 1), $n_policies policies one by one")
  notes+=("speed-up: pandoc-policies / build-docx = $(awk -v p="$last_median" -v d="$docx_median" \
    'BEGIN { printf "%.1fx", p / d }') (target 30x)")
else
  notes+=("pandoc-policies: skipped, pandoc is not installed (apt-get install pandoc)")
fi

# The XLSX set alone (SoA, RTP, register: libxlsxwriter workbooks), check included.
TARGET_S="" TARGET_MB="" measure build-xlsx "$ismsc" build "$tree" -o "$work/xlsx" \
  --only xlsx --date "$DATE"
notes+=("build-xlsx: $(find "$work/xlsx" -name '*.xlsx' | wc -l) XLSX files, \
$(du -sk "$work/xlsx" | cut -f1) KB")

# The whole document set, as `ismsc build` writes it by default: HTML, DOCX, XLSX and
# isms.json. Target: at most TARGET_FULL_FLOOR times the floor. build-all rebuilds into the
# same folder, as a user's second build does: files whose bytes are unchanged are kept
# (out_file.h), which this tree's are. build-all-fresh writes into a folder that does not
# exist yet, as a first build or a CI job does (the last run's folder is removed untimed).
EXPECT_LAST="no problems" measure build-all "$ismsc" build "$tree" -o "$work/all" --date "$DATE"
notes+=("build-all: $(find "$work/all" -type f | wc -l) files, $(du -sk "$work/all" | \
  awk '{ printf "%.1f MB", $1 / 1024 }') (HTML, DOCX, XLSX and isms.json)")
BEFORE_RUN='rm -rf "$work/fresh"' EXPECT_LAST="no problems" \
  measure build-all-fresh "$ismsc" build "$tree" -o "$work/fresh" --date "$DATE"
for row in check build-html build-docx build-xlsx build-all build-all-fresh; do
  [ -n "${median_of[$row]:-}" ] || continue
  fig="$row: ${x_floor_of[$row]} the floor"
  [[ $row != build-all* ]] || fig+=" (target: at most ${TARGET_FULL_FLOOR}x)"
  notes+=("$fig")
done

# The same check with every shipped Lua rule set to `off` (a rule that is off is not run):
# what the coverage rules cost. A hard-linked copy of the tree, with its own isms.yaml.
no_lua=$work/tree-no-lua
! grep -q '^rules:' "$tree/isms.yaml" || die "the generated isms.yaml has rules: (not expected)"
cp -al "$tree" "$no_lua"
rm "$no_lua/isms.yaml"
{ cat "$tree/isms.yaml"
  echo "rules:"
  for f in "$repo_root"/lua/*.lua; do
    rule=$(basename "$f" .lua)
    [ "$rule" = prelude ] || echo "  $rule: off"
  done
} > "$no_lua/isms.yaml"
EXPECT_LAST="no problems" measure check-no-lua "$ismsc" check "$no_lua" --date "$DATE"
if [ -n "${median_of[check]:-}" ] && [ -n "${median_of[check-no-lua]:-}" ]; then
  notes+=("Lua coverage rules: check takes $(awk -v a="${median_of[check]}" \
    -v b="${median_of[check-no-lua]}" 'BEGIN { printf "%.2f", a / b }')x the time without them (target: at most 1.3x)")
fi

# Importing a 5,000-row risk register (bench/gen_register.py) into a tree holding only its
# isms.yaml: every row bound and checked as `check` would. import-*-dry-run is that and the
# YAML, written to stdout; import-5000-csv also writes the 5,000 files (each run into a new
# folder), so it measures the file system as much as ismsc. From CSV, and from the same rows
# as XLSX when LibreOffice Calc can make it.
import_tree=$work/import-tree
mkdir -p "$import_tree"
cp "$tree/isms.yaml" "$import_tree/"
"$repo_root/bench/gen_register.py" "$work/register.csv" 5000
import_run='d=$(mktemp -d "$3.XXXXXX") && cp "$2/isms.yaml" "$d/" && "$4" import risks "$1" "$d"'
TARGET_S="" TARGET_MB="" measure import-5000-dry-run "$ismsc" import risks "$work/register.csv" \
  "$import_tree" --dry-run
TARGET_S="" TARGET_MB="" measure import-5000-csv bash -c "$import_run" _ "$work/register.csv" \
  "$import_tree" "$work/import-out" "$ismsc"
notes+=("import-5000-csv: $(find "$work"/import-out.*/risks -name '*.yaml' | wc -l) files written over the runs")
if command -v soffice >/dev/null; then
  soffice "-env:UserInstallation=file://$work/lo-profile" --headless --norestore \
    --convert-to xlsx --outdir "$work" "$work/register.csv" >/dev/null 2>&1 || true
fi
if [ -f "$work/register.xlsx" ]; then
  TARGET_S="" TARGET_MB="" measure import-5000-xlsx-dry-run "$ismsc" import risks \
    "$work/register.xlsx" "$import_tree" --dry-run
else
  notes+=("import-5000-xlsx: skipped, LibreOffice Calc is not installed")
fi

echo
for n in "${notes[@]}"; do echo "  $n"; done
if [ "$scale" != "1.0" ] && [ "$scale" != "1" ]; then
  echo "  note: the targets are for scale 1.0; at scale $scale compare ms/1k files instead."
fi
if [ "$measure_failed" = 1 ]; then
  echo
  msg="WARNING: a measured command did not exit as expected; these figures are not valid."
  echo "$msg"
  [ -t 1 ] || echo "bench/run.sh: $msg" >&2
  exit 1
fi
