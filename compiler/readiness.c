/* readiness.c - what provides each clause's mandatory documented information, and whether
 * it is there (readiness.h). One assessor per clause of the built-in catalogs that the
 * tree's records provide; every clause, a custom catalog's too, is also provided by the
 * policies and evidence entries that name it in `clauses:`.
 *
 * What must stay true: this is the only place that decides a clause's state. The clause's
 * derived values (`readiness`, `lacking`: the Lua rule's input) and the readiness report
 * are both made from readiness_assess, so they agree by construction.
 */
#include <string.h>

#include "readiness.h"

typedef struct Ctx {
  const Model *m;
  Arena *a;
  PtrVec sources; /* ReadinessSource * */
} Ctx;

static void S_add(Ctx *c, const char *label, const Record *r, const char *document,
                  const char *gap) {
  for (size_t i = 0; r && i < c->sources.len; i++) /* a policy named by `policy:` and by */
    if (((ReadinessSource *)c->sources.items[i])->record == r && r->kind != KIND_CONTROL)
      return; /* its own `clauses:` is listed once; a control may cite several entries */
  ReadinessSource *s = arena_alloc(c->a, sizeof *s);
  *s = (ReadinessSource){label, r, document, gap};
  ptrvec_push(c->a, &c->sources, s);
}

static const PtrVec *S_all(const Ctx *c, Kind k) { return &c->m->by_kind[k]; }

static const char *S_label(Ctx *c, const Record *r) {
  const char *t = rec_title(r);
  return t && *t ? arena_printf(c->a, "%s %s", r->id, t) : r->id;
}

static bool S_is(const Record *r, int field, const char *value) {
  const char *v = rec_enum(r, field);
  return v && strcmp(v, value) == 0;
}

/* "1 audit", "3 audits". */
static const char *S_count(Ctx *c, size_t n, const char *one, const char *many) {
  return arena_printf(c->a, "%zu %s", n, n == 1 ? one : many);
}

/* ---------------------------------------------------------------- the assessors */

static void S_scope(Ctx *c) {
  const PtrVec *scopes = S_all(c, KIND_SCOPE);
  for (size_t i = 0; i < scopes->len; i++) {
    const Record *s = scopes->items[i];
    const char *gap = NULL;
    if (!s->raw || !s->raw->body_text || !s->raw->body_len) /* Markdown's, or YAML's `body` */
      gap = "no scope statement (the body of scope.md)";
    else if (!rec_has(s, SCOPE_INCLUDES))
      gap = "no `includes:` (what the ISMS covers)";
    S_add(c, S_label(c, s), s, NULL, gap);
  }
}

static bool S_approved(const Record *p) {
  return rec_has(p, POLICY_APPROVED) && !S_is(p, POLICY_STATUS, "draft") &&
         !S_is(p, POLICY_STATUS, "retired");
}

static void S_policy(Ctx *c) {
  const Record *mf = c->m->manifest;
  const Value *v = mf ? rec_field(mf, MANIFEST_POLICY) : NULL;
  if (!v || !v->ok || !v->ref)
    return;
  S_add(c, S_label(c, v->ref), v->ref, NULL,
        S_approved(v->ref) ? NULL : arena_printf(c->a, "policy %s is not approved", v->ref->id));
}

static void S_method(Ctx *c) {
  const Record *mf = c->m->manifest;
  if (!mf || !rec_has(mf, MANIFEST_RISK))
    return;
  const Value *f = rec_field(mf, MANIFEST_RISK)->fields;
  const char *gap = NULL;
  if (c->m->method.accept_max < 0)
    gap = "no risk acceptance criterion (`risk.accept_max`)";
  else if (!f[METHOD_LIKELIHOOD_CRITERIA].ok || !f[METHOD_IMPACT_CRITERIA].ok)
    gap = "no criteria for the scales (`risk.likelihood_criteria`, `risk.impact_criteria`)";
  S_add(c, "the risk method (`risk:` in isms.yaml)", NULL, "method", gap);
}

static void S_soa(Ctx *c) {
  const PtrVec *controls = S_all(c, KIND_CONTROL);
  size_t recorded = 0, listed = 0;
  for (size_t i = 0; i < controls->len; i++) {
    const Record *r = controls->items[i];
    if (!r->catalog)
      continue;
    listed++;
    recorded += !r->synthetic;
  }
  if (!recorded)
    return;
  const char *label = arena_printf(
      c->a, "the Statement of Applicability (%zu of %zu controls recorded)", recorded, listed);
  S_add(c, label, NULL, "soa",
        recorded < listed
            ? arena_printf(c->a, "%zu catalog controls have no record", listed - recorded)
            : NULL);
}

static void S_objectives(Ctx *c) {
  const PtrVec *objectives = S_all(c, KIND_OBJECTIVE);
  if (!objectives->len)
    return;
  size_t unmeasured = 0;
  for (size_t i = 0; i < objectives->len; i++) {
    const Record *o = objectives->items[i];
    unmeasured += !rec_has(o, OBJECTIVE_METRICS) && !rec_has(o, OBJECTIVE_EVALUATION);
  }
  S_add(c, S_count(c, objectives->len, "objective", "objectives"), NULL, "objectives",
        unmeasured ? arena_printf(c->a, "%zu with neither a metric nor an `evaluation`", unmeasured)
                   : NULL);
}

static void S_policies(Ctx *c) {
  const PtrVec *policies = S_all(c, KIND_POLICY);
  if (!policies->len)
    return;
  size_t approved = 0;
  for (size_t i = 0; i < policies->len; i++)
    approved += S_approved(policies->items[i]);
  S_add(c, S_count(c, policies->len, "controlled policy", "controlled policies"), NULL, NULL,
        approved < policies->len ? arena_printf(c->a, "%zu not approved", policies->len - approved)
                                 : NULL);
}

static void S_treatments(Ctx *c, bool results) {
  const PtrVec *treatments = S_all(c, KIND_TREATMENT);
  if (!treatments->len)
    return;
  size_t done = 0;
  for (size_t i = 0; i < treatments->len; i++)
    done += S_is(treatments->items[i], TREATMENT_STATUS, "done");
  const char *label = arena_printf(c->a, "%s (%zu done)",
                                   S_count(c, treatments->len, "treatment", "treatments"), done);
  S_add(c, label, NULL, "rtp", results && !done ? "no treatment is done yet" : NULL);
}

static void S_operation(Ctx *c) { S_treatments(c, false); }
static void S_treatment_results(Ctx *c) { S_treatments(c, true); }

static void S_risks(Ctx *c) {
  const PtrVec *risks = S_all(c, KIND_RISK);
  if (risks->len)
    S_add(c, S_count(c, risks->len, "assessed risk", "assessed risks"), NULL, "risks", NULL);
}

static void S_metrics(Ctx *c) {
  const PtrVec *metrics = S_all(c, KIND_METRIC);
  size_t measured = 0;
  for (size_t i = 0; i < metrics->len; i++) {
    const Record *r = metrics->items[i];
    measured += r->derived && r->derived[METRIC_D_LATEST].ok;
  }
  if (!measured)
    return;
  S_add(c, arena_printf(c->a, "%zu of %zu metrics measured", measured, metrics->len), NULL,
        "objectives",
        measured < metrics->len ? arena_printf(c->a, "%zu never measured", metrics->len - measured)
                                : NULL);
}

static void S_audits(Ctx *c) {
  const PtrVec *audits = S_all(c, KIND_AUDIT);
  size_t internal = 0, done = 0;
  for (size_t i = 0; i < audits->len; i++) {
    const Record *r = audits->items[i];
    if (!S_is(r, AUDIT_TYPE, "internal") || S_is(r, AUDIT_STATUS, "cancelled"))
      continue;
    internal++;
    done += S_is(r, AUDIT_STATUS, "done");
  }
  if (!internal)
    return;
  const char *label = arena_printf(c->a, "the audit programme: %s (%zu done)",
                                   S_count(c, internal, "internal audit", "internal audits"), done);
  S_add(c, label, NULL, "audits", done ? NULL : "no internal audit is done yet (no results)");
}

static void S_reviews(Ctx *c) {
  const PtrVec *reviews = S_all(c, KIND_REVIEW);
  for (size_t i = 0; i < reviews->len; i++) {
    const Record *r = reviews->items[i];
    const Value *date = rec_field(r, REVIEW_DATE);
    bool held = date->ok && date->date.days <= c->m->today.days;
    S_add(c, S_label(c, r), r, NULL, held ? NULL : "planned, not held yet");
  }
}

static void S_nonconformities(Ctx *c) {
  const PtrVec *ncs = S_all(c, KIND_NONCONFORMITY);
  if (ncs->len)
    S_add(c, S_count(c, ncs->len, "nonconformity", "nonconformities"), NULL, "nonconformities",
          NULL);
}

/* Clause id -> what provides it (as a hint to add it) and its assessor. The nonconformity
 * clause is found by its title: 10.2 in the 2022 edition, 10.1 in 2013. */
typedef struct Provider {
  const char *clause, *hint;
  void (*assess)(Ctx *c);
} Provider;

static const Provider S_providers[] = {
    {"4.3", "a scope record (scope.md)", S_scope},
    {"5.2", "an information security policy (policies/), named by `policy:` in isms.yaml",
     S_policy},
    {"6.1.2", "the risk method (`risk:` in isms.yaml)", S_method},
    {"6.1.3", "control records (the Statement of Applicability)", S_soa},
    {"6.2", "objectives (objectives/)", S_objectives},
    {"7.5", "policies (policies/)", S_policies},
    {"8.1", "risk treatments (treatments/)", S_operation},
    {"8.2", "risks (risks/)", S_risks},
    {"8.3", "risk treatments (treatments/)", S_treatment_results},
    {"9.1", "metrics with measurements (metrics/)", S_metrics},
    {"9.2", "internal audits (audits/)", S_audits},
    {"9.3", "management reviews (reviews/)", S_reviews},
};
static const Provider S_nonconformity = {NULL, "nonconformities (nonconformities/)",
                                         S_nonconformities};

static const Provider *S_provider_of(const Record *clause) {
  const char *title = rec_str(clause, CLAUSE_TITLE);
  if (title && strncmp(title, "Nonconformity", 13) == 0)
    return &S_nonconformity;
  for (size_t i = 0; i < sizeof S_providers / sizeof S_providers[0]; i++)
    if (strcmp(S_providers[i].clause, clause->id) == 0)
      return &S_providers[i];
  return NULL;
}

static bool S_names(const Value *clauses, const Record *clause) {
  for (size_t i = 0; clauses->ok && i < clauses->count; i++)
    if (clauses->items[i].ref == clause)
      return true;
  return false;
}

/* "A.6.3 evidence: Security awareness completion report, 2026". */
static const char *S_evidence_label(Ctx *c, const Record *ctl, const Value *f) {
  const char *what = f[EVIDENCE_TITLE].ok  ? f[EVIDENCE_TITLE].str
                     : f[EVIDENCE_PATH].ok ? f[EVIDENCE_PATH].str
                     : f[EVIDENCE_URL].ok  ? f[EVIDENCE_URL].str
                                           : "an entry";
  return arena_printf(c->a, "%s evidence: %s", ctl->id, what);
}

/* The declared route: policies and evidence entries naming the clause. */
static void S_declared(Ctx *c, const Record *clause) {
  const PtrVec *policies = rec_links(clause, LINK_POLICIES);
  for (size_t i = 0; i < policies->len; i++)
    S_add(c, S_label(c, policies->items[i]), policies->items[i], NULL, NULL);
  const PtrVec *controls = rec_links(clause, LINK_EVIDENCE);
  for (size_t i = 0; i < controls->len; i++) {
    const Record *ctl = controls->items[i];
    const Value *ev = rec_field(ctl, CONTROL_EVIDENCE);
    for (size_t k = 0; k < ev->count; k++)
      if (ev->items[k].fields && S_names(&ev->items[k].fields[EVIDENCE_CLAUSES], clause))
        S_add(c, S_evidence_label(c, ctl, ev->items[k].fields), ctl, NULL, NULL);
  }
}

void readiness_assess(const Model *m, const Record *clause, Arena *a, Readiness *out) {
  memset(out, 0, sizeof *out);
  if (!rec_has(clause, CLAUSE_DOCUMENTED))
    return;
  Ctx c = {m, a, {0}};
  const Provider *p = S_provider_of(clause);
  if (p)
    p->assess(&c);
  S_declared(&c, clause);
  out->nsources = c.sources.len;
  out->sources = arena_alloc(a, (c.sources.len + 1) * sizeof *out->sources);
  out->state = READINESS_PRESENT;
  for (size_t i = 0; i < c.sources.len; i++) {
    out->sources[i] = *(ReadinessSource *)c.sources.items[i];
    if (out->sources[i].gap && out->state == READINESS_PRESENT) {
      out->state = READINESS_INCOMPLETE;
      out->lacking = out->sources[i].gap;
    }
  }
  if (!c.sources.len) {
    out->state = READINESS_MISSING;
    out->lacking =
        p ? p->hint
          : arena_printf(a, "a policy or an evidence entry with clauses: [%s]", clause->id);
  }
}

const char *readiness_state_name(ReadinessState s) {
  static const char *const names[] = {NULL, "missing", "incomplete", "present"};
  return names[s];
}

/* The clause's derived values (schema.h's row): the state and what it lacks. */
void readiness_derive(Model *m, Record *r) {
  Readiness rd;
  readiness_assess(m, r, m->arena, &rd);
  if (rd.state == READINESS_NONE)
    return;
  Value *d = r->derived;
  d[CLAUSE_D_READINESS].str = readiness_state_name(rd.state);
  d[CLAUSE_D_READINESS].ok = true;
  d[CLAUSE_D_LACKING].str = rd.lacking;
  d[CLAUSE_D_LACKING].ok = rd.lacking != NULL;
}
