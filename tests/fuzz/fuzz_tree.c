/* fuzz_tree.c - libFuzzer harness: a whole tree from one input, checked end to end (load,
 * bind, resolve, structural checks, the shipped Lua rules and any rule file, rules/NAME.lua,
 * the input holds; diagnostics in every format) and built into HTML pages (in memory) and
 * DOCX files.
 *
 * The input is split into files at lines "=== PATH": e.g.
 *   === isms.yaml\n organisation: X\n=== risks/R-1.yaml\n id: R-1 ...
 * A part before the first marker is isms.yaml. Paths are kept inside the scratch folder.
 */
#include <errno.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "doc.h"
#include "emit.h"
#include "embedded.h"
#include "lua_rules.h"
#include "resolve.h"

static char root[256];

static int S_rm(const char *p, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st;
  (void)ftw;
  return flag == FTW_DP ? rmdir(p) : unlink(p);
}

static void S_write(const char *rel, const uint8_t *data, size_t len) {
  char path[1024];
  size_t n = 0;
  for (size_t i = 0; rel[i] && n < 200; i++) /* letters, digits, . - _ / only; no .. */
    if ((rel[i] >= 'a' && rel[i] <= 'z') || (rel[i] >= 'A' && rel[i] <= 'Z') ||
        (rel[i] >= '0' && rel[i] <= '9') || rel[i] == '-' || rel[i] == '_' || rel[i] == '/' ||
        (rel[i] == '.' && (n == 0 || path[n - 1] != '.')))
      path[n++] = rel[i];
  path[n] = '\0';
  if (!n || path[0] == '/')
    return;
  char full[1400];
  snprintf(full, sizeof full, "%s/%s", root, path);
  for (char *p = full + strlen(root) + 1; *p; p++)
    if (*p == '/') {
      *p = '\0';
      mkdir(full, 0700);
      *p = '/';
    }
  FILE *f = fopen(full, "wb");
  if (f) {
    fwrite(data, 1, len, f);
    fclose(f);
  }
}

static void S_split(const uint8_t *data, size_t size) {
  const char *name = "isms.yaml";
  char current[256];
  size_t start = 0, i = 0;
  while (i <= size) {
    bool marker = i + 4 <= size && (i == 0 || data[i - 1] == '\n') && memcmp(data + i, "=== ", 4) == 0;
    if (marker || i == size) {
      if (i > start)
        S_write(name, data + start, i - start);
      if (i == size)
        break;
      size_t e = i + 4;
      while (e < size && data[e] != '\n' && e - i - 4 < sizeof current - 1)
        e++;
      memcpy(current, data + i + 4, e - i - 4);
      current[e - i - 4] = '\0';
      name = current;
      start = e < size ? e + 1 : e;
      i = start;
      continue;
    }
    i++;
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!root[0])
    snprintf(root, sizeof root, "/dev/shm/ismsc-fuzz-%ld", (long)getpid());
  nftw(root, S_rm, 16, FTW_DEPTH | FTW_PHYS);
  mkdir(root, 0700);
  S_split(data, size);

  Arena a;
  arena_init(&a);
  Diags d;
  diags_init(&d, &a);
  Limits lim;
  limits_default(&lim);
  lim.max_file_bytes = 1 << 20;
  Tree tree;
  if (load_tree(&a, &d, root, &lim, &tree)) {
    Model m;
    memset(&m, 0, sizeof m);
    m.limits = lim;
    Date today;
    date_parse("2026-11-23", &today);
    model_bind(&m, &a, &d, &tree, today);
    resolve(&m);
    check_structure(&m);
    lua_rules_run(&m);
    check_rule_settings(&m);
    diags_finish(&d);
    FILE *null = fopen("/dev/null", "w");
    for (int fmt = FORMAT_TEXT; fmt <= FORMAT_GITLAB; fmt++) {
      RenderOptions ro = {.format = (DiagFormat)fmt, .path_prefix = "", .repo_prefix = "",
                          .root_uri = "file:///fuzz/", .tool_version = "fuzz"};
      diags_render(&d, &ro, null);
    }
    Revision rev = {0};
    DocSet set;
    docs_plan(&set, &a, &m, &rev, d.errors > 0, &d);
    set.unsafe_html = size % 2 == 0;
    for (size_t i = 0; i < set.documents.len; i++)
      docs_build_body(&set, set.documents.items[i], &a);
    const EmbeddedFile *layout = embedded_find("templates/layout.html");
    EmitContext ctx = {.model = &m,
                       .revision = &rev,
                       .date = today,
                       .unsafe_html = size % 2 == 0,
                       .draft = d.errors > 0,
                       .layout = layout ? layout->data : "{{content}}",
                       .css = ""};
    char docx[64];
    snprintf(docx, sizeof docx, "/dev/shm/ismsc-fuzz-%ld.docx", (long)getpid());
    for (size_t i = 0; i < set.documents.len; i++) {
      const Document *doc = set.documents.items[i];
      emit_html_document(&ctx, doc, null);
      if (doc->type->formats & DOC_DOCX) {
        emit_docx_document(&ctx, doc, docx); /* a new file: the last one is removed first */
        unlink(docx);
      }
    }
    docs_free(&set);
    char *json = NULL;
    size_t json_len = 0;
    emit_json_model(&ctx, &json, &json_len);
    free(json);
    fclose(null);
  }
  arena_free(&a);
  return 0;
}
