#!/usr/bin/env python3
"""`ismsc diff` golden cases, and its bad input.

Each folder under tests/git/diff/ holds `before/` and `after/` trees and the exact output of
`ismsc diff HEAD~1 HEAD` in each format: expected.txt, expected.md, expected.json. The runner
commits both trees with the git program (fixed names and dates, so the commit ids in the
messages are the same on every machine) in a temporary repository and compares. The JSON
output must also validate against docs/diff.schema.json. Golden files are written by hand
from what the diff should say, never regenerated to make a failure go away.

Bad input: an unknown revision, a revision whose tree has no isms.yaml, a tree outside any
repository (exit 2 and one line); a corrupt blob and a 100 MB blob (a located diagnostic).

    diff_cases.py ISMSC
"""
import difflib
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.dirname(HERE))
from checks import Checks  # noqa: E402

FORMATS = (("text", "expected.txt"), ("markdown", "expected.md"), ("json", "expected.json"))


def git_env(day):
    return dict(os.environ, GIT_AUTHOR_NAME="Ann Auditor", GIT_AUTHOR_EMAIL="a@example.org",
                GIT_COMMITTER_NAME="Ann Auditor", GIT_COMMITTER_EMAIL="a@example.org",
                GIT_AUTHOR_DATE=f"{day}T12:00:00Z", GIT_COMMITTER_DATE=f"{day}T12:00:00Z",
                GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")


def add_all(repo):
    """Stages the tree as it is. The index is emptied first: a file rewritten with the same
    size within the index's timestamp granularity looks unchanged to `git add` (racy git)."""
    git(repo, "read-tree", "--empty")
    git(repo, "add", "-A")


def git(repo, *args, day="2026-02-18"):
    return subprocess.run(["git", *args], cwd=repo, env=git_env(day), check=True,
                          capture_output=True).stdout


def replace_tree(repo, src):
    for name in os.listdir(repo):
        if name != ".git":
            path = os.path.join(repo, name)
            shutil.rmtree(path) if os.path.isdir(path) else os.remove(path)
    shutil.copytree(src, repo, dirs_exist_ok=True)


def diff(ismsc, repo, *args):
    env = dict(os.environ, NO_COLOR="1")
    env.pop("SOURCE_DATE_EPOCH", None)
    return subprocess.run([ismsc, "diff", "-C", repo, "--date", "2026-11-23", *args],
                          capture_output=True, text=True, env=env, timeout=120)


def schema_check(c, text):
    try:
        import jsonschema
    except ImportError:
        c.check(False, "python3-jsonschema is installed (needed to validate the diff JSON)")
        return
    with open(os.path.join(ROOT, "docs", "diff.schema.json")) as f:
        schema = json.load(f)
    try:
        jsonschema.validate(json.loads(text), schema)
        c.check(True, "the JSON validates against docs/diff.schema.json")
    except jsonschema.ValidationError as e:
        c.check(False, f"the JSON validates against docs/diff.schema.json: {e.message}")


def run_case(c, ismsc, work, name):
    case = os.path.join(HERE, "diff", name)
    repo = os.path.join(work, name)
    os.makedirs(repo)
    git(repo, "init", "-q", "-b", "main")
    replace_tree(repo, os.path.join(case, "before"))
    add_all(repo)
    git(repo, "commit", "-q", "-m", "before", day="2026-02-18")
    replace_tree(repo, os.path.join(case, "after"))
    add_all(repo)
    git(repo, "commit", "-q", "-m", "after", day="2026-03-01")
    for fmt, expected_name in FORMATS:
        proc = diff(ismsc, repo, "--format", fmt, "HEAD~1", "HEAD")
        with open(os.path.join(case, expected_name), encoding="utf-8") as f:
            expected = f.read()
        ok = proc.returncode == 0 and proc.stdout == expected
        if not ok:
            print("".join(difflib.unified_diff(expected.splitlines(True),
                                               proc.stdout.splitlines(True), expected_name,
                                               "actual")) + proc.stderr)
        c.check(ok, f"{name}: {fmt} output is exactly {expected_name}")
        if fmt == "json" and proc.returncode == 0:
            schema_check(c, proc.stdout)
    # The work tree is a revision too: with nothing changed, nothing to report.
    proc = diff(ismsc, repo)
    c.check(proc.returncode == 0 and "0 added, 0 removed, 0 renamed, 0 changed" in proc.stdout,
            f"{name}: HEAD against a clean work tree shows no change")
    return repo


def bad_input(c, ismsc, work, repo):
    proc = diff(ismsc, repo, "no-such-revision")
    c.check(proc.returncode == 2 and "unknown revision 'no-such-revision'" in proc.stderr,
            f"an unknown revision: exit 2 and a clear line ({proc.returncode}, {proc.stderr!r})")
    bare = os.path.join(work, "no-manifest")
    os.makedirs(bare)
    git(bare, "init", "-q", "-b", "main")
    with open(os.path.join(bare, "README.md"), "w") as f:
        f.write("nothing here\n")
    git(bare, "add", "-A")
    git(bare, "commit", "-q", "-m", "readme")
    shutil.copy(os.path.join(repo, "isms.yaml"), bare)
    proc = diff(ismsc, bare, "HEAD")
    c.check(proc.returncode == 2 and "has no isms.yaml" in proc.stderr,
            f"a commit whose tree lacks isms.yaml: exit 2 ({proc.returncode}, {proc.stderr!r})")
    outside = os.path.join(work, "outside")
    os.makedirs(outside)
    env = dict(os.environ, GIT_CEILING_DIRECTORIES=work)
    proc = subprocess.run([ismsc, "diff", "-C", outside], capture_output=True, text=True, env=env)
    c.check(proc.returncode == 2 and "not in a Git repository" in proc.stderr,
            f"outside a repository: exit 2 ({proc.returncode}, {proc.stderr!r})")

    # A 100 MB blob: its size is read from the object header, the blob is never loaded.
    big = os.path.join(repo, "risks", "R-900.yaml")
    with open(big, "w") as f:
        f.write("id: R-900\n# " + "x" * (100 * 1024 * 1024) + "\n")
    add_all(repo)
    git(repo, "commit", "-q", "-m", "big", day="2026-03-02")
    os.remove(big)
    add_all(repo)
    git(repo, "commit", "-q", "-m", "not big", day="2026-03-03")
    proc = diff(ismsc, repo, "HEAD~1", "HEAD")
    c.check(proc.returncode == 0 and "risks/R-900.yaml:1:1: error: file of 104857" in proc.stdout
            and "[input-limit]" in proc.stdout,
            f"a 100 MB blob is a located input-limit diagnostic ({proc.returncode}, "
            f"{proc.stdout[-400:]!r} {proc.stderr!r})")

    # A corrupt object: the blob of a record file overwritten with garbage.
    with open(os.path.join(repo, "risks", "R-001.yaml"), "a") as f:
        f.write("# corrupt me\n")
    add_all(repo)
    git(repo, "commit", "-q", "-m", "to corrupt", day="2026-03-04")
    blob = git(repo, "rev-parse", "HEAD:risks/R-001.yaml").decode().strip()
    path = os.path.join(repo, ".git", "objects", blob[:2], blob[2:])
    os.chmod(path, 0o644)
    with open(path, "wb") as f:
        f.write(b"this is not a zlib stream")
    proc = diff(ismsc, repo, "HEAD~1", "HEAD")
    c.check(proc.returncode == 0 and "risks/R-001.yaml:1:1: error: cannot read" in proc.stdout,
            f"a corrupt object is a located file-unreadable diagnostic ({proc.returncode}, "
            f"{proc.stdout[-600:]!r} {proc.stderr!r})")


def markdown_budget(c, ismsc, work):
    """2,000 changed risks do not fit in one comment: the largest first, then a count."""
    repo = os.path.join(work, "budget")
    os.makedirs(os.path.join(repo, "risks"))
    git(repo, "init", "-q", "-b", "main")
    shutil.copy(os.path.join(HERE, "diff", "records", "before", "isms.yaml"), repo)

    def risks(likelihood, extra):
        for i in range(2000):
            with open(os.path.join(repo, "risks", f"R-{i:04d}.yaml"), "w") as f:
                big = extra and i == 1999
                f.write(f"id: R-{i:04d}\ntitle: Risk {i}\nowner: {'COO' if big else 'CISO'}\n"
                        f"likelihood: {likelihood}\nimpact: {3 if big else 2}\n"
                        f"treatment: avoid\n")

    risks(1, False)
    add_all(repo)
    git(repo, "commit", "-q", "-m", "before")
    risks(2, True)
    add_all(repo)
    git(repo, "commit", "-q", "-m", "after", day="2026-03-01")
    proc = diff(ismsc, repo, "--format", "markdown", "HEAD~1", "HEAD")
    text = proc.stdout
    c.check(proc.returncode == 0 and len(text) < 65536,
            f"the comment fits GitHub's limit ({len(text)} characters)")
    first = text.find("**risk R-")
    c.check(text[first:first + 15] == "**risk R-1999**", "the largest change comes first")
    c.check("more changes that do not fit in one comment" in text, "a count of the rest")


def main():
    if len(sys.argv) != 2:
        print("usage: diff_cases.py ISMSC", file=sys.stderr)
        return 2
    if not shutil.which("git"):
        print("SKIP: the git program is not installed")
        return 77
    ismsc = os.path.abspath(sys.argv[1])
    c = Checks("git-diff")
    names = sorted(d for d in os.listdir(os.path.join(HERE, "diff"))
                   if os.path.isdir(os.path.join(HERE, "diff", d, "before")))
    with tempfile.TemporaryDirectory(prefix="ismsc-diff-") as work:
        repos = [run_case(c, ismsc, work, name) for name in names]
        bad_input(c, ismsc, work, repos[0])
        markdown_budget(c, ismsc, work)
    return c.finish()


if __name__ == "__main__":
    sys.exit(main())
