#!/usr/bin/python3
"""Give a generated bench tree a Git history: 1,000 commits of everyday edits.

    bench/gen_history.py TREE [--commits 1000] [--edits 10] [--seed 27001]

TREE is a tree made by bench/gen_tree.py. It becomes a Git repository whose first commit is
the tree as generated and whose every later commit edits about --edits records: risks
re-scored (likelihood or impact), policies and treatments reworded, assets renamed; one commit
in five also bumps a policy's version and re-approves it on the commit's date. The commits
are written with `git fast-import` (seconds, not minutes) and the work tree is then checked
out at the last one.

What must stay true: deterministic (one seeded random.Random, fixed dates and names), and
every commit is a real edit a team would make, so the Git rules and `ismsc diff` see the
kind of history they meet in use.
"""

import argparse
import datetime
import os
import random
import re
import subprocess
import sys

START = datetime.datetime(2026, 1, 1, 9, 0, tzinfo=datetime.timezone.utc)
STEP = datetime.timedelta(hours=7)  # 1,000 commits end in October 2026
LIKELIHOOD = ["Rare", "Unlikely", "Possible", "Likely", "Almost certain"]


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def files_of(tree):
    out = []
    for folder, dirs, names in os.walk(tree):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            out.append(os.path.relpath(os.path.join(folder, name), tree))
    return out


def blob(stream, text):
    data = text.encode("utf-8")
    stream.write(b"data %d\n" % len(data))
    stream.write(data)
    stream.write(b"\n")


def commit(stream, when, message, changes):
    stamp = int(when.timestamp())
    stream.write(b"commit refs/heads/main\n")
    stream.write(b"author Bench Author <bench@example.org> %d +0000\n" % stamp)
    stream.write(b"committer Bench Author <bench@example.org> %d +0000\n" % stamp)
    blob(stream, message)  # later commits continue the branch
    for path, text in changes:
        stream.write(b"M 100644 inline %s\n" % path.encode("utf-8"))
        blob(stream, text)
    stream.write(b"\n")


def edit_risk(rnd, text):
    field = rnd.choice(["likelihood", "impact"])
    new = rnd.choice(LIKELIHOOD) if field == "likelihood" else str(rnd.randint(1, 5))
    return re.sub(r"(?m)^%s: .*$" % field, f"{field}: {new}", text, count=1)


def edit_text(rnd, text, n):
    note = f"Revision note {n}: wording reviewed ({rnd.randint(1, 10**6)})."
    if re.search(r"(?m)^Revision note \d+:.*$", text):
        return re.sub(r"(?m)^Revision note \d+:.*$", note, text, count=1)
    return text.rstrip("\n") + "\n\n" + note + "\n"


def edit_asset(rnd, text, n):
    """Renames the file's first record (its title gets a revision mark), keeping its quoting."""
    def mark(m):
        value = re.sub(r" \(rev \d+\)", "", m.group(2))
        if len(value) > 1 and value[-1] in "\"'" and value[0] == value[-1]:
            return f"{m.group(1)}{value[:-1]} (rev {n}){value[-1]}"
        return f"{m.group(1)}{value} (rev {n})"
    return re.sub(r"(?m)^(\s*-?\s*title: )(.*)$", mark, text, count=1)


def bump_policy(text, when):
    def bump(m):
        major, minor = m.group(1).split(".") if "." in m.group(1) else (m.group(1), "0")
        return f'version: "{major}.{int(minor) + 1}"'
    text = re.sub(r'(?m)^version: "([^"]*)"', bump, text, count=1)
    return re.sub(r"(?m)^(approved: \{.*date: )\d{4}-\d{2}-\d{2}", r"\g<1>%s" % when.date(), text,
                  count=1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tree")
    ap.add_argument("--commits", type=int, default=1000)
    ap.add_argument("--edits", type=int, default=10)
    ap.add_argument("--seed", type=int, default=27001)
    args = ap.parse_args()
    rnd = random.Random(args.seed)
    tree = args.tree
    paths = [p for p in files_of(tree) if not p.startswith(".git")]
    content = {p: read(os.path.join(tree, p)) for p in paths if not p.startswith("evidence/")}
    editable = {k: sorted(p for p in content if p.startswith(k + "/"))
                for k in ("risks", "policies", "treatments", "assets")}
    env = dict(os.environ, GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    subprocess.run(["git", "init", "-q", "-b", "main", tree], check=True, env=env)
    proc = subprocess.Popen(["git", "fast-import", "--quiet"], cwd=tree, stdin=subprocess.PIPE,
                            env=env)
    stream = proc.stdin
    initial = [(p, content[p]) for p in content]
    initial += [(p, read(os.path.join(tree, p))) for p in paths if p.startswith("evidence/")]
    commit(stream, START, "The ISMS as generated", initial)
    weights = [("risks", 5), ("treatments", 2), ("policies", 2), ("assets", 1)]
    kinds = [k for k, w in weights for _ in range(w)]
    for n in range(1, args.commits):
        when = START + n * STEP
        changes = {}
        for _ in range(args.edits):
            kind = rnd.choice(kinds)
            path = rnd.choice(editable[kind])
            text = changes.get(path, content[path])
            if kind == "risks":
                text = edit_risk(rnd, text)
            elif kind == "assets" or not path.endswith(".md"):
                text = edit_asset(rnd, text, n)  # a YAML record: its title
            else:
                text = edit_text(rnd, text, n)
            changes[path] = text
        if n % 5 == 0:
            path = rnd.choice(editable["policies"])
            changes[path] = bump_policy(changes.get(path, content[path]), when)
        content.update(changes)
        commit(stream, when, f"Edit {len(changes)} records ({n})", sorted(changes.items()))
    stream.close()
    if proc.wait() != 0:
        sys.exit("git fast-import failed")
    subprocess.run(["git", "reset", "-q", "--hard", "main"], cwd=tree, check=True, env=env)


if __name__ == "__main__":
    main()
