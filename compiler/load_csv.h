/* load_csv.h - CSV text into rows of located cells, with libcsv (load_csv.c).
 *
 * Every cell keeps where it starts in the file, and every row its record number, so that
 * whoever gives the cells a meaning reports a bad one at its line and column (a metric's
 * measurements) or at its row and field (a sheet `ismsc import` reads). Everything is allocated in
 * the arena passed in.
 */
#ifndef ISMSC_LOAD_CSV_H
#define ISMSC_LOAD_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "diag.h"
#include "util.h"

typedef struct CsvCell {
  const char *text; /* NUL-terminated, quotes removed, surrounding spaces trimmed */
  Loc loc;          /* where the cell starts */
} CsvCell;

typedef struct CsvRow {
  CsvCell *cells;
  size_t count;
  Loc loc;    /* where the row starts */
  int record; /* 1-based record number, as a spreadsheet numbers the row (blank lines, which
                 libcsv skips, are not counted) */
} CsvRow;

typedef enum CsvProblemKind {
  CSV_FINE,
  CSV_BAD_QUOTE, /* a quote inside an unquoted cell, or text after a closing quote */
  CSV_UNCLOSED   /* a quoted cell still open at the end of the text */
} CsvProblemKind;

/* Where the parser gave up: the byte (loc), and the record and field it was reading. */
typedef struct CsvProblem {
  CsvProblemKind kind;
  Loc loc;
  int record;
  size_t field;
} CsvProblem;

/* The reader both CSV consumers share (metric data here, `ismsc import`'s sheets in
 * sheet_csv.c): f's text parsed with `delim` between cells into rows (CsvRow *); the rows
 * before a problem are kept, and the problem returned for the caller to word and place. */
CsvProblem csv_rows(Arena *a, const SourceFile *f, unsigned char delim, PtrVec *rows);

/* Parses f (BOM already removed, CRLF or LF line ends; empty lines skipped) into rows
 * (CsvRow *). A quoting error is reported as `rule` at its place (for `record`'s `ignore:`),
 * and the rows before it are kept. */
void csv_read(Arena *a, Diags *d, const struct Record *record, const SourceFile *f,
              const char *rule, PtrVec *rows);

#endif
