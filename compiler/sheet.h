/* sheet.h - a spreadsheet as `ismsc import` reads it: rows of typed cells with locations.
 *
 * sheet_csv.c reads CSV with libcsv; sheet_xlsx.c reads the first (or a named) worksheet of
 * an XLSX file with libzip and libxml2. Both give the same Sheet, so import.c never knows
 * which format it had. Every problem is a diagnostic located at the sheet's cell; a sheet
 * that cannot be read at all returns false. Everything lives in the arena.
 */
#ifndef ISMSC_SHEET_H
#define ISMSC_SHEET_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "diag.h"
#include "load.h"

typedef enum CellKind {
  CELL_TEXT,
  CELL_NUMBER, /* text is the number as the file wrote it ("3", "0.25") */
  CELL_DATE,   /* text is YYYY-MM-DD: an XLSX number in a date format */
  CELL_BOOL    /* text is "true" or "false" */
} CellKind;

typedef struct Cell {
  const char *text; /* NULL: empty */
  CellKind kind;
  bool formula; /* an XLSX cell holding a formula: import refuses it (its value is a guess) */
} Cell;

typedef struct SheetRow {
  int number; /* 1-based, as the spreadsheet shows it */
  Cell *cells;
  size_t count;
} SheetRow;

/* A merged range of cells (XLSX), 1-based and inclusive. */
typedef struct CellRange {
  int row1, col1, row2, col2;
} CellRange;

typedef struct Sheet {
  SourceFile *file; /* path as the user named it; for XLSX, file->sheet is the sheet's name */
  PtrVec rows;      /* SheetRow *: the rows that hold anything, in order */
  PtrVec merges;    /* CellRange * */
  bool csv;         /* a CSV row has exactly the cells it wrote: a ragged row is an error */
  PtrVec names;     /* const char *: every sheet of the workbook, in order (XLSX) */
} Sheet;

/* Rows past this are refused (a sheet of a million empty formatted rows is a mistake, not a
 * register); limits.max_records bounds the records that come of them. */
enum { SHEET_MAX_ROW = 1048576 };

/* The file's format from its first bytes: a zip (XLSX) or text (CSV). */
bool sheet_is_xlsx(const char *data, size_t len);

/* Reads CSV text: a UTF-8 BOM, CRLF or LF, and ',' ';' or tab as separator (the one the
 * header line uses most, outside quotes) are all accepted. */
bool sheet_read_csv(Arena *a, Diags *d, SourceFile *f, const char *data, size_t len,
                    const Limits *lim, Sheet *out);

/* Reads a worksheet of an XLSX file (the first, or the one named sheet_name). */
bool sheet_read_xlsx(Arena *a, Diags *d, SourceFile *f, const char *data, size_t len,
                     const char *sheet_name, const Limits *lim, Sheet *out);

/* The cell at 1-based column col of row, or NULL when empty. */
const Cell *sheet_cell(const SheetRow *row, size_t col);

#endif
