/* driver.h - the pipeline, stage after stage (driver.c), and the options that steer it.
 *
 * Options is what the command line (cli.c) hands every command: the typed settings the
 * pipeline reads, plus every option's text as given (value[]) and the positional arguments,
 * so that a new command reads its own options without a new field here. */
#ifndef ISMSC_DRIVER_H
#define ISMSC_DRIVER_H

#include <stdbool.h>
#include <stdint.h>

#include "diag.h"
#include "git_rules.h"
#include "model.h"
#include "util.h"

/* Every option of every command; cli.c's option table has one row per id, in this order. */
typedef enum OptId {
  OPT_FORMAT,
  OPT_WERROR,
  OPT_QUIET,
  OPT_ALL,
  OPT_DATE,
  OPT_COLOR,
  OPT_OUTPUT,
  OPT_FORCE,
  OPT_ONLY,
  OPT_UNSAFE_HTML,
  OPT_REFERENCE_DOCX,
  OPT_SINCE,
  OPT_WITH_EVIDENCE,
  OPT_DIRECTORY,
  OPT_HELP,
  OPT__COUNT
} OptId;

typedef struct Options {
  const char *command;     /* "check", "build", ... */
  const char *tree;        /* the tree's root (found upward from TREE or "."), as a path to open */
  const char *tree_prefix; /* the root as shown in paths: "" (the current folder), "../" */
  bool in_tree;            /* a root was found (commands that take an optional tree) */
  const char *value[OPT__COUNT]; /* each option as given ("" for a flag); NULL when absent */
  char **args;                   /* the positional arguments after the command */
  int nargs;
  const char *out;            /* build: -o */
  bool force;                 /* build: --force */
  bool unsafe_html;           /* build: --unsafe-html */
  uint64_t only;              /* build: --only, build_parse_only's bits (emit.h) */
  const char *reference_docx; /* build: --reference-docx */
  const char *since;          /* build: --since REV, the change report's base */
  DiagFormat format;          /* --format, for the commands that print diagnostics */
  bool werror;
  bool quiet;
  bool color; /* --color, NO_COLOR, FORCE_COLOR, CLICOLOR_FORCE, TERM and the terminal */
  bool has_date;
  Date date; /* --date */
} Options;

/* Exit statuses, as SPEC §2 gives them. */
enum { EXIT_CLEAN = 0, EXIT_ERRORS = 1, EXIT_USAGE = 2 };

/* The date checks use: --date, else SOURCE_DATE_EPOCH, else the clock (UTC). False (after
 * printing why) when SOURCE_DATE_EPOCH is malformed. */
bool driver_today(const Options *opt, Date *today);

/* Paths in diagnostics are shown as the user named the tree: "" for ".", else "TREE/". */
const char *driver_path_prefix(Arena *a, const char *tree);
/* One tree compiled: everything lives in `arena` until arena_free. */
typedef struct Compilation {
  Arena arena;
  Diags diags;
  Limits limits;
  Tree tree;
  Model model;
  Date today;
  struct GitHistory *keep_history; /* a build: the Git rules' walk, kept for the documents */
} Compilation;

/* Where a tree loaded from Git sits in its history, for the Git rules. */
typedef struct GitOrigin {
  git_repository *repo;
  const char *prefix;
  const git_oid *start; /* the revision's commit */
} GitOrigin;

/* Starts a compilation: its arena, diagnostics and default limits. */
void driver_compilation_init(Compilation *c, Date today);
/* After load_tree/load_tree_from into c->tree: bind, resolve and run every check (the Git
 * rules against origin's history, or NULL: the work tree's repository from HEAD); the
 * diagnostics are finished (sorted, counted) but not printed. */
void driver_compile(Compilation *c, const GitOrigin *origin);

/* Finds the tree root as git finds .git: the first of start, its parent, ... that holds an
 * isms.yaml. Sets opt->tree and opt->tree_prefix (relative to the current folder when start
 * is relative) and returns true; false when there is none (or start is not a folder), with
 * *why saying so in one line. Strings are a's. */
bool driver_find_root(Arena *a, const char *start, Options *opt, const char **why);

/* `ismsc check`: load, bind, resolve, check, report. Returns the exit status. */
int driver_check(const Options *opt);

/* `ismsc build`: check, then (no errors, or --force) build the document set into opt->out. */
int driver_build(const Options *opt);

/* Runs the checks of the tree (when opt->in_tree; else of an empty tree) without printing,
 * so that every rule is registered with its effective severity, and calls show with them.
 * For `ismsc rules` and `ismsc explain`. Returns show's status. */
int driver_with_rules(const Options *opt, int (*show)(const Diags *d, const Options *opt));

#endif
