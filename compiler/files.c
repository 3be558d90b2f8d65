/* files.c - atomic writes that never replace a user's file unless asked to; see files.h.
 *
 * What must stay true: the temporary file lives in the target's own folder (so link and
 * rename stay on one file system), is created with O_EXCL, and is removed on every failure.
 */
#include "files.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool S_write_all(int fd, const char *data, size_t len, bool sync) {
  while (len) {
    ssize_t n = write(fd, data, len);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return false;
    }
    data += n;
    len -= (size_t)n;
  }
  return !sync || fsync(fd) == 0;
}

bool file_create(const char *path, const void *data, size_t len, mode_t mode, bool sync) {
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0)
    return false;
  bool ok = S_write_all(fd, data, len, sync);
  int saved = errno; /* of the write that failed; close's own when only close fails */
  if (close(fd) != 0 && ok) {
    ok = false;
    saved = errno;
  }
  if (!ok) {
    unlink(path);
    errno = saved;
  }
  return ok;
}

/* Writes data to a new temporary file beside path; returns its name, or NULL. */
static char *S_temp_with(const char *path, const char *data, size_t len, mode_t mode, bool sync) {
  for (int attempt = 0; attempt < 100; attempt++) {
    char *tmp;
    if (asprintf(&tmp, "%s.ismsc-tmp-%ld-%d", path, (long)getpid(), attempt) < 0)
      return NULL;
    if (file_create(tmp, data, len, mode, sync))
      return tmp;
    int saved = errno;
    free(tmp);
    if (saved != EEXIST) {
      errno = saved;
      return NULL;
    }
  }
  errno = EEXIST;
  return NULL;
}

bool file_write_new(const char *path, const char *data, size_t len) {
  char *tmp = S_temp_with(path, data, len, 0666, true);
  if (!tmp)
    return false;
  bool ok = link(tmp, path) == 0;
  int saved = errno;
  unlink(tmp);
  free(tmp);
  errno = saved;
  return ok;
}

bool file_replace(const char *path, const char *data, size_t len) {
  struct stat st;
  if (stat(path, &st) != 0)
    return false;
  char *tmp = S_temp_with(path, data, len, st.st_mode & 07777, true);
  if (!tmp)
    return false;
  (void)chmod(tmp, st.st_mode & 07777); /* the umask narrowed it at creation */
  bool ok = rename(tmp, path) == 0;
  int saved = errno;
  if (!ok)
    unlink(tmp);
  free(tmp);
  errno = saved;
  return ok;
}

char *file_stage(const char *path, const char *data, size_t len) {
  return S_temp_with(path, data, len, 0666, false);
}

bool file_sync(const char *any_path) {
  int fd = open(any_path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return false;
  bool ok = syncfs(fd) == 0;
  close(fd);
  return ok;
}

bool file_publish(const char *staged, const char *path) {
  if (file_rename_new(staged, path))
    return true;
  int saved = errno;
  unlink(staged);
  errno = saved;
  return false;
}

bool file_rename_new(const char *from, const char *to) {
#ifdef RENAME_NOREPLACE
  if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
    return true;
  if (errno != EINVAL && errno != ENOSYS)
    return false;
#endif
  if (link(from, to) != 0)
    return false;
  return unlink(from) == 0;
}

bool file_make_folders(const char *path) {
  char *p = strdup(path);
  if (!p)
    return false;
  bool ok = true;
  for (char *s = p + 1; ok; s++) {
    bool end = *s == '\0';
    if (*s == '/' || end) {
      *s = '\0';
      struct stat st;
      if (mkdir(p, 0777) != 0 && errno != EEXIST)
        ok = false;
      else if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode))
        ok = false;
      if (end)
        break;
      *s = '/';
    }
  }
  free(p);
  return ok;
}

char *file_read(const char *path, size_t max, size_t *len, bool *too_big) {
  *too_big = false;
  *len = 0;
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  size_t cap = 65536, n = 0;
  char *buf = malloc(cap + 1);
  while (buf) {
    if (n == cap) {
      if (cap > max)
        break;
      char *bigger = realloc(buf, cap * 2 + 1);
      if (!bigger) {
        free(buf);
        buf = NULL;
        break;
      }
      buf = bigger;
      cap *= 2;
    }
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (n > max) {
      *too_big = true;
      break;
    }
    if (got == 0)
      break;
  }
  bool failed = ferror(f);
  fclose(f);
  if (!buf || failed || *too_big) {
    free(buf);
    if (failed)
      errno = EIO;
    return NULL;
  }
  buf[n] = '\0';
  *len = n;
  return buf;
}
