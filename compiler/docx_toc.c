/* docx_toc.c - a table of contents for long DOCX documents: Word's TOC field over the
 * heading styles, with a result written in advance.
 *
 * The field (TOC \o "1-3" \h \z \u: Heading 1 to 3, entries as links) is what Word and
 * LibreOffice update with page numbers (F9, Tools > Update). Its result is written here from
 * the document's sections, each entry a link to its heading's bookmark, so the list is there
 * and works before anyone updates it; the begin mark is w:dirty, which asks Word to update
 * the field, page numbers and all, when it opens the file.
 *
 * What must stay true: the entries are the headings the document writes (DOC_SECTION levels
 * 2 to 4 are Heading 1 to 3, as emit_docx.c's S_block styles them), in their order.
 */
#include "docx.h"

/* Documents with more headings than this get a table of contents (the SoA, the RTP, the
 * objectives; a policy's few do not): docs/decisions.md, "Print and Word quality". */
enum { TOC_MIN_HEADINGS = 13, TOC_FIRST_LEVEL = 2, TOC_LAST_LEVEL = 4 };

static bool S_listed(const DocNode *n) {
  return n->kind == DOC_SECTION && n->level >= TOC_FIRST_LEVEL && n->level <= TOC_LAST_LEVEL &&
         n->text && *n->text;
}

/* Counts the listed headings in and under n down from *left, stopping at none left: the
 * RTP's tree has a million nodes and its thirteenth heading comes early. */
static void S_count_down(const DocNode *n, size_t *left) {
  for (; n && *left; n = n->next) {
    if (S_listed(n))
      --*left;
    S_count_down(n->first, left);
  }
}

bool docx_toc_wanted(const Document *doc) {
  size_t left = TOC_MIN_HEADINGS;
  if (doc->body)
    S_count_down(doc->body->first, &left);
  return doc->body && left == 0;
}

static void S_fld_char(Docx *d, const char *type) {
  EL(d->w, "w:r");
  EL(d->w, "w:fldChar");
  AT(d->w, "w:fldCharType", type);
  if (type[0] == 'b')
    AT(d->w, "w:dirty", "true");
  END(d->w);
  END(d->w);
}

static void S_entries(Docx *d, const DocNode *n) {
  for (; n; n = n->next) {
    if (S_listed(n)) {
      wml_para_start(d, (ParaProps){.style = docx_style(d, ST_TABLE_TEXT), /* compact lines */
                                    .indent = 360L * (n->level - TOC_FIRST_LEVEL)});
      const char *bookmark = n->anchor ? hashmap_get(&d->anchors, n->anchor) : NULL;
      if (bookmark) {
        EL(d->w, "w:hyperlink");
        AT(d->w, "w:anchor", bookmark);
        AT(d->w, "w:history", "1");
      }
      wml_run(d, n->text); /* plain, as Word's own TOC entries: not the Hyperlink style */
      if (bookmark)
        END(d->w);
      wml_para_end(d);
    }
    S_entries(d, n->first);
  }
}

void docx_toc(Docx *d) {
  wml_para_text(d, (ParaProps){.style = docx_style(d, ST_CAPTION), .keep_next = true}, "Contents");
  wml_para_start(d, (ParaProps){0});
  S_fld_char(d, "begin");
  EL(d->w, "w:r");
  EL(d->w, "w:instrText");
  AT(d->w, "xml:space", "preserve");
  TEXT(d->w, " TOC \\o \"1-3\" \\h \\z \\u ");
  END(d->w);
  END(d->w);
  S_fld_char(d, "separate");
  wml_para_end(d);
  S_entries(d, d->doc->body->first);
  wml_para_start(d, (ParaProps){0});
  S_fld_char(d, "end");
  wml_para_end(d);
}
