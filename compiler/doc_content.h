/* doc_content.h - what a generated document's content is (doc_content.c): what the Git rules
 * judge it by and what its revision history table follows (doc_revisions.c).
 *
 * SPEC §5: a generated document's content is what it shows, without its control block. It is
 * judged as the records it is built from and the manifest fields it shows (the SoA: the
 * controls and the catalog choice; the RTP: the risks, the treatments and the risk method),
 * compared record by record through compare.h, so a change anywhere else in the tree, and a
 * change to its own `documents:` entry, leaves it as it was (docs/decisions.md).
 */
#ifndef ISMSC_DOC_CONTENT_H
#define ISMSC_DOC_CONTENT_H

#include "history.h"

enum { DOC_CONTENT_MAX_KINDS = 12, DOC_CONTENT_MAX_FIELDS = 8 };

typedef struct DocContent {
  const char *part;                  /* the registry row's --only word; NULL: the default */
  Kind kinds[DOC_CONTENT_MAX_KINDS]; /* records of these kinds, every content field */
  size_t nkinds;
  int manifest[DOC_CONTENT_MAX_FIELDS]; /* MANIFEST_* fields it shows */
  size_t nmanifest;
} DocContent;

/* The content of a registry row by its part. A part without an entry of its own (a new
 * document) is taken to show everything: every record kind and the manifest's settings. */
const DocContent *doc_content(const char *part);

/* What differs in c between commit k and the model as it is now, as a phrase for a message
 * ("controls A.5.1 and A.8.2 changed; risk R-020 added; isms.yaml `catalog`"), in m's arena;
 * NULL when nothing does. Files unchanged since k (byte for byte) are not loaded. */
const char *doc_content_changes(History *h, const Model *m, const DocContent *c, size_t k);

#endif
