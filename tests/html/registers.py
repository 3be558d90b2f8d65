#!/usr/bin/env python3
"""The registers an auditor reads on their own (issue 14): the SoA's evidence verifiable,
--with-evidence copying and linking, the traceability page complete, the policy index.

- The SoA's evidence appendix gives, for each cited file, the digest the real `sha256sum`
  program computes from the example's file; each control's row links its implementation note.
- Without --with-evidence nothing is copied and no evidence file is linked; with it every
  cited file is in OUT/evidence/ at its tree path, byte for byte, and the SoA (HTML and
  DOCX) links it; two such builds are byte-identical.
- trace.html: every applicable control of isms.json has a row in the control view, with its
  declared reasons when no risk selects it; by risk, each risk's title is shown once.
- A cited symbolic link out of the tree is never copied, linked or hashed.
- policies.html is in every page's navigation and lists every policy with title and version.
- Counts agree with their noun: no "1 risks", "1 measurements" on any page.

Usage: registers.py ISMSC
"""
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (DATE, EXAMPLE, Checks, html_pages, read_page, rmtree, run_ismsc,  # noqa: E402
                    temp_dir, tree_digest)


def build(c, ismsc, out, *args):
    p = run_ismsc(ismsc, "build", EXAMPLE, "-o", out, "--date", DATE, *args)
    c.check(p.returncode == 0, f"build {args} exited {p.returncode}: {p.stderr}")
    with open(os.path.join(out, "isms.json"), encoding="utf-8") as f:
        return json.load(f)


def cited(model):
    """(control id, evidence entry) for each evidence item with a path."""
    return [(x["id"], e) for x in model["records"]["controls"] for e in x.get("evidence") or []
            if e.get("path")]


def appendix_rows(soa_html):
    """{path: digest} from the SoA's evidence appendix."""
    i = soa_html.find('id="evidence"')
    rows = {}
    for tr in re.findall(r"<tr>(.*?)</tr>", soa_html[i:soa_html.find("</table>", i)], re.S):
        cells = [re.sub(r"<[^>]+>", "", td) for td in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]
        if len(cells) == 5:
            rows[cells[2]] = cells[4]
            rows[("date", cells[0], cells[2])] = cells[3]
    return rows


def check_digests(c, out, model):
    with open(os.path.join(out, "soa.html"), encoding="utf-8") as f:
        soa = f.read()
    rows = appendix_rows(soa)
    paths = sorted({e["path"] for _, e in cited(model)})
    for ctl, e in cited(model):
        c.check(rows.get(("date", ctl, e["path"])) == (e.get("date") or ""),
                f"soa: {ctl} {e['path']} shows its date {e.get('date')}")
    c.check(sum(1 for _, e in cited(model) if e.get("date")) > 5, "soa: the example's evidence is dated")
    rows = {k: v for k, v in rows.items() if isinstance(k, str)}
    files = sorted(p for p in rows if not p.startswith("https://"))
    urls = sorted({e["url"] for x in model["records"]["controls"] for e in x.get("evidence") or []
                   if e.get("url")})
    c.check(paths and files == paths and sorted(set(rows) - set(files)) == urls,
            f"soa: the evidence appendix lists every cited file and URL: {len(rows)} vs {len(paths)}")
    c.check(all(not rows[u] for u in urls), "soa: a URL has no digest (there is no file to hash)")
    for path in paths:
        real = subprocess.run(["sha256sum", os.path.join(EXAMPLE, path)], capture_output=True,
                              text=True).stdout.split()[0]
        c.check(rows.get(path) == real, f"soa: {path} digest {rows.get(path)} is sha256sum's {real}")
    page = read_page(os.path.join(out, "soa.html"))
    links = [dict(a).get("href") for t, a in page.elements if t == "a"]
    notes = [x["id"] for x in model["records"]["controls"] if (x.get("body") or "").strip()]
    c.check(notes and all(f"#impl-{n}" in links for n in notes) and
            all(f"impl-{n}" in page.ids for n in notes),
            f"soa: each of the {len(notes)} controls with a note links to it from its row")
    treatments = {t["id"]: t for t in model["records"]["treatments"]}
    pending = 0
    for x in model["records"]["controls"]:
        if x.get("status") not in ("partial", "planned", "not-started"):
            continue
        m = re.search(rf'<tr id="{re.escape(x["id"])}">(.*?)</tr>', soa, re.S)
        status = re.sub(r"<[^>]+>", "", re.findall(r"<td[^>]*>(.*?)</td>", m.group(1), re.S)[4]) if m else ""
        for tid in x.get("treatments") or []:
            t = treatments[tid]
            if t.get("status") in ("done", "cancelled"):
                c.check(tid not in status, f"soa: {x['id']} does not list closed {tid}")
                continue
            pending += 1
            c.check(f"{tid} due {t.get('due')}" in status,
                    f"soa: {x['id']} ({x['status']}) names {tid} due {t.get('due')}: {status!r}")
    c.check(pending > 0, f"soa: the example has partial or planned controls with open treatments ({pending})")
    pols = {p["id"]: p for p in model["records"]["policies"]}
    text = page.all_text()
    c.check(all(f"{p['id']} {p['title']} v{p['version']}" in text for p in pols.values()),
            "soa: policies are named with their title and version")
    return soa, links


def check_without(c, out, model):
    soa, links = check_digests(c, out, model)
    c.check(not os.path.exists(os.path.join(out, "evidence")),
            "without --with-evidence: no OUT/evidence/ folder")
    c.check(not any(h and h.startswith("evidence/") for h in links),
            "without --with-evidence: no link to an evidence file")


def check_with(c, out, model):
    soa, links = check_digests(c, out, model)
    for path in sorted({e["path"] for _, e in cited(model)}):
        copy = os.path.join(out, "evidence", path)
        same = os.path.isfile(copy) and open(copy, "rb").read() == open(os.path.join(EXAMPLE, path), "rb").read()
        c.check(same, f"--with-evidence: {path} copied byte for byte to OUT/evidence/{path}")
        c.check(f"evidence/{path}" in links, f"--with-evidence: soa.html links evidence/{path}")
    with zipfile.ZipFile(os.path.join(out, "soa.docx")) as z:
        rels = z.read("word/_rels/document.xml.rels").decode()
    c.check(all(f'Target="evidence/{e["path"]}"' in rels for _, e in cited(model)),
            "--with-evidence: soa.docx links each copied file")


def check_trace(c, out, model):
    page = read_page(os.path.join(out, "trace.html"))
    with open(os.path.join(out, "trace.html"), encoding="utf-8") as f:
        html = f.read()
    i = html.find('id="by-control"')
    c.check(i > 0, "trace: has a control view")
    rows = re.findall(r"<tr>(.*?)</tr>", html[i:html.find("</table>", i)], re.S)
    shown = {}
    for tr in rows:
        cells = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", td)).strip()
                 for td in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]
        if cells:
            shown[cells[0].split()[0]] = cells
    applicable = [x for x in model["records"]["controls"] if x.get("applicable") is True]
    c.check(sorted(shown) == sorted(x["id"] for x in applicable),
            f"trace: every applicable control appears once: {len(shown)} of {len(applicable)}")
    reasons = {"legal": "Legal requirement", "contractual": "Contractual obligation",
               "business": "Business requirement", "best-practice": "Best practice"}
    no_risk = [x for x in applicable if not x.get("risks")]
    c.check(no_risk, "trace: the example has applicable controls no risk selects")
    for x in no_risk:
        want = [reasons[r] for r in x.get("reasons") or []]
        c.check(all(w in shown.get(x["id"], ["", ""])[1] for w in want),
                f"trace: {x['id']} shows its declared reasons {want}")
    text = page.all_text()
    for r in model["records"]["risks"]:
        n = text.count(f"{r['id']} {r['title']}")
        c.check(n == 1, f"trace: {r['id']}'s title is shown once, not per row ({n})")


def check_policies(c, out, model):
    page = read_page(os.path.join(out, "policies.html"))
    text = page.all_text()
    for p in model["records"]["policies"]:
        c.check(p["title"] in text and p["version"] in text,
                f"policies.html lists {p['id']} with its title and version")
    links = {dict(a).get("href") for t, a in page.elements if t == "a"}
    c.check(all(f"policies/{p['id']}.html" in links for p in model["records"]["policies"]),
            "policies.html links every policy's page")
    for rel in html_pages(out):
        pg = read_page(os.path.join(out, rel))
        hrefs = {dict(a).get("href") for t, a in pg.elements if t == "a"}
        up = "../" if "/" in rel else ""
        c.check(f"{up}policies.html" in hrefs, f"{rel}: the navigation links policies.html")
        bad = re.findall(r"(?<![\d.])1 (risks|measurements|errors|warnings|notes|policies|controls)\b",
                         pg.all_text())
        c.check(not bad, f"{rel}: a count of 1 takes the singular: {bad[:3]}")


def check_outside_link(c, ismsc, tmp):
    """A cited 'file' that is a symbolic link out of the tree is never copied, linked or
    hashed (evidence-missing reports it; --force builds the draft anyway)."""
    tree = os.path.join(tmp, "tree")
    shutil.copytree(EXAMPLE, tree, symlinks=True)
    secret = os.path.join(tmp, "secret.txt")
    with open(secret, "w") as f:
        f.write("outside the tree\n")
    os.symlink(secret, os.path.join(tree, "evidence", "leak.txt"))
    ctl = os.path.join(tree, "controls", "A.5.15.md")
    with open(ctl, encoding="utf-8") as f:
        text = f.read()
    with open(ctl, "w", encoding="utf-8") as f:
        f.write(text.replace("evidence:\n", "evidence:\n  - {path: evidence/leak.txt, title: Leak}\n", 1))
    out = os.path.join(tmp, "leak-out")
    p = run_ismsc(ismsc, "build", tree, "-o", out, "--date", DATE, "--force", "--with-evidence")
    c.check(p.returncode == 1 and "resolves outside the tree" in p.stdout + p.stderr,
            f"outside link: reported, and the draft built: {p.returncode}")
    c.check(not os.path.lexists(os.path.join(out, "evidence", "evidence", "leak.txt")),
            "outside link: not copied into OUT/evidence/")
    with open(os.path.join(out, "soa.html"), encoding="utf-8") as f:
        soa = f.read()
    c.check('href="evidence/evidence/leak.txt"' not in soa, "outside link: not linked")
    c.check(appendix_rows(soa).get("evidence/leak.txt") == "",
            "outside link: listed in the appendix without a digest")


def main():
    ismsc = sys.argv[1]
    c = Checks("registers")
    tmp = temp_dir("registers")
    try:
        plain = os.path.join(tmp, "plain")
        model = build(c, ismsc, plain)
        check_without(c, plain, model)
        check_trace(c, plain, model)
        check_policies(c, plain, model)
        with_a, with_b = os.path.join(tmp, "with-a"), os.path.join(tmp, "with-b")
        build(c, ismsc, with_a, "--with-evidence")
        check_with(c, with_a, model)
        build(c, ismsc, with_b, "--with-evidence")
        c.check(tree_digest(with_a) == tree_digest(with_b),
                "--with-evidence: two builds are byte-identical")
        check_outside_link(c, ismsc, tmp)
    finally:
        rmtree(tmp)
    c.finish()


if __name__ == "__main__":
    main()
