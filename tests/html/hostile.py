#!/usr/bin/env python3
"""A hostile tree: the example with markup, script, javascript: links, `]]>` and control
characters put where a user's text goes (titles, owners, the organisation, evidence, a policy
body). In the built pages none of it may be live:

- parsed with Python's html.parser: no script element (the site has none of its own), no
  element a text could have smuggled in (b, i, img, iframe, object, embed, form, base, link,
  a second style), no on* attribute, no javascript:/vbscript:/data: URL, no svg but the heat
  maps; the page text shows the characters as they were written;
- no C0 control character (nor DEL) in any page: HTML forbids them;
- loaded in headless Chromium: no dialog opens, no script element exists, no request leaves
  the site.

With --unsafe-html the raw HTML of Markdown bodies passes through (documented behaviour):
the policy then has its <script> and its onerror attribute, and in the browser the alert
opens; titles and other fields stay text.
Under ASan (ISMSC_SANITIZED=1, set by ctest in the sanitized build) the builds and the static
checks run, the browser does not: it tests the output, which the plain build checks.
Usage: hostile.py ISMSC
"""
import os
import re
import shutil
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (DATE, EXAMPLE, Checks, html_pages, read_page, rmtree, run_ismsc,  # noqa: E402
                    temp_dir)

ORG = 'Kestrel <b>Ledger</b> & Co "><svg onload=alert(13)> ]]>'
ASSET_TITLE = '<b>Laptops</b> & "fleet" "><svg onload=alert(1)>'
POLICY_TITLE = '<b>Evil</b> & Co "><svg onload=alert(14)> ]]>'
POLICY_OWNER = "<i>Mallory</i> & friends"
APPROVER = "<script>alert(15)</script>"
EVIDENCE_TITLE = "<b>evil</b> evidence ]]>"

_TITLE_YAML = POLICY_TITLE.replace('"', '\\"')
POLICY = f'''---
id: POL-EVIL
title: "{_TITLE_YAML} \\x03\\x9b\\uFDD0"
owner: "{POLICY_OWNER}"
version: "1.0"
status: approved
approved: {{by: "{APPROVER}", date: 2026-03-12}}
review: 2027-03-12
classification: internal
controls: [A.5.1]
---
# Heading <script>alert(1)</script>

<script>alert(1)</script>

Text with <img src=x onerror=alert(1)> inline.

<img src=x onerror=alert(2)>

CDATA end ]]> and control characters: \x01\x07\x1b\x7f\x85\x9b end; noncharacters \ufdd0\uffff\U0010ffff end.

[click me](javascript:alert(3)) and <javascript:alert(4)> and [ent](jav&#x61;script:alert(6))
and ![img](javascript:alert(7)) and ![remote](https://attacker.example/pixel.png)
and [vb](vbscript:msgbox(1)) and [data](data:text/html,<script>alert(16)</script>)

<a href="javascript:alert(8)" onclick="alert(9)">raw anchor</a>

<svg onload=alert(10)></svg>

<style>body{{display:none}}</style>

<iframe src="https://attacker.example/"></iframe>

Links to [[A.5.1]] and [[AST-LAPTOPS]].
'''

# Text that must show, as written, on the policy's page.
POLICY_SHOWS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
                "<img src=x onerror=alert(2)>", "]]>",
                '<a href="javascript:alert(8)" onclick="alert(9)">raw anchor</a>',
                "<svg onload=alert(10)></svg>", ORG, POLICY_TITLE, POLICY_OWNER, APPROVER,
                ASSET_TITLE]

FORBIDDEN_TAGS = {"script", "b", "i", "img", "iframe", "object", "embed", "form", "base",
                  "link", "frame", "frameset", "applet", "audio", "video", "source", "math"}
URL_ATTRS = {"href", "src", "xlink:href", "action", "formaction", "data", "poster", "srcset",
             "background", "cite"}
# What HTML forbids in a document: controls but ASCII whitespace (C0, DEL, C1) and
# noncharacters (U+FDD0..U+FDEF, and the last two code points of every plane).
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef"
                     + "".join(f"{chr(p * 0x10000 + 0xfffe)}{chr(p * 0x10000 + 0xffff)}"
                               for p in range(17)) + "]")


def replace_once(path, old, new):
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    if old not in text:
        sys.exit(f"hostile tree: '{old[:60]}' not in {path}: the example changed; update hostile.py")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text.replace(old, new, 1))


def yq(s):
    """A YAML double-quoted scalar."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def make_tree(dest):
    """Copies the example to dest and makes it hostile; returns dest."""
    shutil.copytree(EXAMPLE, dest)
    replace_once(os.path.join(dest, "isms.yaml"), "organisation: Kestrel Ledger Ltd",
                 f"organisation: {yq(ORG)[:-1]} \\x01\\x1b\\x85\\uFFFE\"")
    replace_once(os.path.join(dest, "assets", "AST-LAPTOPS.yaml"),
                 "title: Company-issued laptop fleet", f"title: {yq(ASSET_TITLE)[:-1]} \\x02\"")
    replace_once(os.path.join(dest, "controls", "technological.yaml"),
                 "- id: A.8.1\n  applicable: true\n  status: implemented\n  owner: Head of IT\n"
                 "  policies: [POL-AUP]\n  evidence:\n",
                 "- id: A.8.1\n  applicable: true\n  status: implemented\n  owner: Head of IT\n"
                 "  policies: [POL-AUP]\n  evidence:\n"
                 f"    - {{url: \"javascript:alert(11)\", title: {yq(EVIDENCE_TITLE)}}}\n"
                 "    - {url: \" JaVaScRiPt:alert(12)\"}\n"
                 "    - {url: \"data:text/html,<script>alert(17)</script>\"}\n")
    with open(os.path.join(dest, "policies", "POL-EVIL.md"), "w", encoding="utf-8") as fh:
        fh.write(POLICY)
    return dest


def build(ismsc, tree, out, *extra):
    p = run_ismsc(ismsc, "build", tree, "-o", out, "--date", DATE, *extra)
    if p.returncode != 0:
        sys.exit(f"ismsc build of the hostile tree failed ({p.returncode}):\n{p.stdout}{p.stderr}")
    return out


def url_is_dangerous(value):
    v = re.sub(r"[\x00-\x20\x7f]", "", value).lower()
    return v.startswith(("javascript:", "vbscript:", "data:"))


def check_static(c, out, label):
    pages = html_pages(out)
    c.check("policies/POL-EVIL.html" in pages, f"{label}: policies/POL-EVIL.html not built")
    for page in pages:
        with open(os.path.join(out, page), encoding="utf-8") as fh:
            raw = fh.read()
        bad = sorted({f"U+{ord(m):04X}" for m in CONTROL.findall(raw)})
        c.check(not bad, f"{label} {page}: control characters in the HTML: {', '.join(bad)}")
        doc = read_page(os.path.join(out, page))
        tags = [t for t, _ in doc.elements]
        for tag in sorted(FORBIDDEN_TAGS & set(tags)):
            c.check(False, f"{label} {page}: live <{tag}> element")
        c.check(tags.count("style") == 1, f"{label} {page}: {tags.count('style')} style elements")
        svgs = [dict(a) for t, a in doc.elements if t == "svg"]
        # ismsc's own drawings only: trend charts (role=img) and heat maps (role=group, so
        # that their cells' links stay reachable), each with its label.
        c.check(all(a.get("role") in ("img", "group") and a.get("aria-label") for a in svgs),
                f"{label} {page}: an svg that is not a heat map or a chart")
        for tag, attrs in doc.elements:
            for k, v in attrs:
                c.check(not k.startswith("on"), f"{label} {page}: <{tag} {k}={v!r}> event handler")
                if k in URL_ATTRS and v is not None:
                    c.check(not url_is_dangerous(v), f"{label} {page}: <{tag} {k}={v!r}>")
        text = doc.all_text()
        c.check(ORG in text, f"{label} {page}: the organisation is not shown as written")
        if page == "policies/POL-EVIL.html":
            for s in POLICY_SHOWS:
                c.check(s in text, f"{label} {page}: text does not show {s!r}")
        if page == "soa.html":
            c.check(EVIDENCE_TITLE in text, f"{label} {page}: evidence title not shown as written")
            c.check("JaVaScRiPt:alert(12)" in text, f"{label} {page}: a refused evidence url is not shown as text")
        if page == "risks.html":
            c.check(ASSET_TITLE in text, f"{label} {page}: asset title not shown as written")


def check_unsafe(c, out):
    doc = read_page(os.path.join(out, "policies", "POL-EVIL.html"))
    tags = [t for t, _ in doc.elements]
    c.check(tags.count("script") >= 2, "--unsafe-html: the policy's <script> did not pass through")
    c.check(any(t == "img" and ("onerror", "alert(1)") in a for t, a in doc.elements),
            "--unsafe-html: <img onerror> did not pass through")
    c.check("iframe" in tags, "--unsafe-html: <iframe> did not pass through")
    # Fields that are not Markdown stay text.
    text = doc.all_text()
    for s in (ORG, POLICY_TITLE, APPROVER):
        c.check(s in text, f"--unsafe-html: {s!r} is not shown as text")
    for page in html_pages(out):
        if page != "policies/POL-EVIL.html":
            d = read_page(os.path.join(out, page))
            c.check(not {"script", "b"} & {t for t, _ in d.elements},
                    f"--unsafe-html {page}: markup from a title or field became live")


def check_browser(c, out, expect_dialogs):
    try:
        from cdp import Browser, CDPError
    except ImportError as e:
        c.check(False, f"cdp: {e}")
        return
    out_url = "file://" + urllib.parse.quote(out) + "/"
    try:
        with Browser() as b:
            s = b.new_page()
            dialogs = 0
            for page in html_pages(out):
                start = b.navigate(s, out_url + urllib.parse.quote(page))
                for _, method, p in b.events[start:]:
                    if method == "Page.javascriptDialogOpening":
                        dialogs += 1
                        c.check(expect_dialogs, f"browser {page}: a script ran: {p.get('type')}({p.get('message')!r})")
                    elif method == "Network.requestWillBeSent" and not expect_dialogs:
                        url = p["request"]["url"]
                        c.check(url.startswith(out_url), f"browser {page}: request outside the site: {url[:120]}")
                if not expect_dialogs:
                    n = b.evaluate(s, "document.querySelectorAll('script,iframe,img,[onload],[onerror],[onclick]').length")
                    c.check(n == 0, f"browser {page}: {n} live script/iframe/img/handler elements")
            if expect_dialogs:
                c.check(dialogs > 0, "--unsafe-html in the browser: the policy's script did not run")
    except CDPError as e:
        c.check(False, f"browser: {e}")


def main():
    ismsc = sys.argv[1]
    c = Checks("hostile")
    tmp = temp_dir("hostile")
    try:
        tree = make_tree(os.path.join(tmp, "tree"))
        browser = os.environ.get("ISMSC_SANITIZED") != "1"
        safe = build(ismsc, tree, os.path.join(tmp, "site"))
        check_static(c, safe, "escaped")
        if browser:
            check_browser(c, safe, expect_dialogs=False)
        unsafe = build(ismsc, tree, os.path.join(tmp, "site-unsafe"), "--unsafe-html")
        check_unsafe(c, unsafe)
        if browser:
            check_browser(c, unsafe, expect_dialogs=True)
    finally:
        rmtree(tmp)
    c.finish()


if __name__ == "__main__":
    main()
