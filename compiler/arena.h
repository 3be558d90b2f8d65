/* arena.h - one bump allocator per compilation (DESIGN.md decision 8).
 *
 * Everything the pipeline builds (nodes, records, strings, diagnostics) is allocated from
 * the run's arena and freed at once by arena_free. Nothing allocated here is freed
 * individually. Allocation never fails silently: out of memory aborts with a message,
 * because a half-built model is worse than no model.
 */
#ifndef ISMSC_ARENA_H
#define ISMSC_ARENA_H

#include <stdarg.h>
#include <stddef.h>

typedef struct ArenaBlock ArenaBlock;

typedef struct Arena {
  ArenaBlock *head;
  size_t total; /* bytes handed out, for the memory figures in bench/ */
} Arena;

void arena_init(Arena *a);
/* Frees every block. The arena can be reused after arena_init. */
void arena_free(Arena *a);

/* Moves every block of `from` into `into`; `from` is left empty. (Worker threads load into
 * arenas of their own, adopted by the run's arena when they are done.) */
void arena_adopt(Arena *into, Arena *from);
/* Unmaps every block in the process-wide pool of freed blocks. A test that needs to know
 * which block its arena gets calls it first; nothing else needs it. */
void arena_pool_drain(void);

/* Returns zeroed memory aligned for any type, owned by the arena. */
void *arena_alloc(Arena *a, size_t size);
/* Grows an arena array: returns a new array of new_count elements holding the old ones. */
void *arena_grow(Arena *a, void *old, size_t old_count, size_t new_count, size_t elem);
char *arena_strdup(Arena *a, const char *s);
char *arena_strndup(Arena *a, const char *s, size_t n);
char *arena_printf(Arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(Arena *a, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* The strings before the NULL, joined: what arena_printf(a, "%s%s...") makes, without
 * vsnprintf's fixed cost (about 900 instructions a call against about 100 for joining a
 * few short strings; the renderers join one for each link, bookmark and badge). A number
 * goes in as digits from xo_format_long (xml_out.h). No argument but the last is NULL. */
char *arena_concat(Arena *a, ...) __attribute__((sentinel));

/* A growable array of pointers, the one collection type the model uses. */
typedef struct PtrVec {
  void **items;
  size_t len, cap;
} PtrVec;

void ptrvec_push(Arena *a, PtrVec *v, void *item);

#endif
