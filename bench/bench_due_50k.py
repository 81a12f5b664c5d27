"""Cold `deadlines due --next-week` over a generated 50,000-obligation plan set, beside `python -c pass`.

The set (bench/synthetic.py: 2,000 units, 20 plan files) is written to a
temporary folder.  The first run reads every file (YAML with line numbers,
every phrase) and fills the plan cache; it is timed once.  The runs after it
load the plans from the cache: best of five fresh processes.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _timing import cold_ms
from synthetic import write_plan_set


def run() -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        rules = Path(tmp) / "rules"
        write_plan_set(rules, units=2000, obligations=50000)
        due = [sys.executable, "-m", "deadlines", "due", "--rules", str(rules), "--today", "2026-07-08",
               "--next-week"]
        t = time.perf_counter()
        subprocess.run(due, check=True, stdout=subprocess.DEVNULL)
        first = (time.perf_counter() - t) * 1e3
        cached = cold_ms(due, repeat=5)
        bare = cold_ms([sys.executable, "-c", "pass"])
    return [
        {"what": "cold `deadlines due --next-week` (50,000 obligations)", "ours": cached,
         "peer": "python -c pass", "peer_value": bare, "unit": "ms"},
        {"what": "first `deadlines due` on the 50,000 set (no cache yet, once)", "ours": first,
         "peer": "python -c pass", "peer_value": bare, "unit": "ms"},
    ]
