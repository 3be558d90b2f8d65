/* docx.h - what the DOCX renderer's files share (emit_docx.c, wml.c, docx_markdown.c,
 * docx_reference.c): the kit every DOCX of a build shares, the state of one document being
 * written, and the WordprocessingML primitives. docs/docx.md says what is produced and why.
 *
 * What must stay true: a document's state (Docx) belongs to one thread; the kit is read-only
 * once made, so several documents can be written at once.
 */
#ifndef ISMSC_DOCX_H
#define ISMSC_DOCX_H

#include "emit.h"
#include "opc.h"

#define NS_W   "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_R   "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define CT_WML "application/vnd.openxmlformats-officedocument.wordprocessingml."

/* A reference DOCX is the user's file, but a zip can claim any size: parts above this are
 * refused rather than read. */
enum { MAX_PART_BYTES = 32 * 1024 * 1024, MAX_EXTRA_PARTS = 64 };

/* Page setup in twentieths of a point. Built in: A4 portrait, 2 cm margins. */
typedef struct Page {
  long width, height, top, right, bottom, left, header, footer, gutter;
} Page;

/* The paragraph and character styles ismsc uses, by the built-in style id. A reference
 * DOCX may call them differently (localised Word names its styles by language); the kit
 * maps each to the reference's id by style name. */
typedef enum StyleRole {
  ST_TITLE,
  ST_H1,
  ST_H2,
  ST_H3,
  ST_H4,
  ST_H5,
  ST_H6,
  ST_CAPTION,
  ST_LIST_PARAGRAPH,
  ST_QUOTE,
  ST_CODE,
  ST_CODE_CHAR,
  ST_NOTICE,
  ST_RULE,
  ST_TABLE_TEXT,
  ST_TABLE_HEADING,
  ST_FIGURE_NUMBER,
  ST_FIGURE_LABEL,
  ST_TABLE_GRID,
  ST_HYPERLINK,
  ST_BADGE,
  ST_HEADER,
  ST_FOOTER,
  ST_COUNT
} StyleRole;

struct DocxKit {
  Arena arena;
  xmlBufferPtr styles, theme, fonts, settings; /* written once, added to every file */
  xmlDocPtr numbering; /* every abstractNum (the reference's and ours) and the reference's nums */
  int bullet_abstract, number_abstract, first_num_id;
  const char *style[ST_COUNT];
  Page page;
  xmlBufferPtr header, footer; /* a reference DOCX's own; NULL: ismsc writes them */
  xmlBufferPtr header_rels, footer_rels;
  OpcPart extra[MAX_EXTRA_PARTS]; /* what those header and footer refer to (a logo) */
  size_t nextra;
  const char *defaults[MAX_EXTRA_PARTS][2]; /* [Content_Types] Default: extension, type */
  size_t ndefaults;
  OpcPack pack; /* the parts above, deflated once for every file of the build (opc.h) */
};

/* One list of a document: a w:num of its own, so its numbering restarts. */
typedef struct NumDef {
  int abstract;
  int level; /* the level it starts at (its nesting depth) */
  int start; /* ordered lists: the first number */
} NumDef;

/* Where links to a record go from one document: a bookmark in it, or a relationship id. */
typedef struct RecordLink {
  const Record *record;
  const char *bookmark, *rid; /* both NULL: the link stays text */
} RecordLink;

typedef struct Docx {
  XmlOut *w;
  const EmitContext *ctx;
  const DocxKit *kit;
  const Document *doc;
  Arena *a;
  bool landscape;     /* the SoA, and any document with a table too wide for portrait */
  long text_width;    /* twips between the margins */
  PtrVec links;       /* external targets; link i is relationship rId(FIRST_LINK + i) */
  HashMap link_index; /* target -> its relationship id ("rId9") */
  HashMap record_links; /* a linked record's id -> its RecordLink (wml.c) */
  HashMap anchors;    /* anchors of this document -> bookmark name */
  HashMap widths;     /* a table class -> the column widths all its tables share */
  PtrVec nums;        /* NumDef *, numbered from kit->first_num_id */
  int bookmark;       /* the next bookmark id */
  bool last_table;    /* the last block written was a table */
  int in_table;       /* tables open (cells hold paragraphs too) */
  /* Inline formatting of the runs being written. */
  int bold, italic, strike, code, link;
  const char *badge_fill, *badge_ink; /* a badge's palette fill and text colour */
} Docx;

/* Relationship ids of document.xml.rels: fixed parts first, then external links. */
enum {
  RID_STYLES = 1,
  RID_NUMBERING,
  RID_SETTINGS,
  RID_FONTS,
  RID_THEME,
  RID_HEADER,
  RID_FOOTER,
  RID_FIRST_LINK
};

static inline const char *docx_style(const Docx *d, StyleRole role) { return d->kit->style[role]; }

/* The fill of header cells: the palette's neutral tone, as the HTML tables' headers. */
#define DOCX_HEADER_FILL (doc_palette[TONE_NONE].rgb)

/* ---------------------------------------------------------------- wml.c: primitives */

/* Starts a w:p with a style and optional list numbering, indent and alignment. */
typedef struct ParaProps {
  const char *style;
  int num_id, level; /* num_id 0: not numbered */
  long indent;       /* left indent in twips, 0: the style's */
  const char *jc;    /* "left", "center", "right" or NULL */
  bool keep_next;
} ParaProps;

typedef struct Table {
  int ncols;
  long *widths; /* twips */
  /* The table's alternative text (w:tblCaption, w:tblDescription), or NULL: a table that is
   * a drawing (a trend chart) says so to screen readers and to the agreement test. */
  const char *caption, *description;
} Table;

/* A table of this many columns (the risk register) is dense: cell margins of
 * WML_DENSE_MARGIN twips (1 mm) instead of the table style's 100. */
enum { WML_DENSE_MARGIN = 57 };
bool wml_table_dense(const Table *t);

void wml_val(XmlOut *w, const char *name, const char *value); /* <name w:val=""/> */
void wml_empty(XmlOut *w, const char *name);
/* <w:t>text</w:t>, with xml:space="preserve" when its spaces need it. */
void wml_t(XmlOut *w, const char *text);
void wml_attr_long(XmlOut *w, const char *name, long v);
/* A Word bookmark name for an anchor: letters, digits and '_', at most 40 characters. */
const char *wml_bookmark_name(Arena *a, const char *anchor);
/* The bookmark of an anchor of this document, if it has one. */
void wml_bookmark(Docx *d, const char *anchor);
/* Text as one run in the current formatting: tabs become w:tab, line ends w:br. */
void wml_run(Docx *d, const char *text);
void wml_break(Docx *d);
/* A field (PAGE, NUMPAGES) as Word writes it. */
void wml_field(XmlOut *w, const char *instr, const char *placeholder);
/* Opens a w:hyperlink to a record (a bookmark here, else the DOCX that shows it) or an
 * external URL; false when the link stays text. */
bool wml_link_start(Docx *d, const Record *r, const char *href);
void wml_link_end(Docx *d);
void wml_para_start(Docx *d, ParaProps pp);
void wml_para_end(Docx *d);
void wml_para_text(Docx *d, ParaProps pp, const char *text);
/* A new list: its w:num restarts numbering at `start` on its level. Returns its numId. */
int wml_new_list(Docx *d, bool ordered, int level, int start);
int wml_list_level(int depth);
/* Column widths from the longest text and word of each column. */
void wml_table_widths(Docx *d, Table *t, const size_t *text, const size_t *word);
void wml_table_start(Docx *d, const Table *t);
void wml_table_end(Docx *d);
void wml_row_start(Docx *d, bool header);
void wml_cell_start(Docx *d, long width, const char *fill);
/* The edges of a cell drawn heavy (a heat map's acceptance outline): WML_EDGE_* bits. */
enum { WML_EDGE_TOP = 1, WML_EDGE_LEFT = 2, WML_EDGE_BOTTOM = 4, WML_EDGE_RIGHT = 8 };
void wml_cell_start_edges(Docx *d, long width, const char *fill, unsigned edges);

/* ---------------------------------------------------------------- the others */

/* docx_markdown.c: a record's Markdown body (a DOC_MARKDOWN node) as WordprocessingML. */
void docx_markdown(Docx *d, const DocNode *n, int list_depth);
/* docx_toc.c: whether a document is long enough for a table of contents, and the TOC field
 * (with its entries written as its result), placed after the document control table. */
bool docx_toc_wanted(const Document *doc);
void docx_toc(Docx *d);
/* docx_reference.c: the document's numbering part, the kit's list definitions and one w:num
 * per list the document opened. */
xmlBufferPtr docx_numbering_part(Docx *d);

#endif
