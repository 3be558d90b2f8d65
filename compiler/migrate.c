/* migrate.c - `ismsc migrate --to iso27001-2022`: rewrite a tree's 2013 control ids in place.
 *
 * The tree is loaded and bound as `check` loads it; every place a control id is written is
 * then known with its exact location: a control record's `id`, each item of a reference list
 * to controls (found by walking the schema tables, nested tables included, so new kinds are
 * covered), each [[ID]] in a body, and isms.yaml's `catalog:`. Each 2013 id is replaced by its
 * 2022 id at that location and nothing else in the file changes: comments, key order, quoting
 * and line ends stay byte for byte. A `controls/A.9.2.3.md` file is renamed after its new id.
 *
 * What is left for a person (SPEC §6): a 2013 control that became several 2022 controls, and
 * 2013 controls the tree uses that became one and the same 2022 control (their records must
 * be merged by hand). These are listed as diagnostics, with the 2022 controls that are new and
 * have no record yet, and left as they are. Running migrate again changes nothing.
 *
 * What must stay true: an edit is made only where the file's bytes at the location are the
 * id itself (else the place is listed, not guessed); files are replaced atomically and
 * renamed without ever replacing another file; --dry-run writes nothing.
 */
#include "migrate.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "driver.h"
#include "files.h"
#include "load.h"
#include "model.h"
#include "resolve.h"

static const char TARGET[] = "iso27001-2022";
static const RuleInfo decision_rule = {
    "migrate-decision", SEV_WARNING,
    "A 2013 control id that migrate cannot rewrite on its own: a person decides", NULL, NULL};

/* One id to replace: bytes [off, off+len) of the file become to. */
typedef struct Edit {
  size_t off, len;
  const char *to;
} Edit;

/* A file of the tree that migrate changes. */
typedef struct FileChange {
  const SourceFile *file;
  char *raw; /* the bytes on disk (malloc'd): SourceFile.text has no BOM */
  size_t raw_len, bom;
  PtrVec edits;         /* Edit * */
  const char *new_path; /* a rename, relative to the root, or NULL */
} FileChange;

typedef struct Migration {
  Arena *arena;
  Model *m;
  const char *root;
  HashMap targets;   /* 2013 id -> PtrVec * of its 2022 ids */
  HashMap used;      /* 2013 ids the tree writes -> first Loc (Loc *) */
  HashMap decided;   /* 2013 id -> the reason it is left alone (const char *) */
  HashMap changes;   /* file path -> FileChange * */
  PtrVec order;      /* FileChange *, in the order files were first edited */
  PtrVec places;     /* Place *: every occurrence of a 2013 id */
  Diags decisions;   /* what is left for a person */
  size_t ids_edited; /* occurrences rewritten */
} Migration;

/* Where a 2013 id is written. */
typedef struct Place {
  const char *id;
  Loc loc;
  const Record *record; /* the control record whose id this is, or NULL for a reference */
} Place;

/* ------------------------------------------------------------------ the mapping */

static void S_load_targets(Migration *mg) {
  hashmap_init(&mg->targets);
  const HashMap *to = &mg->m->mapping.to;
  for (size_t i = 0; i < to->cap; i++) {
    if (!to->keys[i])
      continue;
    PtrVec *list = arena_alloc(mg->arena, sizeof *list);
    const char *joined = to->values[i];
    for (const char *p = joined; *p;) {
      const char *end = strstr(p, ", ");
      size_t n = end ? (size_t)(end - p) : strlen(p);
      ptrvec_push(mg->arena, list, arena_strndup(mg->arena, p, n));
      p += n + (end ? 2 : 0);
    }
    hashmap_put(mg->arena, &mg->targets, to->keys[i], list);
  }
}

static const PtrVec *S_targets_of(const Migration *mg, const char *id) {
  return hashmap_get(&mg->targets, id);
}

/* ------------------------------------------------------------------ finding the ids */

static void S_place(Migration *mg, const char *id, Loc loc, const Record *record) {
  if (!id || !S_targets_of(mg, id) || !loc.file)
    return;
  Place *p = arena_alloc(mg->arena, sizeof *p);
  p->id = id;
  p->loc = loc;
  p->record = record;
  ptrvec_push(mg->arena, &mg->places, p);
  if (!hashmap_get(&mg->used, id)) {
    Loc *first = arena_alloc(mg->arena, sizeof *first);
    *first = loc;
    hashmap_put(mg->arena, &mg->used, id, first);
  }
}

/* Every reference to a control in a record's values, through nested tables. (Nested records,
 * an audit's findings, are records of the model of their own and are scanned as such.) */
static void S_scan_values(Migration *mg, const FieldTable *t, const Value *fields) {
  for (size_t i = 0; i < t->count; i++) {
    const FieldSpec *spec = &t->fields[i];
    const Value *v = &fields[i];
    if (!v->ok)
      continue;
    if (spec->type == FT_REF && spec->ref_kind == KIND_CONTROL && v->node) {
      S_place(mg, v->str, v->node->loc, NULL);
    } else if (spec->type == FT_REF_LIST && spec->ref_kind == KIND_CONTROL) {
      for (size_t k = 0; k < v->count; k++)
        if (v->items[k].node)
          S_place(mg, v->items[k].str, v->items[k].node->loc, NULL);
    } else if (spec->type == FT_MAP && v->fields) {
      S_scan_values(mg, spec->sub, v->fields);
    } else if (spec->type == FT_MAP_LIST) {
      for (size_t k = 0; k < v->count; k++)
        if (v->items[k].fields)
          S_scan_values(mg, spec->sub, v->items[k].fields);
    }
  }
}

static void S_scan_record(Migration *mg, const Record *r) {
  if (r->kind == KIND_CONTROL && r->id_node)
    S_place(mg, r->id, r->id_node->loc, r);
  S_scan_values(mg, schema_table(r->kind), r->fields);
  if (!r->raw)
    return;
  for (size_t i = 0; i < r->raw->refs.len; i++) {
    const BodyRef *ref = r->raw->refs.items[i];
    S_place(mg, ref->id, ref->loc, NULL);
  }
}

/* ------------------------------------------------------------------ decisions */

static void S_decide(Migration *mg, const Place *p, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void S_decide(Migration *mg, const Place *p, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  const char *why = diag_vformat(mg->arena, fmt, ap);
  va_end(ap);
  diag_report(&mg->decisions, NULL, p->loc, decision_rule.id, "%s", why);
}

/* The 2013 ids the tree uses that become the same 2022 control as id does. */
static const char *S_also_becoming(Migration *mg, const char *id, const char *target,
                                   size_t *count) {
  const char *list = NULL;
  *count = 0;
  for (size_t i = 0; i < mg->used.cap; i++) {
    const char *other = mg->used.keys[i];
    if (!other || strcmp(other, id) == 0)
      continue;
    const PtrVec *t = S_targets_of(mg, other);
    for (size_t k = 0; k < t->len; k++) {
      if (strcmp(t->items[k], target) == 0) {
        list = list ? arena_printf(mg->arena, "%s, %s", list, other) : other;
        (*count)++;
      }
    }
  }
  return list;
}

/* Why id cannot be rewritten on its own, or NULL: it became several 2022 controls, or the
 * tree also uses another 2013 control that became the same one, or a record already has
 * the new id. */
static const char *S_reason_to_leave(Migration *mg, const char *id) {
  const PtrVec *t = S_targets_of(mg, id);
  if (t->len > 1) {
    const char *all = t->items[0];
    for (size_t k = 1; k < t->len; k++)
      all = arena_printf(mg->arena, "%s%s%s", all, k + 1 == t->len ? " and " : ", ",
                         (const char *)t->items[k]);
    return arena_printf(mg->arena,
                        "2013 control %s became %s in 2022; choose which this means and write it",
                        id, all);
  }
  size_t n;
  const char *others = S_also_becoming(mg, id, t->items[0], &n);
  if (others)
    return arena_printf(mg->arena,
                        "2013 controls %s and %s both became %s in 2022; merge them into one %s "
                        "by hand",
                        id, others, (const char *)t->items[0], (const char *)t->items[0]);
  const Record *taken = hashmap_get(&mg->m->ids, t->items[0]);
  if (taken && !taken->synthetic)
    return arena_printf(mg->arena,
                        "2013 control %s became %s, which the tree already has (%s); merge "
                        "them by hand",
                        id, (const char *)t->items[0], taken->raw ? taken->raw->file->path : "");
  return NULL;
}

/* ------------------------------------------------------------------ edits */

static FileChange *S_change_of(Migration *mg, const SourceFile *f) {
  FileChange *c = hashmap_get(&mg->changes, f->path);
  if (c)
    return c;
  char *path = arena_printf(mg->arena, "%s/%s", mg->root, f->path);
  bool too_big;
  size_t len;
  char *raw = file_read(path, (size_t)1 << 30, &len, &too_big);
  if (!raw)
    return NULL;
  c = arena_alloc(mg->arena, sizeof *c);
  c->file = f;
  c->raw = raw;
  c->raw_len = len;
  c->bom = len >= 3 && memcmp(raw, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
  hashmap_put(mg->arena, &mg->changes, f->path, c);
  ptrvec_push(mg->arena, &mg->order, c);
  return c;
}

static bool S_id_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

/* Queues the replacement of `from` at loc by `to`. False when the bytes there are not
 * `from` (plain, or inside quotes): then nothing is edited. */
static bool S_edit(Migration *mg, Loc loc, const char *from, const char *to) {
  FileChange *c = S_change_of(mg, loc.file);
  if (!c)
    return false;
  size_t off = c->bom + source_offset(loc.file, loc), n = strlen(from);
  if (off < c->raw_len && (c->raw[off] == '"' || c->raw[off] == '\''))
    off++;
  if (off + n > c->raw_len || memcmp(c->raw + off, from, n) != 0 ||
      (off + n < c->raw_len && S_id_char(c->raw[off + n])) ||
      (off > 0 && S_id_char(c->raw[off - 1])))
    return false;
  for (size_t i = 0; i < c->edits.len; i++)
    if (((Edit *)c->edits.items[i])->off == off)
      return true; /* the same node reached twice (a YAML alias) */
  Edit *e = arena_alloc(mg->arena, sizeof *e);
  e->off = off;
  e->len = n;
  e->to = to;
  ptrvec_push(mg->arena, &c->edits, e);
  return true;
}

/* The file name of a control record named after its id (controls/A.9.2.3.md), renamed. */
static void S_rename(Migration *mg, const Record *r, const char *to) {
  const char *path = r->raw->file->path;
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  const char *dot = strrchr(base, '.');
  size_t stem = dot ? (size_t)(dot - base) : strlen(base);
  if (stem != strlen(r->id) || strncmp(base, r->id, stem) != 0)
    return; /* a list file, or a file named otherwise: its name is the user's */
  FileChange *c = S_change_of(mg, r->raw->file);
  if (c)
    c->new_path = arena_printf(mg->arena, "%.*s%s%s", (int)(base - path), path, to, dot ? dot : "");
}

static void S_plan_place(Migration *mg, const Place *p) {
  const char *why = hashmap_get(&mg->decided, p->id);
  if (why) {
    S_decide(mg, p, "%s", why);
    return;
  }
  const char *to = ((const PtrVec *)S_targets_of(mg, p->id))->items[0];
  if (!S_edit(mg, p->loc, p->id, to)) {
    S_decide(mg, p,
             "2013 control %s (now %s) is written here in a way migrate does not edit; "
             "change it by hand",
             p->id, to);
    return;
  }
  mg->ids_edited++;
  if (p->record)
    S_rename(mg, p->record, to);
}

/* isms.yaml's `catalog: iso27001-2013` becomes the 2022 catalog. */
static void S_plan_catalog(Migration *mg) {
  const Node *cat = node_get(mg->m->tree->manifest, "catalog");
  if (!cat || cat->kind != NODE_SCALAR || strcmp(cat->text, "iso27001-2013") != 0)
    return;
  if (S_edit(mg, cat->loc, cat->text, TARGET))
    mg->ids_edited++;
}

/* The 2022 controls with no record once the ids are rewritten (soa-complete will ask). */
static void S_new_controls(Migration *mg, Diags *d) {
  const PtrVec *controls = &mg->m->by_kind[KIND_CONTROL];
  HashMap have;
  hashmap_init(&have);
  bool any = false;
  for (size_t i = 0; i < controls->len; i++) {
    const Record *r = controls->items[i];
    if (r->synthetic || !r->id)
      continue;
    any = true;
    const PtrVec *t = S_targets_of(mg, r->id);
    bool moved = t && !hashmap_get(&mg->decided, r->id);
    hashmap_put(mg->arena, &have, moved ? (const char *)t->items[0] : r->id, (void *)r);
  }
  Catalog *cat = catalog_builtin(mg->arena, d, TARGET);
  if (!any || !cat || !mg->m->tree->manifest_file)
    return;
  enum { SHOWN = 12 }; /* check's soa-complete lists every one */
  const char *missing = NULL;
  size_t n = 0;
  for (size_t i = 0; i < cat->ncontrol; i++) {
    if (hashmap_get(&have, cat->controls[i].id))
      continue;
    if (n < SHOWN)
      missing = missing ? arena_printf(mg->arena, "%s, %s", missing, cat->controls[i].id)
                        : cat->controls[i].id;
    n++;
  }
  if (!n)
    return;
  if (n > SHOWN)
    missing = arena_printf(mg->arena, "%s and %zu more", missing, n - SHOWN);
  const Node *catnode = node_get(mg->m->tree->manifest, "catalog");
  Loc loc = catnode ? catnode->loc : (Loc){mg->m->tree->manifest_file, 0, 0};
  diag_report(d, NULL, loc, decision_rule.id,
              "%s of ISO/IEC 27001:2022 %s no record yet (soa-complete): %s",
              count_of(mg->arena, n, "control", "controls"), n == 1 ? "has" : "have", missing);
}

/* Files the loader could not read contribute no records, so their ids cannot be found:
 * each such problem is listed, so that no 2013 id is left behind unsaid. */
static void S_unread_files(Migration *mg, const Diags *tree_diags) {
  static const char *const fatal[] = {"yaml-syntax", "front-matter", "encoding", "file-unreadable",
                                      "input-limit"};
  for (size_t i = 0; i < tree_diags->items.len; i++) {
    const Diag *g = tree_diags->items.items[i];
    for (size_t k = 0; k < sizeof fatal / sizeof fatal[0]; k++)
      if (strcmp(g->rule, fatal[k]) == 0)
        diag_report(&mg->decisions, NULL, g->loc, decision_rule.id,
                    "not migrated: %s; fix it and run migrate again", g->message);
  }
}

static void S_plan(Migration *mg) {
  hashmap_init(&mg->used);
  hashmap_init(&mg->decided);
  hashmap_init(&mg->changes);
  S_load_targets(mg);
  for (size_t i = 0; i < mg->m->records.len; i++)
    S_scan_record(mg, mg->m->records.items[i]);
  for (size_t i = 0; i < mg->used.cap; i++) {
    const char *id = mg->used.keys[i];
    const char *why = id ? S_reason_to_leave(mg, id) : NULL;
    if (why)
      hashmap_put(mg->arena, &mg->decided, id, (void *)why);
  }
  for (size_t i = 0; i < mg->places.len; i++)
    S_plan_place(mg, mg->places.items[i]);
  S_plan_catalog(mg);
  S_new_controls(mg, &mg->decisions);
}

/* ------------------------------------------------------------------ output */

static int S_edit_order(const void *a, const void *b) {
  const Edit *x = *(const Edit *const *)a, *y = *(const Edit *const *)b;
  return x->off < y->off ? -1 : x->off > y->off;
}

/* The file's new bytes (malloc'd). */
static char *S_apply(FileChange *c, size_t *len) {
  qsort(c->edits.items, c->edits.len, sizeof *c->edits.items, S_edit_order);
  size_t grow = 0;
  for (size_t i = 0; i < c->edits.len; i++)
    grow += strlen(((Edit *)c->edits.items[i])->to);
  char *out = malloc(c->raw_len + grow + 1), *o = out;
  size_t at = 0;
  for (size_t i = 0; i < c->edits.len; i++) {
    const Edit *e = c->edits.items[i];
    memcpy(o, c->raw + at, e->off - at);
    o += e->off - at;
    o += sprintf(o, "%s", e->to);
    at = e->off + e->len;
  }
  memcpy(o, c->raw + at, c->raw_len - at);
  o += c->raw_len - at;
  *o = '\0';
  *len = (size_t)(o - out);
  return out;
}

/* A unified diff of one file, by libgit2, with paths relative to the tree's root (so that
 * `patch -p1` or `git apply` applies it there). */
static bool S_print_diff(const FileChange *c, const char *text, size_t len) {
  git_patch *patch = NULL;
  git_buf buf = {0};
  const char *new_path = c->new_path ? c->new_path : c->file->path;
  bool ok = git_patch_from_buffers(&patch, c->raw, c->raw_len, c->file->path, text, len, new_path,
                                   NULL) == 0 &&
            git_patch_to_buf(&buf, patch) == 0;
  if (ok)
    fwrite(buf.ptr, 1, buf.size, stdout);
  git_buf_dispose(&buf);
  git_patch_free(patch);
  return ok;
}

static bool S_write(Migration *mg, FileChange *c, const char *text, size_t len) {
  char *path = arena_printf(mg->arena, "%s/%s", mg->root, c->file->path);
  if (c->edits.len && !file_replace(path, text, len)) {
    fprintf(stderr, "ismsc: cannot write %s: %s\n", path, strerror(errno));
    return false;
  }
  if (!c->new_path)
    return true;
  char *to = arena_printf(mg->arena, "%s/%s", mg->root, c->new_path);
  if (!file_rename_new(path, to)) {
    fprintf(stderr, "ismsc: %s keeps its name: cannot rename it to %s: %s\n", path, c->new_path,
            errno == EEXIST ? "a file of that name exists" : strerror(errno));
  }
  return true;
}

static int S_run(Migration *mg, bool dry_run, const char *prefix) {
  size_t files = 0, renamed = 0;
  bool ok = true;
  for (size_t i = 0; i < mg->order.len; i++) {
    FileChange *c = mg->order.items[i];
    if (!c->edits.len && !c->new_path)
      continue;
    size_t len;
    char *text = S_apply(c, &len);
    files++;
    renamed += c->new_path != NULL;
    ok = (dry_run ? S_print_diff(c, text, len) : S_write(mg, c, text, len)) && ok;
    free(text);
  }
  diags_finish(&mg->decisions);
  const char *no_color = getenv("NO_COLOR");
  RenderOptions ro = {.format = FORMAT_TEXT,
                      .color = isatty(STDOUT_FILENO) && !(no_color && *no_color),
                      .path_prefix = prefix,
                      .tool_version = ISMSC_VERSION};
  if (mg->decisions.items.len) {
    printf("%sdecisions left to you:\n", files ? "\n" : "");
    diags_render(&mg->decisions, &ro, stdout);
  }
  fprintf(stderr, "ismsc: %s %zu control id%s in %zu file%s (%zu renamed); %zu decision%s left\n",
          dry_run ? "would rewrite" : "rewrote", mg->ids_edited, mg->ids_edited == 1 ? "" : "s",
          files, files == 1 ? "" : "s", renamed, mg->decisions.items.len,
          mg->decisions.items.len == 1 ? "" : "s");
  return ok ? EXIT_CLEAN : EXIT_USAGE;
}

/* ------------------------------------------------------------------ command */

static int S_usage(const char *why) {
  fprintf(stderr,
          "ismsc: %s\nusage: ismsc migrate --to iso27001-2022 [--dry-run] [TREE]\n"
          "Try 'ismsc migrate --help'.\n",
          why);
  return EXIT_USAGE;
}

static const char help[] =
    "usage: ismsc migrate --to iso27001-2022 [--dry-run] [TREE]\n"
    "Rewrites the tree's ISO/IEC 27001:2013 control ids as their 2022 ids, in place: only the\n"
    "id text changes. Control files named after their id are renamed, and isms.yaml's\n"
    "catalog: is set. Controls that became several 2022 controls, or 2013 controls that\n"
    "became the same one, are listed for you to decide and left as they are.\n"
    "  --to CATALOG   the catalog to migrate to: iso27001-2022\n"
    "  --dry-run      print the edits as a unified diff; write nothing\n";

/* The catalog the tree names must be one migrate knows. */
static bool S_catalog_ok(const Model *m) {
  const Node *cat = node_get(m->tree->manifest, "catalog");
  if (!cat || cat->kind != NODE_SCALAR)
    return true;
  if (strcmp(cat->text, "iso27001-2013") == 0 || strcmp(cat->text, TARGET) == 0)
    return true;
  fprintf(stderr,
          "ismsc: isms.yaml names the catalog '%s'; migrate knows only iso27001-2013 -> %s\n",
          cat->text, TARGET);
  return false;
}

int migrate_main(int argc, char **argv) {
  static const struct option longopts[] = {
      {"to", required_argument, NULL, 't'},
      {"dry-run", no_argument, NULL, 'n'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0},
  };
  const char *to = NULL;
  bool dry_run = false;
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
    switch (c) {
    case 't': to = optarg; break;
    case 'n': dry_run = true; break;
    case 'h': fputs(help, stdout); return EXIT_CLEAN;
    default: return S_usage("unknown option");
    }
  }
  if (!to)
    return S_usage("migrate needs the catalog to migrate to: --to iso27001-2022");
  if (strcmp(to, TARGET) != 0)
    return S_usage("migrate knows one migration: --to iso27001-2022");
  const char *root = optind < argc ? argv[optind++] : ".";
  if (optind < argc)
    return S_usage("migrate takes one tree");

  Arena arena;
  arena_init(&arena);
  Diags tree_diags;
  diags_init(&tree_diags, &arena);
  Limits limits;
  limits_default(&limits);
  Tree tree;
  int status = EXIT_USAGE;
  if (!load_tree(&arena, &tree_diags, root, &limits, &tree) || !tree.manifest) {
    fprintf(stderr, "ismsc: %s is not a tree with a readable isms.yaml\n", root);
  } else {
    Model model;
    memset(&model, 0, sizeof model);
    model.limits = limits;
    Date today = {0};
    model_bind(&model, &arena, &tree_diags, &tree, today);
    resolve(&model);
    if (S_catalog_ok(&model)) {
      git_libgit2_init();
      Migration mg = {.arena = &arena, .m = &model, .root = root};
      diags_init(&mg.decisions, &arena);
      ptrvec_push(&arena, &mg.decisions.rules, (void *)&decision_rule);
      S_plan(&mg);
      S_unread_files(&mg, &tree_diags);
      status = S_run(&mg, dry_run, driver_path_prefix(&arena, root));
      for (size_t i = 0; i < mg.order.len; i++)
        free(((FileChange *)mg.order.items[i])->raw);
      git_libgit2_shutdown();
    }
  }
  arena_free(&arena);
  return status;
}
