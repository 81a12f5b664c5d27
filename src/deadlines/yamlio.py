"""YAML in with line numbers, YAML out in a stable, reviewable shape.

Rule files are read through ruamel.yaml's node tree, so every value keeps the
line it came from: an error names ``file:line`` and the field.  Scalars become
``str``, ``int``, ``float``, ``bool`` or ``None``; dates stay strings so that the
model, not the YAML parser, reports an impossible date such as 2015-02-30 with
its field name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .errors import RulesFileError

Lines = dict[tuple, int]

_DATE_ERRORS = {"date_from_datetime_parsing", "date_parsing", "date_type", "date_from_datetime_inexact"}

_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"


def _scalar(node: Any) -> Any:
    tag, text = node.tag, node.value
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


def load_yaml(path: str | Path, text: str | None = None) -> tuple[Any, Lines]:
    """Read YAML; return the data and a map from key path to 1-based line."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    path = Path(path)
    if text is None:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise RulesFileError(path, None, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
        except OSError as exc:
            raise RulesFileError(path, None, f"cannot read: {exc.strerror}") from None
    try:
        root = YAML(typ="safe", pure=True).compose(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise RulesFileError(path, line, f"not valid YAML: {exc.problem or exc.context}") from None
    except YAMLError as exc:
        raise RulesFileError(path, None, f"not valid YAML: {exc}") from None

    lines: Lines = {}

    def walk(node: Any, key: tuple) -> Any:
        lines.setdefault(key, node.start_mark.line + 1)
        if isinstance(node, MappingNode):
            out: dict[Any, Any] = {}
            for knode, vnode in node.value:
                if not isinstance(knode, ScalarNode):
                    raise RulesFileError(path, knode.start_mark.line + 1, "keys must be plain text")
                k = _scalar(knode)
                if k in out:
                    raise RulesFileError(path, knode.start_mark.line + 1, "appears twice in this mapping", str(k))
                lines[key + (k,)] = knode.start_mark.line + 1
                out[k] = walk(vnode, key + (k,))
            return out
        if isinstance(node, SequenceNode):
            return [walk(item, key + (i,)) for i, item in enumerate(node.value)]
        return _scalar(node)

    if root is None:
        return None, {(): 1}
    return walk(root, ()), lines


def line_of(lines: Lines, loc: tuple, aliases: dict[str, tuple[str, ...]] | None = None) -> tuple[int, str]:
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
    if loc and isinstance(loc[-1], str) and not matched_last:
        # a missing field: name it, on the line of the mapping that lacks it
        field += f".{loc[-1]}" if field else loc[-1]
    return lines.get(key, 1), field


def _message(err: dict[str, Any]) -> str:
    kind, ctx = err["type"], err.get("ctx") or {}
    if kind == "missing":
        return "missing field"
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "union_tag_invalid":
        expected = str(ctx.get("expected_tags", "")).replace("'", "")
        return f"unknown rule kind '{ctx.get('tag')}' (expected one of {expected})"
    if kind in _DATE_ERRORS:
        return f"not a valid date: {err.get('input')!r} ({ctx.get('error', 'use YYYY-MM-DD')})"
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
        line, field = line_of(lines, tuple(errors[0]["loc"]), aliases)
        message = _message(errors[0])
        if len(errors) > 1:
            message += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''} in this file)"
        error = RulesFileError(path, line, message, field)
        error.errors = errors  # every problem, for tools that list them all
        raise error from None
