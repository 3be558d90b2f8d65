#!/usr/bin/env python3
"""The composite GitHub Action (action.yml), played step by step as the runner would, with
the inputs of the workflow in docs/ci.md.

The runner itself cannot run here, so this plays its part: each step's `env:` expressions
(only `${{ inputs.X }}`; anything else fails the test, `github.action_path` too, since in a
container job it names the host's path) are filled in, and its `run:` goes to
`bash -e -o pipefail` in the workspace, with GITHUB_ACTION_PATH and RUNNER_TEMP set, as the
runner does. The install step is real: scripts/install-deps, a no-op when the
packages are present. Then:
1. the workflow's inputs on the example: exit 0, no ::error, a SARIF file with no error or
   warning results (notes fail nothing);
2. the same on a tree with a broken reference: exit 1, a ::error annotation at the reference,
   and the SARIF file holds it too;
3. `tree:` a subfolder with a space in its name: checked, annotations name its files from
   the workspace root;
4. `args: --werror` reaches ismsc: a warning fails the step.
usage: action.py
"""
import json
import os
import re
import sys
import tempfile

import yaml

sys.path.append(os.path.dirname(os.path.abspath(__file__)))
sys.path.append(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import common  # noqa: E402
from checks import Checks  # noqa: E402

checks = Checks("ci-action")
check = checks.check
EXPRESSION = re.compile(r"\$\{\{\s*([^}]*?)\s*\}\}")


def load_action():
    with open(os.path.join(common.SOURCE, "action.yml"), encoding="utf-8") as f:
        return yaml.safe_load(f)


def workflow_inputs(action):
    """The `with:` of the step of the docs' workflow that uses this action."""
    workflow = yaml.safe_load(common.recipe("github-actions"))
    steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
    ours = [s for s in steps if s.get("uses", "").startswith("ismsc/ismsc@")]
    check(len(ours) == 1, "the workflow uses the action once")
    check(ours[0]["uses"] == "ismsc/ismsc@" + common.release_tag(),
          f"the workflow pins the release tag ({ours[0]['uses']})")
    given = ours[0].get("with", {})
    check(set(given) <= set(action["inputs"]), f"the workflow's inputs exist ({sorted(given)})")
    upload = [s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif")]
    check(len(upload) == 1 and upload[0]["with"]["sarif_file"] == given.get("sarif"),
          "code scanning uploads the file the action writes")
    return given


def expand(text, inputs):
    def one(m):
        expr = m.group(1)
        if expr.startswith("inputs.") and expr[7:] in inputs:
            return str(inputs[expr[7:]])
        raise SystemExit(f"action.yml uses an expression this test cannot play: {expr}")
    return EXPRESSION.sub(one, str(text))


def play(action, given, workspace, runner_temp):
    """Run the action's steps as the runner would; returns (exit status, output)."""
    inputs = {name: spec.get("default", "") for name, spec in action["inputs"].items()}
    inputs.update(given)
    env = common.quiet_env(runner_temp, GITHUB_ACTIONS="true", RUNNER_TEMP=runner_temp,
                           GITHUB_WORKSPACE=workspace, GITHUB_ACTION_PATH=common.SOURCE)
    out = ""
    for step in action["runs"]["steps"]:
        check(step.get("shell") == "bash" and "run" in step and "uses" not in step,
              f"step '{step.get('name')}' is a bash run: line")
        step_env = dict(env, **{k: expand(v, inputs) for k, v in step.get("env", {}).items()})
        # Inputs reach the script through env:, never pasted into it (a tree name with a
        # quote in it would become code).
        check("${{" not in step["run"], f"step '{step.get('name')}' has no expression in run:")
        r = common.run(["bash", "-e", "-o", "pipefail", "-c", step["run"]],
                       workspace, step_env, timeout=600)
        out += r.stdout + r.stderr
        if r.returncode != 0:
            return r.returncode, out
    return 0, out


def sarif_results(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)["runs"][0]["results"]


def main():
    action = load_action()
    check(action["runs"]["using"] == "composite", "action.yml is a composite action")
    given = workflow_inputs(action)
    with tempfile.TemporaryDirectory() as work:
        temp = os.path.join(work, "runner-temp")
        os.mkdir(temp)

        clean = common.example_copy(os.path.join(work, "clean"))
        status, out = play(action, given, clean, temp)
        check(status == 0, f"the example passes ({status}: {out[-2000:]})")
        check("::error" not in out, "no error annotations on the example")
        sarif = os.path.join(clean, given["sarif"])
        # Notes (readiness: what a certification audit will still ask for) fail nothing, nor do
        # suppressed results (a record's ignore: with a reason; SARIF keeps them, marked).
        check(os.path.exists(sarif) and
              [r for r in sarif_results(sarif)
               if r.get("level") != "note" and not r.get("suppressions")] == [],
              "the SARIF file is written, with no unsuppressed error or warning results")
        check(os.path.exists(os.path.join(temp, "ismsc-build", "ismsc")),
              "ismsc was built under RUNNER_TEMP")

        broken = common.broken_example(os.path.join(work, "broken"))
        status, out = play(action, given, broken, temp)
        check(status == 1, f"a broken reference fails the step ({status})")
        check(re.search(r"^::error file=risks/R-006\.yaml,line=\d+,col=\d+,title=ref-unknown::"
                        r"unknown asset 'AST-GONE'", out, re.M) is not None,
              f"an error annotation at the reference ({out[-1500:]})")
        results = sarif_results(os.path.join(broken, given["sarif"]))
        check(any(r["ruleId"] == "ref-unknown" for r in results),
              f"the SARIF file holds the error ({len(results)} results)")

        # A tree in a subfolder whose name has a space: one argument all the way through,
        # and the annotations name files from the workspace root, as GitHub wants them.
        workspace = os.path.join(work, "workspace")
        common.broken_example(os.path.join(workspace, "isms tree"))
        status, out = play(action, dict(given, tree="isms tree"), workspace, temp)
        check(status == 1 and "::error file=isms tree/risks/R-006.yaml,line=" in out,
              f"tree: 'isms tree' is checked, paths from the workspace ({out[-800:]})")
        check(os.path.exists(os.path.join(workspace, given["sarif"])),
              "the SARIF file is written in the workspace")

        warned = common.example_copy(os.path.join(work, "warned"))
        common.add_orphan_asset(warned)
        status, out = play(action, dict(given, args=""), warned, temp)
        check(status == 0 and "::warning" in out, "a warning alone passes")
        status, out = play(action, dict(given, args="--werror"), warned, temp)
        check(status == 1, f"args: --werror fails it ({status})")
    checks.finish()


if __name__ == "__main__":
    main()
