/* doc_documents.c - builder: the register of controlled documents (documents.html, ISO/IEC
 * 27001 7.5.3).
 *
 * Every controlled document of the set (the generated documents listed under `documents:`,
 * the scope's, each policy) with its number, title, version, owner, approver, approval date,
 * next review and classification, and whether its approval is stale; then the working views,
 * so the register accounts for every document the build writes. It reads the set's control
 * blocks (docs_plan made them before any body) and the run's diagnostics.
 *
 * What must stay true: "stale" is exactly what `ismsc check` reports, an approval-stale
 * finding that is neither off nor silenced by `ignore:`; the register never judges anything
 * itself, and where the rule did not run (no history, or turned off) it says "not judged",
 * never "current". Rows follow the registry's order, so the output is the same on every run.
 */
#include <string.h>

#include "doc_build.h"

/* Is this finding about d's approval? A policy's or the scope's are about its record; a
 * generated document's are at its `documents:` entry's `approved` (or its commit). */
static bool S_about(const Diag *g, const Document *d) {
  const Value *ap = d->control.approval;
  if (d->record && g->record == d->record)
    return true;
  if (!ap || !ap->node)
    return false;
  const Value *commit = &ap->fields[APPROVAL_COMMIT];
  const Loc *at[2] = {&ap->node->loc, commit->node ? &commit->node->loc : NULL};
  for (int i = 0; i < 2; i++)
    if (at[i] && g->loc.file == at[i]->file && g->loc.line == at[i]->line &&
        g->loc.col == at[i]->col)
      return true;
  return false;
}

typedef enum Standing {
  STANDING_CURRENT,
  STANDING_STALE,
  STANDING_UNJUDGED,
  STANDING_NONE
} Standing;

static Standing S_standing(Builder *b, const Document *d) {
  if (!d->control.approval)
    return STANDING_NONE;
  const Diags *diags = b->set->diags;
  bool unjudged = diags && diags_severity(diags, "approval-stale") == SEV_OFF;
  for (size_t i = 0; diags && i < diags->items.len; i++) {
    const Diag *g = diags->items.items[i];
    if (g->severity == SEV_OFF || g->suppressed_by)
      continue;
    if (strcmp(g->rule, "approval-stale") == 0 && S_about(g, d))
      return STANDING_STALE;
    unjudged = unjudged || strcmp(g->rule, "history-unavailable") == 0;
  }
  return unjudged ? STANDING_UNJUDGED : STANDING_CURRENT;
}

static void S_standing_cell(Builder *b, DocNode *row, const Document *d) {
  DocNode *cell = db_cell(b, row, NULL);
  switch (S_standing(b, d)) {
  case STANDING_STALE: db_badge(b, cell, "stale", "stale", TONE_OVERDUE); break;
  case STANDING_CURRENT: db_badge(b, cell, "current", "current", TONE_DONE); break;
  case STANDING_UNJUDGED: doc_text(b->a, cell, "not judged"); break;
  case STANDING_NONE: doc_text(b->a, cell, "not approved"); break;
  }
}

/* The document's title, linked to it: a record's page through its route, else its file. */
static void S_title_cell(Builder *b, DocNode *row, const Document *d) {
  DocNode *cell = db_cell(b, row, NULL);
  if (d->record) {
    doc_link_record(b->a, cell, d->record, d->title);
    return;
  }
  DocNode *link = doc_add(cell, doc_new(b->a, DOC_LINK));
  link->href = arena_printf(b->a, "%s.html", d->name);
  doc_text(b->a, link, d->title ? d->title : d->name);
}

static void S_controlled_row(Builder *b, DocNode *table, const Document *d) {
  const DocControl *c = &d->control;
  DocNode *row = db_row(b, table, NULL);
  db_cell(b, row, c->number);
  S_title_cell(b, row, d);
  const char *const texts[] = {c->version,       c->owner,       c->approver,
                               c->approved_date, c->next_review, c->classification};
  for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
    db_cell(b, row, texts[i] ? texts[i] : "");
  S_standing_cell(b, row, d);
}

static void S_working_row(Builder *b, DocNode *table, const Document *d) {
  DocNode *row = db_row(b, table, NULL);
  db_cell(b, row, d->control.number);
  S_title_cell(b, row, d);
  db_cell(b, row, d->control.owner ? d->control.owner : "");
  db_cell(b, row, d->control.classification);
}

/* The scope is a controlled document whether or not the set has a page of its own for it
 * (the overview shows it otherwise): a row made from its record when no document is its. */
static Document *S_scope_without_page(Builder *b) {
  const Record *scope = model_scope(b->m);
  if (!scope)
    return NULL;
  const PtrVec *docs = &b->set->documents;
  for (size_t i = 0; i < docs->len; i++) {
    const Document *x = docs->items[i];
    if (x->control.controlled && x->control.id && strcmp(x->control.id, scope->id) == 0)
      return NULL;
  }
  Document *row = arena_alloc(b->a, sizeof *row);
  row->record = scope;
  row->title = db_title(scope);
  row->name = scope->id;
  db_record_control(b, &row->control, scope);
  return row;
}

void doc_build_documents(Builder *b, const Document *d) {
  DocNode *top = db_section(b, d->body, 1, d->title, NULL);
  const PtrVec *docs = &b->set->documents;
  Document *scope = S_scope_without_page(b);
  size_t controlled = scope != NULL;
  for (size_t i = 0; i < docs->len; i++)
    controlled += ((const Document *)docs->items[i])->control.controlled;
  db_para(b, top,
          arena_printf(b->a,
                       "%zu controlled document%s: the generated documents listed under "
                       "documents: in isms.yaml, the scope and the policies, each with its "
                       "own number, version and approval. An approval is stale when "
                       "ismsc check finds that the content changed after it (approval-stale).",
                       controlled, controlled == 1 ? "" : "s"));
  static const char *const ch[] = {"Number",      "Title",       "Version",     "Owner",
                                   "Approved by", "Approved on", "Next review", "Classification",
                                   "Approval",    NULL};
  DocNode *s = db_section(b, top, 2, "Controlled documents", "controlled");
  DocNode *t = db_table(b, s, "Controlled documents", ch);
  for (size_t i = 0; i < docs->len; i++)
    if (((const Document *)docs->items[i])->control.controlled)
      S_controlled_row(b, t, docs->items[i]);
  if (scope)
    S_controlled_row(b, t, scope);
  static const char *const wh[] = {"Number", "Title", "Owner", "Classification", NULL};
  DocNode *w = db_section(b, top, 2, "Working views", "working");
  db_para(b, w,
          "Built from the records as they are, with no approval of their own; they show "
          "the revision they were built from.");
  DocNode *wt = db_table(b, w, "Working views", wh);
  for (size_t i = 0; i < docs->len; i++) {
    const Document *x = docs->items[i];
    if (!x->control.controlled && (x->type->formats & DOC_HTML))
      S_working_row(b, wt, x);
  }
}
