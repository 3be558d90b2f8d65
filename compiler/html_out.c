/* html_out.c - the markup writer; see html_out.h. */
#include "html_out.h"

#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- buffer */

static void S_flush(HtmlOut *o) {
  if (o->len && fwrite(o->buf, 1, o->len, o->f) != o->len)
    o->failed = true;
  o->len = 0;
}

static void S_put_slow(HtmlOut *o, const void *s, size_t n) {
  S_flush(o);
  if (n > sizeof o->buf) {
    if (fwrite(s, 1, n, o->f) != n)
      o->failed = true;
    return;
  }
  memcpy(o->buf, s, n);
  o->len = n;
}

/* Called for every piece of every page: the common case stays inline. */
static inline void S_put(HtmlOut *o, const void *s, size_t n) {
  if (n > sizeof o->buf - o->len) {
    S_put_slow(o, s, n);
    return;
  }
  memcpy(o->buf + o->len, s, n);
  o->len += n;
}

static void S_puts(HtmlOut *o, const char *s) { S_put(o, s, strlen(s)); }

void hout_init(HtmlOut *o, FILE *f) {
  o->f = f;
  o->tag_open = o->failed = false;
  o->open = NULL;
  o->depth = o->cap = 0;
  o->len = 0;
}

bool hout_finish(HtmlOut *o) {
  S_flush(o);
  free(o->open);
  o->open = NULL;
  return !o->failed;
}

void hout_raw(HtmlOut *o, const char *s, size_t n) { S_put(o, s, n); }

/* ---------------------------------------------------------------- escaping */

/* Bytes of the code point at s when HTML forbids it in a document, else 0: controls other
 * than ASCII whitespace (C0, DEL, C1) and noncharacters (U+FDD0..U+FDEF, U+xFFFE/U+xFFFF).
 * Each test reads a byte only after the ones before it matched, so never past the NUL. */
static size_t S_forbidden(const unsigned char *s) {
  unsigned char c = s[0];
  if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F)
    return 1;
  if (c == 0xC2 && s[1] >= 0x80 && s[1] <= 0x9F) /* U+0080..U+009F */
    return 2;
  if (c == 0xEF && s[1] == 0xB7 && s[2] >= 0x90 && s[2] <= 0xAF) /* U+FDD0..U+FDEF */
    return 3;
  if (c == 0xEF && s[1] == 0xBF && (s[2] == 0xBE || s[2] == 0xBF)) /* U+FFFE, U+FFFF */
    return 3;
  if (c >= 0xF0 && c <= 0xF4 && (s[1] & 0x0F) == 0x0F && s[2] == 0xBF &&
      (s[3] == 0xBE || s[3] == 0xBF)) /* U+1FFFE .. U+10FFFF */
    return 4;
  return 0;
}

static const char REPLACEMENT[] = "\xEF\xBF\xBD"; /* U+FFFD */

/* Which bytes the loops below stop at; every other byte is copied as it is. */
enum { MARKUP = 1, TEXT = 2, ATTR = 4 };
enum {
  F = MARKUP | TEXT | ATTR, /* may start a forbidden code point (and NUL ends the string) */
  E = TEXT | ATTR,          /* an entity in text and in attributes: & < > " */
  A = ATTR,                 /* non-ASCII: a character reference in attributes */
};
static const unsigned char byte_class[256] = {
    F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, /* 00 */
    F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, /* 10 */
    0, 0, E, 0, 0, 0, E, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 20 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, E, 0, E, 0, /* 30 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 40 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 50 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 60 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, F, /* 70 */
    A, A, A, A, A, A, A, A, A, A, A, A, A, A, A, A, /* 80 */
    A, A, A, A, A, A, A, A, A, A, A, A, A, A, A, A, /* 90 */
    A, A, A, A, A, A, A, A, A, A, A, A, A, A, A, A, /* A0 */
    A, A, A, A, A, A, A, A, A, A, A, A, A, A, A, A, /* B0 */
    A, A, F, A, A, A, A, A, A, A, A, A, A, A, A, A, /* C0 */
    A, A, A, A, A, A, A, A, A, A, A, A, A, A, A, A, /* D0 */
    A, A, A, A, A, A, A, A, A, A, A, A, A, A, A, F, /* E0 */
    F, F, F, F, F, A, A, A, A, A, A, A, A, A, A, A, /* F0 */
};

/* The entity xmlTextWriter writes for an ASCII byte in text (or in an attribute), or NULL. */
static const char *S_entity(unsigned char c, bool attr) {
  switch (c) {
  case '&': return "&amp;";
  case '<': return "&lt;";
  case '>': return "&gt;";
  case '"': return "&quot;";
  case '\r': return "&#13;";
  case '\n': return attr ? "&#10;" : NULL;
  case '\t': return attr ? "&#9;" : NULL;
  default: return NULL;
  }
}

/* "&#x1F600;": libxml2's character reference, upper-case hex without leading zeros. */
static void S_char_ref(HtmlOut *o, unsigned long cp) {
  char tmp[16], *p = tmp + sizeof tmp;
  *--p = ';';
  do {
    *--p = "0123456789ABCDEF"[cp & 0xF];
    cp >>= 4;
  } while (cp);
  *--p = 'x';
  *--p = '#';
  *--p = '&';
  S_put(o, p, (size_t)(tmp + sizeof tmp - p));
}

/* A non-ASCII code point in an attribute as a character reference; returns its length. A
 * malformed sequence (the loader lets none through) gives the reference of its first byte,
 * as libxml2 does. */
static size_t S_attr_utf8(HtmlOut *o, const unsigned char *p) {
  unsigned char c = p[0];
  size_t len = c >= 0xF0 && c < 0xF8 ? 4 : c >= 0xE0 && c < 0xF0 ? 3 : c >= 0xC0 && c < 0xE0 ? 2 : 1;
  unsigned long cp = len == 4 ? c & 0x07u : len == 3 ? c & 0x0Fu : c & 0x1Fu;
  for (size_t i = 1; i < len; i++) {
    if ((p[i] & 0xC0) != 0x80) {
      len = 1;
      break;
    }
    cp = cp << 6 | (p[i] & 0x3Fu);
  }
  S_char_ref(o, len == 1 ? c : cp);
  return len;
}

/* Writes s; `stop` (MARKUP, TEXT or ATTR) says which bytes need a look. */
static void S_escape(HtmlOut *o, const char *s, unsigned char stop) {
  const unsigned char *p = (const unsigned char *)s, *run = p;
  for (;;) {
    while (!(byte_class[*p] & stop))
      p++;
    S_put(o, run, (size_t)(p - run));
    if (!*p)
      return;
    size_t n = S_forbidden(p);
    const char *entity;
    if (n) {
      if (stop == ATTR)
        S_puts(o, "&#xFFFD;");
      else
        S_put(o, REPLACEMENT, 3);
      p += n;
    } else if (stop != MARKUP && (entity = S_entity(*p, stop == ATTR)) != NULL) {
      S_puts(o, entity);
      p++;
    } else if (stop == ATTR && *p >= 0x80) {
      p += S_attr_utf8(o, p);
    } else {
      S_put(o, p, 1);
      p++;
    }
    run = p;
  }
}

/* ---------------------------------------------------------------- elements */

static void S_close_tag(HtmlOut *o) {
  if (o->tag_open)
    S_put(o, ">", 1);
  o->tag_open = false;
}

void hout_start(HtmlOut *o, const char *tag) {
  S_close_tag(o);
  if (o->depth == o->cap) {
    o->cap = o->cap ? o->cap * 2 : 32;
    o->open = realloc(o->open, o->cap * sizeof *o->open);
    if (!o->open)
      abort();
  }
  o->open[o->depth++] = tag;
  S_put(o, "<", 1);
  S_puts(o, tag);
  o->tag_open = true;
}

void hout_end(HtmlOut *o) {
  if (!o->depth)
    return;
  S_close_tag(o);
  S_put(o, "</", 2);
  S_puts(o, o->open[--o->depth]);
  S_put(o, ">", 1);
}

void hout_attr_begin(HtmlOut *o, const char *key) {
  S_put(o, " ", 1);
  S_puts(o, key);
  S_put(o, "=\"", 2);
}

void hout_attr_part(HtmlOut *o, const char *value) {
  if (value)
    S_escape(o, value, ATTR);
}

void hout_attr_end(HtmlOut *o) { S_put(o, "\"", 1); }

void hout_attr(HtmlOut *o, const char *key, const char *value) {
  hout_attr_begin(o, key);
  hout_attr_part(o, value);
  hout_attr_end(o);
}

void hout_text(HtmlOut *o, const char *s) {
  if (!s)
    return;
  S_close_tag(o);
  S_escape(o, s, TEXT);
}

void hout_markup(HtmlOut *o, const char *s) {
  S_close_tag(o);
  S_escape(o, s, MARKUP);
}
