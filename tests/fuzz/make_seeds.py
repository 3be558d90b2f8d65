#!/usr/bin/env python3
"""Seed corpora for the fuzz harnesses, made from files nobody wrote for fuzzing:
examples/, the golden trees in tests/cases/, and the policy corpus in tests/corpus/.
usage: make_seeds.py OUTDIR   (writes OUTDIR/yaml, OUTDIR/markdown, OUTDIR/tree, OUTDIR/sheet)"""
import hashlib
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def files(top, exts):
    for d, _, names in sorted(os.walk(top)):
        for n in sorted(names):
            if n.endswith(exts):
                yield os.path.join(d, n)


def put(out, data):
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)


def tree_seed(top):
    parts = []
    for path in files(top, (".yaml", ".yml", ".md", ".lua")):
        rel = os.path.relpath(path, top)
        with open(path, "rb") as f:
            parts.append(b"=== " + rel.encode() + b"\n" + f.read())
    return b"".join(parts)


def main():
    out = sys.argv[1]
    sources = [os.path.join(ROOT, "examples"), os.path.join(ROOT, "tests", "cases"),
               os.path.join(ROOT, "tests", "corpus")]
    for top in sources:
        for path in files(top, (".yaml", ".yml")):
            with open(path, "rb") as f:
                put(os.path.join(out, "yaml"), f.read()[:65536])
        for path in files(top, (".md",)):
            with open(path, "rb") as f:
                put(os.path.join(out, "markdown"), f.read()[:65536])
    cases = os.path.join(ROOT, "tests", "cases")
    for name in sorted(os.listdir(cases)):
        tree = os.path.join(cases, name, "tree")
        if os.path.isdir(tree):
            put(os.path.join(out, "tree"), tree_seed(tree))
    put(os.path.join(out, "tree"), tree_seed(os.path.join(ROOT, "examples")))
    # the sheets of tests/import (CSV and a LibreOffice XLSX), for fuzz_sheet
    for path in files(os.path.join(ROOT, "tests", "import"), (".csv", ".xlsx")):
        with open(path, "rb") as f:
            put(os.path.join(out, "sheet"), f.read()[:1 << 20])


if __name__ == "__main__":
    main()
