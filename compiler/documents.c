/* documents.c - what each document of the set says, built once as a DocNode tree.
 *
 * One function per document (SPEC §3): the Statement of Applicability, the Risk Treatment
 * Plan, the risk register with its heat maps, the traceability matrix, the index, and one
 * page per policy. Renderers (emit_html.c, and the DOCX one) only walk these trees. Order
 * comes from the catalog and from the records' ids, never from a hash table, so output is
 * reproducible.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "doc.h"

/* ---------------------------------------------------------------- tree building */

DocNode *doc_new(Arena *a, DocKind kind) {
  DocNode *n = arena_alloc(a, sizeof *n);
  n->kind = kind;
  return n;
}

DocNode *doc_add(DocNode *parent, DocNode *child) {
  if (child->kind == DOC_MARKDOWN && parent->kind == DOC_SECTION)
    child->level = parent->level;
  if (parent->last)
    parent->last->next = child;
  else
    parent->first = child;
  parent->last = child;
  return child;
}

DocNode *doc_text(Arena *a, DocNode *parent, const char *text) {
  DocNode *n = doc_new(a, DOC_TEXT);
  n->text = text ? text : "";
  return doc_add(parent, n);
}

static const char *S_title(const Record *r) {
  const char *t = rec_title(r);
  return t ? t : "";
}

DocNode *doc_link_record(Arena *a, DocNode *parent, const Record *r, const char *label) {
  DocNode *n = doc_new(a, DOC_LINK);
  n->target = r->id;
  n->record = r;
  doc_text(a, n, label ? label : r->id);
  return doc_add(parent, n);
}

bool doc_safe_url(const char *url) {
  static const char *const ok[] = {"https://", "http://", "mailto:"};
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
    if (strncasecmp(url, ok[i], strlen(ok[i])) == 0)
      return true;
  return false;
}

struct DocBuilder {
  Arena *a;
  const Model *m;
  const DocSet *set;
};
typedef DocBuilder Builder;

static DocNode *S_section(Builder *b, DocNode *parent, int level, const char *title,
                          const char *anchor) {
  DocNode *s = doc_new(b->a, DOC_SECTION);
  s->level = level;
  s->text = title;
  s->anchor = anchor;
  if (level == 1) /* a document's title: its control block comes right after */
    doc_add(s, doc_new(b->a, DOC_CONTROL));
  return doc_add(parent, s);
}

static DocNode *S_para(Builder *b, DocNode *parent, const char *text) {
  DocNode *p = doc_add(parent, doc_new(b->a, DOC_PARA));
  if (text)
    doc_text(b->a, p, text);
  return p;
}

static DocNode *S_table(Builder *b, DocNode *parent, const char *caption,
                        const char *const *headers) {
  DocNode *t = doc_add(parent, doc_new(b->a, DOC_TABLE));
  t->text = caption;
  t->header_rows = 1;
  DocNode *row = doc_add(t, doc_new(b->a, DOC_ROW));
  for (size_t i = 0; headers[i]; i++) {
    DocNode *c = doc_add(row, doc_new(b->a, DOC_CELL));
    c->header = true;
    doc_text(b->a, c, headers[i]);
  }
  return t;
}

static DocNode *S_row(Builder *b, DocNode *table, const char *anchor) {
  DocNode *r = doc_add(table, doc_new(b->a, DOC_ROW));
  r->anchor = anchor;
  return r;
}

static DocNode *S_cell(Builder *b, DocNode *row, const char *text) {
  DocNode *c = doc_add(row, doc_new(b->a, DOC_CELL));
  if (text)
    doc_text(b->a, c, text);
  return c;
}

static DocNode *S_badge(Builder *b, DocNode *parent, const char *text, const char *cls, Tone tone) {
  DocNode *n = doc_new(b->a, DOC_BADGE);
  n->text = text;
  n->cls = cls;
  n->tone = tone;
  return doc_add(parent, n);
}

static void S_sep(Builder *b, DocNode *parent, bool *first) {
  if (!*first)
    doc_text(b->a, parent, ", ");
  *first = false;
}

/* Links to records, comma-separated, in a cell: "R-001, R-004". */
static void S_record_links(Builder *b, DocNode *parent, const PtrVec *records) {
  bool first = true;
  for (size_t i = 0; i < records->len; i++) {
    S_sep(b, parent, &first);
    doc_link_record(b->a, parent, records->items[i], NULL);
  }
}

static void S_ref_links(Builder *b, DocNode *parent, const Value *v) {
  bool first = true;
  for (size_t i = 0; i < v->count; i++) {
    if (!v->items[i].ref)
      continue;
    S_sep(b, parent, &first);
    doc_link_record(b->a, parent, v->items[i].ref, NULL);
  }
}

static const char *S_date(Builder *b, const Value *v) {
  if (!v || !v->ok)
    return "";
  char *buf = arena_alloc(b->a, 11);
  date_format(&v->date, buf);
  return buf;
}

static const char *S_or(const char *s, const char *fallback) { return s && *s ? s : fallback; }

const ToneColour doc_palette[TONE_COUNT] = {
    [TONE_NONE] = {"band", "f4f6f9"},         [TONE_LOW] = {"low", "cfe8c9"},
    [TONE_MEDIUM] = {"medium", "fbe7a1"},     [TONE_HIGH] = {"high", "f6b26b"},
    [TONE_CRITICAL] = {"critical", "e06666"}, [TONE_DONE] = {"done", "cfe8c9"},
    [TONE_ACTIVE] = {"active", "fbe7a1"},     [TONE_PLANNED] = {"planned", "e3ecf7"},
    [TONE_OVERDUE] = {"overdue", "fde2e1"},
};

/* A level's band by its position in the method (0 lowest): low, medium, high, critical. */
Tone doc_level_tone(const Model *m, int level) {
  if (level < 0)
    return TONE_NONE;
  int n = (int)m->method.nlevel;
  int band = n <= 1 ? 0 : level * 3 / (n - 1);
  return (Tone)(TONE_LOW + (band > 3 ? 3 : band));
}

/* "level-high": a style class per level band, for custom stylesheets. */
static const char *S_level_class(Builder *b, int level) {
  static const char *const classes[] = {"level-none", "level-low", "level-medium", "level-high",
                                        "level-critical"};
  return classes[doc_level_tone(b->m, level)];
}

/* The tone of a control's or a treatment's status. */
static Tone S_status_tone(const char *status) {
  static const struct {
    const char *status;
    Tone tone;
  } tones[] = {{"implemented", TONE_DONE}, {"done", TONE_DONE},
               {"partial", TONE_ACTIVE},   {"in-progress", TONE_ACTIVE},
               {"planned", TONE_PLANNED},  {"not-started", TONE_PLANNED}};
  for (size_t i = 0; i < sizeof tones / sizeof tones[0]; i++)
    if (strcmp(status, tones[i].status) == 0)
      return tones[i].tone;
  return TONE_NONE;
}

static void S_score_badge(Builder *b, DocNode *parent, int score, int level) {
  if (!score) {
    doc_text(b->a, parent, "—");
    return;
  }
  S_badge(b, parent, arena_printf(b->a, "%d %s", score, model_level_name(b->m, level)),
          S_level_class(b, level), doc_level_tone(b->m, level));
}

static int S_compare_ids(const void *pa, const void *pb) {
  const Record *a = *(const Record *const *)pa, *b = *(const Record *const *)pb;
  return strcmp(a->id, b->id);
}

/* Records of a kind sorted by id: the order of every register. */
static PtrVec S_sorted(Builder *b, Kind kind) {
  const PtrVec *v = &b->m->by_kind[kind];
  PtrVec out = {0};
  for (size_t i = 0; i < v->len; i++)
    ptrvec_push(b->a, &out, v->items[i]);
  if (out.len)
    qsort(out.items, out.len, sizeof *out.items, S_compare_ids);
  return out;
}

/* A level-3 section per record that has a Markdown body, holding that body: the narrative
 * of each risk in the register and of each treatment in the RTP. */
static void S_body_sections(Builder *b, DocNode *parent, const PtrVec *records) {
  for (size_t i = 0; i < records->len; i++) {
    const Record *r = records->items[i];
    if (!r->raw || !r->raw->body_text || !r->raw->body_len)
      continue;
    DocNode *s = S_section(b, parent, 3, arena_printf(b->a, "%s %s", r->id, S_title(r)),
                           arena_printf(b->a, "about-%s", r->id));
    DocNode *md = doc_add(s, doc_new(b->a, DOC_MARKDOWN));
    md->md = r->raw->body_text;
    md->md_len = r->raw->body_len;
    md->record = r;
  }
}

/* ---------------------------------------------------------------- document control */

static void S_set_control(Builder *b, Document *d, const char *title, const char *id) {
  const Record *mf = b->m->manifest;
  DocControl *c = &d->control;
  c->organisation = mf ? S_or(rec_str(mf, MANIFEST_ORGANISATION), "") : "";
  c->title = title;
  c->id = id;
  c->version = mf ? rec_str(mf, MANIFEST_VERSION) : NULL;
  c->owner = mf ? rec_str(mf, MANIFEST_OWNER) : NULL;
  c->classification = mf ? rec_str(mf, MANIFEST_CLASSIFICATION) : NULL;
  const Value *ap = mf ? rec_field(mf, MANIFEST_APPROVED) : NULL;
  if (ap && ap->ok) {
    c->approver = ap->fields[APPROVAL_BY].ok ? ap->fields[APPROVAL_BY].str : NULL;
    c->approved_date = S_date(b, &ap->fields[APPROVAL_DATE]);
  }
  c->status = b->set->draft ? "DRAFT" : NULL;
}

/* A document of the set, listed in `set` without its content (docs_plan). */
static Document *S_document(Builder *b, DocSet *set, const DocType *type, const char *name,
                            const char *title) {
  Document *d = arena_alloc(b->a, sizeof *d);
  d->type = type;
  d->name = name;
  d->title = title;
  d->landscape = type->landscape;
  d->nested = strchr(name, '/') != NULL;
  S_set_control(b, d, title, name);
  ptrvec_push(b->a, &set->documents, d);
  return d;
}

/* The root of a document's content, with the DRAFT notice of a draft set. */
static DocNode *S_body(Builder *b) {
  DocNode *body = doc_new(b->a, DOC_SECTION);
  if (b->set->draft) {
    DocNode *n = doc_add(body, doc_new(b->a, DOC_NOTICE));
    n->cls = "draft";
    doc_text(b->a, n, "DRAFT: built with --force from a tree that has errors. Not for issue.");
  }
  return body;
}

/* ---------------------------------------------------------------- silenced findings */

/* The appendix auditors ask for: every finding a record silenced, with its reason. */
static void S_silenced_appendix(Builder *b, DocNode *parent, const Kind *kinds, size_t nkinds) {
  static const char *const headers[] = {"Record", "Rule", "Reason", NULL};
  DocNode *table = NULL;
  for (size_t k = 0; k < nkinds; k++) {
    PtrVec records = S_sorted(b, kinds[k]);
    for (size_t i = 0; i < records.len; i++) {
      const Record *r = records.items[i];
      const Value *ig = rec_ignores(r);
      for (size_t j = 0; j < ig->count; j++) {
        const Value *f = ig->items[j].fields;
        if (!f[IGNORE_RULE].ok || !f[IGNORE_REASON].ok)
          continue;
        if (!table) {
          DocNode *s = S_section(b, parent, 2, "Appendix: silenced findings", "silenced");
          S_para(b, s, "Checks that a record silenced with `ignore`, and why.");
          table = S_table(b, s, "Silenced findings", headers);
        }
        DocNode *row = S_row(b, table, NULL);
        doc_link_record(b->a, S_cell(b, row, NULL), r, NULL);
        S_cell(b, row, f[IGNORE_RULE].str);
        S_cell(b, row, f[IGNORE_REASON].str);
      }
    }
  }
}

/* ---------------------------------------------------------------- SoA */

typedef struct Coverage {
  size_t total, applicable, excluded, undecided, implemented, partial, planned, not_started;
} Coverage;

static Coverage S_coverage(const Model *m) {
  Coverage c = {0};
  const PtrVec *v = &m->by_kind[KIND_CONTROL];
  for (size_t i = 0; i < v->len; i++) {
    const Record *r = v->items[i];
    if (!r->catalog)
      continue;
    c.total++;
    const Value *app = rec_field(r, CONTROL_APPLICABLE);
    if (r->synthetic || !app->ok) {
      c.undecided++;
      continue;
    }
    if (!app->num) {
      c.excluded++;
      continue;
    }
    c.applicable++;
    const char *st = rec_enum(r, CONTROL_STATUS);
    if (!st)
      continue;
    if (strcmp(st, "implemented") == 0)
      c.implemented++;
    else if (strcmp(st, "partial") == 0)
      c.partial++;
    else if (strcmp(st, "planned") == 0)
      c.planned++;
    else
      c.not_started++;
  }
  return c;
}

static void S_figure(Builder *b, DocNode *figs, size_t n, const char *label) {
  DocNode *f = doc_add(figs, doc_new(b->a, DOC_FIGURE));
  f->text = arena_printf(b->a, "%zu", n);
  f->cls = label;
}

static void S_coverage_figures(Builder *b, DocNode *parent) {
  Coverage c = S_coverage(b->m);
  DocNode *figs = doc_add(parent, doc_new(b->a, DOC_FIGURES));
  S_figure(b, figs, c.total, "controls in the catalog");
  S_figure(b, figs, c.applicable, "applicable");
  S_figure(b, figs, c.excluded, "excluded");
  S_figure(b, figs, c.implemented, "implemented");
  S_figure(b, figs, c.partial, "partially implemented");
  S_figure(b, figs, c.planned + c.not_started, "planned or not started");
  if (c.undecided)
    S_figure(b, figs, c.undecided, "not decided");
}

static const char *S_reason_name(const char *reason) {
  static const char *const names[][2] = {{"legal", "Legal requirement"},
                                         {"contractual", "Contractual obligation"},
                                         {"business", "Business requirement"},
                                         {"best-practice", "Best practice"}};
  for (size_t i = 0; i < 4; i++)
    if (strcmp(reason, names[i][0]) == 0)
      return names[i][1];
  return reason;
}

/* The SoA's justification: the risks that select the control, and the declared reasons;
 * or why it is excluded. */
static void S_justification(Builder *b, DocNode *cell, const Record *r) {
  const Value *app = rec_field(r, CONTROL_APPLICABLE);
  if (app->ok && !app->num) {
    doc_text(b->a, cell, S_or(rec_str(r, CONTROL_JUSTIFICATION), "(no justification)"));
    return;
  }
  bool first = true;
  if (rec_links(r, LINK_RISKS)->len) {
    doc_text(b->a, cell, "Risks: ");
    S_record_links(b, cell, rec_links(r, LINK_RISKS));
    first = false;
  }
  const Value *reasons = rec_field(r, CONTROL_REASONS);
  for (size_t i = 0; i < reasons->count; i++) {
    doc_text(b->a, cell, first ? "" : (i ? ", " : "; "));
    doc_text(b->a, cell, S_reason_name(reasons->items[i].str));
    first = false;
  }
}

static void S_evidence(Builder *b, DocNode *cell, const Record *r) {
  const Value *ev = rec_field(r, CONTROL_EVIDENCE);
  bool first = true;
  for (size_t i = 0; i < ev->count; i++) {
    const Value *f = ev->items[i].fields;
    const char *title = f[EVIDENCE_TITLE].ok ? f[EVIDENCE_TITLE].str : NULL;
    S_sep(b, cell, &first);
    if (f[EVIDENCE_URL].ok) {
      DocNode *l = doc_add(cell, doc_new(b->a, DOC_LINK));
      l->href = f[EVIDENCE_URL].str;
      doc_text(b->a, l, S_or(title, f[EVIDENCE_URL].str));
    } else if (f[EVIDENCE_PATH].ok) {
      doc_text(b->a, cell,
               title ? arena_printf(b->a, "%s (%s)", title, f[EVIDENCE_PATH].str)
                     : f[EVIDENCE_PATH].str);
    }
  }
}

static const char *S_applicable_text(const Record *r) {
  const Value *app = rec_field(r, CONTROL_APPLICABLE);
  if (r->synthetic || !app->ok)
    return "Not decided";
  return app->num ? "Yes" : "No";
}

static void S_build_soa(Builder *b, const Document *d) {
  DocNode *top = S_section(b, d->body, 1, d->title, NULL);
  const Catalog *cat = b->m->catalog;
  S_para(b, top,
         arena_printf(b->a,
                      "Controls of %s: whether each applies, why, and how far it "
                      "is implemented.",
                      cat && cat->title ? cat->title : "the catalog"));
  S_coverage_figures(b, top);
  static const char *const headers[] = {"Control",       "Title",    "Applicable",
                                        "Justification", "Status",   "Owner",
                                        "Policies",      "Evidence", NULL};
  const PtrVec *controls = &b->m->by_kind[KIND_CONTROL];
  for (size_t t = 0; cat && t < cat->ntheme; t++) {
    const CatalogTheme *theme = &cat->themes[t];
    DocNode *s =
        S_section(b, top, 2, arena_printf(b->a, "%s %s", theme->id, S_or(theme->title, "")),
                  arena_printf(b->a, "theme-%s", theme->id));
    DocNode *table = S_table(b, s, arena_printf(b->a, "Controls of theme %s", theme->id), headers);
    table->cls = "soa"; /* the same column widths in every theme's table */
    for (size_t i = 0; i < controls->len; i++) {
      const Record *r = controls->items[i];
      if (!r->catalog || !r->catalog->theme || strcmp(r->catalog->theme, theme->id) != 0)
        continue;
      DocNode *row = S_row(b, table, r->id);
      S_cell(b, row, r->id);
      S_cell(b, row, r->catalog->title);
      S_cell(b, row, S_applicable_text(r));
      S_justification(b, S_cell(b, row, NULL), r);
      DocNode *st = S_cell(b, row, NULL);
      const char *status = rec_enum(r, CONTROL_STATUS);
      if (status)
        S_badge(b, st, status, arena_printf(b->a, "status-%s", status), S_status_tone(status));
      S_cell(b, row, S_or(rec_str(r, CONTROL_OWNER), ""));
      S_record_links(b, S_cell(b, row, NULL), rec_links(r, LINK_COVERED_BY));
      S_evidence(b, S_cell(b, row, NULL), r);
    }
  }
  /* How each implemented control works, in the words of its record. */
  DocNode *impl = NULL;
  for (size_t i = 0; i < controls->len; i++) {
    const Record *r = controls->items[i];
    if (!r->raw || !r->raw->body_text || !r->raw->body_len)
      continue;
    if (!impl)
      impl = S_section(b, top, 2, "Implementation notes", "implementation");
    DocNode *s = S_section(b, impl, 3, arena_printf(b->a, "%s %s", r->id, S_title(r)),
                           arena_printf(b->a, "impl-%s", r->id));
    DocNode *md = doc_add(s, doc_new(b->a, DOC_MARKDOWN));
    md->md = r->raw->body_text;
    md->md_len = r->raw->body_len;
    md->record = r;
  }
  static const Kind kinds[] = {KIND_CONTROL};
  S_silenced_appendix(b, top, kinds, 1);
}

/* ---------------------------------------------------------------- RTP */

static int S_compare_risk_scores(const void *pa, const void *pb) {
  const Record *a = *(const Record *const *)pa, *b = *(const Record *const *)pb;
  if (a->score != b->score)
    return a->score > b->score ? -1 : 1;
  return strcmp(a->id, b->id);
}

static bool S_overdue(Builder *b, const Record *t) {
  const Value *due = rec_field(t, TREATMENT_DUE);
  const char *status = rec_enum(t, TREATMENT_STATUS);
  bool closed = status && (strcmp(status, "done") == 0 || strcmp(status, "cancelled") == 0);
  return due->ok && due->date.days < b->m->today.days && !closed;
}

static void S_acceptance(Builder *b, DocNode *cell, const Record *r) {
  const Value *acc = rec_field(r, RISK_ACCEPTANCE);
  if (!acc->ok)
    return;
  const Value *f = acc->fields;
  doc_text(b->a, cell,
           arena_printf(b->a, "%s, %s", S_or(f[ACCEPTANCE_BY].str, "?"),
                        S_date(b, &f[ACCEPTANCE_DATE])));
  if (f[ACCEPTANCE_RATIONALE].ok)
    doc_text(b->a, cell, arena_printf(b->a, ": %s", f[ACCEPTANCE_RATIONALE].str));
}

static void S_treatment_status(Builder *b, DocNode *cell, const Record *t) {
  const char *status = rec_enum(t, TREATMENT_STATUS);
  if (status)
    S_badge(b, cell, status, arena_printf(b->a, "status-%s", status), S_status_tone(status));
  if (S_overdue(b, t))
    S_badge(b, cell, "overdue", "overdue", TONE_OVERDUE);
}

static void S_build_rtp(Builder *b, const Document *d) {
  DocNode *top = S_section(b, d->body, 1, d->title, NULL);
  S_para(b, top,
         "Risks in order of inherent score, how each is treated, what is left, and who "
         "accepted it.");
  PtrVec risks = S_sorted(b, KIND_RISK);
  if (risks.len)
    qsort(risks.items, risks.len, sizeof *risks.items, S_compare_risk_scores);
  static const char *const rh[] = {"Risk",       "Owner",    "Assets",     "Inherent", "Treatment",
                                   "Treatments", "Residual", "Acceptance", NULL};
  DocNode *rs = S_section(b, top, 2, "Risks by inherent score", "risks");
  DocNode *table = S_table(b, rs, "Risks and their treatment", rh);
  for (size_t i = 0; i < risks.len; i++) {
    const Record *r = risks.items[i];
    DocNode *row = S_row(b, table, NULL);
    doc_link_record(b->a, S_cell(b, row, NULL), r, arena_printf(b->a, "%s %s", r->id, S_title(r)));
    S_cell(b, row, S_or(rec_str(r, RISK_OWNER), ""));
    S_ref_links(b, S_cell(b, row, NULL), rec_field(r, RISK_ASSETS));
    S_score_badge(b, S_cell(b, row, NULL), r->score, r->level);
    S_cell(b, row, S_or(rec_enum(r, RISK_TREATMENT), ""));
    S_record_links(b, S_cell(b, row, NULL), rec_links(r, LINK_TREATMENTS));
    S_score_badge(b, S_cell(b, row, NULL), r->residual_score, r->residual_level);
    S_acceptance(b, S_cell(b, row, NULL), r);
  }
  static const char *const th[] = {"Treatment", "Title", "Risks",  "Controls",
                                   "Owner",     "Due",   "Status", NULL};
  DocNode *ts = S_section(b, top, 2, "Treatments", "treatments");
  DocNode *tt = S_table(b, ts, "Treatment actions", th);
  PtrVec treatments = S_sorted(b, KIND_TREATMENT);
  for (size_t i = 0; i < treatments.len; i++) {
    const Record *t = treatments.items[i];
    DocNode *row = S_row(b, tt, t->id);
    if (S_overdue(b, t))
      row->cls = "overdue";
    S_cell(b, row, t->id);
    S_cell(b, row, S_title(t));
    S_ref_links(b, S_cell(b, row, NULL), rec_field(t, TREATMENT_RISKS));
    S_ref_links(b, S_cell(b, row, NULL), rec_field(t, TREATMENT_CONTROLS));
    S_cell(b, row, S_or(rec_str(t, TREATMENT_OWNER), ""));
    S_cell(b, row, S_date(b, rec_field(t, TREATMENT_DUE)));
    S_treatment_status(b, S_cell(b, row, NULL), t);
  }
  S_body_sections(b, ts, &treatments);
  static const Kind kinds[] = {KIND_RISK, KIND_TREATMENT};
  S_silenced_appendix(b, top, kinds, 2);
}

/* ---------------------------------------------------------------- register and heat maps */

static HeatMap *S_heatmap(Builder *b, bool residual) {
  const RiskMethod *rm = &b->m->method;
  HeatMap *h = arena_alloc(b->a, sizeof *h);
  h->title = residual ? "Residual risk" : "Inherent risk";
  h->nlikelihood = rm->nlikelihood > 10 ? 10 : (int)rm->nlikelihood;
  h->nimpact = rm->nimpact > 10 ? 10 : (int)rm->nimpact;
  h->likelihood = rm->likelihood;
  h->impact = rm->impact;
  for (int l = 1; l <= h->nlikelihood; l++)
    for (int i = 1; i <= h->nimpact; i++) {
      int level = model_level_of(b->m, l * i); /* beyond the levels: the top band */
      h->tones[l - 1][i - 1] = level < 0 ? TONE_CRITICAL : doc_level_tone(b->m, level);
    }
  PtrVec risks = S_sorted(b, KIND_RISK);
  for (size_t i = 0; i < risks.len; i++) {
    const Record *r = risks.items[i];
    long l, im;
    if (residual) {
      const Value *res = rec_field(r, RISK_RESIDUAL);
      if (!res->ok || !res->fields[RESIDUAL_LIKELIHOOD].ok || !res->fields[RESIDUAL_IMPACT].ok)
        continue;
      l = res->fields[RESIDUAL_LIKELIHOOD].num;
      im = res->fields[RESIDUAL_IMPACT].num;
    } else {
      if (!rec_has(r, RISK_LIKELIHOOD) || !rec_has(r, RISK_IMPACT))
        continue;
      l = rec_field(r, RISK_LIKELIHOOD)->num;
      im = rec_field(r, RISK_IMPACT)->num;
    }
    if (l < 1 || im < 1 || l > h->nlikelihood || im > h->nimpact)
      continue;
    ptrvec_push(b->a, &h->cells[l - 1][im - 1], (void *)r);
  }
  return h;
}

static void S_add_heatmap(Builder *b, DocNode *parent, HeatMap *h) {
  DocNode *n = doc_add(parent, doc_new(b->a, DOC_HEATMAP));
  n->heatmap = h;
  n->anchor = strcmp(h->title, "Residual risk") == 0 ? "residual" : "inherent";
}

/* Under each heat map, which risks each cell holds: the cells link here. */
static void S_heat_cells(Builder *b, DocNode *parent, HeatMap *h, const char *which) {
  static const char *const headers[] = {"Cell", "Likelihood", "Impact", "Risks", NULL};
  DocNode *t = S_table(b, parent, arena_printf(b->a, "%s by cell", h->title), headers);
  for (int l = h->nlikelihood; l >= 1; l--) {
    for (int i = 1; i <= h->nimpact; i++) {
      const PtrVec *cell = &h->cells[l - 1][i - 1];
      if (!cell->len)
        continue;
      DocNode *row = S_row(b, t, arena_printf(b->a, "%s-%d-%d", which, l, i));
      /* No-break spaces: "5 × 4" must not wrap in a narrow column. */
      S_cell(b, row, arena_printf(b->a, "%d\u00a0×\u00a0%d = %d", l, i, l * i));
      S_cell(b, row, h->likelihood ? h->likelihood[l - 1] : "");
      S_cell(b, row, h->impact ? h->impact[i - 1] : "");
      S_record_links(b, S_cell(b, row, NULL), cell);
    }
  }
}

static void S_build_register(Builder *b, const Document *d) {
  DocNode *top = S_section(b, d->body, 1, d->title, NULL);
  HeatMap *inherent = S_heatmap(b, false), *residual = S_heatmap(b, true);
  DocNode *maps = S_section(b, top, 2, "Heat maps", "heatmaps");
  S_add_heatmap(b, maps, inherent);
  S_add_heatmap(b, maps, residual);
  S_heat_cells(b, maps, inherent, "inherent");
  S_heat_cells(b, maps, residual, "residual");

  static const char *const rh[] = {"Risk",   "Title",         "Owner", "Assets",
                                   "Threat", "Vulnerability", "L × I", "Inherent",
                                   "Option", "Residual",      NULL};
  DocNode *rs = S_section(b, top, 2, "Risks", "register");
  DocNode *table = S_table(b, rs, "Risk register", rh);
  PtrVec risks = S_sorted(b, KIND_RISK);
  for (size_t i = 0; i < risks.len; i++) {
    const Record *r = risks.items[i];
    DocNode *row = S_row(b, table, r->id);
    S_cell(b, row, r->id);
    S_cell(b, row, S_title(r));
    S_cell(b, row, S_or(rec_str(r, RISK_OWNER), ""));
    S_ref_links(b, S_cell(b, row, NULL), rec_field(r, RISK_ASSETS));
    S_cell(b, row, S_or(rec_str(r, RISK_THREAT), ""));
    S_cell(b, row, S_or(rec_str(r, RISK_VULNERABILITY), ""));
    S_cell(b, row,
           arena_printf(b->a, "%ld\u00a0×\u00a0%ld", rec_field(r, RISK_LIKELIHOOD)->num,
                        rec_field(r, RISK_IMPACT)->num));
    S_score_badge(b, S_cell(b, row, NULL), r->score, r->level);
    /* The option and the treatments that carry it out: the way on from a risk to its
     * controls (a reader arrives here from a heat-map cell). */
    DocNode *opt = S_cell(b, row, S_or(rec_enum(r, RISK_TREATMENT), ""));
    if (rec_links(r, LINK_TREATMENTS)->len) {
      doc_text(b->a, opt, ": ");
      S_record_links(b, opt, rec_links(r, LINK_TREATMENTS));
    }
    S_score_badge(b, S_cell(b, row, NULL), r->residual_score, r->residual_level);
  }
  S_body_sections(b, rs, &risks);
  static const char *const ah[] = {"Asset",          "Title", "Owner", "Type",
                                   "Classification", "Risks", NULL};
  DocNode *as = S_section(b, top, 2, "Assets", "assets");
  DocNode *at = S_table(b, as, "Information assets", ah);
  PtrVec assets = S_sorted(b, KIND_ASSET);
  for (size_t i = 0; i < assets.len; i++) {
    const Record *r = assets.items[i];
    DocNode *row = S_row(b, at, r->id);
    S_cell(b, row, r->id);
    S_cell(b, row, S_title(r));
    S_cell(b, row, S_or(rec_str(r, ASSET_OWNER), ""));
    S_cell(b, row, S_or(rec_enum(r, ASSET_TYPE), ""));
    S_cell(b, row, S_or(rec_str(r, ASSET_CLASSIFICATION), ""));
    S_record_links(b, S_cell(b, row, NULL), rec_links(r, LINK_RISKS));
  }
}

/* ---------------------------------------------------------------- traceability */

/* What every row of a control shows: its label ("A.5.1 Policies for information security")
 * and links to its policies (19 on average on the bench tree). The matrix repeats them on
 * every row of the control (tens of thousands of rows, most of its nodes, on a large tree),
 * so they are made once per control, in a holder node kept in `made`: each row's policies
 * cell shares the holder's children (see DocNode in doc.h) and gets nothing added. */
static const DocNode *S_control_parts(Builder *b, HashMap *made, const Record *ctl) {
  DocNode *parts = hashmap_get(made, ctl->id);
  if (!parts) {
    parts = doc_new(b->a, DOC_CELL);
    parts->text = arena_printf(b->a, "%s %s", ctl->id, S_title(ctl));
    S_record_links(b, parts, rec_links(ctl, LINK_COVERED_BY));
    hashmap_put(b->a, made, ctl->id, parts);
  }
  return parts;
}

static void S_build_trace(Builder *b, const Document *d) {
  DocNode *top = S_section(b, d->body, 1, d->title, NULL);
  S_para(b, top,
         "Each risk, the treatments that act on it, the controls they select, and the "
         "policies that cover those controls.");
  static const char *const headers[] = {"Risk", "Treatment", "Control", "Policies", NULL};
  DocNode *table = S_table(b, top, "Risk, treatment, control and policy", headers);
  PtrVec risks = S_sorted(b, KIND_RISK);
  HashMap made; /* per control: S_control_parts */
  hashmap_init(&made);
  for (size_t i = 0; i < risks.len; i++) {
    const Record *r = risks.items[i];
    const char *label = arena_printf(b->a, "%s %s", r->id, S_title(r)); /* on each of its rows */
    bool any = false;
    for (size_t t = 0; t < rec_links(r, LINK_TREATMENTS)->len; t++) {
      const Record *tr = rec_links(r, LINK_TREATMENTS)->items[t];
      const Value *controls = rec_field(tr, TREATMENT_CONTROLS);
      for (size_t c = 0; c < controls->count || (c == 0 && !controls->count); c++) {
        const Record *ctl = controls->count ? controls->items[c].ref : NULL;
        if (controls->count && !ctl)
          continue;
        const DocNode *parts = ctl ? S_control_parts(b, &made, ctl) : NULL;
        DocNode *row = S_row(b, table, NULL);
        doc_link_record(b->a, S_cell(b, row, NULL), r, label);
        doc_link_record(b->a, S_cell(b, row, NULL), tr, NULL);
        DocNode *cc = S_cell(b, row, NULL);
        if (ctl)
          doc_link_record(b->a, cc, ctl, parts->text);
        DocNode *pc = S_cell(b, row, NULL);
        if (parts) {
          pc->first = parts->first;
          pc->last = parts->last;
        }
        any = true;
      }
    }
    if (!any) {
      DocNode *row = S_row(b, table, NULL);
      doc_link_record(b->a, S_cell(b, row, NULL), r, label);
      S_cell(b, row, S_or(rec_enum(r, RISK_TREATMENT), ""));
      S_cell(b, row, "");
      S_cell(b, row, "");
    }
  }
}

/* ---------------------------------------------------------------- policies */

static bool S_review_due(Builder *b, const Record *p) {
  const Value *review = rec_field(p, POLICY_REVIEW);
  if (review->ok && review->date.days < b->m->today.days)
    return true;
  const Value *ap = rec_field(p, POLICY_APPROVED);
  long max = b->m->policy_max_age_days;
  return max >= 0 && ap->ok && ap->fields[APPROVAL_DATE].ok &&
         b->m->today.days - ap->fields[APPROVAL_DATE].date.days > max;
}

/* A policy's page carries the policy's own document control. */
static void S_policy_control(Builder *b, Document *d) {
  const Record *p = d->record;
  DocControl *c = &d->control;
  c->id = p->id;
  c->version = rec_str(p, POLICY_VERSION);
  c->owner = rec_str(p, POLICY_OWNER);
  c->classification = rec_str(p, POLICY_CLASSIFICATION);
  const Value *ap = rec_field(p, POLICY_APPROVED);
  c->approver = ap->ok && ap->fields[APPROVAL_BY].ok ? ap->fields[APPROVAL_BY].str : NULL;
  c->approved_date = ap->ok ? S_date(b, &ap->fields[APPROVAL_DATE]) : NULL;
  c->next_review = S_date(b, rec_field(p, POLICY_REVIEW));
  const char *status = rec_enum(p, POLICY_STATUS);
  c->status = b->set->draft ? "DRAFT" : status;
}

static void S_build_policy(Builder *b, const Document *d) {
  const Record *p = d->record;
  DocNode *top = S_section(b, d->body, 1, d->title, p->id);
  if (rec_links(p, LINK_COVERS)->len) {
    DocNode *para = S_para(b, top, "Controls this policy covers: ");
    bool first = true;
    for (size_t i = 0; i < rec_links(p, LINK_COVERS)->len; i++) {
      const Record *ctl = rec_links(p, LINK_COVERS)->items[i];
      S_sep(b, para, &first);
      doc_link_record(b->a, para, ctl, arena_printf(b->a, "%s %s", ctl->id, S_title(ctl)));
    }
  }
  if (p->raw && p->raw->body_text) {
    DocNode *md = doc_add(top, doc_new(b->a, DOC_MARKDOWN));
    md->md = p->raw->body_text;
    md->md_len = p->raw->body_len;
    md->record = p;
  }
}

/* ---------------------------------------------------------------- index */

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

static const char *S_index_title(const Model *m) {
  return m->manifest ? S_or(rec_str(m->manifest, MANIFEST_TITLE), "ISMS") : "ISMS";
}

static void S_build_index(Builder *b, const Document *d) {
  const Model *m = b->m;
  DocNode *top = S_section(b, d->body, 1, d->title, NULL);
  if (b->set->draft && b->set->diags) {
    DocNode *n = doc_add(top, doc_new(b->a, DOC_NOTICE));
    n->cls = "errors";
    doc_text(b->a, n, arena_printf(b->a, "%zu errors in the source tree:", b->set->diags->errors));
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
  const Record *scope = m->by_kind[KIND_SCOPE].len ? m->by_kind[KIND_SCOPE].items[0] : NULL;
  if (scope) {
    DocNode *s = S_section(b, top, 2, arena_printf(b->a, "Scope: %s", S_title(scope)), scope->id);
    const Value *inc = rec_field(scope, SCOPE_INCLUDES);
    if (inc->count) {
      S_para(b, s, "In scope:");
      DocNode *list = doc_add(s, doc_new(b->a, DOC_LIST));
      for (size_t i = 0; i < inc->count; i++)
        doc_text(b->a, doc_add(list, doc_new(b->a, DOC_ITEM)), inc->items[i].str);
    }
    const Value *exc = rec_field(scope, SCOPE_EXCLUDES);
    if (exc->count) {
      S_para(b, s, "Out of scope:");
      DocNode *list = doc_add(s, doc_new(b->a, DOC_LIST));
      for (size_t i = 0; i < exc->count; i++)
        doc_text(b->a, doc_add(list, doc_new(b->a, DOC_ITEM)), exc->items[i].str);
    }
    if (scope->raw && scope->raw->body_text) {
      DocNode *md = doc_add(s, doc_new(b->a, DOC_MARKDOWN));
      md->md = scope->raw->body_text;
      md->md_len = scope->raw->body_len;
      md->record = scope;
    }
  }
  DocNode *cov = S_section(b, top, 2, "Control coverage", "coverage");
  S_coverage_figures(b, cov);
  DocNode *maps = S_section(b, top, 2, "Risk", "risk");
  S_add_heatmap(b, maps, S_heatmap(b, false));
  S_add_heatmap(b, maps, S_heatmap(b, true));

  DocNode *od = S_section(b, top, 2, "Overdue treatments", "overdue");
  static const char *const oh[] = {"Treatment", "Title", "Owner", "Due", "Status", NULL};
  PtrVec treatments = S_sorted(b, KIND_TREATMENT);
  DocNode *ot = NULL;
  for (size_t i = 0; i < treatments.len; i++) {
    const Record *t = treatments.items[i];
    if (!S_overdue(b, t))
      continue;
    if (!ot)
      ot = S_table(b, od, "Overdue treatments", oh);
    DocNode *row = S_row(b, ot, NULL);
    doc_link_record(b->a, S_cell(b, row, NULL), t, NULL);
    S_cell(b, row, S_title(t));
    S_cell(b, row, S_or(rec_str(t, TREATMENT_OWNER), ""));
    S_cell(b, row, S_date(b, rec_field(t, TREATMENT_DUE)));
    S_treatment_status(b, S_cell(b, row, NULL), t);
  }
  if (!ot)
    S_para(b, od, "None: every treatment is on schedule.");

  DocNode *pd = S_section(b, top, 2, "Policies", "policies");
  static const char *const ph[] = {"Policy", "Title", "Version", "Owner", "Next review", NULL};
  DocNode *pt = S_table(b, pd, "Policies", ph);
  PtrVec policies = S_sorted(b, KIND_POLICY);
  for (size_t i = 0; i < policies.len; i++) {
    const Record *p = policies.items[i];
    DocNode *row = S_row(b, pt, NULL);
    doc_link_record(b->a, S_cell(b, row, NULL), p, NULL);
    S_cell(b, row, S_title(p));
    S_cell(b, row, S_or(rec_str(p, POLICY_VERSION), ""));
    S_cell(b, row, S_or(rec_str(p, POLICY_OWNER), ""));
    DocNode *rc = S_cell(b, row, S_date(b, rec_field(p, POLICY_REVIEW)));
    if (S_review_due(b, p))
      S_badge(b, rc, "review due", "overdue", TONE_OVERDUE);
  }
  DocNode *ds = S_section(b, top, 2, "Checks", "checks");
  const Diags *g = b->set->diags;
  S_para(b, ds,
         g ? arena_printf(b->a,
                          "%zu errors, %zu warnings, %zu notes, %zu silenced by "
                          "records (listed in the SoA and RTP appendices).",
                          g->errors, g->warnings, g->notes, g->suppressed)
           : "");
}

/* ---------------------------------------------------------------- the registry */

static const DocType S_types[] = {
    /* part, file, title, nav, blurb, formats, landscape, per_record, build */
    {"index", "index", NULL, "Overview", NULL, DOC_HTML, false, -1, S_build_index},
    {"soa", "soa", "Statement of Applicability", "Statement of Applicability",
     "Statement of Applicability", DOC_HTML | DOC_DOCX | DOC_XLSX, true, -1, S_build_soa},
    {"rtp", "rtp", "Risk Treatment Plan", "Risk Treatment Plan", "Risk Treatment Plan",
     DOC_HTML | DOC_DOCX | DOC_XLSX, false, -1, S_build_rtp},
    {"risks", "risks", "Risk Register", "Risk register", "Risk register and heat maps",
     DOC_HTML | DOC_XLSX, false, -1, S_build_register},
    {"trace", "trace", "Traceability", "Traceability", "Traceability matrix", DOC_HTML, false, -1,
     S_build_trace},
    {"policies", "policies", NULL, NULL, NULL, DOC_HTML | DOC_DOCX, false, KIND_POLICY,
     S_build_policy},
};

const DocType *doc_types(size_t *count) {
  *count = sizeof S_types / sizeof S_types[0];
  return S_types;
}

const DocType *doc_type_find(const char *part) {
  for (size_t i = 0; i < sizeof S_types / sizeof S_types[0]; i++)
    if (strcmp(S_types[i].part, part) == 0)
      return &S_types[i];
  return NULL;
}

/* The document a record of this kind is shown in: its kind's home document (schema.h),
 * else the row with a document per record of the kind, else the index. */
static const DocType *S_find_home(Kind kind) {
  const char *home = kind_spec(kind)->document;
  const DocType *t = home ? doc_type_find(home) : NULL;
  for (size_t i = 0; !t && !home && i < sizeof S_types / sizeof S_types[0]; i++)
    if (S_types[i].per_record == (int)kind)
      t = &S_types[i];
  return t ? t : &S_types[0];
}

/* Each kind's home row, found once by docs_plan (before any worker routes a link). */
static const DocType *S_homes[KIND_COUNT];

static const DocType *S_home(Kind kind) {
  return S_homes[kind] ? S_homes[kind] : S_find_home(kind);
}

bool doc_route(const Document *from, const Record *r, unsigned format, DocRoute *out) {
  const DocType *home = S_home(r->kind);
  if (!(home->formats & format))
    return false;
  out->up = from && from->nested ? "../" : "";
  if (home->per_record >= 0) {
    out->folder = home->file;
    out->file = r->id;
    out->anchor = NULL;
    out->here = from && from->record == r;
  } else {
    out->folder = NULL;
    out->file = home->file;
    out->anchor = r->id;
    out->here = from && from->type == home;
  }
  return true;
}

/* ---------------------------------------------------------------- the set */

enum { MAX_CONTROL_FIELDS = 12 };

static void S_field(Document *d, const char *key, const char *value) {
  if (value && *value && d->nfields < MAX_CONTROL_FIELDS)
    d->fields[d->nfields++] = (DocField){key, value};
}

/* The control block and the footer, as data every renderer lays out the same way. */
static void S_finish_control(Builder *b, Document *d) {
  const DocControl *c = &d->control;
  char *issued = arena_alloc(b->a, 11);
  date_format(&b->set->date, issued);
  const char *revision = revision_text(b->a, b->set->revision);
  d->fields = arena_alloc(b->a, MAX_CONTROL_FIELDS * sizeof *d->fields);
  S_field(d, "Organisation", c->organisation);
  S_field(d, "Document", c->title);
  S_field(d, "Document id", c->id);
  S_field(d, "Version", c->version);
  S_field(d, "Owner", c->owner);
  S_field(d, "Approved by", c->approver);
  S_field(d, "Approved on", c->approved_date);
  S_field(d, "Next review", c->next_review);
  S_field(d, "Classification", c->classification);
  S_field(d, "Status", c->status);
  S_field(d, "Issued", issued);
  S_field(d, "Source revision", revision);
  const char *org =
      c->organisation && *c->organisation ? arena_printf(b->a, "%s · ", c->organisation) : "";
  const char *version = c->version ? arena_printf(b->a, " · version %s", c->version) : "";
  d->footer = arena_printf(b->a, "%s%s%s · issued %s · revision %s", org, d->title ? d->title : "",
                           version, issued, revision);
}

void docs_plan(DocSet *set, Arena *a, const Model *m, const Revision *rev, bool draft,
               const Diags *diags) {
  memset(set, 0, sizeof *set);
  set->model = m;
  set->revision = rev;
  set->draft = draft;
  set->diags = diags;
  set->date = m->today;
  Builder b = {a, m, set};
  for (int k = 0; k < KIND_COUNT; k++)
    S_homes[k] = S_find_home((Kind)k);
  for (size_t t = 0; t < sizeof S_types / sizeof S_types[0]; t++) {
    const DocType *type = &S_types[t];
    if (type->per_record < 0) {
      Document *d =
          S_document(&b, set, type, type->file, type->title ? type->title : S_index_title(m));
      S_finish_control(&b, d);
      continue;
    }
    PtrVec records = S_sorted(&b, (Kind)type->per_record);
    for (size_t i = 0; i < records.len; i++) {
      const Record *r = records.items[i];
      Document *d =
          S_document(&b, set, type, arena_printf(a, "%s/%s", type->file, r->id), S_title(r));
      d->record = r;
      if (type->per_record == KIND_POLICY)
        S_policy_control(&b, d);
      S_finish_control(&b, d);
    }
  }
}

void docs_build_body(const DocSet *set, Document *d, Arena *a) {
  Builder b = {a, set->model, set};
  d->body = S_body(&b);
  d->type->build(&b, d);
}

void docs_build(DocSet *set, Arena *a, const Model *m, const Revision *rev, bool draft,
                const Diags *diags) {
  docs_plan(set, a, m, rev, draft, diags);
  for (size_t i = 0; i < set->documents.len; i++)
    docs_build_body(set, set->documents.items[i], a);
}
