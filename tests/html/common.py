"""Shared helpers of the HTML end-to-end tests (tests/html/*.py).

Each test is a script run by ctest: `python3 TEST.py ISMSC [ARTEFACT_DIR]`. It prints one
line per failed check and closes with the plain 'N passed, N failed' line; its exit code is
0 only when nothing failed.
"""
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser

sys.path.append(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from checks import Checks  # noqa: E402,F401  (re-exported to the tests here)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
EXAMPLE = os.path.join(ROOT, "examples")
DATE = "2026-11-23"
DATE_EPOCH = "1795392000"  # 2026-11-23T00:00:00Z

# The pages of the example's site, relative to OUT (predicted from examples/policies/ and
# examples/reviews/, whose files are named by their ids).
CORE_PAGES = ["index.html", "scope.html", "method.html", "readiness.html", "soa.html", "rtp.html", "risks.html",
              "trace.html", "objectives.html", "audits.html", "nonconformities.html", "review-pack.html",
              "policies.html", "documents.html"]
# The Check and Act fixture: records of the v2 kinds laid over a copy of the example
# (tests/docs-check/README.md).
CHECK_ACT_OVERLAY = os.path.join(ROOT, "tests", "docs-check", "overlay")
CHECK_ACT_FOLDERS = ["objectives", "metrics", "audits", "nonconformities", "reviews"]
CHECK_ACT_PAGES = ["reviews/MR-2026-1.html"]  # pages only the fixture has


def example_pages(reviews=True):
    """reviews=False: for the Check and Act fixture, which drops the example's reviews."""
    pols = sorted(f[:-3] for f in os.listdir(os.path.join(EXAMPLE, "policies")) if f.endswith(".md"))
    revs = sorted(os.path.splitext(f)[0] for f in os.listdir(os.path.join(EXAMPLE, "reviews"))) \
        if reviews else []
    return CORE_PAGES + [f"policies/{p}.html" for p in pols] + [f"reviews/{r}.html" for r in revs]


def run_ismsc(ismsc, *args, env=None, cwd=None, timeout=120):
    e = dict(os.environ, NO_COLOR="1")
    e.pop("SOURCE_DATE_EPOCH", None)
    if env:
        e.update(env)
    return subprocess.run([ismsc, *args], capture_output=True, text=True, env=e, cwd=cwd,
                          timeout=timeout)


def check_act_tree(folder):
    """The example with the Check and Act overlay over it, copied into folder/tree."""
    tree = os.path.join(folder, "tree")
    shutil.copytree(EXAMPLE, tree)
    for kind in CHECK_ACT_FOLDERS:  # the overlay's records only: the tests count them
        shutil.rmtree(os.path.join(tree, kind), ignore_errors=True)
    shutil.copytree(CHECK_ACT_OVERLAY, tree, dirs_exist_ok=True)
    return tree


def build_check_act(ismsc, out, *extra):
    """Builds the Check and Act fixture (check_act_tree) into out."""
    tree = check_act_tree(os.path.dirname(os.path.abspath(out)))
    p = run_ismsc(ismsc, "build", tree, "-o", out, "--date", DATE, *extra)
    if p.returncode != 0:
        sys.exit(f"ismsc build of the Check and Act fixture failed ({p.returncode}):\n{p.stdout}{p.stderr}")
    return out


def build_example(ismsc, out, *extra):
    p = run_ismsc(ismsc, "build", EXAMPLE, "-o", out, "--date", DATE, *extra)
    if p.returncode != 0:
        sys.exit(f"ismsc build examples failed ({p.returncode}):\n{p.stdout}{p.stderr}")
    return out


def tree_digest(folder):
    """{relative path: sha256} of every file (and '/' for every folder) under folder."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        rel = os.path.relpath(dirpath, folder)
        if rel != ".":
            out[rel + "/"] = "dir"
        for f in filenames:
            p = os.path.join(dirpath, f)
            with open(p, "rb") as fh:
                out[os.path.normpath(os.path.join(rel, f))] = hashlib.sha256(fh.read()).hexdigest()
    return out


def html_pages(out):
    """Every .html file under out, relative, sorted."""
    found = []
    for dirpath, _, filenames in os.walk(out):
        for f in filenames:
            if f.endswith(".html"):
                found.append(os.path.relpath(os.path.join(dirpath, f), out))
    return sorted(found)


class Page(HTMLParser):
    """A page as Python's HTML parser sees it: elements, attributes, text, ids."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.elements = []  # (tag, [(name, value)])
        self.text = []
        self.ids = set()
        self.stack = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))
        for k, v in attrs:
            if k == "id":
                self.ids.add(v)

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)

    def all_text(self):
        return "".join(self.text)


def read_page(path):
    with open(path, encoding="utf-8") as fh:
        return Page(fh.read())


def temp_dir(prefix):
    return tempfile.mkdtemp(prefix=f"ismsc-{prefix}-")


def rmtree(path):
    shutil.rmtree(path, ignore_errors=True)
