"""The site's index.html in a real browser: headless Chromium.

The page has no script, and its Content-Security-Policy forbids any: what
Chromium shows is what a browser without JavaScript shows.

Chromium is Debian's ``chromium`` package.  Where it is missing the test
installs it (as root, with apt-get); it skips only where that cannot be done,
and says why.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from deadlines import WorkCalendar, expand
from deadlines.site import build_site

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2015, 7, 8)
BASE = "https://example.org/deadlines/"


@pytest.fixture(scope="session")
def chromium() -> str:
    found = shutil.which("chromium")
    if found:
        return found
    if not shutil.which("apt-get") or os.geteuid() != 0:
        pytest.skip("chromium is not installed and cannot be installed here: apt-get needs root and Debian")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    steps = (["apt-get", "update"], ["apt-get", "install", "-y", "--no-install-recommends", "chromium"])
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True, env=env, timeout=1500)
        if done.returncode != 0:
            pytest.skip(f"the Debian chromium package cannot be installed: {' '.join(step)}: "
                        f"{(done.stderr or done.stdout).strip()[-300:]}")
    found = shutil.which("chromium")
    if not found:
        pytest.skip("apt-get installed chromium but there is no chromium command")
    return found


def _run(chromium: str, tmp: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         f"--user-data-dir={tmp / 'profile'}", *args],
        capture_output=True, text=True, timeout=180,
    )


class _Page(HTMLParser):
    """Headings, links and list items of the rendered page, by unit section."""

    def __init__(self):
        super().__init__()
        self.sections: dict[str, dict] = {}
        self.current: dict | None = None
        self.tag_stack: list[str] = []
        self.scripts = 0
        self.text = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tag_stack.append(tag)
        if tag == "script":
            self.scripts += 1
        if tag == "section":
            self.current = {"id": attrs.get("id"), "name": "", "links": [], "headings": [], "items": 0}
        if tag == "a" and self.current is not None:
            self.current["links"].append(attrs["href"])
        if tag == "li" and self.current is not None:
            self.current["items"] += 1
        self.text = ""

    def handle_endtag(self, tag):
        if self.tag_stack:
            self.tag_stack.pop()
        if self.current is None:
            return
        if tag == "h2":
            self.current["name"] = self.text.strip()
        elif tag == "h3":
            self.current["headings"].append(self.text.strip())
        elif tag == "section":
            self.sections[self.current["name"]] = self.current
            self.current = None

    def handle_data(self, data):
        self.text += data


@pytest.fixture(scope="module")
def site(tmp_path_factory, bundled_plans) -> Path:
    out = tmp_path_factory.mktemp("site")
    build_site(bundled_plans, out, calendar=WorkCalendar(provisional=True), today=TODAY, base_url=BASE)
    return out


def test_the_page_works_without_javascript_and_links_every_feed(chromium, site, tmp_path, bundled_plans):
    done = _run(chromium, tmp_path, "--dump-dom", (site / "index.html").as_uri())
    assert done.returncode == 0, done.stderr[-500:]
    page = _Page()
    page.feed(done.stdout)
    assert page.scripts == 0
    source = (site / "index.html").read_text(encoding="utf-8")
    assert "<script" not in source
    assert "default-src 'none'" in source
    index = json.loads((site / "feeds" / "index.json").read_text(encoding="utf-8"))
    assert set(page.sections) == set(index["units"])
    plans = bundled_plans
    calendar = WorkCalendar(provisional=True)
    found = expand(plans, TODAY, TODAY + timedelta(days=29), calendar=calendar)
    every = expand(plans, date.min, date.max, calendar=calendar)
    for name, row in index["units"].items():
        section = page.sections[name]
        https = BASE + row["file"]
        webcal = "webcal://" + https.removeprefix("https://")
        assert https in section["links"] and webcal in section["links"]
        google = [link for link in section["links"] if link.startswith("https://calendar.google.com/")]
        assert len(google) == 1 and parse_qs(urlsplit(google[0]).query)["cid"] == [webcal]
        upcoming = [o for o in found if o.due is not None and name in o.units.all()]
        assert f"今后30天到期（{len(upcoming)}）" in section["headings"], name
        waiting = [o for o in every if o.due is None and name in o.units.all()]
        assert (f"等待触发（{len(waiting)}）" in section["headings"]) == bool(waiting), name


def test_the_page_renders(chromium, site, tmp_path):
    shot = tmp_path / "page.png"
    done = _run(chromium, tmp_path, "--hide-scrollbars", "--window-size=1100,1400", f"--screenshot={shot}",
                (site / "index.html").as_uri())
    assert done.returncode == 0, done.stderr[-500:]
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 20_000  # a blank page is a few kB
