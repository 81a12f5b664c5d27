"""The language the package speaks: Chinese by default, English on request.

Every word a user reads goes through one gettext catalog, the ``deadlines``
domain in ``deadlines/locale``.  The source strings (msgids) are English and
the catalog is ``zh_CN``: English is the language gettext tools, translators
and click's own messages share, so a missing translation shows readable
English rather than a key, and click's usage errors ("Missing option", "No
such option") are translated by the same catalog as ours.  Chinese is still
the default: the catalog is used unless English is asked for.

The language is chosen, in order, by ``--lang`` (:func:`set_language`), then
the first of ``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` that is set
(as gettext reads them): one starting with ``en`` means English; anything
else, including ``C`` and ``POSIX`` (a server's usual locale), means Chinese.

Strings are marked for extraction (``make messages``) with ``_`` (translated
now) or ``N_`` (marked only, translated where used, such as a table of
messages built at import time).  Click's help texts are taken from the
command tree itself (:mod:`deadlines.clihelp`).
"""

from __future__ import annotations

import gettext as _gettext
import os
from pathlib import Path
from typing import Any

DOMAIN = "deadlines"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("zh", "en")
DEFAULT = "zh"

_current: str | None = None
_catalogs: dict[str, _gettext.NullTranslations] = {}
_lookup: Any = None  # the gettext of the language in use, once chosen


def language_from_environment(environ: os._Environ | dict | None = None) -> str:
    """``en`` when the locale asks for English, else ``zh`` (the default)."""
    environ = os.environ if environ is None else environ
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            first = value.split(":")[0].strip().lower()
            return "en" if first.startswith("en") else DEFAULT
    return DEFAULT


def normalise(lang: str) -> str:
    """``en``, ``en_US.UTF-8``, ``zh-CN``, ``zh_CN`` … → ``en`` or ``zh``; ValueError for others."""
    text = lang.strip().lower().replace("-", "_")
    for known in LANGUAGES:
        if text == known or text.startswith(known + "_") or text.startswith(known + "."):
            return known
    raise ValueError(lang)


def set_language(lang: str | None) -> str:
    """Speak ``lang`` (``zh``/``en``, or a locale name) from now on; None: as the environment says."""
    global _current, _lookup
    _current = language_from_environment() if lang is None else normalise(lang)
    _lookup = None  # the catalog is loaded when a message is first asked for, not at each switch
    return _current


def language() -> str:
    """The language in use (chosen from the environment on first use)."""
    return _current if _current is not None else set_language(None)


def _catalog(lang: str) -> _gettext.NullTranslations:
    found = _catalogs.get(lang)
    if found is None:
        if lang == "en":  # the msgids are English
            found = _gettext.NullTranslations()
        else:
            found = _gettext.translation(DOMAIN, LOCALE_DIR, languages=["zh_CN"], fallback=True)
        _catalogs[lang] = found
    return found


def translations() -> _gettext.NullTranslations:
    """The gettext translations of the language in use."""
    return _catalog(language())


def _(message: str) -> str:
    """``message`` (an English msgid) in the language in use.

    The catalog's lookup is kept once found: a page of a province's units
    asks for hundreds of thousands of messages.
    """
    global _lookup
    if _lookup is None:
        _lookup = translations().gettext
    return _lookup(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations().ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for the catalog without translating it yet."""
    return message


gettext = _


def completing() -> bool:
    """Whether the shell asks for completions (click's ``_DEADLINES_COMPLETE``)."""
    return "_DEADLINES_COMPLETE" in os.environ


def install_for_click() -> None:
    """Make click's own messages (usage errors, "Usage:", "Options:") speak our language.

    Click marks them with the standard library's ``gettext``, bound at import
    time in each of its modules; those names are pointed at ours, so click's
    msgids are looked up in our catalog (they are extracted into it from the
    installed click by ``make messages``).  Nothing outside click is touched.
    Only the modules ``import click`` loads are changed, and shell completion
    when it is asked for: the package uses no pager, prompt or progress bar,
    and importing their modules costs every command milliseconds.
    """
    import importlib
    import sys

    if completing():
        importlib.import_module("click.shell_completion")
    for name, module in list(sys.modules.items()):
        if not name.startswith("click.") or module is None:
            continue
        if getattr(module, "_", None) is not None:
            module._ = _
        if getattr(module, "ngettext", None) is not None:
            module.ngettext = ngettext
