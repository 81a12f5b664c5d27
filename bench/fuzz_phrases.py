"""The phrase reader and the engine under generated text: only DeadlineError, never a hang.

    .venv/bin/python bench/fuzz_phrases.py [--count 1000000] [--seed 16] [--jobs 2]

Generates phrases in the mutation classes of issue #16 (random CJK, mutations
of every real phrase in tests/phrases/*.yaml, extreme years, huge numbers,
control characters, 10,000-character runs), reads each with ``parse_phrase``
and expands the rules over the plan year and over every date there is, with a
trigger on an ordinary day, on 9999-12-31 and on 0001-01-01, with the
provisional and the official calendar.  Prints how many phrases raised
something other than :class:`DeadlineError` (with the first examples), and the
slowest phrase.  Deterministic for a seed; nothing here asserts a time (the
suite's property tests cover the same classes with fewer examples).
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import sys
import time
import traceback
from collections import Counter
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _timing import phrase_corpus  # noqa: E402

PIECES = ["年", "月", "日", "号", "前", "后", "内", "底", "末", "初", "每", "季度", "周", "工作日", "小时", "个", "至", "-",
          "、", "；", "，", "（", "）", "(", ")", "待", "按", "首月", "末月", "第", "次月", "次年", "两", "十", "廿", "百",
          "24时", "\n", " ", "之日起", "结束后", "遇节假日顺延", "上半年", "年度", "以前", "起", "开始", "争取", "到",
          "本方案印发", "审批", "及时", "定期", "每月", "每年", "最后一个工作日", "季后", "月后", "免报", ":", "时"]
EXTREME_NUMBERS = ["0", "00", "0000", "0001", "1", "13", "29", "30", "31", "32", "99", "999", "1899", "1900",
                   "2200", "2201", "2300", "2301", "9999", "10000", "99999", "99999999", "4294967296",
                   "18446744073709551616"]
CONTROL = [chr(c) for c in range(0, 32)] + ["\x7f", "\u200b", "\ufeff", "\u2028", "\u3000", "\ud800", "\U0010ffff"]
NUMERALS = "零〇一二两三四五六七八九十廿百"


def huge(rng: random.Random) -> str:
    n = rng.choice([10, 20, 100, 1000, 4300, 4301, 5000])
    return rng.choice("123456789") + "".join(rng.choice("0123456789") for _ in range(n - 1))


def mutate(rng: random.Random, text: str) -> str:
    chars = list(text)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(7)
        at = rng.randint(0, len(chars))
        if op == 0 and chars:  # delete
            del chars[min(at, len(chars) - 1)]
        elif op == 1:  # insert a piece
            chars[at:at] = list(rng.choice(PIECES))
        elif op == 2:  # an extreme number in place of a number
            digits = [k for k, c in enumerate(chars) if c.isdigit()]
            k = rng.choice(digits) if digits else at
            chars[k:k + 1] = list(rng.choice(EXTREME_NUMBERS))
        elif op == 3:  # a huge number
            chars[at:at] = list(huge(rng))
        elif op == 4:  # a control character
            chars[at:at] = [rng.choice(CONTROL)]
        elif op == 5:  # duplicate a slice
            a = rng.randint(0, len(chars))
            chars[at:at] = chars[a:a + rng.randint(1, 8)]
        else:  # a random character
            chars[at:at] = [chr(rng.randint(0x4E00, 0x9FFF)) if rng.random() < 0.7 else chr(rng.randint(0, 0x2FFFF))]
    return "".join(chars)


def generate(rng: random.Random, real: list[str]) -> tuple[str, str]:
    """One phrase and its mutation class."""
    r = rng.random()
    if r < 0.40:
        return mutate(rng, rng.choice(real)), "mutated real phrase"
    if r < 0.60:
        parts = [rng.choice(PIECES) if rng.random() < 0.6 else str(rng.randint(0, 3000)) if rng.random() < 0.5
                 else chr(rng.randint(0x4E00, 0x9FFF)) for _ in range(rng.randint(1, 20))]
        return "".join(parts), "random CJK and vocabulary"
    if r < 0.75:
        y, m, d = rng.choice(EXTREME_NUMBERS), rng.choice(EXTREME_NUMBERS), rng.choice(EXTREME_NUMBERS)
        template = rng.choice(["{y}年{m}月{d}日前", "{y}年{m}月底前", "{y}年内", "{y}年初", "{y}年度内", "自{y}年起",
                               "争取{y}年底前", "{y}年{m}月至{d}月", "{y}年第{m}季度", "{y}年{m}月{d}日至{y}年{m}月{d}日",
                               "每月{d}日前", "次年{m}月{d}日前", "{m}月{d}日{d}时前", "到{y}年", "从{y}年{m}月起每月{d}日前"])
        return template.format(y=y, m=m, d=d), "extreme years and dates"
    if r < 0.88:
        n = rng.choice([huge(rng), rng.choice(EXTREME_NUMBERS), rng.choice(NUMERALS) * rng.randint(1, 5000)])
        template = rng.choice(["审批后{n}个工作日内", "本方案印发后{n}个工作日内", "审批后{n}日内", "审批后{n}小时内",
                               "审批后{n}个月内", "审批后{n}年内", "每{n}周", "每{n}个月", "次月{n}个工作日内",
                               "每季度结束后{n}日内", "每月第{n}个工作日", "应在{n}小时内", "{n}", "{n}个工作日"])
        return template.format(n=n), "huge numbers"
    if r < 0.998:
        base = rng.choice(real)
        at = rng.randint(0, len(base))
        return base[:at] + "".join(rng.choice(CONTROL) for _ in range(rng.randint(1, 5))) + base[at:], "control characters"
    unit = rng.choice(["1", "9", " ", "\u3000", "一", "十", "年", "(", "（", "每月", "1月、", "审批后", rng.choice(real)])
    return (unit * (10000 // len(unit) + 1))[:10000], "10,000-character strings"


_STATE: dict = {}


def _init() -> None:
    from deadlines import WorkCalendar

    _STATE["calendars"] = [WorkCalendar(provisional=True), WorkCalendar()]


def check(args: tuple[int, int, str, str, bool]) -> tuple[int, str, str, str | None, float]:
    """Read (and expand) one phrase; the name and message of anything but DeadlineError."""
    from deadlines import DeadlineError, expand, parse_phrase
    from deadlines.model import Obligation, Plan, TriggerEvent

    index, year, text, kind, expanded = args
    started = time.perf_counter()
    try:
        rules = parse_phrase(text, year=year, issued=date(year, 6, 1))
        if not expanded:
            return index, kind, text, None, time.perf_counter() - started
        plan = Plan(id="p", title="t", year=year, issued=date(year, 6, 1),
                    obligations=[Obligation(id="o", title="t", due_text=text[:200], rules=rules)])
        calendar = _STATE["calendars"][index % 2]
        ordinary = [TriggerEvent(obligation="o", on=on) for on in (date(year, 9, 30), datetime(year, 9, 2, 10))]
        year_window = (date(year, 1, 1), date(year, 12, 31))
        # Each phrase meets one of the extremes, in turn: every date there is as
        # the window, or an event on the last or the first day (or moment) there is.
        extreme = [((date.min, date.max), ordinary)] + [
            (year_window, [TriggerEvent(obligation="o", on=on)]) for on in (date.max, date.min, datetime.max)
        ]
        for window, events in ((year_window, ordinary), extreme[index // 2 % len(extreme)]):
            try:
                expand(plan, *window, calendar=calendar, triggers=events)
            except DeadlineError:
                pass
    except DeadlineError:
        pass
    except Exception as exc:  # noqa: BLE001 - what this script counts
        where = traceback.extract_tb(exc.__traceback__)[-1]
        return index, kind, text, f"{type(exc).__name__}: {str(exc)[:120]} ({Path(where.filename).name}:{where.lineno})", time.perf_counter() - started
    return index, kind, text, None, time.perf_counter() - started


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--jobs", type=int, default=multiprocessing.cpu_count())
    ap.add_argument("--expand-every", type=int, default=1, metavar="N",
                    help="expand the rules of every Nth phrase (default 1: all of them)")
    a = ap.parse_args()
    real = phrase_corpus()
    rng = random.Random(a.seed)
    years = [2015, 1949, 2200, 2016]

    def items():
        for i in range(a.count):
            text, kind = generate(rng, real)
            yield i, years[i % len(years)], text, kind, i % a.expand_every == 0

    started = time.perf_counter()
    failures: list[tuple[str, str, str]] = []
    by_kind: Counter = Counter()
    failed_by_kind: Counter = Counter()
    slowest = (0.0, "")
    with multiprocessing.Pool(a.jobs, initializer=_init) as pool:
        for n, (index, kind, text, error, took) in enumerate(pool.imap_unordered(check, items(), chunksize=200), 1):
            by_kind[kind] += 1
            if error:
                failed_by_kind[kind] += 1
                failures.append((kind, text, error))
            if took > slowest[0]:
                slowest = (took, text)
            if n % 100_000 == 0:
                print(f"{n:>9,} phrases, {len(failures)} not DeadlineError, {time.perf_counter() - started:.0f} s",
                      file=sys.stderr)
    total = time.perf_counter() - started
    print(f"{a.count:,} phrases (seed {a.seed}, every {a.expand_every}. one expanded) in {total:.0f} s: "
          f"{len(failures)} raised something other than DeadlineError")
    for kind in sorted(by_kind):
        print(f"  {kind}: {by_kind[kind]:,} phrases, {failed_by_kind[kind]} failures")
    print(f"slowest phrase: {slowest[0]:.2f} s ({len(slowest[1])} characters: {slowest[1][:40]!r})")
    for kind, text, error in failures[:20]:
        print(f"  [{kind}] {text[:60]!r}: {error}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
