/* history.c - one walk of the first-parent history; see history.h.
 *
 * What must stay true: the repository is only read; the walk itself parses no file (it
 * keeps blob ids per path); a past version is loaded by load_files_from and bound by
 * model_bind_records with the run's manifest, exactly as the work tree is, into a scratch
 * arena whose diagnostics are discarded (a past mistake is not today's diagnostic).
 */
#include "history.h"

#include <stdio.h>
#include <string.h>

#include "compare.h"

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

static int S_on_delta(const git_diff_delta *d, float progress, void *payload) {
  (void)progress;
  void **ctx = payload;
  History *h = ctx[0];
  size_t commit = *(size_t *)ctx[1];
  switch (d->status) {
  case GIT_DELTA_DELETED: S_add_change(h, d->old_file.path, commit, NULL, true, NULL); break;
  case GIT_DELTA_RENAMED:
    S_add_change(h, d->old_file.path, commit, NULL, true, NULL);
    S_add_change(h, d->new_file.path, commit, &d->new_file.id, false, d->old_file.path);
    break;
  default: S_add_change(h, d->new_file.path, commit, &d->new_file.id, false, NULL); break;
  }
  return 0;
}

/* Records what commit k changed: its tree against its parent's (NULL: everything is new). */
static bool S_diff_commit(History *h, size_t k, git_tree *parent, git_tree *tree) {
  git_diff_options opts;
  git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
  opts.flags = GIT_DIFF_SKIP_BINARY_CHECK;
  git_diff *diff = NULL;
  if (git_diff_tree_to_tree(&diff, h->repo, parent, tree, &opts) != 0)
    return false;
  bool renames = false;
  for (size_t i = 0, n = git_diff_num_deltas(diff); i < n && !renames; i++)
    renames = git_diff_get_delta(diff, i)->status == GIT_DELTA_DELETED;
  if (renames && parent) {
    git_diff_find_options fo;
    git_diff_find_options_init(&fo, GIT_DIFF_FIND_OPTIONS_VERSION);
    fo.flags = GIT_DIFF_FIND_RENAMES | GIT_DIFF_FIND_EXACT_MATCH_ONLY;
    git_diff_find_similar(diff, &fo);
  }
  void *ctx[2] = {h, &k};
  git_diff_foreach(diff, S_on_delta, NULL, NULL, NULL, ctx);
  git_diff_free(diff);
  return true;
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
                  const git_oid *start, size_t max_commits, const Model *m) {
  memset(h, 0, sizeof *h);
  h->arena = a;
  h->repo = repo;
  h->prefix = prefix;
  h->model = m;
  hashmap_init(&h->paths);
  hashmap_init(&h->loaded);
  arena_init(&h->scratch);
  diags_init(&h->scratch_diags, &h->scratch);
  PtrVec commits = {0};
  bool ok = S_list_commits(h, start, max_commits ? max_commits : 1, &commits);
  h->ncommit = commits.len;
  h->commits = arena_alloc(a, (commits.len + 1) * sizeof *h->commits);
  git_tree *newer = NULL;
  for (size_t k = 0; k < commits.len; k++) {
    git_commit *c = commits.items[k];
    S_describe_commit(h, &h->commits[k], c);
    git_tree *tree = newer;
    if (k == 0)
      gitrepo_subtree(repo, c, prefix, &tree);
    git_tree *older = NULL;
    if (k + 1 < commits.len)
      gitrepo_subtree(repo, commits.items[k + 1], prefix, &older);
    if (tree || older)
      S_diff_commit(h, k, older, tree);
    git_tree_free(tree);
    newer = older;
  }
  git_tree_free(newer);
  for (size_t k = 0; k < commits.len; k++)
    git_commit_free(commits.items[k]);
  return ok;
}

void history_free(History *h) {
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

bool history_version_at(const History *h, const char *path, size_t k, git_oid *blob, size_t *since,
                        const char **path_then) {
  for (int hops = 0; hops < 64 && path; hops++) {
    const PathHistory *p = hashmap_get(&h->paths, path);
    if (!p)
      return false;
    const char *renamed_from = NULL;
    for (size_t i = 0; i < p->changes.len; i++) {
      const PathChange *c = p->changes.items[i];
      if (c->commit >= k) {
        if (c->deleted)
          return false;
        git_oid_cpy(blob, &c->blob);
        *since = c->commit;
        *path_then = path;
        return true;
      }
      if (c->renamed_from) {
        renamed_from = c->renamed_from; /* older than this, the file had another name */
        break;
      }
    }
    path = renamed_from;
  }
  return false;
}

long history_first_version_after(const History *h, const char *path, size_t k) {
  for (long j = (long)k; j >= 0; j--) {
    git_oid blob;
    size_t since;
    const char *then;
    if (history_version_at(h, path, (size_t)j, &blob, &since, &then))
      return j;
  }
  return -1;
}

/* Loads the file at path_then as of commit k, bound; cached by blob. */
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
  git_commit *commit = NULL;
  git_tree *tree = NULL;
  if (git_commit_lookup(&commit, h->repo, &h->commits[k].id) != 0 ||
      !gitrepo_subtree(h->repo, commit, h->prefix, &tree)) {
    git_commit_free(commit);
    return records;
  }
  git_commit_free(commit);
  Source *src = source_git(&h->scratch, h->repo, tree, h->commits[k].short_hex);
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

const Record *history_record_at(History *h, const char *path, const char *id, size_t k) {
  git_oid blob;
  size_t since;
  const char *then;
  if (k >= h->ncommit || !history_version_at(h, path, k, &blob, &since, &then))
    return NULL;
  const PtrVec *records = S_load_version(h, then, &blob, k);
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
