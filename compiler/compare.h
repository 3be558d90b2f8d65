/* compare.h - records compared by their bound values, never by lines (DESIGN.md 11).
 *
 * Two records are compared field by field through their kind's schema table, so a
 * reordered mapping, a changed quoting style or a moved comment is no change, while a
 * likelihood written as a label in one revision and as its number in the other is the same
 * value. The Git rules (git_rules.c) and `ismsc diff` (diff.c) share this one comparison.
 */
#ifndef ISMSC_COMPARE_H
#define ISMSC_COMPARE_H

#include "model.h"

/* One changed value: a field ("residual.likelihood") or a body section. */
typedef struct Change {
  const char *field;   /* dotted field name, or NULL for a body section */
  const char *section; /* the body section's heading ("" for the text before any heading) */
  const char *old_text, *new_text; /* the values as text; NULL when absent */
  Loc loc;                         /* where it is in the new record (else the record) */
} Change;

bool value_equal(const FieldSpec *spec, const Value *a, const Value *b);
/* The value as a short line of text, or NULL when absent. Long text is cut with "…". */
const char *value_text(Arena *a, const FieldSpec *spec, const Value *v);

/* Is a field of kind k part of a document's content? A controlled document's version,
 * approval and status are its document control block, not what it says (SPEC §5). `kind`
 * and `ignore` never are. */
bool field_is_content(Kind k, size_t field);

/* Appends a Change * to out for every field (and body section) that differs between two
 * records of the same kind; content_only leaves out what field_is_content rejects. */
void record_changes(Arena *a, const Record *old, const Record *cur, bool content_only, PtrVec *out);
/* The same question, answered without building the list. */
bool record_content_equal(const Record *old, const Record *cur);

/* "field `review`; body sections 'Access reviews' and 'Scope'": what changed, for a message. */
const char *changes_summary(Arena *a, const PtrVec *changes);

#endif
