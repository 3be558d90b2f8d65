/* git_rules.c - the document control rules that need Git history (SPEC §2, §5):
 * approval-stale, acceptance-stale and version-unchanged.
 *
 * An approval {by, date} approves the content as of the last commit on or before its date
 * (or its exact `commit:`); a risk acceptance accepts the likelihood, impact and residual as
 * of its date. A date before the first commit the history reaches is judged against that
 * first commit, or against the record's first committed version when it came later.
 *
 * What must stay true: nothing is walked or parsed unless a rule has something to judge and
 * is not turned off; a past version is loaded only when its blob differs from the file as it
 * is now; outside a repository, in a repository with no commits, and in a shallow clone that
 * lacks the commit a judgement needs, the rules say so once, as a note, and do not guess.
 * Judged: policies and the scope (their records), and the generated documents listed under
 * `documents:` (their content is the records they are built from, doc_content.h; a document
 * entered document control with the first commit that lists it, so an approval older than
 * that approves what it listed then).
 */
#include "git_rules.h"

#include <string.h>

#include "compare.h"
#include "doc.h"
#include "doc_content.h"
#include "history.h"

enum { DEFAULT_MAX_COMMITS = 2000 };

typedef struct Judge {
  Model *m;
  History *h;
  size_t unjudged; /* judgements a shallow history could not make */
} Judge;

static bool S_on(const Model *m, const char *rule) {
  return diags_severity(m->diags, rule) != SEV_OFF;
}

static int S_version_field(Kind k) { return k == KIND_POLICY ? POLICY_VERSION : SCOPE_VERSION; }
static int S_approval_field(Kind k) { return k == KIND_POLICY ? POLICY_APPROVED : SCOPE_APPROVED; }

static bool S_is_document(const Record *r) {
  return (r->kind == KIND_POLICY || r->kind == KIND_SCOPE) && r->raw && r->id;
}

/* The `documents:` entries of generated documents, those the registry can list. */
static const Value *S_documents(const Model *m) {
  const Value *docs = m->manifest ? rec_field(m->manifest, MANIFEST_DOCUMENTS) : NULL;
  return docs && docs->ok ? docs : NULL;
}

static bool S_is_listed(const Value *entry) {
  const DocType *t = entry->ok ? doc_type_find(entry->str) : NULL;
  return t && doc_type_listable(t);
}

/* Is there anything for the rules to judge? */
static bool S_anything_to_judge(const Model *m) {
  bool approvals = S_on(m, "approval-stale"), versions = S_on(m, "version-unchanged");
  bool acceptances = S_on(m, "acceptance-stale");
  const Value *docs = S_documents(m);
  for (size_t i = 0; docs && i < docs->count; i++)
    if (S_is_listed(&docs->items[i]) && ((approvals && docs->items[i].fields[DOCCTL_APPROVED].ok) ||
                                         (versions && docs->items[i].fields[DOCCTL_VERSION].ok)))
      return true;
  for (size_t i = 0; i < m->records.len; i++) {
    const Record *r = m->records.items[i];
    if (S_is_document(r) && ((approvals && rec_has(r, S_approval_field(r->kind))) ||
                             (versions && rec_has(r, S_version_field(r->kind)))))
      return true;
    if (r->kind == KIND_RISK && r->raw && r->id && acceptances && rec_has(r, RISK_ACCEPTANCE))
      return true;
  }
  return false;
}

static Loc S_manifest_loc(const Model *m) {
  Loc loc = {m->tree->manifest_file, 0, 0};
  return loc;
}

static void S_note(Model *m, const char *why) {
  diag_report(m->diags, NULL, S_manifest_loc(m), "history-unavailable",
              "approval-stale, acceptance-stale and version-unchanged did not run: %s", why);
}

/* The commit a dated (or committed) judgement binds to, or -1 when the history cannot say. */
static long S_bound_commit(Judge *j, const Value *date, const char *commit) {
  History *h = j->h;
  long k = commit ? history_commit_by_id(h, commit) : history_commit_on(h, date->date);
  if (k >= 0)
    return k;
  if (h->end == HISTORY_SHALLOW) {
    j->unjudged++;
    return -1;
  }
  if (commit)
    return -2;                 /* a commit that is not in the history: reported by the caller */
  return (long)h->ncommit - 1; /* before the history: judged against its first commit */
}

/* The record as of commit k, else its first committed version after k (in the newer
 * versions of its file, or at the newest commit). */
static const Record *S_record_as_of(Judge *j, const Record *r, long k, long *at) {
  const char *path = r->raw->file->path;
  long c = history_first_version_after(j->h, path, (size_t)k);
  while (c >= 0) {
    const Record *old = history_record_at(j->h, path, r->id, (size_t)c);
    if (old) {
      *at = c;
      return old;
    }
    git_oid blob;
    size_t since;
    const char *then;
    if (c == 0 || !history_version_at(j->h, path, (size_t)c - 1, &blob, &since, &then))
      return NULL;
    c = (long)since; /* the next newer version of the file */
  }
  return NULL;
}

/* Is the file at commit k byte for byte what it is now? Then nothing changed since. */
static bool S_unchanged_since(Judge *j, const Record *r, long k) {
  git_oid blob;
  size_t since;
  const char *then;
  return history_version_at(j->h, r->raw->file->path, (size_t)k, &blob, &since, &then) &&
         strcmp(then, r->raw->file->path) == 0 && history_file_is_blob(j->h, r->raw->file, &blob);
}

static const char *S_commit_text(Arena *a, const HistCommit *c) {
  return arena_printf(a, "commit %s of %04d-%02d-%02d, \"%s\"", c->short_hex, c->date.year,
                      c->date.month, c->date.day, c->subject);
}

static void S_judge_approval(Judge *j, const Record *r) {
  const Value *ap = rec_field(r, S_approval_field(r->kind));
  const Value *by = &ap->fields[APPROVAL_BY], *date = &ap->fields[APPROVAL_DATE];
  const Value *commit = &ap->fields[APPROVAL_COMMIT];
  if (!date->ok && !commit->ok)
    return;
  long k = S_bound_commit(j, date, commit->ok ? commit->str : NULL);
  if (k == -2) {
    diag_report(j->m->diags, r, commit->node->loc, "approval-stale",
                "'%s' is approved at commit '%s', which is not in the first-parent history "
                "of %s",
                r->id, commit->str, j->h->commits[0].short_hex);
    return;
  }
  if (k < 0)
    return;
  if (S_unchanged_since(j, r, k))
    return; /* the file is as it was approved */
  long at = k;
  const Record *old = S_record_as_of(j, r, k, &at);
  if (!old)
    return; /* never committed: approved with the change that adds it */
  PtrVec changes = {0};
  record_changes(j->m->arena, old, r, true, &changes);
  if (!changes.len)
    return;
  Arena *a = j->m->arena;
  char day[11] = "";
  if (date->ok)
    date_format(&date->date, day);
  diag_report(j->m->diags, r, ap->node->loc, "approval-stale",
              "'%s' changed after its approval%s%s%s%s (it approved %s): %s; approve the new "
              "content or undo the change",
              r->id, by->ok ? " by " : "", by->ok ? by->str : "", date->ok ? " on " : "", day,
              S_commit_text(a, &j->h->commits[at]), changes_summary(a, &changes));
}

/* The oldest version, going back from now, whose version is still the current one. */
static void S_judge_version(Judge *j, const Record *r) {
  int vf = S_version_field(r->kind);
  const Value *v = rec_field(r, vf);
  const FieldSpec *spec = &schema_table(r->kind)->fields[vf];
  const char *path = r->raw->file->path;
  const Record *set = NULL;
  long set_at = -1;
  for (long k = 0; k >= 0 && (size_t)k < j->h->ncommit;) {
    git_oid blob;
    size_t since;
    const char *then;
    if (!history_version_at(j->h, path, (size_t)k, &blob, &since, &then))
      break;
    const Record *old = history_record_at(j->h, path, r->id, since);
    if (!old || !value_equal(spec, rec_field(old, vf), v))
      break;
    set = old;
    set_at = (long)since;
    k = (long)since + 1;
  }
  if (!set)
    return; /* the version was set after the last commit: nothing to compare */
  if (set_at == (long)j->h->ncommit - 1 && j->h->end == HISTORY_SHALLOW) {
    j->unjudged++; /* it may have been set further back than this clone reaches */
    return;
  }
  PtrVec changes = {0};
  record_changes(j->m->arena, set, r, true, &changes);
  if (!changes.len)
    return;
  diag_report(j->m->diags, r, v->node->loc, "version-unchanged",
              "'%s' changed since version %s was set (%s): %s; give the new content a new "
              "version",
              r->id, v->str, S_commit_text(j->m->arena, &j->h->commits[set_at]),
              changes_summary(j->m->arena, &changes));
}

static void S_judge_acceptance(Judge *j, const Record *r, long k) {
  const Value *acc = rec_field(r, RISK_ACCEPTANCE);
  const Value *by = &acc->fields[ACCEPTANCE_BY], *date = &acc->fields[ACCEPTANCE_DATE];
  if (k < 0 || S_unchanged_since(j, r, k))
    return;
  long at = k;
  const Record *old = S_record_as_of(j, r, k, &at);
  if (!old)
    return;
  static const int fields[] = {RISK_LIKELIHOOD, RISK_IMPACT, RISK_RESIDUAL};
  const FieldTable *t = schema_table(KIND_RISK);
  Arena *a = j->m->arena;
  const char *what = "";
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
    const FieldSpec *spec = &t->fields[fields[i]];
    const Value *o = rec_field(old, fields[i]), *c = rec_field(r, fields[i]);
    if (value_equal(spec, o, c))
      continue;
    const char *ot = value_text(a, spec, o), *ct = value_text(a, spec, c);
    what = arena_printf(a, "%s%s%s %s -> %s", what, what[0] ? ", " : "", spec->name,
                        ot ? ot : "(none)", ct ? ct : "(none)");
  }
  if (!what[0])
    return;
  char day[11];
  date_format(&date->date, day);
  diag_report(j->m->diags, r, acc->node->loc, "acceptance-stale",
              "'%s' was reassessed after its acceptance%s%s on %s (it accepted %s): %s; the "
              "acceptance must be renewed for the new assessment",
              r->id, by->ok ? " by " : "", by->ok ? by->str : "", day,
              S_commit_text(a, &j->h->commits[at]), what);
}

/* ---------------------------------------------------------------- generated documents */

/* isms.yaml's path in the tree, as the walk tracks it. */
static const char *S_manifest_path(const Model *m) {
  return m->tree && m->tree->manifest_file ? m->tree->manifest_file->path : "isms.yaml";
}

/* The `documents:` entry of `part` in isms.yaml as of commit k, or NULL. */
static const Value *S_entry_at(Judge *j, const char *part, size_t k) {
  const Record *mf = history_manifest_at(j->h, S_manifest_path(j->m), k);
  const Value *docs = mf ? rec_field(mf, MANIFEST_DOCUMENTS) : NULL;
  for (size_t i = 0; docs && docs->ok && i < docs->count; i++)
    if (docs->items[i].ok && strcmp(docs->items[i].str, part) == 0)
      return &docs->items[i];
  return NULL;
}

/* The oldest commit at or after k (index <= k) whose isms.yaml lists the part: the document
 * entered document control there. -1 when no commit does (it is listed in uncommitted work). */
static long S_first_listed(Judge *j, const char *part, long k) {
  for (long c = k; c >= 0; c--) /* each isms.yaml is bound once: history_manifest_at caches */
    if (S_entry_at(j, part, (size_t)c))
      return c;
  return -1;
}

/* "'soa' (Statement of Applicability)": how a message names a generated document. */
static const char *S_doc_name(Arena *a, const char *part) {
  const DocType *t = doc_type_find(part);
  return t && t->title ? arena_printf(a, "'%s' (%s)", part, t->title)
                       : arena_printf(a, "'%s'", part);
}

static void S_judge_generated_approval(Judge *j, const Value *entry) {
  const Value *ap = &entry->fields[DOCCTL_APPROVED];
  const Value *by = &ap->fields[APPROVAL_BY], *date = &ap->fields[APPROVAL_DATE];
  const Value *commit = &ap->fields[APPROVAL_COMMIT];
  if (!date->ok && !commit->ok)
    return;
  Arena *a = j->m->arena;
  long k = S_bound_commit(j, date, commit->ok ? commit->str : NULL);
  if (k == -2) {
    diag_report(j->m->diags, j->m->manifest, commit->node->loc, "approval-stale",
                "%s is approved at commit '%s', which is not in the first-parent history of %s",
                S_doc_name(a, entry->str), commit->str, j->h->commits[0].short_hex);
    return;
  }
  long at = k < 0 ? -1 : S_first_listed(j, entry->str, k);
  if (at < 0)
    return; /* not committed under control yet: approved with the change that lists it */
  const char *what = doc_content_changes(j->h, j->m, doc_content(entry->str), (size_t)at);
  if (!what)
    return;
  char day[11] = "";
  if (date->ok)
    date_format(&date->date, day);
  diag_report(j->m->diags, j->m->manifest, ap->node->loc, "approval-stale",
              "%s changed after its approval%s%s%s%s (it approved %s): %s; approve the new "
              "content or undo the change",
              S_doc_name(a, entry->str), by->ok ? " by " : "", by->ok ? by->str : "",
              date->ok ? " on " : "", day, S_commit_text(a, &j->h->commits[at]), what);
}

/* The oldest version of isms.yaml, going back from now, whose entry has the current version. */
static void S_judge_generated_version(Judge *j, const Value *entry) {
  const Value *v = &entry->fields[DOCCTL_VERSION];
  const FieldSpec *spec = &document_control_table.fields[DOCCTL_VERSION];
  long set_at = -1;
  for (long k = 0; k >= 0 && (size_t)k < j->h->ncommit;) {
    git_oid blob;
    size_t since;
    const char *then;
    if (!history_version_at(j->h, S_manifest_path(j->m), (size_t)k, &blob, &since, &then))
      break;
    const Value *old = S_entry_at(j, entry->str, since);
    if (!old || !value_equal(spec, &old->fields[DOCCTL_VERSION], v))
      break;
    set_at = (long)since;
    k = (long)since + 1;
  }
  if (set_at < 0)
    return; /* the version was set after the last commit: nothing to compare */
  if (set_at == (long)j->h->ncommit - 1 && j->h->end == HISTORY_SHALLOW) {
    j->unjudged++;
    return;
  }
  const char *what = doc_content_changes(j->h, j->m, doc_content(entry->str), (size_t)set_at);
  if (!what)
    return;
  diag_report(j->m->diags, j->m->manifest, v->node->loc, "version-unchanged",
              "%s changed since version %s was set (%s): %s; give the new content a new "
              "version",
              S_doc_name(j->m->arena, entry->str), v->str,
              S_commit_text(j->m->arena, &j->h->commits[set_at]), what);
}

static void S_judge_generated(Judge *j) {
  const Value *docs = S_documents(j->m);
  for (size_t i = 0; docs && i < docs->count; i++) {
    const Value *entry = &docs->items[i];
    if (!S_is_listed(entry))
      continue;
    if (S_on(j->m, "approval-stale") && entry->fields[DOCCTL_APPROVED].ok)
      S_judge_generated_approval(j, entry);
    if (S_on(j->m, "version-unchanged") && entry->fields[DOCCTL_VERSION].ok)
      S_judge_generated_version(j, entry);
  }
}

static size_t S_max_commits(const Model *m) {
  if (!m->manifest)
    return DEFAULT_MAX_COMMITS;
  const Value *hist = rec_field(m->manifest, MANIFEST_HISTORY);
  if (hist->ok && hist->fields[HISTORY_MAX_COMMITS].ok && hist->fields[HISTORY_MAX_COMMITS].num > 0)
    return (size_t)hist->fields[HISTORY_MAX_COMMITS].num;
  return DEFAULT_MAX_COMMITS;
}

/* The files the walk follows: the controlled documents' (their versions are needed one after
 * another); for a build's revision histories also the other per-record documents' (reviews)
 * and the manifest (also when generated documents are listed: their versions and
 * approvals, one after another). Risks are looked up at one commit each. */
static const char *const *S_tracked(const Model *m, bool documents, size_t *n) {
  const char **paths = arena_alloc(m->arena, (m->records.len + 2) * sizeof *paths);
  HashMap seen;
  hashmap_init(&seen);
  *n = 0;
  for (size_t i = 0; i < m->records.len; i++) {
    const Record *r = m->records.items[i];
    bool follow = S_is_document(r) || (documents && r->raw && r->id && r->kind == KIND_REVIEW);
    if (follow && !hashmap_put(m->arena, &seen, r->raw->file->path, (void *)r))
      paths[(*n)++] = r->raw->file->path;
  }
  const char *manifest = m->tree && m->tree->manifest_file ? m->tree->manifest_file->path : NULL;
  if ((documents || S_documents(m)) && manifest && !hashmap_get(&seen, manifest))
    paths[(*n)++] = manifest;
  return paths;
}

typedef struct Acceptance {
  const Record *risk;
  long commit;
} Acceptance;

static int S_by_commit(const void *a, const void *b) {
  const Acceptance *x = a, *y = b;
  return x->commit < y->commit ? -1 : x->commit > y->commit;
}

/* Acceptances judged grouped by commit, so each commit's folder is read once. */
static void S_judge_acceptances(Judge *j) {
  Model *m = j->m;
  Acceptance *list = arena_alloc(m->arena, (m->records.len + 1) * sizeof *list);
  size_t n = 0;
  for (size_t i = 0; i < m->records.len; i++) {
    const Record *r = m->records.items[i];
    if (r->kind != KIND_RISK || !r->raw || !r->id || !rec_has(r, RISK_ACCEPTANCE))
      continue;
    const Value *date = &rec_field(r, RISK_ACCEPTANCE)->fields[ACCEPTANCE_DATE];
    if (date->ok)
      list[n++] = (Acceptance){r, S_bound_commit(j, date, NULL)};
  }
  if (n)
    qsort(list, n, sizeof *list, S_by_commit);
  for (size_t i = 0; i < n; i++)
    S_judge_acceptance(j, list[i].risk, list[i].commit);
}

/* Judges the model against a walked history. */
static void S_judge(Model *m, History *h) {
  Judge j = {m, h, 0};
  for (size_t i = 0; i < m->records.len; i++) {
    const Record *r = m->records.items[i];
    if (!S_is_document(r))
      continue;
    if (S_on(m, "approval-stale") && rec_has(r, S_approval_field(r->kind)))
      S_judge_approval(&j, r);
    if (S_on(m, "version-unchanged") && rec_has(r, S_version_field(r->kind)))
      S_judge_version(&j, r);
  }
  S_judge_generated(&j);
  if (S_on(m, "acceptance-stale"))
    S_judge_acceptances(&j);
  if (j.unjudged)
    S_note(m, arena_printf(m->arena,
                           "%zu judgement%s need%s commits older than this shallow clone "
                           "holds (fetch the whole history: git fetch --unshallow)",
                           j.unjudged, j.unjudged == 1 ? "" : "s", j.unjudged == 1 ? "s" : ""));
}

/* Walks the history from start; false (after the note, when a rule needed it) when it
 * cannot be read. */
static bool S_walk(Model *m, History *h, git_repository *repo, const char *prefix,
                   const git_oid *start, bool documents, bool judging) {
  size_t ntracked;
  const char *const *tracked = S_tracked(m, documents, &ntracked);
  if (history_walk(h, m->arena, repo, prefix, start, S_max_commits(m), m, tracked, ntracked))
    return true;
  if (judging)
    S_note(m, arena_printf(m->arena, "its history cannot be read: %s", gitrepo_error()));
  history_free(h);
  return false;
}

void git_rules_run(Model *m, git_repository *repo, const char *prefix, const git_oid *start) {
  if (!S_anything_to_judge(m))
    return;
  if (!repo) {
    S_note(m, "the tree is not in a Git repository");
    return;
  }
  if (!start) {
    S_note(m, "the repository has no commits yet");
    return;
  }
  History h;
  if (!S_walk(m, &h, repo, prefix, start, false, true))
    return;
  S_judge(m, &h);
  history_free(&h);
}

void git_rules_run_worktree(Model *m, const char *folder, GitHistory *keep) {
  bool judging = S_anything_to_judge(m);
  if (!judging && !keep) /* before opening anything: most checks stop here */
    return;
  const char *prefix = NULL;
  git_repository *repo = gitrepo_open(m->arena, folder, &prefix);
  git_oid head;
  bool born = repo && git_reference_name_to_id(&head, repo, "HEAD") == 0;
  if (!keep) {
    git_rules_run(m, repo, prefix, born ? &head : NULL);
    gitrepo_close(repo);
    return;
  }
  memset(keep, 0, sizeof *keep);
  keep->repo = repo;
  keep->why_not = !repo ? "not under version control" : "no commits yet";
  if (!repo || !born) {
    if (judging)
      git_rules_run(m, repo, prefix, NULL);
    return;
  }
  keep->walked = S_walk(m, &keep->h, repo, prefix, &head, true, judging);
  if (!keep->walked)
    keep->why_not = "the history cannot be read";
  else if (judging)
    S_judge(m, &keep->h);
}
