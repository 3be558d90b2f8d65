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
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "embedded.h"
#include "lua_sandbox.h"
#include "lua_view.h"

enum {
  MAX_REPORTS_PER_RULE = 10000, /* a runaway rule does not flood the output */
  DEFAULT_MAX_MEMORY_MB = 512,
};
static const long long DEFAULT_MAX_INSTRUCTIONS = 100000000;

typedef struct LuaRule {
  RuleInfo info;
  int check_ref; /* registry reference of the check function */
  int env_ref;   /* registry reference of its file's environment */
  const SourceFile *file;
  int line;     /* where the rule's check function is defined */
  int position; /* its place in the list its file returns; 0: the file returns just it */
} LuaRule;

/* A diagnostic held back while rules run on two threads, to be reported in rule order. */
typedef struct HeldDiag {
  size_t rule, seq; /* the rule's index in the run; the order within its sandbox */
  const Record *record;
  Loc loc;
  const char *rule_id, *message;
} HeldDiag;




/* Every diagnostic of this file goes through here: reported at once, or held (with the
 * rule's index) while the rules run on two threads, or dropped by a quiet helper. */
static void S_diag(Sandbox *sb, const Record *r, Loc loc, const char *rule, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void S_diag(Sandbox *sb, const Record *r, Loc loc, const char *rule, const char *fmt, ...) {
  if (sb->quiet)
    return;
  va_list ap;
  va_start(ap, fmt);
  if (!sb->hold) {
    diag_vreport(sb->m->diags, r, loc, rule, fmt, ap);
  } else {
    HeldDiag *h = arena_alloc(sb->arena, sizeof *h);
    *h = (HeldDiag){sb->rule_index, sb->held.len, r, loc, rule, arena_vprintf(sb->arena, fmt, ap)};
    ptrvec_push(sb->arena, &sb->held, h);
  }
  va_end(ap);
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
  Sandbox *sb = sandbox_of(L);
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
      S_diag(sb, NULL, (Loc){sb->current->file, sb->current->line, 1}, "rule-error",
             "rule '%s' reported more than %d findings; the rest are not shown",
             sb->current->info.id, MAX_REPORTS_PER_RULE);
    return 0;
  }
  S_diag(sb, r, S_report_loc(r, field, index), sb->current->info.id, "%s", msg ? msg : "");
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
  Sandbox *sb = sandbox_of(L);
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
  S_diag(sb, NULL, loc, "rule-invalid", fmt, arg);
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
  Arena *a = sb->arena;
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
    r->position = n;
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

/* Loads rule file f as a text chunk whose _ENV is env_ref and runs it under the budget, with
 * the message handler at stack index handler, leaving its one result on the stack. Returns
 * the run's status, the message on the stack when it is not LUA_OK; *loaded is false when
 * the file did not even load (a syntax error: the message is on the stack too). */
static int S_run_file_chunk(lua_State *L, Sandbox *sb, const SourceFile *f, int env_ref,
                            int handler, bool *loaded) {
  const char *name = arena_printf(sb->arena, "@%s", f->path);
  *loaded = luaL_loadbufferx(L, f->text, f->len, name, "t") == LUA_OK;
  if (!*loaded)
    return LUA_ERRSYNTAX;
  lua_rawgeti(L, LUA_REGISTRYINDEX, env_ref);
  lua_setupvalue(L, -2, 1);
  sb->env_ref = env_ref;
  sb->instr_used = 0;
  sb->over_budget = false;
  sb->err_file = NULL;
  sb->err_line = 0;
  lua_sethook(L, sandbox_count_hook, LUA_MASKCOUNT, HOOK_STEP);
  int status = lua_pcall(L, 0, 1, handler);
  sb->env_ref = 0;
  return status;
}

/* Runs a rule file in an environment of its own (so files cannot clobber each other's
 * globals) and collects the rule or rules it returns. Called protected: running out of
 * memory here is a diagnostic, not a crash. */
static int S_load_rule_file_p(lua_State *L) {
  const FileLoad *fl = lua_touserdata(L, 1);
  Sandbox *sb = fl->sb;
  const SourceFile *f = fl->f;
  int env_ref = S_new_file_env(L);
  lua_pushcfunction(L, S_message_handler);
  int handler = lua_gettop(L);
  bool loaded;
  int status = S_run_file_chunk(L, sb, f, env_ref, handler, &loaded);
  if (!loaded) {
    const char *msg = lua_tostring(L, -1);
    const char *colon = strstr(msg, ".lua:");
    int line = colon ? atoi(colon + 5) : 1;
    S_rule_invalid(sb, f, line, "%s", S_strip_position(msg));
    return 0;
  }
  if (status != LUA_OK) {
    const char *msg = lua_tostring(L, -1);
    S_rule_invalid(sb, f, sb->err_line, "%s",
                   status == LUA_ERRMEM
                       ? arena_printf(sb->arena,
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
                       ? arena_printf(sb->arena, "out of memory (lua.max_memory_mb is %zu)",
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
  /* Each rule draws the same math.random numbers, whichever rules ran before it and on
   * whichever thread. No rule can reach the shared math table to replace randomseed. */
  lua_getglobal(L, LUA_MATHLIBNAME);
  lua_getfield(L, -1, "randomseed");
  lua_pushinteger(L, 0);
  lua_call(L, 1, 0);
  lua_pop(L, 1);
  lua_sethook(L, sandbox_count_hook, LUA_MASKCOUNT, HOOK_STEP);
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
      S_diag(sb, NULL, loc, "rule-error", "rule '%s' ran out of memory (lua.max_memory_mb is %zu)",
             rule->info.id, sb->mem_limit / (1024 * 1024));
    else
      S_diag(sb, NULL, loc, "rule-error", "rule '%s' failed: %s", rule->info.id,
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
    SourceFile *f = arena_alloc(sb->arena, sizeof *f);
    f->path = e->path;
    f->text = e->data;
    f->len = e->len;
    f->arena = sb->arena;
    ptrvec_push(sb->arena, &sb->rule_files, f);
    if (strcmp(e->path, "lua/prelude.lua") == 0)
      *prelude = f;
    else
      ptrvec_push(sb->arena, out, f);
  }
}

static void S_setup_state(Sandbox *sb) {
  lua_State *L = sb->L;
  sandbox_open_libraries(L);
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

/* A sandbox's state: the safe libraries, the view, `report`, and the prelude's helpers. */
static bool S_open(Sandbox *sb, const SourceFile *prelude) {
  sb->L = lua_newstate(sandbox_alloc, sb);
  if (!sb->L)
    return false;
  lua_State *L = sb->L;
  lua_sethook(L, sandbox_count_hook, LUA_MASKCOUNT, HOOK_STEP);
  S_setup_state(sb);
  if (prelude) { /* helpers every rule may use: loaded into the globals themselves */
    lua_pushcfunction(L, S_message_handler);
    if (luaL_loadbufferx(L, prelude->text, prelude->len, "@lua/prelude.lua", "t") != LUA_OK ||
        lua_pcall(L, 0, 0, -2) != LUA_OK)
      S_rule_invalid(sb, prelude, sb->err_line, "%s", lua_tostring(L, -1));
    lua_settop(L, 0);
  }
  return true;
}

/* ---------------------------------------------------------------- two threads */

/* Rules are independent readers of one model, and on a large tree they are the longest part
 * of a check that runs on one thread (80 ms of 330 on the scale-1 bench tree). From this
 * many records on, a helper thread with a Lua state of its own takes rules too. Below it,
 * the helper's setup (its state, the prelude, the rule files read again) would cost more
 * than it saves. */
enum { HELPER_FROM_RECORDS = 2000 };

typedef struct Shared {
  const PtrVec *rules;          /* LuaRule *, the main sandbox's */
  const LuaRule **helper_rules; /* the same rules in the helper's state; NULL: not found there */
  atomic_size_t next;           /* the next rule to take */
  size_t *left;                 /* rules the helper took and could not run */
  size_t nleft;
} Shared;

typedef struct Helper {
  Sandbox sb;
  Arena arena;
  Shared *shared;
} Helper;

/* Runs the rule file f again in the helper's state and leaves what it returns on the stack
 * (called protected). The main sandbox ran it first and judged it: nothing is reported. */
static int S_rerun_file_p(lua_State *L) {
  const FileLoad *fl = lua_touserdata(L, 1);
  int env_ref = S_new_file_env(L);
  lua_pushcfunction(L, S_message_handler);
  bool loaded;
  if (S_run_file_chunk(L, fl->sb, fl->f, env_ref, lua_gettop(L), &loaded) != LUA_OK)
    return 0; /* S_adopt_rules finds no value: the main sandbox runs the file's rules */
  lua_pushinteger(L, env_ref);
  return 2;
}

/* The helper's own copy of each rule: its file run again in the helper's state (rule files
 * are code over the sandbox's libraries alone, so they return the same rules), the check
 * function taken from the rule's place in what it returned. */
static void S_adopt_rules(Sandbox *sb, const PtrVec *rules, const LuaRule **out) {
  lua_State *L = sb->L;
  const SourceFile *file = NULL;
  bool returned = false; /* the current file's value is at stack index 1, its env ref at 2 */
  for (size_t i = 0; i < rules->len; i++) {
    const LuaRule *r = rules->items[i];
    out[i] = NULL;
    if (r->file != file) {
      lua_settop(L, 0);
      file = r->file;
      FileLoad fl = {sb, file, NULL};
      lua_pushcfunction(L, S_rerun_file_p);
      lua_pushlightuserdata(L, &fl);
      returned = lua_pcall(L, 1, 2, 0) == LUA_OK && lua_gettop(L) == 2;
      sb->env_ref = 0;
      if (!returned)
        lua_settop(L, 0);
    }
    if (!returned)
      continue;
    lua_pushvalue(L, 1);
    if (r->position > 0 && lua_istable(L, -1)) {
      lua_rawgeti(L, -1, r->position);
      lua_remove(L, -2);
    }
    if (lua_istable(L, -1)) {
      if (S_rawfield(L, -1, "check") == LUA_TFUNCTION) {
        LuaRule *copy = arena_alloc(sb->arena, sizeof *copy);
        *copy = *r;
        copy->check_ref = luaL_ref(L, LUA_REGISTRYINDEX); /* pops the function */
        copy->env_ref = (int)lua_tointeger(L, 2);
        out[i] = copy;
      } else {
        lua_pop(L, 1);
      }
    }
    lua_pop(L, 1); /* the rule's table */
  }
  lua_settop(L, 0);
}

/* Takes rules from the shared list until none is left. */
static void S_take_rules(Sandbox *sb, Shared *sh, bool helper) {
  for (;;) {
    size_t i = atomic_fetch_add(&sh->next, 1);
    if (i >= sh->rules->len)
      return;
    const LuaRule *r = helper ? sh->helper_rules[i] : sh->rules->items[i];
    if (!r) { /* not found in the helper's state: the main sandbox runs it afterwards */
      sh->left[sh->nleft++] = i;
      continue;
    }
    sb->rule_index = i;
    S_run_rule(sb, r);
  }
}

static void *S_helper_main(void *arg) {
  Helper *h = arg;
  S_take_rules(&h->sb, h->shared, true);
  return NULL;
}

static int S_compare_held(const void *pa, const void *pb) {
  const HeldDiag *a = *(const HeldDiag *const *)pa, *b = *(const HeldDiag *const *)pb;
  if (a->rule != b->rule)
    return a->rule < b->rule ? -1 : 1;
  return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* The held diagnostics of both sandboxes, reported in rule order: the order one thread running
 * the rules one after another would have reported them in (each rule ran in one sandbox). */
static void S_report_held(Model *m, Sandbox *main, Sandbox *helper) {
  size_t n = main->held.len + helper->held.len;
  if (!n)
    return;
  HeldDiag **all = malloc(n * sizeof *all);
  if (!all)
    abort();
  if (main->held.len) /* an empty PtrVec has no items to copy from (NULL) */
    memcpy(all, main->held.items, main->held.len * sizeof *all);
  if (helper->held.len)
    memcpy(all + main->held.len, helper->held.items, helper->held.len * sizeof *all);
  qsort(all, n, sizeof *all, S_compare_held);
  for (size_t i = 0; i < n; i++)
    diag_report(m->diags, all[i]->record, all[i]->loc, all[i]->rule_id, "%s", all[i]->message);
  free(all);
}

/* Runs the rules on this thread and a helper; false (nothing run) when the helper cannot
 * be set up, and the caller runs them alone. */
static bool S_run_with_helper(Sandbox *sb, const PtrVec *rules, const SourceFile *prelude) {
  Helper h = {0};
  arena_init(&h.arena);
  h.sb = (Sandbox){.m = sb->m, .arena = &h.arena, .quiet = true, .hold = true,
                   .mem_limit = sb->mem_limit, .instr_budget = sb->instr_budget,
                   .rule_files = sb->rule_files};
  Shared sh = {.rules = rules};
  sh.helper_rules = arena_alloc(&h.arena, rules->len * sizeof *sh.helper_rules);
  sh.left = arena_alloc(&h.arena, rules->len * sizeof *sh.left);
  atomic_init(&sh.next, 0);
  h.shared = &sh;
  bool ok = S_open(&h.sb, prelude);
  if (ok) {
    S_adopt_rules(&h.sb, rules, sh.helper_rules);
    h.sb.quiet = false; /* what its rules find is reported, held like the main sandbox's */
  }
  pthread_t thread;
  ok = ok && pthread_create(&thread, NULL, S_helper_main, &h) == 0;
  if (ok) {
    sb->hold = true;
    S_take_rules(sb, &sh, false);
    pthread_join(thread, NULL);
    for (size_t k = 0; k < sh.nleft; k++) {
      sb->rule_index = sh.left[k];
      S_run_rule(sb, rules->items[sh.left[k]]);
    }
    sb->hold = false;
    S_report_held(sb->m, sb, &h.sb);
  }
  if (h.sb.L)
    lua_close(h.sb.L);
  arena_free(&h.arena);
  return ok;
}

void lua_rules_run_threads(Model *m, int threads) {
  Sandbox sb = {0};
  sb.m = m;
  sb.arena = m->arena;
  S_read_budgets(&sb);
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
  if (!S_open(&sb, prelude))
    return;
  for (size_t i = 0; i < files.len; i++)
    S_load_rule_file(&sb, files.items[i], &rules);
  if (threads < 2 || rules.len < 2 || !S_run_with_helper(&sb, &rules, prelude))
    for (size_t i = 0; i < rules.len; i++)
      S_run_rule(&sb, rules.items[i]);
  lua_close(sb.L);
}

void lua_rules_run(Model *m) {
  lua_rules_run_threads(m, m->records.len >= HELPER_FROM_RECORDS ? 2 : 1);
}
