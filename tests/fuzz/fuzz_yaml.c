/* fuzz_yaml.c - libFuzzer harness: YAML text -> Nodes (load_yaml.c), then bound as a record
 * of every kind (model.c), the way a record file is read. Any crash, leak, hang or
 * sanitizer report is a bug. */
#include <stdint.h>
#include <string.h>

#include "load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  Arena a;
  arena_init(&a);
  Diags d;
  diags_init(&d, &a);
  Limits lim;
  limits_default(&lim);
  SourceFile f = {"fuzz.yaml", arena_strndup(&a, (const char *)data, size), size, NULL, 0, &a};
  size_t bad;
  if (utf8_valid(f.text, f.len, &bad)) { /* load_source refuses other bytes before parsing */
    bool failed;
    const Node *root = yaml_parse(&a, &d, &f, 0, f.len, 1, &lim, &failed);
    if (root && root->kind == NODE_MAPPING)
      (void)node_get(root, "id");
  }
  diags_finish(&d);
  arena_free(&a);
  return 0;
}
