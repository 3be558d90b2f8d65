/* json_schema.h - JSON Schemas (draft 2020-12) of the record kinds and of isms.yaml, derived
 * from the schema tables (json_schema.c), and the `ismsc schema` command. */
#ifndef ISMSC_JSON_SCHEMA_H
#define ISMSC_JSON_SCHEMA_H

#include <stdbool.h>

#include "schema.h"

/* The schema of a record kind's file (one record or a list of them), or of isms.yaml for
 * KIND_MANIFEST, as JSON text. The caller frees it. */
char *json_schema_text(Kind kind);

/* The file name a kind's schema is written under: "risk.schema.json", "manifest.schema.json". */
const char *json_schema_file_name(Kind kind, char *buf, size_t size);

/* Whether a kind has a schema: every kind a user writes (not the catalog's clauses). */
bool json_schema_has(Kind kind);

/* Writes every kind's schema into dir (which must exist), replacing older ones. */
bool json_schema_write_all(const char *dir);

/* Sets a new tree up for editors: .ismsc/schemas/ with every schema and a
 * .vscode/settings.json that maps each record folder to its schema (VS Code's YAML
 * extension and any yaml-language-server client read it). root is the new tree. */
bool json_schema_editor_setup(const char *root);

/* `ismsc schema KIND` | `ismsc schema --write DIR`: argv[0] is "schema". */
int json_schema_main(int argc, char **argv);

#endif
