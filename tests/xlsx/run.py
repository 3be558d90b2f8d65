#!/usr/bin/env python3
"""The XLSX document set (emit_xlsx.c), read by a real client: openpyxl.

1. Content: soa.xlsx has one row per catalog control and risks.xlsx one per risk of the
   model (isms.json of the same build is the oracle); likelihood, impact and scores are
   numbers, score and level cells filled with their level's palette colour; the SoA's
   Applicable is a boolean, Justification, Inclusion reasons, Risks and Evidence (an entry a
   line) columns of their own; enumerated columns offer their values as data-validation
   lists; every sheet has a frozen header row and an autofilter; document control is a
   sheet of its own.
2. Determinism: two builds, the second under another time zone, give the same bytes; every
   zip entry carries the fixed 1980 date, the workbook's creation time is --date.
3. `build --only xlsx` writes the XLSX files alone.
4. Schema: every SpreadsheetML part (workbook, styles, shared strings, sheets) of the four
   files validates against ECMA-376's sml.xsd (tests/schemas/ooxml) with xmllint.
5. Round trip: risks.xlsx's asset and register sheets, soa.xlsx's Controls and rtp.xlsx's
   Treatment actions imported (`ismsc import`) into a tree holding only isms.yaml give the
   same assets, risks, controls and treatments, field by field, as the tree that was built
   (the fields the sheets hold; isms.json of both builds compared).
6. Typed cells: booleans, dates (with a date number format) and numbers in every file, no
   date as text anywhere, a data-validation list on every enumerated column; the parts of a
   tree whose texts start and end with spaces validate against sml.xsd too.
usage: run.py ISMSC
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.append(os.path.dirname(HERE))
from checks import Checks  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(HERE))
EXAMPLE = os.path.join(ROOT, "examples")
DATE = "2026-11-23"

try:
    import openpyxl
except ImportError:
    print("SKIP: python3-openpyxl is not installed (scripts/install-deps)")
    sys.exit(77)


def run(ismsc, *args, env=None):
    e = dict(os.environ, NO_COLOR="1")
    e.pop("SOURCE_DATE_EPOCH", None)
    e.update(env or {})
    return subprocess.run([ismsc, *args], capture_output=True, text=True, env=e, timeout=300)


def build(ismsc, out, *extra, env=None):
    return run(ismsc, "build", EXAMPLE, "-o", out, "--date", DATE, *extra, env=env)


def header(ws):
    return [c.value for c in ws[1]]


def content(c, out):
    model = json.load(open(os.path.join(out, "isms.json")))["records"]
    soa = openpyxl.load_workbook(os.path.join(out, "soa.xlsx"))
    risks = openpyxl.load_workbook(os.path.join(out, "risks.xlsx"))
    for name, wb in (("soa", soa), ("risks", risks)):
        c.check("Document control" in wb.sheetnames, f"{name}.xlsx has a Document control sheet")
        for ws in wb:
            c.check(ws.freeze_panes == "A2", f"{name}.xlsx!{ws.title}: header row frozen")
            c.check(ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"),
                    f"{name}.xlsx!{ws.title}: autofilter set ({ws.auto_filter.ref})")
            widths = [ws.column_dimensions[k].width for k in ws.column_dimensions]
            c.check(widths and all(8 <= w <= 61 for w in widths),
                    f"{name}.xlsx!{ws.title}: column widths set within 8..60 ({widths[:4]})")
        dc = {r[0]: r[1] for r in wb["Document control"].iter_rows(min_row=2, values_only=True)}
        c.check(dc.get("Organisation"), f"{name}.xlsx: document control names the organisation")

    ws = soa["Controls"]
    ids = [r[1] for r in ws.iter_rows(min_row=2, values_only=True)]
    want = sorted(r["id"] for r in model["controls"])
    c.check(sorted(ids) == want, f"soa.xlsx: one row per catalog control ({len(ids)} rows, "
            f"{len(want)} controls)")
    c.check(len(set(ids)) == len(ids), "soa.xlsx: no control twice")
    c.check(header(ws) == ["Section", "Control", "Title", "Applicable", "Justification",
                           "Inclusion reasons", "Risks", "Status", "Owner", "Policies", "Evidence"],
            f"soa.xlsx: header {header(ws)}")
    lists = {dv.sqref.ranges[0].coord.split(":")[0][0]: dv.formula1
             for dv in ws.data_validations.dataValidation if dv.type == "list"}
    c.check(lists.get("D") == '"TRUE,FALSE"' and "implemented" in (lists.get("H") or ""),
            f"soa.xlsx: Applicable and Status offer their values as lists ({lists})")
    by_id = {r[1]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    for r in model["controls"]:
        row = by_id.get(r["id"])
        if not row:
            continue
        c.check(row[3] is (r["applicable"] if r.get("recorded") else None),
                f"soa.xlsx {r['id']}: Applicable is the boolean {row[3]!r}")
        c.check((row[5] or "") == ", ".join(r.get("reasons", [])),
                f"soa.xlsx {r['id']}: inclusion reasons as their values ({row[5]!r})")
        c.check((row[6] or "") == ", ".join(r.get("risks", [])),
                f"soa.xlsx {r['id']}: the risks selecting it in their own column ({row[6]!r})")
        c.check((row[4] or None) == r.get("justification"),
                f"soa.xlsx {r['id']}: the justification alone ({row[4]!r})")
        c.check(len((row[10] or "").splitlines()) == len(r.get("evidence", [])),
                f"soa.xlsx {r['id']}: an evidence entry a line ({row[10]!r})")
    summary = soa["Summary"]
    nums = [r[1] for r in summary.iter_rows(min_row=2, values_only=True)]
    c.check(nums and all(isinstance(n, int) for n in nums), f"soa.xlsx: key figures are numbers {nums}")
    c.check(nums[0] == len(want), f"soa.xlsx: controls in the catalog = {len(want)}")

    ws = risks["Risk register"]
    h = header(ws)
    rows = {r[0]: dict(zip(h, r)) for r in ws.iter_rows(min_row=2, values_only=True)}
    c.check(sorted(rows) == sorted(r["id"] for r in model["risks"]),
            f"risks.xlsx: one row per risk ({len(rows)})")
    levels = [lv["name"] for lv in json.load(open(os.path.join(out, "isms.json")))
              .get("method", {}).get("levels", [])] or None
    for r in model["risks"]:
        got = rows.get(r["id"], {})
        c.check(got.get("Likelihood") == r["likelihood"] and isinstance(got.get("Likelihood"), int),
                f"risks.xlsx {r['id']}: likelihood {got.get('Likelihood')!r} is the number {r['likelihood']}")
        c.check(got.get("Inherent score") == r["likelihood"] * r["impact"],
                f"risks.xlsx {r['id']}: inherent score {got.get('Inherent score')!r} is a number")
        c.check(isinstance(got.get("Inherent level"), str) and got["Inherent level"]
                and (levels is None or got["Inherent level"] in levels),
                f"risks.xlsx {r['id']}: inherent level {got.get('Inherent level')!r} is its name")
        res = r.get("residual") or {}
        if "likelihood" in res:
            c.check(got.get("Residual likelihood") == res["likelihood"]
                    and got.get("Residual score") == res["likelihood"] * res["impact"]
                    and isinstance(got.get("Residual level"), str),
                    f"risks.xlsx {r['id']}: residual likelihood, score and level typed "
                    f"({got.get('Residual likelihood')!r}, {got.get('Residual score')!r})")
    lists = {h[dv.sqref.ranges[0].min_col - 1]: dv.formula1
             for dv in ws.data_validations.dataValidation if dv.type == "list"}
    c.check(lists.get("Option") == '"mitigate,accept,transfer,avoid"'
            and lists.get("Likelihood") == '"1,2,3,4,5"' and "Residual level" in lists
            and "Inherent level" in lists,
            f"risks.xlsx: Option, the scales and the levels offer their values as lists ({lists})")
    for name in ("Inherent score", "Inherent level", "Residual level"):
        col = h.index(name) + 1
        fills = {ws.cell(row=i, column=col).fill.fgColor.rgb for i in range(2, ws.max_row + 1)
                 if ws.cell(row=i, column=col).value is not None}
        c.check(len(fills) >= 2 and all(f and f != "00000000" for f in fills),
                f"risks.xlsx: {name} cells filled by level ({sorted(fills)})")
    typed(c, out)


# Columns that hold a date, a boolean or a number wherever they appear (any sheet, any file).
DATE_COLUMNS = {"Due", "Done", "Raised", "Closed", "Acceptance date", "Acceptance until",
                "Approved on", "Issued"}
BOOL_COLUMNS = {"Applicable", "Overdue"}
NUMBER_COLUMNS = {"Likelihood", "Impact", "Inherent score", "Residual likelihood",
                  "Residual impact", "Residual score", "Actions", "Number"}
ENUM_COLUMNS = {"Status", "Option", "Severity", "Applicable", "Overdue", "Inherent level",
                "Residual level", "Likelihood", "Impact", "Type", "Classification"}


def typed(c, out):
    """Every cell of a date, boolean or number column (or a Document control date) is of
    that type, with a date number format on dates; no cell anywhere is a date as text; every
    enumerated column has a data-validation list."""
    import datetime
    import re
    for f in ("soa.xlsx", "risks.xlsx", "rtp.xlsx", "nonconformities.xlsx"):
        wb = openpyxl.load_workbook(os.path.join(out, f))
        seen = {"date": 0, "bool": 0, "number": 0}
        for ws in wb:
            h = header(ws)
            dv_cols = {h[dv.sqref.ranges[0].min_col - 1] for dv in ws.data_validations.dataValidation
                       if dv.type == "list"}
            for name in set(h) & ENUM_COLUMNS:
                if ws.title != "Inherent risk by cell":
                    c.check(name in dv_cols, f"{f}!{ws.title}: {name} has a data-validation list")
            for row in ws.iter_rows(min_row=2):
                for cell in row:
                    v, name = cell.value, h[cell.column - 1] if cell.column <= len(h) else None
                    if ws.title == "Document control" and cell.column == 2:
                        name = row[0].value
                    if v is None:
                        continue
                    if isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
                        c.check(False, f"{f}!{ws.title}!{cell.coordinate}: the date {v} is text")
                    if name in DATE_COLUMNS:
                        seen["date"] += 1
                        c.check(isinstance(v, datetime.datetime) and cell.is_date
                                and "yy" in cell.number_format,
                                f"{f}!{ws.title}!{cell.coordinate}: {name} is a date cell "
                                f"({v!r}, {cell.number_format})")
                    elif name in BOOL_COLUMNS:
                        seen["bool"] += 1
                        c.check(isinstance(v, bool), f"{f}!{ws.title}!{cell.coordinate}: {name} "
                                f"is a boolean ({v!r})")
                    elif name in NUMBER_COLUMNS and ws.title != "Inherent risk by cell":
                        seen["number"] += 1
                        c.check(isinstance(v, (int, float)) and not isinstance(v, bool),
                                f"{f}!{ws.title}!{cell.coordinate}: {name} is a number ({v!r})")
        c.check(seen["date"] and seen["number"], f"{f}: typed cells seen {seen}")
        if f in ("soa.xlsx", "rtp.xlsx"):
            c.check(seen["bool"], f"{f}: booleans seen {seen}")


def determinism(c, ismsc, tmp, out):
    again = os.path.join(tmp, "again")
    p = build(ismsc, again, env={"TZ": "Pacific/Kiritimati"})
    c.check(p.returncode == 0, f"second build: {p.stderr[-300:]}")
    for f in ("soa.xlsx", "risks.xlsx", "rtp.xlsx", "nonconformities.xlsx"):
        a, b = os.path.join(out, f), os.path.join(again, f)
        c.check(os.path.exists(a) and open(a, "rb").read() == open(b, "rb").read(),
                f"{f}: byte-identical across builds and time zones")
        with zipfile.ZipFile(a) as z:
            dates = {i.date_time for i in z.infolist()}
            core = z.read("docProps/core.xml").decode()
        c.check(dates == {(1980, 1, 1, 0, 0, 0)}, f"{f}: zip entries carry a fixed date {dates}")
        # compiler/xlsx_deflate.c: libxlsxwriter's entries deflated at level 1, which minizip
        # marks with both "super fast" bits of the flags (0x6); level 6 leaves them clear.
        with zipfile.ZipFile(a) as z:
            levels = {(i.compress_type, i.flag_bits & 6) for i in z.infolist()}
        c.check(levels == {(zipfile.ZIP_DEFLATED, 6)},
                f"{f}: every entry deflated at level 1 (compress type, flag bits: {levels})")
        c.check(f"<dcterms:created xsi:type=\"dcterms:W3CDTF\">{DATE}T00:00:00Z" in core,
                f"{f}: created is --date")


def only_xlsx(c, ismsc, tmp):
    out = os.path.join(tmp, "only")
    p = build(ismsc, out, "--only", "xlsx")
    c.check(p.returncode == 0, f"--only xlsx: {p.stderr[-300:]}")
    files = sorted(f for f in os.listdir(out) if not f.startswith(".")) if os.path.isdir(out) else []
    c.check(files and all(f.endswith(".xlsx") for f in files) and "soa.xlsx" in files,
            f"--only xlsx writes the XLSX files alone ({files})")


def spaced_tree(c, ismsc, tmp):
    """The example with a risk whose texts start and end with spaces and line ends:
    libxlsxwriter would keep those with xml:space="preserve", which sml.xsd refuses
    (emit_xlsx.c trims a cell's ends)."""
    tree = os.path.join(tmp, "spaced")
    shutil.copytree(EXAMPLE, tree)
    with open(os.path.join(tree, "risks", "R-999.yaml"), "w") as f:
        f.write('id: R-999\ntitle: "  Padded title  "\nowner: " CISO"\nthreat: "Flood\\n"\n'
                'likelihood: 2\nimpact: 2\ntreatment: accept\n'
                'acceptance: {by: " CEO ", date: 2026-01-05, rationale: "Low. "}\n')
    out = os.path.join(tmp, "spaced-out")
    p = run(ismsc, "build", tree, "-o", out, "--date", DATE, "--only", "xlsx", "--force")
    c.check(os.path.exists(os.path.join(out, "risks.xlsx")), f"the spaced tree builds: {p.stderr[-300:]}")
    return out


def schema(c, tmp, out, name="example"):
    xsd = os.path.join(ROOT, "tests", "schemas", "ooxml", "sml.xsd")
    if not c.check(shutil.which("xmllint"), "xmllint is installed (scripts/install-deps)"):
        return
    for f in ("soa.xlsx", "risks.xlsx", "rtp.xlsx", "nonconformities.xlsx"):
        dst = os.path.join(tmp, "parts-" + name, f)
        with zipfile.ZipFile(os.path.join(out, f)) as z:
            names = [n for n in z.namelist() if n.startswith("xl/") and n.endswith(".xml")
                     and not n.startswith("xl/theme/")]
            z.extractall(dst, names)
        paths = [os.path.join(dst, n) for n in names]
        p = subprocess.run(["xmllint", "--noout", "--nonet", "--schema", xsd, *paths],
                           capture_output=True, text=True, timeout=300)
        ok = [n for n in paths if f"{n} validates" in p.stderr]
        c.check(len(paths) >= 4 and len(ok) == len(paths),
                f"{name} {f}: {len(ok)} of {len(paths)} SpreadsheetML parts validate against sml.xsd "
                f"{p.stderr[-400:] if len(ok) != len(paths) else ''}")


def round_trip(c, ismsc, tmp, out):
    tree = os.path.join(tmp, "empty")
    os.makedirs(tree)
    shutil.copy(os.path.join(EXAMPLE, "isms.yaml"), tree)
    xlsx = os.path.join(out, "risks.xlsx")
    for kind, sheet in (("asset", "Information assets"), ("risk", "Risk register")):
        p = run(ismsc, "import", kind, xlsx, tree, "--sheet", sheet)
        c.check(p.returncode == 0, f"import {kind} from risks.xlsx!{sheet}: {p.stderr[-400:]}")
    p = run(ismsc, "build", tree, "-o", os.path.join(tmp, "rebuilt"), "--date", DATE, "--only",
            "json", "--force")
    c.check(p.returncode in (0, 1) and "wrote" in p.stderr, f"the imported tree builds (--force): {p.stderr[-300:]}")
    path = os.path.join(tmp, "rebuilt", "isms.json")
    if not os.path.exists(path):
        return
    before = json.load(open(os.path.join(out, "isms.json")))["records"]
    after = json.load(open(path))["records"]
    fields = {"risks": ["id", "title", "owner", "assets", "threat", "vulnerability", "likelihood",
                        "impact", "treatment", "residual"],
              "assets": ["id", "title", "owner", "type", "classification"]}
    compare(c, before, after, fields)


def compare(c, before, after, fields):
    for kind, names in fields.items():
        a = {r["id"]: {k: r.get(k) for k in names} for r in before[kind]}
        b = {r["id"]: {k: r.get(k) for k in names} for r in after[kind]}
        c.check(a and sorted(a) == sorted(b), f"round trip {kind}: the same ids ({len(a)}, {len(b)})")
        diff = [i for i in a if a[i] != b.get(i)]
        c.check(not diff, f"round trip {kind}: the same records "
                f"(differ: {diff[:3]} {[(a[i], b.get(i)) for i in diff[:1]]})")


def soa_round_trip(c, ismsc, tmp, out):
    """soa.xlsx's Controls sheet imported into a tree holding only isms.yaml gives the same
    control records: applicability, justification, inclusion reasons, status, owner, policies
    and every evidence entry (path or url, title, date, clauses); the example has each shape."""
    tree = os.path.join(tmp, "empty-soa")
    os.makedirs(tree)
    shutil.copy(os.path.join(EXAMPLE, "isms.yaml"), tree)
    p = run(ismsc, "import", "controls", os.path.join(out, "soa.xlsx"), tree)
    c.check(p.returncode == 0, f"import controls from soa.xlsx!Controls: {p.stdout[-600:]}{p.stderr[-300:]}")
    c.check("soa.xlsx:Controls: note: reading sheet 'Controls', the first whose header gives a "
            "control's id" in p.stdout, f"without --sheet, the Controls sheet is read ({p.stdout[:300]})")
    c.check("column-unknown" not in p.stdout, f"every SoA column is a field or computed ({p.stdout[-400:]})")
    p = run(ismsc, "build", tree, "-o", os.path.join(tmp, "rebuilt-soa"), "--date", DATE, "--only",
            "json", "--force")
    path = os.path.join(tmp, "rebuilt-soa", "isms.json")
    if not c.check(os.path.exists(path), f"the imported SoA builds (--force): {p.stderr[-300:]}"):
        return
    before = json.load(open(os.path.join(out, "isms.json")))["records"]
    after = json.load(open(path))["records"]
    shapes = {k for r in before["controls"] for e in r.get("evidence", []) for k in e}
    c.check(shapes >= {"path", "url", "title", "date", "clauses"},
            f"the example's evidence has every field an entry can have ({sorted(shapes)})")
    compare(c, before, after, {"controls": ["id", "applicable", "justification", "reasons",
                                            "status", "owner", "policies", "evidence"]})


def treatments_round_trip(c, ismsc, tmp, out):
    """rtp.xlsx's Treatment actions (Overdue computed, left out) give the same treatments."""
    tree = os.path.join(tmp, "empty-rtp")
    os.makedirs(tree)
    shutil.copy(os.path.join(EXAMPLE, "isms.yaml"), tree)
    p = run(ismsc, "import", "treatments", os.path.join(out, "rtp.xlsx"), tree, "--sheet",
            "Treatment actions")
    c.check(p.returncode == 0 and "column-unknown" not in p.stdout,
            f"import treatments from rtp.xlsx!Treatment actions: {p.stdout[-400:]}{p.stderr[-300:]}")
    p = run(ismsc, "build", tree, "-o", os.path.join(tmp, "rebuilt-rtp"), "--date", DATE, "--only",
            "json", "--force")
    path = os.path.join(tmp, "rebuilt-rtp", "isms.json")
    if not c.check(os.path.exists(path), f"the imported treatments build (--force): {p.stderr[-300:]}"):
        return
    compare(c, json.load(open(os.path.join(out, "isms.json")))["records"],
            json.load(open(path))["records"],
            {"treatments": ["id", "title", "risks", "controls", "owner", "due", "status"]})


def main():
    ismsc = os.path.abspath(sys.argv[1])
    c = Checks("xlsx")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out")
        p = build(ismsc, out)
        c.check(p.returncode == 0, f"build: {p.stderr[-300:]}")
        content(c, out)
        determinism(c, ismsc, tmp, out)
        only_xlsx(c, ismsc, tmp)
        schema(c, tmp, out)
        schema(c, tmp, spaced_tree(c, ismsc, tmp), "spaced")
        round_trip(c, ismsc, tmp, out)
        soa_round_trip(c, ismsc, tmp, out)
        treatments_round_trip(c, ismsc, tmp, out)
    c.finish()


main()
