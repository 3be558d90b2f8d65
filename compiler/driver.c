/* driver.c - calls the stages in order and nothing else (DESIGN.md, "The pipeline"). */
#include "driver.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "check.h"
#include "diff.h"
#include "doc.h"
#include "embedded.h"
#include "git_rules.h"
#include "history.h"
#include "emit.h"
#include "load.h"
#include "lua_rules.h"
#include "model.h"
#include "resolve.h"

bool driver_today(const Options *opt, Date *today) {
  if (opt->has_date) {
    *today = opt->date;
    return true;
  }
  const char *sde = getenv("SOURCE_DATE_EPOCH");
  time_t t = time(NULL);
  if (sde && *sde) {
    char *end;
    errno = 0;
    long long v = strtoll(sde, &end, 10);
    if (*end || errno || v < 0) {
      fprintf(stderr, "ismsc: SOURCE_DATE_EPOCH '%s' is not a number of seconds\n", sde);
      return false;
    }
    t = (time_t)v;
  }
  *today = date_from_days((long)(t / 86400));
  return true;
}

/* Paths in diagnostics are shown as the user named the tree, so they can be opened from
 * where the command was run. */
const char *driver_path_prefix(Arena *a, const char *tree) {
  if (strcmp(tree, ".") == 0 || strcmp(tree, "./") == 0)
    return "";
  size_t n = strlen(tree);
  while (n > 1 && tree[n - 1] == '/')
    n--;
  return arena_printf(a, "%.*s/", (int)n, tree);
}

static bool S_exists(Arena *a, const char *dir, const char *name) {
  struct stat st;
  return stat(arena_printf(a, "%s%s%s", dir, strcmp(dir, "/") ? "/" : "", name), &st) == 0;
}

/* The relative path from folder `from` to folder `to` (both absolute and real), ending in
 * '/', or "" when they are the same. */
static const char *S_relative(Arena *a, const char *from, const char *to) {
  size_t common = 0;
  for (size_t i = 0;; i++) {
    bool end_from = from[i] == '\0' || from[i] == '/', end_to = to[i] == '\0' || to[i] == '/';
    if (end_from && end_to)
      common = i;
    if (from[i] != to[i] || !from[i])
      break;
  }
  const char *up = "";
  for (const char *p = from + common; *p; p++)
    if (*p == '/' && p[1])
      up = arena_printf(a, "%s../", up);
  const char *down = to[common] == '/' ? to + common + 1 : to + common;
  return *down ? arena_printf(a, "%s%s/", up, down) : up;
}

bool driver_find_root(Arena *a, const char *start, Options *opt, const char **why) {
  char *real = realpath(start, NULL);
  struct stat st;
  if (real && stat(real, &st) == 0 && S_ISREG(st.st_mode)) {
    /* `ismsc check risks/R-001.yaml` checks the tree the file is in, as git finds a file's
     * repository: the search starts at the file's folder. */
    char *slash = strrchr(real, '/');
    slash[slash == real] = '\0';
    const char *s = strrchr(start, '/');
    start = s ? arena_printf(a, "%.*s", s == start ? 1 : (int)(s - start), start) : ".";
  }
  if (!real || stat(real, &st) != 0 || !S_ISDIR(st.st_mode)) {
    *why = arena_printf(a, "'%s' is not a folder%s%s", start, real ? "" : ": ",
                        real ? "" : strerror(errno));
    free(real);
    return false;
  }
  char *dir = arena_strdup(a, real);
  free(real);
  int up = 0;
  while (!S_exists(a, dir, "isms.yaml")) {
    if (strcmp(dir, "/") == 0) {
      *why = arena_printf(a,
                          "not in an ISMS tree: no isms.yaml in '%s' or any folder above it "
                          "(start one with 'ismsc init DIR')",
                          start);
      return false;
    }
    char *slash = strrchr(dir, '/');
    slash[slash == dir] = '\0';
    up++;
  }
  if (up == 0) {
    opt->tree = start;
    opt->tree_prefix = driver_path_prefix(a, start);
  } else if (start[0] == '/') {
    opt->tree = dir;
    opt->tree_prefix = strcmp(dir, "/") ? arena_printf(a, "%s/", dir) : "/";
  } else {
    char *cwd = realpath(".", NULL);
    opt->tree_prefix = cwd ? S_relative(a, cwd, dir) : arena_printf(a, "%s/", dir);
    free(cwd);
    size_t n = strlen(opt->tree_prefix);
    opt->tree = n ? arena_printf(a, "%.*s", (int)(n - 1), opt->tree_prefix) : ".";
  }
  return true;
}

/* Where the tree sits in its Git work tree, for the CI formats: ro->repo_prefix ("" or
 * "isms/"; NULL outside Git) and ro->root_uri (the work tree's, else the tree's). */
static void S_repo_location(Arena *a, const char *tree, RenderOptions *ro) {
  char *real = realpath(tree, NULL);
  const char *root = real ? arena_strdup(a, real) : tree;
  free(real);
  ro->repo_prefix = NULL;
  const char *base = root;
  git_libgit2_init();
  git_buf found = {0};
  git_repository *repo = NULL;
  if (git_repository_discover(&found, root, 0, NULL) == 0 &&
      git_repository_open(&repo, found.ptr) == 0 && git_repository_workdir(repo)) {
    char *wd = realpath(git_repository_workdir(repo), NULL);
    size_t n = wd ? strlen(wd) : 0;
    if (wd && strncmp(root, wd, n) == 0 && (root[n] == '/' || root[n] == '\0')) {
      base = arena_strdup(a, wd);
      ro->repo_prefix = root[n] ? arena_printf(a, "%s/", root + n + 1) : "";
    }
    free(wd);
  }
  git_repository_free(repo);
  git_buf_dispose(&found);
  git_libgit2_shutdown();
  ro->root_uri = arena_printf(a, "file://%s%s", base, strcmp(base, "/") ? "/" : "");
}

typedef Compilation Run;

void driver_compile(Compilation *c, const GitOrigin *origin) {
  memset(&c->model, 0, sizeof c->model);
  c->model.limits = c->limits;
  model_bind(&c->model, &c->arena, &c->diags, &c->tree, c->today);
  resolve(&c->model);
  check_structure(&c->model);
  lua_rules_run(&c->model);
  if (origin)
    git_rules_run(&c->model, origin->repo, origin->prefix, origin->start);
  else
    git_rules_run_worktree(&c->model, c->tree.root, c->keep_history);
  check_rule_settings(&c->model);
  diags_finish(&c->diags);
}

void driver_compilation_init(Compilation *c, Date today) {
  arena_init(&c->arena);
  diags_init(&c->diags, &c->arena);
  limits_default(&c->limits);
  c->today = today;
  c->keep_history = NULL;
}

/* Every stage up to a settled list of diagnostics; with no tree, an empty model. */
static bool S_stages(const Options *opt, Run *run, bool load, GitHistory *keep) {
  driver_compilation_init(run, run->today);
  run->keep_history = keep;
  memset(&run->tree, 0, sizeof run->tree);
  run->tree.root = ".";
  if (load && !load_tree(&run->arena, &run->diags, opt->tree, &run->limits, &run->tree)) {
    fprintf(stderr, "ismsc: cannot read the tree '%s': %s\n", opt->tree,
            errno ? strerror(errno) : "not a folder");
    return false;
  }
  driver_compile(run, NULL);
  return true;
}

static void S_render(const Options *opt, Run *run) {
  RenderOptions ro = {.format = opt->format,
                      .color = opt->color,
                      .quiet = opt->quiet,
                      .all = opt->value[OPT_ALL] != NULL,
                      .path_prefix = opt->tree_prefix,
                      .tool_version = ISMSC_VERSION};
  if (opt->format != FORMAT_TEXT && opt->format != FORMAT_JSON)
    S_repo_location(&run->arena, opt->tree, &ro);
  const char *summary = getenv("GITHUB_STEP_SUMMARY");
  if (opt->format == FORMAT_GITHUB && summary && *summary) {
    ro.step_summary = fopen(summary, "a");
    if (!ro.step_summary)
      fprintf(stderr, "ismsc: cannot write the job summary %s: %s\n", summary, strerror(errno));
  }
  diags_render(&run->diags, &ro, stdout);
  if (ro.step_summary && fclose(ro.step_summary) != 0)
    fprintf(stderr, "ismsc: cannot write the job summary %s: %s\n", summary, strerror(errno));
  fflush(stdout);
}

static bool S_check(const Options *opt, Run *run, GitHistory *keep) {
  if (!S_stages(opt, run, true, keep))
    return false;
  S_render(opt, run);
  return true;
}

int driver_with_rules(const Options *opt, int (*show)(const Diags *d, const Options *opt)) {
  Run run;
  if (!driver_today(opt, &run.today))
    return EXIT_USAGE;
  int status = EXIT_USAGE;
  if (S_stages(opt, &run, opt->in_tree, NULL))
    status = show(&run.diags, opt);
  arena_free(&run.arena);
  return status;
}

static int S_status(const Options *opt, const Diags *d) {
  return d->errors || (opt->werror && d->warnings) ? EXIT_ERRORS : EXIT_CLEAN;
}

int driver_check(const Options *opt) {
  Run run;
  if (!driver_today(opt, &run.today))
    return EXIT_USAGE;
  if (!S_check(opt, &run, NULL)) {
    arena_free(&run.arena);
    return EXIT_USAGE;
  }
  int status = S_status(opt, &run.diags);
  arena_free(&run.arena);
  return status;
}

/* A file of the tree's templates/ folder, else the built-in one. */
static const char *S_template(Run *run, const char *name) {
  const char *rel = arena_printf(&run->arena, "templates/%s", name);
  struct stat st;
  if (stat(arena_printf(&run->arena, "%s/%s", run->tree.root, rel), &st) == 0) {
    SourceFile *f = load_source(&run->arena, &run->diags, run->tree.source, rel, &run->limits);
    if (f->text)
      return f->text;
  }
  const EmbeddedFile *e = embedded_find(rel);
  return e ? e->data : "";
}

/* --reference-docx, else the tree's templates/reference.docx when there is one. */
static const char *S_reference_docx(Run *run, const Options *opt) {
  if (opt->reference_docx)
    return opt->reference_docx;
  const char *path = arena_printf(&run->arena, "%s/templates/reference.docx", run->tree.root);
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode) ? path : NULL;
}

/* The build once checked: the documents, with the kept history (and the change report of
 * --since), into OUT. */
static int S_build(const Options *opt, Run *run, GitHistory *history) {
  int status = S_status(opt, &run->diags);
  if (run->diags.errors && !opt->force) {
    fprintf(stderr, "ismsc: not building: the tree has errors (--force builds a DRAFT set)\n");
    return status;
  }
  DiffSince *since = NULL;
  DiffResult changes;
  if (opt->since) {
    int failed =
        diff_since(&since, opt->tree, opt->since, run->today, &run->model, &run->arena, &changes);
    if (failed) {
      diff_since_free(since);
      return failed;
    }
  }
  Revision rev;
  revision_read(opt->tree, &rev);
  bool draft = run->diags.errors > 0;
  DocSet set;
  docs_plan(&set, &run->arena, &run->model, &rev, draft, &run->diags);
  set.unsafe_html = opt->unsafe_html;
  set.with_evidence = opt->value[OPT_WITH_EVIDENCE] != NULL;
  set.history = history;
  if (since) {
    set.changes = &changes;
    docs_add_on_demand(&set, &run->arena, "changes");
  }
  EmitContext ctx = {&run->model,
                     &rev,
                     run->today,
                     opt->unsafe_html,
                     draft,
                     S_template(run, "layout.html"),
                     S_template(run, "style.css"),
                     S_reference_docx(run, opt),
                     0 /* built_formats: build_write sets it */};
  BuildOptions bo = {opt->out, opt->force, opt->unsafe_html, opt->only, set.with_evidence};
  size_t written = 0, kept = 0;
  bool ok = build_write(&bo, &set, &ctx, &written, &kept);
  diff_since_free(since);
  if (!ok)
    return EXIT_USAGE;
  /* OUT was replaced whole: an index.html in it is this build's. */
  struct stat st;
  bool index = stat(arena_printf(&run->arena, "%s/index.html", opt->out), &st) == 0;
  /* A rebuild says how many files it kept unchanged (out_file.h): their times did not move. */
  char unchanged[64] = "";
  if (kept)
    snprintf(unchanged, sizeof unchanged, " and kept %zu unchanged", kept);
  size_t made = written - kept;
  fprintf(stderr, "ismsc: wrote %zu file%s to %s%s%s%s%s\n", made, made == 1 ? "" : "s",
          opt->out, unchanged, index ? " (open " : "", index ? opt->out : "",
          index ? "/index.html)" : "");
  return status;
}

int driver_build(const Options *opt) {
  if (!opt->out) {
    fprintf(stderr, "ismsc build: needs an output folder: ismsc build -o OUT\n");
    return EXIT_USAGE;
  }
  Run run;
  if (!driver_today(opt, &run.today))
    return EXIT_USAGE;
  /* The Git rules' walk is kept for the revision histories, unless no document is built. */
  GitHistory history = {0};
  bool documents = build_wants_documents(opt->only);
  int status = EXIT_USAGE;
  if (S_check(opt, &run, documents ? &history : NULL))
    status = S_build(opt, &run, documents ? &history : NULL);
  git_history_close(&history);
  arena_free(&run.arena);
  return status;
}
