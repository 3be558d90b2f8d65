/* Unit tests for xml_out.c: a package part written through it is, byte for byte, what
 * libxml2's xmlTextWriter writes for the same calls (the writer the OOXML renderers used
 * before): the declaration, empty and full elements, attributes whole and in pieces, text,
 * raw bytes, the open elements ended by the end of the document, and every escape. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <libxml/xmlwriter.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xml_out.h"

/* The calls, once through each writer. */
static char *S_ours(const char *s) {
  xmlBufferPtr buf = xmlBufferCreate();
  XmlOut *o = malloc(sizeof *o);
  assert_true(xo_open_buffer(o, buf));
  xo_start_document(o);
  xo_start(o, "w:document");
  xo_attr(o, "xmlns:w", "urn:w");
  xo_start(o, "w:empty");
  xo_attr(o, "w:val", s);
  xo_end(o);
  xo_start(o, "w:t");
  xo_text(o, s);
  xo_end(o);
  xo_start(o, "w:none");
  xo_text(o, "");
  xo_end(o);
  xo_start(o, "w:pieces");
  xo_attr_begin(o, "w:v");
  xo_attr_part(o, s);
  xo_attr_part(o, "-");
  xo_attr_part(o, s);
  xo_attr_end(o);
  xo_raw(o, "<w:raw/>", 8);
  xo_end(o);
  xo_start(o, "w:open"); /* left open: the end of the document ends it */
  xo_start(o, "w:inner");
  xo_end_document(o);
  assert_true(xo_close(o));
  free(o);
  char *out = strdup((const char *)xmlBufferContent(buf));
  xmlBufferFree(buf);
  return out;
}

static char *S_libxml(const char *s) {
  xmlBufferPtr buf = xmlBufferCreate();
  xmlTextWriterPtr w = xmlNewTextWriterMemory(buf, 0);
  xmlTextWriterStartDocument(w, NULL, "UTF-8", "yes");
  xmlTextWriterStartElement(w, BAD_CAST "w:document");
  xmlTextWriterWriteAttribute(w, BAD_CAST "xmlns:w", BAD_CAST "urn:w");
  xmlTextWriterStartElement(w, BAD_CAST "w:empty");
  xmlTextWriterWriteAttribute(w, BAD_CAST "w:val", BAD_CAST s);
  xmlTextWriterEndElement(w);
  xmlTextWriterStartElement(w, BAD_CAST "w:t");
  xmlTextWriterWriteString(w, BAD_CAST s);
  xmlTextWriterEndElement(w);
  xmlTextWriterStartElement(w, BAD_CAST "w:none");
  xmlTextWriterWriteString(w, BAD_CAST "");
  xmlTextWriterEndElement(w);
  xmlTextWriterStartElement(w, BAD_CAST "w:pieces");
  xmlTextWriterStartAttribute(w, BAD_CAST "w:v");
  xmlTextWriterWriteString(w, BAD_CAST s);
  xmlTextWriterWriteString(w, BAD_CAST "-");
  xmlTextWriterWriteString(w, BAD_CAST s);
  xmlTextWriterEndAttribute(w);
  xmlTextWriterWriteRaw(w, BAD_CAST "<w:raw/>");
  xmlTextWriterEndElement(w);
  xmlTextWriterStartElement(w, BAD_CAST "w:open");
  xmlTextWriterStartElement(w, BAD_CAST "w:inner");
  xmlTextWriterEndDocument(w);
  xmlFreeTextWriter(w);
  char *out = strdup((const char *)xmlBufferContent(buf));
  xmlBufferFree(buf);
  return out;
}

static void S_same(const char *s) {
  char *ours = S_ours(s), *theirs = S_libxml(s);
  if (strcmp(ours, theirs) != 0)
    fail_msg("for '%s':\nours    %s\nlibxml2 %s", s, ours, theirs);
  free(ours);
  free(theirs);
}

/* Every byte that escaping treats specially, ASCII and not, alone and among others. */
static void test_same_as_xmltextwriter(void **state) {
  (void)state;
  static const char *const cases[] = {
      "", "plain", "a&b", "<tag>", "\"quoted\"", "it's", "tab\there", "line\nbreak", "cr\rhere",
      "caf\xC3\xA9", "\xE2\x80\xA2 bullet", "\xF0\x9F\x94\x92 lock", "&amp; already",
      "mixed \xC3\xA9 & <\xE2\x80\x94> \"x\"\t\n\r end", "]]>", "   spaced   "};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    S_same(cases[i]);
}

/* A part far longer than the writer's chunk, with escapes all along it. */
static void test_long_part(void **state) {
  (void)state;
  size_t len = 100 * 1000;
  char *s = malloc(len + 1);
  for (size_t i = 0; i < len; i++)
    s[i] = "ab<&\"c\xC3\xA9"[i % 8];
  s[len - (len % 8 == 7 ? 1 : 0)] = '\0'; /* never split the two bytes of U+00E9 */
  S_same(s);
  free(s);
}

/* An attribute given after the start tag has content is dropped, as xmlTextWriter did. */
static void test_attribute_after_content(void **state) {
  (void)state;
  xmlBufferPtr buf = xmlBufferCreate();
  XmlOut o;
  assert_true(xo_open_buffer(&o, buf));
  xo_start(&o, "p");
  xo_text(&o, "x");
  xo_attr(&o, "late", "1");
  xo_end(&o);
  assert_true(xo_close(&o));
  assert_string_equal((const char *)xmlBufferContent(buf), "<p>x</p>");
  xmlBufferFree(buf);
}

/* xo_format_long writes what "%ld" writes, at both ends of the range and around every power
 * of ten. */
static void test_format_long(void **state) {
  (void)state;
  long values[64];
  size_t n = 0;
  values[n++] = 0;
  values[n++] = LONG_MIN;
  values[n++] = LONG_MAX;
  for (long p = 1; p <= LONG_MAX / 10; p *= 10) {
    values[n++] = p - 1;
    values[n++] = p;
    values[n++] = -p;
  }
  for (size_t i = 0; i < n; i++) {
    char want[XO_LONG_SIZE], got[XO_LONG_SIZE];
    snprintf(want, sizeof want, "%ld", values[i]);
    assert_string_equal(xo_format_long(got, values[i]), want);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_same_as_xmltextwriter),
      cmocka_unit_test(test_long_part),
      cmocka_unit_test(test_attribute_after_content),
      cmocka_unit_test(test_format_long),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
