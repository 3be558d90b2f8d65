/* doc_nonconformities.c - the nonconformity register (SPEC §3, nonconformities.html/.docx;
 * ISO/IEC 27001 10.2): each nonconformity with when it was raised, where from, its
 * severity, owner, root cause, corrective actions with their due dates and status, the
 * review of their effectiveness, and when it was closed.
 *
 * An action past its due date and neither done nor cancelled is flagged overdue in the
 * palette's tone, in its row and in the register's row of its nonconformity, so a reader
 * scanning the register sees which ones are late without opening each.
 */
#include <string.h>

#include "doc_build.h"

static bool S_action_overdue(Builder *b, const Value *f) {
  const char *status = f[ACTION_STATUS].ok ? f[ACTION_STATUS].str : NULL;
  bool closed = status && (strcmp(status, "done") == 0 || strcmp(status, "cancelled") == 0);
  return f[ACTION_DUE].ok && f[ACTION_DUE].date.days < b->m->today.days && !closed &&
         !f[ACTION_DONE].ok;
}

/* Corrective actions of a nonconformity that are overdue. */
size_t db_nc_overdue_actions(Builder *b, const Record *nc) {
  const Value *actions = rec_field(nc, NONCONFORMITY_ACTIONS);
  size_t n = 0;
  for (size_t i = 0; i < actions->count; i++)
    if (actions->items[i].fields && S_action_overdue(b, actions->items[i].fields))
      n++;
  return n;
}

/* "F-2026-1 of AUD-2026": the finding it records, linked to its row in the audit's report. */
static void S_finding(Builder *b, DocNode *cell, const Record *nc) {
  const Value *f = rec_field(nc, NONCONFORMITY_FINDING);
  if (!f->ok)
    return;
  const Record *finding = f->ref;
  if (!finding) {
    doc_text(b->a, cell, f->str ? f->str : "");
    return;
  }
  doc_link_record(b->a, cell, finding,
                  finding->parent ? arena_printf(b->a, "%s of %s", finding->id, finding->parent->id)
                                  : NULL);
}

static void S_effectiveness(Builder *b, DocNode *parent, const Record *nc) {
  const Value *e = rec_field(nc, NONCONFORMITY_EFFECTIVENESS);
  if (!e->ok)
    return;
  const Value *f = e->fields;
  DocNode *p = db_para(b, parent, "Effectiveness: ");
  bool effective = f[EFFECT_EFFECTIVE].ok && f[EFFECT_EFFECTIVE].num;
  db_badge(b, p, effective ? "effective" : "not effective", effective ? "met" : "missed",
           effective ? TONE_DONE : TONE_OVERDUE);
  doc_text(b->a, p,
           arena_printf(b->a, " reviewed by %s on %s%s%s", db_or(f[EFFECT_BY].str, "?"),
                        db_date(b, &f[EFFECT_DATE]), f[EFFECT_NOTE].ok ? ": " : "",
                        f[EFFECT_NOTE].ok ? f[EFFECT_NOTE].str : ""));
}

static void S_actions(Builder *b, DocNode *parent, const Record *nc) {
  const Value *actions = rec_field(nc, NONCONFORMITY_ACTIONS);
  if (!actions->count) {
    db_para(b, parent, "No corrective actions recorded.");
    return;
  }
  static const char *const ah[] = {"Action", "Owner", "Due", "Status", "Done", NULL};
  static const char *const sh[] = {"Action", "Owner", "Due", "Status", "Done", "Overdue", NULL};
  DocNode *t = db_table(b, parent, arena_printf(b->a, "Corrective actions of %s", nc->id), ah);
  /* the XLSX's columns: the status alone (its list of values) and whether it is overdue */
  DocNode *sheet = db_sheet(b, t, sh);
  db_choices(sheet, 3, treatment_statuses);
  db_choices(sheet, 5, db_booleans);
  for (size_t i = 0; i < actions->count; i++) {
    const Value *f = actions->items[i].fields;
    if (!f)
      continue;
    DocNode *row = db_row(b, t, NULL);
    bool overdue = S_action_overdue(b, f);
    if (overdue)
      row->cls = "overdue";
    db_cell(b, row, f[ACTION_ACTION].ok ? f[ACTION_ACTION].str : "");
    db_cell(b, row, f[ACTION_OWNER].ok ? f[ACTION_OWNER].str : "");
    db_date_cell(b, row, &f[ACTION_DUE]);
    db_status_badges(b, db_cell(b, row, NULL), f[ACTION_STATUS].ok ? f[ACTION_STATUS].str : NULL,
                     overdue);
    db_date_cell(b, row, &f[ACTION_DONE]);
    DocNode *srow = db_row(b, sheet, NULL);
    db_cell(b, srow, f[ACTION_ACTION].ok ? f[ACTION_ACTION].str : "");
    db_cell(b, srow, f[ACTION_OWNER].ok ? f[ACTION_OWNER].str : "");
    db_date_cell(b, srow, &f[ACTION_DUE]);
    DocNode *st = db_cell(b, srow, f[ACTION_STATUS].ok ? f[ACTION_STATUS].str : "");
    st->value.tone = f[ACTION_STATUS].ok ? db_status_tone(f[ACTION_STATUS].str) : TONE_NONE;
    db_date_cell(b, srow, &f[ACTION_DONE]);
    db_bool_cell(b, srow, true, overdue);
    if (overdue)
      srow->last->value.tone = TONE_OVERDUE;
  }
}

static void S_detail(Builder *b, DocNode *parent, const Record *nc) {
  DocNode *s = db_section(b, parent, 3, arena_printf(b->a, "%s %s", nc->id, db_title(nc)),
                          arena_printf(b->a, "about-%s", nc->id));
  if (rec_has(nc, NONCONFORMITY_CORRECTION))
    db_para(b, s, arena_printf(b->a, "Correction: %s", rec_str(nc, NONCONFORMITY_CORRECTION)));
  db_para(b, s,
          arena_printf(b->a, "Root cause: %s",
                       db_or(rec_str(nc, NONCONFORMITY_ROOT_CAUSE), "not yet analysed")));
  S_actions(b, s, nc);
  S_effectiveness(b, s, nc);
  if (nc->raw && nc->raw->body_text && nc->raw->body_len)
    db_markdown(b, s, nc);
}

void doc_build_nonconformities(Builder *b, const Document *d) {
  DocNode *top = db_section(b, d->body, 1, d->title, NULL);
  db_para(b, top,
          "Nonconformities and their corrective actions (10.2): where each came from, its root "
          "cause, what is being done and by when, and whether it worked.");
  static const char *const rh[] = {"Nonconformity", "Title",  "Raised",  "Source", "Severity",
                                   "Owner",         "Status", "Actions", "Closed", NULL};
  DocNode *rs = db_section(b, top, 2, "Register", "register");
  DocNode *t = db_table(b, rs, "Nonconformity register", rh);
  db_choices(t, 4, nc_severities);
  db_choices(t, 6, nc_statuses);
  PtrVec ncs = db_sorted(b, KIND_NONCONFORMITY);
  for (size_t i = 0; i < ncs.len; i++) {
    const Record *nc = ncs.items[i];
    size_t late = db_nc_overdue_actions(b, nc);
    DocNode *row = db_row(b, t, nc->id);
    if (late)
      row->cls = "overdue";
    db_cell(b, row, nc->id);
    db_cell(b, row, db_title(nc));
    db_date_cell(b, row, rec_field(nc, NONCONFORMITY_RAISED));
    DocNode *source = db_cell(b, row, db_or(rec_enum(nc, NONCONFORMITY_SOURCE), ""));
    if (rec_has(nc, NONCONFORMITY_FINDING)) {
      doc_text(b->a, source, ": ");
      S_finding(b, source, nc);
    }
    db_cell(b, row, db_or(rec_enum(nc, NONCONFORMITY_SEVERITY), ""));
    db_cell(b, row, db_or(rec_str(nc, NONCONFORMITY_OWNER), ""));
    db_status_badges(b, db_cell(b, row, NULL), rec_enum(nc, NONCONFORMITY_STATUS), false);
    size_t nactions = rec_field(nc, NONCONFORMITY_ACTIONS)->count;
    DocNode *actions = db_cell(b, row, arena_printf(b->a, "%zu", nactions));
    actions->numeric = true;
    actions->value = (DocValue){.type = VALUE_NUMBER, .number = (double)nactions};
    if (late) { /* the separator only before a badge: a count cell holds just its number */
      doc_text(b->a, actions, " ");
      db_badge(b, actions, arena_printf(b->a, "%zu overdue", late), "overdue", TONE_OVERDUE);
    }
    db_date_cell(b, row, rec_field(nc, NONCONFORMITY_CLOSED));
  }
  if (!ncs.len)
    db_para(b, rs, "No nonconformities are recorded (nonconformities/).");
  for (size_t i = 0; i < ncs.len; i++)
    S_detail(b, rs, ncs.items[i]);
  static const Kind kinds[] = {KIND_NONCONFORMITY};
  db_silenced_appendix(b, top, kinds, 1);
}
