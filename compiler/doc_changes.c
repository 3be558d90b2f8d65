/* doc_changes.c - changes.html and changes.docx (`ismsc build --since REV`): the change report
 * an auditor asks for at a surveillance visit, laid out from the same comparison as
 * `ismsc diff REV` (diff.c), in the same order as its text: documents whose content changed
 * (and whose approval went stale), records added, removed, renamed and changed field by
 * field, derived changes, diagnostics introduced and fixed.
 *
 * What must stay true: it says what `ismsc diff REV` says, no more and no less (the two read
 * one DiffResult); records of the new revision link to their home document, records of the
 * old one (removed, fixed diagnostics' files) are plain text, since they are not in this set.
 */
#include <stdlib.h>

#include "diff.h"
#include "doc_build.h"

static const char *S_where(Builder *b, const Loc *loc) {
  return arena_printf(b->a, "%s:%d:%d", loc->file ? loc->file->path : "", loc->line ? loc->line : 1,
                      loc->col ? loc->col : 1);
}

static const char *S_or_none(const char *s) { return s ? s : "(none)"; }

/* A cell naming a record: a link when it is in this set, else its id. */
static void S_record_cell(Builder *b, DocNode *row, const Record *r, bool live) {
  DocNode *cell = db_cell(b, row, NULL);
  if (live)
    doc_link_record(b->a, cell, r, r->id);
  else
    doc_text(b->a, cell, r->id);
}

static void S_summary(Builder *b, DocNode *parent, const DiffResult *r) {
  static const char *const headers[] = {"Change", "Count", NULL};
  DocNode *t = db_table(b, parent, "Summary of changes", headers);
  const struct {
    const char *what;
    size_t n;
  } rows[] = {{"Records added", r->added.len},
              {"Records removed", r->removed.len},
              {"Records renamed", r->renamed.len},
              {"Records changed", r->changed.len},
              {"Documents whose content changed", r->documents.len},
              {"Derived changes", r->derived.len},
              {"Diagnostics introduced", r->introduced.len},
              {"Diagnostics fixed", r->fixed.len}};
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    DocNode *row = db_row(b, t, NULL);
    db_cell(b, row, rows[i].what);
    DocNode *n = db_cell(b, row, arena_printf(b->a, "%zu", rows[i].n));
    n->numeric = true;
    n->value.type = VALUE_NUMBER;
    n->value.number = (double)rows[i].n;
  }
}

static void S_documents(Builder *b, DocNode *parent, const DiffResult *r) {
  if (!r->documents.len)
    return;
  DocNode *s = db_section(b, parent, 2, "Documents whose content changed", "changed-documents");
  static const char *const headers[] = {"Document", "Title", "What changed", "Approval", NULL};
  DocNode *t = db_table(b, s, "Documents whose content changed", headers);
  for (size_t i = 0; i < r->documents.len; i++) {
    const DocumentChange *d = r->documents.items[i];
    DocNode *row = db_row(b, t, NULL);
    S_record_cell(b, row, d->record, true);
    db_cell(b, row, db_title(d->record));
    db_cell(b, row, d->summary);
    DocNode *cell = db_cell(b, row, NULL);
    if (d->stale)
      db_badge(b, cell, "now stale: approve the new content", "stale", TONE_OVERDUE);
    else
      doc_text(b->a, cell, "—");
  }
}

/* Added or removed records: kind, id, title, file. */
static void S_records(Builder *b, DocNode *parent, const char *title, const char *anchor,
                      const PtrVec *v, bool removed) {
  if (!v->len)
    return;
  DocNode *s = db_section(b, parent, 2, title, anchor);
  static const char *const headers[] = {"Kind", "Record", "Title", "Where", NULL};
  DocNode *t = db_table(b, s, title, headers);
  for (size_t i = 0; i < v->len; i++) {
    const RecordDiff *d = v->items[i];
    const Record *rec = removed ? d->old : d->cur;
    DocNode *row = db_row(b, t, NULL);
    db_cell(b, row, kind_name(rec->kind));
    S_record_cell(b, row, rec, !removed);
    db_cell(b, row, db_title(rec));
    db_cell(b, row, S_where(b, &rec->loc));
  }
}

static void S_renamed(Builder *b, DocNode *parent, const DiffResult *r) {
  if (!r->renamed.len)
    return;
  DocNode *s = db_section(b, parent, 2, "Records renamed", "renamed");
  static const char *const headers[] = {"Kind", "Old id", "New id", "Title", NULL};
  DocNode *t = db_table(b, s, "Records renamed", headers);
  for (size_t i = 0; i < r->renamed.len; i++) {
    const RecordDiff *d = r->renamed.items[i];
    DocNode *row = db_row(b, t, NULL);
    db_cell(b, row, kind_name(d->cur->kind));
    db_cell(b, row, d->old->id);
    S_record_cell(b, row, d->cur, true);
    db_cell(b, row, db_title(d->cur));
  }
}

static void S_changed(Builder *b, DocNode *parent, const DiffResult *r) {
  if (!r->changed.len)
    return;
  DocNode *s = db_section(b, parent, 2, "Records changed, field by field", "changed");
  static const char *const headers[] = {"Record", "Field", "Old", "New", "Where", NULL};
  DocNode *t = db_table(b, s, "Records changed, largest change first", headers);
  RecordDiff **sorted = diff_changed_by_size(&r->changed);
  for (size_t i = 0; i < r->changed.len; i++) {
    const RecordDiff *d = sorted[i];
    for (size_t j = 0; j < d->changes.len; j++) {
      const Change *c = d->changes.items[j];
      DocNode *row = db_row(b, t, NULL);
      if (j == 0)
        S_record_cell(b, row, d->cur, true);
      else
        db_cell(b, row, "");
      db_cell(b, row,
              c->field ? c->field
                       : arena_printf(b->a, "body section '%s'",
                                      c->section[0] ? c->section : "(introduction)"));
      db_cell(b, row, S_or_none(c->old_text));
      db_cell(b, row, S_or_none(c->new_text));
      db_cell(b, row, S_where(b, &c->loc));
    }
  }
  free(sorted);
}

static void S_derived(Builder *b, DocNode *parent, const DiffResult *r) {
  if (!r->derived.len)
    return;
  DocNode *s = db_section(b, parent, 2, "Derived changes", "derived");
  static const char *const headers[] = {"Record", "What", "Old", "New", NULL};
  DocNode *t = db_table(b, s, "Derived changes", headers);
  for (size_t i = 0; i < r->derived.len; i++) {
    const DerivedChange *d = r->derived.items[i];
    DocNode *row = db_row(b, t, NULL);
    S_record_cell(b, row, d->record, true);
    db_cell(b, row, d->what);
    db_cell(b, row, d->old_text);
    db_cell(b, row, d->new_text);
  }
}

static void S_diags(Builder *b, DocNode *parent, const char *title, const char *anchor,
                    const PtrVec *v) {
  if (!v->len)
    return;
  DocNode *s = db_section(b, parent, 2, title, anchor);
  static const char *const headers[] = {"Where", "Severity", "Message", "Rule", NULL};
  DocNode *t = db_table(b, s, title, headers);
  for (size_t i = 0; i < v->len; i++) {
    const Diag *d = v->items[i];
    DocNode *row = db_row(b, t, NULL);
    db_cell(b, row, S_where(b, &d->loc));
    db_cell(b, row, severity_name(d->severity));
    db_cell(b, row, d->message);
    db_cell(b, row, d->rule);
  }
}

void doc_build_changes(Builder *b, const Document *d) {
  const DiffResult *r = b->set->changes;
  DocNode *top = db_section(b, d->body, 1, d->title, NULL);
  if (!r) {
    db_para(b, top, "No comparison was asked for (ismsc build --since REV).");
    return;
  }
  db_para(b, top,
          arena_printf(b->a,
                       "What changed from revision %s to the tree this set was built from, "
                       "record by record, as `ismsc diff %s` reports it.",
                       r->from, r->from));
  S_summary(b, top, r);
  S_documents(b, top, r);
  S_records(b, top, "Records added", "added", &r->added, false);
  S_records(b, top, "Records removed", "removed", &r->removed, true);
  S_renamed(b, top, r);
  S_changed(b, top, r);
  S_derived(b, top, r);
  S_diags(b, top, "Diagnostics introduced", "introduced", &r->introduced);
  S_diags(b, top, "Diagnostics fixed", "fixed", &r->fixed);
}
