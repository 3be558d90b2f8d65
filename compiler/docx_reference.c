/* docx_reference.c - the kit every DOCX of a build shares: the built-in styles, theme,
 * fonts, settings and list definitions, merged with a reference DOCX (--reference-docx or
 * templates/reference.docx) as pandoc's option does: its styles win by name, ours fill the
 * gaps; its page setup, header and footer (and what they show, a logo) are taken over.
 *
 * What must stay true: a reference DOCX is the user's file and may be anything: parts are
 * parsed with libxml2 (never pasted), sizes are capped (MAX_PART_BYTES), and a part that is
 * not what its relationship says is ignored. The kit is read once per build, not per file.
 */
#include <libxml/parser.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

#include "docx.h"
#include "embedded.h"

static const char *const builtin_style_ids[ST_COUNT] = {
    "Title",     "Heading1",       "Heading2",      "Heading3",     "Heading4",     "Heading5",
    "Heading6",  "Caption",        "ListParagraph", "Quote",        "Code",         "CodeChar",
    "Notice",    "HorizontalRule", "TableText",     "TableHeading", "FigureNumber", "FigureLabel",
    "TableGrid", "Hyperlink",      "Badge",         "Header",       "Footer"};

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

static xmlDocPtr S_parse_builtin(const char *name) {
  const EmbeddedFile *f = embedded_find(name);
  return f ? opc_parse(f->data, f->len, name) : NULL;
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
  xmlDocPtr doc = opc_parse(data, len, name);
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
  OpcWriter wr = opc_writer_new();
  xmlNodePtr root = xmlDocGetRootElement(doc);
  char q[256];
  EL(wr.w, opc_qname(q, sizeof q, root->ns, root->name));
  for (const xmlNs *ns = root->nsDef; ns; ns = ns->next) {
    snprintf(q, sizeof q, ns->prefix ? "xmlns:%s" : "xmlns", (const char *)ns->prefix);
    AT(wr.w, q, (const char *)ns->href);
  }
  for (xmlNodePtr c = root->children; c; c = c->next)
    if (!filter || S_setting_kept(c))
      opc_copy(wr.w, c);
  END(wr.w);
  return opc_writer_done(&wr);
}

/* ---------------------------------------------------------------- header, footer, page */

static void S_add_default(DocxKit *kit, const char *ext) {
  for (size_t i = 0; i < kit->ndefaults; i++)
    if (strcasecmp(kit->defaults[i][0], ext) == 0)
      return;
  if (strcasecmp(ext, "xml") == 0 || strcasecmp(ext, "rels") == 0 ||
      kit->ndefaults == MAX_EXTRA_PARTS)
    return;
  kit->defaults[kit->ndefaults][0] = arena_strdup(&kit->arena, ext);
  kit->defaults[kit->ndefaults][1] = opc_extension_type(ext);
  kit->ndefaults++;
}

/* A reference header or footer, its relationships, and the parts those name (a logo). */
static bool S_take_hdrftr(DocxKit *kit, Reference *ref, const char *type, const char *rid,
                          xmlBufferPtr *part, xmlBufferPtr *rels) {
  const char *name = S_ref_part(ref, type, &rid);
  xmlDocPtr doc = name ? S_ref_parse(ref, name) : NULL;
  if (!doc)
    return false;
  *part = opc_copy_doc(doc);
  xmlFreeDoc(doc);
  const char *slash = strrchr(name, '/');
  const char *dir = slash ? arena_strndup(ref->a, name, (size_t)(slash - name)) : "";
  const char *rels_name = arena_printf(ref->a, "%s/_rels/%s.rels", dir, slash ? slash + 1 : name);
  xmlDocPtr rd = S_ref_parse(ref, rels_name);
  if (!rd)
    return true;
  *rels = opc_copy_doc(rd);
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
        OpcPart *p = &kit->extra[kit->nextra++];
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
  opc_pack_free(&kit->pack);
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

/* Deflates the parts every file of the build carries once (opc_pack). Without a pack
 * (out of memory) each file deflates them itself: the same bytes, only slower. */
static void S_pack(DocxKit *kit) {
  OpcPart parts[8 + MAX_EXTRA_PARTS];
  size_t n = 0;
  xmlBufferPtr bufs[] = {kit->styles, kit->theme,  kit->fonts,       kit->settings,
                         kit->header, kit->footer, kit->header_rels, kit->footer_rels};
  for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
    if (bufs[i])
      parts[n++] = opc_part("part", NULL, bufs[i]);
  for (size_t i = 0; i < kit->nextra && n < OPC_PACK_MAX; i++)
    parts[n++] = kit->extra[i];
  opc_pack(&kit->pack, parts, n);
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
    kit->styles = opc_copy_doc(styles);
    kit->theme = opc_copy_doc(theme);
    kit->fonts = opc_copy_doc(fonts);
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
  S_pack(kit);
  return kit;
}

/* The document's w:num entries: the kit's list definitions, then one w:num per list. */
xmlBufferPtr docx_numbering_part(Docx *d) {
  OpcWriter wr = opc_writer_new();
  xmlNodePtr root = xmlDocGetRootElement(d->kit->numbering);
  char q[256];
  EL(wr.w, opc_qname(q, sizeof q, root->ns, root->name));
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
      opc_copy(wr.w, c);
  }
  for (size_t i = 0; i < d->nums.len; i++) {
    const NumDef *n = d->nums.items[i];
    char buf[16];
    EL(wr.w, "w:num");
    snprintf(buf, sizeof buf, "%d", d->kit->first_num_id + (int)i);
    AT(wr.w, "w:numId", buf);
    snprintf(buf, sizeof buf, "%d", n->abstract);
    wml_val(wr.w, "w:abstractNumId", buf);
    if (n->start) {
      EL(wr.w, "w:lvlOverride");
      snprintf(buf, sizeof buf, "%d", n->level);
      AT(wr.w, "w:ilvl", buf);
      snprintf(buf, sizeof buf, "%d", n->start);
      wml_val(wr.w, "w:startOverride", buf);
      END(wr.w);
    }
    END(wr.w);
  }
  if (cleanup)
    opc_copy(wr.w, cleanup);
  END(wr.w);
  return opc_writer_done(&wr);
}
