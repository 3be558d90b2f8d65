/* fuzz_yaml.c - libFuzzer harness: YAML text -> Nodes (load_yaml.c), then bound (model.c)
 * and resolved (resolve.c) twice, the way a record file and isms.yaml are read:
 *   1. as the manifest, isms.yaml, of a tree that has no records;
 *   2. under a fixed valid manifest, each mapping of the input (the root, or every item of
 *      a root list, as load_tree.c takes them) as a record of every kind, its `body` scanned
 *      for [[ID]] references.
 * Any crash, leak, hang or sanitizer report is a bug. The tree's root is a folder that does
 * not exist, so a custom catalog the input names is a diagnostic, never a file read.
 * Only public entry points are called (yaml_parse, md_scan_refs, model_bind, resolve), so
 * the harness follows the model as it changes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "load.h"
#include "model.h"
#include "resolve.h"

static const char manifest_text[] =
    "organisation: Fuzz Ltd\n"
    "title: Fuzz ISMS\n"
    "catalog: iso27001-2022\n"
    "owner: CISO\n"
    "classifications: [public, internal, confidential]\n"
    "risk:\n"
    "  likelihood: [Rare, Unlikely, Possible, Likely, Almost certain]\n"
    "  impact: [Negligible, Minor, Moderate, Major, Severe]\n"
    "  accept_max: 6\n"
    "  levels: [{max: 4, name: Low}, {max: 9, name: Medium}, {max: 25, name: High}]\n"
    "review:\n"
    "  policy_max_age_days: 365\n";

static SourceFile *S_source(Arena *a, const char *path, const char *text, size_t len) {
  SourceFile *f = arena_alloc(a, sizeof *f);
  memset(f, 0, sizeof *f);
  f->path = path;
  f->text = arena_strndup(a, text, len);
  f->len = len;
  f->arena = a;
  return f;
}

/* The trees are made in memory, but binding reads a few files through the tree's source (a
 * custom catalog, evidence): an empty folder, made once and removed at exit, gives them a
 * real source with nothing in it. */
static char empty_dir[] = "/tmp/ismsc-fuzz-yaml-empty-XXXXXX";

static void S_remove_empty_dir(void) { rmdir(empty_dir); }

static const Source *S_empty_source(Arena *a) {
  static bool made;
  if (!made) {
    if (!mkdtemp(empty_dir))
      abort();
    atexit(S_remove_empty_dir);
    made = true;
  }
  const Source *src = source_fs(a, empty_dir);
  if (!src)
    abort();
  return src;
}

static void S_bind(Arena *a, Diags *d, const Tree *tree, Limits lim) {
  Model m;
  memset(&m, 0, sizeof m);
  m.limits = lim;
  Date today;
  date_parse("2026-11-23", &today);
  model_bind(&m, a, d, tree, today);
  resolve(&m);
}

/* One RawRecord of each kind for the mapping map of f (a YAML record file's mapping). */
static void S_add_records(Arena *a, Diags *d, Tree *tree, const SourceFile *f, const Node *map,
                          const Limits *lim) {
  for (int k = 0; k < KIND_COUNT; k++) {
    if (k == KIND_MANIFEST)
      continue;
    RawRecord *r = arena_alloc(a, sizeof *r);
    memset(r, 0, sizeof *r);
    r->file = f;
    r->map = map;
    r->kind = kind_name((Kind)k);
    const Node *body = node_get(map, "body");
    if (body && body->kind == NODE_SCALAR && body->len) {
      r->body = body;
      r->body_text = body->text;
      r->body_len = body->len;
      size_t from = source_offset(f, body->loc);
      r->body_loc = source_loc(f, from);
      md_scan_refs(a, d, f, from, r->body_text, r->body_len, lim, &r->refs);
    }
    ptrvec_push(a, &tree->records, r);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  Arena a;
  arena_init(&a);
  Diags d;
  diags_init(&d, &a);
  Limits lim;
  limits_default(&lim);
  SourceFile *f = S_source(&a, "risks/fuzz.yaml", (const char *)data, size);
  size_t bad;
  bool failed = false;
  const Node *root = NULL;
  if (utf8_valid(f->text, f->len, &bad)) /* load_source refuses other bytes before parsing */
    root = yaml_parse(&a, &d, f, 0, f->len, 1, &lim, &failed);
  if (root && !failed) {
    Tree as_manifest = {.root = "/nonexistent/ismsc-fuzz",
                        .source = S_empty_source(&a),
                        .manifest_file = f};
    as_manifest.manifest = root->kind == NODE_MAPPING ? root : NULL;
    ptrvec_push(&a, &as_manifest.files, f);
    S_bind(&a, &d, &as_manifest, lim);

    SourceFile *mf = S_source(&a, "isms.yaml", manifest_text, sizeof manifest_text - 1);
    bool mfailed = false;
    Tree as_records = {.root = "/nonexistent/ismsc-fuzz",
                       .source = S_empty_source(&a),
                       .manifest_file = mf};
    as_records.manifest = yaml_parse(&a, &d, mf, 0, mf->len, 1, &lim, &mfailed);
    ptrvec_push(&a, &as_records.files, mf);
    ptrvec_push(&a, &as_records.files, f);
    if (root->kind == NODE_MAPPING)
      S_add_records(&a, &d, &as_records, f, root, &lim);
    else if (root->kind == NODE_SEQUENCE)
      for (size_t i = 0; i < root->count; i++)
        if (root->items[i]->kind == NODE_MAPPING)
          S_add_records(&a, &d, &as_records, f, root->items[i], &lim);
    S_bind(&a, &d, &as_records, lim);
  }
  diags_finish(&d);
  arena_free(&a);
  return 0;
}
