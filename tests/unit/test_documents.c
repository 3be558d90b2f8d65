/* Unit tests for the document layer (documents.c and its builders), on the shipped example
 * tree (argv[1]) and, when given, the Check and Act fixture (argv[2], tests/docs-check: the
 * example with objectives, metrics, audits, nonconformities and reviews laid over it): the registry, --only against it, link routing per format, control blocks
 * and footers as data, the palette and level banding, and the trees the builders make. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "check.h"
#include "doc.h"
#include "emit.h"
#include "markdown.h"
#include "readiness.h"
#include "resolve.h"

static const char *tree_root = "examples";

typedef struct Fixture {
  Arena arena;
  Diags diags;
  Limits limits;
  Tree tree;
  Model model;
  Revision rev;
  DocSet set;
} Fixture;

static int setup(void **state) {
  static Fixture fx;
  memset(&fx, 0, sizeof fx);
  arena_init(&fx.arena);
  diags_init(&fx.diags, &fx.arena);
  limits_default(&fx.limits);
  if (!load_tree(&fx.arena, &fx.diags, tree_root, &fx.limits, &fx.tree))
    return -1;
  Date today;
  date_parse("2026-11-23", &today);
  fx.model.limits = fx.limits;
  model_bind(&fx.model, &fx.arena, &fx.diags, &fx.tree, today);
  resolve(&fx.model);
  check_structure(&fx.model);
  docs_plan(&fx.set, &fx.arena, &fx.model, &fx.rev, false, &fx.diags);
  md_init();
  *state = &fx;
  return 0;
}

static int teardown(void **state) {
  Fixture *fx = *state;
  arena_free(&fx->arena);
  return 0;
}

static const Document *S_doc(Fixture *fx, const char *name) {
  for (size_t i = 0; i < fx->set.documents.len; i++) {
    const Document *d = fx->set.documents.items[i];
    if (strcmp(d->name, name) == 0)
      return d;
  }
  fail_msg("no document %s", name);
  return NULL;
}

static const Record *S_record(Fixture *fx, const char *id) {
  const Record *r = hashmap_get(&fx->model.ids, id);
  assert_non_null(r);
  return r;
}

static const char *S_field(const Document *d, const char *key) {
  for (size_t i = 0; i < d->nfields; i++)
    if (strcmp(d->fields[i].key, key) == 0)
      return d->fields[i].value;
  return NULL;
}

/* ---------------------------------------------------------------- the registry */

static void test_registry_rows(void **state) {
  (void)state;
  size_t n;
  const DocType *types = doc_types(&n);
  assert_true(n >= 6);
  for (size_t i = 0; i < n; i++) {
    assert_non_null(types[i].part);
    assert_non_null(types[i].file);
    assert_non_null(types[i].build);
    assert_true(types[i].formats & DOC_HTML); /* every document is on the site */
    assert_ptr_equal(doc_type_find(types[i].part), &types[i]);
    for (size_t j = 0; j < i; j++)
      assert_string_not_equal(types[i].part, types[j].part);
  }
  assert_null(doc_type_find("nonsense"));
  assert_true(doc_type_find("soa")->formats & DOC_DOCX);
  assert_true(doc_type_find("soa")->landscape);
  assert_false(doc_type_find("trace")->formats & DOC_DOCX);
  assert_true(doc_type_find("risks")->formats & DOC_DOCX); /* the register prints from Word */
  assert_true(doc_type_find("risks")->landscape);
  assert_string_equal(doc_type_find("policy-index")->file, "policies");
  assert_int_equal(doc_type_find("policies")->per_record, KIND_POLICY);
}

static void test_only_parsed_against_the_registry(void **state) {
  (void)state;
  uint64_t only = 0;
  char bad[64] = "";
  assert_true(build_parse_only("soa,docx", &only, bad, sizeof bad));
  assert_true(only != 0);
  assert_false(build_wants_json(only)); /* a format was named, and it is not json */
  assert_false(build_wants_html(only));
  assert_true(build_parse_only("policies", &only, bad, sizeof bad));
  assert_false(build_wants_json(only)); /* isms.json is a document: written when named */
  assert_true(build_wants_html(only));  /* no format named: every format */
  assert_true(build_parse_only("soa,json", &only, bad, sizeof bad));
  assert_true(build_wants_json(only));
  assert_true(build_wants_html(only)); /* json names no format: the SoA in every format */
  assert_false(build_parse_only("soa,bogus", &only, bad, sizeof bad));
  assert_string_equal(bad, "bogus");
  const char *words = build_only_words();
  size_t n;
  const DocType *types = doc_types(&n);
  for (size_t i = 0; i < n; i++)
    assert_non_null(strstr(words, types[i].part));
  assert_non_null(strstr(words, "docx"));
  assert_non_null(strstr(words, "json"));
}

/* ---------------------------------------------------------------- the plan */

static void test_plan_lists_the_set(void **state) {
  Fixture *fx = *state;
  const Document *first = fx->set.documents.items[0];
  assert_string_equal(first->name, "index");
  assert_ptr_equal(first->type, doc_type_find("index"));
  const Document *soa = S_doc(fx, "soa");
  assert_true(soa->landscape);
  assert_false(soa->nested);
  assert_null(soa->body); /* planned, not built */
  size_t policies = 0;
  for (size_t i = 0; i < fx->set.documents.len; i++) {
    const Document *d = fx->set.documents.items[i];
    if (d->type == doc_type_find("policies")) {
      policies++;
      assert_true(d->nested);
      assert_non_null(d->record);
      assert_int_equal(strncmp(d->name, "policies/", 9), 0);
      assert_string_equal(d->name + 9, d->record->id);
    }
  }
  assert_int_equal(policies, fx->model.by_kind[KIND_POLICY].len);
}

static void test_control_block_is_data(void **state) {
  Fixture *fx = *state;
  const Document *soa = S_doc(fx, "soa");
  assert_string_equal(S_field(soa, "Organisation"), "Kestrel Ledger Ltd");
  assert_string_equal(S_field(soa, "Document"), "Statement of Applicability");
  assert_string_equal(S_field(soa, "Version"), "2.3");
  assert_string_equal(S_field(soa, "Issued"), "2026-11-23");
  assert_string_equal(S_field(soa, "Source revision"), "not in a Git repository");
  assert_null(S_field(soa, "Status")); /* not a draft: no row without a value */
  for (size_t i = 0; i < soa->nfields; i++)
    assert_true(soa->fields[i].value && *soa->fields[i].value);
  /* The SoA is listed under `documents:`: its entry's number, approval, review and
   * classification, in the block and as fields of the control data. */
  assert_string_equal(S_field(soa, "Document number"), "KL-ISMS-04");
  assert_string_equal(S_field(soa, "Approved on"), "2026-03-12");
  assert_string_equal(S_field(soa, "Next review"), "2027-03-12");
  assert_string_equal(S_field(soa, "Classification"), "confidential");
  assert_string_equal(soa->control.number, "KL-ISMS-04");
  assert_true(soa->control.controlled);
  assert_non_null(soa->control.approval);
  /* The RTP's entry has its own version. */
  assert_string_equal(S_field(S_doc(fx, "rtp"), "Version"), "1.4");
  /* Traceability is not listed: a working view with the manifest's owner, classified
   * internal, with no version or approval of its own. */
  const Document *trace = S_doc(fx, "trace");
  assert_false(trace->control.controlled);
  assert_null(S_field(trace, "Version"));
  assert_null(S_field(trace, "Approved by"));
  assert_string_equal(S_field(trace, "Owner"), rec_str(fx->model.manifest, MANIFEST_OWNER));
  assert_string_equal(S_field(trace, "Classification"), "internal");
  assert_string_equal(S_field(trace, "Document number"), "trace");
  /* A policy's block is its own record's, and it has a classification. */
  const Document *pol = S_doc(fx, "policies/POL-ISP");
  assert_string_equal(S_field(pol, "Document number"), "POL-ISP");
  assert_string_equal(S_field(pol, "Version"), rec_str(pol->record, POLICY_VERSION));
  assert_non_null(S_field(pol, "Classification"));
  assert_true(pol->control.controlled);
  /* One footer for every format. */
  assert_string_equal(soa->footer,
                      "Kestrel Ledger Ltd · Statement of Applicability · KL-ISMS-04 · version 2.3 "
                      "· confidential · issued 2026-11-23 · revision not under version control");
  assert_string_equal(soa->control.revision, "not under version control");
  /* A document per record is numbered by its record's id, not its file. */
  const Document *review = NULL;
  for (size_t i = 0; i < fx->set.documents.len && !review; i++) {
    const Document *x = fx->set.documents.items[i];
    if (x->record && x->record->kind == KIND_REVIEW)
      review = x;
  }
  if (review)
    assert_string_equal(review->control.number, review->record->id);
}

/* ---------------------------------------------------------------- acceptance authority */

/* acceptance.c, on the example's bands: owner up to 6, HoIS or CTO up to 15, the CEO above. */
static void test_acceptance_derived(void **state) {
  Fixture *fx = *state;
  /* R-014 (residual 2, owned by the Office and Facilities Manager) was accepted by the Head
   * of Information Security, of a higher band: entitled. The owner comes first. */
  const Record *r = S_record(fx, "R-014");
  const Value *allowed = &r->derived[RISK_D_ACCEPTANCE_ALLOWED];
  assert_true(allowed->ok);
  assert_int_equal(allowed->count, 4);
  assert_string_equal(allowed->items[0].str, "Office and Facilities Manager");
  assert_true(r->derived[RISK_D_ACCEPTANCE_ENTITLED].ok);
  assert_true(r->derived[RISK_D_ACCEPTANCE_ENTITLED].num);
  /* R-001 (residual 10): not its owner's band; the CTO owns it and is allowed by name once. */
  r = S_record(fx, "R-001");
  allowed = &r->derived[RISK_D_ACCEPTANCE_ALLOWED];
  assert_int_equal(allowed->count, 3);
  assert_string_equal(allowed->items[2].str, "Priya Raman (Chief Executive Officer)");
  assert_true(r->derived[RISK_D_ACCEPTANCE_ENTITLED].num);
  /* R-015 is avoided and accepted by no one: who may is known, entitlement is not. */
  r = S_record(fx, "R-015");
  assert_true(r->derived[RISK_D_ACCEPTANCE_ALLOWED].ok);
  assert_false(r->derived[RISK_D_ACCEPTANCE_ENTITLED].ok);
}

/* ---------------------------------------------------------------- link routing */

static void test_route_per_format(void **state) {
  Fixture *fx = *state;
  const Document *rtp = S_doc(fx, "rtp"), *pol = S_doc(fx, "policies/POL-ISP");
  DocRoute r;
  assert_true(doc_route(rtp, S_record(fx, "A.5.15"), DOC_HTML, &r));
  assert_string_equal(r.up, "");
  assert_null(r.folder);
  assert_string_equal(r.file, "soa");
  assert_string_equal(r.anchor, "A.5.15");
  assert_false(r.here);
  /* The risk register exists in HTML, DOCX and XLSX; a policy's page in no XLSX. */
  assert_true(doc_route(rtp, S_record(fx, "R-001"), DOC_HTML, &r));
  assert_string_equal(r.file, "risks");
  assert_true(doc_route(rtp, S_record(fx, "R-001"), DOC_DOCX, &r));
  assert_string_equal(r.file, "risks");
  assert_false(doc_route(rtp, S_record(fx, "POL-AC"), DOC_XLSX, &r));
  /* A treatment from the RTP is here. */
  assert_true(doc_route(rtp, S_record(fx, "T-001"), DOC_DOCX, &r));
  assert_true(r.here);
  /* From a policy: up one folder; a policy is its own document. */
  assert_true(doc_route(pol, S_record(fx, "A.5.15"), DOC_DOCX, &r));
  assert_string_equal(r.up, "../");
  assert_true(doc_route(pol, S_record(fx, "POL-AC"), DOC_HTML, &r));
  assert_string_equal(r.folder, "policies");
  assert_string_equal(r.file, "POL-AC");
  assert_null(r.anchor);
  assert_false(r.here);
  assert_true(doc_route(pol, pol->record, DOC_HTML, &r));
  assert_true(r.here);
}

/* ---------------------------------------------------------------- palette and tones */

static void test_palette_and_level_bands(void **state) {
  Fixture *fx = *state;
  for (int t = 0; t < TONE_COUNT; t++) {
    assert_non_null(doc_palette[t].name);
    assert_int_equal(strlen(doc_palette[t].rgb), 6);
  }
  assert_int_equal(fx->model.method.nlevel, 4);
  assert_int_equal(doc_level_tone(&fx->model, -1), TONE_NONE);
  assert_int_equal(doc_level_tone(&fx->model, 0), TONE_LOW);
  assert_int_equal(doc_level_tone(&fx->model, 1), TONE_MEDIUM);
  assert_int_equal(doc_level_tone(&fx->model, 2), TONE_HIGH);
  assert_int_equal(doc_level_tone(&fx->model, 3), TONE_CRITICAL);
}

/* ---------------------------------------------------------------- the builders */

/* Room for every DocKind, present and future: the renderers' switches name each kind, so the
 * enum carries no count to size this by. */
enum { CENSUS_KINDS = 64 };

typedef struct Census {
  size_t kinds[CENSUS_KINDS];
  size_t dates, numbers; /* typed cells and figures */
  size_t record_links, bare_links, toned_badges, markdown_links;
  const DocNode *first_in_title; /* what follows the document's title */
} Census;

static void S_census(const DocNode *n, Census *c) {
  for (; n; n = n->next) {
    assert_true((unsigned)n->kind < CENSUS_KINDS);
    c->kinds[n->kind]++;
    if (n->kind == DOC_LINK && n->record)
      c->record_links++;
    else if (n->kind == DOC_LINK)
      c->bare_links++;
    if ((n->kind == DOC_CELL || n->kind == DOC_FIGURE) && n->value.type == VALUE_DATE) {
      c->dates++;
      assert_true(n->first && n->first->kind == DOC_TEXT); /* the text shows the date */
      char buf[11];
      date_format(&n->value.date, buf);
      assert_string_equal(n->first->text, buf);
    }
    if ((n->kind == DOC_CELL || n->kind == DOC_FIGURE) && n->value.type == VALUE_NUMBER)
      c->numbers++;
    if (n->kind == DOC_BADGE && n->tone != TONE_NONE)
      c->toned_badges++;
    if (n->kind == DOC_SECTION && n->level == 1 && !c->first_in_title)
      c->first_in_title = n->first;
    if (n->kind == DOC_MARKDOWN) {
      assert_non_null(n->markdown);
      cmark_iter *it = cmark_iter_new(n->markdown->root);
      cmark_event_type ev;
      while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *node = cmark_iter_get_node(it);
        if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(node) == CMARK_NODE_LINK &&
            md_link_record(node))
          c->markdown_links++;
      }
      cmark_iter_free(it);
    }
    S_census(n->first, c);
  }
}

static Census S_build(Fixture *fx, const char *name, Arena *a) {
  Document *d = (Document *)S_doc(fx, name);
  docs_build_body(&fx->set, d, a);
  assert_non_null(d->body);
  Census c = {0};
  S_census(d->body, &c);
  return c;
}

static void test_soa_tree(void **state) {
  Fixture *fx = *state;
  Arena a;
  arena_init(&a);
  Census c = S_build(fx, "soa", &a);
  assert_non_null(c.first_in_title);
  assert_int_equal(c.first_in_title->kind, DOC_CONTROL); /* right after the title */
  assert_int_equal(c.kinds[DOC_CONTROL], 1);
  assert_int_equal(c.kinds[DOC_FIGURES], 1);
  /* One table per theme of the catalog, each with a row per control of the theme. */
  assert_int_equal(c.kinds[DOC_TABLE] >= fx->model.catalog->ntheme, true);
  assert_true(c.kinds[DOC_ROW] >= fx->model.catalog->ncontrol);
  assert_true(c.record_links > 0);
  assert_true(c.toned_badges > 0); /* status badges carry their tone */
  assert_true(c.numbers >= 6);      /* the key figures are numbers */
  docs_free_body((Document *)S_doc(fx, "soa"));
  arena_free(&a);
}

/* The first heat map of a built document: in a section of a section of its body. */
static const DocNode *S_first_heatmap(const Document *d) {
  for (const DocNode *s = d->body->first; s; s = s->next)
    for (const DocNode *t = s->first; t; t = t->next)
      for (const DocNode *u = t->first; u; u = u->next)
        if (u->kind == DOC_HEATMAP)
          return u;
  return NULL;
}

/* The scope document carries the scope record's own control; the method its matrix. */
static void test_scope_and_method(void **state) {
  Fixture *fx = *state;
  const Document *scope = S_doc(fx, "scope");
  assert_string_equal(S_field(scope, "Document number"), "ISMS-SCOPE");
  assert_string_equal(S_field(scope, "Version"), "2.4");
  assert_string_equal(scope->title, "Scope of the Information Security Management System");
  const Record *sr = S_record(fx, "ISMS-SCOPE");
  Arena a;
  arena_init(&a);
  DocRoute route;
  assert_true(doc_route(NULL, sr, DOC_HTML, &route));
  assert_string_equal(route.file, "scope"); /* [[ISMS-SCOPE]] links to its own document */
  Census c = S_build(fx, "scope", &a);
  assert_int_equal(c.kinds[DOC_CONTROL], 1);
  assert_true(c.kinds[DOC_ITEM] >= rec_field(sr, SCOPE_INCLUDES)->count +
                                       rec_field(sr, SCOPE_INTERNAL_ISSUES)->count);
  docs_free_body((Document *)scope);
  c = S_build(fx, "method", &a);
  assert_int_equal(c.kinds[DOC_HEATMAP], 1); /* the score matrix */
  const Document *method = S_doc(fx, "method");
  const DocNode *map = S_first_heatmap(method);
  assert_non_null(map);
  assert_true(map->heatmap->scores);
  assert_int_equal(map->heatmap->accept_max, 6);
  assert_non_null(map->first); /* its legend */
  docs_free_body((Document *)method);
  arena_free(&a);
}

/* The readiness report and the clauses' derived values come from one assessment. */
static void test_readiness_one_computation(void **state) {
  Fixture *fx = *state;
  Arena a;
  arena_init(&a);
  const PtrVec *clauses = &fx->model.by_kind[KIND_CLAUSE];
  size_t documented = 0;
  for (size_t i = 0; i < clauses->len; i++) {
    const Record *cl = clauses->items[i];
    Readiness rd;
    readiness_assess(&fx->model, cl, &a, &rd);
    const Value *state_value = &cl->derived[CLAUSE_D_READINESS];
    if (rd.state == READINESS_NONE) {
      assert_false(state_value->ok);
      continue;
    }
    documented++;
    assert_true(state_value->ok);
    assert_string_equal(state_value->str, readiness_state_name(rd.state));
    assert_int_equal(rd.state == READINESS_MISSING, rd.nsources == 0);
  }
  assert_int_equal(documented, 14); /* ISO/IEC 27001:2022's mandatory documented information */
  Census c = S_build(fx, "readiness", &a);
  assert_true(c.kinds[DOC_ROW] >= clauses->len); /* every clause has a row (its home) */
  docs_free_body((Document *)S_doc(fx, "readiness"));
  arena_free(&a);
}

/* The register of controlled documents: a row per controlled document (the listed ones,
 * each policy, the scope), then the working views; the fixture's check found no
 * approval-stale, so each approval is "current". */
static void test_documents_register(void **state) {
  Fixture *fx = *state;
  Arena a;
  arena_init(&a);
  size_t controlled = 0, all = fx->set.documents.len;
  for (size_t i = 0; i < all; i++)
    controlled += ((const Document *)fx->set.documents.items[i])->control.controlled;
  /* soa, rtp and risks (listed), the scope's document, each policy */
  assert_int_equal(controlled, 4 + fx->model.by_kind[KIND_POLICY].len);
  assert_true(S_doc(fx, "scope")->control.controlled);
  Census c = S_build(fx, "documents", &a);
  assert_int_equal(c.first_in_title->kind, DOC_CONTROL);
  assert_int_equal(c.kinds[DOC_TABLE], 2);
  /* Two header rows, then each document of the set once, controlled or a working view. */
  assert_int_equal(c.kinds[DOC_ROW], 2 + all);
  assert_int_equal(c.toned_badges, controlled); /* each approval "current" */
  assert_true(c.bare_links >= 3); /* the generated documents, by file */
  docs_free_body((Document *)S_doc(fx, "documents"));
  arena_free(&a);
}

static void test_register_heat_map_tones(void **state) {
  Fixture *fx = *state;
  Arena a;
  arena_init(&a);
  Census c = S_build(fx, "risks", &a);
  assert_int_equal(c.kinds[DOC_HEATMAP], 2); /* inherent and residual */
  const Document *d = S_doc(fx, "risks");
  const DocNode *map = S_first_heatmap(d);
  assert_non_null(map);
  const HeatMap *h = map->heatmap;
  assert_int_equal(h->nlikelihood, 5);
  assert_int_equal(h->tones[0][0], TONE_LOW);      /* 1 x 1 */
  assert_int_equal(h->tones[4][4], TONE_CRITICAL); /* 5 x 5 */
  size_t risks = 0;
  for (int l = 0; l < h->nlikelihood; l++)
    for (int i = 0; i < h->nimpact; i++)
      risks += h->cells[l][i].len;
  assert_true(risks > 0 && risks <= fx->model.by_kind[KIND_RISK].len);
  docs_free_body((Document *)d);
  arena_free(&a);
}

static void test_markdown_parsed_once_with_targets(void **state) {
  Fixture *fx = *state;
  Arena a;
  arena_init(&a);
  Census c = S_build(fx, "policies/POL-ISP", &a);
  const Document *d = S_doc(fx, "policies/POL-ISP");
  assert_int_equal(c.kinds[DOC_MARKDOWN], 1);
  assert_int_equal(d->markdown.len, 1); /* one parse, kept for every format */
  docs_free_body((Document *)d);
  assert_null(d->body);
  assert_int_equal(d->markdown.len, 0);
  /* The RTP's treatment narratives: [[ID]] links hold their record. */
  c = S_build(fx, "rtp", &a);
  assert_true(c.dates > 0);   /* treatments' due dates are typed */
  assert_true(c.numbers > 0); /* and scores are numbers */
  assert_true(c.kinds[DOC_MARKDOWN] > 0);
  assert_true(c.markdown_links > 0);
  docs_free_body((Document *)S_doc(fx, "rtp"));
  arena_free(&a);
}

/* ---------------------------------------------------------------- Check and Act (argv[2]) */

/* Every node of a tree of this kind, depth first. */
static void S_collect(const DocNode *n, DocKind kind, const DocNode **out, size_t *count,
                      size_t max) {
  for (; n; n = n->next) {
    if (n->kind == kind && *count < max)
      out[(*count)++] = n;
    S_collect(n->first, kind, out, count, max);
  }
}

static size_t S_anchors(const DocNode *n, const char *anchor) {
  size_t count = 0;
  for (; n; n = n->next) {
    if (n->anchor && strcmp(n->anchor, anchor) == 0)
      count++;
    count += S_anchors(n->first, anchor);
  }
  return count;
}

static void test_objectives_trends(void **state) {
  Fixture *fx = *state;
  assert_true(doc_type_find("objectives")->formats & DOC_DOCX);
  DocRoute route;
  assert_true(doc_route(NULL, S_record(fx, "MET-MFA"), DOC_DOCX, &route));
  assert_string_equal(route.file, "objectives");
  assert_string_equal(route.anchor, "MET-MFA");
  Arena a;
  arena_init(&a);
  S_build(fx, "objectives", &a);
  const Document *d = S_doc(fx, "objectives");
  const DocNode *trends[8];
  size_t n = 0;
  S_collect(d->body, DOC_TREND, trends, &n, 8);
  assert_int_equal(n, 2); /* MET-MFA and MET-PATCH; MET-NEW was never measured */
  const TrendChart *mfa = trends[0]->trend, *patch = trends[1]->trend;
  assert_int_equal(mfa->npoints, 4);
  assert_true(mfa->has_target && !mfa->at_most);
  assert_string_equal(mfa->target_label, "95");
  for (size_t i = 0; i < mfa->npoints; i++)
    assert_int_equal(mfa->points[i].tone, TONE_OVERDUE); /* 62 .. 84, never 95 */
  assert_string_equal(mfa->points[2].label, "78.5");
  assert_true(patch->at_most);
  assert_int_equal(patch->points[0].tone, TONE_OVERDUE); /* 21 days > 14 */
  assert_int_equal(patch->points[1].tone, TONE_DONE);    /* 12 days */
  /* The numbers beside each chart: a header and a row per point. */
  for (size_t i = 0; i < n; i++) {
    const DocNode *table = trends[i]->first;
    assert_non_null(table);
    assert_int_equal(table->kind, DOC_TABLE);
    size_t rows = 0;
    for (const DocNode *r = table->first; r; r = r->next)
      rows++;
    assert_int_equal(rows, trends[i]->trend->npoints + 1);
  }
  /* Every objective and metric is anchored once: links to them land in one place. */
  static const char *const ids[] = {"OBJ-MFA", "OBJ-PATCH", "MET-MFA", "MET-NEW", "MET-PATCH"};
  for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
    assert_int_equal(S_anchors(d->body, ids[i]), 1);
  /* OBJ-PATCH was due 2026-09-30 and is still in progress: flagged in the palette's tone. */
  const DocNode *badges[64];
  size_t nb = 0;
  S_collect(d->body, DOC_BADGE, badges, &nb, 64);
  size_t overdue = 0;
  for (size_t i = 0; i < nb; i++)
    overdue += strcmp(badges[i]->text, "overdue") == 0 && badges[i]->tone == TONE_OVERDUE;
  assert_int_equal(overdue, 3); /* OBJ-PATCH in the summary and its section; MET-PATCH's due */
  docs_free_body((Document *)d);
  arena_free(&a);
}

static void test_nonconformity_register(void **state) {
  Fixture *fx = *state;
  DocRoute route;
  assert_true(doc_route(NULL, S_record(fx, "NC-002"), DOC_DOCX, &route));
  assert_string_equal(route.file, "nonconformities");
  Arena a;
  arena_init(&a);
  Census c = S_build(fx, "nonconformities", &a);
  const Document *d = S_doc(fx, "nonconformities");
  assert_int_equal(S_anchors(d->body, "NC-001"), 1);
  assert_int_equal(S_anchors(d->body, "NC-002"), 1);
  /* The register, then one actions table per nonconformity: a row per action. */
  const DocNode *tables[8];
  size_t n = 0;
  S_collect(d->body, DOC_TABLE, tables, &n, 8);
  assert_int_equal(n, 3);
  size_t rows[3] = {0};
  size_t overdue_rows = 0;
  for (size_t i = 0; i < n; i++)
    for (const DocNode *r = tables[i]->first; r; r = r->next) {
      rows[i]++;
      overdue_rows += r->cls && strcmp(r->cls, "overdue") == 0;
    }
  assert_int_equal(rows[0], 3); /* header + NC-001, NC-002 */
  assert_int_equal(rows[1], 3); /* header + NC-001's two actions */
  assert_int_equal(rows[2], 2); /* header + NC-002's one */
  /* NC-001's second action (due 2026-08-31, in progress) and NC-002's (due 2026-09-30,
   * planned) are late: their rows and both register rows are flagged. */
  assert_int_equal(overdue_rows, 4);
  assert_true(c.toned_badges > 0);
  docs_free_body((Document *)d);
  arena_free(&a);
}

/* The text of a row's first cell, "" when it has none. */
static const char *S_row_label(const DocNode *row) {
  const DocNode *t = row->first ? row->first->first : NULL;
  if (t && t->kind == DOC_LINK)
    t = t->first;
  return t && t->kind == DOC_TEXT ? t->text : "";
}

/* The badge of a row's cell `col`, or NULL. */
static const char *S_cell_badge(const DocNode *row, int col) {
  const DocNode *c = row->first;
  for (int i = 0; c && i < col; i++)
    c = c->next;
  return c && c->first && c->first->kind == DOC_BADGE ? c->first->text : NULL;
}

static void test_audit_programme_and_reports(void **state) {
  Fixture *fx = *state;
  Arena a;
  arena_init(&a);
  S_build(fx, "audits", &a);
  const Document *d = S_doc(fx, "audits");
  const DocNode *tables[16];
  size_t n = 0;
  S_collect(d->body, DOC_TABLE, tables, &n, 16);
  assert_true(n >= 4); /* the matrix, then each audit's table and findings */
  const DocNode *matrix = tables[0];
  size_t rows = 0, missing = 0;
  bool saw_92 = false, saw_93 = false, saw_a85 = false;
  for (const DocNode *r = matrix->first->next; r; r = r->next, rows++) {
    const char *label = S_row_label(r);
    const char *y2026 = S_cell_badge(r, 1), *y2027 = S_cell_badge(r, 2), *cov = S_cell_badge(r, 3);
    missing += cov && strcmp(cov, "missing") == 0;
    if (strncmp(label, "9.2 ", 4) == 0) {
      saw_92 = true;
      assert_string_equal(y2026, "done"); /* AUD-2026, held */
      assert_null(cov);
    } else if (strncmp(label, "9.3 ", 4) == 0) {
      saw_93 = true;
      assert_null(y2026);
      assert_string_equal(y2027, "planned"); /* AUD-2027 */
    } else if (strncmp(label, "A.8.5 ", 6) == 0) {
      saw_a85 = true;
      assert_string_equal(y2026, "done");
    }
  }
  assert_true(saw_92 && saw_93 && saw_a85);
  assert_int_equal(missing, rows - 4); /* all but 9.2, 9.3, 10.2 and A.8.5 */
  /* Every finding once, by type, the minor one linked to the nonconformity it raised. */
  static const char *const findings[] = {"F-2026-1", "F-2026-2", "F-2026-3"};
  for (size_t i = 0; i < 3; i++)
    assert_int_equal(S_anchors(d->body, findings[i]), 1);
  const DocNode *links[512];
  size_t nl = 0;
  S_collect(d->body, DOC_LINK, links, &nl, 512);
  size_t to_nc = 0;
  for (size_t i = 0; i < nl; i++)
    to_nc += links[i]->record && strcmp(links[i]->record->id, "NC-001") == 0;
  assert_int_equal(to_nc, 1);
  DocRoute route;
  assert_true(doc_route(NULL, S_record(fx, "F-2026-2"), DOC_HTML, &route));
  assert_string_equal(route.file, "audits");
  assert_string_equal(route.anchor, "F-2026-2");
  docs_free_body((Document *)d);
  arena_free(&a);
}

static void test_review_record_and_dashboard(void **state) {
  Fixture *fx = *state;
  DocRoute route;
  assert_true(doc_route(NULL, S_record(fx, "MR-2026-1"), DOC_DOCX, &route));
  assert_string_equal(route.folder, "reviews");
  assert_string_equal(route.file, "MR-2026-1");
  Arena a;
  arena_init(&a);
  S_build(fx, "reviews/MR-2026-1", &a);
  const Document *d = S_doc(fx, "reviews/MR-2026-1");
  const DocNode *tables[8];
  size_t n = 0;
  S_collect(d->body, DOC_TABLE, tables, &n, 8);
  assert_int_equal(n, 3); /* the review, its inputs, its decisions */
  size_t inputs = 0, decisions = 0, overdue = 0;
  for (const DocNode *r = tables[1]->first->next; r; r = r->next)
    inputs++;
  for (const DocNode *r = tables[2]->first->next; r; r = r->next, decisions++)
    overdue += r->cls && strcmp(r->cls, "overdue") == 0;
  assert_int_equal(inputs, 7);    /* a-g */
  assert_int_equal(decisions, 3); /* every decision */
  assert_int_equal(overdue, 1);   /* supplier contracts, due 2026-09-30, planned */
  docs_free_body((Document *)d);
  /* The overview counts what needs attention and links to each review's record. */
  S_build(fx, "index", &a);
  d = S_doc(fx, "index");
  assert_int_equal(S_anchors(d->body, "check-act"), 1);
  const DocNode *links[2048];
  size_t nl = 0;
  S_collect(d->body, DOC_LINK, links, &nl, 2048);
  size_t to_review = 0;
  for (size_t i = 0; i < nl; i++)
    to_review += links[i]->record && strcmp(links[i]->record->id, "MR-2026-1") == 0;
  assert_int_equal(to_review, 1);
  docs_free_body((Document *)d);
  arena_free(&a);
}

static void test_review_pack(void **state) {
  Fixture *fx = *state;
  Arena a;
  arena_init(&a);
  S_build(fx, "review-pack", &a);
  const Document *d = S_doc(fx, "review-pack");
  /* Every input of 9.3.2 has its section, a to g. */
  static const char *const inputs[] = {"a", "b", "c", "d", "e", "f", "g"};
  for (size_t i = 0; i < 7; i++)
    assert_int_equal(S_anchors(d->body, inputs[i]), 1);
  const DocNode *tables[16];
  size_t n = 0;
  S_collect(d->body, DOC_TABLE, tables, &n, 16);
  /* a) the two open decisions of MR-2026-1 (the third is done). */
  size_t rows = 0;
  for (const DocNode *r = tables[0]->first->next; r; r = r->next)
    rows++;
  assert_int_equal(rows, 2);
  /* c) the interested parties the scope records, as a table. */
  const DocNode *parties = NULL, *sev = NULL;
  for (size_t i = 0; i < n; i++) {
    if (tables[i]->text && strcmp(tables[i]->text, "Interested parties and their requirements") == 0)
      parties = tables[i];
    if (tables[i]->text &&
        strcmp(tables[i]->text, "Nonconformities since the last review, by severity") == 0)
      sev = tables[i];
  }
  assert_non_null(parties);
  assert_non_null(sev);
  /* d) since 2026-06-15: NC-002 (major) raised, NC-001 (minor) closed; AUD-2026 was before. */
  const DocNode *major = sev->first->next, *minor = major->next;
  assert_string_equal(major->first->next->first->text, "1"); /* raised since */
  assert_string_equal(minor->first->next->next->first->text, "1"); /* closed since */
  /* g) the observation and the opportunity of AUD-2026, and not its minor finding. */
  const DocNode *g = tables[n - 1];
  rows = 0;
  for (const DocNode *r = g->first->next; r; r = r->next)
    rows++;
  assert_int_equal(rows, 2);
  docs_free_body((Document *)d);
  arena_free(&a);
}

int main(int argc, char **argv) {
  if (argc > 1)
    tree_root = argv[1];
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_registry_rows),
      cmocka_unit_test(test_only_parsed_against_the_registry),
      cmocka_unit_test(test_plan_lists_the_set),
      cmocka_unit_test(test_control_block_is_data),
      cmocka_unit_test(test_acceptance_derived),
      cmocka_unit_test(test_route_per_format),
      cmocka_unit_test(test_palette_and_level_bands),
      cmocka_unit_test(test_soa_tree),
      cmocka_unit_test(test_documents_register),
      cmocka_unit_test(test_register_heat_map_tones),
      cmocka_unit_test(test_scope_and_method),
      cmocka_unit_test(test_readiness_one_computation),
      cmocka_unit_test(test_markdown_parsed_once_with_targets),
  };
  int failed = cmocka_run_group_tests(tests, setup, teardown);
  if (argc > 2) {
    tree_root = argv[2];
    const struct CMUnitTest check_act[] = {
        cmocka_unit_test(test_objectives_trends),
        cmocka_unit_test(test_nonconformity_register),
        cmocka_unit_test(test_audit_programme_and_reports),
        cmocka_unit_test(test_review_record_and_dashboard),
        cmocka_unit_test(test_review_pack),
    };
    failed += cmocka_run_group_tests(check_act, setup, teardown);
  }
  return failed;
}
