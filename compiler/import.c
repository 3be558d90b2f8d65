/* import.c - `ismsc import KIND FILE [TREE]`: a spreadsheet's rows become records (SPEC §6).
 *
 * The sheet is read (sheet_csv.c, sheet_xlsx.c), its header mapped to fields
 * (import_columns.c), and each data row turned into a mapping of Nodes located at its cells,
 * exactly what load_yaml.c makes of a YAML file. Those raw records join the tree's and go
 * through model_bind, resolve and check_structure, the binding `check` itself uses: so a
 * bad cell gets check's own message (enum with did-you-mean, date, scale, duplicate id),
 * located at `FILE:SHEET!B7` (or `FILE:7:2` for CSV). Only the sheet's diagnostics are shown;
 * a reference to a record the tree does not have yet is a warning (it may be imported next).
 *
 * What must stay true: nothing is written while any row is in error (all or nothing, like
 * `build`); no file is written over, and a record whose id exists is refused; files are
 * written atomically (files.c); --dry-run writes nothing. Values a column has that no field
 * takes are kept in the record's body, never dropped.
 */
#include "import.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "driver.h"
#include "files.h"
#include "resolve.h"

static const RuleInfo import_rules[] = {
    {"sheet-invalid", SEV_ERROR, "A spreadsheet that cannot be read", NULL, NULL},
    {"cell-invalid", SEV_ERROR, "A cell import cannot take: a formula, an error, a ragged row",
     NULL, NULL},
    {"column-unknown", SEV_NOTE, "A column that is no field; its values go to the body", NULL,
     NULL},
    {"sheet-chosen", SEV_NOTE, "Without --sheet: the sheet read, when not the first", NULL, NULL},
    {"column-duplicate", SEV_ERROR, "Two columns that give the same field", NULL, NULL},
    {"file-exists", SEV_ERROR, "A record file import would write exists already", NULL, NULL},
};

typedef struct Import {
  Arena *a;
  Diags *d;
  Kind kind;
  const char *root;
  SourceFile *file;
  Sheet sheet;
  Columns cols;
  PtrVec raws; /* RawRecord *, one per data row */
} Import;

/* ------------------------------------------------------------------ rows to nodes */

static Node *S_node(Import *im, NodeKind kind, Loc loc) {
  Node *n = arena_alloc(im->a, sizeof *n);
  n->kind = kind;
  n->loc = loc;
  n->size = 1;
  return n;
}

static Node *S_scalar(Import *im, const char *text, Loc loc) {
  Node *n = S_node(im, NODE_SCALAR, loc);
  n->text = text;
  n->len = strlen(text);
  return n; /* never `plain`: a cell saying "null" or "~" is that text */
}

/* A list cell: "A-1, A-2", "A-1; A-2" or one per line. Text lists split at lines and ';'. */
static Node *S_list(Import *im, const FieldSpec *f, const char *text, Loc loc) {
  Node *seq = S_node(im, NODE_SEQUENCE, loc);
  const char *seps = f->type == FT_STRING_LIST ? ";\n" : ",;\n";
  PtrVec items = {0};
  for (const char *p = text; *p;) {
    size_t n = strcspn(p, seps);
    const char *s = p, *e = p + n;
    while (s < e && (*s == ' ' || *s == '\t' || *s == '\r'))
      s++;
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
      e--;
    if (e > s)
      ptrvec_push(im->a, &items, S_scalar(im, arena_strndup(im->a, s, (size_t)(e - s)), loc));
    p += n + (p[n] ? 1 : 0);
  }
  seq->items = (Node **)items.items;
  seq->count = items.len;
  return seq;
}

static Node *S_entries(Import *im, const FieldSpec *f, const char *text, Loc loc);

static Node *S_value(Import *im, const FieldSpec *f, const char *text, Loc loc) {
  if (f->type == FT_STRING_LIST || f->type == FT_ENUM_LIST || f->type == FT_REF_LIST)
    return S_list(im, f, text, loc);
  if (f->type == FT_MAP_LIST)
    return S_entries(im, f, text, loc);
  return S_scalar(im, text, loc);
}

/* Pairs of one mapping being built. */
typedef struct Pairs {
  PtrVec keys, values;
} Pairs;

static void S_pair(Import *im, Pairs *p, const char *key, Node *value, Loc key_loc);
static Node *S_mapping(Import *im, const Pairs *p, Loc loc);

static const char *S_trimmed(Import *im, const char *s, size_t n) {
  while (n && strchr(" \t\r", *s))
    s++, n--;
  while (n && strchr(" \t\r", s[n - 1]))
    n--;
  return arena_strndup(im->a, s, n);
}

/* Whether field k of an entry is a `path` with a `url` right after it: the two share a part. */
static bool S_path_or_url(const FieldTable *sub, size_t k) {
  return k + 1 < sub->count && strcmp(sub->fields[k].name, "path") == 0 &&
         strcmp(sub->fields[k + 1].name, "url") == 0;
}

/* The sub-field of an entry the part at `slot` gives: the entry's fields in order, where a
 * `url` right after a `path` shares its slot and takes a part that looks like a link. */
static const FieldSpec *S_part_field(const FieldTable *sub, size_t slot, const char *part) {
  size_t at = 0;
  for (size_t k = 0; k < sub->count; k++) {
    const FieldSpec *f = &sub->fields[k];
    bool url = S_path_or_url(sub, k);
    if (at == slot)
      return url && (strstr(part, "://") || strncmp(part, "mailto:", 7) == 0) ? &sub->fields[k + 1]
                                                                              : f;
    k += url;
    at++;
  }
  return NULL;
}

/* "path or url | title | date | clauses": how a line of entries is written. */
static const char *S_entry_form(Import *im, const FieldTable *sub) {
  const char *form = "";
  for (size_t k = 0; k < sub->count; k++) {
    bool url = S_path_or_url(sub, k);
    form = arena_printf(im->a, "%s%s%s%s", form, k ? " | " : "", sub->fields[k].name,
                        url ? " or url" : "");
    k += url;
  }
  return form;
}

/* A list of entries, one a line, its fields separated by '|' in the order of the entry's
 * table: "evidence/x.pdf | Access review | 2026-03-01" (what ismsc's SoA sheet writes). A line
 * of more parts than an entry has fields is an error: a '|' inside a title would otherwise
 * shift the rest into the wrong fields. */
static Node *S_entries(Import *im, const FieldSpec *f, const char *text, Loc loc) {
  Node *seq = S_node(im, NODE_SEQUENCE, loc);
  PtrVec items = {0};
  for (const char *p = text; *p;) {
    size_t n = strcspn(p, "\n");
    Pairs entry = {0};
    size_t slot = 0;
    for (size_t at = 0; at <= n; slot++) {
      size_t m = strcspn(p + at, "|\n");
      const char *part = S_trimmed(im, p + at, m);
      const FieldSpec *pf = S_part_field(f->sub, slot, part);
      if (!pf) {
        diag_report(im->d, NULL, loc, "cell-invalid",
                    "'%s' has more parts than %s entry has fields; write one entry a line as "
                    "'%s' (a '|' cannot be part of a value)",
                    S_trimmed(im, p, n), f->name, S_entry_form(im, f->sub));
        break;
      }
      if (*part)
        S_pair(im, &entry, pf->name, S_value(im, pf, part, loc), loc);
      at += m + 1;
    }
    if (entry.keys.len)
      ptrvec_push(im->a, &items, S_mapping(im, &entry, loc));
    p += n + (p[n] ? 1 : 0);
  }
  seq->items = (Node **)items.items;
  seq->count = items.len;
  return seq;
}

static void S_pair(Import *im, Pairs *p, const char *key, Node *value, Loc key_loc) {
  ptrvec_push(im->a, &p->keys, S_scalar(im, key, key_loc));
  ptrvec_push(im->a, &p->values, value);
}

static Node *S_mapping(Import *im, const Pairs *p, Loc loc) {
  Node *map = S_node(im, NODE_MAPPING, loc);
  map->count = p->keys.len;
  map->pairs = arena_alloc(im->a, (map->count ? map->count : 1) * sizeof *map->pairs);
  for (size_t i = 0; i < map->count; i++) {
    map->pairs[i].key = p->keys.items[i];
    map->pairs[i].value = p->values.items[i];
  }
  return map;
}

static Loc S_loc(const Import *im, int row, int col) {
  Loc loc = {im->file, row, col};
  return loc;
}

/* A cell import refuses; reports it. */
static bool S_refused(Import *im, const Cell *c, Loc loc) {
  if (c->formula) {
    diag_report(im->d, NULL, loc, "cell-invalid",
                "the cell holds a formula; import takes values: copy the column and paste it "
                "as values only");
    return true;
  }
  return false;
}

/* The body: the body column's text, then the columns no field takes, as "**Label:** value". */
static const char *S_body(Import *im, const SheetRow *row, int body_col) {
  const char *body = NULL;
  if (body_col) {
    const Cell *c = sheet_cell(row, (size_t)body_col);
    body = c ? c->text : NULL;
  }
  for (size_t col = 1; col <= row->count; col++) {
    const ColumnTarget *t = col <= im->cols.count ? &im->cols.targets[col - 1] : NULL;
    const Cell *c = sheet_cell(row, col);
    if (!c || (t && (t->field || t->derived)))
      continue;
    const char *label = t && im->cols.labels[col - 1] ? im->cols.labels[col - 1]
                                                      : arena_printf(im->a, "Column %zu", col);
    const char *line = arena_printf(im->a, "**%s:** %s", label, c->text);
    body = body ? arena_printf(im->a, "%s\n\n%s", body, line) : line;
  }
  return body;
}

static void S_ragged(Import *im, const SheetRow *row) {
  if (!im->sheet.csv || row->count == im->cols.count)
    return;
  Loc loc =
      S_loc(im, row->number, (int)(row->count < im->cols.count ? row->count : im->cols.count + 1));
  diag_report(im->d, NULL, loc, "cell-invalid",
              "row %d has %s but the header has %zu: a separator too many or too few "
              "(quote a value that holds one)",
              row->number, count_of(im->a, row->count, "cell", "cells"), im->cols.count);
}

static void S_row(Import *im, const SheetRow *row) {
  const FieldTable *t = schema_table(im->kind);
  Pairs top = {0};
  Pairs *subs = arena_alloc(im->a, t->count * sizeof *subs);
  Loc first = S_loc(im, row->number, im->cols.id_column ? im->cols.id_column : 1);
  int body_index = kind_spec(im->kind)->body_field, body_col = 0;
  S_ragged(im, row);
  for (size_t i = 0; i < t->count; i++) {
    for (size_t col = 1; col <= im->cols.count; col++) {
      const ColumnTarget *ct = &im->cols.targets[col - 1];
      const Cell *c = sheet_cell(row, col);
      if (!ct->field || ct->index != (int)i)
        continue;
      if ((int)i == body_index) {
        body_col = (int)col;
        continue;
      }
      Loc loc = S_loc(im, row->number, (int)col),
          key = S_loc(im, im->cols.header_last_row, (int)col);
      if (!c || S_refused(im, c, loc))
        continue;
      if (ct->sub)
        S_pair(im, &subs[i], ct->sub->name, S_value(im, ct->sub, c->text, loc), key);
      else
        S_pair(im, &top, ct->field->name, S_value(im, ct->field, c->text, loc), key);
    }
    if (!subs[i].keys.len)
      continue;
    Node *inner = S_mapping(im, &subs[i], first);
    if (t->fields[i].type == FT_MAP_LIST) { /* one item: the row's */
      Node *seq = S_node(im, NODE_SEQUENCE, first);
      seq->items = arena_alloc(im->a, sizeof *seq->items);
      seq->items[0] = inner;
      seq->count = 1;
      inner = seq;
    }
    S_pair(im, &top, t->fields[i].name, inner, first);
  }
  for (size_t col = 1; col <= row->count; col++) {
    const Cell *c = sheet_cell(row, col);
    if (c && col <= im->cols.count && !im->cols.targets[col - 1].field)
      S_refused(im, c, S_loc(im, row->number, (int)col));
  }
  const char *body = S_body(im, row, body_col);
  Node *body_node = NULL;
  if (body) {
    body_node = S_scalar(im, body, body_col ? S_loc(im, row->number, body_col) : first);
    S_pair(im, &top, t->fields[body_index].name, body_node, first);
  }
  RawRecord *raw = arena_alloc(im->a, sizeof *raw);
  raw->file = im->file;
  raw->map = S_mapping(im, &top, first);
  raw->kind = kind_name(im->kind);
  raw->body = body_node;
  ptrvec_push(im->a, &im->raws, raw);
}

/* ------------------------------------------------------------------ the command */

typedef struct ImportOptions {
  Kind kind;
  const char *file, *root, *map, *into, *sheet;
  bool dry_run;
} ImportOptions;

static const char help[] =
    "usage: ismsc import KIND FILE [TREE] [--map \"Label=field,...\"] [--into FILE]\n"
    "                    [--sheet NAME] [--dry-run]\n"
    "Reads a spreadsheet (CSV or XLSX) of risks, assets, controls or treatments and writes\n"
    "one YAML file per row into the kind's folder of TREE (default: .), after checking every\n"
    "row as `ismsc check` would. Nothing is written while any row is in error.\n"
    "  --map LIST     columns whose label is not a field's name: \"Risk owner=owner,\n"
    "                 Residual L=residual.likelihood\" (nested fields are dotted)\n"
    "  --into FILE    write one list file instead (never over an existing file)\n"
    "  --sheet NAME   the worksheet of an XLSX file (default: the first whose header\n"
    "                 gives the kind's id, else the first)\n"
    "  --dry-run      print what would be written; write nothing\n";

static int S_usage(const char *why) {
  fprintf(stderr, "ismsc: %s\nTry 'ismsc import --help'.\n", why);
  return EXIT_USAGE;
}

/* "risks" or "risk" -> KIND_RISK; the kinds a spreadsheet holds. */
static bool S_kind(const char *name, Kind *out) {
  for (int k = 0; k < KIND_COUNT; k++) {
    const KindSpec *ks = kind_spec((Kind)k);
    if (ks->folder && (strcmp(name, ks->name) == 0 || strcmp(name, ks->folder) == 0)) {
      *out = (Kind)k;
      return true;
    }
  }
  return false;
}

static int S_options(int argc, char **argv, ImportOptions *o) {
  static const struct option longopts[] = {
      {"map", required_argument, NULL, 'm'},   {"into", required_argument, NULL, 'i'},
      {"sheet", required_argument, NULL, 's'}, {"dry-run", no_argument, NULL, 'n'},
      {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0},
  };
  memset(o, 0, sizeof *o);
  o->root = ".";
  optind = 1;
  int c;
  while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
    switch (c) {
    case 'm': o->map = optarg; break;
    case 'i': o->into = optarg; break;
    case 's': o->sheet = optarg; break;
    case 'n': o->dry_run = true; break;
    case 'h': fputs(help, stdout); return EXIT_CLEAN;
    default: return S_usage("unknown option");
    }
  }
  if (argc - optind < 2 || argc - optind > 3)
    return S_usage("import takes a kind and a file: ismsc import risks register.xlsx [TREE]");
  if (!S_kind(argv[optind], &o->kind))
    return S_usage("import reads the records of a folder: risks, assets, controls, treatments, "
                   "policies, ...");
  o->file = argv[optind + 1];
  if (argc - optind == 3)
    o->root = argv[optind + 2];
  return -1;
}

/* Without --sheet, the first sheet whose header gives the kind's id: ismsc's own workbooks
 * open with their document control and summary, so `ismsc import controls soa.xlsx` reads
 * "Controls". NULL (the first sheet, reported as usual) when none does or the first does.
 * A note names the sheet taken when it is not the first. */
static const char *S_sheet_with_ids(Import *im, const char *data, size_t len, const Limits *lim) {
  Diags scratch;
  diags_init(&scratch, im->a);
  Sheet first;
  if (!sheet_read_xlsx(im->a, &scratch, im->file, data, len, NULL, lim, &first))
    return NULL;
  for (size_t i = 0; i < first.names.len; i++) {
    const char *name = first.names.items[i];
    Sheet s;
    Columns cols;
    diags_init(&scratch, im->a);
    if (!sheet_read_xlsx(im->a, &scratch, im->file, data, len, name, lim, &s) ||
        !import_columns(im->a, &scratch, &s, im->kind, NULL, &cols) || !cols.id_column)
      continue;
    if (i > 0) {
      Loc loc = {im->file, 0, 0};
      im->file->sheet = name;
      diag_report(im->d, NULL, loc, "sheet-chosen",
                  "reading sheet '%s', the first whose header gives %s's id (name another "
                  "with --sheet)",
                  name, kind_article(im->kind));
    }
    return i > 0 ? name : NULL;
  }
  return NULL;
}

/* Reads FILE into im->sheet; false when it cannot be read at all (reported). */
static bool S_read(Import *im, const ImportOptions *o, const Limits *lim) {
  im->file = arena_alloc(im->a, sizeof *im->file);
  im->file->path = o->file;
  im->file->arena = im->a;
  bool too_big;
  size_t len;
  char *data = file_read(o->file, lim->max_file_bytes, &len, &too_big);
  Loc whole = {im->file, 0, 0};
  if (!data) {
    if (too_big)
      diag_report(im->d, NULL, whole, "input-limit",
                  "the file is larger than %zu bytes (limits.max_file_bytes)", lim->max_file_bytes);
    else
      diag_report(im->d, NULL, whole, "file-unreadable", "cannot read the file: %s",
                  strerror(errno));
    return false;
  }
  const char *sheet = o->sheet;
  if (!sheet && sheet_is_xlsx(data, len))
    sheet = S_sheet_with_ids(im, data, len, lim);
  bool ok = sheet_is_xlsx(data, len)
                ? sheet_read_xlsx(im->a, im->d, im->file, data, len, sheet, lim, &im->sheet)
                : sheet_read_csv(im->a, im->d, im->file, data, len, lim, &im->sheet);
  free(data);
  return ok;
}

/* Keeps only the diagnostics about the sheet: the tree's own are check's business. */
static void S_only_the_sheet(Import *im) {
  size_t kept = 0;
  for (size_t i = 0; i < im->d->items.len; i++) {
    Diag *g = im->d->items.items[i];
    if (g->loc.file == im->file)
      im->d->items.items[kept++] = g;
  }
  im->d->items.len = kept;
}

/* The imported records, in row order. */
static PtrVec S_records(Import *im, const Model *m) {
  PtrVec out = {0};
  for (size_t i = 0; i < m->records.len; i++) {
    Record *r = m->records.items[i];
    if (r->raw && r->raw->file == im->file)
      ptrvec_push(im->a, &out, r);
  }
  return out;
}

static int S_write_records(Import *im, const ImportOptions *o, const PtrVec *records);

static void S_render(Import *im) {
  diags_finish(im->d);
  const char *no_color = getenv("NO_COLOR");
  RenderOptions ro = {.format = FORMAT_TEXT,
                      .color = isatty(STDOUT_FILENO) && !(no_color && *no_color),
                      .path_prefix = "",
                      .tool_version = ISMSC_VERSION};
  if (im->d->items.len)
    diags_render(im->d, &ro, stdout);
  fflush(stdout);
}

static int S_import(Import *im, const ImportOptions *o) {
  Limits lim;
  limits_default(&lim);
  Tree tree;
  if (!load_tree(im->a, im->d, o->root, &lim, &tree) || !tree.manifest_file ||
      !tree.manifest_file->text) {
    fprintf(stderr, "ismsc: %s is not an ISMS tree (no readable isms.yaml)\n", o->root);
    return EXIT_USAGE;
  }
  im->root = o->root;
  bool read = S_read(im, o, &lim);
  if (read && !import_columns(im->a, im->d, &im->sheet, im->kind, o->map, &im->cols))
    return EXIT_USAGE; /* a usage problem of --map, already said */
  for (size_t i = 0; read && i < im->sheet.rows.len; i++) {
    const SheetRow *row = im->sheet.rows.items[i];
    if (row->number > im->cols.header_last_row)
      S_row(im, row);
  }
  if (read && !im->raws.len) {
    Loc loc = {im->file, im->sheet.rows.len ? im->cols.header_last_row : 0, 0};
    diag_report(im->d, NULL, loc, "sheet-invalid",
                "no rows below the header: nothing to import (is it the right sheet?)");
  }
  for (size_t i = 0; i < im->raws.len; i++)
    ptrvec_push(im->a, &tree.records, im->raws.items[i]);
  Options opt = {0};
  Date today;
  if (!driver_today(&opt, &today))
    return EXIT_USAGE;
  Model m;
  memset(&m, 0, sizeof m);
  m.limits = lim;
  model_bind(&m, im->a, im->d, &tree, today);
  resolve(&m);
  check_structure(&m);
  /* What the tree may get next (the records of the next import, the evidence files) is a
   * warning, as SPEC §6 has it for references; check makes it an error again. */
  diags_override(im->d, "ref-unknown", SEV_WARNING);
  diags_override(im->d, "evidence-missing", SEV_WARNING);
  S_only_the_sheet(im);
  PtrVec records = S_records(im, &m);
  diags_finish(im->d);
  if (read && !im->d->errors)
    return S_write_records(im, o, &records);
  S_render(im);
  fprintf(stderr, "ismsc: nothing imported: %zu error%s in %s\n", im->d->errors,
          im->d->errors == 1 ? "" : "s", o->file);
  return EXIT_ERRORS;
}

/* Where each record goes: its own file in the kind's folder, or the --into file. */
static const char *S_target(Import *im, const ImportOptions *o, const Record *r) {
  if (o->into)
    return o->into;
  const char *file = arena_printf(im->a, "%s/%s.yaml", kind_spec(im->kind)->folder, r->id);
  return strcmp(im->root, ".") == 0 ? file : arena_printf(im->a, "%s/%s", im->root, file);
}

/* Writes every file: all staged first, one sync, then each linked into place (never over a
 * file). On any failure the files already linked are removed again: all or nothing. */
static int S_publish(Import *im, const char **paths, char **texts, size_t n) {
  char **staged = arena_alloc(im->a, (n ? n : 1) * sizeof *staged);
  size_t done = 0, linked = 0;
  bool ok = true;
  for (; ok && done < n; done++) {
    const char *slash = strrchr(paths[done], '/');
    char *dir = slash ? arena_strndup(im->a, paths[done], (size_t)(slash - paths[done])) : NULL;
    ok = (!dir || file_make_folders(dir)) &&
         (staged[done] = file_stage(paths[done], texts[done], strlen(texts[done]))) != NULL;
    if (!ok)
      fprintf(stderr, "ismsc: cannot write %s: %s\n", paths[done], strerror(errno));
  }
  if (ok && n && !file_sync(staged[0]))
    fprintf(stderr, "ismsc: cannot flush the files to disk: %s\n", strerror(errno));
  while (ok && linked < n) {
    /* file_publish removes the staged name whether it links or not */
    ok = file_publish(staged[linked], paths[linked]);
    free(staged[linked]);
    staged[linked] = NULL;
    if (!ok) {
      fprintf(stderr, "ismsc: cannot write %s: %s\n", paths[linked], strerror(errno));
      break;
    }
    linked++; /* only files this run linked are ever removed again */
  }
  for (size_t i = 0; i < done; i++) {
    if (staged[i]) {
      unlink(staged[i]);
      free(staged[i]);
    }
    if (!ok && i < linked)
      unlink(paths[i]);
  }
  if (!ok)
    fprintf(stderr, "ismsc: nothing imported: the files written are removed again\n");
  return ok ? EXIT_CLEAN : EXIT_USAGE;
}

static bool S_exists(const char *path) {
  struct stat st;
  return lstat(path, &st) == 0;
}

static int S_write_records(Import *im, const ImportOptions *o, const PtrVec *records) {
  size_t n = records->len;
  const char **paths = arena_alloc(im->a, (n ? n : 1) * sizeof *paths);
  char **texts = arena_alloc(im->a, (n ? n : 1) * sizeof *texts);
  if (n && o->into)
    n = 1; /* one list file of every record */
  for (size_t i = 0; i < n; i++) {
    const Record *r = records->items[i];
    paths[i] = S_target(im, o, r);
    if (S_exists(paths[i]))
      diag_report(im->d, NULL, r->id_node->loc, "file-exists",
                  "%s exists; import never writes over a file", paths[i]);
  }
  for (size_t i = 0; i < n; i++) {
    texts[i] = import_yaml((const Record *const *)records->items + (o->into ? 0 : i),
                           o->into ? records->len : 1, o->into != NULL);
    if (!texts[i]) {
      Loc loc = {im->file, 0, 0};
      diag_report(im->d, NULL, loc, "sheet-invalid", "the YAML emitter failed");
    }
  }
  S_render(im);
  int status = im->d->errors ? EXIT_ERRORS : EXIT_CLEAN;
  if (status == EXIT_CLEAN && o->dry_run)
    for (size_t i = 0; i < n; i++)
      printf("# %s\n%s", paths[i], texts[i]);
  else if (status == EXIT_CLEAN)
    status = S_publish(im, paths, texts, n);
  for (size_t i = 0; i < n; i++)
    free(texts[i]);
  if (status == EXIT_CLEAN)
    fprintf(stderr, "ismsc: %s %zu %s%s into %s\n", o->dry_run ? "would import" : "imported",
            records->len, kind_name(im->kind), records->len == 1 ? "" : "s",
            o->into ? o->into : "their own files");
  else if (im->d->errors)
    fprintf(stderr, "ismsc: nothing imported: %zu error%s\n", im->d->errors,
            im->d->errors == 1 ? "" : "s");
  return status;
}

int import_main(int argc, char **argv) {
  ImportOptions o;
  int status = S_options(argc, argv, &o);
  if (status >= 0)
    return status;
  Arena arena;
  arena_init(&arena);
  Diags diags;
  diags_init(&diags, &arena);
  for (size_t i = 0; i < sizeof import_rules / sizeof import_rules[0]; i++)
    ptrvec_push(&arena, &diags.rules, (void *)&import_rules[i]);
  Import im = {.a = &arena, .d = &diags, .kind = o.kind};
  status = S_import(&im, &o);
  arena_free(&arena);
  return status;
}
