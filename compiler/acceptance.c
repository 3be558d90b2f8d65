/* acceptance.c - who may accept a risk's residual risk (SPEC §1 risk.acceptance_authority).
 *
 * The one place this is computed: the acceptance-authority rule (lua/) and the Risk
 * Treatment Plan both read the two derived values filled in here, so the page can never say
 * "entitled" where the check says otherwise.
 *
 * What must stay true: a risk's score is its residual score, else its inherent one; the
 * score falls in the first band with score <= max; the people of that band and of every
 * higher band may accept it, in band order, each once; `owner` stands for the risk's own
 * owner. With no bands set, or no score, neither value is present.
 */
#include <string.h>

#include "model.h"

static const Value *S_bands(const Model *m) {
  if (!m->manifest || !rec_has(m->manifest, MANIFEST_RISK))
    return NULL;
  const Value *bands = &rec_field(m->manifest, MANIFEST_RISK)->fields[METHOD_ACCEPTANCE_AUTHORITY];
  return bands->ok && bands->count ? bands : NULL;
}

static bool S_listed(const Value *list, const char *name) {
  for (size_t i = 0; i < list->count; i++)
    if (strcmp(list->items[i].str, name) == 0)
      return true;
  return false;
}

/* The names allowed for score, `owner` replaced by owner (skipped when the risk has none). */
static void S_allowed(Model *m, const Value *bands, long score, const char *owner, Value *out) {
  size_t most = 0;
  for (size_t i = 0; i < bands->count; i++)
    most += bands->items[i].fields[AUTHORITY_BY].count;
  out->items = arena_alloc(m->arena, (most ? most : 1) * sizeof *out->items);
  out->count = 0;
  out->ok = true;
  bool reached = false;
  for (size_t i = 0; i < bands->count; i++) {
    const Value *f = bands->items[i].fields;
    reached = reached || (f[AUTHORITY_MAX].ok && score <= f[AUTHORITY_MAX].num);
    for (size_t k = 0; reached && k < f[AUTHORITY_BY].count; k++) {
      const char *who = f[AUTHORITY_BY].items[k].str;
      const char *name = who && strcmp(who, "owner") == 0 ? owner : who;
      if (!name || S_listed(out, name))
        continue;
      out->items[out->count++] = (Value){.ok = true, .str = name};
    }
  }
}

void acceptance_derive(Model *m, Record *r) {
  const Value *bands = S_bands(m);
  bool has_residual = r->derived[RISK_D_RESIDUAL_SCORE].ok;
  if (!bands || (!has_residual && !r->derived[RISK_D_SCORE].ok))
    return;
  long score = has_residual ? r->residual_score : r->score;
  Value *allowed = &r->derived[RISK_D_ACCEPTANCE_ALLOWED];
  S_allowed(m, bands, score, rec_str(r, RISK_OWNER), allowed);
  const Value *acc = rec_field(r, RISK_ACCEPTANCE);
  const Value *by = acc->ok ? &acc->fields[ACCEPTANCE_BY] : NULL;
  if (by && by->ok && by->str && *by->str) {
    Value *entitled = &r->derived[RISK_D_ACCEPTANCE_ENTITLED];
    entitled->ok = true;
    entitled->num = S_listed(allowed, by->str);
  }
}
