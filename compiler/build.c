/* build.c - write the document set into OUT, all or nothing.
 *
 * What must stay true:
 * - A failed or interrupted build leaves the previous OUT as it was. Everything is written
 *   into a staging folder beside OUT, then swapped in with one renameat2(RENAME_EXCHANGE)
 *   (or one rename when there is no previous OUT); only then is the old set removed.
 * - A folder that ismsc did not make is never replaced: ismsc marks its output with a
 *   `.ismsc-output` file, and refuses an OUT that exists, is not empty and has no mark.
 *   (The mark also tells the loader not to read an output folder inside the tree.)
 * - An interrupted build (SIGINT, SIGTERM, SIGHUP) removes its staging folder.
 * - A file with the same bytes as in the set being replaced is that file, linked into the
 *   staging folder (out_file.h): an unchanged file keeps its modification time, and a
 *   rebuild creates and deletes only what changed. Nothing writes into an existing file.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <libxml/parser.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "emit.h"
#include "evidence.h"
#include "markdown.h"

static const char MARKER[] = ".ismsc-output";

/* The formats of the set: a document exists in a format when its row has the renderer's bit.
 * A new format is a renderer and its line here. */
static const Renderer *const renderers[] = {&emit_html_renderer, &emit_docx_renderer,
                                            &emit_xlsx_renderer};
enum { NRENDERERS = sizeof renderers / sizeof renderers[0] };

/* --only bits: renderer i is bit i, isms.json bit ONLY_JSON, registry row t bit ONLY_PART + t.
 * isms.json is a document of its own, not a format: `--only soa,json` is the SoA in every
 * format and isms.json, `--only soa` the SoA alone, `--only json` isms.json alone. */
enum { ONLY_JSON = 15, ONLY_PART = 16 };
#define ONLY_JSON_BIT (UINT64_C(1) << ONLY_JSON)
#define ONLY_FORMATS  (((UINT64_C(1) << ONLY_PART) - 1) & ~ONLY_JSON_BIT)

static uint64_t S_word_bit(const char *w) {
  for (size_t i = 0; i < NRENDERERS; i++)
    if (strcmp(w, renderers[i]->name) == 0)
      return UINT64_C(1) << i;
  if (strcmp(w, "json") == 0)
    return ONLY_JSON_BIT;
  size_t n;
  const DocType *types = doc_types(&n);
  const DocType *t = doc_type_find(w);
  return t ? UINT64_C(1) << (ONLY_PART + (size_t)(t - types)) : 0;
}

bool build_parse_only(const char *list, uint64_t *out, char *bad, size_t bad_size) {
  *out = 0;
  char *copy = strdup(list), *save = NULL;
  bool ok = true;
  for (char *w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
    uint64_t bit = S_word_bit(w);
    if (!bit) {
      snprintf(bad, bad_size, "%s", w);
      ok = false;
      break;
    }
    *out |= bit;
  }
  free(copy);
  return ok;
}

const char *build_only_words(void) {
  static char words[512];
  size_t n, len = 0;
  const DocType *types = doc_types(&n);
  for (size_t i = 0; i < n; i++)
    len += (size_t)snprintf(words + len, sizeof words - len, "%s, ", types[i].part);
  for (size_t i = 0; i < NRENDERERS; i++)
    len += (size_t)snprintf(words + len, sizeof words - len, "%s, ", renderers[i]->name);
  snprintf(words + len, sizeof words - len, "json");
  return words;
}

/* --only selects formats and parts independently: no format named means every format, no
 * part named every part; isms.json belongs to no part. */
static bool S_format_selected(uint64_t only, uint64_t bit) {
  return !(only & ONLY_FORMATS) || (only & bit);
}

bool build_wants_json(uint64_t only) { return !only || (only & ONLY_JSON_BIT); }

bool build_wants_html(uint64_t only) { return S_format_selected(only, 1); }

bool build_wants_documents(uint64_t only) { return only != ONLY_JSON_BIT; }

/* Does --only select this document in renderer i's format? */
static bool S_selected(uint64_t only, const Document *d, size_t renderer) {
  if (!(d->type->formats & renderers[renderer]->format))
    return false;
  if (!S_format_selected(only, UINT64_C(1) << renderer))
    return false;
  size_t n;
  const DocType *types = doc_types(&n);
  uint64_t parts = only & ~ONLY_FORMATS & ~ONLY_JSON_BIT;
  if (!parts && only == ONLY_JSON_BIT)
    return false; /* --only json */
  return !parts || (parts & (UINT64_C(1) << (ONLY_PART + (size_t)(d->type - types))));
}

/* ---------------------------------------------------------------- staging and cleanup */

static char staging_path[4096];

/* The signal that interrupted the build, or 0. The handler only records it (removing a
 * tree is not async-signal-safe); the writer stops at the next file, build_write removes the
 * staging folder and then dies of the same signal. */
static volatile sig_atomic_t interrupted;

static void S_on_signal(int sig) { interrupted = sig; }

static void S_guard_signals(bool on) {
  static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
  for (size_t i = 0; i < 3; i++) {
    struct sigaction sa = {.sa_handler = on ? S_on_signal : SIG_DFL};
    sigemptyset(&sa.sa_mask);
    sigaction(sigs[i], &sa, NULL);
  }
}

static bool S_mkdirs(const char *path) {
  char *copy = strdup(path);
  for (char *p = copy + 1; *p; p++) {
    if (*p != '/')
      continue;
    *p = '\0';
    if (mkdir(copy, 0777) != 0 && errno != EEXIST) {
      free(copy);
      return false;
    }
    *p = '/';
  }
  bool ok = mkdir(copy, 0777) == 0 || errno == EEXIST;
  free(copy);
  return ok;
}

/* Is OUT something we may replace: missing, an empty folder, or a folder we made? */
static bool S_replaceable(const char *out, bool *exists) {
  struct stat st;
  *exists = lstat(out, &st) == 0;
  if (!*exists)
    return true;
  if (!S_ISDIR(st.st_mode)) {
    fprintf(stderr, "ismsc: '%s' exists and is not a folder; not replacing it\n", out);
    return false;
  }
  char *marker;
  if (asprintf(&marker, "%s/%s", out, MARKER) < 0)
    return false;
  bool ours = access(marker, F_OK) == 0;
  free(marker);
  if (ours)
    return true;
  DIR *dir = opendir(out);
  struct dirent *e;
  bool empty = true;
  while (dir && (e = readdir(dir)) != NULL)
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
      empty = false;
  if (dir)
    closedir(dir);
  if (!empty)
    fprintf(stderr, "ismsc: '%s' is a folder ismsc did not make (it has no %s); not replacing it\n",
            out, MARKER);
  return empty;
}

/* root/name.ext, with the folders it needs made; the caller frees it. Most files sit in
 * root itself, which exists: only a name with a folder in it makes folders (one mkdir(2)
 * when the folder is there already, instead of one per component of the whole path). */
static char *S_path(const char *root, const char *name, const char *ext) {
  char *path;
  if (asprintf(&path, "%s/%s%s", root, name, ext) < 0)
    return NULL;
  char *slash = strrchr(path, '/');
  if (slash > path + strlen(root)) {
    *slash = '\0';
    if (mkdir(path, 0777) != 0 && errno != EEXIST)
      S_mkdirs(path);
    *slash = '/';
  }
  return path;
}

/* Where name.ext goes: in the staging folder root (folders made), under the same name as
 * in the set being replaced (previous: NULL when there is none). The caller frees it with
 * S_out_free; out.path is NULL when out of memory. */
static OutFile S_out(const char *root, OutPrevious *previous, const char *name,
                     const char *ext) {
  char *rel = NULL;
  if (asprintf(&rel, "%s%s", name, ext) < 0)
    rel = NULL;
  char *path = rel ? S_path(root, name, ext) : NULL;
  return (OutFile){path, rel, previous, NULL};
}

static void S_out_free(OutFile *out) {
  free((char *)out->path);
  free((char *)out->name);
}

/* Puts data at root/name (see S_out); false after printing why. */
static bool S_put(const char *root, OutPrevious *previous, const char *shown_root,
                  const char *name, const char *data, size_t len) {
  OutFile out = S_out(root, previous, name, "");
  bool ok = out.path && out_file_write(&out, data, len);
  if (!ok)
    fprintf(stderr, "ismsc: cannot write %s/%s: %s\n", shown_root, name, strerror(errno));
  S_out_free(&out);
  return ok;
}

/* ---------------------------------------------------------------- writing */

/* A document's body, shared by its renders in each format, which may run on several
 * workers at once: the first to start builds it, the others wait for it, the last to finish
 * frees it. */
enum { BODY_NONE, BODY_BUILDING, BODY_BUILT };
typedef struct Body {
  pthread_mutex_t lock;
  pthread_cond_t ready;
  atomic_int state; /* changed under lock; read without it to choose a job (S_take) */
  size_t renders_left; /* the document's jobs not yet finished */
  Arena arena;
} Body;

/* One job: isms.json (doc SIZE_MAX), or one document in one format. */
typedef struct Job {
  size_t doc, renderer;
} Job;

/* What the workers share. Jobs are taken in order: isms.json first (one of the longest),
 * then each document's formats one after another, so the HTML, DOCX and XLSX of a large
 * register are written on different cores at the same time; but a worker whose next job's
 * body another worker is still building takes a later job instead of waiting (S_take). A
 * build's memory is that of the bodies in progress (a few per worker), not of the set.
 * Each job writes only its own file, so the output is the same whatever the scheduling. */
typedef struct Writing {
  const BuildOptions *opt;
  const DocSet *set;
  const EmitContext *ctx;
  const char *root;
  OutPrevious *previous; /* the set being replaced (OUT), or NULL: there is none */
  void *state[NRENDERERS]; /* each renderer's open() */
  bool wanted[NRENDERERS]; /* some document is selected in this format */
  Job *jobs;
  bool *taken; /* per job */
  size_t njobs;
  Body *bodies;         /* one per document */
  pthread_mutex_t lock; /* guards the fields below */
  size_t next;          /* no job before this one is left */
  size_t written;
  bool failed;
} Writing;

/* Made in memory and put with one write. */
static bool S_write_json(const Writing *w) {
  char *bytes = NULL;
  size_t len = 0;
  bool ok = emit_json_model(w->ctx, &bytes, &len);
  if (ok)
    ok = S_put(w->root, w->previous, w->opt->out, "isms.json", bytes, len);
  else /* jansson or memory: no errno to show */
    fprintf(stderr, "ismsc: cannot make %s/isms.json\n", w->opt->out);
  free(bytes);
  return ok;
}

/* The jobs of the selection, in the order above; false when out of memory. */
static bool S_plan_jobs(Writing *w) {
  size_t ndocs = w->set->documents.len;
  w->jobs = malloc((1 + ndocs * NRENDERERS) * sizeof *w->jobs);
  w->taken = calloc(1 + ndocs * NRENDERERS, sizeof *w->taken);
  w->bodies = calloc(ndocs ? ndocs : 1, sizeof *w->bodies);
  if (!w->jobs || !w->taken || !w->bodies)
    return false;
  if (build_wants_json(w->opt->only))
    w->jobs[w->njobs++] = (Job){SIZE_MAX, 0};
  for (size_t i = 0; i < ndocs; i++) {
    Body *b = &w->bodies[i];
    pthread_mutex_init(&b->lock, NULL);
    pthread_cond_init(&b->ready, NULL);
    for (size_t r = 0; r < NRENDERERS; r++)
      if (S_selected(w->opt->only, w->set->documents.items[i], r)) {
        w->jobs[w->njobs++] = (Job){i, r};
        b->renders_left++;
      }
  }
  return true;
}

static void S_free_jobs(Writing *w) {
  for (size_t i = 0; w->bodies && i < w->set->documents.len; i++) {
    pthread_mutex_destroy(&w->bodies[i].lock);
    pthread_cond_destroy(&w->bodies[i].ready);
  }
  free(w->bodies);
  free(w->taken);
  free(w->jobs);
}

/* The document's body, built by this worker unless another has built it or is building it. */
static void S_body_acquire(Writing *w, size_t doc) {
  Body *b = &w->bodies[doc];
  pthread_mutex_lock(&b->lock);
  if (b->state == BODY_NONE) {
    b->state = BODY_BUILDING;
    pthread_mutex_unlock(&b->lock);
    arena_init(&b->arena);
    docs_build_body(w->set, w->set->documents.items[doc], &b->arena);
    pthread_mutex_lock(&b->lock);
    b->state = BODY_BUILT;
    pthread_cond_broadcast(&b->ready);
  }
  while (b->state != BODY_BUILT)
    pthread_cond_wait(&b->ready, &b->lock);
  pthread_mutex_unlock(&b->lock);
}

/* One render of the document is done (or skipped); the last one frees the body, if it was
 * built (an arena never used frees nothing). */
static void S_body_release(Writing *w, size_t doc) {
  Body *b = &w->bodies[doc];
  pthread_mutex_lock(&b->lock);
  bool last = --b->renders_left == 0;
  pthread_mutex_unlock(&b->lock);
  if (last) {
    docs_free_body(w->set->documents.items[doc]);
    arena_free(&b->arena);
  }
}

/* Runs one job, a document's bytes made in buf (the worker's); false on a failure (after
 * printing why). */
static bool S_job(Writing *w, const Job *job, OutBuffer *buf) {
  if (job->doc == SIZE_MAX)
    return S_write_json(w);
  Document *d = w->set->documents.items[job->doc];
  const Renderer *r = renderers[job->renderer];
  S_body_acquire(w, job->doc);
  OutFile out = S_out(w->root, w->previous, d->name, r->extension);
  out.buffer = buf;
  bool ok = out.path && r->render(w->ctx, w->state[job->renderer], d, &out);
  if (!ok)
    fprintf(stderr, "ismsc: cannot write %s/%s%s\n", w->opt->out, d->name, r->extension);
  S_out_free(&out);
  S_body_release(w, job->doc);
  return ok;
}

/* How far past the first job left a worker looks for one it can start at once. */
enum { LOOKAHEAD = 16 };

/* The job this worker takes (under w->lock), njobs when none is left: the first left, unless
 * another worker is building its body (the register's takes a tenth of a second), then the
 * first of the next few whose body is not being built, so that no core sits waiting. */
static size_t S_take(Writing *w) {
  while (w->next < w->njobs && w->taken[w->next])
    w->next++;
  size_t pick = w->next;
  for (size_t i = w->next; i < w->njobs && i < w->next + LOOKAHEAD; i++) {
    const Job *job = &w->jobs[i];
    if (!w->taken[i] &&
        (job->doc == SIZE_MAX || atomic_load(&w->bodies[job->doc].state) != BODY_BUILDING)) {
      pick = i;
      break;
    }
  }
  if (pick < w->njobs)
    w->taken[pick] = true;
  return pick;
}

/* After a failure or an interruption the remaining jobs are skipped, but each still counts
 * as finished, so a body another worker built is freed all the same. */
static void *S_worker(void *arg) {
  Writing *w = arg;
  OutBuffer buf = {0}; /* kept from job to job: see out_file.h */
  for (;;) {
    pthread_mutex_lock(&w->lock);
    size_t i = S_take(w);
    bool skip = w->failed || interrupted;
    pthread_mutex_unlock(&w->lock);
    if (i >= w->njobs)
      break;
    const Job *job = &w->jobs[i];
    if (skip) {
      if (job->doc != SIZE_MAX)
        S_body_release(w, job->doc);
      continue;
    }
    bool ok = S_job(w, job, &buf);
    pthread_mutex_lock(&w->lock);
    if (!ok)
      w->failed = true;
    else
      w->written++;
    pthread_mutex_unlock(&w->lock);
  }
  out_buffer_free(&buf);
  return NULL;
}

/* Opens the renderers some selected document needs (the DOCX kit reads the reference DOCX
 * once), before any worker starts. */
static bool S_open_renderers(Writing *w) {
  for (size_t i = 0; i < w->set->documents.len; i++)
    for (size_t r = 0; r < NRENDERERS; r++)
      w->wanted[r] = w->wanted[r] || S_selected(w->opt->only, w->set->documents.items[i], r);
  for (size_t r = 0; r < NRENDERERS; r++)
    if (w->wanted[r] && renderers[r]->open && !renderers[r]->open(w->ctx, &w->state[r]))
      return false;
  return true;
}

static void S_close_renderers(Writing *w) {
  for (size_t r = 0; r < NRENDERERS; r++)
    if (w->wanted[r] && renderers[r]->close)
      renderers[r]->close(w->state[r]);
}

/* One worker per core, at most one per job. */
static size_t S_workers(size_t jobs) {
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  size_t n = cores > 0 ? (size_t)cores : 1;
  if (n > 16)
    n = 16;
  return n < jobs ? n : (jobs ? jobs : 1);
}

/* The DOC_* bits of the formats --only selects (every format when it names none). */
static unsigned S_built_formats(uint64_t only) {
  unsigned formats = 0;
  for (size_t i = 0; i < NRENDERERS; i++)
    if (S_format_selected(only, UINT64_C(1) << i))
      formats |= renderers[i]->format;
  return formats;
}

static bool S_write_documents(const BuildOptions *opt, const DocSet *set, const EmitContext *given,
                              const char *root, OutPrevious *previous, size_t *written) {
  EmitContext built = *given; /* and which formats are written, for the pages' download links */
  built.built_formats = S_built_formats(opt->only);
  const EmitContext *ctx = &built;
  Writing w = {.opt = opt, .set = set, .ctx = ctx, .root = root, .previous = previous};
  pthread_mutex_init(&w.lock, NULL);
  bool ok = S_plan_jobs(&w) && S_open_renderers(&w);
  if (ok) {
    xmlInitParser(); /* libxml2's global state, before threads use it */
    md_init();       /* cmark-gfm's extensions, likewise */
    size_t nworkers = S_workers(w.njobs);
    pthread_t threads[16];
    size_t started = 0;
    for (size_t i = 1; i < nworkers; i++)
      if (pthread_create(&threads[started], NULL, S_worker, &w) == 0)
        started++;
    S_worker(&w); /* this thread works too */
    for (size_t i = 0; i < started; i++)
      pthread_join(threads[i], NULL);
    ok = !w.failed;
  }
  S_close_renderers(&w);
  S_free_jobs(&w);
  pthread_mutex_destroy(&w.lock);
  *written = w.written;
  return ok && !interrupted;
}

/* --with-evidence: each cited file, read through the tree's Source (so a link out of the
 * tree is never followed), at its tree path below OUT/evidence/. A file that cannot be read
 * is already an evidence-missing finding; it is left out. */
static bool S_copy_evidence(const BuildOptions *opt, const EmitContext *ctx, const char *root,
                            OutPrevious *previous, size_t *written) {
  Arena a;
  arena_init(&a);
  const Source *src = ctx->model->tree->source;
  PtrVec paths = evidence_paths(ctx->model, &a);
  bool ok = true;
  for (size_t i = 0; ok && i < paths.len; i++) {
    const char *path = paths.items[i];
    SourceRead rd = src->read(src, &a, path, SIZE_MAX);
    if (!rd.text)
      continue;
    ok = S_put(root, previous, opt->out, arena_printf(&a, "evidence/%s", path), rd.text, rd.len);
    if (ok)
      (*written)++;
  }
  arena_free(&a);
  return ok;
}

/* The set's files (*written of them, *kept of those unchanged), then the mark. */
static bool S_write_all(const BuildOptions *opt, const DocSet *set, const EmitContext *ctx,
                        const char *root, OutPrevious *previous, size_t *written,
                        size_t *kept) {
  *written = 0;
  if (!S_write_documents(opt, set, ctx, root, previous, written))
    return false;
  if (opt->with_evidence && !S_copy_evidence(opt, ctx, root, previous, written))
    return false;
  *kept = previous ? atomic_load(&previous->kept) : 0; /* the mark is not one of the set */
  static const char mark[] =
      "This folder was written by ismsc build and is replaced by the next build.\n";
  return S_put(root, previous, opt->out, MARKER, mark, sizeof mark - 1);
}

/* Staging folders of builds that were killed outright (SIGKILL, power loss) cannot clean
 * up after themselves: the next build removes those whose process is gone. */
static void S_remove_stale_staging(const char *dir, const char *base) {
  DIR *d = opendir(dir);
  if (!d)
    return;
  char *prefix;
  if (asprintf(&prefix, ".%s.staging-", base) < 0) {
    closedir(d);
    return;
  }
  size_t n = strlen(prefix);
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (strncmp(e->d_name, prefix, n) != 0)
      continue;
    char *end;
    long pid = strtol(e->d_name + n, &end, 10);
    if (pid <= 0 || (*end && strcmp(end, ".old") != 0))
      continue;
    if (pid != (long)getpid() && (kill((pid_t)pid, 0) == 0 || errno != ESRCH))
      continue; /* a build still running */
    char *path;
    if (asprintf(&path, "%s/%s", dir, e->d_name) >= 0) {
      remove_tree(path);
      free(path);
    }
  }
  free(prefix);
  closedir(d);
}

bool build_write(const BuildOptions *opt, const DocSet *set, const EmitContext *ctx,
                 size_t *written, size_t *kept) {
  *kept = 0;
  bool exists;
  if (!S_replaceable(opt->out, &exists))
    return false;
  char *copy = strdup(opt->out);
  char *base = basename(copy);
  char *dcopy = strdup(opt->out);
  char *dir = dirname(dcopy);
  if (!S_mkdirs(dir)) {
    fprintf(stderr, "ismsc: cannot create %s: %s\n", dir, strerror(errno));
    free(copy);
    free(dcopy);
    return false;
  }
  if (snprintf(staging_path, sizeof staging_path, "%s/.%s.staging-%ld", dir, base,
               (long)getpid()) >= (int)sizeof staging_path) {
    fprintf(stderr, "ismsc: output path too long\n");
    free(copy);
    free(dcopy);
    return false;
  }
  S_remove_stale_staging(dir, base);
  free(copy);
  free(dcopy);
  interrupted = 0;
  S_guard_signals(true);
  OutPrevious previous;
  bool shared = exists && out_previous_open(&previous, opt->out);
  bool ok = mkdir(staging_path, 0777) == 0 &&
            S_write_all(opt, set, ctx, staging_path, shared ? &previous : NULL, written, kept);
  if (shared)
    out_previous_close(&previous);
  ok = ok && !interrupted;
  if (ok) {
    if (exists && renameat2(AT_FDCWD, staging_path, AT_FDCWD, opt->out, RENAME_EXCHANGE) == 0) {
      remove_tree(staging_path); /* now the previous set */
    } else if (exists && errno == ENOTEMPTY) {
      ok = false;
    } else if (exists && (errno == EINVAL || errno == ENOSYS)) {
      /* No atomic exchange on this file system: move the old set aside first. */
      char *old = NULL;
      ok = asprintf(&old, "%s.old", staging_path) >= 0;
      ok = ok && rename(opt->out, old) == 0 && rename(staging_path, opt->out) == 0;
      if (ok)
        remove_tree(old);
      free(old);
    } else if (!exists || errno == ENOENT) {
      if (exists)
        rmdir(opt->out);
      ok = rename(staging_path, opt->out) == 0;
    } else {
      ok = false;
    }
    if (!ok)
      fprintf(stderr, "ismsc: cannot move the new set into %s: %s\n", opt->out, strerror(errno));
  }
  if (!ok)
    remove_tree(staging_path);
  S_guard_signals(false);
  staging_path[0] = '\0';
  if (interrupted) /* after the swap, if it happened: OUT is the old set or the new one */
    raise(interrupted);
  return ok;
}
