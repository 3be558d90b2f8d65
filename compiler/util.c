/* util.c - shared utilities; see util.h. */
#include "util.h"

#include <ctype.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <ftw.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <strings.h>
#include <time.h>

/* ---------------------------------------------------------------- hash map */

static uint64_t S_hash(const char *s) {
  uint64_t h = 1469598103934665603ull; /* FNV-1a */
  for (; *s; s++) {
    h ^= (unsigned char)*s;
    h *= 1099511628211ull;
  }
  return h;
}

void hashmap_init(HashMap *m) { memset(m, 0, sizeof *m); }

static void S_rehash(Arena *a, HashMap *m) {
  size_t cap = m->cap ? m->cap * 2 : 64;
  const char **keys = arena_alloc(a, cap * sizeof *keys);
  void **values = arena_alloc(a, cap * sizeof *values);
  for (size_t i = 0; i < m->cap; i++) {
    if (!m->keys[i])
      continue;
    size_t j = S_hash(m->keys[i]) & (cap - 1);
    while (keys[j])
      j = (j + 1) & (cap - 1);
    keys[j] = m->keys[i];
    values[j] = m->values[i];
  }
  m->keys = keys;
  m->values = values;
  m->cap = cap;
}

void *hashmap_put(Arena *a, HashMap *m, const char *key, void *value) {
  if ((m->len + 1) * 2 > m->cap)
    S_rehash(a, m);
  size_t j = S_hash(key) & (m->cap - 1);
  while (m->keys[j]) {
    if (strcmp(m->keys[j], key) == 0) {
      void *old = m->values[j];
      m->values[j] = value;
      return old;
    }
    j = (j + 1) & (m->cap - 1);
  }
  m->keys[j] = key;
  m->values[j] = value;
  m->len++;
  return NULL;
}

void *hashmap_get(const HashMap *m, const char *key) {
  if (!m->cap)
    return NULL;
  size_t j = S_hash(key) & (m->cap - 1);
  while (m->keys[j]) {
    if (strcmp(m->keys[j], key) == 0)
      return m->values[j];
    j = (j + 1) & (m->cap - 1);
  }
  return NULL;
}

/* ---------------------------------------------------------------- did you mean */

enum { DYM_MAX_LEN = 64 };

size_t edit_distance(const char *a, const char *b) {
  size_t n = strlen(a), m = strlen(b);
  if (n > DYM_MAX_LEN || m > DYM_MAX_LEN)
    return (size_t)-1;
  size_t d[DYM_MAX_LEN + 1][DYM_MAX_LEN + 1];
  for (size_t i = 0; i <= n; i++)
    d[i][0] = i;
  for (size_t j = 0; j <= m; j++)
    d[0][j] = j;
  for (size_t i = 1; i <= n; i++) {
    for (size_t j = 1; j <= m; j++) {
      size_t cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
      size_t best = d[i - 1][j] + 1;
      if (d[i][j - 1] + 1 < best)
        best = d[i][j - 1] + 1;
      if (d[i - 1][j - 1] + cost < best)
        best = d[i - 1][j - 1] + cost;
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
          d[i - 2][j - 2] + 1 < best)
        best = d[i - 2][j - 2] + 1;
      d[i][j] = best;
    }
  }
  return d[n][m];
}

static size_t S_common_prefix(const char *a, const char *b) {
  size_t n = 0;
  while (a[n] && a[n] == b[n])
    n++;
  return n;
}

/* Is candidate c (distance d) a better suggestion than the current best? Ties go to the
 * longer common prefix, which keeps a suggestion in the same family (A.8.35 -> A.8.3x). */
static bool S_better(const char *word, const char *c, size_t d, const char *best, size_t best_d) {
  if (!best)
    return true;
  if (d != best_d)
    return d < best_d;
  return S_common_prefix(word, c) > S_common_prefix(word, best);
}

const char *did_you_mean(Arena *a, const char *word, const char *const *candidates, size_t n) {
  size_t len = strlen(word);
  size_t limit = len / 3 > 1 ? len / 3 : 1;
  const char *first = NULL, *second = NULL;
  size_t first_d = 0, second_d = 0;
  for (size_t i = 0; i < n; i++) {
    const char *c = candidates[i];
    if (!c)
      continue;
    size_t lc = strlen(c);
    /* Cheap reject before the quadratic distance: lengths too far apart. */
    if ((lc > len ? lc - len : len - lc) > limit)
      continue;
    size_t d = edit_distance(word, c);
    if (d > limit || d == 0 || (first && strcmp(c, first) == 0))
      continue;
    if (S_better(word, c, d, first, first_d)) {
      second = first;
      second_d = first_d;
      first = c;
      first_d = d;
    } else if (S_better(word, c, d, second, second_d)) {
      second = c;
      second_d = d;
    }
  }
  if (!first)
    return NULL;
  /* A second suggestion only when it is exactly as good as the first. */
  if (second && second_d == first_d &&
      S_common_prefix(word, second) == S_common_prefix(word, first))
    return arena_printf(a, "'%s' or '%s'", first, second);
  return arena_printf(a, "'%s'", first);
}

/* ---------------------------------------------------------------- UTF-8 */

/* Does the 8-byte word hold only ASCII bytes other than NUL? (The zero-byte test is the
 * classic one: a byte of w is 0 iff (b - 1) borrows into its top bit while b's is clear.) */
static bool S_ascii_word(uint64_t w) {
  const uint64_t ones = 0x0101010101010101u, tops = 0x8080808080808080u;
  return (w & tops) == 0 && ((w - ones) & ~w & tops) == 0;
}

bool utf8_valid(const char *str, size_t n, size_t *bad) {
  const unsigned char *s = (const unsigned char *)str;
  size_t i = 0;
  while (i < n) {
    /* Record files are mostly ASCII: skip it eight bytes at a time (every file is checked,
     * so byte by byte this was a few percent of a check). */
    uint64_t w;
    while (i + 8 <= n && (memcpy(&w, s + i, 8), S_ascii_word(w)))
      i += 8;
    if (i >= n)
      break;
    unsigned c = s[i];
    size_t len;
    uint32_t cp;
    if (c == 0)
      goto fail;
    if (c < 0x80) {
      i++;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      goto fail;
    }
    if (i + len > n)
      goto fail;
    for (size_t k = 1; k < len; k++) {
      if ((s[i + k] & 0xC0) != 0x80)
        goto fail;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    /* Overlong forms, surrogates and values past U+10FFFF are not UTF-8. */
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
      goto fail;
    i += len;
  }
  return true;
fail:
  if (bad)
    *bad = i;
  return false;
}

size_t utf8_count(const char *s, size_t n) {
  size_t count = 0;
  for (size_t i = 0; i < n; i++)
    if (((unsigned char)s[i] & 0xC0) != 0x80)
      count++;
  return count;
}

/* ---------------------------------------------------------------- dates */

/* strptime and timegm, for one valid YYYY-MM-DD s (its shape already checked). */
static bool S_date_parse_libc(const char *s, Date *out) {
  struct tm tm = {0};
  const char *end = strptime(s, "%Y-%m-%d", &tm);
  if (!end || *end)
    return false;
  int year = tm.tm_year + 1900, month = tm.tm_mon + 1, day = tm.tm_mday;
  /* strptime accepts day 30 in February; timegm normalises it to March, which tells us. */
  struct tm check = tm;
  check.tm_hour = 12;
  time_t t = timegm(&check);
  struct tm back;
  gmtime_r(&t, &back);
  if (back.tm_year + 1900 != year || back.tm_mon + 1 != month || back.tm_mday != day)
    return false;
  /* t is noon of that day: whole days since 1970-01-01, as date_from_days counts them. */
  *out = (Date){(int32_t)(t / 86400), (int16_t)year, (int8_t)month, (int8_t)day};
  return true;
}

/* The dates parsed last, by their text: a tree writes the same dates thousands of times
 * (every metric's series has the same month ends), and strptime + timegm + gmtime_r cost
 * some 2,000 instructions a date. The slot is the date's place in an 8-year calendar, so the
 * dates of a few consecutive years never evict each other. Only valid dates are kept: a bad
 * one always takes the libc path. Per thread: the loaders and the build's workers parse
 * dates at once. */
enum { DATE_CACHE_SIZE = 2048 };
typedef struct DateCacheEntry {
  char text[10]; /* YYYY-MM-DD, no NUL; all NUL: empty */
  Date date;
} DateCacheEntry;
static _Thread_local DateCacheEntry S_date_cache[DATE_CACHE_SIZE];

static unsigned S_digits(const char *s, size_t n) {
  unsigned v = 0;
  for (size_t i = 0; i < n; i++)
    v = v * 10 + (unsigned)(s[i] - '0');
  return v;
}

bool date_parse(const char *s, Date *out) {
  /* The shape first: strptime alone would accept "2026-3-1" and leading blanks. */
  static const char shape[] = "dddd-dd-dd";
  if (strlen(s) != sizeof shape - 1)
    return false;
  for (size_t i = 0; shape[i]; i++) {
    if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != '-')
      return false;
  }
  unsigned slot = (S_digits(s, 4) % 8) * 372 + S_digits(s + 5, 2) * 31 + S_digits(s + 8, 2);
  DateCacheEntry *e = &S_date_cache[slot % DATE_CACHE_SIZE];
  Date d;
  if (memcmp(e->text, s, sizeof e->text) == 0) {
    d = e->date;
  } else {
    if (!S_date_parse_libc(s, &d))
      return false;
    memcpy(e->text, s, sizeof e->text);
    e->date = d;
  }
  if (out)
    *out = d;
  return true;
}

const char *date_problem(const char *s, char *buf, size_t size) {
  int year, month, day, n = 0;
  if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &year, &month, &day, &n) != 3 || n != 10) {
    snprintf(buf, size, "write YYYY-MM-DD");
  } else if (month < 1 || month > 12) {
    snprintf(buf, size, "there is no month %d", month);
  } else {
    /* The last day of the month: the day before the 1st of the next one. */
    Date next;
    char first[32]; /* room for any int year, to keep -Wformat-truncation quiet */
    snprintf(first, sizeof first, "%04d-%02d-01", month == 12 ? year + 1 : year,
             month == 12 ? 1 : month + 1);
    int last = date_parse(first, &next) ? date_from_days(next.days - 1).day : 31;
    struct tm tm = {.tm_mon = month - 1};
    char name[16];
    strftime(name, sizeof name, "%B", &tm);
    if (day < 1)
      snprintf(buf, size, "there is no day %d", day);
    else
      snprintf(buf, size, "%s %d has %d days", name, year, last);
  }
  return buf;
}

Date date_from_days(long days) {
  time_t t = (time_t)days * 86400 + 43200;
  struct tm tm;
  gmtime_r(&t, &tm);
  Date d = {(int32_t)days, (int16_t)(tm.tm_year + 1900), (int8_t)(tm.tm_mon + 1),
            (int8_t)tm.tm_mday};
  return d;
}

void date_format(const Date *d, char *buf) {
  struct tm tm = {0};
  tm.tm_year = d->year - 1900;
  tm.tm_mon = d->month - 1;
  tm.tm_mday = d->day;
  strftime(buf, 11, "%Y-%m-%d", &tm);
}

/* ---------------------------------------------------------------- strings */

bool str_ieq(const char *a, const char *b) { return strcasecmp(a, b) == 0; }

bool str_has_suffix(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

const char *find_ref_open(const char *p, const char *end) {
  while (p < end && (p = memchr(p, '[', (size_t)(end - p))) != NULL) {
    if (p + 1 < end && p[1] == '[')
      return p;
    p++;
  }
  return NULL;
}

/* A tree being removed: its files, removed by several threads, then its folders, deepest
 * first (nftw's FTW_DEPTH order). */
typedef struct Removal {
  Arena arena; /* the paths */
  PtrVec files, folders;
  atomic_size_t next; /* the next file to remove */
} Removal;

/* nftw passes no user data: one listing at a time, through this. */
static Removal *listing;
static pthread_mutex_t listing_lock = PTHREAD_MUTEX_INITIALIZER;

static int S_list_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st;
  (void)ftw;
  Removal *r = listing;
  ptrvec_push(&r->arena, flag == FTW_DP ? &r->folders : &r->files, arena_strdup(&r->arena, path));
  return 0;
}

static void *S_remove_files(void *arg) {
  Removal *r = arg;
  for (size_t i; (i = atomic_fetch_add(&r->next, 1)) < r->files.len;)
    unlink(r->files.items[i]);
  return NULL;
}

/* Files are removed by up to eight threads at once, whatever the cores: the time goes in
 * waiting for the disk, not the CPU. On a file system mounted with `discard` and no journal
 * (the development machine), each unlink waits for the discard of the blocks it frees; one at a
 * time, removing a build's 845 files took 2.5 s, eight at a time 0.5 s. */
void remove_tree(const char *path) {
  Removal r = {0};
  arena_init(&r.arena);
  atomic_init(&r.next, 0);
  pthread_mutex_lock(&listing_lock);
  listing = &r;
  nftw(path, S_list_entry, 16, FTW_DEPTH | FTW_PHYS);
  listing = NULL;
  pthread_mutex_unlock(&listing_lock);
  enum { MAX_REMOVERS = 8, FILES_PER_REMOVER = 32 };
  pthread_t threads[MAX_REMOVERS - 1];
  size_t started = 0;
  for (size_t i = 1; i < MAX_REMOVERS && i * FILES_PER_REMOVER < r.files.len; i++)
    if (pthread_create(&threads[started], NULL, S_remove_files, &r) == 0)
      started++;
  S_remove_files(&r); /* this thread removes files too */
  for (size_t i = 0; i < started; i++)
    pthread_join(threads[i], NULL);
  for (size_t i = 0; i < r.folders.len; i++)
    rmdir(r.folders.items[i]);
  arena_free(&r.arena);
}

bool path_in_tree(const char *root, const char *relpath) {
  char *root_real = realpath(root, NULL);
  size_t n = strlen(root) + strlen(relpath) + 2;
  char *full = malloc(n);
  if (!full)
    abort();
  snprintf(full, n, "%s/%s", root, relpath);
  char *real = realpath(full, NULL);
  free(full);
  size_t rn = root_real ? strlen(root_real) : 0;
  bool inside = root_real && real && strncmp(real, root_real, rn) == 0 && real[rn] == '/';
  free(root_real);
  free(real);
  return inside;
}

const char *count_of(Arena *a, size_t n, const char *one, const char *many) {
  return arena_printf(a, "%zu %s", n, n == 1 ? one : many);
}
