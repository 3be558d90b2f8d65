/* import_columns.c - a sheet's header to fields (import.h).
 *
 * A column is matched by its label, ignoring case and everything but letters and digits
 * ("Risk owner", "risk_owner" and "RISK-OWNER" are one label): the field's name, the name of
 * a nested field with its parent's ("Residual likelihood" is residual.likelihood), the
 * field's name after the kind's ("Risk ID"), the kind's name alone for the id (ismsc's own
 * registers head the id column "Risk"), and the few other labels ismsc's documents use. The
 * labels come from the schema tables, so a new field is matched with no change here.
 * `--map "Label=field"` overrides all of these. A header may span two rows when cells of
 * its first row are merged over the second ("Residual" over "Likelihood | Impact").
 */
#include "import.h"

#include <stdlib.h>
#include <string.h>

/* "Risk owner" -> "riskowner": ASCII letters and digits, lower case; other UTF-8 kept. */
static const char *S_norm(Arena *a, const char *s) {
  char *out = arena_alloc(a, strlen(s) + 1), *o = out;
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c >= 'A' && c <= 'Z')
      *o++ = (char)(c + 32);
    else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80)
      *o++ = (char)c;
  }
  *o = '\0';
  return out;
}

/* Labels of ismsc's documents that are not a field's name: each is a field, or "" for a
 * column ismsc computes (left out). By kind name; "*" for every kind. */
static const struct {
  const char *kind, *label, *field;
} other_labels[] = {
    {"*", "section", ""}, /* the theme or record a shared sheet's row came from (emit_xlsx.c) */
    {"risk", "option", "treatment"},
    {"risk", "treatmentoption", "treatment"},
    {"risk", "description", "body"},
    {"risk", "inherent", ""},
    {"risk", "score", ""},
    {"risk", "level", ""},
    {"risk", "residualscore", ""},
    {"risk", "residuallevel", ""},
    {"risk", "residual", ""},
    {"risk", "inherentscore", ""},
    {"risk", "inherentlevel", ""},
    {"risk", "rationale", "acceptance.rationale"},
    {"control", "risks", ""},
    {"control", "inclusionreasons", "reasons"},
    {"treatment", "overdue", ""},
    {"risk", "treatments", ""},
    {"risk", "li", ""},
    {"asset", "risks", ""},
    {"control", "title", ""},
    {"control", "implementation", "body"},
    {"control", "description", "body"},
    {"treatment", "description", "body"},
    {"treatment", "duedate", "due"},
    {"policy", "nextreview", "review"},
    {"risk", "acceptedby", "acceptance.by"},
    {"risk", "accepted", "acceptance.date"},
    {"risk", "acceptedon", "acceptance.date"},
    {"risk", "riskdescription", "body"},
};

typedef struct Candidate {
  const char *norm;
  ColumnTarget target;
  const char *path; /* "residual.likelihood", for --map and messages */
} Candidate;

static void S_add(Arena *a, PtrVec *c, const char *label, ColumnTarget t, const char *path) {
  Candidate *k = arena_alloc(a, sizeof *k);
  k->norm = S_norm(a, label);
  k->target = t;
  k->path = path;
  ptrvec_push(a, c, k);
}

/* The candidate of a field path ("owner", "acceptance.by"), or NULL. */
static const Candidate *S_match_path(const PtrVec *c, const char *path) {
  for (size_t i = 0; i < c->len; i++) {
    const Candidate *k = c->items[i];
    if (k->path && strcmp(k->path, path) == 0)
      return k;
  }
  return NULL;
}

/* Every label a column of kind may have, in order of preference. */
static PtrVec S_candidates(Arena *a, Kind kind) {
  PtrVec c = {0};
  const FieldTable *t = schema_table(kind);
  const char *kname = kind_name(kind);
  for (size_t i = 0; i < t->count; i++) {
    const FieldSpec *f = &t->fields[i];
    if ((int)i == kind_spec(kind)->kind_field || (int)i == kind_spec(kind)->ignore_field ||
        f->type == FT_RECORD_LIST || f->type == FT_NAMED_MAP || f->type == FT_SEVERITY_MAP)
      continue; /* not something one cell can hold */
    ColumnTarget target = {.field = f, .index = (int)i};
    if (f->type == FT_MAP || f->type == FT_MAP_LIST) {
      for (size_t k = 0; k < f->sub->count; k++) {
        ColumnTarget st = {
            .field = f, .sub = &f->sub->fields[k], .index = (int)i, .sub_index = (int)k};
        const char *path = arena_printf(a, "%s.%s", f->name, f->sub->fields[k].name);
        S_add(a, &c, path, st, path);
      }
      if (f->type == FT_MAP_LIST) /* "Evidence": the whole list, an entry a line */
        S_add(a, &c, f->name, target, f->name);
      continue;
    }
    S_add(a, &c, f->name, target, f->name);
    S_add(a, &c, arena_printf(a, "%s %s", kname, f->name), target, f->name);
    if (f->type == FT_ID)
      S_add(a, &c, kname, target, f->name);
  }
  for (size_t i = 0; i < sizeof other_labels / sizeof other_labels[0]; i++) {
    if (strcmp(other_labels[i].kind, kname) != 0 && strcmp(other_labels[i].kind, "*") != 0)
      continue;
    if (!*other_labels[i].field) {
      ColumnTarget derived = {.derived = true};
      S_add(a, &c, other_labels[i].label, derived, "");
      continue;
    }
    const Candidate *named = S_match_path(&c, other_labels[i].field);
    if (named)
      S_add(a, &c, other_labels[i].label, named->target, named->path);
  }
  return c;
}

static const Candidate *S_match(const PtrVec *c, const char *norm) {
  for (size_t i = 0; i < c->len; i++) {
    const Candidate *k = c->items[i];
    if (strcmp(k->norm, norm) == 0)
      return k;
  }
  return NULL;
}

static const SheetRow *S_row(const Sheet *s, int number) {
  for (size_t i = 0; i < s->rows.len; i++) {
    const SheetRow *r = s->rows.items[i];
    if (r->number == number)
      return r;
    if (r->number > number)
      break;
  }
  return NULL;
}

static const char *S_text_at(const Sheet *s, int row, int col) {
  const SheetRow *r = S_row(s, row);
  const Cell *c = r ? sheet_cell(r, (size_t)col) : NULL;
  return c ? c->text : NULL;
}

/* The text a merged range shows at (row, col): its top-left cell's. */
static const char *S_shown_at(const Sheet *s, int row, int col) {
  for (size_t i = 0; i < s->merges.len; i++) {
    const CellRange *m = s->merges.items[i];
    if (row >= m->row1 && row <= m->row2 && col >= m->col1 && col <= m->col2)
      return S_text_at(s, m->row1, m->col1);
  }
  return S_text_at(s, row, col);
}

/* The header's last row: its first row, and further rows while a merged cell of the header
 * reaches down into them. */
static int S_header_end(const Sheet *s, int first) {
  int last = first;
  for (bool grew = true; grew;) {
    grew = false;
    for (size_t i = 0; i < s->merges.len; i++) {
      const CellRange *m = s->merges.items[i];
      if (m->row1 >= first && m->row1 <= last && m->row2 > last && m->row2 - first < 4) {
        last = m->row2;
        grew = true;
      }
    }
  }
  return last;
}

static const char *S_label(Arena *a, const Sheet *s, int first, int last, int col) {
  const char *label = NULL, *prev = NULL;
  for (int r = first; r <= last; r++) {
    const char *t = S_shown_at(s, r, col);
    if (!t || !*t || (prev && strcmp(prev, t) == 0))
      continue;
    label = label ? arena_printf(a, "%s %s", label, t) : t;
    prev = t;
  }
  return label;
}

static size_t S_width(const Sheet *s, int last) {
  size_t width = 0;
  for (size_t i = 0; i < s->rows.len; i++) {
    const SheetRow *r = s->rows.items[i];
    if (r->number <= last && r->count > width)
      width = r->count;
  }
  return width;
}

/* A column headed with the kind's name alone ("Risk") is the id in ismsc's own registers,
 * but in a register that also has a "Risk ID" column it is the risk's title. */
static void S_bare_kind_name(Arena *a, Columns *cols, Kind kind, const PtrVec *cands) {
  const char *bare = S_norm(a, kind_name(kind));
  int bare_col = -1, other_id = -1;
  for (size_t c = 0; c < cols->count; c++) {
    const ColumnTarget *t = &cols->targets[c];
    if (!t->field || t->field->type != FT_ID || t->sub)
      continue;
    if (strcmp(S_norm(a, cols->labels[c]), bare) == 0)
      bare_col = (int)c;
    else
      other_id = (int)c;
  }
  const Candidate *title = S_match_path(cands, "title");
  if (bare_col >= 0 && other_id >= 0 && title)
    cols->targets[bare_col] = title->target;
}

/* --map "Label=field,...": each label's column gets the field. */
static bool S_apply_map(Arena *a, const PtrVec *cands, const char *map, Columns *cols, Kind kind) {
  char *copy = arena_strdup(a, map);
  for (char *save = NULL, *entry = strtok_r(copy, ",", &save); entry;
       entry = strtok_r(NULL, ",", &save)) {
    char *eq = strrchr(entry, '=');
    if (!eq) {
      fprintf(stderr, "ismsc: --map entry '%s' is not LABEL=FIELD\n", entry);
      return false;
    }
    *eq = '\0';
    const char *label = S_norm(a, entry), *field = eq + 1;
    while (*field == ' ')
      field++;
    const Candidate *target = S_match_path(cands, field);
    if (!target) {
      const char **paths = arena_alloc(a, cands->len * sizeof *paths);
      for (size_t i = 0; i < cands->len; i++)
        paths[i] = ((const Candidate *)cands->items[i])->path;
      const char *dym = did_you_mean(a, field, paths, cands->len);
      fprintf(stderr, "ismsc: --map: %s has no field '%s'%s%s%s (see 'ismsc schema %s')\n",
              kind_article(kind), field, dym ? "; did you mean " : "", dym ? dym : "",
              dym ? "?" : "", kind_name(kind));
      return false;
    }
    bool found = false;
    for (size_t c = 0; c < cols->count; c++) {
      if (cols->labels[c] && strcmp(S_norm(a, cols->labels[c]), label) == 0) {
        cols->targets[c] = target->target;
        found = true;
      }
    }
    if (!found) {
      fprintf(stderr, "ismsc: --map: the sheet has no column '%s'\n", entry);
      return false;
    }
  }
  return true;
}

static void S_check_duplicates(Arena *a, Diags *d, const Sheet *s, Columns *cols) {
  for (size_t c = 0; c < cols->count; c++) {
    const ColumnTarget *t = &cols->targets[c];
    if (!t->field)
      continue;
    for (size_t k = 0; k < c; k++) {
      const ColumnTarget *o = &cols->targets[k];
      if (o->field == t->field && o->sub == t->sub) {
        Loc loc = {s->file, cols->header_last_row, (int)c + 1};
        diag_report(d, NULL, loc, "column-duplicate",
                    "column '%s' and column '%s' both give '%s%s%s'; keep one, or map one "
                    "elsewhere with --map",
                    cols->labels[k], cols->labels[c], t->field->name, t->sub ? "." : "",
                    t->sub ? t->sub->name : "");
        break;
      }
    }
  }
  (void)a;
}

bool import_columns(Arena *a, Diags *d, const Sheet *sheet, Kind kind, const char *map,
                    Columns *out) {
  memset(out, 0, sizeof *out);
  if (!sheet->rows.len)
    return true;
  int first = ((const SheetRow *)sheet->rows.items[0])->number;
  out->header_last_row = S_header_end(sheet, first);
  out->count = S_width(sheet, out->header_last_row);
  out->labels = arena_alloc(a, (out->count + 1) * sizeof *out->labels);
  out->targets = arena_alloc(a, (out->count + 1) * sizeof *out->targets);
  PtrVec cands = S_candidates(a, kind);
  for (size_t c = 0; c < out->count; c++) {
    out->labels[c] = S_label(a, sheet, first, out->header_last_row, (int)c + 1);
    const Candidate *k = out->labels[c] ? S_match(&cands, S_norm(a, out->labels[c])) : NULL;
    if (k)
      out->targets[c] = k->target;
  }
  S_bare_kind_name(a, out, kind, &cands);
  if (map && !S_apply_map(a, &cands, map, out, kind))
    return false;
  S_check_duplicates(a, d, sheet, out);
  for (size_t c = 0; c < out->count; c++) {
    const ColumnTarget *t = &out->targets[c];
    if (t->field && t->field->type == FT_ID && !t->sub)
      out->id_column = (int)c + 1;
    if (t->field || t->derived || !out->labels[c])
      continue;
    Loc loc = {sheet->file, out->header_last_row, (int)c + 1};
    diag_report(d, NULL, loc, "column-unknown",
                "column '%s' is not a field of %s; its values are kept in each record's body "
                "(or name its field with --map '%s=FIELD')",
                out->labels[c], kind_article(kind), out->labels[c]);
  }
  if (!out->id_column) {
    Loc loc = {sheet->file, first, 1};
    diag_report(d, NULL, loc, "schema-required",
                "no column gives the id of each %s: head one 'id' (or '%s'), or use --map "
                "'LABEL=id'",
                kind_name(kind), kind_name(kind));
  }
  return true;
}
