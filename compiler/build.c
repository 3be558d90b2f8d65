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
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "emit.h"

static const char MARKER[] = ".ismsc-output";

bool build_parse_only(const char *list, unsigned *out, char *bad, size_t bad_size) {
  static const struct {
    const char *word;
    unsigned bits;
  } words[] = {
      {"html", BUILD_HTML},   {"docx", BUILD_DOCX},   {"json", BUILD_JSON},
      {"index", BUILD_INDEX}, {"soa", BUILD_SOA},     {"rtp", BUILD_RTP},
      {"risks", BUILD_RISKS}, {"trace", BUILD_TRACE}, {"policies", BUILD_POLICIES},
  };
  *out = 0;
  char *copy = strdup(list), *save = NULL;
  bool ok = true;
  for (char *w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
    unsigned bits = 0;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
      if (strcmp(w, words[i].word) == 0)
        bits = words[i].bits;
    if (!bits) {
      snprintf(bad, bad_size, "%s", w);
      ok = false;
      break;
    }
    *out |= bits;
  }
  free(copy);
  return ok;
}

/* Does --only select this document in this format? */
static bool S_selected(unsigned only, const Document *d, unsigned format) {
  if (!only)
    return true;
  unsigned formats = only & BUILD_FORMATS, docs = only & ~(unsigned)BUILD_FORMATS;
  if (formats && !(formats & format))
    return false;
  if (!docs)
    return true;
  if (strncmp(d->name, "policies/", 9) == 0)
    return docs & BUILD_POLICIES;
  static const struct {
    const char *name;
    unsigned bit;
  } names[] = {{"index", BUILD_INDEX},
               {"soa", BUILD_SOA},
               {"rtp", BUILD_RTP},
               {"risks", BUILD_RISKS},
               {"trace", BUILD_TRACE}};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (strcmp(d->name, names[i].name) == 0)
      return docs & names[i].bit;
  return false;
}

/* ---------------------------------------------------------------- staging and cleanup */

static char staging_path[4096];

/* The signal that interrupted the build, or 0. The handler only records it (removing a
 * tree is not async-signal-safe); the writer stops at the next file, build_write removes the
 * staging folder and then dies of the same signal. */
static volatile sig_atomic_t interrupted;

static void S_on_signal(int sig) {
  interrupted = sig;
}

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

/* root/name.ext, with the folders it needs made; the caller frees it. */
static char *S_path(const char *root, const char *name, const char *ext) {
  char *path;
  if (asprintf(&path, "%s/%s%s", root, name, ext) < 0)
    return NULL;
  char *slash = strrchr(path, '/');
  *slash = '\0';
  S_mkdirs(path);
  *slash = '/';
  return path;
}

static FILE *S_open(const char *root, const char *name, const char *ext) {
  char *path = S_path(root, name, ext);
  FILE *f = path ? fopen(path, "wb") : NULL;
  free(path);
  return f;
}

static bool S_close(FILE *f) {
  bool ok = fflush(f) == 0 && !ferror(f);
  return fclose(f) == 0 && ok;
}

/* ---------------------------------------------------------------- writing */

static bool S_write_html(const BuildOptions *opt, const EmitContext *ctx, const char *root,
                         const Document *d) {
  FILE *f = S_open(root, d->name, ".html");
  if (!f || !emit_html_document(ctx, d, f) || !S_close(f)) {
    fprintf(stderr, "ismsc: cannot write %s/%s.html: %s\n", opt->out, d->name, strerror(errno));
    return false;
  }
  return true;
}

/* The DOCX documents share parts (the reference DOCX among them): *kit reads them once, at
 * the first DOCX of the build. */
static bool S_write_docx(const BuildOptions *opt, const EmitContext *ctx, const char *root,
                         const Document *d, DocxKit **kit) {
  if (!*kit && !(*kit = emit_docx_kit_new(ctx)))
    return false;
  EmitContext dctx = *ctx;
  dctx.docx_kit = *kit;
  char *path = S_path(root, d->name, ".docx");
  bool ok = path && emit_docx_document(&dctx, d, path);
  if (!ok)
    fprintf(stderr, "ismsc: cannot write %s/%s.docx\n", opt->out, d->name);
  free(path);
  return ok;
}

/* Each document's content is built, written in every selected format, and freed before the
 * next one is built: a build's memory is that of its largest document, not of the set. */
static bool S_write_documents(const BuildOptions *opt, const DocSet *set, const EmitContext *ctx,
                              const char *root, size_t *written) {
  DocxKit *kit = NULL;
  bool ok = true;
  for (size_t i = 0; ok && i < set->documents.len; i++) {
    Document *d = set->documents.items[i];
    bool html = S_selected(opt->only, d, BUILD_HTML);
    bool docx = emit_docx_wanted(d) && S_selected(opt->only, d, BUILD_DOCX);
    if (!html && !docx)
      continue;
    if (interrupted)
      break;
    Arena a;
    arena_init(&a);
    docs_build_body(set, d, &a);
    if (html && (ok = S_write_html(opt, ctx, root, d)))
      (*written)++;
    if (ok && docx && (ok = S_write_docx(opt, ctx, root, d, &kit)))
      (*written)++;
    d->body = NULL;
    arena_free(&a);
  }
  emit_docx_kit_free(kit);
  return ok && !interrupted;
}

static bool S_write_all(const BuildOptions *opt, const DocSet *set, const EmitContext *ctx,
                        const char *root, size_t *written) {
  *written = 0;
  if (!S_write_documents(opt, set, ctx, root, written))
    return false;
  if (!opt->only || (opt->only & BUILD_JSON) || !(opt->only & BUILD_FORMATS)) {
    FILE *f = S_open(root, "isms", ".json");
    if (!f || !emit_json_model(ctx, f) || !S_close(f)) {
      fprintf(stderr, "ismsc: cannot write %s/isms.json: %s\n", opt->out, strerror(errno));
      return false;
    }
    (*written)++;
  }
  FILE *f = S_open(root, MARKER, "");
  if (!f ||
      fputs("This folder was written by ismsc build and is replaced by the next build.\n", f) < 0 ||
      !S_close(f))
    return false;
  return true;
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
                 size_t *written) {
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
  bool ok = mkdir(staging_path, 0777) == 0 && S_write_all(opt, set, ctx, staging_path, written);
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
