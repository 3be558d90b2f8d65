#!/usr/bin/env python3
"""Nothing is lost (issue 6): builds are atomic, the source tree is never written, evidence
never resolves outside the tree.

1. A build killed in the middle (SIGTERM, SIGINT; and SIGKILL) leaves the previous OUT
   byte-identical; after SIGTERM/SIGINT no staging folder is left, and a staging folder a
   SIGKILL left behind is removed by the next build.
2. `check` and `build` leave the source tree byte-for-byte unchanged (same files, same
   bytes, same modes; nothing added).
3. Evidence through a symlink that leaves the tree, or through `..`, or absolute, is
   `evidence-missing`; a symlink that stays inside the tree is fine.
4. A rebuild keeps the files whose bytes are unchanged (out_file.h) and never shares or
   follows a file the user linked, replaced by a symbolic link or edited in OUT.
usage: run.py ISMSC
"""
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.append(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from checks import Checks  # noqa: E402

checks = Checks("safety")
check = checks.check


def snapshot(top):
    """path -> (sha256, mode) for every file, folder and link below top."""
    out = {}
    for d, dirs, files in os.walk(top):
        for n in dirs + files:
            p = os.path.join(d, n)
            st = os.lstat(p)
            if os.path.islink(p):
                out[os.path.relpath(p, top)] = ("link", os.readlink(p))
            elif os.path.isfile(p):
                with open(p, "rb") as f:
                    out[os.path.relpath(p, top)] = (hashlib.sha256(f.read()).hexdigest(), st.st_mode)
            else:
                out[os.path.relpath(p, top)] = ("dir", st.st_mode)
    return out


def make_big_tree(path):
    subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "bench", "gen_tree.py"), path,
                    "--scale", "0.3"], check=True, capture_output=True)


def build(ismsc, tree, out, **kw):
    return subprocess.Popen([ismsc, "build", tree, "-o", out, "--date", "2026-11-23"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)


def staging_left(parent, base):
    return [n for n in os.listdir(parent) if n.startswith("." + base + ".staging-")]


def test_kill(ismsc, work):
    tree = os.path.join(work, "tree")
    make_big_tree(tree)
    out = os.path.join(work, "out")
    p = build(ismsc, tree, out)
    check(p.wait() == 0, "first build of the big tree succeeds")
    before = snapshot(out)
    check(len(before) > 100, f"first build wrote a set ({len(before)} entries)")
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGKILL):
        p = build(ismsc, tree, out)
        # Wait until the staging folder exists: the build is writing.
        deadline = time.monotonic() + 30
        while not staging_left(work, "out") and time.monotonic() < deadline and p.poll() is None:
            time.sleep(0.002)
        killed_mid_write = p.poll() is None and bool(staging_left(work, "out"))
        p.send_signal(sig)
        p.wait()
        check(killed_mid_write, f"{sig.name}: the build was killed while writing")
        check(snapshot(out) == before, f"{sig.name}: the previous OUT is byte-identical")
        left = staging_left(work, "out")
        if sig == signal.SIGKILL:
            check(bool(left), "SIGKILL: a staging folder is left (nothing can remove it then)")
        else:
            check(not left, f"{sig.name}: no staging folder left behind ({left})")
    p = build(ismsc, tree, out)
    check(p.wait() == 0, "a build after a SIGKILL succeeds")
    check(not staging_left(work, "out"), "that build removed the stale staging folder")
    check(snapshot(out) == before, "and wrote the same set again (reproducible)")


def test_tree_untouched(ismsc, work):
    tree = os.path.join(work, "example")
    shutil.copytree(os.path.join(ROOT, "examples"), tree, symlinks=True)
    before = snapshot(tree)
    r = subprocess.run([ismsc, "check", tree, "--date", "2026-11-23"], capture_output=True)
    check(r.returncode == 0, "the example checks clean")
    check(snapshot(tree) == before, "check leaves the tree byte-for-byte unchanged")
    for fmt in ("sarif", "json", "github"):
        subprocess.run([ismsc, "check", tree, "--format", fmt], capture_output=True)
    check(snapshot(tree) == before, "check in every format leaves the tree unchanged")
    out = os.path.join(work, "example-out")
    r = subprocess.run([ismsc, "build", tree, "-o", out, "--date", "2026-11-23"], capture_output=True)
    check(r.returncode == 0, "the example builds")
    check(snapshot(tree) == before, "build leaves the tree byte-for-byte unchanged")
    # A failing build (an error in the tree) writes nothing anywhere.
    with open(os.path.join(tree, "risks", "R-broken.yaml"), "w") as f:
        f.write("id: R-broken\ntitle: [unclosed\n")
    before_out = snapshot(out)
    r = subprocess.run([ismsc, "build", tree, "-o", out], capture_output=True)
    check(r.returncode == 1, "a build of a tree with errors fails")
    check(snapshot(out) == before_out, "and leaves the previous OUT as it was")


def test_evidence_links(ismsc, work):
    tree = os.path.join(work, "evidence-tree")
    for d in ("controls", "evidence"):
        os.makedirs(os.path.join(tree, d))
    shutil.copy(os.path.join(ROOT, "tests", "cases", "evidence-missing-clean", "tree", "isms.yaml"), tree)
    secret = os.path.join(work, "outside-secret.txt")
    with open(secret, "w") as f:
        f.write("not part of the ISMS\n")
    with open(os.path.join(tree, "evidence", "report.txt"), "w") as f:
        f.write("inside\n")
    os.symlink(secret, os.path.join(tree, "evidence", "link-out.txt"))
    os.symlink("report.txt", os.path.join(tree, "evidence", "link-in.txt"))
    os.symlink(work, os.path.join(tree, "evidence", "dir-out"))
    entries = {
        "evidence/link-out.txt": "resolves outside the tree",
        "evidence/dir-out/outside-secret.txt": "resolves outside the tree",
        "evidence/../../outside-secret.txt": "outside the tree",
        secret: "absolute",
        "evidence/link-in.txt": None,
        "evidence/report.txt": None,
    }
    lines = ["id: A.5.1", "applicable: true", "status: implemented", "owner: CISO", "evidence:"]
    for path in entries:
        lines.append(f"  - {{path: \"{path}\", title: t}}")
    with open(os.path.join(tree, "controls", "A.5.1.yaml"), "w") as f:
        f.write("\n".join(lines) + "\n")
    r = subprocess.run([ismsc, "check", ".", "--date", "2026-11-23", "--format", "json"],
                       cwd=tree, capture_output=True, text=True)
    import json
    diags = [d for d in json.loads(r.stdout)["diagnostics"] if d["rule"] == "evidence-missing"]
    for i, (path, want) in enumerate(entries.items()):
        line = 6 + i
        found = [d for d in diags if d["line"] == line]
        if want is None:
            check(not found, f"evidence {path}: accepted ({found})")
        else:
            check(len(found) == 1 and want in found[0]["message"],
                  f"evidence {path}: evidence-missing saying '{want}' ({found})")


def identities(top):
    """path -> (inode, mtime in ns) for every file below top."""
    out = {}
    for d, _, files in os.walk(top):
        for n in files:
            st = os.lstat(os.path.join(d, n))
            out[os.path.relpath(os.path.join(d, n), top)] = (st.st_ino, st.st_mtime_ns)
    return out


def test_unchanged_kept(ismsc, work):
    """A rebuild keeps every file whose bytes did not change (the same inode, the same
    modification time) and writes the others anew; the set is still exactly a fresh build's.
    A file the user linked elsewhere, a symbolic link or a file edited in OUT is never shared
    or followed, nor a file below a linked folder, one of another mode or a FIFO: each is
    replaced by a new file, and what it pointed at is untouched."""
    tree = os.path.join(work, "kept-tree")
    shutil.copytree(os.path.join(ROOT, "examples"), tree, symlinks=True)
    out = os.path.join(work, "kept-out")

    def rebuild():
        try:
            r = subprocess.run([ismsc, "build", tree, "-o", out, "--date", "2026-11-23",
                                "--with-evidence"], capture_output=True, text=True, timeout=60)
        except subprocess.TimeoutExpired:
            check(False, "the example builds (it hung for a minute: a FIFO opened to wait?)")
            return ""
        check(r.returncode == 0, f"the example builds ({r.stderr.strip()[-300:]})")
        return r.stderr.strip().splitlines()[-1] if r.stderr.strip() else ""

    def fresh():
        other = tempfile.mkdtemp(dir=work)
        r = subprocess.run([ismsc, "build", tree, "-o", os.path.join(other, "o"), "--date",
                            "2026-11-23", "--with-evidence"], capture_output=True)
        check(r.returncode == 0, "a fresh build into an empty folder succeeds")
        return snapshot(os.path.join(other, "o"))

    rebuild()
    first = identities(out)
    check(len(first) > 50, f"the first build wrote a set ({len(first)} files)")
    time.sleep(0.05)  # a rewritten file would get a later modification time
    said = rebuild()
    again = identities(out)
    check(f"wrote 0 files to {out} and kept {len(first) - 1} unchanged" in said,
          f"and says so, the mark not counted: {said!r}")
    check(again == first, "an unchanged rebuild keeps every file: same inodes, same times "
          f"({sum(1 for p in first if again.get(p) != first[p])} of {len(first)} differ)")

    policy = os.path.join(tree, "policies", "POL-AC.md")
    with open(policy, "a") as f:
        f.write("\nA sentence added for the rebuild test.\n")
    said = rebuild()
    after = identities(out)
    changed = sorted(p for p in first if after.get(p) != first[p])
    check(f"wrote {len(changed)} files to {out} and kept {len(first) - 1 - len(changed)} "
          "unchanged" in said, f"the rebuild counts what it wrote and kept: {said!r}")
    for p in ("policies/POL-AC.html", "policies/POL-AC.docx"):
        check(p in changed, f"the edited policy's {p} is written anew")
    check("policies/POL-ISP.docx" not in changed, "another policy's DOCX is kept")
    check(0 < len(changed) < len(first) / 2,
          f"only the files that show the edit are written ({len(changed)} of {len(first)})")
    check(snapshot(out) == fresh(), "the rebuilt set is byte-identical to a fresh build's")

    # The user's own hard link to a page: the build never shares that inode.
    mine = os.path.join(work, "my-copy-of-index.html")
    os.link(os.path.join(out, "index.html"), mine)
    with open(mine, "rb") as f:
        mine_bytes = f.read()
    # A symbolic link in OUT to a file outside with the page's very bytes: never followed.
    outside = os.path.join(work, "outside-method.html")
    shutil.copy(os.path.join(out, "method.html"), outside)
    os.unlink(os.path.join(out, "method.html"))
    os.symlink(outside, os.path.join(out, "method.html"))
    # A page edited in OUT: written anew, with the build's bytes.
    with open(os.path.join(out, "scope.html"), "ab") as f:
        f.write(b"<!-- edited by hand -->")
    outside_before = snapshot(work)["outside-method.html"]
    rebuild()
    st_index, st_mine = os.stat(os.path.join(out, "index.html")), os.stat(mine)
    check(st_index.st_ino != st_mine.st_ino, "a page the user linked elsewhere is a new file")
    check(st_mine.st_nlink == 1, "and the user's link is the only name of the old one")
    with open(mine, "rb") as f:
        check(f.read() == mine_bytes, "whose bytes are untouched")
    check(not os.path.islink(os.path.join(out, "method.html")),
          "a symbolic link in OUT is replaced by a file")
    check(snapshot(work)["outside-method.html"] == outside_before,
          "and the file it pointed at is untouched")
    check(snapshot(out) == fresh(), "the set is again byte-identical to a fresh build's")

    # A folder of OUT replaced by a link to the tree's own evidence: what is below it is
    # never shared, so no file of the tree gets a second name inside OUT.
    copied = os.path.join(out, "evidence", "evidence")
    check(os.path.isdir(copied), "--with-evidence copied the tree's evidence/")
    shutil.rmtree(copied)
    os.symlink(os.path.join(tree, "evidence"), copied)
    # A page whose mode was narrowed, and a FIFO where a page was: neither kept, no hang.
    os.chmod(os.path.join(out, "soa.html"), 0o600)
    os.unlink(os.path.join(out, "readiness.html"))
    os.mkfifo(os.path.join(out, "readiness.html"))
    rebuild()
    evidence = [os.path.join(d, n) for d, _, fs in os.walk(os.path.join(tree, "evidence"))
                for n in fs]
    shared = [p for p in evidence if os.stat(p).st_nlink != 1]
    check(evidence and not shared, f"no evidence file of the tree has a second name ({shared})")
    check(not os.path.islink(copied), "the linked folder is replaced by the build's own")
    check(os.path.isfile(os.path.join(out, "readiness.html")), "the FIFO is replaced by the page")
    check(snapshot(out) == fresh(),
          "and the set, modes included, is byte-identical to a fresh build's")


def main():
    ismsc = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as work:
        test_kill(ismsc, work)
        test_tree_untouched(ismsc, work)
        test_evidence_links(ismsc, work)
        test_unchanged_kept(ismsc, work)
    checks.finish()


if __name__ == "__main__":
    sys.exit(main())
