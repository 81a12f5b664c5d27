"""Timing helpers shared by the benchmarks: best of several passes, never one run."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path
from typing import Callable, Iterable

ROOT = Path(__file__).resolve().parent.parent


def per_item_us(fn: Callable, items: Iterable, repeat: int = 5) -> float:
    """Microseconds per call of ``fn`` over ``items``, best of ``repeat`` passes."""
    items = list(items)
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        for item in items:
            fn(item)
        best = min(best, (time.perf_counter() - t) / len(items))
    return best * 1e6


def cold_ms(cmd: list[str], repeat: int = 7) -> float:
    """Wall time of a fresh process running ``cmd``, best of ``repeat``, in ms."""
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - t)
    return best * 1e3
