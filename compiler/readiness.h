/* readiness.h - what in the tree provides each clause's mandatory documented information.
 *
 * One computation, read twice: a clause's derived `readiness` and `lacking` (which the Lua
 * rule `readiness` reports on) and the readiness report (doc_readiness.c), which lists the
 * sources too. Neither has its own copy of the logic, so the note and the page can never
 * disagree about a clause.
 *
 * The state of a clause that requires documented information (the catalog's `documented`):
 * missing when nothing in the tree provides it, incomplete when something does but with a
 * gap (a draft policy, a SoA without a record for every control, metrics never measured),
 * present otherwise. A policy or an evidence entry naming the clause in `clauses:` always
 * provides it (the declared route, the only one for 7.2 and for a custom catalog's clauses).
 */
#ifndef ISMSC_READINESS_H
#define ISMSC_READINESS_H

#include "model.h"

typedef enum ReadinessState {
  READINESS_NONE, /* the clause requires no documented information */
  READINESS_MISSING,
  READINESS_INCOMPLETE,
  READINESS_PRESENT,
} ReadinessState;

/* One thing that provides a clause: a record (linked to its page), or a generated document
 * (its --only word, "method"), or neither (text only). */
typedef struct ReadinessSource {
  const char *label;    /* "POL-ISP Information Security Policy", "6 objectives" */
  const Record *record; /* the record that provides it, or NULL */
  const char *document; /* the document that shows it ("soa"), or NULL */
  const char *gap;      /* what it still lacks; NULL when complete */
} ReadinessSource;

typedef struct Readiness {
  ReadinessState state;
  /* missing: what would provide it ("a scope record (scope.md)"); incomplete: the first
   * gap; NULL when present */
  const char *lacking;
  ReadinessSource *sources;
  size_t nsources;
} Readiness;

/* Assesses one clause record against the model; everything it makes is in `a`. */
void readiness_assess(const Model *m, const Record *clause, Arena *a, Readiness *out);
/* "present", "incomplete", "missing"; NULL for READINESS_NONE. */
const char *readiness_state_name(ReadinessState s);

#endif
