/* out_file.h - one file of a build's new set (out_file.c): written, or kept from the last set.
 *
 * build.c writes the whole set into a staging folder and swaps it in (see build.c). A file
 * whose bytes are exactly those of the same file in the set being replaced is not written
 * again: the staging folder gets a hard link to the previous file. So a rebuild after a
 * small edit creates, writes and deletes only the files that changed, and every unchanged
 * file keeps its modification time (rsync, a static host's upload, a browser cache see only
 * what changed). Nothing is ever written into an existing file: a file is either new or an
 * untouched earlier one, so the previous set stays intact until the swap.
 *
 * A previous file is shared only when it is exactly what a fresh build would write: a
 * regular file reached inside OUT without any symbolic link or mount point on the way
 * (openat2 RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_XDEV), with one name, owned by
 * whoever builds, with the mode a new file gets under the current umask, and the same
 * bytes. The inode linked is the one checked (through its descriptor), not whatever the
 * name leads to a moment later. Anything else is written anew.
 */
#ifndef ISMSC_OUT_FILE_H
#define ISMSC_OUT_FILE_H

#include <libxml/tree.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Memory a worker keeps from one file to the next, to make a file's bytes in before they are
 * put (an HTML page, a DOCX's document part): a buffer of its own per file grew by doubling
 * into fresh pages, a page fault every 4 KB, where a kept one is already mapped (19 k of a
 * scale-1 build's 137 k page faults). One job at a time uses it. */
typedef struct OutBuffer {
  xmlBufferPtr xml; /* NULL until first taken */
} OutBuffer;

/* The kept buffer, emptied (its memory kept), for XmlOut's buffer sink (xo_open_buffer);
 * made at the first call. Aborts when out of memory. */
xmlBufferPtr out_buffer_take(OutBuffer *b);
void out_buffer_free(OutBuffer *b);

/* The set being replaced, opened once before any file is written (the umask is read then:
 * reading it means setting it, which must not race with files being created). */
typedef struct OutPrevious {
  int dir;            /* OUT, as an O_PATH descriptor */
  mode_t mode;        /* what a new file's mode is: 0666 less the umask */
  uid_t uid;          /* who builds */
  atomic_size_t kept; /* files linked so far, on every thread */
} OutPrevious;

/* False (nothing opened) when there is no previous set at path. */
bool out_previous_open(OutPrevious *p, const char *path);
void out_previous_close(OutPrevious *p);

typedef struct OutFile {
  const char *path;              /* where the file goes, in the staging folder (its folder exists) */
  const char *name;              /* the same file's path inside the set: "policies/POL-1.html" */
  OutPrevious *previous;         /* the set being replaced, or NULL: none */
  OutBuffer *buffer;             /* the writer's kept buffer, or NULL: the renderer uses its own */
} OutFile;

/* Puts data[0..len) at out->path: a link to the previous set's file when it may be shared
 * (see the top of this file), else a new file. False, errno set, when neither can be done. */
bool out_file_write(const OutFile *out, const void *data, size_t len);

/* For a file a library has already written at out->path itself (libxlsxwriter takes a file
 * name): replaced by a link to the previous set's file when that may be shared and holds
 * the same bytes. Keeping the new file is always right, so this never fails. */
void out_file_settle(const OutFile *out);

#endif
