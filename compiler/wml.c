/* wml.c - WordprocessingML primitives: runs, fields, links, bookmarks, paragraphs, lists
 * and tables, written through the document's XmlOut (xml_out.h); see docx.h. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "docx.h"
#include "nobreak.h"
#include "text.h"

/* <name w:val="value"/> */
void wml_val(XmlOut *w, const char *name, const char *value) {
  EL(w, name);
  AT(w, "w:val", value);
  END(w);
}

void wml_empty(XmlOut *w, const char *name) {
  EL(w, name);
  END(w);
}

void wml_attr_long(XmlOut *w, const char *name, long v) {
  char buf[XO_LONG_SIZE];
  AT(w, name, xo_format_long(buf, v));
}

/* A Word bookmark name: letters, digits and '_', at most 40 characters, unique per anchor. */
const char *wml_bookmark_name(Arena *a, const char *anchor) {
  uint32_t h = 2166136261u;
  for (const char *p = anchor; *p; p++)
    h = (h ^ (unsigned char)*p) * 16777619u;
  /* "r%08x_%s" of the hash and the anchor's first 30 characters made safe (40 in all, the
   * most Word keeps), written here rather than formatted: a register has a bookmark for
   * each row. */
  enum { CLEAN_MAX = 30, HEX = 8 };
  char name[1 + HEX + 1 + CLEAN_MAX];
  size_t n = 0;
  name[n++] = 'r';
  for (int shift = 4 * (HEX - 1); shift >= 0; shift -= 4)
    name[n++] = "0123456789abcdef"[(h >> shift) & 0xF];
  name[n++] = '_';
  for (const char *p = anchor; *p && n < sizeof name; p++) {
    char c = *p;
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    name[n++] = ok ? c : '_';
  }
  return arena_strndup(a, name, n);
}

void wml_bookmark(Docx *d, const char *anchor) {
  const char *name = anchor ? hashmap_get(&d->anchors, anchor) : NULL;
  if (!name)
    return;
  EL(d->w, "w:bookmarkStart");
  wml_attr_long(d->w, "w:id", d->bookmark);
  AT(d->w, "w:name", name);
  END(d->w);
  EL(d->w, "w:bookmarkEnd");
  wml_attr_long(d->w, "w:id", d->bookmark);
  END(d->w);
  d->bookmark++;
}

/* ---------------------------------------------------------------- runs */

static void S_rpr(Docx *d) {
  const char *style = d->code         ? docx_style(d, ST_CODE_CHAR)
                      : d->link       ? docx_style(d, ST_HYPERLINK)
                      : d->badge_fill ? docx_style(d, ST_BADGE)
                                      : NULL;
  if (!style && !d->bold && !d->italic && !d->strike)
    return;
  EL(d->w, "w:rPr");
  if (style)
    wml_val(d->w, "w:rStyle", style);
  if (d->bold)
    wml_empty(d->w, "w:b");
  if (d->italic)
    wml_empty(d->w, "w:i");
  if (d->strike)
    wml_empty(d->w, "w:strike");
  if (d->badge_ink) /* before w:shd: CT_RPr's order */
    wml_val(d->w, "w:color", d->badge_ink);
  if (d->badge_fill) {
    EL(d->w, "w:shd");
    AT(d->w, "w:val", "clear");
    AT(d->w, "w:color", "auto");
    AT(d->w, "w:fill", d->badge_fill);
    END(d->w);
  }
  END(d->w);
}

/* Does Word need xml:space="preserve" to keep the spaces of this text? Without it, a
 * consumer may drop spaces at either end and fold runs of them (python-docx and Word write it
 * only then, too). Most runs need none: 12% of a register's document.xml was that attribute. */
static bool S_needs_preserve(const char *s) {
  size_t n = strlen(s);
  if (!n)
    return false;
  if (s[0] == ' ' || s[n - 1] == ' ' || strpbrk(s, "\t\n\r"))
    return true;
  return strstr(s, "  ") != NULL;
}

void wml_t(XmlOut *w, const char *text) {
  EL(w, "w:t");
  if (S_needs_preserve(text))
    AT(w, "xml:space", "preserve");
  TEXT(w, text);
  END(w);
}

/* One w:t of text[0, n). The hyphens of ids and dates (nobreak.h) are w:noBreakHyphen, as
 * Word's own Ctrl+Shift+- writes them: "T-" / "014" never ends a line. Most text has no
 * hyphen and is one w:t, written as it is. */
static void S_text(Docx *d, const char *p, size_t n, bool whole) {
  size_t at, len;
  while (n && nobreak_find(p, n, &at, &len)) {
    size_t upto = at + len;
    for (size_t i = 0; i < upto;) {
      size_t piece = i < at ? at - i : strcspn(p + i, "-");
      if (piece > upto - i)
        piece = upto - i;
      if (piece) {
        wml_t(d->w, arena_strndup(d->a, p + i, piece));
        i += piece;
      } else { /* a hyphen inside the word */
        wml_empty(d->w, "w:noBreakHyphen");
        i++;
      }
    }
    p += upto;
    n -= upto;
    whole = false;
  }
  if (!n)
    return;
  wml_t(d->w, whole ? p : arena_strndup(d->a, p, n));
}

/* Text as one run: tabs become w:tab, line ends w:br. */
void wml_run(Docx *d, const char *text) {
  if (!text || !*text)
    return;
  text = text_clean_arena(d->a, text);
  EL(d->w, "w:r");
  S_rpr(d);
  const char *p = text;
  while (*p) {
    size_t n = strcspn(p, "\t\n\r");
    if (n) /* most text is one piece: written as it is, not copied or formatted */
      S_text(d, p, n, !p[n]);
    p += n;
    if (*p == '\t')
      wml_empty(d->w, "w:tab");
    else if (*p == '\n')
      wml_empty(d->w, "w:br");
    if (*p)
      p++;
  }
  END(d->w);
}

void wml_break(Docx *d) {
  EL(d->w, "w:r");
  wml_empty(d->w, "w:br");
  END(d->w);
}

/* A field (PAGE, NUMPAGES) as Word writes it: begin, instruction, separate, result, end. */
void wml_field(XmlOut *w, const char *instr, const char *placeholder) {
  static const char *const parts[] = {"begin", NULL, "separate", NULL, "end"};
  for (int i = 0; i < 5; i++) {
    EL(w, "w:r");
    if (i == 1) {
      EL(w, "w:instrText");
      AT(w, "xml:space", "preserve");
      TEXT(w, instr);
      END(w);
    } else if (i == 3) {
      EL(w, "w:t");
      TEXT(w, placeholder);
      END(w);
    } else {
      EL(w, "w:fldChar");
      AT(w, "w:fldCharType", parts[i]);
      END(w);
    }
    END(w);
  }
}

/* ---------------------------------------------------------------- links */

/* An external target's relationship id; the same target shares one, made once. */
static const char *S_link_rid(Docx *d, const char *target) {
  target = text_clean_arena(d->a, target);
  const char *rid = hashmap_get(&d->link_index, target);
  if (rid)
    return rid;
  target = arena_strdup(d->a, target); /* kept past the cmark tree it may come from */
  ptrvec_push(d->a, &d->links, (void *)target);
  char digits[XO_LONG_SIZE];
  rid = arena_concat(d->a, "rId", xo_format_long(digits, RID_FIRST_LINK + (long)d->links.len - 1),
                     NULL);
  hashmap_put(d->a, &d->link_index, target, (void *)rid);
  return rid;
}

/* Where a record is shown in the DOCX set, from this document: "policies/POL-1.docx",
 * "../soa.docx", "POL-2.docx" between two policies; NULL when no DOCX document shows it (the
 * risk register is HTML only) or it is this one. */
static const char *S_record_docx(Docx *d, const Record *r) {
  DocRoute route;
  if (!doc_route(d->doc, r, DOC_DOCX, &route) || route.here)
    return NULL;
  if (!route.folder)
    return arena_concat(d->a, route.up, route.file, ".docx", NULL);
  if (d->doc->nested && strcmp(d->doc->type->file, route.folder) == 0)
    return arena_concat(d->a, route.file, ".docx", NULL); /* a sibling in the same folder */
  return arena_concat(d->a, route.up, route.folder, "/", route.file, ".docx", NULL);
}

/* Where a link to a record goes from this document: its bookmark here, else the
 * relationship id of the DOCX that shows it, else nowhere. Worked out at the record's first
 * link and kept: a register links the same few records from thousands of rows, and each
 * link was a route, a path, a cleaning and three lookups. */
static const RecordLink *S_record_link(Docx *d, const Record *r) {
  RecordLink *l = hashmap_get(&d->record_links, r->id);
  if (l && l->record == r)
    return l;
  l = arena_alloc(d->a, sizeof *l);
  l->record = r;
  l->bookmark = hashmap_get(&d->anchors, r->id);
  if (!l->bookmark) {
    const char *target = S_record_docx(d, r);
    if (target)
      l->rid = S_link_rid(d, target);
  }
  hashmap_put(d->a, &d->record_links, r->id, l);
  return l;
}

/* Opens a w:hyperlink for a record (a bookmark in this document, else the DOCX that shows
 * it) or an external URL; false when the link stays text. */
bool wml_link_start(Docx *d, const Record *r, const char *href) {
  const char *bookmark = NULL, *rid = NULL;
  if (r) {
    const RecordLink *l = S_record_link(d, r);
    bookmark = l->bookmark;
    rid = l->rid;
  } else if (href && href[0] == '#') { /* a place in this document */
    bookmark = hashmap_get(&d->anchors, href + 1);
  } else if (href && (doc_safe_url(href) || !strchr(href, ':'))) {
    rid = S_link_rid(d, href); /* a web link, or a file beside the document (as in HTML) */
  }
  if (!bookmark && !rid)
    return false;
  EL(d->w, "w:hyperlink");
  if (rid)
    AT(d->w, "r:id", rid);
  else
    AT(d->w, "w:anchor", bookmark);
  AT(d->w, "w:history", "1");
  d->link++;
  return true;
}

void wml_link_end(Docx *d) {
  END(d->w);
  d->link--;
}

/* ---------------------------------------------------------------- paragraphs */

void wml_para_start(Docx *d, ParaProps pp) {
  EL(d->w, "w:p");
  /* Body text right under a table would touch it. */
  bool gap = d->last_table && !d->in_table && !pp.style;
  d->last_table = false;
  if (!pp.style && !pp.num_id && !pp.indent && !pp.jc && !pp.keep_next && !gap)
    return;
  EL(d->w, "w:pPr");
  if (pp.style)
    wml_val(d->w, "w:pStyle", pp.style);
  if (pp.keep_next)
    wml_empty(d->w, "w:keepNext");
  if (pp.num_id) {
    EL(d->w, "w:numPr");
    char buf[XO_LONG_SIZE];
    xo_format_long(buf, pp.level);
    wml_val(d->w, "w:ilvl", buf);
    xo_format_long(buf, pp.num_id);
    wml_val(d->w, "w:numId", buf);
    END(d->w);
  }
  if (gap) {
    EL(d->w, "w:spacing");
    AT(d->w, "w:before", "160");
    END(d->w);
  }
  if (pp.indent) {
    EL(d->w, "w:ind");
    wml_attr_long(d->w, "w:left", pp.indent);
    END(d->w);
  }
  if (pp.jc)
    wml_val(d->w, "w:jc", pp.jc);
  END(d->w);
}

void wml_para_end(Docx *d) { END(d->w); }

void wml_para_text(Docx *d, ParaProps pp, const char *text) {
  wml_para_start(d, pp);
  wml_run(d, text);
  wml_para_end(d);
}

/* A new list: its w:num restarts numbering at `start` on its level. Returns its numId. */
int wml_new_list(Docx *d, bool ordered, int level, int start) {
  NumDef *n = arena_alloc(d->a, sizeof *n);
  n->abstract = ordered ? d->kit->number_abstract : d->kit->bullet_abstract;
  n->level = level > 8 ? 8 : level;
  n->start = ordered ? (start > 0 ? start : 1) : 0;
  ptrvec_push(d->a, &d->nums, n);
  return d->kit->first_num_id + (int)d->nums.len - 1;
}

int wml_list_level(int depth) { return depth > 8 ? 8 : depth; }

/* ---------------------------------------------------------------- tables */

/* Column widths from what the columns hold: each column gets room for its longest word
 * (capped at 18 characters), then the rest of the width goes by the amount of text. When
 * the longest words do not all fit (the risk register's 14 columns), the cap comes down
 * until they do, so only the columns with the longest words (prose, lists of ids) give way
 * and a short word ("Likelihood", "R-003") is never broken; only when even that fails are
 * all columns scaled down alike. Tables this dense get narrow cell margins, too. */
enum { WORD_CAP = 18, CHAR_TWIPS = 105, DENSE_COLUMNS = 10 };

bool wml_table_dense(const Table *t) { return t->ncols >= DENSE_COLUMNS; }

static long S_column_min(const Table *t, size_t word, size_t cap) {
  long margins = wml_table_dense(t) ? 2 * WML_DENSE_MARGIN + 30 : 230;
  return (long)(word > cap ? cap : word) * CHAR_TWIPS + margins;
}

static long S_mins_sum(const Table *t, const size_t *word, size_t cap) {
  long sum = 0;
  for (int c = 0; c < t->ncols; c++)
    sum += S_column_min(t, word[c], cap);
  return sum;
}

void wml_table_widths(Docx *d, Table *t, const size_t *text, const size_t *word) {
  long total = d->text_width, weight_sum = 0;
  size_t cap = WORD_CAP;
  while (cap > 1 && S_mins_sum(t, word, cap) > total)
    cap--;
  long min_sum = S_mins_sum(t, word, cap);
  long *mins = arena_alloc(d->a, sizeof *mins * (size_t)t->ncols);
  long *weights = arena_alloc(d->a, sizeof *weights * (size_t)t->ncols);
  for (int c = 0; c < t->ncols; c++) {
    mins[c] = S_column_min(t, word[c], cap);
    size_t len = text[c] > 160 ? 160 : text[c];
    weights[c] = (long)len + 2;
    weight_sum += weights[c];
  }
  t->widths = arena_alloc(d->a, sizeof *t->widths * (size_t)t->ncols);
  long left = total - min_sum, used = 0;
  for (int c = 0; c < t->ncols; c++) {
    if (left > 0)
      t->widths[c] = mins[c] + left * weights[c] / weight_sum;
    else
      t->widths[c] = total * mins[c] / (min_sum ? min_sum : 1);
    used += t->widths[c];
  }
  t->widths[t->ncols - 1] += total - used; /* rounding */
}

void wml_table_start(Docx *d, const Table *t) {
  if (d->last_table) /* two tables in a row would merge into one in Word */
    wml_para_text(d, (ParaProps){.style = NULL}, "");
  d->in_table++;
  EL(d->w, "w:tbl");
  EL(d->w, "w:tblPr");
  wml_val(d->w, "w:tblStyle", docx_style(d, ST_TABLE_GRID));
  EL(d->w, "w:tblW");
  wml_attr_long(d->w, "w:w", d->text_width);
  AT(d->w, "w:type", "dxa");
  END(d->w);
  EL(d->w, "w:tblLayout");
  AT(d->w, "w:type", "fixed");
  END(d->w);
  if (wml_table_dense(t)) {
    EL(d->w, "w:tblCellMar");
    static const char *const sides[] = {"w:left", "w:right"};
    for (int i = 0; i < 2; i++) {
      EL(d->w, sides[i]);
      wml_attr_long(d->w, "w:w", WML_DENSE_MARGIN);
      AT(d->w, "w:type", "dxa");
      END(d->w);
    }
    END(d->w);
  }
  EL(d->w, "w:tblLook");
  AT(d->w, "w:val", "04A0");
  END(d->w);
  if (t->caption)
    wml_val(d->w, "w:tblCaption", t->caption);
  if (t->description)
    wml_val(d->w, "w:tblDescription", t->description);
  END(d->w);
  EL(d->w, "w:tblGrid");
  for (int c = 0; c < t->ncols; c++) {
    EL(d->w, "w:gridCol");
    wml_attr_long(d->w, "w:w", t->widths[c]);
    END(d->w);
  }
  END(d->w);
}

void wml_table_end(Docx *d) {
  END(d->w);
  d->in_table--;
  d->last_table = true;
}

void wml_row_start(Docx *d, bool header) {
  EL(d->w, "w:tr");
  EL(d->w, "w:trPr");
  wml_empty(d->w, "w:cantSplit");
  if (header)
    wml_empty(d->w, "w:tblHeader");
  END(d->w);
}

void wml_cell_start(Docx *d, long width, const char *fill) {
  wml_cell_start_edges(d, width, fill, 0);
}

void wml_cell_start_edges(Docx *d, long width, const char *fill, unsigned edges) {
  EL(d->w, "w:tc");
  EL(d->w, "w:tcPr");
  EL(d->w, "w:tcW");
  wml_attr_long(d->w, "w:w", width);
  AT(d->w, "w:type", "dxa");
  END(d->w);
  if (edges) { /* w:tcBorders comes before w:shd in w:tcPr (wml.xsd's sequence) */
    static const struct {
      unsigned bit;
      const char *name;
    } sides[] = {{WML_EDGE_TOP, "w:top"},
                 {WML_EDGE_LEFT, "w:left"},
                 {WML_EDGE_BOTTOM, "w:bottom"},
                 {WML_EDGE_RIGHT, "w:right"}};
    EL(d->w, "w:tcBorders");
    for (size_t i = 0; i < sizeof sides / sizeof sides[0]; i++) {
      if (!(edges & sides[i].bit))
        continue;
      EL(d->w, sides[i].name);
      AT(d->w, "w:val", "single");
      AT(d->w, "w:sz", "24"); /* eighths of a point: 3 pt */
      AT(d->w, "w:space", "0");
      AT(d->w, "w:color", "1D2430");
      END(d->w);
    }
    END(d->w);
  }
  if (fill) {
    EL(d->w, "w:shd");
    AT(d->w, "w:val", "clear");
    AT(d->w, "w:color", "auto");
    AT(d->w, "w:fill", fill);
    END(d->w);
  }
  END(d->w);
}
