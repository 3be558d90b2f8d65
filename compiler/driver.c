/* driver.c - calls the stages in order and nothing else (DESIGN.md, "The pipeline"). */
#include "driver.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
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
static const char *S_path_prefix(Arena *a, const char *tree) {
  if (strcmp(tree, ".") == 0 || strcmp(tree, "./") == 0)
    return "";
  size_t n = strlen(tree);
  while (n > 1 && tree[n - 1] == '/')
    n--;
  return arena_printf(a, "%.*s/", (int)n, tree);
}

int driver_check(const Options *opt) {
  Date today;
  if (!driver_today(opt, &today))
    return EXIT_USAGE;
  Arena arena;
  arena_init(&arena);
  Diags diags;
  diags_init(&diags, &arena);
  Limits limits;
  limits_default(&limits);

  Tree tree;
  if (!load_tree(&arena, &diags, opt->tree, &limits, &tree)) {
    fprintf(stderr, "ismsc: cannot read the tree '%s': %s\n", opt->tree,
            errno ? strerror(errno) : "not a folder");
    arena_free(&arena);
    return EXIT_USAGE;
  }
  Model model = {0};
  model.limits = limits;
  model_bind(&model, &arena, &diags, &tree, today);
  resolve(&model);
  check_structure(&model);
  lua_rules_run(&model);
  check_rule_settings(&model);
  diags_finish(&diags);

  const char *no_color = getenv("NO_COLOR");
  RenderOptions ro = {opt->format, isatty(STDOUT_FILENO) && !(no_color && *no_color),
                      S_path_prefix(&arena, opt->tree), ISMSC_VERSION};
  diags_render(&diags, &ro, stdout);
  fflush(stdout);
  int status = diags.errors || (opt->werror && diags.warnings) ? EXIT_ERRORS : EXIT_CLEAN;
  arena_free(&arena);
  return status;
}
