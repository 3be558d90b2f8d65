/* emit_docx.c - render a Document as a DOCX file: WordprocessingML parts in a zip.
 *
 * The same DocNode tree as emit_html.c, walked with one switch over DocKind (S_block,
 * S_inline); Markdown bodies are walked with cmark-gfm's iterator and one switch over node
 * types (S_md_enter, S_md_exit), never recursively, so no input can nest deep enough to
 * overflow the stack. docs/docx.md says what is produced and why.
 *
 * What must stay true:
 * - Every XML part is written through libxml2's xmlTextWriter, which escapes. Text XML 1.0
 *   cannot carry (C0 controls but tab and line ends, U+FFFE, U+FFFF, malformed UTF-8) is
 *   replaced by U+FFFD first (S_clean): the writer would pass it through.
 * - Templates (the built-in templates/docx/ files) and the parts of a reference DOCX are parsed
 *   with libxml2 and written again through the writer (S_copy), never pasted as strings.
 * - The zip is made by libzip: [Content_Types].xml first, then the parts in a fixed order,
 *   deflated, every entry stamped with the build date as a DOS date (no time zone enters),
 *   so the same input and --date give the same bytes.
 * - The parts a reference DOCX supplies are read once per build (DocxKit), not per file.
 */
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlwriter.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

#include <cmark-gfm-core-extensions.h>

#include "embedded.h"
#include "emit.h"
#include "markdown.h"

#define NS_W    "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_R    "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define NS_RELS "http://schemas.openxmlformats.org/package/2006/relationships"
#define NS_CT   "http://schemas.openxmlformats.org/package/2006/content-types"
#define REL     "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
#define CT_WML  "application/vnd.openxmlformats-officedocument.wordprocessingml."

/* A reference DOCX is the user's file, but a zip can claim any size: parts above this are
 * refused rather than read. */
enum { MAX_PART_BYTES = 32 * 1024 * 1024, MAX_EXTRA_PARTS = 64 };

/* Page setup in twentieths of a point. Built in: A4 portrait, 2 cm margins. */
typedef struct Page {
  long width, height, top, right, bottom, left, header, footer, gutter;
} Page;

/* One file of the zip. `data` is owned by whoever made the part (kit or document). */
typedef struct Part {
  const char *name;         /* "word/document.xml" */
  const char *content_type; /* an Override in [Content_Types].xml, or NULL */
  const unsigned char *data;
  size_t len;
} Part;

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

static const char *const builtin_style_ids[ST_COUNT] = {
    "Title",     "Heading1",       "Heading2",      "Heading3",     "Heading4",     "Heading5",
    "Heading6",  "Caption",        "ListParagraph", "Quote",        "Code",         "CodeChar",
    "Notice",    "HorizontalRule", "TableText",     "TableHeading", "FigureNumber", "FigureLabel",
    "TableGrid", "Hyperlink",      "Badge",         "Header",       "Footer"};

struct DocxKit {
  Arena arena;
  xmlBufferPtr styles, theme, fonts, settings; /* written once, added to every file */
  xmlDocPtr numbering; /* every abstractNum (the reference's and ours) and the reference's nums */
  int bullet_abstract, number_abstract, first_num_id;
  const char *style[ST_COUNT];
  Page page;
  xmlBufferPtr header, footer; /* a reference DOCX's own; NULL: ismsc writes them */
  xmlBufferPtr header_rels, footer_rels;
  Part extra[MAX_EXTRA_PARTS]; /* what those header and footer refer to (a logo) */
  size_t nextra;
  const char *defaults[MAX_EXTRA_PARTS][2]; /* [Content_Types] Default: extension, type */
  size_t ndefaults;
};

/* ---------------------------------------------------------------- text XML can carry */

/* Length of the well-formed UTF-8 sequence at s (its code point in *cp), or 0. */
static size_t S_utf8_len(const unsigned char *s, uint32_t *cp) {
  unsigned c = s[0];
  *cp = c;
  if (c < 0x80)
    return 1;
  size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
  if (!n || c > 0xF4)
    return 0;
  *cp = c & (0xFFu >> (n + 1));
  for (size_t i = 1; i < n; i++) {
    if ((s[i] & 0xC0) != 0x80)
      return 0;
    *cp = (*cp << 6) | (s[i] & 0x3F);
  }
  if ((n == 3 && *cp < 0x800) || (n == 4 && (*cp < 0x10000 || *cp > 0x10FFFF)))
    return 0;
  return n;
}

/* Is the character at s one XML 1.0 allows? *n is how many bytes it (or the bad byte)
 * takes: a forbidden character is replaced as a whole, a malformed byte alone. */
static bool S_xml_char_ok(const unsigned char *s, size_t *n) {
  uint32_t cp;
  *n = S_utf8_len(s, &cp);
  if (!*n) {
    *n = 1;
    return false;
  }
  if (cp < 0x20)
    return cp == '\t' || cp == '\n' || cp == '\r';
  return !(cp >= 0xD800 && cp <= 0xDFFF) && cp != 0xFFFE && cp != 0xFFFF;
}

/* s itself when XML can carry it, else a copy with each bad character or byte as U+FFFD. */
static const char *S_clean(Arena *a, const char *s) {
  if (!s)
    return "";
  const unsigned char *p = (const unsigned char *)s;
  size_t n;
  while (*p && S_xml_char_ok(p, &n))
    p += n;
  if (!*p)
    return s;
  size_t len = strlen(s);
  char *out = arena_alloc(a, len * 3 + 1), *o = out;
  memcpy(o, s, (size_t)((const char *)p - s));
  o += (const char *)p - s;
  while (*p) {
    if (S_xml_char_ok(p, &n)) {
      memcpy(o, p, n);
      o += n;
    } else {
      memcpy(o, "\xEF\xBF\xBD", 3);
      o += 3;
    }
    p += n;
  }
  *o = '\0';
  return out;
}

/* ---------------------------------------------------------------- writing XML parts */

typedef struct Writer {
  xmlBufferPtr buf;
  xmlTextWriterPtr w;
} Writer;

static Writer S_writer_new(void) {
  Writer wr;
  wr.buf = xmlBufferCreate();
  wr.w = xmlNewTextWriterMemory(wr.buf, 0);
  xmlTextWriterStartDocument(wr.w, NULL, "UTF-8", "yes");
  return wr;
}

/* Ends the document and returns the buffer (the caller frees it with xmlBufferFree). */
static xmlBufferPtr S_writer_done(Writer *wr) {
  xmlTextWriterEndDocument(wr->w);
  xmlFreeTextWriter(wr->w);
  wr->w = NULL;
  return wr->buf;
}

#define EL(w, name) xmlTextWriterStartElement((w), BAD_CAST(name))
#define END(w)      xmlTextWriterEndElement(w)
#define AT(w, k, v) xmlTextWriterWriteAttribute((w), BAD_CAST(k), BAD_CAST(v))
#define TEXT(w, s)  xmlTextWriterWriteString((w), BAD_CAST(s))

/* <name w:val="value"/> */
static void S_val(xmlTextWriterPtr w, const char *name, const char *value) {
  EL(w, name);
  AT(w, "w:val", value);
  END(w);
}

static void S_empty(xmlTextWriterPtr w, const char *name) {
  EL(w, name);
  END(w);
}

static void S_attr_long(xmlTextWriterPtr w, const char *name, long v) {
  char buf[32];
  snprintf(buf, sizeof buf, "%ld", v);
  AT(w, name, buf);
}

/* The qualified name of an element or attribute as the source wrote it. */
static const char *S_qname(char *buf, size_t size, const xmlNs *ns, const xmlChar *name) {
  if (ns && ns->prefix)
    snprintf(buf, size, "%s:%s", (const char *)ns->prefix, (const char *)name);
  else
    snprintf(buf, size, "%s", (const char *)name);
  return buf;
}

static bool S_blank(const xmlChar *s) {
  for (; s && *s; s++)
    if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
      return false;
  return true;
}

static bool S_has_element_sibling(const xmlNode *n) {
  for (const xmlNode *s = n->parent ? n->parent->children : NULL; s; s = s->next)
    if (s->type == XML_ELEMENT_NODE)
      return true;
  return false;
}

/* Writes a parsed element again through the writer: elements, namespace declarations,
 * attributes and text. Comments, processing instructions and the indentation between
 * elements are left out (OOXML has text only in leaf elements such as w:t). */
static void S_copy(xmlTextWriterPtr w, const xmlNode *n) {
  char q[512];
  if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
    if (!(S_blank(n->content) && S_has_element_sibling(n))) {
      Arena a;
      arena_init(&a);
      TEXT(w, S_clean(&a, (const char *)n->content));
      arena_free(&a);
    }
    return;
  }
  if (n->type != XML_ELEMENT_NODE)
    return;
  xmlTextWriterStartElement(w, BAD_CAST S_qname(q, sizeof q, n->ns, n->name));
  for (const xmlNs *ns = n->nsDef; ns; ns = ns->next) {
    if (ns->prefix)
      snprintf(q, sizeof q, "xmlns:%s", (const char *)ns->prefix);
    else
      snprintf(q, sizeof q, "xmlns");
    AT(w, q, ns->href ? (const char *)ns->href : "");
  }
  for (const xmlAttr *at = n->properties; at; at = at->next) {
    xmlChar *v = xmlNodeGetContent((const xmlNode *)at);
    Arena a;
    arena_init(&a);
    AT(w, S_qname(q, sizeof q, at->ns, at->name), S_clean(&a, v ? (const char *)v : ""));
    arena_free(&a);
    xmlFree(v);
  }
  for (const xmlNode *c = n->children; c; c = c->next)
    S_copy(w, c);
  END(w);
}

/* A whole parsed document as a part. */
static xmlBufferPtr S_copy_doc(xmlDocPtr doc) {
  Writer wr = S_writer_new();
  S_copy(wr.w, xmlDocGetRootElement(doc));
  return S_writer_done(&wr);
}

/* ---------------------------------------------------------------- DOM helpers */

static bool S_is_w(const xmlNode *n, const char *local) {
  return n && n->type == XML_ELEMENT_NODE && n->ns && xmlStrEqual(n->ns->href, BAD_CAST NS_W) &&
         (!local || xmlStrEqual(n->name, BAD_CAST local));
}

static xmlNodePtr S_child(xmlNodePtr n, const char *local) {
  for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
    if (S_is_w(c, local))
      return c;
  return NULL;
}

/* A w: attribute as an arena string, or NULL. */
static const char *S_wattr(Arena *a, xmlNodePtr n, const char *local) {
  xmlChar *v = n ? xmlGetNsProp(n, BAD_CAST local, BAD_CAST NS_W) : NULL;
  if (!v)
    return NULL;
  const char *s = arena_strdup(a, (const char *)v);
  xmlFree(v);
  return s;
}

static long S_wattr_long(Arena *a, xmlNodePtr n, const char *local, long fallback) {
  const char *s = S_wattr(a, n, local);
  char *end;
  long v = s ? strtol(s, &end, 10) : 0;
  return s && end != s && v >= 0 && v < 1000000 ? v : fallback;
}

static xmlDocPtr S_parse(const char *data, size_t len, const char *name) {
  if (!data || len > INT32_MAX)
    return NULL;
  return xmlReadMemory(data, (int)len, name, NULL,
                       XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

static xmlDocPtr S_parse_builtin(const char *name) {
  const EmbeddedFile *f = embedded_find(name);
  return f ? S_parse(f->data, f->len, name) : NULL;
}

/* ---------------------------------------------------------------- the reference DOCX */

typedef struct Reference {
  zip_t *zip;
  const char *path;
  Arena *a;
  xmlDocPtr rels; /* word/_rels/document.xml.rels */
} Reference;

/* A part of the reference, NUL-terminated and malloc'd, or NULL when absent or too large. */
static char *S_ref_read(Reference *ref, const char *name, size_t *len) {
  zip_stat_t st;
  zip_int64_t idx = zip_name_locate(ref->zip, name, 0);
  if (idx < 0 || zip_stat_index(ref->zip, (zip_uint64_t)idx, 0, &st) != 0 ||
      !(st.valid & ZIP_STAT_SIZE) || st.size > MAX_PART_BYTES)
    return NULL;
  zip_file_t *f = zip_fopen_index(ref->zip, (zip_uint64_t)idx, 0);
  if (!f)
    return NULL;
  char *data = malloc(st.size + 1);
  zip_int64_t got = data ? zip_fread(f, data, st.size) : -1;
  zip_fclose(f);
  if (got < 0 || (zip_uint64_t)got != st.size) {
    free(data);
    return NULL;
  }
  data[st.size] = '\0';
  *len = st.size;
  return data;
}

static xmlDocPtr S_ref_parse(Reference *ref, const char *name) {
  size_t len = 0;
  char *data = S_ref_read(ref, name, &len);
  xmlDocPtr doc = S_parse(data, len, name);
  free(data);
  return doc;
}

/* A relationship's target as a part name: "styles.xml" from word/ is "word/styles.xml". */
static const char *S_part_name(Arena *a, const char *dir, const char *target) {
  if (target[0] == '/')
    return arena_strdup(a, target + 1);
  return arena_printf(a, "%s/%s", dir, target);
}

/* The first relationship of the main document of a type ("styles") and its part name. */
static const char *S_ref_part(Reference *ref, const char *type, const char **rid) {
  xmlNodePtr root = ref->rels ? xmlDocGetRootElement(ref->rels) : NULL;
  const char *want = arena_printf(ref->a, REL "%s", type);
  for (xmlNodePtr r = root ? root->children : NULL; r; r = r->next) {
    if (r->type != XML_ELEMENT_NODE)
      continue;
    xmlChar *t = xmlGetProp(r, BAD_CAST "Type"), *target = xmlGetProp(r, BAD_CAST "Target");
    xmlChar *id = xmlGetProp(r, BAD_CAST "Id"), *mode = xmlGetProp(r, BAD_CAST "TargetMode");
    const char *found = NULL;
    if (t && target && !mode && strcmp((const char *)t, want) == 0 &&
        (!rid || !*rid || (id && strcmp(*rid, (const char *)id) == 0))) {
      found = S_part_name(ref->a, "word", (const char *)target);
    }
    xmlFree(t);
    xmlFree(target);
    xmlFree(id);
    xmlFree(mode);
    if (found)
      return found;
  }
  return NULL;
}

/* ---------------------------------------------------------------- styles */

static const char *S_style_name(Arena *a, xmlNodePtr style) {
  return S_wattr(a, S_child(style, "name"), "val");
}

static xmlNodePtr S_find_style(Arena *a, xmlNodePtr root, const char *id, const char *name) {
  if (name)
    for (xmlNodePtr s = root->children; s; s = s->next) {
      const char *n = S_is_w(s, "style") ? S_style_name(a, s) : NULL;
      if (n && strcasecmp(n, name) == 0)
        return s;
    }
  for (xmlNodePtr s = root->children; s; s = s->next) {
    const char *sid = S_is_w(s, "style") ? S_wattr(a, s, "styleId") : NULL;
    if (sid && strcmp(sid, id) == 0)
      return s;
  }
  return NULL;
}

/* The reference's styles.xml with every built-in style it lacks added: ismsc's documents use
 * the reference's style where it has one of the same name, ours where it has none. */
static xmlDocPtr S_merge_styles(DocxKit *kit, xmlDocPtr builtin, xmlDocPtr ref) {
  Arena *a = &kit->arena;
  xmlNodePtr broot = xmlDocGetRootElement(builtin);
  if (!ref) {
    for (int i = 0; i < ST_COUNT; i++)
      kit->style[i] = builtin_style_ids[i];
    return builtin;
  }
  xmlNodePtr rroot = xmlDocGetRootElement(ref);
  HashMap map; /* built-in id -> id in the merged styles */
  hashmap_init(&map);
  PtrVec added = {0};
  for (xmlNodePtr s = broot->children; s; s = s->next) {
    if (!S_is_w(s, "style"))
      continue;
    const char *id = S_wattr(a, s, "styleId");
    if (!id)
      continue;
    xmlNodePtr found = S_find_style(a, rroot, id, S_style_name(a, s));
    if (found) {
      const char *rid = S_wattr(a, found, "styleId");
      hashmap_put(a, &map, id, (void *)(rid ? rid : id));
      continue;
    }
    xmlNodePtr copy = xmlDocCopyNode(s, ref, 1);
    xmlUnsetNsProp(copy, copy->ns, BAD_CAST "default"); /* the reference has its defaults */
    xmlAddChild(rroot, copy);
    xmlReconciliateNs(ref, copy);
    ptrvec_push(a, &added, copy);
    hashmap_put(a, &map, id, (void *)id);
  }
  /* Styles we added name their parents by built-in id; point them at the merged ones. */
  static const char *const links[] = {"basedOn", "next", "link"};
  for (size_t i = 0; i < added.len; i++)
    for (size_t k = 0; k < 3; k++) {
      xmlNodePtr l = S_child(added.items[i], links[k]);
      const char *to = S_wattr(a, l, "val");
      const char *mapped = to ? hashmap_get(&map, to) : NULL;
      if (mapped)
        xmlSetNsProp(l, l->ns, BAD_CAST "val", BAD_CAST mapped);
      else if (l) {
        xmlUnlinkNode(l);
        xmlFreeNode(l);
      }
    }
  for (int i = 0; i < ST_COUNT; i++) {
    const char *mapped = hashmap_get(&map, builtin_style_ids[i]);
    kit->style[i] = mapped ? mapped : builtin_style_ids[i];
  }
  xmlFreeDoc(builtin);
  return ref;
}

/* ---------------------------------------------------------------- numbering */

static int S_max_id(Arena *a, xmlNodePtr root, const char *element, const char *attr) {
  int max = 0;
  for (xmlNodePtr c = root->children; c; c = c->next) {
    long v = S_is_w(c, element) ? S_wattr_long(a, c, attr, 0) : 0;
    if (v > max)
      max = (int)v;
  }
  return max;
}

/* The reference's list definitions (its styles may point at them) plus our two abstract
 * lists under fresh ids; each document adds one w:num per list. */
static xmlDocPtr S_merge_numbering(DocxKit *kit, xmlDocPtr builtin, xmlDocPtr ref) {
  Arena *a = &kit->arena;
  if (!ref) {
    kit->bullet_abstract = 1;
    kit->number_abstract = 2;
    kit->first_num_id = 1;
    return builtin;
  }
  xmlNodePtr rroot = xmlDocGetRootElement(ref), broot = xmlDocGetRootElement(builtin);
  int next_abstract = S_max_id(a, rroot, "abstractNum", "abstractNumId") + 1;
  kit->first_num_id = S_max_id(a, rroot, "num", "numId") + 1;
  xmlNodePtr before = S_child(rroot, "num");
  if (!before)
    before = S_child(rroot, "numIdMacAtCleanup");
  for (xmlNodePtr s = broot->children; s; s = s->next) {
    if (!S_is_w(s, "abstractNum"))
      continue;
    long old = S_wattr_long(a, s, "abstractNumId", 0);
    int id = next_abstract++;
    if (old == 1)
      kit->bullet_abstract = id;
    else
      kit->number_abstract = id;
    xmlNodePtr copy = xmlDocCopyNode(s, ref, 1);
    if (before)
      xmlAddPrevSibling(before, copy);
    else
      xmlAddChild(rroot, copy);
    xmlReconciliateNs(ref, copy);
    char buf[16];
    snprintf(buf, sizeof buf, "%d", id);
    xmlSetNsProp(copy, copy->ns, BAD_CAST "abstractNumId", BAD_CAST buf);
  }
  xmlFreeDoc(builtin);
  return ref;
}

/* ---------------------------------------------------------------- settings */

/* Settings worth taking from a reference (the list pandoc keeps): the rest may refer to
 * parts a generated document does not have (footnote separators, an attached template). */
static bool S_setting_kept(const xmlNode *n) {
  static const char *const kept[] = {"zoom",
                                     "embedSystemFonts",
                                     "doNotTrackMoves",
                                     "defaultTabStop",
                                     "drawingGridHorizontalSpacing",
                                     "drawingGridVerticalSpacing",
                                     "displayHorizontalDrawingGridEvery",
                                     "displayVerticalDrawingGridEvery",
                                     "characterSpacingControl",
                                     "savePreviewPicture",
                                     "mathPr",
                                     "themeFontLang",
                                     "decimalSymbol",
                                     "listSeparator",
                                     "autoHyphenation",
                                     "compat"};
  if (n->type != XML_ELEMENT_NODE)
    return false;
  for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++)
    if (xmlStrEqual(n->name, BAD_CAST kept[i]))
      return true;
  return false;
}

static xmlBufferPtr S_settings(xmlDocPtr doc, bool filter) {
  Writer wr = S_writer_new();
  xmlNodePtr root = xmlDocGetRootElement(doc);
  char q[256];
  xmlTextWriterStartElement(wr.w, BAD_CAST S_qname(q, sizeof q, root->ns, root->name));
  for (const xmlNs *ns = root->nsDef; ns; ns = ns->next) {
    snprintf(q, sizeof q, ns->prefix ? "xmlns:%s" : "xmlns", (const char *)ns->prefix);
    AT(wr.w, q, (const char *)ns->href);
  }
  for (xmlNodePtr c = root->children; c; c = c->next)
    if (!filter || S_setting_kept(c))
      S_copy(wr.w, c);
  END(wr.w);
  return S_writer_done(&wr);
}

/* ---------------------------------------------------------------- header, footer, page */

static const char *S_extension_type(const char *ext) {
  static const char *const known[][2] = {
      {"png", "image/png"},   {"jpeg", "image/jpeg"}, {"jpg", "image/jpeg"},   {"gif", "image/gif"},
      {"emf", "image/x-emf"}, {"wmf", "image/x-wmf"}, {"svg", "image/svg+xml"}};
  for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
    if (strcasecmp(ext, known[i][0]) == 0)
      return known[i][1];
  return "application/octet-stream";
}

static void S_add_default(DocxKit *kit, const char *ext) {
  for (size_t i = 0; i < kit->ndefaults; i++)
    if (strcasecmp(kit->defaults[i][0], ext) == 0)
      return;
  if (strcasecmp(ext, "xml") == 0 || strcasecmp(ext, "rels") == 0 ||
      kit->ndefaults == MAX_EXTRA_PARTS)
    return;
  kit->defaults[kit->ndefaults][0] = arena_strdup(&kit->arena, ext);
  kit->defaults[kit->ndefaults][1] = S_extension_type(ext);
  kit->ndefaults++;
}

/* A reference header or footer, its relationships, and the parts those name (a logo). */
static bool S_take_hdrftr(DocxKit *kit, Reference *ref, const char *type, const char *rid,
                          xmlBufferPtr *part, xmlBufferPtr *rels) {
  const char *name = S_ref_part(ref, type, &rid);
  xmlDocPtr doc = name ? S_ref_parse(ref, name) : NULL;
  if (!doc)
    return false;
  *part = S_copy_doc(doc);
  xmlFreeDoc(doc);
  const char *slash = strrchr(name, '/');
  const char *dir = slash ? arena_strndup(ref->a, name, (size_t)(slash - name)) : "";
  const char *rels_name = arena_printf(ref->a, "%s/_rels/%s.rels", dir, slash ? slash + 1 : name);
  xmlDocPtr rd = S_ref_parse(ref, rels_name);
  if (!rd)
    return true;
  *rels = S_copy_doc(rd);
  for (xmlNodePtr r = xmlDocGetRootElement(rd)->children; r; r = r->next) {
    if (r->type != XML_ELEMENT_NODE)
      continue;
    xmlChar *target = xmlGetProp(r, BAD_CAST "Target"),
            *mode = xmlGetProp(r, BAD_CAST "TargetMode");
    if (target && !mode && kit->nextra < MAX_EXTRA_PARTS) {
      /* Our header lives in word/ as the reference's usually does; its targets keep their
       * place relative to word/. */
      const char *pname = S_part_name(ref->a, "word", (const char *)target);
      size_t len = 0;
      char *data = strstr(pname, "..") ? NULL : S_ref_read(ref, pname, &len);
      if (data) {
        Part *p = &kit->extra[kit->nextra++];
        p->name = pname;
        unsigned char *copy = arena_alloc(&kit->arena, len ? len : 1);
        memcpy(copy, data, len);
        p->data = copy;
        p->len = len;
        const char *dot = strrchr(pname, '.');
        if (dot)
          S_add_default(kit, dot + 1);
        free(data);
      }
    }
    xmlFree(target);
    xmlFree(mode);
  }
  xmlFreeDoc(rd);
  return true;
}

/* Page size and margins, and the default header and footer, from the reference's last
 * section. */
static void S_take_section(DocxKit *kit, Reference *ref) {
  xmlDocPtr doc = S_ref_parse(ref, "word/document.xml");
  xmlNodePtr body = doc ? S_child(xmlDocGetRootElement(doc), "body") : NULL;
  xmlNodePtr sect = NULL;
  for (xmlNodePtr c = body ? body->children : NULL; c; c = c->next)
    if (S_is_w(c, "sectPr"))
      sect = c;
  Arena *a = ref->a;
  xmlNodePtr sz = S_child(sect, "pgSz"), mar = S_child(sect, "pgMar");
  Page *p = &kit->page;
  if (sz) {
    long w = S_wattr_long(a, sz, "w", p->width), h = S_wattr_long(a, sz, "h", p->height);
    p->width = w < h ? w : h; /* kept portrait: each document turns it as it needs */
    p->height = w < h ? h : w;
  }
  if (mar) {
    p->top = S_wattr_long(a, mar, "top", p->top);
    p->right = S_wattr_long(a, mar, "right", p->right);
    p->bottom = S_wattr_long(a, mar, "bottom", p->bottom);
    p->left = S_wattr_long(a, mar, "left", p->left);
    p->header = S_wattr_long(a, mar, "header", p->header);
    p->footer = S_wattr_long(a, mar, "footer", p->footer);
    p->gutter = S_wattr_long(a, mar, "gutter", p->gutter);
  }
  if (p->left + p->right + 1440 > p->width) { /* nonsense margins: keep ours */
    p->left = p->right = 1134;
  }
  for (xmlNodePtr c = sect ? sect->children : NULL; c; c = c->next) {
    bool header = S_is_w(c, "headerReference"), footer = S_is_w(c, "footerReference");
    if (!header && !footer)
      continue;
    const char *type = S_wattr(a, c, "type");
    if (type && strcmp(type, "default") != 0)
      continue;
    xmlChar *rid = xmlGetNsProp(c, BAD_CAST "id", BAD_CAST NS_R);
    const char *id = rid ? arena_strdup(a, (const char *)rid) : NULL;
    xmlFree(rid);
    if (!id)
      continue;
    if (header && !kit->header)
      S_take_hdrftr(kit, ref, "header", id, &kit->header, &kit->header_rels);
    if (footer && !kit->footer)
      S_take_hdrftr(kit, ref, "footer", id, &kit->footer, &kit->footer_rels);
  }
  if (doc)
    xmlFreeDoc(doc);
}

/* ---------------------------------------------------------------- the kit */

void emit_docx_kit_free(DocxKit *kit) {
  if (!kit)
    return;
  xmlBufferPtr bufs[] = {kit->styles, kit->theme,  kit->fonts,       kit->settings,
                         kit->header, kit->footer, kit->header_rels, kit->footer_rels};
  for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
    if (bufs[i])
      xmlBufferFree(bufs[i]);
  if (kit->numbering)
    xmlFreeDoc(kit->numbering);
  arena_free(&kit->arena);
  free(kit);
}

static bool S_kit_fail(DocxKit *kit, Reference *ref, const char *why) {
  fprintf(stderr, "ismsc: reference DOCX '%s': %s\n", ref->path, why);
  (void)kit;
  return false;
}

/* Reads the reference DOCX into the kit: styles, theme, fonts, settings, list definitions,
 * page setup, header and footer. */
static bool S_kit_reference(DocxKit *kit, const char *path, xmlDocPtr *styles, xmlDocPtr *numbering,
                            xmlDocPtr *theme, xmlDocPtr *fonts, xmlDocPtr *settings) {
  Reference ref = {NULL, path, &kit->arena, NULL};
  int err = 0;
  ref.zip = zip_open(path, ZIP_RDONLY, &err);
  if (!ref.zip) {
    zip_error_t ze;
    zip_error_init_with_code(&ze, err);
    fprintf(stderr, "ismsc: reference DOCX '%s': %s\n", path, zip_error_strerror(&ze));
    zip_error_fini(&ze);
    return false;
  }
  ref.rels = S_ref_parse(&ref, "word/_rels/document.xml.rels");
  const char *sname = ref.rels ? S_ref_part(&ref, "styles", NULL) : NULL;
  xmlDocPtr rs = sname ? S_ref_parse(&ref, sname) : NULL;
  bool ok = true;
  if (!rs || !S_is_w(xmlDocGetRootElement(rs), "styles")) {
    ok = S_kit_fail(kit, &ref, "not a DOCX with a readable word/styles.xml");
    if (rs)
      xmlFreeDoc(rs);
  } else {
    *styles = S_merge_styles(kit, *styles, rs);
    static const char *const types[] = {"numbering", "theme", "fontTable", "settings"};
    static const char *const roots[] = {"numbering", NULL, "fonts", "settings"};
    xmlDocPtr *docs[] = {numbering, theme, fonts, settings};
    for (size_t i = 0; i < 4; i++) {
      const char *name = S_ref_part(&ref, types[i], NULL);
      xmlDocPtr d = name ? S_ref_parse(&ref, name) : NULL;
      xmlNodePtr root = d ? xmlDocGetRootElement(d) : NULL;
      if (d && (!root || (roots[i] && !S_is_w(root, roots[i])))) {
        xmlFreeDoc(d); /* not what its relationship says: ignore it */
        d = NULL;
      }
      if (!d)
        continue;
      if (i == 0) {
        *numbering = S_merge_numbering(kit, *numbering, d);
      } else {
        xmlFreeDoc(*docs[i]);
        *docs[i] = d;
      }
    }
    S_take_section(kit, &ref);
  }
  if (ref.rels)
    xmlFreeDoc(ref.rels);
  zip_discard(ref.zip);
  return ok;
}

DocxKit *emit_docx_kit_new(const EmitContext *ctx) {
  DocxKit *kit = calloc(1, sizeof *kit);
  if (!kit)
    abort();
  arena_init(&kit->arena);
  kit->page = (Page){11906, 16838, 1134, 1134, 1134, 1134, 567, 567, 0};
  xmlDocPtr styles = S_parse_builtin("templates/docx/styles.xml");
  xmlDocPtr numbering = S_parse_builtin("templates/docx/numbering.xml");
  xmlDocPtr theme = S_parse_builtin("templates/docx/theme1.xml");
  xmlDocPtr fonts = S_parse_builtin("templates/docx/fontTable.xml");
  xmlDocPtr settings = S_parse_builtin("templates/docx/settings.xml");
  bool ok = styles && numbering && theme && fonts && settings;
  if (!ok)
    fprintf(stderr, "ismsc: the built-in DOCX templates are missing or malformed\n");
  kit->bullet_abstract = 1;
  kit->number_abstract = 2;
  kit->first_num_id = 1;
  for (int i = 0; i < ST_COUNT; i++)
    kit->style[i] = builtin_style_ids[i];
  xmlDocPtr builtin_settings = settings;
  if (ok && ctx->reference_docx)
    ok = S_kit_reference(kit, ctx->reference_docx, &styles, &numbering, &theme, &fonts, &settings);
  if (ok) {
    kit->styles = S_copy_doc(styles);
    kit->theme = S_copy_doc(theme);
    kit->fonts = S_copy_doc(fonts);
    kit->settings = S_settings(settings, settings != builtin_settings);
    kit->numbering = numbering;
    numbering = NULL;
  }
  xmlDocPtr docs[] = {styles, numbering, theme, fonts, settings};
  for (size_t i = 0; i < 5; i++)
    if (docs[i])
      xmlFreeDoc(docs[i]);
  if (!ok) {
    emit_docx_kit_free(kit);
    return NULL;
  }
  return kit;
}

/* ---------------------------------------------------------------- the document */

/* One list of a document: a w:num of its own, so its numbering restarts. */
typedef struct NumDef {
  int abstract;
  int level; /* the level it starts at (its nesting depth) */
  int start; /* ordered lists: the first number */
} NumDef;

typedef struct Docx {
  xmlTextWriterPtr w;
  const EmitContext *ctx;
  const DocxKit *kit;
  const Document *doc;
  Arena *a;
  bool landscape;     /* the SoA, and any document with a table too wide for portrait */
  long text_width;    /* twips between the margins */
  PtrVec links;       /* external targets; link i is relationship rId(FIRST_LINK + i) */
  HashMap link_index; /* target -> i + 1 */
  HashMap anchors;    /* anchors of this document -> bookmark name */
  HashMap widths;     /* a table class -> the column widths all its tables share */
  PtrVec nums;        /* NumDef *, numbered from kit->first_num_id */
  int bookmark;       /* the next bookmark id */
  bool last_table;    /* the last block written was a table */
  int in_table;       /* tables open (cells hold paragraphs too) */
  /* Inline formatting of the runs being written. */
  int bold, italic, strike, code, link;
  const char *badge_fill;
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

static const char *S_sid(Docx *d, StyleRole role) { return d->kit->style[role]; }

/* A Word bookmark name: letters, digits and '_', at most 40 characters, unique per anchor. */
static const char *S_bookmark_name(Arena *a, const char *anchor) {
  uint32_t h = 2166136261u;
  for (const char *p = anchor; *p; p++)
    h = (h ^ (unsigned char)*p) * 16777619u;
  char clean[32];
  size_t n = 0;
  for (const char *p = anchor; *p && n < sizeof clean - 1; p++) {
    char c = *p;
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    clean[n++] = ok ? c : '_';
  }
  clean[n] = '\0';
  return arena_printf(a, "r%08x_%s", h, clean);
}

/* Tables of more columns than this do not fit a portrait page (the RTP's risk table). */
enum { MAX_PORTRAIT_COLUMNS = 6 };

static int S_widest_table(const DocNode *n) {
  int widest = 0;
  for (; n; n = n->next) {
    int w = 0;
    if (n->kind == DOC_TABLE)
      for (const DocNode *r = n->first; r; r = r->next) {
        int cells = 0;
        for (const DocNode *c = r->first; c; c = c->next)
          cells++;
        w = cells > w ? cells : w;
      }
    int inner = S_widest_table(n->first);
    w = inner > w ? inner : w;
    widest = w > widest ? w : widest;
  }
  return widest;
}

static void S_collect_anchors(Docx *d, const DocNode *n) {
  for (; n; n = n->next) {
    if ((n->kind == DOC_SECTION || n->kind == DOC_ROW) && n->anchor &&
        !hashmap_get(&d->anchors, n->anchor))
      hashmap_put(d->a, &d->anchors, n->anchor, (void *)S_bookmark_name(d->a, n->anchor));
    S_collect_anchors(d, n->first);
  }
}

static void S_bookmark(Docx *d, const char *anchor) {
  const char *name = anchor ? hashmap_get(&d->anchors, anchor) : NULL;
  if (!name)
    return;
  EL(d->w, "w:bookmarkStart");
  S_attr_long(d->w, "w:id", d->bookmark);
  AT(d->w, "w:name", name);
  END(d->w);
  EL(d->w, "w:bookmarkEnd");
  S_attr_long(d->w, "w:id", d->bookmark);
  END(d->w);
  d->bookmark++;
}

/* ---------------------------------------------------------------- runs */

static void S_rpr(Docx *d) {
  const char *style = d->code         ? S_sid(d, ST_CODE_CHAR)
                      : d->link       ? S_sid(d, ST_HYPERLINK)
                      : d->badge_fill ? S_sid(d, ST_BADGE)
                                      : NULL;
  if (!style && !d->bold && !d->italic && !d->strike)
    return;
  EL(d->w, "w:rPr");
  if (style)
    S_val(d->w, "w:rStyle", style);
  if (d->bold)
    S_empty(d->w, "w:b");
  if (d->italic)
    S_empty(d->w, "w:i");
  if (d->strike)
    S_empty(d->w, "w:strike");
  if (d->badge_fill) {
    EL(d->w, "w:shd");
    AT(d->w, "w:val", "clear");
    AT(d->w, "w:color", "auto");
    AT(d->w, "w:fill", d->badge_fill);
    END(d->w);
  }
  END(d->w);
}

/* Text as one run: tabs become w:tab, line ends w:br. */
static void S_run(Docx *d, const char *text) {
  if (!text || !*text)
    return;
  text = S_clean(d->a, text);
  EL(d->w, "w:r");
  S_rpr(d);
  const char *p = text;
  while (*p) {
    size_t n = strcspn(p, "\t\n\r");
    if (n) {
      EL(d->w, "w:t");
      AT(d->w, "xml:space", "preserve");
      xmlTextWriterWriteFormatString(d->w, "%.*s", (int)n, p);
      END(d->w);
    }
    p += n;
    if (*p == '\t')
      S_empty(d->w, "w:tab");
    else if (*p == '\n')
      S_empty(d->w, "w:br");
    if (*p)
      p++;
  }
  END(d->w);
}

static void S_break(Docx *d) {
  EL(d->w, "w:r");
  S_empty(d->w, "w:br");
  END(d->w);
}

/* A field (PAGE, NUMPAGES) as Word writes it: begin, instruction, separate, result, end. */
static void S_field(xmlTextWriterPtr w, const char *instr, const char *placeholder) {
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

/* An external target's relationship id; the same target shares one. */
static const char *S_link_rid(Docx *d, const char *target) {
  target = S_clean(d->a, target);
  if (!hashmap_get(&d->link_index, target)) /* kept past the cmark tree it may come from */
    target = arena_strdup(d->a, target);
  intptr_t i = (intptr_t)hashmap_get(&d->link_index, target);
  if (!i) {
    ptrvec_push(d->a, &d->links, (void *)target);
    i = (intptr_t)d->links.len;
    hashmap_put(d->a, &d->link_index, target, (void *)i);
  }
  return arena_printf(d->a, "rId%d", RID_FIRST_LINK + (int)i - 1);
}

/* Where a record is shown in the DOCX set, from this document: "policies/POL-1.docx",
 * "../soa.docx", "POL-2.docx" between two policies; NULL when no DOCX document shows it (the
 * risk register is HTML only) or it is this one. */
static const char *S_record_docx(Docx *d, const Record *r) {
  DocRoute route;
  if (!doc_route(d->doc, r, DOC_DOCX, &route) || route.here)
    return NULL;
  if (!route.folder)
    return arena_printf(d->a, "%s%s.docx", route.up, route.file);
  if (d->doc->nested && strcmp(d->doc->type->file, route.folder) == 0)
    return arena_printf(d->a, "%s.docx", route.file); /* a sibling in the same folder */
  return arena_printf(d->a, "%s%s/%s.docx", route.up, route.folder, route.file);
}

/* Opens a w:hyperlink for a record (a bookmark in this document, else the DOCX that shows
 * it) or an external URL; false when the link stays text. */
static bool S_link_start(Docx *d, const Record *r, const char *href) {
  const char *bookmark = r ? hashmap_get(&d->anchors, r->id) : NULL;
  const char *rid = NULL;
  if (!bookmark && r) {
    const char *target = S_record_docx(d, r);
    if (target)
      rid = S_link_rid(d, target);
  } else if (!r && href && doc_safe_url(href)) {
    rid = S_link_rid(d, href);
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

static void S_link_end(Docx *d) {
  END(d->w);
  d->link--;
}

/* ---------------------------------------------------------------- paragraphs */

/* Starts a w:p with a style and optional list numbering, indent and alignment. */
typedef struct ParaProps {
  const char *style;
  int num_id, level; /* num_id 0: not numbered */
  long indent;       /* left indent in twips, 0: the style's */
  const char *jc;    /* "left", "center", "right" or NULL */
  bool keep_next;
} ParaProps;

static void S_para_start(Docx *d, ParaProps pp) {
  EL(d->w, "w:p");
  /* Body text right under a table would touch it. */
  bool gap = d->last_table && !d->in_table && !pp.style;
  d->last_table = false;
  if (!pp.style && !pp.num_id && !pp.indent && !pp.jc && !pp.keep_next && !gap)
    return;
  EL(d->w, "w:pPr");
  if (pp.style)
    S_val(d->w, "w:pStyle", pp.style);
  if (pp.keep_next)
    S_empty(d->w, "w:keepNext");
  if (pp.num_id) {
    EL(d->w, "w:numPr");
    char buf[16];
    snprintf(buf, sizeof buf, "%d", pp.level);
    S_val(d->w, "w:ilvl", buf);
    snprintf(buf, sizeof buf, "%d", pp.num_id);
    S_val(d->w, "w:numId", buf);
    END(d->w);
  }
  if (gap) {
    EL(d->w, "w:spacing");
    AT(d->w, "w:before", "160");
    END(d->w);
  }
  if (pp.indent) {
    EL(d->w, "w:ind");
    S_attr_long(d->w, "w:left", pp.indent);
    END(d->w);
  }
  if (pp.jc)
    S_val(d->w, "w:jc", pp.jc);
  END(d->w);
}

static void S_para_end(Docx *d) { END(d->w); }

static void S_para_text(Docx *d, ParaProps pp, const char *text) {
  S_para_start(d, pp);
  S_run(d, text);
  S_para_end(d);
}

/* A new list: its w:num restarts numbering at `start` on its level. Returns its numId. */
static int S_new_list(Docx *d, bool ordered, int level, int start) {
  NumDef *n = arena_alloc(d->a, sizeof *n);
  n->abstract = ordered ? d->kit->number_abstract : d->kit->bullet_abstract;
  n->level = level > 8 ? 8 : level;
  n->start = ordered ? (start > 0 ? start : 1) : 0;
  ptrvec_push(d->a, &d->nums, n);
  return d->kit->first_num_id + (int)d->nums.len - 1;
}

static int S_list_level(int depth) { return depth > 8 ? 8 : depth; }

/* ---------------------------------------------------------------- tables */

typedef struct Table {
  int ncols;
  long *widths; /* twips */
} Table;

/* Column widths from what the columns hold: each gets room for its longest word, and the
 * rest of the width goes by how much text it has. */
static void S_table_widths(Docx *d, Table *t, const size_t *text, const size_t *word) {
  long total = d->text_width, min_sum = 0, weight_sum = 0;
  long *mins = arena_alloc(d->a, sizeof *mins * (size_t)t->ncols);
  long *weights = arena_alloc(d->a, sizeof *weights * (size_t)t->ncols);
  for (int c = 0; c < t->ncols; c++) {
    size_t w = word[c] > 18 ? 18 : word[c];
    mins[c] = (long)w * 105 + 230;
    size_t len = text[c] > 160 ? 160 : text[c];
    weights[c] = (long)len + 2;
    min_sum += mins[c];
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

static void S_table_start(Docx *d, const Table *t) {
  if (d->last_table) /* two tables in a row would merge into one in Word */
    S_para_text(d, (ParaProps){.style = NULL}, "");
  d->in_table++;
  EL(d->w, "w:tbl");
  EL(d->w, "w:tblPr");
  S_val(d->w, "w:tblStyle", S_sid(d, ST_TABLE_GRID));
  EL(d->w, "w:tblW");
  S_attr_long(d->w, "w:w", d->text_width);
  AT(d->w, "w:type", "dxa");
  END(d->w);
  EL(d->w, "w:tblLayout");
  AT(d->w, "w:type", "fixed");
  END(d->w);
  EL(d->w, "w:tblLook");
  AT(d->w, "w:val", "04A0");
  END(d->w);
  END(d->w);
  EL(d->w, "w:tblGrid");
  for (int c = 0; c < t->ncols; c++) {
    EL(d->w, "w:gridCol");
    S_attr_long(d->w, "w:w", t->widths[c]);
    END(d->w);
  }
  END(d->w);
}

static void S_table_end(Docx *d) {
  END(d->w);
  d->in_table--;
  d->last_table = true;
}

static void S_row_start(Docx *d, bool header) {
  EL(d->w, "w:tr");
  EL(d->w, "w:trPr");
  S_empty(d->w, "w:cantSplit");
  if (header)
    S_empty(d->w, "w:tblHeader");
  END(d->w);
}

static void S_cell_start(Docx *d, long width, const char *fill) {
  EL(d->w, "w:tc");
  EL(d->w, "w:tcPr");
  EL(d->w, "w:tcW");
  S_attr_long(d->w, "w:w", width);
  AT(d->w, "w:type", "dxa");
  END(d->w);
  if (fill) {
    EL(d->w, "w:shd");
    AT(d->w, "w:val", "clear");
    AT(d->w, "w:color", "auto");
    AT(d->w, "w:fill", fill);
    END(d->w);
  }
  END(d->w);
}

static const char HEADER_FILL[] = "E8ECF1";

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

/* Fills for level and status badges, as the HTML stylesheet colours them. */
static const char *S_badge_fill(const char *cls) {
  static const char *const fills[][2] = {{"level-low", "CFE8C9"},  {"level-medium", "FBE7A1"},
                                         {"level-high", "F6B26B"}, {"level-critical", "E06666"},
                                         {"overdue", "F4CCCC"},    {"status-implemented", "CFE8C9"},
                                         {"status-done", "CFE8C9"}};
  for (size_t i = 0; cls && i < sizeof fills / sizeof fills[0]; i++)
    if (strcmp(cls, fills[i][0]) == 0)
      return fills[i][1];
  return "EEF1F5";
}

static void S_inline(Docx *d, const DocNode *n) {
  switch (n->kind) {
  case DOC_TEXT: S_run(d, n->text); break;
  case DOC_STRONG:
    d->bold++;
    S_inlines(d, n);
    d->bold--;
    break;
  case DOC_LINK: {
    bool open = S_link_start(d, n->record, n->href);
    S_inlines(d, n);
    if (open)
      S_link_end(d);
    break;
  }
  case DOC_BADGE:
    d->badge_fill = S_badge_fill(n->cls);
    S_run(d, arena_printf(d->a, " %s ", n->text ? n->text : ""));
    d->badge_fill = NULL;
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
    S_para_start(d, pp);
    for (; c && S_is_inline(c->kind); c = c->next)
      S_inline(d, c);
    S_para_end(d);
  }
}

static size_t S_text_len(const DocNode *n) {
  size_t len = n->text && n->kind != DOC_SECTION ? strlen(n->text) : 0;
  for (const DocNode *c = n->first; c; c = c->next)
    len += S_text_len(c);
  return len;
}

/* The longest word of a node's text, for a column's minimum width. */
static size_t S_longest_word(const DocNode *n) {
  size_t best = 0, cur = 0;
  for (const char *p = n->kind == DOC_TEXT || n->kind == DOC_BADGE ? n->text : NULL; p && *p; p++) {
    if ((unsigned char)*p >= 0x80 && ((unsigned char)*p & 0xC0) == 0x80)
      continue;
    cur = (*p == ' ' || *p == '\n') ? 0 : cur + 1;
    if (cur > best)
      best = cur;
  }
  for (const DocNode *c = n->first; c; c = c->next) {
    size_t w = S_longest_word(c);
    if (w > best)
      best = w;
  }
  return best;
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
      size_t len = S_text_len(c), w = S_longest_word(c);
      if (len > text[col])
        text[col] = len;
      if (w > word[col])
        word[col] = w;
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
  Table t = {S_doc_columns(n), NULL};
  if (!t.ncols)
    return;
  t.widths = n->cls ? hashmap_get(&d->widths, n->cls) : NULL;
  if (!t.widths) {
    size_t *text = arena_alloc(d->a, sizeof *text * (size_t)t.ncols);
    size_t *word = arena_alloc(d->a, sizeof *word * (size_t)t.ncols);
    if (n->cls)
      S_doc_measure_class(d->doc->body, n->cls, t.ncols, text, word);
    else
      S_doc_measure(n, t.ncols, text, word);
    S_table_widths(d, &t, text, word);
    if (n->cls)
      hashmap_put(d->a, &d->widths, n->cls, t.widths);
  }
  if (n->text)
    S_para_text(d, (ParaProps){.style = S_sid(d, ST_CAPTION), .keep_next = true}, n->text);
  S_table_start(d, &t);
  int row = 0;
  for (const DocNode *r = n->first; r; r = r->next, row++) {
    bool header = row < n->header_rows;
    S_row_start(d, header);
    int col = 0;
    for (const DocNode *c = r->first; c; c = c->next, col++) {
      bool head = header || c->header;
      S_cell_start(d, t.widths[col], head ? HEADER_FILL : NULL);
      S_para_start(d, (ParaProps){.style = S_sid(d, head ? ST_TABLE_HEADING : ST_TABLE_TEXT),
                                  .jc = c->numeric ? "right" : NULL});
      if (col == 0)
        S_bookmark(d, r->anchor);
      S_inlines(d, c);
      S_para_end(d);
      END(d->w); /* tc */
    }
    for (; col < t.ncols; col++) { /* a short row: every cell needs a paragraph */
      S_cell_start(d, t.widths[col], header ? HEADER_FILL : NULL);
      S_para_text(d, (ParaProps){.style = S_sid(d, ST_TABLE_TEXT)}, "");
      END(d->w);
    }
    END(d->w); /* tr */
  }
  S_table_end(d);
}

/* A table of key and value rows (document control). */
static void S_key_value_row(Docx *d, const Table *t, const char *key, const char *value) {
  if (!value || !*value)
    return;
  S_row_start(d, false);
  S_cell_start(d, t->widths[0], HEADER_FILL);
  S_para_text(d, (ParaProps){.style = S_sid(d, ST_TABLE_HEADING)}, key);
  END(d->w);
  S_cell_start(d, t->widths[1], NULL);
  S_para_text(d, (ParaProps){.style = S_sid(d, ST_TABLE_TEXT)}, value);
  END(d->w);
  END(d->w);
}

static void S_control_table(Docx *d) {
  long widths[2] = {d->text_width * 3 / 10, d->text_width - d->text_width * 3 / 10};
  Table t = {2, widths};
  S_para_text(d, (ParaProps){.style = S_sid(d, ST_CAPTION), .keep_next = true}, "Document control");
  S_table_start(d, &t);
  for (size_t i = 0; i < d->doc->nfields; i++)
    S_key_value_row(d, &t, d->doc->fields[i].key, d->doc->fields[i].value);
  S_table_end(d);
}

/* Key figures (the SoA's counts) as a one-row table: the number over its label. */
static void S_figures(Docx *d, const DocNode *n) {
  int count = 0;
  for (const DocNode *f = n->first; f; f = f->next)
    count++;
  if (!count)
    return;
  Table t = {count, arena_alloc(d->a, sizeof(long) * (size_t)count)};
  for (int i = 0; i < count; i++)
    t.widths[i] = d->text_width / count;
  S_table_start(d, &t);
  S_row_start(d, false);
  int i = 0;
  for (const DocNode *f = n->first; f; f = f->next, i++) {
    S_cell_start(d, t.widths[i], "F4F6F9");
    S_para_text(d, (ParaProps){.style = S_sid(d, ST_FIGURE_NUMBER)}, f->text);
    S_para_text(d, (ParaProps){.style = S_sid(d, ST_FIGURE_LABEL)}, f->cls);
    END(d->w);
  }
  END(d->w);
  S_table_end(d);
}

/* A heat map as a table: likelihood rows, impact columns, the count of risks per cell. */
static void S_heatmap(Docx *d, const DocNode *n) {
  const HeatMap *hm = n->heatmap;
  if (!hm || hm->nimpact < 1 || hm->nlikelihood < 1)
    return;
  Table t = {hm->nimpact + 1, arena_alloc(d->a, sizeof(long) * (size_t)(hm->nimpact + 1))};
  for (int i = 0; i < t.ncols; i++)
    t.widths[i] = d->text_width / t.ncols;
  S_para_text(d, (ParaProps){.style = S_sid(d, ST_CAPTION), .keep_next = true},
              arena_printf(d->a, "%s: likelihood (rows) by impact (columns)", hm->title));
  S_table_start(d, &t);
  for (int l = hm->nlikelihood; l >= 0; l--) {
    S_row_start(d, l == 0);
    for (int i = 0; i <= hm->nimpact; i++) {
      const char *text = "", *fill = NULL;
      if (l == 0 && i > 0)
        text = hm->impact ? hm->impact[i - 1] : arena_printf(d->a, "%d", i);
      else if (i == 0 && l > 0)
        text = hm->likelihood ? hm->likelihood[l - 1] : arena_printf(d->a, "%d", l);
      else if (l > 0) {
        size_t count = hm->cells[l - 1][i - 1].len;
        text = count ? arena_printf(d->a, "%zu", count) : "";
        int level = model_level_of(hm->model, l * i);
        int nlev = (int)hm->model->method.nlevel;
        int band = level < 0 ? 3 : (nlev <= 1 ? 0 : level * 3 / (nlev - 1));
        static const char *const fills[] = {"CFE8C9", "FBE7A1", "F6B26B", "E06666"};
        fill = fills[band > 3 ? 3 : band];
      }
      S_cell_start(d, t.widths[i], l == 0 || i == 0 ? HEADER_FILL : fill);
      S_para_text(
          d,
          (ParaProps){.style = S_sid(d, l == 0 || i == 0 ? ST_TABLE_HEADING : ST_TABLE_TEXT),
                      .jc = "center"},
          text);
      END(d->w);
    }
    END(d->w);
  }
  S_table_end(d);
}

static void S_markdown(Docx *d, const DocNode *n, int list_depth);

static void S_list(Docx *d, const DocNode *n, int depth) {
  int num = S_new_list(d, n->ordered, S_list_level(depth), 1);
  for (const DocNode *item = n->first; item; item = item->next) {
    ParaProps pp = {
        .style = S_sid(d, ST_LIST_PARAGRAPH), .num_id = num, .level = S_list_level(depth)};
    bool numbered = false;
    const DocNode *c = item->first;
    while (c || !numbered) {
      if (c && !S_is_inline(c->kind)) {
        if (!numbered) /* the item's number needs a paragraph of its own */
          S_para_text(d, pp, "");
        numbered = true;
        S_block(d, c, depth + 1);
        c = c->next;
        continue;
      }
      S_para_start(
          d, numbered ? (ParaProps){.style = pp.style, .indent = 454L * (S_list_level(depth) + 1)}
                      : pp);
      for (; c && S_is_inline(c->kind); c = c->next)
        S_inline(d, c);
      S_para_end(d);
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
      S_para_start(d, (ParaProps){.style = S_sid(d, role)});
      S_bookmark(d, n->anchor);
      S_run(d, n->text);
      S_para_end(d);
    }
    S_blocks(d, n, (ParaProps){0}, list_depth);
    break;
  case DOC_PARA:
    S_para_start(d, (ParaProps){0});
    S_inlines(d, n);
    S_para_end(d);
    break;
  case DOC_LIST: S_list(d, n, list_depth); break;
  case DOC_TABLE: S_doc_table(d, n); break;
  case DOC_MARKDOWN: S_markdown(d, n, list_depth); break;
  case DOC_HEATMAP: S_heatmap(d, n); break;
  case DOC_FIGURES: S_figures(d, n); break;
  case DOC_CONTROL: S_control_table(d); break;
  case DOC_NOTICE: S_blocks(d, n, (ParaProps){.style = S_sid(d, ST_NOTICE)}, list_depth); break;
  case DOC_TEXT:
  case DOC_STRONG:
  case DOC_LINK:
  case DOC_BADGE:
    S_para_start(d, (ParaProps){0});
    S_inline(d, n);
    S_para_end(d);
    break;
  case DOC_ITEM:
  case DOC_ROW:
  case DOC_CELL:
  case DOC_FIGURE: S_blocks(d, n, (ParaProps){0}, list_depth); break; /* outside their parent */
  }
}

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

static int S_md_level(MdWalk *m) { return S_list_level(m->base_depth + m->depth - 1); }

/* Paragraph properties for a block starting now: the pending number of the current item,
 * else the indent of the list it continues, else a quote. */
static ParaProps S_md_props(MdWalk *m, const char *style) {
  ParaProps pp = {.style = style};
  if (m->depth > 0 && m->pending[m->depth - 1]) {
    pp.num_id = m->num[m->depth - 1];
    pp.level = S_md_level(m);
    if (!style)
      pp.style = S_sid(m->d, ST_LIST_PARAGRAPH);
  } else if (m->depth + m->base_depth > 0) {
    pp.indent = 454L * (S_md_level(m) + 1);
    if (!style)
      pp.style = S_sid(m->d, ST_LIST_PARAGRAPH);
  }
  if (!pp.style && m->quote)
    pp.style = S_sid(m->d, ST_QUOTE);
  return pp;
}

/* Starts a paragraph for the current block; the first one of an item carries its number
 * and check box. */
static void S_md_para(MdWalk *m, const char *style) {
  ParaProps pp = S_md_props(m, style);
  S_para_start(m->d, pp);
  if (pp.num_id) {
    m->pending[m->depth - 1] = false;
    if (m->task[m->depth - 1])
      S_run(m->d, m->task[m->depth - 1]);
  }
}

/* Before a block that cannot carry a list number (a table, a nested list): an empty
 * numbered paragraph, so the item still shows its number. */
static void S_md_flush_item(MdWalk *m) {
  if (m->depth > 0 && m->pending[m->depth - 1]) {
    S_md_para(m, NULL);
    S_para_end(m->d);
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
    d->text_width -= 454L * (S_list_level(m->base_depth + m->depth - 1) + 1);
  S_table_widths(d, &m->table, text, word);
  S_table_start(d, &m->table);
  d->text_width = saved;
}

static const char *S_md_jc(MdWalk *m) {
  uint8_t a = m->align && m->col < m->ncols ? m->align[m->col] : 0;
  return a == 'c' ? "center" : a == 'r' ? "right" : a == 'l' ? "left" : NULL;
}

static void S_md_cell_start(MdWalk *m) {
  Docx *d = m->d;
  long width = m->col < m->ncols ? m->table.widths[m->col] : 0;
  S_cell_start(d, width, m->header_row ? HEADER_FILL : NULL);
  S_para_start(d, (ParaProps){.style = S_sid(d, m->header_row ? ST_TABLE_HEADING : ST_TABLE_TEXT),
                              .jc = S_md_jc(m)});
}

static void S_md_row_end(MdWalk *m) {
  for (; m->col < m->ncols; m->col++) { /* rows shorter than the header */
    S_md_cell_start(m);
    S_para_end(m->d);
    END(m->d->w);
  }
  END(m->d->w);
}

static void S_md_link_start(MdWalk *m, cmark_node *node) {
  Docx *d = m->d;
  const char *url = cmark_node_get_url(node);
  bool open = false;
  if (url && strncmp(url, RECORD_URL_PREFIX, strlen(RECORD_URL_PREFIX)) == 0) {
    const Record *r = hashmap_get(&d->ctx->model->ids, url + strlen(RECORD_URL_PREFIX));
    open = r && S_link_start(d, r, NULL);
  } else if (url) {
    open = S_link_start(d, NULL, url);
  }
  if (m->nlinks == m->link_cap) {
    size_t cap = m->link_cap ? m->link_cap * 2 : 4;
    m->linked = arena_grow(d->a, m->linked, m->link_cap, cap, sizeof *m->linked);
    m->link_cap = cap;
  }
  m->linked[m->nlinks++] = open;
}

static void S_md_code_block(MdWalk *m, cmark_node *node) {
  S_md_para(m, S_sid(m->d, ST_CODE));
  const char *lit = cmark_node_get_literal(node);
  size_t len = lit ? strlen(lit) : 0;
  while (len && (lit[len - 1] == '\n' || lit[len - 1] == '\r'))
    len--;
  S_run(m->d, arena_strndup(m->d->a, lit ? lit : "", len));
  S_para_end(m->d);
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
    int level = cmark_node_get_heading_level(node) + m->heading_offset;
    level = level < 1 ? 1 : level > 6 ? 6 : level;
    S_para_start(d, (ParaProps){.style = S_sid(d, (StyleRole)(ST_H1 + level - 1))});
    break;
  }
  case CMARK_NODE_CODE_BLOCK: S_md_code_block(m, node); break;
  case CMARK_NODE_HTML_BLOCK: S_md_code_block(m, node); break; /* --unsafe-html: as text */
  case CMARK_NODE_THEMATIC_BREAK:
    S_md_flush_item(m);
    S_para_text(d, (ParaProps){.style = S_sid(d, ST_RULE)}, "");
    break;
  case CMARK_NODE_BLOCK_QUOTE: m->quote++; break;
  case CMARK_NODE_LIST: {
    S_md_flush_item(m);
    m->depth++;
    S_md_grow(m);
    bool ordered = cmark_node_get_list_type(node) == CMARK_ORDERED_LIST;
    m->num[m->depth - 1] = S_new_list(d, ordered, S_md_level(m), cmark_node_get_list_start(node));
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
  case CMARK_NODE_HTML_INLINE: S_run(d, cmark_node_get_literal(node)); break;
  case CMARK_NODE_CODE:
    d->code++;
    S_run(d, cmark_node_get_literal(node));
    d->code--;
    break;
  case CMARK_NODE_SOFTBREAK: S_run(d, " "); break;
  case CMARK_NODE_LINEBREAK: S_break(d); break;
  case CMARK_NODE_EMPH: d->italic++; break;
  case CMARK_NODE_STRONG: d->bold++; break;
  case CMARK_NODE_LINK: S_md_link_start(m, node); break;
  default:
    if (S_md_is(node, "table")) {
      S_md_table_start(m, node);
    } else if (S_md_is_row(node)) {
      m->header_row = cmark_gfm_extensions_get_table_row_is_header(node);
      m->col = 0;
      S_row_start(d, m->header_row);
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
      S_para_end(d);
    break;
  case CMARK_NODE_HEADING: S_para_end(d); break;
  case CMARK_NODE_BLOCK_QUOTE: m->quote--; break;
  case CMARK_NODE_LIST: m->depth--; break;
  case CMARK_NODE_ITEM: S_md_flush_item(m); break; /* an empty item still shows its number */
  case CMARK_NODE_EMPH: d->italic--; break;
  case CMARK_NODE_STRONG: d->bold--; break;
  case CMARK_NODE_LINK:
    if (m->nlinks && m->linked[--m->nlinks])
      S_link_end(d);
    break;
  default:
    if (S_md_is(node, "table")) {
      S_table_end(d);
      m->ncols = 0;
      m->align = NULL;
    } else if (S_md_is_row(node)) {
      S_md_row_end(m);
    } else if (S_md_is(node, "table_cell")) {
      if (m->col < m->ncols) {
        S_para_end(d);
        END(d->w);
      }
      m->col++;
    } else if (S_md_is(node, "strikethrough")) {
      d->strike--;
    }
    break;
  }
}

static void S_markdown(Docx *d, const DocNode *n, int list_depth) {
  MdDoc md = md_prepare(d->ctx->model, n->md, n->md_len, d->ctx->unsafe_html);
  MdWalk m = {.d = d, .heading_offset = n->level - 1, .base_depth = list_depth};
  cmark_iter *it = cmark_iter_new(md.root);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *node = cmark_iter_get_node(it);
    if (ev == CMARK_EVENT_ENTER)
      S_md_enter(&m, node);
    else
      S_md_exit(&m, node);
  }
  cmark_iter_free(it);
  md_free(&md);
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
  xmlTextWriterPtr w = d->w;
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
  S_attr_long(w, "w:w", p.width);
  S_attr_long(w, "w:h", p.height);
  if (d->landscape)
    AT(w, "w:orient", "landscape");
  END(w);
  EL(w, "w:pgMar");
  S_attr_long(w, "w:top", p.top);
  S_attr_long(w, "w:right", p.right);
  S_attr_long(w, "w:bottom", p.bottom);
  S_attr_long(w, "w:left", p.left);
  S_attr_long(w, "w:header", p.header);
  S_attr_long(w, "w:footer", p.footer);
  S_attr_long(w, "w:gutter", p.gutter);
  END(w);
  END(w);
}

static xmlBufferPtr S_document_part(Docx *d) {
  Writer wr = S_writer_new();
  d->w = wr.w;
  EL(d->w, "w:document");
  AT(d->w, "xmlns:w", NS_W);
  AT(d->w, "xmlns:r", NS_R);
  EL(d->w, "w:body");
  S_block(d, d->doc->body, 0);
  if (d->last_table) /* Word wants a paragraph between a table and the section's end */
    S_para_text(d, (ParaProps){0}, "");
  S_sect_pr(d);
  END(d->w);
  END(d->w);
  d->w = NULL;
  return S_writer_done(&wr);
}

static void S_relationship(xmlTextWriterPtr w, int id, const char *type, const char *target,
                           bool external) {
  char rid[16];
  snprintf(rid, sizeof rid, "rId%d", id);
  EL(w, "Relationship");
  AT(w, "Id", rid);
  AT(w, "Type", type);
  AT(w, "Target", target);
  if (external)
    AT(w, "TargetMode", "External");
  END(w);
}

static xmlBufferPtr S_document_rels(Docx *d) {
  Writer wr = S_writer_new();
  EL(wr.w, "Relationships");
  AT(wr.w, "xmlns", NS_RELS);
  S_relationship(wr.w, RID_STYLES, REL "styles", "styles.xml", false);
  S_relationship(wr.w, RID_NUMBERING, REL "numbering", "numbering.xml", false);
  S_relationship(wr.w, RID_SETTINGS, REL "settings", "settings.xml", false);
  S_relationship(wr.w, RID_FONTS, REL "fontTable", "fontTable.xml", false);
  S_relationship(wr.w, RID_THEME, REL "theme", "theme/theme1.xml", false);
  S_relationship(wr.w, RID_HEADER, REL "header", "header1.xml", false);
  S_relationship(wr.w, RID_FOOTER, REL "footer", "footer1.xml", false);
  for (size_t i = 0; i < d->links.len; i++)
    S_relationship(wr.w, RID_FIRST_LINK + (int)i, REL "hyperlink", d->links.items[i], true);
  END(wr.w);
  return S_writer_done(&wr);
}

static xmlBufferPtr S_package_rels(void) {
  Writer wr = S_writer_new();
  EL(wr.w, "Relationships");
  AT(wr.w, "xmlns", NS_RELS);
  S_relationship(wr.w, 1, REL "officeDocument", "word/document.xml", false);
  S_relationship(wr.w, 2,
                 "http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
                 "core-properties",
                 "docProps/core.xml", false);
  S_relationship(wr.w, 3, REL "extended-properties", "docProps/app.xml", false);
  S_relationship(wr.w, 4, REL "custom-properties", "docProps/custom.xml", false);
  END(wr.w);
  return S_writer_done(&wr);
}

/* The document's w:num entries: the kit's list definitions, then one w:num per list. */
static xmlBufferPtr S_numbering_part(Docx *d) {
  Writer wr = S_writer_new();
  xmlNodePtr root = xmlDocGetRootElement(d->kit->numbering);
  char q[256];
  xmlTextWriterStartElement(wr.w, BAD_CAST S_qname(q, sizeof q, root->ns, root->name));
  for (const xmlNs *ns = root->nsDef; ns; ns = ns->next) {
    snprintf(q, sizeof q, ns->prefix ? "xmlns:%s" : "xmlns", (const char *)ns->prefix);
    AT(wr.w, q, (const char *)ns->href);
  }
  if (!root->nsDef || !root->ns || !root->ns->prefix || strcmp((const char *)root->ns->prefix, "w"))
    AT(wr.w, "xmlns:w", NS_W); /* our w:num below need the w prefix */
  xmlNodePtr cleanup = NULL;
  for (xmlNodePtr c = root->children; c; c = c->next) {
    if (S_is_w(c, "numIdMacAtCleanup"))
      cleanup = c;
    else
      S_copy(wr.w, c);
  }
  for (size_t i = 0; i < d->nums.len; i++) {
    const NumDef *n = d->nums.items[i];
    char buf[16];
    EL(wr.w, "w:num");
    snprintf(buf, sizeof buf, "%d", d->kit->first_num_id + (int)i);
    AT(wr.w, "w:numId", buf);
    snprintf(buf, sizeof buf, "%d", n->abstract);
    S_val(wr.w, "w:abstractNumId", buf);
    if (n->start) {
      EL(wr.w, "w:lvlOverride");
      snprintf(buf, sizeof buf, "%d", n->level);
      AT(wr.w, "w:ilvl", buf);
      snprintf(buf, sizeof buf, "%d", n->start);
      S_val(wr.w, "w:startOverride", buf);
      END(wr.w);
    }
    END(wr.w);
  }
  if (cleanup)
    S_copy(wr.w, cleanup);
  END(wr.w);
  return S_writer_done(&wr);
}

/* Header: the title and classification; footer: organisation, version and date, and
 * "Page X of Y" as PAGE and NUMPAGES fields. Both right-align on a tab at the margin. */
static void S_tab_stop(Docx *d, xmlTextWriterPtr w, const char *style) {
  EL(w, "w:pPr");
  S_val(w, "w:pStyle", style);
  EL(w, "w:tabs");
  EL(w, "w:tab");
  AT(w, "w:val", "right");
  S_attr_long(w, "w:pos", d->text_width);
  END(w);
  END(w);
  END(w);
}

static void S_plain_run(Arena *a, xmlTextWriterPtr w, const char *text, bool tab_before) {
  EL(w, "w:r");
  if (tab_before)
    S_empty(w, "w:tab");
  EL(w, "w:t");
  AT(w, "xml:space", "preserve");
  TEXT(w, S_clean(a, text));
  END(w);
  END(w);
}

static xmlBufferPtr S_header_part(Docx *d) {
  Writer wr = S_writer_new();
  xmlTextWriterPtr w = wr.w;
  const DocControl *c = &d->doc->control;
  EL(w, "w:hdr");
  AT(w, "xmlns:w", NS_W);
  AT(w, "xmlns:r", NS_R);
  EL(w, "w:p");
  S_tab_stop(d, w, S_sid(d, ST_HEADER));
  S_plain_run(d->a, w, d->doc->title ? d->doc->title : "", false);
  const char *right = c->classification ? c->classification : "";
  if (d->ctx->draft)
    right = *right ? arena_printf(d->a, "%s · DRAFT", right) : "DRAFT";
  S_plain_run(d->a, w, right, true);
  END(w);
  END(w);
  return S_writer_done(&wr);
}

static xmlBufferPtr S_footer_part(Docx *d) {
  Writer wr = S_writer_new();
  xmlTextWriterPtr w = wr.w;
  EL(w, "w:ftr");
  AT(w, "xmlns:w", NS_W);
  AT(w, "xmlns:r", NS_R);
  EL(w, "w:p");
  S_tab_stop(d, w, S_sid(d, ST_FOOTER));
  S_plain_run(d->a, w, d->doc->footer, false);
  S_plain_run(d->a, w, "Page ", true);
  S_field(w, " PAGE ", "1");
  S_plain_run(d->a, w, " of ", false);
  S_field(w, " NUMPAGES ", "1");
  END(w);
  END(w);
  return S_writer_done(&wr);
}

static void S_text_element(Arena *a, xmlTextWriterPtr w, const char *name, const char *text) {
  if (!text || !*text)
    return;
  EL(w, name);
  TEXT(w, S_clean(a, text));
  END(w);
}

static xmlBufferPtr S_core_part(Docx *d) {
  Writer wr = S_writer_new();
  xmlTextWriterPtr w = wr.w;
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
  S_text_element(d->a, w, "dc:identifier", c->id);
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
  return S_writer_done(&wr);
}

static xmlBufferPtr S_app_part(Docx *d) {
  Writer wr = S_writer_new();
  xmlTextWriterPtr w = wr.w;
  EL(w, "Properties");
  AT(w, "xmlns", "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties");
  S_text_element(d->a, w, "Application", "ismsc " ISMSC_VERSION);
  S_text_element(d->a, w, "Company", d->doc->control.organisation);
  END(w);
  return S_writer_done(&wr);
}

/* Custom properties, so a reference DOCX's own header can show them with DOCPROPERTY
 * fields (docs/docx.md). */
static xmlBufferPtr S_custom_part(Docx *d) {
  const DocControl *c = &d->doc->control;
  char date[11];
  date_format(&d->ctx->date, date);
  const char *props[][2] = {{"Organisation", c->organisation},
                            {"DocumentId", c->id},
                            {"Version", c->version},
                            {"Owner", c->owner},
                            {"Classification", c->classification},
                            {"Status", c->status},
                            {"Issued", date},
                            {"SourceRevision", revision_text(d->a, d->ctx->revision)}};
  Writer wr = S_writer_new();
  xmlTextWriterPtr w = wr.w;
  EL(w, "Properties");
  AT(w, "xmlns", "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties");
  AT(w, "xmlns:vt", "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes");
  int pid = 2; /* 0 and 1 are reserved */
  for (size_t i = 0; i < sizeof props / sizeof props[0]; i++) {
    if (!props[i][1])
      continue;
    EL(w, "property");
    AT(w, "fmtid", "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}");
    S_attr_long(w, "pid", pid++);
    AT(w, "name", props[i][0]);
    S_text_element(d->a, w, "vt:lpwstr", props[i][1]);
    if (!*props[i][1]) {
      EL(w, "vt:lpwstr");
      END(w);
    }
    END(w);
  }
  END(w);
  return S_writer_done(&wr);
}

static xmlBufferPtr S_content_types(const DocxKit *kit, const Part *parts, size_t n) {
  Writer wr = S_writer_new();
  xmlTextWriterPtr w = wr.w;
  EL(w, "Types");
  AT(w, "xmlns", NS_CT);
  EL(w, "Default");
  AT(w, "Extension", "rels");
  AT(w, "ContentType", "application/vnd.openxmlformats-package.relationships+xml");
  END(w);
  EL(w, "Default");
  AT(w, "Extension", "xml");
  AT(w, "ContentType", "application/xml");
  END(w);
  for (size_t i = 0; i < kit->ndefaults; i++) {
    EL(w, "Default");
    AT(w, "Extension", kit->defaults[i][0]);
    AT(w, "ContentType", kit->defaults[i][1]);
    END(w);
  }
  for (size_t i = 0; i < n; i++) {
    if (!parts[i].content_type)
      continue;
    EL(w, "Override");
    char name[256];
    snprintf(name, sizeof name, "/%s", parts[i].name);
    AT(w, "PartName", name);
    AT(w, "ContentType", parts[i].content_type);
    END(w);
  }
  END(w);
  return S_writer_done(&wr);
}

/* ---------------------------------------------------------------- the zip */

static Part S_part(const char *name, const char *type, xmlBufferPtr buf) {
  return (Part){name, type, xmlBufferContent(buf), (size_t)xmlBufferLength(buf)};
}

/* Writes the parts in order; every entry deflated and stamped with the build date. */
static bool S_zip(const char *path, const Part *parts, size_t n, const Date *date) {
  int err = 0;
  zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
  if (!z)
    return false;
  int year = date->year < 1980 ? 1980 : date->year > 2107 ? 2107 : date->year;
  zip_uint16_t dos_date = (zip_uint16_t)(((year - 1980) << 9) | (date->month << 5) | date->day);
  for (size_t i = 0; i < n; i++) {
    zip_source_t *src = zip_source_buffer(z, parts[i].data, parts[i].len, 0);
    zip_int64_t idx = src ? zip_file_add(z, parts[i].name, src, ZIP_FL_ENC_UTF_8) : -1;
    if (idx < 0) {
      if (src)
        zip_source_free(src);
      zip_discard(z);
      return false;
    }
    zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 6);
    zip_file_set_dostime(z, (zip_uint64_t)idx, 0, dos_date, 0);
  }
  if (zip_close(z) != 0) {
    fprintf(stderr, "ismsc: %s: %s\n", path, zip_strerror(z));
    zip_discard(z);
    return false;
  }
  return true;
}

static bool S_write(const EmitContext *ctx, const DocxKit *kit, const Document *doc,
                    const char *path) {
  Arena a;
  arena_init(&a);
  Docx d = {.ctx = ctx, .kit = kit, .doc = doc, .a = &a};
  hashmap_init(&d.link_index);
  hashmap_init(&d.anchors);
  hashmap_init(&d.widths);
  d.landscape = doc->landscape || S_widest_table(doc->body) > MAX_PORTRAIT_COLUMNS;
  Page page = S_page(&d);
  d.text_width = page.width - page.left - page.right;
  S_collect_anchors(&d, doc->body);

  xmlBufferPtr mine[16];
  size_t nmine = 0;
  Part parts[16 + MAX_EXTRA_PARTS];
  size_t n = 1; /* [Content_Types].xml goes first, written last */
#define OWN(buf) (mine[nmine++] = (buf))
  xmlBufferPtr body = OWN(S_document_part(&d));
  parts[n++] = S_part("_rels/.rels", NULL, OWN(S_package_rels()));
  parts[n++] =
      S_part("docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml",
             OWN(S_core_part(&d)));
  parts[n++] = S_part("docProps/app.xml",
                      "application/vnd.openxmlformats-officedocument.extended-properties+xml",
                      OWN(S_app_part(&d)));
  parts[n++] = S_part("docProps/custom.xml",
                      "application/vnd.openxmlformats-officedocument.custom-properties+xml",
                      OWN(S_custom_part(&d)));
  parts[n++] = S_part("word/document.xml", CT_WML "document.main+xml", body);
  parts[n++] = S_part("word/_rels/document.xml.rels", NULL, OWN(S_document_rels(&d)));
  parts[n++] = S_part("word/styles.xml", CT_WML "styles+xml", kit->styles);
  parts[n++] = S_part("word/numbering.xml", CT_WML "numbering+xml", OWN(S_numbering_part(&d)));
  parts[n++] = S_part("word/settings.xml", CT_WML "settings+xml", kit->settings);
  parts[n++] = S_part("word/fontTable.xml", CT_WML "fontTable+xml", kit->fonts);
  parts[n++] = S_part("word/theme/theme1.xml",
                      "application/vnd.openxmlformats-officedocument.theme+xml", kit->theme);
  parts[n++] = S_part("word/header1.xml", CT_WML "header+xml",
                      kit->header ? kit->header : OWN(S_header_part(&d)));
  if (kit->header && kit->header_rels)
    parts[n++] = S_part("word/_rels/header1.xml.rels", NULL, kit->header_rels);
  parts[n++] = S_part("word/footer1.xml", CT_WML "footer+xml",
                      kit->footer ? kit->footer : OWN(S_footer_part(&d)));
  if (kit->footer && kit->footer_rels)
    parts[n++] = S_part("word/_rels/footer1.xml.rels", NULL, kit->footer_rels);
  for (size_t i = 0; i < kit->nextra; i++) {
    bool dup = false; /* header and footer may share a logo */
    for (size_t j = 0; j < i; j++)
      dup = dup || strcmp(kit->extra[i].name, kit->extra[j].name) == 0;
    if (!dup)
      parts[n++] = kit->extra[i];
  }
  parts[0] = S_part("[Content_Types].xml", NULL, OWN(S_content_types(kit, parts + 1, n - 1)));
#undef OWN
  bool ok = S_zip(path, parts, n, &ctx->date);
  for (size_t i = 0; i < nmine; i++)
    xmlBufferFree(mine[i]);
  arena_free(&a);
  return ok;
}

bool emit_docx_document(const EmitContext *ctx, const Document *doc, const char *path) {
  DocxKit *kit = emit_docx_kit_new(ctx);
  bool ok = kit && S_write(ctx, kit, doc, path);
  emit_docx_kit_free(kit);
  return ok;
}

static bool S_open(const EmitContext *ctx, void **state) {
  return (*state = emit_docx_kit_new(ctx)) != NULL;
}

static bool S_render(const EmitContext *ctx, const void *state, const Document *doc,
                     const char *path) {
  return S_write(ctx, state, doc, path);
}

static void S_close(void *state) { emit_docx_kit_free(state); }

const Renderer emit_docx_renderer = {"docx", ".docx", DOC_DOCX, S_open, S_render, S_close};
