/* cli.h - the command line as tables (cli.c) and what is generated from them (cli_docs.c).
 *
 * One table lists every option (name, short letter, value, help); one row per command lists
 * its arguments, the options it accepts, the values of its --format, and the function that
 * runs it. Parsing, `--help`, `COMMAND --help`, the man page and the shell completions are
 * all derived from these two tables, so they cannot disagree; a new command is one row in
 * cli.c (see docs/architecture.md, "Adding a command"). */
#ifndef ISMSC_CLI_H
#define ISMSC_CLI_H

#include <stdio.h>

#include "driver.h"

typedef struct CliOption {
  const char *name;    /* long name, without "--" */
  char letter;         /* short option, or 0 */
  const char *metavar; /* the value's placeholder; NULL for a flag */
  const char *values;  /* the accepted values, comma-separated, for checking and completion;
                          NULL for free text. --format's come from the command instead. */
  const char *help;    /* one line; "%s" in --format's help is the command's format list */
} CliOption;

/* How a command finds its tree. */
typedef enum CliTree {
  TREE_NONE,     /* no tree (init) */
  TREE_REQUIRED, /* the tree is found upward from the positional `tree_arg` (or "."); none
                    is a usage error */
  TREE_OPTIONAL, /* as TREE_REQUIRED, but outside a tree the command still runs */
} CliTree;

typedef struct CliCommand {
  const char *name;
  const char *args;       /* the positional arguments, as the synopsis shows them */
  int min_args, max_args; /* how many positionals it takes */
  const char *summary;    /* one line, lower case, no full stop */
  const char *formats;    /* the values of its --format, comma-separated, first = default */
  const OptId *options;   /* the options it accepts, ending with OPT__COUNT */
  CliTree tree;
  int tree_arg; /* which positional names the tree (with TREE_*), or -1 */
  int (*run)(const Options *opt);
  const char *details; /* more text for COMMAND --help and the man page, or NULL */
  /* A command that still parses its own options (import, migrate, schema) is handed argv
   * as it is (argv[0] = the command) instead; options lists only --help for it. */
  int (*run_argv)(int argc, char **argv);
} CliCommand;

const CliCommand *cli_commands(size_t *count);
const CliOption *cli_option(OptId id);

/* The whole command line: parses argv, finds the tree, runs the command. Returns the exit
 * status. Every refusal is one line on stderr naming the fix. */
int cli_main(int argc, char **argv);

/* Generated from the tables (cli_docs.c). */
void cli_print_help(FILE *out);                              /* ismsc --help */
void cli_print_command_help(const CliCommand *c, FILE *out); /* ismsc COMMAND --help */
void cli_print_man(FILE *out);                               /* ismsc.1 */
void cli_print_bash_completion(FILE *out);
void cli_print_zsh_completion(FILE *out);

#endif
