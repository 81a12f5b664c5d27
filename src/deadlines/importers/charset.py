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

from ..chinese import is_traditional, pinyin_spans, strip_pinyin, t2s


def decode(data: bytes, source: str) -> str:
    """The text of a file's bytes, in whichever encoding it was saved
    (:func:`deadlines.textfile.decode`: one place for every reader of the package)."""
    from ..textfile import decode as decode_text

    return decode_text(data, source)[0]


# --------------------------------------------------------------------------
# The plain form


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
            text = t2s().convert(text)
        return text

    def aligned(self, text: str) -> "Aligned":
        """The plain form of ``text`` with, for each of its characters, where it
        came from in ``text`` (pinyin dropped, characters converted one for one)."""
        keep: list[int] = []
        last = 0
        out = []
        for start, end in pinyin_spans(text):
            out.append(text[last:start])
            keep.extend(range(last, start))
            last = end
        out.append(text[last:])
        keep.extend(range(last, len(text)))
        bare = "".join(out)
        plain = t2s().convert(bare) if self.traditional else bare
        if len(plain) != len(bare):  # a phrase converted to another length: convert character by character
            plain = "".join(t2s().convert(ch) if self.traditional else ch for ch in bare)
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
