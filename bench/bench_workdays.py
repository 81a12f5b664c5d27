"""add_workdays(d, 20) against the obvious day-by-day walk on chinese_calendar.

Peers, measured on the same 2,000 random start dates in one run:
- a loop calling ``chinese_calendar.is_workday`` day by day (what most code does);
- ``chinese_calendar.find_workday(20, d)`` (the library's own, also day by day).
"""

from __future__ import annotations

import random
import time
from datetime import date, timedelta

import chinese_calendar

from _timing import per_item_us

from deadlines import WorkCalendar

N = 20


def _starts(count: int = 2000) -> list[date]:
    rng = random.Random(20151009)
    first, span = date(2005, 1, 1), (date(2026, 10, 31) - date(2005, 1, 1)).days
    return [first + timedelta(days=rng.randrange(span)) for _ in range(count)]


def _loop(d: date) -> date:
    left = N
    while left:
        d += timedelta(days=1)
        if chinese_calendar.is_workday(d):
            left -= 1
    return d


def run() -> list[dict]:
    cal = WorkCalendar()
    starts = _starts()
    ours = per_item_us(lambda d: cal.add_workdays(d, N), starts)
    loop = per_item_us(_loop, starts, repeat=2)
    find = per_item_us(lambda d: chinese_calendar.find_workday(N, d), starts, repeat=2)
    t = time.perf_counter()
    WorkCalendar()
    build = (time.perf_counter() - t) * 1e3
    return [
        {"what": f"add_workdays(d, {N})", "ours": ours, "peer": "loop on chinese_calendar.is_workday",
         "peer_value": loop, "unit": "µs/call"},
        {"what": f"add_workdays(d, {N})", "ours": ours, "peer": "chinese_calendar.find_workday",
         "peer_value": find, "unit": "µs/call"},
        {"what": "WorkCalendar() build (once per process)", "ours": build, "peer": "one find_workday(20) call",
         "peer_value": find / 1e3, "unit": "ms"},
    ]
