/* catalog.c - control catalogs: the built-in ones and a tree's own.
 *
 * The built-in catalogs are the YAML files of compiler/catalogs/, embedded byte for byte at
 * build time (cmake/embed.cmake) and parsed here with the same code that reads a custom
 * `catalog: my-controls.yaml`, so both are read the same way. Shape:
 *   catalog: {id, title, themes: [{id, title}], controls: [{id, title, theme}],
 *             clauses: [{id, title, documented}]}
 * `clauses` (the management-system clauses 4-10) is optional in a custom catalog; their ids
 * are text as written (`9.2`), like every YAML scalar the loader keeps.
 */
#include "model.h"

#include <string.h>

#include "embedded.h"

static const char *const builtin_ids[] = {"iso27001-2022", "iso27001-2013"};

const char *const *catalog_builtin_ids(size_t *count) {
  *count = sizeof builtin_ids / sizeof builtin_ids[0];
  return builtin_ids;
}

static SourceFile *S_embedded(Arena *a, const char *name) {
  const EmbeddedFile *e = embedded_find(arena_printf(a, "compiler/catalogs/%s", name));
  if (!e)
    return NULL;
  SourceFile *f = arena_alloc(a, sizeof *f);
  f->path = arena_printf(a, "<built-in>/%s", name);
  f->text = e->data;
  f->len = e->len;
  f->arena = a;
  return f;
}

static const char *S_scalar(const Node *map, const char *key) {
  const Node *n = node_get(map, key);
  return n && n->kind == NODE_SCALAR && n->len ? n->text : NULL;
}

static void S_load_clauses(Arena *a, Diags *d, Catalog *c, const Node *clauses) {
  if (!clauses || clauses->kind != NODE_SEQUENCE)
    return;
  HashMap seen;
  hashmap_init(&seen);
  c->clauses = arena_alloc(a, (clauses->count + 1) * sizeof *c->clauses);
  for (size_t i = 0; i < clauses->count; i++) {
    const Node *item = clauses->items[i];
    CatalogClause *cl = &c->clauses[c->nclause];
    cl->id = S_scalar(item, "id");
    cl->title = S_scalar(item, "title");
    cl->documented = S_scalar(item, "documented");
    if (!cl->id || !cl->title) {
      diag_report(d, NULL, item->loc, "schema-required", "a catalog clause has an id and a title");
      continue;
    }
    if (hashmap_put(a, &seen, cl->id, cl)) {
      diag_report(d, NULL, item->loc, "id-duplicate", "catalog clause '%s' is listed twice",
                  cl->id);
      continue;
    }
    c->nclause++;
  }
}

Catalog *catalog_load(Arena *a, Diags *d, const SourceFile *f, const Limits *lim) {
  bool failed = false;
  const Node *root = yaml_parse(a, d, f, 0, f->len, 1, lim, &failed);
  if (failed)
    return NULL;
  const Node *cat = node_get(root, "catalog");
  const Node *controls = node_get(cat, "controls");
  if (!cat || !controls || controls->kind != NODE_SEQUENCE) {
    Loc loc = {f, 1, 1};
    diag_report(d, NULL, loc, "schema-required",
                "a catalog file holds `catalog:` with `id`, `title`, `themes` and a "
                "`controls` list of {id, title, theme}");
    return NULL;
  }
  Catalog *c = arena_alloc(a, sizeof *c);
  hashmap_init(&c->by_id);
  c->id = S_scalar(cat, "id");
  c->title = S_scalar(cat, "title");
  const Node *themes = node_get(cat, "themes");
  if (themes && themes->kind == NODE_SEQUENCE) {
    c->themes = arena_alloc(a, (themes->count + 1) * sizeof *c->themes);
    for (size_t i = 0; i < themes->count; i++) {
      CatalogTheme *t = &c->themes[c->ntheme];
      t->id = S_scalar(themes->items[i], "id");
      t->title = S_scalar(themes->items[i], "title");
      if (t->id)
        c->ntheme++;
    }
  }
  S_load_clauses(a, d, c, node_get(cat, "clauses"));
  c->controls = arena_alloc(a, (controls->count + 1) * sizeof *c->controls);
  for (size_t i = 0; i < controls->count; i++) {
    const Node *item = controls->items[i];
    CatalogControl *cc = &c->controls[c->ncontrol];
    cc->id = S_scalar(item, "id");
    cc->title = S_scalar(item, "title");
    cc->theme = S_scalar(item, "theme");
    if (!cc->id || !cc->title) {
      diag_report(d, NULL, item->loc, "schema-required", "a catalog control has an id and a title");
      continue;
    }
    if (hashmap_put(a, &c->by_id, cc->id, cc)) {
      diag_report(d, NULL, item->loc, "id-duplicate", "catalog control '%s' is listed twice",
                  cc->id);
      continue;
    }
    c->ncontrol++;
  }
  return c;
}

Catalog *catalog_builtin(Arena *a, Diags *d, const char *id) {
  Limits lim;
  limits_default(&lim);
  for (size_t i = 0; i < sizeof builtin_ids / sizeof builtin_ids[0]; i++)
    if (strcmp(id, builtin_ids[i]) == 0)
      return catalog_load(a, d, S_embedded(a, arena_printf(a, "%s.yaml", id)), &lim);
  return NULL;
}

void catalog_mapping_load(Arena *a, Diags *d, CatalogMapping *m) {
  hashmap_init(&m->to);
  Limits lim;
  limits_default(&lim);
  SourceFile *f = S_embedded(a, "iso27001-2013-to-2022.yaml");
  bool failed = false;
  const Node *root = yaml_parse(a, d, f, 0, f->len, 1, &lim, &failed);
  const Node *list = node_get(root, "mapping");
  if (!list || list->kind != NODE_SEQUENCE)
    return;
  for (size_t i = 0; i < list->count; i++) {
    const char *from = S_scalar(list->items[i], "from");
    const Node *to = node_get(list->items[i], "to");
    if (!from || !to || to->kind != NODE_SEQUENCE || !to->count)
      continue;
    const char *joined = to->items[0]->text;
    for (size_t k = 1; k < to->count; k++)
      joined = arena_printf(a, "%s, %s", joined, to->items[k]->text);
    hashmap_put(a, &m->to, from, (void *)joined);
  }
}
