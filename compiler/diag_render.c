/* diag_render.c - diagnostics for people: the text format, GitHub workflow annotations and
 * the GitHub job summary.
 *
 * What must stay true:
 * - errors come first (then warnings, then notes), each group sorted by file, line and
 *   column, so the finding that fails the run is on top;
 * - a rule with many warnings or notes (a new tree's 93 `inclusion-justified`) shows its
 *   first few and is summarised once at the end with `ismsc explain RULE`; errors are never
 *   folded, and --all lists everything;
 * - GitHub shows only 10 annotations of each level per step: errors are annotated first,
 *   the rest are counted in the log, and the job summary ($GITHUB_STEP_SUMMARY) has them all.
 */
#include <string.h>

#include "diag.h"

enum {
  FOLD_MANY = 10,      /* a rule with more warnings than this is folded ... */
  FOLD_MANY_NOTES = 3, /* ... or more notes than this (a new tree's readiness to-do list) ... */
  FOLD_SHOWN = 3,      /* ... to its first few */
  GITHUB_PER_LEVEL = 10,
  MAX_QUOTED_LINE = 400,
};

/* The live (not suppressed) findings, errors first; quiet keeps only errors. */
static PtrVec S_ordered(const Diags *d, bool quiet) {
  PtrVec v = {0};
  static const Severity order[] = {SEV_ERROR, SEV_WARNING, SEV_NOTE};
  for (size_t s = 0; s < (quiet ? 1u : 3u); s++)
    for (size_t i = 0; i < d->items.len; i++) {
      Diag *g = d->items.items[i];
      if (!g->suppressed_by && g->severity == order[s])
        ptrvec_push(d->arena, &v, g);
    }
  return v;
}

static const char *S_path(const Diag *g) { return g->loc.file ? g->loc.file->path : "isms.yaml"; }
static int S_line(const Diag *g) { return g->loc.line > 0 ? g->loc.line : 1; }
static int S_col(const Diag *g) { return g->loc.col > 0 ? g->loc.col : 1; }

/* ---------------------------------------------------------------- text */

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
  const char *sev = severity_name(g->severity);
  char where[320];
  S_where(where, sizeof where, g->loc);
  if (opt->color)
    fprintf(out, "\033[1m%s%s:%s:\033[0m %s%s:\033[0m %s [%s]\n", opt->path_prefix, S_path(g),
            where, S_color(g->severity), sev, g->message, g->rule);
  else
    fprintf(out, "%s%s:%s: %s: %s [%s]\n", opt->path_prefix, S_path(g), where, sev, g->message,
            g->rule);
  S_render_quote(g, opt, out);
}

static void S_plural(FILE *out, bool *first, size_t n, const char *word) {
  fprintf(out, "%s%zu %s%s", *first ? "" : ", ", n, word, n == 1 ? "" : "s");
  *first = false;
}

static void S_render_count(const Diags *d, FILE *out, const char *end) {
  if (!d->errors && !d->warnings && !d->notes && !d->suppressed) {
    fprintf(out, "no problems%s", end);
    return;
  }
  bool first = true;
  S_plural(out, &first, d->errors, "error");
  S_plural(out, &first, d->warnings, "warning");
  if (d->notes)
    S_plural(out, &first, d->notes, "note");
  if (d->suppressed)
    fprintf(out, ", %zu suppressed", d->suppressed);
  fputs(end, out);
}

/* How many findings each rule has among v, by rule id. */
static HashMap S_rule_counts(const Diags *d, const PtrVec *v) {
  HashMap counts;
  hashmap_init(&counts);
  for (size_t i = 0; i < v->len; i++) {
    const Diag *g = v->items[i];
    size_t n = (size_t)hashmap_get(&counts, g->rule);
    hashmap_put(d->arena, &counts, g->rule, (void *)(n + 1));
  }
  return counts;
}

/* Errors are never folded: they are what the user must fix. Notes fold sooner than warnings:
 * they inform and fail nothing, so they must not push an error off a first screen. */
static bool S_folded(const Diag *g, const HashMap *counts, const RenderOptions *opt) {
  if (opt->all || g->severity == SEV_ERROR)
    return false;
  size_t many = g->severity == SEV_NOTE ? FOLD_MANY_NOTES : FOLD_MANY;
  return (size_t)hashmap_get(counts, g->rule) > many;
}

/* "93 × inclusion-justified (3 shown; --all lists them): ...; see 'ismsc explain ...'" */
static void S_render_rule_summaries(const Diags *d, const PtrVec *v, const HashMap *counts,
                                    const RenderOptions *opt, FILE *out) {
  HashMap done;
  hashmap_init(&done);
  for (size_t i = 0; i < v->len; i++) {
    const Diag *g = v->items[i];
    if (!S_folded(g, counts, opt) || hashmap_get(&done, g->rule))
      continue;
    hashmap_put(d->arena, &done, g->rule, (void *)1);
    const RuleInfo *r = diags_find_rule(d, g->rule);
    fprintf(out, "%zu \xC3\x97 %s (%d shown; --all lists them): %s; see 'ismsc explain %s'\n",
            (size_t)hashmap_get(counts, g->rule), g->rule, FOLD_SHOWN,
            r && r->description ? r->description : g->message, g->rule);
  }
}

static void S_render_texts(const Diags *d, const RenderOptions *opt, FILE *out) {
  PtrVec v = S_ordered(d, opt->quiet);
  HashMap counts = S_rule_counts(d, &v), shown;
  hashmap_init(&shown);
  for (size_t i = 0; i < v.len; i++) {
    const Diag *g = v.items[i];
    if (S_folded(g, &counts, opt)) {
      size_t n = (size_t)hashmap_get(&shown, g->rule);
      hashmap_put(d->arena, &shown, g->rule, (void *)(n + 1));
      if (n >= FOLD_SHOWN)
        continue;
    }
    S_render_text(g, opt, out);
  }
  S_render_rule_summaries(d, &v, &counts, opt, out);
  S_render_count(d, out, "\n");
}

/* ---------------------------------------------------------------- GitHub */

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

static void S_render_github(const Diags *d, const Diag *g, const RenderOptions *opt, FILE *out) {
  static const char *const commands[] = {"notice", "notice", "warning", "error"};
  fprintf(out, "::%s file=", commands[g->severity]);
  S_github_escape(out, diag_ci_path(d, g, opt), true);
  fprintf(out, ",line=%d,col=%d,title=", S_line(g), S_col(g));
  S_github_escape(out, g->rule, true);
  fputs("::", out);
  S_github_escape(out, g->message, false);
  fputc('\n', out);
}

/* CommonMark lets any ASCII punctuation be backslash-escaped; these are the characters that
 * can start markup inside a table cell (emphasis, links, HTML, entities, a cell's end), so a
 * message shows as written. Line breaks become spaces. */
static void S_markdown_text(FILE *out, const char *s) {
  for (; *s; s++) {
    if (*s == '\n' || *s == '\r')
      fputc(' ', out);
    else if (strchr("\\`*_[]<>|~&!$", *s))
      fprintf(out, "\\%c", *s);
    else
      fputc(*s, out);
  }
}

static void S_render_step_summary(const Diags *d, const PtrVec *v, const RenderOptions *opt,
                                  FILE *out) {
  fputs("## ismsc check\n\n**", out);
  S_render_count(d, out, "");
  fputs("**\n\n", out);
  if (!v->len)
    return;
  fputs("| Severity | Location | Rule | Message |\n|---|---|---|---|\n", out);
  for (size_t i = 0; i < v->len; i++) {
    const Diag *g = v->items[i];
    fprintf(out, "| %s | ", severity_name(g->severity));
    S_markdown_text(out, diag_ci_path(d, g, opt));
    fprintf(out, ":%d:%d | ", S_line(g), S_col(g));
    S_markdown_text(out, g->rule);
    fputs(" | ", out);
    S_markdown_text(out, g->message);
    fputs(" |\n", out);
  }
  fputc('\n', out);
}

static void S_render_githubs(const Diags *d, const RenderOptions *opt, FILE *out) {
  PtrVec v = S_ordered(d, opt->quiet);
  size_t per_level[4] = {0}, left[4] = {0};
  for (size_t i = 0; i < v.len; i++) {
    const Diag *g = v.items[i];
    if (per_level[g->severity]++ < GITHUB_PER_LEVEL)
      S_render_github(d, g, opt, out);
    else
      left[g->severity]++;
  }
  static const Severity levels[] = {SEV_ERROR, SEV_WARNING, SEV_NOTE};
  const char *sep = "ismsc: ";
  for (size_t i = 0; i < 3; i++) {
    size_t n = left[levels[i]];
    if (n)
      fprintf(out, "%s%zu more %s%s", sep, n, severity_name(levels[i]), n == 1 ? "" : "s");
    sep = n ? ", " : sep;
  }
  if (sep[0] == ',')
    fprintf(out, " not annotated (GitHub shows %d of each level per step)%s\n", GITHUB_PER_LEVEL,
            opt->step_summary ? "; the job summary lists every finding" : "");
  S_render_count(d, out, "\n");
  if (opt->step_summary)
    S_render_step_summary(d, &v, opt, opt->step_summary);
}

void diags_render(const Diags *d, const RenderOptions *opt, FILE *out) {
  switch (opt->format) {
  case FORMAT_JSON: diags_render_json(d, opt, out); break;
  case FORMAT_SARIF: diags_render_sarif(d, opt, out); break;
  case FORMAT_GITLAB: diags_render_gitlab(d, opt, out); break;
  case FORMAT_GITHUB: S_render_githubs(d, opt, out); break;
  case FORMAT_TEXT: S_render_texts(d, opt, out); break;
  }
}
