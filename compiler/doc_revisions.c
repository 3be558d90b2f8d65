/* doc_revisions.c - each document's revision history table (SPEC §3, §5), built from the
 * build's one walk of the Git history (history.c) as document nodes, so every renderer lays
 * it out like any other table.
 *
 * A row is a commit that changed the document's content or set its version or approval,
 * newest first: version, date, author, approver, the commit's subject, the commit. A
 * per-record document (a policy, a review) follows its record's file: history_timeline says
 * which commits changed its content, version or approval. A generated document's content is
 * the records it is built from (doc_content.h; the scope document is its record's): a commit that
 * changed a file in a folder holding records of those kinds is a row, and so is one that changed
 * its version or approval in isms.yaml (`documents:`, else the manifest's own); the version and
 * approver shown are isms.yaml's at that commit.
 *
 * What must stay true: the history is only read, under one lock (the documents are built on
 * several threads and History caches what it loads); at most MAX_ROWS rows, and the table
 * says so when there were more; outside a repository (or with no commits) the history is one
 * line saying so. Same repository, same table: nothing here depends on the clock.
 */
#include <pthread.h>
#include <string.h>

#include "doc_build.h"
#include "doc_content.h"
#include "history.h"

enum { MAX_ROWS = 50 };

static pthread_mutex_t S_lock = PTHREAD_MUTEX_INITIALIZER;

/* What a generated document is built from: doc_content.h's table, the one the Git rules
 * judge it by. A commit is a row when it changed a file in a folder holding records of its
 * kinds, or isms.yaml when the document shows manifest settings. */
typedef struct Contents {
  const Kind *kinds;
  size_t nkinds;
  bool manifest;
} Contents;

static Contents S_contents_of(const char *part) {
  const DocContent *c = doc_content(part);
  return (Contents){c->kinds, c->nkinds, c->nmanifest > 0};
}

/* The dashboard and the change report are views, not controlled documents. */
static bool S_has_history(const char *part) {
  return strcmp(part, "index") != 0 && strcmp(part, "changes") != 0;
}

/* The record a document is about: a per-record document's, or the scope's for the scope
 * document (its own record is its document control, SPEC §3). */
static const Record *S_own_record(Builder *b, const Document *d) {
  const Record *r = d->record;
  if (!r && strcmp(d->type->part, "scope") == 0)
    r = model_scope(b->m);
  return r && r->raw && r->raw->file && r->id ? r : NULL;
}

/* One row, before it is laid out. */
typedef struct Row {
  size_t commit;
  const char *version, *approver;
} Row;

static const char *S_by(const Value *approved) {
  return approved && approved->ok && approved->fields[APPROVAL_BY].ok
             ? approved->fields[APPROVAL_BY].str
             : NULL;
}

/* A per-record document: the commits that changed its record's content, version or
 * approval. Returns the rows, at most MAX_ROWS + 1 (one more says the table was cut). */
static size_t S_record_rows(History *h, const Record *r, Row *rows) {
  TimelineEntry entries[4 * MAX_ROWS];
  size_t n = history_timeline(h, r->raw->file->path, r->id, entries, 4 * MAX_ROWS);
  int vf = r->kind == KIND_POLICY ? POLICY_VERSION : r->kind == KIND_SCOPE ? SCOPE_VERSION : -1;
  int af = r->kind == KIND_POLICY ? POLICY_APPROVED : r->kind == KIND_SCOPE ? SCOPE_APPROVED : -1;
  size_t nrow = 0;
  for (size_t i = 0; i < n && nrow <= MAX_ROWS; i++) {
    const TimelineEntry *e = &entries[i];
    if (!e->record || !(e->content_changed || e->version_changed || e->approval_changed))
      continue;
    /* A commit that changed the content but not the approval is not what the approver
     * approved: naming them on its row would read as if they had. */
    const char *by = af < 0                                       ? NULL
                     : e->content_changed && !e->approval_changed ? "not approved"
                                                                  : S_by(rec_field(e->record, af));
    rows[nrow++] = (Row){e->commit, vf >= 0 ? rec_str(e->record, vf) : NULL, by};
  }
  return nrow;
}

/* isms.yaml's version and approval for the document `part` at commit k: its entry under
 * `documents:` when it has one, else the manifest's own. */
static void S_manifest_control(History *h, const char *path, const char *part, size_t k,
                               const char **version, const Value **approved) {
  *version = NULL;
  *approved = NULL;
  const Record *mf = path ? history_manifest_at(h, path, k) : NULL;
  if (!mf)
    return;
  const Value *docs = rec_field(mf, MANIFEST_DOCUMENTS);
  for (size_t i = 0; docs->ok && i < docs->count; i++) {
    const Value *d = &docs->items[i];
    if (d->ok && d->str && strcmp(d->str, part) == 0 && d->fields) {
      *version = d->fields[DOCCTL_VERSION].ok ? d->fields[DOCCTL_VERSION].str : NULL;
      *approved = &d->fields[DOCCTL_APPROVED];
      return;
    }
  }
  *version = rec_str(mf, MANIFEST_VERSION);
  *approved = rec_field(mf, MANIFEST_APPROVED);
}

static bool S_same_text(const char *a, const char *b) {
  return a == b || (a && b && strcmp(a, b) == 0);
}

/* Did commit k give the file a new blob? */
static bool S_file_changed_at(History *h, const char *path, size_t k) {
  git_oid blob;
  size_t since;
  const char *then;
  return path && history_version_at(h, path, k, &blob, &since, &then) && since == k;
}

/* The folders holding the model's records of these kinds, each once. */
static size_t S_folders(Builder *b, const Kind *kinds, size_t nkinds, const char ***out) {
  size_t cap = 8, n = 0;
  const char **folders = arena_alloc(b->a, cap * sizeof *folders);
  for (size_t i = 0; i < nkinds; i++) {
    const PtrVec *records = &b->m->by_kind[kinds[i]];
    for (size_t j = 0; j < records->len; j++) {
      const Record *r = records->items[j];
      if (!r->raw || !r->raw->file)
        continue;
      const char *path = r->raw->file->path, *slash = strrchr(path, '/');
      size_t len = slash ? (size_t)(slash - path) : 0;
      bool seen = false;
      for (size_t k = 0; k < n && !seen; k++)
        seen = strlen(folders[k]) == len && strncmp(folders[k], path, len) == 0;
      if (seen)
        continue;
      if (n == cap) {
        const char **grown = arena_alloc(b->a, 2 * cap * sizeof *grown);
        memcpy(grown, folders, n * sizeof *grown);
        folders = grown;
        cap *= 2;
      }
      folders[n++] = arena_strndup(b->a, path, len);
    }
  }
  *out = folders;
  return n;
}

/* A generated document: the commits that changed a folder of its records, or its version or
 * approval in isms.yaml. */
static size_t S_generated_rows(Builder *b, History *h, const char *part, Row *rows) {
  Contents contents = S_contents_of(part), *what = &contents;
  const char **folders;
  size_t nfolders = S_folders(b, what->kinds, what->nkinds, &folders);
  bool *changed = arena_alloc(b->a, (h->ncommit + 1) * sizeof *changed);
  history_folders_changed(h, folders, nfolders, changed);
  const Tree *t = b->m->tree;
  const char *manifest = t && t->manifest_file ? t->manifest_file->path : NULL;
  const char *older_version = NULL, *older_by = NULL, *older_date = NULL;
  size_t nrow = 0;
  Row *all = arena_alloc(b->a, (h->ncommit + 1) * sizeof *all);
  for (size_t k = h->ncommit; k-- > 0;) { /* oldest first, to compare with the commit before */
    const char *version;
    const Value *approved;
    S_manifest_control(h, manifest, part, k, &version, &approved);
    const char *by = S_by(approved);
    const char *date =
        approved && approved->ok ? db_date(b, &approved->fields[APPROVAL_DATE]) : NULL;
    bool control = k == h->ncommit - 1 || !S_same_text(version, older_version) ||
                   !S_same_text(by, older_by) || !S_same_text(date, older_date);
    older_version = version;
    older_by = by;
    older_date = date;
    all[k] = (Row){k, version, by};
    changed[k] = changed[k] || control || (what->manifest && S_file_changed_at(h, manifest, k));
  }
  for (size_t k = 0; k < h->ncommit && nrow <= MAX_ROWS; k++)
    if (changed[k])
      rows[nrow++] = all[k];
  return nrow;
}

/* Why the history stops where it does, or NULL when it reaches the first commit. */
static const char *S_reach(Builder *b, const History *h) {
  if (h->end == HISTORY_ROOT || !h->ncommit)
    return NULL;
  const HistCommit *c = &h->commits[h->ncommit - 1];
  return arena_printf(b->a, "The history read stops at commit %s of %04d-%02d-%02d (%s).",
                      c->short_hex, c->date.year, c->date.month, c->date.day,
                      h->end == HISTORY_CUT ? "history.max_commits"
                                            : "a shallow clone: older commits are not in it");
}

static void S_table(Builder *b, DocNode *section, const History *h, const Row *rows, size_t n) {
  static const char *const headers[] = {"Version", "Date",   "Author", "Approved by",
                                        "Change",  "Commit", NULL};
  bool cut = n > MAX_ROWS;
  if (cut)
    n = MAX_ROWS;
  if (cut)
    db_para(b, section,
            arena_printf(b->a, "The latest %d revisions; older ones are in the Git history.",
                         MAX_ROWS));
  const char *reach = S_reach(b, h);
  if (reach && !cut)
    db_para(b, section, reach);
  if (!n) {
    db_para(b, section, "No commit in the history read changed this document.");
    return;
  }
  DocNode *table = db_table(b, section, "Revision history", headers);
  table->cls = "revisions";
  for (size_t i = 0; i < n; i++) {
    const HistCommit *c = &h->commits[rows[i].commit];
    DocNode *row = db_row(b, table, NULL);
    db_cell(b, row, db_or(rows[i].version, "—"));
    db_day_cell(b, row, c->date);
    db_cell(b, row, db_or(c->author, "—"));
    db_cell(b, row, db_or(rows[i].approver, "—"));
    db_cell(b, row, db_or(c->subject, "—"));
    db_cell(b, row, c->short_hex);
  }
}

void db_revision_history(Builder *b, DocNode *parent) {
  const Document *d = b->doc;
  if (!S_has_history(d->type->part))
    return;
  GitHistory *g = b->set->history;
  if (!g || !g->walked) {
    db_para(b, parent,
            arena_printf(b->a, "Revision history: %s.",
                         g && g->why_not ? g->why_not : "not under version control"));
    return;
  }
  DocNode *section = db_section(b, parent, 2, "Revision history", "revision-history");
  Row *rows = arena_alloc(b->a, (MAX_ROWS + 2) * sizeof *rows);
  pthread_mutex_lock(&S_lock);
  const Record *own = S_own_record(b, d);
  size_t n =
      own ? S_record_rows(&g->h, own, rows) : S_generated_rows(b, &g->h, d->type->part, rows);
  S_table(b, section, &g->h, rows, n);
  pthread_mutex_unlock(&S_lock);
}
