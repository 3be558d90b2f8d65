#!/usr/bin/env python3
"""What the DOCX files say, read with python-docx (Debian's python3-docx) and counted
against the model (isms.json of the same build) and against cmark-gfm's own reading of each
Markdown body (common.Cmark): the SoA has one row per catalog control under a repeated
header row and prints in landscape; the RTP lists every risk by score; the scope shows every
item of the scope record's lists and a row per interested party; the risk method has both
scales with their criteria, the levels, the score matrix outlined at accept_max and the
acceptance authority; each policy has as
many headings of each level, list items, tables, web links and [[ID]] labels as its
Markdown; every file opens with a document control table; GFM table alignment, list
restarts, task boxes and deep nesting come through.

    python3 content.py ISMSC
"""
import json
import os
import re
import sys
import tempfile
import xml.etree.ElementTree as ET
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (DATE, EXAMPLE, W, Checks, Cmark, build, corpus_tree, hostile_tree,
                    md_counts)

try:
    import docx
    from docx.enum.section import WD_ORIENT
    from common import python_docx_reads_no_break_hyphens
    python_docx_reads_no_break_hyphens(docx)
except ImportError:  # a failure, not a skip: make test installs python3-docx
    docx = None

SOA_HEADERS = ["Control", "Title", "Applicable", "Justification", "Status", "Owner", "Policies",
               "Evidence"]
RTP_HEADERS = ["Risk", "Owner", "Assets", "Inherent", "Treatment", "Treatments", "Residual",
               "Accepted by"]
ACCEPTANCE_HEADERS = ["Risk", "Residual", "Accepted by", "Accepted on", "Until", "Entitled",
                      "May be accepted by", "Rationale"]
TREATMENT_HEADERS = ["Treatment", "Title", "Risks", "Controls", "Owner", "Resources", "Due",
                     "Completed", "Status"]


def q(tag):
    return f"{{{W}}}{tag}"


def cells(row):
    return [c.text.strip() for c in row.cells]


def xcells(row):
    """A row's cell texts with the text of hyperlinks too (python-docx 0.8 leaves it out), a
    w:noBreakHyphen read as the hyphen it shows."""
    def text(tc):
        return "".join("-" if e.tag == q("noBreakHyphen") else (e.text or "")
                       for e in tc.iter() if e.tag in (q("t"), q("noBreakHyphen")))
    return [" ".join(text(c._tc).split()) for c in row.cells]


def is_header_row(row):
    trpr = row._tr.find(q("trPr"))
    return trpr is not None and trpr.find(q("tblHeader")) is not None


def headings(d):
    """{level: [texts]} of Heading N paragraphs, and the Title paragraphs."""
    out, titles = {}, []
    for p in d.paragraphs:
        name = p.style.name if p.style is not None else ""
        if name.startswith("Heading "):
            out.setdefault(int(name.split()[1]), []).append(p.text)
        elif name == "Title":
            titles.append(p.text)
    return out, titles


def numbered(d):
    """Paragraphs of the body (tables included) that carry a list number."""
    body = d.element.body
    return [p for p in body.iter(q("p")) if p.find(f"{q('pPr')}/{q('numPr')}") is not None]


def control_rows(d):
    t = d.tables[0]
    return {cells(r)[0]: cells(r)[1] for r in t.rows if len(r.cells) == 2}


def check_control(c, name, d, want):
    got = control_rows(d)
    for k, v in want.items():
        if v:
            c.check(got.get(k) == v, f"{name}: document control {k} = {v!r} (got {got.get(k)!r})")
    c.check(DATE == got.get("Issued"), f"{name}: document control says issued {DATE}")
    c.check("Source revision" in got, f"{name}: document control has the source revision")


def hyperlink_targets(path):
    """(external targets of w:hyperlink, texts of all hyperlinks) of a DOCX."""
    with zipfile.ZipFile(path) as z:
        rels = ET.fromstring(z.read("word/_rels/document.xml.rels"))
        body = ET.fromstring(z.read("word/document.xml"))
    targets = {r.get("Id"): r.get("Target") for r in rels}
    ext, texts = [], []
    for h in body.iter(q("hyperlink")):
        rid = h.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
        if rid:
            ext.append(targets.get(rid))
        texts.append("".join(t.text or "" if t.tag == q("t") else "-" for t in h.iter()
                             if t.tag in (q("t"), q("noBreakHyphen"))))
    return ext, texts


def check_soa(c, path, model):
    d = docx.Document(path)
    s = d.sections[0]
    c.check(s.orientation == WD_ORIENT.LANDSCAPE and s.page_width > s.page_height,
            "soa: the section is landscape and wider than tall")
    m = model["manifest"]
    entry = (m.get("documents") or {}).get("soa") or {}
    check_control(c, "soa", d, {"Organisation": m["organisation"],
                                "Document number": entry.get("number") or "soa",
                                "Version": entry.get("version"),
                                "Owner": entry.get("owner") or m.get("owner"),
                                "Approved by": (entry.get("approved") or {}).get("by"),
                                "Classification": entry.get("classification") or "internal"})
    themes = [t for t in d.tables if t.rows and xcells(t.rows[0]) == SOA_HEADERS]
    controls = model["records"]["controls"]
    theme_ids = sorted({x["theme"] for x in controls})
    c.check(len(themes) == len(theme_ids), f"soa: one control table per theme: {len(themes)}")
    ids = [xcells(r)[0] for t in themes for r in t.rows[1:]]
    c.check(len(ids) == len(controls) == 93,
            f"soa: {len(ids)} control rows for {len(controls)} controls (93 in the catalog)")
    c.check(sorted(ids) == sorted(x["id"] for x in controls),
            "soa: each catalog control has exactly one row")
    c.check(all(is_header_row(t.rows[0]) and not is_header_row(t.rows[1]) for t in themes),
            "soa: each control table repeats its header row (w:tblHeader), and only that row")
    rows = sum(len(t.rows) for t in themes)
    c.check(rows == 93 + len(themes), f"soa: {rows} rows = 93 controls + {len(themes)} headers")
    by_id = {x["id"]: x for x in controls}
    for t in themes:
        for r in t.rows[1:]:
            cs = xcells(r)
            x = by_id.get(cs[0], {})
            want = "Yes" if x.get("applicable") else "No" if x.get("applicable") is False else "Not decided"
            if cs[1] != x.get("title") or cs[2] != want:
                c.check(False, f"soa: row {cs[0]} shows title and applicability of the model: {cs[:3]}")
    figures = [t for t in d.tables if any("controls in the catalog" in x.text for x in t._cells)]
    c.check(figures and "93" in figures[0]._cells[0].text,
            "soa: the summary counts say 93 controls in the catalog")
    heads, titles = headings(d)
    c.check(titles == ["Statement of Applicability"], f"soa: one Title paragraph: {titles}")
    c.check([h.split()[0] for h in heads.get(1, [])][:len(theme_ids)] == theme_ids,
            f"soa: a Heading 1 per theme, in order: {heads.get(1)}")
    with_body = [x for x in controls if (x.get("body") or "").strip()]
    c.check(len(heads.get(2, [])) == len(with_body),
            f"soa: a Heading 2 per control with implementation notes: "
            f"{len(heads.get(2, []))} vs {len(with_body)}")


def check_rtp(c, path, model):
    d = docx.Document(path)
    s = d.sections[0]
    c.check(s.page_width > s.page_height, "rtp: landscape (its risk table has 8 columns)")
    risks = model["records"]["risks"]
    t = [t for t in d.tables if t.rows and xcells(t.rows[0]) == RTP_HEADERS]
    if not c.check(len(t) == 1, "rtp: one risk table with the RTP's columns"):
        return
    rows = t[0].rows[1:]
    c.check(len(rows) == len(risks), f"rtp: {len(rows)} risk rows for {len(risks)} risks")
    order = sorted(risks, key=lambda r: (-(r.get("score") or 0), r["id"]))
    got = [xcells(r)[0].split()[0] for r in rows]
    c.check(got == [r["id"] for r in order], "rtp: risks in order of inherent score, then id")
    c.check(is_header_row(t[0].rows[0]), "rtp: the risk table repeats its header row")
    tt = [t for t in d.tables if t.rows and xcells(t.rows[0])[:2] == ["Treatment", "Title"]]
    c.check(tt and len(tt[0].rows) - 1 == len(model["records"]["treatments"]),
            "rtp: one row per treatment")
    accepted = [r for r in risks if r.get("acceptance")]
    for r in accepted:
        row = next((x for x in rows if xcells(x)[0].startswith(r["id"])), None)
        c.check(row is not None and r["acceptance"]["by"] in cells(row)[7],
                f"rtp: {r['id']} shows who accepted it")
    check_rtp_acceptance(c, d, model)
    check_rtp_treatments(c, d, model)


def check_rtp_acceptance(c, d, model):
    """Every risk has a row of the acceptance table: who, when, until, and the entitlement
    ismsc derived (acceptance_entitled), the same judgement the acceptance-authority rule
    makes."""
    risks = {r["id"]: r for r in model["records"]["risks"]}
    t = [t for t in d.tables if t.rows and cells(t.rows[0]) == ACCEPTANCE_HEADERS]
    if not c.check(len(t) == 1, "rtp: one residual risk acceptance table"):
        return
    rows = [xcells(r) for r in t[0].rows[1:]]
    c.check(sorted(r[0] for r in rows) == sorted(risks),
            f"rtp: the acceptance table has one row per risk ({len(rows)} for {len(risks)})")
    entitled = sum(1 for r in rows if r[5] == "entitled")
    want = sum(1 for r in risks.values() if r.get("acceptance_entitled") is True)
    c.check(entitled == want and want > 0,
            f"rtp: {entitled} acceptances marked entitled, as the model derives ({want})")
    for r in rows:
        x = risks.get(r[0], {})
        a = x.get("acceptance") or {}
        if a:
            c.check(r[2] == a.get("by") and r[3] == a.get("date") and
                    r[4].split(" ")[0] == (a.get("until") or ""),
                    f"rtp: {r[0]} acceptance row shows by, date and until: {r[2:5]}")
            c.check(r[6].split(", ") == x.get("acceptance_allowed", [""]) or
                    "acceptance_allowed" not in x,
                    f"rtp: {r[0]} lists who may accept it: {r[6]!r}")
        elif x.get("treatment") != "avoid":
            c.check(r[2] == "not accepted", f"rtp: {r[0]} says it is not accepted")
        has_open = any(risks_t.get("status") not in ("done", "cancelled")
                       for risks_t in model["records"]["treatments"]
                       if r[0] in (risks_t.get("risks") or []))
        c.check(("target" in r[1].split()) == (has_open and bool(x.get("residual_score"))),
                f"rtp: {r[0]} residual is labelled target exactly while a treatment is open: {r[1]!r}")


def check_rtp_treatments(c, d, model):
    """The treatment table shows resources and completion; a cancelled treatment is marked
    and not listed among a risk's treatments that count."""
    t = [t for t in d.tables if t.rows and cells(t.rows[0]) == TREATMENT_HEADERS]
    if not c.check(len(t) == 1, "rtp: the treatment table has resources and completed columns"):
        return
    rows = {xcells(r)[0]: xcells(r) for r in t[0].rows[1:]}
    ts = model["records"]["treatments"]
    c.check(len(rows) == len(ts), f"rtp: {len(rows)} treatment rows for {len(ts)} treatments")
    for x in ts:
        r = rows.get(x["id"])
        if not c.check(r is not None, f"rtp: {x['id']} has a row"):
            continue
        c.check(r[5] == (x.get("resources") or "") and r[7] == (x.get("completed") or ""),
                f"rtp: {x['id']} shows its resources and completion date: {r[5]!r}, {r[7]!r}")
        if x.get("status") == "cancelled":
            c.check("cancelled" in r[8], f"rtp: cancelled {x['id']} is marked: {r[8]!r}")
    with_resources = sum(1 for x in ts if x.get("resources"))
    c.check(with_resources > 0, f"rtp: the example's treatments name resources ({with_resources})")
    risk_table = [t for t in d.tables if t.rows and cells(t.rows[0]) == RTP_HEADERS][0]
    for x in ts:
        if x.get("status") != "cancelled":
            continue
        for row in risk_table.rows[1:]:
            cs = xcells(row)
            if cs[0].split()[0] in x.get("risks", []):
                text = cs[5]
                c.check(f"{x['id']} cancelled" in text,
                        f"rtp: {cs[0].split()[0]} marks cancelled {x['id']}: {text!r}")


def list_items(d):
    """Texts of the paragraphs in a list style or carrying a list number, in order."""
    out = []
    for p in d.paragraphs:
        name = p.style.name if p.style is not None else ""
        if "List" in name or p._p.find(f"{q('pPr')}/{q('numPr')}") is not None:
            out.append(p.text.strip())
    return out


def check_scope(c, path, model):
    """scope.docx: the scope record's control, every list field's items, one row per party."""
    d = docx.Document(path)
    s = model["records"]["scopes"][0]
    check_control(c, "scope", d, {"Document number": s["id"], "Version": s.get("version"),
                                  "Owner": s["owner"], "Approved by": s["approved"]["by"],
                                  "Approved on": s["approved"]["date"]})
    h, titles = headings(d)
    c.check(titles == [s["title"]], f"scope: titled with the record's title (got {titles})")
    items = list_items(d)
    for field in ("includes", "excludes", "interfaces", "locations", "internal_issues",
                  "external_issues"):
        want = s.get(field) or []
        c.check(want and all(x in items for x in want),
                f"scope: all {len(want)} items of `{field}` are list items")
    t = [t for t in d.tables if t.rows and cells(t.rows[0]) == ["Interested party",
                                                                "Relevant requirements"]]
    if c.check(len(t) == 1, "scope: one table of interested parties"):
        got = [cells(r) for r in t[0].rows[1:]]
        want = [[x["party"], x["requirements"]] for x in s["interested_parties"]]
        c.check(got == want, f"scope: {len(got)} parties with their requirements, as recorded")
    for title in ("Scope statement (4.3)", "Interfaces and dependencies", "Locations",
                  "Internal issues (4.1)", "External issues (4.1)",
                  "Interested parties and their requirements (4.2)"):
        c.check(title in h.get(1, []), f"scope: a section {title!r}")


def appetite_edges(n_l, n_i, max_score, l, i):
    """The heavy edges a matrix cell should have (the outline round scores <= accept_max)."""
    if l * i > max_score:
        return set()
    e = set()
    if l == n_l or (l + 1) * i > max_score:
        e.add("top")
    if i == n_i or l * (i + 1) > max_score:
        e.add("right")
    if i == 1:
        e.add("left")
    if l == 1:
        e.add("bottom")
    return e


def check_method(c, path, model):
    """method.docx: both scales with their criteria, the levels, the score matrix with the
    acceptance outline, the acceptance authority and the reassessment interval."""
    d = docx.Document(path)
    rm = model["manifest"]["risk"]
    for scale, label in (("likelihood", "Likelihood"), ("impact", "Impact")):
        t = [t for t in d.tables if t.rows and cells(t.rows[0]) == ["Value", label, "Criteria"]]
        if not c.check(len(t) == 1, f"method: one {scale} table"):
            continue
        got = [cells(r) for r in t[0].rows[1:]]
        n = len(rm[scale])
        want = [[str(v), rm[scale][v - 1], rm[scale + "_criteria"][v - 1]] for v in range(n, 0, -1)]
        c.check(got == want, f"method: the {scale} table has its {n} steps with their criteria")
    t = [t for t in d.tables if t.rows and cells(t.rows[0]) == ["Level", "Scores"]]
    if c.check(len(t) == 1, "method: one table of levels"):
        c.check([cells(r)[0] for r in t[0].rows[1:]] == [x["name"] for x in rm["levels"]],
                "method: the levels in order")
    n_l, n_i = len(rm["likelihood"]), len(rm["impact"])
    grid = [t for t in d.tables if len(t.rows) == n_l + 1 and len(t.rows[0].cells) == n_i + 1
            and cells(t.rows[-1])[1:] == rm["impact"]]
    if c.check(len(grid) == 1, "method: one score matrix"):
        rows = grid[0].rows
        ok_scores, ok_edges = True, True
        for r, row in enumerate(rows[:-1]):
            l = n_l - r
            for i in range(1, n_i + 1):
                cell = row.cells[i]
                ok_scores &= cell.text.strip() == str(l * i)
                b = cell._tc.find(f"{q('tcPr')}/{q('tcBorders')}")
                got = {e.tag.split("}")[1] for e in b} if b is not None else set()
                ok_edges &= got == appetite_edges(n_l, n_i, rm["accept_max"], l, i)
        c.check(ok_scores, "method: each matrix cell holds likelihood x impact")
        c.check(ok_edges, f"method: heavy borders outline the cells scoring {rm['accept_max']} or less")
    text = "\n".join(p.text for p in d.paragraphs)
    c.check(f"score {rm['accept_max']} or less" in text,
            "method: the acceptance threshold is said in words too")
    t = [t for t in d.tables if t.rows and cells(t.rows[0]) == ["Scores", "May be accepted by"]]
    if c.check(len(t) == 1, "method: one acceptance authority table"):
        c.check(len(t[0].rows) - 1 == len(rm["acceptance_authority"]),
                "method: one row per acceptance authority band")
    c.check(f"every {rm['reassess_days']} days" in text, "method: the reassessment interval")
def check_register(c, path, model):
    """The risk register as DOCX: landscape (its table has 14 columns), a row per risk and
    per asset under a repeated header, both heat maps' cell tables, and document control."""
    d = docx.Document(path)
    s = d.sections[0]
    c.check(s.page_width > s.page_height, "risks: the register prints landscape")
    entry = (model["manifest"].get("documents") or {}).get("risks") or {}
    check_control(c, "risks", d, {"Document number": entry.get("number") or "risks",
                                  "Organisation": model["manifest"]["organisation"]})
    risks, assets = model["records"]["risks"], model["records"]["assets"]
    reg = [t for t in d.tables if t.rows and xcells(t.rows[0])[:3] == ["Risk", "Title", "Owner"]]
    if c.check(len(reg) == 1, "risks: one register table"):
        rows = [xcells(r) for r in reg[0].rows[1:]]
        c.check([r[0] for r in rows] == sorted((r["id"] for r in risks), key=natural),
                f"risks: one row per risk, in id order ({len(rows)} for {len(risks)})")
        c.check(is_header_row(reg[0].rows[0]) and not is_header_row(reg[0].rows[1]),
                "risks: the register repeats its header row, and only that row")
        by_id = {r["id"]: r for r in risks}
        for r in rows:
            x = by_id.get(r[0], {})
            c.check(r[1] == x.get("title") and r[8].startswith(str(x.get("score"))),
                    f"risks: {r[0]} shows its title and inherent score: {r[1]!r}, {r[8]!r}")
    at = [t for t in d.tables if t.rows and xcells(t.rows[0])[:2] == ["Asset", "Title"]]
    c.check(at and len(at[0].rows) - 1 == len(assets),
            f"risks: one row per asset ({len(at[0].rows) - 1 if at else 0} for {len(assets)})")
    cells_tables = [t for t in d.tables if t.rows and xcells(t.rows[0]) == ["Cell", "Likelihood", "Impact", "Risks"]]
    c.check(len(cells_tables) == 2, f"risks: the inherent and residual cell tables ({len(cells_tables)})")
    placed = sum(len(xcells(r)[3].split(", ")) for r in cells_tables[0].rows[1:]) if cells_tables else 0
    c.check(placed == len(risks), f"risks: the inherent heat map places every risk ({placed} of {len(risks)})")


def natural(s):
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", s)]


def check_policy(c, cm, path, p, model, label, expect_control=True):
    d = docx.Document(path)
    name = f"{label} {p['id']}"
    body = p.get("body") or ""
    want = md_counts(cm, body)
    heads, titles = headings(d)
    c.check(titles == [p["title"]], f"{name}: the Title is the policy title: {titles}")
    # The revision history (SPEC §5) closes the document: a Heading 1 and its table in Git,
    # one line outside it. It is not the Markdown's.
    revisions = [t for t in d.tables if t.rows and cells(t.rows[0])[:4] ==
                 ["Version", "Date", "Author", "Approved by"]]
    if heads.get(1) and heads[1][-1] == "Revision history":
        heads[1].pop()
        c.check(len(revisions) == 1, f"{name}: the revision history has its table")
    else:
        c.check(not revisions and any(x.text.startswith("Revision history: ") for x in d.paragraphs),
                f"{name}: without a history, one line says why")
    for lv in range(1, 7):
        got = len(heads.get(lv, []))
        c.check(got == want["headings"].get(lv, 0),
                f"{name}: {got} Heading {lv} paragraphs for {want['headings'].get(lv, 0)} "
                f"level-{lv} Markdown headings")
    n = len(numbered(d))
    c.check(n == want["items"], f"{name}: {n} numbered/bulleted paragraphs for {want['items']} list items")
    c.check(len(d.tables) == want["tables"] + 1 + len(revisions),
            f"{name}: {len(d.tables)} tables = {want['tables']} GFM tables + document control"
            f" + {len(revisions)} revision history")
    ext, texts = hyperlink_targets(path)
    c.check(sorted(set(want["urls"])) == sorted({e for e in ext if not e.endswith(".docx")}),
            f"{name}: every web link of the Markdown is a hyperlink: {sorted(set(want['urls']))[:3]}")
    ids = {r["id"]: r for v in model["records"].values() for r in v}
    for ref in set(want["refs"]):
        if ref in ids:
            label_text = f"{ref} {ids[ref].get('title')}" if ids[ref].get("title") else ref
            c.check(any(t == label_text for t in texts) or
                    label_text in "".join(x.text for x in d.paragraphs) + "".join(
                        x.text for t in d.tables for x in t._cells),
                    f"{name}: [[{ref}]] shows {label_text!r}")
    if expect_control:
        a = p.get("approved") or {}
        check_control(c, name, d, {"Document number": p.get("number") or p["id"], "Version": p.get("version"),
                                   "Owner": p.get("owner"), "Approved by": a.get("by"),
                                   "Approved on": a.get("date"), "Next review": p.get("review"),
                                   "Classification": p.get("classification")})
    cp = d.core_properties
    c.check(cp.title == p["title"] and cp.author == model["manifest"]["organisation"] and
            cp.created is not None and cp.created.date().isoformat() == DATE,
            f"{name}: core properties: title, author = organisation, created {DATE}")
    hdr = d.sections[0].header.paragraphs[0].text if d.sections[0].header.paragraphs else ""
    c.check(p["title"] in hdr and (p.get("classification") or "") in hdr,
            f"{name}: header shows title and classification: {hdr!r}")


W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docproperty_fields(xml):
    """{property name: the field's result text} of every DOCPROPERTY field of a part."""
    fields, name, result, state = {}, None, "", None
    for e in ET.fromstring(xml).iter():
        if e.tag == W_NS + "fldChar":
            kind = e.get(W_NS + "fldCharType")
            if kind == "begin":
                name, result, state = None, "", "instr"
            elif kind == "separate":
                state = "result"
            elif kind == "end":
                if name:
                    fields[name] = result
                state = None
        elif e.tag == W_NS + "instrText" and state == "instr":
            words = (e.text or "").split()
            if len(words) >= 2 and words[0] == "DOCPROPERTY":
                name = words[1]
        elif e.tag == W_NS + "t" and state == "result":
            result += e.text or ""
    return fields


def check_properties(c, name, path, want, revision):
    """Number, version, revision and classification are core and custom properties, and the
    header and footer show them through DOCPROPERTY fields whose results are their values."""
    d = docx.Document(path)
    cp = d.core_properties
    c.check(cp.identifier == want["number"] and (cp.version or None) == want.get("version") and
            cp.category == want["classification"],
            f"{name}: core properties identifier {cp.identifier!r}, version {cp.version!r}, "
            f"category {cp.category!r} are {want}")
    with zipfile.ZipFile(path) as z:
        custom = ET.fromstring(z.read("docProps/custom.xml"))
        header, footer = z.read("word/header1.xml"), z.read("word/footer1.xml")
    props = {p.get("name"): "".join(p.itertext()) for p in custom}
    expect = {"DocumentNumber": want["number"], "Classification": want["classification"],
              "Revision": revision}
    if want.get("version"):
        expect["Version"] = want["version"]
    for k, v in expect.items():
        c.check(props.get(k) == v, f"{name}: custom property {k} = {v!r} (got {props.get(k)!r})")
    shown = {**docproperty_fields(header), **docproperty_fields(footer)}
    for k in expect:
        c.check(k in shown and shown[k] == props.get(k),
                f"{name}: a DOCPROPERTY {k} field shows {props.get(k)!r} (got {shown.get(k)!r})")
    c.check(set(docproperty_fields(header)) == {"DocumentNumber", "Classification"},
            f"{name}: the header shows the number and the classification")
    hdr = d.sections[0].header.paragraphs[0].text
    c.check(want["number"] in hdr and want["classification"] in hdr,
            f"{name}: python-docx reads the header's field results: {hdr!r}")


def check_hostile(c, path):
    """GFM alignment, padded short rows, list restarts and starts, deep nesting, tasks."""
    d = docx.Document(path)
    t = [t for t in d.tables if t.rows and cells(t.rows[0]) == ["Left", "Centre", "Right", "Plain"]]
    if c.check(len(t) == 1, "hostile: the GFM table is a Word table"):
        t = t[0]
        jc = []
        for cell in t.rows[1].cells:
            e = cell.paragraphs[0]._p.find(f"{q('pPr')}/{q('jc')}")
            jc.append(e.get(q("val")) if e is not None else None)
        c.check(jc == ["left", "center", "right", None], f"hostile: column alignment kept: {jc}")
        c.check(is_header_row(t.rows[0]), "hostile: the GFM header row repeats (w:tblHeader)")
        c.check(len(t.rows) == 3 and all(len(r.cells) == 4 for r in t.rows),
                "hostile: a short row is padded to the header's four cells")
    with zipfile.ZipFile(path) as z:
        num = ET.fromstring(z.read("word/numbering.xml"))
    starts = [o.get(q("val")) for o in num.iter(q("startOverride"))]
    c.check("7" in starts, f"hostile: the list that starts at 7 starts at 7: {starts}")
    nums = [n.get(q("numId")) for n in num.iter(q("num"))]
    c.check(len(nums) == len(set(nums)) and len(nums) >= 5,
            f"hostile: each list has a w:num of its own, so numbering restarts: {len(nums)}")
    levels = [int(p.find(f"{q('pPr')}/{q('numPr')}/{q('ilvl')}").get(q("val"))) for p in numbered(d)]
    c.check(max(levels) == 8 and 0 in levels, f"hostile: 11 nested levels map onto levels 0..8")
    text = "\n".join(p.text for p in d.paragraphs)
    c.check("\u2610 open task" in text and "\u2612 done task" in text,
            "hostile: task items show \u2610 and \u2612")


def check_print_quality(c, out, model):
    """A table of contents in the long documents only (docx_toc.c), its entries the headings
    and linked to their bookmarks; and no id or date anywhere with a breakable hyphen: each
    hyphen inside one is a w:noBreakHyphen (nobreak.c), so "T-" / "014" never ends a line."""
    plain_id = re.compile(r"(?<![\w.-])(?:[A-Z][A-Z0-9._]*|\d{4})-[A-Z0-9]")
    for name, want_toc in (("soa", True), ("rtp", True), ("objectives", True),
                           ("policies/POL-ISP", False), ("audits", False)):
        path = os.path.join(out, name + ".docx")
        with zipfile.ZipFile(path) as z:
            body = ET.fromstring(z.read("word/document.xml"))
        instr = [t.text or "" for t in body.iter(q("instrText"))]
        tocs = [i for i in instr if i.strip().startswith("TOC ")]
        c.check(len(tocs) == (1 if want_toc else 0),
                f"{name}: {len(tocs)} TOC fields, expected {1 if want_toc else 0}")
        if tocs:
            c.check('\\o "1-3"' in tocs[0] and "\\h" in tocs[0], f"{name}: TOC field is {tocs[0]!r}")
            anchors = {b.get(q("name")) for b in body.iter(q("bookmarkStart"))}
            links = [h.get(q("anchor")) for h in body.iter(q("hyperlink")) if h.get(q("anchor"))]
            c.check(len(links) >= 13 and all(a in anchors for a in links),
                    f"{name}: the contents link to headings' bookmarks ({len(links)} links)")
        split = [t.text for t in body.iter(q("t")) if t.text and plain_id.search(t.text)]
        c.check(not split, f"{name}: ids or dates with a breakable hyphen: {split[:3]}")
    rtp = os.path.join(out, "rtp.docx")
    with zipfile.ZipFile(rtp) as z:
        hyphens = z.read("word/document.xml").count(b"<w:noBreakHyphen/>")
    c.check(hyphens > 100, f"rtp: {hyphens} non-breaking hyphens; every risk and treatment id has one")


def main():
    ismsc = sys.argv[1]
    c = Checks("docx-content")
    if not c.check(docx is not None, "python-docx is installed (python3-docx)"):
        c.finish()
    cm = Cmark()
    tmp = tempfile.mkdtemp(prefix="ismsc-docx-content-")
    out = os.path.join(tmp, "example")
    p = build(ismsc, EXAMPLE, out)
    c.check(p.returncode == 0, f"example builds: {p.stderr[-300:]}")
    with open(os.path.join(out, "isms.json")) as f:
        model = json.load(f)
    check_soa(c, os.path.join(out, "soa.docx"), model)
    rev = model.get("revision") or {}
    revision = (rev["commit"][:12] + ("+modified" if rev.get("modified") else "")
                if rev.get("commit") else "not under version control")
    for part, entry in (model["manifest"].get("documents") or {}).items():
        if os.path.exists(os.path.join(out, part + ".docx")):
            check_properties(c, part, os.path.join(out, part + ".docx"),
                             {"number": entry.get("number") or part,
                              "version": entry.get("version"),
                              "classification": entry.get("classification") or "internal"},
                             revision)
    # A working view: its name for a number, classified internal, no version of its own.
    check_properties(c, "review-pack", os.path.join(out, "review-pack.docx"),
                     {"number": "review-pack", "classification": "internal"}, revision)
    pol = model["records"]["policies"][0]
    check_properties(c, pol["id"], os.path.join(out, "policies", pol["id"] + ".docx"),
                     {"number": pol.get("number") or pol["id"], "version": pol.get("version"),
                      "classification": pol.get("classification") or "internal"}, revision)
    check_rtp(c, os.path.join(out, "rtp.docx"), model)
    check_print_quality(c, out, model)
    check_scope(c, os.path.join(out, "scope.docx"), model)
    check_method(c, os.path.join(out, "method.docx"), model)
    check_register(c, os.path.join(out, "risks.docx"), model)
    for pol in model["records"]["policies"]:
        check_policy(c, cm, os.path.join(out, "policies", pol["id"] + ".docx"), pol, model, "example")

    ctree = os.path.join(tmp, "corpus-tree")
    ids = corpus_tree(ctree)
    cout = os.path.join(tmp, "corpus")
    p = build(ismsc, ctree, cout, "--only", "policies,docx,json", "--force")
    with open(os.path.join(cout, "isms.json")) as f:
        cmodel = json.load(f)
    pols = {x["id"]: x for x in cmodel["records"]["policies"]}
    for pid in ids:
        path = os.path.join(cout, "policies", pid + ".docx")
        if c.check(os.path.exists(path) and pid in pols, f"corpus: {pid}.docx exists"):
            check_policy(c, cm, path, pols[pid], cmodel, "corpus")

    htree = os.path.join(tmp, "hostile-tree")
    pid = hostile_tree(htree)
    hout = os.path.join(tmp, "hostile")
    build(ismsc, htree, hout, "--force", "--only", "docx")
    check_hostile(c, os.path.join(hout, "policies", pid + ".docx"))
    c.finish()


if __name__ == "__main__":
    main()
