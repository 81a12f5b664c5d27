"""`deadlines serve` never stops serving: failed rebuilds, a first build that fails, half-saved files, idle clients.

Servers run on 127.0.0.1 on a free port; every wait is a bounded loop, and
no test times anything.  The watcher's clock is passed in where settling is
checked, so the test decides when time has passed.
"""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from deadlines import load_plans
from deadlines.errors import DeadlineError
from deadlines.serve import Rebuilder, SiteServer, fingerprint, has_site
from deadlines.site import build_site

PLAN = """\
title: 服务检验方案
year: 2015
obligations:
  - {{id: s-1, title: 年中报告, units: {{lead: [甲局]}}, due: {{on: {day}}}}}
  - {{id: s-2, title: 月报, units: {{lead: [甲局], cooperating: [乙局]}}, due: 每月10号前}}
"""


def _get(port: int, path: str = "/feeds/all.ics") -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


class Site:
    """A rules folder, its site, a rebuilder whose build can be made to fail, and a server."""

    def __init__(self, tmp_path: Path, calendar, **server_options):
        self.rules = tmp_path / "rules"
        self.rules.mkdir()
        self.write(PLAN.format(day="2015-07-31"))
        self.site = tmp_path / "site"
        self.calendar = calendar
        self.failure: BaseException | None = None
        self.builds: list[str] = []
        self.logs: list[str] = []
        self.now = 0.0
        self.rebuilder = Rebuilder(self.build, lambda: fingerprint([self.rules], skip=self.site),
                                   log=self.logs.append, clock=lambda: self.now,
                                   has_site=lambda: has_site(self.site), site=self.site)
        self.server_options = server_options
        self.server: SiteServer | None = None

    def write(self, text: str) -> None:
        (self.rules / "plan.yaml").write_text(text, encoding="utf-8")

    def build(self) -> None:
        self.builds.append((self.rules / "plan.yaml").read_text(encoding="utf-8"))
        if self.failure is not None:
            raise self.failure
        build_site(load_plans(self.rules), self.site, calendar=self.calendar)

    def serve(self) -> int:
        self.server = SiteServer(("127.0.0.1", 0), self.site, quiet=True, **self.server_options)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self.server.server_address[1]

    def close(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


@pytest.fixture
def served(tmp_path, calendar):
    site = Site(tmp_path, calendar)
    site.rebuilder.start()
    yield site
    site.close()


@pytest.mark.parametrize("failure", [
    TypeError("'<' not supported between instances of 'str' and 'int'"),
    OverflowError("date value out of range"),
    RecursionError("maximum recursion depth exceeded"),
    OSError(28, "No space left on device"),
    DeadlineError("rules/plan.yaml:2: year: 应为整数，不是 '2015'"),
], ids=lambda e: type(e).__name__)
def test_a_rebuild_failing_for_any_reason_keeps_the_last_site_without_retrying_per_request(served, failure):
    port = served.serve()
    status, before = _get(port)
    assert status == 200
    served.failure = failure
    served.write(PLAN.format(day="2015-08-14"))
    assert served.rebuilder.refresh()
    for _ in range(21):  # the watcher and the requests: answered from the last site, no build per request
        assert _get(port) == (200, before)
        served.rebuilder.refresh()
    assert len(served.builds) == 2
    assert len(served.logs) == 1 and served.logs[0].count("\n") == 0
    assert served.logs[0].startswith("deadlines serve: 重新生成失败，继续提供上次的站点：")
    assert str(failure.args[-1]) in served.logs[0]
    served.failure = None
    served.write(PLAN.format(day="2015-08-21"))  # fixed: the next change is built
    assert served.rebuilder.refresh() and served.rebuilder.error is None
    assert b"20150821" in _get(port)[1]


def test_the_first_build_failing_serves_the_last_good_site(tmp_path, calendar):
    site = Site(tmp_path, calendar)
    site.rebuilder.start()  # a good site, from an earlier run
    site.failure = OverflowError("date value out of range")
    site.rebuilder = Rebuilder(site.build, site.rebuilder.state, log=site.logs.append,
                               has_site=lambda: has_site(site.site), site=site.site)
    site.rebuilder.start()  # does not raise: there is a site to serve
    assert site.logs == [f"deadlines serve: 生成失败，先提供上次的站点 {site.site}：OverflowError: date value out of range"]
    port = site.serve()
    try:
        assert _get(port)[0] == 200
    finally:
        site.close()


def test_the_first_build_failing_with_no_site_is_one_error(tmp_path, calendar):
    site = Site(tmp_path, calendar)
    site.failure = OverflowError("date value out of range")
    with pytest.raises(DeadlineError, match="^OverflowError: date value out of range$"):
        site.rebuilder.start()


def test_a_file_saved_in_two_writes_is_built_once_it_has_settled(served):
    served.rebuilder.settle = 0.5
    whole = PLAN.format(day="2015-08-14")
    half = whole[: len(whole) // 2]
    built = len(served.builds)
    served.write(half)  # an editor writes the first part …
    assert not served.rebuilder.refresh()
    served.now += 0.3
    served.write(whole)  # … and the rest, a moment later
    assert not served.rebuilder.refresh()
    served.now += 0.3
    assert not served.rebuilder.refresh()  # changed 0.3 s ago: not settled yet
    served.now += 0.3
    assert served.rebuilder.refresh()
    assert served.builds[built:] == [whole]  # the half-written file was never built
    assert served.logs == []


def test_idle_connections_are_closed_and_never_lock_new_clients_out(tmp_path, calendar):
    site = Site(tmp_path, calendar, timeout=0.5, max_connections=8)
    site.rebuilder.start()
    port = site.serve()
    idle = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(40)]
    try:
        # More clients than slots: a new one is answered at once (503 while full), never left hanging.
        status, _ = _get(port)
        assert status in (200, 503)
        for _ in range(200):  # bounded: the idle ones time out, and new clients get the site
            status, _ = _get(port)
            if status == 200:
                break
            time.sleep(0.05)
        assert status == 200
        closed = 0
        for sock in idle:  # every idle connection was closed by the server (timed out, or refused with 503)
            sock.settimeout(10)
            data = b""
            while chunk := sock.recv(4096):
                data += chunk
            closed += 1
            assert data == b"" or data.startswith(b"HTTP/1.1 503")
        assert closed == len(idle)
    finally:
        for sock in idle:
            sock.close()
        site.close()


def test_serve_on_a_broken_rules_file_serves_the_last_built_site(tmp_path, write_rules):
    """The CLI: a site built before, then a quoted year; serve starts and says why, in one line."""
    from deadlines.cli import main

    rules = write_rules(PLAN.format(day="2015-07-31")).parent
    site = tmp_path / "site"
    assert main(["build", "--rules", str(rules), "--out", str(site), "--today", "2015-07-08"]) == 0
    (rules / "plan.yaml").write_text(PLAN.format(day="2015-07-31").replace("year: 2015", "year: '2015'"),
                                     encoding="utf-8")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "deadlines", "serve", "--rules", str(rules), "--out", str(site),
         "--port", str(port), "--today", "2015-07-08"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        for _ in range(200):  # bounded wait for the server
            try:
                status, body = _get(port)
                break
            except OSError:
                time.sleep(0.05)
        else:
            pytest.fail("serve did not answer")
        assert status == 200 and body.startswith(b"BEGIN:VCALENDAR")
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    lines = err.splitlines()
    assert lines[0] == (f"deadlines serve: 生成失败，先提供上次的站点 {site}："
                        f"{rules / 'plan.yaml'}:2: year: 应为整数，不是 '2015'（去掉引号）")
    assert "Traceback" not in err
