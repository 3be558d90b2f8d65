/* doc_sheets.c - the spreadsheet forms of the register tables (DocNode.sheet): the SoA's
 * controls, the risk register, the RTP's risks and treatments, as XLSX keeps them.
 *
 * A reader's table joins what belongs together ("Risks: R-001; Legal requirement", "12
 * High", "title (path)"); a spreadsheet is edited and imported back, so its form has one
 * column per field, each cell typed (numbers, dates, db_booleans) and holding the field's own
 * values (canonical enum words, ids), under the labels `ismsc import` maps to those fields.
 * What must stay true: every column here is a field import reads back, or one import knows
 * to be computed (import_columns.c's other_labels: scores, levels, Risks of a control,
 * Treatments of a risk, Overdue); an enumerated column's header lists its values (choices),
 * so the XLSX offers them and an edited sheet stays importable; the sheet holds the same
 * rows, in the same order, as the table it belongs to.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc_build.h"

/* ---------------------------------------------------------------- cells */

DocNode *db_sheet(Builder *b, DocNode *table, const char *const *headers) {
  DocNode *holder = doc_new(b->a, DOC_SECTION);
  DocNode *s = db_table(b, holder, table->text, headers);
  s->cls = table->cls;
  table->sheet = s;
  return s;
}

const char *const db_booleans[] = {"TRUE", "FALSE", NULL};

void db_bool_cell(Builder *b, DocNode *row, bool known, bool value) {
  DocNode *c = db_cell(b, row, known ? (value ? "TRUE" : "FALSE") : "");
  if (known)
    c->value = (DocValue){.type = VALUE_BOOL, .number = value ? 1 : 0};
}

static void S_number(Builder *b, DocNode *row, bool known, long n, Tone tone) {
  char digits[24]; /* printed once into the stack, not measured then printed (arena_printf) */
  int len = known ? snprintf(digits, sizeof digits, "%ld", n) : 0;
  DocNode *c = db_cell(b, row, known ? arena_strndup(b->a, digits, (size_t)len) : "");
  if (known)
    c->value = (DocValue){.type = VALUE_NUMBER, .tone = tone, .number = (double)n};
}

/* A score and its level, two cells: the number and the level's name, both in its tone. */
static void S_score(Builder *b, DocNode *row, int score, int level) {
  Tone tone = score ? doc_level_tone(b->m, level) : TONE_NONE;
  S_number(b, row, score != 0, score, tone);
  DocNode *c = db_cell(b, row, score ? model_level_name(b->m, level) : "");
  c->value.tone = tone;
}

/* words[0..n) joined by ", " (NULLs left out, no separator while the text is still empty),
 * measured first and copied once: a control of a large tree lists thousands of risks, and
 * re-printing the list so far at each one was most of the SoA's build. */
static const char *S_join(Builder *b, const char *const *words, size_t n) {
  size_t len = 0;
  for (size_t i = 0; i < n; i++)
    if (words[i])
      len += strlen(words[i]) + 2;
  char *text = arena_alloc(b->a, len + 1), *end = text;
  for (size_t i = 0; i < n; i++) {
    if (!words[i])
      continue;
    if (end > text) {
      memcpy(end, ", ", 2);
      end += 2;
    }
    size_t w = strlen(words[i]);
    memcpy(end, words[i], w);
    end += w;
  }
  *end = '\0';
  return text;
}

/* "R-001, R-004": ids, as import reads a list back. */
static const char *S_ids(Builder *b, const PtrVec *records) {
  const char **ids = arena_alloc(b->a, (records->len + 1) * sizeof *ids);
  for (size_t i = 0; i < records->len; i++)
    ids[i] = ((const Record *)records->items[i])->id;
  return S_join(b, ids, records->len);
}

/* A list field's items as written (ids, enum words): "legal, business". */
static const char *S_ref_ids(Builder *b, const Value *v) {
  const char **words = arena_alloc(b->a, (v->count + 1) * sizeof *words);
  for (size_t i = 0; i < v->count; i++)
    words[i] = v->items[i].str;
  return S_join(b, words, v->count);
}

static const char *S_str(const Value *v) { return v && v->ok && v->str ? v->str : ""; }

/* The level names of the method, as a choices list. */
static const char *const *S_levels(Builder *b) {
  const RiskMethod *rm = &b->m->method;
  const char **names = arena_alloc(b->a, (rm->nlevel + 1) * sizeof *names);
  for (size_t i = 0; i < rm->nlevel; i++)
    names[i] = rm->levels[i].name;
  names[rm->nlevel] = NULL;
  return names;
}

/* 1..n as a choices list: a likelihood or impact. */
static const char *const *S_scale(Builder *b, size_t n) {
  const char **values = arena_alloc(b->a, (n + 1) * sizeof *values);
  for (size_t i = 0; i < n; i++)
    values[i] = arena_printf(b->a, "%zu", i + 1);
  values[n] = NULL;
  return values;
}

/* ---------------------------------------------------------------- the SoA */

/* Evidence, one entry a line: "path | title | date | clauses" (a url in place of the path),
 * empty parts at the end left out; what import reads back into the same entries. */
static const char *S_evidence(Builder *b, const Record *r) {
  const Value *ev = rec_field(r, CONTROL_EVIDENCE);
  const char *s = "";
  for (size_t i = 0; i < ev->count; i++) {
    const Value *f = ev->items[i].fields;
    const char *parts[4] = {f[EVIDENCE_URL].ok ? S_str(&f[EVIDENCE_URL]) : S_str(&f[EVIDENCE_PATH]),
                            S_str(&f[EVIDENCE_TITLE]), db_date(b, &f[EVIDENCE_DATE]),
                            f[EVIDENCE_CLAUSES].ok ? S_ref_ids(b, &f[EVIDENCE_CLAUSES]) : ""};
    int last = 3;
    while (last > 0 && !*parts[last])
      last--;
    const char *line = parts[0];
    for (int p = 1; p <= last; p++)
      line = arena_printf(b->a, "%s | %s", line, parts[p]);
    s = arena_printf(b->a, "%s%s%s", s, i ? "\n" : "", line);
  }
  return s;
}

void db_soa_sheet(Builder *b, DocNode *table, const CatalogTheme *theme) {
  static const char *const headers[] = {
      "Control",           "Title",    "Applicable", "Justification",
      "Inclusion reasons", "Risks",    "Status",     "Owner",
      "Policies",          "Evidence", NULL};
  DocNode *sheet = db_sheet(b, table, headers);
  db_choices(sheet, 2, db_booleans);
  db_choices(sheet, 6, control_statuses);
  const PtrVec *controls = &b->m->by_kind[KIND_CONTROL];
  for (size_t i = 0; i < controls->len; i++) {
    const Record *r = controls->items[i];
    if (!r->catalog || !r->catalog->theme || strcmp(r->catalog->theme, theme->id) != 0)
      continue;
    DocNode *row = db_row(b, sheet, r->id);
    db_cell(b, row, r->id);
    db_cell(b, row, r->catalog->title);
    const Value *app = rec_field(r, CONTROL_APPLICABLE);
    db_bool_cell(b, row, !r->synthetic && app->ok, app->num != 0);
    db_cell(b, row, db_or(rec_str(r, CONTROL_JUSTIFICATION), ""));
    db_cell(b, row, S_ref_ids(b, rec_field(r, CONTROL_REASONS)));
    db_cell(b, row, S_ids(b, rec_links(r, LINK_RISKS)));
    DocNode *st = db_cell(b, row, db_or(rec_enum(r, CONTROL_STATUS), ""));
    st->value.tone =
        rec_enum(r, CONTROL_STATUS) ? db_status_tone(rec_enum(r, CONTROL_STATUS)) : TONE_NONE;
    db_cell(b, row, db_or(rec_str(r, CONTROL_OWNER), ""));
    db_cell(b, row, S_ref_ids(b, rec_field(r, CONTROL_POLICIES)));
    db_cell(b, row, S_evidence(b, r));
  }
}

/* ---------------------------------------------------------------- the risk register */

/* A risk's row, opening as both risk sheets do: Risk, Title, Owner, Assets. */
static DocNode *S_risk_row(Builder *b, DocNode *sheet, const Record *r) {
  DocNode *row = db_row(b, sheet, r->id);
  db_cell(b, row, r->id);
  db_cell(b, row, db_title(r));
  db_cell(b, row, db_or(rec_str(r, RISK_OWNER), ""));
  db_cell(b, row, S_ref_ids(b, rec_field(r, RISK_ASSETS)));
  return row;
}

void db_register_sheet(Builder *b, DocNode *table, const PtrVec *risks) {
  static const char *const headers[] = {"Risk",
                                        "Title",
                                        "Owner",
                                        "Assets",
                                        "Threat",
                                        "Vulnerability",
                                        "Likelihood",
                                        "Impact",
                                        "Inherent score",
                                        "Inherent level",
                                        "Option",
                                        "Treatments",
                                        "Residual likelihood",
                                        "Residual impact",
                                        "Residual score",
                                        "Residual level",
                                        NULL};
  DocNode *sheet = db_sheet(b, table, headers);
  const RiskMethod *rm = &b->m->method;
  const char *const *levels = S_levels(b);
  db_choices(sheet, 6, S_scale(b, rm->nlikelihood));
  db_choices(sheet, 7, S_scale(b, rm->nimpact));
  db_choices(sheet, 9, levels);
  db_choices(sheet, 10, treatment_options);
  db_choices(sheet, 12, S_scale(b, rm->nlikelihood));
  db_choices(sheet, 13, S_scale(b, rm->nimpact));
  db_choices(sheet, 15, levels);
  for (size_t i = 0; i < risks->len; i++) {
    const Record *r = risks->items[i];
    DocNode *row = S_risk_row(b, sheet, r);
    db_cell(b, row, db_or(rec_str(r, RISK_THREAT), ""));
    db_cell(b, row, db_or(rec_str(r, RISK_VULNERABILITY), ""));
    const Value *l = rec_field(r, RISK_LIKELIHOOD), *im = rec_field(r, RISK_IMPACT);
    S_number(b, row, l->ok, l->num, TONE_NONE);
    S_number(b, row, im->ok, im->num, TONE_NONE);
    S_score(b, row, r->score, r->level);
    db_cell(b, row, db_or(rec_enum(r, RISK_TREATMENT), ""));
    db_cell(b, row, S_ids(b, rec_links(r, LINK_TREATMENTS)));
    const Value *res = rec_field(r, RISK_RESIDUAL);
    const Value *rl = res->ok ? &res->fields[RESIDUAL_LIKELIHOOD] : NULL,
                *ri = res->ok ? &res->fields[RESIDUAL_IMPACT] : NULL;
    S_number(b, row, rl && rl->ok, rl ? rl->num : 0, TONE_NONE);
    S_number(b, row, ri && ri->ok, ri ? ri->num : 0, TONE_NONE);
    S_score(b, row, r->residual_score, r->residual_level);
  }
}

/* The assets table is a field a column already; its Type and Classification take lists. */
void db_assets_choices(Builder *b, DocNode *table) {
  size_t n = b->m->nclassification;
  const char **classes = arena_alloc(b->a, (n + 1) * sizeof *classes);
  for (size_t i = 0; i < n; i++)
    classes[i] = b->m->classifications[i];
  classes[n] = NULL;
  db_choices(table, 3, asset_types);
  if (n)
    db_choices(table, 4, classes);
}

/* ---------------------------------------------------------------- the RTP */

void db_rtp_sheet(Builder *b, DocNode *table, const PtrVec *risks) {
  static const char *const headers[] = {
      "Risk",           "Title",           "Owner",      "Assets",           "Inherent score",
      "Inherent level", "Option",          "Treatments", "Residual score",   "Residual level",
      "Accepted by",    "Acceptance date", "Rationale",  "Acceptance until", NULL};
  DocNode *sheet = db_sheet(b, table, headers);
  const char *const *levels = S_levels(b);
  db_choices(sheet, 5, levels);
  db_choices(sheet, 6, treatment_options);
  db_choices(sheet, 9, levels);
  for (size_t i = 0; i < risks->len; i++) {
    const Record *r = risks->items[i];
    DocNode *row = S_risk_row(b, sheet, r);
    S_score(b, row, r->score, r->level);
    db_cell(b, row, db_or(rec_enum(r, RISK_TREATMENT), ""));
    db_cell(b, row, S_ids(b, rec_links(r, LINK_TREATMENTS)));
    S_score(b, row, r->residual_score, r->residual_level);
    const Value *acc = rec_field(r, RISK_ACCEPTANCE);
    const Value *f = acc->ok ? acc->fields : NULL;
    db_cell(b, row, f ? S_str(&f[ACCEPTANCE_BY]) : "");
    db_date_cell(b, row, f ? &f[ACCEPTANCE_DATE] : NULL);
    db_cell(b, row, f ? S_str(&f[ACCEPTANCE_RATIONALE]) : "");
    db_date_cell(b, row, f ? &f[ACCEPTANCE_UNTIL] : NULL);
  }
}

void db_treatments_sheet(Builder *b, DocNode *table, const PtrVec *treatments) {
  static const char *const headers[] = {"Treatment", "Title",  "Risks",   "Controls", "Owner",
                                        "Due",       "Status", "Overdue", NULL};
  DocNode *sheet = db_sheet(b, table, headers);
  db_choices(sheet, 6, treatment_statuses);
  db_choices(sheet, 7, db_booleans);
  for (size_t i = 0; i < treatments->len; i++) {
    const Record *t = treatments->items[i];
    DocNode *row = db_row(b, sheet, t->id);
    db_cell(b, row, t->id);
    db_cell(b, row, db_title(t));
    db_cell(b, row, S_ref_ids(b, rec_field(t, TREATMENT_RISKS)));
    db_cell(b, row, S_ref_ids(b, rec_field(t, TREATMENT_CONTROLS)));
    db_cell(b, row, db_or(rec_str(t, TREATMENT_OWNER), ""));
    db_date_cell(b, row, rec_field(t, TREATMENT_DUE));
    const char *status = rec_enum(t, TREATMENT_STATUS);
    DocNode *st = db_cell(b, row, db_or(status, ""));
    st->value.tone = status ? db_status_tone(status) : TONE_NONE;
    bool overdue = db_overdue(b, t);
    db_bool_cell(b, row, true, overdue);
    if (overdue)
      row->last->value.tone = TONE_OVERDUE;
  }
}
