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


def translate(root: click.Command) -> None:
    """Every help text of the tree in the language in use."""
    english = language() == "en"
    for _path, command in _walk(root):
        if getattr(command, "_help_option", None) is not None:
            command._help_option = None  # click made it with its help in the language of that moment
        for owner, attr, text in list(_texts(command)):
            translated = text if english else _(text)
            setattr(owner, attr, translated)
            if owner is command and attr == "help":
                # click's own short help cuts at ". ", which Chinese has none of
                command.short_help = None if english or translated == text else _short(translated)


def restore(root: click.Command) -> None:
    """Every help text of the tree back to its English source (as :mod:`deadlines.cli` writes it)."""
    for _path, command in _walk(root):
        command._help_option = None
        for owner, attr, text in list(_texts(command)):
            setattr(owner, attr, text)
        command.short_help = None
