/* emit_json.c - the resolved model as isms.json, for other tools (docs/isms-json.md).
 *
 * Every record with every field as the schema tables name it (enumerations normalised,
 * dates as YYYY-MM-DD), the derived values and the back-links as id lists, all as the kinds'
 * rows in schema.h list them: nothing here names a kind. Records are in
 * tree order by kind, controls in catalog order; keys in schema order: reproducible.
 *
 * Text from the tree goes in with jansson's _nocheck calls: every file is checked as UTF-8
 * when it is loaded (load_source), libyaml decodes escapes only to valid UTF-8, and the rest
 * is ASCII from the schema tables and this file; checking again was a tenth of the
 * writing's instructions. File paths are names from a folder listing, never checked: they
 * keep the checking call.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"

static json_t *S_value(const FieldSpec *spec, const Value *v);

/* A whole number as an integer (`95`), any other as a real. */
static json_t *S_number(double x) {
  if (x == (double)(json_int_t)x && x > -1e15 && x < 1e15)
    return json_integer((json_int_t)x);
  return json_real(x);
}

static json_t *S_map(const FieldTable *t, const Value *fields) {
  json_t *o = json_object();
  for (size_t i = 0; i < t->count; i++)
    if (fields[i].ok)
      json_object_set_new_nocheck(o, t->fields[i].name, S_value(&t->fields[i], &fields[i]));
  return o;
}

static json_t *S_value(const FieldSpec *spec, const Value *v) {
  char date[11];
  switch (spec->type) {
  case FT_DATE: date_format(&v->date, date); return json_string_nocheck(date);
  case FT_BOOL: return json_boolean(v->num);
  case FT_INT:
  case FT_SCALE: return json_integer(v->num);
  case FT_NUMBER: return S_number(v->real);
  case FT_MAP: return S_map(spec->sub, v->fields);
  case FT_STRING_LIST:
  case FT_ENUM_LIST:
  case FT_REF_LIST:
  case FT_RECORD_LIST: /* nested records are listed by id; they are records of their own */
  case FT_MAP_LIST: {
    json_t *a = json_array();
    for (size_t i = 0; i < v->count; i++)
      json_array_append_new(a, spec->type == FT_MAP_LIST ? S_map(spec->sub, v->items[i].fields)
                                                         : json_string_nocheck(v->items[i].str));
    return a;
  }
  case FT_NAMED_MAP: {
    json_t *o = json_object();
    for (size_t i = 0; i < v->count; i++)
      json_object_set_new_nocheck(o, v->items[i].str, S_map(spec->sub, v->items[i].fields));
    return o;
  }
  case FT_SEVERITY_MAP: {
    json_t *o = json_object();
    for (size_t i = 0; i < v->count; i++)
      json_object_set_new_nocheck(o, v->items[i].str,
                                  json_string_nocheck(severity_name((Severity)v->items[i].num)));
    return o;
  }
  default: return json_string_nocheck(v->str);
  }
}

static json_t *S_ids(const PtrVec *records) {
  json_t *a = json_array();
  for (size_t i = 0; i < records->len; i++)
    json_array_append_new(a, json_string_nocheck(((const Record *)records->items[i])->id));
  return a;
}

/* id, kind, file and line; the written fields in schema order; the body; the derived values
 * and the back-links the kind's row lists. */
static json_t *S_record(const Record *r) {
  const KindSpec *ks = kind_spec(r->kind);
  json_t *o = json_object();
  json_object_set_new_nocheck(o, "id", json_string_nocheck(r->id));
  json_object_set_new_nocheck(o, "kind", json_string_nocheck(ks->name));
  if (r->raw) {
    json_object_set_new_nocheck(o, "file", json_string(r->raw->file->path)); /* checked */
    json_object_set_new_nocheck(o, "line", json_integer(r->loc.line));
  }
  if (r->parent) /* a nested record: its parent's id, under the parent's kind */
    json_object_set_new_nocheck(o, kind_name(r->parent->kind), json_string_nocheck(r->parent->id));
  const FieldTable *t = ks->table;
  for (size_t i = 0; i < t->count; i++)
    if (r->fields[i].ok && (int)i != ks->id_field && (int)i != ks->kind_field)
      json_object_set_new_nocheck(o, t->fields[i].name, S_value(&t->fields[i], &r->fields[i]));
  if (r->raw && r->raw->body_text && !(ks->body_field >= 0 && r->fields[ks->body_field].ok))
    json_object_set_new_nocheck(o, "body",
                                json_stringn_nocheck(r->raw->body_text, r->raw->body_len));
  for (size_t i = 0; ks->derived && i < ks->derived->count; i++) {
    const FieldSpec *spec = &ks->derived->fields[i];
    if (r->derived[i].ok && !(spec->flags & F_LUA_ONLY))
      json_object_set_new_nocheck(o, spec->name, S_value(spec, &r->derived[i]));
  }
  for (int l = 1; l < LINK_COUNT; l++)
    if (kind_has_link(r->kind, (Link)l))
      json_object_set_new_nocheck(o, link_name((Link)l), S_ids(rec_links(r, (Link)l)));
  return o;
}

/* jansson hands its output over in millions of small pieces (7 M for the scale-1 tree):
 * gathered here in one growing buffer, the document the caller is given. (Gathering 64 KB
 * at a time for stdio and an open_memstream behind it copied every byte twice more.) */
typedef struct JsonOut {
  char *buf;
  size_t len, cap;
  size_t indent; /* spaces after each newline of a value dumped inside the document */
  bool failed;   /* out of memory: nothing more is written */
} JsonOut;

/* A newline and 16 spaces, more than the deepest indent, copied whole: a copy of a fixed
 * size is two moves, where one of `1 + indent` bytes was a call to memcpy. */
static const char S_newline_spaces[] = "\n                ";
enum { NEWLINE_SIZE = sizeof S_newline_spaces - 1 };

/* The first capacity is reserved, not used: a block this large is mapped by malloc, its pages
 * resident only once written, and it grows by mremap without a copy. (Doubling from 1 MB
 * left the outgrown blocks resident in the worker's malloc heap: 12 MB more peak memory at
 * scale 1.) */
enum { JSON_FIRST_CAPACITY = 32 * 1024 * 1024 };

static bool S_grow(JsonOut *o, size_t size) {
  size_t cap = o->cap ? o->cap : JSON_FIRST_CAPACITY;
  while (cap - o->len < size)
    cap *= 2;
  char *p = realloc(o->buf, cap);
  if (!p) {
    o->failed = true;
    return false;
  }
  o->buf = p;
  o->cap = cap;
  return true;
}

/* Room for size bytes and a newline's indentation after them. */
static bool S_reserve(JsonOut *o, size_t size) {
  size += NEWLINE_SIZE;
  return !o->failed && (o->cap - o->len >= size || S_grow(o, size));
}

static void S_put(JsonOut *o, const char *bytes, size_t size) {
  if (!S_reserve(o, size))
    return;
  memcpy(o->buf + o->len, bytes, size);
  o->len += size;
}

static void S_put_str(JsonOut *o, const char *s) { S_put(o, s, strlen(s)); }

/* A piece of a value: jansson writes each newline of its indentation as a piece of its own
 * (a string's newlines are escaped), and indents as if the value were the whole document.
 * Most pieces are one byte (quotes, commas, colons, brackets): stored, not copied. */
static int S_write_piece(const char *piece, size_t size, void *data) {
  JsonOut *o = data;
  if (!S_reserve(o, size))
    return -1;
  char *at = o->buf + o->len;
  if (size == 1 && piece[0] == '\n') {
    memcpy(at, S_newline_spaces, NEWLINE_SIZE);
    o->len += 1 + o->indent;
  } else if (size == 1) {
    *at = piece[0];
    o->len++;
  } else {
    memcpy(at, piece, size);
    o->len += size;
  }
  return 0;
}

/* value, as jansson writes it with JSON_INDENT(2) at this depth of the document (indent
 * spaces); the reference is stolen. */
static bool S_dump(JsonOut *o, json_t *value, size_t indent) {
  o->indent = indent;
  int rc = value ? json_dump_callback(value, S_write_piece, o, JSON_INDENT(2) | JSON_ENCODE_ANY)
                 : -1;
  json_decref(value);
  return rc == 0;
}

/* One member of the top-level object: "  key": value. */
static bool S_member(JsonOut *o, bool *first, const char *key, json_t *value) {
  S_put_str(o, *first ? "\n  \"" : ",\n  \"");
  *first = false;
  S_put_str(o, key); /* the document's own keys: plain ASCII, nothing to escape */
  S_put_str(o, "\": ");
  return S_dump(o, value, 2);
}

/* "records": each kind's array, written a record at a time: building the whole model as one
 * jansson tree, dumping it and freeing it walked a million nodes three times, out of cache;
 * a record is built, written and freed while it is small. The bytes are what one dump of the
 * whole tree wrote (JSON_INDENT(2), members in insertion order). */
static bool S_records(JsonOut *o, const Model *m) {
  bool ok = true, first_kind = true;
  S_put_str(o, ",\n  \"records\": {");
  for (int k = 0; k < KIND_COUNT; k++) {
    if (!kind_is_record((Kind)k))
      continue;
    S_put_str(o, first_kind ? "\n    \"" : ",\n    \"");
    first_kind = false;
    S_put_str(o, kind_spec((Kind)k)->plural);
    S_put_str(o, "\": [");
    const PtrVec *records = &m->by_kind[k];
    for (size_t i = 0; i < records->len; i++) {
      S_put_str(o, i ? ",\n      " : "\n      ");
      ok = S_dump(o, S_record(records->items[i]), 6) && ok;
    }
    S_put_str(o, records->len ? "\n    ]" : "]");
  }
  S_put_str(o, first_kind ? "}" : "\n  }");
  return ok;
}

bool emit_json_model(const EmitContext *ctx, char **bytes, size_t *len) {
  const Model *m = ctx->model;
  JsonOut out = {0}, *o = &out;
  char date[11];
  date_format(&ctx->date, date);
  const Revision *rev = ctx->revision;
  bool first = true;
  S_put_str(o, "{");
  bool ok = S_member(o, &first, "format", json_string_nocheck("ismsc-model/1"));
  ok = S_member(o, &first, "date", json_string_nocheck(date)) && ok;
  ok = S_member(o, &first, "revision",
                rev->in_git ? json_pack("{s:s,s:s,s:b}", "commit", rev->commit, "date",
                                        rev->date, "modified", rev->modified)
                            : json_null()) &&
       ok;
  if (m->manifest)
    ok = S_member(o, &first, "manifest", S_map(schema_table(KIND_MANIFEST), m->manifest->fields)) &&
         ok;
  if (m->catalog)
    ok = S_member(o, &first, "catalog",
                  json_pack("{s:s?,s:s?}", "id", m->catalog->id, "title", m->catalog->title)) &&
         ok;
  ok = S_records(o, m) && ok;
  S_put_str(o, "\n}\n");
  ok = ok && !o->failed;
  if (!ok) {
    free(o->buf);
    o->buf = NULL;
    o->len = 0;
  }
  *bytes = o->buf;
  *len = o->len;
  return ok;
}
