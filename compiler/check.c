/* check.c - structural checks that need the resolved model.
 *
 * Binding (model.c) has checked each value on its own and resolve.c every reference; what
 * is left here are the rules that read more than one field (a control that is applicable
 * needs a status and an owner), evidence paths on disk, and rule settings.
 */
#include "check.h"

#include "doc.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void S_check_applicable_control(Model *m, const Record *r) {
  const Value *app = rec_field(r, CONTROL_APPLICABLE);
  if (!app->ok || !app->num)
    return;
  static const int needed[] = {CONTROL_STATUS, CONTROL_OWNER};
  for (size_t i = 0; i < sizeof needed / sizeof needed[0]; i++) {
    int f = needed[i];
    if (rec_has(r, f) || (rec_field(r, f)->node && !node_is_null(rec_field(r, f)->node)))
      continue; /* present, or present and invalid (reported by binding) */
    diag_report(m->diags, r, app->node->loc, "schema-required",
                "control '%s' is applicable, so it needs '%s'", r->id,
                schema_table(KIND_CONTROL)->fields[f].name);
  }
}

static void S_check_evidence_path(Model *m, const Record *r, const Value *path) {
  const char *p = path->str;
  Loc loc = path->node->loc;
  if (p[0] == '/') {
    diag_report(m->diags, r, loc, "evidence-missing",
                "evidence path '%s' is absolute; write it relative to the tree root", p);
    return;
  }
  const Source *src = m->tree->source;
  SourceType type = src->stat(src, p);
  if (type == SOURCE_MISSING) {
    /* A missing file whose path climbs out of the tree is reported as outside. */
    if (strstr(p, ".."))
      diag_report(m->diags, r, loc, "evidence-missing",
                  "evidence '%s' does not exist (and points outside the tree)", p);
    else
      diag_report(m->diags, r, loc, "evidence-missing", "evidence '%s' does not exist", p);
  } else if (type == SOURCE_OUTSIDE_LINK) {
    diag_report(m->diags, r, loc, "evidence-missing",
                "evidence '%s' resolves outside the tree; evidence must live in the tree", p);
  }
}

static void S_check_evidence(Model *m, const Record *r) {
  const Value *ev = rec_field(r, CONTROL_EVIDENCE);
  for (size_t i = 0; i < ev->count; i++) {
    const Value *f = ev->items[i].fields;
    if (!f)
      continue;
    if (f[EVIDENCE_PATH].ok)
      S_check_evidence_path(m, r, &f[EVIDENCE_PATH]);
    else if (!f[EVIDENCE_URL].ok)
      diag_report(m->diags, r, ev->items[i].node->loc, "schema-required",
                  "an evidence entry of control '%s' needs a 'path' or a 'url'", r->id);
  }
}

/* isms.yaml `documents:` names rows of the document registry (doc.h) that can be listed. */
static void S_check_document_names(Model *m) {
  const Value *docs = m->manifest ? rec_field(m->manifest, MANIFEST_DOCUMENTS) : NULL;
  if (!docs || !docs->ok)
    return;
  size_t ntypes;
  const DocType *types = doc_types(&ntypes);
  const char **names = arena_alloc(m->arena, (ntypes + 1) * sizeof *names);
  size_t n = 0;
  for (size_t i = 0; i < ntypes; i++)
    if (doc_type_listable(&types[i]))
      names[n++] = types[i].part;
  for (size_t i = 0; i < docs->count; i++) {
    const Value *e = &docs->items[i];
    if (!e->ok)
      continue;
    const DocType *t = doc_type_find(e->str);
    if (t && t->per_record == DOC_ON_DEMAND) {
      diag_report(m->diags, m->manifest, e->node->loc, "schema-unknown",
                  "'%s' cannot be listed in 'documents': it is a report built on demand, not "
                  "a controlled document",
                  e->str);
    } else if (t && !doc_type_listable(t)) {
      const char *whose = t->per_record >= 0 ? arena_printf(m->arena, "%s take their",
                                                            kind_spec((Kind)t->per_record)->plural)
                                             : "the scope takes its";
      diag_report(m->diags, m->manifest, e->node->loc, "schema-unknown",
                  "'%s' cannot be listed in 'documents': %s number, version and approval "
                  "from %s own record%s",
                  e->str, whose, t->per_record >= 0 ? "their" : "its",
                  t->per_record >= 0 ? "s" : "");
    } else if (!t) {
      const char *dym = did_you_mean(m->arena, e->str, names, n);
      const char *known = "";
      for (size_t k = 0; !dym && k < n; k++)
        known = arena_printf(m->arena, "%s%s%s", known, k ? ", " : " (one of: ", names[k]);
      diag_report(m->diags, m->manifest, e->node->loc, "schema-unknown",
                  "unknown document '%s' in 'documents'%s%s%s%s", e->str,
                  dym ? "; did you mean " : "", dym ? dym : "", dym ? "?" : "",
                  !dym && n ? arena_printf(m->arena, "%s)", known) : "");
    }
  }
}

void check_structure(Model *m) {
  S_check_document_names(m);
  const PtrVec *controls = &m->by_kind[KIND_CONTROL];
  for (size_t i = 0; i < controls->len; i++) {
    const Record *r = controls->items[i];
    if (r->synthetic)
      continue;
    S_check_applicable_control(m, r);
    S_check_evidence(m, r);
  }
}

/* ---------------------------------------------------------------- rule settings */

static const char *S_rule_suggestion(Model *m, const char *id) {
  const char **ids = arena_alloc(m->arena, (m->diags->rules.len + 1) * sizeof *ids);
  for (size_t i = 0; i < m->diags->rules.len; i++)
    ids[i] = ((const RuleInfo *)m->diags->rules.items[i])->id;
  return did_you_mean(m->arena, id, ids, m->diags->rules.len);
}

static void S_check_rule_id(Model *m, const Record *r, const Node *node, const char *id) {
  if (diags_find_rule(m->diags, id))
    return;
  const char *dym = S_rule_suggestion(m, id);
  diag_report(m->diags, r, node->loc, "schema-enum", "unknown rule '%s'%s%s%s", id,
              dym ? "; did you mean " : "", dym ? dym : "", dym ? "?" : "");
}

void check_rule_settings(Model *m) {
  if (m->manifest) {
    const Value *rules = rec_field(m->manifest, MANIFEST_RULES);
    for (size_t i = 0; i < rules->count; i++)
      S_check_rule_id(m, m->manifest, rules->items[i].node, rules->items[i].str);
  }
  for (size_t i = 0; i < m->records.len; i++) {
    const Record *r = m->records.items[i];
    const Value *ig = rec_ignores(r);
    for (size_t k = 0; k < ig->count; k++) {
      const Value *rule = &ig->items[k].fields[IGNORE_RULE];
      if (rule->ok)
        S_check_rule_id(m, r, rule->node, rule->str);
    }
  }
  /* Mark what a record silences. The finding stays, counted as suppressed. */
  for (size_t i = 0; i < m->diags->items.len; i++) {
    Diag *g = m->diags->items.items[i];
    if (!g->record || g->record->kind == KIND_MANIFEST)
      continue;
    const Value *ig = rec_ignores(g->record);
    for (size_t k = 0; k < ig->count && !g->suppressed_by; k++) {
      const Value *f = ig->items[k].fields;
      if (f[IGNORE_RULE].ok && f[IGNORE_REASON].ok && strcmp(f[IGNORE_RULE].str, g->rule) == 0)
        g->suppressed_by = f[IGNORE_REASON].str;
    }
  }
}
