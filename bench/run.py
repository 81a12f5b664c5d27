"""Run every benchmark in bench/ and print one table: ours beside the peer or the limit, and the ratio.

Each ``bench/bench_*.py`` has ``run() -> list[dict]`` with keys ``what``,
``ours``, ``peer``, ``peer_value`` and ``unit`` (smaller is better), and
optionally ``limit`` (the peer figure is a target, not a program: the row
says whether it is met) and ``note`` (CPU, wall and memory of the same
runs).  Figures are measured in the same run, side by side; nothing here
asserts a time.  ``python bench/run.py province`` runs only the benchmarks
whose name holds "province".
"""

from __future__ import annotations

import compileall
import importlib.util
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # the benchmarks share bench/_timing.py and bench/synthetic.py


def print_rows(rows: list[dict]) -> None:
    head = ("benchmark", "deadlines", "peer or limit", "its figure", "peer / ours", "met", "the same runs")
    table = [head]
    for r in rows:
        ratio = r["peer_value"] / r["ours"] if r["ours"] else float("inf")
        met = ("yes" if ratio >= 1 else "NO") if r.get("limit") else ""
        table.append((r["what"], f"{r['ours']:.3g} {r['unit']}", r["peer"], f"{r['peer_value']:.3g} {r['unit']}",
                      f"{ratio:.3g}×", met, r.get("note", "")))
    widths = [max(len(str(row[i])) for row in table) for i in range(len(head))]
    for n, row in enumerate(table):
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))
    sys.stdout.flush()


def compile_package() -> None:
    """Write the package's bytecode, as installing it does (pip compiles what it installs).

    An editable install leaves ``src/deadlines`` as source only, and where
    ``PYTHONDONTWRITEBYTECODE`` is set no run writes its bytecode either: then
    every measured process compiles the whole package first, a cost no
    installed copy pays (it doubled a cold ``due``).  compileall writes it
    whatever that variable says; the modules are compiled once, here."""
    import deadlines

    compileall.compile_dir(Path(deadlines.__file__).parent, quiet=1)


def main(argv: list[str]) -> int:
    compile_package()
    rows = []
    started = time.perf_counter()
    for path in sorted(HERE.glob("bench_*.py")):  # each module: run() -> rows
        if argv and not any(word in path.stem for word in argv):
            continue
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        t = time.perf_counter()
        rows.extend(module.run())
        print(f"{path.stem}: {time.perf_counter() - t:.0f} s", file=sys.stderr)
    print_rows(rows)
    print(f"\n{len(rows)} rows in {time.perf_counter() - started:.0f} s; peer / ours ≥ 1: ours is faster than "
          "the peer, or within the limit.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
