/* emit_html.c - render a Document as a self-contained HTML5 page.
 *
 * One switch over DocKind (S_node), as cmark's renderers do. All markup is written through
 * html_out.c: libxml2 escapes every text and attribute, after the code
 * points HTML forbids are dropped; Markdown bodies are rendered by
 * cmark-gfm after markdown.c has made raw HTML visible text. The page is the
 * layout template (built in, or templates/layout.html of the tree) with its {{slots}}
 * filled; the stylesheet is inlined, so a page needs nothing but itself: it works offline,
 * on an auditor's laptop, and in print.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include <cmark-gfm-extension_api.h>

#include "html_out.h"
#include "markdown.h"
#include "nobreak.h"
#include "text.h"

typedef struct Html {
  HtmlOut *o;
  const EmitContext *ctx;
  const Document *doc;
  Arena *a;
  bool nested; /* the page is in a folder (policies/): links climb one level */
} Html;

#define START(h, tag) hout_start((h)->o, (tag))
#define END(h)        hout_end((h)->o) /* <td></td>, never <td/> */
#define ATTR(h, k, v) hout_attr((h)->o, (k), (v))
#define TEXT(h, s)    hout_text((h)->o, (s))

/* From this page to a site path ("soa.html#A.5.1"): pages under policies/ climb one level. */
static const char *S_relative(Html *h, const char *site_path) {
  return h->nested ? arena_concat(h->a, "../", site_path, NULL) : site_path;
}

/* A link's href, as doc_route says where the record lives: "soa.html#A.5.1",
 * "../policies/POL-ISP.html". Written in pieces rather than formatted: a large tree's pages
 * have hundreds of thousands of record links. False when no page shows the record. */
static bool S_record_href(Html *h, const Record *r) {
  DocRoute route;
  if (!doc_route(h->doc, r, DOC_HTML, &route))
    return false;
  hout_attr_begin(h->o, "href");
  hout_attr_part(h->o, route.up);
  if (route.folder) {
    hout_attr_part(h->o, route.folder);
    hout_attr_part(h->o, "/");
  }
  hout_attr_part(h->o, route.file);
  hout_attr_part(h->o, ".html");
  if (route.anchor) {
    hout_attr_part(h->o, "#");
    hout_attr_part(h->o, route.anchor);
  }
  hout_attr_end(h->o);
  return true;
}

/* The same href as a string, for links inside Markdown bodies. */
static const char *S_record_url(Html *h, const Record *r) {
  DocRoute route;
  if (!doc_route(h->doc, r, DOC_HTML, &route))
    return NULL;
  return arena_concat(h->a, route.up, route.folder ? route.folder : "", route.folder ? "/" : "",
                      route.file, ".html", route.anchor ? "#" : "",
                      route.anchor ? route.anchor : "", NULL);
}

static void S_node(Html *h, const DocNode *n);
static void S_control_block(Html *h);
static void S_downloads(Html *h);

/* Text, its ids and dates (nobreak.h) each in a <span class="id">, which does not break at
 * its hyphens ("T-" / "014", "2026-03-" / "18"); the DOCX writes the same words'
 * hyphens as non-breaking. Most text has no hyphen and is written in one piece. */
static void S_text(Html *h, const char *s) {
  size_t n = strlen(s), at, len;
  while (nobreak_find(s, n, &at, &len)) {
    if (at)
      TEXT(h, arena_strndup(h->a, s, at));
    START(h, "span");
    ATTR(h, "class", "id");
    TEXT(h, arena_strndup(h->a, s + at, len));
    END(h);
    s += at + len;
    n -= at + len;
  }
  if (n)
    TEXT(h, s);
}

static void S_children(Html *h, const DocNode *n) {
  for (const DocNode *c = n->first; c; c = c->next)
    S_node(h, c);
}

/* cmark-gfm writes a task list's box as a bare <input type="checkbox" disabled="" />, which
 * a screen reader announces as an unlabelled form field (axe: "label", critical): each box
 * gets an aria-label saying its state. The markup is cmark-gfm's own, so the one string it
 * writes is what is looked for; a body without task lists is written as it is. */
static const char *S_label_checkboxes(Html *h, const char *html) {
  static const char box[] = "<input type=\"checkbox\" ", done[] = "aria-label=\"done\" ",
                    todo[] = "aria-label=\"not done\" ";
  size_t boxes = 0;
  for (const char *p = html; (p = strstr(p, box)) != NULL; p += sizeof box - 1)
    boxes++;
  if (!boxes)
    return html;
  char *out = arena_alloc(h->a, strlen(html) + boxes * (sizeof todo - 1) + 1), *o = out;
  for (const char *p; (p = strstr(html, box)) != NULL; html = p + sizeof box - 1) {
    const char *label = strncmp(p + sizeof box - 1, "checked=", 8) == 0 ? done : todo;
    size_t lead = (size_t)(p - html) + sizeof box - 1;
    memcpy(o, html, lead);
    o += lead;
    memcpy(o, label, strlen(label));
    o += strlen(label);
  }
  strcpy(o, html);
  return out;
}

static void S_markdown(Html *h, const DocNode *n) {
  const MdDoc *md = n->markdown;
  /* Links to records point into the site, relative to this page; headings of the body nest
   * under the section that holds it. Both are set from what the node keeps (markdown.h), so
   * this page's values never depend on another page's or another format's. */
  cmark_iter *it = cmark_iter_new(md->root);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *node = cmark_iter_get_node(it);
    if (ev != CMARK_EVENT_ENTER)
      continue;
    const Record *r;
    if (cmark_node_get_type(node) == CMARK_NODE_LINK && (r = md_link_record(node)) != NULL) {
      const char *href = S_record_url(h, r);
      if (href)
        cmark_node_set_url(node, href);
    } else if (cmark_node_get_type(node) == CMARK_NODE_HEADING) {
      int level = md_heading_level(node) + n->level;
      cmark_node_set_heading_level(node, level > 6 ? 6 : level);
    }
  }
  cmark_iter_free(it);
  /* Column alignment as style="text-align: ..." : HTML5 made the align attribute obsolete. */
  int options = CMARK_OPT_DEFAULT | CMARK_OPT_TABLE_PREFER_STYLE_ATTRIBUTES |
                (h->ctx->unsafe_html ? CMARK_OPT_UNSAFE : 0);
  char *html = cmark_render_html(md->root, options, cmark_parser_get_syntax_extensions(md->parser));
  START(h, "div");
  ATTR(h, "class", "markdown");
  hout_markup(h->o, S_label_checkboxes(h, html));
  END(h);
  free(html);
}

/* ---------------------------------------------------------------- heat map (inline SVG) */

/* name="v" for a whole number, its digits from xo_format_long rather than arena_printf: the
 * charts write a few for each point and cell. */
static void S_attr_int(Html *h, const char *name, long v) {
  char digits[XO_LONG_SIZE];
  ATTR(h, name, xo_format_long(digits, v));
}

static void S_svg_text(Html *h, int x, int y, const char *anchor, const char *cls,
                       const char *text) {
  START(h, "text");
  S_attr_int(h, "x", x);
  S_attr_int(h, "y", y);
  ATTR(h, "text-anchor", anchor);
  if (cls)
    ATTR(h, "class", cls);
  TEXT(h, text);
  END(h);
}

/* The acceptance threshold as an outline round the cells that score at most accept_max:
 * a staircase from the top of the first column's cells within it, column by column, down
 * to the grid's bottom-left corner. */
static void S_appetite(Html *h, const HeatMap *hm, int left, int top, int cell) {
  if (hm->accept_max < 1)
    return;
  int bottom = top + hm->nlikelihood * cell;
  const char *d = arena_printf(h->a, "M%d %d", left, bottom);
  for (int i = 1; i <= hm->nimpact; i++) {
    long within = hm->accept_max / i;
    int rows = within > hm->nlikelihood ? hm->nlikelihood : (int)within;
    int y = bottom - rows * cell;
    d = arena_printf(h->a, "%s V%d H%d", d, y, left + i * cell);
  }
  START(h, "path");
  ATTR(h, "class", "appetite");
  ATTR(h, "d", arena_printf(h->a, "%s V%d Z", d, bottom));
  END(h);
}

static void S_heatmap(Html *h, const DocNode *n) {
  const HeatMap *hm = n->heatmap;
  enum { CELL = 56, LEFT = 118, TOP = 8, BOTTOM = 70 };
  int width = LEFT + hm->nimpact * CELL + 8, height = TOP + hm->nlikelihood * CELL + BOTTOM;
  const char *which = n->anchor;
  START(h, "figure");
  ATTR(h, "class", "heatmap");
  ATTR(h, "id", arena_printf(h->a, "heatmap-%s", which));
  START(h, "figcaption");
  TEXT(h, hm->title);
  END(h);
  START(h, "svg");
  ATTR(h, "xmlns", "http://www.w3.org/2000/svg");
  ATTR(h, "viewBox", arena_printf(h->a, "0 0 %d %d", width, height));
  S_attr_int(h, "width", width);
  S_attr_int(h, "height", height);
  /* A group, not an img: an img's children are hidden from screen readers, and the cells'
   * links must be reachable; each link says what it holds ("1 risk", "3 risks"). */
  ATTR(h, "role", "group");
  ATTR(h, "aria-label", arena_printf(h->a, "%s: likelihood (rows) by impact (columns)", hm->title));
  for (int l = hm->nlikelihood; l >= 1; l--) {
    int y = TOP + (hm->nlikelihood - l) * CELL;
    S_svg_text(h, LEFT - 6, y + CELL / 2 + 4, "end", "axis",
               hm->likelihood ? hm->likelihood[l - 1] : arena_printf(h->a, "%d", l));
    for (int i = 1; i <= hm->nimpact; i++) {
      int x = LEFT + (i - 1) * CELL;
      size_t count = hm->cells[l - 1][i - 1].len;
      bool linked = count > 0 && !hm->scores;
      if (linked) {
        START(h, "a");
        ATTR(h, "href", S_relative(h, arena_printf(h->a, "risks.html#%s-%d-%d", which, l, i)));
        ATTR(h, "aria-label",
             arena_printf(h->a, "%s at likelihood %d, impact %d",
                          count_of(h->a, count, "risk", "risks"), l, i));
      }
      START(h, "rect");
      S_attr_int(h, "x", x);
      S_attr_int(h, "y", y);
      S_attr_int(h, "width", CELL - 2);
      S_attr_int(h, "height", CELL - 2);
      hout_attr_begin(h->o, "fill");
      hout_attr_part(h->o, "#");
      hout_attr_part(h->o, doc_palette[hm->tones[l - 1][i - 1]].rgb);
      hout_attr_end(h->o);
      END(h);
      if (count || hm->scores) { /* its count (the matrix: its score) in its tone's ink */
        START(h, "text");
        S_attr_int(h, "x", x + CELL / 2 - 1);
        S_attr_int(h, "y", y + CELL / 2 + 6);
        ATTR(h, "text-anchor", "middle");
        ATTR(h, "class", "count");
        ATTR(h, "fill", arena_printf(h->a, "#%s", doc_palette[hm->tones[l - 1][i - 1]].ink));
        TEXT(h, hm->scores ? arena_printf(h->a, "%d", l * i) : arena_printf(h->a, "%zu", count));
        END(h);
      }
      if (linked)
        END(h);
    }
  }
  int base = TOP + hm->nlikelihood * CELL;
  for (int i = 1; i <= hm->nimpact; i++) {
    int x = LEFT + (i - 1) * CELL + CELL / 2;
    const char *label = hm->impact ? hm->impact[i - 1] : arena_printf(h->a, "%d", i);
    START(h, "text");
    ATTR(h, "class", "axis");
    ATTR(h, "text-anchor", "end");
    ATTR(h, "transform", arena_printf(h->a, "translate(%d,%d) rotate(-35)", x + 4, base + 14));
    TEXT(h, label);
    END(h);
  }
  S_svg_text(h, 4, 14, "start", "axis-title", "Likelihood");
  S_svg_text(h, width - 8, height - 4, "end", "axis-title", "Impact");
  S_appetite(h, hm, LEFT, TOP, CELL);
  END(h);           /* svg */
  S_children(h, n); /* the legend */
  END(h);           /* figure */
}

/* ---------------------------------------------------------------- trend chart (inline SVG) */

/* The chart's value range: the points and the target, and zero when all are positive (a
 * percentage read against its full height), so a flat series still has a height. */
static void S_trend_range(const TrendChart *c, double *lo, double *hi, const char **lo_label) {
  *lo = c->has_target ? c->target : c->points[0].value;
  *lo_label = c->has_target ? c->target_label : c->points[0].label;
  *hi = *lo;
  for (size_t i = 0; i < c->npoints; i++) {
    if (c->points[i].value < *lo) {
      *lo = c->points[i].value;
      *lo_label = c->points[i].label;
    }
    if (c->points[i].value > *hi)
      *hi = c->points[i].value;
  }
  if (*lo > 0) {
    *lo = 0;
    *lo_label = "0";
  }
  if (*hi <= *lo)
    *hi = *lo + 1;
}

static int S_round(double v) { return (int)(v < 0 ? v - 0.5 : v + 0.5); }

/* Which points get a date under the axis: all of a short series, else the first and every
 * few after it, and the last, but none of the few just before the last, whose date would
 * run into the last one's. */
static bool S_trend_tick(size_t i, size_t every, size_t npoints) {
  return (i % every == 0 && i + every < npoints) || i + 1 == npoints;
}

/* Whether every point can carry its value above it without two running into each other:
 * each pair of neighbours is further apart than half of each value (the first value, which
 * starts at its point, counts whole), at 8px a character of 11px digits, plus a gap. Else
 * only the points with a date carry one; the table beside the chart has them all. */
static bool S_trend_all_values(const TrendChart *c, int spacing) {
  for (size_t i = 0; i + 1 < c->npoints; i++) {
    int left = 8 * (int)strlen(c->points[i].label), right = 8 * (int)strlen(c->points[i + 1].label);
    if (spacing < (i == 0 ? left : left / 2) + right / 2 + 4)
      return false;
  }
  return true;
}

/* The target's key, under the dates: a piece of its dashed line, then what it is. It used to
 * sit on the line's right end, where the latest values, close to the target, ran over it. */
static void S_trend_key(Html *h, const TrendChart *c, int x, int y) {
  START(h, "line");
  ATTR(h, "class", "target");
  S_attr_int(h, "x1", x);
  S_attr_int(h, "x2", x + 22);
  S_attr_int(h, "y1", y - 4);
  S_attr_int(h, "y2", y - 4);
  END(h);
  S_svg_text(
      h, x + 28, y, "start", "axis",
      arena_concat(h->a, "target: ", c->at_most ? "at most " : "at least ", c->target_label, NULL));
}

static void S_trend(Html *h, const DocNode *n) {
  const TrendChart *c = n->trend;
  enum { W = 540, H = 240, LEFT = 56, RIGHT = 44, TOP = 26, BOTTOM = 44 };
  START(h, "div");
  ATTR(h, "class", "trend");
  if (n->anchor)
    ATTR(h, "id", n->anchor);
  START(h, "figure");
  ATTR(h, "class", "trend-chart");
  START(h, "figcaption");
  TEXT(h, c->title);
  END(h);
  double lo, hi;
  const char *lo_label;
  S_trend_range(c, &lo, &hi, &lo_label);
  int pw = W - LEFT - RIGHT, ph = H - TOP - BOTTOM;
#define TX(i)                                                                                      \
  (LEFT + (c->npoints > 1 ? S_round((double)(i)*pw / (double)(c->npoints - 1)) : pw / 2))
#define TY(v) (TOP + S_round((hi - (v)) / (hi - lo) * ph))
  START(h, "svg");
  ATTR(h, "xmlns", "http://www.w3.org/2000/svg");
  ATTR(h, "class", "trend-svg");
  ATTR(h, "viewBox", arena_printf(h->a, "0 0 %d %d", W, H));
  S_attr_int(h, "width", W);
  S_attr_int(h, "height", H);
  ATTR(h, "role", "img");
  ATTR(h, "aria-label",
       arena_printf(h->a, "%s: %s%s%s; the numbers are in the table beside it", c->title,
                    count_of(h->a, c->npoints, "measurement", "measurements"),
                    c->has_target ? ", target " : "", c->has_target ? c->target_label : ""));
  START(h, "rect"); /* the plot area */
  ATTR(h, "class", "plot");
  S_attr_int(h, "x", LEFT);
  S_attr_int(h, "y", TOP);
  S_attr_int(h, "width", pw);
  S_attr_int(h, "height", ph);
  END(h);
  /* The foot of the scale, unless the target's label sits on or just above it (a target of
   * 0, or close to the foot): the two would be drawn over each other */
  if (!c->has_target || TOP + ph - TY(c->target) >= 12)
    S_svg_text(h, LEFT - 6, TOP + ph + 4, "end", "axis", lo_label);
  if (c->has_target) {
    int y = TY(c->target);
    START(h, "line");
    ATTR(h, "class", "target");
    S_attr_int(h, "x1", LEFT);
    S_attr_int(h, "x2", LEFT + pw);
    S_attr_int(h, "y1", y);
    S_attr_int(h, "y2", y);
    END(h);
    S_svg_text(h, LEFT - 6, y + 4, "end", "axis-title", c->target_label);
    S_trend_key(h, c, LEFT, H - 6);
  }
  START(h, "polyline");
  ATTR(h, "class", "line");
  hout_attr_begin(h->o, "points");
  for (size_t i = 0; i < c->npoints; i++) { /* "x,y x,y ..." */
    char digits[XO_LONG_SIZE];
    if (i)
      hout_attr_part(h->o, " ");
    hout_attr_part(h->o, xo_format_long(digits, TX(i)));
    hout_attr_part(h->o, ",");
    hout_attr_part(h->o, xo_format_long(digits, TY(c->points[i].value)));
  }
  hout_attr_end(h->o);
  END(h);
  size_t every = c->npoints <= 6 ? 1 : (c->npoints + 4) / 5;
  bool all_values = S_trend_all_values(c, c->npoints > 1 ? pw / (int)(c->npoints - 1) : pw);
  for (size_t i = 0; i < c->npoints; i++) {
    const TrendPoint *p = &c->points[i];
    START(h, "circle");
    S_attr_int(h, "cx", TX(i));
    S_attr_int(h, "cy", TY(p->value));
    ATTR(h, "r", "5");
    hout_attr_begin(h->o, "fill");
    hout_attr_part(h->o, "#");
    hout_attr_part(h->o, doc_palette[p->tone].rgb);
    hout_attr_end(h->o);
    START(h, "title");
    TEXT(h, arena_concat(h->a, p->date, ": ", p->label, NULL));
    END(h);
    END(h);
    bool tick = S_trend_tick(i, every, c->npoints);
    /* The first value starts at its point rather than centred on it: centred, it reached
     * into the axis labels on the left. */
    bool first = i == 0 && c->npoints > 1;
    if (all_values || tick)
      S_svg_text(h, first ? TX(i) - 3 : TX(i), TY(p->value) - 9, first ? "start" : "middle",
                 "value", p->label);
    if (tick)
      S_svg_text(h, TX(i), TOP + ph + 18, "middle", "axis", p->date);
  }
#undef TX
#undef TY
  END(h);           /* svg */
  END(h);           /* figure */
  S_children(h, n); /* the numbers, beside the chart */
  END(h);           /* div */
}

/* ---------------------------------------------------------------- the switch */

static void S_table(Html *h, const DocNode *n) {
  if (doc_table_empty(n)) {
    START(h, "p");
    ATTR(h, "class", "none");
    TEXT(h, doc_table_none(h->a, n));
    END(h);
    return;
  }
  START(h, "div");
  ATTR(h, "class", "table-wrap");
  START(h, "table");
  if (n->cls)
    ATTR(h, "class", n->cls);
  if (n->text) {
    START(h, "caption");
    TEXT(h, n->text);
    END(h);
  }
  int row = 0;
  const DocNode *c = n->first;
  if (n->header_rows) {
    START(h, "thead");
    for (; c && row < n->header_rows; c = c->next, row++)
      S_node(h, c);
    END(h);
  }
  START(h, "tbody");
  for (; c; c = c->next)
    S_node(h, c);
  END(h);
  END(h);
  END(h);
}

static void S_node(Html *h, const DocNode *n) {
  static const char *const headings[] = {NULL, "h1", "h2", "h3", "h4"};
  switch (n->kind) {
  case DOC_SECTION:
    if (n->level == 0) {
      S_children(h, n);
      break;
    }
    START(h, "section");
    if (n->anchor)
      ATTR(h, "id", n->anchor);
    START(h, headings[n->level > 4 ? 4 : n->level < 1 ? 1 : n->level]); /* levels are 1..4 */
    TEXT(h, n->text);
    END(h);
    S_children(h, n);
    END(h);
    break;
  case DOC_PARA:
    START(h, "p");
    S_children(h, n);
    END(h);
    break;
  case DOC_TEXT: S_text(h, n->text); break;
  case DOC_STRONG:
    START(h, "strong");
    S_children(h, n);
    END(h);
    break;
  case DOC_LINK:
    if (n->record) {
      START(h, "a");
      S_record_href(h, n->record); /* every record has a page (doc_route) */
      /* A bare id ("POL-AUP") must not break at its hyphen in a narrow column. */
      if (n->first && n->first->kind == DOC_TEXT && strcmp(n->first->text, n->record->id) == 0) {
        ATTR(h, "class", "id");
        if (!n->first->next) { /* whole already: no span inside */
          TEXT(h, n->first->text);
          END(h);
          break;
        }
      }
    } else if (n->href && (doc_safe_url(n->href) || !strchr(n->href, ':'))) {
      START(h, "a");
      ATTR(h, "href", n->href);
    } else {
      START(h, "span"); /* a link we will not make live: its text only */
    }
    S_children(h, n);
    END(h);
    break;
  case DOC_BADGE:
    START(h, "span");
    hout_attr_begin(h->o, "class"); /* "badge level-high": one per score on the registers */
    hout_attr_part(h->o, "badge ");
    hout_attr_part(h->o, n->cls);
    hout_attr_end(h->o);
    TEXT(h, n->text);
    END(h);
    break;
  case DOC_LIST:
    START(h, n->ordered ? "ol" : "ul");
    S_children(h, n);
    END(h);
    break;
  case DOC_ITEM:
    START(h, "li");
    S_children(h, n);
    END(h);
    break;
  case DOC_TABLE: S_table(h, n); break;
  case DOC_ROW:
    START(h, "tr");
    if (n->anchor)
      ATTR(h, "id", n->anchor);
    if (n->cls)
      ATTR(h, "class", n->cls);
    for (const DocNode *c = n->first; c; c = c->next) {
      /* A row about a record starts with its id: that cell heads the row (for screen
       * readers), and the id does not break at its hyphen ("R-" / "001"). */
      const DocNode *t = c->first;
      if (c == n->first && n->anchor && !c->header && t && !t->next && t->kind == DOC_TEXT &&
          strcmp(t->text, n->anchor) == 0) {
        START(h, "th");
        ATTR(h, "scope", "row");
        ATTR(h, "class", "id");
        TEXT(h, t->text);
        END(h);
      } else {
        S_node(h, c);
      }
    }
    END(h);
    break;
  case DOC_CELL:
    START(h, n->header ? "th" : "td");
    if (n->header)
      ATTR(h, "scope", "col");
    if (n->numeric || n->value.type == VALUE_DATE) /* a date does not break at its hyphens */
      ATTR(h, "class",
           n->numeric && n->value.type == VALUE_DATE ? "num date"
           : n->numeric                              ? "num"
                                                     : "date");
    S_children(h, n);
    END(h);
    break;
  case DOC_MARKDOWN: S_markdown(h, n); break;
  case DOC_HEATMAP: S_heatmap(h, n); break;
  case DOC_TREND: S_trend(h, n); break;
  case DOC_FIGURES:
    START(h, "div");
    ATTR(h, "class", "figures");
    S_children(h, n);
    END(h);
    break;
  case DOC_FIGURE:
    START(h, "div");
    ATTR(h, "class", "figure");
    START(h, "span");
    ATTR(h, "class", "n");
    TEXT(h, n->text);
    END(h);
    START(h, "span");
    ATTR(h, "class", "label");
    TEXT(h, n->cls);
    END(h);
    END(h);
    break;
  case DOC_CONTROL:
    S_control_block(h);
    S_downloads(h);
    break;
  case DOC_NOTICE:
    START(h, "div");
    ATTR(h, "class", arena_concat(h->a, "notice ", n->cls ? n->cls : "", NULL));
    ATTR(h, "role", "note");
    S_children(h, n);
    END(h);
    break;
  }
}

/* ---------------------------------------------------------------- the page */

static void S_control_block(Html *h) {
  START(h, "table");
  ATTR(h, "class", "doc-control");
  START(h, "caption");
  TEXT(h, "Document control");
  END(h);
  START(h, "tbody");
  for (size_t i = 0; i < h->doc->nfields; i++) {
    START(h, "tr");
    START(h, "th");
    ATTR(h, "scope", "row");
    TEXT(h, h->doc->fields[i].key);
    END(h);
    START(h, "td");
    TEXT(h, h->doc->fields[i].value);
    END(h);
    END(h);
  }
  END(h);
  END(h);
}

/* "Download: Word (DOCX) · Excel (XLSX)", under the control block: the page's other formats
 * that this build writes (its registry row's, less those --only left out), beside it in the
 * same folder. */
static void S_downloads(Html *h) {
  static const struct {
    unsigned format;
    const char *extension, *label;
  } others[] = {{DOC_DOCX, ".docx", "Word (DOCX)"}, {DOC_XLSX, ".xlsx", "Excel (XLSX)"}};
  unsigned formats = h->doc->type->formats & h->ctx->built_formats;
  if (!(formats & (DOC_DOCX | DOC_XLSX)))
    return;
  const char *base = strrchr(h->doc->name, '/');
  base = base ? base + 1 : h->doc->name;
  START(h, "p");
  ATTR(h, "class", "downloads");
  TEXT(h, "Download: ");
  bool first = true;
  for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
    if (!(formats & others[i].format))
      continue;
    if (!first)
      TEXT(h, " · ");
    first = false;
    START(h, "a");
    ATTR(h, "href", arena_concat(h->a, base, others[i].extension, NULL));
    ATTR(h, "download", "");
    TEXT(h, others[i].label);
    END(h);
  }
  END(h);
}

/* The site's navigation: the registry's documents that have a nav label. */
static void S_nav(Html *h) {
  size_t n;
  const DocType *types = doc_types(&n);
  START(h, "ul");
  for (size_t i = 0; i < n; i++) {
    if (!types[i].nav)
      continue;
    START(h, "li");
    START(h, "a");
    ATTR(h, "href", S_relative(h, arena_concat(h->a, types[i].file, ".html", NULL)));
    if (h->doc->type == &types[i])
      ATTR(h, "aria-current", "page");
    TEXT(h, types[i].nav);
    END(h);
    END(h);
  }
  END(h);
}

/* ---------------------------------------------------------------- print: running header */

/* A CSS string literal of text: quoted, with '"', '\\' and control characters escaped, and
 * '<', '>' and '&' too, so that no text can close the <style> element it is written in. CSS
 * is not XML: libxml2 has no writer for it, and this is the whole of its string syntax. */
static const char *S_css_string(Arena *a, const char *text) {
  text = text_clean_arena(a, text); /* the code points no page may carry, as U+FFFD */
  size_t n = strlen(text);
  char *out = arena_alloc(a, n * 4 + 3), *o = out; /* an escape ("\\7f ") is 4 bytes */
  *o++ = '"';
  for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
    if (*p < 0x20 || *p == 0x7f || *p == '"' || *p == '\\' || *p == '<' || *p == '>' || *p == '&')
      o += sprintf(o, "\\%x ", *p);
    else
      *o++ = (char)*p;
  }
  *o++ = '"';
  *o = '\0';
  return out;
}

/* "A · B · C" of the pieces that are given (NULL or "" ones left out). */
static const char *S_joined(Arena *a, const char *const *pieces, size_t n) {
  const char *out = "";
  for (size_t i = 0; i < n; i++)
    if (pieces[i] && *pieces[i])
      out = *out ? arena_printf(a, "%s · %s", out, pieces[i]) : pieces[i];
  return out;
}

/* The page's own margin boxes when printed (CSS paged media, which Chromium has had since
 * 131): its number and title at the top left, version and classification at the top right,
 * the organisation at the bottom left; "Page N of M" and the boxes' look are style.css's.
 * The values are the document control block's, as the DOCX header's are, never worked out
 * here. A custom layout without {{print_header}} prints without them. */
static void S_print_header(Html *h) {
  const DocControl *c = &h->doc->control;
  const char *left[] = {c->number ? c->number : c->id, c->title ? c->title : h->doc->title};
  const char *version = c->version ? arena_printf(h->a, "Version %s", c->version) : NULL;
  const char *right[] = {version, c->classification};
  const char *css = arena_printf(h->a,
                                 "@page { @top-left { content: %s; } @top-right { content: %s; } "
                                 "@bottom-left { content: %s; } }",
                                 S_css_string(h->a, S_joined(h->a, left, 2)),
                                 S_css_string(h->a, S_joined(h->a, right, 2)),
                                 S_css_string(h->a, c->organisation ? c->organisation : ""));
  hout_raw(h->o, css, strlen(css));
}

/* What fills a {{slot}} of the layout. */
typedef enum SlotKind { SLOT_RAW, SLOT_TEXT, SLOT_NAV, SLOT_BODY, SLOT_PRINT_HEADER } SlotKind;

typedef struct Slot {
  const char *name;
  SlotKind kind;
  const char *value; /* SLOT_RAW: written as it is; SLOT_TEXT: escaped */
} Slot;

static void S_slot(Html *h, const Slot *slot) {
  switch (slot->kind) {
  case SLOT_RAW: hout_raw(h->o, slot->value, strlen(slot->value)); break;
  case SLOT_TEXT: hout_text(h->o, slot->value); break;
  case SLOT_NAV: S_nav(h); break;
  case SLOT_BODY: S_node(h, h->doc->body); break;
  case SLOT_PRINT_HEADER: S_print_header(h); break;
  }
}

/* Fills the layout's {{slots}}; unknown slots are left as they are. */
static void S_fill(Html *h, const char *layout, const Slot *slots, size_t nslots) {
  const char *p = layout;
  for (const char *open; (open = strstr(p, "{{")) != NULL;) {
    const char *close = strstr(open, "}}");
    if (!close)
      break;
    size_t len = (size_t)(close - open - 2);
    const Slot *slot = NULL;
    for (size_t i = 0; i < nslots && !slot; i++)
      if (strlen(slots[i].name) == len && strncmp(open + 2, slots[i].name, len) == 0)
        slot = &slots[i];
    hout_raw(h->o, p, (size_t)(open - p));
    if (slot)
      S_slot(h, slot);
    else
      hout_raw(h->o, open, (size_t)(close + 2 - open));
    p = close + 2;
  }
  hout_raw(h->o, p, strlen(p));
}

/* The stylesheet with its {{palette}} filled: two variables per tone ("--low: #cfe8c9;
 * --low-ink: #1d2430;"), so the page's colours are the SVG's and the DOCX's. The caller
 * frees it. */
static char *S_stylesheet(const char *css) {
  static const char slot[] = "{{palette}}";
  const char *at = strstr(css, slot);
  if (!at)
    return strdup(css);
  char vars[TONE_COUNT * 64] = "", *v = vars;
  for (int t = 0; t < TONE_COUNT; t++) /* the fill and its text: "--low: #..; --low-ink: #..;" */
    v += snprintf(v, sizeof vars - (size_t)(v - vars), "%s--%s: #%s; --%s-ink: #%s;", t ? " " : "",
                  doc_palette[t].name, doc_palette[t].rgb, doc_palette[t].name, doc_palette[t].ink);
  char *out;
  if (asprintf(&out, "%.*s%s%s", (int)(at - css), css, vars, at + strlen(slot)) < 0)
    abort();
  return out;
}

/* The page, added to buf. */
static bool S_page(const EmitContext *ctx, const char *css, const Document *doc, xmlBufferPtr buf) {
  Arena a;
  arena_init(&a);
  HtmlOut *o = malloc(sizeof *o);
  if (!o)
    abort();
  hout_init_buffer(o, buf);
  Html h = {o, ctx, doc, &a, doc->nested};
  const char *org = doc->control.organisation ? doc->control.organisation : "";
  const Slot slots[] = {
      {"lang", SLOT_RAW, "en"},
      {"title", SLOT_TEXT, doc->title},
      {"organisation", SLOT_TEXT, org},
      {"classification", SLOT_TEXT, doc->control.classification ? doc->control.classification : ""},
      {"css", SLOT_RAW, css},
      {"print_header", SLOT_PRINT_HEADER, NULL}, /* inside <style>: the printed page's boxes */
      {"page", SLOT_TEXT, doc->name},
      {"orientation", SLOT_RAW, doc_landscape(doc) ? "landscape" : "portrait"},
      {"draft", SLOT_RAW, ctx->draft ? "draft" : ""},
      {"nav", SLOT_NAV, NULL},
      {"control", SLOT_RAW, ""}, /* kept for custom layouts: the block is now in the content */
      {"content", SLOT_BODY, NULL},
      {"footer", SLOT_TEXT, doc->footer},
  };
  S_fill(&h, ctx->layout, slots, sizeof slots / sizeof slots[0]);
  bool ok = hout_finish(o);
  free(o);
  arena_free(&a);
  return ok;
}

bool emit_html_document(const EmitContext *ctx, const Document *doc, FILE *out) {
  char *css = S_stylesheet(ctx->css);
  OutBuffer page = {0};
  xmlBufferPtr buf = out_buffer_take(&page);
  bool ok = S_page(ctx, css, doc, buf);
  size_t len = (size_t)xmlBufferLength(buf);
  ok = ok && fwrite(xmlBufferContent(buf), 1, len, out) == len;
  out_buffer_free(&page);
  free(css);
  return ok;
}

static bool S_open(const EmitContext *ctx, void **state) {
  *state = S_stylesheet(ctx->css);
  return true;
}

/* The page is made in memory (the worker's kept buffer) and put with one write:
 * out_file_write keeps the previous set's page when the bytes are the same. */
static bool S_render(const EmitContext *ctx, const void *state, const Document *doc,
                     const OutFile *out) {
  OutBuffer own = {0};
  xmlBufferPtr buf = out_buffer_take(out->buffer ? out->buffer : &own);
  bool ok = S_page(ctx, state, doc, buf) &&
            out_file_write(out, xmlBufferContent(buf), (size_t)xmlBufferLength(buf));
  out_buffer_free(&own);
  return ok;
}

const Renderer emit_html_renderer = {"html", ".html", DOC_HTML, S_open, S_render, free};
