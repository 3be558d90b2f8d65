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
  X(SCOPE, "scope", "a scope", "scopes", NULL, scope, NULL, NULL, SCOPE_TITLE, "scope", false)     \
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
  X(OBJECTIVE, "objective", "an objective", "objectives", "objectives", objective, NULL, NULL,     \
    OBJECTIVE_TITLE, "objectives", false)                                                          \
  X(METRIC, "metric", "a metric", "metrics", "metrics", metric, &metric_derived_table,             \
    metric_derive, METRIC_TITLE, "objectives", false)                                              \
  X(AUDIT, "audit", "an audit", "audits", "audits", audit, NULL, NULL, AUDIT_TITLE, "audits",      \
    false)                                                                                         \
  X(FINDING, "finding", "a finding", "findings", NULL, finding, NULL, NULL, FINDING_TITLE,         \
    "audits", false)                                                                               \
  X(NONCONFORMITY, "nonconformity", "a nonconformity", "nonconformities", "nonconformities",       \
    nonconformity, NULL, NULL, NONCONFORMITY_TITLE, "nonconformities", false)                      \
  X(REVIEW, "review", "a management review", "reviews", "reviews", review, NULL, NULL,             \
    REVIEW_TITLE, NULL, false)                                                                     \
  X(CLAUSE, "clause", "a clause", "clauses", NULL, clause, &clause_derived_table,                  \
    readiness_derive, CLAUSE_TITLE, "readiness", true)                                             \
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
  X(COVERS, "covers", "controls it names or that name it")                                         \
  X(OBJECTIVES, "objectives", "objectives that name it")                                           \
  X(METRICS, "metrics", "metrics that name it")                                                    \
  X(AUDITS, "audits", "audits whose scope names it")                                               \
  X(FINDINGS, "findings", "audit findings that name it")                                           \
  X(NONCONFORMITIES, "nonconformities", "nonconformities that name it")                            \
  X(POLICIES, "policies", "policies that say they document it")                                    \
  X(EVIDENCE, "evidence", "controls whose evidence names it")

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
extern const char *const objective_statuses[];
extern const char *const metric_directions[];
extern const char *const metric_frequencies[];
extern const char *const audit_types[];
extern const char *const finding_types[];
extern const char *const nc_sources[];
extern const char *const nc_severities[];
extern const char *const nc_statuses[];

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
  X(SCOPE, INTERNAL_ISSUES, "internal_issues", FT_STRING_LIST, 0, .doc = "internal issues (4.1)")  \
  X(SCOPE, EXTERNAL_ISSUES, "external_issues", FT_STRING_LIST, 0, .doc = "external issues (4.1)")  \
  X(SCOPE, INTERESTED_PARTIES, "interested_parties", FT_MAP_LIST, 0, .sub = &party_table,          \
    .doc = "interested parties and their requirements (4.2): [{party, requirements}]")             \
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
    .doc = "{by, date, rationale, until}")                                                         \
  X(RISK, ASSESSED, "assessed", FT_DATE, 0, .doc = "date of the last assessment")                  \
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
  X(TREATMENT, RESOURCES, "resources", FT_TEXT, 0, .doc = "resources it needs")                    \
  X(TREATMENT, COMPLETED, "completed", FT_DATE, 0, .doc = "when it was completed")                 \
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
    .doc = "[{path or url, title, date, clauses}]")                                                \
  COMMON_FIELDS(X, CONTROL)

#define POLICY_FIELDS(X)                                                                           \
  X(POLICY, ID, "id", FT_ID, F_REQUIRED, .doc = "unique id")                                       \
  X(POLICY, TITLE, "title", FT_STRING, F_REQUIRED, .doc = "title")                                 \
  X(POLICY, OWNER, "owner", FT_STRING, F_REQUIRED, .doc = "policy owner")                          \
  X(POLICY, VERSION, "version", FT_STRING, F_REQUIRED, .doc = "document version")                  \
  X(POLICY, STATUS, "status", FT_ENUM, 0, .values = policy_statuses, .doc = "status")              \
  X(POLICY, APPROVED, "approved", FT_MAP, 0, .sub = &approval_table, .doc = "{by, date, commit}")  \
  X(POLICY, REVIEW, "review", FT_DATE, 0, .doc = "next review date")                               \
  X(POLICY, CLASSIFICATION, "classification", FT_CLASSIFICATION, 0,                                \
    .doc = "one of isms.yaml's classifications")                                                   \
  X(POLICY, CONTROLS, "controls", FT_REF_LIST, 0, .ref_kind = KIND_CONTROL,                        \
    .backlink = LINK_COVERED_BY, .forward = LINK_COVERS, .doc = "controls it claims")              \
  X(POLICY, NUMBER, "number", FT_STRING, 0, .doc = "document number")                              \
  X(POLICY, CLAUSES, "clauses", FT_REF_LIST, 0, .ref_kind = KIND_CLAUSE,                           \
    .backlink = LINK_POLICIES, .doc = "clauses whose documented information it is")                \
  COMMON_FIELDS(X, POLICY)

#define OBJECTIVE_FIELDS(X)                                                                        \
  X(OBJECTIVE, ID, "id", FT_ID, F_REQUIRED, .doc = "unique id")                                    \
  X(OBJECTIVE, TITLE, "title", FT_STRING, F_REQUIRED, .doc = "title")                              \
  X(OBJECTIVE, OWNER, "owner", FT_STRING, F_REQUIRED, .doc = "who is responsible")                 \
  X(OBJECTIVE, METRICS, "metrics", FT_REF_LIST, 0, .ref_kind = KIND_METRIC,                        \
    .backlink = LINK_OBJECTIVES, .doc = "metrics that measure it")                                 \
  X(OBJECTIVE, RISKS, "risks", FT_REF_LIST, 0, .ref_kind = KIND_RISK, .doc = "risks it addresses") \
  X(OBJECTIVE, CONTROLS, "controls", FT_REF_LIST, 0, .ref_kind = KIND_CONTROL,                     \
    .backlink = LINK_OBJECTIVES, .doc = "controls it relies on")                                   \
  X(OBJECTIVE, DUE, "due", FT_DATE, 0, .doc = "when it is to be achieved")                         \
  X(OBJECTIVE, STATUS, "status", FT_ENUM, 0, .values = objective_statuses, .doc = "status")        \
  X(OBJECTIVE, RESOURCES, "resources", FT_TEXT, 0, .doc = "resources it needs")                    \
  X(OBJECTIVE, EVALUATION, "evaluation", FT_TEXT, 0, .doc = "how results are evaluated")           \
  COMMON_FIELDS(X, OBJECTIVE)

#define METRIC_FIELDS(X)                                                                           \
  X(METRIC, ID, "id", FT_ID, F_REQUIRED, .doc = "unique id")                                       \
  X(METRIC, TITLE, "title", FT_STRING, F_REQUIRED, .doc = "title")                                 \
  X(METRIC, OWNER, "owner", FT_STRING, F_REQUIRED, .doc = "who measures it")                       \
  X(METRIC, UNIT, "unit", FT_STRING, 0, .doc = "unit of the values, e.g. %")                       \
  X(METRIC, TARGET, "target", FT_NUMBER, F_REQUIRED, .doc = "the value to reach")                  \
  X(METRIC, DIRECTION, "direction", FT_ENUM, 0, .values = metric_directions,                       \
    .doc = "whether the target is a floor or a ceiling; default at-least")                         \
  X(METRIC, FREQUENCY, "frequency", FT_ENUM, F_REQUIRED, .values = metric_frequencies,             \
    .doc = "how often it is measured")                                                             \
  X(METRIC, SOURCE, "source", FT_TEXT, 0, .doc = "how it is measured")                             \
  X(METRIC, CONTROLS, "controls", FT_REF_LIST, 0, .ref_kind = KIND_CONTROL,                        \
    .backlink = LINK_METRICS, .doc = "controls it measures")                                       \
  X(METRIC, MEASUREMENTS, "measurements", FT_MAP_LIST, 0, .sub = &measurement_table,               \
    .doc = "[{date, value, note}]")                                                                \
  X(METRIC, DATA, "data", FT_STRING, 0,                                                            \
    .doc = "a CSV file in the tree with columns date,value[,note]")                                \
  COMMON_FIELDS(X, METRIC)

#define AUDIT_FIELDS(X)                                                                            \
  X(AUDIT, ID, "id", FT_ID, F_REQUIRED, .doc = "unique id")                                        \
  X(AUDIT, TITLE, "title", FT_STRING, F_REQUIRED, .doc = "title")                                  \
  X(AUDIT, TYPE, "type", FT_ENUM, F_REQUIRED, .values = audit_types, .doc = "kind of audit")       \
  X(AUDIT, AUDITOR, "auditor", FT_STRING, F_REQUIRED, .doc = "who audits")                         \
  X(AUDIT, PLANNED, "planned", FT_DATE, 0, .doc = "the planned date")                              \
  X(AUDIT, DATE, "date", FT_DATE, 0, .doc = "the date it was held")                                \
  X(AUDIT, STATUS, "status", FT_ENUM, F_REQUIRED, .values = treatment_statuses, .doc = "status")   \
  X(AUDIT, CLAUSES, "clauses", FT_REF_LIST, 0, .ref_kind = KIND_CLAUSE, .backlink = LINK_AUDITS,   \
    .doc = "clauses in its scope")                                                                 \
  X(AUDIT, CONTROLS, "controls", FT_REF_LIST, 0, .ref_kind = KIND_CONTROL,                         \
    .backlink = LINK_AUDITS, .doc = "controls in its scope")                                       \
  X(AUDIT, CRITERIA, "criteria", FT_TEXT, 0, .doc = "audit criteria")                              \
  X(AUDIT, FINDINGS, "findings", FT_RECORD_LIST, 0, .ref_kind = KIND_FINDING,                      \
    .doc = "its findings, each a record")                                                          \
  COMMON_FIELDS(X, AUDIT)

/* Nested in an audit's `findings`: no `kind` or `body` of its own. */
#define FINDING_FIELDS(X)                                                                          \
  X(FINDING, ID, "id", FT_ID, F_REQUIRED, .doc = "unique id (across the tree)")                    \
  X(FINDING, TYPE, "type", FT_ENUM, F_REQUIRED, .values = finding_types, .doc = "kind of finding") \
  X(FINDING, TITLE, "title", FT_STRING, 0, .doc = "title (else the description's first line)")     \
  X(FINDING, DESCRIPTION, "description", FT_TEXT, F_REQUIRED | F_TITLE_FALLBACK,                   \
    .doc = "what was found")                                                                       \
  X(FINDING, CLAUSES, "clauses", FT_REF_LIST, 0, .ref_kind = KIND_CLAUSE,                          \
    .backlink = LINK_FINDINGS, .doc = "clauses it is about")                                       \
  X(FINDING, CONTROLS, "controls", FT_REF_LIST, 0, .ref_kind = KIND_CONTROL,                       \
    .backlink = LINK_FINDINGS, .doc = "controls it is about")                                      \
  X(FINDING, IGNORE, "ignore", FT_MAP_LIST, 0, .sub = &ignore_table,                               \
    .doc = "rules silenced for this finding: [{rule, reason}]")

#define NONCONFORMITY_FIELDS(X)                                                                    \
  X(NONCONFORMITY, ID, "id", FT_ID, F_REQUIRED, .doc = "unique id")                                \
  X(NONCONFORMITY, TITLE, "title", FT_STRING, F_REQUIRED, .doc = "title")                          \
  X(NONCONFORMITY, OWNER, "owner", FT_STRING, F_REQUIRED, .doc = "who handles it")                 \
  X(NONCONFORMITY, RAISED, "raised", FT_DATE, F_REQUIRED, .doc = "when it was raised")             \
  X(NONCONFORMITY, SOURCE, "source", FT_ENUM, 0, .values = nc_sources,                             \
    .doc = "where it came from")                                                                   \
  X(NONCONFORMITY, FINDING, "finding", FT_REF, 0, .ref_kind = KIND_FINDING,                        \
    .backlink = LINK_NONCONFORMITIES, .doc = "the audit finding it records")                       \
  X(NONCONFORMITY, SEVERITY, "severity", FT_ENUM, 0, .values = nc_severities, .doc = "severity")   \
  X(NONCONFORMITY, CLAUSES, "clauses", FT_REF_LIST, 0, .ref_kind = KIND_CLAUSE,                    \
    .backlink = LINK_NONCONFORMITIES, .doc = "clauses not conformed to")                           \
  X(NONCONFORMITY, CONTROLS, "controls", FT_REF_LIST, 0, .ref_kind = KIND_CONTROL,                 \
    .backlink = LINK_NONCONFORMITIES, .doc = "controls concerned")                                 \
  X(NONCONFORMITY, CORRECTION, "correction", FT_TEXT, 0, .doc = "what was done at once")           \
  X(NONCONFORMITY, ROOT_CAUSE, "root_cause", FT_TEXT, 0, .doc = "its root cause (10.2 b)")         \
  X(NONCONFORMITY, ACTIONS, "actions", FT_MAP_LIST, 0, .sub = &action_table,                       \
    .doc = "corrective actions: [{action, owner, due, status, done}]")                             \
  X(NONCONFORMITY, EFFECTIVENESS, "effectiveness", FT_MAP, 0, .sub = &effectiveness_table,         \
    .doc = "review of the actions' effectiveness (10.2 d): {by, date, effective, note}")           \
  X(NONCONFORMITY, STATUS, "status", FT_ENUM, F_REQUIRED, .values = nc_statuses, .doc = "status")  \
  X(NONCONFORMITY, CLOSED, "closed", FT_DATE, 0, .when_field = NONCONFORMITY_STATUS,               \
    .when_value = "closed", .doc = "when it was closed (required when closed)")                    \
  COMMON_FIELDS(X, NONCONFORMITY)

#define REVIEW_FIELDS(X)                                                                           \
  X(REVIEW, ID, "id", FT_ID, F_REQUIRED, .doc = "unique id")                                       \
  X(REVIEW, TITLE, "title", FT_STRING, F_REQUIRED, .doc = "title")                                 \
  X(REVIEW, DATE, "date", FT_DATE, F_REQUIRED, .doc = "when it was held")                          \
  X(REVIEW, CHAIR, "chair", FT_STRING, F_REQUIRED, .doc = "who chaired it")                        \
  X(REVIEW, ATTENDEES, "attendees", FT_STRING_LIST, 0, .doc = "who attended")                      \
  X(REVIEW, INPUTS, "inputs", FT_MAP, 0, .sub = &review_inputs_table,                              \
    .doc = "the inputs of 9.3.2 a-g, as text each")                                                \
  X(REVIEW, DECISIONS, "decisions", FT_MAP_LIST, 0, .sub = &decision_table,                        \
    .doc = "[{decision, owner, due, status}]")                                                     \
  X(REVIEW, NEXT, "next", FT_DATE, 0, .doc = "the next review's date")                             \
  COMMON_FIELDS(X, REVIEW)

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
  X(MANIFEST, POLICY, "policy", FT_REF, 0, .ref_kind = KIND_POLICY,                                \
    .doc = "the information security policy (5.2)")                                                \
  X(MANIFEST, CLASSIFICATIONS, "classifications", FT_STRING_LIST, 0,                               \
    .doc = "classification labels, lowest first")                                                  \
  X(MANIFEST, RISK, "risk", FT_MAP, F_REQUIRED, .sub = &risk_method_table,                         \
    .doc = "the risk method")                                                                      \
  X(MANIFEST, REVIEW, "review", FT_MAP, 0, .sub = &review_settings_table,                          \
    .doc = "review settings")                                                                      \
  X(MANIFEST, AUDIT, "audit", FT_MAP, 0, .sub = &audit_settings_table, .doc = "audit settings")    \
  X(MANIFEST, DOCUMENTS, "documents", FT_NAMED_MAP, 0, .sub = &document_control_table,             \
    .doc = "the generated documents under document control, by name")                              \
  X(MANIFEST, HISTORY, "history", FT_MAP, 0, .sub = &history_table, .doc = "revision histories")   \
  X(MANIFEST, RULES, "rules", FT_SEVERITY_MAP, 0, .doc = "rule id: error|warning|note|off")        \
  X(MANIFEST, LIMITS, "limits", FT_MAP, 0, .sub = &limits_table, .doc = "input limits")            \
  X(MANIFEST, LUA, "lua", FT_MAP, 0, .sub = &lua_table, .doc = "budgets of each Lua rule")

/* Nested maps. */
#define APPROVAL_FIELDS(X)                                                                         \
  X(APPROVAL, BY, "by", FT_STRING, 0, .doc = "approver")                                           \
  X(APPROVAL, DATE, "date", FT_DATE, 0, .doc = "approval date")                                    \
  X(APPROVAL, COMMIT, "commit", FT_STRING, 0,                                                      \
    .doc = "the commit approved (else the last one on or before the date)")

#define RESIDUAL_FIELDS(X)                                                                         \
  X(RESIDUAL, LIKELIHOOD, "likelihood", FT_SCALE, 0, .scale = SCALE_LIKELIHOOD,                    \
    .doc = "likelihood after treatment")                                                           \
  X(RESIDUAL, IMPACT, "impact", FT_SCALE, 0, .scale = SCALE_IMPACT, .doc = "impact after treatment")

#define ACCEPTANCE_FIELDS(X)                                                                       \
  X(ACCEPTANCE, BY, "by", FT_STRING, F_REQUIRED, .doc = "who accepted the risk")                   \
  X(ACCEPTANCE, DATE, "date", FT_DATE, F_REQUIRED, .doc = "when")                                  \
  X(ACCEPTANCE, RATIONALE, "rationale", FT_TEXT, 0, .doc = "why")                                  \
  X(ACCEPTANCE, UNTIL, "until", FT_DATE, 0, .doc = "when the acceptance ends")

#define EVIDENCE_FIELDS(X)                                                                         \
  X(EVIDENCE, PATH, "path", FT_STRING, 0, .doc = "a file in the tree")                             \
  X(EVIDENCE, URL, "url", FT_STRING, 0, .doc = "or a link")                                        \
  X(EVIDENCE, TITLE, "title", FT_STRING, 0, .doc = "what it shows")                                \
  X(EVIDENCE, DATE, "date", FT_DATE, 0, .doc = "when it was produced")                             \
  X(EVIDENCE, CLAUSES, "clauses", FT_REF_LIST, 0, .ref_kind = KIND_CLAUSE,                         \
    .backlink = LINK_EVIDENCE, .doc = "clauses it is evidence for")

#define IGNORE_FIELDS(X)                                                                           \
  X(IGNORE, RULE, "rule", FT_STRING, F_REQUIRED, .doc = "rule id")                                 \
  X(IGNORE, REASON, "reason", FT_TEXT, F_REQUIRED, .doc = "why, shown in the SoA/RTP")

#define RISK_METHOD_FIELDS(X)                                                                      \
  X(METHOD, LIKELIHOOD, "likelihood", FT_STRING_LIST, F_REQUIRED,                                  \
    .doc = "likelihood labels, values 1..N")                                                       \
  X(METHOD, IMPACT, "impact", FT_STRING_LIST, F_REQUIRED, .doc = "impact labels, 1..N")            \
  X(METHOD, LIKELIHOOD_CRITERIA, "likelihood_criteria", FT_STRING_LIST, 0,                         \
    .doc = "what each likelihood step means")                                                      \
  X(METHOD, IMPACT_CRITERIA, "impact_criteria", FT_STRING_LIST, 0,                                 \
    .doc = "what each impact step means")                                                          \
  X(METHOD, ACCEPT_MAX, "accept_max", FT_INT, 0, .doc = "highest score a risk owner may accept")   \
  X(METHOD, ACCEPTANCE_AUTHORITY, "acceptance_authority", FT_MAP_LIST, 0, .sub = &authority_table, \
    .doc = "who may accept a residual risk, by score: [{max, by}], ascending")                     \
  X(METHOD, REASSESS_DAYS, "reassess_days", FT_INT, 0,                                             \
    .doc = "days after which a risk is due for reassessment")                                      \
  X(METHOD, LEVELS, "levels", FT_MAP_LIST, F_REQUIRED, .sub = &level_table,                        \
    .doc = "[{max, name}], ascending")

#define LEVEL_FIELDS(X)                                                                            \
  X(LEVEL, MAX, "max", FT_INT, F_REQUIRED, .doc = "highest score of the level")                    \
  X(LEVEL, NAME, "name", FT_STRING, F_REQUIRED, .doc = "level name")

#define REVIEW_SETTINGS_FIELDS(X)                                                                  \
  X(RSET, POLICY_MAX_AGE_DAYS, "policy_max_age_days", FT_INT, 0,                                   \
    .doc = "days after approval a policy is due for review")                                       \
  X(RSET, MANAGEMENT_MAX_AGE_DAYS, "management_max_age_days", FT_INT, 0,                           \
    .doc = "the longest gap between management reviews, in days")

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

#define PARTY_FIELDS(X)                                                                            \
  X(PARTY, PARTY, "party", FT_STRING, F_REQUIRED, .doc = "the interested party")                   \
  X(PARTY, REQUIREMENTS, "requirements", FT_TEXT, F_REQUIRED, .doc = "its relevant requirements")

#define AUTHORITY_FIELDS(X)                                                                        \
  X(AUTHORITY, MAX, "max", FT_INT, F_REQUIRED, .doc = "highest score of the band")                 \
  X(AUTHORITY, BY, "by", FT_STRING_LIST, F_REQUIRED,                                               \
    .doc = "who may accept (`owner`: the risk's owner)")

#define AUDIT_SETTINGS_FIELDS(X)                                                                   \
  X(ASET, CYCLE_MONTHS, "cycle_months", FT_INT, 0,                                                 \
    .doc = "every clause and applicable control is audited within this many months")

#define DOCUMENT_CONTROL_FIELDS(X)                                                                 \
  X(DOCCTL, NUMBER, "number", FT_STRING, 0, .doc = "document number")                              \
  X(DOCCTL, OWNER, "owner", FT_STRING, 0, .doc = "document owner")                                 \
  X(DOCCTL, VERSION, "version", FT_STRING, 0, .doc = "document version")                           \
  X(DOCCTL, APPROVED, "approved", FT_MAP, 0, .sub = &approval_table, .doc = "{by, date, commit}")  \
  X(DOCCTL, REVIEW, "review", FT_DATE, 0, .doc = "next review date")                               \
  X(DOCCTL, CLASSIFICATION, "classification", FT_CLASSIFICATION, 0,                                \
    .doc = "one of isms.yaml's classifications")

#define HISTORY_FIELDS(X)                                                                          \
  X(HISTORY, MAX_COMMITS, "max_commits", FT_INT, 0,                                                \
    .doc = "commits a revision history looks back at most")

#define MEASUREMENT_FIELDS(X)                                                                      \
  X(MEASUREMENT, DATE, "date", FT_DATE, F_REQUIRED, .doc = "when it was measured")                 \
  X(MEASUREMENT, VALUE, "value", FT_NUMBER, F_REQUIRED, .doc = "the value")                        \
  X(MEASUREMENT, NOTE, "note", FT_TEXT, 0, .doc = "a note")

#define ACTION_FIELDS(X)                                                                           \
  X(ACTION, ACTION, "action", FT_TEXT, F_REQUIRED, .doc = "what is to be done")                    \
  X(ACTION, OWNER, "owner", FT_STRING, F_REQUIRED, .doc = "who does it")                           \
  X(ACTION, DUE, "due", FT_DATE, 0, .doc = "due date")                                             \
  X(ACTION, STATUS, "status", FT_ENUM, 0, .values = treatment_statuses, .doc = "status")           \
  X(ACTION, DONE, "done", FT_DATE, 0, .doc = "when it was done")

#define EFFECTIVENESS_FIELDS(X)                                                                    \
  X(EFFECT, BY, "by", FT_STRING, F_REQUIRED, .doc = "who reviewed it")                             \
  X(EFFECT, DATE, "date", FT_DATE, F_REQUIRED, .doc = "when")                                      \
  X(EFFECT, EFFECTIVE, "effective", FT_BOOL, F_REQUIRED, .doc = "whether the actions worked")      \
  X(EFFECT, NOTE, "note", FT_TEXT, 0, .doc = "a note")

/* ISO/IEC 27001:2022 9.3.2 a-g. */
#define REVIEW_INPUTS_FIELDS(X)                                                                    \
  X(INPUTS, ACTIONS, "actions", FT_TEXT, 0, .doc = "a) status of actions from previous reviews")   \
  X(INPUTS, CHANGES, "changes", FT_TEXT, 0, .doc = "b) changes in external and internal issues")   \
  X(INPUTS, PARTIES, "parties", FT_TEXT, 0, .doc = "c) changes in interested parties' needs")      \
  X(INPUTS, PERFORMANCE, "performance", FT_TEXT, 0,                                                \
    .doc = "d) information security performance: nonconformities, monitoring, audits, objectives") \
  X(INPUTS, FEEDBACK, "feedback", FT_TEXT, 0, .doc = "e) feedback from interested parties")        \
  X(INPUTS, RISKS, "risks", FT_TEXT, 0, .doc = "f) results of risk assessment, treatment plan")    \
  X(INPUTS, IMPROVEMENT, "improvement", FT_TEXT, 0, .doc = "g) opportunities for improvement")

#define DECISION_FIELDS(X)                                                                         \
  X(DECISION, DECISION, "decision", FT_TEXT, F_REQUIRED, .doc = "what was decided")                \
  X(DECISION, OWNER, "owner", FT_STRING, 0, .doc = "who carries it out")                           \
  X(DECISION, DUE, "due", FT_DATE, 0, .doc = "due date")                                           \
  X(DECISION, STATUS, "status", FT_ENUM, 0, .values = treatment_statuses, .doc = "status")

/* Derived values: computed by ismsc, never written; Lua and isms.json show them under
 * these names, after the written fields. */
#define RISK_DERIVED_FIELDS(X)                                                                     \
  X(RISK_D, SCORE, "score", FT_INT, 0, .doc = "likelihood x impact")                               \
  X(RISK_D, LEVEL, "level", FT_STRING, 0,                                                          \
    .doc = "the score's level in `risk.levels` (`unrated` when no level holds it)")                \
  X(RISK_D, RESIDUAL_SCORE, "residual_score", FT_INT, 0, .doc = "the same for `residual`")         \
  X(RISK_D, RESIDUAL_LEVEL, "residual_level", FT_STRING, 0, .doc = "its level")                    \
  X(RISK_D, ACCEPTANCE_ALLOWED, "acceptance_allowed", FT_STRING_LIST, 0,                           \
    .doc =                                                                                         \
        "who `risk.acceptance_authority` allows to accept the residual risk (its score, else "     \
        "the inherent one), `owner` replaced by the risk's owner; absent when no bands are set")   \
  X(RISK_D, ACCEPTANCE_ENTITLED, "acceptance_entitled", FT_BOOL, 0,                                \
    .doc = "whether `acceptance.by` is one of `acceptance_allowed`")

#define CONTROL_DERIVED_FIELDS(X)                                                                  \
  X(CONTROL_D, TITLE, "title", FT_STRING, 0, .doc = "the catalog's title")                         \
  X(CONTROL_D, THEME, "theme", FT_STRING, 0, .doc = "the catalog's theme")                         \
  X(CONTROL_D, RECORDED, "recorded", FT_BOOL, 0,                                                   \
    .doc = "false for a catalog control the tree has no record for")                               \
  X(CONTROL_D, IN_CATALOG, "in_catalog", FT_BOOL, F_LUA_ONLY,                                      \
    .doc = "false for a control record whose id is not in the catalog")

#define METRIC_DERIVED_FIELDS(X)                                                                   \
  X(METRIC_D, SERIES, "series", FT_MAP_LIST, 0, .sub = &measurement_table,                         \
    .doc = "`measurements` and the `data` CSV's rows, merged and sorted by date")                  \
  X(METRIC_D, LATEST, "latest", FT_MAP, 0, .sub = &measurement_table,                              \
    .doc = "the latest measurement {date, value, note} (none when never measured)")                \
  X(METRIC_D, MET, "met", FT_BOOL, 0,                                                              \
    .doc = "whether the latest value meets the target in its direction")                           \
  X(METRIC_D, DUE, "due", FT_DATE, 0,                                                              \
    .doc = "the next measurement's date: the latest's plus the frequency")

#define CLAUSE_DERIVED_FIELDS(X)                                                                   \
  X(CLAUSE_D, READINESS, "readiness", FT_STRING, 0,                                                \
    .doc = "of a clause that requires documented information: present, incomplete or missing")     \
  X(CLAUSE_D, LACKING, "lacking", FT_STRING, 0,                                                    \
    .doc = "what would provide it (missing), or its first gap (incomplete)")

/* Field index constants: RISK_OWNER, ACCEPTANCE_BY, RISK_D_SCORE, ... */
#define X_INDEX(K, F, ...) K##_##F,
enum { SCOPE_FIELDS(X_INDEX) SCOPE_FIELD_COUNT };
enum { ASSET_FIELDS(X_INDEX) ASSET_FIELD_COUNT };
enum { RISK_FIELDS(X_INDEX) RISK_FIELD_COUNT };
enum { TREATMENT_FIELDS(X_INDEX) TREATMENT_FIELD_COUNT };
enum { CONTROL_FIELDS(X_INDEX) CONTROL_FIELD_COUNT };
enum { POLICY_FIELDS(X_INDEX) POLICY_FIELD_COUNT };
enum { OBJECTIVE_FIELDS(X_INDEX) OBJECTIVE_FIELD_COUNT };
enum { METRIC_FIELDS(X_INDEX) METRIC_FIELD_COUNT };
enum { AUDIT_FIELDS(X_INDEX) AUDIT_FIELD_COUNT };
enum { FINDING_FIELDS(X_INDEX) FINDING_FIELD_COUNT };
enum { NONCONFORMITY_FIELDS(X_INDEX) NONCONFORMITY_FIELD_COUNT };
enum { REVIEW_FIELDS(X_INDEX) REVIEW_FIELD_COUNT };
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
enum { PARTY_FIELDS(X_INDEX) PARTY_FIELD_COUNT };
enum { AUTHORITY_FIELDS(X_INDEX) AUTHORITY_FIELD_COUNT };
enum { AUDIT_SETTINGS_FIELDS(X_INDEX) ASET_FIELD_COUNT };
enum { DOCUMENT_CONTROL_FIELDS(X_INDEX) DOCCTL_FIELD_COUNT };
enum { HISTORY_FIELDS(X_INDEX) HISTORY_FIELD_COUNT };
enum { MEASUREMENT_FIELDS(X_INDEX) MEASUREMENT_FIELD_COUNT };
enum { ACTION_FIELDS(X_INDEX) ACTION_FIELD_COUNT };
enum { EFFECTIVENESS_FIELDS(X_INDEX) EFFECT_FIELD_COUNT };
enum { REVIEW_INPUTS_FIELDS(X_INDEX) INPUTS_FIELD_COUNT };
enum { DECISION_FIELDS(X_INDEX) DECISION_FIELD_COUNT };
enum { RISK_DERIVED_FIELDS(X_INDEX) RISK_D_COUNT };
enum { CONTROL_DERIVED_FIELDS(X_INDEX) CONTROL_D_COUNT };
enum { METRIC_DERIVED_FIELDS(X_INDEX) METRIC_D_COUNT };
enum { CLAUSE_DERIVED_FIELDS(X_INDEX) CLAUSE_D_COUNT };
#undef X_INDEX

extern const FieldTable approval_table, residual_table, acceptance_table, evidence_table,
    ignore_table, risk_method_table, level_table, review_settings_table, limits_table, lua_table,
    risk_derived_table, control_derived_table, metric_derived_table, clause_derived_table,
    party_table, authority_table, audit_settings_table, document_control_table, history_table,
    measurement_table, action_table, effectiveness_table, review_inputs_table, decision_table;

/* Computes a record's derived values (model.h); named in the KINDS rows. */
struct Model;
struct Record;
typedef void (*DeriveFn)(struct Model *m, struct Record *r);
void model_derive_risk(struct Model *m, struct Record *r);
void resolve_derive_control(struct Model *m, struct Record *r);
void metric_derive(struct Model *m, struct Record *r);    /* metric.c */
void readiness_derive(struct Model *m, struct Record *r); /* readiness.c */

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

extern KindSpec kind_specs[KIND_COUNT]; /* completed at program start (schema.c) */
static inline const KindSpec *kind_spec(Kind kind) { return &kind_specs[kind]; }
/* The table of a record kind (KIND_MANIFEST included). */
const FieldTable *schema_table(Kind kind);
const char *kind_name(Kind kind);
/* "a risk", "an asset": for messages. */
const char *kind_article(Kind kind);
/* Kind by its name ("risk"); false if none. The manifest is not a record kind. */
bool kind_parse(const char *name, Kind *out);
/* The kind a top folder implies ("risks" -> "risk"), or NULL. */
const char *kind_of_folder(const char *folder);
/* The record folders, for messages: "assets/, risks/, ..., reviews/". */
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
