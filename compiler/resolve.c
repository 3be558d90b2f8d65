/* resolve.c - resolve once (DESIGN.md 3): the id index, every reference turned into a
 * pointer, back-links, one record per catalog control, and derived values.
 *
 * After this pass no later stage looks an id up by string. Back-links come from the
 * reference fields' declarations in schema.h (`.backlink`, `.forward`, `.carry_link`), filled
 * by one walk over the records in tree order, so each list is in tree order. A control of the
 * catalog that the tree has no record for still gets a (synthetic) record, so that references to it
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

static const char *S_loc_text(Model *m, Loc loc) { return loc_text(m->arena, loc); }

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
      r = model_new_record(m, KIND_CONTROL);
      r->id = cc->id;
      r->synthetic = true;
      r->loc = S_catalog_loc(m);
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

/* One record per clause of the catalog, as for controls without a record: references to
 * clauses resolve and their back-links have a home. Kept out of the way of a tree record
 * that has the same id (reported as ref-kind where it is used as a clause). */
static void S_join_clauses(Model *m) {
  const Catalog *c = m->catalog;
  for (size_t i = 0; c && i < c->nclause; i++) {
    const CatalogClause *cl = &c->clauses[i];
    if (hashmap_get(&m->ids, cl->id))
      continue;
    Record *r = model_new_record(m, KIND_CLAUSE);
    r->id = cl->id;
    r->synthetic = true;
    r->loc = S_catalog_loc(m);
    const char *values[] = {
        [CLAUSE_ID] = cl->id, [CLAUSE_TITLE] = cl->title, [CLAUSE_DOCUMENTED] = cl->documented};
    for (size_t f = 0; f < sizeof values / sizeof values[0]; f++) {
      r->fields[f].str = values[f];
      r->fields[f].ok = values[f] != NULL;
    }
    hashmap_put(m->arena, &m->ids, r->id, r);
    ptrvec_push(m->arena, &m->by_kind[KIND_CLAUSE], r);
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

/* Resolves the references of a record's fields, nested mappings included. */
static void S_resolve_table(Model *m, Record *r, const FieldTable *t, Value *fields, int depth) {
  for (size_t f = 0; f < t->count; f++) {
    const FieldSpec *spec = &t->fields[f];
    Value *v = &fields[f];
    if (!v->ok)
      continue;
    if (spec->type == FT_REF_LIST)
      for (size_t i = 0; i < v->count; i++)
        v->items[i].ref =
            S_resolve_id(m, r, v->items[i].node->loc, v->items[i].str, (int)spec->ref_kind);
    else if (spec->type == FT_REF)
      v->ref = S_resolve_id(m, r, v->node->loc, v->str, (int)spec->ref_kind);
    else if (spec->type == FT_MAP && depth < 8)
      S_resolve_table(m, r, spec->sub, v->fields, depth + 1);
    else if ((spec->type == FT_MAP_LIST || spec->type == FT_NAMED_MAP) && depth < 8)
      for (size_t i = 0; i < v->count; i++)
        S_resolve_table(m, r, spec->sub, v->items[i].fields, depth + 1);
  }
}

static void S_resolve_fields(Model *m, Record *r) {
  S_resolve_table(m, r, schema_table(r->kind), r->fields, 0);
  if (r->raw)
    for (size_t i = 0; i < r->raw->refs.len; i++) {
      const BodyRef *br = r->raw->refs.items[i];
      S_resolve_id(m, r, br->loc, br->id, -1);
    }
}

/* The back-links one reference field makes: each target lists r under `backlink`; r lists
 * each target under `forward`; each target lists the targets of r's `carry_field` under
 * `carry_link`. */
static void S_link_field(Model *m, Record *r, const FieldSpec *spec, const Value *v,
                         const Value *fields) {
  Arena *a = m->arena;
  const Value *items = spec->type == FT_REF ? v : v->items; /* one reference: a list of one */
  size_t count = spec->type == FT_REF ? 1 : v->count;
  for (size_t i = 0; i < count; i++) {
    Record *to = items[i].ref;
    if (!to)
      continue;
    if (spec->forward)
      S_link(a, &r->links[spec->forward], to);
    if (spec->backlink)
      S_link(a, &to->links[spec->backlink], r);
    if (spec->carry_link) {
      const Value *carried = &fields[spec->carry_field];
      for (size_t k = 0; k < carried->count; k++)
        if (carried->items[k].ref)
          S_link(a, &to->links[spec->carry_link], carried->items[k].ref);
    }
  }
}

static void S_backlink_table(Model *m, Record *r, const FieldTable *t, const Value *fields,
                             int depth) {
  for (size_t f = 0; f < t->count; f++) {
    const FieldSpec *spec = &t->fields[f];
    const Value *v = &fields[f];
    if (!v->ok)
      continue;
    if (spec->type == FT_REF_LIST || spec->type == FT_REF)
      S_link_field(m, r, spec, v, fields);
    else if (spec->type == FT_MAP && depth < 8)
      S_backlink_table(m, r, spec->sub, v->fields, depth + 1);
    else if ((spec->type == FT_MAP_LIST || spec->type == FT_NAMED_MAP) && depth < 8)
      for (size_t i = 0; i < v->count; i++)
        S_backlink_table(m, r, spec->sub, v->items[i].fields, depth + 1);
  }
}

void resolve_derive_control(Model *m, Record *r) {
  (void)m;
  Value *d = r->derived;
  if (r->catalog) {
    d[CONTROL_D_TITLE].str = r->catalog->title;
    d[CONTROL_D_TITLE].ok = true;
    d[CONTROL_D_THEME].str = r->catalog->theme;
    d[CONTROL_D_THEME].ok = r->catalog->theme != NULL;
  }
  d[CONTROL_D_RECORDED].num = !r->synthetic;
  d[CONTROL_D_RECORDED].ok = true;
  d[CONTROL_D_IN_CATALOG].num = r->catalog != NULL;
  d[CONTROL_D_IN_CATALOG].ok = true;
}

/* Derived values, by each kind's function, for every record the model lists (catalog
 * controls without a record included). */
static void S_derive(Model *m) {
  for (int k = 0; k < KIND_COUNT; k++) {
    DeriveFn derive = kind_spec((Kind)k)->derive;
    for (size_t i = 0; derive && i < m->by_kind[k].len; i++)
      derive(m, m->by_kind[k].items[i]);
  }
}

void resolve(Model *m) {
  S_index(m);
  S_join_catalog(m);
  S_join_clauses(m);
  if (m->manifest) /* isms.yaml names records too (`policy:`) */
    S_resolve_table(m, m->manifest, schema_table(KIND_MANIFEST), m->manifest->fields, 0);
  for (size_t i = 0; i < m->records.len; i++)
    S_resolve_fields(m, m->records.items[i]);
  for (size_t i = 0; i < m->records.len; i++) {
    Record *r = m->records.items[i];
    S_backlink_table(m, r, schema_table(r->kind), r->fields, 0);
  }
  S_derive(m);
}
