#!/bin/sh
# Runs a test under valgrind, or skips it visibly: exit status 77 is ctest's SKIP for the
# valgrind tests (SKIP_RETURN_CODE in tests/CMakeLists.txt), so a machine without valgrind,
# or an ASan build (valgrind and AddressSanitizer do not run together; LeakSanitizer does the
# job there), shows "Skipped" instead of the test vanishing from the list.
#   run.sh wrap CMD ARGS...   run CMD under valgrind
#   run.sh env  CMD ARGS...   run CMD with ISMSC_WRAPPER set to the valgrind command line, for
#                             test drivers that start ismsc many times (tests/cases/run.py)
# What must stay true: any leak or invalid access fails (valgrind exits 99); the only way to
# exit 77 is the two skips below.
set -eu
mode=$1
shift
if [ "${ISMSC_SANITIZED:-0}" = 1 ]; then
  echo "SKIP: an ASan/UBSan build; valgrind does not run with AddressSanitizer"
  exit 77
fi
if ! valgrind=$(command -v valgrind); then
  echo "SKIP: valgrind is not installed (apt-get install valgrind)"
  exit 77
fi
options="--quiet --leak-check=full --show-leak-kinds=definite,indirect,possible"
options="$options --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99"
case $mode in
  # shellcheck disable=SC2086 # options are words
  wrap) exec "$valgrind" $options "$@" ;;
  env) ISMSC_WRAPPER="$valgrind $options" exec "$@" ;;
  *) echo "run.sh: mode is wrap or env, not '$mode'" >&2; exit 2 ;;
esac
