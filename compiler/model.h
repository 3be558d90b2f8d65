/* model.h - typed records, the catalog, and the resolved model every later stage reads.
 *
 * model.c binds raw records (load.h) to typed Values through the schema tables; resolve.c
 * links references and fills back-links and derived values; check.c and the Lua rules
 * read the result and never change it (DESIGN.md 4). Everything lives in the run's arena.
 */
#ifndef ISMSC_MODEL_H
#define ISMSC_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "diag.h"
#include "load.h"
#include "schema.h"
#include "util.h"

typedef struct Record Record;

/* A field's value. `node` is where it was written (NULL when absent); `ok` says it was
 * present and valid, so later stages read only ok values. */
typedef struct Value {
  const Node *node;
  bool ok;
  const char *str;     /* FT_ID, FT_STRING, FT_TEXT, FT_CLASSIFICATION, list item ids */
  long num;            /* FT_INT, FT_BOOL, FT_SCALE (1..N), FT_ENUM (index in values) */
  double real;         /* FT_NUMBER (str keeps the text as written) */
  Date date;           /* FT_DATE */
  struct Value *items; /* FT_*_LIST, FT_MAP_LIST: count items */
  size_t count;
  struct Value *fields; /* FT_MAP and FT_MAP_LIST items: one Value per sub-table field */
  Record *ref; /* a resolved reference (FT_REF, items of FT_REF_LIST); a nested record (items
                  of FT_RECORD_LIST) */
} Value;

typedef struct CatalogControl {
  const char *id, *title, *theme;
} CatalogControl;

typedef struct CatalogTheme {
  const char *id, *title;
} CatalogTheme;

/* A clause of the management-system standard (4.1 ... 10.2). */
typedef struct CatalogClause {
  const char *id, *title, *documented; /* documented: NULL when it requires none */
} CatalogClause;

typedef struct Catalog {
  const char *id, *title;
  CatalogTheme *themes;
  size_t ntheme;
  CatalogControl *controls;
  size_t ncontrol;
  CatalogClause *clauses;
  size_t nclause;
  HashMap by_id; /* id -> CatalogControl * */
} Catalog;

/* A 2013 -> 2022 correspondence, to tell users who write a 2013 id what it became. */
typedef struct CatalogMapping {
  HashMap to; /* 2013 id -> "A.x.y" or "A.x.y, A.z.w" */
} CatalogMapping;

struct Record {
  Kind kind;
  const char *id; /* NULL when the record has no valid id */
  const Node *id_node;
  const RawRecord *raw;          /* NULL for a catalog control that has no record */
  Value *fields;                 /* one per field of schema_table(kind) */
  const CatalogControl *catalog; /* controls: the catalog entry (NULL if not in it) */
  bool synthetic;                /* a catalog control with no record in the tree; a clause */
  Record *parent;                /* a nested record (a finding): the record holding it */
  const char *title_line;        /* no title: its title-fallback field's first line (rec_title),
                                    made once when bound, as renderers read it from threads */
  Loc loc;                       /* the record's mapping; for a synthetic control, the
                                    manifest's `catalog:` value */

  /* Derived (risks): score = likelihood x impact; level index in the method, or -1. */
  int score, level, residual_score, residual_level;
  /* Derived values as the kind's row lists them (kind_spec(kind)->derived), for Lua and
   * isms.json; NULL when the kind has none. */
  Value *derived;

  /* Back-links, filled by resolve.c from the fields' `.backlink`s. Record * each, in tree
   * order, without repeats; empty for a link the kind does not have. */
  PtrVec links[LINK_COUNT];
};

typedef struct RiskLevel {
  long max;
  const char *name;
} RiskLevel;

typedef struct RiskMethod {
  const char *const *likelihood; /* labels, index 0 = value 1 */
  size_t nlikelihood;
  const char *const *impact;
  size_t nimpact;
  long accept_max; /* -1 when not set */
  RiskLevel *levels;
  size_t nlevel;
} RiskMethod;

typedef struct Model {
  Arena *arena;
  Diags *diags;
  const Tree *tree;
  Limits limits;
  Record *manifest; /* NULL when isms.yaml is missing or broken */
  RiskMethod method;
  const char *const *classifications;
  size_t nclassification;
  long policy_max_age_days; /* -1 when not set */
  const Catalog *catalog;
  CatalogMapping mapping; /* 2013 -> 2022 */
  Date today;
  PtrVec records;             /* Record *, in tree order (the manifest excluded) */
  PtrVec by_kind[KIND_COUNT]; /* controls: every catalog control, in catalog order, then
                                 records whose id is not in the catalog */
  HashMap ids;                /* id -> Record * (first definition) */
  HashMap skipped_ids;        /* ids of records that could not be bound (bad kind) */
} Model;

/* Loads a catalog from YAML text (built-in or a tree's file). Reports problems against f. */
Catalog *catalog_load(Arena *a, Diags *d, const SourceFile *f, const Limits *lim);
/* A built-in catalog by id (iso27001-2022, iso27001-2013), or NULL. */
Catalog *catalog_builtin(Arena *a, Diags *d, const char *id);
const char *const *catalog_builtin_ids(size_t *count);
void catalog_mapping_load(Arena *a, Diags *d, CatalogMapping *m);

/* Binds the manifest and every raw record of the tree into m. */
void model_bind(Model *m, Arena *a, Diags *d, const Tree *t, Date today);

/* A new record of a kind, its fields and derived values all absent. */
Record *model_new_record(Model *m, Kind kind);
/* The tree's scope record (a tree holds at most one; check reports a second), or NULL. */
const Record *model_scope(const Model *m);

/* A decimal number as written in YAML or CSV (not hex, inf or nan); false if it is none. */
bool model_parse_number(const char *s, double *out);
/* Binds the raw records of t into m, whose manifest, risk method and catalog are already
 * bound: a past version of a few files, for the Git history. m is usually a copy of the
 * run's model with empty record lists, so the run's model is not changed. */
void model_bind_records(Model *m, const Tree *t);

/* Reading values. */
static inline const Value *rec_field(const Record *r, int field) { return &r->fields[field]; }
static inline bool rec_has(const Record *r, int field) { return r->fields[field].ok; }
static inline const char *rec_str(const Record *r, int field) {
  return r->fields[field].ok ? r->fields[field].str : NULL;
}
/* The records that point at r under back-link l. */
static inline const PtrVec *rec_links(const Record *r, Link l) { return &r->links[l]; }
/* The record's `ignore:` entries (an empty value for a kind without the field). */
const Value *rec_ignores(const Record *r);
/* The title a record is shown with: its title field, else a derived title (a control's
 * from the catalog); NULL when it has none. */
const char *rec_title(const Record *r);
/* The location of a field's value, else of the record (its first key). */
Loc rec_loc(const Record *r, int field);
/* The canonical name of an enum value. */
const char *rec_enum(const Record *r, int field);
/* A bound list of strings as an array (NULL and 0 when it is empty or failed). */
const char *const *model_string_list(Model *m, const Value *v, size_t *n);
/* The manifest's risk method from its bound `risk:` value (risk_method.c); problems are
 * reported on the manifest record. */
void model_bind_risk_method(Model *m, Record *manifest, const Value *risk);
/* The level name for a level index, or "unrated". */
const char *model_level_name(const Model *m, int level);
/* The level index of a score, or -1. */
int model_level_of(const Model *m, int score);
/* A risk's acceptance_allowed and acceptance_entitled (acceptance.c), after its scores. */
void acceptance_derive(Model *m, Record *r);

#endif
