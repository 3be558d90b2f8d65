/* xml_out.c - the markup writer; see xml_out.h. */
#include "xml_out.h"

#include <limits.h>
#include <stddef.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/entities.h>

/* The bytes libxml2's attribute escaping leaves as they are: printable ASCII other than
 * & < > ". A table, filled once: this scan runs over every attribute value of a 100 MB
 * DOCX set. */
static bool attr_plain[256];
static pthread_once_t attr_plain_once = PTHREAD_ONCE_INIT;

static void S_fill_attr_plain(void) {
  for (int c = 0x20; c <= 0x7e; c++)
    attr_plain[c] = c != '&' && c != '<' && c != '>' && c != '"';
}

static bool S_init(XmlOut *o, xmlOutputBufferPtr out, xmlBufferPtr part) {
  pthread_once(&attr_plain_once, S_fill_attr_plain);
  memset(o, 0, offsetof(XmlOut, pending));
  o->out = out;
  o->part = part;
  o->escaped = xmlBufferCreate();
  o->failed = (out == NULL && part == NULL) || o->escaped == NULL;
  return !o->failed;
}

/* The chunks go into buf with xmlBufferAdd: an output buffer over it would copy each chunk
 * into a buffer of its own first and then into buf (35 M instructions of copying in a build
 * of the scale-0.3 tree), and with no encoder (UTF-8 in, UTF-8 out) it changes nothing. */
bool xo_open_buffer(XmlOut *o, xmlBufferPtr buf) { return S_init(o, NULL, buf); }

/* No encoder: the text is UTF-8 and so is the output (an encoder would copy every byte). */
bool xo_open_file(XmlOut *o, FILE *f) {
  return S_init(o, xmlOutputBufferCreateFile(f, NULL), NULL);
}

static void S_hand_over(XmlOut *o, const char *s, size_t n) {
  if (n == 0 || o->failed)
    return;
  if (n > INT_MAX)
    o->failed = true;
  else if (o->part)
    o->failed = xmlBufferAdd(o->part, (const xmlChar *)s, (int)n) != 0;
  else
    o->failed = xmlOutputBufferWrite(o->out, (int)n, s) < 0;
}

static void S_flush_pending(XmlOut *o) {
  S_hand_over(o, o->pending, o->pending_len);
  o->pending_len = 0;
}

static void S_write(XmlOut *o, const char *s, size_t n) {
  if (o->pending_len + n > sizeof o->pending)
    S_flush_pending(o);
  if (n >= sizeof o->pending) {
    S_hand_over(o, s, n);
    return;
  }
  memcpy(o->pending + o->pending_len, s, n);
  o->pending_len += n;
}

#define S_WRITE_LITERAL(o, lit) S_write((o), (lit), sizeof(lit) - 1)

/* Content is coming: the innermost start tag gets its '>'. */
static void S_close_tag(XmlOut *o) {
  if (o->tag_open) {
    S_WRITE_LITERAL(o, ">");
    o->tag_open = false;
  }
}

bool xo_close(XmlOut *o) {
  while (o->depth)
    xo_end(o);
  if (o->out || o->part)
    S_flush_pending(o);
  if (o->out && xmlOutputBufferClose(o->out) < 0)
    o->failed = true;
  o->out = NULL;
  xmlBufferFree(o->escaped);
  xmlFreeDoc(o->doc);
  free(o->names);
  free(o->starts);
  bool ok = !o->failed;
  memset(o, 0, offsetof(XmlOut, pending));
  return ok;
}

void xo_start_document(XmlOut *o) {
  o->doc = xmlNewDoc(NULL);
  if (o->doc)
    o->doc->encoding = xmlStrdup(BAD_CAST "UTF-8");
  if (!o->doc || !o->doc->encoding)
    o->failed = true;
  S_WRITE_LITERAL(o, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n");
}

void xo_end_document(XmlOut *o) {
  while (o->depth)
    xo_end(o);
  S_WRITE_LITERAL(o, "\n");
}

/* ---------------------------------------------------------------- elements */

static bool S_push(XmlOut *o, const char *name, size_t n) {
  if (o->depth == o->starts_cap) {
    size_t cap = o->starts_cap ? o->starts_cap * 2 : 32;
    size_t *starts = realloc(o->starts, cap * sizeof *starts);
    if (!starts)
      return false;
    o->starts = starts;
    o->starts_cap = cap;
  }
  if (o->names_len + n + 1 > o->names_cap) {
    size_t cap = o->names_cap ? o->names_cap * 2 : 512;
    while (cap < o->names_len + n + 1)
      cap *= 2;
    char *names = realloc(o->names, cap);
    if (!names)
      return false;
    o->names = names;
    o->names_cap = cap;
  }
  o->starts[o->depth++] = o->names_len;
  memcpy(o->names + o->names_len, name, n + 1);
  o->names_len += n + 1;
  return true;
}

void xo_start_n(XmlOut *o, const char *name, size_t n) {
  if (!S_push(o, name, n)) {
    o->failed = true;
    return;
  }
  S_close_tag(o);
  S_WRITE_LITERAL(o, "<");
  S_write(o, name, n);
  o->tag_open = true;
}

static void S_end(XmlOut *o, bool full) {
  if (!o->depth)
    return;
  size_t start = o->starts[--o->depth];
  const char *name = o->names + start;
  if (o->tag_open && !full) {
    S_WRITE_LITERAL(o, "/>");
  } else {
    S_close_tag(o);
    S_WRITE_LITERAL(o, "</");
    S_write(o, name, o->names_len - start - 1);
    S_WRITE_LITERAL(o, ">");
  }
  o->tag_open = false;
  o->names_len = start;
}

void xo_end(XmlOut *o) { S_end(o, false); }

void xo_end_full(XmlOut *o) { S_end(o, true); }

/* ---------------------------------------------------------------- attributes and text */

/* Is s written as it is (its length in *len), or does it go to xmlAttrSerializeTxtContent? */
static bool S_attr_plain(const char *s, size_t *len) {
  const unsigned char *p = (const unsigned char *)s;
  while (attr_plain[*p])
    p++;
  *len = (size_t)(p - (const unsigned char *)s);
  return *p == '\0';
}

void xo_attr_part(XmlOut *o, const char *value) {
  size_t n;
  if (!value || !o->in_attr || o->failed)
    return;
  if (S_attr_plain(value, &n)) {
    S_write(o, value, n);
    return;
  }
  xmlBufferEmpty(o->escaped);
  xmlAttrSerializeTxtContent(o->escaped, o->doc, NULL, BAD_CAST value);
  S_write(o, (const char *)xmlBufferContent(o->escaped), (size_t)xmlBufferLength(o->escaped));
}

void xo_attr_begin_n(XmlOut *o, const char *name, size_t len) {
  o->in_attr = o->tag_open; /* only a start tag takes attributes (as with xmlTextWriter) */
  if (!o->in_attr)
    return;
  S_WRITE_LITERAL(o, " ");
  S_write(o, name, len);
  S_WRITE_LITERAL(o, "=\"");
}

void xo_attr_end(XmlOut *o) {
  if (o->in_attr)
    S_WRITE_LITERAL(o, "\"");
  o->in_attr = false;
}

char *xo_format_long(char *buf, long v) {
  char digits[XO_LONG_SIZE];
  size_t n = 0;
  unsigned long u = v < 0 ? 0ul - (unsigned long)v : (unsigned long)v;
  do {
    digits[n++] = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  size_t k = 0;
  if (v < 0)
    buf[k++] = '-';
  while (n)
    buf[k++] = digits[--n];
  buf[k] = '\0';
  return buf;
}

void xo_text(XmlOut *o, const char *s) {
  if (!s)
    return;
  S_close_tag(o);
  size_t n = strcspn(s, "&<>\"\r"); /* what xmlEncodeSpecialChars escapes */
  if (!s[n]) {
    S_write(o, s, n);
    return;
  }
  xmlChar *escaped = xmlEncodeSpecialChars(NULL, BAD_CAST s);
  if (!escaped) {
    o->failed = true;
    return;
  }
  S_write(o, (const char *)escaped, strlen((const char *)escaped));
  xmlFree(escaped);
}

void xo_raw(XmlOut *o, const char *s, size_t n) {
  S_close_tag(o);
  S_write(o, s, n);
}
