/* text.c - replacing the code points no output may carry; see text.h. */
#include "text.h"

#include <stdbool.h>
#include <stdint.h>
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

/* Does the 8-byte word hold only printable ASCII (0x20..0x7E), none of it suspect? A byte
 * below 0x20 borrows into its top bit when 0x20 is taken from each byte, 0x7F carries into
 * it when 1 is added, and a byte from 0x80 has it set; a borrow or carry crossing into the
 * next byte comes only from a byte that already failed. */
static bool S_plain_word(uint64_t w) {
  const uint64_t ones = 0x0101010101010101u, tops = 0x8080808080808080u;
  return (((w - 0x20 * ones) | (w + ones) | w) & tops) == 0;
}

/* The first forbidden code point of p[0, n) (no NUL in it), else NULL. */
static const unsigned char *S_first_in(const unsigned char *p, size_t n) {
  for (const unsigned char *end = p + n; p < end; p++)
    if (suspect[*p] && text_forbidden(p))
      return p;
  return NULL;
}

/* The first forbidden code point of s, or its NUL. Most strings are short (ids, classes,
 * numbers) and looked at byte by byte; the rest of a longer one is mostly printable ASCII,
 * checked eight bytes at a time within its length (byte by byte, this scan of every text of
 * every output was 2% of a build). A word with anything else in it goes byte by byte. */
static const unsigned char *S_first(const char *s) {
  const unsigned char *p = (const unsigned char *)s, *bad;
  for (const unsigned char *stop = p + 8; p < stop; p++)
    if (suspect[*p] && (!*p || text_forbidden(p)))
      return p; /* stops at the NUL: never reads past it */
  const unsigned char *end = p + strlen((const char *)p);
  uint64_t w;
  for (; end - p >= 8; p += 8) {
    memcpy(&w, p, 8);
    if (!S_plain_word(w) && (bad = S_first_in(p, 8)))
      return bad;
  }
  /* The last few bytes: plain when the string's last word is (it overlaps words passed). */
  if (p < end && (memcpy(&w, end - 8, 8), S_plain_word(w)))
    return end;
  bad = S_first_in(p, (size_t)(end - p));
  return bad ? bad : end;
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
