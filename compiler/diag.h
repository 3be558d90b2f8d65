/* diag.h - source files, locations and the one diagnostics module (STYLE.md point 5).
 *
 * Every stage reports through diag_report; nothing prints directly. Diagnostics are
 * collected, counted, filtered by the severity overrides of isms.yaml, sorted by file, line
 * and column, and rendered at the end in the format the user asked for. The run always goes
 * on after an error. All memory is the arena's.
 */
#ifndef ISMSC_DIAG_H
#define ISMSC_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "arena.h"
#include "util.h"

/* A file of the tree, kept whole so that diagnostics can quote the offending line. */
typedef struct SourceFile {
  const char *path; /* relative to the tree root, '/'-separated */
  const char *text; /* content with any BOM removed; NULL when it could not be read */
  size_t len;
  size_t *line_starts; /* byte offset of each line, built on first use */
  size_t nlines;
  Arena *arena; /* where the line index is allocated */
  /* A spreadsheet imported by `ismsc import`: locations are rows and columns of this sheet
   * and are shown as `path:SHEET!B7` (text is NULL: no line is quoted). */
  const char *sheet;
} SourceFile;

/* A position in a file: 1-based line and column (column in code points). Line 0 means the
 * whole file: shown as line 1, column 1, with no source line quoted. */
typedef struct Loc {
  const SourceFile *file;
  int line, col;
} Loc;

typedef enum Severity { SEV_OFF, SEV_NOTE, SEV_WARNING, SEV_ERROR } Severity;

/* A rule the checker knows: built-in rules are listed in diag.c; Lua rules are added. */
typedef struct RuleInfo {
  const char *id;
  Severity severity; /* the default */
  const char *description;
  const char *fix;               /* how to fix a finding (one paragraph), or NULL */
  const struct SourceFile *file; /* a Lua rule's file (its opening comment explains it);
                                    NULL for the rules in C */
} RuleInfo;

struct Record;

typedef struct Diag {
  Loc loc;
  Severity severity;
  const char *rule;
  const char *message;
  const struct Record *record; /* the record it is about, for `ignore:`; may be NULL */
  const char *suppressed_by;   /* the ignore reason when a record silenced it */
  size_t seq;                  /* report order, to keep sorting stable */
} Diag;

typedef enum DiagFormat {
  FORMAT_TEXT,
  FORMAT_GITHUB,
  FORMAT_SARIF,
  FORMAT_JSON,
  FORMAT_GITLAB
} DiagFormat;

typedef struct Diags {
  Arena *arena;
  PtrVec items;      /* Diag * */
  HashMap overrides; /* rule id -> Severity + 1 (so that OFF is not NULL) */
  PtrVec rules;      /* RuleInfo *: built-in rules first, then user rules */
  size_t errors, warnings, notes, suppressed; /* filled by diags_finish */
} Diags;

void diags_init(Diags *d, Arena *a);
/* The structural rules, in C, in the order they are documented. The coverage rules are
 * defined by the shipped Lua files and registered when they load (lua_rules.c). */
const RuleInfo *diag_builtin_rules(size_t *count);
const RuleInfo *diags_find_rule(const Diags *d, const char *id);
/* Overrides a rule's severity (isms.yaml `rules:`). */
void diags_override(Diags *d, const char *rule, Severity s);
Severity diags_severity(const Diags *d, const char *rule);
bool severity_parse(const char *s, Severity *out);
const char *severity_name(Severity s);

/* Reports a finding of `rule` at loc. Its severity is the rule's, settled by diags_finish
 * after isms.yaml's overrides are known; a rule that is off is dropped there. */
void diag_report(Diags *d, const struct Record *rec, Loc loc, const char *rule, const char *fmt,
                 ...) __attribute__((format(printf, 5, 6)));
void diag_vreport(Diags *d, const struct Record *rec, Loc loc, const char *rule, const char *fmt,
                  va_list ap) __attribute__((format(printf, 5, 0)));

/* Formats a message, cut at a few hundred bytes (with "…"). */
const char *diag_vformat(Arena *a, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* Appends a diagnostic reported into another Diags (a worker thread's); its memory must
 * outlive d (see arena_adopt). */
void diags_adopt(Diags *d, Diag *g);

/* Applies severities, sorts and counts; call once, after every stage has reported. */
void diags_finish(Diags *d);

/* The text of line `line` of f (without its line break), or NULL. */
const char *source_line(const SourceFile *f, int line, size_t *len);
/* The location of byte offset off in f, and back. */
Loc source_loc(const SourceFile *f, size_t off);
/* The location of byte offset off, counted on from `at`, the location of the earlier offset
 * at_off (at_off <= off): for a reader that hands out places in file order, each in time
 * proportional to the bytes since the last instead of to the offset. */
Loc source_loc_after(const SourceFile *f, Loc at, size_t at_off, size_t off);
size_t source_offset(const SourceFile *f, Loc loc);
/* "path:12:14" (or "path:SHEET!B7" for a spreadsheet cell), for messages that name a place. */
const char *loc_text(Arena *a, Loc loc);

typedef struct RenderOptions {
  DiagFormat format;
  bool color;
  bool quiet;              /* text and github: errors only, and the count */
  bool all;                /* text: no folding of a rule's many findings */
  const char *path_prefix; /* prepended to paths: the tree as the user named it */
  const char *repo_prefix; /* the tree's root inside its Git work tree ("" or "isms/"), for
                              the CI formats (github, gitlab, sarif); NULL outside Git */
  const char *root_uri;    /* file:// URI of the work tree (else of the tree), ending in '/' */
  const char *tool_version;
  FILE *step_summary; /* github: $GITHUB_STEP_SUMMARY opened for appending, or NULL */
} RenderOptions;

void diags_render(const Diags *d, const RenderOptions *opt, FILE *out);

/* The machine-readable formats (diag_json.c). */
void diags_render_json(const Diags *d, const RenderOptions *opt, FILE *out);
void diags_render_sarif(const Diags *d, const RenderOptions *opt, FILE *out);
void diags_render_gitlab(const Diags *d, const RenderOptions *opt, FILE *out);
/* The path of g's file as the CI formats show it (relative to the work tree). */
const char *diag_ci_path(const Diags *d, const Diag *g, const RenderOptions *opt);
/* The documentation of a rule (SARIF helpUri, `ismsc explain`): its section of
 * docs/rule-reference.md; NULL for a tree's own rules, which are documented nowhere else. */
const char *diag_rule_uri(Arena *a, const RuleInfo *r);
/* What a rule checks, in a paragraph: a Lua rule's opening comment, else its description. */
const char *rule_explanation(Arena *a, const RuleInfo *r);

#endif
