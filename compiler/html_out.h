/* html_out.h - the markup writer of emit_html.c: elements, attributes and text, escaped by
 * libxml2 through xml_out.h (DEVELOPERS.md: all XML and HTML writing and escaping goes through
 * libxml2), into the page's FILE through one xmlOutputBuffer.
 *
 * What it adds to xml_out.h: every string written as text, as an attribute or as
 * markup first loses the code points HTML forbids in a document (controls other than
 * whitespace, noncharacters): each becomes U+FFFD. Escaping cannot help (`&#1;` is as
 * invalid as the byte), and the loader lets them through in YAML escapes ("\x01",
 * "\u0085") and Markdown text. Most strings have none: they are checked in one pass and
 * handed to libxml2 as they are; only a string with one is copied. Strings are valid UTF-8
 * (the loader checks).
 */
#ifndef ISMSC_HTML_OUT_H
#define ISMSC_HTML_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "xml_out.h"

typedef struct HtmlOut {
  XmlOut w;
  bool failed;   /* the writer could not be made */
  size_t depth;  /* open elements */
  char *scratch; /* the cleaned copy of the last string that needed one */
  size_t scratch_cap;
} HtmlOut;

void hout_init(HtmlOut *o, FILE *f);
/* The same into memory: the page is added to buf (a worker's kept buffer, out_file.h). */
void hout_init_buffer(HtmlOut *o, xmlBufferPtr buf);
/* Flushes what is buffered into the FILE and frees the writer. False if a write failed. */
bool hout_finish(HtmlOut *o);

/* <tag ...>. Inline, as xo_start is: a literal tag's length is counted when compiling. */
static inline void hout_start(HtmlOut *o, const char *tag) {
  xo_start(&o->w, tag);
  o->depth++;
}
/* </tag> of the innermost open element (never <tag/>). */
void hout_end(HtmlOut *o);
/* key="value" on the element just started. */
void hout_attr_n(HtmlOut *o, const char *key, size_t key_len, const char *value);
static inline void hout_attr(HtmlOut *o, const char *key, const char *value) {
  hout_attr_n(o, key, strlen(key), value);
}
/* An attribute value written in pieces: hout_attr_begin, hout_attr_part..., hout_attr_end. */
static inline void hout_attr_begin(HtmlOut *o, const char *key) { xo_attr_begin(&o->w, key); }
void hout_attr_part(HtmlOut *o, const char *value);
void hout_attr_end(HtmlOut *o);
/* Text content, escaped. NULL writes nothing. */
void hout_text(HtmlOut *o, const char *s);
/* Markup made elsewhere (cmark-gfm's HTML), written as it is but for forbidden code points. */
void hout_markup(HtmlOut *o, const char *s);
/* Trusted bytes (the layout template, the stylesheet), written as they are. */
void hout_raw(HtmlOut *o, const char *s, size_t n);

#endif
