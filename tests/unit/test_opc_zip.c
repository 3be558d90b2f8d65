/* Unit tests for the package zip (opc.c, zip_deflated.c): parts deflated by libdeflate and
 * copied from the pack read back through libzip's own reader (zlib inflates them, and libzip
 * checks each CRC), byte for byte, in order, with the build date, every entry deflated; an
 * empty part and a part of 4 MB of varied text included; and the same input twice gives the
 * same bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "opc.h"

enum { BIG = 4 * 1024 * 1024 };

/* Text that compresses as XML does, not to nothing: repeated tags around changing numbers. */
static unsigned char *S_big_part(void) {
  unsigned char *b = malloc(BIG);
  assert_non_null(b);
  size_t n = 0;
  unsigned x = 12345;
  while (n < BIG) {
    x = x * 1103515245u + 12345u;
    char row[96];
    int k = snprintf(row, sizeof row, "<w:tc><w:p><w:r><w:t>R-%05u %u</w:t></w:r></w:p></w:tc>",
                     (x >> 8) % 100000, x % 977);
    size_t m = (size_t)k < BIG - n ? (size_t)k : BIG - n;
    memcpy(b + n, row, m);
    n += m;
  }
  return b;
}

static char *S_temp_path(void) {
  char *path = strdup("/tmp/ismsc-test-opc-XXXXXX");
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  close(fd);
  unlink(path); /* opc_zip makes a new file: it never writes into one that exists */
  return path;
}

/* Reads entry i of the zip at path whole; checks its name, method and date on the way. */
static void S_expect_entry(zip_t *z, zip_uint64_t i, const OpcPart *part) {
  zip_stat_t st;
  assert_int_equal(zip_stat_index(z, i, 0, &st), 0);
  assert_string_equal(st.name, part->name);
  assert_int_equal(st.comp_method, ZIP_CM_DEFLATE);
  assert_int_equal(st.size, part->len);
  struct tm tm;
  localtime_r(&st.mtime, &tm); /* libzip reads the DOS date as local time */
  assert_int_equal(tm.tm_year + 1900, 2026);
  assert_int_equal(tm.tm_mon + 1, 11);
  assert_int_equal(tm.tm_mday, 23);
  zip_file_t *f = zip_fopen_index(z, i, 0);
  assert_non_null(f);
  unsigned char *got = malloc(part->len + 1);
  assert_non_null(got);
  zip_int64_t n = zip_fread(f, got, part->len + 1); /* one more: nothing is left over */
  assert_int_equal(n, (zip_int64_t)part->len);
  assert_memory_equal(got, part->data, part->len);
  assert_int_equal(zip_fclose(f), 0); /* 0: the CRC matched */
  free(got);
}

static unsigned char *S_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  fseek(f, 0, SEEK_END);
  *len = (size_t)ftell(f);
  rewind(f);
  unsigned char *b = malloc(*len ? *len : 1);
  assert_int_equal(fread(b, 1, *len, f), *len);
  fclose(f);
  return b;
}

/* A part written into a kept buffer holds that part alone, in the same memory. */
static void test_writer_reuses_a_kept_buffer(void **state) {
  (void)state;
  xmlBufferPtr kept = xmlBufferCreate();
  OpcWriter wr = opc_writer_reuse(kept);
  EL(wr.w, "first");
  TEXT(wr.w, "a longer part, written first");
  END(wr.w);
  assert_ptr_equal(opc_writer_done(&wr), kept);
  const xmlChar *memory = xmlBufferContent(kept);
  wr = opc_writer_reuse(kept);
  EL(wr.w, "second");
  END(wr.w);
  opc_writer_done(&wr);
  assert_string_equal((const char *)xmlBufferContent(kept),
                      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                      "<second/>\n");
  assert_ptr_equal(xmlBufferContent(kept), memory);
  xmlBufferFree(kept);
}

static void test_parts_read_back(void **state) {
  (void)state;
  opc_init();
  static const char styles[] = "<w:styles><w:style w:styleId=\"Normal\"/></w:styles>";
  static const char doc[] = "<w:document><w:body><w:p/></w:body></w:document>";
  unsigned char *big = S_big_part();
  OpcPart kit[] = {{"word/styles.xml", NULL, (const unsigned char *)styles, sizeof styles - 1}};
  OpcPack pack;
  assert_true(opc_pack(&pack, kit, 1));
  OpcPart parts[] = {
      {"[Content_Types].xml", NULL, (const unsigned char *)doc, sizeof doc - 1},
      {"word/empty.xml", NULL, (const unsigned char *)"", 0},
      kit[0], /* the same address and length: copied from the pack */
      {"word/document.xml", NULL, big, BIG},
  };
  size_t n = sizeof parts / sizeof parts[0];
  Date date = {.year = 2026, .month = 11, .day = 23};
  char *path = S_temp_path(), *again = S_temp_path();
  assert_true(opc_zip(&(OutFile){path, NULL, NULL, NULL}, parts, n, &date, &pack));
  assert_true(opc_zip(&(OutFile){again, NULL, NULL, NULL}, parts, n, &date, &pack));

  int err = 0;
  zip_t *z = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &err);
  assert_non_null(z);
  assert_int_equal(zip_get_num_entries(z, 0), (zip_int64_t)n);
  for (size_t i = 0; i < n; i++)
    S_expect_entry(z, i, &parts[i]);
  zip_stat_t st;
  assert_int_equal(zip_stat_index(z, 3, 0, &st), 0);
  assert_true(st.comp_size < BIG / 4); /* deflated, not stored */
  zip_discard(z);

  size_t la, lb;
  unsigned char *a = S_file(path, &la), *b = S_file(again, &lb);
  assert_int_equal(la, lb);
  assert_memory_equal(a, b, la);
  free(a);
  free(b);
  unlink(path);
  unlink(again);
  free(path);
  free(again);
  opc_pack_free(&pack);
  free(big);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_parts_read_back),
                                     cmocka_unit_test(test_writer_reuses_a_kept_buffer)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
