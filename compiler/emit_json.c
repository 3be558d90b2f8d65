/* emit_json.c - the resolved model as isms.json, for other tools (docs/isms-json.md).
 *
 * Every record with every field as the schema tables name it (enumerations normalised,
 * dates as YYYY-MM-DD), the derived values and the back-links as id lists. Records are in
 * tree order by kind, controls in catalog order; keys in schema order: reproducible.
 */
#include <jansson.h>

#include "emit.h"

static json_t *S_value(const FieldSpec *spec, const Value *v);

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
  case FT_MAP: return S_map(spec->sub, v->fields);
  case FT_STRING_LIST:
  case FT_ENUM_LIST:
  case FT_REF_LIST:
  case FT_MAP_LIST: {
    json_t *a = json_array();
    for (size_t i = 0; i < v->count; i++)
      json_array_append_new(a, spec->type == FT_MAP_LIST ? S_map(spec->sub, v->items[i].fields)
                                                         : json_string(v->items[i].str));
    return a;
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

static json_t *S_record(const Model *m, const Record *r) {
  json_t *o = json_object();
  json_object_set_new(o, "id", json_string(r->id));
  json_object_set_new(o, "kind", json_string(kind_name(r->kind)));
  if (r->raw) {
    json_object_set_new(o, "file", json_string(r->raw->file->path));
    json_object_set_new(o, "line", json_integer(r->loc.line));
  }
  const FieldTable *t = schema_table(r->kind);
  for (size_t i = 1; i < t->count; i++) /* 0 is the id, written first */
    if (r->fields[i].ok && i != schema_common_index(r->kind, COMMON_KIND))
      json_object_set_new(o, t->fields[i].name, S_value(&t->fields[i], &r->fields[i]));
  if (r->raw && r->raw->body_text && !r->fields[schema_common_index(r->kind, COMMON_BODY)].ok)
    json_object_set_new(o, "body", json_stringn(r->raw->body_text, r->raw->body_len));
  switch (r->kind) {
  case KIND_RISK:
    if (r->score) {
      json_object_set_new(o, "score", json_integer(r->score));
      json_object_set_new(o, "level", json_string(model_level_name(m, r->level)));
    }
    if (r->residual_score) {
      json_object_set_new(o, "residual_score", json_integer(r->residual_score));
      json_object_set_new(o, "residual_level", json_string(model_level_name(m, r->residual_level)));
    }
    json_object_set_new(o, "treatments", S_ids(&r->treatments));
    break;
  case KIND_ASSET: json_object_set_new(o, "risks", S_ids(&r->risks)); break;
  case KIND_CONTROL:
    if (r->catalog) {
      json_object_set_new(o, "title", json_string(r->catalog->title));
      if (r->catalog->theme)
        json_object_set_new(o, "theme", json_string(r->catalog->theme));
    }
    json_object_set_new(o, "recorded", json_boolean(!r->synthetic));
    json_object_set_new(o, "treatments", S_ids(&r->treatments));
    json_object_set_new(o, "risks", S_ids(&r->risks));
    json_object_set_new(o, "covered_by", S_ids(&r->policies));
    break;
  case KIND_POLICY: json_object_set_new(o, "covers", S_ids(&r->controls)); break;
  default: break;
  }
  return o;
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
  static const char *const lists[] = {"scopes",     "assets",   "risks",
                                      "treatments", "controls", "policies"};
  json_t *records = json_object();
  for (int k = 0; k < KIND_MANIFEST; k++) {
    json_t *a = json_array();
    for (size_t i = 0; i < m->by_kind[k].len; i++)
      json_array_append_new(a, S_record(m, m->by_kind[k].items[i]));
    json_object_set_new(records, lists[k], a);
  }
  json_object_set_new(root, "records", records);
  int rc = json_dumpf(root, out, JSON_INDENT(2));
  fputc('\n', out);
  json_decref(root);
  return rc == 0 && !ferror(out);
}
