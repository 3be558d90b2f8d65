/* floor.c - the benchmark's floor: only the work no ISMS compiler can avoid, on one thread.
 *
 * It walks the tree the way ismsc reads it (hidden entries skipped, symlinks not followed),
 * parses every YAML file and every Markdown front matter with libyaml (events only: no node
 * tree, no typing), and parses every Markdown body (a Markdown file's text after its front
 * matter, a YAML record's `body:`) with cmark-gfm and its table, strikethrough, autolink and
 * tasklist extensions, rendering it to HTML, once. Nothing is checked or written. bench/run.sh
 * times it in the same run as ismsc and prints every row as a ratio to it.
 *
 * What must stay true: it does no less than ismsc must (every file read, every body parsed
 * and rendered) and nothing more, so a ratio near 1 means ismsc adds little of its own.
 *
 *   floor TREE     prints one line of counts; exit 0, or 2 when TREE cannot be read
 */
#define _GNU_SOURCE /* nftw's FTW_ACTIONRETVAL, to skip hidden folders */
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

static struct {
  size_t yaml_files, md_files, bodies, html_bytes, yaml_errors;
} counts;

static void render_markdown(const char *text, size_t len) {
  static const char *const names[] = {"table", "strikethrough", "autolink", "tasklist"};
  cmark_parser *parser = cmark_parser_new(CMARK_OPT_DEFAULT);
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    cmark_syntax_extension *ext = cmark_find_syntax_extension(names[i]);
    if (ext)
      cmark_parser_attach_syntax_extension(parser, ext);
  }
  cmark_parser_feed(parser, text, len);
  cmark_node *doc = cmark_parser_finish(parser);
  char *html = cmark_render_html(doc, CMARK_OPT_DEFAULT, cmark_parser_get_syntax_extensions(parser));
  counts.html_bytes += strlen(html);
  counts.bodies++;
  free(html);
  cmark_node_free(doc);
  cmark_parser_free(parser);
}

/* Parses YAML text to its events. A record's `body:` (a key of a mapping at most two levels
 * down: a record, or a record in a list) is Markdown and is rendered. */
static void parse_yaml(const char *text, size_t len) {
  yaml_parser_t parser;
  yaml_parser_initialize(&parser);
  yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
  enum { MAX_DEPTH = 256 };
  bool is_map[MAX_DEPTH], at_key[MAX_DEPTH];
  int depth = 0;
  bool body_next = false;
  for (;;) {
    yaml_event_t ev;
    if (!yaml_parser_parse(&parser, &ev)) {
      counts.yaml_errors++;
      break;
    }
    yaml_event_type_t type = ev.type;
    bool key = depth > 0 && is_map[depth - 1] && at_key[depth - 1];
    if (type == YAML_SCALAR_EVENT) {
      const char *value = (const char *)ev.data.scalar.value;
      if (body_next)
        render_markdown(value, ev.data.scalar.length);
      body_next = key && depth <= 2 && strcmp(value, "body") == 0;
    } else {
      body_next = false;
    }
    if (type == YAML_SCALAR_EVENT || type == YAML_ALIAS_EVENT || type == YAML_MAPPING_START_EVENT ||
        type == YAML_SEQUENCE_START_EVENT) {
      if (depth > 0 && is_map[depth - 1])
        at_key[depth - 1] = !at_key[depth - 1];
    }
    if ((type == YAML_MAPPING_START_EVENT || type == YAML_SEQUENCE_START_EVENT) &&
        depth < MAX_DEPTH) {
      is_map[depth] = type == YAML_MAPPING_START_EVENT;
      at_key[depth] = true;
      depth++;
    } else if ((type == YAML_MAPPING_END_EVENT || type == YAML_SEQUENCE_END_EVENT) && depth > 0) {
      depth--;
    }
    yaml_event_delete(&ev);
    if (type == YAML_STREAM_END_EVENT)
      break;
  }
  yaml_parser_delete(&parser);
}

/* The end of the line starting at p (its '\n', or end). */
static const char *line_end(const char *p, const char *end) {
  const char *nl = memchr(p, '\n', (size_t)(end - p));
  return nl ? nl : end;
}

static bool is_fence(const char *p, const char *e) {
  if (e > p && e[-1] == '\r')
    e--;
  return e - p == 3 && (memcmp(p, "---", 3) == 0 || memcmp(p, "...", 3) == 0);
}

/* Front matter between '---' lines, then the body. */
static void parse_markdown(const char *text, size_t len) {
  const char *end = text + len, *p = text;
  if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
    p += 3;
  const char *e = line_end(p, end);
  if (!is_fence(p, e) || memcmp(p, "---", 3) != 0) {
    render_markdown(p, (size_t)(end - p));
    return;
  }
  const char *yaml = e < end ? e + 1 : end;
  for (const char *q = yaml; q < end;) {
    const char *qe = line_end(q, end);
    if (is_fence(q, qe)) {
      parse_yaml(yaml, (size_t)(q - yaml));
      const char *body = qe < end ? qe + 1 : end;
      render_markdown(body, (size_t)(end - body));
      return;
    }
    q = qe < end ? qe + 1 : end;
  }
  parse_yaml(yaml, (size_t)(end - yaml)); /* never closed: ismsc reports it; parse anyway */
}

static bool has_suffix(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  size_t cap = 1 << 16, n = 0;
  char *buf = malloc(cap);
  size_t got;
  while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
    n += got;
    if (n == cap) {
      char *bigger = realloc(buf, cap * 2);
      if (!bigger) {
        free(buf);
        buf = NULL;
        break;
      }
      buf = bigger;
      cap *= 2;
    }
  }
  fclose(f);
  *len = n;
  return buf;
}

static int visit(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st;
  const char *name = path + ftw->base;
  if (ftw->level > 0 && name[0] == '.')
    return flag == FTW_D ? FTW_SKIP_SUBTREE : FTW_CONTINUE;
  if (flag != FTW_F)
    return FTW_CONTINUE;
  bool yaml = has_suffix(name, ".yaml") || has_suffix(name, ".yml");
  bool md = has_suffix(name, ".md") || has_suffix(name, ".markdown");
  if (!yaml && !md)
    return FTW_CONTINUE;
  size_t len;
  char *text = read_file(path, &len);
  if (!text)
    return FTW_CONTINUE;
  if (yaml) {
    counts.yaml_files++;
    parse_yaml(text, len);
  } else {
    counts.md_files++;
    parse_markdown(text, len);
  }
  free(text);
  return FTW_CONTINUE;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: floor TREE\n");
    return 2;
  }
  cmark_gfm_core_extensions_ensure_registered();
  if (nftw(argv[1], visit, 64, FTW_PHYS | FTW_ACTIONRETVAL) != 0) {
    perror(argv[1]);
    return 2;
  }
  printf("floor: %zu YAML files, %zu Markdown files, %zu bodies rendered to %zu bytes of HTML, "
         "%zu YAML errors\n",
         counts.yaml_files, counts.md_files, counts.bodies, counts.html_bytes, counts.yaml_errors);
  return 0;
}
