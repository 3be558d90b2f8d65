/* out_file.h - one file of a build's new set (out_file.c): written, or kept from the last set.
 *
 * build.c writes the whole set into a staging folder and swaps it in (see build.c). A file
 * whose bytes are exactly those of the same file in the set being replaced is not written
 * again: the staging folder gets a hard link to the previous file. So a rebuild after a
 * small edit creates, writes and deletes only the files that changed, and every unchanged
 * file keeps its modification time (rsync, a static host's upload, a browser cache see only
 * what changed). Nothing is ever written into an existing file: a file is either new or an
 * untouched earlier one, so the previous set stays intact until the swap.
 */
#ifndef ISMSC_OUT_FILE_H
#define ISMSC_OUT_FILE_H

#include <libxml/tree.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Memory a writer keeps from one file to the next, to make a file's bytes in before they are
 * put: a buffer of its own per file grew by doubling into fresh pages, a page fault every
 * 4 KB (a third of a build's page faults), where a kept one is already mapped. */
typedef struct OutBuffer {
  char *data;
  size_t len, cap;
  xmlBufferPtr part; /* a package's largest part (DOCX: word/document.xml), or NULL: none yet */
} OutBuffer;

/* A stream that writes into b, emptied first (fclose it before reading b->data[0..len)).
 * NULL when out of memory. */
FILE *out_buffer_open(OutBuffer *b);
void out_buffer_free(OutBuffer *b);

typedef struct OutFile {
  const char *path;     /* where the file goes, in the staging folder (its folder exists) */
  const char *previous; /* the same file in the set being replaced, or NULL: none */
  OutBuffer *buffer;    /* the writer's kept buffer, or NULL: the renderer uses its own */
} OutFile;

/* Puts data[0..len) at out->path: a link to out->previous when that is a regular file
 * holding exactly these bytes with no other name (a file the user linked elsewhere is
 * never shared), else a new file. False, errno set, when neither can be done. */
bool out_file_write(const OutFile *out, const void *data, size_t len);

/* For a file a library has already written at out->path itself (libxlsxwriter takes a file
 * name): replaced by a link to out->previous when the two are the same, as above. True
 * unless the file at out->path cannot be read. */
bool out_file_settle(const OutFile *out);

#endif
