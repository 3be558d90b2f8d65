/* markdown.h - record bodies as cmark-gfm trees ready for any renderer (markdown.c).
 *
 * The same preparation serves HTML and DOCX: GitHub-flavoured Markdown (tables,
 * strikethrough, autolinks, task lists), raw HTML turned into visible text unless the user
 * asked for --unsafe-html, [[ID]] turned into links to `record:ID`, images turned into
 * links (documents must not fetch anything), and control characters replaced. */
#ifndef ISMSC_MARKDOWN_H
#define ISMSC_MARKDOWN_H

#include <cmark-gfm.h>
#include <stdbool.h>

#include "model.h"

/* The scheme of links to records; each renderer maps it to its own target. */
#define RECORD_URL_PREFIX "record:"

typedef struct MdDoc {
  cmark_parser *parser; /* owns the extensions the renderer needs */
  cmark_node *root;
} MdDoc;

/* Registers cmark-gfm's extensions: once, before md_prepare runs on several threads. */
void md_init(void);

/* A prepared tree is its document's: the formats render it in turn, on one thread. The HTML
 * renderer sets link URLs and heading levels for its page; so that no renderer depends on
 * another's changes, each node keeps what the Markdown said in its user data: */
/* A heading's level as written (# is 1), whatever it was changed to since. */
int md_heading_level(cmark_node *heading);
/* The record a [[ID]] link leads to, NULL for any other link. */
const Record *md_link_record(cmark_node *link);

/* Parses and prepares a body. Safe on several threads at once: the parses take turns. [[ID]] of ids
 * the model knows become links showing the id and title; others stay text. The caller frees with
 * md_free. */
MdDoc md_prepare(const Model *m, const char *text, size_t len, bool unsafe_html);
void md_free(MdDoc *d);

/* "ID Title" for a record: what a [[ID]] link shows. */
const char *md_record_label(Arena *a, const Record *r);

#endif
