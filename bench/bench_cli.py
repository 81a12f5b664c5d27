"""Cold start of `deadlines due --next-week` over the bundled rules, beside `python -c pass`."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _best(cmd: list[str], repeat: int = 7) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - t)
    return best * 1e3


def run() -> list[dict]:
    due = [sys.executable, "-m", "deadlines", "due", "--rules", "rules", "--today", "2015-07-08", "--next-week"]
    ours = _best(due)
    bare = _best([sys.executable, "-c", "pass"])
    return [
        {"what": "cold `deadlines due --next-week` (bundled rules)", "ours": ours,
         "peer": "python -c pass", "peer_value": bare, "unit": "ms"},
    ]
