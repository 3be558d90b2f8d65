#!/usr/bin/env python3
"""Side-by-side rounds for bench/run.sh: what a set of records costs, as the ratio of two
commands' times measured next to each other, for check and for the floor.

    bench/pair.py ROUNDS CHECK_WITH CHECK_WITHOUT FLOOR_WITH FLOOR_WITHOUT

Each command is one argument, its words separated by tabs. Each round runs the four in
turn, the order reversed every other round (a fixed order would hand one side the warmer
cache or the quieter moment each time), and takes each ratio within the round, so both of
its runs met the same load. The first round is a warm-up and is left out. Wall time comes
from a monotonic clock around fork and wait; CPU time (user + system) from wait4's rusage,
to the microsecond (GNU time's %U and %S have 10 ms steps: 2.5% of a 0.4 s run).

Prints one line: the median over the rounds of each ratio, wall and CPU, for check and
for the floor, and the number of rounds:
    CHECK_WALL CHECK_CPU FLOOR_WALL FLOOR_CPU ROUNDS
"""
import os
import statistics
import sys
import time


def run(argv):
    """(wall seconds, user+sys seconds) of one run, output thrown away."""
    t0 = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.dup2(null, 2)
        try:
            os.execv(argv[0], argv)
        finally:
            os._exit(127)
    _, _, usage = os.wait4(pid, 0)
    return time.perf_counter() - t0, usage.ru_utime + usage.ru_stime


def main():
    if len(sys.argv) != 6:
        sys.exit(__doc__)
    rounds = int(sys.argv[1])
    cmds = [a.split("\t") for a in sys.argv[2:]]
    ratios = [[], [], [], []]  # check wall, check cpu, floor wall, floor cpu
    for i in range(rounds + 1):
        order = range(4) if i % 2 == 0 else reversed(range(4))
        t = {}
        for k in order:
            t[k] = run(cmds[k])
        if i == 0:
            continue
        for pair, (w, o) in enumerate(((0, 1), (2, 3))):
            ratios[2 * pair].append(t[w][0] / t[o][0])
            ratios[2 * pair + 1].append(t[w][1] / t[o][1] if t[o][1] > 0 else float("nan"))
    print(" ".join(f"{statistics.median(r):.3f}" for r in ratios), rounds)


if __name__ == "__main__":
    main()
