/* tree_fixture.h - a tree written to a temporary folder and run through the stages, for the
 * unit tests of model (binding) and resolve. Each test writes its files, then calls
 * fx_bind (load + bind) or fx_resolve (load + bind + resolve) and looks at the model. */
#ifndef ISMSC_TREE_FIXTURE_H
#define ISMSC_TREE_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "load.h"
#include "model.h"
#include "resolve.h"
#include "util.h"

typedef struct Fixture {
  Arena arena;
  Diags diags;
  Limits limits;
  Tree tree;
  Model model;
  char dir[64];
} Fixture;

static const char fx_manifest[] =
    "organisation: Test\n"
    "risk:\n"
    "  likelihood: [Rare, Unlikely, Possible, Likely, Certain]\n"
    "  impact: [Negligible, Minor, Moderate, Major, Severe]\n"
    "  accept_max: 6\n"
    "  levels: [{max: 4, name: Low}, {max: 9, name: Medium}, {max: 25, name: High}]\n";

static inline int fx_setup(void **state) {
  Fixture *fx = calloc(1, sizeof *fx);
  arena_init(&fx->arena);
  diags_init(&fx->diags, &fx->arena);
  limits_default(&fx->limits);
  strcpy(fx->dir, "/tmp/ismsc-unit-XXXXXX");
  if (!mkdtemp(fx->dir))
    return -1;
  *state = fx;
  return 0;
}

static inline int fx_teardown(void **state) {
  Fixture *fx = *state;
  remove_tree(fx->dir);
  arena_free(&fx->arena);
  free(fx);
  return 0;
}

/* Writes text to dir/path, making its folder. */
static inline void fx_write(Fixture *fx, const char *path, const char *text) {
  char full[512];
  snprintf(full, sizeof full, "%s/%s", fx->dir, path);
  char *slash = strrchr(full, '/');
  if (slash && slash > full + strlen(fx->dir)) {
    *slash = '\0';
    mkdir(full, 0755);
    *slash = '/';
  }
  FILE *f = fopen(full, "w");
  if (!f)
    abort();
  fputs(text, f);
  fclose(f);
}

static inline Model *fx_bind(Fixture *fx) {
  if (!load_tree(&fx->arena, &fx->diags, fx->dir, &fx->limits, &fx->tree))
    abort();
  Date today;
  date_parse("2026-11-23", &today);
  fx->model.limits = fx->limits;
  model_bind(&fx->model, &fx->arena, &fx->diags, &fx->tree, today);
  return &fx->model;
}

static inline Model *fx_resolve(Fixture *fx) {
  Model *m = fx_bind(fx);
  resolve(m);
  return m;
}

/* The record with that id, or NULL. */
static inline Record *fx_get(Model *m, const char *id) { return hashmap_get(&m->ids, id); }

/* The number of diagnostics of a rule; the last one's message in *msg. */
static inline size_t fx_count(Fixture *fx, const char *rule, const char **msg) {
  size_t n = 0;
  for (size_t i = 0; i < fx->diags.items.len; i++) {
    const Diag *g = fx->diags.items.items[i];
    if (strcmp(g->rule, rule) == 0) {
      n++;
      if (msg)
        *msg = g->message;
    }
  }
  return n;
}

#endif
