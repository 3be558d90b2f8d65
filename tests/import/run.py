#!/usr/bin/env python3
"""`ismsc import KIND FILE` (SPEC §6): spreadsheet rows become records, all or nothing.

Golden cases (tree/ is the tree imported into; expected/clean/ holds the records, written by
hand from what import should write):
1. clean.csv, and clean.xlsx (made by LibreOffice from clean.csv: `soffice --headless
   --convert-to xlsx clean.csv`; remade here when soffice is installed, else the committed
   copy is used), and an Excel-style export of the same rows (BOM, ';', CRLF) all give
   expected/clean/ byte for byte; the tree then checks with no schema error.
2. An XLSX with dates as serial numbers (numFmtId 14) under a two-row header of merged
   cells ("Residual" over "Likelihood | Impact") imports those fields and dates.
3. Bad inputs: a ragged row, a non-date in a date column, an unknown enum with did-you-mean,
   a duplicate id (of the tree, and twice in the sheet), a formula cell, a 50 MB sheet, a zip
   bomb, a sheet of 1,000,000 empty rows, rows past the sheet's last row, XML entities (a
   billion laughs, an external entity), a file that is not UTF-8, a file that is not a
   spreadsheet: each gets its located diagnostic, exit 1, nothing
   written, no crash.
4. --dry-run writes nothing; --into writes one list file; --map names a column's field; an
   existing file is never written over.
usage: run.py ISMSC
"""
import csv
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from datetime import date

sys.path.append(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from checks import Checks  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
checks = Checks("import")
check = checks.check
SANITIZED = os.environ.get("ISMSC_SANITIZED") == "1"


def run(*args, cwd=None, timeout=120):
    return subprocess.run(list(args), cwd=cwd, capture_output=True, timeout=timeout,
                          env=dict(os.environ, NO_COLOR="1", SOURCE_DATE_EPOCH="1795046400"))


def snapshot(tree):
    files = {}
    for dirpath, _, names in os.walk(tree):
        for name in names:
            p = os.path.join(dirpath, name)
            with open(p, "rb") as f:
                files[os.path.relpath(p, tree)] = f.read()
    return files


def crashed(r):
    err = r.stderr.decode("utf-8", "replace")
    return r.returncode < 0 or "AddressSanitizer" in err or "runtime error:" in err


# ---------------------------------------------------------------- XLSX fixtures

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
</Types>"""
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
WORKBOOK = """<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="Register" sheetId="1" r:id="rId1"/></sheets></workbook>"""
WB_RELS = """<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
</Relationships>"""
STYLES = """<?xml version="1.0" encoding="UTF-8"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy;@"/></numFmts>
<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs>
</styleSheet>"""


def col_name(i):
    s = ""
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def cell(ref, value, style=None):
    """An inline-string, number or date cell: value is str, int/float, or ("f", formula)."""
    s = f' s="{style}"' if style is not None else ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"{s}><v>{int(value)}</v></c>'
    if isinstance(value, tuple):
        return f'<c r="{ref}"{s}><f>{value[1]}</f><v>{value[2]}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"{s}><v>{value}</v></c>'
    esc = value.replace("&", "&amp;").replace("<", "&lt;")
    return f'<c r="{ref}" t="inlineStr"{s}><is><t>{esc}</t></is></c>'


def sheet_xml(rows, merges=(), extra=""):
    out = ['<?xml version="1.0" encoding="UTF-8"?><worksheet '
           'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
    for r, values in rows:
        cells = "".join(cell(f"{col_name(c + 1)}{r}", v, st) for c, (v, st) in enumerate(values)
                        if v is not None)
        out.append(f'<row r="{r}">{cells}</row>')
    out.append(extra)
    out.append("</sheetData>")
    if merges:
        out.append(f'<mergeCells count="{len(merges)}">'
                   + "".join(f'<mergeCell ref="{m}"/>' for m in merges) + "</mergeCells>")
    out.append("</worksheet>")
    return "".join(out)


def write_xlsx(path, sheet, shared=None):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", WB_RELS)
        z.writestr("xl/styles.xml", STYLES)
        if shared is not None:
            with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as f:
                shared(f)
        if callable(sheet):
            with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
                sheet(f)
        else:
            z.writestr("xl/worksheets/sheet1.xml", sheet)


def serial(d):
    return (d - date(1899, 12, 30)).days


def plain(*values):
    return [(v, None) for v in values]


# ---------------------------------------------------------------- cases

def import_into(ismsc, work, name, kind, source, *extra, expect_exit=None):
    tree = os.path.join(work, name)
    shutil.copytree(os.path.join(HERE, "tree"), tree)
    before = snapshot(tree)
    r = run(ismsc, "import", kind, source, tree, *extra)
    check(not crashed(r), f"{name}: no crash ({r.stderr.decode()[-300:]})")
    if expect_exit is not None:
        check(r.returncode == expect_exit, f"{name}: exit {expect_exit} ({r.returncode}: "
                                           f"{r.stdout.decode()[-400:]}{r.stderr.decode()[-300:]})")
    return tree, before, r


def libreoffice_xlsx(work, name):
    """NAME.csv saved as XLSX by LibreOffice now, or the committed NAME.xlsx it made when
    soffice is not installed (said on the output)."""
    committed = os.path.join(HERE, name + ".xlsx")
    if not shutil.which("soffice"):
        print(f"note: soffice not installed; the committed {name}.xlsx is used")
        return committed
    made = os.path.join(work, "lo-" + name)
    os.makedirs(made)
    r = subprocess.run(["soffice", f"-env:UserInstallation=file://{work}/lo-profile",
                        "--headless", "--norestore", "--convert-to", "xlsx", "--outdir", made,
                        os.path.join(HERE, name + ".csv")], capture_output=True, timeout=300)
    fresh = os.path.join(made, name + ".xlsx")
    ok = check(os.path.exists(fresh), f"LibreOffice converts {name}.csv ({r.stderr.decode()[-200:]})")
    return fresh if ok else committed


def clean_cases(ismsc, work):
    expected = snapshot(os.path.join(HERE, "expected", "clean"))
    sources = {"csv": os.path.join(HERE, "clean.csv")}
    sources["xlsx"] = libreoffice_xlsx(work, "clean")
    with open(os.path.join(HERE, "clean.csv"), newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\r\n").writerows(rows)
    excel = os.path.join(work, "excel.csv")
    with open(excel, "wb") as f:
        f.write(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))
    sources["excel-csv"] = excel
    for name, source in sources.items():
        tree, before, r = import_into(ismsc, work, "clean-" + name, "risks", source, expect_exit=0)
        after = snapshot(tree)
        added = {k: v for k, v in after.items() if k not in before}
        check(added == expected, f"{name}: writes expected/clean/ byte for byte "
                                 f"({sorted(added)})")
        out = r.stdout.decode()
        loc = "clean!N1" if name == "xlsx" else "1:14"
        check(f":{loc}: note: column 'Category' is not a field of a risk" in out,
              f"{name}: the unknown column is a note at its header cell ({out})")
        c = run(ismsc, "check", tree, "--date", "2026-11-23")
        schema = [l for l in c.stdout.decode().splitlines()
                  if re.search(r"\[(schema-|date-|id-|ref-kind)", l)]
        check(not schema, f"{name}: the imported tree checks without schema errors ({schema})")


def dates_case(ismsc, work):
    path = os.path.join(work, "dates.xlsx")
    header1 = plain("ID", "Title", "Owner", "Likelihood", "Impact", "Treatment", "Residual", None,
                    "Acceptance", None)
    header2 = plain(None, None, None, None, None, None, "Likelihood", "Impact", "By", "Date")
    accepted = date(2026, 3, 1)
    row3 = plain("R-201", "Ransomware", "CISO", 4, 5, "accept", 2, 3, "CEO")
    row3.append((serial(accepted), 1))
    row4 = plain("R-202", "Flood", "COO", 1, 5, "retain", 1, 5, "CEO")
    row4.append((serial(date(2025, 12, 31)) + 0.5, 2))  # a date-time in a custom format
    merges = ["A1:A2", "B1:B2", "C1:C2", "D1:D2", "E1:E2", "F1:F2", "G1:H1", "I1:J1"]
    write_xlsx(path, sheet_xml([(1, header1), (2, header2), (3, row3), (4, row4)], merges))
    tree, before, r = import_into(ismsc, work, "dates", "risks", path, expect_exit=0)
    with open(os.path.join(tree, "risks", "R-201.yaml")) as f:
        text = f.read()
    check("residual:\n  likelihood: 2\n  impact: 3\n" in text, f"merged header: residual ({text})")
    check("acceptance:\n  by: CEO\n  date: 2026-03-01\n" in text, f"serial date read ({text})")
    with open(os.path.join(tree, "risks", "R-202.yaml")) as f:
        text = f.read()
    check("date: 2025-12-31\n" in text and "treatment: accept\n" in text,
          f"custom date format and a synonym ({text})")


def typed_cells_case(ismsc, work):
    """XLSX booleans (t="b") and shared strings, as Excel writes an SoA."""
    path = os.path.join(work, "soa.xlsx")
    words = ["Control", "Applicable", "Justification", "Status", "Owner", "A.5.1", "implemented",
             "CISO", "A.5.2", "Covered by the group"]

    def shared(f):
        f.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
        for w in words:
            f.write(b"<si><t>%s</t></si>" % w.encode())
        f.write(b"</sst>")

    def s(i, col, row):
        return f'<c r="{col}{row}" t="s"><v>{i}</v></c>'
    rows = ('<row r="1">' + "".join(s(i, c, 1) for i, c in enumerate("ABCDE")) + "</row>"
            '<row r="2">' + s(5, "A", 2) + cell("B2", True) + s(6, "D", 2) + s(7, "E", 2) + "</row>"
            '<row r="3">' + s(8, "A", 3) + cell("B3", False) + s(9, "C", 3) + "</row>")
    write_xlsx(path, sheet_xml([], extra=rows), shared=shared)
    tree, before, r = import_into(ismsc, work, "typed", "controls", path, expect_exit=0)
    with open(os.path.join(tree, "controls", "A.5.1.yaml")) as f:
        one = f.read()
    with open(os.path.join(tree, "controls", "A.5.2.yaml")) as f:
        two = f.read()
    check(one == "id: A.5.1\napplicable: true\nstatus: implemented\nowner: CISO\n", f"bool true ({one})")
    check(two == "id: A.5.2\napplicable: false\njustification: Covered by the group\n",
          f"bool false, shared strings ({two})")


def bad_cases(ismsc, work):
    def csv_file(name, text):
        p = os.path.join(work, name)
        with open(p, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        return p

    risk_head = "id,title,owner,likelihood,impact,treatment\n"
    cases = [
        ("ragged", "risks", csv_file("ragged.csv", risk_head + "R-1,A,CISO,2,2,accept\n"
                                     "R-2,B,CISO,2,2,accept,extra\n"),
         r"ragged\.csv:3:7: error: row 3 has 7 cells but the header has 6.*\[cell-invalid\]"),
        ("not-a-date", "treatments",
         csv_file("due.csv", "id,title,risks,owner,due\nT-1,Encrypt,R-EXIST,IT,next week\n"),
         r"due\.csv:2:5: error: 'next week' is not a valid date for 'due'.*\[date-invalid\]"),
        ("enum", "risks", csv_file("enum.csv", risk_head + "R-1,A,CISO,2,2,mitigat\n"),
         r"enum\.csv:2:6: error: 'mitigat' is not a valid treatment: mitigate, accept, transfer, "
         r"avoid; did you mean 'mitigate'\? \[schema-enum\]"),
        ("duplicate-tree", "risks", csv_file("dup.csv", risk_head + "R-EXIST,A,CISO,2,2,accept\n"),
         r"dup\.csv:2:1: error: duplicate id 'R-EXIST': also defined at risks/R-EXIST\.yaml"),
        ("duplicate-sheet", "risks",
         csv_file("dup2.csv", risk_head + "R-1,A,CISO,2,2,accept\nR-1,B,CISO,2,2,accept\n"),
         r"dup2\.csv:3:1: error: duplicate id 'R-1': also defined at \S*dup2\.csv:2:1"),
        ("header-only", "risks", csv_file("empty.csv", risk_head),
         r"empty\.csv:1:1: error: no rows below the header: nothing to import.*\[sheet-invalid\]"),
        ("not-utf8", "risks", csv_file("latin1.csv", "id,title\n"), None),
    ]
    with open(os.path.join(work, "latin1.csv"), "wb") as f:
        f.write(b"id,title,owner\nR-1,Caf\xe9,CISO\n")
    cases[-1] = ("not-utf8", "risks", os.path.join(work, "latin1.csv"),
                 r"latin1\.csv:1:1: error: byte 23 is not UTF-8.*\[encoding\]")
    dup_xlsx = os.path.join(work, "dup.xlsx")
    write_xlsx(dup_xlsx, sheet_xml([(1, plain("id", "title", "owner", "likelihood", "impact",
                                              "treatment")),
                                    (2, plain("R-1", "A", "CISO", 2, 2, "accept")),
                                    (5, plain("R-1", "B", "CISO", 2, 2, "accept"))]))
    cases.append(("duplicate-xlsx", "risks", dup_xlsx,
                  r"dup\.xlsx:Register!A5: error: duplicate id 'R-1': also defined at "
                  r"\S*dup\.xlsx:Register!A2 \[id-duplicate\]"))
    formula = os.path.join(work, "formula.xlsx")
    write_xlsx(formula, sheet_xml([(1, plain("id", "title", "owner", "likelihood", "impact",
                                             "treatment")),
                                   (2, plain("R-1", "A", "CISO", ("f", "1+1", 2), 2, "accept"))]))
    cases.append(("formula", "risks", formula,
                  r"formula\.xlsx:Register!D2: error: the cell holds a formula.*\[cell-invalid\]"))
    big = os.path.join(work, "big.xlsx")
    row = "".join(f'<c r="{col_name(c + 1)}{{r}}" t="inlineStr"><is><t>{"x" * 40}</t></is></c>'
                  for c in range(6))

    def big_sheet(f):
        f.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                b'spreadsheetml/2006/main"><sheetData>')
        written, r = 0, 1
        while written < 50 * 1024 * 1024:
            chunk = "".join(f'<row r="{r + k}">' + row.format(r=r + k) + "</row>"
                            for k in range(1000)).encode()
            f.write(chunk)
            written += len(chunk)
            r += 1000
        f.write(b"</sheetData></worksheet>")
    write_xlsx(big, big_sheet)
    cases.append(("50MB-sheet", "risks", big,
                  r"big\.xlsx:Register: error: xl/worksheets/sheet1\.xml unpacks to \d+ bytes, more than "
                  r"10485760.*\[input-limit\]"))
    bomb = os.path.join(work, "bomb.xlsx")

    def bomb_strings(f):
        f.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>')
        zeros = b"0" * (1 << 20)
        for _ in range(256):
            f.write(zeros)
        f.write(b"</t></si></sst>")
    write_xlsx(bomb, sheet_xml([(1, plain("id", "title"))]), shared=bomb_strings)
    cases.append(("zip-bomb", "risks", bomb,
                  r"bomb\.xlsx:Register: error: xl/sharedStrings\.xml unpacks to \d+ bytes.*\[input-limit\]"))
    million = os.path.join(work, "million.xlsx")

    def million_rows(f):
        f.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c></row>')
        f.write(b"".join(b'<row r="%d"/>' % r for r in range(2, 1000002)))
        f.write(b"</sheetData></worksheet>")
    write_xlsx(million, million_rows)
    cases.append(("million-empty-rows", "risks", million,
                  r"million\.xlsx:Register: error: xl/worksheets/sheet1\.xml unpacks to \d+ bytes.*"
                  r"\[input-limit\]"))
    far = os.path.join(work, "far.xlsx")
    write_xlsx(far, sheet_xml([(1, plain("id", "title", "owner")),
                               (2000000, plain("R-1", "A", "CISO"))]))
    cases.append(("past-the-last-row", "risks", far,
                  r"far\.xlsx:Register!A1048576: error: the sheet goes on past row.*\[input-limit\]"))
    cases.append(("no-such-sheet", "risks", dup_xlsx,
                  r"dup\.xlsx:1:1: error: the workbook has no sheet 'Risks' \(it has: Register\)"))
    # entities: a billion laughs, and an external entity naming a local file
    head = '<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "' + (f"&lol{i - 1};" if i > 1 else "&lol;") * 10 + '">'
        for i in range(1, 10))
    for name, entity, use in (("billion-laughs", "", "&lol9;"),
                              ("external-entity", '<!ENTITY xxe SYSTEM "file:///etc/passwd">',
                               "&xxe;")):
        text = (head + entity + ']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                '2006/main"><si><t>id</t></si><si><t>' + use + "</t></si></sst>")
        path = os.path.join(work, name + ".xlsx")
        rows = ('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
                '<row r="2"><c r="A2" t="s"><v>1</v></c></row>')
        write_xlsx(path, sheet_xml([], extra=rows), shared=lambda f, t=text: f.write(t.encode()))
        cases.append((name, "risks", path,
                      name + r"\.xlsx:Register: error: xl/sharedStrings\.xml (declares a DTD|is not "
                      r"well-formed).*\[sheet-invalid\]"))
    junk = os.path.join(work, "junk.xlsx")
    with open(junk, "wb") as f:
        f.write(b"PK\x03\x04 this is not a zip file at all")
    cases.append(("not-a-zip", "risks", junk,
                  r"junk\.xlsx:1:1: error: not a readable XLSX file.*\[sheet-invalid\]"))
    for name, kind, source, want in cases:
        extra = ["--sheet", "Risks"] if name == "no-such-sheet" else []
        tree, before, r = import_into(ismsc, work, "bad-" + name, kind, source, *extra,
                                      expect_exit=1)
        out = r.stdout.decode()
        check(re.search(want, out, re.M), f"{name}: the diagnostic /{want}/ ({out[-500:]})")
        check(snapshot(tree) == before, f"{name}: nothing written")


def option_cases(ismsc, work):
    clean = os.path.join(HERE, "clean.csv")
    tree, before, r = import_into(ismsc, work, "dry", "risks", clean, "--dry-run", expect_exit=0)
    check(snapshot(tree) == before, "--dry-run writes nothing")
    check("# " in r.stdout.decode() and "id: R-101\n" in r.stdout.decode(),
          "--dry-run prints what it would write")
    tree = os.path.join(work, "into")
    shutil.copytree(os.path.join(HERE, "tree"), tree)
    before = snapshot(tree)
    into = os.path.join(tree, "risks", "imported.yaml")
    r = run(ismsc, "import", "risks", clean, tree, "--into", into)
    check(r.returncode == 0, f"--into exits 0 ({r.stderr.decode()})")
    added = sorted(set(snapshot(tree)) - set(before))
    check(added == ["risks/imported.yaml"], f"--into writes one file ({added})")
    with open(into) as f:
        text = f.read()
    check(text.startswith("- id: R-101\n") and "\n- id: R-103\n" in text, "a list of records")
    again = snapshot(tree)
    r = run(ismsc, "import", "risks", clean, tree, "--into", os.path.join(tree, "other.yaml"))
    check(r.returncode == 1 and snapshot(tree) == again,
          f"importing the same ids again is refused, nothing written ({r.returncode})")
    mapped = os.path.join(work, "mapped.csv")
    with open(mapped, "w") as f:
        f.write("Ref,Name,Who,L,I,Decision\nR-301,Fire,COO,2,5,avoid\n")
    tree, before, r = import_into(ismsc, work, "map", "risks", mapped, "--map",
                                  "Ref=id,Name=title,Who=owner,L=likelihood,I=impact,Decision=treatment",
                                  expect_exit=0)
    check(os.path.exists(os.path.join(tree, "risks", "R-301.yaml")), "--map names the fields")
    r = run(ismsc, "import", "risks", mapped, tree, "--map", "Ref=idd")
    check(r.returncode == 2 and b"did you mean 'id'" in r.stderr,
          f"a --map to no field is a usage error with did-you-mean ({r.stderr.decode()})")
    r = run(ismsc, "import", "risks", mapped, tree, "--map", "Nope=id")
    check(r.returncode == 2 and b"the sheet has no column 'Nope'" in r.stderr,
          f"a --map of a column the sheet lacks is a usage error ({r.returncode})")
    taken = os.path.join(tree, "risks", "list.yaml")
    with open(taken, "w") as f:
        f.write("# mine\n")
    r = run(ismsc, "import", "risks", clean, tree, "--into", taken)
    check(r.returncode == 1 and r.stdout.decode().count("[file-exists]") == 1
          and open(taken).read() == "# mine\n",
          f"--into an existing file: one error, the file untouched ({r.stdout.decode()})")
    tree, before, r = import_into(ismsc, work, "exists", "risks", clean, expect_exit=None)
    os.remove(os.path.join(tree, "risks", "R-101.yaml"))
    with open(os.path.join(tree, "risks", "R-102.yaml"), "w") as f:
        f.write("id: R-999\ntitle: a file named like the next import\nowner: X\nlikelihood: 1\n"
                "impact: 1\ntreatment: accept\nacceptance: {by: X, date: 2026-01-01}\n")
    os.remove(os.path.join(tree, "risks", "R-103.yaml"))
    mine = snapshot(tree)
    r = run(ismsc, "import", "risks", clean, tree)
    check(r.returncode == 1 and b"R-102.yaml exists; import never writes over a file" in r.stdout
          and snapshot(tree) == mine, f"an existing file is never written over ({r.stdout.decode()})")


def new_user_case(ismsc, work):
    """A register as people keep one: 'Risk ID' and 'Risk' (the title), 'Accepted by'."""
    path = os.path.join(work, "register.csv")
    with open(path, "w") as f:
        f.write("Risk ID,Risk,Risk owner,Likelihood,Impact,Treatment,Accepted by,Acceptance date\n"
                "R-401,Loss of a laptop,IT Manager,Possible,Minor,Tolerate,CISO,2026-02-28\n")
    tree, before, r = import_into(ismsc, work, "new-user", "risks", path, expect_exit=0)
    with open(os.path.join(tree, "risks", "R-401.yaml")) as f:
        text = f.read()
    check(text == "id: R-401\ntitle: Loss of a laptop\nowner: IT Manager\nlikelihood: Possible\n"
                  "impact: Minor\ntreatment: accept\nacceptance:\n  by: CISO\n  date: 2026-02-28\n",
          f"'Risk' is the title beside 'Risk ID'; 'Accepted by' is acceptance.by ({text})")


def new_user_xlsx_case(ismsc, work):
    """docs/interchange.md's walk-through: a register kept in LibreOffice Calc (new-user.csv
    saved as XLSX by soffice here, or the committed new-user.xlsx it made) with two bad cells;
    --dry-run names exactly those two cells and writes nothing; once they are fixed (here with
    openpyxl, as Calc would save them) the import writes the three risks."""
    source = libreoffice_xlsx(work, "new-user")
    path = os.path.join(work, "register.xlsx")
    shutil.copy(source, path)
    tree, before, r = import_into(ismsc, work, "walk", "risks", path, "--dry-run", expect_exit=1)
    errors = [l for l in r.stdout.decode().splitlines() if ": error: " in l]
    check(len(errors) == 2 and errors[0].startswith(path + ":new-user!K3: error: '2026-02-30' is "
                                                    "not a valid date")
          and errors[1].startswith(path + ":new-user!E4: error: 'Unlikly' is not a valid "
                                          "likelihood")
          and "did you mean 'Unlikely'" in errors[1], f"the two bad cells, located ({errors})")
    check(snapshot(tree) == before, "walk: nothing written while two cells are bad")
    try:
        import openpyxl
    except ImportError:
        print("SKIP: walk: fixing the cells needs python3-openpyxl")
        return
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    ws["K3"] = date(2026, 2, 28)
    ws["K3"].number_format = "yyyy-mm-dd"
    ws["E4"] = "Unlikely"
    wb.save(path)
    r = run(ismsc, "import", "risks", path, tree)
    check(r.returncode == 0 and sorted(set(snapshot(tree)) - set(before))
          == ["risks/R-001.yaml", "risks/R-002.yaml", "risks/R-003.yaml"],
          f"walk: the fixed register imports ({r.stdout.decode()[-300:]})")
    with open(os.path.join(tree, "risks", "R-002.yaml")) as f:
        text = f.read()
    check("treatment: accept\nacceptance:\n  by: CISO\n  date: 2026-02-28\n" in text,
          f"walk: 'Tolerate' is accept, the fixed date cell a date ({text})")


def soa_case(ismsc, work):
    """An SoA: booleans as Yes/No, a list cell, evidence not in the tree yet (a warning), and
    ismsc's own SoA labels ('Control' is the id, the catalog 'Title' is left out)."""
    path = os.path.join(work, "soa.csv")
    with open(path, "w") as f:
        f.write("Control,Title,Applicable,Justification,Status,Owner,Reasons,Evidence\n"
                "A.5.1,Policies,Yes,,implemented,CISO,\"legal, business\",evidence/policy.pdf\n"
                "A.5.2,Roles,No,Covered by the group's ISMS,,,,\n")
    tree, before, r = import_into(ismsc, work, "soa", "controls", path, expect_exit=0)
    out = r.stdout.decode()
    check("soa.csv:2:8: warning: evidence 'evidence/policy.pdf' does not exist" in out,
          f"missing evidence is a warning at its cell ({out})")
    with open(os.path.join(tree, "controls", "A.5.1.yaml")) as f:
        one = f.read()
    with open(os.path.join(tree, "controls", "A.5.2.yaml")) as f:
        two = f.read()
    check(one == "id: A.5.1\napplicable: true\nreasons: [legal, business]\nstatus: implemented\n"
                 "owner: CISO\nevidence:\n- path: evidence/policy.pdf\n", f"A.5.1 ({one})")
    check(two == "id: A.5.2\napplicable: false\njustification: Covered by the group's ISMS\n",
          f"A.5.2 ({two})")
    # Evidence as ismsc's soa.xlsx writes it: an entry a line, "path | title | date | clauses"
    lines = os.path.join(work, "soa-lines.csv")
    with open(lines, "w") as f:
        f.write('Control,Applicable,Status,Owner,Inclusion reasons,Risks,Evidence\n'
                'A.5.3,TRUE,implemented,CISO,legal,R-1,"a.pdf | Review | 2026-03-01 | 9.1, 9.2\n'
                'https://status.example.com | Status page"\n')
    tree, before, r = import_into(ismsc, work, "soa-lines", "controls", lines, expect_exit=0)
    with open(os.path.join(tree, "controls", "A.5.3.yaml")) as f:
        three = f.read()
    check(three == "id: A.5.3\napplicable: true\nreasons: [legal]\nstatus: implemented\n"
                   "owner: CISO\nevidence:\n- path: a.pdf\n  title: Review\n  date: 2026-03-01\n"
                   "  clauses: [\"9.1\", \"9.2\"]\n- url: https://status.example.com\n"
                   "  title: Status page\n",
          f"evidence lines, a url, inclusion reasons; Risks left out as computed ({three})")
    extra = os.path.join(work, "soa-extra.csv")
    with open(extra, "w") as f:
        f.write('Control,Applicable,Status,Owner,Evidence\n'
                'A.5.4,TRUE,implemented,CISO,a.pdf | Review | A | B | 2026-03-01 | 9.1\n')
    tree, before, r = import_into(ismsc, work, "soa-extra", "controls", extra, expect_exit=1)
    check(re.search(r"soa-extra\.csv:2:5: error: 'a\.pdf \| Review \| A \| B \| 2026-03-01 \| 9\.1' has "
                    r"more parts than evidence entry has fields; write one entry a line as 'path "
                    r"or url \| title \| date \| clauses'", r.stdout.decode())
          and snapshot(tree) == before,
          f"a title holding '|': an error at the cell, nothing written ({r.stdout.decode()[-300:]})")


def main():
    ismsc = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as work:
        clean_cases(ismsc, work)
        dates_case(ismsc, work)
        typed_cells_case(ismsc, work)
        bad_cases(ismsc, work)
        option_cases(ismsc, work)
        new_user_case(ismsc, work)
        new_user_xlsx_case(ismsc, work)
        soa_case(ismsc, work)
    checks.finish()


main()
