/* sheet_xlsx.c - one worksheet of an XLSX file to a Sheet, with libzip and libxml2 (sheet.h).
 *
 * SpreadsheetML keeps a worksheet's cells in xl/worksheets/sheetN.xml, the strings most of
 * them point at in xl/sharedStrings.xml, and their number formats in xl/styles.xml: a date is
 * a number whose format is a date format (built-in ids 14-22 and 45-47, or a custom code
 * with d, m or y outside quotes and brackets), counted in days from 1899-12-30 (or from 1904
 * when the workbook says so). Each part is read with libxml2's streaming reader, never whole
 * into a tree, and never with entity expansion or network access.
 *
 * What must stay true: no part is read past limits.max_file_bytes, whatever its zip header
 * claims (a zip bomb stops there); rows past SHEET_MAX_ROW and more than limits.max_records
 * rows are refused with a diagnostic; a cell's value is the file's, never a formula's guess.
 */
#include "sheet.h"

#include <libxml/xmlreader.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

typedef struct Xlsx {
  Arena *a;
  Diags *d;
  SourceFile *f;
  const Limits *lim;
  zip_t *zip;
  PtrVec strings;  /* const char *: the shared strings */
  PtrVec date_fmt; /* per cellXfs index: (void *)1 when its number format is a date */
  bool date1904;
  bool failed;   /* a part could not be read: reported, and nothing is imported */
  PtrVec *names; /* the workbook's sheet names, in order (Sheet.names) */
} Xlsx;

static void S_file_error(Xlsx *x, const char *rule, const char *msg) {
  Loc loc = {x->f, 0, 0};
  diag_report(x->d, NULL, loc, rule, "%s", msg);
}

/* A part of the package, read up to the size limit; NULL when absent (or too big: then
 * reported). */
static char *S_part(Xlsx *x, const char *name, size_t *len, bool required) {
  zip_int64_t idx = zip_name_locate(x->zip, name, 0);
  if (idx < 0) {
    if (required)
      S_file_error(x, "sheet-invalid",
                   arena_printf(x->a, "not a spreadsheet: the XLSX has no %s", name));
    return NULL;
  }
  size_t max = x->lim->max_file_bytes;
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat_index(x->zip, (zip_uint64_t)idx, 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE) &&
      st.size > max) {
    S_file_error(x, "input-limit",
                 arena_printf(x->a,
                              "%s unpacks to %llu bytes, more than %zu "
                              "(limits.max_file_bytes)",
                              name, (unsigned long long)st.size, max));
    return NULL;
  }
  zip_file_t *zf = zip_fopen_index(x->zip, (zip_uint64_t)idx, 0);
  if (!zf) {
    S_file_error(x, "sheet-invalid", arena_printf(x->a, "cannot unpack %s", name));
    return NULL;
  }
  /* The header's size is only a claim: read one byte more than it says, and never more
   * than the limit. */
  size_t want = (st.valid & ZIP_STAT_SIZE) ? (size_t)st.size : max;
  char *buf = arena_alloc(x->a, want + 2);
  size_t n = 0;
  zip_int64_t got;
  while (n <= want && (got = zip_fread(zf, buf + n, want + 1 - n)) > 0)
    n += (size_t)got;
  bool failed = zip_fread(zf, buf, 0) < 0 || n > want;
  zip_fclose(zf);
  if (failed) {
    S_file_error(x, "sheet-invalid",
                 arena_printf(x->a, "%s is damaged (it unpacks to more than it says)", name));
    return NULL;
  }
  buf[n] = '\0';
  *len = n;
  return buf;
}

static xmlTextReaderPtr S_reader(const char *buf, size_t len) {
  return xmlReaderForMemory(buf, (int)len, NULL, NULL,
                            XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

/* The next node of a part; false at its end, and on XML that is not well-formed or has a
 * DTD (no SpreadsheetML part has one; a DTD is how entity bombs and external entities
 * come in), which is reported once against the part. */
static bool S_next(Xlsx *x, xmlTextReaderPtr r, const char *part) {
  int status = r ? xmlTextReaderRead(r) : -1;
  if (status == 1 && xmlTextReaderNodeType(r) == XML_READER_TYPE_DOCUMENT_TYPE) {
    S_file_error(x, "sheet-invalid",
                 arena_printf(x->a,
                              "%s declares a DTD (<!DOCTYPE>), which no spreadsheet part "
                              "has; the file is not read",
                              part));
    x->failed = true;
    return false;
  }
  if (status < 0 && !x->failed) {
    S_file_error(x, "sheet-invalid",
                 arena_printf(x->a, "%s is not well-formed XML; the file is not read", part));
    x->failed = true;
  }
  return status == 1;
}

static bool S_is(xmlTextReaderPtr r, const char *name) {
  const xmlChar *n = xmlTextReaderConstLocalName(r);
  return n && strcmp((const char *)n, name) == 0;
}

/* An attribute's value copied into the arena, or NULL. */
static const char *S_attr(Xlsx *x, xmlTextReaderPtr r, const char *name) {
  xmlChar *v = xmlTextReaderGetAttribute(r, (const xmlChar *)name);
  if (!v)
    return NULL;
  const char *s = arena_strdup(x->a, (const char *)v);
  xmlFree(v);
  return s;
}

static bool S_start(xmlTextReaderPtr r) {
  return xmlTextReaderNodeType(r) == XML_READER_TYPE_ELEMENT;
}

static bool S_end_of(xmlTextReaderPtr r, const char *name) {
  return xmlTextReaderNodeType(r) == XML_READER_TYPE_END_ELEMENT && S_is(r, name);
}

static bool S_text_node(xmlTextReaderPtr r) {
  int t = xmlTextReaderNodeType(r);
  return t == XML_READER_TYPE_TEXT || t == XML_READER_TYPE_CDATA ||
         t == XML_READER_TYPE_SIGNIFICANT_WHITESPACE || t == XML_READER_TYPE_WHITESPACE;
}

/* A growing string in malloc'd memory, for the text of one element. */
typedef struct Text {
  char *s;
  size_t len, cap;
} Text;

static void S_text_add(Text *t, const char *s) {
  size_t n = strlen(s);
  if (t->len + n + 1 > t->cap) {
    t->cap = (t->len + n + 1) * 2;
    t->s = realloc(t->s, t->cap);
  }
  memcpy(t->s + t->len, s, n + 1);
  t->len += n;
}

/* ------------------------------------------------------------------ workbook parts */

/* The worksheet part for sheet_name (or the first sheet), and the sheet's name. */
static const char *S_sheet_part(Xlsx *x, const char *sheet_name, const char **name_out) {
  size_t len;
  char *wb = S_part(x, "xl/workbook.xml", &len, true);
  if (!wb)
    return NULL;
  const char *rid = NULL, *first_names = NULL;
  xmlTextReaderPtr r = S_reader(wb, len);
  while (S_next(x, r, "xl/workbook.xml")) {
    if (!S_start(r))
      continue;
    if (S_is(r, "workbookPr")) {
      const char *d1904 = S_attr(x, r, "date1904");
      x->date1904 = d1904 && (strcmp(d1904, "1") == 0 || strcmp(d1904, "true") == 0);
    } else if (S_is(r, "sheet")) {
      const char *name = S_attr(x, r, "name");
      ptrvec_push(x->a, x->names, (void *)(name ? name : ""));
      if (rid)
        continue;
      first_names = first_names ? arena_printf(x->a, "%s, %s", first_names, name ? name : "")
                                : (name ? name : "");
      if (!sheet_name || (name && strcmp(name, sheet_name) == 0)) {
        xmlChar *id = xmlTextReaderGetAttributeNs(
            r, (const xmlChar *)"id",
            (const xmlChar *)"http://schemas.openxmlformats.org/officeDocument/2006/relationships");
        rid = id ? arena_strdup(x->a, (const char *)id) : NULL;
        xmlFree(id);
        *name_out = name ? name : "Sheet1";
      }
    }
  }
  xmlFreeTextReader(r);
  if (x->failed)
    return NULL;
  if (!rid) {
    S_file_error(x, "sheet-invalid",
                 sheet_name ? arena_printf(x->a, "the workbook has no sheet '%s' (it has: %s)",
                                           sheet_name, first_names ? first_names : "none")
                            : "the workbook lists no sheet");
    return NULL;
  }
  char *rels = S_part(x, "xl/_rels/workbook.xml.rels", &len, true);
  const char *target = NULL;
  r = rels ? S_reader(rels, len) : NULL;
  while (!target && S_next(x, r, "xl/_rels/workbook.xml.rels")) {
    if (S_start(r) && S_is(r, "Relationship")) {
      const char *id = S_attr(x, r, "Id");
      if (id && strcmp(id, rid) == 0)
        target = S_attr(x, r, "Target");
    }
  }
  xmlFreeTextReader(r);
  if (!target) {
    if (rels)
      S_file_error(x, "sheet-invalid", "the workbook does not say where its sheet is");
    return NULL;
  }
  return target[0] == '/' ? target + 1 : arena_printf(x->a, "xl/%s", target);
}

static void S_shared_strings(Xlsx *x) {
  size_t len;
  char *buf = S_part(x, "xl/sharedStrings.xml", &len, false);
  if (!buf)
    return;
  xmlTextReaderPtr r = S_reader(buf, len);
  Text t = {0};
  bool in_si = false, in_t = false;
  int skip = 0; /* inside <rPh>: phonetic hints, not the text */
  while (S_next(x, r, "xl/sharedStrings.xml")) {
    if (S_start(r) && S_is(r, "si")) {
      in_si = true;
      t.len = 0;
      S_text_add(&t, "");
    } else if (S_start(r) && S_is(r, "rPh") && !xmlTextReaderIsEmptyElement(r)) {
      skip++;
    } else if (S_end_of(r, "rPh")) {
      skip--;
    } else if (S_start(r) && S_is(r, "t")) {
      in_t = !xmlTextReaderIsEmptyElement(r);
    } else if (S_end_of(r, "t")) {
      in_t = false;
    } else if (in_si && in_t && !skip && S_text_node(r)) {
      S_text_add(&t, (const char *)xmlTextReaderConstValue(r));
    } else if (S_end_of(r, "si")) {
      ptrvec_push(x->a, &x->strings, arena_strdup(x->a, t.s ? t.s : ""));
      in_si = false;
    }
  }
  free(t.s);
  xmlFreeTextReader(r);
}

/* Is a custom number format a date format: d, m or y outside quotes, brackets, escapes? */
static bool S_date_code(const char *code) {
  bool quoted = false;
  int bracket = 0;
  for (const char *p = code; *p; p++) {
    char c = *p;
    if (c == '"')
      quoted = !quoted;
    else if (quoted)
      continue;
    else if (c == '\\' && p[1])
      p++;
    else if (c == '[')
      bracket++;
    else if (c == ']' && bracket)
      bracket--;
    else if (!bracket && (c == 'd' || c == 'D' || c == 'm' || c == 'M' || c == 'y' || c == 'Y'))
      return true;
  }
  return false;
}

static bool S_builtin_date(long id) { return (id >= 14 && id <= 22) || (id >= 45 && id <= 47); }

static void S_styles(Xlsx *x) {
  size_t len;
  char *buf = S_part(x, "xl/styles.xml", &len, false);
  if (!buf)
    return;
  HashMap custom; /* numFmtId text -> (void *)1 for date codes */
  hashmap_init(&custom);
  xmlTextReaderPtr r = S_reader(buf, len);
  bool in_xfs = false;
  while (S_next(x, r, "xl/styles.xml")) {
    if (S_start(r) && S_is(r, "numFmt")) {
      const char *id = S_attr(x, r, "numFmtId"), *code = S_attr(x, r, "formatCode");
      if (id && code && S_date_code(code))
        hashmap_put(x->a, &custom, id, (void *)1);
    } else if (S_start(r) && S_is(r, "cellXfs")) {
      in_xfs = true;
    } else if (S_end_of(r, "cellXfs")) {
      in_xfs = false;
    } else if (in_xfs && S_start(r) && S_is(r, "xf")) {
      const char *id = S_attr(x, r, "numFmtId");
      bool date = id && (S_builtin_date(strtol(id, NULL, 10)) || hashmap_get(&custom, id));
      ptrvec_push(x->a, &x->date_fmt, date ? (void *)1 : NULL);
    }
  }
  xmlFreeTextReader(r);
}

/* ------------------------------------------------------------------ the worksheet */

/* "B7" -> column 2, row 7; false when it is not a cell reference. */
static bool S_cell_ref(const char *ref, int *row, int *col) {
  int c = 0, rr = 0;
  const char *p = ref;
  for (; *p >= 'A' && *p <= 'Z'; p++)
    if ((c = c * 26 + (*p - 'A' + 1)) > 16384)
      return false;
  for (; *p >= '0' && *p <= '9'; p++)
    if ((rr = rr * 10 + (*p - '0')) > SHEET_MAX_ROW + 1)
      rr = SHEET_MAX_ROW + 1;
  if (*p || !c)
    return false;
  *col = c;
  *row = rr;
  return true;
}

typedef struct CellReader {
  Xlsx *x;
  Sheet *sheet;
  PtrVec cells;  /* Cell * of the row being read, by column - 1 (NULL: empty) */
  int row;       /* the row being read */
  int col;       /* the last cell's column */
  bool too_many; /* a row limit was hit: reported once */
  const char *type, *style;
  bool formula, in_value, in_inline;
  Text value;
} CellReader;

static void S_finish_row(CellReader *cr) {
  size_t count = 0;
  for (size_t i = 0; i < cr->cells.len; i++)
    if (cr->cells.items[i])
      count = i + 1;
  if (count && !cr->too_many) {
    SheetRow *row = arena_alloc(cr->x->a, sizeof *row);
    row->number = cr->row;
    row->count = count;
    row->cells = arena_alloc(cr->x->a, count * sizeof *row->cells);
    for (size_t i = 0; i < count; i++)
      if (cr->cells.items[i])
        row->cells[i] = *(Cell *)cr->cells.items[i];
    ptrvec_push(cr->x->a, &cr->sheet->rows, row);
  }
  cr->cells.len = 0;
}

static void S_row_start(CellReader *cr, xmlTextReaderPtr r) {
  const char *rv = S_attr(cr->x, r, "r");
  int next = rv ? (int)strtol(rv, NULL, 10) : cr->row + 1;
  cr->row = next > cr->row ? next : cr->row + 1;
  cr->col = 0;
  if (!cr->too_many &&
      (cr->row > SHEET_MAX_ROW || cr->sheet->rows.len >= cr->x->lim->max_records)) {
    Loc loc = {cr->x->f, cr->row > SHEET_MAX_ROW ? SHEET_MAX_ROW : cr->row, 1};
    diag_report(cr->x->d, NULL, loc, "input-limit",
                "the sheet goes on past row %d or %zu rows (limits.max_records); import reads "
                "no further: delete the rows below the register",
                loc.line, cr->x->lim->max_records);
    cr->too_many = true;
  }
}

/* The value of the cell just read, typed by its t= and its style's number format. */
static void S_finish_cell(CellReader *cr) {
  Xlsx *x = cr->x;
  const char *v = cr->value.s ? cr->value.s : "";
  Cell *c = arena_alloc(x->a, sizeof *c);
  c->formula = cr->formula;
  c->kind = CELL_TEXT;
  const char *t = cr->type ? cr->type : "n";
  Loc loc = {x->f, cr->row, cr->col};
  if (strcmp(t, "s") == 0) {
    char *end;
    long i = strtol(v, &end, 10);
    if (*end || i < 0 || (size_t)i >= x->strings.len) {
      diag_report(x->d, NULL, loc, "sheet-invalid",
                  "the cell points at shared string '%s', "
                  "which the file does not have",
                  v);
      return;
    }
    c->text = x->strings.items[i];
  } else if (strcmp(t, "inlineStr") == 0 || strcmp(t, "str") == 0) {
    c->text = arena_strdup(x->a, v);
  } else if (strcmp(t, "b") == 0) {
    c->kind = CELL_BOOL;
    c->text = strcmp(v, "1") == 0 ? "true" : "false";
  } else if (strcmp(t, "e") == 0) {
    diag_report(x->d, NULL, loc, "cell-invalid", "the cell holds the error %s", v);
    c->text = arena_strdup(x->a, v);
  } else if (strcmp(t, "d") == 0) {
    c->kind = CELL_DATE;
    c->text = arena_strndup(x->a, v, strlen(v) < 10 ? strlen(v) : 10);
  } else if (*v) {
    long style = cr->style ? strtol(cr->style, NULL, 10) : 0;
    bool date = style >= 0 && (size_t)style < x->date_fmt.len && x->date_fmt.items[style];
    char *end;
    double serial = strtod(v, &end);
    if (date && !*end && serial >= 1 && serial < 2958466) { /* up to 9999-12-31 */
      long days = (long)serial - 25569 + (x->date1904 ? 1462 : 0);
      Date dt = date_from_days(days);
      char buf[16];
      date_format(&dt, buf);
      c->kind = CELL_DATE;
      c->text = arena_strdup(x->a, buf);
    } else {
      c->kind = CELL_NUMBER;
      c->text = arena_strdup(x->a, v);
    }
  }
  if (!c->text || !*c->text) {
    if (!c->formula)
      return;
    c->text = "";
  }
  while (cr->cells.len < (size_t)cr->col)
    ptrvec_push(x->a, &cr->cells, NULL);
  cr->cells.items[cr->col - 1] = c;
}

static void S_cell_start(CellReader *cr, xmlTextReaderPtr r) {
  const char *ref = S_attr(cr->x, r, "r");
  int row, col;
  if (ref && S_cell_ref(ref, &row, &col) && col > cr->col)
    cr->col = col;
  else
    cr->col++;
  cr->type = S_attr(cr->x, r, "t");
  cr->style = S_attr(cr->x, r, "s");
  cr->formula = cr->in_value = cr->in_inline = false;
  cr->value.len = 0;
  S_text_add(&cr->value, "");
}

static void S_merge(CellReader *cr, xmlTextReaderPtr r) {
  const char *ref = S_attr(cr->x, r, "ref");
  const char *colon = ref ? strchr(ref, ':') : NULL;
  CellRange *m = arena_alloc(cr->x->a, sizeof *m);
  if (colon &&
      S_cell_ref(arena_strndup(cr->x->a, ref, (size_t)(colon - ref)), &m->row1, &m->col1) &&
      S_cell_ref(colon + 1, &m->row2, &m->col2))
    ptrvec_push(cr->x->a, &cr->sheet->merges, m);
}

static bool S_worksheet(Xlsx *x, const char *part, Sheet *out) {
  size_t len;
  char *buf = S_part(x, part, &len, true);
  if (!buf)
    return false;
  xmlTextReaderPtr r = S_reader(buf, len);
  CellReader cr = {.x = x, .sheet = out};
  bool in_cell = false;
  while (S_next(x, r, part)) {
    if (S_start(r)) {
      bool empty = xmlTextReaderIsEmptyElement(r);
      if (S_is(r, "row")) {
        S_row_start(&cr, r);
        if (empty)
          S_finish_row(&cr);
      } else if (S_is(r, "c")) {
        S_cell_start(&cr, r);
        in_cell = !empty;
        if (empty && !cr.too_many)
          S_finish_cell(&cr);
      } else if (in_cell && S_is(r, "f")) {
        cr.formula = true;
      } else if (in_cell && S_is(r, "v")) {
        cr.in_value = !empty;
      } else if (in_cell && S_is(r, "is")) {
        cr.in_inline = true;
      } else if (S_is(r, "mergeCell")) {
        S_merge(&cr, r);
      }
    } else if (in_cell && (cr.in_value || cr.in_inline) && S_text_node(r)) {
      S_text_add(&cr.value, (const char *)xmlTextReaderConstValue(r));
    } else if (S_end_of(r, "v")) {
      cr.in_value = false;
    } else if (S_end_of(r, "c")) {
      in_cell = false;
      if (!cr.too_many)
        S_finish_cell(&cr);
    } else if (S_end_of(r, "row")) {
      S_finish_row(&cr);
    }
  }
  xmlFreeTextReader(r);
  free(cr.value.s);
  return !x->failed;
}

bool sheet_read_xlsx(Arena *a, Diags *d, SourceFile *f, const char *data, size_t len,
                     const char *sheet_name, const Limits *lim, Sheet *out) {
  memset(out, 0, sizeof *out);
  out->file = f;
  Xlsx x = {.a = a, .d = d, .f = f, .lim = lim, .names = &out->names};
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t *src = zip_source_buffer_create(data, len, 0, &err);
  x.zip = src ? zip_open_from_source(src, ZIP_RDONLY, &err) : NULL;
  if (!x.zip) {
    S_file_error(&x, "sheet-invalid",
                 arena_printf(a, "not a readable XLSX file: %s", zip_error_strerror(&err)));
    zip_source_free(src);
    zip_error_fini(&err);
    return false;
  }
  zip_error_fini(&err);
  const char *name = NULL;
  const char *part = S_sheet_part(&x, sheet_name, &name);
  bool ok = false;
  if (part) {
    f->sheet = name;
    S_shared_strings(&x);
    S_styles(&x);
    ok = !x.failed && S_worksheet(&x, part, out);
  }
  zip_discard(x.zip);
  return ok;
}
