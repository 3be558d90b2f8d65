/* doc_review.c - a management review's record (SPEC §3, reviews/ID.html/.docx; ISO/IEC
 * 27001 9.3): when it was held, who chaired and attended, its inputs a-g of 9.3.2 as the
 * review recorded them, and its decisions with owners, due dates and status (9.3.3).
 *
 * One document per review record (a per-record row of the registry, like the policies).
 * A decision past due and neither done nor cancelled is flagged in the overdue tone.
 */
#include <string.h>

#include "doc_build.h"

bool db_decision_overdue(Builder *b, const Value *f) {
  const char *status = f[DECISION_STATUS].ok ? f[DECISION_STATUS].str : NULL;
  bool closed = status && (strcmp(status, "done") == 0 || strcmp(status, "cancelled") == 0);
  return f[DECISION_DUE].ok && f[DECISION_DUE].date.days < b->m->today.days && !closed;
}

static void S_inputs(Builder *b, DocNode *parent, const Record *r) {
  DocNode *s = db_section(b, parent, 2, "Inputs (9.3.2)", "inputs");
  static const char *const ih[] = {"Input", "Recorded", NULL};
  DocNode *t = db_table(b, s, "Inputs to the review", ih);
  const Value *inputs = rec_field(r, REVIEW_INPUTS);
  for (size_t i = 0; i < review_inputs_table.count; i++) {
    const Value *v = inputs->ok ? &inputs->fields[i] : NULL;
    DocNode *row = db_row(b, t, NULL);
    db_cell(b, row, review_inputs_table.fields[i].doc);
    DocNode *c = db_cell(b, row, v && v->ok ? v->str : NULL);
    if (!v || !v->ok)
      db_badge(b, c, "not recorded", "missed", TONE_OVERDUE);
  }
}

static void S_decisions(Builder *b, DocNode *parent, const Record *r) {
  DocNode *s = db_section(b, parent, 2, "Decisions (9.3.3)", "decisions");
  const Value *decisions = rec_field(r, REVIEW_DECISIONS);
  if (!decisions->count) {
    db_para(b, s, "No decisions recorded.");
    return;
  }
  static const char *const dh[] = {"#", "Decision", "Owner", "Due", "Status", NULL};
  DocNode *t = db_table(b, s, "Decisions and actions", dh);
  for (size_t i = 0; i < decisions->count; i++) {
    const Value *f = decisions->items[i].fields;
    if (!f)
      continue;
    bool overdue = db_decision_overdue(b, f);
    DocNode *row = db_row(b, t, NULL);
    if (overdue)
      row->cls = "overdue";
    db_cell(b, row, arena_printf(b->a, "%zu", i + 1))->numeric = true;
    db_cell(b, row, f[DECISION_DECISION].ok ? f[DECISION_DECISION].str : "");
    db_cell(b, row, f[DECISION_OWNER].ok ? f[DECISION_OWNER].str : "");
    db_cell(b, row, db_date(b, &f[DECISION_DUE]));
    db_status_badges(b, db_cell(b, row, NULL),
                     f[DECISION_STATUS].ok ? f[DECISION_STATUS].str : NULL, overdue);
  }
}

void doc_build_review(Builder *b, const Document *d) {
  const Record *r = d->record;
  DocNode *top = db_section(b, d->body, 1, d->title, NULL);
  static const char *const rh[] = {"Review", "Held", "Chair", "Attendees", "Next review", NULL};
  DocNode *t = db_table(b, top, "Management review", rh);
  DocNode *row = db_row(b, t, r->id);
  db_cell(b, row, r->id);
  db_cell(b, row, db_date(b, rec_field(r, REVIEW_DATE)));
  db_cell(b, row, db_or(rec_str(r, REVIEW_CHAIR), ""));
  DocNode *who = db_cell(b, row, NULL);
  const Value *att = rec_field(r, REVIEW_ATTENDEES);
  bool first = true;
  for (size_t i = 0; i < att->count; i++) {
    db_sep(b, who, &first);
    doc_text(b->a, who, att->items[i].str);
  }
  db_cell(b, row, db_date(b, rec_field(r, REVIEW_NEXT)));
  S_inputs(b, top, r);
  S_decisions(b, top, r);
  if (r->raw && r->raw->body_text && r->raw->body_len)
    db_markdown(b, db_section(b, top, 2, "Minutes", "minutes"), r);
}
