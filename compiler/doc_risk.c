/* doc_risk.c - the risk register with its heat maps, and the treatment helpers other
 * documents share. The Risk Treatment Plan is doc_rtp.c, the traceability page doc_trace.c.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "doc_build.h"
#include "xml_out.h" /* xo_format_long: the register's numbers without snprintf */

bool db_overdue(Builder *b, const Record *t) {
  const Value *due = rec_field(t, TREATMENT_DUE);
  const char *status = rec_enum(t, TREATMENT_STATUS);
  bool closed = status && (strcmp(status, "done") == 0 || strcmp(status, "cancelled") == 0);
  return due->ok && due->date.days < b->m->today.days && !closed;
}

void db_treatment_status(Builder *b, DocNode *cell, const Record *t) {
  db_status_badges(b, cell, rec_enum(t, TREATMENT_STATUS), db_overdue(b, t));
}

void db_treatment_row(Builder *b, DocNode *table, const Record *t) {
  DocNode *row = db_row(b, table, NULL);
  if (db_overdue(b, t))
    row->cls = "overdue";
  doc_link_record(b->a, db_cell(b, row, NULL), t, NULL);
  db_cell(b, row, db_title(t));
  db_cell(b, row, db_or(rec_str(t, TREATMENT_OWNER), ""));
  db_date_cell(b, row, rec_field(t, TREATMENT_DUE));
  db_treatment_status(b, db_cell(b, row, NULL), t);
}

HeatMap *db_heatmap(Builder *b, bool residual) {
  const RiskMethod *rm = &b->m->method;
  HeatMap *h = arena_alloc(b->a, sizeof *h);
  h->title = residual ? "Residual risk" : "Inherent risk";
  h->nlikelihood = rm->nlikelihood > 10 ? 10 : (int)rm->nlikelihood;
  h->nimpact = rm->nimpact > 10 ? 10 : (int)rm->nimpact;
  h->likelihood = rm->likelihood;
  h->impact = rm->impact;
  h->accept_max = rm->accept_max;
  for (int l = 1; l <= h->nlikelihood; l++)
    for (int i = 1; i <= h->nimpact; i++) {
      int level = model_level_of(b->m, l * i); /* beyond the levels: the top band */
      h->tones[l - 1][i - 1] = level < 0 ? TONE_CRITICAL : doc_level_tone(b->m, level);
    }
  PtrVec risks = db_sorted(b, KIND_RISK);
  for (size_t i = 0; i < risks.len; i++) {
    const Record *r = risks.items[i];
    long l, im;
    if (residual) {
      const Value *res = rec_field(r, RISK_RESIDUAL);
      if (!res->ok || !res->fields[RESIDUAL_LIKELIHOOD].ok || !res->fields[RESIDUAL_IMPACT].ok)
        continue;
      l = res->fields[RESIDUAL_LIKELIHOOD].num;
      im = res->fields[RESIDUAL_IMPACT].num;
    } else {
      if (!rec_has(r, RISK_LIKELIHOOD) || !rec_has(r, RISK_IMPACT))
        continue;
      l = rec_field(r, RISK_LIKELIHOOD)->num;
      im = rec_field(r, RISK_IMPACT)->num;
    }
    if (l < 1 || im < 1 || l > h->nlikelihood || im > h->nimpact)
      continue;
    ptrvec_push(b->a, &h->cells[l - 1][im - 1], (void *)r);
  }
  return h;
}

/* Under a heat map, in every format: its legend (each level's name, scores and colour) and,
 * in words, what the outline on the grid marks, so that neither is told by colour alone. */
static void S_heat_legend(Builder *b, DocNode *map, const HeatMap *h) {
  const RiskMethod *rm = &b->m->method;
  DocNode *p = doc_add(map, doc_new(b->a, DOC_PARA));
  doc_text(b->a, p, "Levels by score:");
  long lo = 1;
  for (size_t i = 0; i < rm->nlevel; i++) {
    doc_text(b->a, p, " ");
    const char *scores = lo == rm->levels[i].max
                             ? arena_printf(b->a, "%ld", lo)
                             : arena_printf(b->a, "%ld\u2013%ld", lo, rm->levels[i].max);
    db_level_badge(b, p, arena_printf(b->a, "%s\u00a0%s", rm->levels[i].name, scores), (int)i);
    lo = rm->levels[i].max + 1;
  }
  if (h->accept_max >= 0)
    db_para(b, map,
            arena_printf(b->a,
                         "The heavy outline marks the risk acceptance threshold: cells inside it "
                         "score %ld or less (accept_max), which a risk owner may accept.",
                         h->accept_max));
}

void db_add_heatmap(Builder *b, DocNode *parent, HeatMap *h) {
  DocNode *n = doc_add(parent, doc_new(b->a, DOC_HEATMAP));
  n->heatmap = h;
  n->anchor = h->scores                                ? "score-matrix"
              : strcmp(h->title, "Residual risk") == 0 ? "residual"
                                                       : "inherent";
  S_heat_legend(b, n, h);
}

/* Under each heat map, which risks each cell holds: the cells link here. */
void db_heat_cells(Builder *b, DocNode *parent, HeatMap *h, const char *which) {
  static const char *const headers[] = {"Cell", "Likelihood", "Impact", "Risks", NULL};
  DocNode *t = db_table(b, parent, arena_printf(b->a, "%s by cell", h->title), headers);
  for (int l = h->nlikelihood; l >= 1; l--) {
    for (int i = 1; i <= h->nimpact; i++) {
      const PtrVec *cell = &h->cells[l - 1][i - 1];
      if (!cell->len)
        continue;
      DocNode *row = db_row(b, t, arena_printf(b->a, "%s-%d-%d", which, l, i));
      /* No-break spaces: "5 × 4" must not wrap in a narrow column. */
      db_cell(b, row, arena_printf(b->a, "%d\u00a0×\u00a0%d = %d", l, i, l * i));
      db_cell(b, row, h->likelihood ? h->likelihood[l - 1] : "");
      db_cell(b, row, h->impact ? h->impact[i - 1] : "");
      db_record_links(b, db_cell(b, row, NULL), cell);
    }
  }
}

/* A likelihood or impact as its number (1..N), typed; empty when absent. */
static void S_scale_cell(Builder *b, DocNode *row, const Value *v) {
  if (!v || !v->ok) {
    db_cell(b, row, "");
    return;
  }
  char digits[XO_LONG_SIZE];
  DocNode *c = db_cell(b, row, arena_strdup(b->a, xo_format_long(digits, v->num)));
  c->numeric = true;
  c->value = (DocValue){.type = VALUE_NUMBER, .number = (double)v->num};
}

void doc_build_register(Builder *b, const Document *d) {
  DocNode *top = db_section(b, d->body, 1, d->title, NULL);
  HeatMap *inherent = db_heatmap(b, false), *residual = db_heatmap(b, true);
  DocNode *maps = db_section(b, top, 2, "Heat maps", "heatmaps");
  db_add_heatmap(b, maps, inherent);
  db_add_heatmap(b, maps, residual);
  db_heat_cells(b, maps, inherent, "inherent");
  db_heat_cells(b, maps, residual, "residual");

  /* Likelihood and impact, before and after treatment, each a typed number in its own
   * column: the labels are the fields' names, so `ismsc import risk` reads the register
   * (the XLSX as much as a table pasted from the HTML) back into the same records. */
  static const char *const rh[] = {"Risk",
                                   "Title",
                                   "Owner",
                                   "Assets",
                                   "Threat",
                                   "Vulnerability",
                                   "Likelihood",
                                   "Impact",
                                   "Inherent",
                                   "Option",
                                   "Treatments",
                                   "Residual likelihood",
                                   "Residual impact",
                                   "Residual",
                                   NULL};
  DocNode *rs = db_section(b, top, 2, "Risks", "register");
  DocNode *table = db_table(b, rs, "Risk register", rh);
  PtrVec risks = db_sorted(b, KIND_RISK);
  for (size_t i = 0; i < risks.len; i++) {
    const Record *r = risks.items[i];
    DocNode *row = db_row(b, table, r->id);
    db_cell(b, row, r->id);
    db_cell(b, row, db_title(r));
    db_cell(b, row, db_or(rec_str(r, RISK_OWNER), ""));
    db_ref_links(b, db_cell(b, row, NULL), rec_field(r, RISK_ASSETS));
    db_cell(b, row, db_or(rec_str(r, RISK_THREAT), ""));
    db_cell(b, row, db_or(rec_str(r, RISK_VULNERABILITY), ""));
    S_scale_cell(b, row, rec_field(r, RISK_LIKELIHOOD));
    S_scale_cell(b, row, rec_field(r, RISK_IMPACT));
    db_score_badge(b, db_cell(b, row, NULL), r->score, r->level);
    /* The option and the treatments that carry it out: the way on from a risk to its
     * controls (a reader arrives here from a heat-map cell). */
    db_cell(b, row, db_or(rec_enum(r, RISK_TREATMENT), ""));
    db_record_links(b, db_cell(b, row, NULL), rec_links(r, LINK_TREATMENTS));
    const Value *res = rec_field(r, RISK_RESIDUAL);
    S_scale_cell(b, row, res->ok ? &res->fields[RESIDUAL_LIKELIHOOD] : NULL);
    S_scale_cell(b, row, res->ok ? &res->fields[RESIDUAL_IMPACT] : NULL);
    db_score_badge(b, db_cell(b, row, NULL), r->residual_score, r->residual_level);
  }
  db_register_sheet(b, table, &risks); /* the XLSX's columns: doc_sheets.c */
  db_body_sections(b, rs, &risks);
  static const char *const ah[] = {"Asset",          "Title", "Owner", "Type",
                                   "Classification", "Risks", NULL};
  DocNode *as = db_section(b, top, 2, "Assets", "assets");
  DocNode *at = db_table(b, as, "Information assets", ah);
  db_assets_choices(b, at); /* the XLSX's value lists: doc_sheets.c */
  PtrVec assets = db_sorted(b, KIND_ASSET);
  for (size_t i = 0; i < assets.len; i++) {
    const Record *r = assets.items[i];
    DocNode *row = db_row(b, at, r->id);
    db_cell(b, row, r->id);
    db_cell(b, row, db_title(r));
    db_cell(b, row, db_or(rec_str(r, ASSET_OWNER), ""));
    db_cell(b, row, db_or(rec_enum(r, ASSET_TYPE), ""));
    db_cell(b, row, db_or(rec_str(r, ASSET_CLASSIFICATION), ""));
    db_record_links(b, db_cell(b, row, NULL), rec_links(r, LINK_RISKS));
  }
}
