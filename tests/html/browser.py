#!/usr/bin/env python3
"""The example's site in a real browser: headless Debian Chromium, driven over the Chrome
DevTools Protocol (cdp.py), loads every page from disk (file://) and asserts:

- no console errors, no uncaught exceptions, no browser log errors;
- no failed request, and no request to anything but a file inside the site (self-contained);
- every link resolves: each href inside the site names a page that exists, and each
  #fragment is an id of that page (as the browser resolves them, SVG links included);
- no empty href, no duplicate id, <html lang> set, one h1;
- print: the SoA printed to PDF (A4) is landscape on every page, and its table header row
  repeats on the pages after the first (pdftotext).

Screenshots of index, soa and a policy, and the SoA PDF, are saved into ARTEFACTS.
Usage: browser.py ISMSC ARTEFACTS [OUT | --check-act]   (OUT: test an already built site
instead; --check-act: build the Check and Act fixture, tests/docs-check, and also assert
that its trend charts render: each has a line, a target and a point per measurement)
"""
import base64
import os
import re
import subprocess
import sys
import urllib.parse
from html.parser import HTMLParser

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cdp import Browser, CDPError  # noqa: E402
from common import (CHECK_ACT_PAGES, Checks, build_check_act, build_example,  # noqa: E402
                    example_pages, html_pages, rmtree, temp_dir)

SCREENSHOTS = {"index.html": "index", "soa.html": "soa", "policies/POL-ISP.html": "policy-POL-ISP",
               "method.html": "method", "readiness.html": "readiness", "scope.html": "scope",
               "objectives.html": "objectives", "audits.html": "audits",
               "nonconformities.html": "nonconformities", "reviews/MR-2026-1.html": "review-MR-2026-1", "review-pack.html": "review-pack"}

# The pairs of texts in a chart whose boxes, as laid out, cross by more than a pixel: a date
# over a date, a value over the target's label.
OVERLAPPING = r"""const overlapping = (svg) => {
  const boxes = [...svg.querySelectorAll('text')].map(t => [t.textContent, t.getBoundingClientRect()]);
  const out = [];
  for (let i = 0; i < boxes.length; i++)
    for (let k = i + 1; k < boxes.length; k++) {
      const [a, p] = boxes[i], [b, q] = boxes[k];
      if (Math.min(p.right, q.right) - Math.max(p.left, q.left) > 1 &&
          Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top) > 1)
        out.push(a + ' / ' + b);
    }
  return out;
};"""
# Each trend chart as the browser laid it out: its points, its line's vertices, whether the
# target line is drawn, the measurements in the table beside it, and its texts drawn over
# each other.
TRENDS = "(() => {" + OVERLAPPING + r"""
return [...document.querySelectorAll('div.trend')].map(d => {
  const svg = d.querySelector('svg');
  const box = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
  const line = d.querySelector('polyline');
  return {id: d.id, points: d.querySelectorAll('circle').length,
          vertices: line ? line.points.numberOfItems : 0,
          target: !!d.querySelector('line.target'), width: box.width, height: box.height,
          rows: d.querySelectorAll('table tbody tr').length,
          overlaps: svg ? overlapping(svg) : []};
});
})()"""
SOA_HEADINGS = ["Control", "Title", "Applicable", "Justification", "Status", "Owner",
                "Policies", "Evidence"]
A4_LANDSCAPE = (841.89, 595.28)  # points

# What each page tells about itself, read in the browser after load.
COLLECT = r"""(() => {
  const abs = (v) => { try { return new URL(v, document.baseURI).href; } catch (e) { return 'BAD:' + v; } };
  const links = [];
  for (const a of document.querySelectorAll('a')) {
    const raw = a.getAttribute('href') ?? a.getAttribute('xlink:href');
    if (raw === null) continue;
    links.push({raw, url: abs(raw), text: (a.textContent || a.getAttribute('aria-label') || '').trim().slice(0, 60)});
  }
  const ids = [...document.querySelectorAll('[id]')].map(e => e.id);
  return {links, ids, lang: document.documentElement.lang, title: document.title,
          h1: document.querySelectorAll('h1').length,
          scripts: document.querySelectorAll('script').length,
          // The site's own tables; Markdown tables in a body (cmark-gfm's) have no caption
          // or scope to give: the user's text has none.
          uncaptioned: [...document.querySelectorAll('table:not(.markdown table)')].filter(t => !t.caption || !t.caption.textContent.trim()).length,
          tables: document.querySelectorAll('table:not(.markdown table)').length,
          th_outside_markdown: document.querySelectorAll('th:not(.markdown th)').length,
          th_without_scope_outside_markdown: [...document.querySelectorAll('th:not(.markdown th)')].filter(th => !['col', 'row'].includes(th.getAttribute('scope'))).length,
          // A chart is an img; a heat map is a group, so that its cells' links stay reachable.
          svg_unlabelled: [...document.querySelectorAll('svg')].filter(v => v.getAttribute('role') !== (v.closest('figure.heatmap') ? 'group' : 'img') || !v.getAttribute('aria-label')).length,
          heatmap_links_unlabelled: [...document.querySelectorAll('figure.heatmap a')].filter(a => !/^(1 risk|[02-9]\d* risks|1\d+ risks) at likelihood \d+, impact \d+$/.test(a.getAttribute('aria-label') || '')).length,
          height: Math.ceil(document.documentElement.scrollHeight)};
})()"""


def page_url(out, page):
    return "file://" + urllib.parse.quote(os.path.join(out, page))


def check_events(c, page, events, out_url):
    for _, method, p in events:
        if method == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
            args = " ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", []))
            c.check(False, f"{page}: console {p['type']}: {args}")
        elif method == "Runtime.exceptionThrown":
            c.check(False, f"{page}: uncaught exception: {p['exceptionDetails'].get('text')}")
        elif method == "Log.entryAdded" and p["entry"]["level"] == "error":
            e = p["entry"]
            c.check(False, f"{page}: browser log error ({e.get('source')}): {e.get('text')} {e.get('url', '')}")
        elif method == "Network.requestWillBeSent":
            url = p["request"]["url"]
            c.check(url.startswith(out_url), f"{page}: request outside the site: {url[:200]}")
        elif method == "Network.loadingFailed":
            c.check(False, f"{page}: failed request: {p.get('errorText')} ({p.get('type')})")


def check_links(c, out, pages, info):
    out_url = page_url(out, "")
    targets = {page_url(out, pg): pg for pg in pages}
    internal = external = 0
    for page in pages:
        ids = info[page]["ids"]
        dups = sorted({i for i in ids if ids.count(i) > 1})
        c.check(not dups, f"{page}: duplicate ids: {dups[:10]}")
        for link in info[page]["links"]:
            raw, url = link["raw"], link["url"]
            where = f"{page}: link '{link['text']}' href={raw!r}"
            if not c.check(raw.strip() != "", f"{where}: empty href"):
                continue
            scheme = urllib.parse.urlsplit(url).scheme
            if scheme in ("http", "https", "mailto"):
                external += 1
                continue
            if not c.check(scheme == "file", f"{where}: scheme {scheme!r} is neither the site nor an external link"):
                continue
            internal += 1
            base, _, frag = url.partition("#")
            if not c.check(base.startswith(out_url), f"{where}: points outside the site ({base})"):
                continue
            if base.endswith((".docx", ".xlsx")):  # a download: the file is written beside
                path = urllib.parse.unquote(base[len("file://"):])
                c.check(os.path.isfile(path), f"{where}: no such file ({base[len(out_url):]})")
                continue
            target = targets.get(base)
            if not c.check(target is not None, f"{where}: no such page ({base[len(out_url):]})"):
                continue
            if frag:
                frag = urllib.parse.unquote(frag)
                c.check(frag in info[target]["ids"], f"{where}: no id '{frag}' in {target}")
    return internal, external


class Links(HTMLParser):
    """For each element with an id: the hrefs of the links inside it (at any depth)."""
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
            "track", "wbr", "rect"}

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.stack = []  # (tag, id)
        self.inside = {}
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            for _, i in self.stack:
                if i:
                    self.inside.setdefault(i, []).append(a["href"])
        if tag not in self.VOID:
            self.stack.append((tag, a.get("id")))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        for n in range(len(self.stack) - 1, -1, -1):
            if self.stack[n][0] == tag:
                del self.stack[n:]
                break


def find_journey(out):
    """The path a reader takes from the dashboard's heat map: a cell, a risk in it, a treatment
    of that risk, a control of the treatment, a policy of that control, then back from the
    policy to the control and from the control to the same risk. Found in the built pages
    (the first path that goes all the way), so the test follows the site, not a list of ids.
    Each step: (page, id of the element holding the link, href)."""
    links = {}

    def inside(page, elem):
        if page not in links:
            with open(os.path.join(out, page), encoding="utf-8") as fh:
                links[page] = Links(fh.read()).inside
        return links[page].get(elem, [])

    def hop(page, href):
        target, _, frag = href.partition("#")
        target = os.path.normpath(os.path.join(os.path.dirname(page), target)) if target else page
        return target, frag

    for cell in inside("index.html", "heatmap-inherent"):
        p1, cell_id = hop("index.html", cell)
        for risk in inside(p1, cell_id):
            p2, risk_id = hop(p1, risk)
            for tr in [h for h in inside(p2, risk_id) if "rtp.html#" in h]:
                p3, t_id = hop(p2, tr)
                for ctl in [h for h in inside(p3, t_id) if "soa.html#" in h]:
                    p4, c_id = hop(p3, ctl)
                    for pol in [h for h in inside(p4, c_id) if "policies/" in h]:
                        p5, _ = hop(p4, pol)
                        back = [h for h in inside(p5, os.path.basename(p5)[:-5]) if hop(p5, h) == (p4, c_id)]
                        again = [h for h in inside(p4, c_id) if hop(p4, h) == (p2, risk_id)]
                        if back and again:
                            return [("index.html", "heatmap-inherent", cell), (p1, cell_id, risk),
                                    (p2, risk_id, tr), (p3, t_id, ctl), (p4, c_id, pol),
                                    (p5, os.path.basename(p5)[:-5], back[0]), (p4, c_id, again[0])]
    return None


def journey(c, b, out, artefacts):
    """Follows find_journey's path by clicking, as a reader would, and checks that each click
    lands on the page and element the link names (the element exists and is the :target)."""
    path = find_journey(out)
    if not c.check(path, "journey: no path heat map -> risk -> treatment -> control -> policy "
                         "-> control -> risk in the built site"):
        return
    s = b.new_page()
    b.navigate(s, page_url(out, "index.html"))
    shot = b.send("Page.captureScreenshot", {"format": "png"}, session=s)
    names = ["risk-cell", "risk", "treatment", "control", "policy", "control-again", "risk-again"]
    for n, (page, holder, href) in enumerate(path):
        where = f"journey step {n + 1} ({page} #{holder} -> {href})"
        try:
            b.click(s, f'[id="{holder}"] a[href="{href}"]')
        except CDPError as e:
            c.check(False, f"{where}: {e}")
            return
        target, _, frag = href.partition("#")
        want = os.path.normpath(os.path.join(os.path.dirname(page), target)) if target else page
        got = b.evaluate(s, """(() => ({url: location.href, target: document.querySelector(':target')?.id ?? null,
                                          h1: document.querySelector('h1')?.textContent ?? null}))()""")
        c.check(got["url"].split("#")[0] == page_url(out, want), f"{where}: landed on {got['url']}")
        if frag:
            c.check(got["target"] == frag, f"{where}: the target element is {got['target']!r}, not {frag!r}")
        else:
            c.check(got["h1"], f"{where}: the page has no h1")
        shot = b.send("Page.captureScreenshot", {"format": "png"}, session=s)
        with open(os.path.join(artefacts, f"journey-{n + 1}-{names[n]}.png"), "wb") as fh:
            fh.write(base64.b64decode(shot["data"]))
    print("browser: journey clicked " + " -> ".join(h for _, _, h in path))


def pdf_checks(c, pdf, artefacts):
    if not c.check(os.path.getsize(pdf) > 1000, f"{pdf}: empty PDF"):
        return
    try:
        info = subprocess.run(["pdfinfo", "-f", "1", "-l", "9999", pdf], capture_output=True,
                              text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        c.check(False, f"pdfinfo failed ({e}): install poppler-utils (scripts/install-deps --browser)")
        return
    sizes = [(float(w), float(h)) for w, h in
             re.findall(r"^Page +\d+ size: +([\d.]+) x ([\d.]+) pts", info, re.M)]
    c.check(len(sizes) >= 3, f"soa.pdf: {len(sizes)} pages; a full SoA takes more than 2")
    for n, (w, h) in enumerate(sizes, 1):
        c.check(abs(w - A4_LANDSCAPE[0]) < 2 and abs(h - A4_LANDSCAPE[1]) < 2,
                f"soa.pdf page {n}: {w:.0f}x{h:.0f} pt, not A4 landscape (842x595)")
    text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True,
                          check=True).stdout
    with open(os.path.join(artefacts, "soa.txt"), "w") as fh:
        fh.write(text)
    pages = text.split("\f")
    heading = re.compile(r"^\s*" + r"\s+".join(SOA_HEADINGS) + r"\s*$", re.M)
    row = re.compile(r"^\s*A\.\d+\.\d+\s{2,}\S.*\s(Yes|No|Not decided)\s", re.M)
    c.check(len(pages) > 1 and heading.search(pages[1]),
            "soa.pdf page 2: the SoA column headings are not repeated on it")
    table_pages = [n for n, t in enumerate(pages, 1) if row.search(t)]
    c.check(len(table_pages) >= 3, f"soa.pdf: SoA table rows found on pages {table_pages} only")
    for n in table_pages:
        m = heading.search(pages[n - 1])
        if not c.check(m, f"soa.pdf page {n}: has SoA rows but no header row"):
            continue
        # Rows are not cut: what follows the repeated header is the start of a row (a
        # control id), never the rest of a row begun on the page before.
        after = [ln for ln in pages[n - 1][m.end():].splitlines() if ln.strip()]
        c.check(after and re.match(r"^\s*A\.\d+\.\d+\s", after[0]),
                f"soa.pdf page {n}: the line after the header row is not a row's first: "
                f"{(after or [''])[0].strip()[:80]!r}")
    # Every control of the catalog has its row, once (rows are whole, none lost or doubled).
    ids = re.findall(r"^\s*(A\.\d+\.\d+)\s{2,}\S.*\s(?:Yes|No|Not decided)\s", text, re.M)
    c.check(len(ids) == 93 and len(set(ids)) == 93,
            f"soa.pdf: {len(ids)} SoA rows ({len(set(ids))} distinct), expected the 93 controls")


def main():
    ismsc, artefacts = sys.argv[1], sys.argv[2]
    os.makedirs(artefacts, exist_ok=True)
    c = Checks("browser")
    given = sys.argv[3] if len(sys.argv) > 3 else None
    check_act = given == "--check-act"
    tmp = None
    if given and not check_act:
        out = os.path.abspath(given)
    else:
        tmp = temp_dir("browser")
        build = build_check_act if check_act else build_example
        out = build(ismsc, os.path.join(tmp, "site"))
    try:
        pages = html_pages(out)
        if not given or check_act:
            predicted = sorted(example_pages(reviews=not check_act) + (CHECK_ACT_PAGES if check_act else []))
            c.check(pages == predicted, f"pages on disk {pages} != predicted {predicted}")
        trends = 0
        out_url = page_url(out, "")
        info = {}
        a11y = {"tables": 0, "th": 0}
        with Browser() as b:
            s = b.new_page()
            for page in pages:
                start = b.navigate(s, page_url(out, page))
                check_events(c, page, b.events[start:], out_url)
                info[page] = b.evaluate(s, COLLECT)
                i = info[page]
                c.check(i["lang"] == "en", f"{page}: <html lang> is {i['lang']!r}")
                c.check(i["h1"] == 1, f"{page}: {i['h1']} h1 elements")
                c.check(i["scripts"] == 0, f"{page}: {i['scripts']} script elements")
                c.check(i["title"].strip() != "", f"{page}: empty <title>")
                c.check(i["uncaptioned"] == 0, f"{page}: {i['uncaptioned']} of {i['tables']} tables without a caption")
                c.check(i["th_without_scope_outside_markdown"] == 0,
                        f"{page}: {i['th_without_scope_outside_markdown']} th without scope")
                c.check(i["svg_unlabelled"] == 0, f"{page}: {i['svg_unlabelled']} svg without role=img (a heat map: group) and a label")
                c.check(i["heatmap_links_unlabelled"] == 0,
                        f"{page}: {i['heatmap_links_unlabelled']} heat map links without an 'N risk(s) at ...' label in plural agreement")
                for t in b.evaluate(s, TRENDS):
                    trends += 1
                    c.check(not t["overlaps"], f"{page}#{t['id']}: texts drawn over each other: "
                            + "; ".join(t["overlaps"][:5]))
                    c.check(t["points"] >= 1 and t["points"] == t["vertices"] == t["rows"],
                            f"{page}#{t['id']}: {t['points']} points, {t['vertices']} line vertices, "
                            f"{t['rows']} table rows")
                    c.check(t["width"] > 200 and t["height"] > 100,
                            f"{page}#{t['id']}: chart laid out at {t['width']}x{t['height']}")
                a11y["tables"] += i["tables"]
                a11y["th"] += i["th_outside_markdown"]
                if page in SCREENSHOTS:
                    height = min(i["height"], 6000)
                    shot = b.send("Page.captureScreenshot", {
                        "format": "png", "captureBeyondViewport": True,
                        "clip": {"x": 0, "y": 0, "width": 1280, "height": height, "scale": 1}},
                        session=s, timeout=60)
                    with open(os.path.join(artefacts, SCREENSHOTS[page] + ".png"), "wb") as fh:
                        fh.write(base64.b64decode(shot["data"]))
                    shot = b.send("Page.captureScreenshot", {"format": "png"}, session=s)
                    with open(os.path.join(artefacts, SCREENSHOTS[page] + "-top.png"), "wb") as fh:
                        fh.write(base64.b64decode(shot["data"]))
            if check_act:
                c.check(trends >= 2, f"only {trends} trend charts rendered; the fixture has 2")
                print(f"browser: {trends} trend charts rendered with their tables")
            print(f"browser: {a11y['tables']} tables with captions, {a11y['th']} th with scope, lang=en on every page")
            internal, external = check_links(c, out, pages, info)
            c.check(internal > 500, f"only {internal} internal links followed; expected hundreds")
            print(f"browser: {len(pages)} pages, {internal} internal links and anchors resolved, "
                  f"{external} external links not followed")
            journey(c, b, out, artefacts)
            # Print the SoA as the browser would: A4 unless the page's CSS says otherwise.
            if "soa.html" in pages:
                b.navigate(s, page_url(out, "soa.html"))
                pdf = b.send("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True,
                                                 "paperWidth": 8.27, "paperHeight": 11.69},
                             session=s, timeout=120)
                path = os.path.join(artefacts, "soa.pdf")
                with open(path, "wb") as fh:
                    fh.write(base64.b64decode(pdf["data"]))
                pdf_checks(c, path, artefacts)
    except CDPError as e:
        c.check(False, f"browser: {e}")
    finally:
        if tmp:
            rmtree(tmp)
    print(f"browser: artefacts in {artefacts}")
    c.finish()


if __name__ == "__main__":
    main()
