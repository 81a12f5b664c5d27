"""Writing YAML a person reviews: plain scalars where they read back the same,
double quotes otherwise; the order given, nothing from the clock."""

from __future__ import annotations

import json
import re

# Plain only where YAML cannot read the text as anything but this string:
# no indicator at the start, no ': ' or ' #', not a number, date, bool or null.
_UNSAFE_START = re.compile(r"^[-?:,\[\]{}#&*!|>'\"%@`\s]")
_UNSAFE = re.compile(r": |:$| #|[\n\t\"\\]|\s$")
_SCALAR_LIKE = re.compile(
    r"^([-+]?[0-9_.:]+([eE][-+]?\d+)?|0x[0-9a-fA-F]+|\d{4}-\d\d?-\d\d?([Tt ].*)?|"
    r"(?i:y|n|yes|no|true|false|on|off|null|~|\.inf|\.nan))$"
)


def scalar(text: str) -> str:
    """``text`` as a YAML scalar that reads back as exactly this string."""
    if text and not _UNSAFE_START.search(text) and not _UNSAFE.search(text) and not _SCALAR_LIKE.match(text):
        return text
    return json.dumps(text, ensure_ascii=False)


def flow_list(items: list[str]) -> str:
    return "[" + ", ".join(scalar(i) for i in items) + "]"
