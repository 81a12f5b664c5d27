"""上旬 / 中旬 / 下旬: the first, middle and last ten days of a month.

A limit "in 上旬" is met by the 10th, "in 中旬" by the 20th, "in 下旬" by the
month's last day; "前" changes nothing (the period itself is the limit).
"""

from __future__ import annotations

from datetime import date

import pytest

from deadlines.phrasereport import read_and_date
from deadlines.dates import moment_text
from deadlines.render import explain


def _read(text: str, calendar) -> tuple[list[str], list[str]]:
    rules, found = read_and_date(text, year=2015, calendar=calendar, end=date(2016, 12, 31))
    return [f"{r.kind}: {explain(r)}" for r in rules], [moment_text(o.due) for o in found if o.due]


@pytest.mark.parametrize(
    "text, reading, dues",
    [
        ("2015年7月上旬", "absolute: 2015年7月10日前", ["2015-07-10"]),
        ("7月中旬前", "absolute: 2015年7月20日前", ["2015-07-20"]),
        ("12月下旬完成", "absolute: 2015年12月31日前", ["2015-12-31"]),
        ("2016年2月下旬前", "absolute: 2016年2月29日前", ["2016-02-29"]),
        ("2016年3月中旬前完成", "absolute: 2016年3月20日前", ["2016-03-20"]),
        ("2015年7月上旬、8月下旬", "absolute: 2015年7月10日前；absolute: 2015年8月31日前", ["2015-07-10", "2015-08-31"]),
    ],
)
def test_a_dated_ten_days(text, reading, dues, calendar):
    assert _read(text, calendar) == (reading.split("；"), dues)


@pytest.mark.parametrize(
    "text, reading, first",
    [
        ("每月上旬", "recurring: 每月10日前", "2015-01-10"),
        ("每月中旬前报送", "recurring: 每月20日前", "2015-01-20"),
        ("每月下旬", "recurring: 每月底前", "2015-01-31"),
        ("每季度首月上旬", "recurring: 每季度首月10日前", "2015-01-10"),
        ("每年6月下旬前", "recurring: 每年6月底前", "2015-06-30"),
    ],
)
def test_a_ten_days_of_every_month(text, reading, first, calendar):
    rules, dues = _read(text, calendar)
    assert (rules, dues[0]) == ([reading], first)
