#!/usr/bin/env python3
"""isms.json has the shape docs/isms-json.md documents: the JSON Schema at the end of that page
(read from the page itself, so the page and the test cannot drift apart) validates the
example's isms.json and the hostile tree's (python3-jsonschema). Then what a schema cannot
say: every id in a list names a record of the right kind, the back-links agree with the
forward links (risk.treatments <-> treatment.risks, control.covered_by <-> policy.controls),
each control of the catalog appears once, `file` names a file of the tree, and the scores are
likelihood x impact.

Usage: isms_json.py ISMSC
"""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import DATE, EXAMPLE, ROOT, Checks, build_example, rmtree, run_ismsc, temp_dir  # noqa: E402
import hostile  # noqa: E402


def documented_schema():
    with open(os.path.join(ROOT, "docs", "isms-json.md"), encoding="utf-8") as fh:
        text = fh.read()
    m = re.search(r"^## JSON Schema\n+```json\n(.*?)^```", text, re.M | re.S)
    if not m:
        sys.exit("docs/isms-json.md: no ```json block under '## JSON Schema'")
    return json.loads(m.group(1))


def check_model(c, label, tree, d):
    recs = d["records"]
    by_id = {r["id"]: (kind, r) for kind, rs in recs.items() for r in rs}
    c.check(len(by_id) == sum(len(rs) for rs in recs.values()), f"{label}: duplicate ids")
    links = [("risks", "assets", "assets"), ("risks", "treatments", "treatments"),
             ("treatments", "risks", "risks"), ("treatments", "controls", "controls"),
             ("controls", "policies", "policies"), ("controls", "covered_by", "policies"),
             ("controls", "risks", "risks"), ("controls", "treatments", "treatments"),
             ("policies", "controls", "controls"), ("policies", "covers", "controls"),
             ("assets", "risks", "risks")]
    for kind, field, target in links:
        for r in recs[kind]:
            for i in r.get(field, []):
                c.check(by_id.get(i, (None,))[0] == target,
                        f"{label}: {r['id']}.{field} names {i!r}, not one of the {target}")

    def ids(kind, field):
        return {(r["id"], i) for r in recs[kind] for i in r.get(field, [])}
    c.check(ids("risks", "treatments") == {(b, a) for a, b in ids("treatments", "risks")},
            f"{label}: risk.treatments and treatment.risks disagree")
    c.check(ids("controls", "covered_by") == {(b, a) for a, b in ids("policies", "controls")},
            f"{label}: control.covered_by and policy.controls disagree")
    c.check(ids("policies", "covers") == ids("policies", "controls"),
            f"{label}: policy.covers differs from policy.controls")
    c.check(ids("assets", "risks") == {(b, a) for a, b in ids("risks", "assets")},
            f"{label}: asset.risks and risk.assets disagree")
    clauses = [r["id"] for r in recs["clauses"]]
    c.check(clauses[:2] == ["4.1", "4.2"] and clauses[-1] == "10.2" and len(clauses) == 25,
            f"{label}: {len(clauses)} clauses, not the 2022 catalog's 25 (4.1 ... 10.2)")
    controls = [r["id"] for r in recs["controls"]]
    c.check(len(controls) == 93 and len(set(controls)) == 93,
            f"{label}: {len(controls)} controls ({len(set(controls))} distinct), not the catalog's 93")
    for kind, rs in recs.items():
        for r in rs:
            if "file" in r:
                c.check(os.path.isfile(os.path.join(tree, r["file"])), f"{label}: {r['id']}: no file {r['file']}")
            elif kind == "clauses":
                pass  # from the catalog, never in the tree
            elif kind != "controls" or r["recorded"]:
                c.check(False, f"{label}: {r['id']} has no file")
    for r in recs["risks"]:
        if "likelihood" in r and "impact" in r:
            c.check(r.get("score") == r["likelihood"] * r["impact"],
                    f"{label}: {r['id']} score {r.get('score')} != {r['likelihood']} x {r['impact']}")


# A tree with a record of every v2 kind (the golden case kinds-v2-clean).
V2_TREE = os.path.join(ROOT, "tests", "cases", "kinds-v2-clean", "tree")


def build_tree(ismsc, tree, out):
    p = run_ismsc(ismsc, "build", tree, "-o", out, "--date", DATE, "--only", "json")
    if p.returncode != 0:
        sys.exit(f"ismsc build {tree} failed ({p.returncode}):\n{p.stdout}{p.stderr}")
    return out


def check_v2(c, d):
    """What the schema cannot say about the v2 kinds' records."""
    recs = d["records"]
    by_id = {r["id"]: r for rs in recs.values() for r in rs}
    f1 = by_id.get("F-1", {})
    c.check(f1.get("kind") == "finding" and f1.get("audit") == "AUD-1",
            f"v2 kinds: F-1 is not a finding of AUD-1: {f1}")
    c.check(by_id.get("AUD-1", {}).get("findings") == ["F-1", "F-2"], "v2 kinds: AUD-1 findings")
    c.check(f1.get("nonconformities") == ["NC-1"], "v2 kinds: F-1 not recorded by NC-1")
    c.check(by_id.get("M-1", {}).get("objectives") == ["OBJ-1"], "v2 kinds: M-1.objectives")
    c.check(by_id.get("9.2", {}).get("audits") == ["AUD-1"], "v2 kinds: clause 9.2 audits")
    c.check(by_id.get("8.1", {}).get("evidence") == ["A.8.8"], "v2 kinds: clause 8.1 evidence")
    c.check(by_id.get("M-1", {}).get("target") == 95, "v2 kinds: M-1 target is not the integer 95")


def main():
    ismsc = sys.argv[1]
    c = Checks("isms-json")
    try:
        import jsonschema
    except ImportError:
        c.check(False, "python3-jsonschema is not installed (scripts/install-deps)")
        c.finish()
    schema = documented_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    tmp = temp_dir("isms-json")
    try:
        htree = hostile.make_tree(os.path.join(tmp, "tree"))
        sites = [("example", EXAMPLE, build_example(ismsc, os.path.join(tmp, "example"))),
                 ("example --only json", EXAMPLE,
                  build_example(ismsc, os.path.join(tmp, "only-json"), "--only", "json")),
                 ("hostile", htree, hostile.build(ismsc, htree, os.path.join(tmp, "hostile"))),
                 ("v2 kinds", V2_TREE, build_tree(ismsc, V2_TREE, os.path.join(tmp, "v2")))]
        for label, tree, out in sites:
            path = os.path.join(out, "isms.json")
            if not c.check(os.path.isfile(path), f"{label}: no isms.json"):
                continue
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
            d = json.loads(text)
            errors = sorted(validator.iter_errors(d), key=lambda e: list(e.absolute_path))
            for e in errors[:20]:
                c.check(False, f"{label}: isms.json at /{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}")
            c.check(not errors, f"{label}: {len(errors)} schema errors")
            c.check(text.endswith("}\n") and not text.endswith("\n\n"), f"{label}: isms.json does not end in one newline")
            check_model(c, label, tree, d)
            if label == "v2 kinds":
                check_v2(c, d)
            print(f"isms-json: {label}: " + ", ".join(f"{len(v)} {k}" for k, v in d["records"].items()))
    finally:
        rmtree(tmp)
    c.finish()


if __name__ == "__main__":
    main()
