#!/usr/bin/env python3
"""The DOCX files as packages: every WordprocessingML part of every file validates against
the ECMA-376 transitional schemas (tests/schemas/ooxml/wml.xsd, the theme against
dml-main.xsd); the zip is what Word expects ([Content_Types].xml first, every part typed,
every relationship resolving); the bytes are the same for the same input and --date, in any
time zone; hostile text comes out escaped, and characters XML cannot carry as U+FFFD.

Trees: the example (12 files), the example with every tests/corpus/ file added as a policy,
a hostile tree (built with --force: it has a dangling [[ID]]), and the Check and Act
fixture (tests/docs-check: objectives with trend charts, audits, nonconformities, reviews).

    python3 structure.py ISMSC
"""
import os
import re
import sys
import tempfile
import xml.etree.ElementTree as ET
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (DATE, DML_PARTS, EXAMPLE, NS, SCHEMAS, W, WML_PARTS, CONTROL_BYTES, Checks,
                    build, check_act_tree, corpus_tree, docx_files, extract_parts, hostile_tree, need_tool,
                    parts, run_ismsc, xsd_validate)

REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"


def example_names():
    pols = sorted(f[:-3] for f in os.listdir(os.path.join(EXAMPLE, "policies")) if f.endswith(".md"))
    revs = sorted(os.path.splitext(f)[0] for f in os.listdir(os.path.join(EXAMPLE, "reviews")))
    return sorted(["soa.docx", "rtp.docx", "scope.docx", "method.docx", "risks.docx", "objectives.docx", "audits.docx",
                   "nonconformities.docx", "review-pack.docx"] + [f"policies/{p}.docx" for p in pols]
                  + [f"reviews/{r}.docx" for r in revs])


def text_of(xml_bytes):
    """All w:t text of a WordprocessingML part, joined."""
    root = ET.fromstring(xml_bytes)
    return "".join(t.text or "" for t in root.iter(f"{{{W}}}t"))


XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def check_spaces_kept(c, root, where):
    """A w:t whose spaces a consumer could drop or fold (at either end, two in a row, a tab
    or a line end) says xml:space="preserve"; ismsc leaves the attribute off the others."""
    loose = [t.text for t in root.iter(f"{{{W}}}t") if t.text and t.get(XML_SPACE) != "preserve"
             and (t.text != t.text.strip(" ") or "  " in t.text or any(ch in t.text for ch in "\t\n\r"))]
    c.check(not loose, f"{where}: every w:t with spaces to keep has xml:space=\"preserve\": {loose[:3]}")


def check_package(c, path, name):
    """Zip layout, content types, relationships and properties of one DOCX."""
    ps, infos = parts(path)
    c.check(infos and infos[0].filename == "[Content_Types].xml",
            f"{name}: [Content_Types].xml is the first entry")
    c.check(all(i.compress_type == zipfile.ZIP_DEFLATED for i in infos),
            f"{name}: every entry is deflated")
    y, m, d = (int(x) for x in DATE.split("-"))
    c.check(all(i.date_time == (y, m, d, 0, 0, 0) for i in infos),
            f"{name}: every entry is dated {DATE} 00:00 (the build date, not the clock): "
            f"{sorted(set(i.date_time for i in infos))}")
    with zipfile.ZipFile(path) as z:
        c.check(z.testzip() is None, f"{name}: every entry's CRC is right")
    for n, data in ps.items():
        if n.endswith(".xml") or n.endswith(".rels"):
            try:
                root = ET.fromstring(data)
            except ET.ParseError as e:
                c.check(False, f"{name}: {n} is well-formed XML: {e}")
                continue
            check_spaces_kept(c, root, f"{name}: {n}")
    # Content types: every part has one.
    ct = ET.fromstring(ps["[Content_Types].xml"])
    defaults = {e.get("Extension").lower() for e in ct.iter(CT_NS + "Default")}
    overrides = {e.get("PartName") for e in ct.iter(CT_NS + "Override")}
    for n in ps:
        if n == "[Content_Types].xml":
            continue
        ext = n.rsplit(".", 1)[-1].lower()
        c.check("/" + n in overrides or ext in defaults, f"{name}: {n} has a content type")
    for o in overrides:
        c.check(o[1:] in ps, f"{name}: content type override {o} names a part that exists")
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    c.check(any(e.get("PartName") == "/word/document.xml" and e.get("ContentType") == main
                for e in ct.iter(CT_NS + "Override")), f"{name}: document.xml is the main part")
    # Relationships: internal targets exist; every r:id of the body is declared.
    rels = ET.fromstring(ps["word/_rels/document.xml.rels"])
    ids = {}
    for r in rels.iter(REL_NS + "Relationship"):
        ids[r.get("Id")] = r
        if r.get("TargetMode") != "External":
            c.check("word/" + r.get("Target") in ps,
                    f"{name}: relationship {r.get('Id')} -> {r.get('Target')} exists")
    body = ET.fromstring(ps["word/document.xml"])
    used = {e.get(f"{{{NS['r']}}}id") for e in body.iter() if e.get(f"{{{NS['r']}}}id")}
    c.check(used <= set(ids), f"{name}: every r:id of document.xml is declared: {used - set(ids)}")
    for h in body.iter(f"{{{W}}}hyperlink"):
        rid = h.get(f"{{{NS['r']}}}id")
        if rid:
            t = ids[rid].get("Target", "") if rid in ids else ""
            c.check(ids.get(rid) is not None and ids[rid].get("TargetMode") == "External" and
                    re.match(r"(?i)(https?://|mailto:|[A-Za-z0-9./_-]+\.docx$)", t),
                    f"{name}: hyperlink {rid} goes to a web page or a DOCX of the set: {t}")
    # Bookmarks that internal hyperlinks name exist.
    marks = {b.get(f"{{{W}}}name") for b in body.iter(f"{{{W}}}bookmarkStart")}
    for h in body.iter(f"{{{W}}}hyperlink"):
        a = h.get(f"{{{W}}}anchor")
        if a:
            c.check(a in marks, f"{name}: internal link to bookmark {a} has its bookmark")
    c.check(all(len(m) <= 40 for m in marks), f"{name}: bookmark names fit Word's 40 characters")
    # Core properties: title, author = organisation, dates = the build date.
    core = ET.fromstring(ps["docProps/core.xml"])
    got = {e.tag.split("}")[1]: e.text for e in core}
    c.check(got.get("created") == f"{DATE}T00:00:00Z" and got.get("modified") == f"{DATE}T00:00:00Z",
            f"{name}: core.xml dates are the build date: {got.get('created')}")
    c.check(bool(got.get("title")), f"{name}: core.xml has a title")
    return ps


def check_example(c, out):
    names = docx_files(out)
    c.check(names == example_names(), f"example: the DOCX set is SoA, RTP, risk register, the Check and Act documents, one per policy and one per review: {names}")
    for n in names:
        ps = check_package(c, os.path.join(out, n), n)
        core = ET.fromstring(ps["docProps/core.xml"])
        got = {e.tag.split("}")[1]: e.text for e in core}
        c.check(got.get("creator") == "Kestrel Ledger Ltd",
                f"{n}: core.xml author is the organisation: {got.get('creator')}")
        c.check("Page " in text_of(ps["word/footer1.xml"]) and
                b"PAGE" in ps["word/footer1.xml"] and b"NUMPAGES" in ps["word/footer1.xml"],
                f"{n}: footer says Page X of Y with PAGE and NUMPAGES fields")
        c.check(got.get("title") in text_of(ps["word/header1.xml"]),
                f"{n}: header shows the title {got.get('title')}")


def check_determinism(c, ismsc, tmp):
    """Same input and --date: the same bytes, in any time zone and through SOURCE_DATE_EPOCH."""
    outs = []
    for i, tz in enumerate(["UTC", "Pacific/Kiritimati", "America/Los_Angeles"]):
        out = os.path.join(tmp, f"det{i}")
        p = build(ismsc, EXAMPLE, out, "--only", "docx", env={"TZ": tz})
        c.check(p.returncode == 0, f"determinism: build with TZ={tz} succeeds: {p.stderr[-300:]}")
        outs.append(out)
    sde = os.path.join(tmp, "det-sde")
    p = run_ismsc(ismsc, "build", EXAMPLE, "-o", sde, "--only", "docx",
                  env={"SOURCE_DATE_EPOCH": "1795392000", "TZ": "Asia/Tokyo"})  # 2026-11-23
    c.check(p.returncode == 0, f"determinism: build with SOURCE_DATE_EPOCH succeeds")
    outs.append(sde)
    for n in example_names():
        blobs = []
        for o in outs:
            with open(os.path.join(o, n), "rb") as f:
                blobs.append(f.read())
        c.check(all(b == blobs[0] for b in blobs),
                f"determinism: {n} is byte-identical across time zones and SOURCE_DATE_EPOCH")
    # Another date changes the dates, so they do come from --date.
    other = os.path.join(tmp, "det-other")
    p = run_ismsc(ismsc, "build", EXAMPLE, "-o", other, "--only", "docx", "--date", "2027-01-15")
    c.check(p.returncode == 0, "determinism: build with another --date succeeds")
    ps, infos = parts(os.path.join(other, "soa.docx"))
    c.check(b"2027-01-15T00:00:00Z" in ps["docProps/core.xml"] and
            all(i.date_time[:3] == (2027, 1, 15) for i in infos),
            "determinism: --date 2027-01-15 dates core.xml and the zip entries 2027-01-15")


def check_hostile(c, out, pid):
    path = os.path.join(out, "policies", pid + ".docx")
    if not c.check(os.path.exists(path), f"hostile: {pid}.docx was written"):
        return
    ps = check_package(c, path, f"hostile {pid}")
    for n, data in ps.items():
        if n.endswith(".xml") or n.endswith(".rels"):
            text = data.decode("utf-8")
            bad = [ch for ch in CONTROL_BYTES + "\x00\ufffe\uffff" if ch in text]
            c.check(not bad, f"hostile: {n} holds no character XML 1.0 forbids: {bad!r}")
    doc = text_of(ps["word/document.xml"])
    for s in ["<script>alert(1)</script>", "]]>", "a CDATA end", "& a CDATA",
              '<div onclick="evil()">raw html block & stuff</div>', "\ufffd",
              "code block with <tags> & ]]>", "\u2610 open task", "\u2612 done task"]:
        c.check(s in doc, f"hostile: the body shows {s!r} as text")
    c.check("alert('t')" in text_of(ps["word/header1.xml"]) and
            "\ufffd" in text_of(ps["word/header1.xml"]),
            "hostile: the header shows the hostile title escaped, bad characters as U+FFFD")
    core = ET.fromstring(ps["docProps/core.xml"])
    title = next((e.text for e in core if e.tag.endswith("}title")), "")
    c.check("<script>" in title and "\ufffd" in title and "\ufffe" not in title,
            f"hostile: core.xml title is escaped and cleaned: {title!r}")
    rels = ps["word/_rels/document.xml.rels"].decode()
    c.check("javascript:" not in rels, "hostile: a javascript: link is not made live")
    c.check('Target="https://example.com/a?b=1&amp;c=' in rels,
            "hostile: an https link is a hyperlink relationship, its & escaped")


def main():
    ismsc = sys.argv[1]
    c = Checks("docx-structure")
    if not need_tool(c, "xmllint"):
        c.finish()
    tmp = tempfile.mkdtemp(prefix="ismsc-docx-structure-")
    docs = []  # (tree label, out folder)
    out = os.path.join(tmp, "example")
    p = build(ismsc, EXAMPLE, out)
    c.check(p.returncode == 0, f"example builds: {p.stderr[-500:]}")
    check_example(c, out)
    docs.append(("example", out))

    ctree = os.path.join(tmp, "corpus-tree")
    ids = corpus_tree(ctree)
    cout = os.path.join(tmp, "corpus")
    p = build(ismsc, ctree, cout, "--only", "docx", "--force")
    c.check(p.returncode in (0, 1) and os.path.isdir(cout),
            f"corpus tree builds (exit {p.returncode}): {p.stderr[-500:]}")
    for pid in ids:
        path = os.path.join(cout, "policies", pid + ".docx")
        if c.check(os.path.exists(path), f"corpus: {os.path.relpath(ids[pid])} became {pid}.docx"):
            check_package(c, path, f"corpus {pid}")
    docs.append(("corpus", cout))

    htree = os.path.join(tmp, "hostile-tree")
    pid = hostile_tree(htree)
    hout = os.path.join(tmp, "hostile")
    p = build(ismsc, htree, hout, "--force")
    c.check(p.returncode == 1, f"hostile tree builds with --force (exit 1: it has errors): "
                               f"{p.returncode} {p.stderr[-300:]}")
    check_hostile(c, hout, pid)
    docs.append(("hostile", hout))

    atree = check_act_tree(os.path.join(tmp, "check-act-tree"))
    aout = os.path.join(tmp, "check-act")
    p = build(ismsc, atree, aout)
    c.check(p.returncode == 0, f"Check and Act fixture builds: {p.stderr[-500:]}")
    for n in docx_files(aout):
        check_package(c, os.path.join(aout, n), f"check-act {n}")
    docs.append(("check-act", aout))

    check_determinism(c, ismsc, tmp)

    # Every WordprocessingML part of every file against the schema, in one xmllint run.
    wml, dml = [], []
    for label, o in docs:
        for n in docx_files(o):
            dst = os.path.join(tmp, "parts", label, n)
            wml += extract_parts(os.path.join(o, n), dst, WML_PARTS)
            dml += extract_parts(os.path.join(o, n), dst, DML_PARTS)
    c.check(len(wml) >= 7 * 40, f"schema: {len(wml)} WordprocessingML parts extracted")
    bad = xsd_validate(wml, os.path.join(SCHEMAS, "wml.xsd"))
    for f, why in sorted(bad.items())[:20]:
        c.check(False, f"schema: {os.path.relpath(f, tmp)} validates against wml.xsd: {why}")
    c.check(not bad, f"schema: all {len(wml)} WordprocessingML parts validate ({len(bad)} do not)")
    bad = xsd_validate(dml, os.path.join(SCHEMAS, "dml-main.xsd"))
    c.check(not bad, f"schema: all {len(dml)} themes validate against dml-main.xsd: "
                     f"{list(bad.items())[:2]}")
    print(f"validated {len(wml)} WordprocessingML parts and {len(dml)} themes")
    c.finish()


if __name__ == "__main__":
    main()
