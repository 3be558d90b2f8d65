#!/usr/bin/env python3
"""`ismsc migrate --to iso27001-2022` (SPEC §6) on a 2013 tree covering every mapping shape.

tree/ is a 2013 tree: one-to-one ids (renamed file, front matter, body [[ID]]s, flow and block
lists, quoted ids, a CRLF file with a BOM), two 2013 controls that became one (A.5.1.1 and
A.5.1.2), one that became two (A.18.2.3), and one whose 2022 id already has a record
(A.11.1.1 -> A.7.1), and a file that cannot be parsed (listed, left alone). expected/ is the
same tree migrated, written by hand.

1. --dry-run writes nothing and prints a unified diff that `patch -p1` applies.
2. migrate gives expected/ byte for byte; every difference from tree/ is a 2013 id replaced by
   its 2022 id (a byte comparison outside the edited spans).
3. Running it again changes nothing and lists the same decisions.
4. `ismsc check` of the migrated tree: its only errors are control-unknown at the listed
   decisions and soa-complete for 2022 controls without a record.
5. Wrong uses exit 2 and change nothing.
usage: run.py ISMSC
"""
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

sys.path.append(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from checks import Checks  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
checks = Checks("migrate")
check = checks.check


def run(*args, cwd=None):
    return subprocess.run(list(args), cwd=cwd, capture_output=True,
                          env=dict(os.environ, NO_COLOR="1"))


def snapshot(tree):
    files = {}
    for dirpath, _, names in os.walk(tree):
        for name in names:
            path = os.path.join(dirpath, name)
            with open(path, "rb") as f:
                files[os.path.relpath(path, tree)] = f.read()
    return files


def mapping():
    with open(os.path.join(ROOT, "compiler/catalogs/iso27001-2013-to-2022.yaml")) as f:
        data = yaml.safe_load(f)
    return {m["from"]: m["to"] for m in data["mapping"]}


def only_id_edits(old, new, table):
    """None when the files differ only in ids, each a 2013 id replaced by its only 2022 id
    (or the catalog's name): the bytes between the id-like words are compared exactly."""
    word = re.compile(rb"[A-Za-z0-9._-]+")
    a, b = word.split(old), word.split(new)
    wa, wb = word.findall(old), word.findall(new)
    if a != b or len(wa) != len(wb):
        return "the bytes between ids differ"
    for was, now in zip(wa, wb):
        if was == now:
            continue
        was, now = was.decode(), now.decode()
        if (was, now) != ("iso27001-2013", "iso27001-2022") and table.get(was) != [now]:
            return f"{was!r} -> {now!r}"
    return None


def decisions_of(out):
    return re.findall(r"^(\S+?):(\d+):(\d+): warning: (.*) \[migrate-decision\]$", out, re.M)


def main():
    ismsc = os.path.abspath(sys.argv[1])
    table = mapping()
    source, expected = os.path.join(HERE, "tree"), os.path.join(HERE, "expected")
    want = snapshot(expected)
    with tempfile.TemporaryDirectory() as work:
        tree = os.path.join(work, "tree")
        shutil.copytree(source, tree)
        before = snapshot(tree)

        # 1. dry run
        r = run(ismsc, "migrate", "--to", "iso27001-2022", "--dry-run", ".", cwd=tree)
        out = r.stdout.decode()
        check(r.returncode == 0, f"--dry-run exits 0 ({r.returncode}: {r.stderr.decode()})")
        check(snapshot(tree) == before, "--dry-run writes nothing")
        check("--- a/controls/A.9.2.3.md\n+++ b/controls/A.8.2.md\n" in out,
              "the diff names the renamed file on both sides")
        check("-controls: [A.9.2.3, \"A.12.3.1\", A.5.1.1]" in out
              and "+controls: [A.8.2, \"A.8.13\", A.5.1.1]" in out, "the diff shows a flow list's edit")
        patched = os.path.join(work, "patched")
        shutil.copytree(source, patched)
        diff_text = out.split("\ndecisions left to you:")[0]
        p = subprocess.run(["patch", "-p1", "--quiet", "--binary"], cwd=patched,
                           input=diff_text.encode(), capture_output=True)
        check(p.returncode == 0, f"patch -p1 applies the diff ({p.stdout.decode()}{p.stderr.decode()})")
        got = snapshot(patched)
        got["controls/A.8.2.md"] = got.pop("controls/A.9.2.3.md", b"")
        check(got == want, "the applied diff gives the migrated tree")

        # 2. the real run
        r = run(ismsc, "migrate", "--to", "iso27001-2022", cwd=tree)
        first = r.stdout.decode()
        check(r.returncode == 0, f"migrate exits 0 ({r.stderr.decode()})")
        after = snapshot(tree)
        check(sorted(after) == sorted(want), f"the migrated tree has the expected files ({sorted(after)})")
        for rel in sorted(want):
            check(after.get(rel) == want[rel], f"{rel} is byte for byte as expected")
        for rel, old in sorted(before.items()):
            new_rel = "controls/A.8.2.md" if rel == "controls/A.9.2.3.md" else rel
            bad = only_id_edits(old, after.get(new_rel, b""), table)
            check(bad is None, f"{rel}: only ids change outside the edited spans ({bad})")
        places = decisions_of(first)
        shapes = " ".join(m[3] for m in places)
        check("became A.5.36 and A.8.8" in shapes, "one-to-many is listed")
        check("A.5.1.1 and A.5.1.2 both became A.5.1" in shapes, "many-to-one is listed")
        check("which the tree already has" in shapes, "a 2022 id with a record already is listed")
        check("have no record yet" in shapes, "the 2022 controls without a record are listed")
        check("not migrated: invalid YAML" in shapes, "a file that cannot be read is listed")

        # 3. idempotent
        r = run(ismsc, "migrate", "--to", "iso27001-2022", cwd=tree)
        check(r.returncode == 0 and snapshot(tree) == after, "a second run changes nothing")
        again = decisions_of(r.stdout.decode())
        # the same places (a column moves when an id before it on the line got shorter)
        same = [(f, l, m) for f, l, _, m in again] == [(f, l, m) for f, l, _, m in places]
        check(same, f"and lists the same decisions ({set(again) ^ set(places)})")
        places = again
        check(b"rewrote 0 control ids in 0 files" in r.stderr, f"and says so ({r.stderr.decode()})")

        # 4. check: only the decisions are outstanding
        r = run(ismsc, "check", ".", "--date", "2026-11-23", cwd=tree)
        errors = re.findall(r"^(\S+?):(\d+):(\d+): error: .* \[([a-z0-9-]+)\]$",
                            r.stdout.decode(), re.M)
        decided = {(f, l, c) for f, l, c, _ in places}
        other = [e for e in errors if e[3] != "soa-complete"
                 and not (e[3] in ("control-unknown", "yaml-syntax") and e[:3] in decided)]
        check(errors and not other, f"check's errors are the listed decisions ({other[:3]})")

        # 5. wrong uses
        for args, what in ((["--to", "iso27001-2013"], "an unknown target"),
                           ([], "no --to")):
            r = run(ismsc, "migrate", *args, tree)
            check(r.returncode == 2, f"{what} exits 2 ({r.returncode})")
        custom = os.path.join(work, "custom")
        shutil.copytree(source, custom)
        with open(os.path.join(custom, "isms.yaml"), "a") as f:
            f.write("")
        text = open(os.path.join(custom, "isms.yaml")).read().replace(
            "catalog: iso27001-2013", "catalog: my-controls.yaml")
        open(os.path.join(custom, "isms.yaml"), "w").write(text)
        mine = snapshot(custom)
        r = run(ismsc, "migrate", "--to", "iso27001-2022", custom)
        check(r.returncode == 2 and snapshot(custom) == mine,
              f"a custom catalog exits 2 and changes nothing ({r.returncode})")
        r = run(ismsc, "migrate", "--to", "iso27001-2022", work + "/nowhere")
        check(r.returncode == 2, "a folder that is not a tree exits 2")
    checks.finish()


main()
