"""Text as it is really saved, and the plain form it is read in.

Plans reach an office saved by Notepad, WPS or a browser: UTF-8 with or
without a byte-order mark, UTF-16 (Windows' "Unicode"), or GB18030/GBK (what
older WPS and Notepad write on a Chinese system).  :func:`decode` reads all of
them without the user converting anything and says what it tried when none
fits.

Copies from mirror sites come in traditional characters, sometimes with the
pinyin of a character inline (``鎮(zhèn)``, ``發(fā)``).  :func:`plain` gives the
text units and time limits are read from: pinyin dropped and, for a document
written in traditional characters, converted to simplified ones with OpenCC
(the ``t2s`` table).  Only a document that *is* traditional is converted: t2s
also maps characters of ordinary simplified text (乾佑 → 干佑), so converting
everything would corrupt place names.
"""

from __future__ import annotations

import re
from functools import lru_cache



def decode(data: bytes, source: str) -> str:
    """The text of a file's bytes, in whichever encoding it was saved
    (:func:`deadlines.textfile.decode`: one place for every reader of the package)."""
    from ..textfile import decode as decode_text

    return decode_text(data, source)[0]


# --------------------------------------------------------------------------
# The plain form

# Inline pinyin after a character: 鎮(zhèn), 發(fā), 日(ri) — lower-case Latin with
# or without tone marks, in ASCII or full-width brackets, right after a CJK character.
_PINYIN = re.compile(r"(?<=[\u4e00-\u9fff])[(（]([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüń]{1,7})[)）]")
_TONED = re.compile(r"[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]")
# A share of converted characters above this marks a traditional text.
_TRADITIONAL_SHARE = 0.03


def strip_pinyin(text: str) -> str:
    """'鎮(zhèn)人民政府' → '鎮人民政府'.  Untoned brackets count only where the
    text also has toned ones or the bracket follows a word ('(ri)(qi)'), so
    '(试行)' and '(PM2.5)' stay."""
    def drop(m: re.Match[str]) -> str:
        return "" if (_TONED.search(m[1]) or len(m[1]) <= 6) else m[0]

    return _PINYIN.sub(drop, text)


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s.json")


def is_traditional(text: str) -> bool:
    """Whether ``text`` is written in traditional characters (a share of its
    Chinese characters changes under t2s)."""
    han = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    if not han:
        return False
    sample = "".join(han[:20000])
    converted = _t2s().convert(sample)
    changed = sum(1 for a, b in zip(sample, converted) if a != b)
    return changed > len(sample) * _TRADITIONAL_SHARE


class Plain:
    """The plain form of one document's text (see the module docstring)."""

    def __init__(self, traditional: bool):
        self.traditional = traditional

    @classmethod
    def of(cls, text: str) -> "Plain":
        return cls(is_traditional(strip_pinyin(text)))

    def __call__(self, text: str) -> str:
        text = strip_pinyin(text)
        if self.traditional:
            text = _t2s().convert(text)
        return text

    def aligned(self, text: str) -> "Aligned":
        """The plain form of ``text`` with, for each of its characters, where it
        came from in ``text`` (pinyin dropped, characters converted one for one)."""
        keep: list[int] = []
        last = 0
        out = []
        for m in _PINYIN.finditer(text):
            if _TONED.search(m[1]) or len(m[1]) <= 6:
                out.append(text[last:m.start()])
                keep.extend(range(last, m.start()))
                last = m.end()
        out.append(text[last:])
        keep.extend(range(last, len(text)))
        bare = "".join(out)
        plain = _t2s().convert(bare) if self.traditional else bare
        if len(plain) != len(bare):  # a phrase converted to another length: convert character by character
            plain = "".join(_t2s().convert(ch) if self.traditional else ch for ch in bare)
            if len(plain) != len(bare):
                plain = bare
        return Aligned(text, plain, keep)


class Aligned:
    """A text and its plain form, to cut the text where its plain form is cut."""

    def __init__(self, raw: str, plain: str, positions: list[int]):
        self.raw, self.plain, self._pos = raw, plain, positions

    def raw_at(self, k: int) -> int:
        """The index in the raw text of plain index ``k`` (``len(plain)`` → the raw end)."""
        if k >= len(self._pos):
            return len(self.raw)
        return self._pos[k]

    def cut(self, start: int, end: int | None = None) -> str:
        """The raw text of ``plain[start:end]``."""
        end = len(self.plain) if end is None else end
        return self.raw[self.raw_at(start):self.raw_at(end)]

    def sub(self, start: int, end: int | None = None) -> "Aligned":
        """The part of both texts that ``plain[start:end]`` covers."""
        end = len(self.plain) if end is None else end
        a, b = self.raw_at(start), self.raw_at(end)
        return Aligned(self.raw[a:b], self.plain[start:end], [p - a for p in self._pos[start:end]])

    def strip(self, chars: str | None = None) -> "Aligned":
        left = len(self.plain) - len(self.plain.lstrip(chars))
        right = len(self.plain.rstrip(chars))
        return self.sub(left, max(left, right))
