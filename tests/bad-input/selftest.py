#!/usr/bin/python3
"""Tests run.py itself: its cases must be able to fail.

run.py is run against two broken stand-ins for ismsc, on a cheap selection of cases of every
expectation (error, diag, ok, and the zero-byte files that once asserted nothing), and every
selected case must FAIL:
  - silent: prints nothing and exits 0, as a compiler that checks nothing would;
  - lossy:  deletes the case's files from the tree (everything but isms.yaml and the probe in
            treatments/), then runs the real ismsc, as a loader that drops files would.
If a case passes with a stand-in, it asserts too little.

Usage: selftest.py ISMSC
"""
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = ["empty.yaml", "empty.md", "only-comments.yaml", "unknown-field.yaml",
         "invalid-yaml-unclosed-bracket.yaml", "bom-crlf-valid.md", "bom-crlf-valid.yaml",
         "md-backticks.md", "md-nested-blockquote-10000.md"]
STANDINS = {
    "silent": "#!/bin/sh\nexit 0\n",
    "lossy": "#!/bin/sh\n"
             "find . -mindepth 1 -maxdepth 1 ! -name isms.yaml ! -name treatments"
             " -exec rm -rf {} +\n"
             "exec \"$ISMSC_REAL\" \"$@\"\n",
}


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: selftest.py ISMSC")
    real = os.path.abspath(sys.argv[1])
    wrong = 0
    with tempfile.TemporaryDirectory(prefix="ismsc-bad-input-selftest-") as tmp:
        for name, script in STANDINS.items():
            standin = os.path.join(tmp, name)
            with open(standin, "w") as f:
                f.write(script)
            os.chmod(standin, 0o755)
            env = dict(os.environ, ISMSC_REAL=real)
            out = subprocess.run([sys.executable, os.path.join(HERE, "run.py"), standin] + CASES,
                                 env=env, stdout=subprocess.PIPE, text=True).stdout
            verdicts = {m[1]: m[0] for m in re.findall(r"^(ok|FAIL) ([^\s:]+)", out, re.M)}
            for case in CASES:
                got = verdicts.get(case)
                if got == "FAIL":
                    print(f"ok   {name} stand-in: {case} failed, as it must")
                else:
                    wrong += 1
                    print(f"FAIL {name} stand-in: {case} {'passed' if got else 'did not run'}; "
                          f"run.py output:\n{out}")
    print(f"{len(CASES) * len(STANDINS) - wrong} as expected, {wrong} wrong")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
