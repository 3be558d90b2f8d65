#!/usr/bin/env python3
"""JSON Schemas (SPEC §6): generated from the schema tables, valid draft 2020-12, and in
agreement with `ismsc check`.

1. `ismsc schema KIND` prints a valid draft 2020-12 schema for every kind and `manifest`,
   the same text the build wrote into build/schemas (installed with the binary).
2. Every record of examples/ (YAML files and Markdown front matter) and its isms.yaml
   validate against their schemas, read as a YAML 1.2 language server reads them.
3. Every golden case (tests/cases) where check reports a schema error (schema-required,
   schema-type, schema-enum, date-invalid, id-invalid) in a file: the file is rejected by
   its schema too, except for the differences docs/interchange.md lists (KNOWN below).
4. The golden cases' files that check accepts without a schema error validate.
usage: run.py ISMSC SCHEMA_DIR
"""
import os
import re
import subprocess
import sys

import json
import tempfile

import jsonschema
import yaml

sys.path.append(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from checks import Checks  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
checks = Checks("schemas-json")
check = checks.check

SCHEMA_RULES = ("schema-required", "schema-type", "schema-enum", "date-invalid", "id-invalid")
# What a schema cannot know; docs/interchange.md ("What the schemas do not check") lists
# the same: the tree's own scale labels, classifications and catalog, the length of its
# scale, and rules that compare two fields.
KNOWN = [
    r"is not a valid classification",
    r"is not a valid (likelihood|impact)",
    r"is outside the scale",
    r"is applicable, so it needs",
    r"needs a 'path' or a 'url'",
    r"risk levels (go in|end at)",
    r"lists no levels",
    r"unknown catalog",
    r"unknown rule",
    r"is longer than",
]
FOLDERS = {}  # top folder -> kind, from the .vscode/settings.json `ismsc init` writes


class Core12Loader(yaml.SafeLoader):
    """YAML 1.2 core schema, as yaml-language-server reads files: no `yes`/`no` booleans, no
    timestamps, no sexagesimal numbers."""


Core12Loader.yaml_implicit_resolvers = {}
for tag, regexp, first in [
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", list("~nN") + [""]),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$",
     list("-+0123456789")),
    ("tag:yaml.org,2002:float",
     r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)"
     r"|\.(?:nan|NaN|NAN))$", list("-+.0123456789")),
]:
    Core12Loader.add_implicit_resolver(tag, re.compile(regexp), first)


def without_closed_objects(schema):
    """The schema with every `additionalProperties: false` dropped: what check accepts with
    at most a schema-unknown warning."""
    if isinstance(schema, dict):
        return {k: without_closed_objects(v) for k, v in schema.items()
                if not (k == "additionalProperties" and v is False)}
    if isinstance(schema, list):
        return [without_closed_objects(v) for v in schema]
    return schema


def load_yaml(text):
    return yaml.load(text, Loader=Core12Loader)


def front_matter(text):
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    if not text.startswith("---\n"):
        return None
    end = text.find("\n---", 4)
    return None if end < 0 else text[4:end + 1]


def document_of(path):
    """The YAML value a language server would validate: the file, or a Markdown file's front
    matter. None when it cannot be read as YAML (yaml-syntax cases)."""
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    try:
        if path.endswith(".md"):
            fm = front_matter(text)
            return None if fm is None else load_yaml(fm)
        return load_yaml(text.lstrip("\ufeff"))
    except yaml.YAMLError:
        return None


def kind_of(tree, rel):
    if rel == "isms.yaml":
        return "manifest"
    if rel == "scope.md":
        return "scope"
    top = rel.split("/")[0]
    return FOLDERS.get(top)


def main():
    ismsc, schema_dir = sys.argv[1], sys.argv[2]
    validators, relaxed = {}, {}
    kinds = sorted(n[:-len(".schema.json")] for n in os.listdir(schema_dir)
                   if n.endswith(".schema.json"))
    check("manifest" in kinds and "risk" in kinds, f"the build wrote the schemas ({kinds})")
    with tempfile.TemporaryDirectory() as work:
        r = subprocess.run([ismsc, "init", os.path.join(work, "t")], capture_output=True, text=True)
        check(r.returncode == 0, f"init ({r.stderr})")
        with open(os.path.join(work, "t", ".vscode", "settings.json")) as f:
            mapping = json.load(f)["yaml.schemas"]
        for schema_path, globs in mapping.items():
            kind = os.path.basename(schema_path)[:-len(".schema.json")]
            check(os.path.exists(os.path.join(work, "t", schema_path)),
                  f"init wrote {schema_path} into the tree")
            for g in globs:
                if "/" in g:
                    FOLDERS[g.split("/")[0]] = kind
    check("risks" in FOLDERS and FOLDERS["risks"] == "risk",
          f"the editor settings map folders to schemas ({FOLDERS})")
    for kind in kinds:
        r = subprocess.run([ismsc, "schema", kind], capture_output=True, text=True)
        check(r.returncode == 0, f"ismsc schema {kind} exits 0 ({r.stderr})")
        schema = json.loads(r.stdout)
        check(schema.get("$schema") == "https://json-schema.org/draft/2020-12/schema",
              f"{kind}: draft 2020-12")
        try:
            jsonschema.Draft202012Validator.check_schema(schema)
            check(True, "")
        except jsonschema.SchemaError as e:
            check(False, f"{kind}: not a valid draft 2020-12 schema: {e.message}")
        with open(os.path.join(schema_dir, f"{kind}.schema.json"), encoding="utf-8") as f:
            check(f.read() == r.stdout, f"{kind}: build/schemas holds what `ismsc schema` prints")
        fc = jsonschema.Draft202012Validator.FORMAT_CHECKER
        validators[kind] = jsonschema.Draft202012Validator(schema, format_checker=fc)
        relaxed[kind] = jsonschema.Draft202012Validator(without_closed_objects(schema),
                                                        format_checker=fc)
    r = subprocess.run([ismsc, "schema", "risks"], capture_output=True, text=True)
    check(r.returncode == 2 and "risk" in r.stderr, "an unknown kind is a usage error naming the kinds")

    def errors_of(tree, rel, strict=True):
        kind = kind_of(tree, rel)
        doc = document_of(os.path.join(tree, rel))
        if kind is None or doc is None:
            return None
        if kind != "manifest" and isinstance(doc, dict) and "kind" in doc:
            kind = doc["kind"] if doc["kind"] in validators else kind
        v = validators if strict else relaxed
        return [e.message for e in v[kind].iter_errors(doc)]

    def record_files(tree):
        for dirpath, dirnames, filenames in os.walk(tree):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")
                           and d not in ("evidence", "templates", "rules")]
            for name in filenames:
                rel = os.path.relpath(os.path.join(dirpath, name), tree)
                if name.endswith((".yaml", ".yml", ".md")) and kind_of(tree, rel):
                    yield rel

    # A field required when another has a value (FieldSpec.when_value) is an if/then.
    nc = {"id": "NC-1", "title": "Backups untested", "owner": "CTO", "raised": "2026-03-01",
          "status": "Closed"}
    if "nonconformity" in validators:
        v = validators["nonconformity"]
        check(list(v.iter_errors(nc)), "a closed nonconformity without `closed` is rejected")
        check(not list(v.iter_errors(dict(nc, closed="2026-04-01"))), "with `closed` it validates")
        check(not list(v.iter_errors(dict(nc, status="open"))), "an open one needs no `closed`")

    # 2. The example validates.
    examples = os.path.join(ROOT, "examples")
    n = 0
    for rel in sorted(record_files(examples)):
        errs = errors_of(examples, rel)
        check(errs == [], f"examples/{rel} validates ({errs})")
        n += 1
    check(n > 20, f"the example has record files ({n})")

    # ... and so do the corpus tree (tests/docx: the example plus every corpus policy) and a
    # small generated bench tree (bench/gen_tree.py).
    sys.path.insert(0, os.path.join(ROOT, "tests", "docx"))
    import common  # noqa: E402
    with tempfile.TemporaryDirectory() as work:
        corpus = os.path.join(work, "corpus")
        common.corpus_tree(corpus)
        bench = os.path.join(work, "bench")
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_tree.py"), bench,
                        "--scale", "0.02"], check=True, capture_output=True)
        for name, tree in (("corpus", corpus), ("bench", bench)):
            n = 0
            for rel in sorted(record_files(tree)):
                errs = errors_of(tree, rel)
                check(errs == [], f"{name} tree: {rel} validates ({errs})")
                n += 1
            check(n > 20, f"the {name} tree has record files ({n})")

    # 3 and 4. Golden cases.
    cases = os.path.join(ROOT, "tests", "cases")
    diag = re.compile(r"^(.+?):(\d+):(\d+): (?:error|warning): (.*) \[([a-z0-9-]+)\]$")
    rejected = accepted = known = 0
    for case in sorted(os.listdir(cases)):
        tree = os.path.join(cases, case, "tree")
        expected = os.path.join(cases, case, "expected.txt")
        if not os.path.isdir(tree) or os.path.exists(os.path.join(cases, case, "args")):
            continue  # other output formats: their diagnostics are not parsed here
        by_file = {}
        with open(expected, encoding="utf-8") as f:
            for line in f:
                m = diag.match(line.rstrip("\n"))
                if m:
                    by_file.setdefault(m.group(1), []).append((m.group(5), m.group(4)))
        for rel in sorted(record_files(tree)):
            diags = by_file.get(rel, [])
            schema_diags = [(r, msg) for r, msg in diags if r in SCHEMA_RULES]
            if any(r in ("yaml-syntax", "front-matter", "encoding", "input-limit")
                   for r, _ in diags):
                continue
            errs = errors_of(tree, rel)
            if errs is None:
                continue
            unexplained = [msg for _, msg in schema_diags
                           if not any(re.search(k, msg) for k in KNOWN)]
            if unexplained:
                rejected += 1
                check(errs, f"{case}/{rel}: check rejects it ({unexplained[0]}); the schema too")
            elif any(r == "schema-unknown" for r, _ in diags):
                # check warns about an unknown field; the schema rejects it (stricter)
                known += 1
                check(errs, f"{case}/{rel}: an unknown field is rejected by the schema")
            elif schema_diags:
                known += 1
            else:
                accepted += 1
                # An unknown field that a case silences (ignore:, rules:) is still one.
                errs = errs and errors_of(tree, rel, strict=False)
                check(not errs, f"{case}/{rel}: check finds no schema error; the schema agrees "
                                f"({errs[:2]})")
    check(rejected >= 10, f"golden files rejected by both ({rejected})")
    print(f"golden files: {rejected} rejected by both, {accepted} accepted by both, "
          f"{known} with only a documented difference")
    checks.finish()


main()
