"""The site's index.html, the page a unit opens, in a real browser: headless Chromium.

Chromium is Debian's ``chromium`` package (``make test`` installs it through
the Makefile's ``browser`` target), driven by playwright with JavaScript
switched off: what it shows is what a browser without JavaScript shows (the
page has no script, and its Content-Security-Policy forbids any).  Each test
looks at the page at desktop width and at a phone's (375 px), and writes its
screenshots to ``build/test-page/`` (not committed) for a person to look at.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest

from deadlines import WorkCalendar, expand, i18n
from deadlines.site import build_site, data_stamp

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "build" / "test-page"
TODAY = date(2015, 7, 8)
BASE = "https://example.org/deadlines/"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}


@pytest.fixture(scope="session")
def chromium() -> str:
    found = shutil.which("chromium")
    if found:
        return found
    if not shutil.which("apt-get") or os.geteuid() != 0:
        pytest.fail("chromium is not installed: run `make browser` (as root) or apt-get install chromium")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for step in (["apt-get", "update"], ["apt-get", "install", "-y", "--no-install-recommends", "chromium"]):
        done = subprocess.run(step, capture_output=True, text=True, env=env, timeout=1500)
        assert done.returncode == 0, (step, done.stderr[-300:])
    return shutil.which("chromium")


@pytest.fixture(scope="module")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        found = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        yield found
        found.close()


def _page(browser, viewport):
    context = browser.new_context(viewport=viewport, java_script_enabled=False)
    return context.new_page()


@pytest.fixture(scope="module")
def site(tmp_path_factory, bundled_plans) -> Path:
    i18n.set_language(None)
    out = tmp_path_factory.mktemp("site") / "site"
    build_site(bundled_plans, out, calendar=WorkCalendar(provisional=True), today=TODAY, base_url=BASE)
    return out


def _shot(page, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 20_000  # a blank page is a few kB
    return path


def _overdue(plan, found: list, unit: str) -> list:
    """What the unit owes under the plan on TODAY, counted here from the engine's occurrences."""
    ids = {ob.id for ob in plan.obligations if unit in ob.units.all()}
    return [o for o in found if o.obligation in ids and unit in o.units.all() and o.due is not None
            and o.due_date < TODAY and o.status != "done" and (plan.issued is None or o.due_date >= plan.issued)]


def test_the_page_speaks_chinese_and_runs_no_script(site):
    source = (site / "index.html").read_text(encoding="utf-8")
    assert "<script" not in source and "default-src 'none'" in source
    assert '<html lang="zh-CN">' in source and "<title>工作时限订阅</title>" in source
    assert "逾期未完成" in source and "按地区和计划查找单位" in source
    assert "Overdue" not in source and "Subscribe (webcal)" not in source


def test_at_phone_width_nothing_overflows_and_every_unit_is_reachable(browser, site):
    page = _page(browser, PHONE)
    page.goto((site / "index.html").as_uri())
    _shot(page, "phone-top")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    index = json.loads((site / "feeds" / "index.json").read_text(encoding="utf-8"))
    cards = page.locator("article.unit")
    names = {cards.nth(i).get_attribute("data-unit") for i in range(cards.count())}
    assert names == set(index["units"])  # every unit has a card
    summaries = page.locator("nav details summary")
    for i in range(summaries.count()):
        summaries.nth(i).click(position={"x": 2, "y": 8})  # the marker, not the plan's link: opens the list
    for i in range(cards.count()):
        anchor = cards.nth(i).get_attribute("id")
        link = page.locator(f'nav a[href="#{anchor}"]')
        assert link.count() == 1 and link.is_visible(), anchor
        box = cards.nth(i).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], anchor
    # following a link from the list brings the unit's card to the top of the screen
    middle = cards.nth(cards.count() // 2)
    page.locator(f'nav a[href="#{middle.get_attribute("id")}"]').click()
    assert page.url.endswith("#" + middle.get_attribute("id"))
    assert abs(middle.bounding_box()["y"]) < 5
    _shot(page, "phone-unit")


def test_overdue_items_are_shown_for_the_unit_that_owes_them(browser, site, bundled_plans):
    page = _page(browser, PHONE)
    page.goto((site / "index.html").as_uri())
    checked = 0
    for plan in bundled_plans:
        found = expand([plan], date.min, date.max, calendar=WorkCalendar(provisional=True))
        for unit in sorted({n for ob in plan.obligations for n in ob.units.all()}):
            owed = _overdue(plan, found, unit)
            card = page.locator(f'section.plan[id="{plan.id}"] article.unit[data-unit="{unit}"]')
            heading = card.locator("h5.bad")
            if not owed:
                assert heading.count() == 0, (plan.id, unit)
                continue
            titles = {o.title for o in owed}
            assert heading.inner_text() == f"逾期未完成（{len(titles)}）", (plan.id, unit)
            latest = max(owed, key=lambda o: o.due_date)
            first = card.locator("ul.overdue li").first
            assert first.is_visible() and first.inner_text().startswith(latest.title)
            assert latest.due_date.isoformat() in first.inner_text()
            checked += 1
    assert checked > 10  # the 2013 plan has missed items on 2015-07-08
    page.locator("ul.overdue").first.scroll_into_view_if_needed()
    _shot(page, "phone-overdue")


def test_plans_are_named_with_their_document_number_under_their_place(browser, site, bundled_plans):
    page = _page(browser, DESKTOP)
    page.goto((site / "index.html").as_uri())
    _shot(page, "desktop-top")
    places = page.locator("main h2.place").all_inner_texts()
    assert places == sorted({p.place for p in bundled_plans}) and len(places) == len(set(places))
    for plan in bundled_plans:
        section = page.locator(f'section.plan[id="{plan.id}"]')
        assert section.locator("h3").inner_text() == plan.title
        meta = section.locator("p.meta").first.inner_text()
        if plan.document_number:
            assert plan.document_number in meta
            assert plan.document_number in page.locator(f'nav summary:has(a[href="#{plan.id}"])').inner_text()
        else:
            assert "未写文号" in meta
        # the section sits under its place's heading
        place_of = section.evaluate("s => { let e = s; while ((e = e.previousElementSibling)) "
                                    "{ if (e.matches('h2.place')) return e.textContent } }")
        assert place_of == plan.place


def test_the_data_version_is_the_data_s_not_the_clock_s(site, bundled_plans, tmp_path):
    source = (site / "index.html").read_text(encoding="utf-8")
    calendar = WorkCalendar(provisional=True)
    first, last = calendar.package_years
    day = (data_stamp(bundled_plans) + timedelta(hours=8)).date()
    assert f"数据版本：节假日数据 {first}–{last} 年，数据截至 {day.isoformat()}" in source
    again = tmp_path / "again"
    build_site(bundled_plans, again, calendar=WorkCalendar(provisional=True), today=TODAY, base_url=BASE)
    assert (again / "index.html").read_bytes() == (site / "index.html").read_bytes()


def test_no_list_repeats_a_task_title(browser, site):
    page = _page(browser, DESKTOP)
    page.goto((site / "index.html").as_uri())
    lists = page.evaluate("""() => [...document.querySelectorAll('article.unit ul')].map(ul =>
        [...ul.querySelectorAll('li')].map(li => [li.firstChild.textContent,
            [...li.querySelectorAll('.dates')].map(d => d.textContent)]))""")
    assert len(lists) > 100
    for rows in lists:
        titles = [title for title, _ in rows]
        assert len(titles) == len(set(titles)), titles
        for _, dates in rows:
            for text in dates:
                days = [d for d in text.removeprefix("到期 ").split(" ")[0].split("、") if d]
                assert len(days) == len(set(days)), text


def test_the_page_in_english_with_lang_en(browser, bundled_plans, tmp_path):
    i18n.set_language("en")
    try:
        out = tmp_path / "site"
        build_site(bundled_plans, out, calendar=WorkCalendar(provisional=True), today=TODAY, base_url=BASE)
    finally:
        i18n.set_language(None)
    source = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in source and "Overdue, not done (" in source and "逾期未完成" not in source
    page = _page(browser, PHONE)
    page.goto((out / "index.html").as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _shot(page, "phone-english")
