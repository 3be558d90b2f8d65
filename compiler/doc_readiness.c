/* doc_readiness.c - builder: the readiness report, the mandatory documented information of
 * the catalog's clauses, clause by clause, with what in the tree provides it, its state
 * (present, incomplete, missing) and a link to it. The page a CISO opens the week before a
 * Stage 1 audit.
 *
 * What must stay true: every state and source shown here comes from readiness_assess
 * (readiness.c), the computation the `readiness` rule reads through the clauses' derived
 * values; this file only lays it out. Every clause of the catalog has a row here (it is the
 * clauses' home document), so a link to any clause lands.
 */
#include <string.h>

#include "doc_build.h"
#include "readiness.h"

static void S_state_badge(Builder *b, DocNode *cell, ReadinessState s) {
  static const struct {
    const char *cls;
    Tone tone;
  } look[] = {[READINESS_MISSING] = {"missed", TONE_OVERDUE},
              [READINESS_INCOMPLETE] = {"status-partial", TONE_ACTIVE},
              [READINESS_PRESENT] = {"status-done", TONE_DONE}};
  db_badge(b, cell, readiness_state_name(s), look[s].cls, look[s].tone);
}

/* A source as a link: to its record's page, else to the document that shows it. */
static void S_source(Builder *b, DocNode *parent, const ReadinessSource *s) {
  const DocType *t = s->document ? doc_type_find(s->document) : NULL;
  if (s->record) {
    doc_link_record(b->a, parent, s->record, s->label);
  } else if (t && (t->formats & DOC_HTML)) {
    DocNode *l = doc_add(parent, doc_new(b->a, DOC_LINK));
    l->href = arena_printf(b->a, "%s.html", t->file);
    doc_text(b->a, l, s->label);
  } else {
    doc_text(b->a, parent, s->label);
  }
  if (s->gap)
    doc_text(b->a, parent, arena_printf(b->a, " (%s)", s->gap));
}

static void S_sources(Builder *b, DocNode *cell, const Readiness *rd) {
  if (rd->nsources == 1) {
    S_source(b, cell, &rd->sources[0]);
    return;
  }
  DocNode *list = doc_add(cell, doc_new(b->a, DOC_LIST));
  for (size_t i = 0; i < rd->nsources; i++)
    S_source(b, doc_add(list, doc_new(b->a, DOC_ITEM)), &rd->sources[i]);
}

static void S_figure(Builder *b, DocNode *figs, size_t n, const char *label) {
  DocNode *f = doc_add(figs, doc_new(b->a, DOC_FIGURE));
  f->text = arena_printf(b->a, "%zu", n);
  f->value = (DocValue){.type = VALUE_NUMBER, .number = (double)n};
  f->cls = label;
}

void doc_build_readiness(Builder *b, const Document *d) {
  DocNode *top = db_section(b, d->body, 1, d->title, NULL);
  const Catalog *cat = b->m->catalog;
  char today[11];
  date_format(&b->m->today, today);
  db_para(b, top,
          arena_printf(b->a,
                       "The documented information the clauses of %s require, clause by "
                       "clause, and what in the tree provides it on %s. A clause is present "
                       "when something provides it, incomplete when that has a gap, missing "
                       "when nothing does yet; `ismsc check` lists each missing clause as a "
                       "`readiness` note.",
                       cat && cat->id ? cat->id : "the catalog", today));
  const PtrVec *clauses = &b->m->by_kind[KIND_CLAUSE];
  Readiness *all = arena_alloc(b->a, (clauses->len + 1) * sizeof *all);
  size_t count[READINESS_PRESENT + 1] = {0};
  for (size_t i = 0; i < clauses->len; i++) {
    readiness_assess(b->m, clauses->items[i], b->a, &all[i]);
    count[all[i].state]++;
  }
  DocNode *figs = doc_add(top, doc_new(b->a, DOC_FIGURES));
  S_figure(b, figs, count[READINESS_PRESENT], "present");
  S_figure(b, figs, count[READINESS_INCOMPLETE], "incomplete");
  S_figure(b, figs, count[READINESS_MISSING], "missing");

  DocNode *s = db_section(b, top, 2, "Mandatory documented information", "documented");
  static const char *const headers[] = {"Clause", "Title",       "Requires",
                                        "State",  "Provided by", NULL};
  DocNode *table = db_table(b, s, "Documented information by clause", headers);
  for (size_t i = 0; i < clauses->len; i++) {
    const Record *cl = clauses->items[i];
    if (all[i].state == READINESS_NONE)
      continue;
    DocNode *row = db_row(b, table, cl->id);
    if (all[i].state == READINESS_MISSING)
      row->cls = "overdue";
    db_cell(b, row, cl->id);
    db_cell(b, row, db_title(cl));
    db_cell(b, row, db_or(rec_str(cl, CLAUSE_DOCUMENTED), ""));
    S_state_badge(b, db_cell(b, row, NULL), all[i].state);
    DocNode *by = db_cell(b, row, NULL);
    if (all[i].state == READINESS_MISSING)
      doc_text(b->a, by, arena_printf(b->a, "nothing yet: add %s", all[i].lacking));
    else
      S_sources(b, by, &all[i]);
  }

  DocNode *o = db_section(b, top, 2, "Other clauses", "other");
  db_para(b, o,
          "These clauses require no documented information of their own; audits, policies and "
          "nonconformities may still name them.");
  static const char *const oh[] = {"Clause", "Title", "Named by", NULL};
  DocNode *ot = db_table(b, o, "Clauses without mandatory documented information", oh);
  for (size_t i = 0; i < clauses->len; i++) {
    const Record *cl = clauses->items[i];
    if (all[i].state != READINESS_NONE)
      continue;
    DocNode *row = db_row(b, ot, cl->id);
    db_cell(b, row, cl->id);
    db_cell(b, row, db_title(cl));
    DocNode *named = db_cell(b, row, NULL);
    bool first = true;
    static const Link links[] = {LINK_AUDITS, LINK_POLICIES, LINK_NONCONFORMITIES};
    for (size_t k = 0; k < sizeof links / sizeof links[0]; k++) {
      const PtrVec *v = rec_links(cl, links[k]);
      for (size_t j = 0; j < v->len; j++) {
        db_sep(b, named, &first);
        doc_link_record(b->a, named, v->items[j], NULL);
      }
    }
  }
}
