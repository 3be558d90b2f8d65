/* html_out.h - the markup writer of emit_html.c: elements, attributes and text, escaped.
 *
 * It writes what libxml2's xmlTextWriter wrote for us before, byte for byte (text escaped as
 * xmlEncodeSpecialChars does; attribute values as xmlTextWriterWriteAttribute does, non-ASCII
 * as character references), without its cost per call: a list node per element, a
 * temporary buffer per escaped string, a FILE call per piece. Large pages (a traceability
 * matrix of megabytes) made that cost most of a build.
 *
 * Every string written as text or as an attribute also loses the code points HTML forbids
 * in a document (controls other than whitespace, noncharacters): each becomes U+FFFD.
 * Escaping cannot help (`&#1;` is as invalid as the byte), and the loader lets them through
 * in YAML escapes ("\x01", "\u0085") and Markdown text. Strings are valid UTF-8 (the loader
 * checks).
 */
#ifndef ISMSC_HTML_OUT_H
#define ISMSC_HTML_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct HtmlOut {
  FILE *f;
  bool tag_open; /* "<tag attr=..." is written, its ">" is not yet */
  bool failed;   /* a write to f failed */
  const char **open; /* names of the open elements, innermost last */
  size_t depth, cap;
  size_t len; /* bytes in buf */
  char buf[64 * 1024];
} HtmlOut;

void hout_init(HtmlOut *o, FILE *f);
/* Flushes what is buffered into the FILE and frees the writer. False if a write failed. */
bool hout_finish(HtmlOut *o);

/* <tag ...>: `tag` must live until its hout_end. */
void hout_start(HtmlOut *o, const char *tag);
/* </tag> of the innermost open element (never <tag/>). */
void hout_end(HtmlOut *o);
/* key="value" on the element just started. */
void hout_attr(HtmlOut *o, const char *key, const char *value);
/* An attribute value written in pieces: hout_attr_begin, hout_attr_part..., hout_attr_end. */
void hout_attr_begin(HtmlOut *o, const char *key);
void hout_attr_part(HtmlOut *o, const char *value);
void hout_attr_end(HtmlOut *o);
/* Text content, escaped. NULL writes nothing. */
void hout_text(HtmlOut *o, const char *s);
/* Markup made elsewhere (cmark-gfm's HTML), written as it is but for forbidden code points. */
void hout_markup(HtmlOut *o, const char *s);
/* Trusted bytes (the layout template, the stylesheet), written as they are. */
void hout_raw(HtmlOut *o, const char *s, size_t n);

#endif
