/* json_schema.c - JSON Schemas (draft 2020-12) for editors, derived from the schema tables.
 *
 * Each record kind's FieldTable (and isms.yaml's) is walked generically: a field's FieldType
 * gives its JSON type, `values` and `synonyms` its enum, F_REQUIRED the `required` list, `sub`
 * a nested object, so a new kind or field gets its schema with no change here. No schema is
 * written by hand (DESIGN.md decision 1); the build writes them into build/schemas and
 * installs them, `ismsc schema KIND` prints one, and `ismsc init` copies them into a new tree.
 *
 * What must stay true: a value `check` accepts validates, as far as JSON Schema can say it.
 * The schema reads YAML as a YAML 1.2 language server does (`3.1` is a number, `yes` a
 * string), so a text field also takes numbers and booleans, and enum words match in any
 * case as check matches them. What a schema cannot know (the tree's own scale labels and
 * classifications, ids of other records) is left to check; docs/interchange.md lists it.
 */
#include "json_schema.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "doc.h"
#include "driver.h"
#include "files.h"

static json_t *S_field(const FieldSpec *f, bool nullable);

static json_t *S_type(const char *type) { return json_pack("{s:s}", "type", type); }

/* A YAML scalar check reads as text: a plain `3.1` or `true` is text to it. */
static json_t *S_scalar_text(void) {
  return json_pack("{s:[s,s,s]}", "type", "string", "number", "boolean");
}

/* An ECMA-262 pattern matching word in any case: "[Mm][Ii]\-..."; check ignores case. */
static void S_append_any_case(char *out, size_t size, size_t *n, const char *word) {
  for (const char *p = word; *p && *n + 8 < size; p++) {
    char c = *p;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
      *n += (size_t)snprintf(out + *n, size - *n, "[%c%c]", c | 0x20, c & ~0x20);
    else if ((c >= '0' && c <= '9') || c == ' ' || c == '_')
      out[(*n)++] = c;
    else
      *n += (size_t)snprintf(out + *n, size - *n, "\\%c", c);
  }
  out[*n] = '\0';
}

/* One of a list of words (and synonyms), in any case. The `enum` comes first so that
 * editors offer the canonical words for completion. */
static json_t *S_words(const char *const *values, const Synonym *synonyms) {
  json_t *words = json_array();
  char pattern[4096];
  size_t n = 0;
  n += (size_t)snprintf(pattern, sizeof pattern, "^(");
  for (size_t i = 0; values[i]; i++) {
    json_array_append_new(words, json_string(values[i]));
    if (i)
      pattern[n++] = '|';
    S_append_any_case(pattern, sizeof pattern, &n, values[i]);
  }
  for (const Synonym *s = synonyms; s && s->word; s++) {
    json_array_append_new(words, json_string(s->word));
    pattern[n++] = '|';
    S_append_any_case(pattern, sizeof pattern, &n, s->word);
  }
  snprintf(pattern + n, sizeof pattern - n, ")$");
  return json_pack("{s:[{s:o},{s:s,s:s}]}", "anyOf", "enum", words, "type", "string", "pattern",
                   pattern);
}

/* "Required when `when_field` is `when_value`" (a nonconformity's `closed` once its status
 * is closed), as if/then: then the field is there, and not empty. */
static json_t *S_required_when(const FieldTable *t, const FieldSpec *f) {
  const FieldSpec *when = &t->fields[f->when_field];
  const char *const value[] = {f->when_value, NULL};
  json_t *is = S_words(value, NULL);
  json_t *cond = json_pack("{s:{s:o},s:[s]}", "properties", when->name, is, "required", when->name);
  json_t *then = json_pack("{s:[s],s:{s:{s:{s:s}}}}", "required", f->name, "properties", f->name,
                           "not", "type", "null");
  return json_pack("{s:o,s:o}", "if", cond, "then", then);
}

static json_t *S_object(const FieldTable *t) {
  json_t *props = json_object(), *required = json_array(), *conditions = json_array();
  for (size_t i = 0; i < t->count; i++) {
    const FieldSpec *f = &t->fields[i];
    bool req = f->flags & F_REQUIRED;
    json_object_set_new(props, f->name, S_field(f, !req));
    if (req)
      json_array_append_new(required, json_string(f->name));
    if (f->when_value)
      json_array_append_new(conditions, S_required_when(t, f));
  }
  json_t *o = json_pack("{s:s,s:o}", "type", "object", "properties", props);
  if (json_array_size(required))
    json_object_set_new(o, "required", required);
  else
    json_decref(required);
  /* check warns about an unknown field (schema-unknown) and suggests the near one; an
   * editor's squiggle under it is the same help, earlier. */
  json_object_set_new(o, "additionalProperties", json_false());
  if (json_array_size(conditions))
    json_object_set_new(o, "allOf", conditions);
  else
    json_decref(conditions);
  return o;
}

/* A list field: check also reads a single value as a list of one, and skips empty items. */
static json_t *S_list_of(json_t *item) {
  json_t *array =
      json_pack("{s:s,s:{s:[O,{s:s}]}}", "type", "array", "items", "anyOf", item, "type", "null");
  return json_pack("{s:[o,o]}", "anyOf", array, item);
}

static json_t *S_id(void) {
  json_t *id =
      json_pack("{s:[s,s],s:s}", "type", "string", "number", "pattern", "^[A-Za-z0-9._-]+$");
  return id;
}

/* The parts a `documents:` entry may name (doc.h's registry). */
static json_t *S_document_names(void) {
  size_t n;
  const DocType *types = doc_types(&n);
  json_t *names = json_array();
  for (size_t i = 0; i < n; i++)
    if (doc_type_listable(&types[i]))
      json_array_append_new(names, json_string(types[i].part));
  return names;
}

static json_t *S_value(const FieldSpec *f, bool required) {
  switch (f->type) {
  case FT_ID:
  case FT_REF: return S_id();
  case FT_NUMBER:
    return json_pack("{s:[o,{s:s,s:s}]}", "anyOf", S_type("number"), "type", "string", "pattern",
                     "^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?$");
  case FT_STRING:
  case FT_TEXT:
  case FT_CLASSIFICATION: {
    json_t *s = S_scalar_text();
    if (required) /* a blank required text is reported as empty */
      json_object_set_new(s, "pattern", json_string("\\S"));
    return s;
  }
  case FT_DATE:
    return json_pack("{s:s,s:s,s:s}", "type", "string", "format", "date", "pattern",
                     "^[0-9]{4}-[0-9]{2}-[0-9]{2}$");
  case FT_BOOL: {
    static const char *const words[] = {"true", "false", "yes", "no", NULL};
    return json_pack("{s:[o,o]}", "anyOf", S_type("boolean"), S_words(words, NULL));
  }
  case FT_INT:
    return json_pack("{s:[o,{s:s,s:s}]}", "anyOf", S_type("integer"), "type", "string", "pattern",
                     "^[+-]?[0-9]+$");
  case FT_SCALE:
    return json_pack("{s:[{s:s,s:i},{s:s,s:i}]}", "anyOf", "type", "integer", "minimum", 1, "type",
                     "string", "minLength", 1);
  case FT_ENUM: return S_words(f->values, f->synonyms);
  case FT_STRING_LIST: return S_list_of(S_scalar_text());
  case FT_ENUM_LIST: return S_list_of(S_words(f->values, f->synonyms));
  case FT_REF_LIST: return S_list_of(S_id());
  case FT_MAP: return S_object(f->sub);
  case FT_MAP_LIST: return S_list_of(S_object(f->sub));
  case FT_RECORD_LIST: return S_list_of(S_object(schema_table(f->ref_kind)));
  case FT_NAMED_MAP: /* isms.yaml `documents`: named by the registry's listable rows */
    return json_pack("{s:s,s:o,s:{s:o}}", "type", "object", "additionalProperties",
                     S_object(f->sub), "propertyNames", "enum", S_document_names());
  case FT_SEVERITY_MAP: {
    static const char *const severities[] = {"error", "warning", "note", "off", NULL};
    return json_pack("{s:s,s:o}", "type", "object", "additionalProperties",
                     S_words(severities, NULL));
  }
  }
  return json_object();
}

/* A field's schema; an optional field may also be written empty (`owner:`), which check
 * reads as absent. */
static json_t *S_field(const FieldSpec *f, bool nullable) {
  json_t *v = S_value(f, !nullable);
  if (nullable)
    v = json_pack("{s:[o,o]}", "anyOf", v, S_type("null"));
  if (f->doc)
    json_object_set_new(v, "description", json_string(f->doc));
  return v;
}

static json_t *S_document(Kind kind) {
  json_t *doc = json_object();
  json_object_set_new(doc, "$schema", json_string("https://json-schema.org/draft/2020-12/schema"));
  json_t *record = S_object(schema_table(kind));
  if (kind == KIND_MANIFEST) {
    json_object_set_new(doc, "title", json_string("ismsc manifest (isms.yaml)"));
    json_object_update(doc, record);
    json_decref(record);
    return doc;
  }
  char title[128];
  snprintf(title, sizeof title, "ismsc %s record", kind_name(kind));
  json_object_set_new(doc, "title", json_string(title));
  json_object_set_new(doc, "description",
                      json_string("A file holds one record, or a list of records"));
  /* The record's own title: editors name the list-of-records alternative by it. */
  json_object_set_new(record, "title", json_string(kind_name(kind)));
  json_object_set_new(doc, "$defs", json_pack("{s:o}", "record", record));
  json_object_set_new(doc, "anyOf",
                      json_pack("[{s:s},{s:s,s:{s:s}}]", "$ref", "#/$defs/record", "type", "array",
                                "items", "$ref", "#/$defs/record"));
  return doc;
}

char *json_schema_text(Kind kind) {
  json_t *doc = S_document(kind);
  char *text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  json_decref(doc);
  size_t n = strlen(text);
  char *with_newline = realloc(text, n + 2);
  if (!with_newline)
    return text;
  memcpy(with_newline + n, "\n", 2);
  return with_newline;
}

const char *json_schema_file_name(Kind kind, char *buf, size_t size) {
  snprintf(buf, size, "%s.schema.json", kind_name(kind));
  return buf;
}

/* Writes path, replacing an older copy of a schema (schemas are ismsc's own files). */
static bool S_write(const char *path, const char *text) {
  struct stat st;
  if (stat(path, &st) == 0)
    return file_replace(path, text, strlen(text));
  return file_write_new(path, text, strlen(text));
}

bool json_schema_write_all(const char *dir) {
  for (int k = 0; k < KIND_COUNT; k++) {
    if (!json_schema_has((Kind)k))
      continue;
    char name[128], *path;
    if (asprintf(&path, "%s/%s", dir, json_schema_file_name((Kind)k, name, sizeof name)) < 0)
      return false;
    char *text = json_schema_text((Kind)k);
    bool ok = S_write(path, text);
    if (!ok)
      fprintf(stderr, "ismsc: cannot write %s: %s\n", path, strerror(errno));
    free(text);
    free(path);
    if (!ok)
      return false;
  }
  return true;
}

bool json_schema_has(Kind kind) { return !kind_spec(kind)->from_catalog; }

static const char SCHEMA_DIR[] = ".ismsc/schemas";

bool json_schema_editor_setup(const char *root) {
  char *dir;
  if (asprintf(&dir, "%s/%s", root, SCHEMA_DIR) < 0)
    return false;
  bool ok = file_make_folders(dir) && json_schema_write_all(dir);
  free(dir);
  if (!ok)
    return false;
  json_t *map = json_object();
  for (int k = 0; k < KIND_COUNT; k++) {
    char name[128], *key;
    const char *where = kind_spec((Kind)k)->folder;
    if (!json_schema_has((Kind)k))
      continue;
    if (asprintf(&key, "./%s/%s", SCHEMA_DIR, json_schema_file_name((Kind)k, name, sizeof name)) <
        0)
      break;
    json_t *globs = json_array();
    if (where) {
      json_array_append_new(globs, json_sprintf("%s/**/*.yaml", where));
      json_array_append_new(globs, json_sprintf("%s/**/*.yml", where));
    } else if (k == KIND_MANIFEST) {
      json_array_append_new(globs, json_string("isms.yaml"));
    }
    if (json_array_size(globs))
      json_object_set_new(map, key, globs);
    else
      json_decref(globs);
    free(key);
  }
  json_t *settings = json_pack("{s:o}", "yaml.schemas", map);
  char *text = json_dumps(settings, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  json_decref(settings);
  char *vscode, *path;
  ok = asprintf(&vscode, "%s/.vscode", root) >= 0;
  if (ok && asprintf(&path, "%s/settings.json", vscode) >= 0) {
    size_t n = strlen(text);
    char *with_newline = malloc(n + 2);
    ok = with_newline && file_make_folders(vscode);
    if (ok) {
      memcpy(with_newline, text, n);
      memcpy(with_newline + n, "\n", 2);
      ok = file_write_new(path, with_newline, n + 1);
    }
    free(with_newline);
    free(path);
  }
  free(vscode);
  free(text);
  return ok;
}

static int S_usage(const char *why) {
  fprintf(stderr,
          "ismsc: %s\nusage: ismsc schema KIND        print the JSON Schema of a record kind "
          "(or 'manifest')\n       ismsc schema --write DIR  write every schema into DIR\n",
          why);
  return EXIT_USAGE;
}

static void S_kind_list(char *buf, size_t size) {
  size_t n = 0;
  buf[0] = '\0';
  for (int k = 0; k < KIND_COUNT && n < size; k++)
    if (json_schema_has((Kind)k))
      n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? ", " : "", kind_name((Kind)k));
}

/* A kind with a schema, by name: nested kinds (finding) included, which kind_parse leaves
 * out because no file may hold one on its own. */
static bool S_schema_kind(const char *name, Kind *out) {
  for (int k = 0; k < KIND_COUNT; k++) {
    if (json_schema_has((Kind)k) && strcmp(name, kind_name((Kind)k)) == 0) {
      *out = (Kind)k;
      return true;
    }
  }
  return false;
}

int json_schema_main(int argc, char **argv) {
  if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
    char kinds[512];
    S_kind_list(kinds, sizeof kinds);
    printf(
        "usage: ismsc schema KIND        print the JSON Schema (draft 2020-12) of a record kind\n"
        "       ismsc schema --write DIR  write every schema into DIR as KIND.schema.json\n"
        "kinds: %s\n",
        kinds);
    return EXIT_CLEAN;
  }
  if (argc == 3 && strcmp(argv[1], "--write") == 0) {
    if (!file_make_folders(argv[2])) {
      fprintf(stderr, "ismsc: cannot make the folder %s: %s\n", argv[2], strerror(errno));
      return EXIT_USAGE;
    }
    return json_schema_write_all(argv[2]) ? EXIT_CLEAN : EXIT_USAGE;
  }
  if (argc != 2)
    return S_usage("schema takes one record kind");
  const char *name = argv[1];
  Kind kind;
  if (strcmp(name, "manifest") == 0 || strcmp(name, "isms.yaml") == 0) {
    kind = KIND_MANIFEST;
  } else if (!S_schema_kind(name, &kind)) {
    char kinds[512], why[700];
    S_kind_list(kinds, sizeof kinds);
    snprintf(why, sizeof why, "unknown record kind '%s' (%s)", name, kinds);
    return S_usage(why);
  }
  char *text = json_schema_text(kind);
  fputs(text, stdout);
  free(text);
  return EXIT_CLEAN;
}
