"""Shared helpers of the DOCX tests (tests/docx/*.py).

Each test is a script run by ctest: `python3 TEST.py ISMSC [ARTEFACT_DIR]`. It prints one
line per failed check and closes with a 'N passed, N failed' line; its exit code is 0 only
when nothing failed. A tool the test needs (xmllint, python-docx, LibreOffice, poppler) that
is missing is a failure, not a skip: `make test` installs them (scripts/install-deps --office).
"""
import ctypes
import ctypes.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zipfile

sys.path.append(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from checks import Checks  # noqa: E402,F401  (re-exported to the tests here)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
EXAMPLE = os.path.join(ROOT, "examples")
CORPUS = os.path.join(ROOT, "tests", "corpus")
SCHEMAS = os.path.join(ROOT, "tests", "schemas", "ooxml")
DATE = "2026-11-23"

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W, "r": R}

# The parts of a DOCX that are WordprocessingML, and the schema each validates against.
WML_PARTS = ["word/document.xml", "word/styles.xml", "word/numbering.xml", "word/settings.xml",
             "word/fontTable.xml", "word/header1.xml", "word/footer1.xml"]
DML_PARTS = ["word/theme/theme1.xml"]


def need_tool(checks, name):
    """A missing tool fails the test (CI installs it); returns its path or None."""
    path = shutil.which(name)
    checks.check(path, f"{name} is installed (scripts/install-deps --office)")
    return path


def sanitized():
    return os.environ.get("ISMSC_SANITIZED") == "1"


def run_ismsc(ismsc, *args, env=None, timeout=300):
    e = dict(os.environ, NO_COLOR="1")
    e.pop("SOURCE_DATE_EPOCH", None)
    if env:
        e.update(env)
    return subprocess.run([ismsc, *args], capture_output=True, text=True, env=e, timeout=timeout)


def build(ismsc, tree, out, *extra, env=None):
    """ismsc build TREE -o OUT --date DATE ...; returns the CompletedProcess."""
    return run_ismsc(ismsc, "build", tree, "-o", out, "--date", DATE, *extra, env=env)


def docx_files(out):
    """Every .docx below OUT, as paths relative to OUT, sorted."""
    found = []
    for dirpath, _, files in os.walk(out):
        for f in files:
            if f.endswith(".docx"):
                found.append(os.path.relpath(os.path.join(dirpath, f), out))
    return sorted(found)


def copy_tree(src, dst):
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns(".git", "out", "site"))


CHECK_ACT_OVERLAY = os.path.join(ROOT, "tests", "docs-check", "overlay")
CHECK_ACT_FOLDERS = ["objectives", "metrics", "audits", "nonconformities", "reviews"]


def check_act_tree(dst):
    """The Check and Act fixture (tests/docs-check): the example with the overlay over it."""
    copy_tree(EXAMPLE, dst)
    for kind in CHECK_ACT_FOLDERS:  # the overlay's records only: the tests count them
        shutil.rmtree(os.path.join(dst, kind), ignore_errors=True)
    shutil.copytree(CHECK_ACT_OVERLAY, dst, dirs_exist_ok=True)
    return dst


def front_matter(**fields):
    lines = ["---"]
    for k, v in fields.items():
        lines.append(f"{k}: {v}")
    lines.append("---")
    return "\n".join(lines) + "\n"


def corpus_files():
    """Every Markdown file of tests/corpus/ (real policies nobody on the team wrote)."""
    found = []
    for dirpath, _, files in os.walk(CORPUS):
        for f in sorted(files):
            if f.endswith(".md") and f not in ("PROVENANCE.md", "README.md"):
                found.append(os.path.join(dirpath, f))
    return sorted(found)


def corpus_tree(dst):
    """The example tree with every corpus file added as a policy (front matter written by
    the test, the body byte for byte). Returns {policy id: source path}."""
    copy_tree(EXAMPLE, dst)
    ids = {}
    for i, path in enumerate(corpus_files()):
        pid = f"POL-CORPUS-{i + 1:02d}"
        with open(path, "rb") as f:
            body = f.read()
        # comply's files open with keys and close with '---': keep the whole file as body.
        head = front_matter(id=pid, title=f"'Corpus {os.path.relpath(path, CORPUS)}'",
                            owner="CISO", version='"1.0"', status="approved",
                            approved="{by: CEO, date: 2026-03-01}", review="2027-03-01",
                            classification="internal")
        with open(os.path.join(dst, "policies", pid + ".md"), "wb") as f:
            f.write(head.encode() + body)
        ids[pid] = path
    return ids


def parts(path):
    """{part name: bytes} of a DOCX, and its entries' ZipInfo in order."""
    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
        return {i.filename: z.read(i.filename) for i in infos}, infos


def xsd_validate(files, schema):
    """Validates many files in one xmllint run; returns {file: error text} for failures."""
    bad = {}
    for i in range(0, len(files), 200):
        chunk = files[i:i + 200]
        p = subprocess.run(["xmllint", "--noout", "--nonet", "--schema", schema, *chunk],
                           capture_output=True, text=True, timeout=600)
        for f in chunk:
            if f"{f} validates" not in p.stderr:
                lines = [l for l in p.stderr.splitlines() if l.startswith(f + ":")]
                bad[f] = "\n".join(lines[:3]) or p.stderr[-500:]
    return bad


def extract_parts(docx, dst, names):
    """Writes the named parts of a DOCX under dst; returns their paths."""
    got = []
    ps, _ = parts(docx)
    for n in names:
        if n in ps:
            p = os.path.join(dst, n)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "wb") as f:
                f.write(ps[n])
            got.append(p)
    return got


# ------------------------------------------------------------------ Markdown as cmark sees it

class Cmark:
    """cmark-gfm's own XML rendering of a Markdown text, through ctypes: an oracle for what
    the DOCX must hold (headings, list items, tables, links) that shares no code with the
    renderer under test."""

    def __init__(self):
        core = ctypes.CDLL(ctypes.util.find_library("cmark-gfm") or "libcmark-gfm.so")
        ext = ctypes.CDLL(ctypes.util.find_library("cmark-gfm-extensions")
                          or "libcmark-gfm-extensions.so")
        ext.cmark_gfm_core_extensions_ensure_registered()
        core.cmark_parser_new.restype = ctypes.c_void_p
        core.cmark_parser_new.argtypes = [ctypes.c_int]
        core.cmark_find_syntax_extension.restype = ctypes.c_void_p
        core.cmark_find_syntax_extension.argtypes = [ctypes.c_char_p]
        core.cmark_parser_attach_syntax_extension.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        core.cmark_parser_feed.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t]
        core.cmark_parser_finish.restype = ctypes.c_void_p
        core.cmark_parser_finish.argtypes = [ctypes.c_void_p]
        core.cmark_render_xml.restype = ctypes.c_void_p
        core.cmark_render_xml.argtypes = [ctypes.c_void_p, ctypes.c_int]
        core.cmark_node_free.argtypes = [ctypes.c_void_p]
        core.cmark_parser_free.argtypes = [ctypes.c_void_p]
        self.core = core
        self.libc = ctypes.CDLL(ctypes.util.find_library("c"))
        self.libc.free.argtypes = [ctypes.c_void_p]

    def tree(self, text):
        c = self.core
        p = c.cmark_parser_new(0)
        for name in (b"table", b"strikethrough", b"autolink", b"tasklist"):
            e = c.cmark_find_syntax_extension(name)
            if e:
                c.cmark_parser_attach_syntax_extension(p, e)
        # As ismsc's md_prepare does: control characters become U+FFFD before parsing.
        text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "\ufffd", text)
        data = text.encode()
        c.cmark_parser_feed(p, data, len(data))
        root = c.cmark_parser_finish(p)
        raw = c.cmark_render_xml(root, 0)
        xml = ctypes.string_at(raw).decode()
        self.libc.free(raw)
        c.cmark_node_free(root)
        c.cmark_parser_free(p)
        xml = re.sub(r"<!DOCTYPE[^>]*>", "", xml)
        return ET.fromstring(xml.encode())


CM = "{http://commonmark.org/xml/1.0}"


def md_counts(cmark, text):
    """Headings by level, list items, tables, links to http(s) URLs, [[ID]] occurrences."""
    root = cmark.tree(text)
    heads = {}
    for h in root.iter(CM + "heading"):
        lv = int(h.get("level"))
        heads[lv] = heads.get(lv, 0) + 1
    items = sum(1 for _ in root.iter(CM + "item")) + sum(1 for _ in root.iter(CM + "tasklist"))
    tasks = [t.get("completed") == "true" for t in root.iter(CM + "tasklist")]
    tables = sum(1 for _ in root.iter(CM + "table"))
    urls = [l.get("destination") for l in root.iter(CM + "link")
            if re.match(r"(?i)(https?://|mailto:)", l.get("destination") or "")]
    refs = re.findall(r"\[\[([A-Za-z0-9._-]+)\]\]", text)
    return {"headings": heads, "items": items, "tasks": tasks, "tables": tables, "urls": urls,
            "refs": refs}


# ------------------------------------------------------------------ hostile content

# Characters XML 1.0 cannot carry, as raw bytes in a Markdown body (the loader's encoding
# check refuses NUL, so NUL is left out here and comes in through a YAML escape instead).
CONTROL_BYTES = "".join(chr(c) for c in range(1, 32) if c not in (9, 10, 13))

HOSTILE_BODY = f"""# Escaping <script>alert("h1")</script> & ]]>

Text with <script>alert(1)</script>, an ampersand & a CDATA end ]]> and
<![CDATA[ not a section ]]> and control characters [{CONTROL_BYTES}] end.
A hard break follows\\
and a soft one
here. ~~struck~~ *emphasis* **strong** `code <b>` and a [bad link](javascript:alert(1)),
a [good link](https://example.com/a?b=1&c=<2>) and an unknown [[NOPE-1]] and a known [[A.5.1]].

<div onclick="evil()">raw html block & stuff</div>

## Deep lists

- level 1
  - level 2
    - level 3
      - level 4
        - level 5
          - level 6
            - level 7
              - level 8
                - level 9
                  - level 10
                    - level 11

7. seven
8. eight
   1. nested one
   2. nested two

- [ ] open task
- [x] done task

### A table

| Left | Centre | Right | Plain |
|:-----|:------:|------:|-------|
| a & b | <i>c</i> | 3 | ]]> |
| short |

> A quote with **strong** text
> > and a nested quote

```
code block with <tags> & ]]>
	tab
```

---

#### Four
##### Five
###### Six
"""


def hostile_tree(dst):
    """The example tree plus a policy whose fields and body hold everything XML must escape
    or cannot carry. Returns the policy id."""
    copy_tree(EXAMPLE, dst)
    pid = "POL-HOSTILE"
    head = ("---\n"
            f"id: {pid}\n"
            'title: "Hostile \\x01 <script>alert(\'t\')</script> & ]]> \\uFFFE \\x1F policy"\n'
            'owner: "Owner <o> & \\x02 co"\n'
            'version: "1.0 ]]>"\n'
            "status: approved\n"
            "approved: {by: \"CEO & <b>board</b>\", date: 2026-03-01}\n"
            "review: 2027-03-01\n"
            "classification: internal\n"
            "---\n")
    with open(os.path.join(dst, "policies", pid + ".md"), "w", encoding="utf-8") as f:
        f.write(head + HOSTILE_BODY)
    # Nesting far deeper than anyone writes, just inside limits.max_markdown_depth (100).
    deep = "".join("> " * i + "quote\n" for i in range(1, 90))
    deep += "\n" + "".join("  " * i + "- item\n" for i in range(0, 90))
    with open(os.path.join(dst, "policies", "POL-DEEP.md"), "w", encoding="utf-8") as f:
        f.write(front_matter(id="POL-DEEP", title="Deep", owner="CISO", version='"1"') + deep)
    return pid


def python_docx_reads_no_break_hyphens(docx_module):
    """python-docx 1.x reads a run's w:noBreakHyphen as "-" (ismsc writes the hyphens of ids
    and dates so: "T-" / "014" never ends a line); Debian's 0.8 drops it ("T014"). Gives the
    older one the newer one's reading, so a cell's text is the text Word shows."""
    from docx.oxml.ns import qn
    from docx.oxml.text.run import CT_R
    if getattr(CT_R, "_ismsc_no_break_hyphen", False):
        return
    plain = CT_R.text.fget

    def text(self):
        if self.find(qn("w:noBreakHyphen")) is None:
            return plain(self)
        out = ""
        for child in self:
            if child.tag == qn("w:t"):
                out += child.text or ""
            elif child.tag == qn("w:noBreakHyphen"):
                out += "-"
            elif child.tag == qn("w:tab"):
                out += "\t"
            elif child.tag in (qn("w:br"), qn("w:cr")):
                out += "\n"
        return out
    CT_R.text = property(text, CT_R.text.fset)
    CT_R._ismsc_no_break_hyphen = True
