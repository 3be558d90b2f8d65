/* lua_rules.c - run coverage rules and users' rules in a Lua 5.4 sandbox.
 *
 * The shipped rules (lua/ *.lua, embedded in the binary) and a tree's rules/ *.lua are written
 * against the same API (SPEC §2, docs/rules.md): `isms`, a read-only view of the resolved
 * model, and `report(record, [field, [index,]] format, ...)`.
 *
 * What must stay true:
 * - The model cannot be changed from Lua. Records and `isms` are userdata whose __newindex
 *   raises an error and whose metatable is protected; lists and nested values are fresh
 *   tables, so writing to them changes nothing but the rule's own copy.
 * - The sandbox has no io, os, package/require, debug, string.dump, dofile/loadfile, rawset,
 *   binary chunks, __gc metamethods, or collectgarbage beyond "count". The globals themselves
 *   are the sandbox: there is no unrestricted table left anywhere in the state to reach.
 * - Each rule file runs in an _ENV of its own: its globals, its own copies of the library
 *   tables, `_G` naming itself, `load` defaulting to it. The shared globals (the prelude, the
 *   libraries, the string metatable) are out of reach, so no file changes what another sees.
 * - Each rule runs in lua_pcall under an instruction budget (a count hook) and the state
 *   under a memory cap (its allocator). pcall, xpcall and coroutine.resume cannot catch a
 *   budget error. A failure becomes one `rule-error` at the rule file's line, and the next
 *   rule runs. Reading rule files is protected too: nothing a file returns crashes the run.
 *   Not counted: time inside one library call (a pathological string pattern).
 * The model's side of that API, records and `isms` as Lua values, is lua_view.c.
 */
#include "lua_rules.h"

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <stdlib.h>
#include <string.h>

#include "embedded.h"
#include "lua_view.h"

enum {
  HOOK_STEP = 1000,             /* instructions between budget checks */
  MAX_REPORTS_PER_RULE = 10000, /* a runaway rule does not flood the output */
  DEFAULT_MAX_MEMORY_MB = 512,
};
static const long long DEFAULT_MAX_INSTRUCTIONS = 100000000;

typedef struct LuaRule {
  RuleInfo info;
  int check_ref; /* registry reference of the check function */
  int env_ref;   /* registry reference of its file's environment */
  const SourceFile *file;
  int line; /* where the rule's check function is defined */
} LuaRule;

typedef struct Sandbox {
  lua_State *L;
  Model *m;
  size_t mem_used, mem_limit;
  long long instr_used, instr_budget;
  bool over_budget;
  const LuaRule *current;
  int env_ref; /* the environment of the file being loaded or whose rule runs */
  size_t reports;
  /* Where the last error happened in a rule file, found by the message handler. */
  const SourceFile *err_file;
  int err_line;
  PtrVec rule_files; /* SourceFile *: shipped and tree rule files, to map chunk names back */
} Sandbox;

static Sandbox *S_sandbox(lua_State *L) {
  void *ud;
  lua_getallocf(L, &ud);
  return ud;
}

/* ---------------------------------------------------------------- limits */

static void *S_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
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
  Sandbox *sb = S_sandbox(L);
  return luaL_error(L, "ran over its budget of %I instructions (lua.max_instructions)",
                    (lua_Integer)sb->instr_budget);
}

static void S_count_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  Sandbox *sb = S_sandbox(L);
  sb->instr_used += lua_gethookcount(L);
  if (sb->instr_used > sb->instr_budget) {
    sb->over_budget = true;
    /* From now on this thread fails at every instruction, so that code that catches the
     * error (a finalizer, a coroutine) cannot keep running. */
    lua_sethook(L, S_count_hook, LUA_MASKCOUNT, 1);
    S_budget_error(L);
  }
}

/* pcall, xpcall and coroutine.resume, wrapped: a rule cannot catch its own budget error and
 * go on. The original function is the upvalue. */
static int S_catch_finish(lua_State *L, int status, lua_KContext ctx) {
  (void)status;
  (void)ctx;
  if (S_sandbox(L)->over_budget)
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
  if (S_sandbox(L)->over_budget)
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
  Sandbox *sb = S_sandbox(L);
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

static void S_open_safe_libraries(lua_State *L) {
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

/* ---------------------------------------------------------------- report */

/* The location `report` points at: a field's value, an item of a list field, or the
 * record. */
static Loc S_report_loc(const Record *r, int field, lua_Integer index) {
  if (field < 0)
    return r->loc;
  const Value *v = &r->fields[field];
  if (index >= 1 && (size_t)index <= v->count && v->items[index - 1].node)
    return v->items[index - 1].node->loc;
  return rec_loc(r, field);
}

/* report(record, [field, [index,]] format, ...) */
static int S_report(lua_State *L) {
  Sandbox *sb = S_sandbox(L);
  const Record *r = lua_view_check_record(L, 1);
  int arg = 2, field = -1;
  lua_Integer index = 0;
  int nargs = lua_gettop(L);
  if (nargs >= 3 && lua_type(L, 2) == LUA_TSTRING) {
    const char *name = lua_tostring(L, 2);
    int f = schema_field(schema_table(r->kind), name);
    if (f >= 0) {
      field = f;
      arg = 3;
      if (nargs >= 4 && lua_isinteger(L, 3)) {
        index = lua_tointeger(L, 3);
        arg = 4;
      }
    } else if (!strchr(name, '%')) {
      /* A format with nothing to format and more arguments: a misnamed field (`level`,
       * `score`), which would otherwise become the whole message. */
      return luaL_error(L,
                        "report: '%s' is not a field of a %s; name one of its fields, or leave "
                        "the field out",
                        name, kind_name(r->kind));
    }
  }
  /* string.format, as the prelude saved it before any rule could replace it. */
  lua_getfield(L, LUA_REGISTRYINDEX, "ismsc.format");
  lua_insert(L, arg);
  lua_call(L, nargs - arg + 1, 1);
  const char *msg = lua_tostring(L, -1);
  if (++sb->reports > MAX_REPORTS_PER_RULE) {
    if (sb->reports == MAX_REPORTS_PER_RULE + 1)
      diag_report(sb->m->diags, NULL, (Loc){sb->current->file, sb->current->line, 1}, "rule-error",
                  "rule '%s' reported more than %d findings; the rest are not shown",
                  sb->current->info.id, MAX_REPORTS_PER_RULE);
    return 0;
  }
  diag_report(sb->m->diags, r, S_report_loc(r, field, index), sb->current->info.id, "%s",
              msg ? msg : "");
  return 0;
}

/* ---------------------------------------------------------------- errors */

static const SourceFile *S_rule_file(Sandbox *sb, const char *source) {
  if (source[0] != '@')
    return NULL;
  for (size_t i = 0; i < sb->rule_files.len; i++) {
    const SourceFile *f = sb->rule_files.items[i];
    if (strcmp(f->path, source + 1) == 0)
      return f;
  }
  return NULL;
}

/* Message handler: finds the innermost frame that runs in a rule file, for the location. */
static int S_message_handler(lua_State *L) {
  Sandbox *sb = S_sandbox(L);
  lua_Debug ar;
  sb->err_file = NULL;
  sb->err_line = 0;
  for (int level = 0; lua_getstack(L, level, &ar); level++) {
    lua_getinfo(L, "Sl", &ar);
    const SourceFile *f = S_rule_file(sb, ar.source);
    if (f && ar.currentline > 0) {
      sb->err_file = f;
      sb->err_line = ar.currentline;
      break;
    }
  }
  if (!lua_isstring(L, 1))
    luaL_tolstring(L, 1, NULL);
  return 1;
}

/* "rules/x.lua:12: attempt to ..." -> "attempt to ...": the location is given apart. */
static const char *S_strip_position(const char *msg) {
  const char *p = strstr(msg, ".lua:");
  if (!p)
    return msg;
  p += 5;
  while (*p >= '0' && *p <= '9')
    p++;
  return *p == ':' ? p + (p[1] == ' ' ? 2 : 1) : msg;
}

/* ---------------------------------------------------------------- loading rules */

static bool S_valid_rule_id(const char *id) {
  if (!*id)
    return false;
  for (const char *p = id; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
          *p == '-' || *p == '_' || *p == '.'))
      return false;
  return true;
}

static void S_rule_invalid(Sandbox *sb, const SourceFile *f, int line, const char *fmt,
                           const char *arg) {
  Loc loc = {f, line > 0 ? line : 1, 1};
  diag_report(sb->m->diags, NULL, loc, "rule-invalid", fmt, arg);
}

/* Pushes t[name] without metamethods: no code of a rule file runs while its rules are read. */
static int S_rawfield(lua_State *L, int t, const char *name) {
  t = lua_absindex(L, t);
  lua_pushstring(L, name);
  return lua_rawget(L, t);
}

static bool S_is_empty_table(lua_State *L, int t) {
  t = lua_absindex(L, t);
  lua_pushnil(L);
  if (lua_next(L, t) == 0)
    return true;
  lua_pop(L, 2);
  return false;
}

/* The rule table at the top of the stack becomes a LuaRule; pops it. n is its place in the
 * file's list, 0 when the file returns a single rule. */
static void S_define_rule(Sandbox *sb, const SourceFile *f, PtrVec *rules, int n, int env_ref) {
  lua_State *L = sb->L;
  Arena *a = sb->m->arena;
  if (n == 0 && (lua_isnil(L, -1) || (lua_istable(L, -1) && S_is_empty_table(L, -1)))) {
    S_rule_invalid(sb, f, 1,
                   "the file returns no rule: end it with `return {id = ..., check = "
                   "function(isms, report) ... end}`%s",
                   "");
    lua_pop(L, 1);
    return;
  }
  if (!lua_istable(L, -1)) {
    S_rule_invalid(sb, f, 1, "%s is not a table {id, severity, description, check}",
                   n ? arena_printf(a, "rule #%d", n) : "the value the file returns");
    lua_pop(L, 1);
    return;
  }
  S_rawfield(L, -1, "check");
  int line = 1;
  if (lua_isfunction(L, -1)) {
    lua_Debug ar;
    lua_pushvalue(L, -1);
    lua_getinfo(L, ">S", &ar);
    line = ar.linedefined > 0 ? ar.linedefined : 1;
  }
  S_rawfield(L, -2, "id");
  S_rawfield(L, -3, "severity");
  S_rawfield(L, -4, "description");
  S_rawfield(L, -5, "fix");
  /* stack: rule, check, id, severity, description, fix */
  const char *fix = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
  lua_pop(L, 1);
  const char *id = lua_type(L, -3) == LUA_TSTRING ? lua_tostring(L, -3) : NULL;
  const char *sev = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "error";
  const char *desc = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "";
  Severity severity;
  if (!id || !S_valid_rule_id(id)) {
    S_rule_invalid(sb, f, line, "a rule needs an `id` of letters, digits and '-'%s", "");
  } else if (!severity_parse(sev, &severity)) {
    S_rule_invalid(sb, f, line, "unknown severity '%s': error, warning, note or off", sev);
  } else if (!lua_isfunction(L, -4)) {
    S_rule_invalid(sb, f, line, "rule '%s' needs `check = function(isms, report) ... end`", id);
  } else if (diags_find_rule(sb->m->diags, id)) {
    S_rule_invalid(sb, f, line, "rule id '%s' is already defined", id);
  } else {
    LuaRule *r = arena_alloc(a, sizeof *r);
    r->info.id = arena_strdup(a, id);
    r->info.severity = severity;
    r->info.description = arena_strdup(a, desc);
    r->info.fix = fix ? arena_strdup(a, fix) : NULL;
    r->info.file = f;
    r->file = f;
    r->line = line;
    r->env_ref = env_ref;
    lua_pushvalue(L, -4);
    r->check_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    ptrvec_push(a, rules, r);
    ptrvec_push(a, &sb->m->diags->rules, &r->info);
  }
  lua_pop(L, 5);
}

/* A shallow copy of the table at index src. */
static void S_push_copy(lua_State *L, int src) {
  src = lua_absindex(L, src);
  lua_newtable(L);
  lua_pushnil(L);
  while (lua_next(L, src)) {
    lua_pushvalue(L, -2);
    lua_insert(L, -2);
    lua_rawset(L, -4);
  }
}

/* A rule file's _ENV: its own globals, its own copies of the library tables, `_G` naming
 * itself; reads of anything else fall through to the sandbox's globals, which no rule can
 * reach to change (the metatable is protected). Returns a registry reference. */
static int S_new_file_env(lua_State *L) {
  static const char *const libs[] = {LUA_STRLIBNAME, LUA_TABLIBNAME, LUA_MATHLIBNAME,
                                     LUA_UTF8LIBNAME, LUA_COLIBNAME};
  lua_newtable(L);
  for (size_t i = 0; i < sizeof libs / sizeof libs[0]; i++) {
    lua_getglobal(L, libs[i]);
    S_push_copy(L, -1);
    lua_setfield(L, -3, libs[i]);
    lua_pop(L, 1);
  }
  lua_pushvalue(L, -1);
  lua_setfield(L, -2, LUA_GNAME);
  lua_createtable(L, 0, 2);
  lua_pushglobaltable(L);
  lua_setfield(L, -2, "__index");
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_setmetatable(L, -2);
  return luaL_ref(L, LUA_REGISTRYINDEX);
}

typedef struct FileLoad {
  Sandbox *sb;
  const SourceFile *f;
  PtrVec *rules;
} FileLoad;

/* Runs a rule file in an environment of its own (so files cannot clobber each other's
 * globals) and collects the rule or rules it returns. Called protected: running out of
 * memory here is a diagnostic, not a crash. */
static int S_load_rule_file_p(lua_State *L) {
  const FileLoad *fl = lua_touserdata(L, 1);
  Sandbox *sb = fl->sb;
  const SourceFile *f = fl->f;
  const char *name = arena_printf(sb->m->arena, "@%s", f->path);
  int env_ref = S_new_file_env(L);
  lua_pushcfunction(L, S_message_handler);
  int handler = lua_gettop(L);
  if (luaL_loadbufferx(L, f->text, f->len, name, "t") != LUA_OK) {
    const char *msg = lua_tostring(L, -1);
    const char *colon = strstr(msg, ".lua:");
    int line = colon ? atoi(colon + 5) : 1;
    S_rule_invalid(sb, f, line, "%s", S_strip_position(msg));
    return 0;
  }
  lua_rawgeti(L, LUA_REGISTRYINDEX, env_ref);
  lua_setupvalue(L, -2, 1);
  sb->env_ref = env_ref;
  sb->instr_used = 0;
  sb->over_budget = false;
  sb->err_file = NULL;
  sb->err_line = 0;
  lua_sethook(L, S_count_hook, LUA_MASKCOUNT, HOOK_STEP);
  int status = lua_pcall(L, 0, 1, handler);
  sb->env_ref = 0;
  if (status != LUA_OK) {
    const char *msg = lua_tostring(L, -1);
    S_rule_invalid(sb, f, sb->err_line, "%s",
                   status == LUA_ERRMEM
                       ? arena_printf(sb->m->arena,
                                      "the file ran out of memory (lua.max_memory_mb is %zu)",
                                      sb->mem_limit / (1024 * 1024))
                   : msg ? S_strip_position(msg)
                         : "error");
    return 0;
  }
  /* One rule (a table with `id` or `check`), a list of rules, or nothing. */
  bool list = false;
  if (lua_istable(L, -1)) {
    bool has_check = S_rawfield(L, -1, "check") != LUA_TNIL;
    bool has_id = S_rawfield(L, -2, "id") != LUA_TNIL;
    lua_pop(L, 2);
    list = !has_check && !has_id && lua_rawlen(L, -1) > 0;
  }
  if (!list) {
    S_define_rule(sb, f, fl->rules, 0, env_ref);
  } else {
    lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
    for (lua_Integer i = 1; i <= n; i++) {
      lua_rawgeti(L, -1, i);
      S_define_rule(sb, f, fl->rules, (int)i, env_ref);
    }
  }
  return 0;
}

static void S_load_rule_file(Sandbox *sb, const SourceFile *f, PtrVec *rules) {
  lua_State *L = sb->L;
  FileLoad fl = {sb, f, rules};
  lua_pushcfunction(L, S_load_rule_file_p);
  lua_pushlightuserdata(L, &fl);
  int status = lua_pcall(L, 1, 0, 0);
  sb->env_ref = 0;
  if (status != LUA_OK) {
    const char *msg = lua_tostring(L, -1);
    S_rule_invalid(sb, f, 1, "the rule file could not be loaded: %s",
                   status == LUA_ERRMEM
                       ? arena_printf(sb->m->arena, "out of memory (lua.max_memory_mb is %zu)",
                                      sb->mem_limit / (1024 * 1024))
                   : msg ? msg
                         : "error");
  }
  lua_settop(L, 0);
}

static void S_run_rule(Sandbox *sb, const LuaRule *rule) {
  lua_State *L = sb->L;
  if (diags_severity(sb->m->diags, rule->info.id) == SEV_OFF)
    return; /* off in isms.yaml or in its definition: not worth running */
  sb->current = rule;
  sb->env_ref = rule->env_ref;
  sb->reports = 0;
  sb->instr_used = 0;
  sb->over_budget = false;
  sb->err_file = NULL; /* a memory error does not call the message handler */
  sb->err_line = 0;
  lua_sethook(L, S_count_hook, LUA_MASKCOUNT, HOOK_STEP);
  lua_pushcfunction(L, S_message_handler);
  lua_rawgeti(L, LUA_REGISTRYINDEX, rule->check_ref);
  lua_getfield(L, LUA_REGISTRYINDEX, "ismsc.isms");
  lua_getfield(L, LUA_REGISTRYINDEX, "ismsc.report");
  int status = lua_pcall(L, 2, 0, -4);
  if (status != LUA_OK) {
    const char *msg = lua_tostring(L, -1);
    Loc loc = {sb->err_file ? sb->err_file : rule->file, sb->err_file ? sb->err_line : rule->line,
               1};
    if (status == LUA_ERRMEM)
      diag_report(sb->m->diags, NULL, loc, "rule-error",
                  "rule '%s' ran out of memory (lua.max_memory_mb is %zu)", rule->info.id,
                  sb->mem_limit / (1024 * 1024));
    else
      diag_report(sb->m->diags, NULL, loc, "rule-error", "rule '%s' failed: %s", rule->info.id,
                  msg ? S_strip_position(msg) : "error");
    lua_pop(L, 1);
  }
  lua_pop(L, 1); /* the message handler */
  /* A full collection marks every live object, the whole record cache among them, so one
   * after each rule cost the run (rules x records). Lua collects incrementally as rules
   * allocate, and fully before an allocation would fail the memory cap; a collection here is
   * needed only when a rule left so much that the next would start short of room. */
  if (sb->mem_used > sb->mem_limit / 4)
    lua_gc(L, LUA_GCCOLLECT, 0);
}

/* The shipped rules and the prelude, as SourceFiles, so errors in them have a location. */
static void S_shipped_files(Sandbox *sb, PtrVec *out, const SourceFile **prelude) {
  for (size_t i = 0; i < embedded_count; i++) {
    const EmbeddedFile *e = &embedded_files[i];
    if (strncmp(e->path, "lua/", 4) != 0)
      continue;
    SourceFile *f = arena_alloc(sb->m->arena, sizeof *f);
    f->path = e->path;
    f->text = e->data;
    f->len = e->len;
    f->arena = sb->m->arena;
    ptrvec_push(sb->m->arena, &sb->rule_files, f);
    if (strcmp(e->path, "lua/prelude.lua") == 0)
      *prelude = f;
    else
      ptrvec_push(sb->m->arena, out, f);
  }
}

static void S_setup_state(Sandbox *sb) {
  lua_State *L = sb->L;
  S_open_safe_libraries(L);
  lua_view_install(L, sb->m);
  lua_pushcfunction(L, S_report);
  lua_setfield(L, LUA_REGISTRYINDEX, "ismsc.report");
  lua_getglobal(L, LUA_STRLIBNAME);
  lua_getfield(L, -1, "format");
  lua_setfield(L, LUA_REGISTRYINDEX, "ismsc.format");
  lua_pop(L, 1);
}

static void S_read_budgets(Sandbox *sb) {
  sb->instr_budget = DEFAULT_MAX_INSTRUCTIONS;
  sb->mem_limit = (size_t)DEFAULT_MAX_MEMORY_MB * 1024 * 1024;
  const Model *m = sb->m;
  const Value *lua = m->manifest ? rec_field(m->manifest, MANIFEST_LUA) : NULL;
  if (!lua || !lua->ok)
    return;
  if (lua->fields[LUA_MAX_INSTRUCTIONS].ok && lua->fields[LUA_MAX_INSTRUCTIONS].num > 0)
    sb->instr_budget = lua->fields[LUA_MAX_INSTRUCTIONS].num;
  if (lua->fields[LUA_MAX_MEMORY_MB].ok && lua->fields[LUA_MAX_MEMORY_MB].num > 0)
    sb->mem_limit = (size_t)lua->fields[LUA_MAX_MEMORY_MB].num * 1024 * 1024;
}

void lua_rules_run(Model *m) {
  Sandbox sb = {0};
  sb.m = m;
  S_read_budgets(&sb);
  lua_State *L = lua_newstate(S_alloc, &sb);
  if (!L)
    return;
  sb.L = L;
  lua_sethook(L, S_count_hook, LUA_MASKCOUNT, HOOK_STEP);
  S_setup_state(&sb);

  PtrVec files = {0}, rules = {0};
  const SourceFile *prelude = NULL;
  S_shipped_files(&sb, &files, &prelude);
  for (size_t i = 0; i < m->tree->rule_files.len; i++) {
    const SourceFile *f = m->tree->rule_files.items[i];
    if (!f->text)
      continue;
    ptrvec_push(m->arena, &sb.rule_files, (void *)f);
    ptrvec_push(m->arena, &files, (void *)f);
  }
  if (prelude) { /* helpers every rule may use: loaded into the globals themselves */
    lua_pushcfunction(L, S_message_handler);
    if (luaL_loadbufferx(L, prelude->text, prelude->len, "@lua/prelude.lua", "t") != LUA_OK ||
        lua_pcall(L, 0, 0, -2) != LUA_OK)
      S_rule_invalid(&sb, prelude, sb.err_line, "%s", lua_tostring(L, -1));
    lua_settop(L, 0);
  }
  for (size_t i = 0; i < files.len; i++)
    S_load_rule_file(&sb, files.items[i], &rules);
  for (size_t i = 0; i < rules.len; i++)
    S_run_rule(&sb, rules.items[i]);
  lua_close(L);
}
