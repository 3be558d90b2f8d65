/* Unit tests for out_file.c: the kept buffer gathers every byte written through its stream,
 * past its first growth, and starts empty when reopened; out_file_write links the previous
 * file only when it holds the same bytes and has no other name, never a symbolic link, and
 * writes a new file otherwise. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "out_file.h"

static void test_buffer_gathers_and_reopens_empty(void **state) {
  (void)state;
  OutBuffer b = {0};
  FILE *f = out_buffer_open(&b);
  assert_non_null(f);
  /* 200 KB in uneven pieces: the buffer starts at 64 KB and must grow twice. */
  char piece[777];
  size_t total = 0;
  for (int i = 0; total < 200 * 1024; i++) {
    size_t n = (size_t)(i % 700) + 77;
    memset(piece, 'a' + i % 26, n);
    assert_int_equal(fwrite(piece, 1, n, f), n);
    total += n;
  }
  assert_int_equal(fclose(f), 0);
  assert_int_equal(b.len, total);
  assert_true(b.cap >= b.len);
  size_t at = 0;
  for (int i = 0; at < total; i++) {
    size_t n = (size_t)(i % 700) + 77;
    for (size_t k = 0; k < n; k++)
      assert_int_equal(b.data[at + k], 'a' + i % 26);
    at += n;
  }
  char *kept = b.data;
  f = out_buffer_open(&b);
  assert_int_equal(b.len, 0);
  fputs("second", f);
  assert_int_equal(fclose(f), 0);
  assert_int_equal(b.len, 6);
  assert_memory_equal(b.data, "second", 6);
  assert_ptr_equal(b.data, kept); /* the memory is kept, not made again */
  out_buffer_free(&b);
  assert_null(b.data);
}

static char dir[] = "/tmp/ismsc-test-out-XXXXXX";

static char *S_path(const char *name) {
  char *p;
  assert_true(asprintf(&p, "%s/%s", dir, name) > 0);
  return p;
}

static void S_write(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  assert_int_equal(fclose(f), 0);
}

static ino_t S_inode(const char *path) {
  struct stat st;
  assert_int_equal(lstat(path, &st), 0);
  return st.st_ino;
}

/* Puts text at new/NAME with old/NAME as the previous file; true when it was linked. */
static bool S_put(const char *name, const char *text) {
  char *prev = S_path(name), *path;
  assert_true(asprintf(&path, "%s.new", prev) > 0);
  OutFile out = {path, prev, NULL};
  assert_true(out_file_write(&out, text, strlen(text)));
  FILE *f = fopen(path, "r");
  char got[64] = "";
  assert_non_null(f);
  size_t n = fread(got, 1, sizeof got - 1, f);
  fclose(f);
  assert_int_equal(n, strlen(text));
  assert_string_equal(got, text);
  struct stat st;
  bool linked = lstat(prev, &st) == 0 && S_inode(path) == st.st_ino;
  unlink(path);
  free(path);
  free(prev);
  return linked;
}

static void test_write_links_only_the_same_sole_file(void **state) {
  (void)state;
  assert_non_null(mkdtemp(dir));
  char *same = S_path("same"), *other = S_path("other"), *twice = S_path("twice");
  char *alias = S_path("alias"), *target = S_path("target"), *slink = S_path("link");
  S_write(same, "unchanged bytes");
  assert_true(S_put("same", "unchanged bytes"));
  S_write(other, "old bytes here!");                  /* same length, other bytes */
  assert_false(S_put("other", "new bytes here!"));
  assert_false(S_put("other", "old bytes"));           /* a prefix */
  S_write(twice, "shared");
  assert_int_equal(link(twice, alias), 0);             /* a second name: never shared */
  assert_false(S_put("twice", "shared"));
  S_write(target, "pointed at");
  assert_int_equal(symlink(target, slink), 0);          /* a symbolic link: never followed */
  assert_false(S_put("link", "pointed at"));
  assert_false(S_put("missing", "no previous file"));
  OutFile none = {same, NULL, NULL};                   /* an existing path: O_EXCL refuses */
  assert_false(out_file_write(&none, "x", 1));
  const char *names[] = {"same", "other", "twice", "alias", "target", "link"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    char *p = S_path(names[i]);
    unlink(p);
    free(p);
  }
  rmdir(dir);
  char *paths[] = {same, other, twice, alias, target, slink};
  for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
    free(paths[i]);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_buffer_gathers_and_reopens_empty),
      cmocka_unit_test(test_write_links_only_the_same_sole_file),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
