/* doc_method.c - builder: the information security risk assessment and treatment method
 * (clauses 6.1.2 and 6.1.3), generated from `risk:` in isms.yaml: the likelihood and impact
 * scales with their criteria, the score matrix coloured by level with the acceptance
 * threshold outlined, the level bands, who may accept a residual risk, the treatment
 * options, and how often risks are reassessed.
 *
 * What must stay true: everything here is read from the bound manifest (the RiskMethod and
 * the `risk:` fields), the values the checks judge risks by; nothing is restated by hand,
 * so the published method is the one applied. A setting the manifest leaves out is shown
 * as not set, naming the field.
 */
#include <string.h>

#include "doc_build.h"

static const Value *S_method_field(Builder *b, int field) {
  const Record *mf = b->m->manifest;
  if (!mf || !rec_has(mf, MANIFEST_RISK))
    return NULL;
  const Value *v = &rec_field(mf, MANIFEST_RISK)->fields[field];
  return v->ok ? v : NULL;
}

/* A scale: value, label and what the step means. */
static void S_scale(Builder *b, DocNode *parent, const char *name, const char *anchor,
                    const char *const *labels, size_t n, int criteria_field) {
  DocNode *s = db_section(b, parent, 2, arena_printf(b->a, "%s scale", name), anchor);
  const Value *criteria = S_method_field(b, criteria_field);
  const char *const headers[] = {"Value", name, "Criteria", NULL};
  DocNode *t = db_table(b, s, arena_printf(b->a, "%s scale and criteria", name), headers);
  for (size_t i = n; i-- > 0;) { /* highest first, as the score matrix reads */
    DocNode *row = db_row(b, t, NULL);
    DocNode *v = db_cell(b, row, arena_printf(b->a, "%zu", i + 1));
    v->numeric = true;
    v->value = (DocValue){.type = VALUE_NUMBER, .number = (double)(i + 1)};
    db_cell(b, row, labels ? labels[i] : "");
    db_cell(b, row, criteria && i < criteria->count ? criteria->items[i].str : "");
  }
  if (!criteria)
    db_para(b, s,
            arena_printf(b->a, "Criteria not set (`risk.%s` in isms.yaml).",
                         risk_method_table.fields[criteria_field].name));
}

static void S_levels(Builder *b, DocNode *parent) {
  const RiskMethod *rm = &b->m->method;
  DocNode *s = db_section(b, parent, 2, "Risk score and levels", "levels");
  db_para(b, s,
          arena_printf(b->a,
                       "A risk's score is its likelihood times its impact, from 1 to %zu; its "
                       "level is the first band whose highest score holds it. The residual "
                       "score is computed the same way from the likelihood and impact expected "
                       "after treatment.",
                       rm->nlikelihood * rm->nimpact));
  static const char *const headers[] = {"Level", "Scores", NULL};
  DocNode *t = db_table(b, s, "Risk levels", headers);
  long lo = 1;
  for (size_t i = 0; i < rm->nlevel; i++) {
    DocNode *row = db_row(b, t, NULL);
    db_level_badge(b, db_cell(b, row, NULL), rm->levels[i].name, (int)i);
    db_cell(b, row, arena_printf(b->a, "%ld to %ld", lo, rm->levels[i].max));
    lo = rm->levels[i].max + 1;
  }
  HeatMap *h = db_heatmap(b, false);
  h->title = "Score matrix";
  h->scores = true;
  db_add_heatmap(b, s, h);
}

/* Who may accept: one row per band of `acceptance_authority`, `owner` in words. */
static void S_authority(Builder *b, DocNode *s) {
  const Value *bands = S_method_field(b, METHOD_ACCEPTANCE_AUTHORITY);
  if (!bands) {
    db_para(b, s,
            "Acceptance authority not set (`risk.acceptance_authority` in isms.yaml): the "
            "checks do not judge who accepted a risk.");
    return;
  }
  db_para(b, s,
          "A residual risk (else the inherent risk) is accepted by someone its score allows: "
          "the people of its band or of any higher band.");
  static const char *const headers[] = {"Scores", "May be accepted by", NULL};
  DocNode *t = db_table(b, s, "Risk acceptance authority", headers);
  long lo = 1;
  for (size_t i = 0; i < bands->count; i++) {
    const Value *f = bands->items[i].fields;
    if (!f || !f[AUTHORITY_MAX].ok)
      continue;
    DocNode *row = db_row(b, t, NULL);
    db_cell(b, row, arena_printf(b->a, "%ld to %ld", lo, f[AUTHORITY_MAX].num));
    DocNode *who = db_cell(b, row, NULL);
    bool first = true;
    for (size_t k = 0; f[AUTHORITY_BY].ok && k < f[AUTHORITY_BY].count; k++) {
      const char *name = f[AUTHORITY_BY].items[k].str;
      db_sep(b, who, &first);
      doc_text(b->a, who, strcmp(name, "owner") == 0 ? "the risk's owner" : name);
    }
    lo = f[AUTHORITY_MAX].num + 1;
  }
}

static void S_acceptance(Builder *b, DocNode *parent) {
  const RiskMethod *rm = &b->m->method;
  DocNode *s = db_section(b, parent, 2, "Risk acceptance", "acceptance");
  if (rm->accept_max >= 0)
    db_para(b, s,
            arena_printf(b->a,
                         "Acceptance threshold (risk appetite): a score of %ld or less (%s) may "
                         "be accepted by the risk's owner; a risk left above it must be accepted "
                         "by someone entitled to, recorded with the date and rationale.",
                         rm->accept_max,
                         model_level_name(b->m, model_level_of(b->m, (int)rm->accept_max))));
  else
    db_para(b, s, "Acceptance threshold not set (`risk.accept_max` in isms.yaml).");
  S_authority(b, s);
}

static void S_treatment(Builder *b, DocNode *parent) {
  DocNode *s = db_section(b, parent, 2, "Risk treatment options", "treatment");
  static const char *const meaning[] = {
      "reduce the likelihood or the impact with controls (treatments select them)",
      "keep the risk as it is, with its owner's recorded acceptance",
      "share it with another party (insurance, a supplier's contract)",
      "stop the activity that gives rise to it"};
  static const char *const headers[] = {"Option", "Also written", "Meaning", NULL};
  DocNode *t = db_table(b, s, "Risk treatment options", headers);
  for (size_t i = 0; treatment_options[i]; i++) {
    DocNode *row = db_row(b, t, NULL);
    db_cell(b, row, treatment_options[i]);
    DocNode *also = db_cell(b, row, NULL);
    bool first = true;
    for (const Synonym *syn = treatment_option_synonyms; syn->word; syn++)
      if (strcmp(syn->means, treatment_options[i]) == 0) {
        db_sep(b, also, &first);
        doc_text(b->a, also, syn->word);
      }
    db_cell(b, row, i < sizeof meaning / sizeof meaning[0] ? meaning[i] : "");
  }
  db_para(b, s,
          "Controls are selected by the treatments and compared with Annex A in the Statement "
          "of Applicability; the Risk Treatment Plan lists every treatment with its owner and "
          "due date.");
}

static void S_reassessment(Builder *b, DocNode *parent) {
  DocNode *s = db_section(b, parent, 2, "Reassessment", "reassessment");
  const Value *days = S_method_field(b, METHOD_REASSESS_DAYS);
  if (days)
    db_para(b, s,
            arena_printf(b->a,
                         "Every risk is reassessed at least every %ld days (its `assessed` "
                         "date), and whenever the business, its threats or its controls change.",
                         days->num));
  else
    db_para(b, s, "Reassessment interval not set (`risk.reassess_days` in isms.yaml).");
}

void doc_build_method(Builder *b, const Document *d) {
  const RiskMethod *rm = &b->m->method;
  DocNode *top = db_section(b, d->body, 1, d->title, NULL);
  if (!rm->nlikelihood || !rm->nimpact || !rm->nlevel) {
    db_para(b, top, "The tree has no risk method yet: add `risk:` to isms.yaml.");
    return;
  }
  db_para(b, top,
          "How information security risks are identified, analysed, evaluated and treated "
          "(clauses 6.1.2 and 6.1.3). Generated from `risk:` in isms.yaml: these are the "
          "values every risk in the register is scored and checked by.");
  S_scale(b, top, "Likelihood", "likelihood", rm->likelihood, rm->nlikelihood,
          METHOD_LIKELIHOOD_CRITERIA);
  S_scale(b, top, "Impact", "impact", rm->impact, rm->nimpact, METHOD_IMPACT_CRITERIA);
  S_levels(b, top);
  S_acceptance(b, top);
  S_treatment(b, top);
  S_reassessment(b, top);
}
