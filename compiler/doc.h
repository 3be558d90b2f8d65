/* doc.h - documents built once, rendered many times (DESIGN.md decision 5).
 *
 * documents.c builds each document of the set (SoA, RTP, risk register, traceability,
 * index, one per policy) as a small format-neutral tree of DocNodes; emit_html.c (and the
 * DOCX renderer) walk that tree with one switch. A renderer never looks at the model except
 * through the tree, so the HTML and the DOCX of a document cannot disagree.
 *
 * Links name a record ("R-001"), never a file: each renderer knows where a record lives in
 * its own output (doc_record_page).
 */
#ifndef ISMSC_DOC_H
#define ISMSC_DOC_H

#include <stdbool.h>

#include "model.h"

typedef enum DocKind {
  DOC_SECTION,  /* a heading and what follows: level, text, anchor */
  DOC_PARA,     /* inline children */
  DOC_TEXT,     /* text */
  DOC_STRONG,   /* inline children, emphasised */
  DOC_LINK,     /* inline children; href (external) or record (one of the model's) */
  DOC_BADGE,    /* a short label with a class: a risk level, a status */
  DOC_LIST,     /* items */
  DOC_ITEM,     /* inline or block children */
  DOC_TABLE,    /* caption; rows, the first `header_rows` of them headers */
  DOC_ROW,      /* cells; anchor: the record of the row */
  DOC_CELL,     /* inline children; header: a th; numeric: right-aligned */
  DOC_MARKDOWN, /* a record's Markdown body, parsed and prepared: markdown */
  DOC_HEATMAP,  /* a likelihood x impact grid: heatmap; children: its legend, after it */
  DOC_FIGURES,  /* key figures: children are DOC_FIGURE */
  DOC_FIGURE,   /* text: the number; cls: its label */
  DOC_NOTICE,   /* a boxed paragraph: cls "draft" or "errors" */
  DOC_CONTROL,  /* the document control block (Document.control): right after the title */
  DOC_TREND,    /* a metric's trend chart: trend; children: the table of its numbers */
} DocKind;

/* What a colour says. Every format takes a tone's colour from one palette (doc_palette): the
 * stylesheet's variables, the heat maps' SVG fills and the DOCX shading. */
typedef enum Tone {
  TONE_NONE, /* neutral: badges without a tone, header cells, key figures */
  TONE_LOW,  /* risk levels, lowest to highest band */
  TONE_MEDIUM,
  TONE_HIGH,
  TONE_CRITICAL,
  TONE_DONE,    /* implemented, done */
  TONE_ACTIVE,  /* partial, in progress */
  TONE_PLANNED, /* planned, not started */
  TONE_OVERDUE, /* past its date */
  TONE_COUNT
} Tone;

typedef struct ToneColour {
  const char *name; /* the stylesheet variable: "low" is var(--low) */
  const char *rgb;  /* "cfe8c9": CSS and SVG write it after '#', DOCX as it is */
  /* The colour of text on that fill (var(--low-ink), the heat map's counts, the DOCX badge
   * run's w:color): WCAG AA, a contrast of at least 4.5:1 against rgb (unit-palette). */
  const char *ink;
} ToneColour;

extern const ToneColour doc_palette[TONE_COUNT];

/* The tone of a risk level index of the method (-1, unrated: TONE_NONE), in four bands. */
Tone doc_level_tone(const Model *m, int level);

typedef struct HeatMap {
  const char *title;
  int nlikelihood, nimpact;
  const char *const *likelihood, *const *impact; /* labels, index 0 = 1 */
  PtrVec cells[10][10]; /* [likelihood-1][impact-1]: the risks (Record *) in the cell */
  Tone tones[10][10];   /* the colour of each cell, by the level of its score */
  bool scores;          /* cells show their score (the method's matrix), not their risks */
  long accept_max;      /* the acceptance threshold, outlined on the grid; -1: none */
} HeatMap;

/* What a cell or a key figure holds, typed, for the formats that keep types (XLSX gets
 * numbers and dates, not their text); HTML and DOCX show the node's text. */
typedef enum ValueType { VALUE_TEXT, VALUE_NUMBER, VALUE_DATE, VALUE_BOOL } ValueType;

typedef struct DocValue {
  ValueType type;
  Tone tone;     /* the colour it is shown in, TONE_NONE for none (beside type: 24 bytes, not 32) */
  double number; /* VALUE_NUMBER; VALUE_BOOL: 1 true, 0 false */
  Date date;     /* VALUE_DATE */
} DocValue;

/* A metric's measurements over time, and its target: drawn as a line chart (an inline SVG
 * in HTML, a table of bars in DOCX), always next to the table of the same numbers, which
 * the node holds as its children. */
typedef struct TrendPoint {
  const char *date;  /* YYYY-MM-DD */
  const char *label; /* the value as written ("78.5") */
  double value;
  Tone tone; /* TONE_DONE when the value meets the target, TONE_OVERDUE when it misses it */
} TrendPoint;

typedef struct TrendChart {
  const char *title, *unit; /* unit: "%", or "" */
  TrendPoint *points;       /* by date, oldest first */
  size_t npoints;
  bool has_target;
  double target;
  const char *target_label; /* the target as written */
  bool at_most;             /* the target is a ceiling */
} TrendChart;

/* A node's children may be shared with other nodes of the same document (the traceability
 * matrix repeats a control's policy links on every row of the control): renderers read the
 * tree and never change it, and a builder adds nothing to a node whose children it shares. */
typedef struct DocNode DocNode;
/* The bodies of a scale-1 build are 1.3 million nodes (the RTP and the risk register most of
 * them), every byte faulted in and walked by three renderers: the node is kept small (96
 * bytes, not 176: the bodies' arenas 133 MB, not 237). The fields every kind may have come first;
 * those of one kind share a union, so a field of an arm is read and written only on a node of the
 * kinds the arm names (a renderer tests n->kind first: on a node of another kind the field holds
 * another arm's bytes). */
struct DocNode {
  DocKind kind;
  Tone tone;    /* DOC_BADGE: its colour */
  int level;    /* DOC_SECTION: 1..4; DOC_MARKDOWN: the level of its section */
  bool header;  /* DOC_CELL: a header cell */
  bool numeric; /* DOC_CELL: a number, right-aligned */
  bool ordered; /* DOC_LIST */
  DocNode *first, *last, *next;
  const char *text;
  const char *anchor; /* DOC_SECTION, DOC_ROW, DOC_HEATMAP, DOC_TREND: the id others link to */
  const char *cls;    /* DOC_BADGE, DOC_NOTICE, DOC_ROW, DOC_TABLE, DOC_FIGURE: a style name */
  union {
    struct {          /* DOC_CELL, DOC_FIGURE */
      DocValue value; /* the typed value the text shows */
      /* DOC_CELL of a header row: the values its column may hold (an enumerated field), so
       * a format that can edit (XLSX) offers just those and an edited sheet stays importable */
      const char *const *choices;
    };
    struct {                /* DOC_LINK, DOC_MARKDOWN */
      const Record *record; /* DOC_LINK: the record linked to */
      const char *href;     /* DOC_LINK: an external URL */
      /* DOC_MARKDOWN: the body as a prepared cmark-gfm tree (markdown.h); its headings nest
       * under `level` (# becomes h<level+1>) */
      const struct MdDoc *markdown;
    };
    struct { /* DOC_TABLE */
      /* the same rows as a spreadsheet keeps them (XLSX), or NULL for the table itself: one
       * column per field, typed, with the field's own values, so the sheet imports back
       * (`ismsc import`); the table beside it is what a reader sees in HTML and DOCX. Not a
       * child: only a format that asks for it sees it. */
      const DocNode *sheet;
      int header_rows; /* the first rows that are headers */
    };
    HeatMap *heatmap;        /* DOC_HEATMAP */
    const TrendChart *trend; /* DOC_TREND */
  };
};
/* Grows only on purpose: each 8 bytes more is 10 MB more to fault in on a scale-1 build
 * (1.3 million nodes). */
_Static_assert(sizeof(DocNode) <= 96, "DocNode grew: see the comment above struct DocNode");

/* A table with no rows below its header. Documents read on a page (HTML, DOCX) show it as
 * one sentence, doc_table_none's "Caption: none.", since a bare header row reads as a fault
 * to an auditor; a sheet (XLSX) keeps the header, so the empty register can still be filled
 * in and imported. */
bool doc_table_empty(const DocNode *table);
const char *doc_table_none(Arena *a, const DocNode *table);

/* The document control block every document opens with (SPEC §3). A controlled document
 * (a policy, the scope, a generated document listed under `documents:` in isms.yaml) has its
 * own number, version and approval; a working view shows the manifest's owner, no version
 * and no approval. Every document has a number (its id when none is given) and a
 * classification (`internal` when none is given). */
typedef struct DocControl {
  const char *organisation, *title, *id, *version, *owner, *approver, *approved_date, *next_review,
      *classification, *status;
  const char *number;    /* the document number ("ISMS-04"), else its id */
  const char *revision;  /* the commit it is built from, "+modified" when the tree differs */
  bool controlled;       /* under document control: the Git rules judge it */
  const Value *approval; /* its `approved` map as bound (the Git rules report at it), or NULL */
} DocControl;

/* The source revision, read with libgit2 (revision.c). */
typedef struct Revision {
  bool in_git;
  char commit[41];
  char short_commit[13];
  char date[11]; /* the commit's date, YYYY-MM-DD */
  bool modified; /* the work tree differs from the commit */
} Revision;

/* The formats a document can exist in, one bit per renderer (emit.h's renderer table). */
enum { DOC_HTML = 1u << 0, DOC_DOCX = 1u << 1, DOC_XLSX = 1u << 2 };

typedef struct Document Document;
typedef struct DocBuilder DocBuilder; /* documents.c's state while it builds one document */

/* One row of the document registry (documents.c): everything the build, the site's
 * navigation, --only and the link router know about a document. A new document is a row
 * and a builder. */
typedef struct DocType {
  const char *part;  /* the --only word: "soa" */
  const char *file;  /* output name without extension: "soa"; a per-record row: its folder */
  const char *title; /* NULL: the manifest's title (the index) */
  const char *nav;   /* its label in the site's navigation, or NULL */
  const char *blurb; /* how the index lists it, or NULL */
  unsigned formats;  /* DOC_HTML | DOC_DOCX | ... */
  bool landscape;    /* prints in landscape (the SoA) */
  int per_record;    /* -1: one document; a Kind: one document per record, "file/ID" */
  void (*build)(DocBuilder *b, const Document *d);
} DocType;

/* DocType.per_record of a single document that is in the set only when asked for
 * (docs_add_on_demand): the change report of --since. */
enum { DOC_ON_DEMAND = -2 };
/* The `documents:` entry of isms.yaml for a registry row's part ("soa"): a Value whose
 * fields are DOCCTL_*, or NULL when the part is not listed (a working view). */
const Value *doc_control_entry(const Model *m, const char *part);
/* Can a row be listed under `documents:`? Not a row of one document per record (policies,
 * reviews) nor the scope's: those take their control from their records; nor a report
 * built on demand (the change report). */
bool doc_type_listable(const DocType *t);

/* The registry, in the order the set is built and the navigation lists it. */
const DocType *doc_types(size_t *count);
/* The row of an --only word ("soa", "policies"), or NULL. */
const DocType *doc_type_find(const char *part);

/* One row of a document's control block, as every format lays it out. */
typedef struct DocField {
  const char *key, *value;
} DocField;

struct Document {
  const DocType *type;
  const char *name; /* output name without extension: "soa", "policies/POL-ISP" */
  const char *title;
  DocControl control;
  DocField *fields; /* the control block, rows with a value only, in order */
  size_t nfields;
  const char *footer; /* the one-line footer of every page: organisation, title, version,
                         date issued, source revision */
  bool landscape;
  bool wide_tables;     /* its body has a table too wide for portrait (set with the body) */
  bool nested;          /* its output is in a folder (policies/) */
  DocNode *body;        /* a DOC_SECTION at level 0: the whole content; NULL until built */
  PtrVec markdown;      /* the body's MdDoc *, freed with it (docs_free_body) */
  const Record *record; /* a per-record document: its record */
};

typedef struct DocSet {
  const Model *model;
  const Revision *revision;
  bool draft;                       /* --force over errors: every document says DRAFT */
  const Diags *diags;               /* shown on the index of a draft */
  bool unsafe_html;                 /* --unsafe-html: raw HTML in bodies stays HTML */
  bool with_evidence;               /* --with-evidence: cited files are in OUT/evidence/, linked */
  Date date;                        /* the build's date */
  PtrVec documents;                 /* Document *, in the registry's order */
  struct GitHistory *history;       /* the build's walk of the Git history (history.h), or NULL */
  const struct DiffResult *changes; /* build --since: the change report's content, or NULL */
} DocSet;

/* Lists the documents of the set: names, titles and control blocks, in `a`, but no content
 * (body NULL). A build makes one document's content at a time, writes it and frees it, so
 * its memory is bounded by the largest document (the traceability matrix runs to a million
 * nodes on a large tree) rather than by the whole set. */
void docs_plan(DocSet *set, Arena *a, const Model *m, const Revision *rev, bool draft,
               const Diags *diags);
/* Builds d's content (d->body) in `a`, Markdown bodies parsed once for every format. Free
 * it with docs_free_body before `a`. Safe on several threads, one document each. */
void docs_build_body(const DocSet *set, Document *d, Arena *a);
void docs_free_body(Document *d);
/* Both at once: every document of the set with its content, all in `a`; free with
 * docs_free. */
void docs_build(DocSet *set, Arena *a, const Model *m, const Revision *rev, bool draft,
                const Diags *diags);
void docs_free(DocSet *set);
/* Adds the on-demand row `part` (the change report of --since) to a planned set. */
Document *docs_add_on_demand(DocSet *set, Arena *a, const char *part);

/* Where a link to a record leads, for one format: the record's home document (a row of the
 * registry) and its anchor there. Renderers join the pieces as their format needs. */
typedef struct DocRoute {
  const char *up;     /* "../" from a document in a folder (policies/), else "" */
  const char *folder; /* a per-record home: its folder ("policies"), else NULL */
  const char *file;   /* the home's file name without extension: "soa", or the record's id */
  const char *anchor; /* the record's anchor in its home ("A.5.1"); NULL when it is the home */
  bool here;          /* the home is `from` itself */
} DocRoute;

/* Routes a link from document `from` (NULL: from the root) to record r in one format
 * (DOC_HTML, DOC_DOCX, ...). False when r's home document does not exist in that format. */
bool doc_route(const Document *from, const Record *r, unsigned format, DocRoute *out);
/* Whether a link in a record or body may be made live in a document: http(s) and mailto
 * only. Anything else (javascript:, data:, file:, vbscript:) is shown as its text. */
bool doc_safe_url(const char *url);

/* Whether d prints in landscape: its type says so (the SoA), or it has a table too wide for
 * a portrait page (the RTP, the risk register). HTML (a named @page) and DOCX (the
 * section's orientation) ask the same question, so they turn the same documents. */
bool doc_landscape(const Document *d);
/* Whether a body has a table too wide for a portrait page: asked once, when it is built. */
bool doc_has_wide_tables(const DocNode *body);

/* Tree construction. */
DocNode *doc_new(Arena *a, DocKind kind);
DocNode *doc_add(DocNode *parent, DocNode *child);
DocNode *doc_text(Arena *a, DocNode *parent, const char *text);
DocNode *doc_link_record(Arena *a, DocNode *parent, const Record *r, const char *label);

/* libgit2: the commit of the repository holding `tree`, and whether the tree's files differ. */
void revision_read(const char *tree, Revision *rev);
/* "3f2a9c1d4e5b (2026-11-20, modified)" or "not in a Git repository". */
const char *revision_text(Arena *a, const Revision *rev);

#endif
