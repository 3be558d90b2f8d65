/* schema.c - the field tables, generated from the lists in schema.h. */
#include "schema.h"

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
TABLE(review_table, "review", REVIEW_FIELDS)
TABLE(limits_table, "limits", LIMITS_FIELDS)
TABLE(lua_table, "lua", LUA_FIELDS)
TABLE(scope_table, "scope", SCOPE_FIELDS)
TABLE(asset_table, "asset", ASSET_FIELDS)
TABLE(risk_table, "risk", RISK_FIELDS)
TABLE(treatment_table, "treatment", TREATMENT_FIELDS)
TABLE(control_table, "control", CONTROL_FIELDS)
TABLE(policy_table, "policy", POLICY_FIELDS)
TABLE(manifest_table, "isms.yaml", MANIFEST_FIELDS)

static const FieldTable *const kind_tables[KIND_COUNT] = {
    &scope_table,   &asset_table,  &risk_table,     &treatment_table,
    &control_table, &policy_table, &manifest_table,
};

static const char *const kind_names[KIND_COUNT] = {
    "scope", "asset", "risk", "treatment", "control", "policy", "manifest",
};

const FieldTable *schema_table(Kind kind) { return kind_tables[kind]; }

const char *kind_name(Kind kind) { return kind_names[kind]; }

const char *kind_article(Kind kind) {
  static const char *const articles[KIND_COUNT] = {
      "a scope", "an asset", "a risk", "a treatment", "a control", "a policy", "the manifest",
  };
  return articles[kind];
}

bool kind_parse(const char *name, Kind *out) {
  for (int k = 0; k < KIND_MANIFEST; k++) {
    if (strcmp(name, kind_names[k]) == 0) {
      *out = (Kind)k;
      return true;
    }
  }
  return false;
}

size_t schema_common_index(Kind kind, size_t common) {
  /* The common fields are the last three of every record kind's table. */
  return kind_tables[kind]->count - 3 + common;
}

int schema_field(const FieldTable *t, const char *name) {
  for (size_t i = 0; i < t->count; i++)
    if (strcmp(t->fields[i].name, name) == 0)
      return (int)i;
  return -1;
}
