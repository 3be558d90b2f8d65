/* embedded.c - look-up in the files compiled into the binary; see embedded.h. */
#include "embedded.h"

#include <string.h>

const EmbeddedFile *embedded_find(const char *path) {
  for (size_t i = 0; i < embedded_count; i++)
    if (strcmp(embedded_files[i].path, path) == 0)
      return &embedded_files[i];
  return NULL;
}
