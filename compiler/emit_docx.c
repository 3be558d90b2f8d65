/* emit_docx.c - render a Document as a DOCX file: WordprocessingML parts in a zip.
 *
 * The same DocNode tree as emit_html.c, walked with one switch over DocKind (S_block,
 * S_inline); Markdown bodies go to docx_markdown.c, the primitives are wml.c's, the shared
 * styles and the reference DOCX are docx_reference.c's kit, and the package is opc.c's.
 * docs/docx.md says what is produced and why.
 *
 * What must stay true: [Content_Types].xml first, then the parts in a fixed order, so the
 * same input and --date give the same bytes; a renderer call reads only its context, the
 * kit and the document, so documents can be written on several threads at once.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docx.h"
#include "text.h"

static void S_collect_anchors(Docx *d, const DocNode *n) {
  for (; n; n = n->next) {
    if ((n->kind == DOC_SECTION || n->kind == DOC_ROW) && n->anchor &&
        !hashmap_get(&d->anchors, n->anchor))
      hashmap_put(d->a, &d->anchors, n->anchor, (void *)wml_bookmark_name(d->a, n->anchor));
    S_collect_anchors(d, n->first);
  }
}

/* ---------------------------------------------------------------- the DocNode tree */

static void S_block(Docx *d, const DocNode *n, int list_depth);
static void S_inline(Docx *d, const DocNode *n);

static bool S_is_inline(DocKind k) {
  return k == DOC_TEXT || k == DOC_STRONG || k == DOC_LINK || k == DOC_BADGE;
}

static void S_inlines(Docx *d, const DocNode *n) {
  for (const DocNode *c = n->first; c; c = c->next)
    S_inline(d, c);
}

static void S_inline(Docx *d, const DocNode *n) {
  switch (n->kind) {
  case DOC_TEXT: wml_run(d, n->text); break;
  case DOC_STRONG:
    d->bold++;
    S_inlines(d, n);
    d->bold--;
    break;
  case DOC_LINK: {
    bool open = wml_link_start(d, n->record, n->href);
    S_inlines(d, n);
    if (open)
      wml_link_end(d);
    break;
  }
  case DOC_BADGE:
    d->badge_fill = doc_palette[n->tone].rgb;
    d->badge_ink = doc_palette[n->tone].ink;
    wml_run(d, arena_concat(d->a, " ", n->text ? n->text : "", " ", NULL));
    d->badge_fill = d->badge_ink = NULL;
    break;
  default: S_inlines(d, n); break; /* a block where text belongs: its text */
  }
}

/* Block children; runs of inline children between them share a paragraph. */
static void S_blocks(Docx *d, const DocNode *parent, ParaProps pp, int list_depth) {
  const DocNode *c = parent->first;
  while (c) {
    if (!S_is_inline(c->kind)) {
      S_block(d, c, list_depth);
      c = c->next;
      continue;
    }
    wml_para_start(d, pp);
    for (; c && S_is_inline(c->kind); c = c->next)
      S_inline(d, c);
    wml_para_end(d);
  }
}

/* What a column's width is made from: the length of a cell's text (in bytes) and its
 * longest word (in code points, for the column's minimum width). */
typedef struct Measure {
  size_t text, word;
} Measure;

/* Adds a node's text to *m, in one walk of its subtree: the bytes of a text are counted by
 * the same loop that finds its words, so it needs no strlen (a separate walk for each
 * figure with a strlen of each text was a visible part of a build's profile). */
static void S_measure(const DocNode *n, Measure *m) {
  if (n->text && (n->kind == DOC_TEXT || n->kind == DOC_BADGE)) {
    size_t cur = 0;
    const char *p = n->text;
    for (; *p; p++) {
      if (((unsigned char)*p & 0xC0) == 0x80) /* a continuation byte: not a character */
        continue;
      cur = (*p == ' ' || *p == '\n') ? 0 : cur + 1;
      if (cur > m->word)
        m->word = cur;
    }
    m->text += (size_t)(p - n->text);
  } else if (n->text && n->kind != DOC_SECTION) {
    m->text += strlen(n->text);
  }
  for (const DocNode *c = n->first; c; c = c->next)
    S_measure(c, m);
}

static int S_doc_columns(const DocNode *table) {
  int ncols = 0;
  for (const DocNode *r = table->first; r; r = r->next) {
    int cells = 0;
    for (const DocNode *c = r->first; c; c = c->next)
      cells++;
    if (cells > ncols)
      ncols = cells;
  }
  return ncols;
}

/* The longest text and word of each column of a table. */
static void S_doc_measure(const DocNode *table, int ncols, size_t *text, size_t *word) {
  for (const DocNode *r = table->first; r; r = r->next) {
    int col = 0;
    for (const DocNode *c = r->first; c && col < ncols; c = c->next, col++) {
      Measure m = {0, 0};
      S_measure(c, &m);
      if (m.text > text[col])
        text[col] = m.text;
      if (m.word > word[col])
        word[col] = m.word;
    }
  }
}

/* Every table of a class (the SoA's one table per theme) in the document, measured together
 * so that they share their column widths. */
static void S_doc_measure_class(const DocNode *n, const char *cls, int ncols, size_t *text,
                                size_t *word) {
  for (; n; n = n->next) {
    if (n->kind == DOC_TABLE && n->cls && strcmp(n->cls, cls) == 0 && S_doc_columns(n) == ncols)
      S_doc_measure(n, ncols, text, word);
    S_doc_measure_class(n->first, cls, ncols, text, word);
  }
}

static void S_doc_table(Docx *d, const DocNode *n) {
  Table t = {.ncols = S_doc_columns(n)};
  if (!t.ncols)
    return;
  if (doc_table_empty(n)) {
    wml_para_text(d, (ParaProps){0}, doc_table_none(d->a, n));
    return;
  }
  t.widths = n->cls ? hashmap_get(&d->widths, n->cls) : NULL;
  if (!t.widths) {
    size_t *text = arena_alloc(d->a, sizeof *text * (size_t)t.ncols);
    size_t *word = arena_alloc(d->a, sizeof *word * (size_t)t.ncols);
    if (n->cls)
      S_doc_measure_class(d->doc->body, n->cls, t.ncols, text, word);
    else
      S_doc_measure(n, t.ncols, text, word);
    wml_table_widths(d, &t, text, word);
    if (n->cls)
      hashmap_put(d->a, &d->widths, n->cls, t.widths);
  }
  if (n->text)
    wml_para_text(d, (ParaProps){.style = docx_style(d, ST_CAPTION), .keep_next = true}, n->text);
  wml_table_start(d, &t);
  int row = 0;
  for (const DocNode *r = n->first; r; r = r->next, row++) {
    bool header = row < n->header_rows;
    wml_row_start(d, header);
    int col = 0;
    for (const DocNode *c = r->first; c; c = c->next, col++) {
      bool head = header || c->header;
      wml_cell_start(d, t.widths[col], head ? DOCX_HEADER_FILL : NULL);
      wml_para_start(d, (ParaProps){.style = docx_style(d, head ? ST_TABLE_HEADING : ST_TABLE_TEXT),
                                    .jc = c->numeric ? "right" : NULL});
      if (col == 0)
        wml_bookmark(d, r->anchor);
      S_inlines(d, c);
      wml_para_end(d);
      END(d->w); /* tc */
    }
    for (; col < t.ncols; col++) { /* a short row: every cell needs a paragraph */
      wml_cell_start(d, t.widths[col], header ? DOCX_HEADER_FILL : NULL);
      wml_para_text(d, (ParaProps){.style = docx_style(d, ST_TABLE_TEXT)}, "");
      END(d->w);
    }
    END(d->w); /* tr */
  }
  wml_table_end(d);
}

/* A table of key and value rows (document control). */
static void S_key_value_row(Docx *d, const Table *t, const char *key, const char *value) {
  if (!value || !*value)
    return;
  wml_row_start(d, false);
  wml_cell_start(d, t->widths[0], DOCX_HEADER_FILL);
  wml_para_text(d, (ParaProps){.style = docx_style(d, ST_TABLE_HEADING)}, key);
  END(d->w);
  wml_cell_start(d, t->widths[1], NULL);
  wml_para_text(d, (ParaProps){.style = docx_style(d, ST_TABLE_TEXT)}, value);
  END(d->w);
  END(d->w);
}

static void S_control_table(Docx *d) {
  long widths[2] = {d->text_width * 3 / 10, d->text_width - d->text_width * 3 / 10};
  Table t = {.ncols = 2, .widths = widths};
  wml_para_text(d, (ParaProps){.style = docx_style(d, ST_CAPTION), .keep_next = true},
                "Document control");
  wml_table_start(d, &t);
  for (size_t i = 0; i < d->doc->nfields; i++)
    S_key_value_row(d, &t, d->doc->fields[i].key, d->doc->fields[i].value);
  wml_table_end(d);
}

/* Key figures (the SoA's counts) as a one-row table: the number over its label. */
static void S_figures(Docx *d, const DocNode *n) {
  int count = 0;
  for (const DocNode *f = n->first; f; f = f->next)
    count++;
  if (!count)
    return;
  Table t = {.ncols = count, .widths = arena_alloc(d->a, sizeof(long) * (size_t)count)};
  for (int i = 0; i < count; i++)
    t.widths[i] = d->text_width / count;
  wml_table_start(d, &t);
  wml_row_start(d, false);
  int i = 0;
  for (const DocNode *f = n->first; f; f = f->next, i++) {
    wml_cell_start(d, t.widths[i], doc_palette[TONE_NONE].rgb);
    wml_para_text(d, (ParaProps){.style = docx_style(d, ST_FIGURE_NUMBER)}, f->text);
    wml_para_text(d, (ParaProps){.style = docx_style(d, ST_FIGURE_LABEL)}, f->cls);
    END(d->w);
  }
  END(d->w);
  wml_table_end(d);
}

/* The heavy edges of cell (l, i) that outline the cells scoring at most accept_max: where
 * its neighbour above or to the right is outside, and along the grid's left and bottom. */
static unsigned S_appetite_edges(const HeatMap *hm, int l, int i) {
  long max = hm->accept_max;
  if (max < 1 || (long)l * i > max)
    return 0;
  unsigned e = 0;
  if (l == hm->nlikelihood || (long)(l + 1) * i > max)
    e |= WML_EDGE_TOP;
  if (i == hm->nimpact || (long)l * (i + 1) > max)
    e |= WML_EDGE_RIGHT;
  if (i == 1)
    e |= WML_EDGE_LEFT;
  if (l == 1)
    e |= WML_EDGE_BOTTOM;
  return e;
}

/* A heat map as a table: likelihood rows, impact columns, the count of risks per cell (the
 * method's matrix: each cell's score). */
static void S_heatmap(Docx *d, const DocNode *n) {
  const HeatMap *hm = n->heatmap;
  if (!hm || hm->nimpact < 1 || hm->nlikelihood < 1)
    return;
  /* The caption is the title, as HTML's figcaption; what the grid means is its alt text, as
   * HTML's aria-label (and the agreement test knows the table by it). */
  Table t = {.ncols = hm->nimpact + 1,
             .widths = arena_alloc(d->a, sizeof(long) * (size_t)(hm->nimpact + 1)),
             .caption = "Heat map",
             .description =
                 arena_printf(d->a, "%s: likelihood (rows) by impact (columns)", hm->title)};
  for (int i = 0; i < t.ncols; i++)
    t.widths[i] = d->text_width / t.ncols;
  wml_para_text(d, (ParaProps){.style = docx_style(d, ST_CAPTION), .keep_next = true}, hm->title);
  wml_table_start(d, &t);
  for (int l = hm->nlikelihood; l >= 0; l--) {
    wml_row_start(d, l == 0);
    for (int i = 0; i <= hm->nimpact; i++) {
      const char *text = "", *fill = NULL;
      if (l == 0 && i > 0)
        text = hm->impact ? hm->impact[i - 1] : arena_printf(d->a, "%d", i);
      else if (i == 0 && l > 0)
        text = hm->likelihood ? hm->likelihood[l - 1] : arena_printf(d->a, "%d", l);
      else if (l > 0) {
        size_t count = hm->cells[l - 1][i - 1].len;
        text = hm->scores ? arena_printf(d->a, "%d", l * i)
               : count    ? arena_printf(d->a, "%zu", count)
                          : "";
        fill = doc_palette[hm->tones[l - 1][i - 1]].rgb;
      }
      wml_cell_start_edges(d, t.widths[i], l == 0 || i == 0 ? DOCX_HEADER_FILL : fill,
                           l > 0 && i > 0 ? S_appetite_edges(hm, l, i) : 0);
      wml_para_text(
          d,
          (ParaProps){.style = docx_style(d, l == 0 || i == 0 ? ST_TABLE_HEADING : ST_TABLE_TEXT),
                      .jc = "center"},
          text);
      END(d->w);
    }
    END(d->w);
  }
  wml_table_end(d);
  S_blocks(d, n, (ParaProps){0}, 0); /* the legend */
}

/* A date under a bar. A column narrower than a date (twelve bars on a portrait page) would
 * break it anywhere, its hyphens being ones that do not break (nobreak.h): "2025-1" over
 * "2-31". It breaks after the year instead, the way a reader splits it. */
static const char *S_bar_date(Docx *d, const char *date, long width) {
  enum { DATE_FITS = 1300 }; /* twips: ten 9pt digits and the cell's margins */
  if (width >= DATE_FITS || strlen(date) != 10 || date[4] != '-')
    return date;
  return arena_printf(d->a, "%.5s\n%s", date, date + 5);
}

/* A trend chart as a table of bars: a column per measurement (the latest twelve), five bands
 * of value from the top, a cell filled in the point's tone up to its value, the band that
 * holds the target labelled; under the bars, the dates. The numbers follow in the node's
 * own table (its children), so nothing is read off a drawing alone. */
static void S_trend(Docx *d, const DocNode *n) {
  const TrendChart *c = n->trend;
  enum { BANDS = 5, MAX_POINTS = 12 };
  size_t first = c->npoints > MAX_POINTS ? c->npoints - MAX_POINTS : 0;
  int npoints = (int)(c->npoints - first);
  if (npoints > 0) {
    double lo = c->has_target ? c->target : c->points[first].value, hi = lo;
    for (size_t i = first; i < c->npoints; i++) {
      lo = c->points[i].value < lo ? c->points[i].value : lo;
      hi = c->points[i].value > hi ? c->points[i].value : hi;
    }
    lo = lo > 0 ? 0 : lo;
    hi = hi <= lo ? lo + 1 : hi;
    double step = (hi - lo) / BANDS;
    Table t = {npoints + 1, arena_alloc(d->a, sizeof(long) * (size_t)(npoints + 1)), "Trend chart",
               arena_printf(d->a, "%s: a bar per measurement; the numbers are in the next table",
                            c->title)};
    t.widths[0] = d->text_width / 5;
    for (int i = 1; i < t.ncols; i++)
      t.widths[i] = (d->text_width - t.widths[0]) / npoints;
    /* The caption is the HTML figure's, word for word. */
    wml_para_text(d, (ParaProps){.style = docx_style(d, ST_CAPTION), .keep_next = true}, c->title);
    wml_table_start(d, &t);
    for (int band = BANDS; band >= 0; band--) {
      double bottom = lo + step * (band - 1), top = lo + step * band;
      bool target_here =
          band > 0 && c->has_target && c->target > bottom && (c->target <= top || band == BANDS);
      wml_row_start(d, false);
      wml_cell_start(d, t.widths[0], DOCX_HEADER_FILL);
      wml_para_text(d, (ParaProps){.style = docx_style(d, ST_TABLE_HEADING), .jc = "right"},
                    band == 0     ? ""
                    : target_here ? arena_printf(d->a, "target %s", c->target_label)
                                  : "");
      END(d->w);
      for (int i = 0; i < npoints; i++) {
        const TrendPoint *p = &c->points[first + (size_t)i];
        bool filled = band > 0 && p->value > bottom;
        bool tip = filled && (p->value <= top || band == BANDS);
        wml_cell_start(d, t.widths[i + 1],
                       filled ? doc_palette[p->tone ? p->tone : TONE_PLANNED].rgb : NULL);
        wml_para_text(d, (ParaProps){.style = docx_style(d, ST_TABLE_TEXT), .jc = "center"},
                      band == 0 ? S_bar_date(d, p->date, t.widths[i + 1])
                      : tip     ? p->label
                                : "");
        END(d->w);
      }
      END(d->w);
    }
    wml_table_end(d);
  }
  S_blocks(d, n, (ParaProps){0}, 0);
}

static void S_list(Docx *d, const DocNode *n, int depth) {
  int num = wml_new_list(d, n->ordered, wml_list_level(depth), 1);
  for (const DocNode *item = n->first; item; item = item->next) {
    ParaProps pp = {
        .style = docx_style(d, ST_LIST_PARAGRAPH), .num_id = num, .level = wml_list_level(depth)};
    bool numbered = false;
    const DocNode *c = item->first;
    while (c || !numbered) {
      if (c && !S_is_inline(c->kind)) {
        if (!numbered) /* the item's number needs a paragraph of its own */
          wml_para_text(d, pp, "");
        numbered = true;
        S_block(d, c, depth + 1);
        c = c->next;
        continue;
      }
      wml_para_start(
          d, numbered ? (ParaProps){.style = pp.style, .indent = 454L * (wml_list_level(depth) + 1)}
                      : pp);
      for (; c && S_is_inline(c->kind); c = c->next)
        S_inline(d, c);
      wml_para_end(d);
      numbered = true;
    }
  }
}

static void S_block(Docx *d, const DocNode *n, int list_depth) {
  switch (n->kind) {
  case DOC_SECTION:
    if (n->level > 0) {
      StyleRole role =
          n->level == 1 ? ST_TITLE : (StyleRole)(ST_H1 + (n->level > 7 ? 5 : n->level - 2));
      wml_para_start(d, (ParaProps){.style = docx_style(d, role)});
      wml_bookmark(d, n->anchor);
      wml_run(d, n->text);
      wml_para_end(d);
    }
    S_blocks(d, n, (ParaProps){0}, list_depth);
    break;
  case DOC_PARA:
    wml_para_start(d, (ParaProps){0});
    S_inlines(d, n);
    wml_para_end(d);
    break;
  case DOC_LIST: S_list(d, n, list_depth); break;
  case DOC_TABLE: S_doc_table(d, n); break;
  case DOC_MARKDOWN: docx_markdown(d, n, list_depth); break;
  case DOC_HEATMAP: S_heatmap(d, n); break;
  case DOC_TREND: S_trend(d, n); break;
  case DOC_FIGURES: S_figures(d, n); break;
  case DOC_CONTROL:
    S_control_table(d);
    if (docx_toc_wanted(d->doc)) /* a long document: its contents after its control */
      docx_toc(d);
    break;
  case DOC_NOTICE:
    S_blocks(d, n, (ParaProps){.style = docx_style(d, ST_NOTICE)}, list_depth);
    break;
  case DOC_TEXT:
  case DOC_STRONG:
  case DOC_LINK:
  case DOC_BADGE:
    wml_para_start(d, (ParaProps){0});
    S_inline(d, n);
    wml_para_end(d);
    break;
  case DOC_ITEM:
  case DOC_ROW:
  case DOC_CELL:
  case DOC_FIGURE: S_blocks(d, n, (ParaProps){0}, list_depth); break; /* outside their parent */
  }
}

/* ---------------------------------------------------------------- the parts */

static const char *S_iso_date(Arena *a, const Date *date) {
  char buf[11];
  date_format(date, buf);
  return arena_printf(a, "%sT00:00:00Z", buf);
}

static Page S_page(const Docx *d) {
  Page p = d->kit->page;
  if (d->landscape) {
    long w = p.width;
    p.width = p.height;
    p.height = w;
  }
  return p;
}

static void S_sect_pr(Docx *d) {
  Page p = S_page(d);
  XmlOut *w = d->w;
  EL(w, "w:sectPr");
  EL(w, "w:headerReference");
  AT(w, "w:type", "default");
  AT(w, "r:id", arena_printf(d->a, "rId%d", RID_HEADER));
  END(w);
  EL(w, "w:footerReference");
  AT(w, "w:type", "default");
  AT(w, "r:id", arena_printf(d->a, "rId%d", RID_FOOTER));
  END(w);
  EL(w, "w:pgSz");
  wml_attr_long(w, "w:w", p.width);
  wml_attr_long(w, "w:h", p.height);
  if (d->landscape)
    AT(w, "w:orient", "landscape");
  END(w);
  EL(w, "w:pgMar");
  wml_attr_long(w, "w:top", p.top);
  wml_attr_long(w, "w:right", p.right);
  wml_attr_long(w, "w:bottom", p.bottom);
  wml_attr_long(w, "w:left", p.left);
  wml_attr_long(w, "w:header", p.header);
  wml_attr_long(w, "w:footer", p.footer);
  wml_attr_long(w, "w:gutter", p.gutter);
  END(w);
  END(w);
}

/* Into the worker's kept buffer when there is one (out_file.h): the part of a large
 * register is tens of MB, and a new buffer each time grew into fresh pages. */
static xmlBufferPtr S_document_part(Docx *d, OutBuffer *keep) {
  OpcWriter wr = opc_writer_reuse(keep ? out_buffer_take(keep) : NULL);
  d->w = wr.w;
  EL(d->w, "w:document");
  AT(d->w, "xmlns:w", NS_W);
  AT(d->w, "xmlns:r", NS_R);
  EL(d->w, "w:body");
  S_block(d, d->doc->body, 0);
  if (d->last_table) /* Word wants a paragraph between a table and the section's end */
    wml_para_text(d, (ParaProps){0}, "");
  S_sect_pr(d);
  END(d->w);
  END(d->w);
  d->w = NULL;
  return opc_writer_done(&wr);
}

static xmlBufferPtr S_document_rels(Docx *d) {
  OpcWriter wr = opc_writer_new();
  EL(wr.w, "Relationships");
  AT(wr.w, "xmlns", NS_RELS);
  opc_relationship(wr.w, RID_STYLES, REL "styles", "styles.xml", false);
  opc_relationship(wr.w, RID_NUMBERING, REL "numbering", "numbering.xml", false);
  opc_relationship(wr.w, RID_SETTINGS, REL "settings", "settings.xml", false);
  opc_relationship(wr.w, RID_FONTS, REL "fontTable", "fontTable.xml", false);
  opc_relationship(wr.w, RID_THEME, REL "theme", "theme/theme1.xml", false);
  opc_relationship(wr.w, RID_HEADER, REL "header", "header1.xml", false);
  opc_relationship(wr.w, RID_FOOTER, REL "footer", "footer1.xml", false);
  for (size_t i = 0; i < d->links.len; i++)
    opc_relationship(wr.w, RID_FIRST_LINK + (int)i, REL "hyperlink", d->links.items[i], true);
  END(wr.w);
  return opc_writer_done(&wr);
}

static xmlBufferPtr S_package_rels(void) {
  OpcWriter wr = opc_writer_new();
  EL(wr.w, "Relationships");
  AT(wr.w, "xmlns", NS_RELS);
  opc_relationship(wr.w, 1, REL "officeDocument", "word/document.xml", false);
  opc_relationship(wr.w, 2,
                   "http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
                   "core-properties",
                   "docProps/core.xml", false);
  opc_relationship(wr.w, 3, REL "extended-properties", "docProps/app.xml", false);
  opc_relationship(wr.w, 4, REL "custom-properties", "docProps/custom.xml", false);
  END(wr.w);
  return opc_writer_done(&wr);
}

/* Header: the title, and the document number and classification right-aligned on a tab at
 * the margin; footer: organisation, title, number, version, classification, issue date and
 * revision, then "Page X of Y" as PAGE and NUMPAGES fields. Number, version, classification
 * and revision are DOCPROPERTY fields over docProps/custom.xml, each with its value as its
 * result: Word shows the properties after a field update, a reader that never updates
 * fields shows the same text, so the page and the properties cannot disagree. */
static void S_tab_stop(Docx *d, XmlOut *w, const char *style) {
  EL(w, "w:pPr");
  wml_val(w, "w:pStyle", style);
  EL(w, "w:tabs");
  EL(w, "w:tab");
  AT(w, "w:val", "right");
  wml_attr_long(w, "w:pos", d->text_width);
  END(w);
  END(w);
  END(w);
}

static void S_plain_run(Arena *a, XmlOut *w, const char *text, bool tab_before) {
  EL(w, "w:r");
  if (tab_before)
    wml_empty(w, "w:tab");
  wml_t(w, text_clean_arena(a, text));
  END(w);
}

/* A custom property shown by name (docProps/custom.xml), its value as the field's result. */
static void S_property_field(Docx *d, XmlOut *w, const char *name, const char *value) {
  wml_field(w, arena_printf(d->a, " DOCPROPERTY %s \\* MERGEFORMAT ", name),
            text_clean_arena(d->a, value));
}

static xmlBufferPtr S_header_part(Docx *d) {
  OpcWriter wr = opc_writer_new();
  XmlOut *w = wr.w;
  const DocControl *c = &d->doc->control;
  EL(w, "w:hdr");
  AT(w, "xmlns:w", NS_W);
  AT(w, "xmlns:r", NS_R);
  EL(w, "w:p");
  S_tab_stop(d, w, docx_style(d, ST_HEADER));
  S_plain_run(d->a, w, d->doc->title ? d->doc->title : "", false);
  S_plain_run(d->a, w, "", true);
  S_property_field(d, w, "DocumentNumber", c->number);
  S_plain_run(d->a, w, " · ", false);
  S_property_field(d, w, "Classification", c->classification);
  if (d->ctx->draft)
    S_plain_run(d->a, w, " · DRAFT", false);
  END(w);
  END(w);
  return opc_writer_done(&wr);
}

static xmlBufferPtr S_footer_part(Docx *d) {
  OpcWriter wr = opc_writer_new();
  XmlOut *w = wr.w;
  const DocControl *c = &d->doc->control;
  char issued[11];
  date_format(&d->ctx->date, issued);
  EL(w, "w:ftr");
  AT(w, "xmlns:w", NS_W);
  AT(w, "xmlns:r", NS_R);
  /* The document's identity (it can take two lines: a long title), then the page number on
   * a line of its own, right-aligned, so it is never broken by the wrap. */
  EL(w, "w:p");
  EL(w, "w:pPr");
  wml_val(w, "w:pStyle", docx_style(d, ST_FOOTER));
  END(w);
  const char *org = c->organisation && *c->organisation ? c->organisation : NULL;
  S_plain_run(d->a, w,
              arena_printf(d->a, "%s%s%s · ", org ? org : "", org ? " · " : "",
                           d->doc->title ? d->doc->title : ""),
              false);
  S_property_field(d, w, "DocumentNumber", c->number);
  if (c->version) {
    S_plain_run(d->a, w, " · version ", false);
    S_property_field(d, w, "Version", c->version);
  }
  S_plain_run(d->a, w, " · ", false);
  S_property_field(d, w, "Classification", c->classification);
  S_plain_run(d->a, w, arena_printf(d->a, " · issued %s · revision ", issued), false);
  S_property_field(d, w, "Revision", c->revision);
  END(w);
  EL(w, "w:p");
  EL(w, "w:pPr");
  wml_val(w, "w:pStyle", docx_style(d, ST_FOOTER));
  wml_val(w, "w:jc", "right");
  END(w);
  S_plain_run(d->a, w, "Page ", false);
  wml_field(w, " PAGE ", "1");
  S_plain_run(d->a, w, " of ", false);
  wml_field(w, " NUMPAGES ", "1");
  END(w);
  END(w);
  return opc_writer_done(&wr);
}

static void S_text_element(Arena *a, XmlOut *w, const char *name, const char *text) {
  if (!text || !*text)
    return;
  EL(w, name);
  TEXT(w, text_clean_arena(a, text));
  END(w);
}

static xmlBufferPtr S_core_part(Docx *d) {
  OpcWriter wr = opc_writer_new();
  XmlOut *w = wr.w;
  const DocControl *c = &d->doc->control;
  const char *when = S_iso_date(d->a, &d->ctx->date);
  EL(w, "cp:coreProperties");
  AT(w, "xmlns:cp", "http://schemas.openxmlformats.org/package/2006/metadata/core-properties");
  AT(w, "xmlns:dc", "http://purl.org/dc/elements/1.1/");
  AT(w, "xmlns:dcterms", "http://purl.org/dc/terms/");
  AT(w, "xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance");
  S_text_element(d->a, w, "dc:title", d->doc->title);
  S_text_element(d->a, w, "dc:creator", c->organisation);
  S_text_element(d->a, w, "cp:lastModifiedBy", c->organisation);
  S_text_element(d->a, w, "dc:identifier", c->number);
  S_text_element(d->a, w, "cp:version", c->version);
  S_text_element(d->a, w, "cp:contentStatus", c->status);
  S_text_element(d->a, w, "cp:category", c->classification);
  static const char *const dates[] = {"dcterms:created", "dcterms:modified"};
  for (int i = 0; i < 2; i++) {
    EL(w, dates[i]);
    AT(w, "xsi:type", "dcterms:W3CDTF");
    TEXT(w, when);
    END(w);
  }
  END(w);
  return opc_writer_done(&wr);
}

static xmlBufferPtr S_app_part(Docx *d) {
  OpcWriter wr = opc_writer_new();
  XmlOut *w = wr.w;
  EL(w, "Properties");
  AT(w, "xmlns", "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties");
  S_text_element(d->a, w, "Application", "ismsc " ISMSC_VERSION);
  S_text_element(d->a, w, "Company", d->doc->control.organisation);
  END(w);
  return opc_writer_done(&wr);
}

/* Custom properties, so a reference DOCX's own header can show them with DOCPROPERTY
 * fields (docs/docx.md). */
static xmlBufferPtr S_custom_part(Docx *d) {
  const DocControl *c = &d->doc->control;
  char date[11];
  date_format(&d->ctx->date, date);
  const char *props[][2] = {{"Organisation", c->organisation},
                            {"DocumentId", c->id},
                            {"DocumentNumber", c->number},
                            {"Version", c->version},
                            {"Owner", c->owner},
                            {"ApprovedBy", c->approver},
                            {"ApprovedOn", c->approved_date},
                            {"NextReview", c->next_review},
                            {"Classification", c->classification},
                            {"Status", c->status},
                            {"Issued", date},
                            {"Revision", c->revision},
                            {"SourceRevision", revision_text(d->a, d->ctx->revision)}};
  OpcWriter wr = opc_writer_new();
  XmlOut *w = wr.w;
  EL(w, "Properties");
  AT(w, "xmlns", "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties");
  AT(w, "xmlns:vt", "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes");
  int pid = 2; /* 0 and 1 are reserved */
  for (size_t i = 0; i < sizeof props / sizeof props[0]; i++) {
    if (!props[i][1])
      continue;
    EL(w, "property");
    AT(w, "fmtid", "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}");
    wml_attr_long(w, "pid", pid++);
    AT(w, "name", props[i][0]);
    S_text_element(d->a, w, "vt:lpwstr", props[i][1]);
    if (!*props[i][1]) {
      EL(w, "vt:lpwstr");
      END(w);
    }
    END(w);
  }
  END(w);
  return opc_writer_done(&wr);
}

static bool S_write(const EmitContext *ctx, const DocxKit *kit, const Document *doc,
                    const OutFile *out) {
  Arena a;
  arena_init(&a);
  Docx d = {.ctx = ctx, .kit = kit, .doc = doc, .a = &a};
  hashmap_init(&d.link_index);
  hashmap_init(&d.record_links);
  hashmap_init(&d.anchors);
  hashmap_init(&d.widths);
  d.landscape = doc_landscape(doc);
  Page page = S_page(&d);
  d.text_width = page.width - page.left - page.right;
  S_collect_anchors(&d, doc->body);

  xmlBufferPtr mine[16];
  size_t nmine = 0;
  OpcPart parts[16 + MAX_EXTRA_PARTS];
  size_t n = 1; /* [Content_Types].xml goes first, written last */
#define OWN(buf) (mine[nmine++] = (buf))
  xmlBufferPtr body = S_document_part(&d, out->buffer);
  if (!out->buffer)
    OWN(body);
  parts[n++] = opc_part("_rels/.rels", NULL, OWN(S_package_rels()));
  parts[n++] =
      opc_part("docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml",
               OWN(S_core_part(&d)));
  parts[n++] = opc_part("docProps/app.xml",
                        "application/vnd.openxmlformats-officedocument.extended-properties+xml",
                        OWN(S_app_part(&d)));
  parts[n++] = opc_part("docProps/custom.xml",
                        "application/vnd.openxmlformats-officedocument.custom-properties+xml",
                        OWN(S_custom_part(&d)));
  parts[n++] = opc_part("word/document.xml", CT_WML "document.main+xml", body);
  parts[n++] = opc_part("word/_rels/document.xml.rels", NULL, OWN(S_document_rels(&d)));
  parts[n++] = opc_part("word/styles.xml", CT_WML "styles+xml", kit->styles);
  parts[n++] = opc_part("word/numbering.xml", CT_WML "numbering+xml", OWN(docx_numbering_part(&d)));
  parts[n++] = opc_part("word/settings.xml", CT_WML "settings+xml", kit->settings);
  parts[n++] = opc_part("word/fontTable.xml", CT_WML "fontTable+xml", kit->fonts);
  parts[n++] = opc_part("word/theme/theme1.xml",
                        "application/vnd.openxmlformats-officedocument.theme+xml", kit->theme);
  parts[n++] = opc_part("word/header1.xml", CT_WML "header+xml",
                        kit->header ? kit->header : OWN(S_header_part(&d)));
  if (kit->header && kit->header_rels)
    parts[n++] = opc_part("word/_rels/header1.xml.rels", NULL, kit->header_rels);
  parts[n++] = opc_part("word/footer1.xml", CT_WML "footer+xml",
                        kit->footer ? kit->footer : OWN(S_footer_part(&d)));
  if (kit->footer && kit->footer_rels)
    parts[n++] = opc_part("word/_rels/footer1.xml.rels", NULL, kit->footer_rels);
  for (size_t i = 0; i < kit->nextra; i++) {
    bool dup = false; /* header and footer may share a logo */
    for (size_t j = 0; j < i; j++)
      dup = dup || strcmp(kit->extra[i].name, kit->extra[j].name) == 0;
    if (!dup)
      parts[n++] = kit->extra[i];
  }
  parts[0] = opc_part("[Content_Types].xml", NULL,
                      OWN(opc_content_types(kit->defaults, kit->ndefaults, parts + 1, n - 1)));
#undef OWN
  bool ok = opc_zip(out, parts, n, &ctx->date, &kit->pack);
  for (size_t i = 0; i < nmine; i++)
    xmlBufferFree(mine[i]);
  arena_free(&a);
  return ok;
}

bool emit_docx_document(const EmitContext *ctx, const Document *doc, const char *path) {
  DocxKit *kit = emit_docx_kit_new(ctx);
  bool ok = kit && S_write(ctx, kit, doc, &(OutFile){path, NULL, NULL, NULL});
  emit_docx_kit_free(kit);
  return ok;
}

static bool S_open(const EmitContext *ctx, void **state) {
  opc_init();
  return (*state = emit_docx_kit_new(ctx)) != NULL;
}

static bool S_render(const EmitContext *ctx, const void *state, const Document *doc,
                     const OutFile *out) {
  return S_write(ctx, state, doc, out);
}

static void S_close(void *state) { emit_docx_kit_free(state); }

const Renderer emit_docx_renderer = {"docx", ".docx", DOC_DOCX, S_open, S_render, S_close};
