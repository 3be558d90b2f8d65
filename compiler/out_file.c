/* out_file.c - a file of the new set, written or linked to the unchanged previous one; see
 * out_file.h for why.
 *
 * What must stay true: nothing here opens an existing file for writing. A previous file is
 * only read, and only linked when it is a regular file (never a symbolic link) whose one
 * name is in the previous set; new files are created with O_EXCL in the staging folder. */
#include "out_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "files.h"

/* Does the file at path hold exactly data[0..len), with path its only name? A size that
 * differs answers without reading; equal sizes are compared 64 KB at a time. */
static bool S_same_file(const char *path, const void *data, size_t len) {
  int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return false;
  struct stat st;
  bool same = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_nlink == 1 &&
              (size_t)st.st_size == len;
  enum { CHUNK = 1 << 16 };
  char *buf = same && len ? malloc(CHUNK) : NULL;
  same = same && (len == 0 || buf);
  const char *p = data;
  size_t left = len;
  while (same && left) {
    ssize_t n = read(fd, buf, left < CHUNK ? left : CHUNK);
    if (n < 0 && errno == EINTR)
      continue;
    same = n > 0 && memcmp(buf, p, (size_t)n) == 0;
    if (same) {
      p += n;
      left -= (size_t)n;
    }
  }
  free(buf);
  close(fd);
  return same;
}

static bool S_write_new(const char *path, const void *data, size_t len) {
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0)
    return false;
  const char *p = data;
  bool ok = true;
  while (ok && len) {
    ssize_t n = write(fd, p, len);
    if (n < 0 && errno == EINTR)
      continue;
    ok = n > 0;
    if (ok) {
      p += n;
      len -= (size_t)n;
    }
  }
  int saved = errno;
  ok = close(fd) == 0 && ok;
  if (!ok) {
    unlink(path);
    errno = saved;
  }
  return ok;
}

static ssize_t S_buffer_write(void *cookie, const char *data, size_t n) {
  OutBuffer *b = cookie;
  if (n > b->cap - b->len) {
    size_t cap = b->cap ? b->cap : 1 << 16;
    while (cap - b->len < n)
      cap *= 2;
    char *grown = realloc(b->data, cap);
    if (!grown) {
      errno = ENOMEM;
      return -1;
    }
    b->data = grown;
    b->cap = cap;
  }
  memcpy(b->data + b->len, data, n);
  b->len += n;
  return (ssize_t)n;
}

FILE *out_buffer_open(OutBuffer *b) {
  b->len = 0;
  FILE *f = fopencookie(b, "w", (cookie_io_functions_t){.write = S_buffer_write});
  if (f)
    setvbuf(f, NULL, _IONBF, 0); /* the writers hand over 16 KB at a time: no second copy */
  return f;
}

void out_buffer_free(OutBuffer *b) {
  if (b->part)
    xmlBufferFree(b->part);
  free(b->data);
  *b = (OutBuffer){0};
}

bool out_file_write(const OutFile *out, const void *data, size_t len) {
  if (out->previous && S_same_file(out->previous, data, len) && link(out->previous, out->path) == 0)
    return true;
  return S_write_new(out->path, data, len);
}

bool out_file_settle(const OutFile *out) {
  if (!out->previous)
    return true;
  size_t len;
  bool too_big;
  char *data = file_read(out->path, SIZE_MAX / 2, &len, &too_big);
  if (!data)
    return false;
  bool same = S_same_file(out->previous, data, len);
  free(data);
  if (!same)
    return true;
  /* The new file stays until the link has taken its place: link beside it, then rename. */
  char *tmp;
  if (asprintf(&tmp, "%s.ismsc-link", out->path) < 0)
    return true;
  if (link(out->previous, tmp) == 0 && rename(tmp, out->path) != 0)
    unlink(tmp);
  free(tmp);
  return true;
}
