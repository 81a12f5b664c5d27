"""The message catalog: extract every msgid, update the zh_CN translations, compile.

    python tools/messages.py extract   # write locale/deadlines.pot and merge it into each .po (make messages)
    python tools/messages.py compile   # .po -> .mo beside it (make and the wheel build do this)

The msgids come from three places, all through Babel:

* the package's Python source: ``_("…")``, ``N_("…")``, ``ngettext(…)`` (the
  message table in messages.py is ``N_``-marked), and the page's Jinja template;
* the CLI's help texts, read from the command tree (:mod:`deadlines.clihelp`),
  so an option's ``help=`` needs no marking;
* click's own messages (usage errors, "Usage:", "Options:"), read from the
  installed click with the same Python extractor.

The catalog is written without source locations and sorted by msgid, so a
change shows as the messages that changed.  tests/test_messages.py runs the
same extraction and fails when a msgid has no translation or the catalog is
not current.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "deadlines"
LOCALE = PACKAGE / "locale"
DOMAIN = "deadlines"
TEMPLATE = LOCALE / f"{DOMAIN}.pot"

KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}


def _python_messages(path: Path, keywords: dict) -> list[tuple[str | tuple, str]]:
    from babel.messages.extract import extract_from_file

    found = []
    for _lineno, message, _comments, _context in extract_from_file(
        "python", str(path), keywords=keywords, options={"encoding": "utf-8"}
    ):
        found.append(message)
    return found


def extract():
    """Every msgid of the package, its CLI help and click, as a Babel catalog."""
    import click
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_file

    if str(ROOT / "src") not in sys.path:
        sys.path.insert(0, str(ROOT / "src"))
    catalog = Catalog(project="deadlines", domain=DOMAIN, charset="utf-8", fuzzy=False)

    def add(message, flags=()) -> None:
        if isinstance(message, tuple):
            if not message[0]:
                return
            catalog.add(message, flags=flags)
        elif message:
            catalog.add(message, flags=flags)

    for path in sorted(PACKAGE.rglob("*.py")):
        for message in _python_messages(path, KEYWORDS):
            add(message, _flags(message))
    for path in sorted((PACKAGE / "templates").glob("*.html")):
        for _lineno, message, _comments, _context in extract_from_file(
            "jinja2", str(path), keywords=KEYWORDS, options={"encoding": "utf-8", "trimmed": "true"}
        ):
            add(message, ("python-brace-format",) if "{" in str(message) else ())

    from deadlines.cli import cli
    from deadlines.clihelp import messages as help_messages

    for text, _where in help_messages(cli):
        add(text)
    click_dir = Path(click.__file__).parent
    for path in sorted(click_dir.glob("*.py")):
        if path.name in ("testing.py", "_winconsole.py"):  # not seen by a user of the command
            continue
        for message in _python_messages(path, {"_": None, "ngettext": (1, 2)}):
            add(message, _flags(message, percent=True))
    return catalog


def _flags(message, percent: bool = False) -> tuple[str, ...]:
    text = message[0] if isinstance(message, tuple) else message
    if percent and "%(" in text:
        return ("python-format",)
    if "{" in text:
        return ("python-brace-format",)
    return ()


def _write(catalog, path: Path) -> None:
    from babel.messages.pofile import write_po

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        write_po(f, catalog, width=0, no_location=True, sort_output=True, omit_header=False,
                 ignore_obsolete=True)


def po_files() -> list[Path]:
    return sorted(LOCALE.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def update() -> None:
    """Write the template and bring each .po up to it (new msgids empty, gone ones dropped)."""
    from babel.messages.pofile import read_po

    template = extract()
    _write(template, TEMPLATE)
    for po in po_files():
        with po.open("rb") as f:
            catalog = read_po(f, locale=po.parent.parent.name, domain=DOMAIN)
        created = catalog.creation_date
        catalog.update(template, no_fuzzy_matching=True)
        catalog.creation_date = created  # the file changes with its messages, not with the clock
        _write(catalog, po)
        missing = [m.id for m in catalog if m.id and not m.string]
        print(f"{po.relative_to(ROOT)}: {len(catalog)} messages, {len(missing)} to translate")


def compile_catalogs(into: Path | None = None) -> list[Path]:
    """Each .po compiled to its .mo (under ``into`` instead of the source tree, for a build)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in po_files():
        with po.open("rb") as f:
            catalog = read_po(f, locale=po.parent.parent.name, domain=DOMAIN)
        target = po.with_suffix(".mo")
        if into is not None:
            target = into / po.relative_to(PACKAGE).with_suffix(".mo")
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as f:
            write_mo(f, catalog, use_fuzzy=False)
        written.append(target)
    return written


def main(argv: list[str]) -> int:
    if argv[:1] == ["extract"]:
        update()
    elif argv[:1] == ["compile"]:
        for path in compile_catalogs():
            print(path.relative_to(ROOT))
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
