"""The site switches whole: readers during rebuilds see one build at a time, and no file vanishes.

A reader resolves the site link once and reads ``index.json``, the page and
every feed from what it resolved (as a web server does per request); each
snapshot must be one build: ``index.json``'s data version is the hash of the
feeds beside it, it lists exactly those feeds, and the page names the same
version.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from pathlib import Path

import pytest

from deadlines.errors import DeadlineError
from deadlines.model import Plan
from deadlines.site import KEEP_SECONDS, builds_folder, build_site, write_site
from deadlines.engine import expand
from deadlines.site import data_stamp


def _plan(day: int) -> Plan:
    units = [f"第{i}局" for i in range(6)]
    return Plan.model_validate({
        "id": "switch", "title": "切换检验方案", "year": 2015,
        "obligations": [
            {"id": f"s-{i}", "title": f"第{i}项", "units": {"lead": [units[i % 6]], "cooperating": [units[(i + 1) % 6]]},
             "due": {"every": "month", "day": 1 + (i + day) % 28}}
            for i in range(24)
        ],
    })


def _snapshot(site: Path) -> tuple[str, bool, list[str]]:
    """(data version, whether the snapshot is one build, problems) of the build the site points at now."""
    real = Path(os.path.realpath(site))
    index = json.loads((real / "feeds" / "index.json").read_bytes())
    listed = {"feeds/all.ics", *(u["file"] for u in index["units"].values())}
    present = {f"feeds/{p.name}" for p in (real / "feeds").glob("*.ics")}
    feeds = {name: (real / name).read_bytes() for name in sorted(listed)}
    version = hashlib.sha256(b"".join(feeds[k] for k in sorted(feeds))).hexdigest()[:16]
    page = (real / "index.html").read_text(encoding="utf-8")
    problems = []
    if version != index["data_version"]:
        problems.append(f"feeds of {version}, index.json of {index['data_version']}")
    if listed != present:
        problems.append(f"index.json lists {sorted(listed ^ present)} differently")
    if '<meta name="deadlines-build" content="%s">' % index["data_version"] not in page:
        problems.append("the page is of another build")
    return index["data_version"], not problems, problems


def test_readers_never_see_a_mixed_site_during_forty_rebuilds(tmp_path, calendar):
    site = tmp_path / "site"
    data = []
    for day in (0, 7):
        plan = _plan(day)
        data.append((plan, expand(plan, plan.period.start, plan.period.end, calendar=calendar)))
    versions: dict = {}  # as the event store keeps them: each build is a new version of the site
    write_site([data[0][0]], data[0][1], site, stamp=data_stamp([data[0][0]]), versions=versions,
               save_versions=versions.update)

    done = threading.Event()
    seen: list[tuple[str, bool, list[str]]] = []
    errors: list[BaseException] = []

    def read():
        while not done.is_set() and len(seen) < 100_000:
            try:
                seen.append(_snapshot(site))
            except BaseException as exc:  # a vanished file, a half-written one
                errors.append(exc)
            time.sleep(0.002)  # let the builder have the interpreter too

    readers = [threading.Thread(target=read) for _ in range(3)]
    for r in readers:
        r.start()
    try:
        for i in range(40):
            plan, occurrences = data[(i + 1) % 2]
            write_site([plan], occurrences, site, stamp=data_stamp([plan]), versions=dict(versions),
                       save_versions=versions.update)
            time.sleep(0.005)
    finally:
        done.set()
        for r in readers:
            r.join(timeout=60)
    assert errors == []
    assert [s for s in seen if not s[1]] == []
    assert len({s[0] for s in seen}) >= 10  # the readers did see the site change under them
    assert len(seen) >= 40


def test_an_unchanged_file_is_the_same_file_and_nothing_changes_nothing(tmp_path, calendar):
    from datetime import date

    site = tmp_path / "site"
    plan = _plan(0)
    build_site([plan], site, calendar=calendar, today=date(2015, 7, 1))
    first = Path(os.path.realpath(site))
    assert build_site([plan], site, calendar=calendar, today=date(2015, 7, 1)).written == []
    assert Path(os.path.realpath(site)) == first  # nothing changed: nothing switched
    result = build_site([plan], site, calendar=calendar, today=date(2015, 7, 2))  # only the page changes
    second = Path(os.path.realpath(site))
    assert second != first and result.written == ["index.html"]
    for feed in (first / "feeds").iterdir():  # the feeds are the same files: their Last-Modified is kept
        again = second / "feeds" / feed.name
        assert again.stat().st_ino == feed.stat().st_ino and again.stat().st_mtime_ns == feed.stat().st_mtime_ns


def test_replaced_builds_are_kept_for_a_while_then_removed(tmp_path, calendar):
    site = tmp_path / "site"
    for day in range(4):
        build_site([_plan(day)], site, calendar=calendar)
    builds = builds_folder(site)
    assert sorted(int(p.name) for p in builds.iterdir()) == [1, 2, 3, 4]  # recent: all kept
    old = time.time() - 10 * KEEP_SECONDS
    for n in (1, 2, 3, 4):
        os.utime(builds / str(n), (old, old))
    (builds / "9").mkdir()  # a build that never switched (its process was killed), newer than the rest
    os.utime(builds / "9", (old, old))
    build_site([_plan(5)], site, calendar=calendar)
    assert os.path.realpath(site) == str(builds / "10")
    assert sorted(int(p.name) for p in builds.iterdir()) == [4, 10]  # the one before stays


def test_a_site_folder_of_the_earlier_layout_is_taken_over(tmp_path, calendar):
    site = tmp_path / "site"
    (site / "feeds").mkdir(parents=True)
    (site / "feeds" / "index.json").write_text("{}")
    (site / "feeds" / "gone.ics").write_text("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    result = build_site([_plan(0)], site, calendar=calendar)
    assert site.is_symlink() and (site / "feeds" / "all.ics").is_file()
    assert result.removed == ["feeds/gone.ics"] and not (site / "feeds" / "gone.ics").exists()
    assert (builds_folder(site) / "0" / "feeds" / "gone.ics").exists()  # the old site, kept as the build before


def test_a_folder_with_other_files_is_not_taken_over(tmp_path, calendar):
    site = tmp_path / "site"
    site.mkdir()
    (site / "notes.txt").write_text("mine")
    with pytest.raises(DeadlineError, match="不是站点目录"):
        build_site([_plan(0)], site, calendar=calendar)
    assert (site / "notes.txt").read_text() == "mine" and not site.is_symlink()


def test_a_file_written_in_pieces_is_the_current_file_when_its_bytes_are(tmp_path, monkeypatch):
    """The page is written as the template makes it, never held whole; unchanged, it is the
    current build's file (its Last-Modified kept), as a feed written at once is."""
    from deadlines.site import SiteBuild, current_build

    site = tmp_path / "site"

    def build(pieces: list[bytes], feed: bytes) -> tuple[list[str], Path]:
        with SiteBuild(site, current_build(site)) as b:
            b.add("feeds/all.ics", feed)
            b.add_pieces("index.html", iter(pieces))
            written, _removed = b.finish()
        return written, Path(os.path.realpath(site))

    page = [b"<html>", "标题".encode(), b"</html>" * 1000]
    written, first = build(page, b"one")
    assert written == ["feeds/all.ics", "index.html"]
    assert (first / "index.html").read_bytes() == b"".join(page)
    written, second = build([b"".join(page)], b"two")  # the same bytes, cut otherwise
    assert written == ["feeds/all.ics"]
    assert (second / "index.html").stat().st_ino == (first / "index.html").stat().st_ino
    assert not list(second.glob("index.html.*"))
    written, third = build([*page, b"!"], b"two")
    assert written == ["index.html"] and (third / "index.html").read_bytes().endswith(b"</html>!")

    def no_links(*args, **kwargs):
        raise OSError("links are refused here")

    monkeypatch.setattr(os, "link", no_links)  # a file system without hard links: the copy as written stays
    written, fourth = build([*page, b"!"], b"three")
    assert written == ["feeds/all.ics"]
    assert (fourth / "index.html").read_bytes() == (third / "index.html").read_bytes()
    assert sorted(p.name for p in fourth.iterdir()) == ["feeds", "index.html"]
