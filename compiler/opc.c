/* opc.c - OOXML packages: XML parts, content types, relationships, the zip; see opc.h. */
#include "opc.h"

#include "text.h"

#include <libxml/parser.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

/* ---------------------------------------------------------------- writing XML parts */

OpcWriter opc_writer_new(void) {
  OpcWriter wr;
  wr.buf = xmlBufferCreate();
  wr.w = xmlNewTextWriterMemory(wr.buf, 0);
  xmlTextWriterStartDocument(wr.w, NULL, "UTF-8", "yes");
  return wr;
}

/* Ends the document and returns the buffer (the caller frees it with xmlBufferFree). */
xmlBufferPtr opc_writer_done(OpcWriter *wr) {
  xmlTextWriterEndDocument(wr->w);
  xmlFreeTextWriter(wr->w);
  wr->w = NULL;
  return wr->buf;
}

/* The qualified name of an element or attribute as the source wrote it. */
const char *opc_qname(char *buf, size_t size, const xmlNs *ns, const xmlChar *name) {
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
void opc_copy(xmlTextWriterPtr w, const xmlNode *n) {
  char q[512];
  if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
    if (!(S_blank(n->content) && S_has_element_sibling(n))) {
      Arena a;
      arena_init(&a);
      TEXT(w, text_clean_arena(&a, (const char *)n->content));
      arena_free(&a);
    }
    return;
  }
  if (n->type != XML_ELEMENT_NODE)
    return;
  xmlTextWriterStartElement(w, BAD_CAST opc_qname(q, sizeof q, n->ns, n->name));
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
    AT(w, opc_qname(q, sizeof q, at->ns, at->name), text_clean_arena(&a, v ? (const char *)v : ""));
    arena_free(&a);
    xmlFree(v);
  }
  for (const xmlNode *c = n->children; c; c = c->next)
    opc_copy(w, c);
  END(w);
}

/* A whole parsed document as a part. */
xmlBufferPtr opc_copy_doc(xmlDocPtr doc) {
  OpcWriter wr = opc_writer_new();
  opc_copy(wr.w, xmlDocGetRootElement(doc));
  return opc_writer_done(&wr);
}

xmlDocPtr opc_parse(const char *data, size_t len, const char *name) {
  if (!data || len > INT32_MAX)
    return NULL;
  return xmlReadMemory(data, (int)len, name, NULL,
                       XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

const char *opc_extension_type(const char *ext) {
  static const char *const known[][2] = {
      {"png", "image/png"},   {"jpeg", "image/jpeg"}, {"jpg", "image/jpeg"},   {"gif", "image/gif"},
      {"emf", "image/x-emf"}, {"wmf", "image/x-wmf"}, {"svg", "image/svg+xml"}};
  for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
    if (strcasecmp(ext, known[i][0]) == 0)
      return known[i][1];
  return "application/octet-stream";
}

void opc_relationship(xmlTextWriterPtr w, int id, const char *type, const char *target,
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

xmlBufferPtr opc_content_types(const char *const (*defaults)[2], size_t ndefaults,
                               const OpcPart *parts, size_t n) {
  OpcWriter wr = opc_writer_new();
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
  for (size_t i = 0; i < ndefaults; i++) {
    EL(w, "Default");
    AT(w, "Extension", defaults[i][0]);
    AT(w, "ContentType", defaults[i][1]);
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
  return opc_writer_done(&wr);
}

/* ---------------------------------------------------------------- the zip */

OpcPart opc_part(const char *name, const char *type, xmlBufferPtr buf) {
  return (OpcPart){name, type, xmlBufferContent(buf), (size_t)xmlBufferLength(buf)};
}

/* Writes the parts in order; every entry deflated and stamped with the build date. */
bool opc_zip(const char *path, const OpcPart *parts, size_t n, const Date *date) {
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

void opc_init(void) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &err);
  zip_t *z = src ? zip_open_from_source(src, ZIP_CREATE, &err) : NULL;
  if (z)
    zip_discard(z);
  else if (src)
    zip_source_free(src);
  zip_error_fini(&err);
}
