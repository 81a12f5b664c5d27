"""Cold start of `deadlines due --next-week` over the bundled rules, beside `python -c pass`."""

from __future__ import annotations

import sys

from _timing import cold_ms


def run() -> list[dict]:
    due = [sys.executable, "-m", "deadlines", "due", "--rules", "rules", "--today", "2015-07-08", "--next-week"]
    return [
        {"what": "cold `deadlines due --next-week` (bundled rules)", "ours": cold_ms(due),
         "peer": "python -c pass", "peer_value": cold_ms([sys.executable, "-c", "pass"]), "unit": "ms"},
    ]
