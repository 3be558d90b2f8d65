/* diag.c - collect, sort, count and render diagnostics; see diag.h. */
#include "diag.h"

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
  g->message = arena_vprintf(d->arena, fmt, ap);
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

static void S_render_text(const Diag *g, const RenderOptions *opt, FILE *out) {
  const char *path = g->loc.file ? g->loc.file->path : "isms.yaml";
  const char *sev = g->suppressed_by ? "suppressed" : severity_name(g->severity);
  int line = g->loc.line > 0 ? g->loc.line : 1, col = g->loc.col > 0 ? g->loc.col : 1;
  if (opt->color)
    fprintf(out, "\033[1m%s%s:%d:%d:\033[0m %s%s:\033[0m %s [%s]\n", opt->path_prefix, path, line,
            col, S_color(g->severity), sev, g->message, g->rule);
  else
    fprintf(out, "%s%s:%d:%d: %s: %s [%s]\n", opt->path_prefix, path, line, col, sev, g->message,
            g->rule);
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

void diags_render(const Diags *d, const RenderOptions *opt, FILE *out) {
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
