/* doc_build.h - the toolkit of the document builders (doc_soa.c, doc_risk.c, doc_index.c
 * and any new document's): what a builder adds to a tree, in the builder's arena.
 *
 * A new document is a row of documents.c's registry and one builder,
 *   void doc_build_NAME(DocBuilder *b, const Document *d);
 * which adds its content under d->body with these functions. Builders only read the model
 * (b->m) and the set (b->set); everything they make lives in b->a, freed with the document.
 */
#ifndef ISMSC_DOC_BUILD_H
#define ISMSC_DOC_BUILD_H

#include "doc.h"

struct DocBuilder {
  Arena *a;
  const Model *m;
  const DocSet *set;
  Document *doc; /* the document being built */
};
typedef DocBuilder Builder;

/* ---------------------------------------------------------------- the builders */

void doc_build_index(Builder *b, const Document *d);           /* doc_index.c */
void doc_build_policy(Builder *b, const Document *d);          /* doc_index.c */
void doc_build_policy_index(Builder *b, const Document *d);    /* doc_index.c */
void doc_build_soa(Builder *b, const Document *d);             /* doc_soa.c */
void doc_build_rtp(Builder *b, const Document *d);             /* doc_rtp.c */
void doc_build_register(Builder *b, const Document *d);        /* doc_risk.c */
void doc_build_trace(Builder *b, const Document *d);           /* doc_trace.c */
void doc_build_objectives(Builder *b, const Document *d);      /* doc_objectives.c */
void doc_build_nonconformities(Builder *b, const Document *d); /* doc_nonconformities.c */
void doc_build_audits(Builder *b, const Document *d);          /* doc_audits.c */
void doc_build_review(Builder *b, const Document *d);          /* doc_review.c */
void doc_build_review_pack(Builder *b, const Document *d);     /* doc_review_pack.c */
void doc_build_scope(Builder *b, const Document *d);           /* doc_scope.c */
void doc_build_method(Builder *b, const Document *d);          /* doc_method.c */
void doc_build_readiness(Builder *b, const Document *d);       /* doc_readiness.c */
void doc_build_documents(Builder *b, const Document *d);       /* doc_documents.c */

/* A policy's or the scope's document control, from its record (documents.c). */
void db_record_control(Builder *b, DocControl *c, const Record *r);

void doc_build_changes(Builder *b, const Document *d); /* doc_changes.c */
/* The scope record's list field `field` (internal_issues, ...) and its interested parties,
 * or a line naming the empty field (doc_scope.c; the review pack shows them too). */
void db_scope_list(Builder *b, DocNode *parent, const Record *scope, int field);
void db_scope_parties(Builder *b, DocNode *parent, const Record *scope);

/* The document's revision history from Git, at the end of `parent` (doc_revisions.c). */
void db_revision_history(Builder *b, DocNode *parent);

/* ---------------------------------------------------------------- values (doc_tree.c) */

/* A record's title: the catalog's for a control, else its title field; "" when none. */
const char *db_title(const Record *r);
/* s unless it is NULL or empty, else fallback. */
const char *db_or(const char *s, const char *fallback);
/* A date value as YYYY-MM-DD, "" when absent. */
const char *db_date(Builder *b, const Value *v);
/* Records of a kind sorted by id: the order of every register. */
PtrVec db_sorted(Builder *b, Kind kind);
/* The tone of a control's or a treatment's status. */
Tone db_status_tone(const char *status);
/* A status badge in its tone ("status-done"), then "overdue" in TONE_OVERDUE when it is. */
void db_status_badges(Builder *b, DocNode *cell, const char *status, bool overdue);

/* ---------------------------------------------------------------- nodes (doc_tree.c) */

/* A section; level 1 is the document's title, which its control block follows. */
DocNode *db_section(Builder *b, DocNode *parent, int level, const char *title, const char *anchor);
DocNode *db_para(Builder *b, DocNode *parent, const char *text);
/* A table with one header row of NULL-terminated headers. */
DocNode *db_table(Builder *b, DocNode *parent, const char *caption, const char *const *headers);
/* Column col (from 0) of the table's header holds one of these values (DocNode.choices). */
void db_choices(DocNode *table, int col, const char *const *choices);
/* A row; anchor: the record it is about, which links to the record land on. */
DocNode *db_row(Builder *b, DocNode *table, const char *anchor);
DocNode *db_cell(Builder *b, DocNode *row, const char *text);
/* A cell holding a date value (empty when absent), typed. */
DocNode *db_day_cell(Builder *b, DocNode *row, Date day); /* a typed date cell */
DocNode *db_date_cell(Builder *b, DocNode *row, const Value *date);
DocNode *db_badge(Builder *b, DocNode *parent, const char *text, const char *cls, Tone tone);
/* ", " before every item but the first. */
void db_sep(Builder *b, DocNode *parent, bool *first);
/* Links to records, comma-separated: "R-001, R-004". */
void db_record_links(Builder *b, DocNode *parent, const PtrVec *records);
/* The same for a reference list's resolved items. */
void db_ref_links(Builder *b, DocNode *parent, const Value *v);
/* "12 High" in its level's tone, or "—" for no score; a cell holding it holds the score as
 * a number in that tone. */
void db_score_badge(Builder *b, DocNode *parent, int score, int level);
/* A badge in the tone of a level index of the method (-1: unrated). */
void db_level_badge(Builder *b, DocNode *parent, const char *text, int level);
/* A record's Markdown body, parsed and prepared now (markdown.h). */
DocNode *db_markdown(Builder *b, DocNode *parent, const Record *r);
/* A level-3 section per record that has a Markdown body, holding that body. */
void db_body_sections(Builder *b, DocNode *parent, const PtrVec *records);
/* The appendix auditors ask for: every finding the records of these kinds silenced. */
void db_silenced_appendix(Builder *b, DocNode *parent, const Kind *kinds, size_t nkinds);

/* ---------------------------------------------------------------- spreadsheet forms (doc_sheets.c)
 */

/* A table's sheet (DocNode.sheet) with this header: the same caption and class as the table
 * (so the XLSX shares sheets as it does tables), held outside the document's tree. */
DocNode *db_sheet(Builder *b, DocNode *table, const char *const *headers);
/* A boolean cell ("TRUE", typed), empty when not known; db_booleans: its choices. */
void db_bool_cell(Builder *b, DocNode *row, bool known, bool value);
extern const char *const db_booleans[];
/* Each gives `table` its sheet: the same rows, a typed column per field. */
void db_soa_sheet(Builder *b, DocNode *table, const CatalogTheme *theme);
void db_register_sheet(Builder *b, DocNode *table, const PtrVec *risks);
/* The assets table needs no sheet form: it gets its Type and Classification value lists. */
void db_assets_choices(Builder *b, DocNode *table);
void db_rtp_sheet(Builder *b, DocNode *table, const PtrVec *risks);
void db_treatments_sheet(Builder *b, DocNode *table, const PtrVec *treatments);

/* ---------------------------------------------------------------- shared by two documents */

void db_coverage_figures(Builder *b, DocNode *parent); /* doc_soa.c */
/* Why a control is in the SoA: the risks that select it and its declared reasons; or why it
 * is excluded. */
void db_inclusion_reasons(Builder *b, DocNode *cell, const Record *ctl); /* doc_soa.c */
bool db_overdue(Builder *b, const Record *t);                            /* doc_risk.c */
/* A treatment whose status is cancelled: shown, marked, never counted. */
bool db_treatment_cancelled(const Record *t);                         /* doc_rtp.c */
void db_treatment_status(Builder *b, DocNode *cell, const Record *t); /* doc_risk.c */
/* A row of treatment, title, owner, due, status; flagged when overdue. */
void db_treatment_row(Builder *b, DocNode *table, const Record *t); /* doc_risk.c */
HeatMap *db_heatmap(Builder *b, bool residual);                     /* doc_risk.c */
void db_add_heatmap(Builder *b, DocNode *parent, HeatMap *h);       /* doc_risk.c */
/* Under a heat map, the risks each cell holds (its cells link to these rows). */
void db_heat_cells(Builder *b, DocNode *parent, HeatMap *h, const char *which); /* doc_risk.c */
/* An objective past its due date and neither achieved, missed nor cancelled. */
bool db_objective_overdue(Builder *b, const Record *o); /* doc_objectives.c */
/* A metric whose next measurement was due before the build's date. */
bool db_metric_late(Builder *b, const Record *metric); /* doc_objectives.c */
/* An objective's status badge, and "overdue" when it is. */
void db_objective_status(Builder *b, DocNode *cell, const Record *o); /* doc_objectives.c */
/* A review decision (decision_table's fields) past due and not done or cancelled. */
bool db_decision_overdue(Builder *b, const Value *decision); /* doc_review.c */
/* How many of a nonconformity's corrective actions are past due and not done. */
size_t db_nc_overdue_actions(Builder *b, const Record *nc); /* doc_nonconformities.c */
/* "84 % on 2026-10-31" and met / not met, or "never measured". */
void db_metric_latest(Builder *b, DocNode *cell, const Record *metric); /* doc_objectives.c */

#endif
