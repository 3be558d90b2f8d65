/* resolve.c - resolve once (DESIGN.md 3): the id index, every reference turned into a
 * pointer, back-links, and one record per catalog control.
 *
 * After this pass no later stage looks an id up by string. A control of the catalog that
 * the tree has no record for still gets a (synthetic) record, so that references to it
 * resolve and the SoA and the rules see every catalog control exactly once.
 */
#include "resolve.h"

#include <string.h>

/* Appends r unless it is already there: back-links list each record once. */
static void S_link(Arena *a, PtrVec *v, Record *r) {
  for (size_t i = v->len; i > 0; i--)
    if (v->items[i - 1] == r)
      return;
  ptrvec_push(a, v, r);
}

static const char *S_loc_text(Model *m, Loc loc) {
  return arena_printf(m->arena, "%s:%d:%d", loc.file ? loc.file->path : "?", loc.line, loc.col);
}

/* A hint for an id of the 2013 catalog used in a 2022 tree. */
static const char *S_mapping_hint(Model *m, const char *id) {
  if (!m->catalog || !m->catalog->id || strcmp(m->catalog->id, "iso27001-2022") != 0)
    return NULL;
  const char *to = hashmap_get(&m->mapping.to, id);
  return to ? arena_printf(m->arena,
                           "'%s' is an ISO/IEC 27001:2013 control; in the 2022 "
                           "catalog it is %s",
                           id, to)
            : NULL;
}

static const char *const *S_ids_of(Model *m, const PtrVec *records) {
  const char **ids = arena_alloc(m->arena, (records->len + 1) * sizeof *ids);
  for (size_t i = 0; i < records->len; i++)
    ids[i] = ((Record *)records->items[i])->id;
  return ids;
}

static void S_index(Model *m) {
  for (size_t i = 0; i < m->records.len; i++) {
    Record *r = m->records.items[i];
    Record *first = hashmap_get(&m->ids, r->id);
    if (first) {
      diag_report(m->diags, r, r->id_node->loc, "id-duplicate",
                  "duplicate id '%s': also defined at %s", r->id,
                  S_loc_text(m, first->id_node->loc));
      continue;
    }
    hashmap_put(m->arena, &m->ids, r->id, r);
  }
}

static Loc S_catalog_loc(Model *m) {
  if (m->manifest && rec_field(m->manifest, MANIFEST_CATALOG)->node)
    return rec_field(m->manifest, MANIFEST_CATALOG)->node->loc;
  Loc loc = {m->tree->manifest_file, 0, 0};
  return loc;
}

/* Joins each control record with its catalog entry and gives every catalog control a
 * record; by_kind[KIND_CONTROL] is in catalog order, then the unknown ones. */
static void S_join_catalog(Model *m) {
  PtrVec *controls = &m->by_kind[KIND_CONTROL];
  const Catalog *c = m->catalog;
  for (size_t i = 0; c && i < c->ncontrol; i++) {
    const CatalogControl *cc = &c->controls[i];
    Record *r = hashmap_get(&m->ids, cc->id);
    if (r && r->kind != KIND_CONTROL)
      continue; /* reported as ref-kind wherever it is used as a control */
    if (!r) {
      r = arena_alloc(m->arena, sizeof *r);
      r->kind = KIND_CONTROL;
      r->id = cc->id;
      r->synthetic = true;
      r->loc = S_catalog_loc(m);
      r->fields = arena_alloc(m->arena, schema_table(KIND_CONTROL)->count * sizeof(Value));
      hashmap_put(m->arena, &m->ids, r->id, r);
    }
    r->catalog = cc;
    ptrvec_push(m->arena, controls, r);
  }
  const char *const *catalog_ids = NULL;
  for (size_t i = 0; i < m->records.len; i++) {
    Record *r = m->records.items[i];
    if (r->kind == KIND_CONTROL) {
      if (r->catalog || hashmap_get(&m->ids, r->id) != r)
        continue;
      ptrvec_push(m->arena, controls, r);
      if (!c)
        continue;
      if (!catalog_ids) {
        catalog_ids = arena_alloc(m->arena, c->ncontrol * sizeof *catalog_ids);
        for (size_t k = 0; k < c->ncontrol; k++)
          ((const char **)catalog_ids)[k] = c->controls[k].id;
      }
      const char *hint = S_mapping_hint(m, r->id);
      const char *dym = hint ? NULL : did_you_mean(m->arena, r->id, catalog_ids, c->ncontrol);
      diag_report(m->diags, r, r->id_node->loc, "control-unknown",
                  "'%s' is not a control of %s%s%s%s%s", r->id, c->id ? c->id : "the catalog",
                  hint ? "; " : "", hint ? hint : "", dym ? "; did you mean " : "",
                  dym ? arena_printf(m->arena, "%s?", dym) : "");
    } else if (hashmap_get(&m->ids, r->id) == r) {
      ptrvec_push(m->arena, &m->by_kind[r->kind], r);
    }
  }
}

static bool S_probably_defined(const Model *m, const char *id) {
  return hashmap_get(&m->tree->probable_ids, id) || hashmap_get(&m->skipped_ids, id);
}

static void S_unknown_ref(Model *m, Record *from, Loc loc, const char *id, int kind) {
  if (S_probably_defined(m, id))
    return; /* its file could not be read: said once there */
  const char *hint = kind == KIND_CONTROL ? S_mapping_hint(m, id) : NULL;
  const char *dym = NULL;
  if (!hint) {
    if (kind >= 0) {
      const PtrVec *v = &m->by_kind[kind];
      dym = did_you_mean(m->arena, id, S_ids_of(m, v), v->len);
    } else {
      dym = did_you_mean(m->arena, id, m->ids.keys, m->ids.cap);
    }
  }
  diag_report(m->diags, from, loc, "ref-unknown", "unknown %s '%s'%s%s%s%s",
              kind >= 0 ? kind_name((Kind)kind) : "id", id, hint ? "; " : "", hint ? hint : "",
              dym ? "; did you mean " : "", dym ? arena_printf(m->arena, "%s?", dym) : "");
}

/* Resolves one id; NULL (after reporting) when unknown or of the wrong kind. */
static Record *S_resolve_id(Model *m, Record *from, Loc loc, const char *id, int kind) {
  Record *to = hashmap_get(&m->ids, id);
  if (!to) {
    S_unknown_ref(m, from, loc, id, kind);
    return NULL;
  }
  if (kind >= 0 && to->kind != (Kind)kind) {
    diag_report(m->diags, from, loc, "ref-kind", "'%s' is %s, not %s", id, kind_article(to->kind),
                kind_article((Kind)kind));
    return NULL;
  }
  return to;
}

static void S_resolve_fields(Model *m, Record *r) {
  const FieldTable *t = schema_table(r->kind);
  for (size_t f = 0; f < t->count; f++) {
    if (t->fields[f].type != FT_REF_LIST || !r->fields[f].ok)
      continue;
    Value *v = &r->fields[f];
    for (size_t i = 0; i < v->count; i++)
      v->items[i].ref =
          S_resolve_id(m, r, v->items[i].node->loc, v->items[i].str, (int)t->fields[f].ref_kind);
  }
  if (r->raw)
    for (size_t i = 0; i < r->raw->refs.len; i++) {
      const BodyRef *br = r->raw->refs.items[i];
      S_resolve_id(m, r, br->loc, br->id, -1);
    }
}

static void S_backlink(Model *m, Record *r) {
  Arena *a = m->arena;
  const Value *v;
  switch (r->kind) {
  case KIND_RISK:
    v = rec_field(r, RISK_ASSETS);
    for (size_t i = 0; i < v->count; i++)
      if (v->items[i].ref)
        S_link(a, &v->items[i].ref->risks, r);
    break;
  case KIND_TREATMENT: {
    const Value *risks = rec_field(r, TREATMENT_RISKS);
    for (size_t i = 0; i < risks->count; i++)
      if (risks->items[i].ref)
        S_link(a, &risks->items[i].ref->treatments, r);
    v = rec_field(r, TREATMENT_CONTROLS);
    for (size_t i = 0; i < v->count; i++) {
      Record *c = v->items[i].ref;
      if (!c)
        continue;
      S_link(a, &c->treatments, r);
      for (size_t k = 0; k < risks->count; k++)
        if (risks->items[k].ref)
          S_link(a, &c->risks, risks->items[k].ref);
    }
    break;
  }
  case KIND_POLICY:
    v = rec_field(r, POLICY_CONTROLS);
    for (size_t i = 0; i < v->count; i++)
      if (v->items[i].ref) {
        S_link(a, &v->items[i].ref->policies, r);
        S_link(a, &r->controls, v->items[i].ref);
      }
    break;
  case KIND_CONTROL:
    v = rec_field(r, CONTROL_POLICIES);
    for (size_t i = 0; i < v->count; i++)
      if (v->items[i].ref) {
        S_link(a, &r->policies, v->items[i].ref);
        S_link(a, &v->items[i].ref->controls, r);
      }
    break;
  default: break;
  }
}

void resolve(Model *m) {
  S_index(m);
  S_join_catalog(m);
  for (size_t i = 0; i < m->records.len; i++)
    S_resolve_fields(m, m->records.items[i]);
  for (size_t i = 0; i < m->records.len; i++)
    S_backlink(m, m->records.items[i]);
}
