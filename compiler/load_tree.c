/* load_tree.c - walk the tree, read each file, and hand out raw records.
 *
 * What is read: isms.yaml and scope.md at the root, and YAML/Markdown files below it. A
 * record's kind is its `kind:` field, else its top folder's. Hidden entries, evidence/,
 * templates/ and build outputs (folders holding a `.ismsc-output` marker) are not records;
 * rules/ holds Lua rules. Files come from a Source (source.h), never from paths: the work
 * tree, or a commit's tree in Git, load through this same code. The source judges symbolic
 * links (linked folders are never followed; a linked file counts only inside the tree).
 *
 * A file that cannot be read or parsed contributes no records, and the ids it probably
 * defined are remembered so that resolve.c does not answer one broken file with a flood of
 * unknown references (see docs/decisions.md).
 *
 * Reading and parsing is most of a check's time, and files are independent, so the walk
 * only lists the files (sorted) and worker threads load them, each into its own arena and
 * diagnostics list. The results are merged in the walk's order, so the output does not
 * depend on which thread loaded what.
 */
#include "load.h"
#include "schema.h"
#include "source.h"

#include <cmark-gfm-core-extensions.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { MAX_FOLDER_DEPTH = 32 };

/* What loading files needs: one per worker thread, and one for the manifest. */
typedef struct Loader {
  Arena *arena;
  Diags *diags;
  const Limits *limits;
  const Source *source;
  PtrVec records;  /* RawRecord * */
  PtrVec probable; /* const char *: ids that unreadable files probably defined */
  PtrVec files;    /* SourceFile * */
  bool no_refs;    /* past versions: bodies are compared as text, their [[ID]]s not needed */
} Loader;

/* A file to load, listed by the walk. */
typedef struct FileJob {
  const char *relpath, *name, *fkind;
  Loader *loader;                                     /* the worker that loaded it */
  size_t diags[2], records[2], probable[2], files[2]; /* its results: [begin, end) */
} FileJob;

typedef struct Walker {
  Arena *arena;
  Diags *diags;
  Limits *limits;
  Tree *tree;
  PtrVec jobs;         /* FileJob * */
  const char *catalog; /* a custom catalog file isms.yaml names: read by the model */
} Walker;

static bool S_is_yaml(const char *name) {
  return str_has_suffix(name, ".yaml") || str_has_suffix(name, ".yml");
}

static bool S_is_markdown(const char *name) {
  return str_has_suffix(name, ".md") || str_has_suffix(name, ".markdown");
}

/* A diagnostic about the whole file. */
static Loc S_file_loc(const SourceFile *f) {
  Loc loc = {f, 0, 0};
  return loc;
}

static SourceFile *S_stub_file(Arena *a, const char *relpath) {
  SourceFile *f = arena_alloc(a, sizeof *f);
  f->path = arena_strdup(a, relpath);
  f->arena = a;
  return f;
}

/* Remembers what a file that could not be parsed probably defined: its name's stem, and
 * every `id:` value in its raw text. */
static void S_remember_probable_ids(Loader *w, const SourceFile *f) {
  const char *base = strrchr(f->path, '/');
  base = base ? base + 1 : f->path;
  const char *dot = strrchr(base, '.');
  char *stem = arena_strndup(w->arena, base, dot ? (size_t)(dot - base) : strlen(base));
  ptrvec_push(w->arena, &w->probable, stem);
  if (!f->text)
    return;
  for (const char *p = f->text; p && p < f->text + f->len;
       p = memchr(p, '\n', (size_t)(f->text + f->len - p))) {
    while (p < f->text + f->len && (*p == '\n' || *p == ' ' || *p == '-' || *p == '\t'))
      p++;
    if ((size_t)(f->text + f->len - p) < 3 || memcmp(p, "id:", 3) != 0)
      continue;
    p += 3;
    while (p < f->text + f->len && (*p == ' ' || *p == '"' || *p == '\''))
      p++;
    const char *q = p;
    while (q < f->text + f->len &&
           (isalnum((unsigned char)*q) || *q == '.' || *q == '_' || *q == '-'))
      q++;
    if (q > p)
      ptrvec_push(w->arena, &w->probable, arena_strndup(w->arena, p, (size_t)(q - p)));
    p = q;
  }
}

SourceFile *load_source(Arena *a, Diags *d, const Source *src, const char *relpath,
                        const Limits *lim) {
  SourceFile *f = S_stub_file(a, relpath);
  SourceRead rd = src->read(src, a, relpath, lim->max_file_bytes);
  if (rd.is_folder) {
    diag_report(d, NULL, S_file_loc(f), "file-unreadable",
                "is a folder, not a file; a record file holds YAML or Markdown");
    return f;
  }
  if (rd.too_large) {
    diag_report(d, NULL, S_file_loc(f), "input-limit",
                "file of %zu bytes is larger than %zu bytes; it is skipped "
                "(limits.max_file_bytes)",
                rd.size, lim->max_file_bytes);
    return f;
  }
  if (!rd.text) {
    diag_report(d, NULL, S_file_loc(f), "file-unreadable", "cannot read: %s", rd.error);
    return f;
  }
  char *buf = rd.text;
  size_t n = rd.len;
  size_t bom = n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
  f->text = buf + bom;
  f->len = n - bom;
  size_t bad;
  if (!utf8_valid(f->text, f->len, &bad)) {
    Loc loc = source_loc(f, bad);
    if (f->text[bad] == '\0')
      diag_report(d, NULL, loc, "encoding",
                  "NUL byte: record files are UTF-8 text; the file is skipped");
    else
      diag_report(d, NULL, loc, "encoding",
                  "byte 0x%02X is not UTF-8: record files are UTF-8 text; the file is skipped",
                  (unsigned char)f->text[bad]);
    f->len = 0; /* keep the text for quoting nothing: the file is not read further */
    f->text = NULL;
  }
  return f;
}

static RawRecord *S_new_record(Loader *w, const SourceFile *f, const Node *map,
                               const char *folder_kind) {
  RawRecord *r = arena_alloc(w->arena, sizeof *r);
  r->file = f;
  r->map = map;
  const Node *kind = node_get(map, "kind");
  r->kind = kind && kind->kind == NODE_SCALAR ? kind->text : folder_kind;
  return r;
}

static void S_add_record(Loader *w, RawRecord *r) { ptrvec_push(w->arena, &w->records, r); }

static void S_scan_body(Loader *w, RawRecord *r, size_t search_from) {
  r->body_loc = source_loc(r->file, search_from);
  if (w->no_refs)
    return;
  md_scan_refs(w->arena, w->diags, r->file, search_from, r->body_text, r->body_len, w->limits,
               &r->refs);
}

/* A mapping from a YAML file becomes a record; its `body` field is its Markdown. */
static void S_yaml_record(Loader *w, const SourceFile *f, const Node *map, const char *fkind) {
  RawRecord *r = S_new_record(w, f, map, fkind);
  const Node *body = node_get(map, "body");
  if (body && body->kind == NODE_SCALAR && body->len) {
    r->body = body;
    r->body_text = body->text;
    r->body_len = body->len;
    S_scan_body(w, r, source_offset(f, body->loc));
  }
  S_add_record(w, r);
}

static void S_load_yaml_file(Loader *w, const SourceFile *f, const char *fkind) {
  bool failed = false;
  const Node *root = yaml_parse(w->arena, w->diags, f, 0, f->len, 1, w->limits, &failed);
  if (failed) {
    S_remember_probable_ids(w, f);
    return;
  }
  if (!root || node_is_null(root)) {
    diag_report(w->diags, NULL, S_file_loc(f), "schema-required",
                "the file holds no record: write a mapping (one record) or a list of them");
    return;
  }
  if (root->kind == NODE_MAPPING) {
    S_yaml_record(w, f, root, fkind);
  } else if (root->kind == NODE_SEQUENCE) {
    for (size_t i = 0; i < root->count; i++) {
      const Node *item = root->items[i];
      if (item->kind == NODE_MAPPING)
        S_yaml_record(w, f, item, fkind);
      else
        diag_report(w->diags, NULL, item->loc, "schema-type",
                    "a list of records holds mappings (id: ..., title: ...), not a %s",
                    item->kind == NODE_SCALAR ? "single value" : "list");
    }
  } else {
    diag_report(w->diags, NULL, root->loc, "schema-type",
                "a record file holds a mapping (one record) or a list of records, "
                "not a single value");
  }
}

static void S_load_markdown_file(Loader *w, const SourceFile *f, const char *fkind) {
  FrontMatter fm;
  if (!md_split(w->diags, f, &fm)) {
    S_remember_probable_ids(w, f);
    return;
  }
  bool failed = false;
  const Node *map = yaml_parse(w->arena, w->diags, f, fm.yaml_offset, fm.yaml_len, fm.yaml_line,
                               w->limits, &failed);
  if (failed) {
    S_remember_probable_ids(w, f);
    return;
  }
  if (!map || map->kind != NODE_MAPPING) {
    Loc loc = map ? map->loc : (Loc){f, fm.yaml_line, 1};
    diag_report(w->diags, NULL, loc, "front-matter",
                "front matter holds the record's fields as a mapping (id: ..., title: ...)");
    S_remember_probable_ids(w, f);
    return;
  }
  RawRecord *r = S_new_record(w, f, map, fkind);
  r->body_text = f->text + fm.body_offset;
  r->body_len = f->len - fm.body_offset;
  S_scan_body(w, r, fm.body_offset);
  S_add_record(w, r);
}

/* Does the text name a kind at the start of a line (`kind:` or `- kind:`)? Files outside
 * the record folders are read only if so, so that a docs/ page or a CI file is not parsed. */
static bool S_mentions_kind(const SourceFile *f) {
  for (const char *p = f->text; p; p = memchr(p, '\n', (size_t)(f->text + f->len - p))) {
    while (p < f->text + f->len && (*p == '\n' || *p == ' ' || *p == '-'))
      p++;
    if ((size_t)(f->text + f->len - p) >= 5 && memcmp(p, "kind:", 5) == 0)
      return true;
  }
  return false;
}

static bool S_is_project_file(const char *name) {
  static const char *const prefixes[] = {"README",       "LICENSE",    "LICENCE", "CHANGELOG",
                                         "CONTRIBUTING", "CODEOWNERS", "SECURITY"};
  for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
    if (strncasecmp(name, prefixes[i], strlen(prefixes[i])) == 0)
      return true;
  return false;
}

static void S_load_file(Loader *w, const FileJob *job) {
  SourceFile *f = load_source(w->arena, w->diags, w->source, job->relpath, w->limits);
  ptrvec_push(w->arena, &w->files, f);
  if (!f->text) {
    S_remember_probable_ids(w, f);
    return;
  }
  if (!job->fkind && !S_mentions_kind(f)) {
    diag_report(w->diags, NULL, S_file_loc(f), "file-ignored",
                "not in a record folder (%s) and has no `kind:`; not read", kind_folder_list());
    return;
  }
  if (S_is_yaml(job->name))
    S_load_yaml_file(w, f, job->fkind);
  else
    S_load_markdown_file(w, f, job->fkind);
}

/* Lists a file for loading, if it can hold records. */
static void S_add_job(Walker *w, const char *relpath, const char *name, const char *fkind) {
  if (!S_is_yaml(name) && !S_is_markdown(name))
    return;
  if (w->catalog && strcmp(relpath, w->catalog) == 0)
    return; /* the custom catalog: catalog.c reads it */
  if (!fkind && S_is_project_file(name))
    return;
  FileJob *job = arena_alloc(w->arena, sizeof *job);
  job->relpath = relpath;
  job->name = name;
  job->fkind = fkind;
  ptrvec_push(w->arena, &w->jobs, job);
}

/* isms.yaml's `limits:` must be known before any other file is read. Values that are not
 * positive whole numbers are left at their defaults here and reported by binding. */
static void S_apply_limits(Walker *w, const Node *manifest) {
  const Node *limits =
      node_get(manifest, schema_table(KIND_MANIFEST)->fields[MANIFEST_LIMITS].name);
  if (!limits || limits->kind != NODE_MAPPING)
    return;
  for (size_t i = 0; i < limits->count; i++) {
    const Node *k = limits->pairs[i].key, *v = limits->pairs[i].value;
    char *end;
    long long n = v->kind == NODE_SCALAR ? strtoll(v->text, &end, 10) : 0;
    if (k->kind != NODE_SCALAR || n <= 0 || *end)
      continue;
    switch (schema_field(&limits_table, k->text)) {
    case LIMITS_MAX_FILE_BYTES:
      w->limits->max_file_bytes = n > (1ll << 30) ? (size_t)1 << 30 : (size_t)n;
      break;
    case LIMITS_MAX_DEPTH: w->limits->max_depth = n > 100000 ? 100000 : (int)n; break;
    case LIMITS_MAX_ALIAS_NODES: w->limits->max_alias_nodes = (size_t)n; break;
    case LIMITS_MAX_ID_LENGTH: w->limits->max_id_length = (size_t)n; break;
    case LIMITS_MAX_RECORDS: w->limits->max_records = (size_t)n; break;
    case LIMITS_MAX_MARKDOWN_DEPTH:
      w->limits->max_markdown_depth = n > 100000 ? 100000 : (int)n;
      break;
    default: break;
    }
  }
}

static void S_load_manifest(Walker *w) {
  Tree *t = w->tree;
  if (t->source->stat(t->source, "isms.yaml") == SOURCE_MISSING) {
    SourceFile *f = S_stub_file(w->arena, "isms.yaml");
    t->manifest_file = f;
    diag_report(w->diags, NULL, S_file_loc(f), "schema-required",
                "no isms.yaml at the tree root: the manifest names the organisation, the "
                "catalog and the risk method (`ismsc init` writes one)");
    return;
  }
  SourceFile *f = load_source(w->arena, w->diags, t->source, "isms.yaml", w->limits);
  ptrvec_push(w->arena, &t->files, f);
  t->manifest_file = f;
  if (!f->text)
    return;
  bool failed = false;
  const Node *root = yaml_parse(w->arena, w->diags, f, 0, f->len, 1, w->limits, &failed);
  if (failed)
    return;
  if (!root || root->kind != NODE_MAPPING) {
    diag_report(w->diags, NULL, root ? root->loc : S_file_loc(f), "schema-type",
                "isms.yaml holds a mapping: organisation, catalog, risk, ...");
    return;
  }
  t->manifest = root;
  S_apply_limits(w, root);
  const Node *catalog = node_get(root, schema_table(KIND_MANIFEST)->fields[MANIFEST_CATALOG].name);
  if (catalog && catalog->kind == NODE_SCALAR)
    w->catalog = strncmp(catalog->text, "./", 2) == 0 ? catalog->text + 2 : catalog->text;
}

static void S_walk(Walker *w, const char *rel, const char *top, int depth);

static void S_report_file(Walker *w, const char *relpath, const char *rule, const char *msg,
                          int err) {
  Loc loc = S_file_loc(S_stub_file(w->arena, relpath));
  if (err)
    diag_report(w->diags, NULL, loc, rule, "%s: %s", msg, strerror(err));
  else
    diag_report(w->diags, NULL, loc, rule, "%s", msg);
}

static void S_visit(Walker *w, const char *rel, const SourceEntry *e, const char *top, int depth) {
  const char *name = e->name;
  char *relpath =
      rel[0] ? arena_concat(w->arena, rel, "/", name, NULL) : arena_strdup(w->arena, name);
  const char *this_top = top ? top : name;
  bool record_name = S_is_yaml(name) || S_is_markdown(name);
  switch (e->type) {
  case SOURCE_MISSING: return;
  case SOURCE_BROKEN_LINK:
    if (record_name)
      S_report_file(w, relpath, "file-unreadable", "symbolic link that cannot be followed", e->err);
    return;
  case SOURCE_LINKED_FOLDER:
    S_report_file(w, relpath, "file-ignored", "symbolically linked folder; not followed", 0);
    return;
  case SOURCE_OUTSIDE_LINK:
    if (record_name)
      S_report_file(w, relpath, "file-unreadable",
                    "symbolic link to a file outside the tree; not read", 0);
    return;
  case SOURCE_SPECIAL:
    if (record_name)
      S_report_file(w, relpath, "file-ignored",
                    "not a regular file (a pipe, socket or device); not read", 0);
    return;
  case SOURCE_FOLDER:
    if (record_name) {
      S_report_file(w, relpath, "file-unreadable",
                    "is a folder, not a file; a record file holds YAML or Markdown", 0);
      return;
    }
    S_walk(w, relpath, this_top, depth + 1);
    return;
  case SOURCE_FILE: break;
  }
  if (!top) { /* at the root */
    if (strcmp(name, "isms.yaml") == 0)
      return; /* read first, by S_load_manifest */
    S_add_job(w, relpath, name, strcmp(name, "scope.md") == 0 ? "scope" : NULL);
    return;
  }
  if (strcmp(top, "rules") == 0) {
    if (str_has_suffix(name, ".lua"))
      ptrvec_push(w->arena, &w->tree->rule_files,
                  load_source(w->arena, w->diags, w->tree->source, relpath, w->limits));
    return;
  }
  S_add_job(w, relpath, name, kind_of_folder(top));
}

static void S_walk(Walker *w, const char *rel, const char *top, int depth) {
  if (depth > MAX_FOLDER_DEPTH)
    return;
  const Source *src = w->tree->source;
  const char *marker = rel[0] ? arena_printf(w->arena, "%s/.ismsc-output", rel) : ".ismsc-output";
  if (src->stat(src, marker) != SOURCE_MISSING)
    return; /* a build output folder inside the tree */
  SourceEntry *entries;
  size_t count;
  if (!src->list(src, w->arena, rel, &entries, &count))
    return;
  for (size_t i = 0; i < count; i++) {
    if (!top &&
        (strcmp(entries[i].name, "evidence") == 0 || strcmp(entries[i].name, "templates") == 0))
      continue;
    S_visit(w, rel, &entries[i], top, depth);
  }
}

/* ---------------------------------------------------------------- workers */

enum { MAX_WORKERS = 8, FILES_PER_WORKER = 64 };

typedef struct Pool {
  FileJob **jobs;
  size_t njobs;
  atomic_size_t next;
} Pool;

typedef struct Worker {
  Arena arena;
  Diags diags;
  Loader loader;
  Pool *pool;
  pthread_t thread;
} Worker;

static void *S_work(void *arg) {
  Worker *wk = arg;
  Loader *ld = &wk->loader;

  for (;;) {
    size_t i = atomic_fetch_add(&wk->pool->next, 1);
    if (i >= wk->pool->njobs)
      break;
    FileJob *job = wk->pool->jobs[i];
    job->loader = ld;
    job->diags[0] = wk->diags.items.len;
    job->records[0] = ld->records.len;
    job->probable[0] = ld->probable.len;
    job->files[0] = ld->files.len;
    S_load_file(ld, job);
    job->diags[1] = wk->diags.items.len;
    job->records[1] = ld->records.len;
    job->probable[1] = ld->probable.len;
    job->files[1] = ld->files.len;
  }
  return NULL;
}

static size_t S_worker_count(size_t njobs) {
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  size_t n = cpus > 0 ? (size_t)cpus : 1;
  if (n > MAX_WORKERS)
    n = MAX_WORKERS;
  size_t useful = njobs / FILES_PER_WORKER;
  if (n > useful)
    n = useful ? useful : 1;
  return n;
}

/* Moves one job's results into the tree, in the walk's order. */
static void S_merge_job(Walker *w, const FileJob *job, bool *limit_reported) {
  Loader *ld = job->loader;
  Worker *wk = (Worker *)((char *)ld - offsetof(Worker, loader));
  for (size_t i = job->files[0]; i < job->files[1]; i++) {
    SourceFile *f = ld->files.items[i];
    f->arena = w->arena; /* the worker's arena is adopted by the run's */
    ptrvec_push(w->arena, &w->tree->files, f);
  }
  for (size_t i = job->diags[0]; i < job->diags[1]; i++)
    diags_adopt(w->diags, wk->diags.items.items[i]);
  for (size_t i = job->probable[0]; i < job->probable[1]; i++)
    hashmap_put(w->arena, &w->tree->probable_ids, ld->probable.items[i], (void *)job);
  for (size_t i = job->records[0]; i < job->records[1]; i++) {
    RawRecord *r = ld->records.items[i];
    if (w->tree->records.len < w->limits->max_records) {
      ptrvec_push(w->arena, &w->tree->records, r);
    } else if (!*limit_reported) {
      *limit_reported = true;
      diag_report(w->diags, NULL, r->map->loc, "input-limit",
                  "more than %zu records in the tree; the rest are not read "
                  "(limits.max_records)",
                  w->limits->max_records);
    }
  }
}

/* Loads every listed file on worker threads and merges the results in order. */
static void S_load_jobs(Walker *w) {
  /* cmark-gfm registers its extensions in a global list: do it before any thread starts. */
  cmark_gfm_core_extensions_ensure_registered();
  Pool pool = {(FileJob **)w->jobs.items, w->jobs.len, 0};
  size_t n = S_worker_count(pool.njobs);
  Worker *workers = calloc(n, sizeof *workers);
  if (!workers)
    abort();
  for (size_t i = 0; i < n; i++) {
    Worker *wk = &workers[i];
    arena_init(&wk->arena);
    diags_init(&wk->diags, &wk->arena);
    wk->loader = (Loader){&wk->arena, &wk->diags, w->limits, w->tree->source, {0}, {0}, {0}, false};
    wk->pool = &pool;
  }
  size_t started = 0;
  for (size_t i = 1; i < n; i++)
    if (pthread_create(&workers[i].thread, NULL, S_work, &workers[i]) == 0)
      started = i;
    else
      break;
  S_work(&workers[0]); /* the calling thread works too */
  for (size_t i = 1; i <= started; i++)
    pthread_join(workers[i].thread, NULL);
  bool limit_reported = false;
  for (size_t i = 0; i < pool.njobs; i++)
    S_merge_job(w, pool.jobs[i], &limit_reported);
  for (size_t i = 0; i < n; i++)
    arena_adopt(w->arena, &workers[i].arena);
  free(workers);
}

bool load_tree_from(Arena *a, Diags *d, const Source *src, Limits *lim, Tree *out) {
  memset(out, 0, sizeof *out);
  hashmap_init(&out->probable_ids);
  out->root = src->root;
  out->source = src;
  Walker w = {a, d, lim, out, {0}, NULL};
  S_load_manifest(&w);
  S_walk(&w, "", NULL, 0);
  S_load_jobs(&w);
  return true;
}

/* The kind a file's place implies: scope.md at the root, else its top folder's. */
static const char *S_place_kind(const char *relpath) {
  const char *slash = strchr(relpath, '/');
  if (!slash)
    return strcmp(relpath, "scope.md") == 0 ? "scope" : NULL;
  char top[64];
  size_t n = (size_t)(slash - relpath);
  if (n >= sizeof top)
    return NULL;
  memcpy(top, relpath, n);
  top[n] = '\0';
  return kind_of_folder(top);
}

void load_files_from(Arena *a, Diags *d, const Source *src, const char *const *paths, size_t n,
                     const Limits *lim, Tree *out) {
  memset(out, 0, sizeof *out);
  hashmap_init(&out->probable_ids);
  out->root = src->root;
  out->source = src;
  Loader ld = {a, d, lim, src, {0}, {0}, {0}, true};
  for (size_t i = 0; i < n; i++) {
    const char *name = strrchr(paths[i], '/');
    FileJob job = {paths[i], name ? name + 1 : paths[i], S_place_kind(paths[i]), &ld, {0}, {0}, {0},
                   {0}};
    S_load_file(&ld, &job);
  }
  out->records = ld.records;
  out->files = ld.files;
}

bool load_tree(Arena *a, Diags *d, const char *root, Limits *lim, Tree *out) {
  const Source *src = source_fs(a, root);
  if (!src) {
    memset(out, 0, sizeof *out);
    return false;
  }
  return load_tree_from(a, d, src, lim, out);
}
