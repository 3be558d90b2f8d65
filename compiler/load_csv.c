/* load_csv.c - CSV text into rows of located cells, with libcsv; see load_csv.h. The one
 * CSV reader: metric data (csv_read) and `ismsc import`'s sheets (sheet_csv.c) both use it.
 *
 * libcsv reports fields and rows, not where they are. To give each cell its place, the text
 * is fed to the parser one piece at a time, each piece ending at a delimiter or a line end:
 * a cell can only end on the last byte of a piece, so a cell starts right after the piece
 * in which the previous one ended (line ends and spaces skipped). What must stay true: every cell
 * handed out has the location of its first byte in f, and no byte of f is parsed twice.
 */
#include "load_csv.h"

#include <csv.h>
#include <string.h>

typedef struct CsvReader {
  Arena *arena;
  const SourceFile *f;
  PtrVec *rows;
  PtrVec cells;      /* CsvCell *: the row being read */
  size_t cell_start; /* offset in f where the next cell starts */
  bool ended;        /* a cell or row ended in the piece just fed */
  int records;       /* records ended so far */
  size_t last_off;   /* where the last cell handed out starts, and its location: the next */
  Loc last_loc;      /* cell's is counted on from there, not from the top of the file */
} CsvReader;

static Loc S_cell_loc(CsvReader *r) {
  size_t off = r->cell_start;
  while (off < r->f->len && strchr(" \t\r\n", r->f->text[off]) && r->f->text[off])
    off++;
  r->last_loc = source_loc_after(r->f, r->last_loc, r->last_off, off);
  r->last_off = off;
  return r->last_loc;
}

static void S_on_cell(void *text, size_t len, void *data) {
  CsvReader *r = data;
  CsvCell *c = arena_alloc(r->arena, sizeof *c);
  char *s = arena_alloc(r->arena, len + 1);
  if (len)
    memcpy(s, text, len);
  s[len] = '\0';
  c->text = s;
  c->loc = S_cell_loc(r);
  ptrvec_push(r->arena, &r->cells, c);
  r->ended = true;
}

static void S_on_row(int terminator, void *data) {
  (void)terminator;
  CsvReader *r = data;
  r->ended = true;
  r->records++;
  if (!r->cells.len)
    return;
  CsvRow *row = arena_alloc(r->arena, sizeof *row);
  row->record = r->records;
  row->count = r->cells.len;
  row->cells = arena_alloc(r->arena, row->count * sizeof *row->cells);
  for (size_t i = 0; i < row->count; i++)
    row->cells[i] = *(CsvCell *)r->cells.items[i];
  row->loc = row->cells[0].loc;
  ptrvec_push(r->arena, r->rows, row);
  r->cells.len = 0;
}

/* The end of the piece that starts at off: the next delimiter or line end, included. */
static size_t S_piece_end(const SourceFile *f, size_t off, unsigned char delim) {
  const char *p = f->text + off, *end = f->text + f->len;
  while (p < end && (unsigned char)*p != delim && *p != '\n' && *p != '\r')
    p++;
  return p < end ? (size_t)(p - f->text) + 1 : f->len;
}

CsvProblem csv_rows(Arena *a, const SourceFile *f, unsigned char delim, PtrVec *rows) {
  CsvProblem problem = {CSV_FINE, {f, 0, 0}, 0, 0};
  struct csv_parser p;
  if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
    return problem;
  csv_set_delim(&p, delim);
  CsvReader r = {.arena = a, .f = f, .rows = rows, .last_loc = {f, 1, 1}};
  for (size_t off = 0; off < f->len;) {
    size_t end = S_piece_end(f, off, delim);
    r.ended = false;
    if (csv_parse(&p, f->text + off, end - off, S_on_cell, S_on_row, &r) != end - off) {
      problem = (CsvProblem){CSV_BAD_QUOTE, source_loc(f, end - 1), r.records + 1, r.cells.len + 1};
      csv_free(&p);
      return problem;
    }
    if (r.ended)
      r.cell_start = end;
    off = end;
  }
  if (csv_fini(&p, S_on_cell, S_on_row, &r) != 0)
    problem = (CsvProblem){CSV_UNCLOSED, source_loc(f, f->len ? f->len - 1 : 0), r.records + 1,
                           r.cells.len + 1};
  csv_free(&p);
  return problem;
}

void csv_read(Arena *a, Diags *d, const struct Record *record, const SourceFile *f,
              const char *rule, PtrVec *rows) {
  CsvProblem problem = csv_rows(a, f, ',', rows);
  if (problem.kind == CSV_BAD_QUOTE)
    diag_report(d, record, problem.loc, rule,
                "the CSV is malformed here: a quote inside an unquoted cell, or text after a "
                "closing quote");
  else if (problem.kind == CSV_UNCLOSED)
    diag_report(d, record, problem.loc, rule,
                "a quoted cell is not closed before the end of the CSV");
}
