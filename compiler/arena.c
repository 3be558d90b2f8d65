/* arena.c - the bump allocator. Blocks grow geometrically; a request larger than a block
 * gets a block of its own, so a 40 MB file costs 40 MB and not more.
 *
 * Memory handed out is zero: every block comes zeroed (calloc, fresh anonymous pages, or a
 * pooled block wiped as it is taken), so arena_alloc does not memset. Large blocks are
 * mapped with MAP_POPULATE: on virtual machines a page fault is expensive and faults
 * serialise threads on the address-space lock, so faulting a block in one call instead of
 * page by page is most of the speed of loading a big tree (see bench/README.md).
 *
 * Freed mapped blocks go to a process-wide pool, bounded, and the next arena takes them:
 * a build frees a document body's arena after each document, and mapping afresh cost the
 * kernel's page clearing and faults (6% of a build's CPU) and munmap's TLB shootdowns
 * across the threads (2%); wiping only the part of a block that was handed out costs less. */
#include "arena.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>

struct ArenaBlock {
  ArenaBlock *next;
  size_t size, used;
  bool mapped; /* from mmap, else from calloc */
  max_align_t data[];
};

enum {
  /* Small: short-lived arenas (one per Markdown body rendered, per DOCX part) would
   * otherwise each pay for zeroing a large first block (calloc) they barely use. */
  ARENA_MIN_BLOCK = 4 * 1024,
  ARENA_MAX_BLOCK = 4 * 1024 * 1024,
  ARENA_MAP_FROM = 256 * 1024, /* blocks this large are mapped */
  /* The pool holds at most this much: a few bodies' worth (a body's arena is rarely over
   * 16 MB), so a build's peak memory grows by no more than this. Blocks larger than
   * ARENA_MAX_BLOCK (a request of its own, such as a big file) are not kept. */
  ARENA_POOL_MAX = 64 * 1024 * 1024
};

/* Under AddressSanitizer a pooled block's memory is poisoned until it is taken again, so a
 * use after arena_free still fails loudly, as it did when every block was unmapped. */
#if defined(__SANITIZE_ADDRESS__)
#define ARENA_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ARENA_ASAN 1
#endif
#endif
#ifdef ARENA_ASAN
#include <sanitizer/asan_interface.h>
#define S_POISON(p, n)   ASAN_POISON_MEMORY_REGION((p), (n))
#define S_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define S_POISON(p, n)   ((void)(p), (void)(n))
#define S_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

static pthread_mutex_t S_pool_lock = PTHREAD_MUTEX_INITIALIZER;
static ArenaBlock *S_pool; /* guarded by S_pool_lock, as is S_pool_bytes */
static size_t S_pool_bytes;

/* Keeps a freed mapped block for reuse; false when the pool is full (unmap it instead). */
static bool S_pool_put(ArenaBlock *b) {
  if (b->size > ARENA_MAX_BLOCK)
    return false;
  pthread_mutex_lock(&S_pool_lock);
  bool kept = S_pool_bytes + b->size <= ARENA_POOL_MAX;
  if (kept) {
    S_POISON(b->data, b->size);
    b->next = S_pool;
    S_pool = b;
    S_pool_bytes += b->size;
  }
  pthread_mutex_unlock(&S_pool_lock);
  return kept;
}

/* The smallest pooled block of at least size bytes, taken out of the pool and wiped (its
 * `used` bytes; the rest was never handed out and is still zero), or NULL. */
static ArenaBlock *S_pool_take(size_t size) {
  pthread_mutex_lock(&S_pool_lock);
  ArenaBlock **best = NULL;
  for (ArenaBlock **p = &S_pool; *p; p = &(*p)->next)
    if ((*p)->size >= size && (!best || (*p)->size < (*best)->size))
      best = p;
  ArenaBlock *b = best ? *best : NULL;
  if (b) {
    *best = b->next;
    S_pool_bytes -= b->size;
  }
  pthread_mutex_unlock(&S_pool_lock);
  if (b) {
    S_UNPOISON(b->data, b->size);
    memset(b->data, 0, b->used);
  }
  return b;
}

void arena_pool_drain(void) {
  pthread_mutex_lock(&S_pool_lock);
  ArenaBlock *b = S_pool;
  S_pool = NULL;
  S_pool_bytes = 0;
  pthread_mutex_unlock(&S_pool_lock);
  while (b) {
    ArenaBlock *next = b->next;
    S_UNPOISON(b, sizeof *b + b->size);
    munmap(b, sizeof *b + b->size);
    b = next;
  }
}

void arena_init(Arena *a) { memset(a, 0, sizeof *a); }

void arena_free(Arena *a) {
  ArenaBlock *b = a->head;
  while (b) {
    ArenaBlock *next = b->next;
    if (!b->mapped)
      free(b);
    else if (!S_pool_put(b))
      munmap(b, sizeof *b + b->size);
    b = next;
  }
  a->head = NULL;
  a->total = 0;
}

void arena_adopt(Arena *into, Arena *from) {
  if (!from->head)
    return;
  /* Adopted blocks go behind the current head, so allocation goes on in the head block. */
  ArenaBlock *last = from->head;
  while (last->next)
    last = last->next;
  if (into->head) {
    last->next = into->head->next;
    into->head->next = from->head;
  } else {
    into->head = from->head;
  }
  into->total += from->total;
  from->head = NULL;
  from->total = 0;
}

static ArenaBlock *S_new_block(Arena *a, size_t need) {
  size_t size = a->head ? a->head->size * 2 : ARENA_MIN_BLOCK;
  if (size > ARENA_MAX_BLOCK)
    size = ARENA_MAX_BLOCK;
  if (size < need)
    size = need;
  bool mapped = size >= ARENA_MAP_FROM;
  ArenaBlock *b = mapped ? S_pool_take(size) : NULL;
  if (b) {
    size = b->size; /* all of it is used, and the next block doubles it */
  } else if (mapped) {
    b = mmap(NULL, sizeof *b + size, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    if (b == MAP_FAILED)
      b = NULL;
  } else {
    b = calloc(1, sizeof *b + size);
  }
  if (!b) {
    fputs("ismsc: out of memory\n", stderr);
    abort();
  }
  b->mapped = mapped;
  b->size = size;
  b->used = 0;
  b->next = a->head;
  a->head = b;
  return b;
}

void *arena_alloc(Arena *a, size_t size) {
  const size_t align = sizeof(void *); /* nothing in the model needs more */
  size = (size + align - 1) / align * align;
  if (size == 0)
    size = align;
  ArenaBlock *b = a->head;
  if (!b || b->size - b->used < size)
    b = S_new_block(a, size);
  void *p = (char *)b->data + b->used;
  b->used += size;
  a->total += size;
  return p; /* already zero: see the top of this file */
}

void *arena_grow(Arena *a, void *old, size_t old_count, size_t new_count, size_t elem) {
  void *p = arena_alloc(a, new_count * elem);
  if (old && old_count)
    memcpy(p, old, old_count * elem);
  return p;
}

char *arena_strndup(Arena *a, const char *s, size_t n) {
  char *p = arena_alloc(a, n + 1);
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

char *arena_strdup(Arena *a, const char *s) { return arena_strndup(a, s, strlen(s)); }

/* Formats straight into the free end of the current block when it fits (most strings are
 * short: one vsnprintf instead of one to measure and one to write); otherwise measures and
 * allocates. A try that did not fit is wiped, as the free end must stay zero. */
char *arena_vprintf(Arena *a, const char *fmt, va_list ap) {
  ArenaBlock *b = a->head;
  size_t room = b ? b->size - b->used : 0;
  va_list copy;
  va_copy(copy, ap);
  if (room) {
    char *p = (char *)b->data + b->used;
    int n = vsnprintf(p, room, fmt, copy);
    va_end(copy);
    if (n >= 0 && (size_t)n < room)
      return arena_alloc(a, (size_t)n + 1); /* p itself: the block's next bytes */
    memset(p, 0, room);
    va_copy(copy, ap);
  }
  int n = vsnprintf(NULL, 0, fmt, copy);
  va_end(copy);
  if (n < 0)
    n = 0;
  char *p = arena_alloc(a, (size_t)n + 1);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  return p;
}

char *arena_printf(Arena *a, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *p = arena_vprintf(a, fmt, ap);
  va_end(ap);
  return p;
}

char *arena_concat(Arena *a, ...) {
  va_list ap;
  va_start(ap, a);
  size_t n = 0;
  for (const char *s; (s = va_arg(ap, const char *));)
    n += strlen(s);
  va_end(ap);
  char *out = arena_alloc(a, n + 1), *p = out;
  va_start(ap, a);
  for (const char *s; (s = va_arg(ap, const char *));)
    p = stpcpy(p, s);
  va_end(ap);
  return out; /* NUL-terminated: stpcpy wrote it */
}

void ptrvec_push(Arena *a, PtrVec *v, void *item) {
  if (v->len == v->cap) {
    size_t cap = v->cap ? v->cap * 2 : 4;
    v->items = arena_grow(a, v->items, v->len, cap, sizeof *v->items);
    v->cap = cap;
  }
  v->items[v->len++] = item;
}
