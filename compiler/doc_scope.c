/* doc_scope.c - builder: the scope and context of the ISMS (clauses 4.1 to 4.3), from the
 * scope record: its statement (the body), what is included and excluded, interfaces and
 * dependencies, locations, internal and external issues, and the interested parties with
 * their requirements. The document carries the scope record's own document control
 * (documents.c reads it from the record, as for a policy).
 *
 * What must stay true: every section is shown even when its field is empty, saying so and
 * naming the field, so a reader can tell "none" from "forgotten", and a new tree's scope
 * page says what to fill in.
 */
#include "doc_build.h"

/* A section listing a text list field; "None recorded" naming the field when it is empty. */
/* A list field of the scope record as a list, or a line naming the field when it is empty:
 * the scope document and the review pack's inputs b) and c) both show them. */
void db_scope_list(Builder *b, DocNode *parent, const Record *scope, int field) {
  const Value *v = rec_field(scope, field);
  if (!v->ok || !v->count) {
    db_para(b, parent,
            arena_printf(b->a, "None recorded (`%s:` in the scope record).",
                         schema_table(KIND_SCOPE)->fields[field].name));
    return;
  }
  DocNode *list = doc_add(parent, doc_new(b->a, DOC_LIST));
  for (size_t i = 0; i < v->count; i++)
    doc_text(b->a, doc_add(list, doc_new(b->a, DOC_ITEM)), v->items[i].str);
}

static void S_list_section(Builder *b, DocNode *parent, const char *title, const char *anchor,
                           const Record *scope, int field) {
  db_scope_list(b, db_section(b, parent, 2, title, anchor), scope, field);
}

void db_scope_parties(Builder *b, DocNode *parent, const Record *scope) {
  const Value *v = rec_field(scope, SCOPE_INTERESTED_PARTIES);
  if (!v->ok || !v->count) {
    db_para(b, parent, "None recorded (`interested_parties:` in the scope record).");
    return;
  }
  static const char *const headers[] = {"Interested party", "Relevant requirements", NULL};
  DocNode *t = db_table(b, parent, "Interested parties and their requirements", headers);
  for (size_t i = 0; i < v->count; i++) {
    const Value *f = v->items[i].fields;
    if (!f)
      continue;
    DocNode *row = db_row(b, t, NULL);
    db_cell(b, row, f[PARTY_PARTY].ok ? f[PARTY_PARTY].str : "");
    db_cell(b, row, f[PARTY_REQUIREMENTS].ok ? f[PARTY_REQUIREMENTS].str : "");
  }
}

static void S_parties(Builder *b, DocNode *parent, const Record *scope) {
  db_scope_parties(b,
                   db_section(b, parent, 2, "Interested parties and their requirements (4.2)",
                              "interested-parties"),
                   scope);
}

void doc_build_scope(Builder *b, const Document *d) {
  const Record *scope = model_scope(b->m);
  DocNode *top = db_section(b, d->body, 1, d->title, scope ? scope->id : NULL);
  if (!scope) {
    db_para(b, top,
            "The tree has no scope record yet: add scope.md (clause 4.3 requires the scope as "
            "documented information; `ismsc init` writes one to fill in).");
    return;
  }
  DocNode *st = db_section(b, top, 2, "Scope statement (4.3)", "statement");
  if (scope->raw && scope->raw->body_text && *scope->raw->body_text)
    db_markdown(b, st, scope);
  else
    db_para(b, st, "No statement yet: write it as the body of the scope record (scope.md).");
  S_list_section(b, top, "Included in the scope", "includes", scope, SCOPE_INCLUDES);
  S_list_section(b, top, "Excluded from the scope", "excludes", scope, SCOPE_EXCLUDES);
  S_list_section(b, top, "Interfaces and dependencies", "interfaces", scope, SCOPE_INTERFACES);
  S_list_section(b, top, "Locations", "locations", scope, SCOPE_LOCATIONS);
  S_list_section(b, top, "Internal issues (4.1)", "internal-issues", scope, SCOPE_INTERNAL_ISSUES);
  S_list_section(b, top, "External issues (4.1)", "external-issues", scope, SCOPE_EXTERNAL_ISSUES);
  S_parties(b, top, scope);
}
