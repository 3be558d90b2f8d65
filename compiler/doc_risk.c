/* doc_risk.c - the risk documents: the Risk Treatment Plan, the risk register with its heat
 * maps, and the traceability matrix (risk -> treatment -> control -> policy).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "doc_build.h"

static int S_compare_risk_scores(const void *pa, const void *pb) {
  const Record *a = *(const Record *const *)pa, *b = *(const Record *const *)pb;
  if (a->score != b->score)
    return a->score > b->score ? -1 : 1;
  return strverscmp(a->id, b->id);
}

bool db_overdue(Builder *b, const Record *t) {
  const Value *due = rec_field(t, TREATMENT_DUE);
  const char *status = rec_enum(t, TREATMENT_STATUS);
  bool closed = status && (strcmp(status, "done") == 0 || strcmp(status, "cancelled") == 0);
  return due->ok && due->date.days < b->m->today.days && !closed;
}

static void S_acceptance(Builder *b, DocNode *cell, const Record *r) {
  const Value *acc = rec_field(r, RISK_ACCEPTANCE);
  if (!acc->ok)
    return;
  const Value *f = acc->fields;
  doc_text(b->a, cell,
           arena_printf(b->a, "%s, %s", db_or(f[ACCEPTANCE_BY].str, "?"),
                        db_date(b, &f[ACCEPTANCE_DATE])));
  if (f[ACCEPTANCE_RATIONALE].ok)
    doc_text(b->a, cell, arena_printf(b->a, ": %s", f[ACCEPTANCE_RATIONALE].str));
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

void doc_build_rtp(Builder *b, const Document *d) {
  DocNode *top = db_section(b, d->body, 1, d->title, NULL);
  db_para(b, top,
          "Risks in order of inherent score, how each is treated, what is left, and who "
          "accepted it.");
  PtrVec risks = db_sorted(b, KIND_RISK);
  if (risks.len)
    qsort(risks.items, risks.len, sizeof *risks.items, S_compare_risk_scores);
  static const char *const rh[] = {"Risk",       "Owner",    "Assets",     "Inherent", "Treatment",
                                   "Treatments", "Residual", "Acceptance", NULL};
  DocNode *rs = db_section(b, top, 2, "Risks by inherent score", "risks");
  DocNode *table = db_table(b, rs, "Risks and their treatment", rh);
  for (size_t i = 0; i < risks.len; i++) {
    const Record *r = risks.items[i];
    DocNode *row = db_row(b, table, NULL);
    doc_link_record(b->a, db_cell(b, row, NULL), r,
                    arena_printf(b->a, "%s %s", r->id, db_title(r)));
    db_cell(b, row, db_or(rec_str(r, RISK_OWNER), ""));
    db_ref_links(b, db_cell(b, row, NULL), rec_field(r, RISK_ASSETS));
    db_score_badge(b, db_cell(b, row, NULL), r->score, r->level);
    db_cell(b, row, db_or(rec_enum(r, RISK_TREATMENT), ""));
    db_record_links(b, db_cell(b, row, NULL), rec_links(r, LINK_TREATMENTS));
    db_score_badge(b, db_cell(b, row, NULL), r->residual_score, r->residual_level);
    S_acceptance(b, db_cell(b, row, NULL), r);
  }
  db_rtp_sheet(b, table, &risks); /* the XLSX's columns: doc_sheets.c */
  static const char *const th[] = {"Treatment", "Title", "Risks",  "Controls",
                                   "Owner",     "Due",   "Status", NULL};
  DocNode *ts = db_section(b, top, 2, "Treatments", "treatments");
  DocNode *tt = db_table(b, ts, "Treatment actions", th);
  PtrVec treatments = db_sorted(b, KIND_TREATMENT);
  for (size_t i = 0; i < treatments.len; i++) {
    const Record *t = treatments.items[i];
    DocNode *row = db_row(b, tt, t->id);
    if (db_overdue(b, t))
      row->cls = "overdue";
    db_cell(b, row, t->id);
    db_cell(b, row, db_title(t));
    db_ref_links(b, db_cell(b, row, NULL), rec_field(t, TREATMENT_RISKS));
    db_ref_links(b, db_cell(b, row, NULL), rec_field(t, TREATMENT_CONTROLS));
    db_cell(b, row, db_or(rec_str(t, TREATMENT_OWNER), ""));
    db_date_cell(b, row, rec_field(t, TREATMENT_DUE));
    db_treatment_status(b, db_cell(b, row, NULL), t);
  }
  db_treatments_sheet(b, tt, &treatments); /* the XLSX's columns: doc_sheets.c */
  db_body_sections(b, ts, &treatments);
  static const Kind kinds[] = {KIND_RISK, KIND_TREATMENT};
  db_silenced_appendix(b, top, kinds, 2);
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
  DocNode *c = db_cell(b, row, arena_printf(b->a, "%ld", v->num));
  c->numeric = true;
  c->value = (DocValue){VALUE_NUMBER, (double)v->num, {0}, TONE_NONE};
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

/* What every row of a control shows: its label ("A.5.1 Policies for information security")
 * and links to its policies (19 on average on the bench tree). The matrix repeats them on
 * every row of the control (tens of thousands of rows, most of its nodes, on a large tree),
 * so they are made once per control, in a holder node kept in `made`: each row's policies
 * cell shares the holder's children (see DocNode in doc.h) and gets nothing added. */
static const DocNode *S_control_parts(Builder *b, HashMap *made, const Record *ctl) {
  DocNode *parts = hashmap_get(made, ctl->id);
  if (!parts) {
    parts = doc_new(b->a, DOC_CELL);
    parts->text = arena_printf(b->a, "%s %s", ctl->id, db_title(ctl));
    db_record_links(b, parts, rec_links(ctl, LINK_COVERED_BY));
    hashmap_put(b->a, made, ctl->id, parts);
  }
  return parts;
}

void doc_build_trace(Builder *b, const Document *d) {
  DocNode *top = db_section(b, d->body, 1, d->title, NULL);
  db_para(b, top,
          "Each risk, the treatments that act on it, the controls they select, and the "
          "policies that cover those controls.");
  static const char *const headers[] = {"Risk", "Treatment", "Control", "Policies", NULL};
  DocNode *table = db_table(b, top, "Risk, treatment, control and policy", headers);
  PtrVec risks = db_sorted(b, KIND_RISK);
  HashMap made; /* per control: S_control_parts */
  hashmap_init(&made);
  for (size_t i = 0; i < risks.len; i++) {
    const Record *r = risks.items[i];
    const char *label = arena_printf(b->a, "%s %s", r->id, db_title(r)); /* on each of its rows */
    bool any = false;
    for (size_t t = 0; t < rec_links(r, LINK_TREATMENTS)->len; t++) {
      const Record *tr = rec_links(r, LINK_TREATMENTS)->items[t];
      const Value *controls = rec_field(tr, TREATMENT_CONTROLS);
      for (size_t c = 0; c < controls->count || (c == 0 && !controls->count); c++) {
        const Record *ctl = controls->count ? controls->items[c].ref : NULL;
        if (controls->count && !ctl)
          continue;
        const DocNode *parts = ctl ? S_control_parts(b, &made, ctl) : NULL;
        DocNode *row = db_row(b, table, NULL);
        doc_link_record(b->a, db_cell(b, row, NULL), r, label);
        doc_link_record(b->a, db_cell(b, row, NULL), tr, NULL);
        DocNode *cc = db_cell(b, row, NULL);
        if (ctl)
          doc_link_record(b->a, cc, ctl, parts->text);
        DocNode *pc = db_cell(b, row, NULL);
        if (parts) {
          pc->first = parts->first;
          pc->last = parts->last;
        }
        any = true;
      }
    }
    if (!any) {
      DocNode *row = db_row(b, table, NULL);
      doc_link_record(b->a, db_cell(b, row, NULL), r, label);
      db_cell(b, row, db_or(rec_enum(r, RISK_TREATMENT), ""));
      db_cell(b, row, "");
      db_cell(b, row, "");
    }
  }
}
