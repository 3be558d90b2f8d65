/* doc_soa.c - the Statement of Applicability: every control of the catalog, grouped by
 * theme, whether it applies and why (the risks that select it, its declared reasons, or
 * why it is excluded), its status (with the open treatments that will complete it), owner,
 * policies (title and version) and evidence; key figures of coverage; implementation notes,
 * which each row links to; an Evidence appendix with each cited file's SHA-256.
 *
 * What must stay true: evidence links only where there is a target (a URL, or a file
 * --with-evidence copied: evidence.c decides which). The XLSX takes its columns from the
 * table's sheet form (doc_sheets.c), so the reader's detail here never reaches an import.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "doc_build.h"
#include "evidence.h"

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
  f->value = (DocValue){.type = VALUE_NUMBER, .number = (double)n};
  f->cls = label;
}

void db_coverage_figures(Builder *b, DocNode *parent) {
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
void db_inclusion_reasons(Builder *b, DocNode *cell, const Record *r) {
  const Value *app = rec_field(r, CONTROL_APPLICABLE);
  if (app->ok && !app->num) {
    doc_text(b->a, cell, db_or(rec_str(r, CONTROL_JUSTIFICATION), "(no justification)"));
    return;
  }
  bool first = true;
  if (rec_links(r, LINK_RISKS)->len) {
    doc_text(b->a, cell, "Risks: ");
    db_record_links(b, cell, rec_links(r, LINK_RISKS));
    first = false;
  }
  const Value *reasons = rec_field(r, CONTROL_REASONS);
  for (size_t i = 0; i < reasons->count; i++) {
    doc_text(b->a, cell, first ? "" : (i ? ", " : "; "));
    doc_text(b->a, cell, S_reason_name(reasons->items[i].str));
    first = false;
  }
}

/* Where an evidence item links: its URL, or (--with-evidence) its copy in OUT/evidence/;
 * NULL for a file that was not copied. */
static const char *S_evidence_href(Builder *b, const Value *f) {
  if (f[EVIDENCE_URL].ok)
    return f[EVIDENCE_URL].str;
  if (f[EVIDENCE_PATH].ok && b->set->with_evidence && b->m->tree &&
      evidence_in_tree(b->m->tree->source, f[EVIDENCE_PATH].str))
    return arena_printf(b->a, "evidence/%s", f[EVIDENCE_PATH].str);
  return NULL;
}

/* The path or URL, linked when it can be. */
static void S_evidence_link(Builder *b, DocNode *parent, const Value *f) {
  const char *where = f[EVIDENCE_PATH].ok ? f[EVIDENCE_PATH].str : f[EVIDENCE_URL].str;
  const char *href = S_evidence_href(b, f);
  DocNode *at = parent;
  if (href) {
    at = doc_add(parent, doc_new(b->a, DOC_LINK));
    at->href = href;
  }
  doc_text(b->a, at, where);
}

/* Each item: its title, its path (a link to the file or URL), its date and its digest, so
 * an auditor can check the file they are sent against the SoA. */
static void S_evidence(Builder *b, DocNode *cell, const Record *r) {
  const Value *ev = rec_field(r, CONTROL_EVIDENCE);
  bool first = true;
  for (size_t i = 0; i < ev->count; i++) {
    const Value *f = ev->items[i].fields;
    if (!f || (!f[EVIDENCE_PATH].ok && !f[EVIDENCE_URL].ok))
      continue;
    db_sep(b, cell, &first);
    if (f[EVIDENCE_TITLE].ok)
      doc_text(b->a, cell, arena_printf(b->a, "%s: ", f[EVIDENCE_TITLE].str));
    S_evidence_link(b, cell, f);
    if (f[EVIDENCE_DATE].ok)
      doc_text(b->a, cell, arena_printf(b->a, " (%s)", db_date(b, &f[EVIDENCE_DATE])));
  }
}

/* The SHA-256 of the tree's file at path ("" when it cannot be read), remembered in done. */
static const char *S_digest(Builder *b, HashMap *done, const Source *src, const char *path) {
  const char *digest = hashmap_get(done, path);
  if (!digest) {
    char hex[65] = "";
    if (src)
      evidence_sha256(src, b->a, path, hex);
    digest = arena_strdup(b->a, hex);
    hashmap_put(b->a, done, path, (void *)digest);
  }
  return digest;
}

/* The appendix that makes the evidence verifiable: every cited file with its SHA-256,
 * computed now from the file as the tree holds it. */
static void S_evidence_appendix(Builder *b, DocNode *top) {
  static const char *const headers[] = {"Control", "Evidence", "Path or URL",
                                        "Date",    "SHA-256",  NULL};
  DocNode *table = NULL;
  const Source *src = b->m->tree ? b->m->tree->source : NULL;
  HashMap digests; /* path -> its digest: a file cited by several controls is read once */
  hashmap_init(&digests);
  const PtrVec *controls = &b->m->by_kind[KIND_CONTROL];
  for (size_t i = 0; i < controls->len; i++) {
    const Record *r = controls->items[i];
    const Value *ev = rec_field(r, CONTROL_EVIDENCE);
    for (size_t k = 0; k < ev->count; k++) {
      const Value *f = ev->items[k].fields;
      if (!f || (!f[EVIDENCE_PATH].ok && !f[EVIDENCE_URL].ok))
        continue;
      if (!table) {
        DocNode *s = db_section(b, top, 2, "Evidence", "evidence");
        db_para(b, s,
                "Each file a control cites, with the SHA-256 of the file in the tree this "
                "document was built from: `sha256sum FILE` gives the same digest for an "
                "unaltered copy.");
        table = db_table(b, s, "Evidence and its digests", headers);
        table->cls = "evidence";
      }
      DocNode *row = db_row(b, table, NULL);
      doc_link_record(b->a, db_cell(b, row, NULL), r, r->id);
      db_cell(b, row, f[EVIDENCE_TITLE].ok ? f[EVIDENCE_TITLE].str : "");
      S_evidence_link(b, db_cell(b, row, NULL), f);
      db_date_cell(b, row, &f[EVIDENCE_DATE]);
      const char *digest =
          f[EVIDENCE_PATH].ok ? S_digest(b, &digests, src, f[EVIDENCE_PATH].str) : "";
      DocNode *h = db_cell(b, row, digest);
      h->cls = "digest";
    }
  }
}

/* A policy as the SoA names it: its id (linked), then its title and version. */
static void S_policies(Builder *b, DocNode *cell, const Record *r) {
  const PtrVec *ps = rec_links(r, LINK_COVERED_BY);
  bool first = true;
  for (size_t i = 0; i < ps->len; i++) {
    const Record *p = ps->items[i];
    db_sep(b, cell, &first);
    doc_link_record(b->a, cell, p, p->id);
    const char *version = rec_str(p, POLICY_VERSION);
    doc_text(
        b->a, cell,
        arena_printf(b->a, " %s%s%s", db_title(p), version ? " v" : "", version ? version : ""));
  }
}

/* A partial or planned control: the treatments that will complete it, with their due dates. */
static void S_completing_treatments(Builder *b, DocNode *cell, const Record *r) {
  const char *status = rec_enum(r, CONTROL_STATUS);
  if (!status || strcmp(status, "implemented") == 0)
    return;
  const PtrVec *ts = rec_links(r, LINK_TREATMENTS);
  for (size_t i = 0; i < ts->len; i++) {
    const Record *t = ts->items[i];
    const char *ts_status = rec_enum(t, TREATMENT_STATUS);
    if (ts_status && (strcmp(ts_status, "done") == 0 || strcmp(ts_status, "cancelled") == 0))
      continue;
    doc_text(b->a, cell, " ");
    doc_link_record(b->a, cell, t, t->id);
    const Value *due = rec_field(t, TREATMENT_DUE);
    doc_text(b->a, cell,
             due->ok ? arena_printf(b->a, " due %s", db_date(b, due)) : " (no due date)");
  }
}

/* The control's id, linked to its implementation note when it has one. */
static void S_control_id(Builder *b, DocNode *row, const Record *r) {
  DocNode *cell = db_cell(b, row, NULL);
  if (!r->raw || !r->raw->body_text || !r->raw->body_len) {
    doc_text(b->a, cell, r->id);
    return;
  }
  DocNode *l = doc_add(cell, doc_new(b->a, DOC_LINK));
  l->href = arena_concat(b->a, "#impl-", r->id, NULL);
  doc_text(b->a, l, r->id);
}

static const char *S_applicable_text(const Record *r) {
  const Value *app = rec_field(r, CONTROL_APPLICABLE);
  if (r->synthetic || !app->ok)
    return "Not decided";
  return app->num ? "Yes" : "No";
}

void doc_build_soa(Builder *b, const Document *d) {
  DocNode *top = db_section(b, d->body, 1, d->title, NULL);
  const Catalog *cat = b->m->catalog;
  db_para(b, top,
          arena_printf(b->a,
                       "Controls of %s: whether each applies, why, and how far it "
                       "is implemented.",
                       cat && cat->title ? cat->title : "the catalog"));
  db_coverage_figures(b, top);
  static const char *const headers[] = {"Control",       "Title",    "Applicable",
                                        "Justification", "Status",   "Owner",
                                        "Policies",      "Evidence", NULL};
  const PtrVec *controls = &b->m->by_kind[KIND_CONTROL];
  for (size_t t = 0; cat && t < cat->ntheme; t++) {
    const CatalogTheme *theme = &cat->themes[t];
    DocNode *s =
        db_section(b, top, 2, arena_concat(b->a, theme->id, " ", db_or(theme->title, ""), NULL),
                   arena_concat(b->a, "theme-", theme->id, NULL));
    DocNode *table = db_table(b, s, arena_printf(b->a, "Controls of theme %s", theme->id), headers);
    table->cls = "soa";            /* the same column widths in every theme's table */
    db_soa_sheet(b, table, theme); /* the XLSX's columns: doc_sheets.c */
    for (size_t i = 0; i < controls->len; i++) {
      const Record *r = controls->items[i];
      if (!r->catalog || !r->catalog->theme || strcmp(r->catalog->theme, theme->id) != 0)
        continue;
      DocNode *row = db_row(b, table, r->id);
      S_control_id(b, row, r);
      db_cell(b, row, r->catalog->title);
      db_cell(b, row, S_applicable_text(r));
      db_inclusion_reasons(b, db_cell(b, row, NULL), r);
      DocNode *st = db_cell(b, row, NULL);
      const char *status = rec_enum(r, CONTROL_STATUS);
      if (status)
        db_badge(b, st, status, arena_concat(b->a, "status-", status, NULL),
                 db_status_tone(status));
      S_completing_treatments(b, st, r);
      db_cell(b, row, db_or(rec_str(r, CONTROL_OWNER), ""));
      S_policies(b, db_cell(b, row, NULL), r);
      S_evidence(b, db_cell(b, row, NULL), r);
    }
  }
  /* How each implemented control works, in the words of its record. */
  DocNode *impl = NULL;
  for (size_t i = 0; i < controls->len; i++) {
    const Record *r = controls->items[i];
    if (!r->raw || !r->raw->body_text || !r->raw->body_len)
      continue;
    if (!impl)
      impl = db_section(b, top, 2, "Implementation notes", "implementation");
    DocNode *s = db_section(b, impl, 3, arena_concat(b->a, r->id, " ", db_title(r), NULL),
                            arena_concat(b->a, "impl-", r->id, NULL));
    db_markdown(b, s, r);
  }
  S_evidence_appendix(b, top);
  static const Kind kinds[] = {KIND_CONTROL};
  db_silenced_appendix(b, top, kinds, 1);
}
