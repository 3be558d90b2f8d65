/* Unit tests for binding (model.c) through the kinds' rows (schema.h): every row is
 * complete, fields bind by name and type, enum synonyms are normalised, unknown fields and
 * kinds get did-you-mean, a record without an id is left out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tree_fixture.h"

/* Every record kind's row names an id field of type id, and a title field that is text. */
static void test_rows_complete(void **state) {
  (void)state;
  for (int k = 0; k < KIND_COUNT; k++) {
    const KindSpec *ks = kind_spec((Kind)k);
    assert_non_null(ks->name);
    assert_non_null(ks->table);
    assert_int_equal(kind_spec((Kind)k)->table, schema_table((Kind)k));
    if (!kind_is_record((Kind)k))
      continue;
    assert_true(ks->id_field >= 0);
    assert_int_equal(ks->table->fields[ks->id_field].type, FT_ID);
    if (ks->title_field >= 0)
      assert_int_equal(ks->table->fields[ks->title_field].type, FT_STRING);
    Kind back; /* a file may hold it unless it comes from the catalog or is nested */
    assert_int_equal(kind_parse(ks->name, &back), !ks->from_catalog && ks->parent_kind < 0);
    if (!ks->from_catalog && ks->parent_kind < 0)
      assert_int_equal(back, k);
    if (ks->folder)
      assert_string_equal(kind_of_folder(ks->folder), ks->name);
  }
  Kind k;
  assert_false(kind_parse("manifest", &k)); /* not a record kind */
  assert_null(kind_of_folder("evidence"));
}

/* Every reference field names a kind that records can have, and only reference fields make
 * back-links. */
static void test_reference_fields(void **state) {
  (void)state;
  for (int k = 0; k < KIND_COUNT; k++) {
    const FieldTable *t = schema_table((Kind)k);
    for (size_t i = 0; i < t->count; i++) {
      const FieldSpec *f = &t->fields[i];
      if (f->type == FT_REF_LIST || f->type == FT_REF)
        assert_true(kind_is_record(f->ref_kind));
      else
        assert_int_equal(f->backlink | f->forward | f->carry_link, LINK_NONE);
    }
  }
}

static void test_bind_fields(void **state) {
  Fixture *fx = *state;
  fx_write(fx, "isms.yaml", fx_manifest);
  fx_write(fx, "risks/R-1.yaml",
           "id: R-1\ntitle: Laptop theft\nowner: CISO\nlikelihood: Likely\nimpact: 2\n"
           "treatment: Modify\nacceptance: {by: CEO, date: 2026-01-31}\n");
  Model *m = fx_bind(fx);
  assert_int_equal(m->records.len, 1);
  Record *r = m->records.items[0];
  assert_int_equal(r->kind, KIND_RISK);
  assert_string_equal(r->id, "R-1");
  assert_string_equal(rec_title(r), "Laptop theft");
  assert_int_equal(rec_field(r, RISK_LIKELIHOOD)->num, 4); /* a label of the scale */
  assert_int_equal(rec_field(r, RISK_IMPACT)->num, 2);
  assert_string_equal(rec_enum(r, RISK_TREATMENT), "mitigate"); /* a synonym, normalised */
  const Value *acc = rec_field(r, RISK_ACCEPTANCE);
  assert_true(acc->ok);
  assert_string_equal(acc->fields[ACCEPTANCE_BY].str, "CEO");
  assert_int_equal(acc->fields[ACCEPTANCE_DATE].date.month, 1);
  assert_false(rec_has(r, RISK_RESIDUAL));
  assert_int_equal(fx->diags.items.len, 0);
}

static void test_unknown_field_and_kind(void **state) {
  Fixture *fx = *state;
  fx_write(fx, "isms.yaml", fx_manifest);
  fx_write(fx, "assets/A-1.yaml", "id: A-1\ntitle: Laptops\nowmer: IT\nowner: IT\n");
  fx_write(fx, "other/x.yaml", "kind: riks\nid: X-1\n");
  Model *m = fx_bind(fx);
  const char *msg = NULL;
  assert_int_equal(fx_count(fx, "schema-unknown", &msg), 1);
  assert_non_null(strstr(msg, "did you mean 'owner'"));
  assert_int_equal(fx_count(fx, "schema-enum", &msg), 1);
  assert_non_null(strstr(msg, "(scope, asset, risk, treatment, control, policy"));
  assert_non_null(strstr(msg, "did you mean 'risk'"));
  assert_int_equal(m->records.len, 1);
  assert_non_null(hashmap_get(&m->skipped_ids, "X-1"));
}

static void test_record_without_id_left_out(void **state) {
  Fixture *fx = *state;
  fx_write(fx, "isms.yaml", fx_manifest);
  fx_write(fx, "assets/a.yaml", "- {title: No id, owner: IT}\n- {id: A-2, title: T, owner: IT}\n");
  Model *m = fx_bind(fx);
  const char *msg = NULL;
  assert_int_equal(fx_count(fx, "schema-required", &msg), 1);
  assert_non_null(strstr(msg, "has no 'id'"));
  assert_int_equal(m->records.len, 1);
  assert_string_equal(((Record *)m->records.items[0])->id, "A-2");
}

static void test_ignores_by_row(void **state) {
  Fixture *fx = *state;
  fx_write(fx, "isms.yaml", fx_manifest);
  fx_write(fx, "assets/A-1.yaml",
           "id: A-1\ntitle: T\nowner: IT\nignore: [{rule: asset-orphan, reason: spare}]\n");
  Model *m = fx_bind(fx);
  const Value *ig = rec_ignores(m->records.items[0]);
  assert_int_equal(ig->count, 1);
  assert_string_equal(ig->items[0].fields[IGNORE_RULE].str, "asset-orphan");
  assert_int_equal(rec_ignores(m->manifest)->count, 0); /* the manifest has no `ignore` */
}

static void test_nested_records(void **state) {
  Fixture *fx = *state;
  fx_write(fx, "isms.yaml", fx_manifest);
  fx_write(fx, "audits/AUD-1.yaml",
           "id: AUD-1\ntitle: A\ntype: internal\nauditor: J\nstatus: done\n"
           "findings:\n  - {id: F-1, type: Minor, description: \"Line one\\nline two\"}\n"
           "  - {type: major, description: no id}\n");
  fx_write(fx, "reviews/MR-1.yaml", "id: MR-1\ntitle: R\ndate: 2026-01-01\nchair: CEO\n");
  Model *m = fx_bind(fx);
  /* the audit, then its finding, then the next file's record: tree order */
  assert_int_equal(m->records.len, 3);
  Record *a = m->records.items[0], *f = m->records.items[1];
  assert_int_equal(a->kind, KIND_AUDIT);
  assert_int_equal(f->kind, KIND_FINDING);
  assert_ptr_equal(f->parent, a);
  assert_ptr_equal(rec_field(a, AUDIT_FINDINGS)->items[0].ref, f);
  assert_int_equal(rec_field(a, AUDIT_FINDINGS)->count, 1); /* the one without id is left out */
  assert_string_equal(rec_enum(f, FINDING_TYPE), "minor");
  assert_string_equal(f->raw->file->path, "audits/AUD-1.yaml");
  assert_int_equal(f->loc.line, 7);
  assert_string_equal(rec_title(f), "Line one"); /* no title: the description's first line */
  /* made once, when bound: renderers on two threads read it and must not allocate */
  assert_ptr_equal(rec_title(f), rec_title(f));
  const char *msg = NULL;
  assert_int_equal(fx_count(fx, "schema-required", &msg), 1);
  assert_string_equal(msg, "this finding has no 'id'");
  assert_int_equal(kind_spec(KIND_FINDING)->parent_kind, KIND_AUDIT);
}

static void test_numbers_and_required_when(void **state) {
  Fixture *fx = *state;
  fx_write(fx, "isms.yaml", fx_manifest);
  fx_write(fx, "metrics/M-1.yaml",
           "id: M-1\ntitle: T\nowner: O\ntarget: 99.5\nfrequency: monthly\n"
           "measurements: [{date: 2026-01-31, value: 0x10}, {date: 2026-02-28, value: -1e2}]\n");
  fx_write(fx, "nonconformities/NC-1.yaml",
           "id: NC-1\ntitle: T\nowner: O\nraised: 2026-01-01\nstatus: Closed\n");
  Model *m = fx_bind(fx);
  Record *mt = m->records.items[0];
  assert_true(rec_field(mt, METRIC_TARGET)->real == 99.5);
  assert_string_equal(rec_field(mt, METRIC_TARGET)->str, "99.5"); /* the text as written */
  const Value *ms = rec_field(mt, METRIC_MEASUREMENTS);
  assert_false(ms->items[0].fields[MEASUREMENT_VALUE].ok); /* hex is not a number here */
  assert_true(ms->items[1].fields[MEASUREMENT_VALUE].real == -100.0);
  const char *msg = NULL;
  assert_int_equal(fx_count(fx, "schema-type", &msg), 1);
  assert_string_equal(msg, "'value' is a number, not '0x10'");
  assert_int_equal(fx_count(fx, "schema-required", &msg), 1);
  assert_string_equal(msg, "nonconformity 'NC-1' is closed, so it needs 'closed'");
  double x;
  assert_false(model_parse_number("inf", &x));
  assert_false(model_parse_number("nan", &x));
  assert_false(model_parse_number("", &x));
  assert_false(model_parse_number("+-.", &x)); /* no digit */
  assert_false(model_parse_number("1 000", &x));
  assert_true(model_parse_number("-0.5", &x) && x == -0.5);
  assert_true(model_parse_number("1e3", &x) && x == 1000.0);
}

static void test_manifest_v2(void **state) {
  Fixture *fx = *state;
  char manifest[2048];
  snprintf(manifest, sizeof manifest,
           "%spolicy: POL-1\naudit: {cycle_months: 36}\nhistory: {max_commits: 50}\n"
           "documents:\n  soa: {number: ISMS-04, version: '2', approved: {by: CEO, date: "
           "2026-03-12}}\n  rtp: {nuber: X}\n",
           fx_manifest);
  fx_write(fx, "isms.yaml", manifest);
  Model *m = fx_bind(fx);
  const Value *docs = rec_field(m->manifest, MANIFEST_DOCUMENTS);
  assert_int_equal(docs->count, 2);
  assert_string_equal(docs->items[0].str, "soa");
  assert_string_equal(docs->items[0].fields[DOCCTL_NUMBER].str, "ISMS-04");
  assert_int_equal(docs->items[0].fields[DOCCTL_APPROVED].fields[APPROVAL_DATE].date.month, 3);
  assert_int_equal(rec_field(m->manifest, MANIFEST_AUDIT)->fields[ASET_CYCLE_MONTHS].num, 36);
  assert_string_equal(rec_str(m->manifest, MANIFEST_POLICY), "POL-1");
  const char *msg = NULL;
  assert_int_equal(fx_count(fx, "schema-unknown", &msg), 1);
  assert_non_null(strstr(msg, "'nuber' in 'rtp' of isms.yaml; did you mean 'number'?"));
}

/* From BIND_THREADS_FROM records on, the tree is bound in two halves on two threads: the
 * model must be what one thread makes. 2,400 assets in list files of ten, every 97th with a
 * misspelt field, every 89th of no known kind, every 83rd without an id; then audits with
 * nested findings, in the second half. Records join in tree order, nested ones after their
 * parent; every diagnostic is there once, and they come file by file in tree order. */
static void test_bind_in_two_halves(void **state) {
  Fixture *fx = *state;
  fx_write(fx, "isms.yaml", fx_manifest);
  enum { FILES = 240, PER = 10 };
  char path[64], *text = malloc(64 * 1024);
  size_t want_records = 0, want_typos = 0, want_kinds = 0;
  for (int f = 0; f < FILES; f++) {
    char *p = text;
    for (int i = 0; i < PER; i++) {
      int n = f * PER + i;
      if (n % 89 == 0) {
        p += sprintf(p, "- id: W-%04d\n  kind: widget\n", n);
        want_kinds++;
      } else if (n % 83 == 0) {
        p += sprintf(p, "- title: nameless %04d\n  owner: IT\n", n);
      } else {
        p += sprintf(p, "- id: A-%04d\n  title: Asset %04d\n  owner: IT\n  %s: x\n", n, n,
                     n % 97 == 0 ? "descripton" : "description");
        want_typos += n % 97 == 0;
        want_records++;
      }
    }
    snprintf(path, sizeof path, "assets/list-%03d.yaml", f);
    fx_write(fx, path, text);
  }
  free(text);
  const char audit[] = "---\nid: AUD-%d\ntitle: Audit\nfindings:\n"
                       "  - {id: F-%d-1, type: minor, title: One}\n"
                       "  - {id: F-%d-2, type: observation, title: Two}\n---\n";
  for (int a = 0; a < 2; a++) {
    char body[512];
    snprintf(body, sizeof body, audit, a, a, a);
    snprintf(path, sizeof path, a ? "audits/AUD-9.md" : "audits/AUD-0.md");
    fx_write(fx, path, body);
    want_records += 3;
  }
  Model *m = fx_bind(fx);
  assert_true(fx->tree.records.len >= 2000);
  assert_int_equal(m->records.len, want_records);
  /* Tree order: each record is at or after the previous one's raw record, its file path and
   * line never going back, and a finding right after its audit or sibling. */
  for (size_t i = 1; i < m->records.len; i++) {
    const Record *a = m->records.items[i - 1], *b = m->records.items[i];
    if (b->parent) {
      assert_true(b->parent == a || b->parent == a->parent);
      continue;
    }
    int c = strcmp(a->loc.file->path, b->loc.file->path);
    assert_true(c < 0 || (c == 0 && a->loc.line < b->loc.line));
  }
  size_t typos = 0, kinds = 0, missing = 0;
  for (size_t i = 0; i < fx->diags.items.len; i++) {
    const Diag *g = fx->diags.items.items[i];
    assert_int_equal(g->seq, i);
    if (i) { /* reported file by file in tree order, the second half's after the first's */
      const Diag *p = fx->diags.items.items[i - 1];
      assert_true(strcmp(p->loc.file->path, g->loc.file->path) <= 0);
    }
    typos += strcmp(g->rule, "schema-unknown") == 0;
    kinds += strcmp(g->rule, "schema-enum") == 0;
    missing += strcmp(g->rule, "schema-required") == 0;
  }
  assert_int_equal(typos, want_typos);
  assert_int_equal(kinds, want_kinds);
  assert_true(missing > 0);
  assert_non_null(hashmap_get(&m->skipped_ids, "W-0000"));
  assert_non_null(hashmap_get(&m->skipped_ids, "W-2314")); /* in the second half */
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_rows_complete),
      cmocka_unit_test(test_reference_fields),
      cmocka_unit_test_setup_teardown(test_bind_fields, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_unknown_field_and_kind, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_record_without_id_left_out, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_ignores_by_row, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_nested_records, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_numbers_and_required_when, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_manifest_v2, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_bind_in_two_halves, fx_setup, fx_teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
