"""Data flows one way: every module imports only modules below it (DESIGN.md, "Layers").

Imports inside functions count too: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "deadlines"

# Lowest first.  A module may import any module of a lower layer, none of its own or above.
LAYERS = [
    {"i18n"},
    {"messages", "dates", "roles", "yamlout", "chinese"},
    {"errors", "typed", "records"},
    {"model", "atomic", "icslint", "textfile", "storedb"},
    {"yamlio", "reminderlog", "feedversions"},
    {"render", "workdays", "units", "phrases"},
    {"engine", "rulesfile", "triggers", "report", "ical", "groups", "unitcells"},
    {"feedcheck"},  # reads feeds back by the UIDs ical writes
    {"page"},
    {"plancache", "phrasereport", "site", "importers", "holidays", "duetext"},
    {"serve", "remind"},
    {"review"},
    {"workspace"},
    {"clihelp"},
    {"cli"},
    {"__main__"},
]
RANK = {name: i for i, layer in enumerate(LAYERS) for name in layer}


def _module(path: Path) -> str:
    """The top module a file belongs to: 'engine', 'phrases' (for phrases/reader.py)."""
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def _imports(path: Path) -> set[str]:
    """The package's own modules that ``path`` imports (relative or absolute)."""
    depth = len(path.relative_to(PACKAGE).parts) - 1  # 0 for a module of the package itself
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                up = node.level - 1 - depth  # levels above the package's own folder
                if up > 0 or (up < 0 and not node.module):
                    continue  # inside a subpackage: its own files
                if up < 0:
                    continue
                if node.module:
                    found.add(node.module.split(".")[0])
                else:
                    found.update(alias.name for alias in node.names)
            elif node.module and node.module.split(".")[0] == "deadlines":
                parts = node.module.split(".")
                found.add(parts[1] if len(parts) > 1 else "")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "deadlines" and len(parts) > 1:
                    found.add(parts[1])
    return found - {""}


def test_every_module_has_a_layer():
    modules = {_module(p) for p in PACKAGE.rglob("*.py")} - {"__init__"}
    assert modules == set(RANK), modules ^ set(RANK)


def test_no_module_reaches_up():
    upward = []
    for path in sorted(PACKAGE.rglob("*.py")):
        me = _module(path)
        if me == "__init__":
            continue  # the front door hands names on, imported on first use
        for other in _imports(path):
            if other != me and RANK[other] >= RANK[me]:
                upward.append(f"{path.relative_to(PACKAGE)} imports {other}")
    assert upward == []


def test_the_store_and_the_model_stand_alone():
    assert "engine" not in _imports(PACKAGE / "triggers.py")  # the store keeps events, not what they mean
    assert "phrases" not in _imports(PACKAGE / "model.py")  # the model reads no Chinese
