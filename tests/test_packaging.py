"""What a user installs: the wheel holds every data file and declares exactly the
dependencies the code imports, and the installed command works from a fresh venv."""

from __future__ import annotations

import ast
import json
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "deadlines"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~; \[]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _imported_modules() -> set[str]:
    found = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"deadlines"}


def test_runtime_dependencies_are_exactly_what_the_code_imports():
    distributions = packages_distributions()
    imported = {_name(distributions[module][0]) for module in _imported_modules()}
    declared = {_name(r) for r in PYPROJECT["project"]["dependencies"]}
    assert imported == declared


def test_every_data_file_is_declared_as_package_data():
    patterns = PYPROJECT["tool"]["setuptools"]["package-data"]["deadlines"]
    files = [p.relative_to(SRC) for p in (SRC / "data").rglob("*") if p.is_file()]
    assert files
    for path in files:
        assert any(path.match(pattern) for pattern in patterns), path


def test_the_installed_wheel_works_from_a_fresh_venv(wheel_report):
    steps = {s["name"]: s for s in wheel_report["steps"]}
    for step in wheel_report["steps"]:
        assert step["rc"] == 0, (step["name"], step["err"][-2000:])
    for name in ("wheel", "venv", "install", "version", "import", "due", "build", "parse", "python"):
        assert name in steps, name
    assert steps["version"]["out"].strip() == f"deadlines, version {PYPROJECT['project']['version']}"
    where, dated = steps["python"]["out"].split()
    assert "/venv/lib/" in where and str(ROOT) not in where  # the installed package, not the source tree
    # `import` read the document (its unit abbreviations are package data) and checked the file.
    assert "31 obligations" in steps["import"]["err"]
    rows = json.loads(steps["due"]["out"])
    assert rows and {"key", "obligation", "due", "status", "why"} <= set(rows[0])
    assert "every feed read back" in steps["build"]["out"]
    assert {"index.html", "feeds/all.ics", "feeds/index.json"} <= set(wheel_report["site"])
    assert json.loads(steps["parse"]["out"])["due"] == [f"2015-{m:02d}-10" for m in range(1, 13)]
    assert wheel_report["after parse"] == []  # parse writes nothing where it is run
    assert wheel_report["user cache"] == []  # the project is writable: its cache is its own
    assert int(dated) > 0
