#!/usr/bin/env python3
"""The GitLab Code Quality job of docs/ci.md (recipe gitlab-code-quality), run as gitlab.py
runs the plain GitLab job (same stand-ins: a local release clone for the project's address,
the apt-get line checked, not run). On a tree with a broken reference:
1. the job fails (exit 1) and its log shows the located error;
2. the file `artifacts: reports: codequality:` names is the one the script writes, and it
   validates against tests/schemas/gitlab-codequality.json (GitLab's documented fields), with
   the broken reference at its repository path and line.
usage: gitlab_codequality.py
"""
import json
import os
import sys
import tempfile

import jsonschema
import yaml

sys.path.append(os.path.dirname(os.path.abspath(__file__)))
sys.path.append(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import common  # noqa: E402
import gitlab  # noqa: E402

check = gitlab.check
SCHEMA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "schemas",
                      "gitlab-codequality.json")


def main():
    jobs = yaml.safe_load(common.recipe("gitlab-code-quality"))
    check(list(jobs) == ["isms"], f"the recipe defines one job ({list(jobs)})")
    spec = jobs["isms"]
    report = spec["artifacts"]["reports"]["codequality"]
    check(spec["artifacts"].get("when") == "always", "the report is uploaded when the job fails")
    check(f"--report gitlab={report}" in " ".join(spec["script"]),
          f"the script writes the file the artifact names ({report})")
    with open(SCHEMA) as f:
        validator = jsonschema.Draft7Validator(json.load(f))
    with tempfile.TemporaryDirectory() as work:
        work = os.path.realpath(work)
        env = common.quiet_env(work)
        url = common.release_clone(work, env)
        clone = os.path.join(work, "clone")
        lines = (gitlab.shell_lines(spec, "before_script", url, clone) +
                 gitlab.shell_lines(spec, "script", url, clone))
        broken = common.broken_example(os.path.join(work, "broken"))
        common.git(env, broken, "init", "-q")
        status, out = gitlab.run_job(spec, lines, broken, env)
        check(status == 1, f"a broken reference fails the job ({status}: {out[-1500:]})")
        path = os.path.join(broken, report)
        check(os.path.exists(path), f"the job wrote {report}")
        if os.path.exists(path):
            with open(path) as f:
                doc = json.load(f)
            errors = list(validator.iter_errors(doc))
            check(not errors, "the report validates: " + "; ".join(e.message for e in errors[:3]))
            gone = [i for i in doc if "AST-GONE" in i["description"]]
            check(len(gone) == 1 and gone[0]["location"]["path"] == "risks/R-006.yaml" and
                  gone[0]["severity"] == "major" and gone[0]["check_name"] == "ref-unknown",
                  f"the broken reference is in the report ({gone})")
    gitlab.checks.finish()


if __name__ == "__main__":
    main()
