/* emit.h - writing the document set (build.c drives emit_html.c and emit_json.c). */
#ifndef ISMSC_EMIT_H
#define ISMSC_EMIT_H

#include <stdint.h>
#include <stdio.h>

#include "doc.h"
#include "out_file.h"

/* The parts every DOCX of a build shares: styles, theme, fonts, settings, list definitions,
 * page setup, and a reference DOCX's header and footer. Read once per build (emit_docx.c). */
typedef struct DocxKit DocxKit;

typedef struct EmitContext {
  const Model *model;
  const Revision *revision;
  Date date;
  bool unsafe_html;
  bool draft;
  const char *layout;         /* the HTML layout template with {{slots}} */
  const char *css;            /* the stylesheet, inlined in every page */
  const char *reference_docx; /* --reference-docx or templates/reference.docx, or NULL */
  /* The formats this build writes (DOC_* bits; --only may leave some out), set by
   * build_write: a page links its own DOCX and XLSX only when they are written. */
  unsigned built_formats;
} EmitContext;

/* A format of the document set: build.c renders every document of the registry that exists
 * in the format (DocType.formats has its bit) through these four calls. */
typedef struct Renderer {
  const char *name;      /* the format's --only word: "html" */
  const char *extension; /* ".html" */
  unsigned format;       /* its DOC_* bit (doc.h) */
  /* Reads what every document of a build shares (DOCX: styles, the reference DOCX) into
   * *state; false after printing why. NULL: nothing to share. */
  bool (*open)(const EmitContext *ctx, void **state);
  /* Writes one document at out (out_file.h: a new file, or the previous set's when it has
   * the same bytes; its folder exists). Runs on worker threads, several at
   * once, the same document in several formats at once too: it may only read ctx, state and
   * doc, and writes nothing but its own file. One exception, HTML's: it sets the url of a
   * record link and the level of a heading in a Markdown body's cmark tree before rendering
   * it, so the other renderers take a link's target from md_link_record and a heading's
   * level from md_heading_level (markdown.h), never from those two fields. False when the
   * file cannot be written. */
  bool (*render)(const EmitContext *ctx, const void *state, const Document *doc,
                 const OutFile *out);
  void (*close)(void *state); /* NULL: nothing to free */
} Renderer;

extern const Renderer emit_html_renderer; /* emit_html.c */
extern const Renderer emit_docx_renderer; /* emit_docx.c */
extern const Renderer emit_xlsx_renderer; /* emit_xlsx.c */

/* Writes one document as an HTML page. */
bool emit_html_document(const EmitContext *ctx, const Document *doc, FILE *out);
/* Writes one document as a new DOCX file at path (emit_docx.c). False (after printing why on
 * stderr) when the file cannot be written or the reference DOCX cannot be used. */
bool emit_docx_document(const EmitContext *ctx, const Document *doc, const char *path);
/* Reads the built-in templates and ctx->reference_docx once for a whole build. NULL (after
 * printing why on stderr) when the reference DOCX cannot be used. Free with
 * emit_docx_kit_free. */
DocxKit *emit_docx_kit_new(const EmitContext *ctx);
void emit_docx_kit_free(DocxKit *kit);

/* Makes the resolved model as JSON (docs/isms-json.md) in memory: *bytes (the caller frees
 * it) of *len bytes. False, with *bytes NULL, when out of memory or a value cannot be
 * written. */
bool emit_json_model(const EmitContext *ctx, char **bytes, size_t *len);

typedef struct BuildOptions {
  const char *out; /* the output folder */
  bool force;      /* build over errors, every page marked DRAFT */
  bool unsafe_html;
  uint64_t only;      /* build_parse_only's bits; 0 = everything */
  bool with_evidence; /* copy the cited evidence files into OUT/evidence/ (evidence.c) */
} BuildOptions;

/* Parses --only's comma-separated list of parts (the registry's, doc_types) and formats
 * (the renderers' and "json"); false on an unknown word (*bad points at it). */
bool build_parse_only(const char *list, uint64_t *out, char *bad, size_t bad_size);
/* The words --only takes, for a message: "index, soa, ..., html, docx, json". */
const char *build_only_words(void);
/* Does --only (0: everything) ask for isms.json, for any HTML page? */
bool build_wants_json(uint64_t only);
bool build_wants_html(uint64_t only);
/* Does --only select any document (not isms.json alone)? */
bool build_wants_documents(uint64_t only);

/* Builds the set into opt->out: everything is written to a staging folder beside it and
 * swapped in at once, so a failed build leaves the previous output untouched. *written
 * counts the set's files, *kept those of them kept from the previous set, unchanged
 * (out_file.h). Returns false (after printing why on stderr) on an I/O failure or when out
 * is a folder ismsc did not make. */
bool build_write(const BuildOptions *opt, const DocSet *set, const EmitContext *ctx,
                 size_t *written, size_t *kept);

#endif
