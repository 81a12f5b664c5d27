"""Timing helpers shared by the benchmarks: the median of several passes, never one run, never the best."""

from __future__ import annotations

import statistics
import subprocess
import time
from pathlib import Path
from typing import Callable, Iterable

ROOT = Path(__file__).resolve().parent.parent


def per_item_us(fn: Callable, items: Iterable, repeat: int = 5) -> float:
    """Microseconds per call of ``fn`` over ``items``, the median of ``repeat`` passes."""
    items = list(items)
    passes = []
    for _ in range(repeat):
        t = time.perf_counter()
        for item in items:
            fn(item)
        passes.append((time.perf_counter() - t) / len(items))
    return statistics.median(passes) * 1e6


def cold_ms(cmd: list[str], repeat: int = 7) -> float:
    """Wall time of a fresh process running ``cmd``, the median of ``repeat``, in ms."""
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        runs.append(time.perf_counter() - t)
    return statistics.median(runs) * 1e3


def phrase_corpus() -> list[str]:
    """Every reviewed time-limit text of the phrase cases (tests/phrases/*.yaml)."""
    from ruamel.yaml import YAML

    texts = []
    for path in sorted((ROOT / "tests" / "phrases").glob("*.yaml")):
        for case in YAML(typ="safe", pure=True).load(path)["cases"]:
            texts.append(case["text"])
    return texts
