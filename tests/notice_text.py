"""Writing a holiday notice from holiday data, in the forms the State Council uses,
and the noise mirror sites add to it: for the properties of tests/test_holidays.py."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date
from functools import cache

NUMBERS = "一二三四五六七八九十"
WEEKDAYS = "一二三四五六日"


@dataclass(frozen=True)
class Item:
    name: str  # "元旦", "中秋节、国庆节"
    rest: tuple[date, ...]  # first to last
    working: tuple[date, ...] = ()


def _date(d: date, year: int, *, month: int | None = None, weekday: str = "", explicit_year: bool = False) -> str:
    text = f"{d.year}年" if explicit_year or d.year != year else ""
    text += f"{d.month}月" if text or month != d.month else ""
    text += f"{d.day}日"
    if weekday:
        text += f"（{weekday}{WEEKDAYS[d.weekday()]}）"
    return text


def item_text(item: Item, year: int, rng: random.Random, weekday: str) -> str:
    """One item's sentences, in a form that fits its days."""
    first, last = item.rest[0], item.rest[-1]
    n = len(item.rest)
    crosses = first.year != last.year or first.year != year
    note = weekday if rng.random() < 0.5 else ""
    form = "range"
    if n == 1:
        form = rng.choice(["single", "single_count", "single_no_shift"])
    elif n == 3 and not crosses:
        holiday = first if first.weekday() == 4 else last if last.weekday() == 0 else None
        if holiday is not None and rng.random() < 0.5:
            form = "with_weekend"
        elif first.weekday() == 5 and last.weekday() == 0 and rng.random() < 0.5:
            form = "lieu"
    if form == "single":
        text = f"{_date(first, year, weekday=note, explicit_year=crosses)}放假。"
    elif form == "single_count":
        text = f"{_date(first, year, weekday=note, explicit_year=crosses)}放假，共1天。"
    elif form == "single_no_shift":
        text = f"{_date(first, year, weekday=note, explicit_year=crosses)}放假1天，不调休。"
    elif form == "with_weekend":
        day = first if first.weekday() == 4 else last
        text = f"{_date(day, year)}放假，与周末连休。"
    elif form == "lieu":
        text = f"{_date(first, year)}放假，{_date(last, year, month=first.month, weekday=weekday or '星期')}补休。"
    else:
        start = _date(first, year, weekday=note, explicit_year=crosses)
        end = _date(last, year, month=None if crosses else first.month, weekday=note, explicit_year=crosses)
        kind = rng.choice(["放假调休", "放假", "放假公休"])
        text = f"{start}至{end}{kind}，共{n}天。"
    if item.working:
        parts, month = [], None
        for d in item.working:
            parts.append(_date(d, year, month=month if rng.random() < 0.5 else None,
                               weekday=weekday or "星期", explicit_year=d.year != year))
            month = d.month
        text += "、".join(parts) + "上班。"
    return text


def render(year: int, items: list[Item], rng: random.Random, *, number: str | None = None,
           issued: date | None = None) -> str:
    """A whole yearly notice with ``items`` (already in order)."""
    weekday = rng.choice(["星期", "周"])
    lines = [f"国务院办公厅关于{year}年部分节假日安排的通知"]
    if number:
        lines.append(number)
    lines += ["", "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：",
              f"经国务院批准，现将{year}年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。"]
    for i, item in enumerate(items):
        lines.append(f"{NUMBERS[i]}、{item.name}：{item_text(item, year, rng, weekday)}")
    lines.append("节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作，遇有重大突发事件，"
                 "要按规定及时报告并妥善处置，确保人民群众祥和平安度过节日假期。")
    lines.append("国务院办公厅")
    if issued:
        lines.append(f"{issued.year}年{issued.month}月{issued.day}日")
    text = "\n".join(lines) + "\n"
    if rng.random() < 0.5:  # the corpus copies give ASCII punctuation
        text = text.translate(str.maketrans("，：（）；", ",:();"))
    return text


# Noise as mirror sites add it -------------------------------------------------

_JUNK = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&*+,-./:;<=>?@[]^_`{|}~"


def junk(rng: random.Random) -> str:
    return "".join(rng.choice(_JUNK) for _ in range(rng.randint(1, 9)))


def add_noise(text: str, rng: random.Random) -> str:
    """Discuz/PHPWind-style anti-copy runs: ASCII between lines, before and after line text."""
    out = []
    for line in text.splitlines():
        if rng.random() < 0.3:
            out.append(" ".join(junk(rng) for _ in range(rng.randint(1, 4))))
        if line.strip():
            before = " ".join(junk(rng) for _ in range(rng.randint(0, 3)))
            after = " ".join(junk(rng) for _ in range(rng.randint(0, 3)))
            glued = junk(rng) if line.rstrip().endswith("。") and rng.random() < 0.3 else ""
            line = f"{before} {line}{glued} {after}".strip() if (before or after or glued) else line
        out.append(line)
    return "\n".join(out) + "\n"


@cache
def _s2t():
    import opencc

    return opencc.OpenCC("s2t").convert


def traditional_with_pinyin(text: str, rng: random.Random) -> str:
    """The text in traditional characters, with toneless or toned pinyin after some of them."""
    from pypinyin import Style, pinyin

    traditional = _s2t()(text)
    out = []
    for ch in traditional:
        out.append(ch)
        if "\u4e00" <= ch <= "\u9fff" and rng.random() < 0.2:
            style = rng.choice([Style.NORMAL, Style.TONE])
            sound = pinyin(ch, style=style)[0][0]
            if re.fullmatch(r"[a-zA-Z\u00c0-\u024f]+", sound):  # a character with no reading stays bare
                out.append(f"({sound})" * rng.randint(1, 2))
    return "".join(out)

