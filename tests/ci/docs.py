#!/usr/bin/env python3
"""docs/ci.md shows only recipes the suite runs: every ```yaml block is marked
`<!-- recipe: NAME -->`, every NAME is one of common.RECIPES, and the test named there reads
it (common.recipe("NAME")). No recipe pins a version but the release tag the tests create
(v<project version>), and no recipe pins a branch.
usage: docs.py
"""
import os
import re
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))
sys.path.append(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import common  # noqa: E402
from checks import Checks  # noqa: E402

checks = Checks("ci-docs")
check = checks.check


def main():
    text = common.doc_text()
    found = common.recipes()
    blocks = len(common.ANY_YAML_BLOCK.findall(text))
    check(blocks == len(common.MARKED_BLOCK.findall(text)),
          f"every YAML block of docs/ci.md is a marked recipe ({blocks} blocks, {len(found)} marked)")
    check(set(found) == set(common.RECIPES),
          f"the recipes are those the suite runs ({sorted(found)} vs {sorted(common.RECIPES)})")
    here = os.path.dirname(os.path.abspath(__file__))
    for name, test in common.RECIPES.items():
        with open(os.path.join(here, test), encoding="utf-8") as f:
            check(f'"{name}"' in f.read(), f"{test} reads the {name} recipe")
    tag = common.release_tag()
    for name, body in found.items():
        pins = re.findall(r"(?:rev: |ismsc/ismsc@|ISMSC_REV: )(\S+)", body)
        check(pins and all(p == tag for p in pins), f"the {name} recipe pins {tag} ({pins})")
    checks.finish()


if __name__ == "__main__":
    main()
