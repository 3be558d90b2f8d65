/* opc.h - Office Open XML packages (ECMA-376 part 2, the Open Packaging Conventions): XML
 * parts written through xml_out.h (libxml2 escapes), [Content_Types].xml, relationships, and the
 * deterministic zip. Shared by the DOCX renderer and any other OOXML format (XLSX).
 *
 * What must stay true:
 * - Every XML part is written through xml_out.h, where libxml2 escapes. Text no output may
 *   carry is replaced by U+FFFD first (text.h): the writer would pass it through.
 * - Parsed XML (templates, a reference file's parts) is written again through the writer
 *   (opc_copy), never pasted as a string.
 * - The zip is made by libzip: the parts in the order given, deflated, every entry stamped
 *   with the build date as a DOS date (no time zone enters), so the same input and --date
 *   give the same bytes.
 */
#ifndef ISMSC_OPC_H
#define ISMSC_OPC_H

#include <libxml/tree.h>
#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "out_file.h"
#include "util.h"
#include "xml_out.h"

#define NS_RELS "http://schemas.openxmlformats.org/package/2006/relationships"
#define NS_CT   "http://schemas.openxmlformats.org/package/2006/content-types"
#define REL     "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

#define EL(w, name) xo_start((w), (name))
#define END(w)      xo_end(w)
#define AT(w, k, v) xo_attr((w), (k), (v))
#define TEXT(w, s)  xo_text((w), (s))

/* An XML part being written into memory. */
typedef struct OpcWriter {
  xmlBufferPtr buf;
  XmlOut *w;
} OpcWriter;

OpcWriter opc_writer_new(void);
/* The same into a buffer the caller keeps for part after part (emptied first; its memory,
 * grown to the largest part so far, is reused). NULL: a new one, as opc_writer_new. */
OpcWriter opc_writer_reuse(xmlBufferPtr kept);
/* Ends the document and returns the buffer (the caller frees it with xmlBufferFree, unless
 * it is one it keeps). */
xmlBufferPtr opc_writer_done(OpcWriter *wr);

/* The qualified name of an element or attribute as the source wrote it, in buf. */
const char *opc_qname(char *buf, size_t size, const xmlNs *ns, const xmlChar *name);
/* Writes a parsed element again through the writer (see above). */
void opc_copy(XmlOut *w, const xmlNode *n);
/* A whole parsed document as a part. */
xmlBufferPtr opc_copy_doc(xmlDocPtr doc);
/* Parses XML bytes without network access; NULL when malformed. */
xmlDocPtr opc_parse(const char *data, size_t len, const char *name);

/* One file of the zip. `data` is owned by whoever made the part (kit or document). */
typedef struct OpcPart {
  const char *name;         /* "word/document.xml" */
  const char *content_type; /* an Override in [Content_Types].xml, or NULL */
  const unsigned char *data;
  size_t len;
} OpcPart;

OpcPart opc_part(const char *name, const char *type, xmlBufferPtr buf);
/* A <Relationship> of a .rels part: Id "rId<id>". */
void opc_relationship(XmlOut *w, int id, const char *type, const char *target, bool external);
/* The MIME type of a file extension a package may carry (images). */
const char *opc_extension_type(const char *ext);
/* [Content_Types].xml: rels and xml, the given extension defaults, an Override per part that
 * has a content type. */
xmlBufferPtr opc_content_types(const char *const (*defaults)[2], size_t ndefaults,
                               const OpcPart *parts, size_t n);
/* Before packages are written on several threads: libzip 1.7 fills two static tables at the
 * first zip_open, unguarded, so the first one is made here. */
void opc_init(void);
/* The parts every package of a build carries (a DOCX's styles, theme, fonts, settings),
 * deflated once into a zip in memory. opc_zip copies a part whose bytes are one of these (the
 * same address and length) from here as it is, instead of deflating it again for each file:
 * the entry's bytes are the same either way, deflate being deterministic. */
enum { OPC_PACK_MAX = 80 };
typedef struct OpcPack {
  unsigned char *zip; /* NULL: nothing packed */
  size_t zip_len, n;
  const unsigned char *data[OPC_PACK_MAX];
  size_t len[OPC_PACK_MAX];
} OpcPack;
/* Packs the parts (at most OPC_PACK_MAX); false, with *pack empty, when it cannot. */
bool opc_pack(OpcPack *pack, const OpcPart *parts, size_t n);
void opc_pack_free(OpcPack *pack);
/* Writes the parts in order at out (out_file.h); false when it cannot. pack may be NULL. */
bool opc_zip(const OutFile *out, const OpcPart *parts, size_t n, const Date *date,
             const OpcPack *pack);

#endif
