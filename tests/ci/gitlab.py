#!/usr/bin/env python3
"""The GitLab CI job of docs/ci.md, its shell lines run in order as a GitLab runner would run
them in the job's container, with the job's variables in the environment.

What differs from a runner, and only this: the project's address becomes a local clone of
this source tree tagged as the release, the clone's folder (/opt/ismsc) a temporary one, and
the `apt-get` line (git and ca-certificates, for the clone) is checked, not run: this machine
has both and the test must not reach the network. scripts/ci-check then installs nothing
(the packages are present), builds ismsc from the clone and checks the tree:
1. the example: exit 0, the text report's "no problems" (or only notes);
2. a tree with a broken reference (the job's script again): exit 1 and the located error.
usage: gitlab.py
"""
import os
import re
import subprocess
import sys
import tempfile

import yaml

sys.path.append(os.path.dirname(os.path.abspath(__file__)))
sys.path.append(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import common  # noqa: E402
from checks import Checks  # noqa: E402

checks = Checks("ci-gitlab")
check = checks.check
CLONE_DIR = "/opt/ismsc"


def job():
    jobs = yaml.safe_load(common.recipe("gitlab-ci"))
    check(list(jobs) == ["isms"], f"the recipe defines one job ({list(jobs)})")
    return jobs["isms"]


def installed(package):
    r = subprocess.run(["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True)
    return r.stdout.endswith(" ok installed")


def shell_lines(spec, part, url, clone_dir):
    lines = []
    for line in spec.get(part, []):
        if line.startswith("apt-get "):
            wanted = re.findall(r"install -y --no-install-recommends (.*)$", line)
            check(wanted and all(installed(p) for p in wanted[0].split()),
                  f"the apt-get line installs only what this machine has ({line})")
            continue
        lines.append(line.replace(common.PROJECT_URL, url).replace(CLONE_DIR, clone_dir))
    return lines


def run_job(spec, lines, workspace, env):
    job_env = dict(env, CI="true", CI_PROJECT_DIR=workspace,
                   **{k: str(v) for k, v in spec.get("variables", {}).items()})
    out = ""
    for line in lines:
        r = common.run(["bash", "-e", "-o", "pipefail", "-c", line], workspace, job_env, timeout=600)
        out += r.stdout + r.stderr
        if r.returncode != 0:
            return r.returncode, out
    return 0, out


def main():
    spec = job()
    check(spec.get("image") == "debian:bookworm", "the job runs on Debian bookworm, as the suite")
    check(spec.get("variables", {}).get("ISMSC_REV") == common.release_tag(),
          "the job pins the release tag")
    with tempfile.TemporaryDirectory() as work:
        work = os.path.realpath(work)
        env = common.quiet_env(work)
        url = common.release_clone(work, env)
        check(CLONE_DIR in " ".join(spec["before_script"] + spec["script"]),
              f"the job clones into {CLONE_DIR}")

        clone = os.path.join(work, "clone")
        setup = shell_lines(spec, "before_script", url, clone)
        script = shell_lines(spec, "script", url, clone)
        clean = common.example_copy(os.path.join(work, "clean"))
        status, out = run_job(spec, setup + script, clean, env)
        # Notes (readiness: what a certification audit will still ask for) fail nothing, nor do
        # findings a record silences with ignore: and a reason (the example's overdue metric).
        passes = re.search(r"^(no problems|0 errors, 0 warnings(, \d+ notes?)?(, \d+ suppressed)?)$",
                           out, re.M)
        check(status == 0 and passes is not None, f"the example passes ({status}: {out[-2000:]})")

        # The same job on another tree: its clone and build are there, its script runs again.
        broken = common.broken_example(os.path.join(work, "broken"))
        status, out = run_job(spec, script, broken, env)
        check(status == 1, f"a broken reference fails the job ({status}: {out[-1500:]})")
        check(re.search(r"^risks/R-006\.yaml:\d+:\d+: error: unknown asset 'AST-GONE'", out, re.M)
              is not None, "the log shows the located error")
    checks.finish()


if __name__ == "__main__":
    main()
