/* lua_view.h - the model as Lua values, for lua_rules.c (lua_view.c).
 *
 * Only lua_rules.c includes this: the two files hold every Lua API call of the project. */
#ifndef ISMSC_LUA_VIEW_H
#define ISMSC_LUA_VIEW_H

#include <lua.h>

#include "model.h"

/* Installs the record metatable and the record cache, and `isms` as a global and as the
 * registry's "ismsc.isms", over m (which must outlive the state). */
void lua_view_install(lua_State *L, const Model *m);
/* The record at stack index arg, or a Lua error naming the argument. */
const Record *lua_view_check_record(lua_State *L, int arg);

#endif
