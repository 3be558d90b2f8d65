/* lua_sandbox.c - the limits and libraries of the Lua state rules run in; see lua_sandbox.h
 * and, for what must stay true, lua_rules.c. */
#include "lua_sandbox.h"

#include <lauxlib.h>
#include <lualib.h>
#include <stdlib.h>
#include <string.h>

Sandbox *sandbox_of(lua_State *L) {
  void *ud;
  lua_getallocf(L, &ud);
  return ud;
}

/* ---------------------------------------------------------------- limits */

void *sandbox_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  Sandbox *sb = ud;
  size_t old = ptr ? osize : 0; /* without ptr, osize is a type tag, not a size */
  if (nsize == 0) {
    free(ptr);
    sb->mem_used -= old;
    return NULL;
  }
  if (nsize > old && sb->mem_used + (nsize - old) > sb->mem_limit)
    return NULL; /* Lua raises "not enough memory" */
  void *p = realloc(ptr, nsize);
  if (p)
    sb->mem_used = sb->mem_used - old + nsize;
  return p;
}

static int S_budget_error(lua_State *L) {
  Sandbox *sb = sandbox_of(L);
  return luaL_error(L, "ran over its budget of %I instructions (lua.max_instructions)",
                    (lua_Integer)sb->instr_budget);
}

void sandbox_count_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  Sandbox *sb = sandbox_of(L);
  sb->instr_used += lua_gethookcount(L);
  if (sb->instr_used > sb->instr_budget) {
    sb->over_budget = true;
    /* From now on this thread fails at every instruction, so that code that catches the
     * error (a finalizer, a coroutine) cannot keep running. */
    lua_sethook(L, sandbox_count_hook, LUA_MASKCOUNT, 1);
    S_budget_error(L);
  }
}

/* pcall, xpcall and coroutine.resume, wrapped: a rule cannot catch its own budget error and
 * go on. The original function is the upvalue. */
static int S_catch_finish(lua_State *L, int status, lua_KContext ctx) {
  (void)status;
  (void)ctx;
  if (sandbox_of(L)->over_budget)
    return S_budget_error(L);
  return lua_gettop(L);
}

static int S_catch(lua_State *L) {
  int n = lua_gettop(L);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_callk(L, n, LUA_MULTRET, 0, S_catch_finish);
  return S_catch_finish(L, LUA_OK, 0);
}

/* Lua runs a message handler with hooks off when the error came from a hook: once the budget
 * is spent, xpcall's handler is not called (the budget error goes through unchanged). */
static int S_guarded_handler(lua_State *L) {
  if (sandbox_of(L)->over_budget)
    return 1;
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, 1);
  return 1;
}

static int S_pcall(lua_State *L) {
  luaL_checkany(L, 1); /* here, so that an error names the function */
  return S_catch(L);
}

static int S_resume(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTHREAD);
  return S_catch(L);
}

static int S_xpcall(lua_State *L) {
  luaL_checktype(L, 2, LUA_TFUNCTION);
  lua_pushvalue(L, 2);
  lua_pushcclosure(L, S_guarded_handler, 1);
  lua_replace(L, 2);
  return S_catch(L);
}

/* setmetatable without __gc: Lua runs finalizers with hooks off, out of any budget. */
static int S_setmetatable(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_argexpected(L, lua_isnoneornil(L, 2) || lua_istable(L, 2), 2, "nil or table");
  if (lua_type(L, 2) == LUA_TTABLE) {
    lua_pushliteral(L, "__gc");
    if (lua_rawget(L, 2) != LUA_TNIL)
      return luaL_error(L, "__gc metamethods are not available to rules");
    lua_pop(L, 1);
  }
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, 1);
  return 1;
}

static void S_wrap(lua_State *L, int table, const char *name, lua_CFunction wrapper) {
  table = lua_absindex(L, table);
  lua_getfield(L, table, name);
  lua_pushcclosure(L, wrapper, 1);
  lua_setfield(L, table, name);
}

/* ---------------------------------------------------------------- the sandbox */

/* collectgarbage, allowed to count memory and nothing else. */
static int S_collectgarbage(lua_State *L) {
  const char *opt = luaL_optstring(L, 1, "count");
  if (strcmp(opt, "count") != 0)
    return luaL_error(L, "collectgarbage('%s') is not available to rules", opt);
  lua_pushnumber(L, (lua_Number)lua_gc(L, LUA_GCCOUNT, 0) +
                        (lua_Number)lua_gc(L, LUA_GCCOUNTB, 0) / 1024);
  return 1;
}

/* load, for text chunks only: a binary chunk could break the VM's invariants. */
static int S_load(lua_State *L) {
  size_t len;
  const char *chunk = luaL_checklstring(L, 1, &len);
  const char *name = luaL_optstring(L, 2, "=(load)");
  int status = luaL_loadbufferx(L, chunk, len, name, "t");
  if (status != LUA_OK) {
    lua_pushnil(L);
    lua_insert(L, -2);
    return 2;
  }
  Sandbox *sb = sandbox_of(L);
  if (!lua_isnoneornil(L, 4)) /* an env table: the chunk's _ENV */
    lua_pushvalue(L, 4);
  else if (sb->env_ref > 0) /* else the calling file's, never the shared globals */
    lua_rawgeti(L, LUA_REGISTRYINDEX, sb->env_ref);
  else
    return 1;
  if (!lua_setupvalue(L, -2, 1))
    lua_pop(L, 1);
  return 1;
}

void sandbox_open_libraries(lua_State *L) {
  static const luaL_Reg libs[] = {
      {LUA_GNAME, luaopen_base},        {LUA_TABLIBNAME, luaopen_table},
      {LUA_STRLIBNAME, luaopen_string}, {LUA_MATHLIBNAME, luaopen_math},
      {LUA_UTF8LIBNAME, luaopen_utf8},  {LUA_COLIBNAME, luaopen_coroutine},
  };
  for (size_t i = 0; i < sizeof libs / sizeof libs[0]; i++) {
    luaL_requiref(L, libs[i].name, libs[i].func, 1);
    lua_pop(L, 1);
  }
  static const char *const removed[] = {"dofile", "loadfile", "rawset", "print", "require"};
  for (size_t i = 0; i < sizeof removed / sizeof removed[0]; i++) {
    lua_pushnil(L);
    lua_setglobal(L, removed[i]);
  }
  lua_pushcfunction(L, S_collectgarbage);
  lua_setglobal(L, "collectgarbage");
  lua_pushcfunction(L, S_load);
  lua_setglobal(L, "load");
  lua_getglobal(L, LUA_STRLIBNAME);
  lua_pushnil(L);
  lua_setfield(L, -2, "dump");
  lua_pop(L, 1);
  lua_pushglobaltable(L);
  S_wrap(L, -1, "pcall", S_pcall);
  S_wrap(L, -1, "xpcall", S_xpcall);
  S_wrap(L, -1, "setmetatable", S_setmetatable);
  lua_getglobal(L, LUA_COLIBNAME);
  S_wrap(L, -1, "resume", S_resume);
  lua_pop(L, 2);
  /* The string metatable's __index is the shared string table: hide it. */
  lua_pushliteral(L, "");
  lua_getmetatable(L, -1);
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_pop(L, 2);
  /* math.random's seed would make output depend on the clock: fix it. */
  luaL_dostring(L, "math.randomseed(0)");
}
