/* history.c - one walk of the first-parent history; see history.h.
 *
 * What must stay true: the repository is only read; the walk itself parses no file (it
 * keeps blob ids per path); a past version is loaded by load_files_from and bound by
 * model_bind_records with the run's manifest, exactly as the work tree is, into a scratch
 * arena whose diagnostics are discarded (a past mistake is not today's diagnostic).
 */
#include "history.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "load.h"

/* ---------------------------------------------------------------- the walk */

static PathHistory *S_path(History *h, const char *path) {
  PathHistory *p = hashmap_get(&h->paths, path);
  if (!p) {
    p = arena_alloc(h->arena, sizeof *p);
    hashmap_put(h->arena, &h->paths, arena_strdup(h->arena, path), p);
  }
  return p;
}

static void S_add_change(History *h, const char *path, size_t commit, const git_oid *blob,
                         bool deleted, const char *renamed_from) {
  PathChange *c = arena_alloc(h->arena, sizeof *c);
  c->commit = commit;
  if (blob)
    git_oid_cpy(&c->blob, blob);
  c->deleted = deleted;
  c->renamed_from = renamed_from ? arena_strdup(h->arena, renamed_from) : NULL;
  ptrvec_push(h->arena, &S_path(h, path)->changes, c);
}

/* A folder holding tracked files, during the walk: its tree id at the newer commit. */
typedef struct Folder {
  const char *path; /* "" at the tree's top */
  bool present;
  git_oid id;
  bool changed;   /* at the commit being read, its id differs from the newer commit's */
  git_tree *tree; /* loaded only when changed */
} Folder;

/* A tracked file during the walk: its name at the commit being read (renames change it) and
 * its blob at the newer commit. */
typedef struct Tracked {
  const char *path; /* as tracked (its name now) */
  Folder *folder;   /* renames are followed within the folder */
  const char *name; /* its name in that folder at the commit being read */
  bool present;     /* at the newer commit */
  git_oid blob;     /* there */
} Tracked;

/* The tree's folder (the prefix) at commit k, or NULL when that commit has none. */
static git_tree *S_commit_root(History *h, size_t k) {
  git_tree *root = NULL, *t = NULL;
  if (git_tree_lookup(&root, h->repo, &h->trees[k]) != 0)
    return NULL;
  if (!h->prefix[0])
    return root;
  git_tree_entry *e = NULL;
  if (git_tree_entry_bypath(&e, root, h->prefix) == 0 && git_tree_entry_type(e) == GIT_OBJECT_TREE)
    git_tree_lookup(&t, h->repo, git_tree_entry_id(e));
  git_tree_entry_free(e);
  git_tree_free(root);
  return t;
}

/* Reads a folder's id at this commit; loads its tree when the id changed. */
static void S_read_folder(History *h, Folder *f, const git_tree *root, bool first) {
  git_oid id;
  bool present = false;
  if (root && !f->path[0]) {
    git_oid_cpy(&id, git_tree_id(root));
    present = true;
  } else if (root) {
    git_tree_entry *e = NULL;
    if (git_tree_entry_bypath(&e, root, f->path) == 0 &&
        git_tree_entry_type(e) == GIT_OBJECT_TREE) {
      git_oid_cpy(&id, git_tree_entry_id(e));
      present = true;
    }
    git_tree_entry_free(e);
  }
  f->changed = first || present != f->present || (present && !git_oid_equal(&id, &f->id));
  f->present = present;
  if (present)
    git_oid_cpy(&f->id, &id);
  f->tree = NULL;
  if (f->changed && present)
    git_tree_lookup(&f->tree, h->repo, &f->id);
}

/* An entry of folder `t` holding exactly `blob`: where a renamed file came from. */
static const char *S_same_blob(const git_tree *t, const git_oid *blob) {
  for (size_t i = 0, n = t ? git_tree_entrycount(t) : 0; i < n; i++) {
    const git_tree_entry *e = git_tree_entry_byindex(t, i);
    if (git_tree_entry_type(e) == GIT_OBJECT_BLOB && git_oid_equal(git_tree_entry_id(e), blob))
      return git_tree_entry_name(e);
  }
  return NULL;
}

static const char *S_join(Arena *a, const char *folder, const char *name) {
  return folder[0] ? arena_printf(a, "%s/%s", folder, name) : arena_strdup(a, name);
}

/* Reads a tracked file at commit k (older than k-1) and records what commit k-1 did. */
static void S_step(History *h, size_t k, Tracked *t) {
  Folder *f = t->folder;
  if (!f->changed)
    return; /* the same folder tree as the newer commit's: the same blobs */
  const git_tree_entry *e = f->tree ? git_tree_entry_byname(f->tree, t->name) : NULL;
  bool present = e && git_tree_entry_type(e) == GIT_OBJECT_BLOB;
  const git_oid *blob = present ? git_tree_entry_id(e) : NULL;
  if (k > 0 && t->present && (!present || !git_oid_equal(blob, &t->blob))) {
    const char *from = !present ? S_same_blob(f->tree, &t->blob) : NULL;
    S_add_change(h, t->path, k - 1, &t->blob, false, from ? S_join(h->arena, f->path, from) : NULL);
    if (from) { /* older than this, the file had another name */
      t->name = arena_strdup(h->arena, from);
      present = true;
      blob = &t->blob;
    }
  } else if (k > 0 && !t->present && present) {
    S_add_change(h, t->path, k - 1, NULL, true, NULL);
  }
  t->present = present;
  if (present)
    git_oid_cpy(&t->blob, blob);
}

/* Follows the tracked files from the newest commit to the oldest. */
static void S_follow(History *h, const char *const *paths, size_t n) {
  Tracked *t = arena_alloc(h->arena, (n + 1) * sizeof *t);
  Folder *folders = arena_alloc(h->arena, (n + 1) * sizeof *folders);
  size_t nfolder = 0;
  HashMap by_path;
  hashmap_init(&by_path);
  for (size_t i = 0; i < n; i++) {
    const char *slash = strrchr(paths[i], '/');
    const char *folder = slash ? arena_strndup(h->arena, paths[i], (size_t)(slash - paths[i])) : "";
    Folder *f = hashmap_get(&by_path, folder);
    if (!f) {
      f = &folders[nfolder++];
      f->path = folder;
      hashmap_put(h->arena, &by_path, folder, f);
    }
    t[i].path = paths[i];
    t[i].folder = f;
    t[i].name = slash ? slash + 1 : paths[i];
  }
  for (size_t k = 0; k < h->ncommit; k++) {
    git_tree *root = S_commit_root(h, k);
    for (size_t i = 0; i < nfolder; i++)
      S_read_folder(h, &folders[i], root, k == 0);
    for (size_t i = 0; i < n; i++)
      S_step(h, k, &t[i]);
    for (size_t i = 0; i < nfolder; i++)
      git_tree_free(folders[i].tree);
    git_tree_free(root);
  }
  for (size_t i = 0; i < n; i++) /* the oldest commit the walk reached made what it holds */
    if (t[i].present)
      S_add_change(h, t[i].path, h->ncommit - 1, &t[i].blob, false, NULL);
}

static void S_describe_commit(History *h, HistCommit *c, const git_commit *commit) {
  git_oid_cpy(&c->id, git_commit_id(commit));
  git_oid_tostr(c->hex, sizeof c->hex, &c->id);
  memcpy(c->short_hex, c->hex, 12);
  const git_signature *committer = git_commit_committer(commit);
  long offset = committer ? committer->when.offset : 0; /* minutes */
  git_time_t t = git_commit_time(commit) + (git_time_t)offset * 60;
  c->date = date_from_days((long)(t >= 0 ? t / 86400 : (t - 86399) / 86400));
  const char *summary = git_commit_summary((git_commit *)commit);
  c->subject = arena_strdup(h->arena, summary ? summary : "");
  const git_signature *author = git_commit_author(commit);
  c->author = arena_strdup(h->arena, author && author->name ? author->name : "");
}

/* The first-parent chain by hand, from where the list stops, until a parent is missing. */
static void S_follow_parents(History *h, const git_oid *start, size_t max, PtrVec *commits) {
  git_commit *c = NULL;
  if (commits->len) {
    git_commit *last = commits->items[commits->len - 1];
    if (git_commit_parent(&c, last, 0) != 0)
      return;
  } else if (git_commit_lookup(&c, h->repo, start) != 0) {
    return;
  }
  while (c && commits->len < max) {
    ptrvec_push(h->arena, commits, c);
    git_commit *parent = NULL;
    if (git_commit_parentcount(c) == 0) {
      h->end = HISTORY_ROOT;
      return;
    }
    if (git_commit_parent(&parent, c, 0) != 0)
      return;
    c = parent;
  }
  if (c && commits->len == max) {
    git_commit_free(c);
    h->end = HISTORY_CUT;
  }
}

/* Lists the first-parent chain from start, newest first. */
static bool S_list_commits(History *h, const git_oid *start, size_t max, PtrVec *commits) {
  git_revwalk *walk = NULL;
  if (git_revwalk_new(&walk, h->repo) != 0)
    return false;
  git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL);
  git_revwalk_simplify_first_parent(walk);
  if (git_revwalk_push(walk, start) != 0) {
    git_revwalk_free(walk);
    return false;
  }
  git_oid id;
  int err = 0;
  h->end = HISTORY_ROOT;
  while ((err = git_revwalk_next(&id, walk)) == 0) {
    if (commits->len == max) {
      h->end = HISTORY_CUT;
      break;
    }
    git_commit *c = NULL;
    if (git_commit_lookup(&c, h->repo, &id) != 0) {
      h->end = HISTORY_SHALLOW;
      break;
    }
    ptrvec_push(h->arena, commits, c);
  }
  git_revwalk_free(walk);
  if (err != 0 && err != GIT_ITEROVER) {
    /* libgit2's revwalk stops at a parent missing from the object database (a shallow
     * clone) without giving the commits before it: follow the first parents by hand. */
    h->end = HISTORY_SHALLOW;
    S_follow_parents(h, start, max, commits);
  }
  if (h->end == HISTORY_ROOT && commits->len) {
    const git_commit *last = commits->items[commits->len - 1];
    git_commit *parent = NULL;
    if (git_commit_parentcount(last) > 0) {
      if (git_commit_parent(&parent, last, 0) != 0)
        h->end = HISTORY_SHALLOW;
      git_commit_free(parent);
    }
  }
  if (h->end == HISTORY_ROOT && git_repository_is_shallow(h->repo) == 1 && commits->len &&
      git_commit_parentcount(commits->items[commits->len - 1]) > 0)
    h->end = HISTORY_SHALLOW;
  return commits->len > 0;
}

bool history_walk(History *h, Arena *a, git_repository *repo, const char *prefix,
                  const git_oid *start, size_t max_commits, const Model *m,
                  const char *const *tracked, size_t ntracked) {
  memset(h, 0, sizeof *h);
  h->arena = a;
  h->repo = repo;
  h->prefix = prefix;
  h->model = m;
  h->lookup_commit = -1;
  hashmap_init(&h->paths);
  hashmap_init(&h->loaded);
  hashmap_init(&h->hashed);
  arena_init(&h->scratch);
  diags_init(&h->scratch_diags, &h->scratch);
  PtrVec commits = {0};
  bool ok = S_list_commits(h, start, max_commits ? max_commits : 1, &commits);
  h->ncommit = commits.len;
  h->commits = arena_alloc(a, (commits.len + 1) * sizeof *h->commits);
  h->trees = arena_alloc(a, (commits.len + 1) * sizeof *h->trees);
  for (size_t k = 0; k < commits.len; k++) {
    S_describe_commit(h, &h->commits[k], commits.items[k]);
    git_oid_cpy(&h->trees[k], git_commit_tree_id(commits.items[k]));
    git_commit_free(commits.items[k]);
  }
  for (size_t i = 0; i < ntracked; i++)
    S_path(h, tracked[i]); /* tracked, even if it has no change in reach */
  if (h->ncommit)
    S_follow(h, tracked, ntracked);
  return ok;
}

void history_free(History *h) {
  git_tree_free(h->lookup_tree);
  arena_free(&h->scratch);
  memset(h, 0, sizeof *h);
}

/* ---------------------------------------------------------------- questions */

long history_commit_on(const History *h, Date date) {
  for (size_t k = 0; k < h->ncommit; k++)
    if (h->commits[k].date.days <= date.days)
      return (long)k;
  return -1;
}

long history_commit_by_id(const History *h, const char *hex) {
  size_t n = strlen(hex);
  if (n < 4 || n > 40)
    return -1;
  for (size_t k = 0; k < h->ncommit; k++)
    if (strncasecmp(h->commits[k].hex, hex, n) == 0)
      return (long)k;
  return -1;
}

/* The blob of an untracked path at commit k, by looking it up in that commit's tree. Lookups
 * come grouped by commit, so the folder's tree of the last one is kept open. */
static bool S_point_lookup(History *h, const char *path, size_t k, git_oid *blob) {
  const char *slash = strrchr(path, '/');
  size_t flen = slash ? (size_t)(slash - path) : 0;
  if (h->lookup_commit != (long)k || !h->lookup_folder || strlen(h->lookup_folder) != flen ||
      strncmp(h->lookup_folder, path, flen) != 0) {
    git_tree_free(h->lookup_tree);
    h->lookup_tree = NULL;
    h->lookup_commit = (long)k;
    h->lookup_folder = arena_strndup(&h->scratch, path, flen);
    git_tree *root = S_commit_root(h, k);
    if (root && !flen) {
      h->lookup_tree = root;
      root = NULL;
    } else if (root) {
      git_tree_entry *e = NULL;
      if (git_tree_entry_bypath(&e, root, h->lookup_folder) == 0 &&
          git_tree_entry_type(e) == GIT_OBJECT_TREE)
        git_tree_lookup(&h->lookup_tree, h->repo, git_tree_entry_id(e));
      git_tree_entry_free(e);
    }
    git_tree_free(root);
  }
  const git_tree_entry *e =
      h->lookup_tree ? git_tree_entry_byname(h->lookup_tree, slash ? slash + 1 : path) : NULL;
  if (!e || git_tree_entry_type(e) != GIT_OBJECT_BLOB)
    return false;
  git_oid_cpy(blob, git_tree_entry_id(e));
  return true;
}

bool history_version_at(History *h, const char *path, size_t k, git_oid *blob, size_t *since,
                        const char **path_then) {
  if (k >= h->ncommit)
    return false;
  *path_then = path;
  const PathHistory *p = hashmap_get(&h->paths, path);
  if (!p) {
    *since = k;
    return S_point_lookup(h, path, k, blob);
  }
  for (size_t i = 0; i < p->changes.len; i++) {
    const PathChange *c = p->changes.items[i];
    if (c->commit >= k) {
      if (c->deleted)
        return false;
      git_oid_cpy(blob, &c->blob);
      *since = c->commit;
      return true;
    }
  }
  return false;
}

long history_first_version_after(History *h, const char *path, size_t k) {
  git_oid blob;
  size_t since;
  const char *then;
  if (history_version_at(h, path, k, &blob, &since, &then))
    return (long)k;
  if (hashmap_get(&h->paths, path)) {
    for (long j = (long)k - 1; j >= 0; j--)
      if (history_version_at(h, path, (size_t)j, &blob, &since, &then))
        return j;
    return -1;
  }
  /* Untracked: present from some commit on; find the oldest such commit newer than k. */
  if (k == 0 || !history_version_at(h, path, 0, &blob, &since, &then))
    return -1;
  size_t lo = 0, hi = k; /* present at lo, absent at hi */
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (history_version_at(h, path, mid, &blob, &since, &then))
      lo = mid;
    else
      hi = mid;
  }
  return (long)lo;
}

/* Loads the file at path_then with content blob, bound; cached by blob. */
static const PtrVec *S_load_version(History *h, const char *path_then, const git_oid *blob,
                                    size_t k) {
  char hex[GIT_OID_HEXSZ + 1];
  git_oid_tostr(hex, sizeof hex, blob);
  const char *key = arena_printf(&h->scratch, "%s:%s", hex, path_then);
  PtrVec *records = hashmap_get(&h->loaded, key);
  if (records)
    return records;
  records = arena_alloc(&h->scratch, sizeof *records);
  hashmap_put(&h->scratch, &h->loaded, key, records);
  Source *src = source_blob(&h->scratch, h->repo, path_then, blob, h->commits[k].short_hex);
  Tree t;
  const char *paths[1] = {path_then};
  load_files_from(&h->scratch, &h->scratch_diags, src, paths, 1, &h->model->limits, &t);
  Model past = *h->model;
  past.arena = &h->scratch;
  past.diags = &h->scratch_diags;
  past.tree = &t;
  memset(&past.records, 0, sizeof past.records);
  memset(past.by_kind, 0, sizeof past.by_kind);
  hashmap_init(&past.ids);
  hashmap_init(&past.skipped_ids);
  model_bind_records(&past, &t);
  *records = past.records;
  source_git_free(src);
  return records;
}

/* The records of path's version at commit k (renames followed), or NULL. */
static const PtrVec *S_records_at(History *h, const char *path, size_t k) {
  git_oid blob;
  size_t since;
  const char *then;
  if (k >= h->ncommit || !history_version_at(h, path, k, &blob, &since, &then))
    return NULL;
  return S_load_version(h, then, &blob, since);
}

const Record *history_record_at(History *h, const char *path, const char *id, size_t k) {
  const PtrVec *records = S_records_at(h, path, k);
  if (!records)
    return NULL;
  for (size_t i = 0; i < records->len; i++) {
    const Record *r = records->items[i];
    if (r->id && strcmp(r->id, id) == 0)
      return r;
  }
  return NULL;
}

static const Value *S_version(const Record *r) {
  if (!r)
    return NULL;
  int f = r->kind == KIND_POLICY ? POLICY_VERSION : r->kind == KIND_SCOPE ? SCOPE_VERSION : -1;
  return f >= 0 ? rec_field(r, f) : NULL;
}

static const Value *S_approval(const Record *r) {
  if (!r)
    return NULL;
  int f = r->kind == KIND_POLICY ? POLICY_APPROVED : r->kind == KIND_SCOPE ? SCOPE_APPROVED : -1;
  return f >= 0 ? rec_field(r, f) : NULL;
}

static bool S_same(const Record *r, const Value *a, const Value *b, int field) {
  if (!a || !b)
    return a == b;
  return value_equal(&schema_table(r->kind)->fields[field], a, b);
}

size_t history_timeline(History *h, const char *path, const char *id, TimelineEntry *out,
                        size_t limit) {
  /* The commits at which the file (under any of its names) got a new blob, newest first. */
  size_t n = 0;
  long k = 0;
  while (k >= 0 && (size_t)k < h->ncommit && (!limit || n < limit)) {
    git_oid blob;
    size_t since;
    const char *then;
    if (!history_version_at(h, path, (size_t)k, &blob, &since, &then))
      break;
    out[n].commit = since;
    out[n].record = history_record_at(h, path, id, since);
    n++;
    k = (long)since + 1;
  }
  for (size_t i = 0; i < n; i++) {
    const Record *r = out[i].record, *before = i + 1 < n ? out[i + 1].record : NULL;
    if (!r) {
      out[i].content_changed = out[i].version_changed = out[i].approval_changed = before != NULL;
      continue;
    }
    int vf = r->kind == KIND_POLICY ? POLICY_VERSION : SCOPE_VERSION;
    int af = r->kind == KIND_POLICY ? POLICY_APPROVED : SCOPE_APPROVED;
    out[i].content_changed = !before || !record_content_equal(before, r);
    bool versioned = r->kind == KIND_POLICY || r->kind == KIND_SCOPE;
    out[i].version_changed =
        !before || (versioned && !S_same(r, S_version(before), S_version(r), vf));
    out[i].approval_changed =
        !before || (versioned && !S_same(r, S_approval(before), S_approval(r), af));
  }
  return n;
}

/* ---------------------------------------------------------------- folders, the manifest */

typedef struct FileWalk {
  History *h;
  const char *folder;
  PtrVec *out;
} FileWalk;

static bool S_record_file(const char *name) {
  const char *dot = strrchr(name, '.');
  return dot && (strcmp(dot, ".yaml") == 0 || strcmp(dot, ".yml") == 0 || strcmp(dot, ".md") == 0);
}

static int S_walk_file(const char *root, const git_tree_entry *e, void *payload) {
  FileWalk *w = payload;
  const char *name = git_tree_entry_name(e);
  if (git_tree_entry_type(e) == GIT_OBJECT_BLOB && S_record_file(name))
    ptrvec_push(
        w->h->arena, w->out,
        arena_printf(w->h->arena, "%s%s%s%s", w->folder, w->folder[0] ? "/" : "", root, name));
  return 0;
}

void history_files_at(History *h, size_t k, const char *folder, PtrVec *out) {
  if (k >= h->ncommit)
    return;
  git_tree *root = S_commit_root(h, k), *t = NULL;
  git_tree_entry *e = NULL;
  if (root && git_tree_entry_bypath(&e, root, folder) == 0 &&
      git_tree_entry_type(e) == GIT_OBJECT_TREE &&
      git_tree_lookup(&t, h->repo, git_tree_entry_id(e)) == 0) {
    FileWalk w = {h, folder, out};
    git_tree_walk(t, GIT_TREEWALK_PRE, S_walk_file, &w);
  }
  git_tree_free(t);
  git_tree_entry_free(e);
  git_tree_free(root);
}

/* Binds a past isms.yaml as the run binds the work tree's (model_bind), into scratch. */
static const Record *S_bind_manifest(History *h, const char *path, const git_oid *blob, size_t k) {
  Source *src = source_blob(&h->scratch, h->repo, path, blob, h->commits[k].short_hex);
  SourceFile *f = load_source(&h->scratch, &h->scratch_diags, src, path, &h->model->limits);
  Tree t;
  memset(&t, 0, sizeof t);
  hashmap_init(&t.probable_ids);
  t.root = src->root;
  t.source = src;
  t.manifest_file = f;
  bool failed = false;
  const Node *root = f->text ? yaml_parse(&h->scratch, &h->scratch_diags, f, 0, f->len, 1,
                                          &h->model->limits, &failed)
                             : NULL;
  t.manifest = root && root->kind == NODE_MAPPING ? root : NULL;
  Model past;
  memset(&past, 0, sizeof past);
  past.limits = h->model->limits;
  model_bind(&past, &h->scratch, &h->scratch_diags, &t, h->model->today);
  source_git_free(src);
  return past.manifest;
}

const Record *history_manifest_at(History *h, const char *path, size_t k) {
  git_oid blob;
  size_t since;
  const char *then;
  if (k >= h->ncommit || !history_version_at(h, path, k, &blob, &since, &then))
    return NULL;
  char hex[GIT_OID_HEXSZ + 1];
  git_oid_tostr(hex, sizeof hex, &blob);
  const char *key = arena_printf(&h->scratch, "manifest:%s", hex);
  const PtrVec *cached = hashmap_get(&h->loaded, key);
  if (cached)
    return cached->len ? cached->items[0] : NULL;
  PtrVec *one = arena_alloc(&h->scratch, sizeof *one);
  const Record *mf = S_bind_manifest(h, then, &blob, since);
  if (mf)
    ptrvec_push(&h->scratch, one, (void *)mf);
  hashmap_put(&h->scratch, &h->loaded, key, one);
  return mf;
}

/* ---------------------------------------------------------------- folders and the kept walk */

/* The tree id of `folder` at commit k; false when the commit has no such folder. */
static bool S_folder_id(git_tree *root, const char *folder, git_oid *out) {
  if (!root)
    return false;
  if (!folder[0]) {
    git_oid_cpy(out, git_tree_id(root));
    return true;
  }
  git_tree_entry *e = NULL;
  bool ok =
      git_tree_entry_bypath(&e, root, folder) == 0 && git_tree_entry_type(e) == GIT_OBJECT_TREE;
  if (ok)
    git_oid_cpy(out, git_tree_entry_id(e));
  git_tree_entry_free(e);
  return ok;
}

void history_folders_changed(History *h, const char *const *folders, size_t n, bool *out) {
  git_oid *older = calloc(n + 1, sizeof *older), *newer = calloc(n + 1, sizeof *newer);
  bool *had = calloc(n + 1, sizeof *had), *has = calloc(n + 1, sizeof *has);
  if (!older || !newer || !had || !has)
    abort();
  for (size_t k = h->ncommit; k-- > 0;) { /* oldest first: each commit against its parent */
    git_tree *root = S_commit_root(h, k);
    out[k] = false;
    for (size_t i = 0; i < n; i++) {
      has[i] = S_folder_id(root, folders[i], &newer[i]);
      bool oldest = k == h->ncommit - 1;
      if (oldest ? has[i] : has[i] != had[i] || (has[i] && !git_oid_equal(&newer[i], &older[i])))
        out[k] = true;
      had[i] = has[i];
      older[i] = newer[i];
    }
    git_tree_free(root);
  }
  free(older);
  free(newer);
  free(had);
  free(has);
}

void git_history_close(GitHistory *g) {
  if (g->walked)
    history_free(&g->h);
  gitrepo_close(g->repo);
  memset(g, 0, sizeof *g);
}

const PtrVec *history_records_at(History *h, const char *path, size_t k) {
  return S_records_at(h, path, k);
}

bool history_file_is_blob(History *h, const SourceFile *f, const git_oid *blob) {
  git_oid *now = hashmap_get(&h->hashed, f->path);
  if (!now) {
    if (!f->text)
      return false;
    now = arena_alloc(h->arena, sizeof *now);
    if (git_odb_hash(now, f->text, f->len, GIT_OBJECT_BLOB) != 0)
      return false;
    hashmap_put(h->arena, &h->hashed, f->path, now);
  }
  return git_oid_equal(now, blob);
}
