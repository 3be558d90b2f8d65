/* init.c - `ismsc init DIR`: start a new tree (SPEC §4).
 *
 * Writes a manifest, a scope statement and one stub per catalog control, so that the first
 * `ismsc check` of the new tree is the to-do list of an ISMS: every control is there, marked
 * applicable and not started, and each one asks for its reason (inclusion-justified) until a
 * risk selects it or it is excluded with a justification. The tree checks without errors.
 *
 * - DIR must not exist, or be an empty folder: init never writes over anything.
 * - Everything is written into a staging folder beside DIR and renamed into place, so an
 *   interrupted init leaves nothing half-made under DIR's name.
 * - The files are the examples a new user copies from: short comments say what each field
 *   is for; docs/format.md has the whole format.
 */
#include "init.h"

#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "driver.h"
#include "json_schema.h"
#include "model.h"

static const char manifest[] =
    "# yaml-language-server: $schema=.ismsc/schemas/manifest.schema.json\n"
    "# The ISMS manifest: who the ISMS belongs to and how risk is measured.\n"
    "# The whole format: https://github.com/ismsc/ismsc/blob/main/docs/format.md\n"
    "organisation: %s\n"
    "title: %s\n"
    "catalog: %s\n"
    "version: \"0.1\"\n"
    "owner: CISO\n"
    "classifications: [public, internal, confidential, restricted]\n"
    "# policy: POL-ISP   # the information security policy (clause 5.2), once policies/ has it\n"
    "# The risk method (clause 6.1.2), published as method.html: adapt the scales, their\n"
    "# criteria and the threshold to your organisation before the first risk assessment.\n"
    "risk:\n"
    "  likelihood: [Rare, Unlikely, Possible, Likely, Almost certain]   # values 1..5\n"
    "  impact: [Negligible, Minor, Moderate, Major, Severe]             # values 1..5\n"
    "  likelihood_criteria: [\"less than once in 10 years\", \"once in 3-10 years\",\n"
    "                        \"once in 1-3 years\", \"once a year\", \"several times a year\"]\n"
    "  impact_criteria: [\"no noticeable effect\", \"minor disruption, no data affected\",\n"
    "                    \"service degraded, some data exposed\", \"major outage or breach\",\n"
    "                    \"regulatory sanction, loss of key customers\"]\n"
    "  accept_max: 6       # the highest score (likelihood x impact) a risk owner may accept\n"
    "  levels: [{max: 4, name: Low}, {max: 9, name: Medium}, {max: 15, name: High},\n"
    "           {max: 25, name: Critical}]\n"
    "  # who may accept a residual risk, by score (`owner`: the risk's own owner)\n"
    "  acceptance_authority: [{max: 6, by: [owner]}, {max: 15, by: [CISO]}, {max: 25, by: [CEO]}]\n"
    "  reassess_days: 365  # a risk not reassessed for this long is due\n"
    "review:\n"
    "  policy_max_age_days: 365\n"
    "  management_max_age_days: 365\n"
    "# rules:             # severity of any rule: error | warning | note | off\n"
    "#   asset-orphan: off\n";

static const char scope[] =
    "---\n"
    "id: SCOPE\n"
    "title: Scope of the ISMS\n"
    "owner: CISO\n"
    "version: \"0.1\"\n"
    "includes:\n"
    "  - The services, teams and information the ISMS covers\n"
    "excludes:\n"
    "  - What is left out, and why\n"
    "interfaces:\n"
    "  - Suppliers and parties the ISMS depends on\n"
    "locations:\n"
    "  - Offices, data centres and cloud regions\n"
    "# The context (clause 4.1): what inside and outside the organisation bears on the ISMS\n"
    "internal_issues:\n"
    "  - How the organisation works, its culture and resources, that affect security\n"
    "external_issues:\n"
    "  - Laws, regulators, the market and the threats the organisation faces\n"
    "# Interested parties and their requirements (clause 4.2)\n"
    "interested_parties:\n"
    "  - party: Customers\n"
    "    requirements: What they require of the organisation's information security\n"
    "# Once top management approves it:\n"
    "# approved: {by: CEO, date: YYYY-MM-DD}\n"
    "---\n"
    "\n"
    "# Scope\n"
    "\n"
    "State the boundaries of the ISMS (ISO/IEC 27001 clause 4.3): the organisation, the\n"
    "services and the locations it covers, and the interfaces with what it does not.\n"
    "`ismsc build` publishes this file with its lists as scope.html and scope.docx.\n";

static const char readme[] =
    "# %s\n"
    "\n"
    "An information security management system kept as code, checked and published with\n"
    "[ismsc](https://github.com/ismsc/ismsc).\n"
    "\n"
    "| folder | what |\n"
    "|---|---|\n"
    "| `isms.yaml` | the manifest: organisation, catalog, risk method, rule settings |\n"
    "| `scope.md` | the ISMS scope |\n"
    "| `assets/` | information assets, one YAML file each or a list per file |\n"
    "| `risks/` | risks (YAML or Markdown) |\n"
    "| `treatments/` | risk treatment actions |\n"
    "| `controls/` | one file per Annex A control: applicability and implementation |\n"
    "| `policies/` | policies, in Markdown with front matter |\n"
    "| `objectives/` | information security objectives (clause 6.2) |\n"
    "| `metrics/` | KPIs and their measurements (9.1) |\n"
    "| `audits/` | the internal audit programme and its findings (9.2) |\n"
    "| `reviews/` | management review minutes (9.3) |\n"
    "| `nonconformities/` | nonconformities and corrective actions (10.2) |\n"
    "| `rules/` | your own checks in Lua (optional) |\n"
    "| `evidence/` | files that controls cite as evidence (optional) |\n"
    "\n"
    "Check the tree with `ismsc check`; publish the document set with\n"
    "`ismsc build -o site`. `site/readiness.html` lists, clause by clause, the documented\n"
    "information a certification audit asks for and what the tree still lacks.\n";

static const char control_stub[] =
    "---\n"
    "# %s %s\n"
    "id: %s\n"
    "applicable: true\n"
    "# Why it applies: a risk's treatment selects it, or declare its reasons:\n"
    "# reasons: [legal, contractual, business, best-practice]\n"
    "# To exclude it: applicable: false, with a justification: text\n"
    "status: not-started   # not-started | planned | partial | implemented\n"
    "owner: CISO\n"
    "# policies: [POL-ID]\n"
    "# evidence: [{path: evidence/file.pdf, title: What it shows, date: YYYY-MM-DD}]\n"
    "#   (an entry that is also a clause's documented information names it: clauses: [7.2])\n"
    "# Below the closing line: how the control is implemented (who does what, with which\n"
    "# tools, where the evidence is). The SoA shows it.\n"
    "---\n";

/* ------------------------------------------------------------------ files */

static bool S_write_file(const char *root, const char *name, const char *text) {
  char *path;
  if (asprintf(&path, "%s/%s", root, name) < 0)
    return false;
  FILE *f = fopen(path, "wx");
  bool ok = f && fputs(text, f) >= 0;
  ok = f && fclose(f) == 0 && ok;
  if (!ok)
    fprintf(stderr, "ismsc: cannot write %s: %s\n", path, strerror(errno));
  free(path);
  return ok;
}

static bool S_write_formatted(const char *root, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool S_write_formatted(const char *root, const char *name, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *text;
  int n = vasprintf(&text, fmt, ap);
  va_end(ap);
  if (n < 0)
    return false;
  bool ok = S_write_file(root, name, text);
  free(text);
  return ok;
}

/* DIR may be used: it does not exist, or it is a folder with nothing in it but hidden
 * entries (the .git of `git init`: `git init isms && cd isms && ismsc init .`). */
static bool S_free_to_use(const char *dir, bool *exists) {
  struct stat st;
  *exists = lstat(dir, &st) == 0;
  if (!*exists)
    return true;
  if (!S_ISDIR(st.st_mode)) {
    fprintf(stderr, "ismsc: '%s' exists and is not a folder\n", dir);
    return false;
  }
  DIR *d = opendir(dir);
  bool only_hidden = d != NULL;
  for (struct dirent *e; d && (e = readdir(d)) != NULL;)
    if (e->d_name[0] != '.')
      only_hidden = false;
  if (d)
    closedir(d);
  if (!only_hidden)
    fprintf(stderr,
            "ismsc: '%s' is not empty; init starts a new tree in a new folder, or in one that "
            "holds only hidden files such as .git\n",
            dir);
  return only_hidden;
}

/* The output folder the README suggests (`ismsc build -o site`) is rebuilt, never committed. */
static const char gitignore[] =
    "# The document set `ismsc build -o site` writes: rebuilt from the tree, not committed.\n"
    "/site/\n";

/* A .gitignore that `git init` or the user put there first is theirs: link() refuses to
 * replace it (rename would not), and ours is dropped with a word about the line to add. */
static bool S_move_gitignore(const char *staging, const char *dir) {
  char *from, *to;
  if (asprintf(&from, "%s/.gitignore", staging) < 0)
    return false;
  if (asprintf(&to, "%s/.gitignore", dir) < 0) {
    free(from);
    return false;
  }
  bool existed = link(from, to) != 0 && errno == EEXIST;
  bool ok = existed || access(to, F_OK) == 0;
  if (existed)
    printf("ismsc: kept the existing %s; add the line '/site/' to it to leave build output "
           "out of Git\n",
           to);
  ok = ok && unlink(from) == 0;
  free(from);
  free(to);
  return ok;
}

/* Moves what S_write_tree made in staging into the existing folder dir, one rename each.
 * The editor set-up (.ismsc, .vscode) is left out when dir already has its own. */
static bool S_move_into(const char *staging, const char *dir) {
  if (!S_move_gitignore(staging, dir))
    return false;
  static const char *const made[] = {"isms.yaml", "scope.md", "README.md",
                                     "controls",  ".ismsc",   ".vscode"};
  bool ok = true;
  for (size_t i = 0; ok && i < sizeof made / sizeof made[0]; i++) {
    struct stat st;
    char *there;
    if (made[i][0] == '.' && asprintf(&there, "%s/%s", dir, made[i]) >= 0) {
      bool taken = lstat(there, &st) == 0;
      free(there);
      if (taken)
        continue; /* remove_tree(staging) below drops ours */
    }
    char *from, *to;
    if (asprintf(&from, "%s/%s", staging, made[i]) < 0)
      return false;
    if (asprintf(&to, "%s/%s", dir, made[i]) < 0) {
      free(from);
      return false;
    }
    ok = rename(from, to) == 0;
    free(from);
    free(to);
  }
  if (ok)
    remove_tree(staging);
  return ok;
}

/* An organisation name from the folder's name: "acme-cloud" -> "Acme Cloud". */
static char *S_organisation(const char *dir) {
  char *copy = realpath(dir, NULL); /* "." names the folder it is */
  if (!copy)
    copy = strdup(dir);
  char *name = strdup(basename(copy));
  free(copy);
  bool word_start = true;
  for (char *p = name; *p; p++) {
    if (*p == '-' || *p == '_' || (unsigned char)*p < 0x20)
      *p = ' ';
    if (word_start && *p >= 'a' && *p <= 'z')
      *p = (char)(*p - 'a' + 'A');
    word_start = *p == ' ';
  }
  return name;
}

/* s as a YAML double-quoted scalar, so that any folder name makes a valid manifest. */
static char *S_yaml_quoted(const char *s) {
  char *out = malloc(2 * strlen(s) + 3), *o = out;
  *o++ = '"';
  for (; *s; s++) {
    if (*s == '"' || *s == '\\')
      *o++ = '\\';
    *o++ = *s;
  }
  *o++ = '"';
  *o = '\0';
  return out;
}

static bool S_write_tree(const char *root, const char *dir, const Catalog *cat) {
  char *name = S_organisation(dir), *title;
  if (asprintf(&title, "%s ISMS", name) < 0)
    title = NULL;
  char *org_yaml = S_yaml_quoted(name), *title_yaml = S_yaml_quoted(title ? title : name);
  bool ok = title &&
            S_write_formatted(root, "isms.yaml", manifest, org_yaml, title_yaml, cat->id) &&
            S_write_file(root, "scope.md", scope) &&
            S_write_formatted(root, "README.md", readme, title) &&
            S_write_file(root, ".gitignore", gitignore);
  free(name);
  free(title);
  free(org_yaml);
  free(title_yaml);
  /* Editors complete and check fields from the JSON Schemas (docs/interchange.md). */
  ok = ok && json_schema_editor_setup(root);
  char *controls;
  if (!ok || asprintf(&controls, "%s/controls", root) < 0)
    return false;
  ok = mkdir(controls, 0777) == 0;
  free(controls);
  for (size_t i = 0; ok && i < cat->ncontrol; i++) {
    const CatalogControl *c = &cat->controls[i];
    char *file;
    if (asprintf(&file, "controls/%s.md", c->id) < 0)
      return false;
    ok = S_write_formatted(root, file, control_stub, c->id, c->title, c->id);
    free(file);
  }
  return ok;
}

int init_tree(const char *path, const char *catalog_id) {
  /* "new-isms/" names the folder new-isms: its staging folder goes beside it, not inside. */
  char *dir = strdup(path);
  for (size_t n = strlen(dir); n > 1 && dir[n - 1] == '/'; n--)
    dir[n - 1] = '\0';
  Arena arena;
  arena_init(&arena);
  Diags diags;
  diags_init(&diags, &arena);
  const Catalog *cat = catalog_builtin(&arena, &diags, catalog_id);
  int status = EXIT_USAGE;
  bool exists;
  char *staging = NULL;
  if (!cat) {
    fprintf(stderr, "ismsc: unknown catalog '%s'\n", catalog_id);
  } else if (S_free_to_use(dir, &exists) &&
             asprintf(&staging, exists ? "%s/.ismsc-init-%ld" : "%s.init-%ld", dir,
                      (long)getpid()) >= 0) {
    /* A new folder appears whole, by one rename; an existing one gets its files moved in. */
    bool ok = mkdir(staging, 0777) == 0 && S_write_tree(staging, dir, cat) &&
              (exists ? S_move_into(staging, dir) : rename(staging, dir) == 0);
    if (ok) {
      printf("ismsc: started a new ISMS in %s (%zu control stubs); next: edit isms.yaml and "
             "scope.md, run 'ismsc check %s', then 'ismsc build %s -o %s/site' and open "
             "site/readiness.html for what is still missing\n",
             dir, cat->ncontrol, dir, dir, dir);
      status = EXIT_CLEAN;
    } else {
      fprintf(stderr, "ismsc: cannot create %s: %s\n", dir, strerror(errno));
      remove_tree(staging);
    }
  }
  free(staging);
  free(dir);
  arena_free(&arena);
  return status;
}
