/* diff_render.c - `ismsc diff` written as text, Markdown (a pull-request comment) or JSON.
 *
 * What must stay true: every format says the same things in the same order; locations are
 * in the new revision (in the old one for what was removed or fixed), relative to the tree;
 * Markdown stays under GitHub's comment limit, largest changes first, with a count of what
 * did not fit, and every piece of user text in it is escaped so that a title cannot become
 * markup, a mention or HTML; JSON is written by jansson and follows docs/diff.schema.json.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"

/* GitHub refuses comments over 65,536 characters; keep room for the closing line. */
enum { MARKDOWN_BUDGET = 60000 };

/* ---------------------------------------------------------------- shared */

static const char *S_title(const Record *r) {
  if (r->kind == KIND_CONTROL)
    return r->catalog ? r->catalog->title : "";
  int f = kind_spec(r->kind)->title_field;
  const char *t = f >= 0 ? rec_str(r, f) : NULL;
  return t ? t : "";
}

static const char *S_path(const Loc *loc) { return loc->file ? loc->file->path : ""; }
static int S_line(const Loc *loc) { return loc->line ? loc->line : 1; }
static int S_col(const Loc *loc) { return loc->col ? loc->col : 1; }

static int S_changes_desc(const void *a, const void *b) {
  const RecordDiff *x = *(RecordDiff *const *)a, *y = *(RecordDiff *const *)b;
  if (x->changes.len != y->changes.len)
    return x->changes.len > y->changes.len ? -1 : 1;
  return strcmp(x->cur->id, y->cur->id);
}

RecordDiff **diff_changed_by_size(const PtrVec *changed) {
  RecordDiff **v = malloc((changed->len + 1) * sizeof *v);
  if (!v)
    abort();
  if (changed->len)
    memcpy(v, changed->items, changed->len * sizeof *v);
  qsort(v, changed->len, sizeof *v, S_changes_desc);
  return v;
}

static const char *S_change_name(char *buf, size_t size, const Change *c) {
  if (c->field)
    snprintf(buf, size, "%s", c->field);
  else
    snprintf(buf, size, "body section '%s'", c->section[0] ? c->section : "(introduction)");
  return buf;
}

static const char *S_or_none(const char *s) { return s ? s : "(none)"; }

/* ---------------------------------------------------------------- text */

static void S_text_record(FILE *out, const Record *r, const char *prefix) {
  fprintf(out, "  %s%s %s \"%s\" (%s:%d:%d)\n", prefix, kind_name(r->kind), r->id, S_title(r),
          S_path(&r->loc), S_line(&r->loc), S_col(&r->loc));
}

static void S_text_diag(FILE *out, const Diag *d) {
  fprintf(out, "  %s:%d:%d: %s: %s [%s]\n", S_path(&d->loc), S_line(&d->loc), S_col(&d->loc),
          severity_name(d->severity), d->message, d->rule);
}

static void S_text(const DiffResult *r, FILE *out) {
  fprintf(out, "Changes from %s to %s\n", r->from, r->to);
  fprintf(out, "  records: %zu added, %zu removed, %zu renamed, %zu changed\n", r->added.len,
          r->removed.len, r->renamed.len, r->changed.len);
  fprintf(out, "  diagnostics: %zu introduced, %zu fixed\n", r->introduced.len, r->fixed.len);
  if (r->documents.len) {
    fputs("\nDocuments whose content changed\n", out);
    for (size_t i = 0; i < r->documents.len; i++) {
      const DocumentChange *d = r->documents.items[i];
      fprintf(out, "  %s %s: %s%s\n", kind_name(d->record->kind), d->record->id, d->summary,
              d->stale ? "; its approval is now stale" : "");
    }
  }
  if (r->added.len)
    fputs("\nAdded\n", out);
  for (size_t i = 0; i < r->added.len; i++)
    S_text_record(out, ((const RecordDiff *)r->added.items[i])->cur, "");
  if (r->removed.len)
    fputs("\nRemoved\n", out);
  for (size_t i = 0; i < r->removed.len; i++)
    S_text_record(out, ((const RecordDiff *)r->removed.items[i])->old, "");
  if (r->renamed.len)
    fputs("\nRenamed\n", out);
  for (size_t i = 0; i < r->renamed.len; i++) {
    const RecordDiff *d = r->renamed.items[i];
    fprintf(out, "  %s %s -> %s \"%s\" (%s:%d:%d)\n", kind_name(d->cur->kind), d->old->id,
            d->cur->id, S_title(d->cur), S_path(&d->cur->loc), S_line(&d->cur->loc),
            S_col(&d->cur->loc));
  }
  RecordDiff **changed = diff_changed_by_size(&r->changed);
  if (r->changed.len)
    fputs("\nChanged\n", out);
  for (size_t i = 0; i < r->changed.len; i++) {
    const RecordDiff *d = changed[i];
    S_text_record(out, d->cur, "");
    for (size_t j = 0; j < d->changes.len; j++) {
      const Change *c = d->changes.items[j];
      char name[256];
      fprintf(out, "    %s: %s -> %s (%s:%d:%d)\n", S_change_name(name, sizeof name, c),
              S_or_none(c->old_text), S_or_none(c->new_text), S_path(&c->loc), S_line(&c->loc),
              S_col(&c->loc));
    }
  }
  free(changed);
  if (r->derived.len)
    fputs("\nDerived\n", out);
  for (size_t i = 0; i < r->derived.len; i++) {
    const DerivedChange *d = r->derived.items[i];
    fprintf(out, "  %s %s: %s %s -> %s\n", kind_name(d->record->kind), d->record->id, d->what,
            d->old_text, d->new_text);
  }
  if (r->introduced.len)
    fputs("\nDiagnostics introduced\n", out);
  for (size_t i = 0; i < r->introduced.len; i++)
    S_text_diag(out, r->introduced.items[i]);
  if (r->fixed.len)
    fputs("\nDiagnostics fixed\n", out);
  for (size_t i = 0; i < r->fixed.len; i++)
    S_text_diag(out, r->fixed.items[i]);
}

/* ---------------------------------------------------------------- Markdown */

/* A growing comment with a budget: pieces that do not fit are counted, not written. */
typedef struct Comment {
  char *text;
  size_t len, cap;
  size_t left_out;
} Comment;

static void S_put(Comment *c, const char *s, size_t n) {
  if (c->len + n + 1 > c->cap) {
    c->cap = (c->len + n + 1) * 2;
    c->text = realloc(c->text, c->cap);
    if (!c->text)
      abort();
  }
  memcpy(c->text + c->len, s, n);
  c->len += n;
  c->text[c->len] = '\0';
}

/* User text for a table cell or a line: no markup, no HTML, no mentions, one line. */
static void S_escape(FILE *f, const char *s) {
  for (; s && *s; s++) {
    switch (*s) {
    case '<': fputs("&lt;", f); break;
    case '>': fputs("&gt;", f); break;
    case '&': fputs("&amp;", f); break;
    case '@': fputs("&#64;", f); break;
    case '\n':
    case '\r': fputc(' ', f); break;
    case '|':
    case '\\':
    case '`':
    case '*':
    case '_':
    case '[':
    case ']':
    case '#':
    case '~':
      fputc('\\', f);
      fputc(*s, f);
      break;
    default: fputc(*s, f);
    }
  }
}

/* Starts a piece; S_piece_end adds it when it fits the budget. */
typedef struct Piece {
  char *buf;
  size_t len;
  FILE *f;
} Piece;

static FILE *S_piece(Piece *p) {
  p->buf = NULL;
  p->len = 0;
  p->f = open_memstream(&p->buf, &p->len);
  if (!p->f)
    abort();
  return p->f;
}

static bool S_piece_end(Comment *c, Piece *p, bool always) {
  fclose(p->f);
  bool fits = always || c->len + p->len <= MARKDOWN_BUDGET;
  if (fits)
    S_put(c, p->buf, p->len);
  else
    c->left_out++;
  free(p->buf);
  return fits;
}

static void S_md_heading(Comment *c, const char *text, size_t n) {
  Piece p;
  bool blank = c->len >= 2 && c->text[c->len - 1] == '\n' && c->text[c->len - 2] == '\n';
  fprintf(S_piece(&p), "%s#### %s (%zu)\n\n", blank ? "" : "\n", text, n);
  S_piece_end(c, &p, true);
}

static void S_md_record_line(FILE *f, const Record *r, const char *old_id) {
  fprintf(f, "- %s **", kind_name(r->kind));
  if (old_id) {
    S_escape(f, old_id);
    fputs("** → **", f);
  }
  S_escape(f, r->id);
  fputs("** ", f);
  S_escape(f, S_title(r));
  fprintf(f, " (`%s:%d`)\n", S_path(&r->loc), S_line(&r->loc));
}

static void S_md_diag(Comment *c, const Diag *d) {
  Piece p;
  FILE *f = S_piece(&p);
  fprintf(f, "- `%s:%d:%d` **%s** ", S_path(&d->loc), S_line(&d->loc), S_col(&d->loc),
          severity_name(d->severity));
  S_escape(f, d->message);
  fprintf(f, " `[%s]`\n", d->rule);
  S_piece_end(c, &p, false);
}

static void S_md_changed(Comment *c, const RecordDiff *d) {
  Piece p;
  FILE *f = S_piece(&p);
  fprintf(f, "**%s ", kind_name(d->cur->kind));
  S_escape(f, d->cur->id);
  fputs("** ", f);
  S_escape(f, S_title(d->cur));
  fprintf(f, " (`%s`)\n\n| Field | Old | New | Where |\n|---|---|---|---|\n", S_path(&d->cur->loc));
  for (size_t j = 0; j < d->changes.len; j++) {
    const Change *ch = d->changes.items[j];
    char name[256];
    fputs("| ", f);
    S_escape(f, S_change_name(name, sizeof name, ch));
    fputs(" | ", f);
    S_escape(f, S_or_none(ch->old_text));
    fputs(" | ", f);
    S_escape(f, S_or_none(ch->new_text));
    fprintf(f, " | `%s:%d:%d` |\n", S_path(&ch->loc), S_line(&ch->loc), S_col(&ch->loc));
  }
  fputc('\n', f);
  S_piece_end(c, &p, false);
}

static void S_md_summary(Comment *c, const DiffResult *r) {
  Piece p;
  FILE *f = S_piece(&p);
  /* A marker a CI job can find to update its one comment instead of adding another. */
  fputs("<!-- ismsc-diff -->\n### ismsc diff: ", f);
  S_escape(f, r->from);
  fputs(" → ", f);
  S_escape(f, r->to);
  fprintf(f,
          "\n\n**Records:** %zu added, %zu removed, %zu renamed, %zu changed · "
          "**Diagnostics:** %zu introduced, %zu fixed\n",
          r->added.len, r->removed.len, r->renamed.len, r->changed.len, r->introduced.len,
          r->fixed.len);
  S_piece_end(c, &p, true);
}

static void S_md_documents(Comment *c, const DiffResult *r) {
  if (!r->documents.len)
    return;
  S_md_heading(c, "Documents whose content changed", r->documents.len);
  Piece p;
  fputs("| Document | What changed | Approval |\n|---|---|---|\n", S_piece(&p));
  S_piece_end(c, &p, true);
  for (size_t i = 0; i < r->documents.len; i++) {
    const DocumentChange *d = r->documents.items[i];
    FILE *f = S_piece(&p);
    fputs("| **", f);
    S_escape(f, d->record->id);
    fputs("** ", f);
    S_escape(f, S_title(d->record));
    fputs(" | ", f);
    S_escape(f, d->summary);
    fprintf(f, " | %s |\n", d->stale ? "⚠️ now stale: approve the new content" : "—");
    S_piece_end(c, &p, false);
  }
}

static void S_md_records(Comment *c, const char *heading, const PtrVec *v, bool old) {
  if (!v->len)
    return;
  S_md_heading(c, heading, v->len);
  for (size_t i = 0; i < v->len; i++) {
    const RecordDiff *d = v->items[i];
    Piece p;
    S_md_record_line(S_piece(&p), old ? d->old : d->cur, d->old && d->cur ? d->old->id : NULL);
    S_piece_end(c, &p, false);
  }
}

static void S_md_derived(Comment *c, const DiffResult *r) {
  if (!r->derived.len)
    return;
  S_md_heading(c, "Derived changes", r->derived.len);
  Piece p;
  fputs("| Record | What | Old | New |\n|---|---|---|---|\n", S_piece(&p));
  S_piece_end(c, &p, true);
  for (size_t i = 0; i < r->derived.len; i++) {
    const DerivedChange *d = r->derived.items[i];
    FILE *f = S_piece(&p);
    fprintf(f, "| %s ", kind_name(d->record->kind));
    S_escape(f, d->record->id);
    fprintf(f, " | %s | ", d->what);
    S_escape(f, d->old_text);
    fputs(" | ", f);
    S_escape(f, d->new_text);
    fputs(" |\n", f);
    S_piece_end(c, &p, false);
  }
}

static void S_markdown(const DiffResult *r, FILE *out) {
  Comment c = {0};
  S_md_summary(&c, r);
  S_md_documents(&c, r);
  if (r->introduced.len)
    S_md_heading(&c, "Diagnostics introduced", r->introduced.len);
  for (size_t i = 0; i < r->introduced.len; i++)
    S_md_diag(&c, r->introduced.items[i]);
  if (r->changed.len)
    S_md_heading(&c, "Changed records, largest first", r->changed.len);
  RecordDiff **changed = diff_changed_by_size(&r->changed);
  for (size_t i = 0; i < r->changed.len; i++)
    S_md_changed(&c, changed[i]);
  free(changed);
  S_md_records(&c, "Added records", &r->added, false);
  S_md_records(&c, "Removed records", &r->removed, true);
  S_md_records(&c, "Renamed records", &r->renamed, false);
  S_md_derived(&c, r);
  if (r->fixed.len)
    S_md_heading(&c, "Diagnostics fixed", r->fixed.len);
  for (size_t i = 0; i < r->fixed.len; i++)
    S_md_diag(&c, r->fixed.items[i]);
  if (c.left_out) {
    char line[160];
    int n = snprintf(line, sizeof line,
                     "\n_…and %zu more changes that do not fit in one comment: run `ismsc "
                     "diff` for all of them._\n",
                     c.left_out);
    S_put(&c, line, (size_t)n);
  }
  if (c.text)
    fputs(c.text, out);
  free(c.text);
}

/* ---------------------------------------------------------------- JSON */

static json_t *S_json_record(const Record *r) {
  return json_pack("{s:s,s:s,s:s,s:s,s:i,s:i}", "kind", kind_name(r->kind), "id", r->id, "title",
                   S_title(r), "file", S_path(&r->loc), "line", S_line(&r->loc), "column",
                   S_col(&r->loc));
}

static json_t *S_json_text(const char *s) { return s ? json_string(s) : json_null(); }

static json_t *S_json_change(const Change *c) {
  return json_pack("{s:o,s:o,s:o,s:o,s:s,s:i,s:i}", "field", S_json_text(c->field), "section",
                   c->field ? json_null() : json_string(c->section), "old",
                   S_json_text(c->old_text), "new", S_json_text(c->new_text), "file",
                   S_path(&c->loc), "line", S_line(&c->loc), "column", S_col(&c->loc));
}

static json_t *S_json_diags(const PtrVec *v) {
  json_t *a = json_array();
  for (size_t i = 0; i < v->len; i++) {
    const Diag *d = v->items[i];
    json_array_append_new(a, json_pack("{s:s,s:i,s:i,s:s,s:s,s:s}", "file", S_path(&d->loc), "line",
                                       S_line(&d->loc), "column", S_col(&d->loc), "severity",
                                       severity_name(d->severity), "rule", d->rule, "message",
                                       d->message));
  }
  return a;
}

static json_t *S_json_records(const PtrVec *v, bool old) {
  json_t *a = json_array();
  for (size_t i = 0; i < v->len; i++) {
    const RecordDiff *d = v->items[i];
    json_t *o = S_json_record(old ? d->old : d->cur);
    if (d->old && d->cur && strcmp(d->old->id, d->cur->id) != 0)
      json_object_set_new(o, "old_id", json_string(d->old->id));
    if (d->old && d->cur && d->changes.len && !old) {
      json_t *changes = json_array();
      for (size_t j = 0; j < d->changes.len; j++)
        json_array_append_new(changes, S_json_change(d->changes.items[j]));
      json_object_set_new(o, "changes", changes);
    }
    json_array_append_new(a, o);
  }
  return a;
}

static void S_json(const DiffResult *r, FILE *out) {
  json_t *derived = json_array(), *documents = json_array();
  for (size_t i = 0; i < r->derived.len; i++) {
    const DerivedChange *d = r->derived.items[i];
    json_array_append_new(
        derived, json_pack("{s:s,s:s,s:s,s:s,s:s}", "kind", kind_name(d->record->kind), "id",
                           d->record->id, "what", d->what, "old", d->old_text, "new", d->new_text));
  }
  for (size_t i = 0; i < r->documents.len; i++) {
    const DocumentChange *d = r->documents.items[i];
    json_array_append_new(documents,
                          json_pack("{s:s,s:s,s:s,s:s,s:b}", "kind", kind_name(d->record->kind),
                                    "id", d->record->id, "title", S_title(d->record), "changed",
                                    d->summary, "approval_stale", d->stale));
  }
  RecordDiff **sorted = diff_changed_by_size(&r->changed);
  PtrVec changed = {(void **)sorted, r->changed.len, r->changed.len};
  json_t *root = json_pack(
      "{s:s,s:s,s:{s:I,s:I,s:I,s:I,s:I,s:I},s:o,s:o,s:o,s:o,s:o,s:o,s:{s:o,s:o}}", "from", r->from,
      "to", r->to, "summary", "added", (json_int_t)r->added.len, "removed",
      (json_int_t)r->removed.len, "renamed", (json_int_t)r->renamed.len, "changed",
      (json_int_t)r->changed.len, "introduced", (json_int_t)r->introduced.len, "fixed",
      (json_int_t)r->fixed.len, "added", S_json_records(&r->added, false), "removed",
      S_json_records(&r->removed, true), "renamed", S_json_records(&r->renamed, false), "changed",
      S_json_records(&changed, false), "derived", derived, "documents", documents, "diagnostics",
      "introduced", S_json_diags(&r->introduced), "fixed", S_json_diags(&r->fixed));
  free(sorted);
  char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  if (text) {
    fputs(text, out);
    fputc('\n', out);
  }
  free(text);
  json_decref(root);
}

void diff_render(const DiffResult *r, DiffFormat format, FILE *out) {
  switch (format) {
  case DIFF_TEXT: S_text(r, out); break;
  case DIFF_MARKDOWN: S_markdown(r, out); break;
  case DIFF_JSON: S_json(r, out); break;
  }
}
