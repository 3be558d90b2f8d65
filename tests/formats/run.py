#!/usr/bin/env python3
"""Machine-readable diagnostics, checked by third-party validators.

- SARIF: the output for failing trees validates against the OASIS SARIF 2.1.0 schema
  (tests/schemas/sarif-2.1.0.json) with Debian's python3-jsonschema, formats checked
  (uri, uri-reference); every result's rule is in tool.driver.rules at ruleIndex; locations
  match the text format's.
- JSON: the documented shape (docs/ci.md), the same diagnostics as the text format, and
  suppressed findings listed with their reason.
Usage: run.py ISMSC
"""
import concurrent.futures
import json
import os
import re
import subprocess
import sys

import jsonschema

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SCHEMA = os.path.join(ROOT, "tests", "schemas", "sarif-2.1.0.json")
CASES = os.path.join(ROOT, "tests", "cases")
TEXT_LINE = re.compile(r"^(.+?):(\d+):(\d+): (error|warning|note): (.*) \[([\w.-]+)\]$")

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
    return cond


def run(ismsc, tree, fmt, cwd=None):
    env = dict(os.environ, NO_COLOR="1")
    p = subprocess.run([ismsc, "check", tree, "--date", "2026-11-23", "--format", fmt],
                       capture_output=True, text=True, cwd=cwd, env=env, timeout=60)
    return p


def text_diagnostics(ismsc, tree, cwd=None):
    out = run(ismsc, tree, "text", cwd).stdout
    return [m.groups() for m in map(TEXT_LINE.match, out.splitlines()) if m]


def check_sarif(ismsc, name, validator):
    tree = os.path.join(CASES, name, "tree")
    for where, (arg, cwd) in {"relative": (".", tree), "absolute": (tree, None)}.items():
        p = run(ismsc, arg, "sarif", cwd)
        if not check(p.returncode in (0, 1), f"{name}: sarif exit {p.returncode}: {p.stderr}"):
            continue
        doc = json.loads(p.stdout)
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
        check(not errors, f"{name} ({where}): SARIF invalid: " +
              "; ".join(f"{list(e.path)}: {e.message}" for e in errors[:5]))
        run0 = doc["runs"][0]
        rules = run0["tool"]["driver"]["rules"]
        for r in run0["results"]:
            check(rules[r["ruleIndex"]]["id"] == r["ruleId"], f"{name}: ruleIndex mismatch {r}")
            uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            check(uri.startswith("file:///") == (where == "absolute"), f"{name}: uri {uri}")
        # Same findings, same places as the text format (suppressed ones are extra).
        text = text_diagnostics(ismsc, arg, cwd)
        live = [r for r in run0["results"] if "suppressions" not in r]
        check(len(live) == len(text), f"{name}: {len(live)} SARIF results, {len(text)} text")
        for r, t in zip(live, text):
            reg = r["locations"][0]["physicalLocation"]["region"]
            check((reg["startLine"], reg["startColumn"], r["ruleId"], r["level"]) ==
                  (int(t[1]), int(t[2]), t[5], t[3]), f"{name}: {r} vs {t}")


def check_json(ismsc, name):
    tree = os.path.join(CASES, name, "tree")
    p = run(ismsc, ".", "json", tree)
    doc = json.loads(p.stdout)
    check(doc["version"] == 1 and doc["tool"]["name"] == "ismsc", f"{name}: json header {doc}")
    s = doc["summary"]
    diags = doc["diagnostics"]
    check(s["errors"] == sum(1 for d in diags if d["severity"] == "error" and not d["suppressed"]),
          f"{name}: error count")
    check(s["suppressed"] == sum(1 for d in diags if d["suppressed"]), f"{name}: suppressed count")
    for d in diags:
        check(set(d) >= {"file", "line", "column", "severity", "rule", "message", "suppressed"},
              f"{name}: json keys {d}")
        if d["suppressed"]:
            check(bool(d.get("reason")), f"{name}: suppressed without reason {d}")
    text = text_diagnostics(ismsc, ".", tree)
    live = [d for d in diags if not d["suppressed"]]
    check([(d["file"], d["line"], d["column"], d["rule"]) for d in live] ==
          [(t[0], int(t[1]), int(t[2]), t[5]) for t in text], f"{name}: json and text differ")
    return doc


def main():
    ismsc = os.path.abspath(sys.argv[1])
    with open(SCHEMA) as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    validator = cls(schema, format_checker=jsonschema.FormatChecker())
    cases = sorted(c for c in os.listdir(CASES) if os.path.isdir(os.path.join(CASES, c, "tree")))
    failing = [c for c in cases if os.path.exists(os.path.join(CASES, c, "expected.txt")) and
               ": error: " in open(os.path.join(CASES, c, "expected.txt"), encoding="utf-8").read()]
    check(len(failing) >= 10, f"only {len(failing)} failing cases to validate")
    # Cases are independent: run them on every core (`check` only appends to a list).
    with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 2) as pool:
        list(pool.map(lambda name: check_sarif(ismsc, name, validator), failing))
    suppressed = [c for c in cases if c.startswith("ignore-suppressed") or "suppress" in c]
    check(bool(suppressed), "no case with a suppressed finding")
    with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 2) as pool:
        list(pool.map(lambda name: check_json(ismsc, name), cases))
    # The example checks clean: an empty result list is still valid SARIF.
    p = run(ismsc, os.path.join(ROOT, "examples"), "sarif")
    check(p.returncode == 0 and not list(validator.iter_errors(json.loads(p.stdout))),
          "example: SARIF of a clean tree")
    for f in failures:
        print("FAIL", f)
    checked = len(failing) * 2 + len(cases) + 1
    print(f"{checked - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
