#!/usr/bin/env python3
"""Revision history tables and `ismsc build --since REV` (SPEC §3 and §5), on real
repositories made with the `git` program in a temporary folder:

- a policy with three versions shows three rows, newest first, with the right approvers,
  in HTML and DOCX;
- a generated document's table lists the commits that changed its records (the RTP lists a
  commit that changed a risk, not one that changed only a policy);
- outside a repository the history is one line saying so; a shallow clone says where the
  history it holds stops;
- `build --since HEAD~1`: changes.html lists the added risk and the changed policy field,
  changes.docx opens in python-docx and validates against wml.xsd, and two builds are byte
  for byte the same;
- with --real-clients: the W3C Nu checker and Chromium (every link resolves) on the pages,
  and LibreOffice opening changes.docx (each skipped, with a reason, when not installed).

    revisions.py ISMSC [--real-clients]
"""
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

try:  # before tests/ is on the path: its docx/ folder would shadow python-docx
    import docx as python_docx
except ImportError:
    python_docx = None

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, os.path.join(HERE, "..", "docx"))
from checks import Checks  # noqa: E402
from run import MANIFEST, Repo, policy  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(HERE))
EXAMPLE = os.path.join(ROOT, "examples")
DATE = "2026-11-23"

RISK = """id: {id}
title: {title}
owner: CEO
likelihood: 2
impact: 2
treatment: accept
acceptance: {{by: CEO, date: 2026-03-01}}
"""


def build(ismsc, tree, out, *extra):
    env = dict(os.environ, NO_COLOR="1")
    env.pop("SOURCE_DATE_EPOCH", None)
    return subprocess.run([ismsc, "build", tree, "-o", out, "--date", DATE, "--force", *extra],
                          capture_output=True, text=True, env=env, timeout=300)


def text_of_html(path):
    with open(path, encoding="utf-8") as f:
        s = f.read()
    s = re.sub(r"<[^>]+>", " ", s)
    return re.sub(r"\s+", " ", s.replace("&amp;", "&").replace("&#39;", "'"))


def revision_rows(path):
    """The rows of the revision history table of an HTML page, as lists of cell texts."""
    with open(path, encoding="utf-8") as f:
        s = f.read()
    m = re.search(r'<table class="revisions".*?</table>', s, re.S)
    if not m:
        return None
    rows = []
    for tr in re.findall(r"<tr.*?</tr>", m.group(0), re.S)[1:]:
        cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", tr, re.S)
        rows.append([re.sub(r"<[^>]+>", "", c).strip() for c in cells])
    return rows


def docx_text(path):
    d = python_docx.Document(path)
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def digest(folder):
    h = hashlib.sha256()
    for dirpath, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            p = os.path.join(dirpath, name)
            h.update(os.path.relpath(p, folder).encode() + b"\0")
            with open(p, "rb") as f:
                h.update(f.read())
    return h.hexdigest()


def policy_repo(work):
    """POL-AC in three versions (3.2 by CEO, 3.3 by CISO, 3.4 by COO) and a risk change."""
    repo = Repo(os.path.join(work, "policy"))
    repo.write("isms.yaml", MANIFEST + 'version: "1.0"\napproved: {by: Board, date: 2026-01-10}\n')
    repo.write("policies/POL-AC.md", policy())
    repo.write("risks/R-001.yaml", RISK.format(id="R-001", title="Key person leaves"))
    repo.commit("2026-02-18", "Access control policy 3.2")
    repo.write("policies/POL-AC.md", policy(version="3.3", days=60).replace("by: CEO", "by: CISO"))
    repo.commit("2026-03-03", "Shorter idle period")
    repo.write("risks/R-001.yaml", RISK.format(id="R-001", title="Key person leaves the company"))
    repo.commit("2026-03-10", "Reword R-001")
    repo.write("policies/POL-AC.md",
               policy(version="3.4", approved="2026-04-01", days=30).replace("by: CEO", "by: COO"))
    repo.commit("2026-04-01", "Thirty days")
    return repo


def test_policy_versions(c, ismsc, work):
    repo = policy_repo(work)
    out = os.path.join(work, "policy-out")
    p = build(ismsc, repo.tree, out)
    if not c.check(p.returncode in (0, 1), f"build of the policy repository ({p.stderr})"):
        return
    rows = revision_rows(os.path.join(out, "policies/POL-AC.html"))
    c.check(rows is not None and len(rows) == 3, f"three versions, three rows ({rows})")
    if rows and len(rows) == 3:
        c.check([r[0] for r in rows] == ["3.4", "3.3", "3.2"], f"versions newest first ({rows})")
        c.check([r[3] for r in rows] == ["COO", "CISO", "CEO"], f"the approver of each ({rows})")
        c.check([r[1] for r in rows] == ["2026-04-01", "2026-03-03", "2026-02-18"],
                f"the commits' dates ({rows})")
        c.check(rows[0][4] == "Thirty days" and rows[0][2] == "Ann Auditor",
                f"the change summary is the commit subject, the author the commit's ({rows[0]})")
    text = docx_text(os.path.join(out, "policies/POL-AC.docx")) if python_docx else ""
    # Dates' hyphens are w:noBreakHyphen in DOCX, which python-docx's text leaves out.
    c.check("Revision history" in text and
            "3.4 | 2026-04-01 | Ann Auditor | COO | Thirty days".replace("-", "") in
            text.replace("-", ""),
            "the DOCX has the same revision history table")
    rtp = revision_rows(os.path.join(out, "rtp.html"))
    subjects = [r[4] for r in rtp or []]
    c.check(subjects == ["Reword R-001", "Access control policy 3.2"],
            f"the RTP lists the commits that changed its records, not the policy's ({subjects})")
    c.check(rtp and rtp[0][0] == "1.0" and rtp[0][3] == "Board",
            f"a generated document's version and approver come from isms.yaml ({rtp})")
    clone = os.path.join(work, "policy-shallow")
    subprocess.run(["git", "clone", "-q", "--depth", "1", "file://" + repo.root, clone],
                   check=True, capture_output=True, env=repo.env)
    p = build(ismsc, clone, os.path.join(work, "shallow-out"))
    page = os.path.join(work, "shallow-out", "policies/POL-AC.html")
    shallow = revision_rows(page) if p.returncode in (0, 1) else None
    c.check(shallow is not None and len(shallow) == 1 and
            "a shallow clone: older commits are not in it" in text_of_html(page),
            f"a shallow clone: the rows it holds, and a line saying older ones are missing ({shallow})")
    trace = [r[4] for r in revision_rows(os.path.join(out, "trace.html")) or []]
    c.check(trace == ["Thirty days", "Reword R-001", "Shorter idle period",
                      "Access control policy 3.2"],
            f"the traceability matrix shows policies and risks: every commit ({trace})")
    # An edit that leaves the approval as it was: its row must not name the approver.
    repo.write("policies/POL-AC.md",
               policy(version="3.4", approved="2026-04-01", days=20).replace("by: CEO", "by: COO"))
    repo.commit("2026-05-05", "Twenty days, not yet approved")
    p = build(ismsc, repo.tree, os.path.join(work, "policy-out-edited"))
    rows = revision_rows(os.path.join(work, "policy-out-edited", "policies/POL-AC.html"))
    c.check(p.returncode in (0, 1) and rows and len(rows) == 4 and
            rows[0][3] == "not approved" and rows[1][3] == "COO",
            f"an unapproved edit reads 'not approved', the approved version its approver ({rows})")


def test_outside_repository(c, ismsc, work):
    plain = os.path.join(work, "plain")
    os.makedirs(os.path.join(plain, "policies"))
    with open(os.path.join(plain, "isms.yaml"), "w") as f:
        f.write(MANIFEST)
    with open(os.path.join(plain, "policies/POL-AC.md"), "w") as f:
        f.write(policy())
    out = os.path.join(work, "plain-out")
    saved = os.environ.get("GIT_CEILING_DIRECTORIES")
    os.environ["GIT_CEILING_DIRECTORIES"] = work
    try:
        p = build(ismsc, plain, out)
    finally:
        if saved is None:
            del os.environ["GIT_CEILING_DIRECTORIES"]
        else:
            os.environ["GIT_CEILING_DIRECTORIES"] = saved
    if not c.check(p.returncode in (0, 1), f"build outside a repository ({p.stderr})"):
        return
    for page in ("policies/POL-AC.html", "soa.html"):
        text = text_of_html(os.path.join(out, page))
        c.check(text.count("Revision history: not under version control.") == 1 and
                revision_rows(os.path.join(out, page)) is None,
                f"{page}: outside a repository, one line says so")
    p = build(ismsc, plain, os.path.join(work, "plain-since"), "--since", "HEAD")
    c.check(p.returncode == 2 and "not in a Git repository" in p.stderr,
            f"--since outside a repository is a usage error ({p.returncode}, {p.stderr})")


def since_repo(work):
    """The example, committed; then a risk added and a policy field changed."""
    repo = Repo(os.path.join(work, "since"))
    shutil.copytree(EXAMPLE, repo.tree, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns(".git", "out", "site"))
    repo.commit("2026-02-01", "The ISMS")
    repo.write("risks/R-099.yaml", RISK.format(id="R-099", title="Supplier goes bankrupt"))
    path = os.path.join(repo.tree, "policies/POL-AC.md")
    with open(path) as f:
        text = f.read()
    owner = re.search(r"(?m)^owner: (.*)$", text).group(1)
    with open(path, "w") as f:
        f.write(re.sub(r"(?m)^owner: .*$", "owner: Head of IT Operations", text, count=1))
    repo.commit("2026-03-01", "Add R-099; POL-AC has a new owner")
    return repo, owner


def test_since(c, ismsc, work, real_clients):
    repo, old_owner = since_repo(work)
    outs = [os.path.join(work, f"since-out{i}") for i in (1, 2)]
    for out in outs:
        p = build(ismsc, repo.tree, out, "--since", "HEAD~1")
        if not c.check(p.returncode in (0, 1), f"build --since HEAD~1 ({p.returncode}: {p.stderr})"):
            return []
    out = outs[0]
    c.check(digest(outs[0]) == digest(outs[1]), "two builds --since are byte for byte the same")
    html = os.path.join(out, "changes.html")
    docx_path = os.path.join(out, "changes.docx")
    if not c.check(os.path.isfile(html) and os.path.isfile(docx_path),
                   "--since adds changes.html and changes.docx"):
        return []
    text = text_of_html(html)
    added = text[text.find("Records added", text.find("Records added") + 1):]
    c.check("R-099" in added and "Supplier goes bankrupt" in added,
            "changes.html lists the added risk under Records added")
    c.check(re.search(r"POL-AC owner " + re.escape(old_owner) + r" Head of IT Operations", text),
            "changes.html shows the policy's changed field, old and new")
    c.check("Documents whose content changed" in text and "now stale" in text,
            "changes.html says the policy's approval went stale")
    plain = build(ismsc, repo.tree, os.path.join(work, "no-since"))
    c.check(plain.returncode in (0, 1) and
            not os.path.exists(os.path.join(work, "no-since", "changes.html")),
            "without --since there is no change report")
    if not c.check(python_docx, "python-docx is installed (scripts/install-deps --office)"):
        return []
    dtext = docx_text(docx_path)
    c.check("R-099" in dtext and "Head of IT Operations" in dtext,
            "changes.docx (python-docx) holds the added risk and the changed field")
    check_docx_schema(c, docx_path)
    bad = build(ismsc, repo.tree, os.path.join(work, "bad-since"), "--since", "no-such-rev")
    c.check(bad.returncode == 2 and "unknown revision 'no-such-rev'" in bad.stderr and
            not os.path.exists(os.path.join(work, "bad-since")),
            f"an unknown --since revision is exit 2 and writes nothing ({bad.stderr})")
    if real_clients:
        return run_real_clients(c, ismsc, out, work)
    return []


def check_docx_schema(c, path):
    """The package as tests/docx/structure.py checks every DOCX, and each WordprocessingML
    part against the ECMA-376 wml.xsd."""
    import structure
    from common import SCHEMAS, WML_PARTS, extract_parts, xsd_validate
    if not c.check(shutil.which("xmllint"), "xmllint is installed (scripts/install-deps --office)"):
        return
    structure.check_package(c, path, "changes.docx")
    with tempfile.TemporaryDirectory(prefix="ismsc-changes-xsd-") as tmp:
        files = extract_parts(path, tmp, WML_PARTS)
        bad = xsd_validate(files, os.path.join(SCHEMAS, "wml.xsd"))
        c.check(files and not bad, f"changes.docx validates against wml.xsd: {bad}")


def run_real_clients(c, ismsc, out, work):
    """Nu (vnu.jar), Chromium's link check (tests/html/browser.py on the site) and
    LibreOffice on changes.docx and a policy with its revision history."""
    vnu = os.path.join(ROOT, "tests", "html", "node_modules", "vnu-jar", "build", "dist", "vnu.jar")
    skipped = []
    pages = [os.path.join(out, p) for p in ("changes.html", "policies/POL-AC.html", "rtp.html")]
    if shutil.which("java") and os.path.isfile(vnu):
        p = subprocess.run(["java", "-jar", vnu, "--errors-only", *pages], capture_output=True,
                           text=True, timeout=300)
        c.check(p.returncode == 0, f"Nu finds no error in changes.html and a revision table: {p.stderr[:800]}")
    else:
        skipped.append("the Nu checker (java and tests/html/install-npm.sh)")
    browser = os.path.join(ROOT, "tests", "html", "browser.py")
    p = subprocess.run([sys.executable, browser, ismsc, os.path.join(work, "browser"), out],
                       capture_output=True, text=True, timeout=600)
    if "chrom" in (p.stdout + p.stderr).lower() and "not found" in (p.stdout + p.stderr).lower():
        skipped.append("Chromium")
    else:
        c.check(p.returncode == 0, f"Chromium: every page and link of the --since site: "
                                   f"{(p.stdout + p.stderr)[-1500:]}")
    if shutil.which("soffice") and shutil.which("pdftotext"):
        pdfs = os.path.join(work, "pdf")
        profile = os.path.join(work, "lo-profile")
        files = [os.path.join(out, "changes.docx"), os.path.join(out, "policies/POL-AC.docx")]
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                        "--norestore", "--convert-to", "pdf", "--outdir", pdfs, *files],
                       capture_output=True, text=True, timeout=900)
        for name, needle in (("changes", "R-099"), ("POL-AC", "Revision history")):
            pdf = os.path.join(pdfs, name + ".pdf")
            text = subprocess.run(["pdftotext", "-raw", pdf, "-"], capture_output=True,
                                  text=True).stdout if os.path.isfile(pdf) else ""
            c.check(needle in text, f"LibreOffice opens {name}.docx and shows '{needle}'")
    else:
        skipped.append("LibreOffice (soffice, pdftotext)")
    for what in skipped:
        print(f"SKIP: {what} is not installed; that part was not run")
    return skipped


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 1:
        print("usage: revisions.py ISMSC [--real-clients]", file=sys.stderr)
        return 2
    if not shutil.which("git"):
        print("SKIP: the git program is not installed")
        return 77
    ismsc = os.path.abspath(args[0])
    real = "--real-clients" in sys.argv
    c = Checks("git-revisions")
    with tempfile.TemporaryDirectory(prefix="ismsc-revisions-") as work:
        test_policy_versions(c, ismsc, work)
        test_outside_repository(c, ismsc, work)
        skipped = test_since(c, ismsc, work, real)
    if skipped and not c.failed:  # what could run passed; the rest is reported as skipped
        print(f"git-revisions: {c.passed} passed; skipped: {', '.join(skipped)}")
        return 77
    return c.finish()


if __name__ == "__main__":
    sys.exit(main())
