"""The CLI's help in the language in use.

The help of a command is its docstring and the help of an option its
``help=``, written in English in :mod:`deadlines.cli` as they always were:
they are the msgids.  :func:`messages` walks the command tree for
``make messages`` (so a new option's help reaches the catalog without being
marked by hand), and :func:`translate` puts each text of the tree in the
language in use before click formats it, keeping the English originals to
translate from again when the language changes in one process (the tests).
"""

from __future__ import annotations

import inspect
import re
from typing import Iterator

import click

from .i18n import _, language

_ORIGINAL = "_deadlines_msgid"


def _walk(command: click.Command, path: str = "") -> Iterator[tuple[str, click.Command]]:
    yield path, command
    if isinstance(command, click.Group):
        for name in sorted(command.commands):
            yield from _walk(command.commands[name], f"{path} {name}".strip())


def _texts(command: click.Command) -> Iterator[tuple[object, str, str]]:
    """(owner, attribute, English text) of every help text of one command."""
    for owner, attr in [(command, "help"), (command, "epilog")] + [(p, "help") for p in command.params]:
        original = getattr(owner, _ORIGINAL + attr, None)
        if original is None:
            text = getattr(owner, attr, None)
            if not text:
                continue
            original = inspect.cleandoc(text)
            setattr(owner, _ORIGINAL + attr, original)
        yield owner, attr, original


def messages(root: click.Command) -> Iterator[tuple[str, str]]:
    """(msgid, where) of every help text of the command tree, for the catalog."""
    for path, command in _walk(root):
        for owner, attr, text in _texts(command):
            where = f"deadlines {path}".strip()
            if isinstance(owner, click.Parameter):
                where += f" {owner.opts[0] if owner.opts else owner.name}"
            yield text, where


def _short(text: str) -> str:
    """The first sentence of a translated help: the line in the list of commands."""
    first = text.split("\n\n", 1)[0].replace("\n", "")
    for stop in ("。", "："):
        if stop in first:
            return first.split(stop, 1)[0]
    return first


def _columns(ch: str) -> int:
    import unicodedata

    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


_NO_LINE_START = set("，。、；：？！）》」』”’")  # closing punctuation stays on the line it closes


def wrap_cjk(text: str, width: int = 76) -> str:
    """Paragraphs of Chinese broken into lines of ``width`` columns, kept as broken (click's ``\\b``).

    click wraps help at spaces, and Chinese has none: a paragraph would be one
    line as wide as it is long.  Lines break between characters, never inside
    a run of ASCII (an option name, a path, a number).
    """
    out = []
    for paragraph in text.split("\n\n"):
        flat = paragraph.replace("\n", "")
        if sum(map(_columns, flat)) <= width:
            out.append(flat)
            continue
        lines, line, used = [], "", 0
        for piece in re.findall(r"[\x21-\x7e]+|\s+|.", flat):  # an ASCII run is one piece
            size = sum(map(_columns, piece))
            if used + size > width and line.strip() and piece not in _NO_LINE_START:
                lines.append(line.rstrip())
                line, used = ("" if piece.isspace() else piece), (0 if piece.isspace() else size)
            else:
                line, used = line + piece, used + size
        if line.strip():
            lines.append(line.rstrip())
        out.append("\b\n" + "\n".join(lines))
    return "\n\n".join(out)


def translate(root: click.Command) -> None:
    """Every help text of the tree in the language in use."""
    english = language() == "en"
    for _path, command in _walk(root):
        if getattr(command, "_help_option", None) is not None:
            command._help_option = None  # click made it with its help in the language of that moment
        for owner, attr, text in list(_texts(command)):
            translated = text if english else _(text)
            if owner is command and attr == "help":
                # click's own short help cuts at ". ", which Chinese has none of
                command.short_help = None if english or translated == text else _short(translated)
                if translated != text:
                    translated = wrap_cjk(translated)
            setattr(owner, attr, translated)


def restore(root: click.Command) -> None:
    """Every help text of the tree back to its English source (as :mod:`deadlines.cli` writes it)."""
    for _path, command in _walk(root):
        command._help_option = None
        for owner, attr, text in list(_texts(command)):
            setattr(owner, attr, text)
        command.short_help = None
