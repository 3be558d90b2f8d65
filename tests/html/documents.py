#!/usr/bin/env python3
"""The register of controlled documents (documents.html, SPEC §3, issue 11 item 6).

On the example, built in a throwaway Git repository (a copy committed once, so the project's
own history plays no part):
- one row per controlled document: each generated document listed under `documents:` with
  its entry's number, version, owner, approver, approval date, next review and
  classification; the scope and each policy with their records'; every row says "current";
- each title links to a page the build wrote; the working views follow, classified;
- after a committed change to a control, the SoA's row (and only it) says "stale", as
  `ismsc check` reports approval-stale on it; outside a repository every approval is
  "not judged";
- the register is in the site's navigation.

    documents.py ISMSC
"""
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import DATE, EXAMPLE, Checks, rmtree, run_ismsc, temp_dir  # noqa: E402

GIT_ENV = dict(os.environ, GIT_AUTHOR_NAME="Ann Auditor", GIT_AUTHOR_EMAIL="a@example.org",
               GIT_COMMITTER_NAME="Ann Auditor", GIT_COMMITTER_EMAIL="a@example.org",
               GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1",
               GIT_AUTHOR_DATE="2026-11-20T12:00:00Z", GIT_COMMITTER_DATE="2026-11-20T12:00:00Z")


class Tables(HTMLParser):
    """Each table of a page as (caption, rows of cell texts, rows of cell hrefs); nav hrefs."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.tables, self.nav, self._cell, self._in_nav, self._caption = [], [], None, False, None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self.tables.append({"caption": "", "rows": [], "links": []})
        elif tag == "caption":
            self._caption = ""
        elif tag == "tr" and self.tables:
            self.tables[-1]["rows"].append([])
            self.tables[-1]["links"].append([])
        elif tag in ("td", "th") and self.tables:
            self._cell = ""
            self.tables[-1]["links"][-1].append(None)
        elif tag == "a" and self._cell is not None:
            self.tables[-1]["links"][-1][-1] = a.get("href")
        elif tag == "nav":
            self._in_nav = True
        elif tag == "a" and self._in_nav:
            self.nav.append(a.get("href"))

    def handle_endtag(self, tag):
        if tag == "caption" and self._caption is not None:
            self.tables[-1]["caption"] = self._caption.strip()
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None:
            self.tables[-1]["rows"][-1].append(re.sub(r"\s+", " ", self._cell).strip())
            self._cell = None
        elif tag == "nav":
            self._in_nav = False

    def handle_data(self, data):
        if self._caption is not None:
            self._caption += data
        if self._cell is not None:
            self._cell += data


def register(out):
    with open(os.path.join(out, "documents.html"), encoding="utf-8") as f:
        page = Tables(f.read())
    tables = {t["caption"]: t for t in page.tables}
    return tables, page.nav


def controlled_rows(tables):
    t = tables.get("Controlled documents") or {"rows": [[]], "links": [[]]}
    head = t["rows"][0]
    return [dict(zip(head, r), href=l[1] if len(l) > 1 else None)
            for r, l in zip(t["rows"][1:], t["links"][1:])]


def front_matter(path):
    """The few flat fields of a policy's or the scope's front matter the register shows."""
    fields = {}
    with open(path, encoding="utf-8") as f:
        text = f.read().split("---")[1]
    for line in text.splitlines():
        m = re.match(r"^(\w+): (.*)$", line)
        if m:
            fields[m.group(1)] = m.group(2).strip().strip('"')
    approved = re.search(r"approved: \{by: (.*), date: ([\d-]+)\}", text)
    if approved:
        fields["approved_by"], fields["approved_on"] = approved.groups()
    return fields


def manifest_documents():
    """isms.yaml's `documents:` entries, read with a YAML parser."""
    import yaml
    with open(os.path.join(EXAMPLE, "isms.yaml"), encoding="utf-8") as f:
        return yaml.safe_load(f).get("documents") or {}


def git(tree, *args):
    subprocess.run(["git", *args], cwd=tree, env=GIT_ENV, check=True, capture_output=True)


def build(ismsc, tree, out, env=None):
    p = run_ismsc(ismsc, "build", tree, "-o", out, "--date", DATE, env=env)
    return p.returncode == 0, p.stderr[-400:]


def test_register(c, ismsc, tree, out):
    ok, err = build(ismsc, tree, out)
    if not c.check(ok, f"the committed example builds: {err}"):
        return
    tables, nav = register(out)
    rows = controlled_rows(tables)
    by_number = {r.get("Number"): r for r in rows}
    docs = manifest_documents()
    for part, e in docs.items():
        r = by_number.get(e.get("number"), {})
        want = {"Version": e.get("version"), "Owner": e.get("owner"),
                "Approved by": (e.get("approved") or {}).get("by"),
                "Approved on": str((e.get("approved") or {}).get("date")),
                "Next review": str(e.get("review")), "Classification": e.get("classification"),
                "Approval": "current"}
        got = {k: r.get(k) for k in want}
        c.check(got == want, f"{part}: its row is its documents: entry ({got} != {want})")
        c.check(r.get("href") == f"{part}.html", f"{part}: the title links to {part}.html")
    pols = sorted(f[:-3] for f in os.listdir(os.path.join(tree, "policies")) if f.endswith(".md"))
    for pid in pols:
        fm = front_matter(os.path.join(tree, "policies", pid + ".md"))
        r = by_number.get(fm.get("number") or pid, {})
        want = {"Title": fm.get("title"), "Version": fm.get("version"), "Owner": fm.get("owner"),
                "Approved by": fm.get("approved_by"), "Approved on": fm.get("approved_on"),
                "Next review": fm.get("review", ""),
                "Classification": fm.get("classification") or "internal", "Approval": "current"}
        got = {k: r.get(k) for k in want}
        c.check(got == want, f"{pid}: its row is its record's control ({got} != {want})")
        c.check(r.get("href") == f"policies/{pid}.html", f"{pid}: the title links to its page")
    scope = front_matter(os.path.join(tree, "scope.md"))
    r = by_number.get(scope["id"], {})
    c.check(r.get("Version") == scope.get("version") and r.get("Approval") == "current",
            f"the scope is a controlled document with its record's version ({r})")
    c.check(len(rows) == len(docs) + len(pols) + 1,
            f"{len(rows)} controlled rows = {len(docs)} listed + {len(pols)} policies + the scope")
    for r in rows:
        href = (r.get("href") or "").split("#")[0]
        c.check(href and os.path.exists(os.path.join(out, href)),
                f"{r.get('Number')}: its link {r.get('href')!r} names a page of the build")
    working = tables.get("Working views", {"rows": [[]]})["rows"][1:]
    c.check(working and all(w[-1] == "internal" for w in working) and
            {"trace", "index", "documents"} <= {w[0] for w in working},
            f"the working views follow, classified internal ({[w[0] for w in working]})")
    c.check("documents.html" in nav, f"the register is in the navigation ({nav})")


def test_stale(c, ismsc, tree, out):
    path = os.path.join(tree, "controls", "people.yaml")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    changed = text.replace("status: implemented", "status: partial", 1)
    if not c.check(changed != text, "the example has an implemented people control to change"):
        return
    with open(path, "w", encoding="utf-8") as f:
        f.write(changed)
    env = dict(GIT_ENV, GIT_AUTHOR_DATE="2026-11-21T12:00:00Z",
               GIT_COMMITTER_DATE="2026-11-21T12:00:00Z")
    subprocess.run(["git", "commit", "-qam", "A people control is partial"], cwd=tree, env=env,
                   check=True, capture_output=True)
    ok, err = build(ismsc, tree, out)
    if not c.check(ok, f"the changed example builds (warnings only): {err}"):
        return
    p = run_ismsc(ismsc, "check", tree, "--date", DATE)
    c.check("'soa' (Statement of Applicability) changed after its approval" in p.stdout,
            "check reports approval-stale on the SoA")
    rows = controlled_rows(register(out)[0])
    stale = sorted(r.get("Number") for r in rows if r.get("Approval") == "stale")
    soa = manifest_documents()["soa"]["number"]
    c.check(stale == [soa], f"the register says the SoA, and only it, is stale ({stale})")


def test_no_history(c, ismsc, tree, out, work):
    plain = os.path.join(work, "plain")
    shutil.copytree(tree, plain, ignore=shutil.ignore_patterns(".git"))
    ok, err = build(ismsc, plain, out, env={"GIT_CEILING_DIRECTORIES": work})
    if not c.check(ok, f"the example outside a repository builds: {err}"):
        return
    rows = controlled_rows(register(out)[0])
    c.check(rows and all(r.get("Approval") == "not judged" for r in rows),
            f"outside a repository no approval is judged ({[r.get('Approval') for r in rows]})")


def main():
    if len(sys.argv) != 2:
        print("usage: documents.py ISMSC", file=sys.stderr)
        return 2
    if not shutil.which("git"):
        print("SKIP: the git program is not installed")
        return 77
    ismsc = os.path.abspath(sys.argv[1])
    c = Checks("html-documents")
    work = temp_dir("documents")
    try:
        tree = os.path.join(work, "tree")
        shutil.copytree(EXAMPLE, tree)
        git(tree, "init", "-q", "-b", "main")
        git(tree, "add", "-A")
        git(tree, "commit", "-qm", "The example")
        out = os.path.join(work, "out")
        test_register(c, ismsc, tree, out)
        test_no_history(c, ismsc, tree, os.path.join(work, "plain-out"), work)
        test_stale(c, ismsc, tree, out)
    finally:
        rmtree(work)
    return c.finish()


if __name__ == "__main__":
    sys.exit(main())
