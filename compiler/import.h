/* import.h - `ismsc import KIND FILE [TREE]`: spreadsheet rows become records.
 *
 * import.c runs the command: it reads the sheet (sheet.h), maps its columns to fields
 * (import_columns.c), turns each row into a mapping of Nodes located at its cells, binds
 * those with the tree through model.c exactly as `check` binds a file, and, when no row is
 * in error, writes the records as YAML (import_write.c).
 */
#ifndef ISMSC_IMPORT_H
#define ISMSC_IMPORT_H

#include <stdbool.h>

#include "arena.h"
#include "diag.h"
#include "model.h"
#include "sheet.h"

/* Where a column's values go: a field of the kind, or a field of one of its nested maps
 * (`residual.likelihood`, `evidence.path`). */
typedef struct ColumnTarget {
  const FieldSpec *field; /* NULL: not a field (see `kept` and `derived`) */
  const FieldSpec *sub;   /* a field of field->sub, or NULL */
  int index, sub_index;
  bool derived; /* a column ismsc computes (a score, a level): left out silently */
} ColumnTarget;

typedef struct Columns {
  size_t count;          /* columns of the header */
  const char **labels;   /* per column (0-based), as the header says */
  ColumnTarget *targets; /* per column */
  int header_last_row;   /* the header's last row: data starts below it */
  int id_column;         /* 1-based, 0 when none */
} Columns;

/* Reads the header (its first row, and the rows below that merged header cells span) and
 * maps each column: --map first (map: "Label=field,..."; a bad entry is a usage error,
 * reported on stderr, and returns false), then by field name and by the labels ismsc's
 * own documents use, ignoring case and punctuation. Columns that match nothing get a note. */
bool import_columns(Arena *a, Diags *d, const Sheet *sheet, Kind kind, const char *map,
                    Columns *out);

/* The YAML text of records (one mapping, or a list of them with as_list, for --into), made
 * with libyaml's emitter from their bound values in the schema table's order. NULL when
 * the emitter fails. The caller frees it. */
char *import_yaml(const Record *const *records, size_t n, bool as_list);

/* `ismsc import ...`: argv[0] is "import". */
int import_main(int argc, char **argv);

#endif
