from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import settings

from deadlines import WorkCalendar

ROOT = Path(__file__).resolve().parent.parent

# Properties check results, not speed (speed lives in bench/): no per-example
# time limit, so a busy machine cannot fail a run.
settings.register_profile("deadlines", deadline=None)
settings.load_profile("deadlines")


@pytest.fixture(scope="session")
def calendar() -> WorkCalendar:
    return WorkCalendar()


@pytest.fixture
def write_rules(tmp_path: Path):
    """Write a rules file (dedented) into a fresh rules folder; return its path."""

    def write(text: str, name: str = "plan.yaml") -> Path:
        folder = tmp_path / "rules"
        folder.mkdir(exist_ok=True)
        path = folder / name
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write


@pytest.fixture(autouse=True)
def _no_store_from_the_environment(monkeypatch):
    """A DEADLINES_DB set in the developer's shell must not reach the tests."""
    monkeypatch.delenv("DEADLINES_DB", raising=False)
