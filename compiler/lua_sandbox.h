/* lua_sandbox.h - the Lua state a rule runs in: the safe libraries, the instruction budget
 * and the memory cap (lua_sandbox.c), and the Sandbox both lua_rules.c and it read. Private
 * to those two files; see lua_rules.c for what must stay true of the sandbox. */
#ifndef ISMSC_LUA_SANDBOX_H
#define ISMSC_LUA_SANDBOX_H

#include <lua.h>
#include <stdbool.h>
#include <stddef.h>

#include "model.h"

enum { HOOK_STEP = 1000 }; /* instructions between budget checks */

struct LuaRule;

typedef struct Sandbox {
  lua_State *L;
  Model *m;
  Arena *arena; /* the model's; a helper's own: the model is only read while rules run */
  bool quiet;   /* a helper reading rule files the main sandbox has already judged */
  bool hold;    /* rules run on two threads: diagnostics wait in `held` */
  size_t rule_index;
  PtrVec held; /* HeldDiag * */
  size_t mem_used, mem_limit;
  long long instr_used, instr_budget;
  bool over_budget;
  const struct LuaRule *current;
  int env_ref; /* the environment of the file being loaded or whose rule runs */
  size_t reports;
  /* Where the last error happened in a rule file, found by the message handler. */
  const SourceFile *err_file;
  int err_line;
  PtrVec rule_files; /* SourceFile *: shipped and tree rule files, to map chunk names back */
} Sandbox;

/* The sandbox a state was made for (its allocator's user data). */
Sandbox *sandbox_of(lua_State *L);
/* The allocator: Lua's memory, counted against mem_limit. */
void *sandbox_alloc(void *ud, void *ptr, size_t osize, size_t nsize);
/* The count hook: every HOOK_STEP instructions, against instr_budget. */
void sandbox_count_hook(lua_State *L, lua_Debug *ar);
/* The safe libraries as the globals: no io, os, package, debug, dofile, loadfile, rawset;
 * pcall, xpcall and coroutine.resume that cannot catch a budget error; load for text
 * chunks in the calling file's environment; math.random seeded. */
void sandbox_open_libraries(lua_State *L);

#endif
