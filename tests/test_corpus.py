"""The corpus of real plans (tests/corpus): every document imports, and the scores
of tests/corpus/score.py do not fall below the figures committed in
tests/corpus/baseline.json.

The scorer is the corpus's own script, run in this process: its `deadlines`
commands are handed to the CLI's `main` instead of a subprocess.  After an
improvement, raise the baseline with `make corpus-baseline` and review the diff.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import os
import sys
from pathlib import Path

import pytest

from deadlines.cli import main

CORPUS = Path(__file__).resolve().parent / "corpus"


def _score_module():
    spec = importlib.util.spec_from_file_location("corpus_score", CORPUS / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _in_process(cmd: list[str], cwd: Path, env: dict) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    here = os.getcwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(cmd[1:])
    finally:
        os.chdir(here)
    return code, out.getvalue(), err.getvalue()


def corpus_results(work: Path) -> tuple[list[dict], dict]:
    score = _score_module()
    score.run = _in_process
    import yaml

    results = []
    for txt in sorted(CORPUS.glob("*.txt")):
        truth = yaml.safe_load(txt.with_name(txt.stem + ".truth.yaml").read_text(encoding="utf-8"))
        results.append(score.score_doc("deadlines", txt, truth, work, False, {}))
    _, totals = score.summarise(results)
    return results, totals


def figures(totals: dict) -> dict:
    """The committed figures: documents imported, and the share of tasks separate, with
    their units right by role, with their time limits right."""
    return {
        "documents_imported": totals["ok_docs"],
        "tasks_separate": totals["sep"],
        "unit_roles_right": totals["roles"],
        "time_limits_right": totals["time"],
        "written_time_limits_right": totals["time_written"][0],
    }


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    return corpus_results(tmp_path_factory.mktemp("corpus"))


def test_every_corpus_document_imports(scored):
    results, _ = scored
    failed = {r["doc"]: r["import_msg"] for r in results if r["import_rc"] != 0}
    assert failed == {}


def test_corpus_scores_do_not_fall_below_the_baseline(scored):
    _, totals = scored
    baseline = json.loads((CORPUS / "baseline.json").read_text(encoding="utf-8"))
    got = figures(totals)
    fallen = {k: (got[k], v) for k, v in baseline.items() if got[k] < v}
    assert fallen == {}, f"scores fell below tests/corpus/baseline.json: {fallen}"


def raise_floor(got: dict[str, int], path: Path, *, lower: bool = False) -> list[str]:
    """Write ``got`` as the floor in ``path``; unless ``lower``, nothing is written while a figure
    would fall, and the figures that would are returned (a floor is raised, never lowered by the way)."""
    floor = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    fallen = [f"{path}: {k} would fall from {v} to {got.get(k, 0)}; not written (LOWER=1 make corpus-baseline "
              "lowers it)" for k, v in sorted(floor.items()) if got.get(k, 0) < v]
    if fallen and not lower:
        return fallen
    path.write_text(json.dumps(got, indent=2) + "\n", encoding="utf-8")
    return []


def test_the_floor_is_raised_never_lowered_by_the_way(tmp_path):
    path = tmp_path / "baseline.json"
    assert raise_floor({"a": 3, "b": 5}, path) == [] and json.loads(path.read_text()) == {"a": 3, "b": 5}
    assert raise_floor({"a": 4, "b": 5}, path) == [] and json.loads(path.read_text())["a"] == 4
    assert raise_floor({"a": 2, "b": 6}, path) == [f"{path}: a would fall from 4 to 2; not written "
                                                   "(LOWER=1 make corpus-baseline lowers it)"]
    assert json.loads(path.read_text()) == {"a": 4, "b": 5}  # untouched
    assert raise_floor({"a": 2, "b": 6}, path, lower=True) == [] and json.loads(path.read_text())["a"] == 2


if __name__ == "__main__":  # `make corpus-baseline`: raise the floor to the figures of today's importer
    import tempfile

    _, totals = corpus_results(Path(tempfile.mkdtemp(prefix="corpus_")))
    refused = raise_floor(figures(totals), CORPUS / "baseline.json", lower=os.environ.get("LOWER") == "1")
    for line in refused:
        print(line, file=sys.stderr)
    print(json.dumps(figures(totals), indent=2))
    sys.exit(2 if refused else 0)
