/* compare.c - records compared by their bound values; see compare.h.
 *
 * Bodies are compared section by section: a section is an ATX heading (`#`…`######` at the
 * start of a line, outside fenced code) and the text up to the next heading, and the text
 * before the first heading is the introduction. So a message can say "body section 'Access
 * reviews'" instead of a line diff, which is what a reviewer of a policy wants to read.
 */
#include "compare.h"

#include <stdio.h>
#include <string.h>

enum { MAX_VALUE_TEXT = 80 };

/* ---------------------------------------------------------------- values */

static bool S_items_equal(const FieldSpec *spec, const Value *a, const Value *b) {
  if (a->count != b->count)
    return false;
  for (size_t i = 0; i < a->count; i++) {
    const Value *x = &a->items[i], *y = &b->items[i];
    if (spec->type == FT_RECORD_LIST) { /* nested records: the same ids and content */
      const Record *rx = x->ref, *ry = y->ref;
      if (!rx || !ry) {
        if (rx != ry)
          return false;
        continue;
      }
      if (strcmp(rx->id ? rx->id : "", ry->id ? ry->id : "") || !record_content_equal(rx, ry))
        return false;
      continue;
    }
    if (spec->type == FT_NAMED_MAP && strcmp(x->str ? x->str : "", y->str ? y->str : "") != 0)
      return false;
    if (spec->type == FT_MAP_LIST || spec->type == FT_NAMED_MAP) {
      for (size_t f = 0; f < spec->sub->count; f++) {
        const Value *fx = x->fields ? &x->fields[f] : NULL, *fy = y->fields ? &y->fields[f] : NULL;
        if (!fx || !fy) {
          if (fx != fy)
            return false;
          continue;
        }
        if (!value_equal(&spec->sub->fields[f], fx, fy))
          return false;
      }
    } else if (x->ok != y->ok || (x->ok && strcmp(x->str ? x->str : "", y->str ? y->str : "")))
      return false;
  }
  return true;
}

bool value_equal(const FieldSpec *spec, const Value *a, const Value *b) {
  if (!a->ok || !b->ok)
    return a->ok == b->ok;
  switch (spec->type) {
  case FT_DATE: return a->date.days == b->date.days;
  case FT_BOOL:
  case FT_INT:
  case FT_SCALE: return a->num == b->num;
  case FT_NUMBER: return a->real == b->real;
  case FT_ENUM:
  case FT_REF:
  case FT_ID:
  case FT_STRING:
  case FT_TEXT:
  case FT_CLASSIFICATION: return strcmp(a->str ? a->str : "", b->str ? b->str : "") == 0;
  case FT_STRING_LIST:
  case FT_ENUM_LIST:
  case FT_REF_LIST:
  case FT_RECORD_LIST:
  case FT_NAMED_MAP:
  case FT_MAP_LIST: return S_items_equal(spec, a, b);
  case FT_MAP:
    for (size_t f = 0; f < spec->sub->count; f++)
      if (!value_equal(&spec->sub->fields[f], &a->fields[f], &b->fields[f]))
        return false;
    return true;
  case FT_SEVERITY_MAP: return a->node == b->node;
  }
  return true;
}

/* Appends s to buf (size MAX_VALUE_TEXT + room), cutting with "…". */
static void S_append(char *buf, size_t size, const char *s) {
  size_t n = strlen(buf);
  if (n >= MAX_VALUE_TEXT)
    return;
  snprintf(buf + n, size - n, "%s", s);
  if (strlen(buf) > MAX_VALUE_TEXT) {
    size_t cut = MAX_VALUE_TEXT;
    while (cut > 0 && ((unsigned char)buf[cut] & 0xC0) == 0x80)
      cut--; /* not inside a UTF-8 sequence */
    strcpy(buf + cut, "…");
  }
}

static void S_value_into(char *buf, size_t size, const FieldSpec *spec, const Value *v);

static void S_map_into(char *buf, size_t size, const FieldTable *t, const Value *fields) {
  S_append(buf, size, "{");
  bool first = true;
  for (size_t f = 0; fields && f < t->count; f++) {
    if (!fields[f].ok)
      continue;
    S_append(buf, size, first ? "" : ", ");
    S_append(buf, size, t->fields[f].name);
    S_append(buf, size, ": ");
    S_value_into(buf, size, &t->fields[f], &fields[f]);
    first = false;
  }
  S_append(buf, size, "}");
}

static void S_value_into(char *buf, size_t size, const FieldSpec *spec, const Value *v) {
  char num[32];
  switch (spec->type) {
  case FT_DATE:
    date_format(&v->date, num);
    S_append(buf, size, num);
    return;
  case FT_BOOL: S_append(buf, size, v->num ? "true" : "false"); return;
  case FT_INT:
  case FT_SCALE:
    snprintf(num, sizeof num, "%ld", v->num);
    S_append(buf, size, num);
    return;
  case FT_NUMBER:
    if (v->str) {
      S_append(buf, size, v->str); /* as written */
      return;
    }
    snprintf(num, sizeof num, "%g", v->real);
    S_append(buf, size, num);
    return;
  case FT_STRING_LIST:
  case FT_ENUM_LIST:
  case FT_REF_LIST:
  case FT_RECORD_LIST:
  case FT_NAMED_MAP:
  case FT_MAP_LIST:
    S_append(buf, size, "[");
    for (size_t i = 0; i < v->count; i++) {
      const Value *item = &v->items[i];
      S_append(buf, size, i ? ", " : "");
      if (spec->type == FT_RECORD_LIST) {
        S_append(buf, size, item->ref && item->ref->id ? item->ref->id : "?");
        continue;
      }
      if (spec->type == FT_NAMED_MAP) {
        S_append(buf, size, item->str ? item->str : "");
        S_append(buf, size, ": ");
      }
      if (spec->type == FT_MAP_LIST || spec->type == FT_NAMED_MAP)
        S_map_into(buf, size, spec->sub, item->fields);
      else
        S_append(buf, size, item->str ? item->str : "");
    }
    S_append(buf, size, "]");
    return;
  case FT_MAP: S_map_into(buf, size, spec->sub, v->fields); return;
  case FT_SEVERITY_MAP: S_append(buf, size, "{…}"); return;
  default: break;
  }
  /* Text: one line, its line breaks shown as spaces. */
  char line[MAX_VALUE_TEXT + 8];
  size_t n = 0;
  for (const char *p = v->str ? v->str : ""; *p && n < sizeof line - 1; p++)
    line[n++] = *p == '\n' || *p == '\r' || *p == '\t' ? ' ' : *p;
  line[n] = '\0';
  S_append(buf, size, line);
}

const char *value_text(Arena *a, const FieldSpec *spec, const Value *v) {
  if (!v->ok)
    return NULL;
  char buf[MAX_VALUE_TEXT + 16] = "";
  S_value_into(buf, sizeof buf, spec, v);
  return arena_strdup(a, buf);
}

bool field_is_content(Kind k, size_t field) {
  const KindSpec *spec = kind_spec(k);
  int f = (int)field;
  if (f == spec->kind_field || f == spec->ignore_field || f == spec->body_field)
    return false; /* the body is compared by sections, not as a field */
  switch (k) {
  case KIND_POLICY:
    return field != POLICY_VERSION && field != POLICY_APPROVED && field != POLICY_STATUS;
  case KIND_SCOPE: return field != SCOPE_VERSION && field != SCOPE_APPROVED;
  default: return true;
  }
}

/* ---------------------------------------------------------------- body sections */

typedef struct Section {
  const char *title; /* "" before the first heading */
  const char *text;
  size_t len;
  size_t offset; /* of the heading in the body */
} Section;

/* An ATX heading's title, or NULL when the line is not one. */
static const char *S_heading(Arena *a, const char *line, const char *end) {
  const char *p = line;
  while (p < end && p - line < 3 && *p == ' ')
    p++;
  const char *hashes = p;
  while (p < end && *p == '#')
    p++;
  size_t level = (size_t)(p - hashes);
  if (level < 1 || level > 6 || (p < end && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r'))
    return NULL;
  while (p < end && (*p == ' ' || *p == '\t'))
    p++;
  const char *q = end;
  while (q > p && (q[-1] == '\n' || q[-1] == '\r' || q[-1] == ' ' || q[-1] == '#'))
    q--;
  return arena_strndup(a, p, (size_t)(q - p));
}

static bool S_is_fence(const char *line, const char *end) {
  const char *p = line;
  while (p < end && p - line < 3 && *p == ' ')
    p++;
  return end - p >= 3 && (memcmp(p, "```", 3) == 0 || memcmp(p, "~~~", 3) == 0);
}

static size_t S_sections(Arena *a, const char *body, size_t len, Section **out) {
  size_t n = 1, cap = 8;
  Section *s = arena_alloc(a, cap * sizeof *s);
  s[0] = (Section){"", body ? body : "", 0, 0};
  bool fenced = false;
  const char *end = body ? body + len : NULL;
  for (const char *line = body; line && line < end;) {
    const char *nl = memchr(line, '\n', (size_t)(end - line));
    const char *next = nl ? nl + 1 : end;
    const char *title = NULL;
    if (S_is_fence(line, next))
      fenced = !fenced;
    else if (!fenced)
      title = S_heading(a, line, next);
    if (title) {
      if (n == cap) {
        Section *grown = arena_alloc(a, 2 * cap * sizeof *grown);
        memcpy(grown, s, n * sizeof *s);
        s = grown;
        cap *= 2;
      }
      s[n++] = (Section){title, next, 0, (size_t)(line - body)};
    } else {
      s[n - 1].len += (size_t)(next - line);
    }
    line = next;
  }
  *out = s;
  return n;
}

/* Text equal but for trailing white space at the end of the section. */
static bool S_text_equal(const char *a, size_t na, const char *b, size_t nb) {
  while (na && (a[na - 1] == '\n' || a[na - 1] == '\r' || a[na - 1] == ' '))
    na--;
  while (nb && (b[nb - 1] == '\n' || b[nb - 1] == '\r' || b[nb - 1] == ' '))
    nb--;
  return na == nb && memcmp(a, b, na) == 0;
}

static Loc S_body_loc(const Record *r, size_t offset) {
  const RawRecord *raw = r->raw;
  Loc loc = raw->body_loc;
  if (raw->body || !raw->body_text)
    return loc.file ? loc : r->loc; /* a YAML `body`: its first line */
  for (size_t i = 0; i < offset; i++)
    if (raw->body_text[i] == '\n')
      loc.line++;
  loc.col = 1;
  return loc;
}

/* offset: where in the new body the change is; (size_t)-1 when it is not there (removed). */
static void S_push_section(Arena *a, PtrVec *out, const char *title, const Record *cur,
                           size_t offset, const char *old_text, const char *new_text) {
  Change *c = arena_alloc(a, sizeof *c);
  c->section = title;
  c->old_text = old_text;
  c->new_text = new_text;
  c->loc =
      offset != (size_t)-1 ? S_body_loc(cur, offset) : (cur->raw ? S_body_loc(cur, 0) : cur->loc);
  ptrvec_push(a, out, c);
}

/* The first line of text from p that is not blank, as a short excerpt; NULL at the end. */
static const char *S_excerpt(Arena *a, const char *p, const char *end) {
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *stop = nl ? nl : end;
    const char *q = p;
    while (q < stop && (*q == ' ' || *q == '\t' || *q == '\r'))
      q++;
    if (q < stop) {
      Value v = {.ok = true, .str = arena_strndup(a, q, (size_t)(stop - q))};
      static const FieldSpec text = {.name = "", .type = FT_TEXT};
      return value_text(a, &text, &v);
    }
    p = stop + (nl ? 1 : 0);
  }
  return NULL;
}

/* The first line where two section texts differ, from each side. */
static size_t S_first_difference(Arena *a, const Section *o, const Section *c, const char **ot,
                                 const char **ct) {
  const char *p = o->text, *pe = o->text + o->len, *q = c->text, *qe = c->text + c->len;
  while (p < pe && q < qe) {
    const char *pn = memchr(p, '\n', (size_t)(pe - p)), *qn = memchr(q, '\n', (size_t)(qe - q));
    size_t pl = (size_t)((pn ? pn : pe) - p), ql = (size_t)((qn ? qn : qe) - q);
    if (pl != ql || memcmp(p, q, pl) != 0)
      break;
    p += pl + (pn ? 1 : 0);
    q += ql + (qn ? 1 : 0);
  }
  *ot = S_excerpt(a, p, pe);
  *ct = S_excerpt(a, q, qe);
  if (!*ot && !*ct)
    *ot = *ct = "(white space)";
  while (q < qe && (*q == '\n' || *q == '\r'))
    q++; /* to the changed line itself, past blank lines */
  return (size_t)(q - c->text);
}

static void S_body_changes(Arena *a, const Record *old, const Record *cur, PtrVec *out) {
  const RawRecord *ro = old->raw, *rc = cur->raw;
  const char *bo = ro ? ro->body_text : NULL, *bc = rc ? rc->body_text : NULL;
  size_t lo = bo ? ro->body_len : 0, lc = bc ? rc->body_len : 0;
  if (S_text_equal(bo ? bo : "", lo, bc ? bc : "", lc))
    return;
  Section *so, *sc;
  size_t no = S_sections(a, bo, lo, &so), nc = S_sections(a, bc, lc, &sc);
  for (size_t i = 0; i < nc; i++) {
    const Section *match = NULL;
    for (size_t j = 0; j < no && !match; j++)
      if (strcmp(so[j].title, sc[i].title) == 0)
        match = &so[j];
    if (!match) {
      const char *first = S_excerpt(a, sc[i].text, sc[i].text + sc[i].len);
      S_push_section(a, out, sc[i].title, cur, sc[i].offset, NULL, first ? first : "(empty)");
    } else if (!S_text_equal(match->text, match->len, sc[i].text, sc[i].len)) {
      const char *ot, *ct;
      size_t at = S_first_difference(a, match, &sc[i], &ot, &ct);
      size_t offset = bc ? (size_t)(sc[i].text - bc) + at : (size_t)-1;
      S_push_section(a, out, sc[i].title, cur, offset, ot ? ot : "(nothing)",
                     ct ? ct : "(nothing)");
    }
  }
  for (size_t j = 0; j < no; j++) {
    bool found = false;
    for (size_t i = 0; i < nc && !found; i++)
      found = strcmp(so[j].title, sc[i].title) == 0;
    if (!found) {
      const char *first = S_excerpt(a, so[j].text, so[j].text + so[j].len);
      S_push_section(a, out, so[j].title, cur, (size_t)-1, first ? first : "(empty)", NULL);
    }
  }
}

/* ---------------------------------------------------------------- records */

static void S_field_changes(Arena *a, const FieldSpec *spec, const char *prefix, const Value *o,
                            const Value *c, const Record *cur, PtrVec *out) {
  if (value_equal(spec, o, c))
    return;
  const char *name = prefix ? arena_printf(a, "%s.%s", prefix, spec->name) : spec->name;
  if (spec->type == FT_MAP && o->ok && c->ok) {
    for (size_t f = 0; f < spec->sub->count; f++)
      S_field_changes(a, &spec->sub->fields[f], name, &o->fields[f], &c->fields[f], cur, out);
    return;
  }
  Change *ch = arena_alloc(a, sizeof *ch);
  ch->field = name;
  ch->old_text = value_text(a, spec, o);
  ch->new_text = value_text(a, spec, c);
  ch->loc = c->ok && c->node ? c->node->loc : cur->loc;
  ptrvec_push(a, out, ch);
}

void record_changes(Arena *a, const Record *old, const Record *cur, bool content_only,
                    PtrVec *out) {
  const FieldTable *t = schema_table(cur->kind);
  int body = kind_spec(cur->kind)->body_field;
  for (size_t f = 0; f < t->count; f++) {
    if ((int)f == body || (content_only && !field_is_content(cur->kind, f)))
      continue;
    S_field_changes(a, &t->fields[f], NULL, &old->fields[f], &cur->fields[f], cur, out);
  }
  S_body_changes(a, old, cur, out);
}

bool record_content_equal(const Record *old, const Record *cur) {
  const FieldTable *t = schema_table(cur->kind);
  for (size_t f = 0; f < t->count; f++)
    if (field_is_content(cur->kind, f) &&
        !value_equal(&t->fields[f], &old->fields[f], &cur->fields[f]))
      return false;
  const RawRecord *ro = old->raw, *rc = cur->raw;
  const char *bo = ro && ro->body_text ? ro->body_text : "",
             *bc = rc && rc->body_text ? rc->body_text : "";
  return S_text_equal(bo, ro && ro->body_text ? ro->body_len : 0, bc,
                      rc && rc->body_text ? rc->body_len : 0);
}

/* "'a'", "'a' and 'b'", "'a', 'b' and 'c'" */
static const char *S_join_quoted(Arena *a, const char *const *words, size_t n, const char *q) {
  const char *s = "";
  for (size_t i = 0; i < n; i++)
    s = arena_printf(a, "%s%s%s%s%s", s, i == 0 ? "" : i + 1 == n ? " and " : ", ", q, words[i], q);
  return s;
}

const char *changes_summary(Arena *a, const PtrVec *changes) {
  const char **fields = arena_alloc(a, (changes->len + 1) * sizeof *fields);
  const char **sections = arena_alloc(a, (changes->len + 1) * sizeof *sections);
  size_t nf = 0, ns = 0;
  for (size_t i = 0; i < changes->len; i++) {
    const Change *c = changes->items[i];
    if (c->field)
      fields[nf++] = c->field;
    else
      sections[ns++] = c->section[0] ? c->section : "(introduction)";
  }
  const char *f =
      nf ? arena_printf(a, "field%s %s", nf > 1 ? "s" : "", S_join_quoted(a, fields, nf, "`")) : "";
  const char *s = ns ? arena_printf(a, "body section%s %s", ns > 1 ? "s" : "",
                                    S_join_quoted(a, sections, ns, "'"))
                     : "";
  return arena_printf(a, "%s%s%s", f, nf && ns ? "; " : "", s);
}
