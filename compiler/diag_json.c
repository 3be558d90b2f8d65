/* diag_json.c - diagnostics for tools: ismsc's JSON (docs/ci.md), SARIF 2.1.0 for GitHub
 * code scanning, and GitLab Code Quality.
 *
 * What must stay true:
 * - SARIF validates against the OASIS schema; its paths are relative to the Git work tree
 *   (%SRCROOT%, given in originalUriBaseIds) even when the tree is a subfolder or was named
 *   by an absolute path, so code scanning finds the files;
 * - a finding's fingerprint (SARIF partialFingerprints, GitLab fingerprint) does not change
 *   when lines are inserted above it: it hashes the rule, the path, the message and the
 *   finding's rank among identical ones, never the line;
 * - everything JSON is written by jansson, URIs escaped by libxml2, hashes by libgit2.
 */
#include <ctype.h>
#include <git2.h>
#include <jansson.h>
#include <libxml/uri.h>
#include <string.h>

#include "diag.h"

static const char *const sarif_levels[] = {"none", "note", "warning", "error"};

static const char *S_path(const Diag *g) { return g->loc.file ? g->loc.file->path : "isms.yaml"; }
static int S_line(const Diag *g) { return g->loc.line > 0 ? g->loc.line : 1; }
static int S_col(const Diag *g) { return g->loc.col > 0 ? g->loc.col : 1; }

static const char *S_display_path(const Diags *d, const Diag *g, const RenderOptions *opt) {
  return opt->path_prefix[0] ? arena_printf(d->arena, "%s%s", opt->path_prefix, S_path(g))
                             : S_path(g);
}

const char *diag_ci_path(const Diags *d, const Diag *g, const RenderOptions *opt) {
  const char *prefix = opt->repo_prefix ? opt->repo_prefix : opt->path_prefix;
  return prefix[0] ? arena_printf(d->arena, "%s%s", prefix, S_path(g)) : S_path(g);
}

const char *diag_rule_uri(Arena *a, const RuleInfo *r) {
  if (r->file && strncmp(r->file->path, "lua/", 4) != 0)
    return NULL;
  return arena_printf(a, "https://github.com/ismsc/ismsc/blob/main/docs/rule-reference.md#%s",
                      r->id);
}

/* One fingerprint per item of d (same order): the SHA-1 (libgit2's object hash) of the rule,
 * the path, the message and the rank among findings with the same three. */
static const char **S_fingerprints(const Diags *d, const RenderOptions *opt) {
  const char **fp = arena_alloc(d->arena, (d->items.len + 1) * sizeof *fp);
  HashMap seen;
  hashmap_init(&seen);
  git_libgit2_init();
  for (size_t i = 0; i < d->items.len; i++) {
    const Diag *g = d->items.items[i];
    const char *path = opt->repo_prefix ? diag_ci_path(d, g, opt) : S_path(g);
    const char *key = arena_printf(d->arena, "%s\x1f%s\x1f%s", g->rule, path, g->message);
    size_t rank = (size_t)hashmap_get(&seen, key);
    hashmap_put(d->arena, &seen, key, (void *)(rank + 1));
    const char *text = arena_printf(d->arena, "%s\x1f%zu", key, rank);
    git_oid oid;
    char hex[GIT_OID_HEXSZ + 1] = "";
    if (git_odb_hash(&oid, text, strlen(text), GIT_OBJECT_BLOB) == 0)
      git_oid_tostr(hex, sizeof hex, &oid);
    fp[i] = arena_strdup(d->arena, hex);
  }
  git_libgit2_shutdown();
  return fp;
}

/* ---------------------------------------------------------------- ismsc JSON */

/* docs/ci.md documents this shape; `version` changes only if it does. */
void diags_render_json(const Diags *d, const RenderOptions *opt, FILE *out) {
  json_t *root = json_object();
  json_object_set_new(root, "version", json_integer(1));
  json_t *tool = json_object();
  json_object_set_new(tool, "name", json_string("ismsc"));
  json_object_set_new(tool, "version", json_string(opt->tool_version));
  json_object_set_new(root, "tool", tool);
  json_t *summary = json_object();
  json_object_set_new(summary, "errors", json_integer((json_int_t)d->errors));
  json_object_set_new(summary, "warnings", json_integer((json_int_t)d->warnings));
  json_object_set_new(summary, "notes", json_integer((json_int_t)d->notes));
  json_object_set_new(summary, "suppressed", json_integer((json_int_t)d->suppressed));
  json_object_set_new(root, "summary", summary);
  json_t *list = json_array();
  for (size_t i = 0; i < d->items.len; i++) {
    const Diag *g = d->items.items[i];
    json_t *j = json_object();
    json_object_set_new(j, "file", json_string(S_display_path(d, g, opt)));
    json_object_set_new(j, "line", json_integer(S_line(g)));
    json_object_set_new(j, "column", json_integer(S_col(g)));
    json_object_set_new(j, "severity", json_string(severity_name(g->severity)));
    json_object_set_new(j, "rule", json_string(g->rule));
    json_object_set_new(j, "message", json_string(g->message));
    json_object_set_new(j, "suppressed", json_boolean(g->suppressed_by != NULL));
    if (g->suppressed_by)
      json_object_set_new(j, "reason", json_string(g->suppressed_by));
    json_array_append_new(list, j);
  }
  json_object_set_new(root, "diagnostics", list);
  json_dumpf(root, out, JSON_INDENT(2) | JSON_ENSURE_ASCII);
  fputc('\n', out);
  json_decref(root);
}

/* ---------------------------------------------------------------- SARIF */

/* "ref-unknown" -> "RefUnknown": SARIF's reportingDescriptor.name. */
static const char *S_pascal(Arena *a, const char *id) {
  char *s = arena_strdup(a, id), *o = s;
  bool up = true;
  for (const char *p = id; *p; p++) {
    if (*p == '-' || *p == '_' || *p == '.') {
      up = true;
      continue;
    }
    *o++ = up ? (char)toupper((unsigned char)*p) : *p;
    up = false;
  }
  *o = '\0';
  return s;
}

static json_t *S_sarif_rule(const Diags *d, const RuleInfo *r) {
  const char *full = rule_explanation(d->arena, r);
  const char *help = r->fix ? arena_printf(d->arena, "%s\n\nFix: %s", full, r->fix) : full;
  json_t *j = json_pack("{s:s,s:s,s:{s:s},s:{s:s},s:{s:s,s:s},s:{s:s}}", "id", r->id, "name",
                        S_pascal(d->arena, r->id), "shortDescription", "text", r->description,
                        "fullDescription", "text", full, "help", "text", help, "markdown", help,
                        "defaultConfiguration", "level", sarif_levels[diags_severity(d, r->id)]);
  const char *uri = diag_rule_uri(d->arena, r);
  if (uri)
    json_object_set_new(j, "helpUri", json_string(uri));
  return j;
}

/* A path as a URI reference: libxml2 escapes what a URI cannot hold (spaces, '%'). */
static json_t *S_json_uri(const char *path) {
  xmlChar *uri = xmlURIEscapeStr((const xmlChar *)path, (const xmlChar *)"/-._~!$&'()*+,;=:@");
  json_t *j = json_string((const char *)uri);
  xmlFree(uri);
  return j;
}

static json_t *S_sarif_result(const Diags *d, const Diag *g, const RenderOptions *opt,
                              const char *fingerprint) {
  json_t *j = json_object();
  json_object_set_new(j, "ruleId", json_string(g->rule));
  for (size_t i = 0; i < d->rules.len; i++)
    if (strcmp(((const RuleInfo *)d->rules.items[i])->id, g->rule) == 0)
      json_object_set_new(j, "ruleIndex", json_integer((json_int_t)i));
  json_object_set_new(j, "level", json_string(sarif_levels[g->severity]));
  json_object_set_new(j, "message", json_pack("{s:s}", "text", g->message));
  const char *path = opt->repo_prefix ? diag_ci_path(d, g, opt) : S_path(g);
  json_t *artifact = json_pack("{s:o,s:s}", "uri", S_json_uri(path), "uriBaseId", "%SRCROOT%");
  json_t *region = json_pack("{s:i,s:i}", "startLine", S_line(g), "startColumn", S_col(g));
  json_object_set_new(j, "locations",
                      json_pack("[{s:{s:o,s:o}}]", "physicalLocation", "artifactLocation", artifact,
                                "region", region));
  json_object_set_new(j, "partialFingerprints",
                      json_pack("{s:s}", "ismscFingerprint/v1", fingerprint));
  if (g->suppressed_by)
    json_object_set_new(
        j, "suppressions",
        json_pack("[{s:s,s:s}]", "kind", "inSource", "justification", g->suppressed_by));
  return j;
}

void diags_render_sarif(const Diags *d, const RenderOptions *opt, FILE *out) {
  json_t *rules = json_array();
  for (size_t i = 0; i < d->rules.len; i++)
    json_array_append_new(rules, S_sarif_rule(d, d->rules.items[i]));
  json_t *driver = json_pack("{s:s,s:s,s:s,s:o}", "name", "ismsc", "version", opt->tool_version,
                             "informationUri", "https://github.com/ismsc/ismsc", "rules", rules);
  const char **fp = S_fingerprints(d, opt);
  json_t *results = json_array();
  for (size_t i = 0; i < d->items.len; i++)
    json_array_append_new(results, S_sarif_result(d, d->items.items[i], opt, fp[i]));
  json_t *base = json_pack("{s:{s:o}}", "%SRCROOT%", "uri", S_json_uri(opt->root_uri));
  json_t *run = json_pack("{s:{s:o},s:o,s:s,s:o}", "tool", "driver", driver, "originalUriBaseIds",
                          base, "columnKind", "unicodeCodePoints", "results", results);
  json_t *root =
      json_pack("{s:s,s:s,s:[o]}", "$schema", "https://json.schemastore.org/sarif-2.1.0.json",
                "version", "2.1.0", "runs", run);
  json_dumpf(root, out, JSON_INDENT(2));
  fputc('\n', out);
  json_decref(root);
}

/* ---------------------------------------------------------------- GitLab Code Quality */

/* docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format: an array of issues
 * with description, check_name, fingerprint, severity (info, minor, major, critical,
 * blocker) and location {path, lines {begin}}. Suppressed findings are left out. */
void diags_render_gitlab(const Diags *d, const RenderOptions *opt, FILE *out) {
  static const char *const severities[] = {"info", "info", "minor", "major"};
  const char **fp = S_fingerprints(d, opt);
  json_t *issues = json_array();
  for (size_t i = 0; i < d->items.len; i++) {
    const Diag *g = d->items.items[i];
    if (g->suppressed_by)
      continue;
    json_array_append_new(issues, json_pack("{s:s,s:s,s:s,s:s,s:{s:s,s:{s:i}}}", "description",
                                            g->message, "check_name", g->rule, "fingerprint", fp[i],
                                            "severity", severities[g->severity], "location", "path",
                                            diag_ci_path(d, g, opt), "lines", "begin", S_line(g)));
  }
  json_dumpf(issues, out, JSON_INDENT(2));
  fputc('\n', out);
  json_decref(issues);
}
