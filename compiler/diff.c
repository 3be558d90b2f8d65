/* diff.c - `ismsc diff`: load two revisions, compile both, compare the models (diff.h).
 *
 * What must stay true: both revisions go through the same loader and the same checks as
 * `ismsc check` (a Git revision through a Git tree Source, never a checkout); records are
 * matched by id and compared by bound values (compare.c), never by lines; the repository is
 * only read. Usage and I/O failures (no repository, an unknown revision, a revision whose
 * tree has no isms.yaml) are one line on standard error and exit status 2; problems inside a
 * revision's files are its diagnostics, like any check's.
 */
#include "diff.h"

#include <getopt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "driver.h"
#include "gitrepo.h"
#include "load.h"

/* ---------------------------------------------------------------- comparing models */

static bool S_real(const Record *r) { return r && r->raw && r->id && !r->synthetic; }

static const Record *S_find(const Model *m, const char *id) {
  const Record *r = hashmap_get(&m->ids, id);
  return S_real(r) ? r : NULL;
}

static RecordDiff *S_record_diff(Arena *a, const Record *old, const Record *cur) {
  RecordDiff *d = arena_alloc(a, sizeof *d);
  d->old = old;
  d->cur = cur;
  if (old && cur)
    record_changes(a, old, cur, false, &d->changes);
  return d;
}

/* Is `added` the `removed` record under a new id: no change but the id? */
static bool S_is_rename(const RecordDiff *removed, const RecordDiff *added, Arena *a) {
  if (removed->old->kind != added->cur->kind)
    return false;
  PtrVec changes = {0};
  record_changes(a, removed->old, added->cur, false, &changes);
  for (size_t i = 0; i < changes.len; i++) {
    const Change *c = changes.items[i];
    if (!c->field || strcmp(c->field, "id") != 0)
      return false;
  }
  return true;
}

static void S_find_renames(Arena *a, DiffResult *out) {
  for (size_t i = 0; i < out->removed.len; i++) {
    RecordDiff *rm = out->removed.items[i];
    for (size_t j = 0; j < out->added.len; j++) {
      RecordDiff *ad = out->added.items[j];
      if (!ad->cur || !S_is_rename(rm, ad, a))
        continue;
      RecordDiff *rn = S_record_diff(a, rm->old, ad->cur);
      ptrvec_push(a, &out->renamed, rn);
      out->removed.items[i] = NULL;
      out->added.items[j] = NULL;
      break;
    }
  }
  size_t k = 0; /* drop the matched ones, keeping the order */
  for (size_t i = 0; i < out->removed.len; i++)
    if (out->removed.items[i])
      out->removed.items[k++] = out->removed.items[i];
  out->removed.len = k;
  k = 0;
  for (size_t i = 0; i < out->added.len; i++)
    if (out->added.items[i])
      out->added.items[k++] = out->added.items[i];
  out->added.len = k;
}

static void S_derived(Arena *a, DiffResult *out, const Record *r, const char *what,
                      const char *old_text, const char *new_text) {
  if (strcmp(old_text, new_text) == 0)
    return;
  DerivedChange *d = arena_alloc(a, sizeof *d);
  d->record = r;
  d->what = what;
  d->old_text = old_text;
  d->new_text = new_text;
  ptrvec_push(a, &out->derived, d);
}

static const char *S_score(Arena *a, const Model *m, int score, int level) {
  if (!score)
    return "unrated";
  return arena_printf(a, "%d (%s)", score, model_level_name(m, level));
}

static void S_risk_derived(Arena *a, DiffResult *out, const Model *om, const Model *cm,
                           const Record *o, const Record *c) {
  S_derived(a, out, c, "score", S_score(a, om, o->score, o->level),
            S_score(a, cm, c->score, c->level));
  S_derived(a, out, c, "residual score", S_score(a, om, o->residual_score, o->residual_level),
            S_score(a, cm, c->residual_score, c->residual_level));
}

/* A control's line in the SoA: applicable or not, and why it is included. */
static const char *S_applicability(const Record *r) {
  if (!rec_has(r, CONTROL_APPLICABLE))
    return "no record";
  return rec_field(r, CONTROL_APPLICABLE)->num ? "applicable" : "excluded";
}

static const char *S_inclusion_reasons(Arena *a, const Record *r) {
  const char *s = "";
  const PtrVec *risks = rec_links(r, LINK_RISKS);
  for (size_t i = 0; i < risks->len; i++) {
    const Record *risk = risks->items[i];
    s = arena_printf(a, "%s%s%s", s, s[0] ? ", " : "", risk->id);
  }
  const Value *reasons = rec_field(r, CONTROL_REASONS);
  for (size_t i = 0; reasons->ok && i < reasons->count; i++)
    if (reasons->items[i].ok)
      s = arena_printf(a, "%s%s%s", s, s[0] ? ", " : "", reasons->items[i].str);
  return s[0] ? s : "none";
}

static void S_controls_derived(Arena *a, DiffResult *out, const Model *om, const Model *cm) {
  const PtrVec *controls = &cm->by_kind[KIND_CONTROL];
  for (size_t i = 0; i < controls->len; i++) {
    const Record *c = controls->items[i];
    const Record *o = c->id ? hashmap_get(&om->ids, c->id) : NULL;
    if (!o || o->kind != KIND_CONTROL)
      continue;
    S_derived(a, out, c, "SoA", S_applicability(o), S_applicability(c));
    S_derived(a, out, c, "inclusion reasons", S_inclusion_reasons(a, o), S_inclusion_reasons(a, c));
  }
}

static bool S_has_diag(const Model *m, const char *rule, const char *id) {
  for (size_t i = 0; i < m->diags->items.len; i++) {
    const Diag *d = m->diags->items.items[i];
    if (d->severity != SEV_OFF && !d->suppressed_by && strcmp(d->rule, rule) == 0 && d->record &&
        d->record->id && strcmp(d->record->id, id) == 0)
      return true;
  }
  return false;
}

static void S_document(Arena *a, DiffResult *out, const Model *om, const Model *cm, const Record *o,
                       const Record *c) {
  if (c->kind != KIND_POLICY && c->kind != KIND_SCOPE)
    return;
  PtrVec content = {0};
  record_changes(a, o, c, true, &content);
  if (!content.len)
    return;
  DocumentChange *d = arena_alloc(a, sizeof *d);
  d->record = c;
  d->summary = changes_summary(a, &content);
  d->stale = S_has_diag(cm, "approval-stale", c->id) && !S_has_diag(om, "approval-stale", c->id);
  ptrvec_push(a, &out->documents, d);
}

/* ---------------------------------------------------------------- diagnostics */

static const char *S_diag_key(Arena *a, const Diag *d) {
  return arena_printf(a, "%s\x1f%s\x1f%s", d->rule, d->loc.file ? d->loc.file->path : "",
                      d->message);
}

static bool S_counts(const Diag *d) { return d->severity != SEV_OFF && !d->suppressed_by; }

/* The diagnostics of `from` that `other` does not have (as many times as it has them). */
static void S_unmatched(Arena *a, const Diags *from, const Diags *other, PtrVec *out) {
  HashMap counts;
  hashmap_init(&counts);
  for (size_t i = 0; i < other->items.len; i++) {
    const Diag *d = other->items.items[i];
    if (!S_counts(d))
      continue;
    const char *key = S_diag_key(a, d);
    uintptr_t n = (uintptr_t)hashmap_get(&counts, key);
    hashmap_put(a, &counts, key, (void *)(n + 1));
  }
  for (size_t i = 0; i < from->items.len; i++) {
    const Diag *d = from->items.items[i];
    if (!S_counts(d))
      continue;
    const char *key = S_diag_key(a, d);
    uintptr_t n = (uintptr_t)hashmap_get(&counts, key);
    if (n)
      hashmap_put(a, &counts, key, (void *)(n - 1));
    else
      ptrvec_push(a, out, (void *)d);
  }
}

void diff_models(Arena *a, const Model *om, const Model *cm, DiffResult *out) {
  for (size_t i = 0; i < cm->records.len; i++) {
    const Record *c = cm->records.items[i];
    if (!S_real(c) || S_find(cm, c->id) != c)
      continue; /* a duplicate id: the first definition stands for it */
    const Record *o = S_find(om, c->id);
    if (!o || o->kind != c->kind) {
      ptrvec_push(a, &out->added, S_record_diff(a, NULL, c));
      continue;
    }
    RecordDiff *d = S_record_diff(a, o, c);
    if (d->changes.len)
      ptrvec_push(a, &out->changed, d);
    if (c->kind == KIND_RISK)
      S_risk_derived(a, out, om, cm, o, c);
    S_document(a, out, om, cm, o, c);
  }
  for (size_t i = 0; i < om->records.len; i++) {
    const Record *o = om->records.items[i];
    if (!S_real(o) || S_find(om, o->id) != o)
      continue;
    const Record *c = S_find(cm, o->id);
    if (!c || c->kind != o->kind)
      ptrvec_push(a, &out->removed, S_record_diff(a, o, NULL));
  }
  S_find_renames(a, out);
  S_controls_derived(a, out, om, cm);
  S_unmatched(a, cm->diags, om->diags, &out->introduced);
  S_unmatched(a, om->diags, cm->diags, &out->fixed);
}

/* ---------------------------------------------------------------- the command */

static const char usage[] =
    "usage: ismsc diff [-C TREE] [--format text|markdown|json] [--date YYYY-MM-DD] [REV1 [REV2]]\n"
    "\n"
    "What changed between two revisions of the tree, record by record: REV1 defaults to HEAD,\n"
    "REV2 to the work tree. Both are read from Git objects (no checkout) and checked as\n"
    "`ismsc check` would check them.\n"
    "\n"
    "  -C TREE                the tree (default: the current folder)\n"
    "  --format text|markdown|json\n"
    "                         markdown is a pull-request comment; json: see docs/diff.md\n"
    "  --date YYYY-MM-DD      the date the checks use (default: SOURCE_DATE_EPOCH, else today)\n"
    "\n"
    "exit status: 0 the comparison was made, 2 usage or I/O failure\n";

typedef struct Side {
  const char *label;
  bool worktree;
  git_oid commit;
  Compilation c;
  Source *source;
} Side;

static int S_fail(const char *fmt, const char *a, const char *b) {
  fputs("ismsc: ", stderr);
  fprintf(stderr, fmt, a, b);
  fputc('\n', stderr);
  return EXIT_USAGE;
}

/* Resolves a revision to a commit. */
static bool S_resolve(git_repository *repo, const char *rev, git_oid *out) {
  git_object *obj = NULL, *commit = NULL;
  bool ok = git_revparse_single(&obj, repo, rev) == 0 &&
            git_object_peel(&commit, obj, GIT_OBJECT_COMMIT) == 0;
  if (ok)
    git_oid_cpy(out, git_object_id(commit));
  git_object_free(commit);
  git_object_free(obj);
  return ok;
}

/* Loads and compiles one side. Returns 0, or the exit status of a failure (reported). */
static int S_load_side(Side *s, git_repository *repo, const char *prefix, const char *tree,
                       Date today) {
  driver_compilation_init(&s->c, today);
  if (s->worktree) {
    if (!load_tree(&s->c.arena, &s->c.diags, tree, &s->c.limits, &s->c.tree))
      return S_fail("cannot read the tree '%s'%s", tree, "");
    driver_compile(&s->c, NULL);
    return 0;
  }
  git_commit *commit = NULL;
  git_tree *subtree = NULL;
  if (git_commit_lookup(&commit, repo, &s->commit) != 0)
    return S_fail("cannot read revision '%s': %s", s->label, gitrepo_error());
  bool ok = gitrepo_subtree(repo, commit, prefix, &subtree);
  git_commit_free(commit);
  if (!ok)
    return S_fail("revision '%s' has no folder '%s'", s->label, prefix);
  s->source = source_git(&s->c.arena, repo, subtree, s->label);
  if (s->source->stat(s->source, "isms.yaml") != SOURCE_FILE)
    return S_fail("revision '%s' has no isms.yaml%s: it holds no ISMS tree", s->label,
                  prefix[0] ? arena_printf(&s->c.arena, " in %s/", prefix) : "");
  load_tree_from(&s->c.arena, &s->c.diags, s->source, &s->c.limits, &s->c.tree);
  GitOrigin origin = {repo, prefix, &s->commit};
  driver_compile(&s->c, &origin);
  return 0;
}

static void S_free_side(Side *s) {
  source_git_free(s->source);
  arena_free(&s->c.arena);
}

typedef struct DiffArgs {
  const char *tree, *rev[2];
  DiffFormat format;
  Options opt; /* --date */
} DiffArgs;

/* Parses the options; returns -1 to go on, else the exit status. */
static int S_parse(int argc, char **argv, DiffArgs *args) {
  static const struct option longopts[] = {
      {"format", required_argument, NULL, 'f'},
      {"date", required_argument, NULL, 'd'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0},
  };
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "C:h", longopts, NULL)) != -1) {
    switch (c) {
    case 'C': args->tree = optarg; break;
    case 'f':
      if (strcmp(optarg, "text") == 0)
        args->format = DIFF_TEXT;
      else if (strcmp(optarg, "markdown") == 0)
        args->format = DIFF_MARKDOWN;
      else if (strcmp(optarg, "json") == 0)
        args->format = DIFF_JSON;
      else
        return S_fail("unknown diff format '%s' (text, markdown, json)%s", optarg, "");
      break;
    case 'd':
      if (!date_parse(optarg, &args->opt.date))
        return S_fail("--date '%s' is not a valid YYYY-MM-DD date%s", optarg, "");
      args->opt.has_date = true;
      break;
    case 'h': fputs(usage, stdout); return EXIT_CLEAN;
    default: fputs(usage, stderr); return EXIT_USAGE;
    }
  }
  for (int i = 0; optind < argc; i++, optind++) {
    if (i == 2)
      return S_fail("unexpected argument '%s'%s", argv[optind], "");
    args->rev[i] = argv[optind];
  }
  return -1;
}

static int S_run(DiffArgs *args, git_repository *repo, const char *prefix, Date today) {
  Side sides[2] = {{.label = args->rev[0] ? args->rev[0] : "HEAD"},
                   {.label = args->rev[1] ? args->rev[1] : "work tree", .worktree = !args->rev[1]}};
  for (int i = 0; i < 2; i++)
    if (!sides[i].worktree && !S_resolve(repo, sides[i].label, &sides[i].commit)) {
      if (i == 0 && !args->rev[0])
        return S_fail("the repository has no commits yet: there is nothing to compare%s%s", "", "");
      return S_fail("unknown revision '%s': %s", sides[i].label, gitrepo_error());
    }
  int status = 0;
  for (int i = 0; i < 2 && !status; i++)
    status = S_load_side(&sides[i], repo, prefix, args->tree, today);
  if (!status) {
    Arena a;
    arena_init(&a);
    DiffResult r = {.from = sides[0].label, .to = sides[1].label};
    diff_models(&a, &sides[0].c.model, &sides[1].c.model, &r);
    diff_render(&r, args->format, stdout);
    fflush(stdout);
    arena_free(&a);
  }
  for (int i = 0; i < 2; i++)
    S_free_side(&sides[i]);
  return status;
}

struct DiffSince {
  git_repository *repo;
  Side side;
  bool loaded; /* side holds a compilation to free */
};

int diff_since(DiffSince **since, const char *tree, const char *rev, Date today, const Model *cur,
               Arena *a, DiffResult *out) {
  DiffSince *s = calloc(1, sizeof *s);
  if (!s)
    abort();
  *since = s;
  const char *prefix = NULL;
  s->repo = gitrepo_open(a, tree, &prefix);
  if (!s->repo)
    return S_fail("--since %s: '%s' is not in a Git repository", rev, tree);
  s->side.label = rev;
  if (!S_resolve(s->repo, rev, &s->side.commit))
    return S_fail("--since: unknown revision '%s': %s", rev, gitrepo_error());
  s->loaded = true;
  int status = S_load_side(&s->side, s->repo, prefix, tree, today);
  if (status)
    return status;
  memset(out, 0, sizeof *out);
  out->from = rev;
  out->to = "work tree";
  diff_models(a, &s->side.c.model, cur, out);
  return 0;
}

void diff_since_free(DiffSince *since) {
  if (!since)
    return;
  if (since->loaded)
    S_free_side(&since->side);
  gitrepo_close(since->repo);
  free(since);
}

int diff_main(int argc, char **argv) {
  DiffArgs args = {.tree = ".", .format = DIFF_TEXT};
  int status = S_parse(argc, argv, &args);
  if (status >= 0)
    return status;
  Date today;
  if (!driver_today(&args.opt, &today))
    return EXIT_USAGE;
  Arena a;
  arena_init(&a);
  /* From inside a tree, its root, as every command finds it; a folder whose work tree has no
   * isms.yaml may still hold one in the revisions compared. */
  Options found = args.opt;
  const char *why;
  if (driver_find_root(&a, args.tree, &found, &why))
    args.tree = found.tree;
  const char *prefix = NULL;
  git_repository *repo = gitrepo_open(&a, args.tree, &prefix);
  if (!repo) {
    arena_free(&a);
    return S_fail("'%s' is not in a Git repository: diff compares revisions of a tree in Git%s",
                  args.tree, "");
  }
  status = S_run(&args, repo, prefix, today);
  gitrepo_close(repo);
  arena_free(&a);
  return status;
}
