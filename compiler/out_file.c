/* out_file.c - a file of the new set, written or linked to the unchanged previous one; see
 * out_file.h for why and for when a previous file may be shared.
 *
 * What must stay true: nothing here opens an existing file for writing. A previous file is
 * only read, and only linked when out_file.h's conditions hold for the very inode linked;
 * new files are created with O_EXCL in the staging folder (files.c). */
#include "out_file.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "files.h"

/* ---------------------------------------------------------------- the kept buffer */

xmlBufferPtr out_buffer_take(OutBuffer *b) {
  if (!b->xml) {
    b->xml = xmlBufferCreate();
    if (!b->xml) {
      fputs("ismsc: out of memory\n", stderr);
      abort();
    }
    /* Doubling: libxml2 2.9's default grows to the exact size at each addition. */
    xmlBufferSetAllocationScheme(b->xml, XML_BUFFER_ALLOC_DOUBLEIT);
  }
  xmlBufferEmpty(b->xml);
  return b->xml;
}

void out_buffer_free(OutBuffer *b) {
  if (b->xml)
    xmlBufferFree(b->xml);
  b->xml = NULL;
}

/* ---------------------------------------------------------------- the previous set */

bool out_previous_open(OutPrevious *p, const char *path) {
  p->dir = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (p->dir < 0)
    return false;
  mode_t mask = umask(0);
  umask(mask);
  p->mode = 0666 & ~mask;
  p->uid = geteuid();
  atomic_init(&p->kept, 0);
  return true;
}

void out_previous_close(OutPrevious *p) {
  if (p->dir >= 0)
    close(p->dir);
  p->dir = -1;
}

/* The previous set's file of this name, opened without following a symbolic link or
 * crossing a mount point on the way, and without blocking on a FIFO; -1 when it cannot be
 * (also when the kernel has no openat2: then nothing is shared). */
static int S_open_previous(const OutFile *out) {
  if (!out->previous)
    return -1;
  struct open_how how = {
      .flags = O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC,
      .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS,
  };
  return (int)syscall(SYS_openat2, out->previous->dir, out->name, &how, sizeof how);
}

/* May the open file be shared: a regular file with one name, the builder's, with a new
 * file's mode, len bytes long? */
static bool S_shareable(const OutFile *out, int fd, size_t len) {
  struct stat st;
  return fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_nlink == 1 &&
         st.st_uid == out->previous->uid && (st.st_mode & 07777) == out->previous->mode &&
         (size_t)st.st_size == len;
}

/* Does the open file hold exactly data[0..len)? Compared 64 KB at a time. */
static bool S_same_bytes(int fd, const void *data, size_t len) {
  enum { CHUNK = 1 << 16 };
  char *buf = len ? malloc(CHUNK) : NULL;
  bool same = len == 0 || buf;
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
  return same;
}

/* A new name at path for the inode open as fd: the one that was checked, wherever its old
 * name leads by now. */
static bool S_link_open(int fd, const char *path) {
  char proc[64];
  snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
  return linkat(AT_FDCWD, proc, AT_FDCWD, path, AT_SYMLINK_FOLLOW) == 0;
}

/* ---------------------------------------------------------------- putting a file */

bool out_file_write(const OutFile *out, const void *data, size_t len) {
  int fd = S_open_previous(out);
  if (fd >= 0) {
    bool linked = S_shareable(out, fd, len) && S_same_bytes(fd, data, len) &&
                  S_link_open(fd, out->path);
    close(fd);
    if (linked) {
      atomic_fetch_add(&out->previous->kept, 1);
      return true;
    }
  }
  return file_create(out->path, data, len, 0666, false);
}

void out_file_settle(const OutFile *out) {
  struct stat st;
  if (!out->previous || stat(out->path, &st) != 0)
    return;
  int fd = S_open_previous(out);
  if (fd < 0)
    return;
  size_t len = 0;
  bool too_big;
  char *data = S_shareable(out, fd, (size_t)st.st_size)
                   ? file_read(out->path, (size_t)st.st_size, &len, &too_big)
                   : NULL;
  /* The new file stays until the link has taken its place: link beside it, then rename. */
  char *tmp = NULL;
  if (data && S_same_bytes(fd, data, len) && asprintf(&tmp, "%s.ismsc-link", out->path) < 0)
    tmp = NULL;
  if (tmp && S_link_open(fd, tmp)) {
    if (rename(tmp, out->path) == 0)
      atomic_fetch_add(&out->previous->kept, 1);
    else
      unlink(tmp);
  }
  free(tmp);
  free(data);
  close(fd);
}
