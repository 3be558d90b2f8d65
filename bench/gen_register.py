#!/usr/bin/env python3
"""Writes a risk register of N rows as CSV, as a team would export it from a spreadsheet, for
the `import` rows of bench/run.sh. Deterministic (fixed seed, no clock).
usage: gen_register.py OUT.csv [N]"""
import csv
import random
import sys

LIKELIHOOD = ["Rare", "Unlikely", "Possible", "Likely", "Almost certain"]
IMPACT = ["Negligible", "Minor", "Moderate", "Major", "Severe"]
OPTIONS = ["mitigate", "Modify", "accept", "transfer", "avoid"]


def main():
    out, n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 5000
    rnd = random.Random(27001)
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["Risk ID", "Title", "Risk owner", "Threat", "Vulnerability", "Likelihood",
                    "Impact", "Treatment option", "Residual likelihood", "Residual impact",
                    "Acceptance by", "Acceptance date", "Category"])
        for i in range(1, n + 1):
            option = rnd.choice(OPTIONS)
            accepted = option == "accept"
            w.writerow([f"RI-{i:05d}", f"Imported risk {i}: {rnd.choice(['outage', 'leak', 'fraud'])}",
                        rnd.choice(["CISO", "CTO", "COO"]), "A threat, described", "A weakness",
                        rnd.choice(LIKELIHOOD), rnd.randint(1, 5), option, rnd.randint(1, 2),
                        rnd.randint(1, 3), "CEO" if accepted else "",
                        f"2026-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}" if accepted else "",
                        rnd.choice(["Operational", "Legal", "People"])])


main()
