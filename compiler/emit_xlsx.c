/* emit_xlsx.c - render a Document as an XLSX workbook with libxlsxwriter.
 *
 * The third renderer of the same document trees (DESIGN.md decision 5): it reads the tree
 * only, never the model. Every DOC_TABLE becomes a sheet (tables of one class, the SoA's
 * one-per-theme tables, share a sheet, with a first column naming the section each row came
 * from); the key figures a "Summary" sheet; the control block a "Document control" sheet.
 * Cells keep their typed values (DocValue: numbers as numbers, dates as dates) and a cell's
 * tone gives its fill from doc_palette, the colours of every other format. Every sheet has a
 * frozen header row, an autofilter over its rows, columns as wide as their text and, on an
 * enumerated column (its header cell has `choices`), a data-validation list of its values.
 *
 * What must stay true: the same tree and --date give the same bytes. The workbook's creation
 * time is the build's date (libxlsxwriter writes its zip entries with a fixed 1980 date), and
 * nothing here reads the clock, the locale or the time zone.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <xlsxwriter.h>

#include "emit.h"
#include "util.h"

enum { MAX_SHEETS = 64, MAX_COLS = 64, MIN_WIDTH = 8, MAX_WIDTH = 60 };

/* One sheet being written: its tables' key, the next free row and the widest text of each
 * column. */
typedef struct Sheet {
  const char *key; /* the class of its tables, or its caption */
  lxw_worksheet *ws;
  bool merged; /* several tables: column 0 is their section */
  lxw_row_t next_row;
  lxw_col_t ncols;
  size_t width[MAX_COLS];
  const char *const *choices[MAX_COLS]; /* an enumerated column's values, from its header */
} Sheet;

typedef struct Xlsx {
  Arena *a;
  const Document *doc;
  lxw_workbook *wb;
  lxw_format *header, *date, *wrap, *tone[TONE_COUNT], *tone_date[TONE_COUNT];
  Sheet sheets[MAX_SHEETS];
  size_t nsheets;
  HashMap tables; /* a table key -> how many tables have it (size_t *) */
  bool tables_counted;
} Xlsx;

/* ---------------------------------------------------------------- text of a node */

/* The bytes S_text_into appends for n and its children, at most (a space per badge). */
static size_t S_text_size(const DocNode *n) {
  size_t size = (n->kind == DOC_TEXT || n->kind == DOC_BADGE) && n->text ? strlen(n->text) + 1 : 0;
  for (const DocNode *c = n->first; c; c = c->next)
    size += S_text_size(c);
  return size;
}

/* Appends n's text and its children's at end (the text so far starts at start); returns the
 * new end. Written in place, not re-formatted per piece: a cell of a large register holds
 * hundreds of links, and copying the text so far at each one was a tenth of the build. */
static char *S_text_into(char *start, char *end, const DocNode *n) {
  if ((n->kind == DOC_TEXT || n->kind == DOC_BADGE) && n->text) {
    /* a badge is a word of its own: "in-progress overdue", not "in-progressoverdue" */
    if (n->kind == DOC_BADGE && end > start && end[-1] != ' ')
      *end++ = ' ';
    size_t len = strlen(n->text);
    memcpy(end, n->text, len);
    end += len;
  }
  for (const DocNode *c = n->first; c; c = c->next)
    end = S_text_into(start, end, c);
  return end;
}

/* The text a reader sees in a cell or a heading: its own text and its inline children's. */
static const char *S_text(Xlsx *x, const DocNode *n) {
  const DocNode *only = n->first;
  if (n->kind != DOC_TEXT && n->kind != DOC_BADGE && !n->text && only && !only->next &&
      only->kind == DOC_TEXT && !only->first)
    return only->text ? only->text : ""; /* most cells: one text, no copy */
  const char *own = n->kind != DOC_BADGE && n->kind != DOC_TEXT && n->text ? n->text : "";
  size_t more = S_text_size(n);
  if (!more)
    return own;
  size_t len = strlen(own);
  char *text = arena_alloc(x->a, len + more + 1);
  memcpy(text, own, len);
  *S_text_into(text, text + len, n) = '\0';
  return text;
}

/* Columns count characters, not bytes: UTF-8 continuation bytes do not widen a column; a
 * text of several lines is as wide as its longest. */
static size_t S_chars(const char *s) {
  size_t n = 0, widest = 0;
  for (; *s; s++) {
    n = *s == '\n' ? 0 : n + (((unsigned char)*s & 0xC0) != 0x80);
    widest = n > widest ? n : widest;
  }
  return widest;
}

/* ---------------------------------------------------------------- formats */

static lxw_color_t S_rgb(const char *hex) { return (lxw_color_t)strtoul(hex, NULL, 16); }

static void S_formats(Xlsx *x) {
  x->header = workbook_add_format(x->wb);
  format_set_bold(x->header);
  format_set_bg_color(x->header, S_rgb("e8e8e8"));
  format_set_bottom(x->header, LXW_BORDER_THIN);
  x->date = workbook_add_format(x->wb);
  format_set_num_format(x->date, "yyyy-mm-dd");
  x->wrap = workbook_add_format(x->wb);
  format_set_text_wrap(x->wrap);
  format_set_align(x->wrap, LXW_ALIGN_VERTICAL_TOP);
  for (int t = 0; t < TONE_COUNT; t++) {
    x->tone[t] = x->tone_date[t] = NULL;
    if (t == TONE_NONE || !doc_palette[t].rgb)
      continue;
    x->tone[t] = workbook_add_format(x->wb);
    format_set_bg_color(x->tone[t], S_rgb(doc_palette[t].rgb));
    format_set_font_color(x->tone[t], S_rgb(doc_palette[t].ink)); /* WCAG AA on the fill */
    format_set_align(x->tone[t], LXW_ALIGN_VERTICAL_TOP);
    x->tone_date[t] = workbook_add_format(x->wb);
    format_set_bg_color(x->tone_date[t], S_rgb(doc_palette[t].rgb));
    format_set_font_color(x->tone_date[t], S_rgb(doc_palette[t].ink));
    format_set_num_format(x->tone_date[t], "yyyy-mm-dd");
  }
}

/* ---------------------------------------------------------------- cells */

static void S_widen(Sheet *s, lxw_col_t col, size_t chars) {
  if (col >= MAX_COLS)
    return;
  if (chars > s->width[col])
    s->width[col] = chars;
  if (col + 1 > s->ncols)
    s->ncols = col + 1;
}

/* Widens col to fit text. A column already as wide as S_finish_sheet allows (MAX_WIDTH with
 * its margin of 2) cannot grow: its texts are not measured again (a register's titles). */
static void S_widen_text(Sheet *s, lxw_col_t col, const char *text) {
  bool full = col < MAX_COLS && s->width[col] + 2 >= MAX_WIDTH;
  S_widen(s, col, full ? 0 : S_chars(text));
}

/* A cell's text without the spaces and line ends at its ends: a reader does not see them (HTML
 * collapses them), and libxlsxwriter would keep them with xml:space="preserve" on the <t>,
 * which Excel reads but ECMA-376's sml.xsd refuses (its CT_Rst text is a bare ST_Xstring). */
static const char *S_trim(Xlsx *x, const char *text) {
  size_t len = strlen(text);
  const char *s = text;
  while (*s && strchr(" \t\r\n", *s))
    s++;
  size_t n = len - (size_t)(s - text);
  while (n && strchr(" \t\r\n", s[n - 1]))
    n--;
  return s == text && n == len ? text : arena_strndup(x->a, s, n);
}

static void S_write_text(Xlsx *x, Sheet *s, lxw_row_t row, lxw_col_t col, const char *text,
                         lxw_format *f) {
  text = S_trim(x, text);
  if (!*text && !f)
    return;
  worksheet_write_string(s->ws, row, col, text,
                         f ? f : (strlen(text) > MAX_WIDTH || strchr(text, '\n') ? x->wrap : NULL));
  S_widen_text(s, col, text);
}

/* The tone of a cell: its value's, else that of the badge it holds. */
static Tone S_cell_tone(const DocNode *cell) {
  if (cell->kind == DOC_CELL && cell->value.tone != TONE_NONE)
    return cell->value.tone;
  for (const DocNode *c = cell->first; c; c = c->next)
    if (c->kind == DOC_BADGE && c->tone != TONE_NONE)
      return c->tone;
  return TONE_NONE;
}

static void S_write_cell(Xlsx *x, Sheet *s, lxw_row_t row, lxw_col_t col, const DocNode *cell) {
  Tone tone = S_cell_tone(cell);
  /* value is DOC_CELL's (the DocNode union): anything else in a row is its text */
  static const DocValue text = {.type = VALUE_TEXT};
  const DocValue *v = cell->kind == DOC_CELL ? &cell->value : &text;
  if (v->type == VALUE_NUMBER) {
    worksheet_write_number(s->ws, row, col, v->number, x->tone[tone]);
    S_widen_text(s, col, S_text(x, cell));
  } else if (v->type == VALUE_BOOL) {
    worksheet_write_boolean(s->ws, row, col, v->number != 0, x->tone[tone]);
    S_widen(s, col, 5);
  } else if (v->type == VALUE_DATE && v->date.year) {
    lxw_datetime dt = {v->date.year, v->date.month, v->date.day, 0, 0, 0};
    worksheet_write_datetime(s->ws, row, col, &dt, tone ? x->tone_date[tone] : x->date);
    S_widen(s, col, 10);
  } else {
    S_write_text(x, s, row, col, S_text(x, cell), x->tone[tone]);
  }
}

/* ---------------------------------------------------------------- sheets */

/* A sheet name Excel accepts: at most 31 characters, none of []:*?/\, unique. */
static const char *S_sheet_name(Xlsx *x, const char *want) {
  char base[32];
  size_t n = 0;
  for (const char *p = want; *p && n < 28; p++)
    base[n++] = strchr("[]:*?/\\'", *p) ? '-' : *p;
  while (n && ((unsigned char)base[n - 1] & 0xC0) == 0x80)
    n--; /* never cut a UTF-8 sequence: drop its tail, then its lead byte */
  if (n && (unsigned char)base[n - 1] >= 0xC0)
    n--;
  base[n] = '\0';
  const char *name = arena_strdup(x->a, n ? base : "Sheet");
  for (int i = 2; workbook_get_worksheet_by_name(x->wb, name); i++)
    name = arena_printf(x->a, "%s %d", base, i);
  return name;
}

static Sheet *S_new_sheet(Xlsx *x, const char *key, const char *name) {
  if (x->nsheets == MAX_SHEETS) { /* no document has nearly as many tables; say so if one does */
    fprintf(stderr, "ismsc: %s: more than %d tables; '%s' left out of the XLSX\n", x->doc->name,
            MAX_SHEETS, name);
    return NULL;
  }
  Sheet *s = &x->sheets[x->nsheets++];
  memset(s, 0, sizeof *s);
  s->key = key;
  s->ws = workbook_add_worksheet(x->wb, S_sheet_name(x, name));
  return s;
}

/* Tables of one kind share a sheet: those of one class (the SoA's themes), or with the same
 * header (a nonconformity's corrective actions, one table per nonconformity). */
static const char *S_table_key(Xlsx *x, const DocNode *t) {
  if (t->sheet)
    t = t->sheet;
  if (t->cls)
    return t->cls;
  const char *key = "";
  for (const DocNode *c = t->first && t->header_rows ? t->first->first : NULL; c; c = c->next)
    key = arena_printf(x->a, "%s\t%s", key, S_text(x, c));
  return *key ? key : (t->text ? t->text : "Table");
}

/* Counts the tables under n by key, into x->tables: one walk of the document, not one per
 * sheet (the nonconformity register has a table per nonconformity). */
static void S_count_tables(Xlsx *x, const DocNode *n) {
  if (n->kind == DOC_TABLE) {
    const char *key = S_table_key(x, n);
    size_t *count = hashmap_get(&x->tables, key);
    if (!count) {
      count = arena_alloc(x->a, sizeof *count);
      *count = 0;
      hashmap_put(x->a, &x->tables, key, count);
    }
    (*count)++;
  }
  for (const DocNode *k = n->first; k; k = k->next)
    S_count_tables(x, k);
}

/* How many tables of the document have this key. */
static size_t S_count_key(Xlsx *x, const char *key) {
  if (!x->tables_counted && x->doc->body)
    S_count_tables(x, x->doc->body);
  x->tables_counted = true;
  const size_t *count = hashmap_get(&x->tables, key);
  return count ? *count : 0;
}

/* A shared sheet's name: its first table's caption without the part naming one of them
 * ("Controls of theme 5" -> "Controls", "Corrective actions of NC-001" -> "Corrective
 * actions"); the Section column says which. */
static const char *S_merged_name(Xlsx *x, const DocNode *t) {
  const char *caption = t->text ? t->text : "Table", *of = strstr(caption, " of ");
  return of ? arena_strndup(x->a, caption, (size_t)(of - caption)) : caption;
}

/* Writes a table's header rows (the first time a sheet sees them) and its rows: those of its
 * spreadsheet form (DocNode.sheet, a typed column per field) when it has one. */
static void S_table(Xlsx *x, const DocNode *t, const DocNode *section) {
  if (t->sheet)
    t = t->sheet;
  const char *key = S_table_key(x, t);
  Sheet *s = NULL;
  for (size_t i = 0; i < x->nsheets; i++)
    if (x->sheets[i].key && strcmp(x->sheets[i].key, key) == 0)
      s = &x->sheets[i];
  bool first = s == NULL;
  if (!s) {
    bool merged = S_count_key(x, key) > 1;
    s = S_new_sheet(x, key, merged ? S_merged_name(x, t) : t->text ? t->text : "Table");
    if (!s)
      return;
    s->merged = merged;
  }
  lxw_col_t off = s->merged ? 1 : 0;
  int r = 0;
  for (const DocNode *row = t->first; row; row = row->next, r++) {
    bool header = r < t->header_rows;
    if (header && !first)
      continue;
    if (s->merged)
      S_write_text(x, s, s->next_row, 0,
                   header                     ? "Section"
                   : section && section->text ? section->text
                                              : "",
                   header ? x->header : NULL);
    lxw_col_t c = off;
    for (const DocNode *cell = row->first; cell; cell = cell->next, c++) {
      if (header) {
        S_write_text(x, s, s->next_row, c, S_text(x, cell), x->header);
        if (c < MAX_COLS)
          s->choices[c] = cell->kind == DOC_CELL ? cell->choices : NULL;
      } else
        S_write_cell(x, s, s->next_row, c, cell);
    }
    s->next_row++;
  }
}

/* A sheet of two columns under a header row: the key figures, the control block. */
static Sheet *S_pair_sheet(Xlsx *x, const char *name, const char *left, const char *right) {
  Sheet *s = S_new_sheet(x, NULL, name);
  if (!s)
    return NULL;
  S_write_text(x, s, 0, 0, left, x->header);
  S_write_text(x, s, 0, 1, right, x->header);
  s->next_row = 1;
  return s;
}

static void S_figures(Xlsx *x, const DocNode *figs) {
  Sheet *s = S_pair_sheet(x, "Summary", "Figure", "Number");
  if (!s)
    return;
  for (const DocNode *f = figs->first; f; f = f->next, s->next_row++) {
    S_write_text(x, s, s->next_row, 0, f->cls ? f->cls : "", NULL);
    if (f->kind == DOC_FIGURE && f->value.type == VALUE_NUMBER) {
      worksheet_write_number(s->ws, s->next_row, 1, f->value.number, NULL);
      S_widen_text(s, 1, f->text ? f->text : "");
    } else {
      S_write_text(x, s, s->next_row, 1, f->text ? f->text : "", NULL);
    }
  }
}

static void S_walk(Xlsx *x, const DocNode *n, const DocNode *section) {
  switch (n->kind) {
  case DOC_TABLE: S_table(x, n, section); return;
  case DOC_FIGURES: S_figures(x, n); return;
  case DOC_SECTION: section = n->level ? n : section; break;
  default: break; /* prose, heat maps and bodies live in the HTML and DOCX; their tables are here */
  }
  for (const DocNode *c = n->first; c; c = c->next)
    S_walk(x, c, section);
}

static void S_control_sheet(Xlsx *x) {
  Sheet *s = S_pair_sheet(x, "Document control", "Field", "Value");
  if (!s)
    return;
  for (size_t i = 0; i < x->doc->nfields; i++, s->next_row++) {
    S_write_text(x, s, s->next_row, 0, x->doc->fields[i].key, NULL);
    Date d; /* "Approved on", "Issued": date cells like every other date */
    if (date_parse(x->doc->fields[i].value, &d)) {
      lxw_datetime dt = {d.year, d.month, d.day, 0, 0, 0};
      worksheet_write_datetime(s->ws, s->next_row, 1, &dt, x->date);
      S_widen(s, 1, 10);
    } else
      S_write_text(x, s, s->next_row, 1, x->doc->fields[i].value, NULL);
  }
}

/* An enumerated column offers its values as a list and refuses others: a sheet edited in
 * Excel or LibreOffice stays importable. */
static void S_validate(Sheet *s, lxw_col_t c) {
  lxw_data_validation v = {0};
  v.validate = LXW_VALIDATION_TYPE_LIST;
  v.value_list = (char **)s->choices[c];
  v.ignore_blank = LXW_VALIDATION_ON;
  v.show_error = LXW_VALIDATION_ON;
  worksheet_data_validation_range(s->ws, 1, c, s->next_row > 1 ? s->next_row - 1 : 1, c, &v);
}

/* Frozen header, autofilter over the header and rows, widths that fit, value lists. */
static void S_finish_sheet(Sheet *s) {
  if (!s->ncols)
    return;
  for (lxw_col_t c = 0; c < s->ncols && c < MAX_COLS; c++)
    if (s->choices[c])
      S_validate(s, c);
  worksheet_freeze_panes(s->ws, 1, 0);
  if (s->next_row > 1)
    worksheet_autofilter(s->ws, 0, 0, s->next_row - 1, s->ncols - 1);
  for (lxw_col_t c = 0; c < s->ncols; c++) {
    size_t w = s->width[c] + 2;
    w = w < MIN_WIDTH ? MIN_WIDTH : w > MAX_WIDTH ? MAX_WIDTH : w;
    worksheet_set_column(s->ws, c, c, (double)w, NULL);
  }
}

/* libxlsxwriter writes the file itself, at the staging path; out_file_settle then keeps the
 * previous set's workbook instead when the bytes are the same. */
static bool S_render(const EmitContext *ctx, const void *state, const Document *doc,
                     const OutFile *out) {
  const char *path = out->path;
  struct stat st;
  if (lstat(path, &st) == 0) { /* libxlsxwriter opens with "wb": never over a file, a link */
    fprintf(stderr, "ismsc: %s exists already\n", path);
    return false;
  }
  (void)state;
  Arena a;
  arena_init(&a);
  Xlsx x = {.a = &a, .doc = doc};
  hashmap_init(&x.tables);
  x.wb = workbook_new(path);
  if (!x.wb) {
    fprintf(stderr, "ismsc: cannot write %s\n", path);
    arena_free(&a);
    return false;
  }
  lxw_doc_properties props = {
      .title = (char *)doc->title,
      .author = (char *)(doc->control.owner ? doc->control.owner : ""),
      .company = (char *)(doc->control.organisation ? doc->control.organisation : ""),
      .created = (time_t)ctx->date.days * 86400, /* the build's date, never the clock */
  };
  workbook_set_properties(x.wb, &props);
  S_formats(&x);
  S_control_sheet(&x);
  if (doc->body)
    S_walk(&x, doc->body, NULL);
  for (size_t i = 0; i < x.nsheets; i++)
    S_finish_sheet(&x.sheets[i]);
  lxw_error err = workbook_close(x.wb);
  if (err != LXW_NO_ERROR)
    fprintf(stderr, "ismsc: cannot write %s: %s\n", path, lxw_strerror(err));
  arena_free(&a);
  if (err == LXW_NO_ERROR)
    out_file_settle(out);
  return err == LXW_NO_ERROR;
}

const Renderer emit_xlsx_renderer = {"xlsx", ".xlsx", DOC_XLSX, NULL, S_render, NULL};
