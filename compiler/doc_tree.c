/* doc_tree.c - making document trees: the node constructors of doc.h, and the builder's
 * toolkit of doc_build.h (sections, tables, cells, badges, record links, sorted records).
 * Order comes from the records' ids, never from a hash table, so output is reproducible.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "doc_build.h"
#include "markdown.h"
#include "xml_out.h" /* xo_format_long: a score's digits without snprintf */

DocNode *doc_new(Arena *a, DocKind kind) {
  DocNode *n = arena_alloc(a, sizeof *n);
  n->kind = kind;
  return n;
}

/* Tables of more columns than this do not fit a portrait page (the RTP's risk table). */
enum { MAX_PORTRAIT_COLUMNS = 6 };

/* Is any table in or under n wider than max columns? It stops at the first: the register's
 * body is a tree of a million nodes, and its first table is the wide one. */
static bool S_has_table_wider(const DocNode *n, int max) {
  for (; n; n = n->next) {
    if (n->kind == DOC_TABLE)
      for (const DocNode *r = n->first; r; r = r->next) {
        int cells = 0;
        for (const DocNode *c = r->first; c; c = c->next)
          cells++;
        if (cells > max)
          return true;
      }
    if (S_has_table_wider(n->first, max))
      return true;
  }
  return false;
}

bool doc_has_wide_tables(const DocNode *body) {
  return body && S_has_table_wider(body, MAX_PORTRAIT_COLUMNS);
}

bool doc_landscape(const Document *d) { return d->landscape || (d->body && d->wide_tables); }

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

const char *db_title(const Record *r) {
  const char *t = rec_title(r);
  return t ? t : "";
}

DocNode *doc_link_record(Arena *a, DocNode *parent, const Record *r, const char *label) {
  DocNode *n = doc_new(a, DOC_LINK);
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

DocNode *db_section(Builder *b, DocNode *parent, int level, const char *title, const char *anchor) {
  DocNode *s = doc_new(b->a, DOC_SECTION);
  s->level = level;
  s->text = title;
  s->anchor = anchor;
  if (level == 1) /* a document's title: its control block comes right after */
    doc_add(s, doc_new(b->a, DOC_CONTROL));
  return doc_add(parent, s);
}

DocNode *db_para(Builder *b, DocNode *parent, const char *text) {
  DocNode *p = doc_add(parent, doc_new(b->a, DOC_PARA));
  if (text)
    doc_text(b->a, p, text);
  return p;
}

DocNode *db_table(Builder *b, DocNode *parent, const char *caption, const char *const *headers) {
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

bool doc_table_empty(const DocNode *table) {
  int rows = 0;
  for (const DocNode *r = table->first; r; r = r->next)
    rows++;
  return rows <= table->header_rows;
}

const char *doc_table_none(Arena *a, const DocNode *table) {
  return arena_printf(a, "%s: none.", table->text ? table->text : "This table");
}

void db_choices(DocNode *table, int col, const char *const *choices) {
  DocNode *cell = table->first ? table->first->first : NULL;
  for (int i = 0; cell && i < col; i++)
    cell = cell->next;
  if (cell)
    cell->choices = choices;
}

DocNode *db_row(Builder *b, DocNode *table, const char *anchor) {
  DocNode *r = doc_add(table, doc_new(b->a, DOC_ROW));
  r->anchor = anchor;
  return r;
}

DocNode *db_cell(Builder *b, DocNode *row, const char *text) {
  DocNode *c = doc_add(row, doc_new(b->a, DOC_CELL));
  if (text)
    doc_text(b->a, c, text);
  return c;
}

DocNode *db_badge(Builder *b, DocNode *parent, const char *text, const char *cls, Tone tone) {
  DocNode *n = doc_new(b->a, DOC_BADGE);
  n->text = text;
  n->cls = cls;
  n->tone = tone;
  return doc_add(parent, n);
}

void db_sep(Builder *b, DocNode *parent, bool *first) {
  if (!*first)
    doc_text(b->a, parent, ", ");
  *first = false;
}

/* Links to records, comma-separated, in a cell: "R-001, R-004". */
void db_record_links(Builder *b, DocNode *parent, const PtrVec *records) {
  bool first = true;
  for (size_t i = 0; i < records->len; i++) {
    db_sep(b, parent, &first);
    doc_link_record(b->a, parent, records->items[i], NULL);
  }
}

void db_ref_links(Builder *b, DocNode *parent, const Value *v) {
  bool first = true;
  for (size_t i = 0; i < v->count; i++) {
    if (!v->items[i].ref)
      continue;
    db_sep(b, parent, &first);
    doc_link_record(b->a, parent, v->items[i].ref, NULL);
  }
}

const char *db_date(Builder *b, const Value *v) {
  if (!v || !v->ok)
    return "";
  char *buf = arena_alloc(b->a, 11);
  date_format(&v->date, buf);
  return buf;
}

DocNode *db_day_cell(Builder *b, DocNode *row, Date day) {
  char *text = arena_alloc(b->a, 11);
  date_format(&day, text);
  DocNode *c = db_cell(b, row, text);
  c->value = (DocValue){.type = VALUE_DATE, .date = day};
  return c;
}

DocNode *db_date_cell(Builder *b, DocNode *row, const Value *date) {
  return date && date->ok ? db_day_cell(b, row, date->date) : db_cell(b, row, "");
}

const char *db_or(const char *s, const char *fallback) { return s && *s ? s : fallback; }

/* "level-high": a style class per level band, for custom stylesheets. */
static const char *S_level_class(Builder *b, int level) {
  static const char *const classes[] = {"level-none", "level-low", "level-medium", "level-high",
                                        "level-critical"};
  return classes[doc_level_tone(b->m, level)];
}

/* The tone of a status: a control's, a treatment's, an objective's, a nonconformity's. */
Tone db_status_tone(const char *status) {
  static const struct {
    const char *status;
    Tone tone;
  } tones[] = {
      {"implemented", TONE_DONE},   {"done", TONE_DONE},       {"partial", TONE_ACTIVE},
      {"in-progress", TONE_ACTIVE}, {"planned", TONE_PLANNED}, {"not-started", TONE_PLANNED},
      {"achieved", TONE_DONE},      {"closed", TONE_DONE},     {"open", TONE_ACTIVE},
      {"verifying", TONE_ACTIVE},   {"missed", TONE_OVERDUE}};
  for (size_t i = 0; i < sizeof tones / sizeof tones[0]; i++)
    if (strcmp(status, tones[i].status) == 0)
      return tones[i].tone;
  return TONE_NONE;
}

void db_status_badges(Builder *b, DocNode *cell, const char *status, bool overdue) {
  if (status)
    db_badge(b, cell, status, arena_concat(b->a, "status-", status, NULL), db_status_tone(status));
  if (overdue)
    db_badge(b, cell, "overdue", "overdue", TONE_OVERDUE);
}

void db_score_badge(Builder *b, DocNode *parent, int score, int level) {
  if (!score) {
    doc_text(b->a, parent, "—");
    return;
  }
  if (parent->kind == DOC_CELL)
    parent->value =
        (DocValue){.type = VALUE_NUMBER, .tone = doc_level_tone(b->m, level), .number = score};
  char digits[XO_LONG_SIZE];
  db_level_badge(
      b, parent,
      arena_concat(b->a, xo_format_long(digits, score), " ", model_level_name(b->m, level), NULL),
      level);
}

void db_level_badge(Builder *b, DocNode *parent, const char *text, int level) {
  db_badge(b, parent, text, S_level_class(b, level), doc_level_tone(b->m, level));
}

static int S_compare_ids(const void *pa, const void *pb) {
  const Record *a = *(const Record *const *)pa, *b = *(const Record *const *)pb;
  return strverscmp(a->id, b->id); /* natural: R-2 before R-10, A.5.2 before A.5.10 */
}

/* Records of a kind sorted by id: the order of every register. */
PtrVec db_sorted(Builder *b, Kind kind) {
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
void db_body_sections(Builder *b, DocNode *parent, const PtrVec *records) {
  for (size_t i = 0; i < records->len; i++) {
    const Record *r = records->items[i];
    if (!r->raw || !r->raw->body_text || !r->raw->body_len)
      continue;
    DocNode *s = db_section(b, parent, 3, arena_concat(b->a, r->id, " ", db_title(r), NULL),
                            arena_concat(b->a, "about-", r->id, NULL));
    db_markdown(b, s, r);
  }
}

DocNode *db_markdown(Builder *b, DocNode *parent, const Record *r) {
  MdDoc *md = arena_alloc(b->a, sizeof *md);
  *md = md_prepare(b->m, r->raw->body_text, r->raw->body_len, b->set->unsafe_html);
  ptrvec_push(b->a, &b->doc->markdown, md);
  DocNode *n = doc_new(b->a, DOC_MARKDOWN);
  n->markdown = md;
  return doc_add(parent, n);
}

/* The appendix auditors ask for: every finding a record silenced, with its reason. */
void db_silenced_appendix(Builder *b, DocNode *parent, const Kind *kinds, size_t nkinds) {
  static const char *const headers[] = {"Record", "Rule", "Reason", NULL};
  DocNode *table = NULL;
  for (size_t k = 0; k < nkinds; k++) {
    PtrVec records = db_sorted(b, kinds[k]);
    for (size_t i = 0; i < records.len; i++) {
      const Record *r = records.items[i];
      const Value *ig = rec_ignores(r);
      for (size_t j = 0; j < ig->count; j++) {
        const Value *f = ig->items[j].fields;
        if (!f[IGNORE_RULE].ok || !f[IGNORE_REASON].ok)
          continue;
        if (!table) {
          DocNode *s = db_section(b, parent, 2, "Appendix: silenced findings", "silenced");
          db_para(b, s, "Checks that a record silenced with `ignore`, and why.");
          table = db_table(b, s, "Silenced findings", headers);
        }
        DocNode *row = db_row(b, table, NULL);
        doc_link_record(b->a, db_cell(b, row, NULL), r, NULL);
        db_cell(b, row, f[IGNORE_RULE].str);
        db_cell(b, row, f[IGNORE_REASON].str);
      }
    }
  }
}
