/* history.h - the tree's first-parent history, walked once (DESIGN.md decision 12).
 *
 * history_walk lists the first-parent chain from a commit with libgit2's revwalk and, in the
 * same pass, follows the files it is asked to track (the controlled documents): at each
 * commit it reads only the folders that hold them, and only when a folder's tree id differs
 * from the newer commit's, and keeps for each tracked file the commits that gave it a new
 * blob (exact renames followed). Any other file is looked up at one commit when a question
 * needs it (a risk at the commit of its acceptance). Nothing is parsed during the walk: a
 * past version of a record is loaded only when a question needs it (history_record_at),
 * straight from its blob, through the same loader and binder as the work tree, and cached by
 * blob. So the walk costs what the tracked folders' changes cost, not files x commits.
 */
#ifndef ISMSC_HISTORY_H
#define ISMSC_HISTORY_H

#include "gitrepo.h"
#include "model.h"

typedef struct HistCommit {
  git_oid id;
  char hex[41], short_hex[13];
  Date date;           /* the commit's calendar date, in its committer's time zone */
  const char *subject; /* the first line of its message */
  const char *author;
} HistCommit;

/* How the walk ended. */
typedef enum HistoryEnd {
  HISTORY_ROOT,    /* at the first commit of the repository: the history is whole */
  HISTORY_CUT,     /* history.max_commits reached */
  HISTORY_SHALLOW, /* a shallow clone (or a missing object): older commits are absent */
} HistoryEnd;

typedef struct PathChange {
  size_t commit;            /* index in History.commits */
  git_oid blob;             /* the file's content from this commit on */
  bool deleted;             /* removed in this commit */
  const char *renamed_from; /* renamed (unchanged) from this path in this commit */
} PathChange;

typedef struct PathHistory {
  PtrVec changes; /* PathChange *, newest first */
} PathHistory;

typedef struct History {
  Arena *arena;
  git_repository *repo; /* borrowed */
  const char *prefix;   /* the tree's folder in the repository */
  HistCommit *commits;  /* newest first: commits[0] is where the walk started */
  git_oid *trees;       /* each commit's root tree */
  size_t ncommit;
  HistoryEnd end;
  HashMap paths; /* tracked path in the tree -> PathHistory * */
  /* The last point lookup's commit and folder, kept open: lookups come grouped by commit. */
  long lookup_commit;
  const char *lookup_folder;
  git_tree *lookup_tree;
  /* Past versions loaded so far: "blob:path" -> PtrVec * of Record *. */
  HashMap loaded;
  HashMap hashed;     /* path of a file of the tree now -> its blob id (git_oid *), or NULL */
  const Model *model; /* the run's model: its manifest binds the past versions */
  Arena scratch;      /* past versions and their (discarded) diagnostics */
  Diags scratch_diags;
} History;

/* Walks at most max_commits commits from start, following the tracked paths (relative to
 * the tree). False when start cannot be read. Free with history_free. */
bool history_walk(History *h, Arena *a, git_repository *repo, const char *prefix,
                  const git_oid *start, size_t max_commits, const Model *m,
                  const char *const *tracked, size_t ntracked);
void history_free(History *h);

/* The newest commit dated on or before date, or -1 when every commit is later. */
long history_commit_on(const History *h, Date date);
/* The commit whose id starts with hex (at least 4 digits), or -1. */
long history_commit_by_id(const History *h, const char *hex);

/* The version of path at commit k: its blob, the commit that made it, and the path it had
 * then (renames followed). False when the file did not exist at commit k. For a path that is
 * not tracked, *since is k and renames are not followed. */
bool history_version_at(History *h, const char *path, size_t k, git_oid *blob, size_t *since,
                        const char **path_then);
/* The oldest commit at or after k (index <= k) at which the file exists, or -1. */
long history_first_version_after(History *h, const char *path, size_t k);

/* The record `id` as it was at commit k in the file `path` (renames followed), or NULL when
 * it was not there. Bound with the run's manifest; lives as long as h. */
const Record *history_record_at(History *h, const char *path, const char *id, size_t k);

/* Every record of the file `path` as it was at commit k (renames followed), or NULL when
 * the file was not there. Bound with the run's manifest; lives as long as h. */
const PtrVec *history_records_at(History *h, const char *path, size_t k);
/* Appends to out (const char *, in h's arena) the path, relative to the tree, of every file
 * under `folder` at commit k whose name ends in .yaml, .yml or .md. */
void history_files_at(History *h, size_t k, const char *folder, PtrVec *out);
/* Is the file, as it is now, byte for byte the blob? Each file is hashed once per walk. */
bool history_file_is_blob(History *h, const SourceFile *f, const git_oid *blob);

/* One entry of a record's timeline: a commit that changed its file and what it changed. */
typedef struct TimelineEntry {
  size_t commit;
  const Record *record;  /* the record as of this commit; NULL when it was absent */
  bool content_changed;  /* its content differs from the version before */
  bool version_changed;  /* its version differs (or it appeared) */
  bool approval_changed; /* its approval differs */
} TimelineEntry;

/* The commits that changed the record's file, newest first, with what each changed
 * compared with the version before (content, version, approval). The basis of revision
 * histories; stops after `limit` entries (0: no limit). */
size_t history_timeline(History *h, const char *path, const char *id, TimelineEntry *out,
                        size_t limit);

/* isms.yaml (at `path`) as it was at commit k, bound as the run's manifest is; NULL when the
 * commit has none or it could not be parsed. Cached by blob. */
const Record *history_manifest_at(History *h, const char *path, size_t k);

/* For each commit k, out[k]: whether any of the folders (paths in the tree, "" its top) has
 * another tree id at k than at the commit before it. The oldest walked commit counts as a
 * change to every folder it holds (it stands for the history before it). Reads one root tree
 * per commit and never a folder's own tree, so it costs commits, not files. */
void history_folders_changed(History *h, const char *const *folders, size_t n, bool *out);

/* A walk the build keeps for its revision histories (git_rules_run_worktree's `keep`): the
 * repository stays open until git_history_close. */
typedef struct GitHistory {
  git_repository *repo; /* NULL outside a repository */
  bool walked;          /* h holds a walk */
  const char *why_not;  /* when not walked: why, as a document says it */
  History h;
} GitHistory;

void git_history_close(GitHistory *g);

#endif
