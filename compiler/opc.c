/* opc.c - OOXML packages: XML parts, content types, relationships, the zip; see opc.h. */
#include "opc.h"

#include "text.h"
#include "zip_deflated.h"

#include <libxml/parser.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

/* ---------------------------------------------------------------- writing XML parts */

OpcWriter opc_writer_new(void) { return opc_writer_reuse(NULL); }

OpcWriter opc_writer_reuse(xmlBufferPtr kept) {
  OpcWriter wr;
  wr.buf = kept ? kept : xmlBufferCreate();
  if (kept)
    xmlBufferEmpty(kept);
  /* libxml2 2.9's default scheme (EXACT) grows the buffer to the exact size at each 4 KB
   * flush of the writer: a 17 MB document.xml was thousands of reallocs. Doubling is
   * the same bytes for a constant number of copies. */
  xmlBufferSetAllocationScheme(wr.buf, XML_BUFFER_ALLOC_DOUBLEIT);
  wr.w = malloc(sizeof *wr.w);
  if (!wr.buf || !wr.w || !xo_open_buffer(wr.w, wr.buf)) {
    fputs("ismsc: out of memory\n", stderr);
    abort();
  }
  xo_start_document(wr.w);
  return wr;
}

/* Ends the document and returns the buffer (the caller frees it with xmlBufferFree). */
xmlBufferPtr opc_writer_done(OpcWriter *wr) {
  xo_end_document(wr->w);
  xo_close(wr->w); /* into memory: only running out of it fails, and that aborts */
  free(wr->w);
  wr->w = NULL;
  return wr->buf;
}

/* The qualified name of an element or attribute as the source wrote it: the name itself when
 * it has no prefix, else prefix:name in buf. Joined by hand, not by snprintf, whose fixed
 * cost (about 600 instructions a call) was paid for every element and attribute of every
 * copied part. */
const char *opc_qname(char *buf, size_t size, const xmlNs *ns, const xmlChar *name) {
  if (!ns || !ns->prefix)
    return (const char *)name;
  size_t np = strlen((const char *)ns->prefix), nn = strlen((const char *)name);
  if (np + 1 + nn >= size) { /* cut as snprintf would cut it */
    snprintf(buf, size, "%s:%s", (const char *)ns->prefix, (const char *)name);
    return buf;
  }
  memcpy(buf, ns->prefix, np);
  buf[np] = ':';
  memcpy(buf + np + 1, name, nn + 1);
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
void opc_copy(XmlOut *w, const xmlNode *n) {
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
  EL(w, opc_qname(q, sizeof q, n->ns, n->name));
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

void opc_relationship(XmlOut *w, int id, const char *type, const char *target, bool external) {
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
  XmlOut *w = wr.w;
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

/* The zip in mem, copied out (the caller frees it); NULL when it cannot be read. */
static unsigned char *S_bytes(zip_source_t *mem, size_t *len) {
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_source_stat(mem, &st) != 0 || !(st.valid & ZIP_STAT_SIZE) || zip_source_open(mem) != 0)
    return NULL;
  unsigned char *bytes = malloc(st.size ? st.size : 1);
  if (bytes && zip_source_read(mem, bytes, st.size) != (zip_int64_t)st.size) {
    free(bytes);
    bytes = NULL;
  }
  zip_source_close(mem);
  *len = st.size;
  return bytes;
}

/* Puts the zip's bytes at out with one write (or keeps the previous set's file). */
static bool S_write_file(const OutFile *out, zip_source_t *mem) {
  size_t len;
  unsigned char *bytes = S_bytes(mem, &len);
  bool ok = bytes && out_file_write(out, bytes, len);
  free(bytes);
  return ok;
}

/* An archive being made in memory: libzip writing a file itself makes a temporary file
 * beside it, writes each entry's header twice with a seek between, and renames, which was a
 * third of the syscalls of a build; in memory, the finished zip is written with one write
 * (the bytes are the same). */
static zip_t *S_open_memory(zip_source_t **mem) {
  zip_error_t err;
  zip_error_init(&err);
  *mem = zip_source_buffer_create(NULL, 0, 0, &err);
  zip_t *z = *mem ? zip_open_from_source(*mem, ZIP_TRUNCATE, &err) : NULL;
  zip_error_fini(&err);
  if (!z && *mem)
    zip_source_free(*mem);
  if (z)
    zip_source_keep(*mem); /* zip_close and zip_discard would free it */
  return z;
}

/* The entry for part i: copied as it is from the pack when the pack holds its bytes, else
 * deflated here by libdeflate (zip_deflated.h says why not by libzip's zlib). */
static zip_source_t *S_entry_source(zip_t *z, const OpcPart *part, const OpcPack *pack,
                                    zip_t *packed, ZipDeflater *deflater) {
  for (size_t k = 0; packed && k < pack->n; k++)
    if (pack->data[k] == part->data && pack->len[k] == part->len)
      return zip_source_zip(z, packed, k, ZIP_FL_COMPRESSED, 0, -1);
  return zip_deflated_source(z, deflater, part->data, part->len);
}

/* Adds the parts in order; every entry deflated and stamped with the build date. */
static bool S_add_parts(zip_t *z, const OpcPart *parts, size_t n, const Date *date,
                        const OpcPack *pack, zip_t *packed) {
  int year = date->year < 1980 ? 1980 : date->year > 2107 ? 2107 : date->year;
  zip_uint16_t dos_date = (zip_uint16_t)(((year - 1980) << 9) | (date->month << 5) | date->day);
  ZipDeflater *deflater = zip_deflater_new();
  if (!deflater)
    return false;
  bool ok = true;
  for (size_t i = 0; ok && i < n; i++) {
    zip_source_t *src = S_entry_source(z, &parts[i], pack, packed, deflater);
    zip_int64_t idx = src ? zip_file_add(z, parts[i].name, src, ZIP_FL_ENC_UTF_8) : -1;
    if (idx < 0) {
      if (src)
        zip_source_free(src);
      ok = false;
      break;
    }
    /* Deflated already: zip_close sees the source's method is this one and copies. */
    zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 0);
    zip_file_set_dostime(z, (zip_uint64_t)idx, 0, dos_date, 0);
  }
  zip_deflater_free(deflater);
  return ok;
}

/* The pack as an archive to copy entries from; each package opens its own, so packages are
 * made on several threads at once (a zip_t is not shared between threads). */
static zip_t *S_open_pack(const OpcPack *pack) {
  if (!pack || !pack->zip)
    return NULL;
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t *src = zip_source_buffer_create(pack->zip, pack->zip_len, 0, &err);
  zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY, &err) : NULL;
  if (!z && src)
    zip_source_free(src);
  zip_error_fini(&err);
  return z;
}

bool opc_zip(const OutFile *out, const OpcPart *parts, size_t n, const Date *date,
             const OpcPack *pack) {
  zip_source_t *mem;
  zip_t *z = S_open_memory(&mem);
  if (!z)
    return false;
  zip_t *packed = S_open_pack(pack); /* NULL: every part is deflated here */
  bool ok = S_add_parts(z, parts, n, date, pack, packed);
  if (ok && zip_close(z) != 0) {
    fprintf(stderr, "ismsc: %s: %s\n", out->path, zip_strerror(z));
    ok = false;
  }
  if (!ok)
    zip_discard(z);
  if (packed)
    zip_discard(packed); /* only after zip_close, which reads from it */
  ok = ok && S_write_file(out, mem);
  zip_source_free(mem);
  return ok;
}

bool opc_pack(OpcPack *pack, const OpcPart *parts, size_t n) {
  memset(pack, 0, sizeof *pack);
  if (n > OPC_PACK_MAX)
    return false;
  zip_source_t *mem;
  zip_t *z = S_open_memory(&mem);
  if (!z)
    return false;
  /* Entries are found by position; names only need to differ, and opc_zip stamps each copy
   * with the build's date itself. */
  OpcPart named[OPC_PACK_MAX];
  char names[OPC_PACK_MAX][8];
  for (size_t i = 0; i < n; i++) {
    snprintf(names[i], sizeof names[i], "%zu", i);
    named[i] = parts[i];
    named[i].name = names[i];
  }
  Date any = {.year = 1980, .month = 1, .day = 1};
  bool ok = S_add_parts(z, named, n, &any, NULL, NULL) && zip_close(z) == 0;
  if (!ok)
    zip_discard(z);
  pack->zip = ok ? S_bytes(mem, &pack->zip_len) : NULL;
  zip_source_free(mem);
  if (!pack->zip)
    return false;
  pack->n = n;
  for (size_t i = 0; i < n; i++) {
    pack->data[i] = parts[i].data;
    pack->len[i] = parts[i].len;
  }
  return true;
}

void opc_pack_free(OpcPack *pack) {
  free(pack->zip);
  memset(pack, 0, sizeof *pack);
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
