/* lua_view.c - the resolved model as Lua values: records, `isms`, and the kinds' collections.
 *
 * lua_rules.c runs the rules; this file is what they see. Together they hold every Lua API
 * call of the project (STYLE.md point 6), so a Lua error (a longjmp) never skips C code that
 * holds resources: nothing here allocates outside the Lua state.
 *
 * What must stay true:
 * - The model cannot be changed from Lua. Records and `isms` are userdata whose __newindex
 *   raises an error and whose metatable is protected; lists and nested values are fresh
 *   tables, so writing to them changes nothing but the rule's own copy.
 * - Each record is one userdata for the whole run (the registry's record cache), so `==`
 *   compares records as a rule expects.
 * - Enumerated values reach Lua normalised (`modify` arrives as `mitigate`).
 * - Every collection comes from the kinds table (schema.h): a new kind is in `isms` by its
 *   plural with no change here.
 */
#include "lua_view.h"

#include <lauxlib.h>
#include <string.h>

static const char RECORD_MT[] = "ismsc.record";
static const char ISMS_MT[] = "ismsc.isms";
static char records_key; /* registry: record pointer -> its userdata, for identity */
static char model_key;   /* registry: the Model the view shows */

static const Model *S_model(lua_State *L) {
  lua_rawgetp(L, LUA_REGISTRYINDEX, &model_key);
  const Model *m = lua_touserdata(L, -1);
  lua_pop(L, 1);
  return m;
}

/* ---------------------------------------------------------------- the model as Lua values */

static void S_push_record(lua_State *L, const Record *r);
static void S_push_value(lua_State *L, const FieldSpec *spec, const Value *v);

static void S_push_date(lua_State *L, Date d) {
  char buf[11];
  date_format(&d, buf);
  lua_pushstring(L, buf);
}

static void S_push_map(lua_State *L, const FieldTable *t, const Value *fields) {
  lua_createtable(L, 0, (int)t->count);
  for (size_t i = 0; i < t->count; i++) {
    if (!fields[i].ok)
      continue;
    S_push_value(L, &t->fields[i], &fields[i]);
    lua_setfield(L, -2, t->fields[i].name);
  }
}

/* A whole number arrives as a Lua integer (`95`, not `95.0`), any other as a float. */
static void S_push_number(lua_State *L, double x) {
  lua_Integer i;
  if (lua_numbertointeger(x, &i) && (double)i == x)
    lua_pushinteger(L, i);
  else
    lua_pushnumber(L, x);
}

static void S_push_list(lua_State *L, const FieldSpec *spec, const Value *v) {
  lua_createtable(L, (int)v->count, 0);
  lua_Integer n = 0;
  for (size_t i = 0; i < v->count; i++) {
    const Value *item = &v->items[i];
    switch (spec->type) {
    case FT_REF_LIST:
    case FT_RECORD_LIST:
      if (!item->ref)
        continue; /* unresolved: reported by resolve */
      S_push_record(L, item->ref);
      break;
    case FT_MAP_LIST: S_push_map(L, spec->sub, item->fields); break;
    case FT_SEVERITY_MAP:
      lua_pushstring(L, severity_name((Severity)item->num));
      lua_setfield(L, -2, item->str);
      continue;
    case FT_NAMED_MAP:
      S_push_map(L, spec->sub, item->fields);
      lua_setfield(L, -2, item->str);
      continue;
    default: lua_pushstring(L, item->str); break;
    }
    lua_rawseti(L, -2, ++n);
  }
}

static void S_push_value(lua_State *L, const FieldSpec *spec, const Value *v) {
  if (!v->ok) {
    lua_pushnil(L);
    return;
  }
  switch (spec->type) {
  case FT_DATE: S_push_date(L, v->date); break;
  case FT_BOOL: lua_pushboolean(L, (int)v->num); break;
  case FT_INT:
  case FT_SCALE: lua_pushinteger(L, v->num); break;
  case FT_NUMBER: S_push_number(L, v->real); break;
  case FT_REF:
    if (v->ref)
      S_push_record(L, v->ref);
    else
      lua_pushnil(L); /* unresolved: reported by resolve */
    break;
  case FT_MAP: S_push_map(L, spec->sub, v->fields); break;
  case FT_STRING_LIST:
  case FT_ENUM_LIST:
  case FT_REF_LIST:
  case FT_MAP_LIST:
  case FT_RECORD_LIST:
  case FT_NAMED_MAP:
  case FT_SEVERITY_MAP: S_push_list(L, spec, v); break;
  default: lua_pushstring(L, v->str); break; /* id, text, enum (canonical), classification */
  }
}

static void S_push_records(lua_State *L, const PtrVec *records) {
  lua_createtable(L, (int)records->len, 0);
  for (size_t i = 0; i < records->len; i++) {
    S_push_record(L, records->items[i]);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
}

/* One userdata per record, cached, so that `==` and table keys work on records. */
static void S_push_record(lua_State *L, const Record *r) {
  lua_rawgetp(L, LUA_REGISTRYINDEX, &records_key);
  if (lua_rawgetp(L, -1, r) == LUA_TNIL) {
    lua_pop(L, 1);
    const Record **ud = lua_newuserdatauv(L, sizeof *ud, 0);
    *ud = r;
    luaL_setmetatable(L, RECORD_MT);
    lua_pushvalue(L, -1);
    lua_rawsetp(L, -3, r);
  }
  lua_remove(L, -2);
}

const Record *lua_view_check_record(lua_State *L, int arg) {
  return *(const Record **)luaL_checkudata(L, arg, RECORD_MT);
}

static const char *S_body(const Record *r, size_t *len) {
  if (!r->raw || !r->raw->body_text)
    return NULL;
  *len = r->raw->body_len;
  return r->raw->body_text;
}

/* What every record has besides its fields: its identity and place. Their names, in the
 * order of the Common codes. */
static const char *const common_names[] = {"id", "kind", "file", "line", "body"};
typedef enum Common { C_ID, C_KIND, C_FILE, C_LINE, C_BODY, C_COUNT } Common;
_Static_assert(sizeof common_names / sizeof common_names[0] == C_COUNT,
               "a name for every Common code");

/* A name's code in a kind's lookup table: a field's index (>= 0), or one of these ranges,
 * each counting down from its base: common values, the kind's derived values, back-links. */
enum { CODE_COMMON = -1, CODE_PARENT = -50, CODE_DERIVED = -100, CODE_LINK = -1000 };

static void S_push_common(lua_State *L, const Record *r, Common key) {
  switch (key) {
  case C_ID: lua_pushstring(L, r->id); break; /* also for catalog controls without a record */
  case C_KIND: lua_pushstring(L, kind_name(r->kind)); break;
  case C_FILE:
    if (r->raw)
      lua_pushstring(L, r->raw->file->path);
    else
      lua_pushnil(L);
    break;
  case C_LINE: lua_pushinteger(L, r->loc.line); break;
  case C_BODY: {
    size_t len;
    const char *body = S_body(r, &len);
    if (body)
      lua_pushlstring(L, body, len);
    else
      lua_pushnil(L);
    break;
  }
  default: lua_pushnil(L); break;
  }
}

/* record.name: one table lookup (upvalue 1: for each kind, name -> code) instead of comparing
 * the name with every field's; rules read fields in loops over thousands of records. */
static int S_record_index(lua_State *L) {
  const Record *r = lua_view_check_record(L, 1);
  luaL_checkstring(L, 2);
  lua_rawgeti(L, lua_upvalueindex(1), r->kind);
  lua_pushvalue(L, 2);
  bool known = lua_rawget(L, -2) == LUA_TNUMBER;
  int code = known ? (int)lua_tointeger(L, -1) : 0;
  lua_pop(L, 2);
  if (!known)
    return 0; /* nil: an unknown name reads as absent, as in a table */
  const KindSpec *ks = kind_spec(r->kind);
  if (code >= 0)
    S_push_value(L, &ks->table->fields[code], &r->fields[code]);
  else if (code <= CODE_LINK)
    S_push_records(L, rec_links(r, (Link)(CODE_LINK - code)));
  else if (code <= CODE_DERIVED)
    S_push_value(L, &ks->derived->fields[CODE_DERIVED - code], &r->derived[CODE_DERIVED - code]);
  else if (code == CODE_PARENT && r->parent)
    S_push_record(L, r->parent);
  else
    S_push_common(L, r, (Common)(CODE_COMMON - code));
  return 1;
}

static void S_set_code(lua_State *L, const char *name, int code) {
  lua_pushinteger(L, code);
  lua_setfield(L, -2, name);
}

/* The lookup tables of S_record_index, one per kind, on the stack. A later name wins: the
 * common values over fields of the same name (`body`), derived values and back-links over
 * both. */
static void S_push_field_codes(lua_State *L) {
  lua_createtable(L, KIND_COUNT, 0);
  for (int k = 0; k < KIND_COUNT; k++) {
    const KindSpec *ks = kind_spec((Kind)k);
    lua_createtable(L, 0, (int)(ks->table->count + C_COUNT));
    for (size_t i = 0; i < ks->table->count; i++)
      S_set_code(L, ks->table->fields[i].name, (int)i);
    for (int c = 0; c < C_COUNT; c++)
      S_set_code(L, common_names[c], CODE_COMMON - c);
    if (ks->parent_kind >= 0) /* a nested record: its parent, by the parent's kind name */
      S_set_code(L, kind_name((Kind)ks->parent_kind), CODE_PARENT);
    for (size_t d = 0; ks->derived && d < ks->derived->count; d++)
      S_set_code(L, ks->derived->fields[d].name, CODE_DERIVED - (int)d);
    for (int l = 1; l < LINK_COUNT; l++)
      if (kind_has_link((Kind)k, (Link)l))
        S_set_code(L, link_name((Link)l), CODE_LINK - l);
    lua_rawseti(L, -2, k);
  }
}

static int S_read_only(lua_State *L) {
  return luaL_error(L, "the model is read-only: rules report, they do not change records");
}

static int S_record_tostring(lua_State *L) {
  const Record *r = lua_view_check_record(L, 1);
  lua_pushfstring(L, "%s %s", kind_name(r->kind), r->id);
  return 1;
}

/* ---------------------------------------------------------------- isms */

/* isms.get(id), or isms.get(record): the items of a reference list are records already, and
 * a rule need not know which it holds. */
static int S_isms_get(lua_State *L) {
  if (luaL_testudata(L, 1, RECORD_MT)) {
    lua_settop(L, 1);
    return 1;
  }
  const Record *r = hashmap_get(&S_model(L)->ids, luaL_checkstring(L, 1));
  if (r)
    S_push_record(L, r);
  else
    lua_pushnil(L);
  return 1;
}

/* isms.days("2026-03-01") -> days since 1970-01-01, for date arithmetic. */
static int S_isms_days(lua_State *L) {
  Date d;
  const char *s = luaL_checkstring(L, 1);
  if (!date_parse(s, &d))
    return luaL_error(L, "'%s' is not a YYYY-MM-DD date", s);
  lua_pushinteger(L, d.days);
  return 1;
}

static void S_push_catalog(lua_State *L, const Catalog *c) {
  if (!c) {
    lua_pushnil(L);
    return;
  }
  lua_createtable(L, 0, 3);
  lua_pushstring(L, c->id ? c->id : "");
  lua_setfield(L, -2, "id");
  lua_pushstring(L, c->title ? c->title : "");
  lua_setfield(L, -2, "title");
  lua_createtable(L, (int)c->ntheme, 0);
  for (size_t i = 0; i < c->ntheme; i++) {
    lua_createtable(L, 0, 2);
    lua_pushstring(L, c->themes[i].id);
    lua_setfield(L, -2, "id");
    lua_pushstring(L, c->themes[i].title ? c->themes[i].title : "");
    lua_setfield(L, -2, "title");
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lua_setfield(L, -2, "themes");
}

/* The names `isms` has besides the kinds' plurals (whose codes are their Kind, >= 0). */
typedef enum IsmsName {
  I_SCOPE = -1,
  I_TODAY = -2,
  I_CONFIG = -3,
  I_CATALOG = -4,
  I_GET = -5,
  I_DAYS = -6
} IsmsName;
static const struct {
  const char *name;
  IsmsName code;
} isms_names[] = {{"scope", I_SCOPE},     {"today", I_TODAY}, {"config", I_CONFIG},
                  {"catalog", I_CATALOG}, {"get", I_GET},     {"days", I_DAYS}};

/* isms.name: one table lookup (upvalue 1: name -> code), as for records; rules read
 * isms.today in loops (the prelude's overdue() does, once an item). Upvalue 2 is today's
 * date as text, made once. */
static int S_isms_index(lua_State *L) {
  const Model *m = S_model(L);
  luaL_checkstring(L, 2);
  lua_pushvalue(L, 2);
  bool known = lua_rawget(L, lua_upvalueindex(1)) == LUA_TNUMBER;
  int code = known ? (int)lua_tointeger(L, -1) : 0;
  lua_pop(L, 1);
  if (!known) {
    lua_pushnil(L);
    return 1;
  }
  if (code >= 0) {
    S_push_records(L, &m->by_kind[code]);
    return 1;
  }
  switch ((IsmsName)code) {
  case I_SCOPE:
    if (model_scope(m))
      S_push_record(L, model_scope(m));
    else
      lua_pushnil(L);
    break;
  case I_TODAY: lua_pushvalue(L, lua_upvalueindex(2)); break;
  case I_CONFIG:
    if (m->manifest)
      S_push_map(L, schema_table(KIND_MANIFEST), m->manifest->fields);
    else
      lua_newtable(L);
    break;
  case I_CATALOG: S_push_catalog(L, m->catalog); break;
  case I_GET: lua_pushcfunction(L, S_isms_get); break;
  case I_DAYS: lua_pushcfunction(L, S_isms_days); break;
  }
  return 1;
}

/* S_isms_index's upvalues, on the stack: its name -> code table and today's date. A kind's
 * plural wins over a fixed name, as it did when the plurals were compared first. */
static void S_push_isms_upvalues(lua_State *L, const Model *m) {
  lua_createtable(L, 0, KIND_COUNT + (int)(sizeof isms_names / sizeof isms_names[0]));
  for (size_t i = 0; i < sizeof isms_names / sizeof isms_names[0]; i++)
    S_set_code(L, isms_names[i].name, isms_names[i].code);
  for (int k = KIND_COUNT - 1; k >= 0; k--)
    if (kind_is_record((Kind)k))
      S_set_code(L, kind_spec((Kind)k)->plural, k);
  S_push_date(L, m->today);
}

void lua_view_install(lua_State *L, const Model *m) {
  lua_pushlightuserdata(L, (void *)m);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &model_key);
  luaL_newmetatable(L, RECORD_MT);
  S_push_field_codes(L);
  lua_pushcclosure(L, S_record_index, 1);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, S_read_only);
  lua_setfield(L, -2, "__newindex");
  lua_pushcfunction(L, S_record_tostring);
  lua_setfield(L, -2, "__tostring");
  lua_pushstring(L, RECORD_MT);
  lua_setfield(L, -2, "__metatable");
  lua_pop(L, 1);
  lua_newtable(L); /* the record cache: weak values are not needed, records live all run */
  lua_rawsetp(L, LUA_REGISTRYINDEX, &records_key);

  lua_newuserdatauv(L, 0, 0); /* isms */
  luaL_newmetatable(L, ISMS_MT);
  S_push_isms_upvalues(L, m);
  lua_pushcclosure(L, S_isms_index, 2);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, S_read_only);
  lua_setfield(L, -2, "__newindex");
  lua_pushstring(L, ISMS_MT);
  lua_setfield(L, -2, "__metatable");
  lua_setmetatable(L, -2);
  lua_pushvalue(L, -1);
  lua_setglobal(L, "isms"); /* also a global, for helpers outside check() */
  lua_setfield(L, LUA_REGISTRYINDEX, "ismsc.isms");
}
