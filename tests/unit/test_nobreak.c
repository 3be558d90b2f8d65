/* Unit tests for nobreak.c: which words of a text are ids or dates whose hyphens must not
 * break a line (HTML span.id, DOCX w:noBreakHyphen), and which are words that may. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "nobreak.h"

/* The first unbreakable word of s, or "" when there is none. */
static const char *S_first(const char *s) {
  static char word[64];
  size_t at, len;
  if (!nobreak_find(s, strlen(s), &at, &len))
    return "";
  snprintf(word, sizeof word, "%.*s", (int)len, s + at);
  return word;
}

static void test_ids_and_dates(void **state) {
  (void)state;
  assert_string_equal(S_first("see T-014 and R-001"), "T-014");
  assert_string_equal(S_first("accepted 2026-03-18 by the CEO"), "2026-03-18");
  assert_string_equal(S_first("(T-001, due February 2027)"), "T-001");
  assert_string_equal(S_first("AST-CUSTOMER-LEDGER, AST-SECRETS"), "AST-CUSTOMER-LEDGER");
  assert_string_equal(S_first("POL-ISP"), "POL-ISP");
  assert_string_equal(S_first("month 2026-03"), "2026-03");
}

static void test_words_that_may_break(void **state) {
  (void)state;
  assert_string_equal(S_first("a well-known follow-up"), "");
  assert_string_equal(S_first("Follow-up actions"), ""); /* lower case inside: a word */
  assert_string_equal(S_first("a - b -- c"), "");        /* dashes, not inner hyphens */
  assert_string_equal(S_first("T- and -014"), "");       /* a hyphen at a word's end */
  assert_string_equal(S_first("A.5.1 without a hyphen"), "");
  assert_string_equal(S_first(""), "");
}

/* The search stops at n: nothing past it is read as part of a word. */
static void test_bounded(void **state) {
  (void)state;
  const char *s = "xx R-001";
  size_t at, len;
  assert_false(nobreak_find(s, 4, &at, &len)); /* "xx R" */
  assert_true(nobreak_find(s, strlen(s), &at, &len));
  assert_int_equal(at, 3);
  assert_int_equal(len, 5);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_ids_and_dates),
      cmocka_unit_test(test_words_that_may_break),
      cmocka_unit_test(test_bounded),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
