"""A saved document's bytes as text: plain text in any encoding a Chinese
office or browser writes, or a saved web page.

One place for this: the holiday-notice reader uses it now, and the plan
importer's readers (``deadlines.importers``) are meant to share it.

Plain text: a byte-order mark decides (UTF-8, UTF-16 LE/BE, UTF-32); without
one, UTF-16 is recognised by its NUL bytes, then strict UTF-8, then GB18030
(the superset of GBK and GB2312 that Chinese Windows writes).  A text that is
none of these is an error naming the first bad byte, never a guess.

A web page (``.html``, ``.htm``, ``.shtml``, or text that starts like one):
the charset its ``<meta>`` declares, else the same sequence as plain text;
then lxml's HTML parser, and its text with one line per block element.
Hidden text is left out: mirror sites hide anti-copy noise in
``display:none`` elements and ``class="jammer"`` fonts (Discuz).  The address
the page was saved from (``<!-- saved from url=… -->``, ``<link
rel="canonical">``, ``og:url``) is kept as its source.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import DeadlineError

HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml", ".mhtml"}

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# What pages declare, and what to decode them with: GB2312 and GBK pages
# routinely hold characters only GB18030 names (browsers do the same).
_CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
                    "cp936": "gb18030", "big5": "big5hkscs", "utf8": "utf-8"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_SAVED_FROM = re.compile(r"saved from url=\(\d+\)(\S+?)\s*-->", re.I)

# Block elements end a line; a <br> is a line break.
_BLOCKS = {"address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure",
           "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p",
           "pre", "section", "table", "tbody", "td", "th", "thead", "tr", "ul", "title"}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


class TextFileError(DeadlineError):
    """A file that cannot be read as text: names the file and what is wrong."""

    def __init__(self, file: str | Path, message: str):
        self.file = str(file)
        self.reason = message
        super().__init__(f"{self.file}: {message}")


@dataclass(frozen=True)
class Text:
    """A document as text, with how it was read."""

    text: str
    encoding: str
    html: bool = False
    url: str = ""  # where a saved web page came from, when it says


def decode(raw: bytes, name: str = "<text>") -> tuple[str, str]:
    """``raw`` as text and the encoding used (see the module text for the order).

    UTF-16 without a mark and GB18030 decode almost any bytes, so what they give
    is only taken when it reads as text (mostly Chinese, no control characters):
    a binary file is refused, never turned into nonsense.
    """
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return _strict(raw[len(bom):], encoding, name), encoding + " (BOM)"
    sample = raw[:4096]
    if b"\x00" in sample and len(raw) % 2 == 0:
        # No BOM, but NUL bytes, which neither UTF-8 nor GB18030 text holds: UTF-16,
        # its byte order told by where the NULs of ASCII characters (digits, line ends) fall.
        encoding = "utf-16-le" if sample[1::2].count(0) >= sample[0::2].count(0) else "utf-16-be"
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            text = ""
        if text and _reads_as_text(text):
            return text, encoding
        raise TextFileError(name, _NOT_TEXT)
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        raise TextFileError(name, _NOT_TEXT) from None
    if not _reads_as_text(text):
        raise TextFileError(name, _NOT_TEXT)
    return text, "gb18030"


_NOT_TEXT = "不是可读的文本（已按 UTF-8、UTF-16、GB18030 试读）：请另存为 UTF-8 文本，或直接导入 .docx/.xlsx 原件"


def _reads_as_text(text: str) -> bool:
    """Almost no control or private-use characters, and mostly characters documents
    are written in (ASCII, common Chinese characters, CJK punctuation and full-width forms)."""
    if not text:
        return True
    bad = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\t\n\r\f") or 0xE000 <= ord(ch) <= 0xF8FF)
    ordinary = sum(1 for ch in text if ch.isascii() or "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f"
                   or "\uff00" <= ch <= "\uffef" or "\u2000" <= ch <= "\u206f")
    return bad <= len(text) * 0.01 and ordinary >= len(text) * 0.9


def _strict(raw: bytes, encoding: str, name: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise TextFileError(name, f"not valid {encoding} (byte {exc.start})") from None


def looks_like_html(raw: bytes) -> bool:
    head = raw[:1024].lstrip(codecs.BOM_UTF8).lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<!-- saved from")) or b"<html" in head[:300]


def html_to_text(raw: bytes, name: str = "<page>") -> Text:
    """A saved web page's visible text, one line per block element."""
    import lxml.html

    declared = _META_CHARSET.search(raw[:4096])
    encoding = ""
    if declared and not any(raw.startswith(b) for b, _ in _BOMS):
        label = declared.group(1).decode("ascii", "replace").lower()
        label = _CHARSET_ALIASES.get(label, label)
        try:
            codecs.lookup(label)
            encoding = label
        except LookupError:
            encoding = ""
    if encoding:
        source = _strict(raw, encoding, name)
    else:
        source, encoding = decode(raw, name)
    saved = _SAVED_FROM.search(source[:2048])
    # lxml refuses str input that declares an encoding; the bytes are decoded already.
    source = re.sub(r"^\s*<\?xml[^>]*\?>", "", source)
    try:
        root = lxml.html.document_fromstring(source)
    except Exception as exc:  # lxml.etree.ParserError: an empty or non-HTML document
        raise TextFileError(name, f"not a readable web page ({exc})") from None
    url = saved.group(1) if saved else ""
    if not url:
        for xpath in ('//link[@rel="canonical"]/@href', '//meta[@property="og:url"]/@content'):
            found = root.xpath(xpath)
            if found:
                url = str(found[0]).strip()
                break
    for bad in root.xpath("//script|//style|//noscript|//template|//head"):
        bad.drop_tree()
    for hidden in root.xpath('//*[@style or @class="jammer" or @hidden]'):
        if hidden.get("class") == "jammer" or hidden.get("hidden") is not None or _HIDDEN_STYLE.search(
                hidden.get("style") or ""):
            hidden.drop_tree()
    parts: list[str] = []

    def walk(element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        block = tag.lower() in _BLOCKS
        if block:
            parts.append("\n")
        if element.text and tag:
            parts.append(element.text)
        for child in element:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if block:
            parts.append("\n")

    walk(root)
    text = "".join(parts).replace("\xa0", " ").replace("\r", "")
    lines = [line.rstrip() for line in text.split("\n")]
    # Runs of empty lines from nested blocks become one.
    out: list[str] = []
    for line in lines:
        if line.strip() or (out and out[-1].strip()):
            out.append(line)
    return Text("\n".join(out).strip("\n") + "\n", encoding, html=True, url=url)


def read_text(path: str | Path) -> Text:
    """The text of the file at ``path`` (plain text or a saved web page)."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise TextFileError(path, f"cannot read: {exc.strerror}") from None
    if path.suffix.lower() in HTML_SUFFIXES or looks_like_html(raw):
        return html_to_text(raw, str(path))
    text, encoding = decode(raw, str(path))
    return Text(text.replace("\r\n", "\n").replace("\r", "\n"), encoding)
