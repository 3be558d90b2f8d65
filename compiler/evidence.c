/* evidence.c - the files records cite as evidence: their SHA-256, so an auditor can verify
 * the copy they are sent (SPEC §3), and the list `build --with-evidence` copies into OUT.
 *
 * What must stay true:
 * - Files are read through the tree's Source, never by path: the same bytes the check saw,
 *   and a symbolic link out of the tree is never followed.
 * - The digest is OpenSSL's (libcrypto's EVP interface): no home-made hash.
 * - Only a file of the tree (SOURCE_FILE: never a symbolic link that leads out of it) with
 *   a relative path and no ".." part is hashed, copied or linked, so nothing outside the tree
 *   is published and no copy lands outside OUT/evidence/ (evidence-missing reports the rest).
 */
#include "evidence.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

/* Evidence larger than this is shown without a digest rather than read into memory. */
enum { MAX_EVIDENCE_BYTES = 256u << 20 };

bool evidence_in_tree(const Source *src, const char *path) {
  return src && evidence_copyable(path) && src->stat(src, path) == SOURCE_FILE;
}

bool evidence_sha256(const Source *src, Arena *a, const char *path, char hex[65]) {
  hex[0] = '\0';
  if (!evidence_in_tree(src, path))
    return false;
  SourceRead rd = src->read(src, a, path, MAX_EVIDENCE_BYTES);
  if (!rd.text)
    return false;
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (!EVP_Digest(rd.text, rd.len, md, &n, EVP_sha256(), NULL) || n != 32)
    return false;
  for (unsigned int i = 0; i < n; i++)
    snprintf(hex + 2 * i, 3, "%02x", md[i]);
  return true;
}

bool evidence_copyable(const char *path) {
  if (!path || !*path || path[0] == '/')
    return false;
  for (const char *p = path; *p;) {
    size_t len = strcspn(p, "/");
    if ((len == 2 && p[0] == '.' && p[1] == '.') || (len == 1 && p[0] == '.') || len == 0)
      return false;
    p += len;
    if (*p == '/')
      p++;
  }
  return true;
}

static int S_compare_paths(const void *pa, const void *pb) {
  return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

PtrVec evidence_paths(const Model *m, Arena *a) {
  PtrVec out = {0};
  HashMap seen;
  hashmap_init(&seen);
  const PtrVec *controls = &m->by_kind[KIND_CONTROL];
  for (size_t i = 0; i < controls->len; i++) {
    const Value *ev = rec_field(controls->items[i], CONTROL_EVIDENCE);
    for (size_t k = 0; k < ev->count; k++) {
      const Value *f = ev->items[k].fields;
      const char *path = f && f[EVIDENCE_PATH].ok ? f[EVIDENCE_PATH].str : NULL;
      if (!evidence_in_tree(m->tree->source, path) || hashmap_get(&seen, path))
        continue;
      hashmap_put(a, &seen, path, (void *)path);
      ptrvec_push(a, &out, (void *)path);
    }
  }
  if (out.len)
    qsort(out.items, out.len, sizeof *out.items, S_compare_paths);
  return out;
}
