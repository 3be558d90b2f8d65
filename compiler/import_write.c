/* import_write.c - records to YAML text with libyaml's emitter (import.h).
 *
 * The values written are the bound ones, so what lands in the file is what `check` read:
 * enum words in their canonical form (`Modify` -> mitigate), dates as YYYY-MM-DD, booleans
 * as true/false, a scale as the label or number the sheet gave. Fields come in the schema
 * table's order. libyaml chooses quoting and escaping; import only asks for quotes where a
 * plain scalar would read as something else (`~`, `yes`, `1.0` in a text field) and for a
 * literal block for text of several lines.
 */
#include "import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

typedef struct Out {
  char *s;
  size_t len, cap;
} Out;

static int S_write(void *data, unsigned char *buf, size_t size) {
  Out *o = data;
  if (o->len + size + 1 > o->cap) {
    size_t cap = (o->len + size + 1) * 2;
    char *s = realloc(o->s, cap);
    if (!s)
      return 0;
    o->s = s;
    o->cap = cap;
  }
  memcpy(o->s + o->len, buf, size);
  o->len += size;
  o->s[o->len] = '\0';
  return 1;
}

/* Would a plain scalar of this text read as a null, a boolean or a number? */
static bool S_reads_as_other(const char *s) {
  static const char *const words[] = {"~",  "null", "true", "false", "yes",
                                      "no", "on",   "off",  "y",     "n"};
  if (!*s)
    return true;
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
    if (str_ieq(s, words[i]))
      return true;
  char *end;
  (void)strtod(s, &end);
  return *end == '\0' || ((s[0] == '.' || s[0] == '+' || s[0] == '-') && strchr(s, '.'));
}

static bool S_scalar(yaml_emitter_t *e, const char *text, bool as_text) {
  yaml_event_t ev;
  yaml_scalar_style_t style = YAML_ANY_SCALAR_STYLE;
  if (strchr(text, '\n'))
    style = YAML_LITERAL_SCALAR_STYLE;
  else if (as_text && S_reads_as_other(text))
    style = YAML_DOUBLE_QUOTED_SCALAR_STYLE;
  return yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)text, (int)strlen(text), 1, 1,
                                      style) &&
         yaml_emitter_emit(e, &ev);
}

static bool S_value(yaml_emitter_t *e, const FieldSpec *f, const Value *v);

static bool S_is_list(FieldType t) {
  return t == FT_STRING_LIST || t == FT_ENUM_LIST || t == FT_REF_LIST || t == FT_MAP_LIST;
}

static bool S_map(yaml_emitter_t *e, const FieldTable *t, const Value *fields) {
  yaml_event_t ev;
  if (!yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE) ||
      !yaml_emitter_emit(e, &ev))
    return false;
  for (size_t i = 0; i < t->count; i++) {
    const Value *v = &fields[i];
    FieldType type = t->fields[i].type;
    if (!v->ok || (S_is_list(type) && !v->count) || type == FT_RECORD_LIST ||
        type == FT_NAMED_MAP || type == FT_SEVERITY_MAP)
      continue; /* import makes none of these */
    if (!S_scalar(e, t->fields[i].name, false) || !S_value(e, &t->fields[i], v))
      return false;
  }
  return yaml_mapping_end_event_initialize(&ev) && yaml_emitter_emit(e, &ev);
}

static bool S_list(yaml_emitter_t *e, const FieldSpec *f, const Value *v) {
  yaml_event_t ev;
  bool flow = f->type != FT_MAP_LIST && f->type != FT_STRING_LIST;
  if (!yaml_sequence_start_event_initialize(
          &ev, NULL, NULL, 1, flow ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE) ||
      !yaml_emitter_emit(e, &ev))
    return false;
  for (size_t i = 0; i < v->count; i++) {
    bool ok = f->type == FT_MAP_LIST ? S_map(e, f->sub, v->items[i].fields)
                                     : S_scalar(e, v->items[i].str, true);
    if (!ok)
      return false;
  }
  return yaml_sequence_end_event_initialize(&ev) && yaml_emitter_emit(e, &ev);
}

static bool S_value(yaml_emitter_t *e, const FieldSpec *f, const Value *v) {
  char buf[32];
  switch (f->type) {
  case FT_DATE: date_format(&v->date, buf); return S_scalar(e, buf, false);
  case FT_BOOL: return S_scalar(e, v->num ? "true" : "false", false);
  case FT_INT: snprintf(buf, sizeof buf, "%ld", v->num); return S_scalar(e, buf, false);
  case FT_SCALE:
    /* the label the sheet gave, else its number */
    if (v->str && v->node && str_ieq(v->node->text, v->str))
      return S_scalar(e, v->str, false);
    snprintf(buf, sizeof buf, "%ld", v->num);
    return S_scalar(e, buf, false);
  case FT_ENUM: return S_scalar(e, v->str, false);
  case FT_MAP: return S_map(e, f->sub, v->fields);
  case FT_STRING_LIST:
  case FT_ENUM_LIST:
  case FT_REF_LIST:
  case FT_MAP_LIST: return S_list(e, f, v);
  case FT_NUMBER: return S_scalar(e, v->str, false); /* as the sheet wrote it */
  default: return S_scalar(e, v->str, true);
  }
}

char *import_yaml(const Record *const *records, size_t n, bool as_list) {
  yaml_emitter_t e;
  Out out = {0};
  if (!yaml_emitter_initialize(&e))
    return NULL;
  yaml_emitter_set_output(&e, S_write, &out);
  yaml_emitter_set_unicode(&e, 1);
  yaml_emitter_set_width(&e, -1);
  yaml_emitter_set_indent(&e, 2);
  yaml_event_t ev;
  bool ok =
      yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING) && yaml_emitter_emit(&e, &ev) &&
      yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1) && yaml_emitter_emit(&e, &ev);
  if (ok && as_list)
    ok = yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE) &&
         yaml_emitter_emit(&e, &ev);
  for (size_t i = 0; ok && i < n; i++)
    ok = S_map(&e, schema_table(records[i]->kind), records[i]->fields);
  if (ok && as_list)
    ok = yaml_sequence_end_event_initialize(&ev) && yaml_emitter_emit(&e, &ev);
  ok = ok && yaml_document_end_event_initialize(&ev, 1) && yaml_emitter_emit(&e, &ev) &&
       yaml_stream_end_event_initialize(&ev) && yaml_emitter_emit(&e, &ev) &&
       yaml_emitter_flush(&e);
  yaml_emitter_delete(&e);
  if (!ok) {
    free(out.s);
    return NULL;
  }
  return out.s;
}
