/* util.h - the small utilities every stage shares: an id index (hash map), did-you-mean,
 * UTF-8 checks, and ISO 8601 dates. Everything returned is owned by the arena passed in. */
#ifndef ISMSC_UTIL_H
#define ISMSC_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"

/* --- Hash map from string keys to pointers (keys are not copied: keep them alive) --- */
typedef struct HashMap {
  const char **keys;
  void **values;
  size_t cap, len;
} HashMap;

void hashmap_init(HashMap *m);
/* Returns the previous value for key, or NULL; stores value either way. */
void *hashmap_put(Arena *a, HashMap *m, const char *key, void *value);
void *hashmap_get(const HashMap *m, const char *key);

/* --- Did you mean --- */
/* Edit distance with adjacent transpositions (optimal string alignment). */
size_t edit_distance(const char *a, const char *b);
/* Best candidates for a misspelt word, formatted "'x'" or "'x' or 'y'", or NULL when none is
 * close enough (distance at most a third of the word's length, and at least 1). Candidates
 * may contain NULLs, which are skipped. Comparison ignores case, as users' typos do. */
const char *did_you_mean(Arena *a, const char *word, const char *const *candidates, size_t n);

/* --- UTF-8 --- */
/* True when s[0..n) is well-formed UTF-8 without NUL bytes; else *bad is the first bad byte. */
bool utf8_valid(const char *s, size_t n, size_t *bad);
/* Number of code points in s[0..n): the column of a byte offset within a line. */
size_t utf8_count(const char *s, size_t n);
/* Removes path and everything below it, never following symbolic links (nftw, FTW_PHYS);
 * its files on several threads at once (util.c says why). Best effort: what cannot be
 * removed stays. */
void remove_tree(const char *path);
/* Does root/relpath exist and resolve, symbolic links followed, to a file inside root? */
bool path_in_tree(const char *root, const char *relpath);
/* The next "[[" in [p, end), or NULL. memchr-based, not strstr: a loop of strstr over a long
 * text is linear in glibc but quadratic under AddressSanitizer, whose strstr measures the
 * whole rest of the string on every call (a 2 MB policy took 45 s). */
const char *find_ref_open(const char *p, const char *end);

/* --- Dates --- */
typedef struct Date {
  int32_t days; /* days since 1970-01-01, for comparisons and arithmetic */
  int16_t year;
  int8_t month, day;
} Date;

/* Parses exactly YYYY-MM-DD and rejects dates that do not exist (2026-02-30). */
bool date_parse(const char *s, Date *out);
/* Why s is not a date, for a message: "there is no month 13", "February 2026 has 28 days",
 * or "write YYYY-MM-DD". Returns buf. */
const char *date_problem(const char *s, char *buf, size_t size);
/* Formats as YYYY-MM-DD into buf (at least 11 bytes). */
void date_format(const Date *d, char *buf);
Date date_from_days(long days);

/* --- Ids --- */
/* A character an id may have (SPEC §1): a letter, a digit, '.', '_' or '-' (ASCII). */
static inline bool id_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

/* --- Strings --- */
bool str_ieq(const char *a, const char *b);
/* A count with its noun in agreement: "1 risk", "2 risks", "0 risks" (many: the plural). */
const char *count_of(Arena *a, size_t n, const char *one, const char *many);
bool str_has_suffix(const char *s, const char *suffix);

#endif
