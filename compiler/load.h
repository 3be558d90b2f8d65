/* load.h - the load stage: the tree on disk becomes nodes with locations.
 *
 * load_tree.c walks the folders and reads files; load_yaml.c turns YAML text (a whole file
 * or a front matter) into Nodes; load_md.c splits front matter from a Markdown body and
 * finds the [[ID]] references in bodies with cmark-gfm. Every Node keeps the file, line and
 * column libyaml gave it (DESIGN.md decision 2). Everything is allocated in the run's arena;
 * libyaml and cmark objects are created and freed inside the function that uses them.
 */
#ifndef ISMSC_LOAD_H
#define ISMSC_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "source.h"
#include "diag.h"
#include "util.h"

/* Bounds on everything a hostile input can grow (STYLE.md point 9); isms.yaml `limits:`
 * may change them. */
typedef struct Limits {
  size_t max_file_bytes;  /* a larger file is not read */
  int max_depth;          /* YAML nesting */
  size_t max_alias_nodes; /* nodes reachable through aliases, per file (billion laughs) */
  size_t max_id_length;
  size_t max_records;     /* in the whole tree */
  int max_markdown_depth; /* nesting of block quotes and lists in a body */
} Limits;

void limits_default(Limits *lim);

typedef enum NodeKind { NODE_SCALAR, NODE_MAPPING, NODE_SEQUENCE } NodeKind;

typedef struct Node Node;
typedef struct NodePair {
  Node *key, *value;
} NodePair;

struct Node {
  NodeKind kind;
  Loc loc;
  const char *text; /* scalar value, NUL-terminated (may also contain NULs: see len) */
  size_t len;
  bool plain;      /* an unquoted scalar: `~`, `null`, `true` mean what YAML says */
  NodePair *pairs; /* mapping */
  Node **items;    /* sequence */
  size_t count;
  size_t size; /* nodes in this subtree, for the alias budget */
};

/* A null scalar: empty plain, `~` or `null`. */
bool node_is_null(const Node *n);
/* The value of key in a mapping, or NULL. */
const Node *node_get(const Node *map, const char *key);

/* Parses YAML text f->text[offset, offset+len) whose first line is line first_line of f.
 * Returns the root of the first document (NULL for an empty stream). On a syntax error or
 * an exceeded limit, reports it, sets *failed and returns NULL. */
Node *yaml_parse(Arena *a, Diags *d, const SourceFile *f, size_t offset, size_t len, int first_line,
                 const Limits *lim, bool *failed);

/* A [[ID]] cross-reference in a Markdown body. */
typedef struct BodyRef {
  const char *id;
  Loc loc; /* of the id, after "[[" */
} BodyRef;

/* Where a Markdown file's front matter and body are. */
typedef struct FrontMatter {
  size_t yaml_offset, yaml_len; /* the YAML between the fences */
  int yaml_line;                /* its first line */
  size_t body_offset;           /* the body: from here to the end of the file */
} FrontMatter;

/* Finds the front matter of a Markdown file. Returns false when there is none or it never
 * closes, and then reports `front-matter` (d may be NULL to only ask). */
bool md_split(Diags *d, const SourceFile *f, FrontMatter *fm);

/* Parses body (GitHub-flavoured Markdown) and appends a BodyRef for each [[ID]] outside code
 * to refs. The body's text is found in f from byte search_from on, which gives each
 * reference its exact line and column. */
void md_scan_refs(Arena *a, Diags *d, const SourceFile *f, size_t search_from, const char *body,
                  size_t body_len, const Limits *lim, PtrVec *refs);

/* cmark-gfm's table extension needs time and memory quadratic in a table's width (a 30 KB
 * table of 5,000 columns takes it past 6 GB): tables wider than this are read as text. */
enum { MAX_TABLE_COLUMNS = 128 };
/* The largest number of '|' on one line of text: a table row's width, at most. */
size_t md_widest_row(const char *text, size_t len);

/* One record as loaded: a mapping and where it came from, not yet typed. */
typedef struct RawRecord {
  const SourceFile *file;
  const Node *map;
  const char *kind;      /* `kind:` if given, else the top folder's kind */
  const Node *body;      /* the `body` field of a YAML record, or NULL */
  const char *body_text; /* the Markdown body (from the file or from `body`), or NULL */
  size_t body_len;
  Loc body_loc;
  PtrVec refs; /* BodyRef * */
} RawRecord;

typedef struct Tree {
  const char *root;     /* the folder as the user named it (or the revision, from Git) */
  const Source *source; /* where its files come from */
  PtrVec files;         /* SourceFile *, every file read */
  PtrVec records;       /* RawRecord * */
  const SourceFile *manifest_file;
  const Node *manifest; /* isms.yaml's mapping, NULL when missing or broken */
  HashMap probable_ids; /* ids that files which could not be parsed probably defined */
  PtrVec rule_files;    /* SourceFile * of rules/ *.lua */
} Tree;

/* Reads the whole tree below root. isms.yaml is read first and its `limits:` update *lim
 * for the rest. Returns false only when root itself cannot be read (an I/O failure, exit
 * status 2); every problem inside the tree is a diagnostic. */
bool load_tree(Arena *a, Diags *d, const char *root, Limits *lim, Tree *out);
/* The same, from any source: a work tree or a Git revision (source.h). */
bool load_tree_from(Arena *a, Diags *d, const Source *src, Limits *lim, Tree *out);

/* Loads only the named files of src (no walk, no manifest), each with the kind its place
 * implies: past versions of a few files, for the Git history. Bodies are not scanned for
 * [[ID]] references (a past version's references are not checked). */
void load_files_from(Arena *a, Diags *d, const Source *src, const char *const *paths, size_t n,
                     const Limits *lim, Tree *out);

/* Reads a file of the tree into a SourceFile (used for custom catalogs too); an unreadable,
 * too large or non-UTF-8 file is reported and has no text. */
SourceFile *load_source(Arena *a, Diags *d, const Source *src, const char *relpath,
                        const Limits *lim);

#endif
