/* sheet_csv.c - CSV to a Sheet (sheet.h): the dialect, then load_csv.c's libcsv reader.
 *
 * Spreadsheets export CSV in a few dialects: Excel writes a BOM, CRLF and, where the decimal
 * separator is a comma, ';' between cells; LibreOffice asks. The separator is the one of
 * ',', ';' and tab that the header line uses most outside quotes; csv_rows (load_csv.c, the
 * one libcsv reader, shared with metric data) does the parsing.
 * A CSV location is its record number and field number (`FILE:7:2`), the row and column a
 * spreadsheet shows. Every cell is text: CSV has no types.
 */
#include "sheet.h"

#include <string.h>

#include "load_csv.h"

bool sheet_is_xlsx(const char *data, size_t len) {
  return len >= 4 && memcmp(data, "PK\3\4", 4) == 0;
}

const Cell *sheet_cell(const SheetRow *row, size_t col) {
  if (col < 1 || col > row->count || !row->cells[col - 1].text)
    return NULL;
  return &row->cells[col - 1];
}

/* The separator the first line uses most, outside quotes. */
static unsigned char S_separator(const char *s, size_t len) {
  size_t comma = 0, semicolon = 0, tab = 0;
  bool quoted = false;
  for (size_t i = 0; i < len; i++) {
    char c = s[i];
    if (c == '"')
      quoted = !quoted;
    else if (!quoted && (c == '\n' || c == '\r'))
      break;
    else if (!quoted)
      comma += c == ',', semicolon += c == ';', tab += c == '\t';
  }
  if (semicolon > comma && semicolon >= tab)
    return ';';
  return tab > comma ? '\t' : ',';
}

/* A parsed record as a sheet's row: empty cells are NULL; a row of empty cells is none. */
static SheetRow *S_sheet_row(Arena *a, const CsvRow *csv) {
  bool any = false;
  for (size_t i = 0; i < csv->count; i++)
    any = any || csv->cells[i].text[0];
  if (!any)
    return NULL;
  SheetRow *row = arena_alloc(a, sizeof *row);
  row->number = csv->record;
  row->count = csv->count;
  row->cells = arena_alloc(a, row->count * sizeof *row->cells);
  for (size_t i = 0; i < row->count; i++)
    row->cells[i] = (Cell){csv->cells[i].text[0] ? csv->cells[i].text : NULL, CELL_TEXT, false};
  return row;
}

bool sheet_read_csv(Arena *a, Diags *d, SourceFile *f, const char *data, size_t len,
                    const Limits *lim, Sheet *out) {
  memset(out, 0, sizeof *out);
  out->file = f;
  out->csv = true;
  if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
    data += 3;
    len -= 3;
  }
  size_t bad;
  if (!utf8_valid(data, len, &bad)) {
    Loc loc = {f, 0, 0};
    diag_report(d, NULL, loc, "encoding",
                "byte %zu is not UTF-8 (or is a NUL): save the sheet as \"CSV UTF-8\"", bad + 1);
    return false;
  }
  /* the reader places cells in a file of this text; a sheet places them at row and field */
  SourceFile text = {.path = f->path, .text = data, .len = len, .arena = a};
  PtrVec rows = {0};
  CsvProblem problem = csv_rows(a, &text, S_separator(data, len), &rows);
  for (size_t i = 0; i < rows.len; i++) {
    const CsvRow *csv = rows.items[i];
    SheetRow *row = S_sheet_row(a, csv);
    if (!row)
      continue;
    if (out->rows.len >= lim->max_records || row->number > SHEET_MAX_ROW) {
      Loc loc = {f, row->number, 1};
      diag_report(d, NULL, loc, "input-limit",
                  "more than %zu rows (limits.max_records); the rest of the file is not read",
                  lim->max_records);
      break;
    }
    ptrvec_push(a, &out->rows, row);
  }
  bool ok = problem.kind == CSV_FINE;
  if (!ok) {
    Loc loc = {f, problem.record, (int)problem.field};
    diag_report(d, NULL, loc, "sheet-invalid", "the CSV cannot be read here: %s",
                problem.kind == CSV_BAD_QUOTE ? "a quote that is not closed, or text after a "
                                                "closing quote"
                                              : "a quoted cell is not closed before the end");
  }
  return ok;
}
