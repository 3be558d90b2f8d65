/* xml_out.h - the one markup writer of the HTML and OOXML renderers: elements, attributes
 * and text, escaped by libxml2, into one of libxml2's output buffers (a FILE for a page, an
 * xmlBuffer for a package part).
 *
 * Why not xmlTextWriter: it costs about 3,000 instructions an element (a malloc'd stack
 * entry and name copy per element, a list node, an encoder pass over every byte even for
 * UTF-8 to UTF-8, a strlen per piece), and the DOCX set of a large ISMS is 100 MB of
 * elements: it was most of a build's time. This writer keeps what xmlTextWriter did for us
 * and writes the same bytes:
 * - Every text is escaped by libxml2's xmlEncodeSpecialChars (& < > " and CR) and every
 *   attribute value by libxml2's xmlAttrSerializeTxtContent (also LF and TAB; characters
 *   outside ASCII stay UTF-8 after xo_start_document has declared the encoding, and become
 *   character references in a page, which has no declaration: as xmlTextWriter did). A
 *   string with nothing to escape is written as it is: one scan decides, libxml2 escapes.
 * - Start and end tags always balance: the writer keeps the open elements and writes the end
 *   tag of the innermost one; an element with no content ends as <name/> (xo_end) or with a
 *   full end tag (xo_end_full, for HTML).
 * - A write that fails (a full disk under a page's FILE) marks the writer failed; the
 *   renderer reports it when it finishes.
 * Callers clean text of forbidden code points first (text.h), as they did for xmlTextWriter.
 */
#ifndef ISMSC_XML_OUT_H
#define ISMSC_XML_OUT_H

#include <libxml/tree.h>
#include <libxml/xmlIO.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

enum { XO_CHUNK = 16 * 1024 };

typedef struct XmlOut {
  xmlOutputBufferPtr out; /* a page's: libxml2's output buffer over the FILE */
  xmlBufferPtr part;      /* a part's: the chunks are added to the buffer itself */
  size_t pending_len;
  xmlBufferPtr escaped; /* scratch: an attribute value as libxml2 escaped it */
  xmlDocPtr doc;        /* once the part has declared UTF-8: tells libxml2's escaping so */
  char *names;          /* the open elements' names, each NUL-terminated, innermost last */
  size_t names_len, names_cap;
  size_t *starts; /* where each open element's name starts in names */
  size_t depth, starts_cap;
  bool tag_open; /* the innermost start tag still lacks its '>' (no content yet) */
  bool in_attr;  /* between xo_attr_begin and xo_attr_end, in an open start tag */
  bool failed;
  /* Bytes on their way to `out`, handed over a chunk at a time: an element is a dozen
   * writes of a few bytes, and each xmlOutputBufferWrite costs about 200 instructions.
   * Last, so opening and closing a writer clear the fields before it and not these 16 KB
   * (a build opens a writer per part and page: 46 M instructions of memset). */
  char pending[XO_CHUNK];
} XmlOut;

/* A writer into buf (a package part), or into f (a page: the FILE stays the caller's, and
 * is flushed by xo_close, not closed). False when out of memory. */
bool xo_open_buffer(XmlOut *o, xmlBufferPtr buf);
bool xo_open_file(XmlOut *o, FILE *f);
/* Ends every open element, flushes, frees the writer. False when a write failed. */
bool xo_close(XmlOut *o);

/* A whole number as decimal digits, NUL-terminated, into buf of XO_LONG_SIZE bytes; returns
 * buf. The same digits as "%ld" without snprintf's fixed cost (about 600 instructions a call,
 * and a DOCX table writes a width attribute for each of its cells). */
enum { XO_LONG_SIZE = 24 };
char *xo_format_long(char *buf, long v);

/* <?xml version="1.0" encoding="UTF-8" standalone="yes"?> and a newline; xo_end_document
 * ends every open element and writes the final newline. */
void xo_start_document(XmlOut *o);
void xo_end_document(XmlOut *o);

/* <name ...: the element's name, of len bytes. */
void xo_start_n(XmlOut *o, const char *name, size_t len);
/* Inline, so that the length of a name written as a literal (nearly every one) is counted
 * when compiling, not by a strlen for each of the millions of elements of a build. */
static inline void xo_start(XmlOut *o, const char *name) { xo_start_n(o, name, strlen(name)); }
/* Ends the innermost open element: <name/> when it has no content yet. */
void xo_end(XmlOut *o);
/* The same, always with an end tag (<name></name>): HTML has no empty-element syntax. */
void xo_end_full(XmlOut *o);
/* An attribute value in pieces: xo_attr_begin, xo_attr_part..., xo_attr_end. */
void xo_attr_begin_n(XmlOut *o, const char *name, size_t len);
static inline void xo_attr_begin(XmlOut *o, const char *name) {
  xo_attr_begin_n(o, name, strlen(name));
}
void xo_attr_part(XmlOut *o, const char *value);
void xo_attr_end(XmlOut *o);
/* name="value" on the element just started (value escaped). */
static inline void xo_attr(XmlOut *o, const char *name, const char *value) {
  xo_attr_begin(o, name);
  xo_attr_part(o, value ? value : "");
  xo_attr_end(o);
}
/* Text, escaped; it ends the start tag of the element it goes into. */
void xo_text(XmlOut *o, const char *s);
/* Bytes written as they are (trusted markup); they end an open start tag too. */
void xo_raw(XmlOut *o, const char *s, size_t n);

#endif
