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


@pytest.fixture(scope="session")
def bundled_plans():
    """The bundled rules (rules/), read once for the session: plans are frozen, so tests share them.

    Tests of reading itself (the loader, the cache) read the files on their own.
    """
    from deadlines import load_plans

    return load_plans(ROOT / "rules")


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


# --------------------------------------------------------------------------
# The wheel check (tests/wheel_check.py) runs in the background while the rest
# of the suite does: tests/test_packaging.py waits for its report.

WHEEL_TEST = "test_the_installed_wheel_works_from_a_fresh_venv"


def pytest_collection_modifyitems(session, config, items):
    if any(item.name == WHEEL_TEST for item in items):
        import subprocess
        import sys
        import tempfile

        out = Path(tempfile.mkdtemp(prefix="deadlines-wheel-"))
        log = (out / "log.txt").open("w")
        config.wheel_check = (out, subprocess.Popen(
            [sys.executable, str(ROOT / "tests" / "wheel_check.py"), str(out / "check")],
            stdout=log, stderr=subprocess.STDOUT, cwd=out,
        ))


@pytest.fixture(scope="session")
def wheel_report(request):
    """The report of the wheel check started at collection (see tests/wheel_check.py)."""
    import json
    import shutil

    import threading

    out, process = request.config.wheel_check
    process.wait(timeout=1800)
    report_file = out / "check" / "report.json"
    assert report_file.is_file(), (out / "log.txt").read_text(encoding="utf-8")[-3000:]
    report = json.loads(report_file.read_text(encoding="utf-8"))
    # The fresh venv is thousands of files: removed while the rest of the suite runs.
    removal = threading.Thread(target=shutil.rmtree, args=(out,), kwargs={"ignore_errors": True})
    removal.start()
    yield report
    removal.join()
