/* Unit tests for wml.c: a bookmark name is "r%08x_%s" of the anchor's FNV-1a hash and its
 * first 30 characters with all but letters and digits as '_', 40 characters at most, as Word
 * keeps them (written without snprintf, so compared here with what snprintf makes). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "docx.h"

/* The name as wml.c made it with snprintf. */
static void S_expected(char *out, size_t size, const char *anchor) {
  uint32_t h = 2166136261u;
  for (const char *p = anchor; *p; p++)
    h = (h ^ (unsigned char)*p) * 16777619u;
  char clean[31];
  size_t n = 0;
  for (const char *p = anchor; *p && n < sizeof clean - 1; p++) {
    char c = *p;
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    clean[n++] = ok ? c : '_';
  }
  clean[n] = '\0';
  snprintf(out, size, "r%08x_%s", h, clean);
}

static void test_bookmark_name(void **state) {
  (void)state;
  Arena a;
  arena_init(&a);
  static const char *const anchors[] = {
      "",
      "A.5.1",
      "R-001",
      "about-POL-ISP",
      "heatmap-inherent-5-4",
      "über straße", /* bytes past ASCII are '_' each */
      "a-name-of-exactly-thirty-chars",
      "a much longer anchor than a bookmark name may hold, cut at 30",
      "0000000",
  };
  char want[64];
  for (size_t i = 0; i < sizeof anchors / sizeof anchors[0]; i++) {
    S_expected(want, sizeof want, anchors[i]);
    const char *got = wml_bookmark_name(&a, anchors[i]);
    assert_string_equal(got, want);
    assert_true(strlen(got) <= 40);
  }
  /* Hashes with leading zero digits keep them: find one and check it. */
  char anchor[16];
  for (int i = 0;; i++) {
    snprintf(anchor, sizeof anchor, "x%d", i);
    S_expected(want, sizeof want, anchor);
    if (want[1] == '0')
      break;
  }
  assert_string_equal(wml_bookmark_name(&a, anchor), want);
  arena_free(&a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_bookmark_name),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
