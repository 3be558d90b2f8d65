/* doc_review_pack.c - the input pack for the next management review (SPEC §3,
 * review-pack.html/.docx; ISO/IEC 27001 9.3.2), compiled from the model as of the build's
 * date for every input the tree can answer, each under its letter:
 *   a) decisions of earlier reviews not yet done;
 *   b) the internal and external issues the scope records, and the commits since the last
 *      review (the build's walk of the Git history; outside Git it says so);
 *   c) the interested parties and their requirements the scope records;
 *   d) nonconformities raised and closed since the last review by severity, metrics against
 *      their targets, audits held since the last review with their findings, objectives;
 *   f) risks by level (inherent and residual) and the treatments done, overdue and due;
 *   g) audit findings of type opportunity and observation.
 * e) is not held in the tree; the pack names it so the agenda stays complete.
 * "Since the last review" is after the date of the latest review held on or before the
 * build's date; with none, everything recorded counts.
 */
#include <string.h>

#include "doc_build.h"
#include "history.h"

typedef struct Pack {
  Builder *b;
  const Record *last; /* the latest review held by the build's date, or NULL */
  int32_t since;      /* its date in days, or INT32_MIN */
} Pack;

static bool S_after(const Pack *p, const Value *date) {
  return date->ok && date->date.days > p->since && date->date.days <= p->b->m->today.days;
}

static const char *S_str(const Value *f, int field) { return f[field].ok ? f[field].str : ""; }

static void S_a_decisions(Pack *p, DocNode *parent) {
  Builder *b = p->b;
  DocNode *s = db_section(b, parent, 2, "a) Status of actions from previous reviews", "a");
  static const char *const h[] = {"Review", "Decision", "Owner", "Due", "Status", NULL};
  DocNode *t = NULL;
  PtrVec reviews = db_sorted(b, KIND_REVIEW);
  for (size_t i = 0; i < reviews.len; i++) {
    const Record *r = reviews.items[i];
    const Value *ds = rec_field(r, REVIEW_DECISIONS);
    for (size_t j = 0; j < ds->count; j++) {
      const Value *f = ds->items[j].fields;
      const char *st = f && f[DECISION_STATUS].ok ? f[DECISION_STATUS].str : NULL;
      if (!f || (st && (strcmp(st, "done") == 0 || strcmp(st, "cancelled") == 0)))
        continue;
      if (!t)
        t = db_table(b, s, "Open decisions of earlier reviews", h);
      bool overdue = db_decision_overdue(b, f);
      DocNode *row = db_row(b, t, NULL);
      if (overdue)
        row->cls = "overdue";
      doc_link_record(b->a, db_cell(b, row, NULL), r, NULL);
      db_cell(b, row, S_str(f, DECISION_DECISION));
      db_cell(b, row, S_str(f, DECISION_OWNER));
      db_cell(b, row, db_date(b, &f[DECISION_DUE]));
      db_status_badges(b, db_cell(b, row, NULL), st, overdue);
    }
  }
  if (!t)
    db_para(b, s, "None: every decision of earlier reviews is done or cancelled.");
}

enum { MAX_COMMITS = 30 }; /* the newest commits since the last review the pack lists */

/* The commits since the last review, newest first, from the walk the build keeps for the
 * revision histories: what changed in the ISMS, as Git records it. Only the walk's commit
 * list is read, which no other document changes, so no lock is needed. */
static void S_commits_since(Pack *p, DocNode *parent) {
  Builder *b = p->b;
  const GitHistory *g = b->set->history;
  if (!g || !g->walked) {
    db_para(b, parent,
            arena_printf(b->a, "Changes to the ISMS since the last review: %s.",
                         g && g->why_not ? g->why_not : "not under version control"));
    return;
  }
  const History *h = &g->h;
  size_t n = 0;
  while (n < h->ncommit && h->commits[n].date.days > p->since)
    n++;
  if (!n) {
    db_para(b, parent, "Commits since the last review: none.");
    return;
  }
  if (n > MAX_COMMITS)
    db_para(b, parent,
            arena_printf(b->a,
                         "%s since the last review; the newest %d are listed, the rest "
                         "are in the Git history.",
                         count_of(b->a, n, "commit", "commits"), MAX_COMMITS));
  static const char *const headers[] = {"Date", "Author", "Change", "Commit", NULL};
  DocNode *t = db_table(b, parent, "Commits since the last review", headers);
  for (size_t k = 0; k < n && k < MAX_COMMITS; k++) {
    const HistCommit *c = &h->commits[k];
    DocNode *row = db_row(b, t, NULL);
    db_day_cell(b, row, c->date);
    db_cell(b, row, db_or(c->author, "—"));
    db_cell(b, row, db_or(c->subject, "—"));
    db_cell(b, row, c->short_hex);
  }
}

static void S_b_changes(Pack *p, DocNode *parent) {
  Builder *b = p->b;
  DocNode *s = db_section(b, parent, 2, "b) Changes in external and internal issues", "b");
  const Record *scope = model_scope(b->m);
  if (scope) {
    DocNode *intro = db_para(b, s, "The issues as the ");
    doc_link_record(b->a, intro, scope, "scope record");
    doc_text(b->a, intro, " states them now (4.1); its revision history shows when they changed.");
    db_para(b, s, "Internal issues:");
    db_scope_list(b, s, scope, SCOPE_INTERNAL_ISSUES);
    db_para(b, s, "External issues:");
    db_scope_list(b, s, scope, SCOPE_EXTERNAL_ISSUES);
  }
  S_commits_since(p, s);
}

static void S_c_parties(Builder *b, DocNode *parent) {
  DocNode *s = db_section(b, parent, 2,
                          "c) Changes in the needs and expectations of interested parties", "c");
  const Record *scope = model_scope(b->m);
  if (!scope) {
    db_para(b, s, "No scope record: the interested parties are not held in the tree.");
    return;
  }
  DocNode *intro = db_para(b, s, "The interested parties and their requirements as the ");
  doc_link_record(b->a, intro, scope, "scope record");
  doc_text(b->a, intro, " states them now (4.2).");
  db_scope_parties(b, s, scope);
}

static void S_not_in_tree(Builder *b, DocNode *parent, const char *title, const char *anchor) {
  DocNode *s = db_section(b, parent, 2, title, anchor);
  db_para(b, s, "Not held in the tree: to be brought to the review.");
}

static void S_d_nonconformities(Pack *p, DocNode *parent) {
  Builder *b = p->b;
  static const char *const h[] = {"Severity", "Raised since", "Closed since", "Open now", NULL};
  DocNode *t = db_table(b, parent, "Nonconformities since the last review, by severity", h);
  static const char *const sev[] = {"major", "minor", NULL};
  PtrVec ncs = db_sorted(b, KIND_NONCONFORMITY);
  for (int k = 0; k < 3; k++) {
    size_t raised = 0, closed = 0, open = 0;
    for (size_t i = 0; i < ncs.len; i++) {
      const Record *nc = ncs.items[i];
      const char *s = rec_enum(nc, NONCONFORMITY_SEVERITY);
      if (k < 2 ? !s || strcmp(s, sev[k]) != 0 : s != NULL)
        continue;
      raised += S_after(p, rec_field(nc, NONCONFORMITY_RAISED));
      closed += S_after(p, rec_field(nc, NONCONFORMITY_CLOSED));
      const char *st = rec_enum(nc, NONCONFORMITY_STATUS);
      open += st && strcmp(st, "closed") != 0;
    }
    DocNode *row = db_row(b, t, NULL);
    db_cell(b, row, k < 2 ? sev[k] : "not rated");
    db_cell(b, row, arena_printf(b->a, "%zu", raised))->numeric = true;
    db_cell(b, row, arena_printf(b->a, "%zu", closed))->numeric = true;
    db_cell(b, row, arena_printf(b->a, "%zu", open))->numeric = true;
  }
}

static void S_d_metrics(Builder *b, DocNode *parent) {
  static const char *const h[] = {"Metric", "Latest", "Measurements", NULL};
  DocNode *t = db_table(b, parent, "Metrics against their targets", h);
  PtrVec metrics = db_sorted(b, KIND_METRIC);
  for (size_t i = 0; i < metrics.len; i++) {
    const Record *m = metrics.items[i];
    DocNode *row = db_row(b, t, NULL);
    doc_link_record(b->a, db_cell(b, row, NULL), m,
                    arena_printf(b->a, "%s %s", m->id, db_title(m)));
    db_metric_latest(b, db_cell(b, row, NULL), m);
    db_cell(b, row, arena_printf(b->a, "%zu", m->derived[METRIC_D_SERIES].count))->numeric = true;
  }
}

static void S_d_audits(Pack *p, DocNode *parent) {
  Builder *b = p->b;
  static const char *const h[] = {"Audit",        "Held",          "Major", "Minor",
                                  "Observations", "Opportunities", NULL};
  DocNode *t = NULL;
  PtrVec audits = db_sorted(b, KIND_AUDIT);
  for (size_t i = 0; i < audits.len; i++) {
    const Record *a = audits.items[i];
    if (!S_after(p, rec_field(a, AUDIT_DATE)))
      continue;
    if (!t)
      t = db_table(b, parent, "Audits held since the last review", h);
    DocNode *row = db_row(b, t, NULL);
    doc_link_record(b->a, db_cell(b, row, NULL), a, NULL);
    db_cell(b, row, db_date(b, rec_field(a, AUDIT_DATE)));
    const Value *fs = rec_field(a, AUDIT_FINDINGS);
    for (const char *const *type = finding_types; *type; type++) {
      size_t n = 0;
      for (size_t j = 0; j < fs->count; j++) {
        const Record *f = fs->items[j].ref;
        n += f && rec_enum(f, FINDING_TYPE) && strcmp(rec_enum(f, FINDING_TYPE), *type) == 0;
      }
      db_cell(b, row, arena_printf(b->a, "%zu", n))->numeric = true;
    }
  }
  if (!t)
    db_para(b, parent, "Audits held since the last review: none.");
}

static void S_d_objectives(Builder *b, DocNode *parent) {
  static const char *const h[] = {"Objective", "Owner", "Due", "Status", NULL};
  DocNode *t = db_table(b, parent, "Objectives and their status", h);
  PtrVec objectives = db_sorted(b, KIND_OBJECTIVE);
  for (size_t i = 0; i < objectives.len; i++) {
    const Record *o = objectives.items[i];
    DocNode *row = db_row(b, t, NULL);
    doc_link_record(b->a, db_cell(b, row, NULL), o,
                    arena_printf(b->a, "%s %s", o->id, db_title(o)));
    db_cell(b, row, db_or(rec_str(o, OBJECTIVE_OWNER), ""));
    db_cell(b, row, db_date(b, rec_field(o, OBJECTIVE_DUE)));
    db_objective_status(b, db_cell(b, row, NULL), o);
  }
}

static void S_f_risks(Builder *b, DocNode *parent) {
  DocNode *s = db_section(b, parent, 2, "f) Results of risk assessment and risk treatment", "f");
  static const char *const h[] = {"Level", "Inherent", "Residual", NULL};
  /* The heat maps as the register draws them, each with the risks of its cells (the numbers
   * beside the chart), then the counts by level. */
  HeatMap *inherent_map = db_heatmap(b, false), *residual_map = db_heatmap(b, true);
  db_add_heatmap(b, s, inherent_map);
  db_add_heatmap(b, s, residual_map);
  db_heat_cells(b, s, inherent_map, "inherent");
  db_heat_cells(b, s, residual_map, "residual");
  DocNode *t = db_table(b, s, "Risks by level", h);
  PtrVec risks = db_sorted(b, KIND_RISK);
  for (size_t l = 0; l < b->m->method.nlevel; l++) {
    size_t inherent = 0, residual = 0;
    for (size_t i = 0; i < risks.len; i++) {
      const Record *r = risks.items[i];
      inherent += r->score && r->level == (int)l;
      residual += r->residual_score && r->residual_level == (int)l;
    }
    DocNode *row = db_row(b, t, NULL);
    db_badge(b, db_cell(b, row, NULL), b->m->method.levels[l].name,
             arena_printf(b->a, "level-%s", doc_palette[doc_level_tone(b->m, (int)l)].name),
             doc_level_tone(b->m, (int)l));
    db_cell(b, row, arena_printf(b->a, "%zu", inherent))->numeric = true;
    db_cell(b, row, arena_printf(b->a, "%zu", residual))->numeric = true;
  }
  static const char *const th[] = {"Treatment", "Title", "Owner", "Due", "Status", NULL};
  DocNode *tt = db_table(b, s, "Treatments done, overdue and due", th);
  PtrVec treatments = db_sorted(b, KIND_TREATMENT);
  for (size_t i = 0; i < treatments.len; i++) {
    const Record *tr = treatments.items[i];
    const char *st = rec_enum(tr, TREATMENT_STATUS);
    if (st && strcmp(st, "cancelled") == 0)
      continue;
    db_treatment_row(b, tt, tr);
  }
}

static void S_g_improvement(Builder *b, DocNode *parent) {
  DocNode *s = db_section(b, parent, 2, "g) Opportunities for improvement", "g");
  static const char *const h[] = {"Finding", "Audit", "Type", "Description", NULL};
  DocNode *t = NULL;
  PtrVec findings = db_sorted(b, KIND_FINDING);
  for (size_t i = 0; i < findings.len; i++) {
    const Record *f = findings.items[i];
    const char *type = rec_enum(f, FINDING_TYPE);
    if (!type || (strcmp(type, "opportunity") != 0 && strcmp(type, "observation") != 0))
      continue;
    if (!t)
      t = db_table(b, s, "Audit findings of type opportunity and observation", h);
    DocNode *row = db_row(b, t, NULL);
    doc_link_record(b->a, db_cell(b, row, NULL), f, NULL);
    DocNode *audit = db_cell(b, row, NULL);
    if (f->parent)
      doc_link_record(b->a, audit, f->parent, NULL);
    db_cell(b, row, type);
    db_cell(b, row, db_or(rec_str(f, FINDING_DESCRIPTION), db_title(f)));
  }
  if (!t)
    db_para(b, s, "No audit finding of type opportunity or observation.");
}

void doc_build_review_pack(Builder *b, const Document *d) {
  Pack p = {b, NULL, INT32_MIN};
  PtrVec reviews = db_sorted(b, KIND_REVIEW);
  for (size_t i = 0; i < reviews.len; i++) {
    const Value *date = rec_field(reviews.items[i], REVIEW_DATE);
    if (date->ok && date->date.days <= b->m->today.days && date->date.days > p.since) {
      p.last = reviews.items[i];
      p.since = date->date.days;
    }
  }
  DocNode *top = db_section(b, d->body, 1, d->title, NULL);
  DocNode *intro =
      db_para(b, top, "The inputs of 9.3.2 as the tree records them on the build's date");
  if (p.last) {
    doc_text(b->a, intro, ", since the last review, ");
    doc_link_record(
        b->a, intro, p.last,
        arena_printf(b->a, "%s of %s", p.last->id, db_date(b, rec_field(p.last, REVIEW_DATE))));
    doc_text(b->a, intro, ".");
  } else {
    doc_text(b->a, intro, "; no review is recorded yet, so everything recorded counts.");
  }
  S_a_decisions(&p, top);
  S_b_changes(&p, top);
  S_c_parties(b, top);
  DocNode *ds = db_section(b, top, 2, "d) Information security performance", "d");
  S_d_nonconformities(&p, ds);
  S_d_metrics(b, ds);
  S_d_audits(&p, ds);
  S_d_objectives(b, ds);
  S_not_in_tree(b, top, "e) Feedback from interested parties", "e");
  S_f_risks(b, top);
  S_g_improvement(b, top);
}
