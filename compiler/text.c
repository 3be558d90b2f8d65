/* text.c - replacing the code points no output may carry; see text.h. */
#include "text.h"

#include <stdlib.h>
#include <string.h>

/* Each test reads a byte only after the ones before it matched, so never past the NUL. */
size_t text_forbidden(const unsigned char *s) {
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

/* The first forbidden code point of s, or its NUL. */
static const unsigned char *S_first(const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  for (;; p++) {
    while (!suspect[*p])
      p++;
    if (!*p || text_forbidden(p))
      return p;
  }
}

/* Copies s into out (room for 3 bytes per byte of s), replacing from p on. */
static void S_replace(const char *s, const unsigned char *p, char *out) {
  size_t done = (size_t)(p - (const unsigned char *)s);
  memcpy(out, s, done);
  out += done;
  while (*p) {
    size_t n = suspect[*p] ? text_forbidden(p) : 0;
    if (n) {
      memcpy(out, "\xEF\xBF\xBD", 3);
      out += 3;
      p += n;
    } else {
      *out++ = (char)*p++;
    }
  }
  *out = '\0';
}

const char *text_clean(const char *s, char **scratch, size_t *cap) {
  const unsigned char *p = S_first(s);
  if (!*p)
    return s;                      /* the common case: nothing to replace, nothing copied */
  size_t need = strlen(s) * 3 + 1; /* a 1-byte control becomes 3 bytes */
  if (need > *cap) {
    free(*scratch);
    *scratch = malloc(need);
    if (!*scratch)
      abort();
    *cap = need;
  }
  S_replace(s, p, *scratch);
  return *scratch;
}

const char *text_clean_arena(Arena *a, const char *s) {
  if (!s)
    return "";
  const unsigned char *p = S_first(s);
  if (!*p)
    return s;
  char *out = arena_alloc(a, strlen(s) * 3 + 1);
  S_replace(s, p, out);
  return out;
}

char *text_clean_copy(const char *text, size_t len) {
  char *copy = strndup(text, len);
  if (!copy)
    abort();
  const unsigned char *p = S_first(copy);
  if (!*p)
    return copy;
  char *out = malloc(len * 3 + 1);
  if (!out)
    abort();
  S_replace(copy, p, out);
  free(copy);
  return out;
}
