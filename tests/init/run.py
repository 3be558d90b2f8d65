#!/usr/bin/env python3
"""`ismsc init DIR` (SPEC §4): a new tree that checks and builds; never writes over anything.

1. init into a new folder: isms.yaml, scope.md and one stub per catalog control; `check`
   finds no errors, exactly one inclusion-justified warning per control (the to-do list) and
   a readiness note per clause whose documented information the new tree lacks;
   `build` writes the document set.
2. init into an empty folder, or `init .` in one holding only .git, works; into a non-empty
   folder, or onto a file, it fails with exit 2 and leaves what was there as it was; nothing
   is left beside it.
3. A folder name with YAML specials still gives a manifest that parses.
usage: run.py ISMSC
"""
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.append(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from checks import Checks  # noqa: E402

checks = Checks("init")
check = checks.check


def run(*args, cwd=None):
    return subprocess.run(list(args), cwd=cwd, capture_output=True, text=True,
                          env=dict(os.environ, NO_COLOR="1"))


def main():
    ismsc = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as work:
        tree = os.path.join(work, "acme-cloud")
        r = run(ismsc, "init", tree)
        check(r.returncode == 0, f"init exits 0 ({r.returncode}: {r.stderr})")
        check(sorted(os.listdir(tree)) == [".gitignore", ".ismsc", ".vscode", "README.md",
                                           "controls", "isms.yaml", "scope.md"],
              f"init writes the manifest, scope, README, .gitignore and controls/ "
              f"({os.listdir(tree)})")
        with open(os.path.join(tree, ".gitignore")) as f:
            check("/site/\n" in f.read(), ".gitignore leaves out the output folder the README names")
        with open(os.path.join(tree, "README.md")) as f:
            check("ismsc build -o site" in f.read(), "the README suggests -o site")
        stubs = sorted(os.listdir(os.path.join(tree, "controls")))
        check(len(stubs) == 93, f"one stub per Annex A 2022 control ({len(stubs)})")
        with open(os.path.join(tree, "isms.yaml")) as f:
            check('organisation: "Acme Cloud"' in f.read(), "organisation from the folder name")

        r = run(ismsc, "check", tree, "--format", "json", "--date", "2026-11-23")
        check(r.returncode == 0, f"the new tree checks without errors ({r.returncode})")
        diags = json.loads(r.stdout)["diagnostics"]
        # Outside a Git repository the Git rules say once, as a note, that they did not run.
        notes = [d for d in diags if d["rule"] == "history-unavailable"]
        check(len(notes) == 1 and notes[0]["severity"] == "note",
              f"one note that the Git rules did not run ({len(notes)})")
        diags = [d for d in diags if d["rule"] != "history-unavailable"]
        rules = sorted({d["rule"] for d in diags})
        check(rules == ["inclusion-justified", "readiness"],
              f"only inclusion-justified and readiness findings ({rules})")
        warnings = [d for d in diags if d["rule"] == "inclusion-justified"]
        files = {d["file"] for d in warnings}
        check(len(warnings) == 93 and len(files) == 93 and
              all(d["severity"] == "warning" for d in warnings),
              f"one warning per control stub ({len(warnings)} in {len(files)} files)")
        # The readiness notes are the rest of the to-do list: the clauses whose mandatory
        # documented information a new tree does not have yet (it has the scope, the risk
        # method and the SoA stubs). Notes, so they fail nothing.
        notes = [d for d in diags if d["rule"] == "readiness"]
        clauses = [d["message"].split()[1] for d in notes]
        want = ["5.2", "6.2", "7.2", "7.5", "8.1", "8.2", "8.3", "9.1", "9.2", "9.3", "10.2"]
        check(clauses == want and all(d["severity"] == "note" for d in notes),
              f"readiness notes for the clauses a new tree lacks ({clauses})")

        out = os.path.join(work, "site")
        r = run(ismsc, "build", tree, "-o", out, "--date", "2026-11-23", "--only", "html")
        check(r.returncode == 0 and os.path.exists(os.path.join(out, "soa.html")),
              f"the new tree builds ({r.returncode}: {r.stderr[-300:]})")
        with open(os.path.join(out, "soa.html"), encoding="utf-8") as f:
            soa = f.read()
        check("A.8.34" in soa and "Protection of information systems during audit" in soa,
              "the SoA lists the stubs' controls with their catalog titles")
        # A new tree has no risks, metrics or treatments yet: an empty table reads as one
        # sentence ("Risk register: none."), never as a bare header row.
        bare = []
        for name in ("review-pack.html", "risks.html", "rtp.html", "objectives.html"):
            with open(os.path.join(out, name), encoding="utf-8") as f:
                page = f.read()
            for table in re.findall(r"<table.*?</table>", page, re.S):
                if table.count("<tr") <= 1:
                    bare.append(name)
        check(not bare, f"no table of a new tree is a header row alone ({bare})")
        with open(os.path.join(out, "risks.html"), encoding="utf-8") as f:
            check("Risk register: none." in f.read(), "the empty register says so in words")

        empty = os.path.join(work, "empty")
        os.mkdir(empty)
        r = run(ismsc, "init", empty + "/")
        check(r.returncode == 0 and os.path.exists(os.path.join(empty, "isms.yaml")),
              f"init into an empty folder, named with a trailing slash ({r.stderr})")

        repo = os.path.join(work, "kestrel-isms")
        os.makedirs(os.path.join(repo, ".git", "objects"))
        with open(os.path.join(repo, ".git", "HEAD"), "w") as f:
            f.write("ref: refs/heads/main\n")
        r = run(ismsc, "init", ".", cwd=repo)
        check(r.returncode == 0, f"init . in a folder holding only .git ({r.stderr})")
        check(sorted(os.listdir(repo)) == [".git", ".gitignore", ".ismsc", ".vscode", "README.md",
                                           "controls", "isms.yaml", "scope.md"],
              f"the tree is made beside .git, nothing else left ({sorted(os.listdir(repo))})")
        with open(os.path.join(repo, ".git", "HEAD")) as f:
            check(f.read() == "ref: refs/heads/main\n", ".git is untouched")
        with open(os.path.join(repo, "isms.yaml")) as f:
            check('organisation: "Kestrel Isms"' in f.read(), "organisation from the real folder name")

        busy = os.path.join(work, "busy")
        os.mkdir(busy)
        with open(os.path.join(busy, "notes.txt"), "w") as f:
            f.write("mine\n")
        r = run(ismsc, "init", busy)
        check(r.returncode == 2 and "not empty" in r.stderr,
              f"init refuses a non-empty folder ({r.returncode}: {r.stderr})")
        check(os.listdir(busy) == ["notes.txt"], "and leaves it as it was")

        afile = os.path.join(work, "afile")
        with open(afile, "w") as f:
            f.write("data\n")
        r = run(ismsc, "init", afile)
        with open(afile) as f:
            check(r.returncode == 2 and f.read() == "data\n", "init refuses a file, unchanged")

        r = run(ismsc, "init")
        check(r.returncode == 2 and r.stderr == "ismsc init: missing DIR (usage: ismsc init DIR)\n",
              f"init without DIR is a one-line usage error ({r.stderr!r})")
        theirs = os.path.join(work, "theirs")
        os.mkdir(theirs)
        with open(os.path.join(theirs, ".gitignore"), "w") as f:
            f.write("*.log\n")
        r = run(ismsc, "init", theirs)
        with open(os.path.join(theirs, ".gitignore")) as f:
            check(r.returncode == 0 and f.read() == "*.log\n" and "'/site/'" in r.stdout,
                  f"init keeps an existing .gitignore and says what to add ({r.stdout})")

        odd = os.path.join(work, 'we"ird: #name')
        r = run(ismsc, "init", odd)
        r2 = run(ismsc, "check", odd, "--format", "json", "--date", "2026-11-23")
        errors = [d for d in json.loads(r2.stdout or '{"diagnostics": []}')["diagnostics"]
                  if d["severity"] == "error"]
        check(r.returncode == 0 and r2.returncode == 0 and not errors,
              f"a folder name with YAML specials gives a valid manifest ({errors[:2]})")

        leftovers = [n for n in os.listdir(work) if ".init-" in n]
        check(not leftovers, f"no staging folder left ({leftovers})")
    checks.finish()


if __name__ == "__main__":
    sys.exit(main())
