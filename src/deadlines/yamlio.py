"""YAML in with line numbers, YAML out in a stable, reviewable shape.

Rule files are read through ruamel.yaml's node tree, so every value keeps the
line it came from: an error names ``file:line`` and the field.  Scalars become
``str``, ``int``, ``float``, ``bool`` or ``None``; dates stay strings so that the
model, not the YAML parser, reports an impossible date such as 2015-02-30 with
its field name.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterable

from .errors import RulesFileError

Lines = dict[tuple, int]

_INT_ERRORS = {"int_type", "int_parsing", "int_from_float", "int_parsing_size"}
_DATE_ERRORS = {"date_from_datetime_parsing", "date_parsing", "date_type", "date_from_datetime_inexact"}

_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"


def _scalar(tag: str, text: str) -> Any:
    if tag == _NULL:
        return None
    if tag == _BOOL:
        return text.lower() in ("true", "yes", "on")
    if tag == _INT:
        try:
            return int(text.replace("_", ""), 0)
        except ValueError:
            return text
    if tag == _FLOAT:
        try:
            return float(text)
        except ValueError:
            return text
    return text


# Bounds on what a rules file (or units.yaml, or a calendar file) may be.  A
# province's whole plan set is a few MB; nothing reviewed by a person nests
# deeper than a dozen levels or needs an alias that expands to more values than
# the file itself holds ("billion laughs" does, and would hang the reader).
MAX_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 64
MIN_ALIAS_BUDGET = 10_000  # values an alias may add, or as many as the file holds if more

# What YAML 1.2 does not allow in a file (5.1 Character Set): C0 controls but
# tab, LF and CR; DEL; C1 controls but NEL; surrogates; U+FFFE and U+FFFF.
_NOT_PRINTABLE = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")
_CONTROL_NAMES = {
    0x00: "NUL", 0x07: "BEL", 0x08: "BS", 0x0B: "VT", 0x0C: "FF", 0x1A: "SUB", 0x1B: "ESC", 0x7F: "DEL",
}
# The encodings :func:`deadlines.textfile.decode` tells, as iconv and a person name them.
_ICONV = {"gb18030": "GB18030", "utf-16-le": "UTF-16LE", "utf-16-be": "UTF-16BE",
          "utf-32-le": "UTF-32LE", "utf-32-be": "UTF-32BE"}
_NAMES = {"gb18030": "GB18030（GBK）", "utf-16-le": "UTF-16", "utf-16-be": "UTF-16",
          "utf-32-le": "UTF-32", "utf-32-be": "UTF-32"}


def read_text(path: str | Path) -> str:
    """The text of a YAML file: UTF-8 (a BOM is allowed), at most :data:`MAX_BYTES`.

    Any other encoding is refused with the one it looks like and how to
    convert it; a control character is refused with its line and column.
    """
    from .messages import say

    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise RulesFileError(path, None, say("too_big", size=size, limit=MAX_BYTES))
        with path.open("rb") as f:
            raw = f.read(size + 1)
            while len(raw) <= MAX_BYTES and (more := f.read(1 << 20)):  # it grew since
                raw += more
    except OSError as exc:
        raise RulesFileError(path, None, f"cannot read: {exc.strerror or exc}") from None
    if len(raw) > MAX_BYTES:
        raise RulesFileError(path, None, say("too_big", size=len(raw), limit=MAX_BYTES))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RulesFileError(path, _line_at(raw, exc.start), _encoding_message(path, raw, exc.start)) from None
    check_characters(path, text)
    return text


def _line_at(raw: bytes, offset: int) -> int | None:
    """The line of byte ``offset`` when the bytes before it are readable lines; None for UTF-16/32."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in raw[:offset]:
        return None
    return raw.count(b"\n", 0, offset) + 1


def _encoding_message(path: Path, raw: bytes, offset: int) -> str:
    """What a file that is not UTF-8 looks like, and the command that converts it.

    The encoding is told as every document of the package is read
    (:func:`deadlines.textfile.decode`: a byte-order mark, UTF-16's NUL bytes,
    else GB18030, which Chinese Windows editors save in); bytes that are none
    of those are called what they likely are, binary.
    """
    from .messages import say
    from .textfile import TextFileError, decode

    try:
        _, encoding = decode(raw, str(path))
    except TextFileError:
        return say("encoding_unknown", byte=offset)
    encoding = encoding.removesuffix(" (BOM)")
    if encoding in ("utf-8", "ascii"):  # UTF-8 after a BOM of another width: not text after all
        return say("encoding_unknown", byte=offset)
    return say("encoding_guess", encoding=_NAMES.get(encoding, encoding.upper()),
               iconv=_ICONV.get(encoding, encoding.upper()), name=path.name)


def check_characters(path: str | Path, text: str) -> None:
    """Refuse a character YAML does not allow (NUL, a control character), naming its line and column."""
    from .messages import say

    m = _NOT_PRINTABLE.search(text)
    if m is None:
        return
    line = text.count("\n", 0, m.start()) + 1
    column = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
    code = ord(m[0])
    name = _CONTROL_NAMES.get(code) or ("控制字符" if code < 0x20 or 0x7F <= code < 0xA0 else "非字符")
    raise RulesFileError(path, line, say("control_char", column=column, code=f"U+{code:04X}", name=name))


def check_flow_depth(path: str | Path, text: str) -> None:
    """Refuse a line that opens more than :data:`MAX_DEPTH` brackets (``[[[[…``).

    ruamel's scanner looks up to 1,024 characters ahead for a key at every
    open bracket of a line, so 10,000 ``[`` on one line take seconds before
    the first event reaches :func:`build`, whose own count stops deep nesting
    written over many lines.  Brackets are counted as written, quoted or not:
    a line of real text never holds 64 unclosed ones.
    """
    from .messages import say

    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return
    for number, line in enumerate(text.split("\n"), 1):
        if line.count("[") + line.count("{") <= MAX_DEPTH:
            continue
        depth = 0
        for ch in line:
            if ch in "[{":
                depth += 1
                if depth > MAX_DEPTH:
                    raise RulesFileError(path, number, say("too_deep", limit=MAX_DEPTH))
            elif ch in "]}" and depth:
                depth -= 1


def load_yaml(path: str | Path, text: str | None = None) -> tuple[Any, Lines]:
    """Read YAML; return the data and a map from key path to 1-based line.

    The file is bounded before anything is built from it: its size, its
    encoding and characters (:func:`read_text`), how deep it nests
    (:data:`MAX_DEPTH`) and how much its aliases expand.  Every problem is a
    :class:`RulesFileError` with the line, never a ``RecursionError`` or a
    ``MemoryError``.
    """
    from ruamel.yaml import YAML

    path = Path(path)
    if text is None:
        text = read_text(path)
    else:
        check_characters(path, text)
    check_flow_depth(path, text)
    return build(path, YAML(typ="safe", pure=True).parse(text))


def build(path: Path, events: Iterable[Any]) -> tuple[Any, Lines]:
    """Build the data of one YAML document from its parser events (ruamel's; a
    faster parser giving the same events shares every check made here).

    Built without recursion, so depth is a count, not the interpreter's stack;
    an alias is the value its anchor built (shared, not copied), and the
    values aliases add up to are counted before anything is shared.
    """
    from ruamel.yaml.error import MarkedYAMLError, YAMLError
    from ruamel.yaml.events import (
        AliasEvent,
        DocumentStartEvent,
        MappingEndEvent,
        MappingStartEvent,
        ScalarEvent,
        SequenceEndEvent,
        SequenceStartEvent,
    )
    from ruamel.yaml.nodes import ScalarNode
    from ruamel.yaml.resolver import VersionedResolver

    from .messages import say

    resolver = VersionedResolver()
    lines: Lines = {}
    # One frame per open mapping or sequence:
    # [container, key path, key waiting for its value (mappings), anchor, values inside, is a mapping]
    stack: list[list[Any]] = []
    anchors: dict[str, tuple[Any, int]] = {}
    open_anchors: set[str] = set()
    root: Any = None
    documents = 0
    values = 0  # values the file itself holds
    expanded = 0  # values added by aliases
    _KEY = object()  # a mapping waiting for a key

    def fail(line: int | None, message: str, field: str = "") -> None:
        raise RulesFileError(path, line, message, field)

    def place(value: Any, size: int, line: int) -> None:
        nonlocal root
        if not stack:
            root = value
            lines.setdefault((), line)
            return
        frame = stack[-1]
        frame[4] += size
        if frame[5]:
            key = frame[2]
            frame[0][key] = value
            frame[2] = _KEY
        else:
            key_path = frame[1] + (len(frame[0]),)
            lines.setdefault(key_path, line)
            frame[0].append(value)

    def take_key(event: Any, line: int) -> bool:
        """In a mapping waiting for a key: this event is the key (True)."""
        if not stack or not stack[-1][5] or stack[-1][2] is not _KEY:
            return False
        if not isinstance(event, (ScalarEvent, AliasEvent, MappingStartEvent, SequenceStartEvent)):
            return False  # the end of the mapping
        if not isinstance(event, ScalarEvent):
            fail(line, say("key_not_text"))
        key = _scalar(_tag(event, resolver, ScalarNode), event.value)
        frame = stack[-1]
        if key in frame[0]:
            fail(line, say("key_twice"), str(key))
        frame[2] = key
        lines[frame[1] + (key,)] = line
        return True

    def child_path() -> tuple:
        if not stack:
            return ()
        frame = stack[-1]
        return frame[1] + ((frame[2],) if frame[5] else (len(frame[0]),))

    try:
        for event in events:
            line = event.start_mark.line + 1 if event.start_mark is not None else None
            if isinstance(event, DocumentStartEvent):
                documents += 1
                if documents > 1:
                    fail(line, say("two_documents"))
                continue
            if take_key(event, line):
                values += 1
                continue
            if isinstance(event, ScalarEvent):
                values += 1
                value = _scalar(_tag(event, resolver, ScalarNode), event.value)
                if event.anchor is not None:
                    anchors[event.anchor] = (value, 1)
                lines.setdefault(child_path(), line)
                place(value, 1, line)
            elif isinstance(event, (MappingStartEvent, SequenceStartEvent)):
                values += 1
                if len(stack) >= MAX_DEPTH:
                    fail(line, say("too_deep", limit=MAX_DEPTH))
                key_path = child_path()
                lines.setdefault(key_path, line)
                if event.anchor is not None:
                    open_anchors.add(event.anchor)
                mapping = isinstance(event, MappingStartEvent)
                stack.append([{} if mapping else [], key_path, _KEY, event.anchor, 1, mapping, line])
            elif isinstance(event, (MappingEndEvent, SequenceEndEvent)):
                container, _, _, anchor, size, _, start = stack.pop()
                if anchor is not None:
                    open_anchors.discard(anchor)
                    anchors[anchor] = (container, size)
                place(container, size, start)
            elif isinstance(event, AliasEvent):
                name = event.anchor
                if name in open_anchors:
                    fail(line, say("alias_recursive", anchor=name))
                if name not in anchors:
                    fail(line, say("alias_undefined", anchor=name))
                value, size = anchors[name]
                expanded += size
                budget = max(MIN_ALIAS_BUDGET, values)
                if expanded > budget:
                    fail(line, say("alias_too_big", anchor=name, limit=budget))
                lines.setdefault(child_path(), line)
                place(value, size, line)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise RulesFileError(path, line, f"not valid YAML: {exc.problem or exc.context}") from None
    except YAMLError as exc:
        raise RulesFileError(path, None, f"not valid YAML: {exc}") from None
    if not lines:
        return None, {(): 1}
    return root, lines


def _tag(event: Any, resolver: Any, node_class: Any) -> str:
    """The tag of a scalar: as written (``!!str``), or resolved from its plain text."""
    tag = event.tag
    if tag is None or str(tag) == "!":
        return str(resolver.resolve(node_class, event.value, event.implicit))
    return str(tag)


def line_of(
    lines: Lines, loc: tuple, aliases: dict[str, tuple[str, ...]] | None = None, *, missing: bool = True
) -> tuple[int, str]:
    """The line of the deepest known key on ``loc`` and a readable field path.

    ``loc`` is a pydantic error location; parts that are not keys of the file
    (union tags, model names) are skipped, and a field known under another
    name in the file (``date`` written as ``on``) is found through ``aliases``.
    """
    key: tuple = ()
    matched_last = False
    for part in loc:
        matched_last = False
        for name in (part, *(aliases or {}).get(str(part), ())):
            if key + (name,) in lines:
                key = key + (name,)
                matched_last = True
                break
    field = ""
    for part in key:
        field += f"[{part}]" if isinstance(part, int) else (f".{part}" if field else str(part))
    if missing and loc and isinstance(loc[-1], str) and not matched_last:
        # a missing field: name it, on the line of the mapping that lacks it
        field += f".{loc[-1]}" if field else loc[-1]
    return lines.get(key, 1), field


def _shown(value: Any) -> str:
    """A value as the error shows it: quoted if text, cut if long."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _message(err: dict[str, Any]) -> str:
    from .i18n import _
    from .messages import say

    kind, ctx = err["type"], err.get("ctx") or {}
    if kind == "missing":
        return _("missing field")
    if kind == "extra_forbidden":
        return _("unknown field")
    if kind == "union_tag_invalid":
        expected = str(ctx.get("expected_tags", "")).replace("'", "")
        return _("unknown rule kind '{kind}' (expected one of {expected})").format(kind=ctx.get("tag"), expected=expected)
    if kind in _INT_ERRORS:
        value = err.get("input")
        text = say("not_int", value=_shown(value))
        if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 6:
            text += _(" (remove the quotes)")
        return text
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bound = {"greater_than_equal": _(">= {limit}"), "less_than_equal": _("<= {limit}"),
                 "greater_than": _("> {limit}"), "less_than": _("< {limit}")}[kind]
        limit = next(iter(ctx.values()), "")
        return _("should be {bound}, not {value}").format(bound=bound.format(limit=limit), value=_shown(err.get("input")))
    if kind in _DATE_ERRORS:
        return _("not a valid date: {value!r}; use YYYY-MM-DD").format(value=err.get("input"))
    return err["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")


def validate(
    model: Any,
    data: Any,
    path: str | Path,
    lines: Lines,
    *,
    aliases: dict[str, tuple[str, ...]] | None = None,
    context: dict[str, Any] | None = None,
) -> Any:
    """``model.model_validate(data)``; a failure becomes ``file:line: 'field' what is wrong``.

    The error names the first problem and counts the rest; ``.errors`` keeps them all.
    """
    from pydantic import ValidationError

    try:
        return model.model_validate(data, context=context)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        line, field = line_of(lines, tuple(errors[0]["loc"]), aliases, missing=errors[0]["type"] == "missing")
        message = _message(errors[0])
        if len(errors) > 1:
            from .i18n import ngettext

            message += ngettext(" (and {count} more problem in this file)", " (and {count} more problems in this file)",
                                len(errors) - 1).format(count=len(errors) - 1)
        error = RulesFileError(path, line, message, field)
        error.errors = errors  # every problem, for tools that list them all
        raise error from None
