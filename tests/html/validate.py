#!/usr/bin/env python3
"""The W3C Nu HTML checker (vnu.jar from the npm package vnu-jar, run by Debian's Java)
validates every page of three sites: the example, the hostile tree of hostile.py (markup,
control characters and javascript: links in users' text), and the Check and Act fixture
(tests/docs-check: objectives with trend charts, audits, nonconformities, reviews). Asserts zero errors and zero
warnings; the 'info' notes (cmark-gfm's task-list <input ... />) are counted, not failed.

Usage: validate.py ISMSC [ARTEFACT_DIR]   (the checker's JSON report is saved there)
"""
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import HERE, Checks, build_check_act, build_example, html_pages, rmtree, temp_dir  # noqa: E402
import hostile  # noqa: E402

VNU = os.path.join(HERE, "node_modules", "vnu-jar", "build", "dist", "vnu.jar")


def main():
    ismsc = sys.argv[1]
    artefacts = sys.argv[2] if len(sys.argv) > 2 else None
    c = Checks("validate")
    java = shutil.which("java")
    if not c.check(java, "java not found: run scripts/install-deps --browser"):
        c.finish()
    if not c.check(os.path.isfile(VNU), f"{VNU} not found: run scripts/install-deps --browser"):
        c.finish()
    tmp = temp_dir("validate")
    try:
        sites = {"example": build_example(ismsc, os.path.join(tmp, "example")),
                 "hostile": hostile.build(ismsc, hostile.make_tree(os.path.join(tmp, "tree")),
                                          os.path.join(tmp, "hostile")),
                 "check-act": build_check_act(ismsc, os.path.join(tmp, "check-act", "site"))}
        files = [os.path.join(out, p) for out in sites.values() for p in html_pages(out)]
        c.check(len(files) >= 3 * 14, f"only {len(files)} pages to validate")
        p = subprocess.run([java, "-jar", VNU, "--format", "json", *files],
                           capture_output=True, text=True, timeout=180)
        # vnu writes its JSON report on standard error; exit 1 means it found errors.
        try:
            report = json.loads(p.stderr)
        except ValueError:
            c.check(False, f"vnu did not report JSON (exit {p.returncode}): {p.stderr[:500]}")
            c.finish()
        if artefacts:
            os.makedirs(artefacts, exist_ok=True)
            with open(os.path.join(artefacts, "vnu.json"), "w") as fh:
                json.dump(report, fh, indent=1)
        counts = {"error": 0, "warning": 0, "info": 0}
        for m in report["messages"]:
            kind = "warning" if m.get("subType") == "warning" else m["type"]
            kind = "error" if kind in ("error", "non-document-error") else kind
            counts[kind] = counts.get(kind, 0) + 1
            where = m.get("url", "?").replace("file:" + tmp + "/", "")
            if kind in ("error", "warning"):
                c.check(False, f"vnu {kind}: {where}:{m.get('lastLine')}: {m['message']}"
                               f" [{(m.get('extract') or '').strip()[:80]!r}]")
        c.check(p.returncode == 0 or counts["error"], f"vnu exited {p.returncode} with no error reported")
        print(f"validate: {len(files)} pages ({', '.join(f'{k} {len(html_pages(v))}' for k, v in sites.items())}): "
              f"{counts['error']} errors, {counts['warning']} warnings, {counts['info']} info notes")
    finally:
        rmtree(tmp)
    c.finish()


if __name__ == "__main__":
    main()
