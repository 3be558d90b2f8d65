/* source_git.c - a tree of a Git commit as a Source (source.h), read from libgit2's object
 * database: no checkout, no work tree, never the `git` program. Also the one place that
 * finds the repository holding a tree folder and the folder's path inside it.
 *
 * What must stay true: a blob's size is asked before its bytes are loaded, so a 100 MB blob
 * costs nothing; every libgit2 call of a source holds its mutex, because the loader's
 * workers read files in parallel and libgit2 objects are not shared across threads safely.
 * A symbolic link or a submodule in a commit is not followed (SOURCE_SPECIAL).
 */
#include "gitrepo.h"
#include "util.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct GitSource {
  Source base;
  git_repository *repo;
  git_tree *tree; /* the tree folder's tree in the commit */
  pthread_mutex_t lock;
  /* Folder path -> its git_tree, kept open: libgit2 does not cache trees over 4 KB, and a
   * folder of 5,000 risks would otherwise be inflated again for every file read from it. */
  HashMap folders;
  Arena *arena;
} GitSource;

const char *gitrepo_error(void) {
  const git_error *e = git_error_last();
  return e && e->message ? e->message : "unknown libgit2 error";
}

/* The tree of folder rel ("" the root), opened once; NULL when there is none. */
static const git_tree *S_folder(GitSource *gs, const char *rel, size_t len) {
  if (!len)
    return gs->tree;
  char buf[512];
  char *key = len < sizeof buf ? buf : arena_strndup(gs->arena, rel, len);
  if (key == buf) {
    memcpy(buf, rel, len);
    buf[len] = '\0';
  }
  git_tree *t = hashmap_get(&gs->folders, key);
  if (t)
    return t;
  if (key == buf)
    key = arena_strndup(gs->arena, rel, len); /* kept by the map */
  git_tree_entry *e = NULL;
  if (git_tree_entry_bypath(&e, gs->tree, key) == 0 && git_tree_entry_type(e) == GIT_OBJECT_TREE)
    git_tree_lookup(&t, gs->repo, git_tree_entry_id(e));
  git_tree_entry_free(e);
  if (t)
    hashmap_put(gs->arena, &gs->folders, key, t);
  return t;
}

/* The entry at rel, or NULL; the caller frees it. */
static git_tree_entry *S_entry(GitSource *gs, const char *rel) {
  const char *slash = strrchr(rel, '/');
  const git_tree *folder = S_folder(gs, rel, slash ? (size_t)(slash - rel) : 0);
  const git_tree_entry *e = folder ? git_tree_entry_byname(folder, slash ? slash + 1 : rel) : NULL;
  git_tree_entry *copy = NULL;
  if (e)
    git_tree_entry_dup(&copy, e);
  return copy;
}

static SourceType S_type(git_filemode_t mode) {
  switch (mode) {
  case GIT_FILEMODE_TREE: return SOURCE_FOLDER;
  case GIT_FILEMODE_BLOB:
  case GIT_FILEMODE_BLOB_EXECUTABLE: return SOURCE_FILE;
  default: return SOURCE_SPECIAL; /* a symbolic link or a submodule */
  }
}

static int S_compare_entries(const void *a, const void *b) {
  return strcmp(((const SourceEntry *)a)->name, ((const SourceEntry *)b)->name);
}

static bool S_list_tree(const git_tree *t, Arena *a, SourceEntry **entries, size_t *count) {
  size_t n = git_tree_entrycount(t), k = 0;
  SourceEntry *list = n ? arena_alloc(a, n * sizeof *list) : NULL;
  for (size_t i = 0; i < n; i++) {
    const git_tree_entry *e = git_tree_entry_byindex(t, i);
    const char *name = git_tree_entry_name(e);
    if (name[0] == '.')
      continue;
    list[k].name = arena_strdup(a, name);
    list[k].type = S_type(git_tree_entry_filemode(e));
    list[k].err = 0;
    k++;
  }
  /* Git sorts a folder as "name/"; the work tree source sorts by name: keep one order. */
  if (k)
    qsort(list, k, sizeof *list, S_compare_entries);
  *entries = list;
  *count = k;
  return true;
}

static bool S_list(const Source *s, Arena *a, const char *rel, SourceEntry **entries,
                   size_t *count) {
  GitSource *gs = s->impl;
  *entries = NULL;
  *count = 0;
  pthread_mutex_lock(&gs->lock);
  bool ok = false;
  if (!rel[0]) {
    ok = S_list_tree(gs->tree, a, entries, count);
  } else {
    const git_tree *sub = S_folder(gs, rel, strlen(rel));
    if (sub)
      ok = S_list_tree(sub, a, entries, count);
  }
  pthread_mutex_unlock(&gs->lock);
  return ok;
}

/* Reads a blob into the arena, its size first. */
static SourceRead S_read_blob(GitSource *gs, Arena *a, const git_oid *id, size_t max_bytes) {
  SourceRead r = {0};
  git_odb *odb = NULL;
  size_t size = 0;
  git_object_t type;
  if (git_repository_odb(&odb, gs->repo) != 0 || git_odb_read_header(&size, &type, odb, id) != 0) {
    r.error = arena_strdup(a, gitrepo_error());
    git_odb_free(odb);
    return r;
  }
  git_odb_free(odb);
  r.size = size;
  if (size > max_bytes) {
    r.too_large = true;
    return r;
  }
  git_blob *blob = NULL;
  if (git_blob_lookup(&blob, gs->repo, id) != 0) {
    r.error = arena_strdup(a, gitrepo_error());
    return r;
  }
  size_t n = (size_t)git_blob_rawsize(blob);
  r.text = arena_alloc(a, n + 1);
  memcpy(r.text, git_blob_rawcontent(blob), n);
  r.text[n] = '\0';
  r.len = n;
  git_blob_free(blob);
  return r;
}

static SourceRead S_read(const Source *s, Arena *a, const char *rel, size_t max_bytes) {
  GitSource *gs = s->impl;
  SourceRead r = {0};
  pthread_mutex_lock(&gs->lock);
  git_tree_entry *e = S_entry(gs, rel);
  if (!e)
    r.error = "no such file in this revision";
  else if (git_tree_entry_type(e) == GIT_OBJECT_TREE)
    r.is_folder = true;
  else if (S_type(git_tree_entry_filemode(e)) != SOURCE_FILE)
    r.error = "not a regular file in this revision (a symbolic link or a submodule)";
  else
    r = S_read_blob(gs, a, git_tree_entry_id(e), max_bytes);
  git_tree_entry_free(e);
  pthread_mutex_unlock(&gs->lock);
  return r;
}

static SourceType S_stat(const Source *s, const char *rel) {
  GitSource *gs = s->impl;
  pthread_mutex_lock(&gs->lock);
  git_tree_entry *e = S_entry(gs, rel);
  SourceType t = e ? S_type(git_tree_entry_filemode(e)) : SOURCE_MISSING;
  git_tree_entry_free(e);
  pthread_mutex_unlock(&gs->lock);
  return t;
}

Source *source_git(Arena *a, git_repository *repo, git_tree *tree, const char *label) {
  GitSource *gs = arena_alloc(a, sizeof *gs);
  gs->repo = repo;
  gs->tree = tree;
  gs->arena = a;
  hashmap_init(&gs->folders);
  pthread_mutex_init(&gs->lock, NULL);
  gs->base = (Source){arena_strdup(a, label), false, S_list, S_read, S_stat, gs};
  return &gs->base;
}

/* ---------------------------------------------------------------- one blob */

/* A source of exactly one file, read by its blob id: a past version of a record file, with
 * no tree to look it up in (history.c knows the blob already). */
typedef struct BlobSource {
  GitSource git; /* its repository and lock; no tree */
  const char *path;
  git_oid blob;
} BlobSource;

static SourceRead S_blob_read(const Source *s, Arena *a, const char *rel, size_t max_bytes) {
  BlobSource *bs = s->impl;
  if (strcmp(rel, bs->path) != 0)
    return (SourceRead){.error = "no such file in this revision"};
  pthread_mutex_lock(&bs->git.lock);
  SourceRead r = S_read_blob(&bs->git, a, &bs->blob, max_bytes);
  pthread_mutex_unlock(&bs->git.lock);
  return r;
}

static SourceType S_blob_stat(const Source *s, const char *rel) {
  const BlobSource *bs = s->impl;
  return strcmp(rel, bs->path) == 0 ? SOURCE_FILE : SOURCE_MISSING;
}

static bool S_blob_list(const Source *s, Arena *a, const char *rel, SourceEntry **entries,
                        size_t *count) {
  *entries = NULL;
  *count = 0;
  return false; /* it is only ever read by path */
}

Source *source_blob(Arena *a, git_repository *repo, const char *path, const git_oid *blob,
                    const char *label) {
  BlobSource *bs = arena_alloc(a, sizeof *bs);
  bs->git.repo = repo;
  bs->git.arena = a;
  hashmap_init(&bs->git.folders);
  pthread_mutex_init(&bs->git.lock, NULL);
  bs->path = arena_strdup(a, path);
  git_oid_cpy(&bs->blob, blob);
  bs->git.base = (Source){arena_strdup(a, label), false, S_blob_list, S_blob_read, S_blob_stat, bs};
  return &bs->git.base;
}

void source_git_free(Source *s) {
  if (!s)
    return;
  GitSource *gs = s->list == S_blob_list ? &((BlobSource *)s->impl)->git : s->impl;
  for (size_t i = 0; i < gs->folders.cap; i++)
    if (gs->folders.keys && gs->folders.keys[i])
      git_tree_free(gs->folders.values[i]);
  git_tree_free(gs->tree);
  gs->tree = NULL;
  pthread_mutex_destroy(&gs->lock);
}

/* ---------------------------------------------------------------- the repository */

/* The folder's path relative to the work tree, "" at its top; NULL when it is not inside. */
static const char *S_prefix(Arena *a, const char *folder, const char *workdir) {
  char *real = realpath(folder, NULL), *wd = realpath(workdir, NULL);
  const char *prefix = NULL;
  if (real && wd) {
    size_t n = strlen(wd);
    if (strcmp(real, wd) == 0)
      prefix = "";
    else if (strncmp(real, wd, n) == 0 && real[n] == '/')
      prefix = arena_strdup(a, real + n + 1);
  }
  free(real);
  free(wd);
  return prefix;
}

/* How libgit2 reads objects for the history (issue 11's speed target): like git itself, it
 * does not re-hash every object it reads (libgit2's default does, with the collision-detecting
 * SHA-1: two thirds of a history's cost); a corrupt object still fails to inflate or parse.
 * Trees are cached whatever their size (a folder of 5,000 records is a 250 KB tree that the
 * history asks for again at the same commit), in a cache of 64 MB rather than 256. */
static void S_tune_libgit2(void) {
  git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
  // X git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, (size_t)4 << 20);
  git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)64 << 20); /* memory stays bounded */
}

git_repository *gitrepo_open(Arena *a, const char *folder, const char **prefix) {
  git_libgit2_init();
  S_tune_libgit2();
  git_repository *repo = NULL;
  /* As git does: GIT_CEILING_DIRECTORIES stops the search upward. */
  const char *ceiling = getenv("GIT_CEILING_DIRECTORIES");
  if (git_repository_open_ext(&repo, folder, 0, ceiling && *ceiling ? ceiling : NULL) != 0) {
    git_libgit2_shutdown();
    return NULL;
  }
  const char *workdir = git_repository_workdir(repo);
  *prefix = workdir ? S_prefix(a, folder, workdir) : NULL;
  if (!*prefix) {
    git_repository_free(repo);
    git_libgit2_shutdown();
    return NULL;
  }
  return repo;
}

void gitrepo_close(git_repository *repo) {
  if (!repo)
    return;
  git_repository_free(repo);
  git_libgit2_shutdown();
}

bool gitrepo_subtree(git_repository *repo, const git_commit *commit, const char *prefix,
                     git_tree **out) {
  *out = NULL;
  git_tree *root = NULL;
  if (git_commit_tree(&root, commit) != 0)
    return false;
  if (!prefix[0]) {
    *out = root;
    return true;
  }
  git_tree_entry *e = NULL;
  bool ok = git_tree_entry_bypath(&e, root, prefix) == 0 &&
            git_tree_entry_type(e) == GIT_OBJECT_TREE &&
            git_tree_lookup(out, repo, git_tree_entry_id(e)) == 0;
  git_tree_entry_free(e);
  git_tree_free(root);
  return ok;
}
