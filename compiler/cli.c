/* cli.c - the command line (SPEC §4): the option and command tables, and parsing.
 *
 * Everything a user can type is a row of one of the two tables below; cli_docs.c prints
 * --help, the man page and the completions from the same rows. What must stay true:
 * - a command accepts exactly the options its row lists (an option of another command is
 *   refused, naming the command it belongs to);
 * - every refusal is one line on stderr that says what to type instead, and exits 2;
 * - enumerated values (--format, --color) match case-insensitively, like enum values in
 *   the tree's files, and a near miss gets a did-you-mean.
 * Parsing is getopt_long's (permuting, so options may follow the tree); only the messages
 * are ours (opterr = 0).
 */
#include "cli.h"
#include "diff.h"

#include <cmark-gfm.h>
#include <getopt.h>
#include <git2.h>
#include <jansson.h>
#include <libxml/xmlversion.h>
#include <lua.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yaml.h>
#include <zip.h>

#include "emit.h"
#include "import.h"
#include "init.h"
#include "json_schema.h"
#include "migrate.h"
#include "model.h"
#include "rules_cmd.h"

/* ---------------------------------------------------------------- the tables */

static const CliOption options[OPT__COUNT] = {
    [OPT_FORMAT] = {"format", 0, "FORMAT", NULL, "output format: %s"},
    [OPT_WERROR] = {"werror", 0, NULL, NULL, "warnings fail the run (exit status 1)"},
    [OPT_QUIET] = {"quiet", 'q', NULL, NULL, "errors only, and the closing count"},
    [OPT_ALL] = {"all", 0, NULL, NULL,
                 "list every finding (by default a rule's many warnings are folded to a few)"},
    [OPT_DATE] = {"date", 0, "YYYY-MM-DD", NULL,
                  "the date checks use (default: SOURCE_DATE_EPOCH, else today)"},
    [OPT_COLOR] = {"color", 0, "WHEN", "auto,always,never",
                   "colour in text output: auto (a terminal; NO_COLOR, FORCE_COLOR, "
                   "CLICOLOR_FORCE and TERM=dumb honoured), always, never"},
    [OPT_OUTPUT] = {"output", 'o', "OUT", NULL,
                    "the output folder (replaced as a whole, atomically)"},
    [OPT_FORCE] = {"force", 0, NULL, NULL,
                   "build even when the tree has errors; documents say DRAFT"},
    [OPT_ONLY] = {"only", 0, "LIST", NULL,
                  "part of the set: documents (soa,rtp,risks,trace,index,policies,json) and/or "
                  "formats (html,docx,xlsx)"},
    [OPT_UNSAFE_HTML] = {"unsafe-html", 0, NULL, NULL,
                         "let raw HTML in Markdown through (escaped by default)"},
    [OPT_REFERENCE_DOCX] = {"reference-docx", 0, "FILE", NULL,
                            "take DOCX styles, header, footer and page setup from FILE "
                            "(default: TREE/templates/reference.docx)"},
    [OPT_SINCE] = {"since", 0, "REV", NULL,
                   "add the change report since Git revision REV (changes.html, changes.docx)"},
    [OPT_WITH_EVIDENCE] = {"with-evidence", 0, NULL, NULL,
                           "copy the evidence files records cite into OUT/evidence/ and link "
                           "them (never by default: evidence can be confidential)"},
    [OPT_DIRECTORY] = {"directory", 'C', "TREE", NULL,
                       "look for the tree from TREE instead of the current folder (as git -C)"},
    [OPT_HELP] = {"help", 'h', NULL, NULL, "show this help and exit"},
};

static int S_run_init(const Options *opt) { return init_tree(opt->args[0], "iso27001-2022"); }

#define OPTS(...) ((const OptId[]){__VA_ARGS__, OPT_HELP, OPT__COUNT})
#define ONLY_HELP ((const OptId[]){OPT_HELP, OPT__COUNT})
#define DIAG_OPTS OPT_FORMAT, OPT_WERROR, OPT_QUIET, OPT_ALL, OPT_DATE, OPT_COLOR

static const CliCommand commands[] = {
    {"check", "[TREE]", 0, 1, "validate an ISMS tree and print its diagnostics",
     "text,github,sarif,json,gitlab", OPTS(DIAG_OPTS), TREE_REQUIRED, 0, driver_check,
     "TREE is any folder inside the tree (default: the current one); the root is the nearest "
     "folder at or above it that holds isms.yaml.",
     NULL},
    {"build", "[TREE] -o OUT", 0, 1, "validate, then write the document set into OUT",
     "text,github,sarif,json,gitlab",
     OPTS(OPT_OUTPUT, OPT_FORCE, OPT_ONLY, OPT_UNSAFE_HTML, OPT_REFERENCE_DOCX, OPT_SINCE,
          OPT_WITH_EVIDENCE, DIAG_OPTS),
     TREE_REQUIRED, 0, driver_build,
     "Nothing is written while the tree has errors, unless --force. OUT is replaced whole, "
     "and only when it is missing, empty or an earlier build's output.",
     NULL},
    {"init", "DIR", 1, 1, "start a new tree: manifest, scope and a stub per Annex A control", NULL,
     ONLY_HELP, TREE_NONE, -1, S_run_init,
     "DIR must not exist, or hold only hidden entries (so that `git init` can come first).", NULL},
    {"explain", "RULE", 1, 1, "what a rule checks and how to fix what it finds", NULL,
     OPTS(OPT_DIRECTORY), TREE_OPTIONAL, -1, rules_explain,
     "Inside a tree (or with -C TREE), its own rules (rules/*.lua) are explained too.", NULL},
    {"rules", "", 0, 0, "list every rule with its severity", "text,json,markdown",
     OPTS(OPT_FORMAT, OPT_DIRECTORY), TREE_OPTIONAL, -1, rules_list,
     "Inside a tree (or with -C TREE), the severities are those its isms.yaml sets, and its "
     "own rules are listed too.",
     NULL},
    /* These parse their own options (their --help lists them): one row each all the same. */
    {"import", "KIND FILE [TREE]", 2, 3, "CSV or XLSX rows become records (risks, assets, ...)",
     NULL, ONLY_HELP, TREE_NONE, -1, NULL,
     "Options: --map \"Label=field,...\", --into FILE, --sheet NAME, --dry-run.", import_main},
    {"migrate", "--to iso27001-2022 [TREE]", 0, 1, "rewrite 2013 control ids in place", NULL,
     ONLY_HELP, TREE_NONE, -1, NULL, "Options: --to CATALOG, --dry-run.", migrate_main},
    {"schema", "KIND", 0, 1, "the JSON Schema of a record kind (or `manifest`)", NULL, ONLY_HELP,
     TREE_NONE, -1, NULL, "Options: --write DIR (every schema, for editors).", json_schema_main},
    {"diff", "[-C TREE] [REV1 [REV2]]", 0, 2,
     "what changed between two revisions, record by record", NULL, ONLY_HELP, TREE_NONE, -1, NULL,
     "REV1 defaults to HEAD, REV2 to the work tree. Options: -C TREE, --format "
     "text|markdown|json, --date YYYY-MM-DD. See docs/document-control.md.",
     diff_main},
};

const CliCommand *cli_commands(size_t *count) {
  *count = sizeof commands / sizeof commands[0];
  return commands;
}

const CliOption *cli_option(OptId id) { return &options[id]; }

/* ---------------------------------------------------------------- refusals */

/* "ismsc check: MESSAGE" on one line; returns EXIT_USAGE. */
static int __attribute__((format(printf, 2, 3)))
S_refuse(const char *command, const char *fmt, ...) {
  fprintf(stderr, "ismsc%s%s: ", command ? " " : "", command ? command : "");
  va_list ap;
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  return EXIT_USAGE;
}

static const CliCommand *S_find_command(const char *name) {
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    if (strcmp(commands[i].name, name) == 0)
      return &commands[i];
  return NULL;
}

static bool S_accepts(const CliCommand *c, OptId id) {
  for (const OptId *o = c->options; *o != OPT__COUNT; o++)
    if (*o == id)
      return true;
  return false;
}

/* The option called name (without dashes), or OPT__COUNT. */
static OptId S_option_named(const char *name) {
  for (int i = 0; i < OPT__COUNT; i++)
    if (strcmp(options[i].name, name) == 0)
      return (OptId)i;
  return OPT__COUNT;
}

/* "check", "check and build", "check, build and rules" */
static const char *S_commands_with(Arena *a, OptId id) {
  const char *list = NULL, *last = NULL;
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
    if (!S_accepts(&commands[i], id))
      continue;
    if (last)
      list = list ? arena_printf(a, "%s, %s", list, last) : last;
    last = commands[i].name;
  }
  return list ? arena_printf(a, "%s and %s", list, last) : last;
}

static OptId S_option_with_letter(int letter) {
  for (int i = 0; i < OPT__COUNT; i++)
    if (options[i].letter && options[i].letter == letter)
      return (OptId)i;
  return OPT__COUNT;
}

/* An option the command does not take: another command's, or a typo. */
static int S_unknown_option(Arena *a, const CliCommand *c, const char *arg) {
  const char *name = arg;
  while (*name == '-')
    name++;
  name = arena_printf(a, "%.*s", (int)strcspn(name, "="), name);
  OptId other = arg[1] == '-'    ? S_option_named(name)
                : arg[2] == '\0' ? S_option_with_letter((unsigned char)arg[1])
                                 : OPT__COUNT;
  if (other != OPT__COUNT)
    return S_refuse(c->name, "%s is an option of %s, not of %s (ismsc %s --help lists its own)",
                    arena_printf(a, "%.*s", (int)strcspn(arg, "="), arg), S_commands_with(a, other),
                    c->name, c->name);
  const char *names[OPT__COUNT];
  size_t n = 0;
  for (const OptId *o = c->options; *o != OPT__COUNT; o++)
    names[n++] = arena_printf(a, "--%s", options[*o].name);
  const char *dym = did_you_mean(a, arena_printf(a, "--%s", name), names, n);
  if (dym)
    return S_refuse(c->name, "unknown option '%s'; did you mean %s?", arg, dym);
  return S_refuse(c->name, "unknown option '%s' (ismsc %s --help lists its options)", arg, c->name);
}

/* value as one of the comma-separated words of list (case-insensitive), or NULL after
 * refusing it with a did-you-mean. */
static const char *S_enum_value(Arena *a, const CliCommand *c, const char *option, const char *list,
                                const char *value) {
  const char *words[16];
  size_t n = 0;
  char *copy = arena_strdup(a, list), *save = NULL;
  for (char *w = strtok_r(copy, ",", &save); w && n < 16; w = strtok_r(NULL, ",", &save))
    words[n++] = w;
  for (size_t i = 0; i < n; i++)
    if (str_ieq(words[i], value))
      return words[i];
  const char *dym = did_you_mean(a, value, words, n);
  const char *shown = arena_printf(a, "%s", list);
  for (char *p = (char *)shown; *p; p++)
    if (*p == ',')
      *p = '|';
  if (dym)
    S_refuse(c->name, "--%s '%s' is not one of %s; did you mean %s?", option, value, shown, dym);
  else
    S_refuse(c->name, "--%s '%s' is not one of %s", option, value, shown);
  return NULL;
}

/* ---------------------------------------------------------------- typed settings */

static bool S_diag_format(const char *name, DiagFormat *out) {
  static const char *const names[] = {"text", "github", "sarif", "json", "gitlab"};
  static const DiagFormat formats[] = {FORMAT_TEXT, FORMAT_GITHUB, FORMAT_SARIF, FORMAT_JSON,
                                       FORMAT_GITLAB};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (strcmp(name, names[i]) == 0) {
      *out = formats[i];
      return true;
    }
  return false;
}

/* --color auto: NO_COLOR wins (no-color.org), then FORCE_COLOR or CLICOLOR_FORCE (set and
 * not "0"), then TERM=dumb, then whether standard output is a terminal. */
static bool S_color(const char *when) {
  if (when && strcmp(when, "always") == 0)
    return true;
  if (when && strcmp(when, "never") == 0)
    return false;
  const char *no = getenv("NO_COLOR");
  if (no && *no)
    return false;
  static const char *const force[] = {"FORCE_COLOR", "CLICOLOR_FORCE"};
  for (size_t i = 0; i < 2; i++) {
    const char *v = getenv(force[i]);
    if (v && *v && strcmp(v, "0") != 0)
      return true;
  }
  const char *term = getenv("TERM");
  if (term && strcmp(term, "dumb") == 0)
    return false;
  return isatty(STDOUT_FILENO);
}

/* Turns the options as given into the typed settings; false after refusing one. */
static bool S_settle(Arena *a, const CliCommand *c, Options *opt) {
  const char *v;
  if ((v = opt->value[OPT_FORMAT])) {
    if (!(v = S_enum_value(a, c, "format", c->formats, v)))
      return false;
    opt->value[OPT_FORMAT] = v;
    S_diag_format(v, &opt->format);
  }
  if ((v = opt->value[OPT_COLOR]) &&
      !(v = opt->value[OPT_COLOR] = S_enum_value(a, c, "color", options[OPT_COLOR].values, v)))
    return false;
  opt->color = S_color(opt->value[OPT_COLOR]);
  if ((v = opt->value[OPT_DATE])) {
    char why[96];
    if (!date_parse(v, &opt->date)) {
      S_refuse(c->name, "--date '%s' is not a date: %s", v, date_problem(v, why, sizeof why));
      return false;
    }
    opt->has_date = true;
  }
  if ((v = opt->value[OPT_ONLY])) {
    char bad[64];
    if (!*v) {
      S_refuse(c->name, "--only needs at least one part, e.g. --only soa,html");
      return false;
    }
    if (!build_parse_only(v, &opt->only, bad, sizeof bad)) {
      S_refuse(c->name, "--only: unknown part '%s' (the parts: %s)", bad, build_only_words());
      return false;
    }
  }
  opt->werror = opt->value[OPT_WERROR] != NULL;
  opt->quiet = opt->value[OPT_QUIET] != NULL;
  opt->force = opt->value[OPT_FORCE] != NULL;
  opt->unsafe_html = opt->value[OPT_UNSAFE_HTML] != NULL;
  opt->out = opt->value[OPT_OUTPUT];
  opt->reference_docx = opt->value[OPT_REFERENCE_DOCX];
  opt->since = opt->value[OPT_SINCE];
  return true;
}

/* ---------------------------------------------------------------- parsing */

/* getopt_long's tables for one command: long options return 256 + OptId. */
static void S_getopt_tables(Arena *a, const CliCommand *c, struct option **longopts,
                            char **shortopts) {
  size_t n = 0;
  for (const OptId *o = c->options; *o != OPT__COUNT; o++)
    n++;
  struct option *lo = arena_alloc(a, (n + 1) * sizeof *lo);
  char *so = arena_alloc(a, 2 * n + 2), *s = so;
  *s++ = ':'; /* a missing value returns ':', not '?' */
  for (size_t i = 0; i < n; i++) {
    const CliOption *opt = &options[c->options[i]];
    lo[i] = (struct option){opt->name, opt->metavar ? required_argument : no_argument, NULL,
                            256 + (int)c->options[i]};
    if (opt->letter) {
      *s++ = opt->letter;
      if (opt->metavar)
        *s++ = ':';
    }
  }
  *longopts = lo;
  *shortopts = so;
}

/* Parses argv (argv[0] is the command) into opt; returns -1 to go on, else an exit status. */
static int S_parse(Arena *a, const CliCommand *c, int argc, char **argv, Options *opt) {
  struct option *longopts;
  char *shortopts;
  S_getopt_tables(a, c, &longopts, &shortopts);
  opterr = 0;
  optind = 1;
  int code, index;
  while ((code = getopt_long(argc, argv, shortopts, longopts, &index)) != -1) {
    if (code == '?')
      return S_unknown_option(
          a, c, optopt && optopt < 256 ? arena_printf(a, "-%c", optopt) : argv[optind - 1]);
    if (code == ':') {
      OptId id = optopt >= 256 ? (OptId)(optopt - 256) : S_option_with_letter(optopt);
      return S_refuse(c->name, "--%s needs a value: --%s %s", options[id].name, options[id].name,
                      options[id].metavar);
    }
    OptId id = code >= 256 ? (OptId)(code - 256) : S_option_with_letter(code);
    if (id == OPT_HELP) {
      cli_print_command_help(c, stdout);
      return EXIT_CLEAN;
    }
    opt->value[id] = optarg ? optarg : "";
  }
  opt->args = argv + optind;
  opt->nargs = argc - optind;
  const char *usage = arena_printf(a, "ismsc %s%s%s", c->name, *c->args ? " " : "", c->args);
  if (opt->nargs > c->max_args)
    return S_refuse(c->name, "unexpected argument '%s' (usage: %s)", opt->args[c->max_args], usage);
  if (opt->nargs < c->min_args)
    return S_refuse(c->name, "missing %s (usage: %s)", c->args, usage);
  return S_settle(a, c, opt) ? -1 : EXIT_USAGE;
}

static int S_find_tree(Arena *a, const CliCommand *c, Options *opt) {
  if (c->tree == TREE_NONE)
    return -1;
  const char *start = c->tree_arg >= 0 && c->tree_arg < opt->nargs ? opt->args[c->tree_arg]
                      : opt->value[OPT_DIRECTORY]                  ? opt->value[OPT_DIRECTORY]
                                                                   : ".";
  const char *why;
  opt->in_tree = driver_find_root(a, start, opt, &why);
  if (!opt->in_tree && c->tree == TREE_REQUIRED)
    return S_refuse(c->name, "%s", why);
  return -1;
}

/* ---------------------------------------------------------------- the program */

static void S_print_version(void) {
  printf("ismsc %s\n", ISMSC_VERSION);
  size_t n;
  const char *const *ids = catalog_builtin_ids(&n);
  fputs("catalogs:", stdout);
  for (size_t i = 0; i < n; i++)
    printf("%s %s", i ? "," : "", ids[i]);
  int major, minor, rev;
  git_libgit2_version(&major, &minor, &rev);
  printf("\nlibraries: libyaml %s, cmark-gfm %s, %s, jansson %s, libxml2 %s, libzip %s, "
         "libgit2 %d.%d.%d\n",
         yaml_get_version_string(), cmark_version_string(), LUA_RELEASE, JANSSON_VERSION,
         LIBXML_DOTTED_VERSION, zip_libzip_version(), major, minor, rev);
}

/* libgit2 for the whole run, made ready on a thread of its own. Its first git_libgit2_init
 * reads the system's CA certificates (55 M instructions, a tenth of `check` on the example):
 * each stage that opens the repository (the revision, the Git rules) brackets its use with
 * init and shutdown, and without a count held for the whole run each of them paid for it
 * again, on the serial path. Started before the tree is read, it overlaps the loading; a
 * stage's own init waits on libgit2's lock until it is done. */
typedef struct GitRuntime {
  pthread_t thread;
  bool on_thread;
} GitRuntime;

static void *S_git_init(void *unused) {
  (void)unused;
  git_libgit2_init();
  return NULL;
}

/* The libraries' local-time conversions without a stat for each: with TZ unset, glibc reads
 * /etc/localtime again at every mktime (libzip makes one per zip entry's DOS date: 7,600
 * stats in a build of the scale-1 tree). TZ=":/etc/localtime" names that same file, so the
 * zone is unchanged, and glibc reads it once. Set before any thread starts (setenv is not
 * thread-safe); a TZ the user set is left alone. */
static void S_pin_time_zone(void) {
  if (!getenv("TZ"))
    setenv("TZ", ":/etc/localtime", 0);
}

static void S_git_start(GitRuntime *g) {
  g->on_thread = pthread_create(&g->thread, NULL, S_git_init, NULL) == 0;
  if (!g->on_thread)
    git_libgit2_init();
}

static void S_git_stop(GitRuntime *g) {
  if (g->on_thread)
    pthread_join(g->thread, NULL);
  git_libgit2_shutdown();
}

int cli_main(int argc, char **argv) {
  if (argc < 2)
    return S_refuse(NULL, "no command given: try 'ismsc check' (ismsc --help lists them)");
  const char *first = argv[1];
  if (strcmp(first, "--help") == 0 || strcmp(first, "-h") == 0 || strcmp(first, "help") == 0) {
    const CliCommand *c = argc > 2 ? S_find_command(argv[2]) : NULL;
    if (argc > 2 && !c)
      return S_refuse(NULL, "no command '%s' to help with (ismsc --help lists the commands)",
                      argv[2]);
    if (c && c->run_argv)
      return c->run_argv(2, (char *[]){argv[2], "--help", NULL});
    if (c)
      cli_print_command_help(c, stdout);
    else
      cli_print_help(stdout);
    return EXIT_CLEAN;
  }
  if (strcmp(first, "--version") == 0 || strcmp(first, "-V") == 0) {
    S_print_version();
    return EXIT_CLEAN;
  }
  Arena arena;
  arena_init(&arena);
  int status = -1;
  const CliCommand *c = S_find_command(first);
  if (!c) {
    size_t n;
    const CliCommand *all = cli_commands(&n);
    const char *names[16];
    for (size_t i = 0; i < n && i < 16; i++)
      names[i] = all[i].name;
    const char *dym = first[0] == '-' ? NULL : did_you_mean(&arena, first, names, n < 16 ? n : 16);
    if (first[0] == '-')
      status = S_refuse(NULL, "'%s' goes after the command, e.g. 'ismsc check %s'", first, first);
    else if (dym)
      status = S_refuse(NULL, "unknown command '%s'; did you mean %s?", first, dym);
    else
      status = S_refuse(NULL, "unknown command '%s' (ismsc --help lists the commands)", first);
  }
  if (c && c->run_argv) {
    arena_free(&arena);
    return c->run_argv(argc - 1, argv + 1);
  }
  Options opt = {.tree = ".", .tree_prefix = "", .format = FORMAT_TEXT};
  if (c) {
    opt.command = c->name;
    status = S_parse(&arena, c, argc - 1, argv + 1, &opt);
  }
  if (status < 0)
    status = S_find_tree(&arena, c, &opt);
  if (status < 0) {
    GitRuntime git;
    S_pin_time_zone();
    S_git_start(&git);
    status = c->run(&opt);
    S_git_stop(&git);
  }
  arena_free(&arena);
  return status;
}
