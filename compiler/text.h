/* text.h - the one policy for text no output may carry (text.c).
 *
 * HTML forbids in a document the controls other than ASCII whitespace (C0, DEL, C1) and
 * the noncharacters (U+FDD0..U+FDEF, U+xFFFE, U+xFFFF); XML 1.0 forbids the C0 controls and
 * U+FFFE/U+FFFF. Escaping cannot help (`&#1;` is as invalid as the byte), and the loader
 * lets such code points through in YAML escapes ("\x01", "\u0085") and Markdown text. So
 * every renderer replaces each of them by U+FFFD, the same way: HTML pages, DOCX parts and
 * Markdown bodies before they are parsed. Strings are valid UTF-8 (the loader, libyaml and
 * libxml2 check); most have nothing to replace and are checked in one pass, not copied.
 */
#ifndef ISMSC_TEXT_H
#define ISMSC_TEXT_H

#include <stddef.h>

#include "arena.h"

/* Bytes of the forbidden code point at s, else 0. Reads no byte past a NUL. */
size_t text_forbidden(const unsigned char *s);
/* s itself when it has nothing to replace, else a copy in *scratch (grown with malloc, *cap
 * its size; the caller frees it) with each forbidden code point as U+FFFD. */
const char *text_clean(const char *s, char **scratch, size_t *cap);
/* The same, the copy made in `a`; NULL is "". */
const char *text_clean_arena(Arena *a, const char *s);
/* A NUL-terminated, cleaned copy of text[0, len) (which has no NUL); the caller frees it. */
char *text_clean_copy(const char *text, size_t len);

#endif
