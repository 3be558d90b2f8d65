#!/usr/bin/env python3
"""Accessibility of the example's site in a real browser: axe-core (the npm package, in
tests/html/node_modules, installed by install-npm.sh) runs in headless Debian Chromium on
every page of the site, over the Chrome DevTools Protocol (cdp.py), with its WCAG 2 A and
AA rules and best practices. No page may have a violation of impact "serious" or
"critical" (colour contrast, names of links and images, ARIA that hides content, ...); the
minor and moderate ones are listed, not failed.

The results of every page are saved as ARTEFACTS/axe.json. Skipped (exit 77) when Chromium
or the axe-core package is not installed.
Usage: a11y.py ISMSC ARTEFACTS
"""
import json
import os
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cdp import CHROMIUM, Browser, CDPError  # noqa: E402
from common import HERE, Checks, build_example, html_pages, rmtree, temp_dir  # noqa: E402

AXE = os.path.join(HERE, "node_modules", "axe-core", "axe.min.js")
FAILING = ("serious", "critical")
RUN = """axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a',
  'wcag21aa', 'best-practice']}, resultTypes: ['violations']}).then(r => r.violations.map(v => ({
  id: v.id, impact: v.impact, help: v.help,
  nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5), count: v.nodes.length})))"""


def run_axe(b, s, source):
    b.send("Runtime.evaluate", {"expression": source}, session=s, timeout=60)
    res = b.send("Runtime.evaluate", {"expression": RUN, "awaitPromise": True, "returnByValue": True},
                 session=s, timeout=120)
    if "exceptionDetails" in res:
        raise CDPError(f"axe.run: {res['exceptionDetails']}")
    return res["result"]["value"]


def main():
    ismsc, artefacts = sys.argv[1], sys.argv[2]
    if not os.access(CHROMIUM, os.X_OK) or not os.path.isfile(AXE):
        print(f"SKIP: a11y needs {CHROMIUM} and {AXE} (tests/html/install-npm.sh)")
        sys.exit(77)
    os.makedirs(artefacts, exist_ok=True)
    with open(AXE, encoding="utf-8") as fh:
        source = fh.read()
    c = Checks("a11y")
    tmp = temp_dir("a11y")
    results = {}
    try:
        out = build_example(ismsc, os.path.join(tmp, "site"))
        pages = html_pages(out)
        with Browser() as b:
            s = b.new_page()
            for page in pages:
                b.navigate(s, "file://" + urllib.parse.quote(os.path.join(out, page)))
                violations = run_axe(b, s, source)
                results[page] = violations
                for v in violations:
                    line = f"{page}: {v['impact']} {v['id']} ({v['help']}) on {v['count']} element(s): {v['nodes']}"
                    if v["impact"] in FAILING:
                        c.check(False, line)
                    else:
                        print(f"note: {line}")
        serious = sum(1 for vs in results.values() for v in vs if v["impact"] in FAILING)
        c.check(len(results) == len(pages) and len(pages) > 10, f"axe ran on {len(results)} of {len(pages)} pages")
        print(f"a11y: axe-core on {len(results)} pages: {serious} serious or critical violations, "
              f"{sum(len(vs) for vs in results.values()) - serious} minor or moderate")
    except CDPError as e:
        c.check(False, f"a11y: {e}")
    finally:
        rmtree(tmp)
        with open(os.path.join(artefacts, "axe.json"), "w") as fh:
            json.dump(results, fh, indent=1, sort_keys=True)
    c.finish()


if __name__ == "__main__":
    main()
