/* doc_trace.c - traceability: from each risk down to the policies (risk -> treatments ->
 * controls -> policies), and back up from each applicable control to everything that puts it
 * in the Statement of Applicability (its risks and treatments, its declared legal,
 * contractual or business reasons) and the policies that cover it.
 *
 * What must stay true:
 * - By risk, a risk's title is shown once, on its first row; a treatment's once, on the row
 *   of its first control. A reader follows the hierarchy down the rows.
 * - By control, every applicable control of the catalog appears, risk or not: a control
 *   included only for a legal, contractual or business reason is as traceable as one a risk
 *   selects.
 * - A control's label and policy links are made once and shared by every row that shows
 *   them (doc.h, DocNode): on a large tree they are most of the page's nodes.
 */
#include <string.h>

#include "doc_build.h"

/* A control's label ("A.5.1 Policies for information security") and its policy links, made
 * once per control in a holder node kept in `made`; rows share the holder's children. */
static const DocNode *S_control_parts(Builder *b, HashMap *made, const Record *ctl) {
  DocNode *parts = hashmap_get(made, ctl->id);
  if (!parts) {
    parts = doc_new(b->a, DOC_CELL);
    parts->text = arena_concat(b->a, ctl->id, " ", db_title(ctl), NULL);
    db_record_links(b, parts, rec_links(ctl, LINK_COVERED_BY));
    hashmap_put(b->a, made, ctl->id, parts);
  }
  return parts;
}

static void S_share(DocNode *cell, const DocNode *parts) {
  cell->first = parts->first;
  cell->last = parts->last;
}

/* The first cells of a row: the risk (on its first row only) and the treatment (on the row of
 * its first control only), a cancelled treatment marked. */
static DocNode *S_row(Builder *b, DocNode *table, const Record *r, const Record *t,
                      bool first_of_risk, bool first_of_treatment) {
  DocNode *row = db_row(b, table, NULL);
  DocNode *rc = db_cell(b, row, NULL);
  if (first_of_risk) {
    row->cls = "group-start";
    doc_link_record(b->a, rc, r, arena_concat(b->a, r->id, " ", db_title(r), NULL));
  }
  DocNode *tc = db_cell(b, row, NULL);
  if (t && first_of_treatment) {
    doc_link_record(b->a, tc, t, arena_concat(b->a, t->id, " ", db_title(t), NULL));
    if (db_treatment_cancelled(t)) {
      doc_text(b->a, tc, " ");
      db_badge(b, tc, "cancelled", "status-cancelled", TONE_NONE);
    }
  } else if (!t) {
    doc_text(b->a, tc, db_or(rec_enum(r, RISK_TREATMENT), ""));
  }
  return row;
}

static void S_by_risk(Builder *b, DocNode *top, HashMap *made) {
  DocNode *s = db_section(b, top, 2, "By risk", "by-risk");
  db_para(b, s,
          "Each risk, the treatments that act on it, the controls they select, and the "
          "policies that cover those controls.");
  static const char *const headers[] = {"Risk", "Treatment", "Control", "Policies", NULL};
  DocNode *table = db_table(b, s, "Risk, treatment, control and policy", headers);
  table->cls = "trace";
  PtrVec risks = db_sorted(b, KIND_RISK);
  for (size_t i = 0; i < risks.len; i++) {
    const Record *r = risks.items[i];
    const PtrVec *ts = rec_links(r, LINK_TREATMENTS);
    bool first_of_risk = true;
    for (size_t t = 0; t < ts->len; t++) {
      const Record *tr = ts->items[t];
      const Value *controls = rec_field(tr, TREATMENT_CONTROLS);
      bool first_of_treatment = true;
      for (size_t c = 0; c < controls->count; c++) {
        const Record *ctl = controls->items[c].ref;
        if (!ctl)
          continue;
        const DocNode *parts = S_control_parts(b, made, ctl);
        DocNode *row = S_row(b, table, r, tr, first_of_risk, first_of_treatment);
        doc_link_record(b->a, db_cell(b, row, NULL), ctl, parts->text);
        S_share(db_cell(b, row, NULL), parts);
        first_of_risk = first_of_treatment = false;
      }
      if (first_of_treatment) { /* a treatment that selects no control */
        DocNode *row = S_row(b, table, r, tr, first_of_risk, true);
        db_cell(b, row, "");
        db_cell(b, row, "");
        first_of_risk = false;
      }
    }
    if (first_of_risk) { /* no treatment: the option alone */
      DocNode *row = S_row(b, table, r, NULL, true, true);
      db_cell(b, row, "");
      db_cell(b, row, "");
    }
  }
}

static bool S_applicable(const Record *ctl) {
  const Value *app = rec_field(ctl, CONTROL_APPLICABLE);
  return ctl->catalog && !ctl->synthetic && app->ok && app->num;
}

static void S_by_control(Builder *b, DocNode *top, HashMap *made) {
  DocNode *s = db_section(b, top, 2, "By control", "by-control");
  db_para(b, s,
          "Every applicable control, why it is included (the risks its treatments treat, its "
          "declared reasons), the treatments that select it and the policies that cover it.");
  static const char *const headers[] = {"Control", "Included for", "Treatments", "Policies", NULL};
  DocNode *table = db_table(b, s, "Control, inclusion reasons, treatments and policies", headers);
  table->cls = "trace";
  const PtrVec *controls = &b->m->by_kind[KIND_CONTROL];
  for (size_t i = 0; i < controls->len; i++) {
    const Record *ctl = controls->items[i];
    if (!S_applicable(ctl))
      continue;
    const DocNode *parts = S_control_parts(b, made, ctl);
    DocNode *row = db_row(b, table, NULL);
    doc_link_record(b->a, db_cell(b, row, NULL), ctl, parts->text);
    db_inclusion_reasons(b, db_cell(b, row, NULL), ctl);
    db_record_links(b, db_cell(b, row, NULL), rec_links(ctl, LINK_TREATMENTS));
    S_share(db_cell(b, row, NULL), parts);
  }
}

void doc_build_trace(Builder *b, const Document *d) {
  DocNode *top = db_section(b, d->body, 1, d->title, NULL);
  HashMap made; /* per control: S_control_parts */
  hashmap_init(&made);
  S_by_risk(b, top, &made);
  S_by_control(b, top, &made);
}
