#!/usr/bin/env python3
"""LibreOffice opens ismsc's XLSX files: `soffice --headless --convert-to csv` (a private
profile) converts soa.xlsx, risks.xlsx, rtp.xlsx and nonconformities.xlsx of the example without error, and the CSV
of the first sheet (document control) names the document. Skipped (77) without soffice.
usage: libreoffice.py ISMSC
"""
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.append(os.path.dirname(HERE))
from checks import Checks  # noqa: E402

EXAMPLE = os.path.join(os.path.dirname(os.path.dirname(HERE)), "examples")

if not shutil.which("soffice"):
    print("SKIP: soffice is not installed (scripts/install-deps --office)")
    sys.exit(77)

c = Checks("xlsx-libreoffice")
with tempfile.TemporaryDirectory() as tmp:
    out, csv = os.path.join(tmp, "out"), os.path.join(tmp, "csv")
    p = subprocess.run([sys.argv[1], "build", EXAMPLE, "-o", out, "--date", "2026-11-23",
                        "--only", "xlsx"], capture_output=True, text=True, timeout=300)
    c.check(p.returncode == 0, f"build --only xlsx: {p.stderr[-300:]}")
    names = ["soa.xlsx", "risks.xlsx", "rtp.xlsx", "nonconformities.xlsx"]
    p = subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                        "--norestore", "--convert-to", "csv", "--outdir", csv,
                        *[os.path.join(out, n) for n in names]],
                       capture_output=True, text=True, timeout=600)
    c.check(p.returncode == 0 and "Error" not in p.stderr, f"soffice ran: {p.stderr[-500:]}")
    for n in names:
        path = os.path.join(csv, n.replace(".xlsx", ".csv"))
        if c.check(os.path.exists(path), f"LibreOffice converted {n}"):
            text = open(path, encoding="utf-8").read()
            c.check("Organisation" in text and "Kestrel" in text,
                    f"{n}: its first sheet is the document control ({text[:80]!r})")
c.finish()
