"""Reads one document of a built set, HTML or DOCX, into the same plain shape, so that
html_docx.py can compare the two renderings of a document.

The shape (a dict):
  words    the document's text, as a list of words, in reading order (body only);
  links    (text, target) for every hyperlink in the body, in order; target as written
           (an href, or for DOCX the relationship's Target, or '#' + a w:anchor bookmark);
  tables   one tuple per table in document order, giving each row's width in grid columns
           (colspan / gridSpan counted); nested tables follow their parent;
  anchors  the ids (HTML) or bookmark names (DOCX) that links can point at;
  badges   (text, classes) of every HTML span.badge; (text, fill) of every shaded DOCX run;
  header, footer   the text of the page header and footer (HTML: the site header without
           its navigation, and footer.site; DOCX: the header and footer parts), as strings
           with single spaces;
  css, classification   (HTML only) the page's stylesheet, and the header's classification.
What must stay true: only the standard library, python-docx (DOCX package and relationships)
and its lxml are used. The few readings that are normalisations (how a span, the SoA's
figure boxes and a checkbox are read) are numbered as in html_docx.py's list, which is the
one place every forgiven difference is spelt out.
"""
import html.parser

import docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"

# Elements whose start and end separate words (everything else is inline).
HTML_BLOCKS = {"address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl",
               "dt", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
               "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot",
               "th", "thead", "tr", "ul", "footer", "body"}
HTML_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
             "track", "wbr"}
HTML_SKIPPED = {"head", "style", "script", "template"}
CHECKBOX = {True: "\u2612", False: "\u2610"}   # how DOCX writes a task-list checkbox


def _separating_span(tag, cls):
    """Normalisation 2: a span separates words, but span.id, an id or date kept whole on
    one line ("T-014", "2026-03-18"), is part of the text it sits in."""
    return tag == "span" and "id" not in cls


class _Text:
    """Text collected into words; a boundary ends the current word."""

    def __init__(self):
        self.words, self.pending = [], []

    def add(self, s):
        """Adds text; words join across calls ("a<b>c</b>" is the one word "ac")."""
        if not s:
            return
        parts = s.split()
        if s[:1].isspace() or not parts:
            self.boundary()
        for j, part in enumerate(parts):
            if j:
                self.boundary()
            self.pending.append(part)
        if s[-1:].isspace():
            self.boundary()

    def boundary(self):
        if self.pending:
            self.words.append("".join(self.pending))
            self.pending = []

    def done(self):
        self.boundary()
        return self.words


def _classes(attrs):
    return set((dict(attrs).get("class") or "").split())


class _HtmlReader(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []            # (tag, role, classes) of open elements; role: body|skip|header|footer
        self.body = _Text()
        self.header, self.footer = _Text(), _Text()
        self.links, self.open_links = [], []   # open_links: [href, _Text of its words]
        self.tables, self.open_tables = [], []
        self.badges, self.open_badges = [], []  # open_badges: [classes, _Text]
        self.anchors = set()
        self.css, self.classification, self.in_classification = "", "", False

    def _role(self):
        return self.stack[-1][1] if self.stack else "skip"

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        parent = self._role() if self.stack else "skip"
        cls = _classes(attrs)
        if tag == "body":
            role = "body"
        elif (tag in HTML_SKIPPED or (tag == "a" and "skip" in cls) or tag == "nav"
              or (tag == "p" and "downloads" in cls)             # normalisation 11
              or (tag == "svg" and "trend-svg" in cls)           # normalisation 9
              or (tag == "svg" and self.stack and "heatmap" in self.stack[-1][2])):  # 10
            role = "skip"
        elif tag == "header" and "site" in cls:
            role = "header"
        elif tag == "footer" and "site" in cls:
            role = "footer"
        else:
            role = parent
        if "id" in a and role == "body":
            self.anchors.add(a["id"])
        if tag in HTML_BLOCKS or _separating_span(tag, cls):  # normalisation 2
            self._boundary(role)
        if role == "body":
            self._start_structure(tag, a, cls)
        if tag == "span" and "classification" in cls:
            self.in_classification = True
        if tag not in HTML_VOID:
            self.stack.append((tag, role, cls))

    def _start_structure(self, tag, a, cls):
        if tag == "a" and "href" in a:
            self.open_links.append((a["href"], _Text()))
        elif tag == "span" and "badge" in cls:
            self.open_badges.append((sorted(cls), _Text()))
        elif tag == "input" and a.get("type") == "checkbox":    # normalisation 4
            self._boundary("body")
            self.handle_data(CHECKBOX["checked" in a])
            self._boundary("body")
        elif tag == "div" and "figures" in cls:                 # normalisation 3
            self.open_tables.append([0])
        elif tag == "div" and "figure" in cls and self.open_tables:
            self.open_tables[-1][-1] += 1
        elif tag == "table":
            self.open_tables.append([])
        elif tag == "tr" and self.open_tables:
            self.open_tables[-1].append(0)
        elif tag in ("td", "th") and self.open_tables and self.open_tables[-1]:
            self.open_tables[-1][-1] += int(a.get("colspan") or 1)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in HTML_VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in HTML_VOID:
            return
        # Pop to the matching element (the output is well formed; be lenient anyway).
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                break
        else:
            return
        while len(self.stack) > i:
            t, role, cls = self.stack.pop()
            if role == "body":
                self._end_structure(t, cls)
            if t in HTML_BLOCKS or _separating_span(t, cls):
                self._boundary(role)
            if t == "span" and "classification" in cls:
                self.in_classification = False

    def _end_structure(self, tag, cls):
        if tag == "a" and self.open_links:
            href, text = self.open_links.pop()
            self.links.append((" ".join(text.done()), href))
        elif tag == "span" and "badge" in cls and self.open_badges:
            classes, text = self.open_badges.pop()
            self.badges.append((" ".join(text.done()), classes))
        elif (tag == "table" or (tag == "div" and "figures" in cls)) and self.open_tables:
            self.tables.append(tuple(self.open_tables.pop()))

    def _sinks(self, role):
        sink = {"body": self.body, "header": self.header, "footer": self.footer}.get(role)
        inner = [t for _, t in self.open_links + self.open_badges] if role == "body" else []
        return ([sink] if sink else []) + inner

    def _boundary(self, role):
        for sink in self._sinks(role):
            sink.boundary()

    def handle_data(self, data):
        if self.stack and self.stack[-1][0] == "style":
            self.css += data
        if self.in_classification:
            self.classification += data.strip()
        for sink in self._sinks(self._role()):
            sink.add(data)


def html_document(path):
    reader = _HtmlReader()
    with open(path, encoding="utf-8") as f:
        reader.feed(f.read())
    reader.close()
    return {"words": reader.body.done(), "links": reader.links, "tables": reader.tables,
            "anchors": reader.anchors, "badges": reader.badges, "css": reader.css,
            "classification": reader.classification,
            "header": " ".join(reader.header.done()), "footer": " ".join(reader.footer.done())}


class _DocxReader:
    """Walks WordprocessingML (python-docx's lxml tree) the way Word lays it out."""

    def __init__(self, rels):
        self.rels = rels
        self.body = _Text()
        self.open_links = []      # _Text of each open w:hyperlink's words
        self.links, self.tables, self.anchors, self.badges = [], [], set(), []

    def _add(self, s):
        for sink in [self.body] + self.open_links:
            sink.add(s)

    def _boundary(self):
        for sink in [self.body] + self.open_links:
            sink.boundary()

    def walk(self, el):
        tag = el.tag
        if tag == W + "p":
            self._boundary()
            self._children(el)
            self._boundary()
        elif tag == W + "t":
            self._add(el.text or "")
        elif tag == W + "noBreakHyphen":  # an id's or date's hyphen (Word shows "-")
            self._add("-")
        elif tag in (W + "tab", W + "br", W + "cr"):
            self._boundary()
        elif tag in (W + "instrText", W + "delText", W + "pPr", W + "rPr", W + "sectPr",
                     W + "tblPr", W + "tcPr", W + "trPr", W + "tblGrid"):
            return
        elif tag == W + "bookmarkStart":
            self.anchors.add(el.get(W + "name"))
        elif tag == W + "hyperlink":
            self._hyperlink(el)
        elif tag == W + "r" and el.find(f"{W}rPr/{W}shd") is not None:
            self._shaded_run(el)
        elif tag == W + "tbl" and el.find(f"{W}tblPr/{W}tblCaption[@{W}val='Trend chart']") is not None:
            return                                                # normalisation 9
        elif tag == W + "tbl" and el.find(f"{W}tblPr/{W}tblCaption[@{W}val='Heat map']") is not None:
            return                                                # normalisation 10
        elif tag == W + "tbl":
            self._table(el)
        else:
            self._children(el)

    def _children(self, el):
        for child in el:
            self.walk(child)

    def _hyperlink(self, el):
        rid, anchor = el.get(R + "id"), el.get(W + "anchor")
        target = self.rels[rid].target_ref if rid else "#" + (anchor or "")
        self.open_links.append(_Text())
        self._children(el)
        self.links.append((" ".join(self.open_links.pop().done()), target))

    def _shaded_run(self, el):
        fill = el.find(f"{W}rPr/{W}shd").get(W + "fill")
        text = _Text()
        self.open_links.append(text)        # collect its words too
        self._children(el)
        self.open_links.remove(text)
        self.badges.append((" ".join(text.done()), fill))

    def _table(self, el):
        rows, index = [], len(self.tables)
        self.tables.append(None)          # keep document order: parent before nested tables
        self._boundary()
        for tr in el.iterchildren(W + "tr"):
            width = 0
            for tc in tr.iterchildren(W + "tc"):
                span = tc.find(f"{W}tcPr/{W}gridSpan")
                width += int(span.get(W + "val")) if span is not None else 1
                self._boundary()
                self._children(tc)
                self._boundary()
            rows.append(width)
        self.tables[index] = tuple(rows)


def _part_text(part):
    reader = _DocxReader(part.rels)
    reader.walk(part.element)
    return " ".join(reader.body.done())


def _drop_toc(body):
    """Normalisation 11: a long DOCX has a table of contents after its document control (a
    "Contents" caption, then a TOC field whose result lists the headings); the HTML page has
    the site's navigation instead. The caption and the field's paragraphs are left out."""
    kids = list(body)
    for i, p in enumerate(kids):
        instr = "".join(t.text or "" for t in p.iter(W + "instrText"))
        if p.tag != W + "p" or not instr.strip().startswith("TOC "):
            continue
        end = next((j for j in range(i, len(kids))
                    if any(f.get(W + "fldCharType") == "end" for f in kids[j].iter(W + "fldChar"))), i)
        start = i - 1 if i and "".join(t.text or "" for t in kids[i - 1].iter(W + "t")) == "Contents" else i
        for k in kids[start:end + 1]:
            body.remove(k)
        return


def docx_document(path):
    d = docx.Document(path)
    _drop_toc(d.element.body)
    reader = _DocxReader(d.part.rels)
    reader.walk(d.element.body)
    header = footer = ""
    for rel in d.part.rels.values():
        if rel.reltype.endswith("/header"):
            header = _part_text(rel.target_part)
        elif rel.reltype.endswith("/footer"):
            footer = _part_text(rel.target_part)
    return {"words": reader.body.done(), "links": reader.links, "tables": reader.tables,
            "anchors": reader.anchors, "badges": reader.badges, "header": header,
            "footer": footer}
