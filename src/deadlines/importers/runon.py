"""Paragraphs that hold several items: pages copied without their line breaks, items run together.

Whatever the format (text, Word, a web page, PDF), a paragraph may hold several
items: "(一)…。(省发改委负责)(二)…。(省财政厅主办)", or a whole page whose line
breaks a copy lost ("…公示。 1.轨道交通…。 牵头领导:林静国 责任单位:… 2.新增…").
:func:`split_run_together` cuts them before the document is read, so every
reader gives the extractor one item per paragraph.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from ..phrases import chinese_number
from .document import Block, Paragraph
from .vocabulary import vocabulary

_RUN_ON = 150  # a line this long may be several paragraphs run together
# An item's number after a space, by style: 1. (not 1.5), (一), 一、.
_ITEM_AT = re.compile(r"(?<=\s)(?:(?P<l3>\d{1,3})[.、．](?!\d)|[(（](?P<h2>[一二三四五六七八九十]{1,3})[)）]"
                      r"|(?P<h1>[一二三四五六七八九十]{1,3})、)")

_CN_DIGITS = "一二三四五六七八九十"
# Item markers by style: (一) 一、 1. (1): the first marker (its number in group 1), the
# next marker with its number put in, and whether the numbers are Chinese.
_MARKERS = (
    (r"[(（]([一二三四五六七八九十]{1,3})[)）]", "[(（]{}[)）]", True),
    (r"([一二三四五六七八九十]{1,3})、", "{}、", True),
    (r"(\d{1,2})[.．、](?!\d)", r"{}[.．、](?!\d)", False),
    (r"[(（](\d{1,2})[)）]", "[(（]{}[)）]", False),
)


def split_run_together(blocks: list[Block]) -> list[Block]:
    """``blocks`` with each paragraph cut into the items run together in it (the first keeps
    the paragraph's level and style)."""
    out: list[Block] = []
    for block in blocks:
        if not isinstance(block, Paragraph):
            out.append(block)
            continue
        pieces = _run_on(block.text.strip())
        if len(pieces) < 2:
            out.append(block)
            continue
        out.append(Paragraph(pieces[0], block.where, block.level, block.style))
        out += [Paragraph(piece, block.where) for piece in pieces[1:]]
    return out


def _numeral(value: int, chinese: bool) -> str:
    if not chinese:
        return str(value)
    tens, ones = divmod(value, 10)
    return ((_CN_DIGITS[tens - 1] if tens > 1 else "") + ("十" if tens else "") + (_CN_DIGITS[ones - 1] if ones else ""))


def _inline_items(line: str) -> list[str]:
    """Items run together in one paragraph: "(一)…。(省发改委负责)(二)…。(省财政厅主办)".
    After a sentence or a bracket ends, the marker of the next number in the line's own
    style starts a new item."""
    for first_marker, next_marker, chinese in _MARKERS:
        first = re.match(first_marker, line)
        if not first:
            continue
        value, pieces, start = chinese_number(first[1]) if chinese else int(first[1]), [], 0
        while True:
            value += 1
            nxt = _next_item(next_marker, _numeral(value, chinese)).search(line, start + 1)
            if not nxt:
                break
            pieces.append(line[start:nxt.start()].strip())
            start = nxt.end()
        pieces.append(line[start:].strip())
        return [p for p in pieces if p]
    return [line]


@lru_cache(maxsize=256)
def _next_item(marker: str, numeral: str) -> re.Pattern[str]:
    """Where the item numbered ``numeral`` (in ``marker``'s style) starts: after a sentence or a bracket ends."""
    return re.compile(r"(?<=[。；;)）])\s*(?=" + marker.format(numeral) + ")")


@cache
def _labels() -> re.Pattern[str]:
    """A field label after a space (牵头领导: 责任单位: …)."""
    return re.compile(r"(?<=\s)(?:" + vocabulary().label_pattern.pattern + r")\s*[:：]")


def _run_on(line: str) -> list[str]:
    """A page copied without its line breaks: "…公示。 1.轨道交通…。 牵头领导:林静国 责任单位:市轨道交通工程
    建设指挥部 2.新增安装…", "…及时报送。 四、时间安排 (一)动员部署阶段(5月) 各县… (二)…".  Cut
    before each item number after a space that follows on from another of its style in the
    line (1. and 2., (一) and (二)), before a heading 四、 after a sentence, and before each
    field label after a space; a line with fewer than two such items is one paragraph."""
    if len(line) < _RUN_ON:
        return _inline_items(line)
    marks = []
    for m in _ITEM_AT.finditer(line):
        style = next(k for k in ("l3", "h2", "h1") if m[k])
        marks.append((m.start(), style, int(m[style]) if style == "l3" else chinese_number(m[style])))
    numbered = {(style, n) for _, style, n in marks}
    cuts = [at for at, style, n in marks if (style, n - 1) in numbered or (style, n + 1) in numbered]
    if len(cuts) < 2:
        return _inline_items(line)
    cuts += [at for at, style, _ in marks if style == "h1" and line[:at].rstrip().endswith(("。", "；"))]
    cuts += [m.start() for m in _labels().finditer(line)]
    cuts = sorted(set(cuts))
    pieces = [line[a:b].strip() for a, b in zip([0, *cuts], [*cuts, len(line)])]
    return [p for p in pieces if p]
