"""What the tests of tests/ci share: the recipes of docs/ci.md, a throw-away Git repository of
this source tree tagged as a release, and an environment that keeps Git and pre-commit away
from the user's own configuration and from the network.

A recipe is a ```yaml block of docs/ci.md preceded by `<!-- recipe: NAME -->`. RECIPES names
every recipe and the test that runs it: docs.py fails on a YAML block without a marker and on
a marker not listed here, so docs/ci.md shows only recipes the suite runs.
"""
import os
import re
import shutil
import subprocess

SOURCE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DOC = os.path.join(SOURCE, "docs", "ci.md")
# The address the recipes name for this project; the tests put a local clone in its place.
PROJECT_URL = "https://github.com/ismsc/ismsc"

RECIPES = {
    "github-actions": "action.py",
    "gitlab-ci": "gitlab.py",
    "gitlab-code-quality": "gitlab_codequality.py",
    "pre-commit": "precommit.py",
    "pre-commit-system": "precommit.py",
}

MARKED_BLOCK = re.compile(r"<!-- recipe: ([a-z-]+) -->\n```yaml\n(.*?)\n```", re.S)
ANY_YAML_BLOCK = re.compile(r"^```yaml$", re.M)


def doc_text():
    with open(DOC, encoding="utf-8") as f:
        return f.read()


def recipes():
    """{name: YAML text} of the marked blocks of docs/ci.md."""
    return {m.group(1): m.group(2) for m in MARKED_BLOCK.finditer(doc_text())}


def recipe(name):
    found = recipes()
    if name not in found:
        raise SystemExit(f"docs/ci.md has no '<!-- recipe: {name} -->' YAML block")
    return found[name]


def project_version():
    """The version of project() in CMakeLists.txt: the release tag is v<version>."""
    with open(os.path.join(SOURCE, "CMakeLists.txt"), encoding="utf-8") as f:
        m = re.search(r"project\(ismsc VERSION ([0-9.]+)", f.read())
    return m.group(1)


def release_tag():
    return "v" + project_version()


def quiet_env(work, **extra):
    """Git and pre-commit confined to WORK: no global or system Git configuration, no
    pre-commit cache of the user's, a fixed date for ismsc's date checks, no colour."""
    home = os.path.join(work, "home")
    os.makedirs(home, exist_ok=True)
    env = dict(os.environ)
    for var in list(env):
        if var.startswith("GIT_") or var.startswith("PRE_COMMIT"):
            del env[var]
    env.update(
        HOME=home,
        XDG_CONFIG_HOME=os.path.join(home, ".config"),
        XDG_CACHE_HOME=os.path.join(home, ".cache"),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="Test", GIT_AUTHOR_EMAIL="test@example.org",
        GIT_COMMITTER_NAME="Test", GIT_COMMITTER_EMAIL="test@example.org",
        PRE_COMMIT_HOME=os.path.join(work, "pre-commit-cache"),
        SOURCE_DATE_EPOCH="1795392000",  # 2026-11-23, the date the example is checked on
        NO_COLOR="1",
    )
    env.update(extra)
    return env


def run(args, cwd, env, timeout=300):
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)


def git(env, cwd, *args):
    r = run(["git", *args], cwd, env)
    if r.returncode != 0:
        raise SystemExit(f"git {' '.join(args)} failed in {cwd}: {r.stderr}")
    return r.stdout


def source_files():
    """This source tree's files as the next commit would hold them: tracked and untracked,
    not ignored (so the test runs the code being tested, committed or not)."""
    r = subprocess.run(["git", "-C", SOURCE, "ls-files", "-z", "--cached", "--others",
                        "--exclude-standard"], capture_output=True, text=True)
    if r.returncode != 0:
        return None
    return [p for p in r.stdout.split("\0") if p and os.path.lexists(os.path.join(SOURCE, p))]


def release_clone(work, env):
    """A Git repository in WORK holding this source tree in one commit tagged as the release
    (release_tag()); returns its file:// URL, which stands in for PROJECT_URL."""
    repo = os.path.join(work, "ismsc-release")
    files = source_files()
    if files is None:  # not a Git checkout (a tarball): everything but build folders
        shutil.copytree(SOURCE, repo, symlinks=True,
                        ignore=shutil.ignore_patterns(".git", "build", "build-*", "out"))
    else:
        for rel in files:
            dst = os.path.join(repo, rel)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copy2(os.path.join(SOURCE, rel), dst, follow_symlinks=False)
    git(env, repo, "init", "-q", "-b", "main")
    git(env, repo, "add", "-A")
    git(env, repo, "commit", "-q", "-m", "release")
    git(env, repo, "tag", release_tag())
    return "file://" + repo


def tree_copy(src, dst):
    shutil.copytree(src, dst, symlinks=True)
    return dst


def example_copy(dst):
    return tree_copy(os.path.join(SOURCE, "examples"), dst)


def broken_example(dst):
    """A copy of the example whose risk R-006 names an asset that does not exist, AST-GONE:
    one ref-unknown error in risks/R-006.yaml."""
    example_copy(dst)
    risk = os.path.join(dst, "risks", "R-006.yaml")
    with open(risk, encoding="utf-8") as f:
        text = f.read()
    broken = re.sub(r"AST-[A-Z-]+", "AST-GONE", text, count=1)
    if broken == text:
        raise SystemExit("examples/risks/R-006.yaml names no asset to break")
    with open(risk, "w", encoding="utf-8") as f:
        f.write(broken)
    return dst


def add_orphan_asset(tree):
    """An asset no risk names: one asset-orphan warning, no error."""
    with open(os.path.join(tree, "assets", "AST-SPARE.yaml"), "w", encoding="utf-8") as f:
        f.write("id: AST-SPARE\ntitle: Spare laptop\ntype: hardware\nowner: IT\n")
