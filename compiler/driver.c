/* driver.c - calls the stages in order and nothing else (DESIGN.md, "The pipeline"). */
#include "driver.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "doc.h"
#include "embedded.h"
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

/* The stages every command shares: load, bind, resolve, check, report. The arena, model and
 * diagnostics stay alive for the caller (a build goes on with them). False when the tree
 * cannot be read at all. */
typedef struct Run {
  Arena arena;
  Diags diags;
  Limits limits;
  Tree tree;
  Model model;
  Date today;
} Run;

static bool S_check(const Options *opt, Run *run) {
  arena_init(&run->arena);
  diags_init(&run->diags, &run->arena);
  limits_default(&run->limits);
  if (!load_tree(&run->arena, &run->diags, opt->tree, &run->limits, &run->tree)) {
    fprintf(stderr, "ismsc: cannot read the tree '%s': %s\n", opt->tree,
            errno ? strerror(errno) : "not a folder");
    return false;
  }
  memset(&run->model, 0, sizeof run->model);
  run->model.limits = run->limits;
  model_bind(&run->model, &run->arena, &run->diags, &run->tree, run->today);
  resolve(&run->model);
  check_structure(&run->model);
  lua_rules_run(&run->model);
  check_rule_settings(&run->model);
  diags_finish(&run->diags);
  const char *no_color = getenv("NO_COLOR");
  RenderOptions ro = {opt->format, isatty(STDOUT_FILENO) && !(no_color && *no_color),
                      driver_path_prefix(&run->arena, opt->tree), ISMSC_VERSION};
  diags_render(&run->diags, &ro, stdout);
  fflush(stdout);
  return true;
}

static int S_status(const Options *opt, const Diags *d) {
  return d->errors || (opt->werror && d->warnings) ? EXIT_ERRORS : EXIT_CLEAN;
}

int driver_check(const Options *opt) {
  Run run;
  if (!driver_today(opt, &run.today))
    return EXIT_USAGE;
  if (!S_check(opt, &run)) {
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
    SourceFile *f = load_source(&run->arena, &run->diags, run->tree.root, rel, &run->limits);
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

int driver_build(const Options *opt) {
  Run run;
  if (!driver_today(opt, &run.today))
    return EXIT_USAGE;
  if (!S_check(opt, &run)) {
    arena_free(&run.arena);
    return EXIT_USAGE;
  }
  int status = S_status(opt, &run.diags);
  if (run.diags.errors && !opt->force) {
    fprintf(stderr, "ismsc: not building: the tree has errors (--force builds a DRAFT set)\n");
    arena_free(&run.arena);
    return status;
  }
  Revision rev;
  revision_read(opt->tree, &rev);
  bool draft = run.diags.errors > 0;
  DocSet set;
  docs_plan(&set, &run.arena, &run.model, &rev, draft, &run.diags);
  set.unsafe_html = opt->unsafe_html;
  EmitContext ctx = {&run.model,
                     &rev,
                     run.today,
                     opt->unsafe_html,
                     draft,
                     S_template(&run, "layout.html"),
                     S_template(&run, "style.css"),
                     S_reference_docx(&run, opt)};
  BuildOptions bo = {opt->out, opt->force, opt->unsafe_html, opt->only};
  size_t written = 0;
  if (!build_write(&bo, &set, &ctx, &written)) {
    arena_free(&run.arena);
    return EXIT_USAGE;
  }
  bool html = build_wants_html(opt->only);
  fprintf(stderr, "ismsc: wrote %zu files to %s%s%s%s\n", written, opt->out, html ? " (open " : "",
          html ? opt->out : "", html ? "/index.html)" : "");
  arena_free(&run.arena);
  return status;
}
