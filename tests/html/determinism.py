#!/usr/bin/env python3
"""Same input, same date -> byte-identical output (SPEC section 3). Builds the example's whole
document set (HTML pages and isms.json) several ways and compares the trees file by file:

- twice with --date, into folders of different names, from different working directories
  (tree path relative in one, absolute in the other): identical;
- with SOURCE_DATE_EPOCH (midnight UTC of the same day, and 23:59:59 of it, under a far
  time zone) instead of --date: identical to the --date build;
- with another date: differs (so the comparison can see a difference at all).

Usage: determinism.py ISMSC
"""
import difflib
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (DATE, DATE_EPOCH, EXAMPLE, ROOT, Checks, rmtree, run_ismsc,  # noqa: E402
                    temp_dir, tree_digest)


def build(c, ismsc, out, *args, env=None, cwd=None, tree=EXAMPLE):
    p = run_ismsc(ismsc, "build", tree, "-o", out, *args, env=env, cwd=cwd)
    c.check(p.returncode == 0, f"build {args} {env or ''} exited {p.returncode}: {p.stdout}{p.stderr}")
    return tree_digest(out)


def compare(c, what, a_dir, a, b_dir, b):
    if not c.check(sorted(a) == sorted(b), f"{what}: different files: "
                   f"{sorted(set(a) ^ set(b))[:10]}"):
        return
    for path in sorted(a):
        if a[path] != b[path]:
            c.check(False, f"{what}: {path} differs")
            with open(os.path.join(a_dir, path), encoding="utf-8", errors="replace") as fa, \
                 open(os.path.join(b_dir, path), encoding="utf-8", errors="replace") as fb:
                diff = list(difflib.unified_diff(fa.read().splitlines(), fb.read().splitlines(), lineterm="", n=0))
            print("\n".join(line[:200] for line in diff[:12]))
        else:
            c.check(True, "")


def main():
    ismsc = os.path.abspath(sys.argv[1])
    c = Checks("determinism")
    tmp = temp_dir("determinism")
    try:
        d = {k: os.path.join(tmp, k) for k in ("a", "second-build", "epoch", "epoch-late", "other-date")}
        a = build(c, ismsc, d["a"], "--date", DATE)
        files = [p for p in a if not p.endswith("/")]
        c.check(len(files) >= 15 and "isms.json" in a, f"the build wrote {len(files)} files: {sorted(a)}")
        # Relative tree path, another working directory, another output folder name.
        b = build(c, ismsc, d["second-build"], "--date", DATE, cwd=ROOT, tree="examples")
        compare(c, "second build", d["a"], a, d["second-build"], b)
        e = build(c, ismsc, d["epoch"], env={"SOURCE_DATE_EPOCH": DATE_EPOCH})
        compare(c, "SOURCE_DATE_EPOCH", d["a"], a, d["epoch"], e)
        late = str(int(DATE_EPOCH) + 86399)
        e2 = build(c, ismsc, d["epoch-late"], env={"SOURCE_DATE_EPOCH": late, "TZ": "Pacific/Kiritimati"})
        compare(c, "SOURCE_DATE_EPOCH 23:59:59 UTC, TZ=UTC+14", d["a"], a, d["epoch-late"], e2)
        o = build(c, ismsc, d["other-date"], "--date", "2026-11-24")
        changed = [p for p in a if p in o and a[p] != o[p]]
        c.check("index.html" in changed and "isms.json" in changed,
                f"another --date changed only {changed}: the comparison cannot see the date")
        print(f"determinism: {len(files)} files compared in 4 pairs; another date changed {len(changed)} of them")
    finally:
        rmtree(tmp)
    c.finish()


if __name__ == "__main__":
    main()
