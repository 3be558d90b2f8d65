#!/usr/bin/env python3
"""--reference-docx brands the DOCX set as pandoc's option does.

1. A reference made here from ismsc's own output (python zipfile): Heading 1 renamed to a
   localised style id and set in DejaVu Serif, dark red; US Letter pages with 1-inch
   margins; a header of its own with a logo image; list definitions and settings that
   would clash (ids 1 and 2, footnote separators). The output must use the reference's
   style (by name), page size, header and logo, keep every id unique, drop the settings
   that need parts the output lacks, and still validate against the schemas.
2. TREE/templates/reference.docx is picked up without the option.
3. A reference that is missing or not a zip fails the build (exit 2), leaving OUT as it was.
4. Plain build only: a reference made by LibreOffice from a styled flat ODT, and both
   outputs opened in LibreOffice: the PDF uses DejaVu Serif, shows the reference's header,
   and has Letter pages. And valgrind finds no error or leak in a build with a reference.

    python3 reference.py ISMSC [ARTEFACT_DIR]
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (EXAMPLE, SCHEMAS, W, WML_PARTS, Checks, build, copy_tree, extract_parts,
                    need_tool, parts, run_ismsc, sanitized, xsd_validate)

BRAND = "ACME BRAND HEADER"
RED = "8B0000"
# A 1x1 PNG, the reference's "logo".
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
                    "0000000d49444154789c6360f8cf0000000301010018dd8db00000000049454e44ae426082")
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def q(tag):
    return f"{{{W}}}{tag}"


def make_reference(src, dst):
    """A reference DOCX derived from one of ismsc's own files."""
    ps, _ = parts(src)
    styles = ps["word/styles.xml"].decode()
    # Localised Word names its styles by language: the id changes, the name stays.
    styles = styles.replace('w:styleId="Heading1"', 'w:styleId="berschrift1"')
    styles = styles.replace('<w:basedOn w:val="Heading1"/>', '<w:basedOn w:val="berschrift1"/>')
    styles = re.sub(r'(w:styleId="berschrift1">.*?)<w:rFonts [^>]*/>', r'\1<w:rFonts '
                    r'w:ascii="DejaVu Serif" w:hAnsi="DejaVu Serif" w:cs="DejaVu Serif"/>', styles,
                    count=1, flags=re.S)
    styles = re.sub(r'(w:styleId="berschrift1">.*?<w:color w:val=")[0-9A-F]{6}', rf"\g<1>{RED}",
                    styles, count=1, flags=re.S)
    ps["word/styles.xml"] = styles.encode()
    doc = ps["word/document.xml"].decode()
    doc = re.sub(r'<w:pgSz [^>]*/>', '<w:pgSz w:w="12240" w:h="15840"/>', doc)
    doc = re.sub(r'<w:pgMar [^>]*/>', '<w:pgMar w:top="1440" w:right="1440" w:bottom="1440" '
                 'w:left="1440" w:header="720" w:footer="720" w:gutter="0"/>', doc)
    ps["word/document.xml"] = doc.encode()
    ps["word/header1.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:hdr xmlns:w="{W}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        '<w:p><w:r><w:drawing><wp:inline><wp:extent cx="180000" cy="180000"/>'
        '<wp:docPr id="1" name="logo"/><a:graphic><a:graphicData '
        'uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr>'
        '<pic:cNvPr id="1" name="logo.png"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill>'
        '<a:blip r:embed="rIdLogo"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
        '<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="180000" cy="180000"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData>'
        f'</a:graphic></wp:inline></w:drawing></w:r><w:r><w:t xml:space="preserve"> {BRAND}</w:t>'
        '</w:r></w:p></w:hdr>').encode()
    ps["word/_rels/header1.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rIdLogo" Type="{REL}image" Target="media/logo.png"/>'
        '</Relationships>').encode()
    ps["word/media/logo.png"] = PNG
    ct = ps["[Content_Types].xml"].decode()
    ps["[Content_Types].xml"] = ct.replace(
        "<Default Extension=\"xml\"", "<Default Extension=\"png\" ContentType=\"image/png\"/>"
        "<Default Extension=\"xml\"").encode()
    # Settings that would need parts the output lacks: footnote separators, a template.
    st = ps["word/settings.xml"].decode()
    st = st.replace('<w:defaultTabStop', '<w:attachedTemplate r:id="rId99" '
                    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/>'
                    '<w:defaultTabStop')
    st = st.replace('<w:characterSpacingControl', '<w:footnotePr><w:footnote w:id="-1"/>'
                    '<w:footnote w:id="0"/></w:footnotePr><w:characterSpacingControl')
    ps["word/settings.xml"] = st.encode()
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for n in ["[Content_Types].xml"] + [n for n in ps if n != "[Content_Types].xml"]:
            z.writestr(n, ps[n])


FODT = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
  xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
  xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
  xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
  office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:styles>
  <style:style style:name="Standard" style:family="paragraph"/>
  <style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph"
    style:parent-style-name="Standard" style:default-outline-level="1">
   <style:text-properties fo:font-family="'DejaVu Serif'" fo:font-size="20pt" fo:color="#{RED.lower()}"
     fo:font-weight="bold"/>
  </style:style>
 </office:styles>
 <office:automatic-styles>
  <style:page-layout style:name="pm1">
   <style:page-layout-properties fo:page-width="8.5in" fo:page-height="11in" fo:margin-top="0.6in"
     fo:margin-bottom="0.6in" fo:margin-left="1in" fo:margin-right="1in"/>
   <style:header-style/>
  </style:page-layout>
 </office:automatic-styles>
 <office:master-styles>
  <style:master-page style:name="Standard" style:page-layout-name="pm1">
   <style:header><text:p>LIBREOFFICE {BRAND}</text:p></style:header>
  </style:master-page>
 </office:master-styles>
 <office:body><office:text>
  <text:h text:style-name="Heading_20_1" text:outline-level="1">Branding sample</text:h>
  <text:p text:style-name="Standard">Body text.</text:p>
 </office:text></office:body>
</office:document>
"""


def style_of(styles_xml, name):
    """The w:style element whose w:name is `name` (case-insensitive)."""
    root = ET.fromstring(styles_xml)
    for s in root.iter(q("style")):
        n = s.find(q("name"))
        if n is not None and n.get(q("val")).lower() == name.lower():
            return s
    return None


def check_branded(c, label, out, ref_style_id, want_font, want_header, letter=True):
    pol = os.path.join(out, "policies", "POL-ISP.docx")
    ps, _ = parts(pol)
    h1 = style_of(ps["word/styles.xml"], "heading 1")
    fonts = h1.find(f"{q('rPr')}/{q('rFonts')}") if h1 is not None else None
    c.check(fonts is not None and fonts.get(q("ascii")) == want_font,
            f"{label}: the output's Heading 1 is the reference's ({want_font})")
    c.check(h1 is not None and h1.get(q("styleId")) == ref_style_id,
            f"{label}: Heading 1 keeps the reference's style id {ref_style_id}")
    body = ET.fromstring(ps["word/document.xml"])
    used = [p.get(q("val")) for p in body.iter(q("pStyle"))]
    c.check(ref_style_id in used and ("Heading1" not in used or ref_style_id == "Heading1"),
            f"{label}: headings use the reference's style id {ref_style_id}")
    styles = ET.fromstring(ps["word/styles.xml"])
    ids = [s.get(q("styleId")) for s in styles.iter(q("style"))]
    c.check(len(ids) == len(set(ids)), f"{label}: style ids stay unique")
    missing = [u for u in set(used) if u not in ids]
    c.check(not missing, f"{label}: every style the body uses is defined: {missing}")
    for want in ("TableGrid", "Code", "Caption"):
        c.check(want in ids, f"{label}: ismsc's own {want} style is added to the reference's")
    c.check(want_header in "".join(t.text or "" for t in ET.fromstring(ps["word/header1.xml"]).iter(q("t"))),
            f"{label}: the header is the reference's ({want_header})")
    sect = body.find(f"{q('body')}/{q('sectPr')}")
    sz = sect.find(q("pgSz"))
    if letter:
        c.check((sz.get(q("w")), sz.get(q("h"))) == ("12240", "15840"),
                f"{label}: the page is the reference's US Letter: {sz.attrib}")
    soa = ET.fromstring(parts(os.path.join(out, "soa.docx"))[0]["word/document.xml"])
    ssz = soa.find(f"{q('body')}/{q('sectPr')}/{q('pgSz')}")
    c.check(int(ssz.get(q("w"))) > int(ssz.get(q("h"))) and ssz.get(q("orient")) == "landscape",
            f"{label}: the SoA turns the reference's page to landscape")
    num = ET.fromstring(ps["word/numbering.xml"])
    abstract = [a.get(q("abstractNumId")) for a in num.iter(q("abstractNum"))]
    nums = [n.get(q("numId")) for n in num.iter(q("num"))]
    c.check(len(abstract) == len(set(abstract)) and len(nums) == len(set(nums)),
            f"{label}: list ids stay unique: abstract {abstract}")
    refd = {n.get(q("val")) for n in body.iter(q("numId"))}
    c.check(refd <= set(nums), f"{label}: every list the body numbers is defined")
    return ps


def main():
    ismsc = sys.argv[1]
    artefacts = sys.argv[2] if len(sys.argv) > 2 else None
    c = Checks("docx-reference")
    tmp = tempfile.mkdtemp(prefix="ismsc-docx-ref-")
    plain = os.path.join(tmp, "plain")
    p = build(ismsc, EXAMPLE, plain, "--only", "docx")
    c.check(p.returncode == 0, "example builds without a reference")
    ref = os.path.join(tmp, "reference.docx")
    make_reference(os.path.join(plain, "policies", "POL-AC.docx"), ref)

    # 1. --reference-docx
    out = os.path.join(tmp, "branded")
    p = build(ismsc, EXAMPLE, out, "--only", "docx", "--reference-docx", ref)
    c.check(p.returncode == 0, f"build with --reference-docx succeeds: {p.stderr[-300:]}")
    ps = check_branded(c, "python-made reference", out, "berschrift1", "DejaVu Serif", BRAND)
    c.check(ps.get("word/media/logo.png") == PNG and "word/_rels/header1.xml.rels" in ps,
            "the reference header's logo and its relationship come along")
    ct = ps["[Content_Types].xml"].decode()
    c.check('Extension="png"' in ct, "the logo has a content type")
    st = ps["word/settings.xml"].decode()
    c.check("footnotePr" not in st and "attachedTemplate" not in st and "defaultTabStop" in st,
            "settings that need parts the output lacks are dropped, the rest kept")
    if need_tool(c, "xmllint"):
        files = extract_parts(os.path.join(out, "policies", "POL-ISP.docx"),
                              os.path.join(tmp, "parts"), WML_PARTS)
        bad = xsd_validate(files, os.path.join(SCHEMAS, "wml.xsd"))
        c.check(not bad, f"branded parts validate against wml.xsd: {list(bad.items())[:2]}")

    # 2. templates/reference.docx of the tree.
    tree = os.path.join(tmp, "tree")
    copy_tree(EXAMPLE, tree)
    os.makedirs(os.path.join(tree, "templates"), exist_ok=True)
    shutil.copy(ref, os.path.join(tree, "templates", "reference.docx"))
    tout = os.path.join(tmp, "tree-out")
    p = build(ismsc, tree, tout, "--only", "docx")
    c.check(p.returncode == 0, f"build of a tree with templates/reference.docx succeeds: {p.stderr[-300:]}")
    check_branded(c, "templates/reference.docx", tout, "berschrift1", "DejaVu Serif", BRAND)

    # 3. Bad references fail the build and leave OUT as it was.
    before = sorted(os.listdir(os.path.join(out, "policies")))
    stamp = os.path.getmtime(os.path.join(out, "soa.docx"))
    notzip = os.path.join(tmp, "notzip.docx")
    with open(notzip, "w") as f:
        f.write("not a zip")
    nostyles = os.path.join(tmp, "nostyles.docx")
    with zipfile.ZipFile(nostyles, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
    for bad, why in [(os.path.join(tmp, "missing.docx"), "missing"), (notzip, "not a zip"),
                     (nostyles, "a zip without styles")]:
        p = build(ismsc, EXAMPLE, out, "--only", "docx", "--reference-docx", bad)
        c.check(p.returncode == 2 and "reference DOCX" in p.stderr,
                f"a {why} reference fails the build with exit 2 and says why: "
                f"{p.returncode} {p.stderr.strip()[-200:]}")
    c.check(sorted(os.listdir(os.path.join(out, "policies"))) == before and
            os.path.getmtime(os.path.join(out, "soa.docx")) == stamp,
            "a failed build leaves the previous output untouched")

    if sanitized():  # LibreOffice and valgrind: the plain build runs them
        c.finish()

    # 4. A reference made by LibreOffice, and LibreOffice reading the branded output.
    if not all([need_tool(c, t) for t in ("soffice", "pdftotext", "pdfinfo", "pdffonts", "valgrind")]):
        c.finish()
    fodt = os.path.join(tmp, "brand.fodt")
    with open(fodt, "w") as f:
        f.write(FODT)
    profile = f"file://{tmp}/profile"
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--norestore",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", tmp, fodt],
                   capture_output=True, timeout=300)
    loref = os.path.join(tmp, "brand.docx")
    if c.check(os.path.exists(loref), "LibreOffice made a reference DOCX from a styled ODT"):
        lout = os.path.join(tmp, "lo-branded")
        p = build(ismsc, EXAMPLE, lout, "--only", "docx", "--reference-docx", loref)
        c.check(p.returncode == 0, f"build with LibreOffice's reference succeeds: {p.stderr[-300:]}")
        lps, _ = parts(loref)
        loid = style_of(lps["word/styles.xml"], "heading 1").get(q("styleId"))
        check_branded(c, "LibreOffice reference", lout, loid, "DejaVu Serif", f"LIBREOFFICE {BRAND}")
        inputs = {"python": os.path.join(out, "policies", "POL-ISP.docx"),
                  "libreoffice": os.path.join(lout, "policies", "POL-ISP.docx")}
        pdfdir = os.path.join(tmp, "pdf")
        for label, path in inputs.items():
            dst = os.path.join(tmp, f"{label}-POL-ISP.docx")
            shutil.copy(path, dst)
            inputs[label] = dst
        subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--norestore",
                        "--convert-to", "pdf", "--outdir", pdfdir, *inputs.values()],
                       capture_output=True, timeout=300)
        for label, header in (("python", BRAND), ("libreoffice", f"LIBREOFFICE {BRAND}")):
            pdf = os.path.join(pdfdir, f"{label}-POL-ISP.pdf")
            if not c.check(os.path.exists(pdf), f"{label}: LibreOffice opens the branded policy"):
                continue
            fonts = subprocess.run(["pdffonts", pdf], capture_output=True, text=True).stdout
            c.check("DejaVuSerif" in fonts, f"{label}: the PDF's headings are set in DejaVu Serif")
            text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True).stdout
            c.check(header in text, f"{label}: the PDF shows the reference's header {header!r}")
            info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout
            c.check("612 x 792" in info, f"{label}: the PDF's pages are US Letter")
            if artefacts:
                os.makedirs(artefacts, exist_ok=True)
                subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", pdf,
                                os.path.join(artefacts, f"reference-{label}-POL-ISP")])

    # valgrind: a build that reads a reference leaks nothing and touches nothing it should not.
    vout = os.path.join(tmp, "valgrind")
    p = subprocess.run(["valgrind", "--quiet", "--leak-check=full",
                        "--show-leak-kinds=definite,indirect,possible",
                        "--errors-for-leak-kinds=definite,indirect,possible", "--error-exitcode=99",
                        ismsc, "build", EXAMPLE, "-o", vout, "--only", "docx", "--date",
                        "2026-11-23", "--reference-docx", ref],
                       capture_output=True, text=True, timeout=600)
    c.check(p.returncode == 0, f"valgrind: no errors or leaks in a build with a reference: "
                               f"{p.returncode} {p.stderr[-800:]}")
    c.finish()


if __name__ == "__main__":
    main()
