/* doc_audits.c - the audits document (SPEC §3, audits.html/.docx; ISO/IEC 27001 9.2): the
 * audit programme as a coverage matrix, then each audit's report.
 *
 * The matrix has a row per clause of the catalog and per applicable control, and a column
 * per year an audit was held or is planned in: "done" where a held (status done) audit of
 * that year had it in scope, "planned" where an audit not yet done does, and a last column
 * that says "missing" (in the overdue tone) for a row no audit covers at all. Each report
 * gives scope, criteria, auditor, dates and the findings by type (major, minor,
 * observation, opportunity), each linked to the nonconformities that record it.
 */
#include <stdlib.h>
#include <string.h>

#include "doc_build.h"

enum { MAX_YEARS = 8 };

static bool S_done(const Record *audit) {
  const char *status = rec_enum(audit, AUDIT_STATUS);
  return status && strcmp(status, "done") == 0;
}

static bool S_cancelled(const Record *audit) {
  const char *status = rec_enum(audit, AUDIT_STATUS);
  return status && strcmp(status, "cancelled") == 0;
}

/* The year an audit belongs to: when it was held, else when it is planned; 0 for neither. */
static int S_year(const Record *audit) {
  const Value *v =
      rec_has(audit, AUDIT_DATE) ? rec_field(audit, AUDIT_DATE) : rec_field(audit, AUDIT_PLANNED);
  return v->ok ? v->date.year : 0;
}

static int S_compare_ints(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

/* The programme's years, oldest first; the latest MAX_YEARS of them. */
static size_t S_years(const PtrVec *audits, int *years) {
  int all[256];
  size_t n = 0;
  for (size_t i = 0; i < audits->len && n < 256; i++) {
    int y = S_year(audits->items[i]);
    bool seen = false;
    for (size_t j = 0; j < n; j++)
      seen |= all[j] == y;
    if (y && !seen && !S_cancelled(audits->items[i]))
      all[n++] = y;
  }
  if (n)
    qsort(all, n, sizeof *all, S_compare_ints);
  size_t first = n > MAX_YEARS ? n - MAX_YEARS : 0;
  memcpy(years, all + first, (n - first) * sizeof *years);
  return n - first;
}

/* One row of the matrix: a clause or a control and its audits by year. */
static void S_coverage_row(Builder *b, DocNode *table, const Record *item, bool link,
                           const int *years, size_t nyears) {
  DocNode *row = db_row(b, table, NULL);
  DocNode *label = db_cell(b, row, NULL);
  const char *text = arena_printf(b->a, "%s %s", item->id, db_title(item));
  if (link)
    doc_link_record(b->a, label, item, text);
  else
    doc_text(b->a, label, text); /* clauses have no page of their own yet */
  const PtrVec *audits = rec_links(item, LINK_AUDITS);
  bool any = false;
  for (size_t y = 0; y < nyears; y++) {
    bool done = false, planned = false;
    for (size_t i = 0; i < audits->len; i++) {
      const Record *a = audits->items[i];
      if (S_year(a) != years[y] || S_cancelled(a))
        continue;
      done |= S_done(a);
      planned |= !S_done(a);
    }
    DocNode *cell = db_cell(b, row, NULL);
    if (done)
      db_badge(b, cell, "done", "status-done", TONE_DONE);
    else if (planned)
      db_badge(b, cell, "planned", "status-planned", TONE_PLANNED);
    any |= done || planned;
  }
  DocNode *cov = db_cell(b, row, NULL);
  if (!any)
    db_badge(b, cov, "missing", "overdue", TONE_OVERDUE);
}

static void S_programme(Builder *b, DocNode *parent, const PtrVec *audits) {
  DocNode *s = db_section(b, parent, 2, "Audit programme", "programme");
  int years[MAX_YEARS];
  size_t nyears = S_years(audits, years);
  const char **headers = arena_alloc(b->a, (nyears + 3) * sizeof *headers);
  headers[0] = "Clause or control";
  for (size_t i = 0; i < nyears; i++)
    headers[i + 1] = arena_printf(b->a, "%d", years[i]);
  headers[nyears + 1] = "Coverage";
  db_para(b, s,
          "Each clause and applicable control, and the years an audit covered it (done) or "
          "will (planned); missing: no audit of the programme has it in scope.");
  DocNode *t = db_table(b, s, "Audit coverage by year", headers);
  const PtrVec *clauses = &b->m->by_kind[KIND_CLAUSE]; /* the catalog's order: 4.1 .. 10.2 */
  for (size_t i = 0; i < clauses->len; i++)
    S_coverage_row(b, t, clauses->items[i], false, years, nyears);
  PtrVec controls = db_sorted(b, KIND_CONTROL);
  for (size_t i = 0; i < controls.len; i++) {
    const Record *c = controls.items[i];
    const Value *app = rec_field(c, CONTROL_APPLICABLE);
    if (app->ok && app->num)
      S_coverage_row(b, t, c, true, years, nyears);
  }
}

/* Clause ids as text: "9.2, 10.2". */
static const char *S_clause_ids(Builder *b, const Value *v) {
  const char *out = "";
  for (size_t i = 0; i < v->count; i++)
    if (v->items[i].str)
      out = arena_printf(b->a, "%s%s%s", out, *out ? ", " : "", v->items[i].str);
  return out;
}

static void S_findings(Builder *b, DocNode *parent, const Record *audit) {
  const Value *findings = rec_field(audit, AUDIT_FINDINGS);
  if (!findings->count) {
    db_para(b, parent, "No findings.");
    return;
  }
  static const char *const fh[] = {"Finding",         "Type", "Description", "About",
                                   "Nonconformities", NULL};
  DocNode *t = db_table(b, parent, arena_printf(b->a, "Findings of %s", audit->id), fh);
  for (const char *const *type = finding_types; *type; type++)
    for (size_t i = 0; i < findings->count; i++) {
      const Record *f = findings->items[i].ref;
      if (!f || !rec_enum(f, FINDING_TYPE) || strcmp(rec_enum(f, FINDING_TYPE), *type) != 0)
        continue;
      DocNode *row = db_row(b, t, f->id);
      db_cell(b, row, f->id);
      db_badge(b, db_cell(b, row, NULL), *type, arena_printf(b->a, "finding-%s", *type),
               strcmp(*type, "major") == 0   ? TONE_HIGH
               : strcmp(*type, "minor") == 0 ? TONE_MEDIUM
                                             : TONE_NONE);
      db_cell(b, row, db_or(rec_str(f, FINDING_DESCRIPTION), db_title(f)));
      DocNode *about = db_cell(b, row, S_clause_ids(b, rec_field(f, FINDING_CLAUSES)));
      if (rec_field(f, FINDING_CLAUSES)->count && rec_field(f, FINDING_CONTROLS)->count)
        doc_text(b->a, about, ", ");
      db_ref_links(b, about, rec_field(f, FINDING_CONTROLS));
      db_record_links(b, db_cell(b, row, NULL), rec_links(f, LINK_NONCONFORMITIES));
    }
}

static void S_report(Builder *b, DocNode *parent, const Record *audit) {
  DocNode *s =
      db_section(b, parent, 2, arena_printf(b->a, "%s %s", audit->id, db_title(audit)), audit->id);
  static const char *const ah[] = {"Type", "Auditor", "Planned", "Held", "Status", NULL};
  DocNode *t = db_table(b, s, arena_printf(b->a, "Audit %s", audit->id), ah);
  DocNode *row = db_row(b, t, NULL);
  db_cell(b, row, db_or(rec_enum(audit, AUDIT_TYPE), ""));
  db_cell(b, row, db_or(rec_str(audit, AUDIT_AUDITOR), ""));
  db_cell(b, row, db_date(b, rec_field(audit, AUDIT_PLANNED)));
  db_cell(b, row, db_date(b, rec_field(audit, AUDIT_DATE)));
  db_status_badges(b, db_cell(b, row, NULL), rec_enum(audit, AUDIT_STATUS), false);
  DocNode *scope = db_para(b, s, "Scope: ");
  const char *clauses = S_clause_ids(b, rec_field(audit, AUDIT_CLAUSES));
  if (*clauses)
    doc_text(b->a, scope, arena_printf(b->a, "clauses %s", clauses));
  if (rec_field(audit, AUDIT_CONTROLS)->count) {
    doc_text(b->a, scope, *clauses ? "; controls " : "controls ");
    db_ref_links(b, scope, rec_field(audit, AUDIT_CONTROLS));
  }
  if (rec_has(audit, AUDIT_CRITERIA))
    db_para(b, s, arena_printf(b->a, "Criteria: %s", rec_str(audit, AUDIT_CRITERIA)));
  if (audit->raw && audit->raw->body_text && audit->raw->body_len)
    db_markdown(b, s, audit);
  S_findings(b, s, audit);
}

void doc_build_audits(Builder *b, const Document *d) {
  DocNode *top = db_section(b, d->body, 1, d->title, NULL);
  db_para(b, top,
          "The internal audit programme (9.2): what each year's audits cover, and each "
          "audit's report with its findings and the nonconformities they raised.");
  PtrVec audits = db_sorted(b, KIND_AUDIT);
  S_programme(b, top, &audits);
  for (size_t i = 0; i < audits.len; i++)
    S_report(b, top, audits.items[i]);
  if (!audits.len)
    db_para(b, top, "No audits are recorded yet (audits/).");
  static const Kind kinds[] = {KIND_AUDIT, KIND_FINDING};
  db_silenced_appendix(b, top, kinds, 2);
}
