/* model.c - bind: raw records (nodes) to typed records, through the schema tables.
 *
 * One walk over a record's mapping, driven by its kind's FieldTable, does all of the
 * schema checking: unknown fields (with did-you-mean), wrong types, enum values (with
 * synonyms normalised), dates, ids, required fields. A value that fails stays !ok and later
 * stages ignore it, so one mistake is reported once and not again downstream. The manifest
 * is bound first: scales, classifications and the catalog come from it.
 */
#include "model.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct Binder {
  Model *m;
  Record *rec; /* the record being bound, for diagnostics and `ignore:` */
} Binder;

static const char *S_node_desc(const Node *n) {
  switch (n->kind) {
  case NODE_MAPPING: return "a mapping";
  case NODE_SEQUENCE: return "a list";
  default: return "a single value";
  }
}

static void S_report(Binder *b, Loc loc, const char *rule, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void S_report(Binder *b, Loc loc, const char *rule, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  const char *msg = diag_vformat(b->m->arena, fmt, ap);
  va_end(ap);
  diag_report(b->m->diags, b->rec, loc, rule, "%s", msg);
}

/* A list of names joined by ", ", for messages. */
static const char *S_join(Arena *a, const char *const *words, size_t n) {
  size_t len = 1;
  for (size_t i = 0; i < n; i++)
    len += strlen(words[i]) + 2;
  char *s = arena_alloc(a, len), *p = s;
  for (size_t i = 0; i < n; i++)
    p += sprintf(p, "%s%s", i ? ", " : "", words[i]);
  return s;
}

static size_t S_count(const char *const *values) {
  size_t n = 0;
  while (values[n])
    n++;
  return n;
}

static bool S_parse_long(const char *s, long *out) {
  if (!*s)
    return false;
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (*end || errno)
    return false;
  *out = v;
  return true;
}

/* "" and "  " are no text: a required field written so is reported as empty. */
static bool S_is_blank(const char *s) {
  for (; *s; s++)
    if (!isspace((unsigned char)*s))
      return false;
  return true;
}

static bool S_id_valid(const char *s) {
  if (!*s)
    return false;
  for (; *s; s++)
    if (!id_char(*s))
      return false;
  return true;
}

/* ---------------------------------------------------------------- scalar values */

static bool S_expect_scalar(Binder *b, const FieldSpec *spec, const Node *n) {
  if (n->kind == NODE_SCALAR)
    return true;
  S_report(b, n->loc, "schema-type", "'%s' is %s, not %s", spec->name,
           spec->type == FT_BOOL   ? "true or false"
           : spec->type == FT_DATE ? "a date"
           : spec->type == FT_INT  ? "a whole number"
                                   : "a single value",
           S_node_desc(n));
  return false;
}

static void S_bind_id(Binder *b, const FieldSpec *spec, const Node *n, Value *v) {
  if (!S_expect_scalar(b, spec, n))
    return;
  if (n->len > b->m->limits.max_id_length) {
    S_report(b, n->loc, "input-limit",
             "id of %zu characters is longer than %zu (limits.max_id_length)", n->len,
             b->m->limits.max_id_length);
    return;
  }
  if (!S_id_valid(n->text) || strlen(n->text) != n->len) {
    S_report(b, n->loc, "id-invalid", "id '%s' may hold only letters, digits, '.', '_' and '-'",
             n->text);
    return;
  }
  v->str = n->text;
  v->ok = true;
}

static void S_bind_date(Binder *b, const FieldSpec *spec, const Node *n, Value *v) {
  if (!S_expect_scalar(b, spec, n))
    return;
  if (!date_parse(n->text, &v->date)) {
    char why[64];
    S_report(b, n->loc, "date-invalid", "'%s' is not a valid date for '%s': %s", n->text,
             spec->name, date_problem(n->text, why, sizeof why));
    return;
  }
  v->ok = true;
}

static void S_bind_bool(Binder *b, const FieldSpec *spec, const Node *n, Value *v) {
  if (!S_expect_scalar(b, spec, n))
    return;
  if (str_ieq(n->text, "true") || str_ieq(n->text, "yes")) {
    v->num = 1;
  } else if (str_ieq(n->text, "false") || str_ieq(n->text, "no")) {
    v->num = 0;
  } else {
    S_report(b, n->loc, "schema-type", "'%s' is true or false, not '%s'", spec->name, n->text);
    return;
  }
  v->ok = true;
}

static void S_bind_int(Binder *b, const FieldSpec *spec, const Node *n, Value *v) {
  if (!S_expect_scalar(b, spec, n))
    return;
  if (!S_parse_long(n->text, &v->num)) {
    S_report(b, n->loc, "schema-type", "'%s' is a whole number, not '%s'", spec->name, n->text);
    return;
  }
  v->ok = true;
}

/* Only digits, signs, points and exponents, with a digit among them: what strtod may read
 * without reading hex, inf or nan. One pass: a metric's series parses thousands of these. */
static bool S_number_shaped(const char *s) {
  bool digit = false;
  for (; *s; s++) {
    if (*s >= '0' && *s <= '9')
      digit = true;
    else if (!strchr("+-.eE", *s))
      return false;
  }
  return digit;
}

/* A decimal number as people write one (`95`, `-0.5`, `1e3`); not hex, inf or nan. */
bool model_parse_number(const char *s, double *out) {
  if (!S_number_shaped(s))
    return false;
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (*end || errno || !isfinite(v))
    return false;
  *out = v;
  return true;
}

static void S_bind_number(Binder *b, const FieldSpec *spec, const Node *n, Value *v) {
  if (!S_expect_scalar(b, spec, n))
    return;
  if (!model_parse_number(n->text, &v->real)) {
    S_report(b, n->loc, "schema-type", "'%s' is a number, not '%s'", spec->name, n->text);
    return;
  }
  v->str = n->text;
  v->ok = true;
}

/* Matches a word against enum values (ignoring case) and synonyms; -1 if none. */
static long S_enum_index(const FieldSpec *spec, const char *word) {
  for (long i = 0; spec->values[i]; i++)
    if (str_ieq(word, spec->values[i]))
      return i;
  for (const Synonym *s = spec->synonyms; s && s->word; s++)
    if (str_ieq(word, s->word))
      for (long i = 0; spec->values[i]; i++)
        if (strcmp(s->means, spec->values[i]) == 0)
          return i;
  return -1;
}

static void S_bind_enum(Binder *b, const FieldSpec *spec, const Node *n, Value *v) {
  if (!S_expect_scalar(b, spec, n))
    return;
  long i = S_enum_index(spec, n->text);
  if (i >= 0) {
    v->num = i;
    v->str = spec->values[i];
    v->ok = true;
    return;
  }
  Arena *a = b->m->arena;
  size_t nv = S_count(spec->values);
  PtrVec words = {0};
  for (size_t k = 0; k < nv; k++)
    ptrvec_push(a, &words, (void *)spec->values[k]);
  for (const Synonym *s = spec->synonyms; s && s->word; s++)
    ptrvec_push(a, &words, (void *)s->word);
  const char *dym = did_you_mean(a, n->text, (const char *const *)words.items, words.len);
  /* A shortened word ('contract' for 'contractual') is too far for the edit distance. */
  for (size_t k = 0; !dym && strlen(n->text) >= 3 && k < nv; k++)
    if (strncasecmp(spec->values[k], n->text, strlen(n->text)) == 0)
      dym = arena_printf(a, "'%s'", spec->values[k]);
  S_report(b, n->loc, "schema-enum", "'%s' is not a valid %s: %s%s%s%s", n->text, spec->name,
           S_join(a, spec->values, nv), dym ? "; did you mean " : "", dym ? dym : "",
           dym ? "?" : "");
}

/* A value from a list of labels (a scale, the classifications), ignoring case. `numbers`
 * is the size of a numeric scale the value could also have been, or 0. */
static void S_bind_labelled(Binder *b, const Node *n, Value *v, const char *what,
                            const char *const *labels, size_t nlabel, size_t numbers) {
  Arena *a = b->m->arena;
  for (size_t i = 0; i < nlabel; i++) {
    if (str_ieq(n->text, labels[i])) {
      v->str = labels[i];
      v->num = (long)i + 1;
      v->ok = true;
      return;
    }
  }
  const char *dym = did_you_mean(a, n->text, labels, nlabel);
  S_report(b, n->loc, "schema-enum", "'%s' is not a valid %s: %s%s%s%s%s", n->text, what,
           numbers ? arena_printf(a, "1..%zu or ", numbers) : "", S_join(a, labels, nlabel),
           dym ? "; did you mean " : "", dym ? dym : "", dym ? "?" : "");
}

static void S_bind_scale(Binder *b, const FieldSpec *spec, const Node *n, Value *v) {
  if (!S_expect_scalar(b, spec, n))
    return;
  const RiskMethod *rm = &b->m->method;
  const char *const *labels = spec->scale == SCALE_LIKELIHOOD ? rm->likelihood : rm->impact;
  size_t nlabel = spec->scale == SCALE_LIKELIHOOD ? rm->nlikelihood : rm->nimpact;
  long num;
  if (S_parse_long(n->text, &num)) {
    if (nlabel && (num < 1 || num > (long)nlabel)) {
      S_report(b, n->loc, "schema-enum", "%s %ld is outside the scale 1..%zu", spec->name, num,
               nlabel);
      return;
    }
    v->num = num;
    v->str = nlabel ? labels[num - 1] : NULL;
    v->ok = num >= 1;
    return;
  }
  if (!nlabel)
    return; /* no scale in isms.yaml: that is reported there, once */
  S_bind_labelled(b, n, v, spec->name, labels, nlabel, nlabel);
}

static void S_bind_classification(Binder *b, const FieldSpec *spec, const Node *n, Value *v) {
  if (!S_expect_scalar(b, spec, n))
    return;
  if (!b->m->nclassification) {
    v->str = n->text;
    v->ok = true;
    return;
  }
  S_bind_labelled(b, n, v, "classification", b->m->classifications, b->m->nclassification, 0);
}

/* ---------------------------------------------------------------- lists and maps */

/* What a message calls the mapping being bound: "risk 'R-1'", "this risk", "isms.yaml", or
 * "'NAME' of OUTER" for a mapping inside one. Formatted by S_what only when a diagnostic needs
 * it: a clean tree never does, and formatting one for every record and every nested mapping
 * (a metric's 36 measurements) cost more than binding their values. */
typedef struct What {
  const char *text; /* the whole description, when it is fixed */
  Kind kind;        /* else, without outer: a record of this kind, named by map's id */
  const Node *map;
  const char *name; /* else: the mapping `name` of outer */
  const struct What *outer;
} What;

static const char *S_describe(Model *m, Kind kind, const Node *map);

static const char *S_what(Model *m, const What *w) {
  if (w->text)
    return w->text;
  if (w->outer)
    return arena_printf(m->arena, "'%s' of %s", w->name, S_what(m, w->outer));
  return S_describe(m, w->kind, w->map);
}

static void S_bind_map(Binder *b, const FieldTable *t, const Node *map, Value *fields,
                       const What *what);
static void S_bind_value(Binder *b, const FieldSpec *spec, const Node *n, Value *v,
                         const What *what);

static Value *S_new_fields(Model *m, const FieldTable *t) {
  return arena_alloc(m->arena, t->count * sizeof(Value));
}

/* The first line of a text, for a title. */
static const char *S_first_line(Arena *a, const char *text) {
  while (*text == ' ' || *text == '\n')
    text++;
  size_t n = strcspn(text, "\r\n");
  return n ? arena_printf(a, "%.*s", (int)n, text) : NULL;
}

/* A record without its kind's title is titled by the first line of its title-fallback field
 * (a finding by its description). Made here, once: renderers on several threads read titles,
 * and none of them may allocate from the record's arena. */
static void S_title_line(Model *m, Record *r) {
  const KindSpec *ks = kind_spec(r->kind);
  if (ks->title_field >= 0 && rec_has(r, ks->title_field))
    return;
  for (size_t i = 0; i < ks->table->count; i++)
    if ((ks->table->fields[i].flags & F_TITLE_FALLBACK) && rec_has(r, (int)i)) {
      const char *text = rec_str(r, (int)i);
      r->title_line = r->raw && r->raw->file ? S_first_line(m->arena, text) : text;
      return;
    }
}

/* An item of an FT_RECORD_LIST: a record of its own, bound with its own kind's table, that
 * knows its parent. It joins the model after its parent (S_add_record). */
static void S_bind_nested(Binder *b, const FieldSpec *spec, const Node *n, Value *v) {
  Model *m = b->m;
  if (n->kind != NODE_MAPPING) {
    S_report(b, n->loc, "schema-type", "'%s' lists records (mappings), not %s", spec->name,
             S_node_desc(n));
    return;
  }
  Record *r = model_new_record(m, spec->ref_kind);
  RawRecord *raw = arena_alloc(m->arena, sizeof *raw);
  raw->file = b->rec && b->rec->raw ? b->rec->raw->file : NULL;
  raw->map = n;
  raw->kind = kind_name(spec->ref_kind);
  r->raw = raw;
  r->loc = n->loc;
  r->parent = b->rec;
  Binder child = {m, r};
  What what = {.kind = r->kind, .map = n};
  S_bind_map(&child, schema_table(r->kind), n, r->fields, &what);
  S_title_line(m, r);
  int id = kind_spec(r->kind)->id_field;
  if (!rec_has(r, id))
    return; /* no usable id: reported, and left out like any record nobody can name */
  r->id = rec_str(r, id);
  r->id_node = rec_field(r, id)->node;
  v->str = r->id;
  v->ref = r;
  v->ok = true;
}

/* isms.yaml `documents: {soa: {number, ...}, ...}`: each name's mapping, in file order. */
static void S_bind_named_map(Binder *b, const FieldSpec *spec, const Node *n, Value *v,
                             const What *what) {
  if (n->kind != NODE_MAPPING) {
    S_report(b, n->loc, "schema-type", "'%s' maps names to mappings, not %s", spec->name,
             S_node_desc(n));
    return;
  }
  v->items = arena_alloc(b->m->arena, (n->count ? n->count : 1) * sizeof(Value));
  for (size_t i = 0; i < n->count; i++) {
    const Node *key = n->pairs[i].key, *val = n->pairs[i].value;
    if (key->kind != NODE_SCALAR || val->kind != NODE_MAPPING) {
      S_report(b, val->loc, "schema-type", "each entry of '%s' is NAME: {%s, ...}", spec->name,
               spec->sub->fields[0].name);
      continue;
    }
    Value *iv = &v->items[v->count++];
    iv->node = key;
    iv->str = key->text;
    iv->fields = S_new_fields(b->m, spec->sub);
    What entry = {.name = key->text, .outer = what};
    S_bind_map(b, spec->sub, val, iv->fields, &entry);
    iv->ok = true;
  }
  v->ok = true;
}

/* A list field; a single value is read as a list of one. */
static void S_bind_list(Binder *b, const FieldSpec *spec, const Node *n, Value *v,
                        const What *what) {
  const Node *const *items = (const Node *const *)&n;
  size_t count = 1;
  if (n->kind == NODE_SEQUENCE) {
    items = (const Node *const *)n->items;
    count = n->count;
  } else if (n->kind == NODE_MAPPING && spec->type != FT_MAP_LIST && spec->type != FT_RECORD_LIST) {
    S_report(b, n->loc, "schema-type", "'%s' is a list, not a mapping", spec->name);
    return;
  }
  v->items = arena_alloc(b->m->arena, (count ? count : 1) * sizeof(Value));
  FieldSpec item_spec = *spec;
  item_spec.type = spec->type == FT_ENUM_LIST  ? FT_ENUM
                   : spec->type == FT_MAP_LIST ? FT_MAP
                                               : FT_STRING;
  size_t name_len = strlen(spec->name);
  if (spec->type == FT_ENUM_LIST && name_len > 1 && spec->name[name_len - 1] == 's')
    item_spec.name = arena_printf(b->m->arena, "%.*s", (int)name_len - 1, spec->name);
  /* an item of `reasons` is "a valid reason" */
  for (size_t i = 0; i < count; i++) {
    const Node *item = items[i];
    Value *iv = &v->items[v->count];
    if (node_is_null(item))
      continue;
    if (spec->type == FT_REF_LIST && item->kind != NODE_SCALAR) {
      S_report(b, item->loc, "schema-type", "'%s' lists ids, not %s", spec->name,
               S_node_desc(item));
      continue;
    }
    if (spec->type == FT_RECORD_LIST) {
      iv->node = item;
      S_bind_nested(b, spec, item, iv);
    } else {
      S_bind_value(b, &item_spec, item, iv, what);
    }
    if (iv->ok)
      v->count++;
  }
  v->ok = true;
}

static void S_bind_severity_map(Binder *b, const FieldSpec *spec, const Node *n, Value *v) {
  if (n->kind != NODE_MAPPING) {
    S_report(b, n->loc, "schema-type", "'%s' maps rule ids to error, warning, note or off",
             spec->name);
    return;
  }
  v->items = arena_alloc(b->m->arena, (n->count ? n->count : 1) * sizeof(Value));
  for (size_t i = 0; i < n->count; i++) {
    const Node *key = n->pairs[i].key, *val = n->pairs[i].value;
    Severity s;
    if (key->kind != NODE_SCALAR || val->kind != NODE_SCALAR || !severity_parse(val->text, &s)) {
      S_report(b, val->loc, "schema-enum", "a rule's severity is error, warning, note or off");
      continue;
    }
    diags_override(b->m->diags, key->text, s);
    Value *iv = &v->items[v->count++];
    iv->node = key;
    iv->str = key->text;
    iv->num = s;
    iv->ok = true;
  }
  v->ok = true;
}

static void S_bind_value(Binder *b, const FieldSpec *spec, const Node *n, Value *v,
                         const What *what) {
  v->node = n;
  if (node_is_null(n))
    return; /* written but empty: absent, and reported if required */
  switch (spec->type) {
  case FT_ID: S_bind_id(b, spec, n, v); break;
  case FT_STRING:
  case FT_TEXT:
    if (S_expect_scalar(b, spec, n) && !S_is_blank(n->text)) {
      v->str = n->text;
      v->ok = true;
    }
    break;
  case FT_DATE: S_bind_date(b, spec, n, v); break;
  case FT_BOOL: S_bind_bool(b, spec, n, v); break;
  case FT_INT: S_bind_int(b, spec, n, v); break;
  case FT_NUMBER: S_bind_number(b, spec, n, v); break;
  case FT_REF:
    if (S_expect_scalar(b, spec, n) && !S_is_blank(n->text)) {
      v->str = n->text;
      v->ok = true;
    }
    break;
  case FT_SCALE: S_bind_scale(b, spec, n, v); break;
  case FT_ENUM: S_bind_enum(b, spec, n, v); break;
  case FT_CLASSIFICATION: S_bind_classification(b, spec, n, v); break;
  case FT_STRING_LIST:
  case FT_ENUM_LIST:
  case FT_REF_LIST:
  case FT_MAP_LIST: S_bind_list(b, spec, n, v, what); break;
  case FT_RECORD_LIST: S_bind_list(b, spec, n, v, what); break;
  case FT_NAMED_MAP: S_bind_named_map(b, spec, n, v, what); break;
  case FT_MAP:
    if (n->kind != NODE_MAPPING) {
      S_report(b, n->loc, "schema-type", "'%s' is a mapping (%s), not %s", spec->name,
               spec->sub->fields[0].name, S_node_desc(n));
      break;
    }
    v->fields = S_new_fields(b->m, spec->sub);
    S_bind_map(b, spec->sub, n, v->fields, &(What){.name = spec->sub->name, .outer = what});
    v->ok = true;
    break;
  case FT_SEVERITY_MAP: S_bind_severity_map(b, spec, n, v); break;
  }
}

static void S_unknown_field(Binder *b, const FieldTable *t, const Node *key, const What *about) {
  Arena *a = b->m->arena;
  const char *what = S_what(b->m, about);
  if (t == schema_table(KIND_RISK) && strcmp(key->text, "controls") == 0) {
    S_report(b, key->loc, "schema-unknown",
             "unknown field 'controls' in %s: a risk does not select controls, its treatments "
             "do (a treatment record with `risks: [...]` and `controls: [...]`)",
             what);
    return;
  }
  const char **names = arena_alloc(a, t->count * sizeof *names);
  for (size_t i = 0; i < t->count; i++)
    names[i] = t->fields[i].name;
  const char *dym = did_you_mean(a, key->text, names, t->count);
  if (dym)
    S_report(b, key->loc, "schema-unknown", "unknown field '%s' in %s; did you mean %s?", key->text,
             what, dym);
  else
    S_report(b, key->loc, "schema-unknown", "unknown field '%s' in %s (known: %s)", key->text, what,
             S_join(a, names, t->count));
}

/* Is key a near miss for a required field that the mapping lacks? Then the missing field's
 * schema-required error names it, and an unknown-field warning would say it twice. */
static bool S_misspells_required(const FieldTable *t, const Node *map, const Node *key) {
  for (size_t i = 0; i < t->count; i++) {
    const char *name = t->fields[i].name;
    size_t len = strlen(name), limit = len / 3 > 1 ? len / 3 : 1;
    if ((t->fields[i].flags & F_REQUIRED) && !node_get(map, name) &&
        edit_distance(key->text, name) <= limit)
      return true;
  }
  return false;
}

/* An unknown key of the mapping that is a near miss for field `name`, or NULL. */
static const Node *S_misspelling_of(const FieldTable *t, const Node *map, const char *name) {
  for (size_t i = 0; i < map->count; i++) {
    const Node *key = map->pairs[i].key;
    if (key->kind != NODE_SCALAR || schema_field(t, key->text) >= 0)
      continue;
    size_t len = strlen(name), limit = len / 3 > 1 ? len / 3 : 1;
    if (edit_distance(key->text, name) <= limit)
      return key;
  }
  return NULL;
}

/* Fields required by another field's value (`closed` when the status is closed). */
static void S_required_when(Binder *b, const FieldTable *t, const Node *map, const Value *fields,
                            const What *what) {
  for (size_t i = 0; i < t->count; i++) {
    const FieldSpec *spec = &t->fields[i];
    const Value *when = spec->when_value ? &fields[spec->when_field] : NULL;
    if (!when || !when->ok || strcmp(when->str, spec->when_value) != 0 || fields[i].node)
      continue;
    S_report(b, when->node ? when->node->loc : map->loc, "schema-required",
             "%s is %s, so it needs '%s'", S_what(b->m, what), spec->when_value, spec->name);
  }
}

static void S_bind_map(Binder *b, const FieldTable *t, const Node *map, Value *fields,
                       const What *what) {
  for (size_t i = 0; i < map->count; i++) {
    const Node *key = map->pairs[i].key;
    if (key->kind != NODE_SCALAR) {
      S_report(b, key->loc, "schema-type", "a field name is a single word, not %s",
               S_node_desc(key));
      continue;
    }
    int idx = schema_field(t, key->text);
    if (idx < 0) {
      if (!S_misspells_required(t, map, key))
        S_unknown_field(b, t, key, what);
      continue;
    }
    if (fields[idx].node)
      continue; /* a duplicate key: reported by the YAML loader; the first one counts */
    S_bind_value(b, &t->fields[idx], map->pairs[i].value, &fields[idx], what);
  }
  for (size_t i = 0; i < t->count; i++) {
    const FieldSpec *spec = &t->fields[i];
    if (!(spec->flags & F_REQUIRED) || fields[i].ok)
      continue;
    const Node *typo = fields[i].node ? NULL : S_misspelling_of(t, map, spec->name);
    if (typo)
      S_report(b, typo->loc, "schema-required",
               "%s has no '%s' ('%s' looks like a misspelling of it)", S_what(b->m, what),
               spec->name, typo->text);
    else if (!fields[i].node)
      S_report(b, map->loc, "schema-required", "%s has no '%s'", S_what(b->m, what), spec->name);
    else if (node_is_null(fields[i].node) ||
             (fields[i].node->kind == NODE_SCALAR && S_is_blank(fields[i].node->text)))
      S_report(b, fields[i].node->loc, "schema-required", "%s has an empty '%s'",
               S_what(b->m, what), spec->name);
    /* else: present but invalid, already reported */
  }
  S_required_when(b, t, map, fields, what);
}

/* ---------------------------------------------------------------- records */

static const char *S_describe(Model *m, Kind kind, const Node *map) {
  const Node *id = node_get(map, "id");
  if (id && id->kind == NODE_SCALAR && id->len && id->len <= 64)
    return arena_printf(m->arena, "%s '%s'", kind_name(kind), id->text);
  return arena_printf(m->arena, "this %s", kind_name(kind));
}

Record *model_new_record(Model *m, Kind kind) {
  const KindSpec *ks = kind_spec(kind);
  Record *r = arena_alloc(m->arena, sizeof *r);
  r->kind = kind;
  r->fields = S_new_fields(m, ks->table);
  if (ks->derived)
    r->derived = S_new_fields(m, ks->derived);
  r->level = r->residual_level = -1;
  return r;
}

/* A record joins the model, then the records nested in it, in the order they are written:
 * the model's records stay in tree order. */
static void S_add_record(Model *m, Record *r) {
  ptrvec_push(m->arena, &m->records, r);
  const FieldTable *t = schema_table(r->kind);
  for (size_t f = 0; f < t->count; f++)
    if (t->fields[f].type == FT_RECORD_LIST)
      for (size_t i = 0; i < r->fields[f].count; i++)
        S_add_record(m, r->fields[f].items[i].ref);
}

/* The record kinds' names, for a message about a kind that is none of them. */
static const char *const *S_kind_names(Model *m, size_t *n) {
  const char **names = arena_alloc(m->arena, KIND_COUNT * sizeof *names);
  *n = 0;
  Kind parsed;
  for (int k = 0; k < KIND_COUNT; k++)
    if (kind_parse(kind_name((Kind)k), &parsed))
      names[(*n)++] = kind_name((Kind)k);
  return names;
}

/* Why a kind that exists cannot be a file's record (a nested or a catalog kind), or NULL. */
static const char *S_not_in_a_file(Model *m, const char *name) {
  for (int k = 0; k < KIND_COUNT; k++) {
    const KindSpec *ks = kind_spec((Kind)k);
    if (strcmp(ks->name, name) != 0)
      continue;
    if (ks->parent_kind >= 0)
      return arena_printf(m->arena, "each is written inside %s, in its list of %s",
                          kind_article((Kind)ks->parent_kind), ks->plural);
    if (ks->from_catalog)
      return arena_printf(m->arena, "the %s come from the catalog", ks->plural);
  }
  return NULL;
}

/* What binding one raw record gives the model, which takes it in tree order (S_take): a
 * record binds without changing anything in the model but its arena and diagnostics, so
 * that two threads can bind at once (model_bind). */
typedef struct Bound {
  const RawRecord *raw;
  Record *record;         /* NULL: none (no known kind, or no usable id) */
  const char *skipped_id; /* the id of a record of no known kind, or NULL */
} Bound;

static Bound S_bind_record(Model *m, const RawRecord *raw) {
  Bound bound = {.raw = raw};
  Kind kind;
  const Node *kind_node = node_get(raw->map, "kind");
  if (!raw->kind || !kind_parse(raw->kind, &kind)) {
    size_t n;
    const char *const *names = S_kind_names(m, &n);
    const char *dym = raw->kind ? did_you_mean(m->arena, raw->kind, names, n) : NULL;
    Loc loc = kind_node ? kind_node->loc : raw->map->loc;
    const char *why = raw->kind ? S_not_in_a_file(m, raw->kind) : NULL;
    if (why)
      diag_report(m->diags, NULL, loc, "schema-enum", "'%s' is not a record kind of its own: %s",
                  raw->kind, why);
    else
      diag_report(m->diags, NULL, loc, "schema-enum", "'%s' is not a record kind (%s)%s%s%s",
                  raw->kind ? raw->kind : "", S_join(m->arena, names, n),
                  dym ? "; did you mean " : "", dym ? dym : "", dym ? "?" : "");
    const Node *id = node_get(raw->map, "id");
    if (id && id->kind == NODE_SCALAR)
      bound.skipped_id = id->text;
    return bound;
  }
  Record *r = model_new_record(m, kind);
  r->raw = raw;
  r->loc = raw->map->loc;
  Binder b = {m, r};
  What what = {.kind = kind, .map = raw->map};
  S_bind_map(&b, schema_table(kind), raw->map, r->fields, &what);
  S_title_line(m, r);
  int id = kind_spec(kind)->id_field;
  if (!rec_has(r, id))
    return bound; /* no usable id: reported; a record nobody can name is left out */
  r->id = rec_str(r, id);
  r->id_node = rec_field(r, id)->node;
  bound.record = r;
  return bound;
}

static void S_take(Model *m, const Bound *b) {
  if (b->skipped_id)
    hashmap_put(m->arena, &m->skipped_ids, b->skipped_id, (void *)b->raw);
  if (b->record)
    S_add_record(m, b->record);
}

/* ---------------------------------------------------------------- manifest */

const char *const *model_string_list(Model *m, const Value *v, size_t *n) {
  *n = 0;
  if (!v->ok || !v->count)
    return NULL;
  const char **out = arena_alloc(m->arena, v->count * sizeof *out);
  for (size_t i = 0; i < v->count; i++)
    out[i] = v->items[i].str;
  *n = v->count;
  return out;
}

static void S_bind_catalog(Model *m, Binder *b) {
  const Value *v = m->manifest ? rec_field(m->manifest, MANIFEST_CATALOG) : NULL;
  const char *name = v && v->ok ? v->str : "iso27001-2022";
  m->catalog = catalog_builtin(m->arena, m->diags, name);
  if (m->catalog)
    return;
  bool is_yaml = str_has_suffix(name, ".yaml") || str_has_suffix(name, ".yml");
  if (is_yaml && name[0] != '/' && !strstr(name, "..")) {
    SourceFile *f = load_source(m->arena, m->diags, m->tree->source, name, &m->limits);
    if (f->text)
      m->catalog = catalog_load(m->arena, m->diags, f, &m->limits);
    return;
  }
  size_t n;
  const char *const *ids = catalog_builtin_ids(&n);
  const char *dym = did_you_mean(m->arena, name, ids, n);
  S_report(b, v->node->loc, "schema-enum",
           "unknown catalog '%s' (built in: %s; or a catalog .yaml file in the tree)%s%s%s", name,
           S_join(m->arena, ids, n), dym ? "; did you mean " : "", dym ? dym : "", dym ? "?" : "");
}

static void S_bind_manifest(Model *m) {
  m->method.accept_max = -1;
  m->policy_max_age_days = -1;
  Binder b = {m, NULL};
  if (m->tree->manifest) {
    Record *r = model_new_record(m, KIND_MANIFEST);
    r->loc = m->tree->manifest->loc;
    m->manifest = r;
    b.rec = r;
    /* The classifications first: the manifest's own classification fields (the document
     * set's, each controlled document's) are checked against them, as every record's is.
     * S_bind_map then skips the field already bound. */
    const FieldTable *t = schema_table(KIND_MANIFEST);
    const Node *classes = node_get(m->tree->manifest, t->fields[MANIFEST_CLASSIFICATIONS].name);
    if (classes)
      S_bind_value(&b, &t->fields[MANIFEST_CLASSIFICATIONS], classes,
                   &r->fields[MANIFEST_CLASSIFICATIONS], &(What){.text = "isms.yaml"});
    m->classifications =
        model_string_list(m, rec_field(r, MANIFEST_CLASSIFICATIONS), &m->nclassification);
    S_bind_map(&b, t, m->tree->manifest, r->fields, &(What){.text = "isms.yaml"});
    model_bind_risk_method(m, r, rec_field(r, MANIFEST_RISK));
    const Value *review = rec_field(r, MANIFEST_REVIEW);
    if (review->ok && review->fields[RSET_POLICY_MAX_AGE_DAYS].ok)
      m->policy_max_age_days = review->fields[RSET_POLICY_MAX_AGE_DAYS].num;
  }
  S_bind_catalog(m, &b);
}

/* ---------------------------------------------------------------- two threads */

/* From this many records on, the second half of the tree is bound on a thread of its own
 * while this one binds the first: binding was a tenth of a check of 10,000 files, all of
 * it on one core. Below it, a thread costs more than it saves. */
enum { BIND_THREADS_FROM = 2000 };

/* The second half: a copy of the model as the manifest left it, with an arena and
 * diagnostics of its own; what it binds is taken into the model after the first half. */
typedef struct Half {
  Model model;
  Arena arena;
  Diags diags;
  const Tree *tree;
  size_t from;
  Bound *bound; /* one per raw record from `from` on */
} Half;

/* Where the second half starts: the records before it hold about half of the tree's YAML
 * nodes (binding costs by the node; the first records of a tree were a quarter heavier
 * than the last, by count). */
static size_t S_half_way(const Tree *t) {
  size_t total = 0, sum = 0, i = 0;
  for (size_t k = 0; k < t->records.len; k++)
    total += ((const RawRecord *)t->records.items[k])->map->size;
  while (i < t->records.len && sum < total / 2)
    sum += ((const RawRecord *)t->records.items[i++])->map->size;
  return i;
}

static void *S_bind_half(void *arg) {
  Half *h = arg;
  for (size_t i = h->from; i < h->tree->records.len; i++)
    h->bound[i - h->from] = S_bind_record(&h->model, h->tree->records.items[i]);
  return NULL;
}

/* The same model and the same diagnostics, in the same order, as binding the records one
 * after another: the first half's diagnostics are reported first, the second half's are
 * adopted after them in the order they were made, and records join the model in tree
 * order. False, with nothing bound, when no thread can be started. */
static bool S_bind_in_halves(Model *m, const Tree *t) {
  Half *h = calloc(1, sizeof *h);
  if (!h)
    return false;
  h->tree = t;
  h->from = S_half_way(t);
  h->bound = calloc(t->records.len - h->from, sizeof *h->bound);
  arena_init(&h->arena);
  diags_init(&h->diags, &h->arena);
  h->model = *m;
  h->model.arena = &h->arena;
  h->model.diags = &h->diags;
  pthread_t thread;
  if (!h->bound || pthread_create(&thread, NULL, S_bind_half, h) != 0) {
    free(h->bound);
    arena_free(&h->arena);
    free(h);
    return false;
  }
  Bound *first = malloc((h->from ? h->from : 1) * sizeof *first);
  if (!first) {
    fputs("ismsc: out of memory\n", stderr);
    abort();
  }
  for (size_t i = 0; i < h->from; i++)
    first[i] = S_bind_record(m, t->records.items[i]);
  pthread_join(thread, NULL);
  for (size_t i = 0; i < h->from; i++)
    S_take(m, &first[i]);
  for (size_t i = 0; i < h->diags.items.len; i++)
    diags_adopt(m->diags, h->diags.items.items[i]);
  for (size_t i = 0; i < t->records.len - h->from; i++)
    S_take(m, &h->bound[i]);
  arena_adopt(m->arena, &h->arena); /* the second half's records and messages live on */
  free(first);
  free(h->bound);
  free(h);
  return true;
}

void model_bind(Model *m, Arena *a, Diags *d, const Tree *t, Date today) {
  m->arena = a;
  m->diags = d;
  m->tree = t;
  m->today = today;
  hashmap_init(&m->ids);
  hashmap_init(&m->skipped_ids);
  S_bind_manifest(m);
  catalog_mapping_load(a, d, &m->mapping);
  if (t->records.len >= BIND_THREADS_FROM && S_bind_in_halves(m, t))
    return;
  model_bind_records(m, t);
}

void model_bind_records(Model *m, const Tree *t) {
  for (size_t i = 0; i < t->records.len; i++) {
    Bound b = S_bind_record(m, t->records.items[i]);
    S_take(m, &b);
  }
}
