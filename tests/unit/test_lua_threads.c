/* Unit tests for running the Lua rules on two threads (lua_rules.c): the same tree checked
 * with one thread and with a helper gives the same diagnostics, message for message, in the
 * same order, for shipped rules and a tree's own: rules that report many findings (two of
 * them at the same places, so only the order the rules ran in orders them), a rule
 * that fails, a rule file returning a list of rules (each found at its place in the helper's
 * state), and a rule drawing math.random numbers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lua_rules.h"
#include "tree_fixture.h"

static const char tree_rules[] =
    "return {\n"
    "  {id = 'every-asset', severity = 'note', description = 'd',\n"
    "   check = function(isms, report)\n"
    "     for _, a in ipairs(isms.assets) do report(a, 'owner', 'asset %s', a.id) end\n"
    "   end},\n"
    "  {id = 'every-asset-again', severity = 'note', description = 'd',\n"
    "   check = function(isms, report)\n"
    "     for _, a in ipairs(isms.assets) do report(a, 'owner', 'again %s', a.id) end\n"
    "   end},\n"
    "  {id = 'fails', severity = 'warning', description = 'd',\n"
    "   check = function(isms, report) error('on purpose') end},\n"
    "  {id = 'dice', severity = 'note', description = 'd',\n"
    "   check = function(isms, report)\n"
    "     for i = 1, 3 do report(isms.risks[i], 'drew %d', math.random(1000000)) end\n"
    "   end},\n"
    "}\n";

/* A tree where several shipped rules fire on many records. */
static void S_write_tree(Fixture *fx) {
  fx_write(fx, "isms.yaml", fx_manifest);
  fx_write(fx, "rules/extra.lua", tree_rules);
  char path[64], text[512];
  for (int i = 1; i <= 40; i++) {
    snprintf(path, sizeof path, "assets/A-%d.yaml", i);
    snprintf(text, sizeof text, "id: A-%d\ntitle: Asset %d\nowner: IT\n", i, i);
    fx_write(fx, path, text);
    snprintf(path, sizeof path, "risks/R-%d.yaml", i);
    snprintf(text, sizeof text,
             "id: R-%d\ntitle: Risk %d\nowner: IT\nassets: [A-%d]\n"
             "likelihood: Likely\nimpact: Major\ntreatment: %s\n",
             i, i, i, i % 3 ? "mitigate" : "accept");
    fx_write(fx, path, text);
  }
  for (int i = 1; i <= 10; i++) {
    snprintf(path, sizeof path, "treatments/T-%d.yaml", i);
    snprintf(text, sizeof text,
             "id: T-%d\ntitle: Treatment %d\nowner: IT\nrisks: [R-%d]\ncontrols: [A.8.24]\n"
             "due: 2025-01-0%d\nstatus: planned\n",
             i, i, i, i % 9 + 1);
    fx_write(fx, path, text);
  }
}

/* A tree where one rule finds one thing (asset-orphan: A-1 is in no risk; the rules that
 * would report the missing controls and documents are off), so one of the two sandboxes
 * holds no finding at all. */
static void S_write_small_tree(Fixture *fx) {
  char manifest[1024];
  snprintf(manifest, sizeof manifest, "%srules:\n  soa-complete: off\n  readiness: off\n",
           fx_manifest);
  fx_write(fx, "isms.yaml", manifest);
  fx_write(fx, "assets/A-1.yaml", "id: A-1\ntitle: Laptops\nowner: IT\n");
}

/* The diagnostics of a check of the tree, one line each, in their order. */
static char **S_check(void (*write)(Fixture *), int threads, size_t *count) {
  void *state = NULL;
  assert_int_equal(fx_setup(&state), 0);
  Fixture *fx = state;
  write(fx);
  Model *m = fx_resolve(fx);
  lua_rules_run_threads(m, threads);
  diags_finish(&fx->diags);
  *count = fx->diags.items.len;
  char **lines = calloc(*count + 1, sizeof *lines);
  for (size_t i = 0; i < *count; i++) {
    const Diag *g = fx->diags.items.items[i];
    char line[1024];
    snprintf(line, sizeof line, "%s %s:%d:%d %s", g->rule, g->loc.file ? g->loc.file->path : "-",
             g->loc.line, g->loc.col, g->message);
    lines[i] = strdup(line);
  }
  fx_teardown(&state);
  return lines;
}

static size_t S_count_rule(char **lines, size_t n, const char *rule) {
  size_t k = 0, len = strlen(rule);
  for (size_t i = 0; i < n; i++)
    k += strncmp(lines[i], rule, len) == 0 && lines[i][len] == ' ';
  return k;
}

static void S_expect_same(char **one, size_t n1, char **two, size_t n2) {
  assert_int_equal(n2, n1);
  for (size_t i = 0; i < n1; i++)
    assert_string_equal(two[i], one[i]);
  for (size_t i = 0; i < n1; i++) {
    free(one[i]);
    free(two[i]);
  }
  free(one);
  free(two);
}

static void test_same_diagnostics_on_two_threads(void **state) {
  (void)state;
  size_t n1, n2;
  char **one = S_check(S_write_tree, 1, &n1), **two = S_check(S_write_tree, 2, &n2);
  /* The tree makes rules fire, or the comparison would prove nothing. */
  assert_int_equal(S_count_rule(one, n1, "every-asset"), 40);
  assert_int_equal(S_count_rule(one, n1, "every-asset-again"), 40);
  assert_int_equal(S_count_rule(one, n1, "dice"), 3);
  assert_int_equal(S_count_rule(one, n1, "rule-error"), 1);
  assert_true(S_count_rule(one, n1, "treatment-overdue") >= 10);
  assert_true(n1 > 60);
  S_expect_same(one, n1, two, n2);
}

/* With a finding or two, one sandbox (or both) ends holding nothing. */
static void test_few_diagnostics_on_two_threads(void **state) {
  (void)state;
  size_t n1, n2;
  char **one = S_check(S_write_small_tree, 1, &n1), **two = S_check(S_write_small_tree, 2, &n2);
  assert_int_equal(n1, 1);
  assert_int_equal(S_count_rule(one, n1, "asset-orphan"), 1);
  S_expect_same(one, n1, two, n2);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_same_diagnostics_on_two_threads),
                                     cmocka_unit_test(test_few_diagnostics_on_two_threads)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
