/* Unit tests for html_out.c: what it writes is what libxml2's xmlTextWriter writes (it is a
 * thin layer over it), but for the code points HTML forbids, which become U+FFFD. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <libxml/xmlwriter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html_out.h"

/* <p title="s">s<div>s</div></p>: an attribute, text and raw markup. */
static char *S_ours(const char *s, size_t *len) {
  char *out;
  FILE *f = open_memstream(&out, len);
  HtmlOut *o = malloc(sizeof *o);
  hout_init(o, f);
  hout_start(o, "p");
  hout_attr(o, "title", s);
  hout_text(o, s);
  hout_start(o, "div");
  hout_markup(o, s);
  hout_end(o);
  hout_end(o);
  assert_true(hout_finish(o));
  free(o);
  fclose(f);
  return out;
}

static char *S_libxml(const char *s, size_t *len) {
  char *out;
  FILE *f = open_memstream(&out, len);
  xmlTextWriterPtr w = xmlNewTextWriter(xmlOutputBufferCreateFile(f, NULL));
  xmlTextWriterStartElement(w, BAD_CAST "p");
  xmlTextWriterWriteAttribute(w, BAD_CAST "title", BAD_CAST s);
  xmlTextWriterWriteString(w, BAD_CAST s);
  xmlTextWriterStartElement(w, BAD_CAST "div");
  xmlTextWriterWriteRaw(w, BAD_CAST s);
  xmlTextWriterFullEndElement(w);
  xmlTextWriterFullEndElement(w);
  xmlFreeTextWriter(w);
  fclose(f);
  return out;
}

static size_t S_utf8(unsigned long cp, char *o) {
  if (cp < 0x80) {
    o[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    o[0] = (char)(0xC0 | cp >> 6);
    o[1] = (char)(0x80 | (cp & 63));
    return 2;
  }
  if (cp < 0x10000) {
    o[0] = (char)(0xE0 | cp >> 12);
    o[1] = (char)(0x80 | (cp >> 6 & 63));
    o[2] = (char)(0x80 | (cp & 63));
    return 3;
  }
  o[0] = (char)(0xF0 | cp >> 18);
  o[1] = (char)(0x80 | (cp >> 12 & 63));
  o[2] = (char)(0x80 | (cp >> 6 & 63));
  o[3] = (char)(0x80 | (cp & 63));
  return 4;
}

static bool S_forbidden(unsigned long cp) {
  return (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || (cp >= 0x7F && cp <= 0x9F) ||
         (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
}

/* Every allowed code point up to U+3000 and a sample beyond, among the characters that need
 * escaping: the same bytes as libxml2. */
static void test_same_as_libxml(void **state) {
  (void)state;
  for (unsigned long cp = 1; cp < 0x110000; cp++) {
    if ((cp >= 0xD800 && cp < 0xE000) || S_forbidden(cp) || (cp > 0x3000 && cp % 97))
      continue;
    char s[64], c[5] = {0};
    S_utf8(cp, c);
    snprintf(s, sizeof s, "a%s&<>\"'\t\n\rb%s", c, c);
    size_t n1, n2;
    char *ours = S_ours(s, &n1), *theirs = S_libxml(s, &n2);
    if (n1 != n2 || memcmp(ours, theirs, n1) != 0)
      fail_msg("U+%04lX: ours %s, libxml2 %s", cp, ours, theirs);
    free(ours);
    free(theirs);
  }
}

/* Forbidden code points become U+FFFD (a character reference in an attribute). */
static void test_forbidden(void **state) {
  (void)state;
  size_t n;
  char *out = S_ours("a\x01" "b\xC2\x85" "c\xEF\xB7\x90" "d\xEF\xBF\xBF" "e\xF0\x9F\xBF\xBE" "f", &n);
  assert_string_equal(out, "<p title=\"a&#xFFFD;b&#xFFFD;c&#xFFFD;d&#xFFFD;e&#xFFFD;f\">"
                           "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c\xEF\xBF\xBD" "d\xEF\xBF\xBD"
                           "e\xEF\xBF\xBD" "f<div>a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c\xEF\xBF\xBD"
                           "d\xEF\xBF\xBD" "e\xEF\xBF\xBD" "f</div></p>");
  free(out);
}

/* A long string, with entities and non-ASCII all along it. */
static void test_long(void **state) {
  (void)state;
  size_t len = 200 * 1000;
  char *s = malloc(len + 1);
  for (size_t i = 0; i < len; i++)
    s[i] = "ab<&c\xC3\xA9"[i % 7];
  s[len - (len % 7 == 6 ? 1 : 0)] = '\0'; /* never split the two bytes of U+00E9 */
  size_t n1, n2;
  char *ours = S_ours(s, &n1), *theirs = S_libxml(s, &n2);
  assert_int_equal(n1, n2);
  assert_memory_equal(ours, theirs, n1);
  free(ours);
  free(theirs);
  free(s);
}

/* Text outside any element (a layout slot) is escaped too: xmlTextWriterWriteString alone
 * would write it as it is. */
static void test_text_outside_elements(void **state) {
  (void)state;
  char *out;
  size_t len;
  FILE *f = open_memstream(&out, &len);
  HtmlOut o;
  hout_init(&o, f);
  hout_text(&o, "<b>&\x01</b>");
  hout_raw(&o, "<i>", 3);
  assert_true(hout_finish(&o));
  fclose(f);
  assert_string_equal(out, "&lt;b&gt;&amp;\xEF\xBF\xBD&lt;/b&gt;<i>");
  free(out);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_same_as_libxml),
      cmocka_unit_test(test_forbidden),
      cmocka_unit_test(test_long),
      cmocka_unit_test(test_text_outside_elements),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
