/* source_fs.c - the work tree on disk as a Source (source.h).
 *
 * Symbolic links are judged here, once, for every consumer: a linked folder is never
 * followed (no loops, no escaping the tree) and a linked file counts only when it resolves
 * inside the tree. Listing is sorted by name, so every run sees the same order.
 */
#include "source.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct FsSource {
  Source base;
  char *root_real; /* realpath of the root, for the symlink check (freed with the arena) */
} FsSource;

static const char *S_full(Arena *a, const Source *s, const char *rel) {
  return rel[0] ? arena_concat(a, s->root, "/", rel, NULL) : s->root;
}

/* Is the path, resolved with symlinks, inside the tree? */
static bool S_inside(const FsSource *fs, const char *real) {
  size_t n = strlen(fs->root_real);
  return strncmp(real, fs->root_real, n) == 0 && (real[n] == '/' || real[n] == '\0');
}

static bool S_resolves_inside(const FsSource *fs, const char *full) {
  char *real = realpath(full, NULL);
  if (!real)
    return false;
  bool inside = S_inside(fs, real);
  free(real);
  return inside;
}

static SourceType S_type_of(const FsSource *fs, const char *full, int *err) {
  struct stat st;
  if (lstat(full, &st) != 0)
    return SOURCE_MISSING;
  if (S_ISLNK(st.st_mode)) {
    struct stat target;
    if (stat(full, &target) != 0) {
      *err = errno;
      return SOURCE_BROKEN_LINK;
    }
    if (S_ISDIR(target.st_mode))
      return SOURCE_LINKED_FOLDER;
    if (!S_resolves_inside(fs, full))
      return SOURCE_OUTSIDE_LINK;
    st = target;
  }
  if (S_ISDIR(st.st_mode))
    return SOURCE_FOLDER;
  return S_ISREG(st.st_mode) ? SOURCE_FILE : SOURCE_SPECIAL;
}

/* The type readdir gave, when it settles the question: what lstat would say, without a
 * path lookup and a system call for each of a tree's 10,000 files (the walk is the one part
 * of loading that runs on one thread). SOURCE_MISSING: ask S_type_of (a symbolic link is
 * followed and checked there; DT_UNKNOWN comes from file systems that do not fill d_type). */
static SourceType S_type_from_dirent(unsigned char d_type) {
  switch (d_type) {
  case DT_REG: return SOURCE_FILE;
  case DT_DIR: return SOURCE_FOLDER;
  case DT_FIFO:
  case DT_SOCK:
  case DT_CHR:
  case DT_BLK: return SOURCE_SPECIAL;
  default: return SOURCE_MISSING;
  }
}

static int S_compare_entries(const void *a, const void *b) {
  return strcmp(((const SourceEntry *)a)->name, ((const SourceEntry *)b)->name);
}

static bool S_list(const Source *s, Arena *a, const char *rel, SourceEntry **entries,
                   size_t *count) {
  const FsSource *fs = (const FsSource *)s;
  const char *full = S_full(a, s, rel);
  *entries = NULL;
  *count = 0;
  DIR *dir = opendir(full);
  if (!dir)
    return false;
  size_t n = 0, cap = 0;
  SourceEntry *list = NULL;
  struct dirent *e;
  while ((e = readdir(dir)) != NULL) {
    if (e->d_name[0] == '.')
      continue; /* hidden, `.` and `..` */
    if (n == cap) {
      cap = cap ? cap * 2 : 16;
      SourceEntry *grown = arena_alloc(a, cap * sizeof *grown);
      if (n)
        memcpy(grown, list, n * sizeof *grown);
      list = grown;
    }
    SourceEntry *entry = &list[n++];
    entry->name = arena_strdup(a, e->d_name);
    entry->err = 0;
    entry->type = S_type_from_dirent(e->d_type);
    if (entry->type == SOURCE_MISSING) /* a link, or a file system that does not say */
      entry->type = S_type_of(fs, arena_concat(a, full, "/", e->d_name, NULL), &entry->err);
  }
  closedir(dir);
  if (n)
    qsort(list, n, sizeof *list, S_compare_entries);
  *entries = list;
  *count = n;
  return true;
}

/* Up to n bytes of fd into buf, however the kernel splits them; -1 on an error. */
static ssize_t S_read_fully(int fd, char *buf, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t k = read(fd, buf + got, n - got);
    if (k < 0 && errno == EINTR)
      continue;
    if (k < 0)
      return -1;
    if (k == 0)
      break; /* the file shrank since fstat: what is there is the file */
    got += (size_t)k;
  }
  return (ssize_t)got;
}

/* With read(2) straight into the arena: stdio would first read a small file into a buffer
 * of its own (allocated, and the file stat-ed again, for each file) and copy it from there. */
static SourceRead S_read(const Source *s, Arena *a, const char *rel, size_t max_bytes) {
  SourceRead r = {0};
  int fd = open(S_full(a, s, rel), O_RDONLY | O_CLOEXEC);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) {
    r.error = arena_strdup(a, strerror(errno));
    if (fd >= 0)
      close(fd);
    return r;
  }
  r.size = (size_t)st.st_size;
  if (S_ISDIR(st.st_mode) || (size_t)st.st_size > max_bytes) {
    r.is_folder = S_ISDIR(st.st_mode);
    r.too_large = !r.is_folder;
    close(fd);
    return r;
  }
  char *buf = arena_alloc(a, (size_t)st.st_size + 1);
  ssize_t n = S_read_fully(fd, buf, (size_t)st.st_size);
  if (n < 0) {
    r.error = arena_strdup(a, strerror(errno));
    close(fd);
    return r;
  }
  close(fd);
  buf[n] = '\0';
  r.text = buf;
  r.len = (size_t)n;
  return r;
}

static SourceType S_stat(const Source *s, const char *rel) {
  const FsSource *fs = (const FsSource *)s;
  char full[PATH_MAX];
  if (snprintf(full, sizeof full, "%s/%s", s->root, rel) >= (int)sizeof full)
    return SOURCE_MISSING;
  char *real = realpath(full, NULL);
  if (!real)
    return SOURCE_MISSING;
  bool inside = S_inside(fs, real);
  struct stat st;
  bool folder = stat(real, &st) == 0 && S_ISDIR(st.st_mode);
  free(real);
  if (!inside)
    return SOURCE_OUTSIDE_LINK;
  return folder ? SOURCE_FOLDER : SOURCE_FILE;
}

Source *source_fs(Arena *a, const char *root) {
  struct stat st;
  if (stat(root, &st) != 0 || !S_ISDIR(st.st_mode))
    return NULL;
  char *real = realpath(root, NULL);
  if (!real)
    return NULL;
  FsSource *fs = arena_alloc(a, sizeof *fs);
  fs->root_real = arena_strdup(a, real);
  free(real);
  fs->base = (Source){arena_strdup(a, root), true, S_list, S_read, S_stat, fs};
  return &fs->base;
}
