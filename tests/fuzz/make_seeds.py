#!/usr/bin/env python3
"""Seed corpora for the fuzz harnesses, made from files nobody wrote for fuzzing:
examples/, the golden trees in tests/cases/, and the policy corpus in tests/corpus/.
usage: make_seeds.py OUTDIR   (writes OUTDIR/yaml, OUTDIR/markdown, OUTDIR/tree, OUTDIR/sheet)

Each tree seed holds the tree's CSV files too: a metric's `data:` CSV is read by
load_csv.c only through the tree, so without them fuzz_tree would never reach that reader.
The examples' objectives, metrics, audits (with nested findings), nonconformities and
reviews, and the v2 cases of tests/cases, are what make the seeds reach the v2 kinds."""
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


def tree_seed(top, only=None):
    """The tree under top as one fuzz_tree input; only: the top-level names to keep."""
    parts = []
    for path in files(top, (".yaml", ".yml", ".md", ".lua", ".csv")):
        rel = os.path.relpath(path, top)
        if only is not None and rel.split(os.sep)[0] not in only:
            continue
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
    examples = os.path.join(ROOT, "examples")
    put(os.path.join(out, "tree"), tree_seed(examples))
    # The whole example is over the harnesses' 64 KB -max_len, and libFuzzer cuts it before
    # its Check and Act records: they get a seed of their own, with the manifest.
    put(os.path.join(out, "tree"), tree_seed(examples, {
        "isms.yaml", "objectives", "metrics", "audits", "nonconformities", "reviews"}))
    # the sheets of tests/import (CSV and a LibreOffice XLSX), and the metric series CSVs
    # of examples/ and tests/cases/ (other shapes: notes, quoting, a BOM), for fuzz_sheet
    sheets = [(os.path.join(ROOT, "tests", "import"), (".csv", ".xlsx")),
              (os.path.join(ROOT, "examples"), (".csv",)), (cases, (".csv",))]
    for top, exts in sheets:
        for path in files(top, exts):
            with open(path, "rb") as f:
                put(os.path.join(out, "sheet"), f.read()[:1 << 20])


if __name__ == "__main__":
    main()
