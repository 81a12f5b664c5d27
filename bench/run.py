"""Run every benchmark in bench/ and print one table: ours beside the peer, and the ratio.

Each ``bench/bench_*.py`` has ``run() -> list[dict]`` with keys ``what``,
``ours``, ``peer``, ``peer_value`` and ``unit`` (smaller is better).  Figures are
measured in the same run, side by side; nothing here asserts a time.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # the benchmarks share bench/_timing.py


def main() -> int:
    rows = []
    for path in sorted(HERE.glob("bench_*.py")):  # each module: run() -> rows
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        rows.extend(module.run())
    head = ("benchmark", "deadlines", "peer", "peer figure", "peer / ours")
    table = [head]
    for r in rows:
        ratio = r["peer_value"] / r["ours"] if r["ours"] else float("inf")
        table.append(
            (
                r["what"],
                f"{r['ours']:.3g} {r['unit']}",
                r["peer"],
                f"{r['peer_value']:.3g} {r['unit']}",
                f"{ratio:.3g}×",
            )
        )
    widths = [max(len(str(row[i])) for row in table) for i in range(len(head))]
    for n, row in enumerate(table):
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))
    return 0


if __name__ == "__main__":
    sys.exit(main())
