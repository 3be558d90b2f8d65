/* markdown.c - prepare record bodies for rendering; see markdown.h. */
#include "markdown.h"

#include "load.h"
#include "text.h"

#include <cmark-gfm-core-extensions.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

const char *md_record_label(Arena *a, const Record *r) {
  const char *title = rec_title(r);
  return title ? arena_concat(a, r->id, " ", title, NULL) : r->id;
}

static cmark_node *S_text_node(const char *s, size_t len) {
  cmark_node *t = cmark_node_new(CMARK_NODE_TEXT);
  char *copy = strndup(s, len);
  cmark_node_set_literal(t, copy);
  free(copy);
  return t;
}

/* Splits a text node at each [[ID]] of a known record into text, link, text. Labels are
 * made in `a`, md_prepare's scratch arena (cmark copies them). */
static void S_link_refs(const Model *m, Arena *a, cmark_node *text) {
  const char *lit = cmark_node_get_literal(text);
  const char *lit_end = lit ? lit + strlen(lit) : NULL;
  if (!lit || !find_ref_open(lit, lit_end))
    return;
  char *s = strdup(lit);
  const char *done = s, *end = s + (lit_end - lit);
  for (const char *p = find_ref_open(s, end); p; p = find_ref_open(p, end)) {
    const char *q = p + 2;
    while (id_char(*q))
      q++;
    if (q == p + 2 || q[0] != ']' || q[1] != ']') {
      p += 2;
      continue;
    }
    char *id = strndup(p + 2, (size_t)(q - p - 2));
    const Record *r = hashmap_get(&m->ids, id);
    if (r) {
      if (p > done)
        cmark_node_insert_before(text, S_text_node(done, (size_t)(p - done)));
      cmark_node *link = cmark_node_new(CMARK_NODE_LINK);
      char *url = malloc(strlen(id) + sizeof RECORD_URL_PREFIX);
      strcpy(url, RECORD_URL_PREFIX);
      strcat(url, id);
      cmark_node_set_url(link, url);
      cmark_node_set_user_data(link, (void *)r); /* the renderers' target */
      free(url);
      const char *label = md_record_label(a, r);
      cmark_node_append_child(link, S_text_node(label, strlen(label)));
      cmark_node_insert_before(text, link);
      done = q + 2;
    }
    free(id);
    p = q + 2;
  }
  if (done != s) {
    if (*done)
      cmark_node_insert_before(text, S_text_node(done, strlen(done)));
    cmark_node_free(text);
  }
  free(s);
}

/* A link the body wrote to record:ID leads to the record, as a [[ID]] does. */
static void S_record_target(const Model *m, cmark_node *link) {
  const char *url = cmark_node_get_url(link);
  if (url && strncmp(url, RECORD_URL_PREFIX, strlen(RECORD_URL_PREFIX)) == 0)
    cmark_node_set_user_data(link, hashmap_get(&m->ids, url + strlen(RECORD_URL_PREFIX)));
}

/* Raw HTML becomes visible text: a policy that says "<script>" shows those characters. */
static void S_html_to_text(cmark_node *node) {
  bool block = cmark_node_get_type(node) == CMARK_NODE_HTML_BLOCK;
  const char *lit = cmark_node_get_literal(node);
  cmark_node *repl = cmark_node_new(block ? CMARK_NODE_PARAGRAPH : CMARK_NODE_TEXT);
  if (block) {
    size_t len = lit ? strlen(lit) : 0;
    while (len && (lit[len - 1] == '\n' || lit[len - 1] == '\r'))
      len--;
    cmark_node *code = cmark_node_new(CMARK_NODE_CODE);
    char *copy = strndup(lit ? lit : "", len);
    cmark_node_set_literal(code, copy);
    free(copy);
    cmark_node_append_child(repl, code);
  } else {
    cmark_node_set_literal(repl, lit ? lit : "");
  }
  cmark_node_insert_before(node, repl);
  cmark_node_free(node);
}

/* An image would be fetched by the reader's browser: it becomes a link showing its text. */
static void S_image_to_link(cmark_node *img) {
  cmark_node *link = cmark_node_new(CMARK_NODE_LINK);
  cmark_node_set_url(link, cmark_node_get_url(img));
  cmark_node *child;
  while ((child = cmark_node_first_child(img)) != NULL)
    cmark_node_append_child(link, child);
  if (!cmark_node_first_child(link))
    cmark_node_append_child(link, S_text_node("image", 5));
  cmark_node_insert_before(img, link);
  cmark_node_free(img);
}

/* cmark-gfm 0.29 switches an extension's inline characters on and off in a process-wide
 * table around each parse (see load_md.c): parses with the extensions take turns. What is
 * done with a finished tree needs no lock. */
static pthread_mutex_t parse_lock = PTHREAD_MUTEX_INITIALIZER;

void md_init(void) {
  pthread_mutex_lock(&parse_lock);
  cmark_gfm_core_extensions_ensure_registered();
  pthread_mutex_unlock(&parse_lock);
}

/* cmark-gfm's getters copy a string the parser left inside its buffer into one of its own
 * the first time they are called, writing the node. Calling them once here, while one
 * thread owns the tree, leaves renderers only reading: the HTML and DOCX of a document are
 * rendered from this tree on two threads at once (build.c). */
static void S_own_strings(cmark_node *root) {
  cmark_iter *it = cmark_iter_new(root);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    if (ev != CMARK_EVENT_ENTER)
      continue;
    cmark_node *n = cmark_iter_get_node(it);
    (void)cmark_node_get_literal(n);
    (void)cmark_node_get_url(n);
    (void)cmark_node_get_title(n);
    (void)cmark_node_get_fence_info(n);
    (void)cmark_node_get_on_enter(n);
    (void)cmark_node_get_on_exit(n);
  }
  cmark_iter_free(it);
}

MdDoc md_prepare(const Model *m, const char *text, size_t len, bool unsafe_html) {
  MdDoc d;
  char *clean = text_clean_copy(text, len);
  pthread_mutex_lock(&parse_lock);
  cmark_gfm_core_extensions_ensure_registered();
  d.parser = cmark_parser_new(CMARK_OPT_DEFAULT);
  static const char *const extensions[] = {"table", "strikethrough", "autolink", "tasklist"};
  bool tables = md_widest_row(text, len) <= MAX_TABLE_COLUMNS; /* see load.h */
  for (size_t i = tables ? 0 : 1; i < sizeof extensions / sizeof extensions[0]; i++) {
    cmark_syntax_extension *ext = cmark_find_syntax_extension(extensions[i]);
    if (ext)
      cmark_parser_attach_syntax_extension(d.parser, ext);
  }
  cmark_parser_feed(d.parser, clean, strlen(clean));
  d.root = cmark_parser_finish(d.parser);
  pthread_mutex_unlock(&parse_lock);
  free(clean);
  cmark_consolidate_text_nodes(d.root);
  /* Collect first, change after: the iterator must not see nodes being replaced. */
  PtrVec nodes = {0};
  Arena a;
  arena_init(&a);
  cmark_iter *it = cmark_iter_new(d.root);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *n = cmark_iter_get_node(it);
    cmark_node_type t = cmark_node_get_type(n);
    if (ev == CMARK_EVENT_ENTER && t == CMARK_NODE_HEADING)
      cmark_node_set_user_data(n, (void *)(intptr_t)cmark_node_get_heading_level(n));
    if (ev == CMARK_EVENT_ENTER && t == CMARK_NODE_LINK) /* a link written as record:ID */
      S_record_target(m, n);
    if (ev == CMARK_EVENT_ENTER &&
        (t == CMARK_NODE_TEXT || t == CMARK_NODE_IMAGE ||
         ((t == CMARK_NODE_HTML_BLOCK || t == CMARK_NODE_HTML_INLINE) && !unsafe_html)))
      ptrvec_push(&a, &nodes, n);
  }
  cmark_iter_free(it);
  for (size_t i = nodes.len; i > 0; i--) { /* images last to first: children move */
    cmark_node *n = nodes.items[i - 1];
    switch (cmark_node_get_type(n)) {
    case CMARK_NODE_TEXT: S_link_refs(m, &a, n); break;
    case CMARK_NODE_IMAGE: S_image_to_link(n); break;
    default: S_html_to_text(n); break;
    }
  }
  arena_free(&a);
  S_own_strings(d.root);
  return d;
}

int md_heading_level(cmark_node *heading) {
  return (int)(intptr_t)cmark_node_get_user_data(heading);
}

const Record *md_link_record(cmark_node *link) { return cmark_node_get_user_data(link); }

void md_free(MdDoc *d) {
  cmark_node_free(d->root);
  cmark_parser_free(d->parser);
  d->root = NULL;
  d->parser = NULL;
}
