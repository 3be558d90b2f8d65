/* sheet_csv.c - CSV to a Sheet with libcsv (sheet.h).
 *
 * Spreadsheets export CSV in a few dialects: Excel writes a BOM, CRLF and, where the decimal
 * separator is a comma, ';' between cells; LibreOffice asks. The separator is the one of
 * ',', ';' and tab that the header line uses most outside quotes; libcsv does the parsing.
 * A CSV location is its record number and field number (`FILE:7:2`), the row and column a
 * spreadsheet shows. Every cell is text: CSV has no types.
 */
#include "sheet.h"

#include <csv.h>
#include <string.h>

typedef struct CsvReader {
  Arena *a;
  Diags *d;
  Sheet *sheet;
  const Limits *lim;
  PtrVec cells; /* Cell * of the record being read */
  int record;   /* 1-based number of the record being read */
  bool any;     /* the record has a non-empty cell */
  bool stopped; /* over a limit: the rest is ignored */
} CsvReader;

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

static void S_field(void *text, size_t len, void *data) {
  CsvReader *r = data;
  if (r->stopped)
    return;
  Cell *c = arena_alloc(r->a, sizeof *c);
  c->kind = CELL_TEXT;
  if (text && len) {
    c->text = arena_strndup(r->a, text, len);
    r->any = true;
  }
  ptrvec_push(r->a, &r->cells, c);
}

static void S_record(int end, void *data) {
  CsvReader *r = data;
  (void)end;
  if (r->stopped)
    return;
  int number = ++r->record;
  if (r->any) {
    if (r->sheet->rows.len >= r->lim->max_records || number > SHEET_MAX_ROW) {
      Loc loc = {r->sheet->file, number, 1};
      diag_report(r->d, NULL, loc, "input-limit",
                  "more than %zu rows (limits.max_records); the rest of the file is not read",
                  r->lim->max_records);
      r->stopped = true;
    } else {
      SheetRow *row = arena_alloc(r->a, sizeof *row);
      row->number = number;
      row->count = r->cells.len;
      row->cells = arena_alloc(r->a, (row->count ? row->count : 1) * sizeof *row->cells);
      for (size_t i = 0; i < row->count; i++)
        row->cells[i] = *(Cell *)r->cells.items[i];
      ptrvec_push(r->a, &r->sheet->rows, row);
    }
  }
  r->cells.len = 0;
  r->any = false;
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
  struct csv_parser p;
  if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
    return false;
  csv_set_delim(&p, S_separator(data, len));
  CsvReader r = {.a = a, .d = d, .sheet = out, .lim = lim};
  bool ok = csv_parse(&p, data, len, S_field, S_record, &r) == len &&
            csv_fini(&p, S_field, S_record, &r) == 0;
  if (!ok) {
    Loc loc = {f, r.record + 1, (int)r.cells.len + 1};
    diag_report(d, NULL, loc, "sheet-invalid", "the CSV cannot be read here: %s",
                csv_error(&p) == CSV_EPARSE ? "a quote that is not closed, or text after a "
                                              "closing quote"
                                            : csv_strerror(csv_error(&p)));
  }
  csv_free(&p);
  return ok;
}
