/* schema.c - the kinds' rows and the field tables, generated from the lists in schema.h.
 *
 * Tables are static data; the rows are completed once (the id, kind, body and ignore fields
 * found by name, the back-links each kind has found from the reference fields) before the
 * first question about a kind. */
#include "schema.h"

#include <stdio.h>
#include <string.h>

const char *const asset_types[] = {"information", "software", "hardware", "service",
                                   "people",      "site",     "supplier", NULL};
const char *const treatment_options[] = {"mitigate", "accept", "transfer", "avoid", NULL};
/* ISO/IEC 27005's words and the "4 Ts" mean the same four options. */
const Synonym treatment_option_synonyms[] = {
    {"modify", "mitigate"}, {"retain", "accept"},   {"share", "transfer"},  {"treat", "mitigate"},
    {"tolerate", "accept"}, {"terminate", "avoid"}, {"reduce", "mitigate"}, {NULL, NULL},
};
const char *const treatment_statuses[] = {"planned", "in-progress", "done", "cancelled", NULL};
const char *const control_reasons[] = {"legal", "contractual", "business", "best-practice", NULL};
const char *const control_statuses[] = {"not-started", "planned", "partial", "implemented", NULL};
const char *const policy_statuses[] = {"draft", "approved", "retired", NULL};
const char *const objective_statuses[] = {"planned", "in-progress", "achieved",
                                          "missed",  "cancelled",   NULL};
const char *const metric_directions[] = {"at-least", "at-most", NULL};
const char *const metric_frequencies[] = {"weekly",      "monthly", "quarterly",
                                          "half-yearly", "yearly",  NULL};
const char *const audit_types[] = {"internal",     "external", "certification",
                                   "surveillance", "supplier", NULL};
const char *const finding_types[] = {"major", "minor", "observation", "opportunity", NULL};
const char *const nc_sources[] = {"audit",     "incident", "monitoring", "review",
                                  "complaint", "other",    NULL};
const char *const nc_severities[] = {"major", "minor", NULL};
const char *const nc_statuses[] = {"open", "in-progress", "verifying", "closed", NULL};

#define X_SPEC(K, F, NAME, TYPE, FLAGS, ...)                                                       \
  {.name = NAME, .type = TYPE, .flags = FLAGS, __VA_ARGS__},
#define TABLE(var, label, LIST)                                                                    \
  static const FieldSpec var##_fields[] = {LIST(X_SPEC)};                                          \
  const FieldTable var = {label, var##_fields, sizeof var##_fields / sizeof var##_fields[0]};

/* Nested tables first: the kind tables point at them. */
TABLE(approval_table, "approved", APPROVAL_FIELDS)
TABLE(residual_table, "residual", RESIDUAL_FIELDS)
TABLE(acceptance_table, "acceptance", ACCEPTANCE_FIELDS)
TABLE(evidence_table, "evidence", EVIDENCE_FIELDS)
TABLE(ignore_table, "ignore", IGNORE_FIELDS)
TABLE(level_table, "level", LEVEL_FIELDS)
TABLE(risk_method_table, "risk", RISK_METHOD_FIELDS)
TABLE(review_settings_table, "review", REVIEW_SETTINGS_FIELDS)
TABLE(limits_table, "limits", LIMITS_FIELDS)
TABLE(lua_table, "lua", LUA_FIELDS)
TABLE(party_table, "interested party", PARTY_FIELDS)
TABLE(authority_table, "acceptance authority", AUTHORITY_FIELDS)
TABLE(audit_settings_table, "audit", AUDIT_SETTINGS_FIELDS)
TABLE(document_control_table, "document", DOCUMENT_CONTROL_FIELDS)
TABLE(history_table, "history", HISTORY_FIELDS)
TABLE(measurement_table, "measurement", MEASUREMENT_FIELDS)
TABLE(action_table, "action", ACTION_FIELDS)
TABLE(effectiveness_table, "effectiveness", EFFECTIVENESS_FIELDS)
TABLE(review_inputs_table, "inputs", REVIEW_INPUTS_FIELDS)
TABLE(decision_table, "decision", DECISION_FIELDS)
TABLE(scope_table, "scope", SCOPE_FIELDS)
TABLE(asset_table, "asset", ASSET_FIELDS)
TABLE(risk_table, "risk", RISK_FIELDS)
TABLE(treatment_table, "treatment", TREATMENT_FIELDS)
TABLE(control_table, "control", CONTROL_FIELDS)
TABLE(policy_table, "policy", POLICY_FIELDS)
TABLE(objective_table, "objective", OBJECTIVE_FIELDS)
TABLE(metric_table, "metric", METRIC_FIELDS)
TABLE(finding_table, "finding", FINDING_FIELDS)
TABLE(audit_table, "audit", AUDIT_FIELDS)
TABLE(nonconformity_table, "nonconformity", NONCONFORMITY_FIELDS)
TABLE(review_table, "review", REVIEW_FIELDS)
TABLE(clause_table, "clause", CLAUSE_FIELDS)
TABLE(manifest_table, "isms.yaml", MANIFEST_FIELDS)

TABLE(risk_derived_table, "risk (derived)", RISK_DERIVED_FIELDS)
TABLE(control_derived_table, "control (derived)", CONTROL_DERIVED_FIELDS)
TABLE(metric_derived_table, "metric (derived)", METRIC_DERIVED_FIELDS)
TABLE(clause_derived_table, "clause (derived)", CLAUSE_DERIVED_FIELDS)

/* The rows, with the fields found by name, so that no position is assumed. Completed once,
 * when the program starts (a constructor), before any thread asks: kind_spec is then a plain
 * array read, cheap enough for Lua's field lookups. */
KindSpec kind_specs[KIND_COUNT];
static bool has_link[KIND_COUNT][LINK_COUNT];
static char folder_list[256];

static int S_id_field(const FieldTable *t) {
  for (size_t i = 0; i < t->count; i++)
    if (t->fields[i].type == FT_ID)
      return (int)i;
  return -1;
}

/* Which kinds have which back-links: those some reference field (in any table, nested
 * ones included) gives its targets, or its own record, or carries to its targets. */
static void S_note_links(const FieldTable *t, Kind self, int depth) {
  for (size_t i = 0; i < t->count && depth < 8; i++) {
    const FieldSpec *f = &t->fields[i];
    if (f->sub)
      S_note_links(f->sub, self, depth + 1);
    if (f->type == FT_RECORD_LIST)
      kind_specs[f->ref_kind].parent_kind = (int)self;
    if (f->type != FT_REF_LIST && f->type != FT_REF)
      continue;
    has_link[f->ref_kind][f->backlink] = true;
    has_link[self][f->forward] = true;
    has_link[f->ref_kind][f->carry_link] = true;
  }
}

__attribute__((constructor)) static void S_init_kinds(void) {
#define X_ROW(K, NAME, ARTICLE, PLURAL, FOLDER, LIST, DERIVED, DERIVE, TITLE, DOC, CATALOG)        \
  kind_specs[KIND_##K] = (KindSpec){.name = NAME,                                                  \
                                    .article = ARTICLE,                                            \
                                    .plural = PLURAL,                                              \
                                    .folder = FOLDER,                                              \
                                    .table = &LIST##_table,                                        \
                                    .derived = DERIVED,                                            \
                                    .derive = DERIVE,                                              \
                                    .title_field = TITLE,                                          \
                                    .document = DOC,                                               \
                                    .from_catalog = CATALOG,                                       \
                                    .parent_kind = -1};
  KINDS(X_ROW)
#undef X_ROW
  for (int k = 0; k < KIND_COUNT; k++) {
    KindSpec *ks = &kind_specs[k];
    ks->id_field = S_id_field(ks->table);
    ks->kind_field = schema_field(ks->table, "kind");
    ks->body_field = schema_field(ks->table, "body");
    ks->ignore_field = schema_field(ks->table, "ignore");
    S_note_links(ks->table, (Kind)k, 0);
  }
  for (int k = 0; k < KIND_COUNT; k++) {
    has_link[k][LINK_NONE] = false;
    size_t n = strlen(folder_list);
    if (kind_specs[k].folder)
      snprintf(folder_list + n, sizeof folder_list - n, "%s%s/", n ? ", " : "",
               kind_specs[k].folder);
  }
}

/* One row per kind, in Kind order: a row missing from KINDS is a compile error here. */
#define X_COUNT(K, ...) +1
_Static_assert(0 KINDS(X_COUNT) == KIND_COUNT, "one KINDS row per Kind");
#undef X_COUNT

const FieldTable *schema_table(Kind kind) { return kind_spec(kind)->table; }

const char *kind_name(Kind kind) { return kind_spec(kind)->name; }

const char *kind_article(Kind kind) { return kind_spec(kind)->article; }

/* Only kinds a file may hold: not the manifest, a catalog's clauses, or a nested kind. */
bool kind_parse(const char *name, Kind *out) {
  for (int k = 0; k < KIND_COUNT; k++) {
    const KindSpec *ks = kind_spec((Kind)k);
    if (ks->plural && !ks->from_catalog && ks->parent_kind < 0 && strcmp(name, ks->name) == 0) {
      *out = (Kind)k;
      return true;
    }
  }
  return false;
}

const char *kind_of_folder(const char *folder) {
  for (int k = 0; k < KIND_COUNT; k++) {
    const KindSpec *ks = kind_spec((Kind)k);
    if (ks->folder && strcmp(folder, ks->folder) == 0)
      return ks->name;
  }
  return NULL;
}

const char *kind_folder_list(void) { return folder_list; }

bool kind_has_link(Kind kind, Link l) { return has_link[kind][l]; }

#define X_LINK_NAME(L, NAME, DOC) [LINK_##L] = NAME,
#define X_LINK_DOC(L, NAME, DOC)  [LINK_##L] = DOC,
static const char *const link_names[LINK_COUNT] = {[LINK_NONE] = "", LINKS(X_LINK_NAME)};
static const char *const link_docs[LINK_COUNT] = {[LINK_NONE] = "", LINKS(X_LINK_DOC)};
#undef X_LINK_NAME
#undef X_LINK_DOC

const char *link_name(Link l) { return link_names[l]; }
const char *link_doc(Link l) { return link_docs[l]; }

int schema_field(const FieldTable *t, const char *name) {
  for (size_t i = 0; i < t->count; i++)
    if (strcmp(t->fields[i].name, name) == 0)
      return (int)i;
  return -1;
}
