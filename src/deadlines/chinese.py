"""Chinese text as copies of plans and notices give it: inline pinyin, traditional characters.

Copies from mirror sites come in traditional characters, sometimes with the
pinyin of a character inline (``鎮(zhèn)``, ``發(fā)``).  One rule drops such
pinyin and one OpenCC converter (the ``t2s`` table) gives simplified
characters, for the importer (:mod:`deadlines.importers.charset`), the
phrase reader (:func:`deadlines.phrases.to_simplified`) and the holiday
notices (:mod:`deadlines.holidays.notice`) alike.
"""

from __future__ import annotations

import re
from functools import cache

# Inline pinyin after a character: 鎮(zhèn), 發(fā), 日(ri) — lower-case Latin with
# or without tone marks, in ASCII or full-width brackets, right after a CJK character.
_PINYIN = re.compile(r"(?<=[\u4e00-\u9fff])[(（]([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüń]{1,7})[)）]")
_TONED = re.compile(r"[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]")
# A share of converted characters above this marks a traditional text.
_TRADITIONAL_SHARE = 0.03


def pinyin_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` has inline pinyin: 鎮(zhèn), 日(ri).  Untoned brackets count only when
    short (a syllable or two), so '(试行)' and '(PM2.5)' stay."""
    return [m.span() for m in _PINYIN.finditer(text) if _TONED.search(m[1]) or len(m[1]) <= 6]


def strip_pinyin(text: str) -> str:
    """'鎮(zhèn)人民政府' → '鎮人民政府' (see :func:`pinyin_spans`)."""
    spans = pinyin_spans(text)
    if not spans:
        return text
    out, last = [], 0
    for start, end in spans:
        out.append(text[last:start])
        last = end
    out.append(text[last:])
    return "".join(out)


@cache
def t2s():
    """OpenCC's traditional → simplified converter (loaded on first use: most text never needs it)."""
    import opencc

    return opencc.OpenCC("t2s.json")


def is_traditional(text: str) -> bool:
    """Whether ``text`` is written in traditional characters (a share of its
    Chinese characters changes under t2s)."""
    han = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    if not han:
        return False
    sample = "".join(han[:20000])
    converted = t2s().convert(sample)
    changed = sum(1 for a, b in zip(sample, converted) if a != b)
    return changed > len(sample) * _TRADITIONAL_SHARE
