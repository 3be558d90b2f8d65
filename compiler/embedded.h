/* embedded.h - files compiled into the binary at build time (cmake/embed.cmake): the
 * catalogs, the shipped Lua rules and their prelude. Paths are relative to the repository
 * (`compiler/catalogs/iso27001-2022.yaml`, `lua/soa-complete.lua`), sorted. */
#ifndef ISMSC_EMBEDDED_H
#define ISMSC_EMBEDDED_H

#include <stddef.h>

typedef struct EmbeddedFile {
  const char *path;
  const char *data; /* NUL-terminated */
  size_t len;
} EmbeddedFile;

extern const EmbeddedFile embedded_files[];
extern const size_t embedded_count;

/* The embedded file at path, or NULL. */
const EmbeddedFile *embedded_find(const char *path);

#endif
