/* doc_index.c - the index page (coverage, heat maps, overdue treatments, policies, checks),
 * the policies index (policies.html) and each policy's own document.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "doc_build.h"

static bool S_review_due(Builder *b, const Record *p) {
  const Value *review = rec_field(p, POLICY_REVIEW);
  if (review->ok && review->date.days < b->m->today.days)
    return true;
  const Value *ap = rec_field(p, POLICY_APPROVED);
  long max = b->m->policy_max_age_days;
  return max >= 0 && ap->ok && ap->fields[APPROVAL_DATE].ok &&
         b->m->today.days - ap->fields[APPROVAL_DATE].date.days > max;
}

void doc_build_policy(Builder *b, const Document *d) {
  const Record *p = d->record;
  DocNode *top = db_section(b, d->body, 1, d->title, p->id);
  if (rec_links(p, LINK_COVERS)->len) {
    DocNode *para = db_para(b, top, "Controls this policy covers: ");
    bool first = true;
    for (size_t i = 0; i < rec_links(p, LINK_COVERS)->len; i++) {
      const Record *ctl = rec_links(p, LINK_COVERS)->items[i];
      db_sep(b, para, &first);
      doc_link_record(b->a, para, ctl, arena_printf(b->a, "%s %s", ctl->id, db_title(ctl)));
    }
  }
  if (p->raw && p->raw->body_text) {
    db_markdown(b, top, p);
  }
}

/* The index lists the other documents of the set that have a blurb. */
static void S_nav_list(Builder *b, DocNode *parent) {
  DocNode *list = doc_add(parent, doc_new(b->a, DOC_LIST));
  size_t n;
  const DocType *types = doc_types(&n);
  for (size_t i = 0; i < n; i++) {
    if (!types[i].blurb)
      continue;
    DocNode *item = doc_add(list, doc_new(b->a, DOC_ITEM));
    DocNode *l = doc_add(item, doc_new(b->a, DOC_LINK));
    l->href = arena_printf(b->a, "%s.html", types[i].file);
    doc_text(b->a, l, types[i].blurb);
  }
}

/* Check and Act at a glance: objectives, metrics, audits, nonconformities and management
 * reviews, each a figure with what is late in the overdue tone, and the reviews' records. */
static void S_check_act(Builder *b, DocNode *top) {
  DocNode *s = db_section(b, top, 2, "Performance and improvement", "check-act");
  static const char *const sh[] = {"Area", "Recorded", "Needs attention", NULL};
  DocNode *t = db_table(b, s, "Objectives, metrics, audits, nonconformities and reviews", sh);
  size_t late = 0, missed = 0, planned = 0, open = 0, late_actions = 0, late_decisions = 0;
  PtrVec objectives = db_sorted(b, KIND_OBJECTIVE), metrics = db_sorted(b, KIND_METRIC);
  PtrVec audits = db_sorted(b, KIND_AUDIT), ncs = db_sorted(b, KIND_NONCONFORMITY);
  PtrVec reviews = db_sorted(b, KIND_REVIEW);
  for (size_t i = 0; i < objectives.len; i++)
    late += db_objective_overdue(b, objectives.items[i]);
  for (size_t i = 0; i < metrics.len; i++) {
    const Record *m = metrics.items[i];
    missed += (m->derived[METRIC_D_MET].ok && !m->derived[METRIC_D_MET].num) ||
              !m->derived[METRIC_D_LATEST].ok;
  }
  for (size_t i = 0; i < audits.len; i++) {
    const char *st = rec_enum(audits.items[i], AUDIT_STATUS);
    planned += st && strcmp(st, "done") != 0 && strcmp(st, "cancelled") != 0;
  }
  for (size_t i = 0; i < ncs.len; i++) {
    const char *st = rec_enum(ncs.items[i], NONCONFORMITY_STATUS);
    open += st && strcmp(st, "closed") != 0;
    late_actions += db_nc_overdue_actions(b, ncs.items[i]);
  }
  for (size_t i = 0; i < reviews.len; i++) {
    const Value *ds = rec_field(reviews.items[i], REVIEW_DECISIONS);
    for (size_t j = 0; j < ds->count; j++)
      late_decisions += ds->items[j].fields && db_decision_overdue(b, ds->items[j].fields);
  }
  struct {
    const char *area;
    size_t count;
    const char *attention;
    size_t flagged;
  } rows[] = {
      {"Objectives", objectives.len, "past due", late},
      {"Metrics", metrics.len, "not meeting target or never measured", missed},
      {"Audits", audits.len, "planned or in progress", planned},
      {"Nonconformities", ncs.len, "open", open},
      {"Corrective actions", 0, "overdue", late_actions},
      {"Management reviews", reviews.len, "decisions overdue", late_decisions},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    DocNode *row = db_row(b, t, NULL);
    db_cell(b, row, rows[i].area);
    db_cell(b, row, i == 4 ? "" : arena_printf(b->a, "%zu", rows[i].count))->numeric = true;
    DocNode *c = db_cell(b, row, NULL);
    if (rows[i].flagged)
      db_badge(b, c, arena_printf(b->a, "%zu %s", rows[i].flagged, rows[i].attention),
               i == 2 ? "status-planned" : "overdue", i == 2 ? TONE_PLANNED : TONE_OVERDUE);
  }
  if (!reviews.len)
    return;
  static const char *const rh[] = {"Review", "Title", "Held", "Next review", NULL};
  DocNode *rt = db_table(b, s, "Management reviews", rh);
  for (size_t i = 0; i < reviews.len; i++) {
    const Record *r = reviews.items[i];
    DocNode *row = db_row(b, rt, NULL);
    doc_link_record(b->a, db_cell(b, row, NULL), r, NULL);
    db_cell(b, row, db_title(r));
    db_cell(b, row, db_date(b, rec_field(r, REVIEW_DATE)));
    db_cell(b, row, db_date(b, rec_field(r, REVIEW_NEXT)));
  }
}

void doc_build_index(Builder *b, const Document *d) {
  const Model *m = b->m;
  DocNode *top = db_section(b, d->body, 1, d->title, NULL);
  if (b->set->draft && b->set->diags) {
    DocNode *n = doc_add(top, doc_new(b->a, DOC_NOTICE));
    n->cls = "errors";
    doc_text(b->a, n,
             arena_printf(b->a, "%s in the source tree:",
                          count_of(b->a, b->set->diags->errors, "error", "errors")));
    DocNode *list = doc_add(n, doc_new(b->a, DOC_LIST));
    for (size_t i = 0; i < b->set->diags->items.len; i++) {
      const Diag *g = b->set->diags->items.items[i];
      if (g->severity != SEV_ERROR || g->suppressed_by)
        continue;
      DocNode *item = doc_add(list, doc_new(b->a, DOC_ITEM));
      doc_text(b->a, item,
               arena_printf(b->a, "%s:%d:%d: %s [%s]",
                            g->loc.file ? g->loc.file->path : "isms.yaml",
                            g->loc.line > 0 ? g->loc.line : 1, g->loc.col > 0 ? g->loc.col : 1,
                            g->message, g->rule));
    }
  }
  S_nav_list(b, top);
  const Record *scope = model_scope(m);
  if (scope) {
    DocNode *s = db_section(b, top, 2, arena_printf(b->a, "Scope: %s", db_title(scope)), scope->id);
    const Value *inc = rec_field(scope, SCOPE_INCLUDES);
    if (inc->count) {
      db_para(b, s, "In scope:");
      DocNode *list = doc_add(s, doc_new(b->a, DOC_LIST));
      for (size_t i = 0; i < inc->count; i++)
        doc_text(b->a, doc_add(list, doc_new(b->a, DOC_ITEM)), inc->items[i].str);
    }
    const Value *exc = rec_field(scope, SCOPE_EXCLUDES);
    if (exc->count) {
      db_para(b, s, "Out of scope:");
      DocNode *list = doc_add(s, doc_new(b->a, DOC_LIST));
      for (size_t i = 0; i < exc->count; i++)
        doc_text(b->a, doc_add(list, doc_new(b->a, DOC_ITEM)), exc->items[i].str);
    }
    if (scope->raw && scope->raw->body_text) {
      db_markdown(b, s, scope);
    }
  }
  DocNode *cov = db_section(b, top, 2, "Control coverage", "coverage");
  db_coverage_figures(b, cov);
  DocNode *maps = db_section(b, top, 2, "Risk", "risk");
  db_add_heatmap(b, maps, db_heatmap(b, false));
  db_add_heatmap(b, maps, db_heatmap(b, true));

  DocNode *od = db_section(b, top, 2, "Overdue treatments", "overdue");
  static const char *const oh[] = {"Treatment", "Title", "Owner", "Due", "Status", NULL};
  PtrVec treatments = db_sorted(b, KIND_TREATMENT);
  DocNode *ot = NULL;
  for (size_t i = 0; i < treatments.len; i++) {
    const Record *t = treatments.items[i];
    if (!db_overdue(b, t))
      continue;
    if (!ot)
      ot = db_table(b, od, "Overdue treatments", oh);
    db_treatment_row(b, ot, t);
  }
  if (!ot)
    db_para(b, od, "None: every treatment is on schedule.");

  S_check_act(b, top);

  DocNode *pd = db_section(b, top, 2, "Policies", "policies");
  static const char *const ph[] = {"Policy", "Title", "Version", "Owner", "Next review", NULL};
  DocNode *pt = db_table(b, pd, "Policies", ph);
  PtrVec policies = db_sorted(b, KIND_POLICY);
  for (size_t i = 0; i < policies.len; i++) {
    const Record *p = policies.items[i];
    DocNode *row = db_row(b, pt, NULL);
    doc_link_record(b->a, db_cell(b, row, NULL), p, NULL);
    db_cell(b, row, db_title(p));
    db_cell(b, row, db_or(rec_str(p, POLICY_VERSION), ""));
    db_cell(b, row, db_or(rec_str(p, POLICY_OWNER), ""));
    DocNode *rc = db_date_cell(b, row, rec_field(p, POLICY_REVIEW));
    if (S_review_due(b, p))
      db_badge(b, rc, "review due", "overdue", TONE_OVERDUE);
  }
  DocNode *ds = db_section(b, top, 2, "Checks", "checks");
  const Diags *g = b->set->diags;
  db_para(b, ds,
          g ? arena_printf(b->a,
                           "%s, %s, %s, %zu silenced by records (listed in the SoA and RTP "
                           "appendices).",
                           count_of(b->a, g->errors, "error", "errors"),
                           count_of(b->a, g->warnings, "warning", "warnings"),
                           count_of(b->a, g->notes, "note", "notes"), g->suppressed)
            : "");
}

/* The policy set on one page: each policy's id (linked), title, version, status, owner and
 * next review, the review flagged when it has passed. */
void doc_build_policy_index(Builder *b, const Document *d) {
  DocNode *top = db_section(b, d->body, 1, d->title, NULL);
  PtrVec policies = db_sorted(b, KIND_POLICY);
  db_para(b, top,
          arena_printf(b->a, "The policy set: %s, each with its own document control.",
                       count_of(b->a, policies.len, "policy", "policies")));
  static const char *const headers[] = {"Policy", "Title",       "Version", "Status",
                                        "Owner",  "Next review", NULL};
  DocNode *t = db_table(b, top, "Policies", headers);
  for (size_t i = 0; i < policies.len; i++) {
    const Record *p = policies.items[i];
    DocNode *row = db_row(b, t, NULL);
    doc_link_record(b->a, db_cell(b, row, NULL), p, NULL);
    doc_link_record(b->a, db_cell(b, row, NULL), p, db_title(p));
    db_cell(b, row, db_or(rec_str(p, POLICY_VERSION), ""));
    const char *status = rec_enum(p, POLICY_STATUS);
    DocNode *sc = db_cell(b, row, NULL);
    if (status)
      db_badge(b, sc, status, arena_printf(b->a, "status-%s", status), db_status_tone(status));
    db_cell(b, row, db_or(rec_str(p, POLICY_OWNER), ""));
    const Value *review = rec_field(p, POLICY_REVIEW);
    DocNode *rc = db_date_cell(b, row, review);
    if (review->ok && review->date.days < b->m->today.days) {
      doc_text(b->a, rc, " ");
      db_badge(b, rc, "review due", "overdue", TONE_OVERDUE);
    }
  }
}
