/* nobreak.h - the words of a text that must not break at their hyphens (nobreak.c): record
 * ids ("R-001", "POL-ISP", "AST-CUSTOMER-LEDGER", "A.5.1-2") and dates ("2026-03-18").
 *
 * A browser and Word both break a line after a hyphen, and "T-" / "014" or "2026-03-" / "18"
 * at a line's end is a misread id or date. HTML wraps each such word in
 * <span class="id"> (white-space: nowrap); DOCX writes its hyphens as w:noBreakHyphen. Both
 * ask this one rule, so the two formats keep the same words whole.
 *
 * A word is a run of ASCII letters, digits, '.', '_' and '-' between other characters. It is
 * kept whole when it has a hyphen inside it (not at its ends) and it is a date (4 digits,
 * then '-' and digits) or an id: it starts with a capital letter and has no lower-case
 * letter, so "well-known" and "Follow-up" still break as words do.
 */
#ifndef ISMSC_NOBREAK_H
#define ISMSC_NOBREAK_H

#include <stdbool.h>
#include <stddef.h>

/* The first such word of s[0, n): true with its offset and length, else false. */
bool nobreak_find(const char *s, size_t n, size_t *start, size_t *len);

#endif
