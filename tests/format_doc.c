/* format_doc.c - prints docs/format.md from the schema tables (DESIGN.md decision 1: the
 * format reference is derived, never written by hand). The test `docs-format-current`
 * fails when docs/format.md differs; regenerate with
 *   build/tests/format_doc > docs/format.md
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "schema.h"

static const char *S_type(const FieldSpec *f) {
  static char buf[256];
  switch (f->type) {
  case FT_ID: return "id";
  case FT_STRING: return "text";
  case FT_TEXT: return "text (Markdown)";
  case FT_DATE: return "date";
  case FT_BOOL: return "true/false";
  case FT_INT: return "whole number";
  case FT_NUMBER: return "number";
  case FT_REF: snprintf(buf, sizeof buf, "%s id", kind_name(f->ref_kind)); return buf;
  case FT_RECORD_LIST: snprintf(buf, sizeof buf, "list of `%s` records", kind_name(f->ref_kind)); return buf;
  case FT_NAMED_MAP: snprintf(buf, sizeof buf, "name: mapping (`%s`)", f->sub->name); return buf;
  case FT_SCALE: return f->scale == SCALE_LIKELIHOOD ? "likelihood (1..N or label)" : "impact (1..N or label)";
  case FT_CLASSIFICATION: return "classification";
  case FT_STRING_LIST: return "list of text";
  case FT_REF_LIST: snprintf(buf, sizeof buf, "list of %s ids", kind_name(f->ref_kind)); return buf;
  case FT_MAP: snprintf(buf, sizeof buf, "mapping (`%s`)", f->sub->name); return buf;
  case FT_MAP_LIST: snprintf(buf, sizeof buf, "list of mappings (`%s`)", f->sub->name); return buf;
  case FT_SEVERITY_MAP: return "rule id: severity";
  case FT_ENUM:
  case FT_ENUM_LIST: {
    size_t n = (size_t)snprintf(buf, sizeof buf, "%s", f->type == FT_ENUM_LIST ? "list of: " : "");
    for (size_t i = 0; f->values[i] && n < sizeof buf; i++)
      n += (size_t)snprintf(buf + n, sizeof buf - n, "%s`%s`", i ? ", " : "", f->values[i]);
    for (size_t i = 0; f->synonyms && f->synonyms[i].word && n < sizeof buf; i++)
      n += (size_t)snprintf(buf + n, sizeof buf - n, "%s`%s`=%s", i ? ", " : " (also ",
                            f->synonyms[i].word, f->synonyms[i].means);
    if (f->synonyms && n < sizeof buf)
      snprintf(buf + n, sizeof buf - n, ")");
    return buf;
  }
  }
  return "?";
}

static void S_table(const FieldTable *t, const char *heading) {
  printf("\n### %s\n\n| field | type | required | meaning |\n|---|---|---|---|\n", heading);
  for (size_t i = 0; i < t->count; i++) {
    const FieldSpec *f = &t->fields[i];
    printf("| `%s` | %s | %s | %s |\n", f->name, S_type(f), f->flags & F_REQUIRED ? "yes" : "",
           f->doc ? f->doc : "");
  }
}

/* Derived values and back-links: what ismsc adds to a record (Lua, isms.json). */
static void S_added(Kind k) {
  const KindSpec *ks = kind_spec(k);
  bool any = ks->derived != NULL;
  for (int l = 1; l < LINK_COUNT; l++)
    any = any || kind_has_link(k, (Link)l);
  if (!any)
    return;
  printf("\nDerived by ismsc (never written):\n\n| name | type | meaning |\n|---|---|---|\n");
  for (size_t i = 0; ks->derived && i < ks->derived->count; i++) {
    const FieldSpec *f = &ks->derived->fields[i];
    printf("| `%s` | %s | %s%s |\n", f->name, S_type(f), f->doc,
           f->flags & F_LUA_ONLY ? " (Lua only)" : "");
  }
  for (int l = 1; l < LINK_COUNT; l++)
    if (kind_has_link(k, (Link)l))
      printf("| `%s` | back-link: list of records | %s |\n", link_name((Link)l),
             link_doc((Link)l));
}

/* Every nested table, once, in the order the kinds' tables first name them. */
static void S_collect(const FieldTable *t, const FieldTable **out, size_t *n) {
  for (size_t i = 0; i < t->count; i++) {
    const FieldTable *sub = t->fields[i].sub;
    if (!sub)
      continue;
    bool seen = false;
    for (size_t k = 0; k < *n; k++)
      seen = seen || out[k] == sub;
    if (!seen && *n < 64) {
      out[(*n)++] = sub;
      S_collect(sub, out, n);
    }
  }
}

static void S_kind(Kind k) {
  const KindSpec *ks = kind_spec(k);
  S_table(ks->table, ks->name);
  printf("\n");
  if (ks->from_catalog)
    printf("Made from the catalog's `%s` list; never written in the tree. ", ks->plural);
  if (ks->parent_kind >= 0)
    printf("Nested: written inside %s (see its fields), which it names as `%s`. ",
           kind_article((Kind)ks->parent_kind), kind_name((Kind)ks->parent_kind));
  if (ks->folder)
    printf("Folder: `%s/`. ", ks->folder);
  printf("Lua: `isms.%s`; isms.json: `records.%s`.\n", ks->plural, ks->plural);
  S_added(k);
}

int main(void) {
  puts("# Record format reference\n");
  puts("Generated from the schema tables in `compiler/schema.h` by `tests/format_doc.c`; do not");
  puts("edit by hand. The test `docs-format-current` fails when this page and the tables differ.");
  puts("Conventions the tables do not show are in `docs/decisions.md`.");
  puts("\n## Records");
  for (int k = 0; k < KIND_COUNT; k++)
    if (kind_is_record((Kind)k))
      S_kind((Kind)k);
  puts("\n## The manifest, `isms.yaml`");
  S_table(schema_table(KIND_MANIFEST), "isms.yaml");
  puts("\n## Nested mappings");
  const FieldTable *nested[64];
  size_t n_nested = 0;
  for (int k = 0; k < KIND_COUNT; k++)
    S_collect(schema_table((Kind)k), nested, &n_nested);
  for (size_t i = 0; i < n_nested; i++)
    S_table(nested[i], nested[i]->name);
  puts("\n## Rules\n\n| rule | default severity | what it reports |\n|---|---|---|");
  size_t n;
  const RuleInfo *rules = diag_builtin_rules(&n);
  for (size_t i = 0; i < n; i++)
    printf("| `%s` | %s | %s |\n", rules[i].id, severity_name(rules[i].severity), rules[i].description);
  return 0;
}
