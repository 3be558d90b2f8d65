/* Unit tests for util.c: dates, did-you-mean, the id index (hash map), UTF-8; and arena_concat. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

static void test_date_valid(void **state) {
  (void)state;
  Date d;
  assert_true(date_parse("2026-03-01", &d));
  assert_int_equal(d.year, 2026);
  assert_int_equal(d.month, 3);
  assert_int_equal(d.day, 1);
  assert_true(date_parse("2024-02-29", &d)); /* leap year */
  assert_true(date_parse("2000-02-29", &d)); /* divisible by 400 */
  char buf[11];
  date_format(&d, buf);
  assert_string_equal(buf, "2000-02-29");
}

static void test_date_invalid(void **state) {
  (void)state;
  Date d;
  assert_false(date_parse("2026-02-30", &d));
  assert_false(date_parse("2026-02-29", &d)); /* not a leap year */
  assert_false(date_parse("1900-02-29", &d)); /* divisible by 100, not 400 */
  assert_false(date_parse("2026-13-01", &d));
  assert_false(date_parse("2026-00-10", &d));
  assert_false(date_parse("2026-04-31", &d));
  assert_false(date_parse("2026-3-1", &d));
  assert_false(date_parse(" 2026-03-01", &d));
  assert_false(date_parse("2026-03-01x", &d));
  assert_false(date_parse("", &d));
  assert_false(date_parse("yesterday", &d));
}

static void test_date_arithmetic(void **state) {
  (void)state;
  Date a, b;
  assert_true(date_parse("2026-01-01", &a));
  assert_true(date_parse("2027-01-01", &b));
  assert_int_equal(b.days - a.days, 365);
  assert_true(date_parse("1970-01-01", &a));
  assert_int_equal(a.days, 0);
  Date c = date_from_days(b.days);
  assert_int_equal(c.year, 2027);
  assert_int_equal(c.month, 1);
  assert_int_equal(c.day, 1);
}

/* date_parse keeps the dates it parsed (a cache by the date's place in an 8-year calendar):
 * dates sharing a place, a bad date beside a good one and repeats all read as the first
 * time. */
static void test_date_repeated(void **state) {
  (void)state;
  Date first, d;
  assert_true(date_parse("2026-02-28", &first));
  for (int round = 0; round < 3; round++) {
    assert_true(date_parse("2026-02-28", &d));
    assert_memory_equal(&d, &first, sizeof d);
    assert_false(date_parse("2026-02-29", &d)); /* never cached, never valid */
    assert_true(date_parse("2034-02-28", &d));  /* the same place, 8 years on */
    assert_int_equal(d.year, 2034);
    assert_int_equal(d.days - first.days, 8 * 365 + 2);
    assert_true(date_parse("2018-02-28", &d));
    assert_int_equal(d.year, 2018);
    assert_int_equal(d.month, 2);
    assert_int_equal(d.day, 28);
  }
  assert_true(date_parse("2026-03-01", NULL));
  assert_true(date_parse("2026-03-01", &d));
  assert_int_equal(d.days - first.days, 1);
}

static void test_edit_distance(void **state) {
  (void)state;
  assert_int_equal(edit_distance("owner", "owner"), 0);
  assert_int_equal(edit_distance("owmer", "owner"), 1);
  assert_int_equal(edit_distance("onwer", "owner"), 1); /* transposition */
  assert_int_equal(edit_distance("", "abc"), 3);
  assert_int_equal(edit_distance("Owner", "owner"), 0); /* case is not a typo */
}

static void test_did_you_mean(void **state) {
  (void)state;
  Arena a;
  arena_init(&a);
  const char *fields[] = {"id", "title", "owner", "likelihood", "impact", NULL};
  assert_string_equal(did_you_mean(&a, "owmer", fields, 5), "'owner'");
  assert_string_equal(did_you_mean(&a, "likelyhood", fields, 5), "'likelihood'");
  assert_null(did_you_mean(&a, "description", fields, 5));
  assert_null(did_you_mean(&a, "owner", fields, 5)); /* exact: nothing to suggest */
  /* NULL candidates are skipped. */
  const char *sparse[] = {NULL, "risk", NULL};
  assert_string_equal(did_you_mean(&a, "risc", sparse, 3), "'risk'");
  /* Ties prefer the longer common prefix: the same family of controls. */
  const char *controls[] = {"A.5.35", "A.8.25", "A.8.34"};
  assert_string_equal(did_you_mean(&a, "A.8.35", controls, 3), "'A.8.34'");
  /* Two equally good candidates are both offered. */
  const char *pair[] = {"R-001", "R-003"};
  assert_string_equal(did_you_mean(&a, "R-002", pair, 2), "'R-001' or 'R-003'");
  arena_free(&a);
}

static void test_hashmap(void **state) {
  (void)state;
  Arena a;
  arena_init(&a);
  HashMap m;
  hashmap_init(&m);
  assert_null(hashmap_get(&m, "missing"));
  char keys[5000][12];
  for (int i = 0; i < 5000; i++) {
    snprintf(keys[i], sizeof keys[i], "R-%05d", i);
    assert_null(hashmap_put(&a, &m, keys[i], keys[i]));
  }
  assert_int_equal(m.len, 5000);
  for (int i = 0; i < 5000; i++)
    assert_ptr_equal(hashmap_get(&m, keys[i]), keys[i]);
  assert_null(hashmap_get(&m, "R-05000"));
  /* Ids are case-sensitive. */
  assert_null(hashmap_get(&m, "r-00001"));
  /* Putting again replaces and returns the old value. */
  assert_ptr_equal(hashmap_put(&a, &m, keys[7], keys[8]), keys[7]);
  assert_ptr_equal(hashmap_get(&m, keys[7]), keys[8]);
  assert_int_equal(m.len, 5000);
  arena_free(&a);
}

/* arena_concat makes what arena_printf("%s%s...") makes, including empty parts and a string
 * longer than an arena block; what came before it in the arena is left alone. */
static void test_arena_concat(void **state) {
  (void)state;
  Arena a;
  arena_init(&a);
  char want[64];
  const char *before = arena_strdup(&a, "before");
  snprintf(want, sizeof want, "%s%s.docx", "../", "POL-1");
  assert_string_equal(arena_concat(&a, "../", "POL-1", ".docx", NULL), want);
  assert_string_equal(arena_concat(&a, NULL), "");
  assert_string_equal(arena_concat(&a, "", "x", "", NULL), "x");
  snprintf(want, sizeof want, "rId%d", 42);
  assert_string_equal(arena_concat(&a, "rId", "42", NULL), want);
  static char big[10000];
  memset(big, 'b', sizeof big - 1);
  char *joined = arena_concat(&a, " ", big, " ", NULL);
  assert_int_equal(strlen(joined), sizeof big + 1);
  assert_true(joined[0] == ' ' && joined[1] == 'b' && joined[sizeof big] == ' ');
  assert_string_equal(before, "before");
  arena_free(&a);
}

/* A large block freed by one arena is pooled and taken by the next one, which must hand out
 * zeroed memory again: the part the first arena used is wiped, the rest was never written. */
static void test_arena_reuse_zeroed(void **state) {
  (void)state;
  enum { BIG = 512 * 1024, FIRST = 300 * 1024 };
  arena_pool_drain(); /* an earlier test's pooled block could be the one taken below */
  Arena a;
  arena_init(&a);
  unsigned char *p = arena_alloc(&a, BIG); /* a mapped block of its own */
  memset(p, 0xAB, BIG);
  arena_free(&a);
  arena_init(&a);
  unsigned char *q = arena_alloc(&a, FIRST);
  assert_ptr_equal(q, p); /* the pooled block, not a new mapping */
  unsigned char *rest = arena_alloc(&a, BIG - FIRST);
  assert_ptr_equal(rest, q + FIRST);
  for (size_t i = 0; i < FIRST; i++)
    if (q[i])
      fail_msg("byte %zu of the reused block is 0x%02X", i, q[i]);
  for (size_t i = 0; i < BIG - FIRST; i++)
    if (rest[i])
      fail_msg("byte %zu past the first allocation is 0x%02X", i, rest[i]);
  arena_free(&a);
}

static void test_utf8(void **state) {
  (void)state;
  size_t bad = 99;
  assert_true(utf8_valid("plain", 5, &bad));
  assert_true(utf8_valid("caf\xC3\xA9 \xE2\x80\x99", 9, &bad));
  assert_false(utf8_valid("ab\xFF", 3, &bad));
  assert_int_equal(bad, 2);
  assert_false(utf8_valid("ab\0c", 4, &bad)); /* NUL */
  assert_int_equal(bad, 2);
  assert_false(utf8_valid("\xC0\xAF", 2, &bad)); /* overlong '/' */
  assert_int_equal(bad, 0);
  assert_false(utf8_valid("\xED\xA0\x80", 3, &bad)); /* surrogate */
  assert_false(utf8_valid("\xE2\x80", 2, &bad));     /* truncated */
  assert_int_equal(utf8_count("caf\xC3\xA9", 5), 4);
  /* Long ASCII runs are skipped a word at a time: a bad byte or a NUL is still found at its
   * own offset wherever it falls in or after a word, and characters after a run still count. */
  for (size_t pos = 0; pos < 24; pos++) {
    char text[25];
    memset(text, 'a', 24);
    text[24] = '\0';
    text[pos] = '\xFF';
    assert_false(utf8_valid(text, 24, &bad));
    assert_int_equal(bad, pos);
    text[pos] = '\0';
    assert_false(utf8_valid(text, 24, &bad));
    assert_int_equal(bad, pos);
  }
  assert_true(utf8_valid("abcdefghi\xC3\xA9jklmnopq\xE2\x80\x99", 22, &bad));
  assert_false(utf8_valid("abcdefgh\xC3", 9, &bad)); /* truncated after a word */
  assert_int_equal(bad, 8);
}

static void test_find_ref_open(void **state) {
  (void)state;
  const char *s = "a [b [[c]] [";
  const char *end = s + strlen(s);
  assert_ptr_equal(find_ref_open(s, end), s + 5);
  assert_ptr_equal(find_ref_open(s + 6, end), NULL);      /* "[c]] [": no pair */
  assert_ptr_equal(find_ref_open(s, s + 6), NULL);        /* the pair straddles the end */
  const char *pair = "[[";
  assert_ptr_equal(find_ref_open(pair, pair + 2), pair);
  assert_ptr_equal(find_ref_open(pair, pair), NULL); /* an empty range */
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_date_valid),
      cmocka_unit_test(test_date_invalid),
      cmocka_unit_test(test_date_arithmetic),
      cmocka_unit_test(test_date_repeated),
      cmocka_unit_test(test_edit_distance),
      cmocka_unit_test(test_did_you_mean),
      cmocka_unit_test(test_hashmap),
      cmocka_unit_test(test_arena_concat),
      cmocka_unit_test(test_arena_reuse_zeroed),
      cmocka_unit_test(test_utf8),
      cmocka_unit_test(test_find_ref_open),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
