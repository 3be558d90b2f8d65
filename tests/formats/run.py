#!/usr/bin/env python3
"""Machine-readable diagnostics, checked by third-party validators.

- SARIF: the output for failing trees validates against the OASIS SARIF 2.1.0 schema
  (tests/schemas/sarif-2.1.0.json) with Debian's python3-jsonschema, formats checked
  (uri, uri-reference); every result's rule is in tool.driver.rules at ruleIndex; locations
  match the text format's. It carries what GitHub code scanning shows: each rule's
  fullDescription, help and helpUri, each result's partialFingerprints, and
  originalUriBaseIds; paths are relative to the Git work tree whether the tree was named
  relatively or absolutely, and fingerprints stay when a line is inserted above a finding.
- JSON: the documented shape (docs/ci.md), the same diagnostics as the text format, and
  suppressed findings listed with their reason.
- GitLab Code Quality: validates against tests/schemas/gitlab-codequality.json (written from
  GitLab's documented fields, see tests/schemas/PROVENANCE.md), one issue per live finding,
  paths relative to the repository root, fingerprints unique.
- GitHub: for a tree in a subfolder of a Git repository, the annotations (errors first, at
  most 10 per level) and the job summary written to $GITHUB_STEP_SUMMARY equal the fixtures
  tests/formats/github-annotations.txt and tests/formats/github-summary.md.
Usage: run.py ISMSC
"""
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import jsonschema

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SCHEMA = os.path.join(ROOT, "tests", "schemas", "sarif-2.1.0.json")
GITLAB_SCHEMA = os.path.join(ROOT, "tests", "schemas", "gitlab-codequality.json")
CASES = os.path.join(ROOT, "tests", "cases")
TEXT_LINE = re.compile(r"^(.+?):(\d+):(\d+): (error|warning|note): (.*) \[([\w.-]+)\]$")
RANK = {"error": 0, "warning": 1, "note": 2}

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
    return cond


def run(ismsc, tree, fmt, cwd=None, extra=(), env=None):
    env = dict(os.environ if env is None else env, NO_COLOR="1")
    p = subprocess.run([ismsc, "check", tree, "--date", "2026-11-23", "--format", fmt, *extra],
                       capture_output=True, text=True, cwd=cwd, env=env, timeout=60)
    return p


def by_file(items, key):
    """Text lists errors first; the machine formats keep file order. Compare in file order."""
    return sorted(items, key=key)


def text_diagnostics(ismsc, tree, cwd=None):
    out = run(ismsc, tree, "text", cwd, ["--all"]).stdout
    found = [m.groups() for m in map(TEXT_LINE.match, out.splitlines()) if m]
    check([RANK[t[3]] for t in found] == sorted(RANK[t[3]] for t in found),
          f"{tree}: text lists errors first")
    return found


def git_repo(work, tree, sub):
    """A Git repository at work holding a copy of tree at work/sub (real `git`)."""
    shutil.copytree(tree, os.path.join(work, sub))
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org")
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "tree"]):
        subprocess.run(["git", *args], cwd=work, env=env, check=True, capture_output=True)
    return os.path.join(work, sub)


def check_sarif(ismsc, name, validator):
    tree = os.path.join(CASES, name, "tree")
    uris = {}
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
        for r in rules:
            # Built-in and shipped rules link their docs section; a tree's own rules
            # (rules/*.lua) are documented nowhere else, so they have no helpUri.
            check(r["fullDescription"]["text"] and r["help"]["text"] and
                  (r.get("helpUri", "").endswith("#" + r["id"]) if r["id"] in SHIPPED
                   else "helpUri" not in r), f"{name}: rule metadata {r['id']}")
        base = run0["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        check(base.startswith("file:///") and base.endswith("/"), f"{name}: %SRCROOT% {base}")
        for r in run0["results"]:
            check(rules[r["ruleIndex"]]["id"] == r["ruleId"], f"{name}: ruleIndex mismatch {r}")
            art = r["locations"][0]["physicalLocation"]["artifactLocation"]
            check(art["uriBaseId"] == "%SRCROOT%" and not art["uri"].startswith(("/", "file:")),
                  f"{name}: uri {art}")
            check(bool(r["partialFingerprints"]["ismscFingerprint/v1"]), f"{name}: fingerprint")
        uris[where] = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                       for r in run0["results"]]
        # Same findings, same places as the text format (suppressed ones are extra).
        text = by_file(text_diagnostics(ismsc, arg, cwd), lambda t: t[0])
        live = [r for r in run0["results"] if "suppressions" not in r]
        check(len(live) == len(text), f"{name}: {len(live)} SARIF results, {len(text)} text")
        key = lambda t: (t[0], int(t[1]), int(t[2]), t[5])
        want = sorted(key(t)[1:] + (t[3],) for t in text)
        got = sorted((r["locations"][0]["physicalLocation"]["region"]["startLine"],
                      r["locations"][0]["physicalLocation"]["region"]["startColumn"],
                      r["ruleId"], r["level"]) for r in live)
        check(got == want, f"{name}: SARIF regions differ from text")
    check(uris.get("relative") == uris.get("absolute"),
          f"{name}: SARIF paths depend on how the tree was named")


def check_fingerprints_stable(ismsc, validator):
    """A line inserted above a finding moves it, and keeps its fingerprint."""
    with tempfile.TemporaryDirectory() as work:
        tree = git_repo(work, os.path.join(CASES, "message-errors-first-folded", "tree"), "isms")
        before = json.loads(run(ismsc, ".", "sarif", tree).stdout)["runs"][0]["results"]
        path = os.path.join(tree, "treatments", "T-001.yaml")
        with open(path) as f:
            text = f.read()
        with open(path, "w") as f:
            f.write("# a comment\n# and another\n" + text)
        doc = json.loads(run(ismsc, os.path.abspath(tree), "sarif").stdout)
        check(not list(validator.iter_errors(doc)), "fingerprint tree: SARIF invalid")
        after = doc["runs"][0]["results"]
        fp = lambda rs: sorted(r["partialFingerprints"]["ismscFingerprint/v1"] for r in rs)
        check(fp(before) == fp(after), "fingerprints change when lines are inserted")
        check(len(set(fp(after))) == len(after), "fingerprints are unique")
        line = lambda rs: [r["locations"][0]["physicalLocation"]["region"]["startLine"]
                           for r in rs if r["ruleId"] == "ref-unknown"]
        check(line(before) == [3] and line(after) == [5], f"lines {line(before)} {line(after)}")
        uri = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in after
               if r["ruleId"] == "ref-unknown"]
        check(uri == ["isms/treatments/T-001.yaml"], f"path relative to the repository {uri}")


def check_gitlab(ismsc):
    with open(GITLAB_SCHEMA) as f:
        schema = json.load(f)
    validator = jsonschema.Draft7Validator(schema)
    with tempfile.TemporaryDirectory() as work:
        tree = git_repo(work, os.path.join(CASES, "message-errors-first-folded", "tree"), "isms")
        p = run(ismsc, ".", "gitlab", os.path.join(tree, "controls"))
        check(p.returncode == 1, f"gitlab exit {p.returncode}: {p.stderr}")
        doc = json.loads(p.stdout)
        errors = list(validator.iter_errors(doc))
        check(not errors, "GitLab report invalid: " + "; ".join(e.message for e in errors[:5]))
        check(len(doc) == 13, f"one issue per finding ({len(doc)})")
        check(len({i["fingerprint"] for i in doc}) == len(doc), "GitLab fingerprints unique")
        ref = [i for i in doc if i["check_name"] == "ref-unknown"]
        check(ref and ref[0]["location"] == {"path": "isms/treatments/T-001.yaml",
                                             "lines": {"begin": 3}} and
              ref[0]["severity"] == "major", f"GitLab location {ref}")
    for name in ("ignore-suppressed", "id-duplicate-fires"):
        p = run(ismsc, ".", "gitlab", os.path.join(CASES, name, "tree"))
        errors = list(validator.iter_errors(json.loads(p.stdout)))
        check(not errors, f"{name}: GitLab report invalid: {errors[:3]}")


def check_github(ismsc):
    with tempfile.TemporaryDirectory() as work:
        repo = os.path.join(work, "repo")
        tree = git_repo(repo, os.path.join(CASES, "message-errors-first-folded", "tree"), "isms")
        summary = os.path.join(work, "summary.md")
        with open(summary, "w") as f:
            f.write("earlier step\n")
        env = dict(os.environ, GITHUB_STEP_SUMMARY=summary)
        p = run(ismsc, "isms", "github", repo, env=env)
        with open(os.path.join(HERE, "github-annotations.txt")) as f:
            check(p.stdout == f.read(), "GitHub annotations differ from the fixture:\n" + p.stdout)
        with open(summary) as f, open(os.path.join(HERE, "github-summary.md")) as g:
            check(f.read() == "earlier step\n" + g.read(), "job summary differs from the fixture")
        env.pop("GITHUB_STEP_SUMMARY")
        p = run(ismsc, ".", "github", tree, env=env)
        check("job summary" not in p.stdout and p.stdout.startswith("::error file=isms/"),
              "without GITHUB_STEP_SUMMARY: no summary promised; paths from the repository")


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
    # Text lists errors first; JSON keeps file order: the same findings, grouped by severity.
    grouped = sorted(live, key=lambda d: RANK[d["severity"]])
    check([(d["file"], d["line"], d["column"], d["rule"]) for d in grouped] ==
          [(t[0], int(t[1]), int(t[2]), t[5]) for t in text], f"{name}: json and text differ")
    return doc


SHIPPED = set()


def main():
    ismsc = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as outside:
        SHIPPED.update(r["id"] for r in json.loads(subprocess.run(
            [ismsc, "rules", "--format", "json"], cwd=outside, capture_output=True,
            text=True).stdout))
    check(len(SHIPPED) >= 30, f"ismsc rules lists {len(SHIPPED)} rules")
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
    check_fingerprints_stable(ismsc, validator)
    check_gitlab(ismsc)
    check_github(ismsc)
    for f in failures:
        print("FAIL", f)
    checked = len(failing) * 2 + len(cases) + 4
    print(f"{max(checked - len(failures), 0)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
