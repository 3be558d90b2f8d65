/* load_csv.h - CSV text into rows of located cells, with libcsv (load_csv.c).
 *
 * Every cell keeps where it starts in the file, so that whoever gives the cells a meaning (a
 * metric's measurements) reports a bad one at its line and column. Everything is allocated in
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
  Loc loc; /* where the row starts */
} CsvRow;

/* Parses f (BOM already removed, CRLF or LF line ends; empty lines skipped) into rows
 * (CsvRow *). A quoting error is reported as `rule` at its place (for `record`'s `ignore:`),
 * and the rows before it are kept. */
void csv_read(Arena *a, Diags *d, const struct Record *record, const SourceFile *f,
              const char *rule, PtrVec *rows);

#endif
