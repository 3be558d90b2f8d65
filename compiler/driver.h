/* driver.h - the pipeline, stage after stage (driver.c), and the options that steer it. */
#ifndef ISMSC_DRIVER_H
#define ISMSC_DRIVER_H

#include <stdbool.h>
#include <stdint.h>

#include "diag.h"
#include "util.h"

typedef struct Options {
  const char *tree;           /* the tree's folder, "." by default */
  const char *out;            /* build: -o */
  bool force;                 /* build: --force */
  bool unsafe_html;           /* build: --unsafe-html */
  uint64_t only;              /* build: --only, build_parse_only's bits (emit.h) */
  const char *reference_docx; /* build: --reference-docx */
  DiagFormat format;
  bool werror;
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

/* `ismsc check`: load, bind, resolve, check, report. Returns the exit status. */
int driver_check(const Options *opt);

/* `ismsc build`: check, then (no errors, or --force) build the document set into opt->out. */
int driver_build(const Options *opt);

#endif
