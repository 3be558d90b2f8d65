#!/usr/bin/env python3
"""The command line (SPEC §4), as a user meets it: golden refusals, options, the tree root,
per-command help, explain/rules, colour, the man page, the completions, and a new user's
first broken commit.

1. Refusals: each is exactly one line on stderr, naming the fix, exit 2 (the table CASES).
2. The tree root is found upward like git's; outside a tree, one line and exit 2.
3. --only writes what it names, and the closing line names index.html only if written.
4. COMMAND --help, explain, rules (text, json; a tree's overrides), --version, --color and
   FORCE_COLOR / CLICOLOR_FORCE / NO_COLOR / TERM=dumb.
5. docs/rule-reference.md is `ismsc rules --format markdown` (outside any tree).
6. The man page (build/ismsc.1) formats without groff warnings and lists every command and
   option --help lists; the bash completion completes commands, options and values.
7. A new user: git init, ismsc init ., commit, one broken reference: the error is on top and
   the output fits on one screen (24 lines).
Usage: run.py ISMSC
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.append(os.path.dirname(HERE))
from checks import Checks  # noqa: E402

checks = Checks("cli")
check = checks.check
FIXTURE = os.path.join(ROOT, "tests", "cases", "message-errors-first-folded", "tree")


def run(ismsc, *args, cwd=None, env=None):
    e = dict(os.environ)
    for k in ("NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE", "GITHUB_STEP_SUMMARY",
              "SOURCE_DATE_EPOCH"):
        e.pop(k, None)
    e.update(env or {})
    return subprocess.run([ismsc, *args], cwd=cwd, capture_output=True, text=True, env=e,
                          timeout=120)


# (arguments, where: "tree" | "sub" | "empty", the exact stderr)
CASES = [
    ([], "tree", "ismsc: no command given: try 'ismsc check' (ismsc --help lists them)"),
    (["chek"], "tree", "ismsc: unknown command 'chek'; did you mean 'check'?"),
    (["help", "chek"], "tree",
     "ismsc: no command 'chek' to help with (ismsc --help lists the commands)"),
    (["--werror", "check"], "tree",
     "ismsc: '--werror' goes after the command, e.g. 'ismsc check --werror'"),
    (["check", "--force"], "tree",
     "ismsc check: --force is an option of build, not of check (ismsc check --help lists its own)"),
    (["check", "-o", "X"], "tree",
     "ismsc check: -o is an option of build, not of check (ismsc check --help lists its own)"),
    (["check", "--only", "soa"], "tree",
     "ismsc check: --only is an option of build, not of check (ismsc check --help lists its own)"),
    (["init", "--format", "json", "x"], "empty",
     "ismsc init: --format is an option of check, build and rules, not of init "
     "(ismsc init --help lists its own)"),
    (["check", "--formt", "json"], "tree",
     "ismsc check: unknown option '--formt'; did you mean '--format'?"),
    (["check", "--bogus"], "tree",
     "ismsc check: unknown option '--bogus' (ismsc check --help lists its options)"),
    (["check", "--date"], "tree", "ismsc check: --date needs a value: --date YYYY-MM-DD"),
    (["check", "--format", "jsn"], "tree",
     "ismsc check: --format 'jsn' is not one of text|github|sarif|json|gitlab; did you mean 'json'?"),
    (["check", "--color", "sometimes"], "tree",
     "ismsc check: --color 'sometimes' is not one of auto|always|never"),
    (["check", "--date", "2026-02-30"], "tree",
     "ismsc check: --date '2026-02-30' is not a date: February 2026 has 28 days"),
    (["check", "--date", "2026-13-01"], "tree",
     "ismsc check: --date '2026-13-01' is not a date: there is no month 13"),
    (["check", ".", "extra"], "tree",
     "ismsc check: unexpected argument 'extra' (usage: ismsc check [TREE])"),
    (["build", "--only", "", "-o", "out"], "tree",
     "ismsc build: --only needs at least one part, e.g. --only soa,html"),
    (["build", "--only", "sao", "-o", "out"], "tree",
     "ismsc build: --only: unknown part 'sao' (the parts: index, scope, method, readiness, soa, rtp, "
     "risks, trace, "
     "objectives, audits, nonconformities, review-pack, policy-index, documents, policies, reviews, changes, html, docx, xlsx, "
     "json)"),
    (["build"], "tree", "ismsc build: needs an output folder: ismsc build -o OUT"),
    (["init"], "empty", "ismsc init: missing DIR (usage: ismsc init DIR)"),
    (["explain"], "tree", "ismsc explain: missing RULE (usage: ismsc explain RULE)"),
    (["explain", "inclusion-justifed"], "tree",
     "ismsc explain: unknown rule 'inclusion-justifed'; did you mean 'inclusion-justified'? "
     "('ismsc rules' lists them)"),
    (["check"], "empty",
     "ismsc check: not in an ISMS tree: no isms.yaml in '.' or any folder above it "
     "(start one with 'ismsc init DIR')"),
    (["check", "nope"], "tree", "ismsc check: 'nope' is not a folder: No such file or directory"),
    (["build", "-o", "out"], "empty",
     "ismsc build: not in an ISMS tree: no isms.yaml in '.' or any folder above it "
     "(start one with 'ismsc init DIR')"),
]


def check_refusals(ismsc, tree, empty):
    for args, where, want in CASES:
        r = run(ismsc, *args, cwd={"tree": tree, "empty": empty}[where])
        check(r.returncode == 2 and r.stderr == want + "\n" and r.stdout == "",
              f"{args}: exit {r.returncode}, stderr {r.stderr!r}, stdout {r.stdout[:80]!r}")


def check_root(ismsc, tree):
    # From a subfolder: the root is found upward, paths open from where the user is.
    r = run(ismsc, "check", "--quiet", "--date", "2026-11-23", cwd=os.path.join(tree, "controls"))
    check(r.returncode == 1 and r.stdout.splitlines()[0] ==
          "../treatments/T-001.yaml:3:9: error: unknown risk 'R-009' [ref-unknown]" and
          r.stdout.endswith("\n1 error, 12 warnings\n"), f"check from controls/: {r.stdout}")
    r = run(ismsc, "check", "controls", "--quiet", "--date", "2026-11-23", cwd=tree)
    check(r.stdout.startswith("treatments/T-001.yaml:3:9: error:"), f"check controls: {r.stdout}")
    r = run(ismsc, "check", os.path.join(tree, "controls"), "-q", "--date", "2026-11-23")
    check(r.stdout.startswith(tree + "/treatments/T-001.yaml:3:9: error:"),
          f"check /abs/controls: {r.stdout[:200]}")
    r = run(ismsc, "check", "controls/A.5.1.md", "-q", "--date", "2026-11-23", cwd=tree)
    check(r.stdout.startswith("treatments/T-001.yaml:3:9: error:"),
          f"check FILE checks the file's tree: {r.stdout[:200]}")
    r = run(ismsc, "check", "--format", "JSON", "--date", "2026-11-23", cwd=tree)
    check(r.returncode == 1 and json.loads(r.stdout)["summary"]["errors"] == 1,
          "--format JSON is json (values match case-insensitively)")


def check_only(ismsc, tree, work):
    def build(only):
        out = os.path.join(work, "out-" + only.replace(",", "-"))
        r = run(ismsc, "build", "-o", out, "--force", "--only", only, "--date", "2026-11-23",
                cwd=tree)
        return r, sorted(os.listdir(out)) if os.path.isdir(out) else []
    r, files = build("soa")
    check(files == [".ismsc-output", "soa.docx", "soa.html", "soa.xlsx"], f"--only soa wrote {files}")
    check(r.stderr.endswith("ismsc: wrote 3 files to %s/out-soa\n" % work),
          f"--only soa: no 'open index.html' ({r.stderr[-200:]})")
    r, files = build("soa,json")
    check(files == [".ismsc-output", "isms.json", "soa.docx", "soa.html", "soa.xlsx"],
          f"--only soa,json wrote {files}")
    r, files = build("index,html")
    check(files == [".ismsc-output", "index.html"] and "(open " in r.stderr,
          f"--only index,html wrote {files}: {r.stderr[-120:]}")


def check_natural_order(ismsc, tree, work):
    """Registers list ids in natural order: R-2 before R-10."""
    for rid in ("R-10", "R-2"):
        with open(os.path.join(tree, "risks", rid + ".yaml"), "w") as f:
            f.write(f"id: {rid}\ntitle: Risk {rid}\nowner: COO\nlikelihood: 2\nimpact: 1\n"
                    "treatment: accept\nacceptance: {by: COO, date: 2026-02-01}\n")
    out = os.path.join(work, "out-natural")
    r = run(ismsc, "build", "-o", out, "--force", "--only", "risks,html", "--date", "2026-11-23",
            cwd=tree)
    with open(os.path.join(out, "risks.html"), encoding="utf-8") as f:
        page = f.read()
    check(r.returncode == 1 and 0 < page.find(">R-2<") < page.find(">R-10<"),
          f"risk register in natural order ({page.find('>R-2<')}, {page.find('>R-10<')})")
    for rid in ("R-10", "R-2"):
        os.remove(os.path.join(tree, "risks", rid + ".yaml"))


def check_conveniences(ismsc, tree):
    r = run(ismsc, "check", "--help", cwd=tree)
    check(r.returncode == 0 and r.stdout.startswith("usage: ismsc check [TREE] [options]\n") and
          "--quiet" in r.stdout and "--output" not in r.stdout, "check --help")
    r = run(ismsc, "help", "build")
    check(r.returncode == 0 and "--only LIST" in r.stdout, "ismsc help build")
    r = run(ismsc, "explain", "inclusion-justified")
    check(r.returncode == 0 and r.stdout.startswith(
        "inclusion-justified: warning (shipped, lua/inclusion-justified.lua)\n") and
        "\nFix:\n" in r.stdout and "reasons: [legal, contractual" in r.stdout,
        f"explain: {r.stdout}")
    r = run(ismsc, "explain", "ref-unknown")
    check(r.returncode == 0 and "built in" in r.stdout and "Fix:" in r.stdout, "explain C rule")
    r = run(ismsc, "rules", cwd=tree)
    lines = r.stdout.splitlines()
    check(r.returncode == 0 and len(lines) >= 30 and
          any(l.split()[:2] == ["asset-orphan", "off"] and "(default warning)" in l
              for l in lines), "rules in a tree shows its severities")
    r = run(ismsc, "rules", "-C", tree, cwd=os.path.dirname(tree))
    check(any(l.split()[:2] == ["asset-orphan", "off"] for l in r.stdout.splitlines()),
          "rules -C TREE shows that tree's severities")
    r = run(ismsc, "rules", "-C", os.path.join(os.path.dirname(tree), "empty"))
    check(r.returncode == 0 and any(l.split()[:2] == ["asset-orphan", "warning"]
                                    for l in r.stdout.splitlines()),
          "rules -C outside a tree: the defaults")
    rules = json.loads(run(ismsc, "rules", "--format", "json").stdout)
    ids = [x["id"] for x in rules]
    check("ref-unknown" in ids and "soa-complete" in ids and
          all(x["description"] and x["explanation"] for x in rules), "rules --format json")
    r = run(ismsc, "--version")
    check(r.returncode == 0 and "catalogs: iso27001-2022, iso27001-2013" in r.stdout and
          "libyaml" in r.stdout and "libgit2" in r.stdout, f"--version: {r.stdout}")
    base = ["check", "--date", "2026-11-23", "--quiet"]
    colour = {
        "always": (base + ["--color", "always"], {}, True),
        "never beats FORCE_COLOR": (base + ["--color=never"], {"FORCE_COLOR": "1"}, False),
        "FORCE_COLOR": (base, {"FORCE_COLOR": "1"}, True),
        "CLICOLOR_FORCE": (base, {"CLICOLOR_FORCE": "1"}, True),
        "FORCE_COLOR=0": (base, {"FORCE_COLOR": "0"}, False),
        "NO_COLOR beats FORCE_COLOR": (base, {"NO_COLOR": "1", "FORCE_COLOR": "1"}, False),
        "not a terminal": (base, {}, False),
    }
    for what, (args, env, want) in colour.items():
        r = run(ismsc, *args, cwd=tree, env=env)
        check(("\033[" in r.stdout) == want, f"colour: {what}")
    # TERM=dumb turns colour off on a terminal: run under script(1) when it is there.
    if shutil.which("script"):
        for term, want in (("xterm", True), ("dumb", False)):
            r = subprocess.run(["script", "-qec", " ".join([ismsc] + base), "/dev/null"],
                               cwd=tree, capture_output=True, text=True,
                               env=dict(os.environ, TERM=term), timeout=60)
            check(("\033[" in r.stdout) == want, f"colour on a terminal with TERM={term}")


def check_generated(ismsc):
    build = os.path.dirname(ismsc)
    # docs/rule-reference.md is generated from the rules themselves.
    with tempfile.TemporaryDirectory() as outside:
        r = run(ismsc, "rules", "--format", "markdown", cwd=outside)
    with open(os.path.join(ROOT, "docs", "rule-reference.md"), encoding="utf-8") as f:
        check(r.stdout == f.read(), "docs/rule-reference.md is out of date: regenerate it with "
              "`ismsc rules --format markdown > docs/rule-reference.md` (outside any tree)")
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        check("```\n" + run(ismsc, "--help").stdout + "```\n" in f.read(),
              "README.md's usage block is not `ismsc --help`: paste its output there")
    man = os.path.join(build, "ismsc.1")
    check(os.path.exists(man), "build/ismsc.1 is generated")
    if shutil.which("groff") and os.path.exists(man):
        g = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-z", man], capture_output=True,
                           text=True)
        check(g.returncode == 0 and not g.stderr, f"groff warns: {g.stderr}")
        text = subprocess.run(["groff", "-man", "-Tascii", "-P-cbou", man], capture_output=True,
                              text=True).stdout
        for command in ("check", "build", "init", "explain", "rules"):
            help_text = run(ismsc, command, "--help").stdout
            for word in help_text.split():
                if word.startswith("--"):
                    check(word.rstrip(",") in text, f"man page lacks {word} of {command}")
            check("ismsc " + command in text, f"man page lacks {command}")
    # cmake --install puts the man page and the completions where man and the shells look.
    if shutil.which("cmake") and os.path.exists(os.path.join(build, "cmake_install.cmake")):
        with tempfile.TemporaryDirectory() as prefix:
            r = subprocess.run(["cmake", "--install", build, "--prefix", prefix],
                               capture_output=True, text=True)
            for rel in ("bin/ismsc", "share/man/man1/ismsc.1",
                        "share/bash-completion/completions/ismsc",
                        "share/zsh/site-functions/_ismsc"):
                check(r.returncode == 0 and os.path.exists(os.path.join(prefix, rel)),
                      f"cmake --install puts {rel} ({r.stderr[-200:]})")
    bash_file = os.path.join(build, "completions", "ismsc")
    check(os.path.exists(bash_file), "bash completion is generated")

    def complete(*words):
        script = (f"source {bash_file}; COMP_WORDS=({' '.join(repr(w) for w in words)}); "
                  f"COMP_CWORD={len(words) - 1}; _ismsc; printf '%s\\n' \"${{COMPREPLY[@]}}\"")
        return subprocess.run(["bash", "-c", script], capture_output=True, text=True).stdout.split()
    check(complete("ismsc", "ch") == ["check"], f"complete 'ch': {complete('ismsc', 'ch')}")
    check(complete("ismsc", "check", "--fo") == ["--format"], "complete check --fo")
    check(complete("ismsc", "check", "--format", "") == ["text", "github", "sarif", "json",
                                                         "gitlab"], "complete --format values")
    check(complete("ismsc", "build", "--color", "a") == ["auto", "always"], "complete --color a")
    check(complete("ismsc", "init", "--") == ["--help"], "init completes only its own options")
    check("--only" not in complete("ismsc", "check", "--"), "check does not offer --only")


def check_new_user(ismsc, work):
    repo = os.path.join(work, "new-isms")
    os.mkdir(repo)
    env = dict(GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.org")
    git = lambda *a: subprocess.run(["git", *a], cwd=repo, capture_output=True,
                                    env=dict(os.environ, **env), check=True)
    git("init", "-q")
    check(run(ismsc, "init", ".", cwd=repo).returncode == 0, "init . in a new repository")
    os.mkdir(os.path.join(repo, "treatments"))
    with open(os.path.join(repo, "treatments", "T-001.yaml"), "w") as f:
        f.write("id: T-001\ntitle: Badge readers\nrisks: [R-001]\nowner: COO\n"
                "controls: [A.7.2]\n")
    git("add", "-A")
    git("commit", "-qm", "first commit")
    r = run(ismsc, "check", "--date", "2026-11-23", cwd=os.path.join(repo, "controls"))
    lines = r.stdout.splitlines()
    check(r.returncode == 1 and lines[0] ==
          "../treatments/T-001.yaml:3:9: error: unknown risk 'R-001' [ref-unknown]",
          f"the error is on top: {lines[:2]}")
    check(len(lines) <= 24, f"the first run fits on one screen ({len(lines)} lines)")
    # The closing count, and a summary line per folded rule: 93 inclusion-justified warnings
    # and a new tree's readiness notes (the rest of its to-do list; notes fail nothing).
    check(re.fullmatch(r"1 error, 93 warnings, \d+ notes", lines[-1]) is not None and
          any("see 'ismsc explain inclusion-justified'" in l for l in lines[-3:-1]) and
          any("see 'ismsc explain readiness'" in l for l in lines[-3:-1]), f"closing lines {lines[-3:]}")


def main():
    ismsc = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as work:
        tree = os.path.join(work, "tree")
        shutil.copytree(FIXTURE, tree)
        empty = os.path.join(work, "empty")
        os.mkdir(empty)
        check_refusals(ismsc, tree, empty)
        check_root(ismsc, tree)
        check_only(ismsc, tree, work)
        os.mkdir(os.path.join(tree, "risks"))
        check_natural_order(ismsc, tree, work)
        check_conveniences(ismsc, tree)
        check_generated(ismsc)
        check_new_user(ismsc, work)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
