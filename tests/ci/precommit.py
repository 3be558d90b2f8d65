#!/usr/bin/env python3
"""The pre-commit hooks, run by the real `pre-commit` (the Debian package) as a team would,
with the configuration of docs/ci.md; only the repository address is replaced by a local
clone of this source tree tagged as the release, so nothing reaches the network.

1. The example tree committed with `ismsc-check`: the first commit builds ismsc into
   pre-commit's cache and passes; `git rm` of an evidence file (CSV data, which no file
   filter of YAML/Markdown would see) fails the commit with evidence-missing, and HEAD stays
   where it was; a commit touching no record still runs the check (never "Skipped"); the
   second run reuses the build.
2. A new team: `git init`, `ismsc init .`, the recipe copied verbatim (address aside), a
   first commit with one broken reference among init's warnings: the hook fails on the
   error, lets the warnings through; fixed, the commit passes.
3. `ismsc-check-system` with `args: [--werror]` runs the ismsc on PATH: warnings fail it.
4. On a machine without the build packages (a dpkg-query that finds none), the first run
   fails with the list of packages and the command that installs them, and builds nothing.
usage: precommit.py ISMSC
"""
import os
import shutil
import sys
import tempfile
import time

sys.path.append(os.path.dirname(os.path.abspath(__file__)))
sys.path.append(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import common  # noqa: E402
from checks import Checks  # noqa: E402

checks = Checks("ci-pre-commit")
check = checks.check
SKIP = 77

EVIDENCE = "evidence/endpoints/mdm-compliance-2026-11.csv"
BROKEN_RISK = """id: R-001
title: Stolen laptop exposes customer data
owner: CISO
assets: [AST-LAPTOPS]
likelihood: 2
impact: 3
treatment: accept
acceptance: {by: CEO, date: 2026-11-02, rationale: Disks are encrypted.}
"""
LAPTOPS = "id: AST-LAPTOPS\ntitle: Staff laptops\ntype: hardware\nowner: IT\n"


def config_from_doc(name, url):
    text = common.recipe(name)
    check(f"rev: {common.release_tag()}" in text,
          f"the {name} recipe pins the release tag {common.release_tag()}")
    check(common.PROJECT_URL in text, f"the {name} recipe names {common.PROJECT_URL}")
    return text.replace(common.PROJECT_URL, url)


def commit(env, repo, message):
    r = common.run(["git", "commit", "-q", "-m", message], repo, env)
    return r, r.stdout + r.stderr


def head_count(env, repo):
    r = common.run(["git", "rev-list", "--count", "HEAD"], repo, env)
    return int(r.stdout) if r.returncode == 0 else 0


def new_repo(env, path, config):
    common.git(env, path, "init", "-q", "-b", "main")
    with open(os.path.join(path, ".pre-commit-config.yaml"), "w") as f:
        f.write(config + "\n")
    r = common.run(["pre-commit", "install"], path, env)
    check(r.returncode == 0, f"pre-commit install in {os.path.basename(path)} ({r.stderr})")


def evidence_scenario(env, work, url):
    repo = common.example_copy(os.path.join(work, "isms"))
    new_repo(env, repo, config_from_doc("pre-commit", url))
    common.git(env, repo, "add", "-A")
    start = time.monotonic()
    r, out = commit(env, repo, "the ISMS")
    first = time.monotonic() - start
    check(r.returncode == 0, f"the example's first commit passes the hook ({out[-3000:]})")
    check("ismsc check" in out and "Passed" in out, f"the hook ran and passed ({out[-500:]})")
    built = [d for d, _, files in os.walk(env["PRE_COMMIT_HOME"]) if "ismsc" in files
             and d.endswith("build-pre-commit")]
    check(len(built) == 1, f"the hook built ismsc once, in pre-commit's cache ({built})")
    print(f"first commit (clone and build): {first:.1f} s")

    common.git(env, repo, "rm", "-q", EVIDENCE)
    r, out = commit(env, repo, "drop the MDM export")
    check(r.returncode != 0, "deleting an evidence file fails the commit")
    check("evidence-missing" in out and os.path.basename(EVIDENCE) in out,
          f"the hook names the missing evidence ({out[-1500:]})")
    check("Skipped" not in out, "the hook is not skipped for a change to evidence")
    check(head_count(env, repo) == 1, "the failed commit left HEAD where it was")

    common.git(env, repo, "reset", "-q", "--hard")
    with open(os.path.join(repo, "NOTES.txt"), "w") as f:
        f.write("not a record\n")
    common.git(env, repo, "add", "NOTES.txt")
    start = time.monotonic()
    r, out = commit(env, repo, "notes")
    second = time.monotonic() - start
    check(r.returncode == 0 and "Passed" in out and "Skipped" not in out,
          f"a commit touching no record still runs the check ({out[-500:]})")
    check(second < first, f"the second run reuses the build ({second:.1f} s < {first:.1f} s)")
    print(f"later commit: {second:.1f} s")
    return repo


def new_team_scenario(env, work, url, ismsc):
    repo = os.path.join(work, "acme-isms")
    os.mkdir(repo)
    common.git(env, repo, "init", "-q", "-b", "main")
    r = common.run([ismsc, "init", "."], repo, env)
    check(r.returncode == 0, f"ismsc init . in a new Git repository ({r.stderr})")
    with open(os.path.join(repo, ".pre-commit-config.yaml"), "w") as f:
        f.write(config_from_doc("pre-commit", url) + "\n")
    r = common.run(["pre-commit", "install"], repo, env)
    check(r.returncode == 0, f"pre-commit install ({r.stderr})")
    os.mkdir(os.path.join(repo, "risks"))
    with open(os.path.join(repo, "risks", "R-001.yaml"), "w") as f:
        f.write(BROKEN_RISK)
    common.git(env, repo, "add", "-A")
    r, out = commit(env, repo, "start the ISMS")
    check(r.returncode != 0, "a first commit with a broken reference fails")
    check("risks/R-001.yaml:4:10: error: unknown asset 'AST-LAPTOPS'" in out,
          f"the hook prints the error with its location ({out[-1500:]})")
    check("inclusion-justified" in out and "1 error, 93 warnings" in out,
          f"init's warnings are printed alongside ({out[-300:]})")
    check(head_count(env, repo) == 0, "nothing was committed")

    os.makedirs(os.path.join(repo, "assets"))
    with open(os.path.join(repo, "assets", "AST-LAPTOPS.yaml"), "w") as f:
        f.write(LAPTOPS)
    common.git(env, repo, "add", "-A")
    r, out = commit(env, repo, "start the ISMS")
    check(r.returncode == 0, f"with the reference fixed the commit passes ({out[-1500:]})")
    check(head_count(env, repo) == 1, "and is committed")


def system_scenario(env, work, url, ismsc, repo):
    config = os.path.join(repo, "system.yaml")
    with open(config, "w") as f:
        f.write(config_from_doc("pre-commit-system", url) + "\n")
    path_env = dict(env, PATH=os.path.dirname(ismsc) + os.pathsep + env["PATH"])
    r = common.run(["pre-commit", "run", "--config", config, "--all-files"], repo, path_env)
    out = r.stdout + r.stderr
    check(r.returncode == 0, f"ismsc-check-system passes the clean example ({out[-800:]})")
    # A record no risk names: a warning, which args: [--werror] turns into a failure.
    common.add_orphan_asset(repo)
    r = common.run(["pre-commit", "run", "--config", config, "--all-files"], repo, path_env)
    out = r.stdout + r.stderr
    check(r.returncode != 0 and "warning" in out,
          f"args: [--werror] reach ismsc: a warning fails ({out[-800:]})")


def missing_packages_scenario(env, work, url):
    fake_bin = os.path.join(work, "no-packages-bin")
    os.mkdir(fake_bin)
    with open(os.path.join(fake_bin, "dpkg-query"), "w") as f:
        f.write("#!/bin/sh\nexit 1\n")
    os.chmod(os.path.join(fake_bin, "dpkg-query"), 0o755)
    bare = dict(env, PATH=fake_bin + os.pathsep + env["PATH"],
                PRE_COMMIT_HOME=os.path.join(work, "fresh-cache"))
    repo = common.example_copy(os.path.join(work, "isms-bare"))
    new_repo(bare, repo, config_from_doc("pre-commit", url))
    common.git(bare, repo, "add", "-A")
    r, out = commit(bare, repo, "the ISMS")
    check(r.returncode != 0, "without the build packages the commit fails")
    check("libyaml-dev" in out and "scripts/install-deps --no-test" in out,
          f"the hook names the missing packages and how to install them ({out[-800:]})")
    built = [d for d, _, _ in os.walk(bare["PRE_COMMIT_HOME"]) if d.endswith("build-pre-commit")]
    check(built == [], f"and builds nothing ({built})")


def main():
    ismsc = os.path.abspath(sys.argv[1])
    if not shutil.which("pre-commit"):
        print("SKIP: pre-commit is not installed (scripts/install-deps installs it)")
        sys.exit(SKIP)
    with tempfile.TemporaryDirectory() as work:
        work = os.path.realpath(work)
        env = common.quiet_env(work)
        url = common.release_clone(work, env)
        repo = evidence_scenario(env, work, url)
        new_team_scenario(env, work, url, ismsc)
        system_scenario(env, work, url, ismsc, repo)
        missing_packages_scenario(env, work, url)
    checks.finish()


if __name__ == "__main__":
    main()
