/* test_history.c - the history walk and a record's timeline (history.c), on a repository the
 * test commits with libgit2: which commits changed a policy's content, its version, its
 * approval; a rename followed; point lookups of a file that is not tracked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "history.h"
#include "tree_fixture.h"

static const char policy_v1[] = "---\nid: POL-A\ntitle: Access\nowner: CISO\nversion: \"1.0\"\n"
                                "approved: {by: CEO, date: 2026-01-10}\n---\n# Rules\n\nBe kind.\n";
static const char policy_v2[] = "---\nid: POL-A\ntitle: Access\nowner: CISO\nversion: \"1.1\"\n"
                                "approved: {by: CEO, date: 2026-01-10}\n---\n# Rules\n\nBe kind.\n";
static const char policy_v3[] = "---\nid: POL-A\ntitle: Access\nowner: CISO\nversion: \"1.1\"\n"
                                "approved: {by: CEO, date: 2026-01-10}\n---\n# Rules\n\nBe fair.\n";
static const char risk_text[] = "id: R-1\ntitle: Fire\nowner: COO\nlikelihood: 2\nimpact: 2\n"
                                "treatment: avoid\n";

/* Commits the whole folder as it is, at `day` (seconds since 1970), on HEAD. */
static void S_commit(git_repository *repo, long long when, const char *message) {
  git_index *index = NULL;
  git_oid tree_id, commit_id;
  git_tree *tree = NULL;
  git_signature *sig = NULL;
  assert_int_equal(git_repository_index(&index, repo), 0);
  assert_int_equal(git_index_add_all(index, NULL, 0, NULL, NULL), 0);
  assert_int_equal(git_index_write(index), 0);
  assert_int_equal(git_index_write_tree(&tree_id, index), 0);
  assert_int_equal(git_tree_lookup(&tree, repo, &tree_id), 0);
  assert_int_equal(git_signature_new(&sig, "Ann", "ann@example.org", (git_time_t)when, 0), 0);
  git_oid parent_id;
  git_commit *parent = NULL;
  if (git_reference_name_to_id(&parent_id, repo, "HEAD") == 0)
    assert_int_equal(git_commit_lookup(&parent, repo, &parent_id), 0);
  const git_commit *parents[1] = {parent};
  assert_int_equal(git_commit_create(&commit_id, repo, "HEAD", sig, sig, NULL, message, tree,
                                     parent ? 1 : 0, parents),
                   0);
  git_commit_free(parent);
  git_signature_free(sig);
  git_tree_free(tree);
  git_index_free(index);
}

static long long S_day(const char *date) {
  Date d;
  date_parse(date, &d);
  return (long long)d.days * 86400 + 12 * 3600;
}

static void test_timeline(void **state) {
  Fixture *fx = *state;
  git_libgit2_init();
  git_repository *repo = NULL;
  assert_int_equal(git_repository_init(&repo, fx->dir, 0), 0);
  fx_write(fx, "isms.yaml", fx_manifest);
  fx_write(fx, "policies/access.md", policy_v1);
  fx_write(fx, "risks/R-1.yaml", risk_text);
  S_commit(repo, S_day("2026-01-10"), "Access 1.0");
  fx_write(fx, "policies/access.md", policy_v2);
  S_commit(repo, S_day("2026-02-01"), "Bump only");
  char from[512], to[512];
  snprintf(from, sizeof from, "%s/policies/access.md", fx->dir);
  snprintf(to, sizeof to, "%s/policies/POL-A.md", fx->dir);
  assert_int_equal(rename(from, to), 0);
  fx_write(fx, "policies/POL-A.md", policy_v2);
  S_commit(repo, S_day("2026-03-01"), "Rename");
  fx_write(fx, "policies/POL-A.md", policy_v3);
  S_commit(repo, S_day("2026-04-01"), "Fairer");

  Model *m = fx_resolve(fx);
  git_oid head;
  assert_int_equal(git_reference_name_to_id(&head, repo, "HEAD"), 0);
  const char *tracked[] = {"policies/POL-A.md"};
  History h;
  assert_true(history_walk(&h, &fx->arena, repo, "", &head, 100, m, tracked, 1));
  assert_int_equal(h.ncommit, 4);
  assert_int_equal(h.end, HISTORY_ROOT);
  assert_string_equal(h.commits[0].subject, "Fairer");

  Date d;
  date_parse("2026-02-15", &d);
  assert_int_equal(history_commit_on(&h, d), 2); /* "Bump only" */
  date_parse("2025-12-31", &d);
  assert_int_equal(history_commit_on(&h, d), -1);

  TimelineEntry t[8];
  size_t n = history_timeline(&h, "policies/POL-A.md", "POL-A", t, 8);
  assert_int_equal(n, 4);
  assert_int_equal(t[0].commit, 0); /* Fairer: content, not version */
  assert_true(t[0].content_changed);
  assert_false(t[0].version_changed);
  assert_int_equal(t[1].commit, 1); /* the rename: the same record */
  assert_false(t[1].content_changed);
  assert_false(t[1].version_changed);
  assert_int_equal(t[2].commit, 2); /* Bump only: version, not content */
  assert_false(t[2].content_changed);
  assert_true(t[2].version_changed);
  assert_false(t[2].approval_changed);
  assert_int_equal(t[3].commit, 3); /* the first version: everything is new */
  assert_true(t[3].content_changed && t[3].version_changed && t[3].approval_changed);

  /* A file that is not tracked is looked up at the commit asked for. */
  git_oid blob;
  size_t since;
  const char *then;
  assert_true(history_version_at(&h, "risks/R-1.yaml", 3, &blob, &since, &then));
  assert_int_equal(history_first_version_after(&h, "risks/R-1.yaml", 3), 3);
  assert_false(history_version_at(&h, "risks/R-2.yaml", 0, &blob, &since, &then));
  const Record *r = history_record_at(&h, "risks/R-1.yaml", "R-1", 3);
  assert_non_null(r);
  assert_int_equal(rec_field(r, RISK_LIKELIHOOD)->num, 2);

  history_free(&h);
  git_repository_free(repo);
  git_libgit2_shutdown();
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_timeline, fx_setup, fx_teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
