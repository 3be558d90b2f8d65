/* html_out.c - the markup writer; see html_out.h. */
#include "html_out.h"

#include "text.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

void hout_init(HtmlOut *o, FILE *f) {
  /* The FILE stays the caller's: xmlOutputBufferCreateFile flushes it on close, never
   * closes it. */
  o->w = xmlNewTextWriter(xmlOutputBufferCreateFile(f, NULL));
  o->failed = o->w == NULL;
  o->depth = 0;
  o->scratch = NULL;
  o->scratch_cap = 0;
}

bool hout_finish(HtmlOut *o) {
  if (o->w && xmlTextWriterFlush(o->w) < 0)
    o->failed = true;
  xmlFreeTextWriter(o->w);
  o->w = NULL;
  free(o->scratch);
  o->scratch = NULL;
  return !o->failed;
}

/* Every xmlTextWriter call goes through this: a negative result is a failed write. */
static void S_did(HtmlOut *o, int result) {
  if (result < 0)
    o->failed = true;
}

/* s, or a copy of it in o->scratch with each forbidden code point replaced (text.h). */
static const char *S_clean(HtmlOut *o, const char *s) {
  return text_clean(s, &o->scratch, &o->scratch_cap);
}

/* ---------------------------------------------------------------- elements */

void hout_start(HtmlOut *o, const char *tag) {
  S_did(o, xmlTextWriterStartElement(o->w, BAD_CAST tag));
  o->depth++;
}

void hout_end(HtmlOut *o) {
  if (!o->depth)
    return;
  S_did(o, xmlTextWriterFullEndElement(o->w));
  o->depth--;
}

void hout_attr_begin(HtmlOut *o, const char *key) {
  S_did(o, xmlTextWriterStartAttribute(o->w, BAD_CAST key));
}

void hout_attr_part(HtmlOut *o, const char *value) {
  if (value && *value)
    S_did(o, xmlTextWriterWriteString(o->w, BAD_CAST S_clean(o, value)));
}

void hout_attr_end(HtmlOut *o) { S_did(o, xmlTextWriterEndAttribute(o->w)); }

void hout_attr(HtmlOut *o, const char *key, const char *value) {
  S_did(o,
        xmlTextWriterWriteAttribute(o->w, BAD_CAST key, BAD_CAST S_clean(o, value ? value : "")));
}

void hout_text(HtmlOut *o, const char *s) {
  if (!s)
    return;
  if (o->depth) {
    S_did(o, xmlTextWriterWriteString(o->w, BAD_CAST S_clean(o, s)));
    return;
  }
  /* Outside any element (a layout slot such as {{title}}) xmlTextWriterWriteString writes
   * its argument unescaped; escape it as it would inside one. */
  xmlChar *escaped = xmlEncodeSpecialChars(NULL, BAD_CAST S_clean(o, s));
  if (!escaped) {
    o->failed = true;
    return;
  }
  S_did(o, xmlTextWriterWriteRaw(o->w, escaped));
  xmlFree(escaped);
}

void hout_markup(HtmlOut *o, const char *s) {
  S_did(o, xmlTextWriterWriteRaw(o->w, BAD_CAST S_clean(o, s)));
}

void hout_raw(HtmlOut *o, const char *s, size_t n) {
  if (n > (size_t)INT_MAX) {
    o->failed = true;
    return;
  }
  S_did(o, xmlTextWriterWriteRawLen(o->w, BAD_CAST s, (int)n));
}
