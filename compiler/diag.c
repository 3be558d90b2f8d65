/* diag.c - collect, sort, count and render diagnostics; see diag.h. */
#include "diag.h"

#include <ctype.h>
#include <jansson.h>
#include <libxml/uri.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const RuleInfo builtin_rules[] = {
    /* Structural, in C. */
    {"yaml-syntax", SEV_ERROR, "A YAML file or front matter that cannot be parsed"},
    {"front-matter", SEV_ERROR, "A Markdown record without well-formed front matter"},
    {"schema-required", SEV_ERROR, "A required field is missing or empty"},
    {"schema-type", SEV_ERROR, "A field has the wrong type of value"},
    {"schema-enum", SEV_ERROR, "A field's value is not one of its allowed values"},
    {"schema-unknown", SEV_WARNING, "A field the record kind does not have"},
    {"date-invalid", SEV_ERROR, "A date that is not a real ISO 8601 calendar date"},
    {"id-invalid", SEV_ERROR, "An id with characters other than letters, digits, '.', '_', '-'"},
    {"id-duplicate", SEV_ERROR, "Two records with the same id"},
    {"ref-unknown", SEV_ERROR, "A reference to an id that no record has"},
    {"ref-kind", SEV_ERROR, "A reference to a record of the wrong kind"},
    {"control-unknown", SEV_ERROR, "A control record whose id is not in the catalog"},
    {"evidence-missing", SEV_ERROR, "An evidence path that does not exist or is outside the tree"},
    {"data-invalid", SEV_ERROR,
     "A bad date, number or row in a metric's data CSV, or a data path that is not a file in the "
     "tree"},
    {"file-unreadable", SEV_ERROR, "A file or folder that cannot be read"},
    {"file-ignored", SEV_NOTE, "A file that is not read as a record"},
    {"encoding", SEV_ERROR, "Bytes that are not UTF-8, or a NUL byte"},
    {"input-limit", SEV_ERROR, "An input larger or deeper than the configured limits"},
    {"rule-invalid", SEV_ERROR, "A Lua rule file that does not define rules correctly"},
    {"rule-error", SEV_ERROR, "A Lua rule that failed or ran over its budget"},
};

const RuleInfo *diag_builtin_rules(size_t *count) {
  *count = sizeof builtin_rules / sizeof builtin_rules[0];
  return builtin_rules;
}

void diags_init(Diags *d, Arena *a) {
  memset(d, 0, sizeof *d);
  d->arena = a;
  hashmap_init(&d->overrides);
  size_t n;
  const RuleInfo *r = diag_builtin_rules(&n);
  for (size_t i = 0; i < n; i++)
    ptrvec_push(a, &d->rules, (void *)&r[i]);
}

const RuleInfo *diags_find_rule(const Diags *d, const char *id) {
  for (size_t i = 0; i < d->rules.len; i++) {
    const RuleInfo *r = d->rules.items[i];
    if (strcmp(r->id, id) == 0)
      return r;
  }
  return NULL;
}

void diags_override(Diags *d, const char *rule, Severity s) {
  hashmap_put(d->arena, &d->overrides, rule, (void *)(uintptr_t)(s + 1));
}

Severity diags_severity(const Diags *d, const char *rule) {
  uintptr_t o = (uintptr_t)hashmap_get(&d->overrides, rule);
  if (o)
    return (Severity)(o - 1);
  const RuleInfo *r = diags_find_rule(d, rule);
  return r ? r->severity : SEV_ERROR;
}

static const char *const severity_names[] = {"off", "note", "warning", "error"};

const char *severity_name(Severity s) { return severity_names[s]; }

bool severity_parse(const char *s, Severity *out) {
  for (int i = 0; i < 4; i++) {
    if (str_ieq(s, severity_names[i])) {
      *out = (Severity)i;
      return true;
    }
  }
  return false;
}

/* Messages are bounded: a value of a megabyte (hostile or pasted by mistake) is cut, and
 * the message says so, instead of printing or allocating a megabyte per finding. */
enum { MAX_MESSAGE = 600 };

const char *diag_vformat(Arena *a, const char *fmt, va_list ap) {
  char buf[MAX_MESSAGE + 8];
  int n = vsnprintf(buf, MAX_MESSAGE + 1, fmt, ap);
  if (n > MAX_MESSAGE) {
    size_t cut = MAX_MESSAGE - 3;
    while (cut > 0 && ((unsigned char)buf[cut] & 0xC0) == 0x80)
      cut--;                              /* not inside a UTF-8 sequence */
    memcpy(buf + cut, "\xE2\x80\xA6", 4); /* "…" and the NUL */
  }
  return arena_strdup(a, buf);
}

void diag_report(Diags *d, const struct Record *rec, Loc loc, const char *rule, const char *fmt,
                 ...) {
  Diag *g = arena_alloc(d->arena, sizeof *g);
  g->loc = loc;            /* line 0: about the whole file (see S_render_text) */
  g->severity = SEV_ERROR; /* settled by diags_finish, once isms.yaml has been read */
  g->rule = rule;
  g->record = rec;
  g->seq = d->items.len;
  va_list ap;
  va_start(ap, fmt);
  g->message = diag_vformat(d->arena, fmt, ap);
  va_end(ap);
  ptrvec_push(d->arena, &d->items, g);
}

void diags_adopt(Diags *d, Diag *g) {
  g->seq = d->items.len;
  ptrvec_push(d->arena, &d->items, g);
}

static int S_compare(const void *pa, const void *pb) {
  const Diag *a = *(const Diag *const *)pa, *b = *(const Diag *const *)pb;
  const char *fa = a->loc.file ? a->loc.file->path : "";
  const char *fb = b->loc.file ? b->loc.file->path : "";
  int c = strcmp(fa, fb);
  if (c)
    return c;
  if (a->loc.line != b->loc.line)
    return a->loc.line < b->loc.line ? -1 : 1;
  if (a->loc.col != b->loc.col)
    return a->loc.col < b->loc.col ? -1 : 1;
  return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void diags_finish(Diags *d) {
  size_t kept = 0;
  for (size_t i = 0; i < d->items.len; i++) {
    Diag *g = d->items.items[i];
    g->severity = diags_severity(d, g->rule);
    if (g->severity != SEV_OFF)
      d->items.items[kept++] = g;
  }
  d->items.len = kept;
  if (d->items.len)
    qsort(d->items.items, d->items.len, sizeof *d->items.items, S_compare);
  d->errors = d->warnings = d->notes = d->suppressed = 0;
  for (size_t i = 0; i < d->items.len; i++) {
    const Diag *g = d->items.items[i];
    if (g->suppressed_by)
      d->suppressed++;
    else if (g->severity == SEV_ERROR)
      d->errors++;
    else if (g->severity == SEV_WARNING)
      d->warnings++;
    else
      d->notes++;
  }
}

/* ---------------------------------------------------------------- source lines */

static void S_index_lines(SourceFile *f) {
  size_t n = 1;
  for (size_t i = 0; i < f->len; i++)
    if (f->text[i] == '\n')
      n++;
  f->line_starts = arena_alloc(f->arena, n * sizeof *f->line_starts);
  f->nlines = 0;
  f->line_starts[f->nlines++] = 0;
  for (size_t i = 0; i < f->len; i++)
    if (f->text[i] == '\n')
      f->line_starts[f->nlines++] = i + 1;
}

/* The line index is a cache on an otherwise read-only file, built only for files that
 * have a diagnostic, so that a clean tree never pays for it. */
const char *source_line(const SourceFile *cf, int line, size_t *len) {
  SourceFile *f = (SourceFile *)cf;
  if (!f || !f->text)
    return NULL;
  if (!f->line_starts)
    S_index_lines(f);
  if (line < 1 || (size_t)line > f->nlines)
    return NULL;
  size_t start = f->line_starts[line - 1];
  size_t end = (size_t)line < f->nlines ? f->line_starts[line] - 1 : f->len;
  if (end > start && f->text[end - 1] == '\r')
    end--;
  *len = end - start;
  return f->text + start;
}

Loc source_loc(const SourceFile *cf, size_t off) {
  SourceFile *f = (SourceFile *)cf;
  Loc loc = {cf, 1, 1};
  if (!f || !f->text)
    return loc;
  if (!f->line_starts)
    S_index_lines(f);
  if (off > f->len)
    off = f->len;
  size_t lo = 0, hi = f->nlines;
  while (hi - lo > 1) {
    size_t mid = (lo + hi) / 2;
    if (f->line_starts[mid] <= off)
      lo = mid;
    else
      hi = mid;
  }
  loc.line = (int)lo + 1;
  loc.col = (int)utf8_count(f->text + f->line_starts[lo], off - f->line_starts[lo]) + 1;
  return loc;
}

size_t source_offset(const SourceFile *f, Loc loc) {
  size_t len;
  const char *line = source_line(f, loc.line, &len);
  if (!line)
    return 0;
  size_t i = 0;
  for (int col = 1; i < len && col < loc.col; col++) {
    i++;
    while (i < len && ((unsigned char)line[i] & 0xC0) == 0x80)
      i++;
  }
  return (size_t)(line - f->text) + i;
}

/* ---------------------------------------------------------------- rendering */

enum { MAX_QUOTED_LINE = 400 };

static const char *S_color(Severity s) {
  switch (s) {
  case SEV_ERROR: return "\033[1;31m";
  case SEV_WARNING: return "\033[1;35m";
  default: return "\033[1;36m";
  }
}

/* The source line and a caret under the column, aligned by copying tabs. */
static void S_render_quote(const Diag *g, const RenderOptions *opt, FILE *out) {
  if (g->loc.line < 1)
    return; /* about the whole file: there is no line to show */
  size_t len;
  const char *text = source_line(g->loc.file, g->loc.line, &len);
  if (!text || len > MAX_QUOTED_LINE)
    return;
  fprintf(out, "%5d | %.*s\n      | ", g->loc.line, (int)len, text);
  int col = 1;
  for (size_t i = 0; i < len && col < g->loc.col; i++) {
    unsigned char c = (unsigned char)text[i];
    if ((c & 0xC0) == 0x80)
      continue;
    fputc(c == '\t' ? '\t' : ' ', out);
    col++;
  }
  fprintf(out, "%s^%s\n", opt->color ? "\033[1;32m" : "", opt->color ? "\033[0m" : "");
}

/* "SHEET!B7" for a spreadsheet cell (column 0: the whole row, "SHEET!7"). */
static const char *S_cell_ref(char *buf, size_t size, const char *sheet, int line, int col) {
  char letters[16];
  size_t n = sizeof letters - 1;
  letters[n] = '\0';
  for (int c = col; c > 0 && n > 0; c = (c - 1) / 26)
    letters[--n] = (char)('A' + (c - 1) % 26);
  snprintf(buf, size, "%s!%s%d", sheet, letters + n, line);
  return buf;
}

/* "12:14", "SHEET!B7" or "SHEET": a location without its path. */
static const char *S_where(char *buf, size_t size, Loc loc) {
  int line = loc.line > 0 ? loc.line : 1, col = loc.col > 0 ? loc.col : 1;
  if (loc.file && loc.file->sheet && loc.line > 0)
    return S_cell_ref(buf, size, loc.file->sheet, line, loc.col);
  if (loc.file && loc.file->sheet)
    snprintf(buf, size, "%s", loc.file->sheet);
  else
    snprintf(buf, size, "%d:%d", line, col);
  return buf;
}

const char *loc_text(Arena *a, Loc loc) {
  char where[320];
  return arena_printf(a, "%s:%s", loc.file ? loc.file->path : "?",
                      S_where(where, sizeof where, loc));
}

static void S_render_text(const Diag *g, const RenderOptions *opt, FILE *out) {
  const char *path = g->loc.file ? g->loc.file->path : "isms.yaml";
  const char *sev = g->suppressed_by ? "suppressed" : severity_name(g->severity);
  char where[320];
  S_where(where, sizeof where, g->loc);
  if (opt->color)
    fprintf(out, "\033[1m%s%s:%s:\033[0m %s%s:\033[0m %s [%s]\n", opt->path_prefix, path, where,
            S_color(g->severity), sev, g->message, g->rule);
  else
    fprintf(out, "%s%s:%s: %s: %s [%s]\n", opt->path_prefix, path, where, sev, g->message, g->rule);
  S_render_quote(g, opt, out);
}

/* Workflow command values escape %, CR and LF; properties also escape ':' and ','. */
static void S_github_escape(FILE *out, const char *s, bool property) {
  for (; *s; s++) {
    switch (*s) {
    case '%': fputs("%25", out); break;
    case '\r': fputs("%0D", out); break;
    case '\n': fputs("%0A", out); break;
    case ':': fputs(property ? "%3A" : ":", out); break;
    case ',': fputs(property ? "%2C" : ",", out); break;
    default: fputc(*s, out);
    }
  }
}

static void S_render_github(const Diag *g, const RenderOptions *opt, FILE *out) {
  static const char *const commands[] = {"notice", "notice", "warning", "error"};
  fprintf(out, "::%s file=", commands[g->severity]);
  S_github_escape(out, opt->path_prefix, true);
  S_github_escape(out, g->loc.file ? g->loc.file->path : "isms.yaml", true);
  fprintf(out, ",line=%d,col=%d,title=", g->loc.line > 0 ? g->loc.line : 1,
          g->loc.col > 0 ? g->loc.col : 1);
  S_github_escape(out, g->rule, true);
  fputs("::", out);
  S_github_escape(out, g->message, false);
  fputc('\n', out);
}

static void S_plural(FILE *out, bool *first, size_t n, const char *word) {
  fprintf(out, "%s%zu %s%s", *first ? "" : ", ", n, word, n == 1 ? "" : "s");
  *first = false;
}

static void S_render_summary(const Diags *d, FILE *out) {
  if (!d->errors && !d->warnings && !d->notes && !d->suppressed) {
    fputs("no problems\n", out);
    return;
  }
  bool first = true;
  S_plural(out, &first, d->errors, "error");
  S_plural(out, &first, d->warnings, "warning");
  if (d->notes)
    S_plural(out, &first, d->notes, "note");
  if (d->suppressed)
    fprintf(out, ", %zu suppressed", d->suppressed);
  fputc('\n', out);
}

/* ---------------------------------------------------------------- JSON and SARIF */

static const char *S_display_path(const Diags *d, const Diag *g, const RenderOptions *opt) {
  const char *path = g->loc.file ? g->loc.file->path : "isms.yaml";
  return opt->path_prefix[0] ? arena_printf(d->arena, "%s%s", opt->path_prefix, path) : path;
}

/* docs/ci.md documents this shape; `version` changes only if it does. */
static void S_render_json(const Diags *d, const RenderOptions *opt, FILE *out) {
  json_t *root = json_object();
  json_object_set_new(root, "version", json_integer(1));
  json_t *tool = json_object();
  json_object_set_new(tool, "name", json_string("ismsc"));
  json_object_set_new(tool, "version", json_string(opt->tool_version));
  json_object_set_new(root, "tool", tool);
  json_t *summary = json_object();
  json_object_set_new(summary, "errors", json_integer((json_int_t)d->errors));
  json_object_set_new(summary, "warnings", json_integer((json_int_t)d->warnings));
  json_object_set_new(summary, "notes", json_integer((json_int_t)d->notes));
  json_object_set_new(summary, "suppressed", json_integer((json_int_t)d->suppressed));
  json_object_set_new(root, "summary", summary);
  json_t *list = json_array();
  for (size_t i = 0; i < d->items.len; i++) {
    const Diag *g = d->items.items[i];
    json_t *j = json_object();
    json_object_set_new(j, "file", json_string(S_display_path(d, g, opt)));
    json_object_set_new(j, "line", json_integer(g->loc.line > 0 ? g->loc.line : 1));
    json_object_set_new(j, "column", json_integer(g->loc.col > 0 ? g->loc.col : 1));
    json_object_set_new(j, "severity", json_string(severity_name(g->severity)));
    json_object_set_new(j, "rule", json_string(g->rule));
    json_object_set_new(j, "message", json_string(g->message));
    json_object_set_new(j, "suppressed", json_boolean(g->suppressed_by != NULL));
    if (g->suppressed_by)
      json_object_set_new(j, "reason", json_string(g->suppressed_by));
    json_array_append_new(list, j);
  }
  json_object_set_new(root, "diagnostics", list);
  json_dumpf(root, out, JSON_INDENT(2) | JSON_ENSURE_ASCII);
  fputc('\n', out);
  json_decref(root);
}

/* "ref-unknown" -> "RefUnknown": SARIF's reportingDescriptor.name. */
static const char *S_pascal(Arena *a, const char *id) {
  char *s = arena_strdup(a, id), *o = s;
  bool up = true;
  for (const char *p = id; *p; p++) {
    if (*p == '-' || *p == '_' || *p == '.') {
      up = true;
      continue;
    }
    *o++ = up ? (char)toupper((unsigned char)*p) : *p;
    up = false;
  }
  *o = '\0';
  return s;
}

static json_t *S_sarif_rules(const Diags *d) {
  static const char *const levels[] = {"none", "note", "warning", "error"};
  json_t *rules = json_array();
  for (size_t i = 0; i < d->rules.len; i++) {
    const RuleInfo *r = d->rules.items[i];
    json_t *j = json_object();
    json_object_set_new(j, "id", json_string(r->id));
    json_object_set_new(j, "name", json_string(S_pascal(d->arena, r->id)));
    json_object_set_new(j, "shortDescription", json_pack("{s:s}", "text", r->description));
    json_object_set_new(j, "defaultConfiguration",
                        json_pack("{s:s}", "level", levels[diags_severity(d, r->id)]));
    json_array_append_new(rules, j);
  }
  return rules;
}

static json_t *S_sarif_result(const Diags *d, const Diag *g, const RenderOptions *opt) {
  static const char *const levels[] = {"none", "note", "warning", "error"};
  json_t *j = json_object();
  json_object_set_new(j, "ruleId", json_string(g->rule));
  for (size_t i = 0; i < d->rules.len; i++)
    if (strcmp(((const RuleInfo *)d->rules.items[i])->id, g->rule) == 0)
      json_object_set_new(j, "ruleIndex", json_integer((json_int_t)i));
  json_object_set_new(j, "level", json_string(levels[g->severity]));
  json_object_set_new(j, "message", json_pack("{s:s}", "text", g->message));
  /* Paths become URI references: libxml2 escapes what a URI cannot hold (spaces, '%'). */
  const char *path = S_display_path(d, g, opt);
  xmlChar *uri = xmlURIEscapeStr((const xmlChar *)path, (const xmlChar *)"/-._~!$&'()*+,;=:@");
  json_t *region = json_pack("{s:i,s:i}", "startLine", g->loc.line > 0 ? g->loc.line : 1,
                             "startColumn", g->loc.col > 0 ? g->loc.col : 1);
  /* A tree named by an absolute path gives file:// URIs; a relative one gives URIs relative
   * to %SRCROOT%, the checkout, as code scanning expects. */
  json_t *artifact =
      path[0] == '/'
          ? json_pack("{s:s}", "uri", arena_printf(d->arena, "file://%s", (const char *)uri))
          : json_pack("{s:s,s:s}", "uri", (const char *)uri, "uriBaseId", "%SRCROOT%");
  json_t *loc = json_pack("{s:{s:o,s:o}}", "physicalLocation", "artifactLocation", artifact,
                          "region", region);
  xmlFree(uri);
  json_object_set_new(j, "locations", json_pack("[o]", loc));
  if (g->suppressed_by)
    json_object_set_new(
        j, "suppressions",
        json_pack("[{s:s,s:s}]", "kind", "inSource", "justification", g->suppressed_by));
  return j;
}

static void S_render_sarif(const Diags *d, const RenderOptions *opt, FILE *out) {
  json_t *driver =
      json_pack("{s:s,s:s,s:s,s:o}", "name", "ismsc", "version", opt->tool_version,
                "informationUri", "https://github.com/ismsc/ismsc", "rules", S_sarif_rules(d));
  json_t *results = json_array();
  for (size_t i = 0; i < d->items.len; i++)
    json_array_append_new(results, S_sarif_result(d, d->items.items[i], opt));
  json_t *run = json_pack("{s:{s:o},s:s,s:o}", "tool", "driver", driver, "columnKind",
                          "unicodeCodePoints", "results", results);
  json_t *root =
      json_pack("{s:s,s:s,s:[o]}", "$schema", "https://json.schemastore.org/sarif-2.1.0.json",
                "version", "2.1.0", "runs", run);
  json_dumpf(root, out, JSON_INDENT(2));
  fputc('\n', out);
  json_decref(root);
}

void diags_render(const Diags *d, const RenderOptions *opt, FILE *out) {
  if (opt->format == FORMAT_JSON) {
    S_render_json(d, opt, out);
    return;
  }
  if (opt->format == FORMAT_SARIF) {
    S_render_sarif(d, opt, out);
    return;
  }
  for (size_t i = 0; i < d->items.len; i++) {
    const Diag *g = d->items.items[i];
    if (g->suppressed_by)
      continue; /* listed in json output and counted, not repeated as text */
    if (opt->format == FORMAT_GITHUB)
      S_render_github(g, opt, out);
    else
      S_render_text(g, opt, out);
  }
  if (opt->format == FORMAT_TEXT)
    S_render_summary(d, out);
}
