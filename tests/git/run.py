#!/usr/bin/env python3
"""Document control from Git (SPEC §3 and §5): the revision stamp and the Git rules.

Every case builds a real repository with the `git` program in a temporary folder (never this
project's own repository), commits with fixed dates, and runs ismsc on it:

- the revision stamp: "modified" for a changed, a staged and an untracked file, not for an
  ignored one or a clean tree;
- approval-stale: a policy changed after approval (then re-approved: clean); a change only
  to the approval block (not stale); an exact `approved.commit`;
- approval-stale and version-unchanged on a generated document (the SoA) listed under
  `documents:`: a control changed, added and removed after approval (then re-approved:
  clean), a change elsewhere in the tree or to its entry alone (not stale), the catalog;
- acceptance-stale: a risk re-scored after its acceptance;
- version-unchanged: a change without a version bump, and a bump without a content change;
- a rename, a merge commit, a shallow clone, a tree in a subfolder of the repository, a
  repository with no commits, a folder outside any repository.

    run.py ISMSC
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from checks import Checks  # noqa: E402

MANIFEST = """organisation: Test Org
catalog: iso27001-2022
classifications: [public, internal, confidential, restricted]
risk:
  likelihood: [Rare, Unlikely, Possible, Likely, Almost certain]
  impact: [Negligible, Minor, Moderate, Major, Severe]
  accept_max: 6
  levels: [{max: 4, name: Low}, {max: 9, name: Medium}, {max: 15, name: High}, {max: 25, name: Critical}]
rules:
  soa-complete: off
  inclusion-justified: off
  policy-review-due: off
  asset-orphan: off
  risk-treated: off
"""

POLICY = """---
id: POL-AC
title: Access control policy
owner: CISO
version: "{version}"
status: approved
approved: {{by: CEO, date: {approved}}}
---
# 1. Purpose

Access is granted on need to know.

# 2. Review

Accounts unused for {days} days are disabled.
"""

RISK = """id: R-001
title: Key person leaves
owner: CEO
likelihood: {likelihood}
impact: 2
treatment: accept
acceptance: {{by: CEO, date: 2026-03-01}}
"""


class Repo:
    """A repository in a temporary folder, driven by the git program with fixed dates."""

    def __init__(self, root, tree="."):
        self.root = root
        self.tree = os.path.join(root, tree)
        os.makedirs(self.tree, exist_ok=True)
        self.env = dict(os.environ, GIT_AUTHOR_NAME="Ann Auditor", GIT_AUTHOR_EMAIL="a@example.org",
                        GIT_COMMITTER_NAME="Ann Auditor", GIT_COMMITTER_EMAIL="a@example.org",
                        GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
        self.git("init", "-q", "-b", "main")

    def git(self, *args, cwd=None):
        return subprocess.run(["git", *args], cwd=cwd or self.root, env=self.env, check=True,
                              capture_output=True, text=True).stdout

    def write(self, rel, text):
        path = os.path.join(self.tree, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)

    def commit(self, day, message):
        stamp = f"{day}T12:00:00Z"
        self.env["GIT_AUTHOR_DATE"] = self.env["GIT_COMMITTER_DATE"] = stamp
        # Emptied first: a file rewritten with the same size within the index's timestamp
        # granularity looks unchanged to `git add` (racy git).
        self.git("read-tree", "--empty")
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD").strip()


def policy(version="3.2", approved="2026-02-18", days=90):
    return POLICY.format(version=version, approved=approved, days=days)


def check(ismsc, tree, *extra):
    env = dict(os.environ, NO_COLOR="1")
    env.pop("SOURCE_DATE_EPOCH", None)
    proc = subprocess.run([ismsc, "check", tree, "--format", "json", "--date", "2026-11-23",
                           *extra], capture_output=True, text=True, env=env, timeout=60)
    if proc.returncode not in (0, 1):
        return proc.returncode, [{"rule": "exit", "message": proc.stderr}]
    return proc.returncode, json.loads(proc.stdout)["diagnostics"]


def rules(diags):
    """The rules that fired, but `readiness` (its notes list what a small test tree lacks)."""
    return sorted(d["rule"] for d in diags if d["rule"] != "readiness")


def new_tree(work, name, tree="."):
    repo = Repo(os.path.join(work, name), tree)
    repo.write("isms.yaml", MANIFEST)
    return repo


def test_stamp(c, ismsc, work):
    repo = new_tree(work, "stamp")
    repo.write("policies/POL-AC.md", policy())
    repo.write(".gitignore", "scratch/\n*.tmp\n")
    repo.commit("2026-02-18", "ISMS")

    def modified():
        out = os.path.join(work, "stamp-out")
        subprocess.run([ismsc, "build", repo.tree, "-o", out, "--only", "json", "--date",
                        "2026-11-23"], check=True, capture_output=True)
        with open(os.path.join(out, "isms.json")) as f:
            return json.load(f)["revision"]["modified"]

    c.check(modified() is False, "a clean tree is not modified")
    repo.write("scratch/notes.md", "x")
    repo.write("draft.tmp", "x")
    c.check(modified() is False, "ignored files do not make it modified")
    repo.write("risks/R-009.yaml", RISK.format(likelihood=2))
    c.check(modified() is True, "an untracked file makes it modified")
    os.remove(os.path.join(repo.tree, "risks/R-009.yaml"))
    os.rmdir(os.path.join(repo.tree, "risks"))
    repo.write("policies/POL-AC.md", policy(days=365))
    c.check(modified() is True, "a changed file makes it modified")
    repo.git("add", "policies/POL-AC.md")
    c.check(modified() is True, "a staged file makes it modified")


def test_approval(c, ismsc, work):
    repo = new_tree(work, "approval")
    repo.write("policies/POL-AC.md", policy())
    repo.commit("2026-02-18", "Access control policy 3.2")
    c.check(rules(check(ismsc, repo.tree)[1]) == [], "an approved, unchanged policy is clean")

    repo.write("policies/POL-AC.md", policy(days=365))
    repo.commit("2026-03-02", "Longer idle period")
    status, diags = check(ismsc, repo.tree)
    c.check(rules(diags) == ["approval-stale", "version-unchanged"],
            f"a change after approval is stale and unversioned ({rules(diags)})")
    stale = [d for d in diags if d["rule"] == "approval-stale"]
    msg = stale[0]["message"] if stale else ""
    c.check(stale and stale[0]["line"] == 7 and stale[0]["severity"] == "warning",
            "approval-stale is a warning on the `approved` line")
    c.check("'2. Review'" in msg and "commit " in msg and "Access control policy 3.2" in msg,
            f"the message names the commit and the changed section ({msg})")
    c.check(status == 0, "warnings alone do not fail")

    repo.write("policies/POL-AC.md", policy(version="3.3", approved="2026-03-03", days=365))
    repo.commit("2026-03-03", "Approve 3.3")
    c.check(rules(check(ismsc, repo.tree)[1]) == [], "re-approved with a new version: clean")

    repo.write("policies/POL-AC.md", policy(version="3.3", approved="2026-04-01", days=365))
    repo.commit("2026-04-01", "Re-approval only")
    c.check(rules(check(ismsc, repo.tree)[1]) == [],
            "a change to the approval block alone is not a content change")

    repo.write("policies/POL-AC.md", policy(version="3.4", approved="2026-04-01", days=365))
    repo.commit("2026-04-02", "Bump only")
    c.check(rules(check(ismsc, repo.tree)[1]) == [],
            "a version bump without a content change is clean")

    repo.write("policies/POL-AC.md", policy(version="3.4", approved="2026-04-01", days=30))
    status, diags = check(ismsc, repo.tree)
    c.check(rules(diags) == ["approval-stale", "version-unchanged"],
            f"an uncommitted change is judged too ({rules(diags)})")


CONTROL = """---
id: {id}
applicable: true
reasons: [best-practice]
status: {status}
owner: CISO
---
{body}
"""

SOA_ENTRY = """documents:
  soa: {{number: ISMS-04, version: "{version}", approved: {{by: CEO, date: {approved}}}}}
"""


def test_generated(c, ismsc, work):
    """A generated document listed under `documents:`: its content is the records it is built
    from (the SoA: the controls and the catalog), judged like a policy's."""
    repo = new_tree(work, "generated")
    repo.write("isms.yaml", MANIFEST + SOA_ENTRY.format(version="1.0", approved="2026-02-18"))
    for cid in ("A.5.1", "A.5.2"):
        repo.write(f"controls/{cid}.md", CONTROL.format(id=cid, status="implemented",
                                                        body="Done as the policy says."))
    repo.write("risks/R-001.yaml", RISK.format(likelihood=2))
    repo.commit("2026-02-18", "SoA 1.0")
    c.check(rules(check(ismsc, repo.tree)[1]) == [], "an approved, unchanged SoA is clean")

    repo.write("risks/R-001.yaml", RISK.format(likelihood=2).replace("Key person", "A key person"))
    repo.commit("2026-02-20", "Retitle a risk")
    c.check(rules(check(ismsc, repo.tree)[1]) == [],
            "a change to a record the SoA is not built from leaves it approved")

    repo.write("controls/A.5.1.md", CONTROL.format(id="A.5.1", status="partial",
                                                   body="Done as the policy says."))
    os.remove(os.path.join(repo.tree, "controls/A.5.2.md"))
    repo.write("controls/A.5.3.md", CONTROL.format(id="A.5.3", status="planned", body="Next."))
    repo.commit("2026-03-02", "Controls reassessed")
    status, diags = check(ismsc, repo.tree)
    c.check(rules(diags) == ["approval-stale", "version-unchanged"],
            f"a control changed after the SoA's approval: stale and unversioned ({rules(diags)})")
    stale = [d for d in diags if d["rule"] == "approval-stale"]
    msg = stale[0]["message"] if stale else ""
    c.check(stale and stale[0]["file"].endswith("isms.yaml") and stale[0]["line"] == 16,
            f"approval-stale is on the SoA's `approved` in isms.yaml ({stale})")
    c.check("'soa' (Statement of Applicability)" in msg and '"SoA 1.0"' in msg and
            "control A.5.1 changed" in msg and "control A.5.3 added" in msg and
            "control A.5.2 removed" in msg,
            f"the message names the document, the approved commit and each record ({msg})")
    c.check(status == 0, "warnings alone do not fail")

    repo.write("isms.yaml", MANIFEST + SOA_ENTRY.format(version="1.1", approved="2026-03-03"))
    repo.commit("2026-03-03", "Approve SoA 1.1")
    c.check(rules(check(ismsc, repo.tree)[1]) == [], "re-approved with a new version: clean")

    repo.write("isms.yaml", MANIFEST + SOA_ENTRY.format(version="1.1", approved="2026-04-01"))
    repo.commit("2026-04-01", "Re-approval only")
    c.check(rules(check(ismsc, repo.tree)[1]) == [],
            "a change to the documents: entry alone is not a content change")

    repo.write("isms.yaml", MANIFEST.replace("iso27001-2022", "iso27001-2013") +
               SOA_ENTRY.format(version="1.1", approved="2026-04-01"))
    status, diags = check(ismsc, repo.tree)
    msg = " ".join(d["message"] for d in diags if d["rule"] == "approval-stale")
    c.check("isms.yaml `catalog`" in msg,
            f"the catalog choice is the SoA's content, judged uncommitted too ({msg})")


def test_generated_listed_later(c, ismsc, work):
    """A document entered document control with the commit that first lists it: an approval
    dated before that approves what it listed then."""
    repo = new_tree(work, "listed-later")
    repo.write("controls/A.5.1.md", CONTROL.format(id="A.5.1", status="planned", body="Soon."))
    repo.commit("2026-01-10", "First controls")
    repo.write("controls/A.5.1.md", CONTROL.format(id="A.5.1", status="implemented", body="Done."))
    repo.commit("2026-02-01", "Implemented")
    repo.write("isms.yaml", MANIFEST + SOA_ENTRY.format(version="1.0", approved="2026-01-15"))
    c.check(rules(check(ismsc, repo.tree)[1]) == [],
            "listed in uncommitted work: approved with the change that lists it")
    repo.commit("2026-03-01", "Put the SoA under document control")
    c.check(rules(check(ismsc, repo.tree)[1]) == [],
            "an approval older than the listing approves what the listing commit held")


def test_approved_commit(c, ismsc, work):
    repo = new_tree(work, "commit")
    repo.write("policies/POL-AC.md", policy())
    first = repo.commit("2026-02-18", "3.2")
    repo.write("policies/POL-AC.md", policy(days=60))
    repo.commit("2026-02-18", "same day, after the approval")
    text = policy(days=60).replace("date: 2026-02-18}", f"date: 2026-02-18, commit: {first[:10]}}}")
    repo.write("policies/POL-AC.md", text)
    repo.commit("2026-02-19", "Pin the approval")
    diags = check(ismsc, repo.tree)[1]
    c.check("approval-stale" in rules(diags),
            f"approved.commit pins the approved content exactly ({rules(diags)})")
    repo.write("policies/POL-AC.md", text.replace(first[:10], "deadbeef00"))
    diags = check(ismsc, repo.tree)[1]
    msg = [d["message"] for d in diags if d["rule"] == "approval-stale"]
    c.check(msg and "not in the first-parent history" in msg[0],
            f"an approved commit that is not in the history is said so ({msg})")


def test_acceptance(c, ismsc, work):
    repo = new_tree(work, "acceptance")
    repo.write("risks/R-001.yaml", RISK.format(likelihood=2))
    repo.commit("2026-03-01", "Accept R-001")
    c.check(rules(check(ismsc, repo.tree)[1]) == [], "an accepted risk unchanged is clean")
    repo.write("risks/R-001.yaml", RISK.format(likelihood=3))
    repo.commit("2026-05-01", "Re-score R-001")
    diags = check(ismsc, repo.tree)[1]
    msg = [d["message"] for d in diags if d["rule"] == "acceptance-stale"]
    c.check(rules(diags) == ["acceptance-stale"], f"a re-score is acceptance-stale ({rules(diags)})")
    c.check(msg and "likelihood 2 -> 3" in msg[0], f"the message says what changed ({msg})")
    repo.write("risks/R-001.yaml", RISK.format(likelihood="Possible"))
    repo.commit("2026-05-02", "Label instead of number")
    diags = check(ismsc, repo.tree)[1]
    c.check("likelihood 2 -> 3" in " ".join(d["message"] for d in diags),
            "values are compared, not text: the label Possible is 3")


def test_rename(c, ismsc, work):
    repo = new_tree(work, "rename")
    repo.write("policies/access.md", policy())
    repo.commit("2026-02-18", "3.2")
    repo.git("mv", "policies/access.md", "policies/POL-AC.md", cwd=repo.tree)
    repo.commit("2026-03-01", "Rename")
    c.check(rules(check(ismsc, repo.tree)[1]) == [], "a renamed file is the same document")
    repo.write("policies/POL-AC.md", policy(days=10))
    repo.commit("2026-03-02", "Change after the rename")
    diags = check(ismsc, repo.tree)[1]
    c.check("approval-stale" in rules(diags),
            f"a change after a rename is judged against the approved version ({rules(diags)})")


def test_merge(c, ismsc, work):
    repo = new_tree(work, "merge")
    repo.write("policies/POL-AC.md", policy())
    repo.commit("2026-02-18", "3.2")
    repo.git("checkout", "-q", "-b", "topic")
    repo.write("policies/POL-AC.md", policy(days=45))
    repo.commit("2026-03-01", "Shorter idle period")
    repo.git("checkout", "-q", "main")
    repo.write("isms.yaml", MANIFEST + "title: Test ISMS\n")
    repo.commit("2026-03-02", "Title")
    repo.env["GIT_AUTHOR_DATE"] = repo.env["GIT_COMMITTER_DATE"] = "2026-03-03T12:00:00Z"
    repo.git("merge", "-q", "--no-ff", "-m", "Merge topic", "topic")
    diags = check(ismsc, repo.tree)[1]
    c.check("approval-stale" in rules(diags),
            f"a change merged from a branch is seen on the first-parent line ({rules(diags)})")


def test_subfolder(c, ismsc, work):
    repo = new_tree(work, "subfolder", tree="isms")
    repo.write("policies/POL-AC.md", policy())
    with open(os.path.join(repo.root, "README.md"), "w") as f:
        f.write("not the tree\n")
    repo.commit("2026-02-18", "3.2")
    c.check(rules(check(ismsc, repo.tree)[1]) == [], "a tree in a subfolder: clean")
    repo.write("policies/POL-AC.md", policy(days=7))
    repo.commit("2026-03-01", "Change")
    c.check("approval-stale" in rules(check(ismsc, repo.tree)[1]),
            "a tree in a subfolder: judged against its own folder's history")


def test_shallow(c, ismsc, work):
    repo = new_tree(work, "full")
    repo.write("policies/POL-AC.md", policy())
    repo.commit("2026-02-18", "3.2")
    repo.write("policies/POL-AC.md", policy(days=5))
    repo.commit("2026-03-01", "Change")
    repo.write("isms.yaml", MANIFEST + "title: T\n")
    repo.commit("2026-03-02", "Later")
    clone = os.path.join(work, "shallow")
    subprocess.run(["git", "clone", "-q", "--depth", "1", "file://" + repo.root, clone],
                   check=True, capture_output=True, env=repo.env)
    diags = check(ismsc, clone)[1]
    notes = [d for d in diags if d["rule"] == "history-unavailable"]
    c.check("approval-stale" not in rules(diags), f"a shallow clone does not guess ({rules(diags)})")
    c.check(len(notes) == 1 and notes[0]["severity"] == "note" and "shallow" in notes[0]["message"],
            f"a shallow clone says so once, as a note ({notes})")


def test_no_repository(c, ismsc, work):
    repo = new_tree(work, "unborn")
    repo.write("policies/POL-AC.md", policy())
    diags = check(ismsc, repo.tree)[1]
    c.check(rules(diags) == ["history-unavailable"] and "no commits" in " ".join(d["message"] for d in diags),
            f"a repository with no commits: one note ({diags})")
    plain = os.path.join(work, "plain")
    os.makedirs(os.path.join(plain, "policies"))
    shutil.copy(os.path.join(repo.tree, "isms.yaml"), plain)
    shutil.copy(os.path.join(repo.tree, "policies/POL-AC.md"), os.path.join(plain, "policies"))
    env_ceiling = os.environ.get("GIT_CEILING_DIRECTORIES")
    os.environ["GIT_CEILING_DIRECTORIES"] = work
    try:
        diags = check(ismsc, plain)[1]
    finally:
        if env_ceiling is None:
            del os.environ["GIT_CEILING_DIRECTORIES"]
        else:
            os.environ["GIT_CEILING_DIRECTORIES"] = env_ceiling
    c.check(rules(diags) == ["history-unavailable"]
            and "not in a Git repository" in " ".join(d["message"] for d in diags),
            f"outside a repository: one note ({diags})")


def main():
    if len(sys.argv) != 2:
        print("usage: run.py ISMSC", file=sys.stderr)
        return 2
    if not shutil.which("git"):
        print("SKIP: the git program is not installed")
        return 77
    ismsc = os.path.abspath(sys.argv[1])
    c = Checks("git")
    with tempfile.TemporaryDirectory(prefix="ismsc-git-") as work:
        for test in (test_stamp, test_approval, test_generated, test_generated_listed_later,
                     test_approved_commit, test_acceptance,
                     test_rename, test_merge, test_subfolder, test_shallow, test_no_repository):
            test(c, ismsc, work)
    return c.finish()


if __name__ == "__main__":
    sys.exit(main())
