/* lua_rules.h - coverage rules and users' rules in sandboxed Lua 5.4 (lua_rules.c).
 *
 * Every Lua API call of the project lives in lua_rules.c, lua_sandbox.c and lua_view.c
 * (STYLE.md point 6), so a Lua error (a longjmp) never skips C code that holds resources. */
#ifndef ISMSC_LUA_RULES_H
#define ISMSC_LUA_RULES_H

#include "model.h"

/* Loads the shipped rules (lua/, embedded) and the tree's rules/ *.lua, registers every rule
 * with the diagnostics module, and runs each one that is not off against the model. A rule
 * file that is malformed and a rule that fails or runs over its budget are diagnostics;
 * the other rules still run. */
void lua_rules_run(Model *m);
/* The same, on one thread or (threads >= 2) on this one and a helper with a Lua state of its
 * own, whatever the tree's size; the diagnostics are the same either way, in the same order.
 * lua_rules_run chooses by the number of records; the tests compare the two. */
void lua_rules_run_threads(Model *m, int threads);

#endif
