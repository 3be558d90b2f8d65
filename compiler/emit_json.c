/* emit_json.c - the resolved model as isms.json, for other tools (docs/isms-json.md).
 *
 * Every record with every field as the schema tables name it (enumerations normalised,
 * dates as YYYY-MM-DD), the derived values and the back-links as id lists, all as the kinds'
 * rows in schema.h list them: nothing here names a kind. Records are in
 * tree order by kind, controls in catalog order; keys in schema order: reproducible.
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
      json_object_set_new(o, t->fields[i].name, S_value(&t->fields[i], &fields[i]));
  return o;
}

static json_t *S_value(const FieldSpec *spec, const Value *v) {
  char date[11];
  switch (spec->type) {
  case FT_DATE: date_format(&v->date, date); return json_string(date);
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
                                                         : json_string(v->items[i].str));
    return a;
  }
  case FT_NAMED_MAP: {
    json_t *o = json_object();
    for (size_t i = 0; i < v->count; i++)
      json_object_set_new(o, v->items[i].str, S_map(spec->sub, v->items[i].fields));
    return o;
  }
  case FT_SEVERITY_MAP: {
    json_t *o = json_object();
    for (size_t i = 0; i < v->count; i++)
      json_object_set_new(o, v->items[i].str,
                          json_string(severity_name((Severity)v->items[i].num)));
    return o;
  }
  default: return json_string(v->str);
  }
}

static json_t *S_ids(const PtrVec *records) {
  json_t *a = json_array();
  for (size_t i = 0; i < records->len; i++)
    json_array_append_new(a, json_string(((const Record *)records->items[i])->id));
  return a;
}

/* id, kind, file and line; the written fields in schema order; the body; the derived values
 * and the back-links the kind's row lists. */
static json_t *S_record(const Record *r) {
  const KindSpec *ks = kind_spec(r->kind);
  json_t *o = json_object();
  json_object_set_new(o, "id", json_string(r->id));
  json_object_set_new(o, "kind", json_string(ks->name));
  if (r->raw) {
    json_object_set_new(o, "file", json_string(r->raw->file->path));
    json_object_set_new(o, "line", json_integer(r->loc.line));
  }
  if (r->parent) /* a nested record: its parent's id, under the parent's kind */
    json_object_set_new(o, kind_name(r->parent->kind), json_string(r->parent->id));
  const FieldTable *t = ks->table;
  for (size_t i = 0; i < t->count; i++)
    if (r->fields[i].ok && (int)i != ks->id_field && (int)i != ks->kind_field)
      json_object_set_new(o, t->fields[i].name, S_value(&t->fields[i], &r->fields[i]));
  if (r->raw && r->raw->body_text && !(ks->body_field >= 0 && r->fields[ks->body_field].ok))
    json_object_set_new(o, "body", json_stringn(r->raw->body_text, r->raw->body_len));
  for (size_t i = 0; ks->derived && i < ks->derived->count; i++) {
    const FieldSpec *spec = &ks->derived->fields[i];
    if (r->derived[i].ok && !(spec->flags & F_LUA_ONLY))
      json_object_set_new(o, spec->name, S_value(spec, &r->derived[i]));
  }
  for (int l = 1; l < LINK_COUNT; l++)
    if (kind_has_link(r->kind, (Link)l))
      json_object_set_new(o, link_name((Link)l), S_ids(rec_links(r, (Link)l)));
  return o;
}

/* jansson hands its output over in millions of small pieces (7 M for the scale-1 tree):
 * gathered here and written a chunk at a time, not through one stdio call each. */
typedef struct JsonOut {
  FILE *f;
  size_t len;
  bool failed;
  char buf[64 * 1024];
} JsonOut;

static void S_flush_json(JsonOut *o) {
  if (o->len && fwrite(o->buf, 1, o->len, o->f) != o->len)
    o->failed = true;
  o->len = 0;
}

static int S_write_piece(const char *piece, size_t size, void *data) {
  JsonOut *o = data;
  if (o->len + size > sizeof o->buf)
    S_flush_json(o);
  if (size > sizeof o->buf) {
    o->failed = o->failed || fwrite(piece, 1, size, o->f) != size;
    return o->failed ? -1 : 0;
  }
  memcpy(o->buf + o->len, piece, size);
  o->len += size;
  return o->failed ? -1 : 0;
}

bool emit_json_model(const EmitContext *ctx, FILE *out) {
  const Model *m = ctx->model;
  json_t *root = json_object();
  char date[11];
  date_format(&ctx->date, date);
  json_object_set_new(root, "format", json_string("ismsc-model/1"));
  json_object_set_new(root, "date", json_string(date));
  const Revision *rev = ctx->revision;
  json_object_set_new(root, "revision",
                      rev->in_git ? json_pack("{s:s,s:s,s:b}", "commit", rev->commit, "date",
                                              rev->date, "modified", rev->modified)
                                  : json_null());
  if (m->manifest)
    json_object_set_new(root, "manifest", S_map(schema_table(KIND_MANIFEST), m->manifest->fields));
  if (m->catalog)
    json_object_set_new(root, "catalog",
                        json_pack("{s:s?,s:s?}", "id", m->catalog->id, "title", m->catalog->title));
  json_t *records = json_object();
  for (int k = 0; k < KIND_COUNT; k++) {
    if (!kind_is_record((Kind)k))
      continue;
    json_t *a = json_array();
    for (size_t i = 0; i < m->by_kind[k].len; i++)
      json_array_append_new(a, S_record(m->by_kind[k].items[i]));
    json_object_set_new(records, kind_spec((Kind)k)->plural, a);
  }
  json_object_set_new(root, "records", records);
  JsonOut *o = malloc(sizeof *o);
  int rc = -1;
  if (o) {
    o->f = out;
    o->len = 0;
    o->failed = false;
    rc = json_dump_callback(root, S_write_piece, o, JSON_INDENT(2));
    S_flush_json(o);
    rc = o->failed ? -1 : rc;
    free(o);
  }
  fputc('\n', out);
  json_decref(root);
  return rc == 0 && !ferror(out);
}
