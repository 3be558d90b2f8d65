/* Unit tests for out_file.c: the kept buffer is the same memory from one take to the next,
 * emptied each time; out_file_write links the previous file only when it holds the same
 * bytes, has no other name and a fresh file's mode, and is reached without a symbolic link
 * (itself or a folder on the way) or a FIFO's wait, and writes a new file otherwise. */
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

static void test_buffer_kept_and_emptied(void **state) {
  (void)state;
  OutBuffer b = {0};
  xmlBufferPtr x = out_buffer_take(&b);
  assert_non_null(x);
  assert_int_equal(xmlBufferLength(x), 0);
  /* 200 KB in uneven pieces, through the writer's own call: the buffer grows past them. */
  char piece[777];
  int total = 0;
  for (int i = 0; total < 200 * 1024; i++) {
    int n = i % 700 + 77;
    memset(piece, 'a' + i % 26, (size_t)n);
    assert_int_equal(xmlBufferAdd(x, (const xmlChar *)piece, n), 0);
    total += n;
  }
  assert_int_equal(xmlBufferLength(x), total);
  const xmlChar *memory = xmlBufferContent(x);
  xmlBufferPtr again = out_buffer_take(&b);
  assert_ptr_equal(again, x);
  assert_int_equal(xmlBufferLength(again), 0); /* emptied for the next file */
  assert_int_equal(xmlBufferAdd(again, (const xmlChar *)"second", 6), 0);
  assert_string_equal((const char *)xmlBufferContent(again), "second");
  assert_ptr_equal(xmlBufferContent(again), memory); /* the memory is kept, not made again */
  out_buffer_free(&b);
  assert_null(b.xml);
}

static char dir[] = "/tmp/ismsc-test-out-XXXXXX";

static char *S_path(const char *name) {
  char *p;
  assert_true(asprintf(&p, "%s/%s", dir, name) > 0);
  return p;
}

static void S_write(const char *name, const char *text) {
  char *path = S_path(name);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  assert_int_equal(fclose(f), 0);
  free(path);
}

/* Puts text at DIR/new-NAME (slashes made dashes) with DIR as the previous set; true when it was linked to
 * DIR/NAME. The file put holds text either way. */
static bool S_put(OutPrevious *prev, const char *name, const char *text) {
  char *path, *old = S_path(name);
  assert_true(asprintf(&path, "%s/new-%s", dir, name) > 0);
  for (char *c = path + strlen(dir) + 1; *c; c++)
    *c = *c == '/' ? '-' : *c; /* the new file beside the others, whatever its name's folders */
  OutFile out = {path, name, prev, NULL};
  assert_true(out_file_write(&out, text, strlen(text)));
  FILE *f = fopen(path, "r");
  char got[64] = "";
  assert_non_null(f);
  size_t n = fread(got, 1, sizeof got - 1, f);
  fclose(f);
  assert_int_equal(n, strlen(text));
  assert_string_equal(got, text);
  struct stat a, b;
  bool linked = lstat(old, &a) == 0 && lstat(path, &b) == 0 && a.st_ino == b.st_ino;
  unlink(path);
  free(path);
  free(old);
  return linked;
}

static void test_write_links_only_a_shareable_file(void **state) {
  (void)state;
  assert_non_null(mkdtemp(dir));
  OutPrevious prev;
  assert_true(out_previous_open(&prev, dir));
  S_write("same", "unchanged bytes");
  assert_true(S_put(&prev, "same", "unchanged bytes"));
  S_write("other", "old bytes here!"); /* same length, other bytes */
  assert_false(S_put(&prev, "other", "new bytes here!"));
  assert_false(S_put(&prev, "other", "old bytes")); /* a prefix */
  S_write("twice", "shared");
  char *twice = S_path("twice"), *alias = S_path("alias");
  assert_int_equal(link(twice, alias), 0); /* a second name: never shared */
  assert_false(S_put(&prev, "twice", "shared"));
  S_write("target", "pointed at");
  char *target = S_path("target"), *slink = S_path("link");
  assert_int_equal(symlink(target, slink), 0); /* a symbolic link: never followed */
  assert_false(S_put(&prev, "link", "pointed at"));
  S_write("narrow", "its own mode");
  char *narrow = S_path("narrow");
  assert_int_equal(chmod(narrow, 0600), 0); /* not the mode a fresh build gives */
  assert_false(S_put(&prev, "narrow", "its own mode"));
  char *sub = S_path("sub"), *via = S_path("via");
  assert_int_equal(mkdir(sub, 0755), 0);
  S_write("sub/deep", "below a link");
  assert_int_equal(symlink("sub", via), 0); /* a folder reached through a link: not shared */
  assert_true(S_put(&prev, "sub/deep", "below a link"));
  char *through;
  assert_true(asprintf(&through, "%s/new-via-deep", dir) > 0);
  OutFile out = {through, "via/deep", &prev, NULL};
  assert_true(out_file_write(&out, "below a link", 12));
  struct stat a, b;
  char *deep = S_path("sub/deep");
  assert_int_equal(lstat(deep, &a), 0);
  assert_int_equal(lstat(through, &b), 0);
  assert_true(a.st_ino != b.st_ino && a.st_nlink == 1);
  char *fifo = S_path("fifo");
  assert_int_equal(mkfifo(fifo, 0644), 0); /* never opened to wait for a writer */
  assert_false(S_put(&prev, "fifo", ""));
  assert_false(S_put(&prev, "missing", "no previous file"));
  char *same = S_path("same");
  OutFile none = {same, "same", NULL, NULL}; /* an existing path: O_EXCL refuses */
  assert_false(out_file_write(&none, "x", 1));
  out_previous_close(&prev);
  char *paths[] = {same, twice, alias, target, slink, narrow, deep, through, via, fifo};
  for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
    unlink(paths[i]);
    free(paths[i]);
  }
  const char *rest[] = {"other", NULL};
  for (size_t i = 0; rest[i]; i++) {
    char *p = S_path(rest[i]);
    unlink(p);
    free(p);
  }
  rmdir(sub);
  free(sub);
  rmdir(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_buffer_kept_and_emptied),
      cmocka_unit_test(test_write_links_only_a_shareable_file),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
