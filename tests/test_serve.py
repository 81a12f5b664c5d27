"""`deadlines serve`: the answers calendar clients rely on, and nothing outside the site.

Every request goes to a server on 127.0.0.1 started by the test on a free port;
request loops are bounded.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import shutil
import socket
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path

import pytest

from deadlines import load_plans
from deadlines.icslint import lint
from deadlines.serve import Rebuilder, SiteServer, fingerprint
from deadlines.site import build_site

PLAN = """
id: served
title: 服务检验方案
year: 2015
obligations:
  - {{id: s-1, title: 年中报告, units: {{lead: [甲局]}}, due: {{on: {day}}}}}
  - {{id: s-2, title: 月报, units: {{lead: [甲局], cooperating: [乙局]}}, due: 每月10号前}}
{more}
"""


def _plan(day: str = "2015-07-31", extra: int = 0) -> str:
    more = "\n".join(
        f"  - {{id: x-{i}, title: 第{i}项工作任务（较长的标题用于放大文件）, units: {{lead: [丙局]}}, "
        f"due: {{every: month, workday: {1 + i % 20}}}}}"
        for i in range(extra)
    )
    return PLAN.format(day=day, more=more)


@dataclass
class Served:
    server: SiteServer
    rules: Path
    site: Path
    state_db: Path
    builds: list = field(default_factory=list)
    logs: list = field(default_factory=list)

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def write_rules(self, text: str) -> None:
        path = self.rules / "plan.yaml"
        path.write_text(text, encoding="utf-8")

    def settled(self) -> None:
        """Wait (bounded) until the watcher has built what the inputs are now."""
        rebuilder = self.server.rebuilder
        for _ in range(500):
            if rebuilder.seen == rebuilder.state() and not rebuilder.lock.locked():
                return
            time.sleep(0.02)
        pytest.fail("the site was not rebuilt")

    def aged(self) -> None:
        """Wait (at most a second) until every file of the site is older than the clock's second.

        A build gives a changed file the next whole second as its time
        (deadlines.site._move_time); until that second has come, the server
        sends the Date as Last-Modified instead (RFC 9110 8.8.2.1).
        """
        newest = max(p.stat().st_mtime for p in self.site.rglob("*") if p.is_file())
        while time.time() < newest + 0.01:
            time.sleep(0.02)

    def get(self, path: str, method: str = "GET", headers: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, headers=headers or {})
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()

    def raw(self, target: bytes) -> int:
        """Send a request line as bytes (no client-side checks); the status code."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=30) as sock:
            sock.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
        assert b"root:" not in data
        return int(data.split(b" ", 2)[1])


def _serve(tmp_path: Path, calendar, text: str):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "plan.yaml").write_text(text, encoding="utf-8")
    site = tmp_path / "site"
    state_db = tmp_path / ".deadlines" / "state.db"
    served = Served(None, rules, site, state_db)  # type: ignore[arg-type]

    versions: dict = {}  # as the event store keeps them between builds

    def build():
        served.builds.append(1)
        build_site(load_plans(rules), site, calendar=calendar, base_url="http://127.0.0.1/",
                   versions=dict(versions), save_versions=versions.update)

    rebuilder = Rebuilder(build, lambda: fingerprint([rules, state_db], skip=site), log=served.logs.append)
    rebuilder.start()
    served.server = SiteServer(("127.0.0.1", 0), site, rebuilder=rebuilder, quiet=True, watch_every=0.02)
    threading.Thread(target=served.server.serve_forever, daemon=True).start()
    return served


@pytest.fixture
def served(tmp_path, calendar):
    s = _serve(tmp_path, calendar, _plan())
    yield s
    s.server.shutdown()
    s.server.server_close()


def test_feed_is_served_as_text_calendar_with_validators(served):
    served.aged()
    status, headers, body = served.get("/feeds/all.ics")
    assert status == 200
    assert headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert body == (served.site / "feeds" / "all.ics").read_bytes()
    assert headers["Content-Length"] == str(len(body))
    assert headers["ETag"] == '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    mtime = int((served.site / "feeds" / "all.ics").stat().st_mtime)
    assert parsedate_to_datetime(headers["Last-Modified"]).timestamp() == mtime
    status, headers, body = served.get("/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8" and b"<!doctype html>" in body
    status, headers, _ = served.get("/feeds/index.json")
    assert status == 200 and headers["Content-Type"] == "application/json; charset=utf-8"
    status, headers, _ = served.get("/feeds/jia-ju.ics?x=1")
    assert status == 200 and headers["Content-Type"] == "text/calendar; charset=utf-8"


def test_304_only_on_a_real_match(served):
    served.aged()
    _, headers, _ = served.get("/feeds/all.ics")
    etag, modified = headers["ETag"], headers["Last-Modified"]
    earlier = formatdate(parsedate_to_datetime(modified).timestamp() - 1, usegmt=True)
    cases = [
        ({"If-None-Match": etag}, 304),
        ({"If-None-Match": "W/" + etag}, 304),
        ({"If-None-Match": f'"other", {etag}'}, 304),
        ({"If-None-Match": "*"}, 304),
        ({"If-None-Match": '"other"'}, 200),
        ({"If-None-Match": etag[:-2] + '"'}, 200),
        ({"If-Modified-Since": modified}, 304),
        ({"If-Modified-Since": earlier}, 200),
        ({"If-Modified-Since": "yesterday"}, 200),
        ({"If-None-Match": '"other"', "If-Modified-Since": modified}, 200),  # the ETag decides
        ({}, 200),
    ]
    for headers_sent, expected in cases:
        status, got, body = served.get("/feeds/all.ics", headers=headers_sent)
        assert status == expected, headers_sent
        assert got["ETag"] == etag and got["Last-Modified"] == modified
        assert (body == b"") == (expected == 304)


def test_head_gives_the_headers_without_the_body(served):
    served.aged()
    status, got, _ = served.get("/feeds/all.ics")
    head_status, head, body = served.get("/feeds/all.ics", method="HEAD")
    assert head_status == 200 and body == b""
    for key in ("Content-Type", "Content-Length", "ETag", "Last-Modified"):
        assert head[key] == got[key]
    status, _, _ = served.get("/feeds/none.ics", method="HEAD")
    assert status == 404


def test_nothing_outside_the_site_is_served(served, tmp_path):
    feeds = served.site / "feeds"
    (feeds / "passwd.ics").symlink_to("/etc/passwd")
    (feeds / "inner.ics").symlink_to(feeds / "all.ics")
    (served.site / "linked").symlink_to(feeds)
    (tmp_path / "secret.ics").write_text("secret")
    for target in [
        "/nope.ics", "/feeds/", "/feeds", "/.manifest.json", "/feeds/.all.ics.tmp",
        "/feeds/passwd.ics", "/feeds/inner.ics", "/linked/all.ics",
        "/../secret.ics", "/feeds/../../secret.ics", "/feeds/../index.html", "/./index.html",
        "/%2e%2e/secret.ics", "/%2E%2E/%2E%2E/etc/passwd", "/feeds%2fall.ics", "/feeds/%2e%2e/index.html",
        "/%252e%252e/secret.ics", "/..%5csecret.ics", "/feeds/all.ics%00", "/%c0%ae%c0%ae/secret.ics",
        "//etc/passwd", "/etc/passwd", "http://127.0.0.1/../secret.ics",
    ]:
        assert served.raw(target.encode()) == 404, target
    for target in [b"/..\\secret.ics", b"/feeds/all.ics\x00.html"]:
        assert served.raw(target) in (400, 404), target
    assert served.raw(b"/feeds/all.ics") == 200


def test_rules_change_rebuilds(served):
    _, _, before = served.get("/feeds/jia-ju.ics")
    assert b"DTSTART;VALUE=DATE:20150731" in before
    built = len(served.builds)
    served.get("/feeds/jia-ju.ics")
    served.settled()
    assert len(served.builds) == built  # nothing changed: no rebuild
    served.write_rules(_plan("2015-08-14"))
    served.settled()
    status, _, after = served.get("/feeds/jia-ju.ics")
    assert status == 200 and b"DTSTART;VALUE=DATE:20150814" in after and b"SEQUENCE:1" in after
    assert len(served.builds) == built + 1


def test_issue_13_two_builds_within_one_second_never_give_a_false_304(served):
    """A client that revalidates with If-Modified-Since alone (the Last-Modified it got, or the
    Date it got it at) gets the new feed after a rebuild, however soon the rebuild came."""
    served.write_rules(_plan("2015-08-14"))
    served.settled()
    _, first, body = served.get("/feeds/jia-ju.ics")
    first_time = (served.site / "feeds" / "jia-ju.ics").stat().st_mtime_ns
    served.write_rules(_plan("2015-08-21"))  # the next build follows at once, within the same second
    served.settled()
    now_time = (served.site / "feeds" / "jia-ju.ics").stat().st_mtime_ns
    # The file's own time moves by whole seconds: any static server's Last-Modified moves too.
    assert now_time % 1_000_000_000 == 0 and now_time // 1_000_000_000 > first_time // 1_000_000_000
    for sent in ({"If-Modified-Since": first["Last-Modified"]}, {"If-Modified-Since": first["Date"]}):
        status, got, after = served.get("/feeds/jia-ju.ics", headers=sent)
        assert status == 200, sent
        assert b"DTSTART;VALUE=DATE:20150821" in after and after != body
        assert got["ETag"] != first["ETag"]
    served.aged()
    _, got, _ = served.get("/feeds/jia-ju.ics")
    assert parsedate_to_datetime(got["Last-Modified"]) > parsedate_to_datetime(first["Last-Modified"])
    status, _, _ = served.get("/feeds/jia-ju.ics", headers={"If-Modified-Since": got["Last-Modified"]})
    assert status == 304  # unchanged since: still a 304


def test_a_copied_site_answers_if_modified_since_only_when_safe(served, tmp_path):
    """A file copied without its time (cp) has a time inside a second: a client's If-Modified-Since
    of that very second is no proof it holds the newest copy, so it gets a 200."""
    served.aged()
    _, first, _ = served.get("/feeds/jia-ju.ics")
    feed = Path(os.path.realpath(served.site / "feeds" / "jia-ju.ics"))
    copy = tmp_path / "copy.ics"
    shutil.copyfile(feed, copy)
    second = int(parsedate_to_datetime(first["Last-Modified"]).timestamp())
    inside = second * 1_000_000_000 + 400_000_000  # written within the second the client was told
    os.utime(copy, ns=(inside, inside))
    os.replace(copy, feed)
    status, _, body = served.get("/feeds/jia-ju.ics", headers={"If-Modified-Since": first["Last-Modified"]})
    assert status == 200 and body == feed.read_bytes()


def test_trigger_store_change_rebuilds(served):
    built = len(served.builds)
    served.state_db.parent.mkdir(parents=True, exist_ok=True)
    served.state_db.write_bytes(b"events")
    served.settled()
    assert len(served.builds) == built + 1


def test_a_broken_rules_file_keeps_the_last_site(served):
    _, _, before = served.get("/feeds/all.ics")
    served.write_rules("id: served\ntitle: [unclosed\n")
    served.settled()
    status, _, after = served.get("/feeds/all.ics")
    assert status == 200 and after == before
    assert len(served.logs) == 1 and "继续提供上次的站点" in served.logs[0] and "plan.yaml:3" in served.logs[0]
    served.write_rules(_plan("2015-08-14"))
    served.settled()
    _, _, fixed = served.get("/feeds/all.ics")
    assert b"20150814" in fixed


def test_requests_during_rebuilds_never_see_a_partial_file(tmp_path, calendar):
    served = _serve(tmp_path, calendar, _plan(extra=400))
    try:
        size = (served.site / "feeds" / "all.ics").stat().st_size
        assert size > 300_000  # big enough that a non-atomic write would be caught mid-way
        seen: list[tuple[int, dict, bytes]] = []
        stop = threading.Event()

        def hammer():
            # Bounded, and going on until the rebuilds are done: a fixed 30 requests could all be
            # answered before the first rebuild finished.
            for _ in range(3000):
                if stop.is_set():
                    break
                seen.append(served.get("/feeds/all.ics"))
                time.sleep(0.05)  # room for the rebuilds

        threads = [threading.Thread(target=hammer) for _ in range(4)]
        for t in threads:
            t.start()
        for i in range(3):
            served.write_rules(_plan("2015-08-14" if i % 2 == 0 else "2015-07-31", extra=400))
            served.settled()  # the watcher rebuilds while the readers go on
        stop.set()
        for t in threads:
            t.join(timeout=120)
        assert len(served.builds) >= 4 and len(seen) >= 8
        versions = {}
        for status, headers, body in seen:
            assert status == 200
            assert int(headers["Content-Length"]) == len(body)
            assert headers["ETag"] == '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
            assert body.startswith(b"BEGIN:VCALENDAR\r\n") and body.endswith(b"END:VCALENDAR\r\n")
            versions[headers["ETag"]] = body
        assert len(versions) >= 2  # the readers did see the feed change under them
        for body in versions.values():
            assert lint(body) == []
    finally:
        served.server.shutdown()
        served.server.server_close()


def test_serve_command_builds_and_answers(tmp_path, write_rules):
    """The CLI wiring: `deadlines serve` in a subprocess on a free port, stopped by the test."""
    import subprocess
    import sys

    rules = write_rules(_plan()).parent
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "deadlines", "serve", "--rules", str(rules), "--port", str(port), "--today", "2015-07-08"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    try:
        for _ in range(100):  # bounded wait for the first build
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/")
                response = conn.getresponse()
                page = response.read()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("the server did not answer")
        assert response.status == 200
        assert f"webcal://127.0.0.1:{port}/feeds/jia-ju.ics".encode() in page
        assert (tmp_path / ".deadlines" / "site" / "feeds" / "all.ics").is_file()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
