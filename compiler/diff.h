/* diff.h - `ismsc diff`: what changed between two revisions of a tree, record by record.
 *
 * diff.c loads both revisions through the one loader (a Git revision from the object
 * database, or the work tree), compiles each as `check` does, and compares the two models:
 * records added, removed, renamed (the same content under a new id) and changed field by
 * field; derived changes (risk scores and levels, SoA applicability and inclusion reasons,
 * controlled documents whose content changed and whose approval went stale); diagnostics
 * introduced and fixed. diff_render.c writes the result as text, Markdown or JSON.
 */
#ifndef ISMSC_DIFF_H
#define ISMSC_DIFF_H

#include <stdio.h>

#include "compare.h"
#include "model.h"

typedef enum DiffFormat { DIFF_TEXT, DIFF_MARKDOWN, DIFF_JSON } DiffFormat;

typedef struct RecordDiff {
  const Record *old, *cur; /* added: old NULL; removed: cur NULL; renamed: ids differ */
  PtrVec changes;          /* Change *: fields and body sections, located in cur */
} RecordDiff;

/* A value the compiler derives, not typed by hand. */
typedef struct DerivedChange {
  const Record *record; /* in the new revision (the old one when it was removed) */
  const char *what;     /* "score", "residual score", "applicable", "inclusion reasons" */
  const char *old_text, *new_text;
} DerivedChange;

/* A controlled document (policy, scope) whose content changed. */
typedef struct DocumentChange {
  const Record *record;
  const char *summary; /* what changed, as in approval-stale */
  bool stale;          /* approval-stale in the new revision and not in the old */
} DocumentChange;

typedef struct DiffResult {
  const char *from, *to; /* the revisions as the user named them ("HEAD", "work tree") */
  PtrVec added, removed, renamed, changed; /* RecordDiff * */
  PtrVec derived;                          /* DerivedChange * */
  PtrVec documents;                        /* DocumentChange * */
  PtrVec introduced, fixed;                /* const Diag * (new revision / old revision) */
} DiffResult;

/* Compares two compiled models. Everything is allocated in a. */
void diff_models(Arena *a, const Model *old, const Model *cur, DiffResult *out);

/* Writes the result. Markdown stays under GitHub's comment limit (65,536 characters): the
 * largest changes first, and a count of what did not fit. */
void diff_render(const DiffResult *r, DiffFormat format, FILE *out);

/* The changed records, largest change first (then by id), as a new array (free it). */
RecordDiff **diff_changed_by_size(const PtrVec *changed);

/* `ismsc build --since REV`: compiles revision `rev` of the tree in `tree` from Git objects,
 * as `ismsc diff REV` does, and compares it with `cur` (the work tree's model) into *out.
 * Returns 0, or the exit status of a failure (reported on stderr). The old revision's model
 * stays alive until diff_since_free. */
typedef struct DiffSince DiffSince;
int diff_since(DiffSince **since, const char *tree, const char *rev, Date today, const Model *cur,
               Arena *a, DiffResult *out);
void diff_since_free(DiffSince *since);

/* `ismsc diff [-C TREE] [--format F] [--date D] [REV1 [REV2]]`; argv[0] is "diff". Returns
 * the exit status. */
int diff_main(int argc, char **argv);

#endif
