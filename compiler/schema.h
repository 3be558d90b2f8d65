/* schema.h - the kinds of record and their field tables: the single source of truth
 * (DESIGN.md 1 and 9).
 *
 * One row of KINDS per kind of record gives its name, plural, folder, field table, derived
 * values, title field and home document; one X-macro field list per kind gives its fields.
 * From these come the Kind and field index constants (KIND_RISK, RISK_OWNER) and the tables
 * that binding, validation, did-you-mean, resolving, the Lua view, isms.json and the format
 * reference in docs/ all walk. No kind or field name is written anywhere else.
 *
 * What must stay true: no code assumes a field's position ("field 1 is the title"); it asks
 * the kind's row (id_field, title_field, ...). Back-links are declared on the reference field
 * that makes them (`.backlink`), and a kind has a back-link when some field points at it so.
 */
#ifndef ISMSC_SCHEMA_H
#define ISMSC_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

typedef enum FieldType {
  FT_ID,     /* the record's id */
  FT_STRING, /* a line of text */
  FT_TEXT,   /* text, possibly several lines */
  FT_DATE,   /* YYYY-MM-DD */
  FT_BOOL,
  FT_INT,
  FT_NUMBER,         /* a decimal number (a metric's target and values) */
  FT_SCALE,          /* 1..N or a label of the manifest's likelihood or impact scale */
  FT_ENUM,           /* one of FieldSpec.values (or a synonym) */
  FT_CLASSIFICATION, /* one of the manifest's classifications */
  FT_STRING_LIST,
  FT_ENUM_LIST,
  FT_REF_LIST,    /* ids of records of FieldSpec.ref_kind */
  FT_REF,         /* one id of a record of FieldSpec.ref_kind */
  FT_RECORD_LIST, /* nested records of kind FieldSpec.ref_kind (an audit's findings) */
  FT_NAMED_MAP,   /* name -> a mapping with FieldSpec.sub's fields (isms.yaml `documents`) */
  FT_MAP,         /* a nested mapping with FieldSpec.sub's fields */
  FT_MAP_LIST,    /* a list of such mappings */
  FT_SEVERITY_MAP /* rule id -> error | warning | note | off */
} FieldType;

/* The kinds of record. Columns: constant, name, article (for messages), plural (isms.X in
 * Lua, records.X in isms.json; NULL for the manifest), top folder (NULL: none), field list,
 * derived values and the function that computes them after resolving (NULL: none), title
 * field (-1: none written), home document (the page its records link to; NULL: a page of
 * its own), whether its records come from the catalog instead of the tree. The order is the
 * order of isms.json's records and of docs/format.md. */
#define KINDS(X)                                                                                   \
  X(SCOPE, "scope", "a scope", "scopes", NULL, scope, NULL, NULL, SCOPE_TITLE, "index", false)     \
  X(ASSET, "asset", "an asset", "assets", "assets", asset, NULL, NULL, ASSET_TITLE, "risks",       \
    false)                                                                                         \
  X(RISK, "risk", "a risk", "risks", "risks", risk, &risk_derived_table, model_derive_risk,        \
    RISK_TITLE, "risks", false)                                                                    \
  X(TREATMENT, "treatment", "a treatment", "treatments", "treatments", treatment, NULL, NULL,      \
    TREATMENT_TITLE, "rtp", false)                                                                 \
  X(CONTROL, "control", "a control", "controls", "controls", control, &control_derived_table,      \
    resolve_derive_control, -1, "soa", false)                                                      \
  X(POLICY, "policy", "a policy", "policies", "policies", policy, NULL, NULL, POLICY_TITLE, NULL,  \
    false)                                                                                         \
  X(CLAUSE, "clause", "a clause", "clauses", NULL, clause, NULL, NULL, CLAUSE_TITLE, "readiness",  \
    true)                                                                                          \
  X(MANIFEST, "manifest", "the manifest", NULL, NULL, manifest, NULL, NULL, -1, "index", false)

#define X_KIND(K, ...) KIND_##K,
typedef enum Kind { KINDS(X_KIND) KIND_COUNT } Kind;
#undef X_KIND

/* Back-links: the names under which a record lists the records that point at it. A
 * reference field names the back-link its targets get (`.backlink = LINK_TREATMENTS` on a
 * treatment's `risks`: each risk lists the treatment under `treatments`). Columns: constant,
 * name (in Lua, isms.json and docs), what it lists. */
#define LINKS(X)                                                                                   \
  X(TREATMENTS, "treatments", "treatments that name it")                                           \
  X(RISKS, "risks", "risks that name it (a control: the risks of its treatments)")                 \
  X(COVERED_BY, "covered_by", "policies that name it or that it names")                            \
  X(COVERS, "covers", "controls it names or that name it")

#define X_LINK(L, ...) LINK_##L,
typedef enum Link { LINK_NONE, LINKS(X_LINK) LINK_COUNT } Link;
#undef X_LINK

enum {
  F_REQUIRED = 1,
  F_LUA_ONLY = 2,       /* a derived value Lua sees and isms.json does not */
  F_TITLE_FALLBACK = 4, /* its first line is the record's title when it has none */
};

typedef enum Scale { SCALE_LIKELIHOOD, SCALE_IMPACT } Scale;

typedef struct Synonym {
  const char *word, *means;
} Synonym;

typedef struct FieldTable FieldTable;

typedef struct FieldSpec {
  const char *name;
  FieldType type;
  unsigned flags;
  const char *const *values; /* FT_ENUM, FT_ENUM_LIST: canonical values, NULL-terminated */
  const Synonym *synonyms;   /* accepted other words, {NULL, NULL}-terminated */
  Kind ref_kind;             /* FT_REF_LIST */
  Scale scale;               /* FT_SCALE */
  const FieldTable *sub;     /* FT_MAP, FT_MAP_LIST */
  const char *doc;           /* one line for the format reference */
  /* Reference fields (FT_REF_LIST): the back-link each target gets (the target lists this
   * record under it); `forward`: this record also lists its targets under that link of its
   * own (a mutual relation); `carry_link`: each target also lists, under it, the targets of
   * this record's field `carry_field` (a control lists the risks of its treatments). */
  Link backlink, forward, carry_link;
  int carry_field;
  /* Required when the enum field `when_field` of the same mapping is `when_value` (a
   * nonconformity's `closed` when its status is closed). */
  const char *when_value;
  int when_field;
} FieldSpec;

struct FieldTable {
  const char *name; /* "risk", or "acceptance" for a nested map */
  const FieldSpec *fields;
  size_t count;
};

/* Enumerations. */
extern const char *const asset_types[];
extern const char *const treatment_options[];
extern const Synonym treatment_option_synonyms[];
extern const char *const treatment_statuses[];
extern const char *const control_reasons[];
extern const char *const control_statuses[];
extern const char *const policy_statuses[];

/* The fields every record has besides its own. */
#define COMMON_FIELDS(X, K)                                                                        \
  X(K, KIND, "kind", FT_STRING, 0, .doc = "the record's kind, when its folder does not say")       \
  X(K, BODY, "body", FT_TEXT, 0, .doc = "Markdown text (in a YAML record)")                        \
  X(K, IGNORE, "ignore", FT_MAP_LIST, 0, .sub = &ignore_table,                                     \
    .doc = "rules silenced for this record: [{rule, reason}]")

#define SCOPE_FIELDS(X)                                                                            \
  X(SCOPE, ID, "id", FT_ID, F_REQUIRED, .doc = "unique id")                                        \
  X(SCOPE, TITLE, "title", FT_STRING, F_REQUIRED, .doc = "title")                                  \
  X(SCOPE, OWNER, "owner", FT_STRING, F_REQUIRED, .doc = "who owns the scope")                     \
  X(SCOPE, VERSION, "version", FT_STRING, 0, .doc = "document version")                            \
  X(SCOPE, APPROVED, "approved", FT_MAP, 0, .sub = &approval_table, .doc = "{by, date}")           \
  X(SCOPE, INCLUDES, "includes", FT_STRING_LIST, 0, .doc = "what the ISMS covers")                 \
  X(SCOPE, EXCLUDES, "excludes", FT_STRING_LIST, 0, .doc = "what it leaves out")                   \
  X(SCOPE, INTERFACES, "interfaces", FT_STRING_LIST, 0, .doc = "interfaces and dependencies")      \
  X(SCOPE, LOCATIONS, "locations", FT_STRING_LIST, 0, .doc = "sites")                              \
  COMMON_FIELDS(X, SCOPE)

#define ASSET_FIELDS(X)                                                                            \
  X(ASSET, ID, "id", FT_ID, F_REQUIRED, .doc = "unique id")                                        \
  X(ASSET, TITLE, "title", FT_STRING, F_REQUIRED, .doc = "title")                                  \
  X(ASSET, OWNER, "owner", FT_STRING, F_REQUIRED, .doc = "asset owner")                            \
  X(ASSET, TYPE, "type", FT_ENUM, 0, .values = asset_types, .doc = "kind of asset")                \
  X(ASSET, CLASSIFICATION, "classification", FT_CLASSIFICATION, 0,                                 \
    .doc = "one of isms.yaml's classifications")                                                   \
  X(ASSET, DESCRIPTION, "description", FT_TEXT, 0, .doc = "description")                           \
  COMMON_FIELDS(X, ASSET)

#define RISK_FIELDS(X)                                                                             \
  X(RISK, ID, "id", FT_ID, F_REQUIRED, .doc = "unique id")                                         \
  X(RISK, TITLE, "title", FT_STRING, F_REQUIRED, .doc = "title")                                   \
  X(RISK, OWNER, "owner", FT_STRING, F_REQUIRED, .doc = "risk owner")                              \
  X(RISK, ASSETS, "assets", FT_REF_LIST, 0, .ref_kind = KIND_ASSET, .backlink = LINK_RISKS,        \
    .doc = "assets at risk")                                                                       \
  X(RISK, THREAT, "threat", FT_TEXT, 0, .doc = "threat")                                           \
  X(RISK, VULNERABILITY, "vulnerability", FT_TEXT, 0, .doc = "vulnerability")                      \
  X(RISK, LIKELIHOOD, "likelihood", FT_SCALE, F_REQUIRED, .scale = SCALE_LIKELIHOOD,               \
    .doc = "1..N or a likelihood label")                                                           \
  X(RISK, IMPACT, "impact", FT_SCALE, F_REQUIRED, .scale = SCALE_IMPACT,                           \
    .doc = "1..N or an impact label")                                                              \
  X(RISK, TREATMENT, "treatment", FT_ENUM, F_REQUIRED, .values = treatment_options,                \
    .synonyms = treatment_option_synonyms, .doc = "treatment option")                              \
  X(RISK, RESIDUAL, "residual", FT_MAP, 0, .sub = &residual_table,                                 \
    .doc = "{likelihood, impact} after treatment")                                                 \
  X(RISK, ACCEPTANCE, "acceptance", FT_MAP, 0, .sub = &acceptance_table,                           \
    .doc = "{by, date, rationale}")                                                                \
  COMMON_FIELDS(X, RISK)

#define TREATMENT_FIELDS(X)                                                                        \
  X(TREATMENT, ID, "id", FT_ID, F_REQUIRED, .doc = "unique id")                                    \
  X(TREATMENT, TITLE, "title", FT_STRING, F_REQUIRED, .doc = "title")                              \
  X(TREATMENT, RISKS, "risks", FT_REF_LIST, F_REQUIRED, .ref_kind = KIND_RISK,                     \
    .backlink = LINK_TREATMENTS, .doc = "risks it treats")                                         \
  X(TREATMENT, CONTROLS, "controls", FT_REF_LIST, 0, .ref_kind = KIND_CONTROL,                     \
    .backlink = LINK_TREATMENTS, .carry_link = LINK_RISKS, .carry_field = TREATMENT_RISKS,         \
    .doc = "controls it selects")                                                                  \
  X(TREATMENT, OWNER, "owner", FT_STRING, F_REQUIRED, .doc = "who carries it out")                 \
  X(TREATMENT, DUE, "due", FT_DATE, 0, .doc = "due date")                                          \
  X(TREATMENT, STATUS, "status", FT_ENUM, 0, .values = treatment_statuses, .doc = "status")        \
  COMMON_FIELDS(X, TREATMENT)

#define CONTROL_FIELDS(X)                                                                          \
  X(CONTROL, ID, "id", FT_ID, F_REQUIRED, .doc = "catalog id, e.g. A.8.3")                         \
  X(CONTROL, APPLICABLE, "applicable", FT_BOOL, F_REQUIRED, .doc = "true or false")                \
  X(CONTROL, JUSTIFICATION, "justification", FT_TEXT, 0,                                           \
    .doc = "why it is excluded (required when not applicable)")                                    \
  X(CONTROL, REASONS, "reasons", FT_ENUM_LIST, 0, .values = control_reasons,                       \
    .doc = "declared reasons for inclusion")                                                       \
  X(CONTROL, STATUS, "status", FT_ENUM, 0, .values = control_statuses,                             \
    .doc = "implementation status (required when applicable)")                                     \
  X(CONTROL, OWNER, "owner", FT_STRING, 0, .doc = "owner (required when applicable)")              \
  X(CONTROL, POLICIES, "policies", FT_REF_LIST, 0, .ref_kind = KIND_POLICY,                        \
    .backlink = LINK_COVERS, .forward = LINK_COVERED_BY, .doc = "policies that cover it")          \
  X(CONTROL, EVIDENCE, "evidence", FT_MAP_LIST, 0, .sub = &evidence_table,                         \
    .doc = "[{path or url, title}]")                                                               \
  COMMON_FIELDS(X, CONTROL)

#define POLICY_FIELDS(X)                                                                           \
  X(POLICY, ID, "id", FT_ID, F_REQUIRED, .doc = "unique id")                                       \
  X(POLICY, TITLE, "title", FT_STRING, F_REQUIRED, .doc = "title")                                 \
  X(POLICY, OWNER, "owner", FT_STRING, F_REQUIRED, .doc = "policy owner")                          \
  X(POLICY, VERSION, "version", FT_STRING, F_REQUIRED, .doc = "document version")                  \
  X(POLICY, STATUS, "status", FT_ENUM, 0, .values = policy_statuses, .doc = "status")              \
  X(POLICY, APPROVED, "approved", FT_MAP, 0, .sub = &approval_table, .doc = "{by, date}")          \
  X(POLICY, REVIEW, "review", FT_DATE, 0, .doc = "next review date")                               \
  X(POLICY, CLASSIFICATION, "classification", FT_CLASSIFICATION, 0,                                \
    .doc = "one of isms.yaml's classifications")                                                   \
  X(POLICY, CONTROLS, "controls", FT_REF_LIST, 0, .ref_kind = KIND_CONTROL,                        \
    .backlink = LINK_COVERED_BY, .forward = LINK_COVERS, .doc = "controls it claims")              \
  COMMON_FIELDS(X, POLICY)

/* A clause of the management-system standard, from the catalog's `clauses`. */
#define CLAUSE_FIELDS(X)                                                                           \
  X(CLAUSE, ID, "id", FT_ID, F_REQUIRED, .doc = "the clause number, e.g. 9.2")                     \
  X(CLAUSE, TITLE, "title", FT_STRING, F_REQUIRED, .doc = "its title")                             \
  X(CLAUSE, DOCUMENTED, "documented", FT_TEXT, 0,                                                  \
    .doc = "the documented information it requires, if any")

#define MANIFEST_FIELDS(X)                                                                         \
  X(MANIFEST, ORGANISATION, "organisation", FT_STRING, F_REQUIRED,                                 \
    .doc = "the organisation's name")                                                              \
  X(MANIFEST, TITLE, "title", FT_STRING, 0, .doc = "title of the ISMS")                            \
  X(MANIFEST, CATALOG, "catalog", FT_STRING, 0,                                                    \
    .doc = "iso27001-2022 (default), iso27001-2013, or a catalog YAML in the tree")                \
  X(MANIFEST, VERSION, "version", FT_STRING, 0, .doc = "document set version")                     \
  X(MANIFEST, CLASSIFICATION, "classification", FT_CLASSIFICATION, 0,                              \
    .doc = "classification of the document set")                                                   \
  X(MANIFEST, OWNER, "owner", FT_STRING, 0, .doc = "owner of the ISMS")                            \
  X(MANIFEST, APPROVED, "approved", FT_MAP, 0, .sub = &approval_table, .doc = "{by, date}")        \
  X(MANIFEST, CLASSIFICATIONS, "classifications", FT_STRING_LIST, 0,                               \
    .doc = "classification labels, lowest first")                                                  \
  X(MANIFEST, RISK, "risk", FT_MAP, F_REQUIRED, .sub = &risk_method_table,                         \
    .doc = "the risk method")                                                                      \
  X(MANIFEST, REVIEW, "review", FT_MAP, 0, .sub = &review_settings_table,                          \
    .doc = "review settings")                                                                      \
  X(MANIFEST, RULES, "rules", FT_SEVERITY_MAP, 0, .doc = "rule id: error|warning|note|off")        \
  X(MANIFEST, LIMITS, "limits", FT_MAP, 0, .sub = &limits_table, .doc = "input limits")            \
  X(MANIFEST, LUA, "lua", FT_MAP, 0, .sub = &lua_table, .doc = "budgets of each Lua rule")

/* Nested maps. */
#define APPROVAL_FIELDS(X)                                                                         \
  X(APPROVAL, BY, "by", FT_STRING, 0, .doc = "approver")                                           \
  X(APPROVAL, DATE, "date", FT_DATE, 0, .doc = "approval date")

#define RESIDUAL_FIELDS(X)                                                                         \
  X(RESIDUAL, LIKELIHOOD, "likelihood", FT_SCALE, 0, .scale = SCALE_LIKELIHOOD,                    \
    .doc = "likelihood after treatment")                                                           \
  X(RESIDUAL, IMPACT, "impact", FT_SCALE, 0, .scale = SCALE_IMPACT, .doc = "impact after treatment")

#define ACCEPTANCE_FIELDS(X)                                                                       \
  X(ACCEPTANCE, BY, "by", FT_STRING, F_REQUIRED, .doc = "who accepted the risk")                   \
  X(ACCEPTANCE, DATE, "date", FT_DATE, F_REQUIRED, .doc = "when")                                  \
  X(ACCEPTANCE, RATIONALE, "rationale", FT_TEXT, 0, .doc = "why")

#define EVIDENCE_FIELDS(X)                                                                         \
  X(EVIDENCE, PATH, "path", FT_STRING, 0, .doc = "a file in the tree")                             \
  X(EVIDENCE, URL, "url", FT_STRING, 0, .doc = "or a link")                                        \
  X(EVIDENCE, TITLE, "title", FT_STRING, 0, .doc = "what it shows")

#define IGNORE_FIELDS(X)                                                                           \
  X(IGNORE, RULE, "rule", FT_STRING, F_REQUIRED, .doc = "rule id")                                 \
  X(IGNORE, REASON, "reason", FT_TEXT, F_REQUIRED, .doc = "why, shown in the SoA/RTP")

#define RISK_METHOD_FIELDS(X)                                                                      \
  X(METHOD, LIKELIHOOD, "likelihood", FT_STRING_LIST, F_REQUIRED,                                  \
    .doc = "likelihood labels, values 1..N")                                                       \
  X(METHOD, IMPACT, "impact", FT_STRING_LIST, F_REQUIRED, .doc = "impact labels, 1..N")            \
  X(METHOD, ACCEPT_MAX, "accept_max", FT_INT, 0, .doc = "highest score a risk owner may accept")   \
  X(METHOD, LEVELS, "levels", FT_MAP_LIST, F_REQUIRED, .sub = &level_table,                        \
    .doc = "[{max, name}], ascending")

#define LEVEL_FIELDS(X)                                                                            \
  X(LEVEL, MAX, "max", FT_INT, F_REQUIRED, .doc = "highest score of the level")                    \
  X(LEVEL, NAME, "name", FT_STRING, F_REQUIRED, .doc = "level name")

#define REVIEW_SETTINGS_FIELDS(X)                                                                  \
  X(RSET, POLICY_MAX_AGE_DAYS, "policy_max_age_days", FT_INT, 0,                                   \
    .doc = "days after approval a policy is due for review")

#define LIMITS_FIELDS(X)                                                                           \
  X(LIMITS, MAX_FILE_BYTES, "max_file_bytes", FT_INT, 0,                                           \
    .doc = "bytes in one file; default 10485760 (10 MB)")                                          \
  X(LIMITS, MAX_DEPTH, "max_depth", FT_INT, 0,                                                     \
    .doc = "YAML nesting: each mapping or sequence is a level; default 64")                        \
  X(LIMITS, MAX_ALIAS_NODES, "max_alias_nodes", FT_INT, 0,                                         \
    .doc = "nodes reachable through YAML aliases in one file (billion laughs); default 10000")     \
  X(LIMITS, MAX_ID_LENGTH, "max_id_length", FT_INT, 0, .doc = "characters in an id; default 128")  \
  X(LIMITS, MAX_RECORDS, "max_records", FT_INT, 0,                                                 \
    .doc = "records in the whole tree; default 200000")                                            \
  X(LIMITS, MAX_MARKDOWN_DEPTH, "max_markdown_depth", FT_INT, 0,                                   \
    .doc = "Markdown nesting: each block quote, list, item, paragraph and inline span is a "       \
           "level; default 100")

#define LUA_FIELDS(X)                                                                              \
  X(LUA, MAX_INSTRUCTIONS, "max_instructions", FT_INT, 0,                                          \
    .doc = "Lua VM instructions a rule may run, default 100000000")                                \
  X(LUA, MAX_MEMORY_MB, "max_memory_mb", FT_INT, 0,                                                \
    .doc = "memory all Lua rules may hold, default 512")

/* Derived values: computed by ismsc, never written; Lua and isms.json show them under
 * these names, after the written fields. */
#define RISK_DERIVED_FIELDS(X)                                                                     \
  X(RISK_D, SCORE, "score", FT_INT, 0, .doc = "likelihood x impact")                               \
  X(RISK_D, LEVEL, "level", FT_STRING, 0,                                                          \
    .doc = "the score's level in `risk.levels` (`unrated` when no level holds it)")                \
  X(RISK_D, RESIDUAL_SCORE, "residual_score", FT_INT, 0, .doc = "the same for `residual`")         \
  X(RISK_D, RESIDUAL_LEVEL, "residual_level", FT_STRING, 0, .doc = "its level")

#define CONTROL_DERIVED_FIELDS(X)                                                                  \
  X(CONTROL_D, TITLE, "title", FT_STRING, 0, .doc = "the catalog's title")                         \
  X(CONTROL_D, THEME, "theme", FT_STRING, 0, .doc = "the catalog's theme")                         \
  X(CONTROL_D, RECORDED, "recorded", FT_BOOL, 0,                                                   \
    .doc = "false for a catalog control the tree has no record for")                               \
  X(CONTROL_D, IN_CATALOG, "in_catalog", FT_BOOL, F_LUA_ONLY,                                      \
    .doc = "false for a control record whose id is not in the catalog")

/* Field index constants: RISK_OWNER, ACCEPTANCE_BY, RISK_D_SCORE, ... */
#define X_INDEX(K, F, ...) K##_##F,
enum { SCOPE_FIELDS(X_INDEX) SCOPE_FIELD_COUNT };
enum { ASSET_FIELDS(X_INDEX) ASSET_FIELD_COUNT };
enum { RISK_FIELDS(X_INDEX) RISK_FIELD_COUNT };
enum { TREATMENT_FIELDS(X_INDEX) TREATMENT_FIELD_COUNT };
enum { CONTROL_FIELDS(X_INDEX) CONTROL_FIELD_COUNT };
enum { POLICY_FIELDS(X_INDEX) POLICY_FIELD_COUNT };
enum { CLAUSE_FIELDS(X_INDEX) CLAUSE_FIELD_COUNT };
enum { MANIFEST_FIELDS(X_INDEX) MANIFEST_FIELD_COUNT };
enum { APPROVAL_FIELDS(X_INDEX) APPROVAL_FIELD_COUNT };
enum { RESIDUAL_FIELDS(X_INDEX) RESIDUAL_FIELD_COUNT };
enum { ACCEPTANCE_FIELDS(X_INDEX) ACCEPTANCE_FIELD_COUNT };
enum { EVIDENCE_FIELDS(X_INDEX) EVIDENCE_FIELD_COUNT };
enum { IGNORE_FIELDS(X_INDEX) IGNORE_FIELD_COUNT };
enum { RISK_METHOD_FIELDS(X_INDEX) METHOD_FIELD_COUNT };
enum { LEVEL_FIELDS(X_INDEX) LEVEL_FIELD_COUNT };
enum { REVIEW_SETTINGS_FIELDS(X_INDEX) RSET_FIELD_COUNT };
enum { LIMITS_FIELDS(X_INDEX) LIMITS_FIELD_COUNT };
enum { LUA_FIELDS(X_INDEX) LUA_FIELD_COUNT };
enum { RISK_DERIVED_FIELDS(X_INDEX) RISK_D_COUNT };
enum { CONTROL_DERIVED_FIELDS(X_INDEX) CONTROL_D_COUNT };
#undef X_INDEX

extern const FieldTable approval_table, residual_table, acceptance_table, evidence_table,
    ignore_table, risk_method_table, level_table, review_settings_table, limits_table, lua_table,
    risk_derived_table, control_derived_table;

/* Computes a record's derived values (model.h); named in the KINDS rows. */
struct Model;
struct Record;
typedef void (*DeriveFn)(struct Model *m, struct Record *r);
void model_derive_risk(struct Model *m, struct Record *r);
void resolve_derive_control(struct Model *m, struct Record *r);

/* A kind's row. Field indices are -1 where the kind has no such field. */
typedef struct KindSpec {
  const char *name, *article, *plural, *folder;
  const FieldTable *table;
  const FieldTable *derived; /* NULL: no derived values */
  DeriveFn derive;
  bool from_catalog; /* its records come from the catalog, never from the tree (clauses) */
  int parent_kind;   /* a nested kind: the kind whose FT_RECORD_LIST holds it; else -1 */
  int id_field, title_field, kind_field, body_field, ignore_field;
  const char *document; /* the home document its records link to; NULL: a page of its own */
} KindSpec;

const KindSpec *kind_spec(Kind kind);
/* The table of a record kind (KIND_MANIFEST included). */
const FieldTable *schema_table(Kind kind);
const char *kind_name(Kind kind);
/* "a risk", "an asset": for messages. */
const char *kind_article(Kind kind);
/* Kind by its name ("risk"); false if none. The manifest is not a record kind. */
bool kind_parse(const char *name, Kind *out);
/* The kind a top folder implies ("risks" -> "risk"), or NULL. */
const char *kind_of_folder(const char *folder);
/* The record folders, for messages: "assets/, risks/, ..., policies/". */
const char *kind_folder_list(void);
/* Is it a kind of record that isms.json and Lua list (every kind but the manifest)? */
static inline bool kind_is_record(Kind kind) { return kind_spec(kind)->plural != NULL; }
/* Does a record of this kind have back-link l (does some field point at the kind so)? */
bool kind_has_link(Kind kind, Link l);
const char *link_name(Link l);
const char *link_doc(Link l);
/* Index of a field by name in a table, or -1. */
int schema_field(const FieldTable *t, const char *name);

#endif
