/* source.h - where a tree's files come from (DESIGN.md decision 11).
 *
 * The loader never opens paths itself: it asks a Source to list a folder and to hand over a
 * file's bytes. Two sources exist: the work tree on disk (source_fs.c) and a tree of a Git
 * commit read from libgit2's object database (source_git.c), so `ismsc diff`, the Git rules
 * and revision histories load a past revision through exactly the same code as `check`.
 *
 * What must stay true: a source lists a folder's entries sorted by name with hidden entries
 * (a leading '.') left out; reading is safe from several threads at once (the loader's
 * workers); everything returned lives in the arena passed in. A source never writes.
 */
#ifndef ISMSC_SOURCE_H
#define ISMSC_SOURCE_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"

typedef enum SourceType {
  SOURCE_FILE,
  SOURCE_FOLDER,
  SOURCE_LINKED_FOLDER, /* a symbolic link to a folder: never followed */
  SOURCE_BROKEN_LINK,   /* a symbolic link that cannot be followed (err says why) */
  SOURCE_OUTSIDE_LINK,  /* a symbolic link to a file outside the tree */
  SOURCE_SPECIAL,       /* a pipe, socket, device, or a Git link to another repository */
  SOURCE_MISSING,
} SourceType;

typedef struct SourceEntry {
  const char *name;
  SourceType type;
  int err; /* SOURCE_BROKEN_LINK: the errno */
} SourceEntry;

/* The outcome of reading one file. */
typedef struct SourceRead {
  char *text; /* NUL-terminated, in the arena; NULL on failure */
  size_t len;
  size_t size;       /* the file's size, also when it was too large to read */
  bool too_large;    /* larger than the limit asked for: not read */
  bool is_folder;    /* the path names a folder */
  const char *error; /* why it could not be read, or NULL */
} SourceRead;

typedef struct Source Source;
struct Source {
  const char *root; /* the work tree's folder as the user named it; for a Git tree, the
                       revision as the user named it ("HEAD~3") */
  bool in_worktree; /* files are on disk below root (templates, evidence copies) */
  /* Lists the folder rel ("" is the root), sorted, hidden entries left out. False when it
   * cannot be listed. */
  bool (*list)(const Source *s, Arena *a, const char *rel, SourceEntry **entries, size_t *count);
  /* Reads the file rel; files over max_bytes are not read (too_large). */
  SourceRead (*read)(const Source *s, Arena *a, const char *rel, size_t max_bytes);
  /* What rel is, following symbolic links that stay inside the tree. */
  SourceType (*stat)(const Source *s, const char *rel);
  void *impl;
};

/* The work tree below root; NULL when root is not a readable folder. */
Source *source_fs(Arena *a, const char *root);

#endif
