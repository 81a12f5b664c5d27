"""YAML in with line numbers, YAML out in a stable, reviewable shape.

Rule files are read through ruamel.yaml's node tree, so every value keeps the
line it came from: an error names ``file:line`` and the field.  Scalars become
``str``, ``int``, ``float``, ``bool`` or ``None``; dates stay strings so that the
model, not the YAML parser, reports an impossible date such as 2015-02-30 with
its field name.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any, Iterable, Iterator

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


def load_yaml(path: str | Path, text: str | None = None, *, fast: bool | None = None) -> tuple[Any, Lines]:
    """Read YAML; return the data and a map from key path to 1-based line.

    The file is bounded before anything is built from it: its size, its
    encoding and characters (:func:`read_text`), how deep it nests
    (:data:`MAX_DEPTH`) and how much its aliases expand.  Every problem is a
    :class:`RulesFileError` with the line, never a ``RecursionError`` or a
    ``MemoryError``.

    Two readers give the events :func:`build` makes the data of: libyaml (C,
    through PyYAML) where :func:`fast_reader_takes` the text, and ruamel's
    pure-Python parser, the reference.  The fast one is about twenty times
    faster; anything it fails on, for any reason, is read again by the
    reference, so every error is the reference reader's own, with its line.
    ``fast=False`` reads with the reference alone (``None``: :data:`FAST`).
    """
    path = Path(path)
    if text is None:
        text = read_text(path)
    else:
        check_characters(path, text)
    check_flow_depth(path, text)
    if FAST if fast is None else fast:
        found = read_fast(path, text)
        if found is not None:
            return found
    return build(path, _ruamel_events(text))


def read_fast(path: Path, text: str) -> tuple[dict, Lines] | None:
    """The data and lines of ``text`` read by libyaml, or None where the reference reader must read it.

    None: the text is one libyaml may read otherwise (:func:`fast_reader_takes`),
    it fails in any way (the reference reader then says what is wrong, with
    its line), or it is not a mapping (every file read here is one; anything
    else is an error, and an empty document's line is where ruamel puts it).
    """
    if not fast_reader_takes(text):
        return None
    try:
        data, lines = build(path, _libyaml_events(text))
    except Exception:  # noqa: BLE001 - whatever it is, the reference reader says what
        return None
    return (data, lines) if isinstance(data, dict) else None


# The fast reader is used where it may be (tests turn it off to compare).
FAST = True

# What libyaml (YAML 1.1) reads differently from ruamel (YAML 1.2), found by
# holding the two against each other (tests/test_fast_reader.py): text with
# any of it goes to the reference reader.  Each pattern is tried only where
# its first character is in the text at all.
_FAST_REFUSES: tuple[tuple[str | None, re.Pattern[str]], ...] = (
    # A tab (libyaml reads "a:<TAB>b" and "b<TAB>c" as values, ruamel refuses
    # both); the line breaks of 1.1 that 1.2 reads as text (NEL, LS, PS); a
    # byte-order mark past the start.
    (None, re.compile("[\t\x85\u2028\u2029\ufeff]")),
    # A line ending in CR alone (old Mac files): the two read what follows a
    # block scalar's header differently.
    ("\r", re.compile(r"\r(?!\n)")),
    # A directive (%YAML, %TAG): libyaml refuses some that ruamel takes.
    ("%", re.compile("^%", re.M)),
    # A tag: "!x," in a flow collection is a tag and an empty value to
    # libyaml, the tag "!x," to ruamel; "! " is null to ruamel, '' to libyaml.
    ("!", re.compile(r"!(?<![^\s\[{,]!)")),
    # A comment right after a block scalar's header (">+#"): libyaml takes it,
    # ruamel refuses it.
    ("#", re.compile(r"[|>][-+0-9]*#")),
    # An anchor or alias name with a character past libyaml's [0-9A-Za-z_-]:
    # "&a:" is the anchor "a:" in 1.2, the anchor "a" and a colon in 1.1.
    ("&", re.compile(r"&(?<![^\s\[{,]&)[0-9A-Za-z_-]*[^0-9A-Za-z_\s-]")),
    ("*", re.compile(r"\*(?<![^\s\[{,]\*)[0-9A-Za-z_-]*[^0-9A-Za-z_\s-]")),
)


def fast_reader_takes(text: str) -> bool:
    """True where libyaml reads ``text`` into the same events as ruamel (see :data:`_FAST_REFUSES`).

    None of what is refused is in a file the importer writes.  The tests hold
    the two readers against each other on every rules file of the package,
    the corpus imports, generated plan sets and generated YAML of every
    style: either the fast reader gives the same data and lines, or it fails
    and the reference reader is asked.
    """
    return not any((first is None or first in text) and pattern.search(text) for first, pattern in _FAST_REFUSES)


def _libyaml_events(text: str) -> Iterator[Any]:
    """The parser events of ``text`` from libyaml (PyYAML's C parser: no constructor, no resolver runs)."""
    from yaml._yaml import CParser

    return iter(CParser(text).get_event, None)  # None after the stream's end


def _ruamel_events(text: str) -> Iterator[Any]:
    """The parser events of ``text`` from ruamel's pure-Python parser (the reference)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        yield from YAML(typ="safe", pure=True).parse(text)
    except AssertionError as exc:  # its answer to some directives ("%YAML 1.3")
        raise YAMLError(str(exc)) from None


_STR = "tag:yaml.org,2002:str"


@cache
def _implicit_tags() -> dict[str, list[tuple[str, Any]]]:
    """ruamel's YAML 1.2 implicit resolvers: first character → [(tag, pattern)].

    Taken from ruamel itself, so a plain scalar gets the tag ruamel gives it
    (``on``, ``no``, ``yes`` stay text; ``0123`` is an int pattern that
    :func:`_scalar` keeps as text; dates stay text) whichever parser read it.
    ruamel picks 1.2 here whatever the document says: the resolver is used
    without a loader, as :func:`build` always has.
    """
    from ruamel.yaml.resolver import VersionedResolver

    table = VersionedResolver().versioned_resolver
    assert None not in table  # no resolver for every first character
    # ruamel's patterns are compiled on first use behind a proxy; the same pattern and flags, compiled here
    return {first: [(str(tag), re.compile(regexp.pattern, regexp.flags)) for tag, regexp in found]
            for first, found in table.items()}


def _resolved(tag: Any, value: str, implicit: Any, table: dict[str, list[tuple[str, Any]]]) -> str:
    """The tag of a scalar: as written (``!!str``), or resolved from its plain text (as ruamel's
    ``VersionedResolver.resolve`` does for a scalar, with no path resolvers)."""
    if tag is not None:
        tag = str(tag)  # ruamel's is a Tag
        if tag != "!":
            return tag
    if implicit[0]:
        for found, regexp in table.get(value[:1], ()):
            if regexp.match(value):
                return found
    return _STR


def build(path: Path, events: Iterable[Any]) -> tuple[Any, Lines]:
    """Build the data of one YAML document from its parser events (ruamel's or
    libyaml's, which share the event classes' names and fields).

    Built without recursion, so depth is a count, not the interpreter's stack;
    an alias is the value its anchor built (shared, not copied), and the
    values aliases add up to are counted before anything is shared.

    The loop is the hot path of reading a province's rules (a million events
    for 50,000 obligations): a plain scalar whose first character starts no
    implicit type, the most common event by far, costs no call.
    """
    from .messages import say

    table = _implicit_tags()
    typed_firsts = frozenset(table)  # first characters that may start an int, a float, a bool, a null
    lines: Lines = {}
    # One frame per open mapping or sequence:
    # [container, key path, anchor, values inside, is a mapping, line, the key it is the value of]
    stack: list[list[Any]] = []
    anchors: dict[str, tuple[Any, int]] = {}
    open_anchors: set[str] = set()
    root: Any = None
    documents = 0
    values = 0  # values the file itself holds
    expanded = 0  # values added by aliases
    kinds: dict[type, int] = {}
    # The open collection (stack[-1]): its frame, its container, its key path,
    # whether it is a mapping, and (a mapping) the key whose value comes next,
    # or _WAITING while it waits for a key.
    top: list[Any] | None = None
    container: Any = None
    top_path: tuple = ()
    top_map = False
    key: Any = _WAITING
    line: int | None = None

    def fail(line: int | None, message: str, field: str = "") -> None:
        raise RulesFileError(path, line, message, field)

    try:
        for event in events:
            kind = kinds.get(event.__class__)
            if kind is None:
                kind = kinds[event.__class__] = _EVENT_KINDS.get(event.__class__.__name__, _OTHER)
            if kind >= _OTHER:
                continue
            mark = event.start_mark
            line = mark.line + 1 if mark is not None else None
            if kind == _SCALAR:
                value: Any = event.value
                tag = event.tag
                if tag is not None or (event.implicit[0] and value[:1] in typed_firsts):
                    value = _scalar(_resolved(tag, value, event.implicit, table), value)
                values += 1
                if top_map:
                    if key is _WAITING:  # the key of the next value
                        if value in container:
                            fail(line, say("key_twice"), str(value))
                        key = value
                        lines[top_path + (value,)] = line
                        continue
                    container[key] = value
                    key = _WAITING
                    top[3] += 1
                elif top is not None:
                    top[3] += 1
                    lines.setdefault(top_path + (len(container),), line)
                    container.append(value)
                else:
                    root = value
                    lines.setdefault((), line)
                if event.anchor is not None:
                    anchors[event.anchor] = (value, 1)
            elif kind == _END:
                done, _, anchor, size, _, start, key = stack.pop()  # key: the parent's, waiting for this value
                if anchor is not None:
                    open_anchors.discard(anchor)
                    anchors[anchor] = (done, size)
                if stack:
                    top = stack[-1]
                    container, top_path, top_map = top[0], top[1], top[4]
                    top[3] += size
                    if top_map:
                        container[key] = done
                        key = _WAITING
                    else:
                        lines.setdefault(top_path + (len(container),), start)
                        container.append(done)
                else:
                    top, container, top_map = None, None, False
                    root = done
                    lines.setdefault((), start)
            elif kind == _DOCUMENT:
                documents += 1
                if documents > 1:
                    fail(line, say("two_documents"))
            elif top_map and key is _WAITING:  # a collection or an alias where a key must be text
                fail(line, say("key_not_text"))
            elif kind == _ALIAS:
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
                if top_map:
                    container[key] = value
                    key = _WAITING
                    top[3] += size
                elif top is not None:
                    top[3] += size
                    lines.setdefault(top_path + (len(container),), line)
                    container.append(value)
                else:
                    root = value
                    lines.setdefault((), line)
            else:  # a mapping or a sequence starts
                values += 1
                if len(stack) >= MAX_DEPTH:
                    fail(line, say("too_deep", limit=MAX_DEPTH))
                if top is None:
                    key_path: tuple = ()
                else:
                    key_path = top_path + ((key,) if top_map else (len(container),))
                lines.setdefault(key_path, line)
                anchor = event.anchor
                if anchor is not None:
                    open_anchors.add(anchor)
                top_map = kind == _MAPPING
                container = {} if top_map else []
                top_path = key_path
                top = [container, key_path, anchor, 1, top_map, line, key]
                stack.append(top)
                key = _WAITING
    except RulesFileError:
        raise
    except Exception as exc:
        problem = _parser_problem(exc)
        if problem is None:
            raise
        line, what = problem
        raise RulesFileError(path, line, f"not valid YAML: {what}") from None
    if not lines:
        return None, {(): 1}
    return root, lines


_WAITING = object()  # a mapping waiting for a key

# Event kinds by class name (both parsers name them so); the order matters:
# the kinds up to _ALIAS can be a mapping key.
_SCALAR, _MAPPING, _SEQUENCE, _ALIAS, _END, _DOCUMENT, _OTHER = range(7)
_EVENT_KINDS = {
    "ScalarEvent": _SCALAR,
    "MappingStartEvent": _MAPPING,
    "SequenceStartEvent": _SEQUENCE,
    "AliasEvent": _ALIAS,
    "MappingEndEvent": _END,
    "SequenceEndEvent": _END,
    "DocumentStartEvent": _DOCUMENT,
}


def _parser_problem(exc: Exception) -> tuple[int | None, str] | None:
    """The line and the problem of a parser's error (ruamel's or PyYAML's); None for any other error."""
    if type(exc).__module__.startswith("ruamel.yaml"):
        from ruamel.yaml.error import MarkedYAMLError, YAMLError

        if isinstance(exc, MarkedYAMLError):
            mark = exc.problem_mark or exc.context_mark
            return (mark.line + 1 if mark else None), str(exc.problem or exc.context)
        if isinstance(exc, YAMLError):
            return None, str(exc)
    if type(exc).__module__.startswith("yaml"):
        from yaml import MarkedYAMLError, YAMLError

        if isinstance(exc, MarkedYAMLError):
            mark = exc.problem_mark or exc.context_mark
            return (mark.line + 1 if mark else None), str(exc.problem or exc.context)
        if isinstance(exc, YAMLError):
            return None, str(exc)
    return None


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
