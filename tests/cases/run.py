#!/usr/bin/env python3
"""Golden tests: each folder under tests/cases/ is a small tree and its exact diagnostics.

A case folder holds:
  tree/          the ISMS tree to check
  expected.txt   the exact standard output of `ismsc check tree --date 2026-11-23`
                 (paths are shown relative to the tree, as when run from inside it)
  exit           optional: the expected exit status (default: 1 if the output has an
                 "error:" line, else 0)
  args           optional: extra arguments, one per line (e.g. --werror, --format github)

The runner fails on any difference and prints a diff. It never writes expected files:
a golden file is written by hand, from what the rule should say, and only then compared.

Each tree is checked as the one commit of a throwaway Git repository (a copy), so the Git
rules (approval-stale, ...) run on every case without depending on this project's own history
or on uncommitted edits to a case; tests/git/ tests those rules.
"""
import concurrent.futures
import difflib
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
# ISMSC_WRAPPER runs every check under a tool, e.g. valgrind (tests/CMakeLists.txt); the
# tool's own report goes to stderr and its error exit code fails the case.
WRAPPER = os.environ.get("ISMSC_WRAPPER", "").split()


GIT_ENV = dict(os.environ, GIT_AUTHOR_NAME="golden", GIT_AUTHOR_EMAIL="golden@example.org",
               GIT_COMMITTER_NAME="golden", GIT_COMMITTER_EMAIL="golden@example.org",
               GIT_AUTHOR_DATE="2026-01-01T12:00:00Z", GIT_COMMITTER_DATE="2026-01-01T12:00:00Z",
               GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")


def committed_copy(case, dst):
    """A copy of the case whose tree is the only commit of a new repository."""
    shutil.copytree(case, dst, symlinks=True)
    tree = os.path.join(dst, "tree")
    for cmd in (["init", "-q"], ["add", "-A"], ["commit", "-q", "--no-verify", "-m", "case"]):
        subprocess.run(["git"] + cmd, cwd=tree, env=GIT_ENV, check=True, capture_output=True)
    return tree


def run_case(ismsc, name):
    case = os.path.join(HERE, name)
    tree = os.path.join(case, "tree")
    args = []
    if os.path.exists(os.path.join(case, "args")):
        with open(os.path.join(case, "args")) as f:
            args = [line.strip() for line in f if line.strip()]
    if "--date" not in args:
        args += ["--date", "2026-11-23"]
    env = dict(os.environ, NO_COLOR="1")
    env.pop("SOURCE_DATE_EPOCH", None)
    with tempfile.TemporaryDirectory(prefix="ismsc-case-") as work:
        # The whole case folder is copied: a case may point out of its tree (../expected.txt).
        tree = committed_copy(case, os.path.join(work, name))
        proc = subprocess.run(WRAPPER + [ismsc, "check", "."] + args, cwd=tree, env=env,
                              capture_output=True, timeout=600 if WRAPPER else 60)
    out = proc.stdout.decode("utf-8", "replace")
    err = proc.stderr.decode("utf-8", "replace")
    with open(os.path.join(case, "expected.txt"), encoding="utf-8") as f:
        expected = f.read()
    problems = []
    if proc.returncode < 0:
        problems.append("killed by signal %d" % -proc.returncode)
    if ("AddressSanitizer" in err or "runtime error:" in err or "LeakSanitizer" in err
            or "== ERROR SUMMARY:" in err or "definitely lost" in err):
        problems.append("sanitizer report:\n" + err)
    if out != expected:
        diff = difflib.unified_diff(expected.splitlines(True), out.splitlines(True),
                                    "expected.txt", "actual")
        problems.append("output differs:\n" + "".join(diff))
    exit_file = os.path.join(case, "exit")
    if os.path.exists(exit_file):
        with open(exit_file) as f:
            want = int(f.read().strip())
    else:
        want = 1 if any(": error: " in l for l in expected.splitlines()) else 0
    if proc.returncode != want:
        problems.append("exit status %d, expected %d\n%s" % (proc.returncode, want, err))
    return problems


def main():
    if len(sys.argv) < 2:
        print("usage: run.py ISMSC [CASE...]", file=sys.stderr)
        return 2
    ismsc = os.path.abspath(sys.argv[1])
    names = sys.argv[2:] or sorted(d for d in os.listdir(HERE)
                                   if os.path.isdir(os.path.join(HERE, d, "tree")))
    passed = failed = 0
    # Cases are independent: run them on every core (results print in name order).
    with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 2) as pool:
        results = list(pool.map(lambda name: run_case(ismsc, name), names))
    for name, problems in zip(names, results):
        if problems:
            failed += 1
            print("FAIL %s\n  %s" % (name, "\n  ".join(problems)))
        else:
            passed += 1
            print("ok %s" % name)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
