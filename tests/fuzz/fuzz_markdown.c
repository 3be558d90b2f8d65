/* fuzz_markdown.c - libFuzzer harness: a Markdown record file: front matter split, the
 * front matter's YAML, [[ID]] scanning with positions (load_md.c), and the body prepared
 * for rendering (markdown.c). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"
#include "markdown.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  Arena a;
  arena_init(&a);
  Diags d;
  diags_init(&d, &a);
  Limits lim;
  limits_default(&lim);
  SourceFile f = {.path = "fuzz.md",
                  .text = arena_strndup(&a, (const char *)data, size),
                  .len = size,
                  .arena = &a};
  size_t bad;
  if (utf8_valid(f.text, f.len, &bad)) {
    FrontMatter fm;
    size_t body = 0;
    if (md_split(&d, &f, &fm)) {
      bool failed;
      yaml_parse(&a, &d, &f, fm.yaml_offset, fm.yaml_len, fm.yaml_line, &lim, &failed);
      body = fm.body_offset;
    }
    PtrVec refs = {0};
    md_scan_refs(&a, &d, &f, body, f.text + body, f.len - body, &lim, &refs);
    for (size_t i = 0; i < refs.len; i++) { /* every position is inside the file */
      const BodyRef *r = refs.items[i];
      if (r->loc.line < 1 || r->loc.col < 1)
        abort();
    }
    Model m;
    memset(&m, 0, sizeof m);
    hashmap_init(&m.ids);
    MdDoc doc = md_prepare(&m, f.text + body, f.len - body, size % 2);
    md_free(&doc);
  }
  diags_finish(&d);
  arena_free(&a);
  return 0;
}
