#!/usr/bin/python3
"""Malformed-input suite for `ismsc check`.

For each case in cases.tsv: build a temporary tree (a minimal valid isms.yaml plus the case,
committed from cases/ or generated here), run `ISMSC check TREE --date 2026-11-23` under a
time limit and a memory cap, and assert that it neither crashed, hung, blew up in memory nor
tripped a sanitizer, and that the case file got the diagnostic its row expects. Only the case
file's own diagnostics are asserted: the tree has no other records, so coverage findings
(soa-complete, ...) on other files are expected and ignored.

Every case asserts something about its own file, so no case can pass whatever the compiler
does: an `error` or `diag` case needs its diagnostic; an `ok` case (valid input, however
large or odd) must get no error AND must have been loaded, not silently dropped: a probe
treatment (treatments/T-PROBE-LOADED.yaml) lists every id the case file defines plus one id
nothing defines (the canary). The canary must get its `ref-unknown` (the compiler did read
the probe); any other `ref-unknown` on the probe means a record of the case was lost. selftest.py runs this script against
broken stand-ins for ismsc (one that prints nothing, one that loses the case's files) and
asserts that the cases fail.

Usage:
  run.py ISMSC [CASE ...]      run every case, or only the named ones
  run.py --list                list the cases
Environment:
  ISMSC_SANITIZED=1            the binary is an ASan/UBSan build: no RLIMIT_AS (ASan reserves
                               terabytes of address space); peak RSS is still asserted.

Standard library only.
"""

import argparse
import os
import re
import resource
import shutil
import signal
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CASES_DIR = os.path.join(HERE, "cases")
TSV = os.path.join(HERE, "cases.tsv")
DATE = "2026-11-23"
EXPECTS = ("error", "diag", "ok")
SANITIZER_MARKERS = ("AddressSanitizer", "LeakSanitizer", "UndefinedBehaviorSanitizer",
                     "runtime error:")
# The probe an `ok` case gets: a treatment naming every id the case file defines.
PROBE = "treatments/T-PROBE-LOADED.yaml"
CANARY = "R-PROBE-CANARY"
ID_RE = re.compile(r"^\ufeff?(?:- )?id: *([A-Za-z0-9._-]+)\r?$", re.M)
DIAG_RE = re.compile(r"^(\d+):(\d+): (error|warning|note): .* \[([A-Za-z0-9_.-]+)\]$")

MANIFEST = """\
organisation: Bad Input Test Ltd
title: Bad input test ISMS
catalog: iso27001-2022
owner: CISO
classifications: [public, internal, confidential, restricted]
risk:
  likelihood: [Rare, Unlikely, Possible, Likely, Almost certain]
  impact: [Negligible, Minor, Moderate, Major, Severe]
  accept_max: 6
  levels: [{max: 4, name: Low}, {max: 9, name: Medium}, {max: 15, name: High}, {max: 25, name: Critical}]
review:
  policy_max_age_days: 365
"""


# --- valid building blocks for generated cases -----------------------------------------

def risk_yaml(rid, title):
    """A valid, accepted, low risk: no structural or coverage finding of its own."""
    return (f"id: {rid}\ntitle: {title}\nowner: CISO\nlikelihood: 1\nimpact: 2\n"
            f"treatment: accept\nacceptance: {{by: CEO, date: 2026-01-15}}\n")


def risk_md(rid, title, body):
    return "---\n" + risk_yaml(rid, title) + "---\n\n" + body


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data.encode("utf-8") if isinstance(data, str) else data)


# --- generators: gen(folder_abs, folder_rel, name) -> list of target paths (relative) ---
# A target is a path whose diagnostics the case asserts on.

def gen_huge_file(d, rel, name):
    line = ("x" * 98) + "\n"
    head = risk_yaml("R-HUGE", "A 50 MB file") + "body: |\n"
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "w") as f:
        f.write(head)
        chunk = ("  " + line) * 10000            # 1 MB
        for _ in range(50):
            f.write(chunk)
    return [rel + name]


def gen_metric_csv(content):
    """A metric whose `data:` names the case's CSV (content: bytes, or a function writing the
    file). Both are targets: the CSV's diagnostics are asserted on it, and an `ok` case's
    probe names the metric (that its rows were read is golden lua-metric-derived's job)."""
    def gen(d, rel, name):
        mid = "M-" + name.split(".")[0].upper()
        write(os.path.join(d, mid + ".yaml"),
              f"id: {mid}\ntitle: A metric with a CSV\nowner: CISO\ntarget: 95\n"
              f"frequency: monthly\ndata: {rel}{name}\n")
        if callable(content):
            content(os.path.join(d, name))
        else:
            write(os.path.join(d, name), content)
        return [rel + name, rel + mid + ".yaml"]
    return gen


def write_csv_50mb(path):
    """50 MB of good rows: over limits.max_file_bytes, never parsed."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    row = b"2026-01-01,95,a note that makes the row longer than it needs to be\n"
    chunk = row * (1_000_000 // len(row))
    with open(path, "wb") as f:
        for _ in range(50):
            f.write(chunk)


def gen_deep_flow(depth):
    def gen(d, rel, name):
        write(os.path.join(d, name), risk_yaml("R-DEEPFLOW", f"{depth}-deep flow sequence")
              + "assets: " + "[" * depth + "A-001" + "]" * depth + "\n")
        return [rel + name]
    return gen


def gen_deep_block_seq(d, rel, name):
    depth = 10000
    write(os.path.join(d, name), risk_yaml("R-DEEPSEQ", "10,000-deep block sequence")
          + "assets:\n  " + "- " * depth + "A-001\n")
    return [rel + name]


def gen_deep_block_map(d, rel, name):
    depth = 3000
    parts = [risk_yaml("R-DEEPMAP", "3,000-deep block mapping"), "assets:\n"]
    for i in range(1, depth + 1):
        parts.append(" " * i + f"k{i}:\n")
    parts.append(" " * (depth + 1) + "A-001\n")
    write(os.path.join(d, name), "".join(parts))
    return [rel + name]


def gen_symlink_loop(d, rel, name):
    os.makedirs(d, exist_ok=True)
    os.symlink("b.yaml", os.path.join(d, "a.yaml"))
    os.symlink("a.yaml", os.path.join(d, "b.yaml"))
    return [rel + "a.yaml", rel + "b.yaml"]


def gen_symlink_dangling(d, rel, name):
    os.makedirs(d, exist_ok=True)
    os.symlink("does-not-exist.yaml", os.path.join(d, name))
    return [rel + name]


def gen_symlink_dir_to_root(d, rel, name):
    os.makedirs(d, exist_ok=True)
    os.symlink("..", os.path.join(d, "loop"))
    return [rel + "loop", rel + "loop/"]


def gen_symlink_dev_zero(d, rel, name):
    os.makedirs(d, exist_ok=True)
    os.symlink("/dev/zero", os.path.join(d, name))
    return [rel + name]


def gen_fifo(d, rel, name):
    os.makedirs(d, exist_ok=True)
    os.mkfifo(os.path.join(d, name))
    return [rel + name]


def gen_dir_named_like_record(d, rel, name):
    os.makedirs(os.path.join(d, "R-999.yaml"))
    return [rel + "R-999.yaml", rel + "R-999.yaml/"]


def gen_unreadable_file(d, rel, name):
    p = os.path.join(d, name)
    write(p, risk_yaml("R-UNREADABLE", "A file nobody may read"))
    os.chmod(p, 0)
    return [rel + name]


def gen_unreadable_dir(d, rel, name):
    locked = os.path.join(d, "locked")
    write(os.path.join(locked, "R-LOCKED.yaml"), risk_yaml("R-LOCKED", "In a folder nobody may read"))
    os.chmod(locked, 0)
    return [rel + "locked", rel + "locked/", rel + "locked/R-LOCKED.yaml"]


def gen_records_100000(d, rel, name):
    n = 100000
    items = []
    for i in range(n):
        items.append(f"- id: R-{i:06d}\n  title: Record {i}\n  owner: CISO\n  likelihood: 1\n"
                     f"  impact: 2\n  treatment: accept\n  acceptance: {{by: CEO, date: 2026-01-15}}\n")
    write(os.path.join(d, name), "".join(items))
    return [rel + name]


def gen_many_files(d, rel, name):
    os.makedirs(d, exist_ok=True)
    targets = []
    for i in range(10000):
        fn = f"R-{i:05d}.yaml"
        with open(os.path.join(d, fn), "w") as f:
            f.write(risk_yaml(f"R-{i:05d}", f"Record {i}"))
        targets.append(rel + fn)
    return targets


def gen_huge_line_md(d, rel, name):
    body = "# Narrative\n\n" + ("word " * (5 * 1024 * 1024 // 5)) + "\n"
    write(os.path.join(d, name), risk_md("R-HUGELINE", "A 5 MB line", body))
    return [rel + name]


def gen_very_long_key(d, rel, name):
    # An explicit key ("? "): libyaml caps implicit keys at 1024 characters, and this case is
    # about a valid but huge unknown field name (did-you-mean cost), not a syntax error.
    write(os.path.join(d, name), risk_yaml("R-LONGKEY", "A 1 MB key")
          + "? owne" + "r" * (1 << 20) + "\n: CTO\n")
    return [rel + name]


def gen_alias_fanout(d, rel, name):
    big = "A-" + "x" * (1 << 20)
    write(os.path.join(d, name), risk_yaml("R-FANOUT", "One 1 MB scalar aliased 1,000 times")
          + f"threat: &big {big}\n" + "assets: [" + ", ".join(["*big"] * 1000) + "]\n")
    return [rel + name]


def gen_md(rid, body_fn):
    def gen(d, rel, name):
        write(os.path.join(d, name), risk_md(rid, "Pathological Markdown body", body_fn()))
        return [rel + name]
    return gen


def md_emphasis():
    return ("*a **a " * 30000 + "\n\n" + "a_ " * 30000 + "\n\n" + "a**b " * 30000 + "\n\n"
            + "*a_ " * 30000 + "\n\n" + "[ a_ " * 30000 + "\n\n" + "**" * 30000 + "a" + "*" * 30000 + "\n")


def md_nested_list():
    flat = "- " * 10000 + "a\n\n"
    indented = "".join("  " * i + "- a\n" for i in range(1000))     # 1,000 more by indentation
    return flat + indented


def md_backticks():
    return "".join("e" + "`" * i for i in range(1, 2001)) + "\n"


def md_gfm_table():
    cols = 5000
    return ("|" + "a|" * cols + "\n" + "|" + "-|" * cols + "\n" + "x\n" * 5000)


GENERATORS = {
    "huge-file-50mb.yaml": gen_huge_file,
    "csv-bad-date.csv": gen_metric_csv(b"date,value\n2026-01-31,90\n2026-02-30,91\n"),
    "csv-ragged-row.csv": gen_metric_csv(b"2026-01-31,90\n2026-02-28\n2026-03-31,1,n,x\n"),
    "csv-50mb.csv": gen_metric_csv(write_csv_50mb),
    "csv-bom-crlf.csv": gen_metric_csv(b"\xef\xbb\xbfdate,value,note\r\n2026-01-31,90,ok\r\n"
                                       b"\"2026-02-28\",\"96.5\",\"a, quoted note\"\r\n"),
    "deep-flow-10000.yaml": gen_deep_flow(10000),
    "deep-flow-1000000.yaml": gen_deep_flow(1000000),
    "deep-block-seq-10000.yaml": gen_deep_block_seq,
    "deep-block-map-3000.yaml": gen_deep_block_map,
    "symlink-loop": gen_symlink_loop,
    "symlink-dangling.yaml": gen_symlink_dangling,
    "symlink-dir-to-root": gen_symlink_dir_to_root,
    "symlink-to-dev-zero.yaml": gen_symlink_dev_zero,
    "fifo.yaml": gen_fifo,
    "dir-named-like-record": gen_dir_named_like_record,
    "unreadable-file.yaml": gen_unreadable_file,
    "unreadable-dir": gen_unreadable_dir,
    "records-100000.yaml": gen_records_100000,
    "many-files-10000": gen_many_files,
    "huge-line.md": gen_huge_line_md,
    "very-long-key.yaml": gen_very_long_key,
    "alias-fanout.yaml": gen_alias_fanout,
    "md-nested-blockquote-10000.md": gen_md("R-MDQUOTE", lambda: "> " * 10000 + "a\n"),
    "md-nested-brackets-50000.md": gen_md("R-MDBRACKET", lambda: "[" * 50000 + "a" + "]" * 50000 + "\n"),
    "md-nested-list-10000.md": gen_md("R-MDLIST", md_nested_list),
    "md-emphasis-pathological.md": gen_md("R-MDEMPH", md_emphasis),
    "md-unclosed-links.md": gen_md("R-MDLINK", lambda: "[a](<b" * 50000 + "\n\n" + "[a](b" * 50000 + "\n"),
    "md-backticks.md": gen_md("R-MDTICK", md_backticks),
    "md-gfm-table-wide.md": gen_md("R-MDTABLE", md_gfm_table),
    "md-xref-openers-100000.md": gen_md("R-MDXOPEN", lambda: "[[" * 100000 + "\n"),
    "md-xref-self-100000.md": gen_md("R-MDXSELF", lambda: "See [[R-MDXSELF]]. " * 100000 + "\n"),
}

# Cases whose diagnostic cannot be asserted as root (root reads mode-000 files and folders).
NEEDS_NON_ROOT = {"unreadable-file.yaml", "unreadable-dir"}


# --- the manifest ----------------------------------------------------------------------

class Case:
    def __init__(self, name, source, place, expect, rules, what, lineno):
        self.name, self.source, self.place, self.expect, self.what = name, source, place, expect, what
        self.rules = [] if rules == "-" else [r.strip() for r in rules.split(",") if r.strip()]
        self.lineno = lineno


def load_cases():
    cases, seen = [], set()
    with open(TSV, encoding="utf-8") as f:
        header = None
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            if header is None:
                header = cols
                continue
            if len(cols) != 6:
                sys.exit(f"{TSV}:{lineno}: expected 6 tab-separated columns, got {len(cols)}")
            c = Case(*cols, lineno)
            problems = []
            if c.name in seen:
                problems.append("duplicate name")
            if c.source not in ("file", "generated"):
                problems.append(f"source {c.source!r}")
            if c.expect not in EXPECTS:
                problems.append(f"expect {c.expect!r}")
            if c.expect in ("error", "diag") and not c.rules:
                problems.append("expect error/diag needs rules")
            if c.expect == "ok" and c.rules:
                problems.append("expect ok takes no rules ('-')")
            if c.source == "file" and not os.path.isfile(os.path.join(CASES_DIR, c.name)):
                problems.append("no file cases/" + c.name)
            if c.source == "generated" and c.name not in GENERATORS:
                problems.append("no generator in run.py")
            if problems:
                sys.exit(f"{TSV}:{lineno}: {c.name}: " + "; ".join(problems))
            seen.add(c.name)
            cases.append(c)
    return cases


# --- building and running a case ------------------------------------------------------

def build_tree(case, tree):
    """Lay out the tree; return the relative paths the case's diagnostics are expected on."""
    os.makedirs(tree)
    if case.place != "isms.yaml":
        write(os.path.join(tree, "isms.yaml"), MANIFEST)
    if case.place.endswith("/"):
        folder_rel, dest_rel = case.place, case.place + case.name
    else:
        folder_rel, dest_rel = os.path.dirname(case.place), case.place
        folder_rel = folder_rel + "/" if folder_rel else ""
    if case.source == "file":
        dest = os.path.join(tree, dest_rel)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        shutil.copyfile(os.path.join(CASES_DIR, case.name), dest)
        return [dest_rel]
    folder = os.path.join(tree, folder_rel) if folder_rel else tree
    return GENERATORS[case.name](folder, folder_rel, case.name)


def defined_ids(tree, targets):
    """The ids the case's files define (`id:` lines, also as list items), read from disk."""
    ids = []
    for rel in targets:
        path = os.path.join(tree, rel)
        if os.path.isfile(path) and not os.path.islink(path):
            with open(path, "rb") as f:
                ids += ID_RE.findall(f.read(1 << 20).decode("utf-8", errors="replace"))
    return ids


def write_probe(tree, ids):
    write(os.path.join(tree, PROBE),
          "id: T-PROBE-LOADED\ntitle: Every record of the case was loaded\nowner: CISO\n"
          "risks: [" + ", ".join(ids + [CANARY]) + "]\n")


def remove_tree(path):
    """rmtree that first restores permissions the generators took away."""
    for root, dirs, files in os.walk(path, topdown=True):
        for d in dirs:
            p = os.path.join(root, d)
            if not os.path.islink(p):
                try:
                    os.chmod(p, 0o700)
                except OSError:
                    pass
    shutil.rmtree(path, ignore_errors=True)


def limits(sanitized, mem_bytes):
    def apply():
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if not sanitized:
            resource.setrlimit(resource.RLIMIT_AS, (mem_bytes, mem_bytes))
    return apply


def run_binary(binary, tree, outdir, timeout, sanitized, mem_bytes):
    """Run `binary check tree --date DATE`. Return (status, stdout, stderr, seconds, maxrss_kb).
    status is ('exit', code), ('signal', signum) or ('timeout', None)."""
    out_path, err_path = os.path.join(outdir, "stdout"), os.path.join(outdir, "stderr")
    env = dict(os.environ, NO_COLOR="1", LC_ALL="C.UTF-8")
    env.pop("SOURCE_DATE_EPOCH", None)
    # Run from inside the tree, as a user (or CI) does: paths come out relative to it.
    argv = [binary, "check", ".", "--date", DATE]
    with open(out_path, "wb") as out, open(err_path, "wb") as err, open(os.devnull, "rb") as nul:
        pid = os.fork()
        if pid == 0:                                   # child
            try:
                os.setsid()
                os.dup2(nul.fileno(), 0)
                os.dup2(out.fileno(), 1)
                os.dup2(err.fileno(), 2)
                os.chdir(tree)
                for sig in ("SIGPIPE", "SIGXFSZ"):        # Python ignores these; exec keeps that
                    if hasattr(signal, sig):
                        signal.signal(getattr(signal, sig), signal.SIG_DFL)
                limits(sanitized, mem_bytes)()
                os.execve(binary, argv, env)
            except BaseException as e:                 # exec failed: report through stderr
                try:
                    os.write(2, f"run.py: cannot exec {binary}: {e}\n".encode())
                finally:
                    os._exit(127)
        start = time.monotonic()
        deadline = start + timeout
        status = None
        delay = 0.001
        while True:
            wpid, wstatus, usage = os.wait4(pid, os.WNOHANG)
            if wpid == pid:
                break
            if time.monotonic() >= deadline:
                try:
                    os.killpg(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                wpid, wstatus, usage = os.wait4(pid, 0)
                status = ("timeout", None)
                break
            time.sleep(delay)
            delay = min(delay * 2, 0.05)
        seconds = time.monotonic() - start
        # Reap anything the binary left behind in its process group.
        try:
            os.killpg(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    if status is None:
        if os.WIFSIGNALED(wstatus):
            status = ("signal", os.WTERMSIG(wstatus))
        else:
            status = ("exit", os.WEXITSTATUS(wstatus))
    with open(out_path, "rb") as f:
        stdout = f.read().decode("utf-8", errors="replace")
    with open(err_path, "rb") as f:
        stderr = f.read().decode("utf-8", errors="replace")
    return status, stdout, stderr, seconds, usage.ru_maxrss


def diagnostics_for(stdout, targets):
    """Diagnostics on the target paths: list of (line, col, severity, rule), plus the lines that
    start with a target path and a number but are not well-formed diagnostics."""
    targets = set(targets)
    found, malformed = [], []
    for text in stdout.split("\n"):
        i = text.find(":")
        while i != -1 and text[:i] not in targets:
            i = text.find(":", i + 1)
        if i == -1:
            continue
        rest = text[i + 1:]
        m = DIAG_RE.match(rest)
        if m and int(m.group(1)) > 0 and int(m.group(2)) > 0:
            found.append((int(m.group(1)), int(m.group(2)), m.group(3), m.group(4)))
        elif rest[:1].isdigit():
            malformed.append(text)
    return found, malformed


def check_case(case, args, is_root):
    """Return (ok, message)."""
    work = tempfile.mkdtemp(prefix="ismsc-bad-input-")
    tree = os.path.join(work, "tree")
    try:
        try:
            targets = build_tree(case, tree)
            probe_ids = defined_ids(tree, targets) if case.expect == "ok" else []
            if probe_ids:
                write_probe(tree, probe_ids)
        except OSError as e:
            return False, f"could not build the tree: {e}"
        if case.expect == "ok" and not probe_ids:
            return False, "an ok case must define a record id (its probe checks it was loaded)"
        status, stdout, stderr, seconds, maxrss_kb = run_binary(
            args.binary, tree, work, args.timeout, args.sanitized, args.mem_mb << 20)
        problems = []
        kind, value = status
        if kind == "timeout":
            problems.append(f"timed out after {args.timeout:g} s")
        elif kind == "signal":
            problems.append(f"killed by signal {value} ({signal.Signals(value).name})")
        elif value == 127 and "run.py: cannot exec" in stderr:
            return False, stderr.strip()
        for stream_name, text in (("stdout", stdout), ("stderr", stderr)):
            for marker in SANITIZER_MARKERS:
                if marker in text:
                    problems.append(f"{stream_name} contains {marker!r}")
        if maxrss_kb > args.max_rss_mb * 1024:
            problems.append(f"peak RSS {maxrss_kb // 1024} MB > {args.max_rss_mb} MB")
        skip_diag = is_root and case.name in NEEDS_NON_ROOT
        if kind == "exit":
            if case.expect == "error" and not skip_diag:
                if value != 1:
                    problems.append(f"exit status {value}, expected 1")
            elif value not in (0, 1):
                problems.append(f"exit status {value}, expected 0 or 1")

        found, malformed = diagnostics_for(stdout, targets)
        for text in malformed[:3]:
            problems.append(f"malformed diagnostic line: {text[:200]!r}")
        if not skip_diag and kind == "exit":
            accepted = set(case.rules)
            want = "|".join(case.rules)
            seen = ", ".join(sorted({f"{sev} [{rule}]" for _, _, sev, rule in found})) or "none"
            if case.expect == "error":
                if not any(sev == "error" and rule in accepted for _, _, sev, rule in found):
                    problems.append(f"no error [{want}] on {targets[0]}; its diagnostics: {seen}")
            elif case.expect == "diag":
                if not any(rule in accepted for _, _, _, rule in found):
                    problems.append(f"no diagnostic [{want}] on {targets[0]}; its diagnostics: {seen}")
            elif case.expect == "ok":
                errs = sorted({rule for _, _, sev, rule in found if sev == "error"})
                if errs:
                    problems.append(f"valid file got errors: {', '.join(errs)}")
                unknown = [t for t in stdout.split("\n")
                           if t.startswith(PROBE + ":") and t.endswith("[ref-unknown]")]
                lost = [t for t in unknown if CANARY not in t]
                if len(lost) == len(unknown):
                    problems.append(f"the probe {PROBE} got no ref-unknown for its canary "
                                    f"{CANARY}: the tree was not checked")
                if lost:
                    problems.append(f"records lost: the probe naming the case's {len(probe_ids)} "
                                    f"id(s) got {len(lost)} ref-unknown, e.g. {lost[0][:200]!r}")
        if problems:
            msg = "; ".join(problems)
            if args.verbose:
                msg += "\n" + indent_output("stdout", stdout) + indent_output("stderr", stderr)
            return False, msg
        note = f"  # {seconds:.2f} s, {maxrss_kb // 1024} MB"
        if skip_diag:
            note += "; diagnostic not asserted: running as root, which can read mode-000 files"
        return True, note if args.verbose or skip_diag else ""
    finally:
        if args.keep:
            print(f"# kept {work}", file=sys.stderr)
        else:
            remove_tree(work)


def indent_output(name, text, limit=40):
    lines = text.split("\n")
    shown = "\n".join("    | " + l[:300] for l in lines[:limit])
    more = f"\n    | ... {len(lines) - limit} more lines" if len(lines) > limit else ""
    return f"  {name}:\n{shown}{more}\n"


def main():
    ap = argparse.ArgumentParser(description="Run ismsc against malformed inputs.")
    ap.add_argument("binary", nargs="?", help="the ismsc binary")
    ap.add_argument("cases", nargs="*", help="run only these cases (names from cases.tsv)")
    ap.add_argument("--list", action="store_true", help="list the cases and exit")
    ap.add_argument("--timeout", type=float, default=None,
                    help="seconds per case (default 20, or 60 for a sanitizer build)")
    ap.add_argument("--mem-mb", type=int, default=1024,
                    help="RLIMIT_AS in MiB when not sanitized (default 1024)")
    ap.add_argument("--max-rss-mb", type=int, default=500,
                    help="peak resident set size allowed, MiB (default 500)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary trees")
    ap.add_argument("-v", "--verbose", action="store_true", help="show output of failing cases")
    args = ap.parse_args()
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)        # `run.py --list | head` ends quietly
    cases = load_cases()

    if args.list:
        w = max(len(c.name) for c in cases)
        for c in cases:
            print(f"{c.name:<{w}}  {c.source:<9}  {c.place:<12} {c.expect:<5}  "
                  f"{','.join(c.rules) or '-'}")
        return 0
    if not args.binary:
        ap.error("the ismsc binary is required (or --list)")
    args.binary = os.path.abspath(args.binary)
    if not (os.path.isfile(args.binary) and os.access(args.binary, os.X_OK)):
        ap.error(f"{args.binary}: not an executable file")
    args.sanitized = os.environ.get("ISMSC_SANITIZED") == "1"
    if args.timeout is None:
        # "Never hangs", with room for a loaded CI machine: ASan+UBSan runs 3-10x slower.
        args.timeout = 60.0 if args.sanitized else 20.0

    if args.cases:
        by_name = {c.name: c for c in cases}
        unknown = [n for n in args.cases if n not in by_name]
        if unknown:
            ap.error("unknown case(s): " + ", ".join(unknown) + " (see --list)")
        cases = [by_name[n] for n in args.cases]

    is_root = os.geteuid() == 0
    passed = failed = 0
    for c in cases:
        ok, msg = check_case(c, args, is_root)
        if ok:
            passed += 1
            print(f"ok {c.name}{msg}", flush=True)
        else:
            failed += 1
            print(f"FAIL {c.name}: {msg}", flush=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
