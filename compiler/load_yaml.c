/* load_yaml.c - YAML text to Nodes with locations, using libyaml's event parser.
 *
 * The tree is built with an explicit stack, never recursion, so nesting depth costs heap,
 * not C stack, and is cut at Limits.max_depth. Aliases share the anchored node instead of
 * copying it; the nodes they make reachable are counted against Limits.max_alias_nodes, so
 * a "billion laughs" file is refused after a few thousand nodes instead of expanding.
 * Duplicate keys, which libyaml accepts, are a `yaml-syntax` error here: the second value
 * would silently win otherwise.
 */
#include "load.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

void limits_default(Limits *lim) {
  lim->max_file_bytes = 10u * 1024 * 1024;
  lim->max_depth = 64;
  lim->max_alias_nodes = 10000;
  lim->max_id_length = 128;
  lim->max_records = 200000;
  lim->max_markdown_depth = 100;
}

bool node_is_null(const Node *n) {
  if (!n)
    return true;
  if (n->kind != NODE_SCALAR || !n->plain)
    return false;
  /* The first byte settles most scalars before a string comparison: this runs for every
   * value of every record, at load and again at bind. */
  const char *t = n->text;
  if (n->len == 0 || t[0] == '~')
    return n->len == 0 || t[1] == '\0';
  return (t[0] == 'n' || t[0] == 'N') && str_ieq(t, "null");
}

const Node *node_get(const Node *map, const char *key) {
  if (!map || map->kind != NODE_MAPPING)
    return NULL;
  for (size_t i = 0; i < map->count; i++) {
    const Node *k = map->pairs[i].key;
    if (k->kind == NODE_SCALAR && strcmp(k->text, key) == 0)
      return map->pairs[i].value;
  }
  return NULL;
}

typedef struct Frame {
  Node *node;
  size_t first; /* its children start here on the scratch stack */
  const char *anchor;
} Frame;

typedef struct Builder {
  Arena *arena;
  Diags *diags;
  const SourceFile *file;
  size_t offset;
  int line_offset;
  const Limits *limits;
  Frame *stack;
  int depth, cap;
  /* Children of every open collection, innermost last (items, or keys and values
   * alternating). One stack reused for the whole file, in malloc'd memory: only each
   * finished collection's exact array goes into the arena. */
  Node **scratch;
  size_t nscratch, scratch_cap;
  HashMap anchors;
  size_t alias_nodes;
  Node *root;
  int documents;
  bool failed;
} Builder;

static Loc S_loc(const Builder *b, yaml_mark_t m) {
  Loc loc = {b->file, (int)m.line + 1 + b->line_offset, (int)m.column + 1};
  return loc;
}

static Node *S_new_node(Builder *b, NodeKind kind, yaml_mark_t mark) {
  Node *n = arena_alloc(b->arena, sizeof *n);
  n->kind = kind;
  n->loc = S_loc(b, mark);
  n->size = 1;
  return n;
}

static void S_remember_anchor(Builder *b, const yaml_char_t *anchor, Node *n) {
  if (anchor)
    hashmap_put(b->arena, &b->anchors, arena_strdup(b->arena, (const char *)anchor), n);
}

/* Attaches a finished node to the open collection, or makes it the document root. */
static void S_attach(Builder *b, Node *n) {
  if (b->depth == 0) {
    if (b->documents == 1)
      b->root = n;
    return;
  }
  Frame *top = &b->stack[b->depth - 1];
  if (b->nscratch == b->scratch_cap) {
    b->scratch_cap = b->scratch_cap ? b->scratch_cap * 2 : 256;
    b->scratch = realloc(b->scratch, b->scratch_cap * sizeof *b->scratch);
    if (!b->scratch)
      abort();
  }
  b->scratch[b->nscratch++] = n;
  top->node->size += n->size;
}

static bool S_push(Builder *b, Node *n, const yaml_char_t *anchor) {
  if (b->depth >= b->limits->max_depth) {
    diag_report(b->diags, NULL, n->loc, "input-limit",
                "YAML nested deeper than %d levels; the file is skipped (limits.max_depth)",
                b->limits->max_depth);
    return false;
  }
  if (b->depth == b->cap) {
    int cap = b->cap ? b->cap * 2 : 16;
    b->stack = arena_grow(b->arena, b->stack, (size_t)b->cap, (size_t)cap, sizeof *b->stack);
    b->cap = cap;
  }
  Frame *f = &b->stack[b->depth++];
  memset(f, 0, sizeof *f);
  f->node = n;
  f->first = b->nscratch;
  f->anchor = anchor ? arena_strdup(b->arena, (const char *)anchor) : NULL;
  return true;
}

/* Reports the second of two equal keys. Small mappings compare pairwise; large ones use a
 * hash map, so a hostile mapping with 100,000 keys stays linear. */
static void S_check_duplicate_keys(Builder *b, Node *map) {
  HashMap seen;
  hashmap_init(&seen);
  bool hashed = map->count > 16;
  for (size_t i = 0; i < map->count; i++) {
    const Node *k = map->pairs[i].key;
    if (k->kind != NODE_SCALAR)
      continue;
    const Node *first = NULL;
    if (hashed) {
      first = hashmap_get(&seen, k->text);
      if (!first)
        hashmap_put(b->arena, &seen, k->text, (void *)k);
    } else {
      for (size_t j = 0; j < i && !first; j++) {
        const Node *o = map->pairs[j].key;
        if (o->kind == NODE_SCALAR && strcmp(o->text, k->text) == 0)
          first = o;
      }
    }
    if (first)
      diag_report(b->diags, NULL, k->loc, "yaml-syntax",
                  "duplicate key '%s' (first at line %d); a later value would silently win",
                  k->text, first->loc.line);
  }
}

static void S_pop(Builder *b) {
  Frame *f = &b->stack[--b->depth];
  Node *n = f->node;
  size_t nchildren = b->nscratch - f->first;
  Node **children = nchildren ? b->scratch + f->first : NULL; /* no scratch yet: no children */
  b->nscratch = f->first;
  if (n->kind == NODE_SEQUENCE) {
    n->count = (uint32_t)nchildren;
    n->items = arena_alloc(b->arena, (nchildren ? nchildren : 1) * sizeof *n->items);
    if (nchildren)
      memcpy(n->items, children, nchildren * sizeof *n->items);
  } else {
    n->count = (uint32_t)(nchildren / 2);
    n->pairs = arena_alloc(b->arena, (n->count ? n->count : 1) * sizeof *n->pairs);
    for (size_t i = 0; i < n->count; i++) {
      n->pairs[i].key = children[2 * i];
      n->pairs[i].value = children[2 * i + 1];
    }
    S_check_duplicate_keys(b, n);
  }
  if (f->anchor)
    hashmap_put(b->arena, &b->anchors, f->anchor, n);
  S_attach(b, n);
}

static bool S_alias(Builder *b, const yaml_event_t *ev) {
  const char *name = (const char *)ev->data.alias.anchor;
  Node *target = hashmap_get(&b->anchors, name);
  Loc loc = S_loc(b, ev->start_mark);
  if (!target) {
    diag_report(b->diags, NULL, loc, "yaml-syntax",
                "alias '*%s' names no anchor defined before it; the file is skipped", name);
    return false;
  }
  /* A large scalar counts for its size too: 1,000 aliases of a 1 MB value are 1 GB. */
  b->alias_nodes += target->size + (target->kind == NODE_SCALAR ? target->len / 256 : 0);
  if (b->alias_nodes > b->limits->max_alias_nodes) {
    diag_report(b->diags, NULL, loc, "input-limit",
                "aliases expand to more than %zu nodes; the file is skipped "
                "(limits.max_alias_nodes)",
                b->limits->max_alias_nodes);
    return false;
  }
  S_attach(b, target);
  return true;
}

static void S_report_parser_error(Builder *b, const yaml_parser_t *p) {
  Loc loc;
  if (p->error == YAML_READER_ERROR)
    loc = source_loc(b->file, b->offset + p->problem_offset);
  else
    loc = S_loc(b, p->problem_mark);
  const char *problem = p->problem ? p->problem : "unknown error";
  size_t len;
  const char *line = source_line(b->file, loc.line, &len);
  bool tab = line && loc.col >= 1 && (size_t)loc.col <= len && memchr(line, '\t', len);
  const char *hint = "";
  if (tab)
    hint = " (YAML does not allow tabs for indentation; use spaces)";
  else if (strstr(problem, "mapping values are not allowed"))
    hint = " (a value that contains ': ' must be quoted)";
  if (p->context)
    diag_report(b->diags, NULL, loc, "yaml-syntax", "invalid YAML: %s %s%s; the file is skipped",
                problem, p->context, hint);
  else
    diag_report(b->diags, NULL, loc, "yaml-syntax", "invalid YAML: %s%s; the file is skipped",
                problem, hint);
}

/* Handles one event; false stops the parse. */
static bool S_event(Builder *b, const yaml_event_t *ev) {
  switch (ev->type) {
  case YAML_DOCUMENT_START_EVENT:
    if (++b->documents == 2) {
      diag_report(b->diags, NULL, S_loc(b, ev->start_mark), "yaml-syntax",
                  "a record file holds one YAML document; this second one is ignored");
    }
    return true;
  case YAML_SCALAR_EVENT: {
    Node *n = S_new_node(b, NODE_SCALAR, ev->start_mark);
    n->text = arena_strndup(b->arena, (const char *)ev->data.scalar.value, ev->data.scalar.length);
    n->len = (uint32_t)ev->data.scalar.length;
    n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    S_remember_anchor(b, ev->data.scalar.anchor, n);
    S_attach(b, n);
    return true;
  }
  case YAML_SEQUENCE_START_EVENT:
    return S_push(b, S_new_node(b, NODE_SEQUENCE, ev->start_mark), ev->data.sequence_start.anchor);
  case YAML_MAPPING_START_EVENT:
    return S_push(b, S_new_node(b, NODE_MAPPING, ev->start_mark), ev->data.mapping_start.anchor);
  case YAML_SEQUENCE_END_EVENT:
  case YAML_MAPPING_END_EVENT: S_pop(b); return true;
  case YAML_ALIAS_EVENT: return S_alias(b, ev);
  default: return true;
  }
}

Node *yaml_parse(Arena *a, Diags *d, const SourceFile *f, size_t offset, size_t len, int first_line,
                 const Limits *lim, bool *failed) {
  Builder b = {0};
  b.arena = a;
  b.diags = d;
  b.file = f;
  b.offset = offset;
  b.line_offset = first_line - 1;
  b.limits = lim;
  hashmap_init(&b.anchors);

  yaml_parser_t parser;
  if (!yaml_parser_initialize(&parser)) {
    *failed = true;
    return NULL;
  }
  yaml_parser_set_input_string(&parser, (const unsigned char *)f->text + offset, len);
  bool done = false;
  while (!done) {
    yaml_event_t ev;
    if (!yaml_parser_parse(&parser, &ev)) {
      S_report_parser_error(&b, &parser);
      b.failed = true;
      break;
    }
    /* After a second document we stop: its content is not read, and only reported once. */
    bool ok = b.documents < 2 ? S_event(&b, &ev) : true;
    done = ev.type == YAML_STREAM_END_EVENT || b.documents >= 2;
    yaml_event_delete(&ev);
    if (!ok) {
      b.failed = true;
      break;
    }
  }
  yaml_parser_delete(&parser);
  free(b.scratch);
  *failed = b.failed;
  return b.failed ? NULL : b.root;
}
