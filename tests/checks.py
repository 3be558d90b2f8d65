"""Checks: the assertion counter the Python tests share (tests/html, tests/docx, tests/init,
tests/safety). Each check is counted; a failed one is printed at once and remembered, and
finish() prints the tally and exits 1 when any failed."""
import sys


class Checks:
    """Counts checks; remembers and prints the failed ones."""

    def __init__(self, name):
        self.name = name
        self.passed = 0
        self.failed = []

    def check(self, cond, what):
        if cond:
            self.passed += 1
        else:
            self.failed.append(what)
            print(f"FAIL: {what}", flush=True)
        return bool(cond)

    def finish(self):
        print(f"{self.name}: {self.passed} passed, {len(self.failed)} failed")
        sys.exit(1 if self.failed else 0)
