#!/usr/bin/env python3
"""The example's documents printed from headless Debian Chromium (Page.printToPDF, the
page's own CSS page size), read back page by page with poppler's pdftotext -layout:

- every page of the SoA, the RTP, the risk register and a policy carries the running
  header (the document's number and title, its version, and its classification when it has
  one: the values of its document control block, read from the HTML) and the footer
  "Page N of M", N counting 1..M with M the PDF's page count;
- the wide documents (SoA, RTP, risk register) print landscape on every page, the policy
  portrait;
- no page ends with a table's header row alone: after the last header row on a page comes
  at least one line of a row (the RTP's first row is tall and used to leave its header at
  the foot of page 1).

The PDFs and a PNG of the first two pages of each (pdftoppm) are saved into ARTEFACTS.
Skipped (exit 77) when Chromium or poppler is not installed.
Usage: print.py ISMSC ARTEFACTS
"""
import base64
import html
import os
import re
import shutil
import subprocess
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cdp import CHROMIUM, Browser, CDPError  # noqa: E402
from common import Checks, build_example, rmtree, temp_dir  # noqa: E402

A4 = (595.28, 841.89)  # points, portrait
# page -> (landscape, the header row's first words: the table whose header may be orphaned)
DOCUMENTS = {"soa.html": (True, ["Control", "Title", "Applicable"]),
             "rtp.html": (True, ["Risk", "Owner", "Assets"]),
             "risks.html": (True, None),
             "policies/POL-ISP.html": (False, None)}


def control_block(path):
    """The document control block's rows, {key: value}, read from the page."""
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    block = re.search(r'<table class="doc-control">(.*?)</table>', text, re.S)
    rows = re.findall(r'<th scope="row">(.*?)</th>\s*<td>(.*?)</td>', block.group(1), re.S) if block else []
    return {html.unescape(k): html.unescape(re.sub(r"<[^>]+>", "", v)) for k, v in rows}


def page_sizes(pdf):
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "9999", pdf], capture_output=True,
                          text=True, check=True).stdout
    return [(float(w), float(h)) for w, h in
            re.findall(r"^Page +\d+ size: +([\d.]+) x ([\d.]+) pts", info, re.M)]


def squash(s):
    return re.sub(r"\s+", " ", s).strip()


def check_document(c, page, pdf, control, landscape, header_words):
    sizes = page_sizes(pdf)
    total = len(sizes)
    c.check(total >= 1, f"{page}: the PDF has no pages")
    want = (A4[1], A4[0]) if landscape else A4
    for n, (w, h) in enumerate(sizes, 1):
        c.check(abs(w - want[0]) < 2 and abs(h - want[1]) < 2,
                f"{page} page {n}: {w:.0f}x{h:.0f} pt, not A4 {'landscape' if landscape else 'portrait'}")
    text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True,
                          check=True).stdout
    pages = text.split("\f")[:total]
    number = control.get("Document id") or control.get("Document number") or ""
    version = control.get("Version", "")
    classification = control.get("Classification", "")
    c.check(number and version, f"{page}: no document number or version in its control block: {control}")
    for n, t in enumerate(pages, 1):
        lines = [ln for ln in t.splitlines() if ln.strip()]
        top, bottom = squash(lines[0]) if lines else "", squash(lines[-1]) if lines else ""
        where = f"{page} page {n} of {total}"
        c.check(top.startswith(number + " "), f"{where}: the header does not start with the number {number!r}: {top!r}")
        c.check(f"VERSION {version}".upper() in top.upper(), f"{where}: no 'Version {version}' in the header: {top!r}")
        if classification:
            c.check(classification.upper() in top.upper(),
                    f"{where}: no classification {classification!r} in the header: {top!r}")
        c.check(bottom.endswith(f"Page {n} of {total}"), f"{where}: the footer is {bottom!r}, not 'Page {n} of {total}'")
        if header_words:
            head = re.compile(r"^\s*" + r"\s+".join(header_words) + r"\b")
            body = lines[1:-1]
            last = max((i for i, ln in enumerate(body) if head.match(ln)), default=None)
            if last is not None:
                c.check(any(ln.strip() for ln in body[last + 1:]),
                        f"{where}: ends with the table's header row alone")
    return total


def main():
    ismsc, artefacts = sys.argv[1], sys.argv[2]
    missing = [t for t in ("pdftotext", "pdfinfo", "pdftoppm") if not shutil.which(t)]
    if not os.access(CHROMIUM, os.X_OK) or missing:
        print(f"SKIP: print needs {CHROMIUM} and poppler-utils ({', '.join(missing) or 'chromium'} missing)")
        sys.exit(77)
    os.makedirs(artefacts, exist_ok=True)
    c = Checks("print")
    tmp = temp_dir("print")
    try:
        out = build_example(ismsc, os.path.join(tmp, "site"))
        with Browser() as b:
            s = b.new_page()
            for page, (landscape, header_words) in DOCUMENTS.items():
                b.navigate(s, "file://" + urllib.parse.quote(os.path.join(out, page)))
                pdf = b.send("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True},
                             session=s, timeout=120)
                name = page[:-5].replace("/", "-")
                path = os.path.join(artefacts, name + ".pdf")
                with open(path, "wb") as fh:
                    fh.write(base64.b64decode(pdf["data"]))
                subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "2", path,
                                os.path.join(artefacts, name)], check=True)
                total = check_document(c, page, path, control_block(os.path.join(out, page)),
                                       landscape, header_words)
                print(f"print: {page}: {total} pages, each with its running header and 'Page N of {total}'")
    except CDPError as e:
        c.check(False, f"print: {e}")
    finally:
        rmtree(tmp)
    print(f"print: artefacts in {artefacts}")
    c.finish()


if __name__ == "__main__":
    main()
