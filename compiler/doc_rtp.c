/* doc_rtp.c - the Risk Treatment Plan (ISO/IEC 27001 6.1.3 e-f): every risk by inherent
 * score with the treatments that act on it and what is left, who accepted that residual
 * risk, when, until when and whether they were entitled to; then the treatments with their
 * owners, resources, due and completion dates.
 *
 * What must stay true:
 * - A cancelled treatment is shown, marked, and never counts: not in a risk's treatments,
 *   not in whether its residual is still a target.
 * - A residual is labelled "target" while any treatment that counts is not done: it is what
 *   the plan aims at, not yet what is left.
 * - Whether an acceptance was entitled is the risk's derived `acceptance_entitled`
 *   (acceptance.c), the value the acceptance-authority rule judges: never worked out here.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "doc_build.h"

static int S_compare_risk_scores(const void *pa, const void *pb) {
  const Record *a = *(const Record *const *)pa, *b = *(const Record *const *)pb;
  if (a->score != b->score)
    return a->score > b->score ? -1 : 1;
  return strverscmp(a->id, b->id);
}

static bool S_status_is(const Record *t, const char *status) {
  const char *s = rec_enum(t, TREATMENT_STATUS);
  return s && strcmp(s, status) == 0;
}

bool db_treatment_cancelled(const Record *t) { return S_status_is(t, "cancelled"); }

/* Does any treatment of r that counts (not cancelled) remain to be done? */
static bool S_treatment_open(const Record *r) {
  const PtrVec *ts = rec_links(r, LINK_TREATMENTS);
  for (size_t i = 0; i < ts->len; i++)
    if (!db_treatment_cancelled(ts->items[i]) && !S_status_is(ts->items[i], "done"))
      return true;
  return false;
}

/* The treatments that count, then the cancelled ones, each marked. */
static void S_treatment_links(Builder *b, DocNode *cell, const Record *r) {
  const PtrVec *ts = rec_links(r, LINK_TREATMENTS);
  bool first = true;
  for (int cancelled = 0; cancelled < 2; cancelled++)
    for (size_t i = 0; i < ts->len; i++) {
      const Record *t = ts->items[i];
      if (db_treatment_cancelled(t) != (bool)cancelled)
        continue;
      db_sep(b, cell, &first);
      doc_link_record(b->a, cell, t, NULL);
      if (cancelled) {
        doc_text(b->a, cell, " ");
        db_badge(b, cell, "cancelled", "status-cancelled", TONE_NONE);
      }
    }
}

static void S_residual(Builder *b, DocNode *cell, const Record *r) {
  db_score_badge(b, cell, r->residual_score, r->residual_level);
  if (r->residual_score && S_treatment_open(r)) {
    doc_text(b->a, cell, " ");
    db_badge(b, cell, "target", "status-planned", TONE_PLANNED);
  }
}

static const Value *S_acceptance_field(const Record *r, int field) {
  const Value *acc = rec_field(r, RISK_ACCEPTANCE);
  return acc->ok ? &acc->fields[field] : NULL;
}

/* Whether the person who accepted was entitled to, as acceptance.c judged it. */
static void S_entitled(Builder *b, DocNode *cell, const Record *r) {
  const Value *ent = &r->derived[RISK_D_ACCEPTANCE_ENTITLED];
  if (!ent->ok) {
    const Value *by = S_acceptance_field(r, ACCEPTANCE_BY);
    if (by && by->ok && !r->derived[RISK_D_ACCEPTANCE_ALLOWED].ok)
      doc_text(b->a, cell, "no authority set");
    return;
  }
  if (ent->num)
    db_badge(b, cell, "entitled", "status-done", TONE_DONE);
  else
    db_badge(b, cell, "not entitled", "overdue", TONE_OVERDUE);
}

static void S_allowed(Builder *b, DocNode *cell, const Record *r) {
  const Value *allowed = &r->derived[RISK_D_ACCEPTANCE_ALLOWED];
  if (!allowed->ok)
    return;
  if (!allowed->count)
    doc_text(b->a, cell, "no one (above every band)");
  for (size_t i = 0; i < allowed->count; i++) {
    if (i)
      doc_text(b->a, cell, ", ");
    doc_text(b->a, cell, allowed->items[i].str);
  }
}

static void S_until(Builder *b, DocNode *cell, const Record *r) {
  const Value *until = S_acceptance_field(r, ACCEPTANCE_UNTIL);
  if (!until || !until->ok)
    return;
  doc_text(b->a, cell, db_date(b, until));
  cell->value = (DocValue){.type = VALUE_DATE, .date = until->date};
  if (until->date.days < b->m->today.days) {
    doc_text(b->a, cell, " ");
    db_badge(b, cell, "expired", "overdue", TONE_OVERDUE);
  }
}

/* The main table's acceptance cell: who, and whether entitled; "not accepted" when none. */
static void S_accepted_by(Builder *b, DocNode *cell, const Record *r) {
  const Value *by = S_acceptance_field(r, ACCEPTANCE_BY);
  if (!by || !by->ok) {
    if (strcmp(db_or(rec_enum(r, RISK_TREATMENT), ""), "avoid") != 0)
      db_badge(b, cell, "not accepted", "overdue", TONE_OVERDUE);
    return;
  }
  doc_text(b->a, cell, by->str);
  if (r->derived[RISK_D_ACCEPTANCE_ENTITLED].ok) {
    doc_text(b->a, cell, " ");
    S_entitled(b, cell, r);
  }
}

static void S_risk_table(Builder *b, DocNode *top, const PtrVec *risks) {
  static const char *const rh[] = {"Risk",       "Owner",    "Assets",      "Inherent", "Treatment",
                                   "Treatments", "Residual", "Accepted by", NULL};
  DocNode *rs = db_section(b, top, 2, "Risks by inherent score", "risks");
  db_para(b, rs,
          "A residual marked \u201ctarget\u201d is what the open treatments aim at; cancelled "
          "treatments are listed but do not count.");
  DocNode *table = db_table(b, rs, "Risks and their treatment", rh);
  for (size_t i = 0; i < risks->len; i++) {
    const Record *r = risks->items[i];
    DocNode *row = db_row(b, table, NULL);
    doc_link_record(b->a, db_cell(b, row, NULL), r,
                    arena_concat(b->a, r->id, " ", db_title(r), NULL));
    db_cell(b, row, db_or(rec_str(r, RISK_OWNER), ""));
    db_ref_links(b, db_cell(b, row, NULL), rec_field(r, RISK_ASSETS));
    db_score_badge(b, db_cell(b, row, NULL), r->score, r->level);
    db_cell(b, row, db_or(rec_enum(r, RISK_TREATMENT), ""));
    S_treatment_links(b, db_cell(b, row, NULL), r);
    S_residual(b, db_cell(b, row, NULL), r);
    S_accepted_by(b, db_cell(b, row, NULL), r);
  }
  db_rtp_sheet(b, table, risks); /* the XLSX's columns: doc_sheets.c */
}

/* 6.1.3 f: every risk's residual acceptance in full, rationale included. */
static void S_acceptance_table(Builder *b, DocNode *top, const PtrVec *risks) {
  static const char *const ah[] = {"Risk",  "Residual", "Accepted by",        "Accepted on",
                                   "Until", "Entitled", "May be accepted by", "Rationale",
                                   NULL};
  DocNode *s = db_section(b, top, 2, "Residual risk acceptance", "acceptance");
  db_para(b, s,
          "Who accepted each risk's residual risk, when and until when, and whether "
          "risk.acceptance_authority entitles them to for its score (the residual score, "
          "else the inherent one).");
  DocNode *table = db_table(b, s, "Acceptance of residual risk", ah);
  for (size_t i = 0; i < risks->len; i++) {
    const Record *r = risks->items[i];
    DocNode *row = db_row(b, table, NULL);
    doc_link_record(b->a, db_cell(b, row, NULL), r, NULL);
    S_residual(b, db_cell(b, row, NULL), r);
    const Value *by = S_acceptance_field(r, ACCEPTANCE_BY);
    DocNode *who = db_cell(b, row, by && by->ok ? by->str : NULL);
    if (!by || !by->ok)
      S_accepted_by(b, who, r); /* "not accepted", unless avoided */
    db_date_cell(b, row, S_acceptance_field(r, ACCEPTANCE_DATE));
    S_until(b, db_cell(b, row, NULL), r);
    S_entitled(b, db_cell(b, row, NULL), r);
    S_allowed(b, db_cell(b, row, NULL), r);
    const Value *why = S_acceptance_field(r, ACCEPTANCE_RATIONALE);
    db_cell(b, row, why && why->ok ? why->str : "");
  }
}

static void S_treatment_table(Builder *b, DocNode *top, const PtrVec *treatments) {
  static const char *const th[] = {"Treatment", "Title", "Risks",     "Controls", "Owner",
                                   "Resources", "Due",   "Completed", "Status",   NULL};
  DocNode *ts = db_section(b, top, 2, "Treatments", "treatments");
  DocNode *tt = db_table(b, ts, "Treatment actions", th);
  for (size_t i = 0; i < treatments->len; i++) {
    const Record *t = treatments->items[i];
    DocNode *row = db_row(b, tt, t->id);
    if (db_overdue(b, t))
      row->cls = "overdue";
    else if (db_treatment_cancelled(t))
      row->cls = "cancelled";
    db_cell(b, row, t->id);
    db_cell(b, row, db_title(t));
    db_ref_links(b, db_cell(b, row, NULL), rec_field(t, TREATMENT_RISKS));
    db_ref_links(b, db_cell(b, row, NULL), rec_field(t, TREATMENT_CONTROLS));
    db_cell(b, row, db_or(rec_str(t, TREATMENT_OWNER), ""));
    db_cell(b, row, db_or(rec_str(t, TREATMENT_RESOURCES), ""));
    db_date_cell(b, row, rec_field(t, TREATMENT_DUE));
    db_date_cell(b, row, rec_field(t, TREATMENT_COMPLETED));
    db_treatment_status(b, db_cell(b, row, NULL), t);
  }
  db_treatments_sheet(b, tt, treatments); /* the XLSX's columns: doc_sheets.c */
  db_body_sections(b, ts, treatments);
}

void doc_build_rtp(Builder *b, const Document *d) {
  DocNode *top = db_section(b, d->body, 1, d->title, NULL);
  db_para(b, top,
          "Risks in order of inherent score, how each is treated, what is left, and who "
          "accepted it.");
  PtrVec risks = db_sorted(b, KIND_RISK);
  if (risks.len)
    qsort(risks.items, risks.len, sizeof *risks.items, S_compare_risk_scores);
  S_risk_table(b, top, &risks);
  S_acceptance_table(b, top, &risks);
  PtrVec treatments = db_sorted(b, KIND_TREATMENT);
  S_treatment_table(b, top, &treatments);
  static const Kind kinds[] = {KIND_RISK, KIND_TREATMENT};
  db_silenced_appendix(b, top, kinds, 2);
}
