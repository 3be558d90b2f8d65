/* Unit tests for the one text-cleaning policy (text.c) that HTML, DOCX and Markdown bodies
 * share: what is replaced by U+FFFD, what is kept, and that clean strings are not copied. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

#define FFFD "\xEF\xBF\xBD"

static void test_replaced(void **state) {
  (void)state;
  static const char *const bad[] = {"\x01", "\x1F", "\x7F", "\xC2\x85" /* U+0085 */,
                                    "\xEF\xB7\x90" /* U+FDD0 */, "\xEF\xBF\xBE" /* U+FFFE */,
                                    "\xF4\x8F\xBF\xBF" /* U+10FFFF */};
  char *scratch = NULL;
  size_t cap = 0;
  Arena a;
  arena_init(&a);
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char in[32];
    snprintf(in, sizeof in, "a%sb", bad[i]);
    assert_string_equal(text_clean(in, &scratch, &cap), "a" FFFD "b");
    assert_string_equal(text_clean_arena(&a, in), "a" FFFD "b");
    char *copy = text_clean_copy(in, strlen(in));
    assert_string_equal(copy, "a" FFFD "b");
    free(copy);
  }
  free(scratch);
  arena_free(&a);
}

static void test_kept(void **state) {
  (void)state;
  const char *ok = "tab\tline\nreturn\r é € 𝄞 \xC2\xA0 \xEF\xB7\xB0"; /* U+FDF0 is a character */
  char *scratch = NULL;
  size_t cap = 0;
  Arena a;
  arena_init(&a);
  assert_ptr_equal(text_clean(ok, &scratch, &cap), ok); /* not copied */
  assert_ptr_equal(text_clean_arena(&a, ok), ok);
  assert_null(scratch);
  assert_string_equal(text_clean_arena(&a, NULL), "");
  char *copy = text_clean_copy(ok, strlen(ok));
  assert_string_equal(copy, ok);
  free(copy);
  arena_free(&a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_replaced),
      cmocka_unit_test(test_kept),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
