/* nobreak.c - finding the ids and dates a line must not break inside; see nobreak.h. */
#include "nobreak.h"

#include <string.h>

static bool S_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

static bool S_digit(char c) { return c >= '0' && c <= '9'; }

/* w[0, n): a date ("2026-03-18", "2026-03") or an id, with a hyphen inside. */
static bool S_unbreakable(const char *w, size_t n) {
  if (n < 3 || w[0] == '-' || w[n - 1] == '-' || !memchr(w, '-', n))
    return false;
  if (n >= 6 && S_digit(w[0]) && S_digit(w[1]) && S_digit(w[2]) && S_digit(w[3]) && w[4] == '-')
    return true;
  if (!(w[0] >= 'A' && w[0] <= 'Z'))
    return false;
  for (size_t i = 0; i < n; i++)
    if (w[i] >= 'a' && w[i] <= 'z')
      return false;
  return true;
}

bool nobreak_find(const char *s, size_t n, size_t *start, size_t *len) {
  /* Only text with a hyphen can hold one: most text has none and is passed over in one
   * memchr. */
  const char *hy = memchr(s, '-', n);
  while (hy) {
    size_t b = (size_t)(hy - s), e = b;
    while (b > 0 && S_word_char(s[b - 1]))
      b--;
    while (e < n && S_word_char(s[e]))
      e++;
    if (S_unbreakable(s + b, e - b)) {
      *start = b;
      *len = e - b;
      return true;
    }
    hy = e < n ? memchr(s + e, '-', n - e) : NULL;
  }
  return false;
}
