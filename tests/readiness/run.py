#!/usr/bin/env python3
"""The readiness report and the `readiness` rule agree, and each source counts.

On a copy of the example, readiness.html lists every clause the catalog marks `documented`
(isms.json's clauses) and all of them are present. Then, one at a time on a fresh copy, the
thing that provides a clause is removed (the scope record, the `policy:` line, the risk
method, the control records, the objectives, the evidence entry naming 7.2, the policies,
the treatments, the risks, the metrics, the audits, the reviews, the nonconformities): that
clause must turn `missing` on the page, `check` must list it as a `readiness` note, and the
clauses the page shows missing must be exactly those the rule lists (one computation).

    python3 run.py ISMSC
"""
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLE = os.path.join(ROOT, "examples")
DATE = "2026-11-23"


def rm(*paths):
    def apply(tree):
        for p in paths:
            full = os.path.join(tree, p)
            assert os.path.exists(full), f"the example has {p}"
            shutil.rmtree(full) if os.path.isdir(full) else os.remove(full)
    return apply


def edit(path, pattern, repl=""):
    def apply(tree):
        full = os.path.join(tree, path)
        with open(full, encoding="utf-8") as f:
            text = f.read()
        new, n = re.subn(pattern, repl, text, flags=re.M | re.S)
        assert n, f"{path}: the pattern {pattern!r} matches"
        with open(full, "w", encoding="utf-8") as f:
            f.write(new)
    return apply


# clause -> how to take away what provides it in the example
REMOVALS = [
    ("4.3", rm("scope.md")),
    ("5.2", edit("isms.yaml", r"^policy: POL-ISP\n")),
    ("6.1.2", edit("isms.yaml", r"^risk:\n.*?(?=^\S)")),
    ("6.1.3", rm("controls")),
    ("6.2", rm("objectives")),
    ("7.2", edit("controls/people.yaml", r", clauses: \[7\.2, 7\.3\]")),
    ("7.5", rm("policies")),
    ("8.1", rm("treatments")),
    ("8.2", rm("risks")),
    ("8.3", rm("treatments")),
    ("9.1", rm("metrics")),
    ("9.2", rm("audits")),
    ("9.3", rm("reviews")),
    ("10.2", rm("nonconformities")),
]


def run(ismsc, *args):
    env = dict(os.environ, NO_COLOR="1")
    return subprocess.run([ismsc, *args, "--date", DATE], capture_output=True, text=True, env=env,
                          timeout=120)


def page_states(path):
    """{clause: state} from readiness.html's table of documented clauses."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    table = text.split('id="documented"', 1)[1].split("</table>", 1)[0]
    states = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S):
        head = re.search(r"<th[^>]*>(.*?)</th>", row, re.S)
        badge = re.search(r'<span class="badge [^"]*">(.*?)</span>', row, re.S)
        if head and badge and "scope=\"col\"" not in row:
            states[html.unescape(re.sub(r"<[^>]+>", "", head.group(1))).strip()] = badge.group(1)
    return states


def rule_missing(ismsc, tree):
    p = run(ismsc, "check", tree, "--format", "json")
    diags = json.loads(p.stdout)["diagnostics"]
    out = set()
    for d in diags:
        if d["rule"] == "readiness":
            m = re.match(r"clause (\S+) ", d["message"])
            out.add(m.group(1) if m else d["message"])
    return out


class Checks:
    def __init__(self):
        self.passed = self.failed = 0

    def check(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL: {what}")
        return ok


def assess(c, ismsc, tree, out, label):
    """Builds the report (with --force: a removal can leave errors, exit 1) and reads both
    sides."""
    shutil.rmtree(out, ignore_errors=True)
    p = run(ismsc, "build", tree, "-o", out, "--force", "--only", "readiness,json")
    if not c.check(p.returncode in (0, 1) and os.path.exists(os.path.join(out, "readiness.html")),
                   f"{label}: readiness.html is built ({p.stderr[-300:]})"):
        return {}, set()
    states = page_states(os.path.join(out, "readiness.html"))
    missing_rule = rule_missing(ismsc, tree)
    missing_page = {k for k, v in states.items() if v == "missing"}
    c.check(missing_page == missing_rule,
            f"{label}: the page's missing clauses {sorted(missing_page)} are the rule's "
            f"{sorted(missing_rule)}")
    return states, missing_rule


def main():
    ismsc = os.path.abspath(sys.argv[1])
    c = Checks()
    tmp = tempfile.mkdtemp(prefix="ismsc-readiness-")
    try:
        tree = os.path.join(tmp, "example")
        shutil.copytree(EXAMPLE, tree)
        out = os.path.join(tmp, "out")
        states, missing = assess(c, ismsc, tree, out, "example")
        with open(os.path.join(out, "isms.json")) as f:
            clauses = json.load(f)["records"]["clauses"]
        documented = [x["id"] for x in clauses if x.get("documented")]
        c.check(sorted(states) == sorted(documented),
                f"example: the page lists every documented clause ({len(documented)}), got "
                f"{sorted(states)}")
        c.check(all(v == "present" for v in states.values()),
                f"example: every documented clause is present ({states})")
        c.check(all(x.get("readiness") == states.get(x["id"]) for x in clauses if x.get("documented")),
                "example: isms.json's clause `readiness` says what the page says")
        c.check(not missing, "example: the rule lists nothing")
        c.check({r[0] for r in REMOVALS} == set(documented),
                "every documented clause has a removal in this test")
        for clause, remove in REMOVALS:
            tree = os.path.join(tmp, f"without-{clause}")
            shutil.copytree(EXAMPLE, tree)
            remove(tree)
            states, missing = assess(c, ismsc, tree, os.path.join(tmp, f"out-{clause}"),
                                     f"without the source of {clause}")
            c.check(states.get(clause) == "missing",
                    f"{clause} turns missing on the page when its source is removed "
                    f"(got {states.get(clause)})")
            c.check(clause in missing, f"{clause}: the readiness rule lists it")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"readiness: {c.passed} passed, {c.failed} failed")
    sys.exit(1 if c.failed else 0)


if __name__ == "__main__":
    main()
