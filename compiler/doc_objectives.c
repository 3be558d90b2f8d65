/* doc_objectives.c - the objectives document (SPEC §3, objectives.html/.docx): each
 * information security objective (6.2) with its owner, due date, status and plan, and each
 * metric that measures it (9.1) as a trend chart with its target, beside the table of the
 * same numbers, its latest value against the target and when it is next to be measured.
 *
 * Metrics are the objectives' home too (schema.h): every metric gets its anchor here exactly
 * once, under the first objective that names it, or under "Other metrics" when none does.
 * Tones say met (TONE_DONE), missed or overdue (TONE_OVERDUE); the renderers pick colours.
 */
#include <stdlib.h>
#include <string.h>

#include "doc_build.h"

static const Value *S_derived(const Record *metric, int field) { return &metric->derived[field]; }

static bool S_at_most(const Record *metric) {
  const char *dir = rec_enum(metric, METRIC_DIRECTION);
  return dir && strcmp(dir, "at-most") == 0;
}

/* "95 %", "14 days", "100": a value with the metric's unit. */
static const char *S_amount(Builder *b, const Record *metric, const char *value) {
  const char *unit = rec_str(metric, METRIC_UNIT);
  return unit && *unit ? arena_printf(b->a, "%s\u00a0%s", value, unit) : value;
}

static bool S_meets(const Record *metric, double v) {
  double target = rec_field(metric, METRIC_TARGET)->real;
  return S_at_most(metric) ? v <= target : v >= target;
}

bool db_objective_overdue(Builder *b, const Record *o) {
  const Value *due = rec_field(o, OBJECTIVE_DUE);
  const char *status = rec_enum(o, OBJECTIVE_STATUS);
  bool closed = status && (strcmp(status, "achieved") == 0 || strcmp(status, "cancelled") == 0 ||
                           strcmp(status, "missed") == 0);
  return due->ok && due->date.days < b->m->today.days && !closed;
}

bool db_metric_late(Builder *b, const Record *metric) {
  const Value *due = S_derived(metric, METRIC_D_DUE);
  return due->ok && due->date.days < b->m->today.days;
}

void db_objective_status(Builder *b, DocNode *cell, const Record *o) {
  db_status_badges(b, cell, rec_enum(o, OBJECTIVE_STATUS), db_objective_overdue(b, o));
}

void db_metric_latest(Builder *b, DocNode *cell, const Record *metric) {
  const Value *latest = S_derived(metric, METRIC_D_LATEST);
  if (!latest->ok) {
    db_badge(b, cell, "never measured", "overdue", TONE_OVERDUE);
    return;
  }
  const Value *f = latest->fields;
  doc_text(b->a, cell,
           arena_printf(b->a, "%s on %s ", S_amount(b, metric, f[MEASUREMENT_VALUE].str),
                        db_date(b, &f[MEASUREMENT_DATE])));
  const Value *met = S_derived(metric, METRIC_D_MET);
  if (met->ok)
    db_badge(b, cell, met->num ? "met" : "not met", met->num ? "met" : "missed",
             met->num ? TONE_DONE : TONE_OVERDUE);
}

/* "at least 95 %" */
static const char *S_target(Builder *b, const Record *metric) {
  const Value *t = rec_field(metric, METRIC_TARGET);
  if (!t->ok)
    return "";
  return arena_printf(b->a, "%s %s", S_at_most(metric) ? "at most" : "at least",
                      S_amount(b, metric, t->str));
}

static TrendChart *S_chart(Builder *b, const Record *metric) {
  const Value *series = S_derived(metric, METRIC_D_SERIES);
  TrendChart *c = arena_alloc(b->a, sizeof *c);
  c->title = arena_concat(b->a, metric->id, " ", db_title(metric), NULL);
  c->unit = db_or(rec_str(metric, METRIC_UNIT), "");
  c->has_target = rec_has(metric, METRIC_TARGET);
  c->target = rec_field(metric, METRIC_TARGET)->real;
  c->target_label = c->has_target ? rec_field(metric, METRIC_TARGET)->str : NULL;
  c->at_most = S_at_most(metric);
  c->points = arena_alloc(b->a, (series->count ? series->count : 1) * sizeof *c->points);
  for (size_t i = 0; i < series->count; i++) {
    const Value *f = series->items[i].fields;
    TrendPoint *p = &c->points[c->npoints++];
    p->date = db_date(b, &f[MEASUREMENT_DATE]);
    p->value = f[MEASUREMENT_VALUE].real;
    p->label = f[MEASUREMENT_VALUE].str;
    p->tone = !c->has_target ? TONE_NONE : S_meets(metric, p->value) ? TONE_DONE : TONE_OVERDUE;
  }
  return c;
}

/* A metric: what it measures, its latest value against the target, the chart and its numbers. */
static void S_metric(Builder *b, DocNode *parent, const Record *metric) {
  DocNode *s = db_section(b, parent, 3, arena_concat(b->a, metric->id, " ", db_title(metric), NULL),
                          metric->id);
  static const char *const mh[] = {"Owner", "Target", "Frequency", "Latest", "Next due", NULL};
  DocNode *t = db_table(b, s, arena_concat(b->a, "Metric ", metric->id, NULL), mh);
  DocNode *row = db_row(b, t, NULL);
  db_cell(b, row, db_or(rec_str(metric, METRIC_OWNER), ""));
  db_cell(b, row, S_target(b, metric));
  db_cell(b, row, db_or(rec_enum(metric, METRIC_FREQUENCY), ""));
  db_metric_latest(b, db_cell(b, row, NULL), metric);
  DocNode *due = db_cell(b, row, db_date(b, S_derived(metric, METRIC_D_DUE)));
  if (db_metric_late(b, metric))
    db_badge(b, due, "overdue", "overdue", TONE_OVERDUE);
  if (rec_has(metric, METRIC_SOURCE))
    db_para(b, s, arena_printf(b->a, "Measured by: %s", rec_str(metric, METRIC_SOURCE)));
  const Value *series = S_derived(metric, METRIC_D_SERIES);
  if (!series->count) {
    db_para(b, s, "No measurements yet.");
    return;
  }
  DocNode *chart = doc_add(s, doc_new(b->a, DOC_TREND));
  chart->trend = S_chart(b, metric);
  chart->anchor = arena_concat(b->a, "trend-", metric->id, NULL);
  static const char *const vh[] = {"Date", "Value", "Against target", "Note", NULL};
  DocNode *nums = db_table(b, chart, arena_concat(b->a, metric->id, " measurements", NULL), vh);
  const TrendChart *c = chart->trend;
  for (size_t i = 0; i < c->npoints; i++) {
    const Value *f = series->items[i].fields;
    DocNode *r = db_row(b, nums, NULL);
    db_cell(b, r, c->points[i].date);
    db_cell(b, r, S_amount(b, metric, c->points[i].label))->numeric = true;
    DocNode *against = db_cell(b, r, NULL);
    if (c->has_target)
      db_badge(b, against, c->points[i].tone == TONE_DONE ? "met" : "not met",
               c->points[i].tone == TONE_DONE ? "met" : "missed", c->points[i].tone);
    db_cell(b, r, f[MEASUREMENT_NOTE].ok ? f[MEASUREMENT_NOTE].str : "");
  }
}

static void S_objective(Builder *b, DocNode *parent, const Record *o, HashMap *placed) {
  DocNode *s = db_section(b, parent, 2, arena_concat(b->a, o->id, " ", db_title(o), NULL), o->id);
  static const char *const oh[] = {"Owner", "Due", "Status", "Risks", "Controls", NULL};
  DocNode *t = db_table(b, s, arena_printf(b->a, "Objective %s", o->id), oh);
  DocNode *row = db_row(b, t, NULL);
  db_cell(b, row, db_or(rec_str(o, OBJECTIVE_OWNER), ""));
  db_cell(b, row, db_date(b, rec_field(o, OBJECTIVE_DUE)));
  db_objective_status(b, db_cell(b, row, NULL), o);
  db_ref_links(b, db_cell(b, row, NULL), rec_field(o, OBJECTIVE_RISKS));
  db_ref_links(b, db_cell(b, row, NULL), rec_field(o, OBJECTIVE_CONTROLS));
  if (rec_has(o, OBJECTIVE_RESOURCES))
    db_para(b, s, arena_printf(b->a, "Resources: %s", rec_str(o, OBJECTIVE_RESOURCES)));
  if (rec_has(o, OBJECTIVE_EVALUATION))
    db_para(b, s, arena_printf(b->a, "Evaluation: %s", rec_str(o, OBJECTIVE_EVALUATION)));
  if (o->raw && o->raw->body_text && o->raw->body_len)
    db_markdown(b, s, o);
  const Value *metrics = rec_field(o, OBJECTIVE_METRICS);
  for (size_t i = 0; i < metrics->count; i++) {
    const Record *m = metrics->items[i].ref;
    if (!m)
      continue;
    if (hashmap_get(placed, m->id)) { /* shown under an earlier objective: link to it there */
      DocNode *p = db_para(b, s, "Also measured by ");
      doc_link_record(b->a, p, m, arena_printf(b->a, "%s %s", m->id, db_title(m)));
      continue;
    }
    hashmap_put(b->a, placed, m->id, (void *)m);
    S_metric(b, s, m);
  }
}

void doc_build_objectives(Builder *b, const Document *d) {
  DocNode *top = db_section(b, d->body, 1, d->title, NULL);
  db_para(b, top,
          "The information security objectives (6.2), who owns each and by when, and the "
          "metrics that measure them (9.1), each with its trend against its target.");
  PtrVec objectives = db_sorted(b, KIND_OBJECTIVE);
  static const char *const sh[] = {"Objective", "Title", "Owner", "Due", "Status", "Metrics", NULL};
  DocNode *ss = db_section(b, top, 2, "Summary", "summary");
  DocNode *st = db_table(b, ss, "Objectives", sh);
  for (size_t i = 0; i < objectives.len; i++) {
    const Record *o = objectives.items[i];
    DocNode *row = db_row(b, st, NULL);
    if (db_objective_overdue(b, o))
      row->cls = "overdue";
    doc_link_record(b->a, db_cell(b, row, NULL), o, NULL);
    db_cell(b, row, db_title(o));
    db_cell(b, row, db_or(rec_str(o, OBJECTIVE_OWNER), ""));
    db_cell(b, row, db_date(b, rec_field(o, OBJECTIVE_DUE)));
    db_objective_status(b, db_cell(b, row, NULL), o);
    db_ref_links(b, db_cell(b, row, NULL), rec_field(o, OBJECTIVE_METRICS));
  }
  if (!objectives.len)
    db_para(b, ss, "No objectives are recorded yet (objectives/).");
  HashMap placed;
  hashmap_init(&placed);
  for (size_t i = 0; i < objectives.len; i++)
    S_objective(b, top, objectives.items[i], &placed);
  PtrVec metrics = db_sorted(b, KIND_METRIC);
  DocNode *others = NULL;
  for (size_t i = 0; i < metrics.len; i++) {
    const Record *m = metrics.items[i];
    if (hashmap_get(&placed, m->id))
      continue;
    if (!others)
      others = db_section(b, top, 2, "Other metrics", "other-metrics");
    S_metric(b, others, m);
  }
  static const Kind kinds[] = {KIND_OBJECTIVE, KIND_METRIC};
  db_silenced_appendix(b, top, kinds, 2);
}
