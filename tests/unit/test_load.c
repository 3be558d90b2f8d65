/* Unit tests for the load stage: line and column of YAML values, front matter offsets,
 * BOM and CRLF, [[ID]] positions in bodies, limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "load.h"

typedef struct Fixture {
  Arena arena;
  Diags diags;
  Limits limits;
} Fixture;

static int setup(void **state) {
  static Fixture fx;
  arena_init(&fx.arena);
  diags_init(&fx.diags, &fx.arena);
  limits_default(&fx.limits);
  *state = &fx;
  return 0;
}

static int teardown(void **state) {
  Fixture *fx = *state;
  arena_free(&fx->arena);
  return 0;
}

static SourceFile *S_file(Fixture *fx, const char *path, const char *text) {
  SourceFile *f = arena_alloc(&fx->arena, sizeof *f);
  f->path = path;
  f->text = text;
  f->len = strlen(text);
  f->arena = &fx->arena;
  return f;
}

static const Diag *S_diag(Fixture *fx, size_t i) {
  assert_true(i < fx->diags.items.len);
  return fx->diags.items.items[i];
}

static void test_yaml_locations(void **state) {
  Fixture *fx = *state;
  SourceFile *f = S_file(fx, "r.yaml", "id: R-1\nassets:\n  - A-1\n  - \"A-2\"\nimpact: 3\n");
  bool failed = true;
  Node *root = yaml_parse(&fx->arena, &fx->diags, f, 0, f->len, 1, &fx->limits, &failed);
  assert_false(failed);
  assert_non_null(root);
  assert_int_equal(root->kind, NODE_MAPPING);
  const Node *id = node_get(root, "id");
  assert_string_equal(id->text, "R-1");
  assert_int_equal(id->loc.line, 1);
  assert_int_equal(id->loc.col, 5);
  const Node *assets = node_get(root, "assets");
  assert_int_equal(assets->kind, NODE_SEQUENCE);
  assert_int_equal(assets->count, 2);
  assert_int_equal(assets->items[1]->loc.line, 4);
  assert_int_equal(assets->items[1]->loc.col, 5); /* the opening quote */
  assert_false(assets->items[1]->plain);
  assert_int_equal(node_get(root, "impact")->loc.line, 5);
  assert_int_equal(fx->diags.items.len, 0);
}

static void test_yaml_columns_count_characters(void **state) {
  Fixture *fx = *state;
  /* "é" is two bytes but one column. */
  SourceFile *f = S_file(fx, "r.yaml", "title: \xC3\xA9t\xC3\xA9 x\nowner: CISO\n");
  bool failed;
  Node *root = yaml_parse(&fx->arena, &fx->diags, f, 0, f->len, 1, &fx->limits, &failed);
  assert_int_equal(node_get(root, "owner")->loc.col, 8);
  Loc loc = source_loc(f, 12); /* the 'x' after "title: été " */
  assert_int_equal(loc.line, 1);
  assert_int_equal(loc.col, 11);
  assert_int_equal(source_offset(f, loc), 12);
}

/* Counting on from an earlier place gives what counting from the top gives, across line
 * ends (LF and CRLF), multi-byte characters and an empty line. */
static void test_source_loc_after(void **state) {
  Fixture *fx = *state;
  SourceFile *f = S_file(fx, "m.csv", "date,v\r\n2025-01-31,\xC3\xA9t\xC3\xA9\n\n\"a\nb\",\xE2\x82\xAC 3\n");
  for (size_t from = 0; from <= f->len; from++)
    for (size_t off = from; off <= f->len; off++) {
      Loc want = source_loc(f, off), got = source_loc_after(f, source_loc(f, from), from, off);
      assert_int_equal(got.line, want.line);
      assert_int_equal(got.col, want.col);
    }
}

static void test_yaml_syntax_error_location(void **state) {
  Fixture *fx = *state;
  SourceFile *f = S_file(fx, "r.yaml", "id: R-1\ntitle: [unclosed\nowner: x\n");
  bool failed = false;
  Node *root = yaml_parse(&fx->arena, &fx->diags, f, 0, f->len, 1, &fx->limits, &failed);
  assert_true(failed);
  assert_null(root);
  assert_int_equal(fx->diags.items.len, 1);
  assert_string_equal(S_diag(fx, 0)->rule, "yaml-syntax");
  assert_true(S_diag(fx, 0)->loc.line >= 2);
}

static void test_yaml_duplicate_key(void **state) {
  Fixture *fx = *state;
  SourceFile *f = S_file(fx, "r.yaml", "id: R-1\nowner: a\nowner: b\n");
  bool failed;
  yaml_parse(&fx->arena, &fx->diags, f, 0, f->len, 1, &fx->limits, &failed);
  assert_int_equal(fx->diags.items.len, 1);
  const Diag *g = S_diag(fx, 0);
  assert_string_equal(g->rule, "yaml-syntax");
  assert_int_equal(g->loc.line, 3);
  assert_int_equal(g->loc.col, 1);
  assert_non_null(strstr(g->message, "first at line 2"));
}

static void test_yaml_alias_bomb(void **state) {
  Fixture *fx = *state;
  const char *bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n"
                     "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                     "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                     "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                     "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
                     "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n";
  SourceFile *f = S_file(fx, "bomb.yaml", bomb);
  bool failed = false;
  Node *root = yaml_parse(&fx->arena, &fx->diags, f, 0, f->len, 1, &fx->limits, &failed);
  assert_true(failed);
  assert_null(root);
  assert_string_equal(S_diag(fx, 0)->rule, "input-limit");
  assert_true(fx->arena.total < 4u * 1024 * 1024);
}

static void test_yaml_depth_limit(void **state) {
  Fixture *fx = *state;
  char deep[4000];
  memset(deep, '[', 2000);
  memset(deep + 2000, ']', 1999);
  deep[3999] = '\0';
  SourceFile *f = S_file(fx, "deep.yaml", deep);
  bool failed = false;
  yaml_parse(&fx->arena, &fx->diags, f, 0, f->len, 1, &fx->limits, &failed);
  assert_true(failed);
  assert_string_equal(S_diag(fx, 0)->rule, "input-limit");
  assert_int_equal(S_diag(fx, 0)->loc.col, 65); /* the 65th '[' opens level 65 */
}

static void test_front_matter_offsets(void **state) {
  Fixture *fx = *state;
  SourceFile *f = S_file(fx, "p.md", "---\nid: POL-1\ntitle: T\n---\n# Heading\n\nSee [[R-1]].\n");
  FrontMatter fm;
  assert_true(md_split(&fx->diags, f, &fm));
  assert_int_equal(fm.yaml_line, 2);
  bool failed;
  Node *map = yaml_parse(&fx->arena, &fx->diags, f, fm.yaml_offset, fm.yaml_len, fm.yaml_line,
                         &fx->limits, &failed);
  assert_int_equal(node_get(map, "title")->loc.line, 3);
  assert_int_equal(node_get(map, "title")->loc.col, 8);
  PtrVec refs = {0};
  md_scan_refs(&fx->arena, &fx->diags, f, fm.body_offset, f->text + fm.body_offset,
               f->len - fm.body_offset, &fx->limits, &refs);
  assert_int_equal(refs.len, 1);
  const BodyRef *r = refs.items[0];
  assert_string_equal(r->id, "R-1");
  assert_int_equal(r->loc.line, 7);
  assert_int_equal(r->loc.col, 7); /* the id, after "[[" */
}

static void test_front_matter_crlf(void **state) {
  Fixture *fx = *state;
  /* The BOM is stripped by load_source; the text here starts after it. */
  SourceFile *f = S_file(fx, "p.md", "---\r\nid: POL-1\r\nowner: x\r\n---\r\nText [[A.5.1]]\r\n");
  FrontMatter fm;
  assert_true(md_split(&fx->diags, f, &fm));
  bool failed;
  Node *map = yaml_parse(&fx->arena, &fx->diags, f, fm.yaml_offset, fm.yaml_len, fm.yaml_line,
                         &fx->limits, &failed);
  assert_false(failed);
  assert_string_equal(node_get(map, "owner")->text, "x");
  assert_int_equal(node_get(map, "owner")->loc.line, 3);
  PtrVec refs = {0};
  md_scan_refs(&fx->arena, &fx->diags, f, fm.body_offset, f->text + fm.body_offset,
               f->len - fm.body_offset, &fx->limits, &refs);
  assert_int_equal(refs.len, 1);
  assert_int_equal(((BodyRef *)refs.items[0])->loc.line, 5);
  assert_int_equal(((BodyRef *)refs.items[0])->loc.col, 8);
}

static void test_front_matter_missing(void **state) {
  Fixture *fx = *state;
  FrontMatter fm;
  assert_false(md_split(&fx->diags, S_file(fx, "a.md", "name: X\n---\nbody\n"), &fm));
  assert_false(md_split(&fx->diags, S_file(fx, "b.md", "---\nid: X\nno end\n"), &fm));
  assert_false(md_split(&fx->diags, S_file(fx, "c.md", ""), &fm));
  assert_int_equal(fx->diags.items.len, 3);
  assert_non_null(strstr(S_diag(fx, 0)->message, "closing '---' at line 2"));
  assert_non_null(strstr(S_diag(fx, 1)->message, "never closes"));
}

static void test_refs_skip_code(void **state) {
  Fixture *fx = *state;
  const char *body = "Use `[[X-1]]` literally.\n\n    [[X-2]] in code\n\n"
                     "```\n[[X-3]]\n```\n\nBut [[X-4]] and [[X-4]] and [[bad id]].\n";
  SourceFile *f = S_file(fx, "p.md", body);
  PtrVec refs = {0};
  md_scan_refs(&fx->arena, &fx->diags, f, 0, body, strlen(body), &fx->limits, &refs);
  assert_int_equal(refs.len, 2);
  assert_string_equal(((BodyRef *)refs.items[0])->id, "X-4");
  assert_int_equal(((BodyRef *)refs.items[0])->loc.line, 9);
  assert_int_equal(((BodyRef *)refs.items[0])->loc.col, 7);
  assert_int_equal(((BodyRef *)refs.items[1])->loc.col, 19); /* the second occurrence */
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_yaml_locations, setup, teardown),
      cmocka_unit_test_setup_teardown(test_yaml_columns_count_characters, setup, teardown),
      cmocka_unit_test_setup_teardown(test_yaml_syntax_error_location, setup, teardown),
      cmocka_unit_test_setup_teardown(test_yaml_duplicate_key, setup, teardown),
      cmocka_unit_test_setup_teardown(test_yaml_alias_bomb, setup, teardown),
      cmocka_unit_test_setup_teardown(test_yaml_depth_limit, setup, teardown),
      cmocka_unit_test_setup_teardown(test_source_loc_after, setup, teardown),
      cmocka_unit_test_setup_teardown(test_front_matter_offsets, setup, teardown),
      cmocka_unit_test_setup_teardown(test_front_matter_crlf, setup, teardown),
      cmocka_unit_test_setup_teardown(test_front_matter_missing, setup, teardown),
      cmocka_unit_test_setup_teardown(test_refs_skip_code, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
