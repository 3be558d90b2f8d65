#!/usr/bin/env python3
"""LibreOffice as the real client: every DOCX of the example, of the corpus tree, of the
hostile tree and of the Check and Act fixture (tests/docs-check) converts to PDF (one soffice run, a private profile); the PDFs hold the control
ids and titles, table cells, list items and headings the sources have; the SoA and RTP pages
are landscape; "Page X of Y" has Y = the page count (NUMPAGES was computed). Pages are
rendered to PNG under ARTEFACT_DIR for a person to look at.

    python3 libreoffice.py ISMSC ARTEFACT_DIR
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import CM, EXAMPLE, Checks, Cmark, build, check_act_tree, corpus_tree, docx_files, hostile_tree, need_tool


def soffice_pdf(files, outdir, profile, timeout=900):
    """Converts many files in one LibreOffice run (its start-up is most of the cost)."""
    os.makedirs(outdir, exist_ok=True)
    return subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                           "--norestore", "--convert-to", "pdf", "--outdir", outdir, *files],
                          capture_output=True, text=True, timeout=timeout)


def pdf_text(path):
    """The text in the order LibreOffice wrote it (-raw): a table cell's lines stay together,
    where -layout would interleave them with the cells beside it."""
    p = subprocess.run(["pdftotext", "-raw", path, "-"], capture_output=True, text=True)
    return p.stdout


def flat(s):
    """Whitespace collapsed, for finding text that a table cell or a line wrapped."""
    return re.sub(r"\s+", " ", s)


def page_sizes(path):
    p = subprocess.run(["pdfinfo", "-f", "1", "-l", "9999", path], capture_output=True, text=True)
    return [(float(w), float(h)) for w, h in
            re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", p.stdout)]


def md_texts(cm, body):
    """Heading texts, list item openings and table cells of a Markdown body, as cmark reads it."""
    root = cm.tree(body)

    def text(e):
        s = flat("".join(t.text or "" for t in e.iter() if t.tag in (CM + "text", CM + "code")))
        return s.split("[[")[0].strip()  # [[ID]] shows as "ID title": compare what precedes it

    heads = [text(h) for h in root.iter(CM + "heading")]
    items = []
    for it in list(root.iter(CM + "item")) + list(root.iter(CM + "tasklist")):
        para = it.find(CM + "paragraph")
        if para is not None:
            words = text(para).split()[:3]
            if words:
                items.append(" ".join(words))
    cells = [text(c) for c in root.iter(CM + "table_cell")]
    return heads, items, [x for x in cells if x]


def contains(pdf, s):
    """s in the PDF's text; the text of a table cell may be wrapped over lines."""
    return flat(s) in pdf or flat(s).replace(" ", "") in pdf.replace(" ", "")


def main():
    ismsc, artefacts = sys.argv[1], sys.argv[2]
    c = Checks("docx-libreoffice")
    if not all([need_tool(c, t) for t in ("soffice", "pdftotext", "pdfinfo", "pdftoppm")]):
        c.finish()
    cm = Cmark()
    tmp = tempfile.mkdtemp(prefix="ismsc-docx-lo-")
    out = os.path.join(tmp, "example")
    p = build(ismsc, EXAMPLE, out, "--only", "docx,json")
    c.check(p.returncode == 0, f"example builds: {p.stderr[-300:]}")
    ctree = os.path.join(tmp, "corpus-tree")
    ids = corpus_tree(ctree)
    cout = os.path.join(tmp, "corpus")
    build(ismsc, ctree, cout, "--only", "policies,docx,json", "--force")
    htree = os.path.join(tmp, "hostile-tree")
    hid = hostile_tree(htree)
    hout = os.path.join(tmp, "hostile")
    build(ismsc, htree, hout, "--only", "docx", "--force")
    aout = os.path.join(tmp, "check-act")
    p = build(ismsc, check_act_tree(os.path.join(tmp, "check-act-tree")), aout, "--only", "docx,json")
    c.check(p.returncode == 0, f"Check and Act fixture builds: {p.stderr[-300:]}")

    # One flat folder of inputs with unique names: example-soa.docx, corpus-POL-….docx, …
    inputs = os.path.join(tmp, "inputs")
    os.makedirs(inputs)
    names = {}
    for label, o in (("example", out), ("corpus", cout), ("hostile", hout), ("check-act", aout)):
        for n in docx_files(o):
            if label == "check-act" and not n.startswith("reviews/") and "/" in n:
                continue  # the example's policies: converted once, as example-*
            if label == "corpus" and not any(pid in n for pid in ids):
                continue
            flatname = f"{label}-{os.path.basename(n)}"
            shutil.copy(os.path.join(o, n), os.path.join(inputs, flatname))
            names[flatname] = (label, n)
    pdfs = os.path.join(tmp, "pdf")
    p = soffice_pdf([os.path.join(inputs, f) for f in sorted(names)], pdfs, os.path.join(tmp, "profile"))
    c.check(p.returncode == 0, f"soffice ran: {p.stderr[-500:]}")
    text = {}
    for f in sorted(names):
        pdf = os.path.join(pdfs, f[:-5] + ".pdf")
        if c.check(os.path.exists(pdf), f"LibreOffice converted {f} to PDF"):
            text[f] = pdf_text(pdf)
            sizes = page_sizes(pdf)
            pages = len(sizes)
            c.check(pages >= 1, f"{f}: the PDF has pages")
            # The footer's NUMPAGES field is computed: the last page says "Page N of N".
            c.check(f"Page {pages} of {pages}" in text[f],
                    f"{f}: the footer says 'Page {pages} of {pages}'")
    print(f"converted {len(text)} of {len(names)} DOCX files")

    with open(os.path.join(out, "isms.json")) as f:
        model = json.load(f)
    soa = text.get("example-soa.docx", "")
    sizes = page_sizes(os.path.join(pdfs, "example-soa.pdf"))
    c.check(sizes and all(w > h for w, h in sizes), f"soa: all {len(sizes)} pages are landscape")
    rtp_sizes = page_sizes(os.path.join(pdfs, "example-rtp.pdf"))
    c.check(rtp_sizes and all(w > h for w, h in rtp_sizes), "rtp: all pages are landscape")
    pol_sizes = page_sizes(os.path.join(pdfs, "example-POL-ISP.pdf"))
    c.check(pol_sizes and all(w < h for w, h in pol_sizes), "policies: pages are portrait")
    fsoa = flat(soa)
    # The header's and footer's DOCPROPERTY fields, as LibreOffice lays them out: the SoA's
    # number and classification from its `documents:` entry, on every page.
    soa_entry = (model["manifest"].get("documents") or {}).get("soa") or {}
    if soa_entry.get("number"):
        pages = len(sizes)
        for what in (soa_entry["number"], soa_entry.get("classification") or "internal",
                     "version " + soa_entry.get("version", "")):
            c.check(fsoa.count(what) >= pages,
                    f"soa: the header or footer shows {what!r} on each of its {pages} pages "
                    f"({fsoa.count(what)} times)")
    for x in model["records"]["controls"]:
        c.check(re.search(rf"(?<![\d.]){re.escape(x['id'])}(?![\d])", soa),
                f"soa: the PDF shows control {x['id']}")
    missing = [x["title"] for x in model["records"]["controls"] if not contains(fsoa, x["title"])]
    c.check(not missing, f"soa: the PDF shows every control title (missing: {missing[:3]})")
    for s in ["Statement of Applicability", "Document control", "Kestrel Ledger Ltd",
              "controls in the catalog", "Justification"]:
        c.check(s in fsoa, f"soa: the PDF says {s!r}")
    frtp = flat(text.get("example-rtp.docx", ""))
    for r in model["records"]["risks"]:
        c.check(r["id"] in frtp, f"rtp: the PDF shows risk {r['id']}")

    # The register's 14 columns: no header word and no risk id is broken across two lines of
    # its cell ("Likelihoo" / "d", "R-00" / "3"), as they were when every column was squeezed
    # alike (wml_table_widths now narrows the columns with the longest words only).
    reg = text.get("example-risks.docx", "")
    words = ["Risk", "Title", "Owner", "Assets", "Threat", "Vulnerability", "Likelihood", "Impact",
             "Inherent", "Option", "Treatments", "Residual"] + [r["id"] for r in model["records"]["risks"]]
    broken = [w for w in words for k in range(1, len(w)) if f"{w[:k]}\n{w[k:]}" in reg]
    c.check(reg and not broken, f"risks: no header word or risk id broken across lines: {broken[:5]}")

    def check_policy(f, pol):
        t = flat(text.get(f, ""))
        c.check(contains(t, pol["title"]), f"{f}: the PDF shows the title")
        heads, items, cells = md_texts(cm, pol.get("body") or "")
        miss = [h for h in heads if h and not contains(t, h)]
        c.check(not miss, f"{f}: the PDF shows all {len(heads)} headings (missing {miss[:3]})")
        miss = [i for i in items if not contains(t, i)]
        c.check(not miss, f"{f}: the PDF shows all {len(items)} list items (missing {miss[:3]})")
        miss = [x for x in cells if not contains(t, x)]
        c.check(not miss, f"{f}: the PDF shows all {len(cells)} table cells (missing {miss[:3]})")

    for pol in model["records"]["policies"]:
        check_policy(f"example-{pol['id']}.docx", pol)
    with open(os.path.join(cout, "isms.json")) as f:
        cmodel = json.load(f)
    for pol in cmodel["records"]["policies"]:
        if pol["id"] in ids:
            check_policy(f"corpus-{pol['id']}.docx", pol)
    h = flat(text.get(f"hostile-{hid}.docx", ""))
    # (The check boxes are drawn, but pdftotext cannot read their glyphs back.)
    for s in ["<script>alert(1)</script>", "a CDATA end ]]>", "code block with <tags> & ]]>",
              "open task", "level 11"]:
        c.check(s in h, f"hostile: the PDF shows {s!r}")

    # The Check and Act documents: every objective and metric, and every measurement.
    with open(os.path.join(aout, "isms.json")) as f:
        amodel = json.load(f)
    fobj = flat(text.get("check-act-objectives.docx", ""))
    for kind in ("objectives", "metrics"):
        for x in amodel["records"].get(kind, []):
            c.check(x["id"] in fobj and contains(fobj, x["title"]),
                    f"objectives: the PDF shows {x['id']} {x['title']!r}")
    for x in amodel["records"].get("metrics", []):
        for m in x.get("series", []):
            c.check(m["date"] in fobj, f"objectives: the PDF shows {x['id']}'s measurement of {m['date']}")
    # A date under a trend chart's bar breaks only after its year ("2025-" / "12-31"), never
    # inside a number ("2025-1" / "2-31"), which twelve narrow bars did before.
    # (The example's metrics have 12 and more measurements; the fixture's, a few.)
    for label, mod in (("example", model), ("check-act", amodel)):
        raw = text.get(f"{label}-objectives.docx", "")
        dates = {m["date"] for x in mod["records"].get("metrics", []) for m in x.get("series", [])}
        broken = [d for d in sorted(dates) for k in range(1, len(d))
                  if k != 5 and f"{d[:k]}\n{d[k:]}" in raw]
        c.check(raw and dates and not broken,
                f"{label}-objectives: dates broken inside a number: {broken[:5]}")

    faud = flat(text.get("check-act-audits.docx", ""))
    for x in amodel["records"].get("audits", []):
        c.check(x["id"] in faud, f"audits: the PDF shows {x['id']}")
        for f in x.get("findings", []):
            fid = f if isinstance(f, str) else f["id"]  # isms.json names nested records by id
            c.check(fid in faud, f"audits: the PDF shows {x['id']}'s finding {fid}")
    for x in amodel["records"].get("reviews", []):
        frev = flat(text.get(f"check-act-{x['id']}.docx", ""))
        for dec in x.get("decisions", []):
            c.check(contains(frev, dec["decision"]), f"{x['id']}: the PDF shows decision {dec['decision']!r}")
    fpack = flat(text.get("check-act-review-pack.docx", ""))
    for s in ["a) Status of actions", "d) Information security performance",
              "g) Opportunities for improvement", "since the last review: not under version control"]:
        c.check(s in fpack, f"review-pack: the PDF says {s!r}")
    fnc = flat(text.get("check-act-nonconformities.docx", ""))
    for x in amodel["records"].get("nonconformities", []):
        c.check(x["id"] in fnc, f"nonconformities: the PDF shows {x['id']}")
        for act in x.get("actions", []):
            c.check(contains(fnc, act["action"]), f"nonconformities: the PDF shows {x['id']}'s action {act['action']!r}")

    # Pages for a person to look at.
    os.makedirs(artefacts, exist_ok=True)
    for f, first, last in [("example-soa", 1, 2), ("example-rtp", 1, 2), ("example-POL-ISP", 1, 3),
                           ("example-POL-AC", 1, 2), (f"hostile-{hid}", 1, 3),
                           ("check-act-objectives", 1, 3), ("check-act-nonconformities", 1, 2)]:
        subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", str(first), "-l", str(last),
                        os.path.join(pdfs, f + ".pdf"), os.path.join(artefacts, f)])
        shutil.copy(os.path.join(pdfs, f + ".pdf"), artefacts)
    print(f"page images in {artefacts}")
    shutil.rmtree(tmp, ignore_errors=True)
    c.finish()


if __name__ == "__main__":
    main()
