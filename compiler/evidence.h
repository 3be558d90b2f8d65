/* evidence.h - cited evidence files: digests and the set --with-evidence copies (evidence.c). */
#ifndef ISMSC_EVIDENCE_H
#define ISMSC_EVIDENCE_H

#include <stdbool.h>

#include "model.h"
#include "source.h"

/* The SHA-256 of the tree's file at path, read through src, as 64 lowercase hex digits in
 * hex; false (hex empty) when it cannot be read or is too large. The bytes live in a. */
bool evidence_sha256(const Source *src, Arena *a, const char *path, char hex[65]);
/* A path that may be copied below OUT/evidence/: relative, with no empty, "." or ".." part. */
bool evidence_copyable(const char *path);
/* A copyable path that names a file of the tree (not a link out of it, not a folder). */
bool evidence_in_tree(const Source *src, const char *path);
/* Every copyable evidence path the controls cite, each once, sorted (const char *, in a). */
PtrVec evidence_paths(const Model *m, Arena *a);

#endif
