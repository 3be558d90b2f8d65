/* metric.c - a metric's derived values: its series, latest value, whether it meets its
 * target, and when it is next due (SPEC 1, "Derived").
 *
 * The series is the inline `measurements` and the rows of the `data` CSV, merged and sorted
 * by date (stable: for one date, inline ones first, then CSV rows in file order). Every bad
 * CSV cell is a `data-invalid` error at its line and column in the CSV, against the metric
 * (so the metric's `ignore:` applies); the good rows still count. The CSV is read through
 * load_source, so the same size limit and UTF-8 checks apply as to every file. A CSV may start
 * with the header `date,value[,note]` (docs/decisions.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "load_csv.h"
#include "model.h"

static const char DATA_INVALID[] = "data-invalid";

typedef struct Point {
  Value *fields; /* measurement_table's fields */
  size_t order;  /* for a stable sort */
} Point;

static void S_add(Model *m, PtrVec *points, Value *fields) {
  Point *p = arena_alloc(m->arena, sizeof *p);
  p->fields = fields;
  p->order = points->len;
  ptrvec_push(m->arena, points, p);
}

/* A path the metric's `data` may name: relative, inside the tree. */
static bool S_tree_path(const char *p) {
  if (p[0] == '/' || strcmp(p, "..") == 0 || strncmp(p, "../", 3) == 0 || strstr(p, "/../") ||
      str_has_suffix(p, "/.."))
    return false;
  return true;
}

static bool S_header(const CsvRow *row) { return str_ieq(row->cells[0].text, "date"); }

static void S_check_header(Model *m, Record *r, const CsvRow *row) {
  static const char *const names[] = {"date", "value", "note"};
  for (size_t i = 0; i < row->count; i++)
    if (i >= 3 || !str_ieq(row->cells[i].text, names[i])) {
      diag_report(m->diags, r, row->cells[i].loc, DATA_INVALID,
                  "the header of a metric's CSV is date,value[,note], not '%s' here",
                  row->cells[i].text);
      return;
    }
}

/* One data row into a measurement, or NULL after reporting its bad cells. */
static Value *S_row(Model *m, Record *r, const CsvRow *row) {
  if (row->count < 2 || row->count > 3) {
    Loc loc = row->count > 3 ? row->cells[3].loc : row->loc;
    diag_report(m->diags, r, loc, DATA_INVALID,
                "a row of a metric's CSV holds date,value[,note]; this one has %zu cell%s",
                row->count, row->count == 1 ? "" : "s");
    return NULL;
  }
  Value *f = arena_alloc(m->arena, MEASUREMENT_FIELD_COUNT * sizeof *f);
  const CsvCell *date = &row->cells[0], *value = &row->cells[1];
  f[MEASUREMENT_DATE].ok = date_parse(date->text, &f[MEASUREMENT_DATE].date);
  if (!f[MEASUREMENT_DATE].ok) {
    char why[64];
    diag_report(m->diags, r, date->loc, DATA_INVALID, "'%s' is not a valid date: %s", date->text,
                date_problem(date->text, why, sizeof why));
  }
  f[MEASUREMENT_VALUE].ok = model_parse_number(value->text, &f[MEASUREMENT_VALUE].real);
  f[MEASUREMENT_VALUE].str = value->text;
  if (!f[MEASUREMENT_VALUE].ok)
    diag_report(m->diags, r, value->loc, DATA_INVALID, "'%s' is not a number", value->text);
  if (row->count == 3 && row->cells[2].text[0]) {
    f[MEASUREMENT_NOTE].str = row->cells[2].text;
    f[MEASUREMENT_NOTE].ok = true;
  }
  return f[MEASUREMENT_DATE].ok && f[MEASUREMENT_VALUE].ok ? f : NULL;
}

static void S_read_data(Model *m, Record *r, PtrVec *points) {
  const Value *data = rec_field(r, METRIC_DATA);
  if (!data->ok)
    return;
  if (!S_tree_path(data->str)) {
    diag_report(m->diags, r, data->node->loc, DATA_INVALID,
                "'%s' is not a path in the tree; write it relative to the tree root", data->str);
    return;
  }
  const Source *src = m->tree->source; /* the work tree, or a revision from Git */
  SourceType type = src->stat(src, data->str);
  if (type == SOURCE_MISSING) {
    diag_report(m->diags, r, data->node->loc, DATA_INVALID, "data file '%s' does not exist",
                data->str);
    return;
  }
  if (type == SOURCE_OUTSIDE_LINK) { /* a symbolic link out of the tree */
    diag_report(m->diags, r, data->node->loc, DATA_INVALID,
                "data file '%s' resolves outside the tree; data must live in the tree", data->str);
    return;
  }
  SourceFile *f = load_source(m->arena, m->diags, src, data->str, &m->limits);
  if (!f->text)
    return; /* too large, unreadable or not UTF-8: reported by load_source */
  PtrVec rows = {0};
  csv_read(m->arena, m->diags, r, f, DATA_INVALID, &rows);
  for (size_t i = 0; i < rows.len; i++) {
    const CsvRow *row = rows.items[i];
    if (i == 0 && S_header(row)) {
      S_check_header(m, r, row);
      continue;
    }
    Value *fields = S_row(m, r, row);
    if (fields)
      S_add(m, points, fields);
  }
}

static int S_by_date(const void *a, const void *b) {
  const Point *p = *(const Point *const *)a, *q = *(const Point *const *)b;
  int32_t x = p->fields[MEASUREMENT_DATE].date.days, y = q->fields[MEASUREMENT_DATE].date.days;
  if (x != y)
    return x < y ? -1 : 1;
  return p->order < q->order ? -1 : p->order > q->order;
}

/* d plus n months, the day kept or, past the month's end, its last day (Jan 31 -> Feb 28). */
static Date S_add_months(Date d, int n) {
  int months = d.year * 12 + (d.month - 1) + n;
  char buf[48];
  Date out = d;
  for (int day = d.day; day >= 28; day--) {
    snprintf(buf, sizeof buf, "%04d-%02d-%02d", months / 12, months % 12 + 1, day);
    if (date_parse(buf, &out))
      return out;
  }
  snprintf(buf, sizeof buf, "%04d-%02d-%02d", months / 12, months % 12 + 1, d.day);
  date_parse(buf, &out);
  return out;
}

static Date S_next_due(const Record *r, Date latest) {
  static const int months[] = {0, 1, 3, 6, 12}; /* metric_frequencies, weekly first */
  long f = rec_field(r, METRIC_FREQUENCY)->num;
  if (f == 0)
    return date_from_days(latest.days + 7);
  return S_add_months(latest, months[f]);
}

void metric_derive(Model *m, Record *r) {
  PtrVec points = {0};
  const Value *inline_ = rec_field(r, METRIC_MEASUREMENTS);
  for (size_t i = 0; i < inline_->count; i++) {
    Value *f = inline_->items[i].fields;
    if (f && f[MEASUREMENT_DATE].ok && f[MEASUREMENT_VALUE].ok)
      S_add(m, &points, f);
  }
  S_read_data(m, r, &points);
  if (points.len) /* qsort's array may not be NULL, even when empty */
    qsort(points.items, points.len, sizeof *points.items, S_by_date);
  Value *d = r->derived;
  Value *series = &d[METRIC_D_SERIES];
  series->items = arena_alloc(m->arena, (points.len ? points.len : 1) * sizeof(Value));
  for (size_t i = 0; i < points.len; i++) {
    series->items[i].fields = ((Point *)points.items[i])->fields;
    series->items[i].ok = true;
  }
  series->count = points.len;
  series->ok = true;
  if (!points.len)
    return; /* never measured: no latest value, nothing to meet, no next date */
  Value *latest = series->items[points.len - 1].fields;
  d[METRIC_D_LATEST].fields = latest;
  d[METRIC_D_LATEST].ok = true;
  if (rec_has(r, METRIC_TARGET)) {
    double target = rec_field(r, METRIC_TARGET)->real, v = latest[MEASUREMENT_VALUE].real;
    bool at_most =
        rec_has(r, METRIC_DIRECTION) && strcmp(rec_enum(r, METRIC_DIRECTION), "at-most") == 0;
    d[METRIC_D_MET].num = at_most ? v <= target : v >= target;
    d[METRIC_D_MET].ok = true;
  }
  if (rec_has(r, METRIC_FREQUENCY)) {
    d[METRIC_D_DUE].date = S_next_due(r, latest[MEASUREMENT_DATE].date);
    d[METRIC_D_DUE].ok = true;
  }
}
