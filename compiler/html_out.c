/* html_out.c - the markup writer; see html_out.h. */
#include "html_out.h"

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

/* ---------------------------------------------------------------- forbidden code points */

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

/* Bytes that may start a forbidden code point (and NUL, which ends a string): the one-pass
 * check looks closer only there. C0 controls, DEL, 0xC2 (C1), 0xEF (U+FDD0.., U+FFFE),
 * 0xF0..0xF4 (U+xFFFE in the other planes). */
/* clang-format off */
static const unsigned char suspect[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x00..0x0F */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x10..0x1F */
    [0x7F] = 1, [0xC2] = 1, [0xEF] = 1,
    [0xF0] = 1, [0xF1] = 1, [0xF2] = 1, [0xF3] = 1, [0xF4] = 1,
};
/* clang-format on */

/* s, or a copy of it in o->scratch with each forbidden code point replaced by U+FFFD. */
static const char *S_clean(HtmlOut *o, const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  for (;; p++) {
    while (!suspect[*p])
      p++;
    if (!*p || S_forbidden(p))
      break;
  }
  if (!*p)
    return s; /* the common case: nothing to replace, nothing copied */
  size_t len = strlen(s), need = len * 3 + 1; /* a 1-byte control becomes 3 bytes */
  if (need > o->scratch_cap) {
    free(o->scratch);
    o->scratch = malloc(need);
    if (!o->scratch)
      abort();
    o->scratch_cap = need;
  }
  size_t done = (size_t)(p - (const unsigned char *)s);
  memcpy(o->scratch, s, done);
  char *out = o->scratch + done;
  while (*p) {
    size_t n = suspect[*p] ? S_forbidden(p) : 0;
    if (n) {
      memcpy(out, "\xEF\xBF\xBD", 3);
      out += 3;
      p += n;
    } else {
      *out++ = (char)*p++;
    }
  }
  *out = '\0';
  return o->scratch;
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
