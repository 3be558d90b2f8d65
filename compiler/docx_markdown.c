/* docx_markdown.c - a record's Markdown body as WordprocessingML.
 *
 * cmark-gfm's tree is walked with its iterator and one switch over node types (S_md_enter,
 * S_md_exit), never recursively, so no input can nest deep enough to overflow the stack.
 * Lists and items nest without bound; their state lives in arrays grown on the arena.
 */
#include <cmark-gfm-core-extensions.h>
#include <stdint.h>
#include <string.h>

#include "docx.h"
#include "markdown.h"

/* ---------------------------------------------------------------- Markdown bodies */

/* State of the walk over a cmark-gfm tree. Lists and items nest without bound; their state
 * lives in arrays grown on the arena. */
typedef struct MdWalk {
  Docx *d;
  int heading_offset; /* a body's # is a heading one level below its section */
  int base_depth;     /* lists the body sits in (a body inside a DocNode list) */
  int depth;          /* open Markdown lists */
  int *num;           /* numId of each open list */
  bool *pending;      /* its current item has not placed its number yet */
  const char **task;  /* its current item's check box, or NULL */
  size_t cap;
  int quote;    /* open block quotes */
  bool *linked; /* per open link: was a w:hyperlink opened */
  size_t nlinks, link_cap;
  uint8_t *align; /* the open table's column alignments */
  int ncols, col;
  bool header_row;
  Table table;
} MdWalk;

static void S_md_grow(MdWalk *m) {
  if ((size_t)m->depth < m->cap)
    return;
  size_t cap = m->cap ? m->cap * 2 : 8;
  m->num = arena_grow(m->d->a, m->num, m->cap, cap, sizeof *m->num);
  m->pending = arena_grow(m->d->a, m->pending, m->cap, cap, sizeof *m->pending);
  m->task = arena_grow(m->d->a, m->task, m->cap, cap, sizeof *m->task);
  m->cap = cap;
}

static int S_md_level(MdWalk *m) { return wml_list_level(m->base_depth + m->depth - 1); }

/* Paragraph properties for a block starting now: the pending number of the current item,
 * else the indent of the list it continues, else a quote. */
static ParaProps S_md_props(MdWalk *m, const char *style) {
  ParaProps pp = {.style = style};
  if (m->depth > 0 && m->pending[m->depth - 1]) {
    pp.num_id = m->num[m->depth - 1];
    pp.level = S_md_level(m);
    if (!style)
      pp.style = docx_style(m->d, ST_LIST_PARAGRAPH);
  } else if (m->depth + m->base_depth > 0) {
    pp.indent = 454L * (S_md_level(m) + 1);
    if (!style)
      pp.style = docx_style(m->d, ST_LIST_PARAGRAPH);
  }
  if (!pp.style && m->quote)
    pp.style = docx_style(m->d, ST_QUOTE);
  return pp;
}

/* Starts a paragraph for the current block; the first one of an item carries its number
 * and check box. */
static void S_md_para(MdWalk *m, const char *style) {
  ParaProps pp = S_md_props(m, style);
  wml_para_start(m->d, pp);
  if (pp.num_id) {
    m->pending[m->depth - 1] = false;
    if (m->task[m->depth - 1])
      wml_run(m->d, m->task[m->depth - 1]);
  }
}

/* Before a block that cannot carry a list number (a table, a nested list): an empty
 * numbered paragraph, so the item still shows its number. */
static void S_md_flush_item(MdWalk *m) {
  if (m->depth > 0 && m->pending[m->depth - 1]) {
    S_md_para(m, NULL);
    wml_para_end(m->d);
  }
}

static size_t S_md_text_len(cmark_node *n, size_t *word) {
  size_t len = 0;
  cmark_iter *it = cmark_iter_new(n);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *c = cmark_iter_get_node(it);
    const char *lit = ev == CMARK_EVENT_ENTER ? cmark_node_get_literal(c) : NULL;
    if (!lit)
      continue;
    len += strlen(lit);
    size_t cur = 0;
    for (const char *p = lit; *p; p++) {
      cur = *p == ' ' ? 0 : cur + 1;
      if (cur > *word)
        *word = cur;
    }
  }
  cmark_iter_free(it);
  return len;
}

static void S_md_table_start(MdWalk *m, cmark_node *table) {
  Docx *d = m->d;
  S_md_flush_item(m);
  m->ncols = cmark_gfm_extensions_get_table_columns(table);
  if (m->ncols < 1)
    m->ncols = 1;
  m->align = cmark_gfm_extensions_get_table_alignments(table);
  size_t *text = arena_alloc(d->a, sizeof *text * (size_t)m->ncols);
  size_t *word = arena_alloc(d->a, sizeof *word * (size_t)m->ncols);
  for (cmark_node *row = cmark_node_first_child(table); row; row = cmark_node_next(row)) {
    int col = 0;
    for (cmark_node *c = cmark_node_first_child(row); c && col < m->ncols;
         c = cmark_node_next(c), col++) {
      size_t w = 0, len = S_md_text_len(c, &w);
      if (len > text[col])
        text[col] = len;
      if (w > word[col])
        word[col] = w;
    }
  }
  m->table.ncols = m->ncols;
  long saved = d->text_width;
  if (m->base_depth + m->depth > 0) /* a table in a list is indented with it */
    d->text_width -= 454L * (wml_list_level(m->base_depth + m->depth - 1) + 1);
  wml_table_widths(d, &m->table, text, word);
  wml_table_start(d, &m->table);
  d->text_width = saved;
}

static const char *S_md_jc(MdWalk *m) {
  uint8_t a = m->align && m->col < m->ncols ? m->align[m->col] : 0;
  return a == 'c' ? "center" : a == 'r' ? "right" : a == 'l' ? "left" : NULL;
}

static void S_md_cell_start(MdWalk *m) {
  Docx *d = m->d;
  long width = m->col < m->ncols ? m->table.widths[m->col] : 0;
  wml_cell_start(d, width, m->header_row ? DOCX_HEADER_FILL : NULL);
  wml_para_start(
      d, (ParaProps){.style = docx_style(d, m->header_row ? ST_TABLE_HEADING : ST_TABLE_TEXT),
                     .jc = S_md_jc(m)});
}

static void S_md_row_end(MdWalk *m) {
  for (; m->col < m->ncols; m->col++) { /* rows shorter than the header */
    S_md_cell_start(m);
    wml_para_end(m->d);
    END(m->d->w);
  }
  END(m->d->w);
}

static void S_md_link_start(MdWalk *m, cmark_node *node) {
  Docx *d = m->d;
  bool open = false;
  const Record *r = md_link_record(node);
  /* A record link's url is the HTML renderer's to set, maybe on another thread right now
   * (emit.h): only a link to no record is read for its url. */
  const char *url = r ? NULL : cmark_node_get_url(node);
  if (r) {
    open = wml_link_start(d, r, NULL);
  } else if (url) {
    open = wml_link_start(d, NULL, url);
  }
  if (m->nlinks == m->link_cap) {
    size_t cap = m->link_cap ? m->link_cap * 2 : 4;
    m->linked = arena_grow(d->a, m->linked, m->link_cap, cap, sizeof *m->linked);
    m->link_cap = cap;
  }
  m->linked[m->nlinks++] = open;
}

static void S_md_code_block(MdWalk *m, cmark_node *node) {
  S_md_para(m, docx_style(m->d, ST_CODE));
  const char *lit = cmark_node_get_literal(node);
  size_t len = lit ? strlen(lit) : 0;
  while (len && (lit[len - 1] == '\n' || lit[len - 1] == '\r'))
    len--;
  wml_run(m->d, arena_strndup(m->d->a, lit ? lit : "", len));
  wml_para_end(m->d);
}

static bool S_md_is(cmark_node *n, const char *type) {
  const char *t = cmark_node_get_type_string(n);
  return t && strcmp(t, type) == 0;
}

/* cmark-gfm names a table's first row "table_header", the others "table_row". */
static bool S_md_is_row(cmark_node *n) {
  return S_md_is(n, "table_row") || S_md_is(n, "table_header");
}

static void S_md_enter(MdWalk *m, cmark_node *node) {
  Docx *d = m->d;
  switch (cmark_node_get_type(node)) {
  case CMARK_NODE_PARAGRAPH:
    if (m->ncols == 0)
      S_md_para(m, NULL);
    break;
  case CMARK_NODE_HEADING: {
    S_md_flush_item(m);
    int level = md_heading_level(node) + m->heading_offset;
    level = level < 1 ? 1 : level > 6 ? 6 : level;
    wml_para_start(d, (ParaProps){.style = docx_style(d, (StyleRole)(ST_H1 + level - 1))});
    break;
  }
  case CMARK_NODE_CODE_BLOCK: S_md_code_block(m, node); break;
  case CMARK_NODE_HTML_BLOCK: S_md_code_block(m, node); break; /* --unsafe-html: as text */
  case CMARK_NODE_THEMATIC_BREAK:
    S_md_flush_item(m);
    wml_para_text(d, (ParaProps){.style = docx_style(d, ST_RULE)}, "");
    break;
  case CMARK_NODE_BLOCK_QUOTE: m->quote++; break;
  case CMARK_NODE_LIST: {
    S_md_flush_item(m);
    m->depth++;
    S_md_grow(m);
    bool ordered = cmark_node_get_list_type(node) == CMARK_ORDERED_LIST;
    m->num[m->depth - 1] = wml_new_list(d, ordered, S_md_level(m), cmark_node_get_list_start(node));
    m->pending[m->depth - 1] = false;
    m->task[m->depth - 1] = NULL;
    break;
  }
  case CMARK_NODE_ITEM:
    if (m->depth > 0) {
      m->pending[m->depth - 1] = true;
      m->task[m->depth - 1] =
          S_md_is(node, "tasklist")
              ? (cmark_gfm_extensions_get_tasklist_item_checked(node) ? "\xE2\x98\x92 " /* ☒ */
                                                                      : "\xE2\x98\x90 " /* ☐ */)
              : NULL;
    }
    break;
  case CMARK_NODE_TEXT:
  case CMARK_NODE_HTML_INLINE: wml_run(d, cmark_node_get_literal(node)); break;
  case CMARK_NODE_CODE:
    d->code++;
    wml_run(d, cmark_node_get_literal(node));
    d->code--;
    break;
  case CMARK_NODE_SOFTBREAK: wml_run(d, " "); break;
  case CMARK_NODE_LINEBREAK: wml_break(d); break;
  case CMARK_NODE_EMPH: d->italic++; break;
  case CMARK_NODE_STRONG: d->bold++; break;
  case CMARK_NODE_LINK: S_md_link_start(m, node); break;
  default:
    if (S_md_is(node, "table")) {
      S_md_table_start(m, node);
    } else if (S_md_is_row(node)) {
      m->header_row = cmark_gfm_extensions_get_table_row_is_header(node);
      m->col = 0;
      wml_row_start(d, m->header_row);
    } else if (S_md_is(node, "table_cell")) {
      if (m->col < m->ncols)
        S_md_cell_start(m);
    } else if (S_md_is(node, "strikethrough")) {
      d->strike++;
    }
    break;
  }
}

static void S_md_exit(MdWalk *m, cmark_node *node) {
  Docx *d = m->d;
  switch (cmark_node_get_type(node)) {
  case CMARK_NODE_PARAGRAPH:
    if (m->ncols == 0)
      wml_para_end(d);
    break;
  case CMARK_NODE_HEADING: wml_para_end(d); break;
  case CMARK_NODE_BLOCK_QUOTE: m->quote--; break;
  case CMARK_NODE_LIST: m->depth--; break;
  case CMARK_NODE_ITEM: S_md_flush_item(m); break; /* an empty item still shows its number */
  case CMARK_NODE_EMPH: d->italic--; break;
  case CMARK_NODE_STRONG: d->bold--; break;
  case CMARK_NODE_LINK:
    if (m->nlinks && m->linked[--m->nlinks])
      wml_link_end(d);
    break;
  default:
    if (S_md_is(node, "table")) {
      wml_table_end(d);
      m->ncols = 0;
      m->align = NULL;
    } else if (S_md_is_row(node)) {
      S_md_row_end(m);
    } else if (S_md_is(node, "table_cell")) {
      if (m->col < m->ncols) {
        wml_para_end(d);
        END(d->w);
      }
      m->col++;
    } else if (S_md_is(node, "strikethrough")) {
      d->strike--;
    }
    break;
  }
}

void docx_markdown(Docx *d, const DocNode *n, int list_depth) {
  const MdDoc *md = n->markdown;
  MdWalk m = {.d = d, .heading_offset = n->level - 1, .base_depth = list_depth};
  cmark_iter *it = cmark_iter_new(md->root);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *node = cmark_iter_get_node(it);
    if (ev == CMARK_EVENT_ENTER)
      S_md_enter(&m, node);
    else
      S_md_exit(&m, node);
  }
  cmark_iter_free(it);
}
