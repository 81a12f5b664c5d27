"""Build the wheel, install it into a fresh venv, and run the installed command there.

The editable install of ``make test`` would hide a wheel that lacks a data
file or a dependency; this installs what a user gets.  Steps, each recorded in
``OUT/report.json`` (command, return code, output, seconds):

1. copy the source (pyproject.toml, README.md, src/) into ``OUT/source`` and
   build the wheel from it with the test environment's setuptools;
2. make a venv with no packages at all, install the wheel with nothing but
   its declared dependencies (from a wheelhouse kept beside the test
   environment, made once per dependency list: the only step that needs the
   package index);
3. from an empty folder, run the installed ``deadlines --version``,
   ``import``, ``due``, ``build`` and ``parse``, and the Python front door.

``tests/test_packaging.py`` starts this in the background when the suite
starts and checks the report at the end.  By hand: ``python tests/wheel_check.py OUT``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "rules" / "sources" / "004_8d8257cba47008e5.txt"  # 柞水 2015: a small plan


def _run(report: dict, name: str, cmd: list[str], cwd: Path, env: dict | None = None) -> bool:
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    report["steps"].append({
        "name": name, "cmd": [str(c) for c in cmd], "rc": done.returncode, "out": done.stdout,
        "err": "\n".join(line for line in done.stderr.splitlines() if not line.startswith("WARNING: Location")),
        "seconds": round(time.perf_counter() - started, 2),
    })
    return done.returncode == 0


def _wheelhouse(report: dict, wheel: Path, out: Path) -> Path | None:
    """The dependencies of ``wheel`` as wheels, downloaded once per dependency list."""
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["dependencies"]
    tag = hashlib.sha256(json.dumps([sys.version_info[:2], sorted(dependencies)]).encode()).hexdigest()[:12]
    home = Path(sys.prefix) / "deadlines-wheelhouse"
    if not os.access(sys.prefix, os.W_OK):
        home = out / "wheelhouse"
    found = home / tag
    if found.is_dir():
        return found
    partial = home / f"{tag}.partial-{os.getpid()}"
    if not _run(report, "download dependencies", [sys.executable, "-m", "pip", "download", "--quiet",
                                                  "--dest", partial, wheel], out):
        return None
    for built in partial.glob("deadlines-*.whl"):
        built.unlink()
    try:
        partial.rename(found)
    except OSError:  # another run made it meanwhile
        shutil.rmtree(partial, ignore_errors=True)
    return found


def check(out: Path) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    report: dict = {"steps": []}
    source = out / "source"
    shutil.copytree(ROOT / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    dist = out / "dist"
    if not _run(report, "wheel", [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                                  "--no-build-isolation", "--wheel-dir", dist, source], out):
        return report
    (wheel,) = dist.glob("deadlines-*.whl")
    report["wheel"] = wheel.name
    wheelhouse = _wheelhouse(report, wheel, out)
    if wheelhouse is None:
        return report
    venv = out / "venv"
    python = venv / "bin" / "python"
    if not _run(report, "venv", [sys.executable, "-m", "venv", "--without-pip", venv], out):
        return report
    if not _run(report, "install", [sys.executable, "-m", "pip", "--python", python, "install", "--quiet",
                                    "--no-compile", "--no-index", "--find-links", wheelhouse, wheel], out):
        return report

    work, empty = out / "work", out / "empty"
    work.mkdir()
    empty.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "DEADLINES_DB")}
    env["XDG_CACHE_HOME"] = str(out / "user-cache")
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}/usr/bin:/bin"
    command = str(venv / "bin" / "deadlines")
    _run(report, "version", [command, "--version"], work, env)
    _run(report, "import", [command, "import", SEED, "--id", "zsx2015", "-o", "rules/zhashui-2015.yaml"], work, env)
    _run(report, "due", [command, "due", "--today", "2015-07-08", "--from", "2015-01-01", "--to", "2015-12-31",
                         "--json"], work, env)
    _run(report, "build", [command, "build", "--out", "site", "--today", "2015-07-08"], work, env)
    _run(report, "parse", [command, "parse", "每月10日前", "--year", "2015", "--json"], empty, env)
    report["after parse"] = sorted(p.name for p in empty.iterdir())
    api = ("import deadlines, datetime; ws = deadlines.open('rules'); day = datetime.date(2015, 7, 8); "
           "print(deadlines.workspace.__file__); print(len(ws.due(deadlines.Window.year(2015), today=day).dated))")
    _run(report, "python", [python, "-c", api], work, env)
    report["site"] = sorted(str(p.relative_to(work / "site")) for p in (work / "site").rglob("*") if p.is_file()) \
        if (work / "site").is_dir() else []
    report["user cache"] = sorted(str(p) for p in (out / "user-cache").rglob("*"))
    return report


def main() -> int:
    out = Path(sys.argv[1])
    report = check(out)
    (out / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
