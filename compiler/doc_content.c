/* doc_content.c - a generated document's content and how it changed since a commit; see
 * doc_content.h.
 *
 * What must stay true: the content of a part is written once, in S_contents, by the
 * records and manifest fields its builder reads; a file that is byte for byte what it was at
 * the commit is never loaded; records are matched by id, not by file, so a record moved to
 * another file is not "removed and added"; the phrase lists records in a fixed order (the
 * model's, then the past tree's), never in hash order.
 */
#include "doc_content.h"

#include <string.h>

#include "compare.h"

#define KINDS_OF(...) .kinds = {__VA_ARGS__}, .nkinds = sizeof((Kind[]){__VA_ARGS__}) / sizeof(Kind)
#define FIELDS_OF(...)                                                                             \
  .manifest = {__VA_ARGS__}, .nmanifest = sizeof((int[]){__VA_ARGS__}) / sizeof(int)

static const DocContent S_contents[] = {
    {"soa", KINDS_OF(KIND_CONTROL), FIELDS_OF(MANIFEST_CATALOG)},
    {"rtp", KINDS_OF(KIND_RISK, KIND_TREATMENT), FIELDS_OF(MANIFEST_RISK)},
    {"risks", KINDS_OF(KIND_RISK, KIND_ASSET), FIELDS_OF(MANIFEST_RISK)},
    {"method", .nkinds = 0, FIELDS_OF(MANIFEST_RISK)},
    {"trace", KINDS_OF(KIND_RISK, KIND_TREATMENT, KIND_CONTROL, KIND_POLICY),
     FIELDS_OF(MANIFEST_CATALOG)},
    {"objectives", KINDS_OF(KIND_OBJECTIVE, KIND_METRIC), .nmanifest = 0},
    {"audits", KINDS_OF(KIND_AUDIT), FIELDS_OF(MANIFEST_AUDIT)},
    {"nonconformities", KINDS_OF(KIND_NONCONFORMITY), .nmanifest = 0},
    {"review-pack",
     KINDS_OF(KIND_REVIEW, KIND_OBJECTIVE, KIND_METRIC, KIND_AUDIT, KIND_NONCONFORMITY, KIND_RISK,
              KIND_TREATMENT),
     .nmanifest = 0},
};

/* Anything else may show anything: every kind of the tree and the manifest's settings. */
static const DocContent S_everything = {
    NULL,
    KINDS_OF(KIND_SCOPE, KIND_ASSET, KIND_RISK, KIND_TREATMENT, KIND_CONTROL, KIND_POLICY,
             KIND_OBJECTIVE, KIND_METRIC, KIND_AUDIT, KIND_NONCONFORMITY, KIND_REVIEW),
    FIELDS_OF(MANIFEST_ORGANISATION, MANIFEST_TITLE, MANIFEST_CATALOG, MANIFEST_POLICY,
              MANIFEST_RISK, MANIFEST_REVIEW, MANIFEST_AUDIT)};

const DocContent *doc_content(const char *part) {
  for (size_t i = 0; i < sizeof S_contents / sizeof S_contents[0]; i++)
    if (strcmp(S_contents[i].part, part) == 0)
      return &S_contents[i];
  return &S_everything;
}

static bool S_shows(const DocContent *c, Kind k) {
  for (size_t i = 0; i < c->nkinds; i++)
    if (c->kinds[i] == k)
      return true;
  return false;
}

/* A record the content holds: from the tree, not nested (its parent holds it), with an id. */
static bool S_counts(const DocContent *c, const Record *r) {
  return r->raw && r->id && !r->parent && !r->synthetic && S_shows(c, r->kind);
}

/* The content's records as of commit k, in the files that changed since or are gone. */
typedef struct Past {
  PtrVec records; /* Record *, in load order */
  HashMap by_id;  /* id -> Record * */
  HashMap files;  /* path -> (void *)1: a file of the tree now */
} Past;

static void S_add_past(Arena *a, const DocContent *c, Past *p, const PtrVec *records) {
  for (size_t i = 0; records && i < records->len; i++) {
    Record *r = records->items[i];
    if (S_counts(c, r) && !hashmap_get(&p->by_id, r->id)) {
      hashmap_put(a, &p->by_id, r->id, r);
      ptrvec_push(a, &p->records, r);
    }
  }
}

/* Loads the past version of every file of the content that differs from what it is now;
 * PtrVec changed gets the current records of those files. */
static void S_read_changed_files(History *h, const Model *m, const DocContent *c, size_t k, Past *p,
                                 PtrVec *changed) {
  HashMap same;
  hashmap_init(&same);
  for (size_t i = 0; i < c->nkinds; i++) {
    const PtrVec *list = &m->by_kind[c->kinds[i]];
    for (size_t j = 0; j < list->len; j++) {
      const Record *r = list->items[j];
      if (!S_counts(c, r))
        continue;
      const SourceFile *f = r->raw->file;
      void *seen = hashmap_get(&same, f->path);
      if (!seen) {
        git_oid blob;
        size_t since;
        const char *then;
        bool unchanged = history_version_at(h, f->path, k, &blob, &since, &then) &&
                         strcmp(then, f->path) == 0 && history_file_is_blob(h, f, &blob);
        seen = unchanged ? (void *)"same" : (void *)"changed";
        hashmap_put(m->arena, &same, f->path, seen);
        hashmap_put(m->arena, &p->files, f->path, (void *)1);
        if (!unchanged)
          S_add_past(m->arena, c, p, history_records_at(h, f->path, k));
      }
      if (strcmp(seen, "changed") == 0)
        ptrvec_push(m->arena, changed, (void *)r);
    }
  }
}

/* Files of the kinds' folders at commit k that the tree no longer has: removed or renamed. */
static void S_read_gone_files(History *h, const Model *m, const DocContent *c, size_t k, Past *p) {
  for (size_t i = 0; i < c->nkinds; i++) {
    const char *folder = kind_spec(c->kinds[i])->folder;
    if (!folder)
      continue;
    PtrVec files = {0};
    history_files_at(h, k, folder, &files);
    for (size_t j = 0; j < files.len; j++)
      if (!hashmap_get(&p->files, files.items[j]))
        S_add_past(m->arena, c, p, history_records_at(h, files.items[j], k));
  }
}

/* "control A.5.1 changed", "controls A.5.1, A.5.2 and A.8.1 added", "... and 4 more": the
 * records of kind k in recs, or "" when there are none. */
static const char *S_records(Arena *a, const PtrVec *recs, Kind k, const char *verb) {
  enum { SHOWN = 5 };
  PtrVec ids = {0};
  for (size_t i = 0; i < recs->len; i++)
    if (((const Record *)recs->items[i])->kind == k)
      ptrvec_push(a, &ids, (void *)((const Record *)recs->items[i])->id);
  if (!ids.len)
    return "";
  const char *list = "";
  size_t shown = ids.len > SHOWN + 1 ? SHOWN : ids.len;
  for (size_t i = 0; i < shown; i++) {
    const char *sep = i == 0 ? "" : (i + 1 == shown && shown == ids.len) ? " and " : ", ";
    list = arena_printf(a, "%s%s%s", list, sep, (const char *)ids.items[i]);
  }
  if (shown < ids.len)
    list = arena_printf(a, "%s and %zu more", list, ids.len - shown);
  const KindSpec *ks = kind_spec(k);
  return arena_printf(a, "%s %s %s", ids.len > 1 ? ks->plural : ks->name, list, verb);
}

static const char *S_join(Arena *a, const char *text, const char *part) {
  if (!part[0])
    return text;
  return text[0] ? arena_printf(a, "%s; %s", text, part) : part;
}

/* The manifest fields of c that differ from commit k's isms.yaml. */
static const char *S_manifest_changes(History *h, const Model *m, const DocContent *c, size_t k) {
  if (!c->nmanifest || !m->manifest)
    return "";
  const char *path = m->tree && m->tree->manifest_file ? m->tree->manifest_file->path : "isms.yaml";
  const Record *old = history_manifest_at(h, path, k);
  const FieldTable *t = schema_table(KIND_MANIFEST);
  const char *fields = "";
  for (size_t i = 0; i < c->nmanifest; i++) {
    const FieldSpec *spec = &t->fields[c->manifest[i]];
    const Value *now = rec_field(m->manifest, c->manifest[i]);
    if (old && value_equal(spec, rec_field(old, c->manifest[i]), now))
      continue;
    if (!old && !now->ok)
      continue;
    fields = arena_printf(m->arena, "%s%s`%s`", fields, fields[0] ? ", " : "", spec->name);
  }
  return fields[0] ? arena_printf(m->arena, "isms.yaml %s", fields) : "";
}

const char *doc_content_changes(History *h, const Model *m, const DocContent *c, size_t k) {
  Arena *a = m->arena;
  Past past = {0};
  hashmap_init(&past.by_id);
  hashmap_init(&past.files);
  PtrVec current = {0}, changed = {0}, added = {0}, removed = {0};
  S_read_changed_files(h, m, c, k, &past, &current);
  S_read_gone_files(h, m, c, k, &past);
  for (size_t i = 0; i < current.len; i++) {
    const Record *r = current.items[i];
    const Record *old = hashmap_get(&past.by_id, r->id);
    if (!old)
      ptrvec_push(a, &added, (void *)r);
    else if (old->kind != r->kind || !record_content_equal(old, r))
      ptrvec_push(a, &changed, (void *)r);
  }
  for (size_t i = 0; i < past.records.len; i++) {
    const Record *old = past.records.items[i];
    const Record *now = hashmap_get(&m->ids, old->id);
    if (!now || !S_counts(c, now)) /* a catalog control whose record is gone is synthetic */
      ptrvec_push(a, &removed, (void *)old);
  }
  const char *text = "";
  const PtrVec *lists[] = {&changed, &added, &removed};
  static const char *const verbs[] = {"changed", "added", "removed"};
  for (size_t l = 0; l < 3; l++)
    for (size_t i = 0; i < c->nkinds; i++)
      text = S_join(a, text, S_records(a, lists[l], c->kinds[i], verbs[l]));
  const char *manifest = S_manifest_changes(h, m, c, k);
  if (manifest[0])
    text = S_join(a, text, manifest);
  return text[0] ? text : NULL;
}
