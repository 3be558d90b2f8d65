/* Unit tests for load_csv.c: every cell has the line and column of its first byte, through
 * quotes (with delimiters and line ends inside), CRLF, spaces and empty lines; a quoting
 * error is reported and the rows before it are kept. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "load_csv.h"

typedef struct Fixture {
  Arena arena;
  Diags diags;
} Fixture;

static int setup(void **state) {
  static Fixture fx;
  arena_init(&fx.arena);
  diags_init(&fx.diags, &fx.arena);
  *state = &fx;
  return 0;
}

static int teardown(void **state) {
  Fixture *fx = *state;
  arena_free(&fx->arena);
  return 0;
}

static PtrVec S_read(Fixture *fx, const char *text) {
  SourceFile *f = arena_alloc(&fx->arena, sizeof *f);
  f->path = "m.csv";
  f->text = text;
  f->len = strlen(text);
  f->arena = &fx->arena;
  PtrVec rows = {0};
  csv_read(&fx->arena, &fx->diags, NULL, f, "data-invalid", &rows);
  return rows;
}

static const CsvCell *S_cell(PtrVec rows, size_t row, size_t cell) {
  assert_true(row < rows.len);
  const CsvRow *r = rows.items[row];
  assert_true(cell < r->count);
  return &r->cells[cell];
}

static void S_at(const CsvCell *c, const char *text, int line, int col) {
  assert_string_equal(c->text, text);
  assert_int_equal(c->loc.line, line);
  assert_int_equal(c->loc.col, col);
}

static void test_locations(void **state) {
  Fixture *fx = *state;
  PtrVec rows = S_read(fx, "date,value\r\n\r\n2026-01-31, 90 ,ok\r\n"
                           "\"2026-02-28\",\"1,5\",\"two\nlines\"\n2026-03-31,7");
  assert_int_equal(rows.len, 4); /* the empty line is skipped */
  S_at(S_cell(rows, 0, 1), "value", 1, 6);
  S_at(S_cell(rows, 1, 0), "2026-01-31", 3, 1);
  S_at(S_cell(rows, 1, 1), "90", 3, 13); /* spaces trimmed, located at the value */
  S_at(S_cell(rows, 2, 0), "2026-02-28", 4, 1);
  S_at(S_cell(rows, 2, 1), "1,5", 4, 14);
  S_at(S_cell(rows, 2, 2), "two\nlines", 4, 20);
  S_at(S_cell(rows, 3, 1), "7", 6, 12); /* the last row has no line end */
  assert_int_equal(((const CsvRow *)rows.items[3])->loc.line, 6);
  assert_int_equal(fx->diags.items.len, 0);
}

static void test_quote_errors(void **state) {
  Fixture *fx = *state;
  PtrVec rows = S_read(fx, "2026-01-31,1\n2026-02-28,2\"x\n2026-03-31,3\n");
  assert_int_equal(rows.len, 1); /* rows before the error are kept */
  assert_int_equal(fx->diags.items.len, 1);
  const Diag *g = fx->diags.items.items[0];
  assert_string_equal(g->rule, "data-invalid");
  assert_int_equal(g->loc.line, 2);
  rows = S_read(fx, "2026-01-31,\"open\n");
  assert_int_equal(fx->diags.items.len, 2);
  assert_non_null(strstr(((const Diag *)fx->diags.items.items[1])->message, "not closed"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_locations, setup, teardown),
      cmocka_unit_test_setup_teardown(test_quote_errors, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
