/* documents.c - the document set: the registry of documents (one row each), the palette,
 * the link router, and each document's control block and footer, built as data that every
 * renderer lays out the same way. The builders are doc_soa.c, doc_risk.c, doc_objectives.c and
 * doc_index.c; the tree and the builder's toolkit are doc_tree.c.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "doc_build.h"
#include "markdown.h"

/* Text on every fill is the site's ink: white on the critical red was 3.35:1, under WCAG
 * AA's 4.5:1; the ink on it is 4.65:1 (tests/unit/test_palette.c checks every pair). */
#define INK "1d2430"
const ToneColour doc_palette[TONE_COUNT] = {
    [TONE_NONE] = {"band", "f4f6f9", INK},         [TONE_LOW] = {"low", "cfe8c9", INK},
    [TONE_MEDIUM] = {"medium", "fbe7a1", INK},     [TONE_HIGH] = {"high", "f6b26b", INK},
    [TONE_CRITICAL] = {"critical", "e06666", INK}, [TONE_DONE] = {"done", "cfe8c9", INK},
    [TONE_ACTIVE] = {"active", "fbe7a1", INK},     [TONE_PLANNED] = {"planned", "e3ecf7", INK},
    [TONE_OVERDUE] = {"overdue", "fde2e1", INK},
};
#undef INK

/* A level's band by its position in the method (0 lowest): low, medium, high, critical. */
Tone doc_level_tone(const Model *m, int level) {
  if (level < 0)
    return TONE_NONE;
  int n = (int)m->method.nlevel;
  int band = n <= 1 ? 0 : level * 3 / (n - 1);
  return (Tone)(TONE_LOW + (band > 3 ? 3 : band));
}

const Value *doc_control_entry(const Model *m, const char *part) {
  const Value *docs = m->manifest ? rec_field(m->manifest, MANIFEST_DOCUMENTS) : NULL;
  for (size_t i = 0; docs && docs->ok && i < docs->count; i++)
    if (docs->items[i].ok && strcmp(docs->items[i].str, part) == 0)
      return &docs->items[i];
  return NULL;
}

static bool S_is_scope_row(const DocType *t) {
  return t->per_record < 0 && strcmp(t->part, kind_spec(KIND_SCOPE)->name) == 0;
}

bool doc_type_listable(const DocType *t) { return t->per_record == -1 && !S_is_scope_row(t); }

/* Number, owner, version, approval, next review and classification, from the fields of a
 * record or of a `documents:` entry (-1: the source has no such field). */
typedef struct ControlFields {
  int number, owner, version, approved, review, classification;
} ControlFields;

static void S_take_control(Builder *b, DocControl *c, const Value *fields, ControlFields f) {
  if (f.number >= 0 && fields[f.number].ok)
    c->number = fields[f.number].str;
  if (f.owner >= 0 && fields[f.owner].ok)
    c->owner = fields[f.owner].str;
  c->version = f.version >= 0 && fields[f.version].ok ? fields[f.version].str : NULL;
  const Value *ap = f.approved >= 0 ? &fields[f.approved] : NULL;
  if (ap && ap->ok) {
    c->approver = ap->fields[APPROVAL_BY].ok ? ap->fields[APPROVAL_BY].str : NULL;
    c->approved_date = db_date(b, &ap->fields[APPROVAL_DATE]);
    c->approval = ap;
  }
  if (f.review >= 0)
    c->next_review = db_date(b, &fields[f.review]);
  if (f.classification >= 0 && fields[f.classification].ok)
    c->classification = fields[f.classification].str;
  c->controlled = true;
}

/* The document set's classification, else `internal` (SPEC §1's working views). */
static const char *S_default_classification(const Model *m) {
  const char *c = m->manifest ? rec_str(m->manifest, MANIFEST_CLASSIFICATION) : NULL;
  return c ? c : "internal";
}

/* Every document: the manifest's organisation and owner, the document set's classification
 * (else `internal`), its name as its number; a working view has no version or approval of
 * its own (SPEC §1). A row listed under `documents:` takes its entry's control (the scope's
 * row takes the scope record's: S_scope_control). */
static void S_set_control(Builder *b, Document *d, const char *title, const char *id) {
  const Record *mf = b->m->manifest;
  DocControl *c = &d->control;
  c->organisation = mf ? db_or(rec_str(mf, MANIFEST_ORGANISATION), "") : "";
  c->title = title;
  c->id = id;
  c->number = id;
  c->owner = mf ? rec_str(mf, MANIFEST_OWNER) : NULL;
  c->classification = NULL;
  c->status = b->set->draft ? "DRAFT" : NULL;
  const Value *entry = d->type->per_record < 0 ? doc_control_entry(b->m, d->type->part) : NULL;
  if (entry && doc_type_listable(d->type)) {
    S_take_control(b, c, entry->fields,
                   (ControlFields){DOCCTL_NUMBER, DOCCTL_OWNER, DOCCTL_VERSION, DOCCTL_APPROVED,
                                   DOCCTL_REVIEW, DOCCTL_CLASSIFICATION});
  }
  if (!c->classification)
    c->classification = S_default_classification(b->m);
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

void db_record_control(Builder *b, DocControl *c, const Record *r) {
  c->id = c->number = r->id;
  if (r->kind == KIND_SCOPE) {
    S_take_control(b, c, r->fields,
                   (ControlFields){-1, SCOPE_OWNER, SCOPE_VERSION, SCOPE_APPROVED, -1, -1});
  } else {
    S_take_control(b, c, r->fields,
                   (ControlFields){POLICY_NUMBER, POLICY_OWNER, POLICY_VERSION, POLICY_APPROVED,
                                   POLICY_REVIEW, POLICY_CLASSIFICATION});
    const char *status = rec_enum(r, POLICY_STATUS);
    c->status = b->set->draft ? "DRAFT" : status;
  }
  if (!c->classification)
    c->classification = S_default_classification(b->m);
}

/* The scope document carries the scope record's own document control (SPEC §3), and its
 * title. */
static void S_scope_control(Builder *b, Document *d) {
  const Record *s = model_scope(b->m);
  if (!s)
    return;
  d->title = d->control.title = db_or(db_title(s), d->title);
  db_record_control(b, &d->control, s);
}

static const char *S_index_title(const Model *m) {
  return m->manifest ? db_or(rec_str(m->manifest, MANIFEST_TITLE), "ISMS") : "ISMS";
}

static const DocType S_types[] = {
    /* part, file, title, nav, blurb, formats, landscape, per_record, build */
    {"index", "index", NULL, "Overview", NULL, DOC_HTML, false, -1, doc_build_index},
    {"scope", "scope", "Scope and Context of the ISMS", "Scope", "Scope and context (4.1 to 4.3)",
     DOC_HTML | DOC_DOCX, false, -1, doc_build_scope},
    {"method", "method", "Risk Assessment and Treatment Method", "Risk method",
     "Risk assessment and treatment method", DOC_HTML | DOC_DOCX, false, -1, doc_build_method},
    {"readiness", "readiness", "Certification Readiness", "Readiness",
     "Mandatory documented information, clause by clause", DOC_HTML, false, -1,
     doc_build_readiness},
    {"soa", "soa", "Statement of Applicability", "Statement of Applicability",
     "Statement of Applicability", DOC_HTML | DOC_DOCX | DOC_XLSX, true, -1, doc_build_soa},
    {"rtp", "rtp", "Risk Treatment Plan", "Risk Treatment Plan", "Risk Treatment Plan",
     DOC_HTML | DOC_DOCX | DOC_XLSX, false, -1, doc_build_rtp},
    {"risks", "risks", "Risk Register", "Risk register", "Risk register and heat maps",
     DOC_HTML | DOC_DOCX | DOC_XLSX, true, -1, doc_build_register},
    {"trace", "trace", "Traceability", "Traceability", "Traceability matrix", DOC_HTML, false, -1,
     doc_build_trace},
    {"objectives", "objectives", "Objectives", "Objectives", "Objectives and metrics",
     DOC_HTML | DOC_DOCX, false, -1, doc_build_objectives},
    {"audits", "audits", "Internal Audit Programme and Reports", "Audits",
     "Audit programme and audit reports", DOC_HTML | DOC_DOCX, false, -1, doc_build_audits},
    {"nonconformities", "nonconformities", "Nonconformities and Corrective Actions",
     "Nonconformities", "Nonconformity register and corrective actions",
     DOC_HTML | DOC_DOCX | DOC_XLSX, false, -1, doc_build_nonconformities},
    {"review-pack", "review-pack", "Management Review Input Pack", "Review pack",
     "Input pack for the next management review", DOC_HTML | DOC_DOCX, false, -1,
     doc_build_review_pack},
    {"policy-index", "policies", "Policies", "Policies",
     "The policy set: versions, owners, reviews", DOC_HTML, false, -1, doc_build_policy_index},
    {"documents", "documents", "Register of Controlled Documents", "Documents",
     "Register of controlled documents", DOC_HTML, false, -1, doc_build_documents},
    {"policies", "policies", NULL, NULL, NULL, DOC_HTML | DOC_DOCX, false, KIND_POLICY,
     doc_build_policy},
    {"reviews", "reviews", NULL, NULL, NULL, DOC_HTML | DOC_DOCX, false, KIND_REVIEW,
     doc_build_review},
    {"changes", "changes", "Changes", NULL, NULL, DOC_HTML | DOC_DOCX, false, DOC_ON_DEMAND,
     doc_build_changes},
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

enum { MAX_CONTROL_FIELDS = 12 };

static void S_field(Document *d, const char *key, const char *value) {
  if (value && *value && d->nfields < MAX_CONTROL_FIELDS)
    d->fields[d->nfields++] = (DocField){key, value};
}

/* The revision a document is built from, short: "3f2a9c1d4e5b", "3f2a9c1d4e5b+modified". */
static const char *S_revision_short(Arena *a, const Revision *rev) {
  if (!rev || !rev->in_git)
    return "not under version control";
  return rev->modified ? arena_printf(a, "%s+modified", rev->short_commit) : rev->short_commit;
}

/* The control block and the footer, as data every renderer lays out the same way. The
 * footer names the document as its number, version and classification say (DOCX shows the
 * same pieces through its document properties). */
static void S_finish_control(Builder *b, Document *d) {
  DocControl *c = &d->control;
  c->revision = S_revision_short(b->a, b->set->revision);
  char *issued = arena_alloc(b->a, 11);
  date_format(&b->set->date, issued);
  const char *revision = revision_text(b->a, b->set->revision);
  d->fields = arena_alloc(b->a, MAX_CONTROL_FIELDS * sizeof *d->fields);
  S_field(d, "Organisation", c->organisation);
  S_field(d, "Document", c->title);
  S_field(d, "Document number", c->number);
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
  d->footer = arena_printf(b->a, "%s%s · %s%s · %s · issued %s · revision %s", org,
                           d->title ? d->title : "", c->number, version, c->classification, issued,
                           c->revision);
}

void docs_plan(DocSet *set, Arena *a, const Model *m, const Revision *rev, bool draft,
               const Diags *diags) {
  memset(set, 0, sizeof *set);
  set->model = m;
  set->revision = rev;
  set->draft = draft;
  set->diags = diags;
  set->date = m->today;
  Builder b = {a, m, set, NULL};
  for (int k = 0; k < KIND_COUNT; k++)
    S_homes[k] = S_find_home((Kind)k);
  for (size_t t = 0; t < sizeof S_types / sizeof S_types[0]; t++) {
    const DocType *type = &S_types[t];
    if (type->per_record == DOC_ON_DEMAND)
      continue;
    if (type->per_record < 0) {
      Document *d =
          S_document(&b, set, type, type->file, type->title ? type->title : S_index_title(m));
      if (type->build == doc_build_scope)
        S_scope_control(&b, d);
      S_finish_control(&b, d);
      continue;
    }
    PtrVec records = db_sorted(&b, (Kind)type->per_record);
    for (size_t i = 0; i < records.len; i++) {
      const Record *r = records.items[i];
      Document *d =
          S_document(&b, set, type, arena_printf(a, "%s/%s", type->file, r->id), db_title(r));
      d->record = r;
      d->control.number = r->id;
      if (type->per_record == KIND_POLICY)
        db_record_control(&b, &d->control, r);
      S_finish_control(&b, d);
    }
  }
}

Document *docs_add_on_demand(DocSet *set, Arena *a, const char *part) {
  const DocType *type = doc_type_find(part);
  Builder b = {a, set->model, set, NULL};
  Document *d = S_document(&b, set, type, type->file, type->title);
  S_finish_control(&b, d);
  return d;
}

/* The document's title section (its first level-1 section), else its root. */
static DocNode *S_top(DocNode *body) {
  for (DocNode *n = body->first; n; n = n->next)
    if (n->kind == DOC_SECTION && n->level == 1)
      return n;
  return body;
}

void docs_build_body(const DocSet *set, Document *d, Arena *a) {
  Builder b = {a, set->model, set, d};
  memset(&d->markdown, 0, sizeof d->markdown);
  d->body = S_body(&b);
  d->type->build(&b, d);
  db_revision_history(&b, S_top(d->body));
  d->wide_tables = doc_has_wide_tables(d->body);
}

void docs_free_body(Document *d) {
  for (size_t i = 0; i < d->markdown.len; i++)
    md_free(d->markdown.items[i]);
  memset(&d->markdown, 0, sizeof d->markdown);
  d->body = NULL;
}

void docs_free(DocSet *set) {
  for (size_t i = 0; i < set->documents.len; i++)
    docs_free_body(set->documents.items[i]);
}

void docs_build(DocSet *set, Arena *a, const Model *m, const Revision *rev, bool draft,
                const Diags *diags) {
  docs_plan(set, a, m, rev, draft, diags);
  for (size_t i = 0; i < set->documents.len; i++)
    docs_build_body(set, set->documents.items[i], a);
}
