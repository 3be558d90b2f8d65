/* diag.c - collect, sort, count and render diagnostics; see diag.h. */
#include "diag.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The structural rules: id, default severity, what it finds, how to fix it. `ismsc explain`,
 * `ismsc rules`, SARIF's rule metadata and docs/rule-reference.md all read this table. */
#define RULE(id, sev, what, fix)                                                                   \
  { id, sev, what, fix, NULL }
static const RuleInfo builtin_rules[] = {
    RULE("yaml-syntax", SEV_ERROR, "A YAML file or front matter that cannot be parsed",
         "Fix the YAML at the line shown (often indentation, a tab, or an unquoted ': '). The "
         "file's records are skipped until it parses."),
    RULE("front-matter", SEV_ERROR, "A Markdown record without well-formed front matter",
         "Start the file with a line `---`, then the record's YAML fields, then another `---` "
         "line; the body follows."),
    RULE("schema-required", SEV_ERROR, "A required field is missing or empty",
         "Add the field with a value; docs/format.md lists each kind's required fields."),
    RULE("schema-type", SEV_ERROR, "A field has the wrong type of value",
         "Write the value as the field's type: text, a number, a date, a list or a mapping."),
    RULE("schema-enum", SEV_ERROR, "A field's value is not one of its allowed values",
         "Use one of the values the message lists (case does not matter)."),
    RULE("schema-unknown", SEV_WARNING, "A field the record kind does not have",
         "Rename the field to the suggested one, or remove it; docs/format.md lists each "
         "kind's fields."),
    RULE("date-invalid", SEV_ERROR, "A date that is not a real ISO 8601 calendar date",
         "Write a date that exists, as YYYY-MM-DD."),
    RULE("id-invalid", SEV_ERROR, "An id with characters other than letters, digits, '.', '_', '-'",
         "Use only letters, digits, '.', '_' and '-' in the id."),
    RULE("id-duplicate", SEV_ERROR, "Two records with the same id",
         "Give one of the two records another id: ids are unique across the tree."),
    RULE("ref-unknown", SEV_ERROR, "A reference to an id that no record has",
         "Correct the id (the message suggests the nearest one), or add the record it names."),
    RULE("ref-kind", SEV_ERROR, "A reference to a record of the wrong kind",
         "Name a record of the kind the field takes (a treatment's `risks` are risk ids)."),
    RULE("control-unknown", SEV_ERROR, "A control record whose id is not in the catalog",
         "Use an id of the manifest's `catalog:`; for a 2013 id, the 2022 id the message names."),
    RULE("evidence-missing", SEV_ERROR,
         "An evidence path that does not exist or is outside the tree",
         "Commit the file inside the tree and give its path from the tree root, or cite it by "
         "`url:`."),
    RULE("data-invalid", SEV_ERROR,
         "A bad date, number or row in a metric's data CSV, or a data path that is not a file in "
         "the tree",
         "Fix the CSV at the row and column shown (columns `date,value[,note]`, dates as "
         "YYYY-MM-DD), or point `data:` at a CSV file inside the tree."),
    RULE("file-unreadable", SEV_ERROR, "A file or folder that cannot be read",
         "Make it readable, or remove it; a folder must not be named like a record file."),
    RULE("file-ignored", SEV_NOTE, "A file that is not read as a record",
         "Move the file into a record folder or give it a `kind:`; nothing to do if it is not "
         "a record."),
    RULE("encoding", SEV_ERROR, "Bytes that are not UTF-8, or a NUL byte",
         "Save the file as UTF-8."),
    RULE("input-limit", SEV_ERROR, "An input larger or deeper than the configured limits",
         "Split the file, or raise the limit under `limits:` in isms.yaml."),
    RULE("rule-invalid", SEV_ERROR, "A Lua rule file that does not define rules correctly",
         "Return `{id = ..., severity = ..., description = ..., check = function(isms, report) "
         "... end}` from the file; see docs/rules.md."),
    RULE("rule-error", SEV_ERROR, "A Lua rule that failed or ran over its budget",
         "Fix the Lua error at the line shown, or make the rule do less work."),
    /* Document control, from Git history (git_rules.c; docs/document-control.md). */
    RULE("approval-stale", SEV_WARNING, "A document whose content changed after it was approved",
         "Have the change approved: update `approved` (by, date) once it is, usually with a new "
         "`version`; or undo the change. The message names the approved commit and what changed."),
    RULE("acceptance-stale", SEV_WARNING,
         "A risk whose likelihood, impact or residual changed after its acceptance",
         "Have the new assessment accepted: update `acceptance` (by, date); or restore the "
         "accepted values."),
    RULE("version-unchanged", SEV_WARNING,
         "A document whose content changed since the commit that set its version",
         "Give the changed document a new `version`."),
    RULE("history-unavailable", SEV_NOTE,
         "The Git rules could not run: no repository, no commits, or a shallow clone",
         "Keep the tree in Git and check it in a full clone (CI: actions/checkout with "
         "fetch-depth: 0, or GIT_DEPTH: 0 in GitLab)."),
};
#undef RULE

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

/* A Lua rule file opens with "-- id: what it checks and why ..." comment lines. */
const char *rule_explanation(Arena *a, const RuleInfo *r) {
  const char *text = r->file && r->file->text ? r->file->text : "";
  size_t idlen = strlen(r->id);
  char *out = arena_alloc(a, strlen(text) + strlen(r->description) + 2), *o = out;
  for (const char *p = text; strncmp(p, "--", 2) == 0;) {
    p += 2;
    while (*p == ' ' || *p == '-')
      p++;
    if (o == out && strncmp(p, r->id, idlen) == 0 && p[idlen] == ':')
      p += idlen + 1 + (p[idlen + 1] == ' ');
    const char *end = p + strcspn(p, "\r\n");
    if (o != out && end > p)
      *o++ = ' ';
    memcpy(o, p, (size_t)(end - p));
    o += end - p;
    p = end + strspn(end, "\r\n");
  }
  if (o == out)
    return arena_printf(a, "%s.", r->description);
  *o = '\0';
  out[0] = (char)toupper((unsigned char)out[0]);
  if (o[-1] != '.')
    return arena_printf(a, "%s.", out);
  return out;
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

void diag_vreport(Diags *d, const struct Record *rec, Loc loc, const char *rule, const char *fmt,
                  va_list ap) {
  Diag *g = arena_alloc(d->arena, sizeof *g);
  g->loc = loc;            /* line 0: about the whole file (see S_render_text) */
  g->severity = SEV_ERROR; /* settled by diags_finish, once isms.yaml has been read */
  g->rule = rule;
  g->record = rec;
  g->seq = d->items.len;
  g->message = diag_vformat(d->arena, fmt, ap);
  ptrvec_push(d->arena, &d->items, g);
}

void diag_report(Diags *d, const struct Record *rec, Loc loc, const char *rule, const char *fmt,
                 ...) {
  va_list ap;
  va_start(ap, fmt);
  diag_vreport(d, rec, loc, rule, fmt, ap);
  va_end(ap);
}

void diags_adopt(Diags *d, Diag *g) {
  g->seq = d->items.len;
  ptrvec_push(d->arena, &d->items, g);
}

static int S_compare(const void *pa, const void *pb) {
  const Diag *a = *(const Diag *const *)pa, *b = *(const Diag *const *)pb;
  const char *fa = a->loc.file ? a->loc.file->path : "";
  const char *fb = b->loc.file ? b->loc.file->path : "";
  int c = strverscmp(fa, fb); /* natural order: controls/A.5.2.md before A.5.10.md */
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

/* Offsets near the top of a file (a body's start after a short front matter, the first
 * cells of a CSV) are counted from the start, without indexing the whole file: every record
 * with a body asks for its body's location, and indexing every file of a large tree for
 * that cost check about 3% of its time. Further down, or once indexed, the index answers. */
enum { SOURCE_LOC_SCAN_MAX = 4096 };

static Loc S_loc_by_scan(const SourceFile *f, size_t off) {
  Loc loc = {f, 1, 1};
  size_t line_start = 0;
  for (const char *p = f->text, *end = f->text + off; (p = memchr(p, '\n', (size_t)(end - p)));) {
    loc.line++;
    line_start = (size_t)(++p - f->text);
  }
  loc.col = (int)utf8_count(f->text + line_start, off - line_start) + 1;
  return loc;
}

Loc source_loc(const SourceFile *cf, size_t off) {
  SourceFile *f = (SourceFile *)cf;
  Loc loc = {cf, 1, 1};
  if (!f || !f->text)
    return loc;
  if (off > f->len)
    off = f->len;
  if (!f->line_starts && off <= SOURCE_LOC_SCAN_MAX)
    return S_loc_by_scan(f, off);
  if (!f->line_starts)
    S_index_lines(f);
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

Loc source_loc_after(const SourceFile *f, Loc at, size_t at_off, size_t off) {
  if (!f || !f->text || at_off > off || off > f->len)
    return source_loc(f, off);
  const char *p = f->text + at_off, *end = f->text + off, *line_start = NULL;
  for (const char *nl; (nl = memchr(p, '\n', (size_t)(end - p))); p = nl + 1) {
    at.line++;
    line_start = nl + 1;
  }
  if (line_start)
    at.col = (int)utf8_count(line_start, (size_t)(end - line_start)) + 1;
  else
    at.col += (int)utf8_count(f->text + at_off, off - at_off);
  return at;
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
