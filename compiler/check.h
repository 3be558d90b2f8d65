/* check.h - the structural checks in C that need the resolved model (check.c). */
#ifndef ISMSC_CHECK_H
#define ISMSC_CHECK_H

#include "model.h"

/* Reports every structural finding; reads the model, never changes it (DESIGN.md 4). */
void check_structure(Model *m);
/* Checks rule ids named in isms.yaml `rules:` and records' `ignore:` against the known
 * rules (call after every rule is registered), and marks the diagnostics that a record's
 * `ignore:` silences. */
void check_rule_settings(Model *m);

#endif
