/* risk_method.c - the manifest's risk method and what it gives each risk.
 *
 * model_bind_risk_method turns isms.yaml's bound `risk:` mapping into the model's
 * RiskMethod (the likelihood and impact scales, the levels by score, accept_max), checking
 * what the schema table cannot: levels and acceptance-authority bands in ascending order,
 * levels reaching the top score, one criteria entry per scale step. model_derive_risk (the
 * risk kind's derive hook, schema.h) gives a risk its inherent and residual scores and
 * levels from that method. What must stay true: a level is the first whose max is at or
 * above the score, and a score above every level is "unrated" (-1), never the top level.
 */
#include "model.h"

int model_level_of(const Model *m, int score) {
  for (size_t i = 0; i < m->method.nlevel; i++)
    if (score <= m->method.levels[i].max)
      return (int)i;
  return -1;
}

const char *model_level_name(const Model *m, int level) {
  return level >= 0 && (size_t)level < m->method.nlevel ? m->method.levels[level].name : "unrated";
}

static void S_derive_score(Model *m, Value *score, Value *level, int n) {
  score->num = n;
  score->ok = true;
  level->str = model_level_name(m, model_level_of(m, n));
  level->ok = true;
}

void model_derive_risk(Model *m, Record *r) {
  r->level = r->residual_level = -1;
  r->score = r->residual_score = 0;
  if (rec_has(r, RISK_LIKELIHOOD) && rec_has(r, RISK_IMPACT)) {
    r->score = (int)(rec_field(r, RISK_LIKELIHOOD)->num * rec_field(r, RISK_IMPACT)->num);
    r->level = model_level_of(m, r->score);
    S_derive_score(m, &r->derived[RISK_D_SCORE], &r->derived[RISK_D_LEVEL], r->score);
  }
  const Value *res = rec_field(r, RISK_RESIDUAL);
  if (res->ok && res->fields[RESIDUAL_LIKELIHOOD].ok && res->fields[RESIDUAL_IMPACT].ok) {
    r->residual_score =
        (int)(res->fields[RESIDUAL_LIKELIHOOD].num * res->fields[RESIDUAL_IMPACT].num);
    r->residual_level = model_level_of(m, r->residual_score);
    S_derive_score(m, &r->derived[RISK_D_RESIDUAL_SCORE], &r->derived[RISK_D_RESIDUAL_LEVEL],
                   r->residual_score);
  }
  acceptance_derive(m, r);
}

/* risk.acceptance_authority bands go up by score like the levels; each criteria list says
 * what each step of its scale means, so it has one entry per step. */
static void S_check_method_v2(Model *m, Record *manifest, const Value *f, const RiskMethod *rm) {
  const Value *bands = &f[METHOD_ACCEPTANCE_AUTHORITY];
  for (size_t i = 1; bands->ok && i < bands->count; i++) {
    const Value *prev = &bands->items[i - 1].fields[AUTHORITY_MAX];
    const Value *max = &bands->items[i].fields[AUTHORITY_MAX];
    if (prev->ok && max->ok && max->num <= prev->num)
      diag_report(m->diags, manifest, max->node->loc, "schema-enum",
                  "acceptance authority bands go in ascending order of 'max' (%ld follows %ld)",
                  max->num, prev->num);
  }
  const int criteria[] = {METHOD_LIKELIHOOD_CRITERIA, METHOD_IMPACT_CRITERIA};
  const size_t steps[] = {rm->nlikelihood, rm->nimpact};
  for (size_t i = 0; i < 2; i++) {
    const Value *v = &f[criteria[i]];
    if (v->ok && steps[i] && v->count != steps[i])
      diag_report(m->diags, manifest, v->node->loc, "schema-required",
                  "risk.%s has %s; it needs one for each of the scale's %s",
                  risk_method_table.fields[criteria[i]].name,
                  count_of(m->arena, v->count, "entry", "entries"),
                  count_of(m->arena, steps[i], "step", "steps"));
  }
}

void model_bind_risk_method(Model *m, Record *manifest, const Value *risk) {
  RiskMethod *rm = &m->method;
  rm->accept_max = -1;
  if (!risk->ok)
    return;
  const Value *f = risk->fields;
  rm->likelihood = model_string_list(m, &f[METHOD_LIKELIHOOD], &rm->nlikelihood);
  rm->impact = model_string_list(m, &f[METHOD_IMPACT], &rm->nimpact);
  static const int scales[] = {METHOD_LIKELIHOOD, METHOD_IMPACT};
  for (size_t i = 0; i < 2; i++) {
    const Value *v = &f[scales[i]];
    if (v->ok && !v->count)
      diag_report(m->diags, manifest, v->node->loc, "schema-required",
                  "risk.%s lists no levels: write its labels, "
                  "lowest first (e.g. [Rare, Unlikely, Possible, Likely, Almost certain])",
                  risk_method_table.fields[scales[i]].name);
  }
  if (f[METHOD_ACCEPT_MAX].ok)
    rm->accept_max = f[METHOD_ACCEPT_MAX].num;
  S_check_method_v2(m, manifest, f, rm);
  const Value *levels = &f[METHOD_LEVELS];
  if (!levels->ok)
    return;
  rm->levels = arena_alloc(m->arena, (levels->count ? levels->count : 1) * sizeof *rm->levels);
  for (size_t i = 0; i < levels->count; i++) {
    const Value *lv = levels->items[i].fields;
    if (!lv[LEVEL_MAX].ok || !lv[LEVEL_NAME].ok)
      continue;
    if (rm->nlevel && lv[LEVEL_MAX].num <= rm->levels[rm->nlevel - 1].max) {
      diag_report(m->diags, manifest, lv[LEVEL_MAX].node->loc, "schema-enum",
                  "risk levels go in ascending order of 'max' (%ld follows %ld)", lv[LEVEL_MAX].num,
                  rm->levels[rm->nlevel - 1].max);
      continue;
    }
    rm->levels[rm->nlevel].max = lv[LEVEL_MAX].num;
    rm->levels[rm->nlevel].name = lv[LEVEL_NAME].str;
    rm->nlevel++;
  }
  long top = (long)(rm->nlikelihood * rm->nimpact);
  if (rm->nlevel && rm->levels[rm->nlevel - 1].max < top)
    diag_report(m->diags, manifest, levels->node->loc, "schema-required",
                "risk levels end at %ld but scores reach %ld (%zu x %zu)",
                rm->levels[rm->nlevel - 1].max, top, rm->nlikelihood, rm->nimpact);
}
