"""Web pages saved from a government site into a :class:`~.document.Document`, with lxml.

- **Charset**: a byte-order mark, else the page's own ``<meta charset>`` /
  ``http-equiv`` declaration (gb2312 and gbk are read as GB18030, their
  superset, since pages declared gb2312 often hold GBK characters), else
  UTF-8, else GB18030 as for text files.
- **The article, not the site**: scripts, styles and forms are dropped, and
  so are the site's header, navigation, breadcrumbs, side bars, sharing
  links and footer — recognised by their tag (nav, header, footer, aside),
  their class or id (nav, menu, footer, copyright, position, share, …), or
  by being mostly links — unless they hold a table, the <h1> or much of the
  page's text.
- **Tables**: ``rowspan``/``colspan`` resolved (the covered positions hold the
  merged cell's text, marked ``spanned``); ``<br>`` and paragraphs in a cell
  are line breaks; a table nested in a cell adds its rows to that cell's
  text; a layout table (one cell per row) is read as the blocks it holds.
"""

from __future__ import annotations

import re

from .document import Document, Paragraph, Table, Where, resolve_spans
from .problems import FormatProblem

_DROP = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "form", "select",
         "button", "input", "textarea", "head", "title", "meta", "link")
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "section",
          "article", "main", "header", "footer", "nav", "aside", "blockquote", "pre", "center", "address",
          "figure", "figcaption", "hr", "tr", "table", "caption", "body", "html", "font"}
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_WIDE = {"gb2312": "gb18030", "gbk": "gb18030", "gb_2312-80": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030"}


def decode_page(data: bytes, name: str) -> str:
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        from .charset import decode

        return decode(data, name)
    m = _CHARSET.search(data[:8192])
    if m:
        declared = m[1].decode("ascii").lower()
        try:
            return data.decode(_WIDE.get(declared, declared))
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration: read it as text of unknown encoding
    from .charset import decode

    return decode(data, name)


def read_html(data: bytes, name: str) -> Document:
    import lxml.html  # lazily: only `deadlines import` of a page needs it
    from lxml import etree

    text = decode_page(data, name)
    # lxml refuses a str that still declares an XML encoding.
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise FormatProblem("broken", name, kind="网页", reason=str(exc)[:80]) from None
    for el in root.iter(*_DROP):
        el.drop_tree() if el.getparent() is not None else None
    for el in root.iter(etree.Comment, etree.ProcessingInstruction):
        if el.getparent() is not None:
            el.drop_tree()
    body = root.find("body")
    body = body if body is not None else root
    stripped = _strip_site(body)
    reader = _Reader(name)
    doc = Document(blocks=[], name=name, kind="html")
    reader.blocks(body, doc.blocks)
    if stripped:
        doc.notes.append("网页只读入正文（网站的导航、栏目和页脚未读入）")
    return doc


# --------------------------------------------------------------------------
# The article: the page without the site around it

_CHROME = re.compile(r"(?i)(?:^|[\s_-])(nav|navbar|menu|header|top|topbar|footer|foot|bottom|copyright|crumbs?|"
                     r"breadcrumbs?|position|location|weizhi|share|fenxiang|side|sidebar|aside|banner|logo|search|"
                     r"links?|friendlink|toolbar|skip|qrcode|ewm)(?=$|[\s_-]|\d)")
_CHROME_TAGS = ("nav", "header", "footer", "aside")


def _strip_site(body) -> bool:
    """Remove the site's header, navigation, side bars, sharing links and footer:
    elements marked so by their tag, class or id, and blocks that are mostly
    links.  An element holding a table, an <h1> or a large share of the page's
    text is the article's, whatever its class says.  True when anything went."""
    total = max(_text_size(body), 1)
    removed: set = set()
    for el in list(body.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None or el.tag in ("table", "tr", "td", "th", "a"):
            continue
        if any(a in removed for a in el.iterancestors()):
            continue  # inside something already removed
        marks = f"{el.get('class') or ''} {el.get('id') or ''}"
        chrome = el.tag in _CHROME_TAGS or bool(_CHROME.search(marks.strip()))
        if not chrome:
            links = el.findall(".//a")
            size = _text_size(el)
            link_size = sum(_text_size(a) for a in links)
            chrome = len(links) >= 3 and size > 0 and link_size >= 0.6 * size
        if not chrome:
            continue
        if el.find(".//table") is not None or el.find(".//h1") is not None or _text_size(el) > 0.3 * total:
            continue
        removed.add(el)
    for el in removed:
        el.drop_tree()
    return bool(removed)


def _text_size(el) -> int:
    return sum(len(t.strip()) for t in el.itertext())


# --------------------------------------------------------------------------
# Blocks


class _Reader:
    def __init__(self, name: str):
        self.name = name
        self.line = 0
        self.tables = 0

    def where(self, **kw) -> Where:
        self.line += 1
        return Where(self.line, file=self.name, **kw)

    def blocks(self, el, out: list) -> None:
        """Paragraphs and tables under ``el`` in order: inline text runs until a block element or <br>."""
        buffer: list[str] = []
        level = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}

        def flush(tag: str = "") -> None:
            for piece in "".join(buffer).split("\n"):
                text = _squeeze(piece)
                if text:
                    out.append(Paragraph(text, self.where(), level=level.get(tag, 0),
                                         style="title" if tag == "h1" else ""))
            buffer.clear()

        if el.text:
            buffer.append(el.text)
        for child in el:
            if not isinstance(child.tag, str):
                if child.tail:
                    buffer.append(child.tail)
                continue
            tag = child.tag
            if tag == "table":
                flush()
                self.table(child, out)
            elif tag == "br":
                buffer.append("\n")
            elif tag in _BLOCK:
                flush()
                if tag in level and not child.findall(".//table"):
                    buffer.append(_cell_text(child).replace("\n", " "))
                    flush(tag)
                else:
                    self.blocks(child, out)
            else:
                buffer.append(_inline_text(child))
            if child.tail:
                buffer.append(child.tail)
        flush()

    def table(self, table, out: list) -> None:
        rows = [tr for tr in table.iter("tr") if _owner(tr) is table]
        if rows and all(len(_cells(tr)) == 1 for tr in rows):
            for tr in rows:  # a layout table: its cells hold the document
                self.blocks(_cells(tr)[0], out)
            return
        self.tables += 1
        number = self.tables
        start = Where(self.line + 1, file=self.name, table=number, row=1)
        raw = []
        for r, tr in enumerate(rows, 1):
            cells = [(_cell_text(td), _span(td, "rowspan"), _span(td, "colspan")) for td in _cells(tr)]
            raw.append((self.where(table=number, row=r), cells))
        caption = table.find("caption")
        out.append(Table(resolve_spans(raw), start, caption=_squeeze(caption.text_content()) if caption is not None else ""))


def _owner(tr):
    """The table a row belongs to (not a table nested in one of its cells)."""
    node = tr.getparent()
    while node is not None and node.tag != "table":
        node = node.getparent()
    return node


def _cells(tr) -> list:
    return [c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]


def _span(td, attr: str) -> int:
    m = re.match(r"\s*(\d+)", td.get(attr) or "")
    return min(int(m[1]), 1000) if m and int(m[1]) > 0 else 1


def _inline_text(el) -> str:
    parts: list[str] = []

    def walk(node) -> None:
        if node.tag == "br":
            parts.append("\n")
        elif node.text:
            parts.append(node.text)
        for child in node:
            if isinstance(child.tag, str):
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(el)
    return "".join(parts)


def _cell_text(td) -> str:
    """A cell's text: <br>, paragraphs and divs as line breaks; a nested table one line per row."""
    parts: list[str] = []

    def walk(node) -> None:
        for child in node:
            if not isinstance(child.tag, str):
                if child.tail:
                    parts.append(child.tail)
                continue
            if child.tag == "br":
                parts.append("\n")
            elif child.tag == "table":
                parts.append("\n")
                for tr in child.iter("tr"):
                    if _owner(tr) is child:
                        texts = [_cell_text(c).replace("\n", " ") for c in _cells(tr)]
                        parts.append(" ".join(t for t in texts if t) + "\n")
            elif child.tag in _BLOCK:
                parts.append("\n")
                if child.text:
                    parts.append(child.text)
                walk(child)
                parts.append("\n")
            else:
                if child.text:
                    parts.append(child.text)
                walk(child)
            if child.tail:
                parts.append(child.tail)

    if td.text:
        parts.append(td.text)
    walk(td)
    lines = [_squeeze(line) for line in "".join(parts).split("\n")]
    return "\n".join(line for line in lines if line)


def _squeeze(text: str) -> str:
    """Runs of white space (source indentation, &nbsp;) as one space; ideographic spaces kept."""
    return re.sub(r"[ \t\r\n\f\u00a0]+", " ", text).strip()
