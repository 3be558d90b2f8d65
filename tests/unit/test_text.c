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

/* Each forbidden and each kept code point at every offset of strings of many lengths: the
 * scan goes byte by byte at first, then eight bytes at a time, then through a last word that
 * overlaps the one before, so a code point is found (or kept) wherever it falls. */
static void test_every_offset(void **state) {
  (void)state;
  static const char *const bad[] = {
      "\x01", "\x1F", "\x7F", "\xC2\x85", "\xEF\xB7\x90", "\xEF\xBF\xBF", "\xF0\x9F\xBF\xBE"};
  static const char *const kept[] = {
      "\t", "\n", "\r", "\x7E", " ", "\xC3\xA9", "\xC2\xA0", "\xEF\xBF\xBD", "\xF0\x9D\x84\x9E"};
  char *scratch = NULL;
  size_t cap = 0;
  Arena a;
  arena_init(&a);
  char in[80], want[96];
  for (size_t len = 0; len < 40; len++) {
    for (size_t at = 0; at <= len; at++) {
      for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(in, sizeof in, "%.*s%s%.*s", (int)at, "abcdefghijklmnopqrstuvwxyz0123456789ABCD",
                 bad[i], (int)(len - at), "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcd");
        snprintf(want, sizeof want, "%.*s" FFFD "%.*s", (int)at,
                 "abcdefghijklmnopqrstuvwxyz0123456789ABCD", (int)(len - at),
                 "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcd");
        assert_string_equal(text_clean(in, &scratch, &cap), want);
        assert_string_equal(text_clean_arena(&a, in), want);
      }
      for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++) {
        snprintf(in, sizeof in, "%.*s%s%.*s", (int)at, "abcdefghijklmnopqrstuvwxyz0123456789ABCD",
                 kept[i], (int)(len - at), "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcd");
        assert_ptr_equal(text_clean(in, &scratch, &cap), in);
        assert_ptr_equal(text_clean_arena(&a, in), in);
      }
    }
  }
  free(scratch);
  arena_free(&a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_replaced),
      cmocka_unit_test(test_kept),
      cmocka_unit_test(test_every_offset),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
