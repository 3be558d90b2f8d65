/* Unit tests for resolve.c: references become pointers (or ref-unknown / ref-kind), ids are
 * unique, back-links come from the fields' declarations (direct, mutual, carried), every
 * catalog control has a record, and derived values are computed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tree_fixture.h"

static bool S_lists(const PtrVec *v, const Record *r) {
  for (size_t i = 0; i < v->len; i++)
    if (v->items[i] == r)
      return true;
  return false;
}

static void S_small_tree(Fixture *fx) {
  fx_write(fx, "isms.yaml", fx_manifest);
  fx_write(fx, "assets/A-1.yaml", "id: A-1\ntitle: Laptops\nowner: IT\n");
  fx_write(fx, "risks/R-1.yaml",
           "id: R-1\ntitle: Theft\nowner: CISO\nassets: A-1\nlikelihood: 4\nimpact: 3\n"
           "treatment: mitigate\nresidual: {likelihood: 1, impact: 3}\n");
  fx_write(fx, "risks/R-2.yaml",
           "id: R-2\ntitle: Loss\nowner: CISO\nassets: [A-1]\nlikelihood: 5\nimpact: 5\n"
           "treatment: accept\n");
  fx_write(fx, "treatments/T-1.yaml",
           "id: T-1\ntitle: Encrypt\nowner: IT\nrisks: [R-1, R-2]\ncontrols: [A.8.24, A.8.1]\n");
  fx_write(fx, "treatments/T-2.yaml",
           "id: T-2\ntitle: Track\nowner: IT\nrisks: [R-1]\ncontrols: [A.8.1]\n");
  fx_write(fx, "controls/A.8.24.md",
           "---\nid: A.8.24\napplicable: true\nstatus: implemented\nowner: IT\n"
           "policies: [POL-1]\n---\nBitLocker.\n");
  fx_write(fx, "policies/POL-1.md",
           "---\nid: POL-1\ntitle: Crypto\nowner: CISO\nversion: '1'\n"
           "controls: [A.8.24, A.8.1]\n---\nText.\n");
}

static void test_references_are_pointers(void **state) {
  Fixture *fx = *state;
  S_small_tree(fx);
  Model *m = fx_resolve(fx);
  assert_int_equal(fx->diags.items.len, 0);
  Record *t1 = fx_get(m, "T-1"), *r1 = fx_get(m, "R-1"), *a1 = fx_get(m, "A-1");
  const Value *risks = rec_field(t1, TREATMENT_RISKS);
  assert_int_equal(risks->count, 2);
  assert_ptr_equal(risks->items[0].ref, r1);
  assert_ptr_equal(rec_field(r1, RISK_ASSETS)->items[0].ref, a1); /* a scalar, as a list */
}

static void test_backlinks(void **state) {
  Fixture *fx = *state;
  S_small_tree(fx);
  Model *m = fx_resolve(fx);
  Record *a1 = fx_get(m, "A-1"), *r1 = fx_get(m, "R-1"), *r2 = fx_get(m, "R-2");
  Record *t1 = fx_get(m, "T-1"), *t2 = fx_get(m, "T-2"), *p1 = fx_get(m, "POL-1");
  Record *c24 = fx_get(m, "A.8.24"), *c1 = fx_get(m, "A.8.1");
  /* direct: risk.assets -> asset.risks, in tree order */
  assert_int_equal(rec_links(a1, LINK_RISKS)->len, 2);
  assert_ptr_equal(rec_links(a1, LINK_RISKS)->items[0], r1);
  assert_ptr_equal(rec_links(a1, LINK_RISKS)->items[1], r2);
  assert_int_equal(rec_links(r1, LINK_TREATMENTS)->len, 2);
  assert_true(S_lists(rec_links(r2, LINK_TREATMENTS), t1));
  assert_false(S_lists(rec_links(r2, LINK_TREATMENTS), t2));
  /* carried: a control lists the risks of the treatments that select it, once each */
  assert_int_equal(rec_links(c1, LINK_TREATMENTS)->len, 2);
  assert_int_equal(rec_links(c1, LINK_RISKS)->len, 2);
  assert_ptr_equal(rec_links(c1, LINK_RISKS)->items[0], r1);
  assert_ptr_equal(rec_links(c1, LINK_RISKS)->items[1], r2);
  /* mutual: both sides name each other, and A.8.24 names POL-1 both ways, listed once */
  assert_int_equal(rec_links(c24, LINK_COVERED_BY)->len, 1);
  assert_ptr_equal(rec_links(c24, LINK_COVERED_BY)->items[0], p1);
  assert_int_equal(rec_links(p1, LINK_COVERS)->len, 2);
  assert_true(S_lists(rec_links(c1, LINK_COVERED_BY), p1)); /* a synthetic control */
  /* which kinds have which back-links comes from the fields */
  assert_true(kind_has_link(KIND_RISK, LINK_TREATMENTS));
  assert_true(kind_has_link(KIND_CONTROL, LINK_RISKS));
  assert_false(kind_has_link(KIND_RISK, LINK_COVERS));
  assert_false(kind_has_link(KIND_TREATMENT, LINK_RISKS)); /* its own field, not a link */
}

static void test_derived(void **state) {
  Fixture *fx = *state;
  S_small_tree(fx);
  Model *m = fx_resolve(fx);
  Record *r1 = fx_get(m, "R-1"), *r2 = fx_get(m, "R-2"), *c1 = fx_get(m, "A.8.1");
  Record *c24 = fx_get(m, "A.8.24");
  assert_int_equal(r1->derived[RISK_D_SCORE].num, 12);
  assert_string_equal(r1->derived[RISK_D_LEVEL].str, "High");
  assert_int_equal(r1->derived[RISK_D_RESIDUAL_SCORE].num, 3);
  assert_string_equal(r1->derived[RISK_D_RESIDUAL_LEVEL].str, "Low");
  assert_false(r2->derived[RISK_D_RESIDUAL_SCORE].ok); /* no residual */
  assert_true(c1->synthetic);
  assert_false(c1->derived[CONTROL_D_RECORDED].num);
  assert_true(c24->derived[CONTROL_D_RECORDED].num);
  assert_string_equal(rec_title(c1), "User endpoint devices"); /* from the catalog */
  assert_int_equal(m->by_kind[KIND_CONTROL].len, 93);
}

static void test_unknown_and_wrong_kind(void **state) {
  Fixture *fx = *state;
  fx_write(fx, "isms.yaml", fx_manifest);
  fx_write(fx, "assets/A-1.yaml", "id: A-1\ntitle: Laptops\nowner: IT\n");
  fx_write(fx, "treatments/T-1.yaml",
           "id: T-1\ntitle: X\nowner: IT\nrisks: [A-1, R-9]\ncontrols: [A.8.35]\n");
  fx_write(fx, "risks/R-1.yaml",
           "id: R-1\ntitle: T\nowner: O\nlikelihood: 1\nimpact: 1\ntreatment: accept\n");
  fx_write(fx, "risks/dup.yaml",
           "id: R-1\ntitle: T\nowner: O\nlikelihood: 1\nimpact: 1\ntreatment: accept\n");
  Model *m = fx_resolve(fx);
  const char *msg = NULL;
  assert_int_equal(fx_count(fx, "ref-kind", &msg), 1);
  assert_string_equal(msg, "'A-1' is an asset, not a risk");
  assert_int_equal(fx_count(fx, "ref-unknown", &msg), 2);
  assert_int_equal(fx_count(fx, "id-duplicate", &msg), 1);
  assert_non_null(strstr(msg, "risks/R-1.yaml:1:5"));
  Record *t1 = fx_get(m, "T-1");
  assert_null(rec_field(t1, TREATMENT_RISKS)->items[0].ref);
  assert_int_equal(m->by_kind[KIND_RISK].len, 1);
}

static void test_v2_links_and_clauses(void **state) {
  Fixture *fx = *state;
  fx_write(fx, "isms.yaml", fx_manifest);
  fx_write(fx, "audits/AUD-1.yaml",
           "id: AUD-1\ntitle: A\ntype: internal\nauditor: J\nstatus: done\n"
           "clauses: [9.2, 10.2]\ncontrols: [A.8.8]\n"
           "findings: [{id: F-1, type: minor, description: d, clauses: [8.1]}]\n");
  fx_write(fx, "nonconformities/NC-1.yaml",
           "id: NC-1\ntitle: T\nowner: O\nraised: 2026-01-01\nstatus: open\nfinding: F-1\n"
           "clauses: [10.2]\n");
  fx_write(fx, "objectives/OBJ-1.yaml", "id: OBJ-1\ntitle: T\nowner: O\nmetrics: [M-1]\n");
  fx_write(fx, "metrics/M-1.yaml",
           "id: M-1\ntitle: T\nowner: O\ntarget: 1\nfrequency: yearly\ncontrols: A.8.8\n");
  fx_write(fx, "controls/A.8.8.md",
           "---\nid: A.8.8\napplicable: true\nstatus: planned\nowner: IT\n"
           "evidence: [{url: 'https://x', clauses: [9.1, 9.10]}]\n---\n");
  Model *m = fx_resolve(fx);
  Record *f1 = fx_get(m, "F-1"), *nc = fx_get(m, "NC-1"), *a = fx_get(m, "AUD-1");
  Record *c92 = fx_get(m, "9.2"), *c102 = fx_get(m, "10.2"), *ctl = fx_get(m, "A.8.8");
  assert_ptr_equal(rec_field(nc, NONCONFORMITY_FINDING)->ref, f1); /* one reference */
  assert_ptr_equal(rec_links(f1, LINK_NONCONFORMITIES)->items[0], nc);
  assert_int_equal(m->by_kind[KIND_CLAUSE].len, 25);
  assert_true(c92->synthetic);
  assert_string_equal(rec_title(c92), "Internal audit");
  assert_ptr_equal(rec_links(c92, LINK_AUDITS)->items[0], a);
  assert_int_equal(rec_links(c102, LINK_NONCONFORMITIES)->len, 1);
  assert_ptr_equal(rec_links(fx_get(m, "8.1"), LINK_FINDINGS)->items[0], f1);
  assert_ptr_equal(rec_links(fx_get(m, "9.1"), LINK_EVIDENCE)->items[0], ctl); /* nested map */
  assert_ptr_equal(rec_links(fx_get(m, "M-1"), LINK_OBJECTIVES)->items[0], fx_get(m, "OBJ-1"));
  assert_int_equal(rec_links(ctl, LINK_AUDITS)->len, 1);
  assert_int_equal(rec_links(ctl, LINK_METRICS)->len, 1);
  const char *msg = NULL;
  assert_int_equal(fx_count(fx, "ref-unknown", &msg), 1);
  assert_string_equal(msg, "unknown clause '9.10'; did you mean '9.1'?");
  assert_true(kind_has_link(KIND_CLAUSE, LINK_EVIDENCE));
  assert_false(kind_has_link(KIND_FINDING, LINK_AUDITS));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_references_are_pointers, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_backlinks, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_derived, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_unknown_and_wrong_kind, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_v2_links_and_clauses, fx_setup, fx_teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
