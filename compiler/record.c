/* record.c - reading a bound record (model.h): a field's place in the source, its title,
 * what it ignores; and the model's scope. Binding, which makes records, is model.c. */

#include "model.h"

Loc rec_loc(const Record *r, int field) {
  const Value *v = &r->fields[field];
  return v->node ? v->node->loc : r->loc;
}

const char *rec_enum(const Record *r, int field) { return rec_str(r, field); }

const Record *model_scope(const Model *m) {
  return m->by_kind[KIND_SCOPE].len ? m->by_kind[KIND_SCOPE].items[0] : NULL;
}

const Value *rec_ignores(const Record *r) {
  static const Value none;
  int f = kind_spec(r->kind)->ignore_field;
  return f >= 0 ? rec_field(r, f) : &none;
}

const char *rec_title(const Record *r) {
  const KindSpec *ks = kind_spec(r->kind);
  if (ks->title_field >= 0 && rec_has(r, ks->title_field))
    return rec_str(r, ks->title_field);
  if (r->title_line) /* no title: its fallback field's first line, made when bound */
    return r->title_line;
  int d = ks->derived ? schema_field(ks->derived, "title") : -1;
  return d >= 0 && r->derived[d].ok ? r->derived[d].str : NULL;
}
