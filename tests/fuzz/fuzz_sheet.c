/* fuzz_sheet.c - libFuzzer harness: bytes -> a Sheet (sheet_csv.c, or sheet_xlsx.c when they
 * start like a zip), then its header mapped to the fields of every kind a folder holds
 * (import_columns.c): the parsing `ismsc import` does before any row is bound. Any crash,
 * leak, hang or sanitizer report is a bug. Limits are small (1 MB a part, 2,000 rows) so a
 * run spends its time on shapes, not sizes; tests/import covers the sizes. */
#include <stdint.h>
#include <string.h>

#include "import.h"
#include "sheet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  Arena a;
  arena_init(&a);
  Diags d;
  diags_init(&d, &a);
  Limits lim;
  limits_default(&lim);
  lim.max_file_bytes = 1 << 20;
  lim.max_records = 2000;
  SourceFile *f = arena_alloc(&a, sizeof *f);
  f->path = "fuzz.xlsx";
  f->arena = &a;
  Sheet sheet;
  const char *text = (const char *)data;
  bool ok = sheet_is_xlsx(text, size) ? sheet_read_xlsx(&a, &d, f, text, size, NULL, &lim, &sheet)
                                      : sheet_read_csv(&a, &d, f, text, size, &lim, &sheet);
  for (int k = 0; ok && k < KIND_COUNT; k++) {
    if (!kind_spec((Kind)k)->folder)
      continue;
    Columns cols;
    import_columns(&a, &d, &sheet, (Kind)k, NULL, &cols);
  }
  diags_finish(&d);
  arena_free(&a);
  return 0;
}
