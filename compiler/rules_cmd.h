/* rules_cmd.h - `ismsc rules` and `ismsc explain RULE` (rules_cmd.c). */
#ifndef ISMSC_RULES_CMD_H
#define ISMSC_RULES_CMD_H

#include "driver.h"

/* Lists every rule with its severity: text, json, or markdown (docs/rule-reference.md). */
int rules_list(const Options *opt);
/* What opt->args[0] checks, why, and how to fix a finding. Exit 2 for an unknown rule. */
int rules_explain(const Options *opt);

#endif
