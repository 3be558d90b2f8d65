/* emit.h - writing the document set (build.c drives emit_html.c and emit_json.c). */
#ifndef ISMSC_EMIT_H
#define ISMSC_EMIT_H

#include <stdio.h>

#include "doc.h"

/* The parts every DOCX of a build shares: styles, theme, fonts, settings, list definitions,
 * page setup, and a reference DOCX's header and footer. Read once per build (emit_docx.c). */
typedef struct DocxKit DocxKit;

typedef struct EmitContext {
  const Model *model;
  const Revision *revision;
  Date date;
  bool unsafe_html;
  bool draft;
  const char *layout; /* the HTML layout template with {{slots}} */
  const char *css;    /* the stylesheet, inlined in every page */
  const char *reference_docx; /* --reference-docx or templates/reference.docx, or NULL */
  const DocxKit *docx_kit;    /* set by build.c for its DOCX documents; NULL: made per file */
} EmitContext;

/* Writes one document as an HTML page. */
bool emit_html_document(const EmitContext *ctx, const Document *doc, FILE *out);
/* Where a record lives in the site, from the site's root: "soa.html#A.5.1". */
const char *emit_html_href(Arena *a, const Record *r);
/* Writes one document as a DOCX file at path (emit_docx.c). False (after printing why on
 * stderr) when the file cannot be written or the reference DOCX cannot be used. */
bool emit_docx_document(const EmitContext *ctx, const Document *doc, const char *path);
/* Reads the built-in templates and ctx->reference_docx once for a whole build. NULL (after
 * printing why on stderr) when the reference DOCX cannot be used. Free with
 * emit_docx_kit_free. */
DocxKit *emit_docx_kit_new(const EmitContext *ctx);
void emit_docx_kit_free(DocxKit *kit);
/* Which documents have a DOCX form: the SoA, the RTP and every policy (SPEC §3). */
bool emit_docx_wanted(const Document *doc);

/* Writes the resolved model as JSON (docs/isms-json.md). */
bool emit_json_model(const EmitContext *ctx, FILE *out);

typedef struct BuildOptions {
  const char *out; /* the output folder */
  bool force;      /* build over errors, every page marked DRAFT */
  bool unsafe_html;
  unsigned only; /* BUILD_* bits; 0 = everything */
} BuildOptions;

enum {
  BUILD_HTML = 1,
  BUILD_DOCX = 2,
  BUILD_JSON = 4, /* formats */
  BUILD_INDEX = 8,
  BUILD_SOA = 16,
  BUILD_RTP = 32,
  BUILD_RISKS = 64,
  BUILD_TRACE = 128,
  BUILD_POLICIES = 256,
  BUILD_FORMATS = BUILD_HTML | BUILD_DOCX | BUILD_JSON,
};

/* Parses --only's comma-separated list; false on an unknown word (*bad points at it). */
bool build_parse_only(const char *list, unsigned *out, char *bad, size_t bad_size);

/* Builds the set into opt->out: everything is written to a staging folder beside it and
 * swapped in at once, so a failed build leaves the previous output untouched. Returns false
 * (after printing why on stderr) on an I/O failure or when out is a folder ismsc did not
 * make. */
bool build_write(const BuildOptions *opt, const DocSet *set, const EmitContext *ctx,
                 size_t *written);

#endif
