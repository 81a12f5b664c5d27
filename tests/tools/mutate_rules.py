"""Mutate a real rules file in every way a typo, another editor or a hostile file can, and run the CLI on each.

    .venv/bin/python tests/tools/mutate_rules.py                  # 300 files from rules/zhongshan-2015.yaml
    .venv/bin/python tests/tools/mutate_rules.py --count 50 --jobs 4 --keep /tmp/mutants

Each mutant goes into a rules folder of its own (with the bundled
``units.yaml``; some classes mutate that file instead), and ``deadlines due``
and ``deadlines check`` run on it as separate processes, each with a time
limit (a hang) and an address-space limit (a memory bomb).  Counted per
command: tracebacks, hangs, exit codes other than the documented ones (due: 0
or 2; check: 0, 1 or 2), and the peak resident memory of the process
(``ru_maxrss`` from ``wait4``).  Prints a table per mutation class and exits 1
when any run gave a traceback or a hang.

The mutants are drawn from a seeded generator: the same seed gives the same
files.  This is the run of issue #16's table row "rules files mutated from
rules/zhongshan-2015.yaml"; its numbers are reported in docs/reliability.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "rules" / "zhongshan-2015.yaml"
UNITS = ROOT / "rules" / "units.yaml"

TIMEOUT = 60  # seconds per command: longer is a hang
MEMORY = 4 << 30  # address space per command: more is a bomb

WRONG_VALUES = [
    "二〇一五", "2015.5", "'2015'", "[2015]", "{a: 1}", "null", "true", "-1", "1e999", "0x7e0",
    "99999999999999999999999999", "1" + "0" * 5000, "''", "\"\\x00\"", "[[[[]]]]", "!!binary aGk=", "~",
    "2015-02-30", "0000-01-01", "9999-12-31", "0001-01-01", "2015-13-01", "2015-07-31T25:00",
]
PHRASES = [
    "0001年1月前", "9999年12月底前", "本方案印发后99999999个工作日内", "本方案印发后120000个工作日内",
    "每99999999个月", "2016年内", "2016年初", "2017年度内", "每季度首月99日前", "审批后" + "9" * 5000 + "日内",
    "2015年13月", "2015年2月30日前", "每月0日前", "每周八", "　" * 1000, "年" * 10000, "\u202e2015年7月前",
]
STRUCTURED = [
    "{every: day, interval: 1000000000000}", "{every: year, interval: 99999999}",
    "{after: 审批, within: {days: 1000000000000000}}", "{after: 审批, within: {workdays: 120000}}",
    "{on: 9999-12-31, roll: true}", "{on: 0001-01-01}", "{every: month, day: 99}", "{kind: monthly}",
    "{every: quarter, after_end: {years: 9999}}", "{after: 本方案印发, within: {hours: 99999999999}}",
]


def _bomb(depth: int, width: int) -> str:
    lines = ['lol0: &lol0 ["哈哈哈哈哈哈哈哈"]']
    for i in range(1, depth + 1):
        lines.append(f"lol{i}: &lol{i} [" + ", ".join([f"*lol{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


# -- one function per mutation class: (rng, text) -> (file name, bytes)


def delete_lines(rng: random.Random, text: str) -> tuple[str, bytes]:
    lines = text.splitlines(keepends=True)
    for _ in range(rng.randint(1, 5)):
        start = rng.randrange(len(lines))
        del lines[start : start + rng.randint(1, 8)]
    return "plan.yaml", "".join(lines).encode()


def wrong_type(rng: random.Random, text: str) -> tuple[str, bytes]:
    field = rng.choice(["year", "issued", "id", "title", "due", "units", "lead", "due_text", "obligations", "place"])
    matches = list(re.finditer(rf"^(\s*-?\s*{field}:)(.*)$", text, re.M))
    value = rng.choice(WRONG_VALUES)
    if not matches:
        return "plan.yaml", (text + f"{field}: {value}\n").encode()
    m = rng.choice(matches)
    return "plan.yaml", (text[: m.start()] + f"{m[1]} {value}" + text[m.end() :]).encode()


def bad_date(rng: random.Random, text: str) -> tuple[str, bytes]:
    dates = list(re.finditer(r"\d{4}-\d{2}-\d{2}", text))
    bad = rng.choice(["2015-02-30", "0000-01-01", "9999-12-31", "0001-01-01", "2015-13-01", "2015-00-10", "99999-01-01"])
    if not dates:
        return "plan.yaml", text.encode()
    m = rng.choice(dates)
    return "plan.yaml", (text[: m.start()] + bad + text[m.end() :]).encode()


def extreme_phrase(rng: random.Random, text: str) -> tuple[str, bytes]:
    matches = list(re.finditer(r"^(\s*due_text:)(.*)$", text, re.M))
    m = rng.choice(matches)
    return "plan.yaml", (text[: m.start()] + f"{m[1]} {json.dumps(rng.choice(PHRASES), ensure_ascii=False)}"
                         + text[m.end() :]).encode()


def huge_structured(rng: random.Random, text: str) -> tuple[str, bytes]:
    extra = f"  - {{id: fuzz-1, title: 变异, units: {{lead: [中山市财政局]}}, due: {rng.choice(STRUCTURED)}}}\n"
    return "plan.yaml", (text.rstrip("\n") + "\n" + extra).encode()


def aliases(rng: random.Random, text: str) -> tuple[str, bytes]:
    kind = rng.choice(["bomb", "wide", "recursive", "undefined", "fine"])
    if kind == "bomb":
        return "plan.yaml", (text + _bomb(9, 9)).encode()
    if kind == "wide":
        return "plan.yaml", (text + _bomb(3, 2000)).encode()
    if kind == "recursive":
        return "plan.yaml", (text + "loop: &loop [1, *loop]\n").encode()
    if kind == "undefined":
        return "plan.yaml", (text + "x: *nowhere\n").encode()
    return "plan.yaml", (text + "x: &x [1, 2]\ny: *x\n").encode()


def units_bomb(rng: random.Random, text: str) -> tuple[str, bytes]:
    return "units.yaml", (UNITS.read_text(encoding="utf-8") + _bomb(rng.randint(6, 10), 9)).encode()


def units_wrong(rng: random.Random, text: str) -> tuple[str, bytes]:
    units = UNITS.read_text(encoding="utf-8")
    lines = units.splitlines(keepends=True)
    i = rng.randrange(len(lines))
    lines[i] = rng.choice(["中山市: [a, b]\n", "  中山市财政局: 5\n", "    aliases: {a: 1}\n", "\x00\n", "    group: maybe\n"])
    return "units.yaml", "".join(lines).encode()


def deep_nesting(rng: random.Random, text: str) -> tuple[str, bytes]:
    n = rng.choice([100, 1000, 10_000, 100_000])
    if rng.random() < 0.5:
        return "plan.yaml", (text + "x: " + "[" * n + "]" * n + "\n").encode()
    return "plan.yaml", (text + "x:\n" + "".join(" " * i + "- \n" for i in range(1, min(n, 3000)))).encode()


def binary(rng: random.Random, text: str) -> tuple[str, bytes]:
    raw = text.encode()
    if rng.random() < 0.3:
        return "plan.yaml", rng.randbytes(rng.randint(1, 20000))
    start = rng.randrange(len(raw))
    return "plan.yaml", raw[:start] + rng.randbytes(rng.randint(1, 200)) + raw[start:]


def encoding(rng: random.Random, text: str) -> tuple[str, bytes]:
    name = rng.choice(["gb18030", "gbk", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "big5", "latin-1", "utf-8-sig"])
    return "plan.yaml", text.encode(name, errors="replace")


def control_chars(rng: random.Random, text: str) -> tuple[str, bytes]:
    chars = list(text)
    for _ in range(rng.randint(1, 3)):
        chars.insert(rng.randrange(len(chars)), rng.choice(["\x00", "\x01", "\x1b", "\x7f", "\x85", "\ufffe", "\x0c"]))
    return "plan.yaml", "".join(chars).encode("utf-8", errors="surrogatepass")


def truncate(rng: random.Random, text: str) -> tuple[str, bytes]:
    raw = text.encode()
    return "plan.yaml", raw[: rng.randrange(len(raw))]


def indentation(rng: random.Random, text: str) -> tuple[str, bytes]:
    lines = text.splitlines(keepends=True)
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(lines))
        lines[i] = rng.choice([" ", "\t", ""]) + (lines[i][1:] if rng.random() < 0.5 else lines[i])
    return "plan.yaml", "".join(lines).encode()


def structure(rng: random.Random, text: str) -> tuple[str, bytes]:
    kind = rng.choice(["two documents", "duplicate key", "huge scalar", "empty", "list root", "many documents"])
    if kind == "two documents":
        return "plan.yaml", (text + "---\n" + text).encode()
    if kind == "duplicate key":
        return "plan.yaml", (text + "year: 2016\n").encode()
    if kind == "huge scalar":
        return "plan.yaml", text.replace("title:", "title: " + "长" * 2_000_000 + " #", 1).encode()
    if kind == "empty":
        return "plan.yaml", b""
    if kind == "list root":
        return "plan.yaml", b"- 1\n- 2\n"
    return "plan.yaml", ("---\na: 1\n" * 10000).encode()


CLASSES = [delete_lines, wrong_type, bad_date, extreme_phrase, huge_structured, aliases, units_bomb, units_wrong,
           deep_nesting, binary, encoding, control_chars, truncate, indentation, structure]


# The command, run with the address-space cap set in the process itself
# (preexec_fn is not safe with the threads that run the commands in parallel).
_DEADLINES = (
    "import resource, sys; resource.setrlimit(resource.RLIMIT_AS, ({m}, {m})); "
    "from deadlines.cli import main; sys.exit(main(sys.argv[1:]))"
).format(m=MEMORY)


def run(command: list[str]) -> dict:
    """One CLI run in its own process: exit code, traceback, hang, peak RSS (KiB), seconds."""
    start = time.monotonic()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err, env={**os.environ, "NO_COLOR": "1"})
        hang = False
        deadline = start + TIMEOUT
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                hang = True
                break
            time.sleep(0.01)
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        text = err.read().decode("utf-8", errors="replace")
    return {
        "code": proc.returncode, "traceback": "Traceback" in text, "hang": hang, "rss_kib": usage.ru_maxrss,
        "seconds": time.monotonic() - start, "lines": len(text.splitlines()), "stderr": text[-400:],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--keep", type=Path, help="write the mutants here (default: a temporary folder)")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    text = SOURCE.read_text(encoding="utf-8")
    base = args.keep or Path(tempfile.mkdtemp(prefix="mutants-"))
    cases = []
    for i in range(args.count):
        mutate = CLASSES[i % len(CLASSES)]
        name, content = mutate(rng, text)
        folder = base / f"{i:03d}-{mutate.__name__}" / "rules"
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(UNITS, folder / "units.yaml")
        if name == "plan.yaml":
            (folder / "zhongshan-2015.yaml").write_bytes(content)
        else:
            shutil.copy(SOURCE, folder / "zhongshan-2015.yaml")
            (folder / name).write_bytes(content)
        cases.append((mutate.__name__, folder))

    deadlines = [sys.executable, "-c", _DEADLINES]
    jobs = []
    for kind, folder in cases:
        jobs.append((kind, folder, "due", deadlines + ["due", "--rules", str(folder), "--today", "2015-07-08"]))
        jobs.append((kind, folder, "check", deadlines + ["check", "--rules", str(folder)]))
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(lambda job: (*job[:3], run(job[3])), jobs))

    allowed = {"due": {0, 2}, "check": {0, 1, 2}}
    table: dict[tuple[str, str], dict] = defaultdict(lambda: defaultdict(int))
    bad = []
    worst = {"rss_kib": 0, "seconds": 0.0}
    for kind, folder, command, r in results:
        row = table[(kind, command)]
        row["runs"] += 1
        row["tracebacks"] += r["traceback"]
        row["hangs"] += r["hang"]
        row["other exit"] += r["code"] not in allowed[command]
        row["exit 2"] += r["code"] == 2
        row["max rss MiB"] = max(row["max rss MiB"], r["rss_kib"] // 1024)
        row["max s"] = max(row["max s"], round(r["seconds"], 1))
        worst["rss_kib"] = max(worst["rss_kib"], r["rss_kib"])
        worst["seconds"] = max(worst["seconds"], r["seconds"])
        if r["traceback"] or r["hang"] or r["code"] not in allowed[command] or (r["code"] == 2 and r["lines"] != 1):
            bad.append((folder, command, r))

    heads = ["runs", "exit 2", "tracebacks", "hangs", "other exit", "max rss MiB", "max s"]
    print(f"{'class':<16} {'command':<6} " + " ".join(f"{h:>11}" for h in heads))
    for (kind, command), row in sorted(table.items()):
        print(f"{kind:<16} {command:<6} " + " ".join(f"{row[h]:>11}" for h in heads))
    total = {h: sum(row[h] for row in table.values()) for h in ("runs", "tracebacks", "hangs", "other exit")}
    print(f"\n{args.count} mutated files, {total['runs']} runs: {total['tracebacks']} tracebacks, "
          f"{total['hangs']} hangs (> {TIMEOUT} s), {total['other exit']} unexpected exit codes; "
          f"peak memory {worst['rss_kib'] // 1024} MiB, slowest run {worst['seconds']:.1f} s (at {args.jobs} jobs)")
    for folder, command, r in bad:
        print(f"\n{folder} {command}: exit {r['code']}, hang {r['hang']}\n{r['stderr']}")
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)
    return 1 if total["tracebacks"] or total["hangs"] else 0


if __name__ == "__main__":
    sys.exit(main())
