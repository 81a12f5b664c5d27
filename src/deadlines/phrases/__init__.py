"""The Chinese time-limit reader: 完成时限 text into rules.

    >>> parse_phrase("审批或核准后两个工作日内", year=2015)
    [RelativeRule(trigger='审批或核准', offset=_Offset(n=2, unit='workday'), ...)]

Nothing is dropped: text that is not understood comes back as an unread
rule (``kind: pending``, no trigger, the text in ``unparsed``), and the
obligation holding it is flagged for review.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import ValidationError

from ..errors import PhraseError
from ..messages import say
from .normalize import chinese_number, normalize, to_simplified
from .reader import RULE, held_on, read, tells_status, undated_limit


def parse_phrase(text: str, *, year: int | None, issued: date | None = None, prose: bool = False) -> list[Any]:
    """Read a time limit into rules; a date without a year is in ``year`` (or ``issued``'s year).

    ``prose=True`` reads time limits written inside requirement text
    ("在征集结束后1个月内公开反馈结果"): sentences without one are skipped
    instead of being kept as unread.
    """
    if not isinstance(text, str):
        raise PhraseError(repr(text), "a time limit must be text")
    if issued is not None and not isinstance(issued, date):
        raise PhraseError(text, say("issued_not_a_date", value=repr(issued)))
    found = read(text, year=year, issued=issued, prose=prose)
    try:
        return [RULE.validate_python(rule) for rule in found]  # the one validator the reader builds
    except ValidationError as exc:  # a construction produced an impossible rule
        raise PhraseError(text, f"cannot be read as a rule ({exc.errors()[0]['msg']})") from None


__all__ = ["parse_phrase", "normalize", "chinese_number", "to_simplified", "tells_status", "held_on", "undated_limit"]
