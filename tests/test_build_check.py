"""A build's feeds read back as they are written: in the build's process, or beside it in a
second one (``deadlines build --parallel``, :class:`deadlines.feedcheck.BuildCheckAside`).

Both ways publish the same files and stop the same builds: a feed that does not read back as
its occurrences (all.ics, or any unit's) leaves the site as it was, and says which feed and
what differs.  The second process reads each feed from the file written; if it fails in any
other way the build checks again itself, so nothing is published unchecked.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest

import deadlines
from deadlines import feedcheck
from deadlines.cli import main
from deadlines.errors import FeedMismatch
from deadlines.ical import FeedWriter

TODAY = date(2015, 7, 8)

PLAN = """
id: check-2015
title: 核对示例
year: 2015
issued: 2015-06-01
obligations:
  - id: c-1
    title: 季度报告公开
    units: {lead: [市财政局], cooperating: [市统计局]}
    due: 每季度首月25日前
  - id: c-2
    title: 督查
    units: {responsible: [市环境保护局]}
    due: 2015年7月、12月
  - id: c-3
    title: 项目批复公开
    units: {lead: [市财政局]}
    due: 审批或核准后两个工作日内
"""


@pytest.fixture
def ws(write_rules):
    return deadlines.open(write_rules(PLAN).parent)


@pytest.fixture
def forks(monkeypatch):
    """The processes the build forks (each fork's pid, as the parent sees it)."""
    made: list[int] = []
    fork = os.fork

    def counted() -> int:
        pid = fork()
        if pid:
            made.append(pid)
        return pid

    monkeypatch.setattr(feedcheck.os, "fork", counted)
    return made


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _all_reaped(pids: list[int]) -> bool:
    """Whether each process was waited for (none left running, none a zombie)."""
    for pid in pids:
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            continue
        return False
    return True


def test_the_second_process_publishes_the_same_files(ws, tmp_path, forks):
    ws.build(tmp_path / "one", today=TODAY)
    assert forks == []  # by default the check runs in the build's process
    ws.build(tmp_path / "two", today=TODAY, parallel=True)
    assert len(forks) == 1 and _all_reaped(forks)
    assert _files(tmp_path / "one") == _files(tmp_path / "two")


def _moved_in(feed_name: str):
    """FeedWriter.feed, with one event of the named feed a day late (a writer with a bug)."""
    good = FeedWriter.feed

    def feed(self, chosen, *, name, about):
        data = good(self, chosen, name=name, about=about)
        if name.startswith(feed_name):
            data = data.replace(b"DTSTART;VALUE=DATE:20150731", b"DTSTART;VALUE=DATE:20150801")
        return data

    return feed


@pytest.mark.parametrize("parallel", [False, True])
@pytest.mark.parametrize("feed, file", [("全部单位", "feeds/all.ics"), ("市环境保护局", None)])
def test_a_feed_that_reads_back_otherwise_stops_the_build(ws, tmp_path, monkeypatch, forks, parallel, feed, file):
    site = tmp_path / "site"
    ws.build(site, today=TODAY)
    before = _files(site)
    monkeypatch.setattr(FeedWriter, "feed", _moved_in(feed))
    with pytest.raises(FeedMismatch) as found:
        ws.build(site, today=TODAY, parallel=parallel)
    assert found.value.missing == ["c-2/0/fixed 2015-07-31"] and found.value.extra == ["c-2/0/fixed 2015-08-01"]
    if file is None:  # a unit's feed: named by its file
        file = next(name for name in before if name.startswith("feeds/") and "huan-jing" in name)
    assert found.value.feed == file
    assert len(forks) == int(parallel) and _all_reaped(forks)
    assert _files(site) == before  # the site as it was
    assert [p.name for p in site.parent.joinpath("site.builds").iterdir()] == [site.resolve().name]  # no build left


def test_a_second_process_that_fails_is_made_up_for_here(ws, tmp_path, monkeypatch, forks):
    """It dies without an answer: the build checks every feed itself, from the files written."""
    monkeypatch.setattr(feedcheck.BuildCheckAside, "_serve", lambda self, tasks, results: os._exit(3))
    ws.build(tmp_path / "one", today=TODAY, parallel=True)
    assert len(forks) == 1 and _all_reaped(forks)
    ws.build(tmp_path / "two", today=TODAY)
    assert _files(tmp_path / "one") == _files(tmp_path / "two")
    monkeypatch.setattr(FeedWriter, "feed", _moved_in("市环境保护局"))
    with pytest.raises(FeedMismatch, match="缺少 c-2/0/fixed 2015-07-31"):
        ws.build(tmp_path / "three", today=TODAY, parallel=True)
    assert not (tmp_path / "three").exists()


def test_an_error_of_the_second_process_is_made_up_for_here(ws, tmp_path, monkeypatch, forks):
    """It answers with an error of its own (not a verdict on a feed): checked here again."""
    build = os.getpid()
    good, again = feedcheck.BuildCheck.written, feedcheck.BuildCheckAside._again
    checked_again = []

    def written(self, index, data):
        if os.getpid() != build:
            raise RuntimeError("the check's own fault")
        return good(self, index, data)

    def counted(self):
        checked_again.append(self.sent)
        return again(self)

    monkeypatch.setattr(feedcheck.BuildCheck, "written", written)
    monkeypatch.setattr(feedcheck.BuildCheckAside, "_again", counted)
    ws.build(tmp_path / "one", today=TODAY, parallel=True)
    assert len(forks) == 1 and _all_reaped(forks)
    assert len(checked_again) == 1 and len(checked_again[0]) == 4  # all.ics and each unit's feed, here


def test_a_build_that_fails_stops_its_second_process(ws, tmp_path, monkeypatch, forks):
    from deadlines import site as site_module

    def no_page(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(site_module, "page_pieces", no_page)
    with pytest.raises(deadlines.DeadlineError):
        ws.build(tmp_path / "site", today=TODAY, parallel=True)
    assert len(forks) == 1 and _all_reaped(forks)
    assert not (tmp_path / "site").exists()


def test_a_process_running_other_threads_checks_in_its_own(ws, tmp_path, forks):
    """Forking while another thread may hold a lock is unsafe (``serve`` rebuilds from a thread)."""
    assert feedcheck.can_check_aside() == sys.platform.startswith("linux")
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not feedcheck.can_check_aside()
        ws.build(tmp_path / "site", today=TODAY, parallel=True)
    finally:
        stop.set()
        other.join()
    assert forks == [] and (tmp_path / "site" / "feeds" / "all.ics").is_file()


def test_build_parallel_from_the_command_line(ws, tmp_path, capsys, forks):
    assert main(["build", "--rules", str(ws.rules), "--out", str(tmp_path / "site"), "--today", "2015-07-08",
                 "--parallel"]) == 0
    assert "每个订阅均已读回核对" in capsys.readouterr().out
    assert len(forks) == 1 and _all_reaped(forks)


def _writer_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "deadlines-site-writer"]


@pytest.mark.parametrize("parallel", [False, True])
def test_the_files_are_written_beside_the_build_and_named_to_the_check_once_whole(ws, tmp_path, monkeypatch, forks,
                                                                                    parallel):
    """The build's files are written by a thread of their own; a check that reads the files
    (the second process) is told of each only once it is whole: each file here is written in two
    halves with a pause between, and the second process never has to be made up for."""
    from deadlines import site as site_module

    good = site_module._write
    writers: set[str] = set()

    def halves(path, pieces, after=None):
        writers.add(threading.current_thread().name)
        data = b"".join(pieces)
        if not path.name.endswith(".ics"):
            return good(path, [data], after)

        def slow():
            yield data[: len(data) // 2]
            threading.Event().wait(0.05)
            yield data[len(data) // 2:]

        return good(path, slow(), after)

    def never(self):
        raise AssertionError("the second process read a feed before its file was whole")

    monkeypatch.setattr(site_module, "_write", halves)
    monkeypatch.setattr(feedcheck.BuildCheckAside, "_again", never)
    ws.build(tmp_path / "site", today=TODAY, parallel=parallel)
    assert "deadlines-site-writer" in writers
    assert _writer_threads() == []  # ended with the build
    assert len(forks) == int(parallel) and _all_reaped(forks)
    monkeypatch.setattr(site_module, "_write", good)
    ws.build(tmp_path / "again", today=TODAY)
    assert _files(tmp_path / "site") == _files(tmp_path / "again")


@pytest.mark.parametrize("parallel", [False, True])
def test_a_file_the_writer_cannot_write_stops_the_build(ws, tmp_path, monkeypatch, forks, parallel):
    """A full disk met by the writer thread: the build fails in one line, the files after it are
    not written, the thread and the second process end, and nothing is left of the build."""
    from deadlines import site as site_module

    good, calls = site_module._write, []

    def full(path, pieces, after=None):
        calls.append(path.name)
        if len(calls) == 2:
            time.sleep(0.3)  # the build's thread meanwhile reaches the last files
            raise OSError(28, "No space left on device")
        return good(path, pieces, after)

    monkeypatch.setattr(site_module, "_write", full)
    with pytest.raises(deadlines.DeadlineError, match="磁盘已满"):
        ws.build(tmp_path / "site", today=TODAY, parallel=parallel)
    assert len(calls) == 2, calls  # nothing written after the failure (the page included)
    assert _writer_threads() == []
    assert len(forks) == int(parallel) and _all_reaped(forks)
    assert not (tmp_path / "site").exists() and list((tmp_path / "site.builds").iterdir()) == []
