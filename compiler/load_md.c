/* load_md.c - Markdown records: front matter, and [[ID]] references in bodies.
 *
 * A Markdown record opens with a '---' line, YAML fields, and a closing '---' (or '...')
 * line; the rest of the file is the body. Bodies are parsed with cmark-gfm and its GitHub
 * extensions, the same Markdown users see in their pull-request preview, so a [[ID]] inside
 * a code span or code block is text, not a reference. cmark does not keep exact positions
 * of inline text, so each reference found in the tree is located by finding its literal
 * text in the file from the previous reference on: references come out in document order.
 */
#include "load.h"

#include <cmark-gfm.h>
#include <string.h>

/* The line starting at off, without its line break; *next is the start of the next line. */
static size_t S_line(const SourceFile *f, size_t off, size_t *next) {
  const char *nl = memchr(f->text + off, '\n', f->len - off);
  size_t end = nl ? (size_t)(nl - f->text) : f->len;
  *next = nl ? end + 1 : f->len;
  size_t len = end - off;
  if (len && f->text[off + len - 1] == '\r')
    len--;
  return len;
}

static bool S_is_fence(const SourceFile *f, size_t off, size_t len, bool closing) {
  while (len && (f->text[off + len - 1] == ' ' || f->text[off + len - 1] == '\t'))
    len--;
  if (len == 3 && memcmp(f->text + off, "---", 3) == 0)
    return true;
  return closing && len == 3 && memcmp(f->text + off, "...", 3) == 0;
}

bool md_split(Diags *d, const SourceFile *f, FrontMatter *fm) {
  Loc start = {f, 1, 1};
  size_t next, len = f->len ? S_line(f, 0, &next) : 0;
  if (f->len == 0) {
    if (d)
      diag_report(d, NULL, start, "front-matter",
                  "empty Markdown file: a record opens with front matter between '---' lines");
    return false;
  }
  if (!S_is_fence(f, 0, len, false)) {
    /* A closing fence with no opening one is a common slip (and the comply corpus's form). */
    int line = 1;
    for (size_t off = next; off < f->len; off = next) {
      line++;
      len = S_line(f, off, &next);
      if (S_is_fence(f, off, len, false)) {
        if (d)
          diag_report(d, NULL, start, "front-matter",
                      "front matter must open with a '---' line; there is a closing '---' at "
                      "line %d but no opening one",
                      line);
        return false;
      }
    }
    if (d)
      diag_report(d, NULL, start, "front-matter",
                  "no front matter: a Markdown record opens with a '---' line, its fields "
                  "(id, title, ...) and a closing '---' line");
    return false;
  }
  fm->yaml_offset = next;
  fm->yaml_line = 2;
  int line = 1;
  for (size_t off = next; off < f->len; off = next) {
    line++;
    len = S_line(f, off, &next);
    if (S_is_fence(f, off, len, true)) {
      fm->yaml_len = off - fm->yaml_offset;
      fm->body_offset = next;
      return true;
    }
  }
  if (d)
    diag_report(d, NULL, start, "front-matter",
                "front matter opened here never closes: add a '---' line after its fields");
  return false;
}

static bool S_id_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

/* Where the scan is in the file. References come in file order, so each location is
 * counted on from the previous one: linear even for 100,000 references on one line. */
typedef struct RefCursor {
  size_t off;
  Loc loc;
} RefCursor;

static Loc S_advance(const SourceFile *f, RefCursor *c, size_t off) {
  const char *from = f->text + c->off, *to = f->text + off;
  const char *nl = memrchr(from, '\n', (size_t)(to - from));
  if (nl) {
    for (const char *p = from; p <= nl; p++)
      c->loc.line += *p == '\n';
    c->loc.col = 1 + (int)utf8_count(nl + 1, (size_t)(to - nl - 1));
  } else {
    c->loc.col += (int)utf8_count(from, (size_t)(to - from));
  }
  c->off = off;
  return c->loc;
}

/* Finds each [[ID]] in a text literal. */
static void S_scan_text(Arena *a, const SourceFile *f, RefCursor *cursor, const char *s,
                        PtrVec *refs) {
  const char *end = s + strlen(s);
  for (const char *p = find_ref_open(s, end); p; p = find_ref_open(p + 2, end)) {
    const char *q = p + 2;
    while (S_id_char(*q))
      q++;
    if (q == p + 2 || q[0] != ']' || q[1] != ']')
      continue;
    BodyRef *r = arena_alloc(a, sizeof *r);
    r->id = arena_strndup(a, p + 2, (size_t)(q - p - 2));
    size_t n = (size_t)(q + 2 - p);
    const char *hit =
        cursor->off < f->len ? memmem(f->text + cursor->off, f->len - cursor->off, p, n) : NULL;
    if (hit) {
      r->loc = S_advance(f, cursor, (size_t)(hit - f->text) + 2); /* the id, after "[[" */
      S_advance(f, cursor, (size_t)(hit - f->text) + n);
    } else {
      r->loc = cursor->loc;
    }
    ptrvec_push(a, refs, r);
  }
}

static bool S_is_leaf(cmark_node *node) {
  switch (cmark_node_get_type(node)) {
  case CMARK_NODE_HTML_BLOCK:
  case CMARK_NODE_THEMATIC_BREAK:
  case CMARK_NODE_CODE_BLOCK:
  case CMARK_NODE_TEXT:
  case CMARK_NODE_SOFTBREAK:
  case CMARK_NODE_LINEBREAK:
  case CMARK_NODE_CODE:
  case CMARK_NODE_HTML_INLINE: return true;
  default: return false;
  }
}

size_t md_widest_row(const char *text, size_t len) {
  size_t widest = 0, pipes = 0;
  for (size_t i = 0; i < len; i++) {
    if (text[i] == '\n') {
      pipes = 0;
    } else if (text[i] == '|' && ++pipes > widest) {
      widest = pipes;
    }
  }
  return widest;
}

/* An upper bound on how deep cmark can nest body's nodes, cheap enough to skip parsing the
 * many bodies that cannot reach the depth limit. A line can only be inside the containers its
 * leading prefix continues or opens: a block quote takes a '>' column, a list level (a list
 * and an item: two levels) at least two columns of indentation or marker. Inline containers
 * each take a '*' or '_' (emphasis, strong) or are an autolink, which holds only text; links
 * need '[', and a body with one is parsed anyway. A paragraph or heading adds one level. */
static size_t S_nesting_bound(const char *body, size_t len) {
  size_t widest_prefix = 0, prefix = 0, delimiters = 0;
  bool in_prefix = true;
  for (size_t i = 0; i < len; i++) {
    char c = body[i];
    if (c == '*' || c == '_')
      delimiters++;
    if (c == '\n') {
      prefix = 0;
      in_prefix = true;
    } else if (in_prefix && c && strchr(" \t>-*+.)0123456789", c)) {
      prefix += c == '\t' ? 4 : 1;
      if (prefix > widest_prefix)
        widest_prefix = prefix;
    } else {
      in_prefix = false;
    }
  }
  return widest_prefix + delimiters + 2;
}

/* The loader parses plain CommonMark, without the GFM extensions, because it runs on
 * several threads: cmark-gfm 0.29 switches an extension's inline characters ('|', '~', ':',
 * 'w') on and off in a process-wide table around every parse's inline pass, so two
 * parsers with extensions race. Nothing the loader looks for depends on them: an [[ID]] is
 * text inside a table cell, a strikethrough or an autolink just as in a paragraph, and its
 * location comes from the source bytes. The renderer (markdown.c) parses with the
 * extensions, on one thread. */
static cmark_parser *S_new_parser(void) { return cmark_parser_new(CMARK_OPT_DEFAULT); }

void md_scan_refs(Arena *a, Diags *d, const SourceFile *f, size_t search_from, const char *body,
                  size_t body_len, const Limits *lim, PtrVec *refs) {
  if (!memchr(body, '[', body_len) && md_widest_row(body, body_len) <= MAX_TABLE_COLUMNS &&
      S_nesting_bound(body, body_len) <= (size_t)lim->max_markdown_depth)
    return; /* nothing to find and nothing deep: most bodies of a large tree */
  bool tables = md_widest_row(body, body_len) <= MAX_TABLE_COLUMNS;
  if (!tables)
    diag_report(d, NULL, source_loc(f, search_from), "input-limit",
                "a table row of more than %d cells; tables this wide are read as plain text",
                MAX_TABLE_COLUMNS);
  cmark_parser *parser = S_new_parser();
  cmark_parser_feed(parser, body, body_len);
  cmark_node *doc = cmark_parser_finish(parser);
  cmark_consolidate_text_nodes(doc);
  cmark_iter *it = cmark_iter_new(doc);
  RefCursor cursor = {search_from, source_loc(f, search_from)};
  int depth = -1; /* the document itself is not a level */
  bool too_deep = false;
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *node = cmark_iter_get_node(it);
    if (ev == CMARK_EVENT_EXIT) {
      depth--;
      continue;
    }
    if (!S_is_leaf(node))
      depth++; /* containers get an EXIT event too; leaves do not */
    if (depth > lim->max_markdown_depth && !too_deep) {
      too_deep = true;
      int line = cmark_node_get_start_line(node);
      Loc loc = source_loc(f, search_from);
      loc.line += line > 0 ? line - 1 : 0;
      diag_report(d, NULL, loc, "input-limit",
                  "Markdown nested deeper than %d levels (limits.max_markdown_depth)",
                  lim->max_markdown_depth);
    }
    if (cmark_node_get_type(node) == CMARK_NODE_TEXT) {
      const char *lit = cmark_node_get_literal(node);
      if (lit)
        S_scan_text(a, f, &cursor, lit, refs);
    }
  }
  cmark_iter_free(it);
  cmark_node_free(doc);
  cmark_parser_free(parser);
}
