"""A full disk: recording, marking, building and serving on a small file system made for the test.

The file system is a 1 MiB tmpfs mounted for each test and unmounted after
it (mounting needs root; the machines and CI run as root).  On it: the rules,
the event store, the plan cache and the site.  It is filled to the last
block, then every command must give one line ``磁盘已满：…`` and exit 2, lose
nothing already stored, leave no half-written file, and work again once
space is freed.
"""

from __future__ import annotations

import errno
import http.client
import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from deadlines.cli import main

PLAN = """\
title: 磁盘检验方案
year: 2015
obligations:
  - {id: d-1, title: 项目批复公开, units: {lead: [甲局]}, due: 审批或核准后两个工作日内}
  - {id: d-2, title: 月报, units: {lead: [甲局], cooperating: [乙局]}, due: 每月10号前}
"""


@pytest.fixture
def small_fs(tmp_path):
    mount = tmp_path / "fs"
    mount.mkdir()
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.fail(f"mounting a 1 MiB tmpfs needs root (CI runs as root): {proc.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(folder: Path) -> Path:
    """Fill the file system holding ``folder`` to its last block."""
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as f:
        for size in (65536, 4096, 512, 1):
            try:
                while True:
                    f.write(b"\0" * size)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
    assert os.statvfs(folder).f_bavail == 0
    return filler


def _run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _site_snapshot(site: Path) -> tuple[str, dict[str, bytes]]:
    """The build the site points at and its files."""
    real = Path(os.path.realpath(site))
    return real.name, {p.relative_to(real).as_posix(): p.read_bytes() for p in real.rglob("*") if p.is_file()}


def _setup(fs: Path, capsys) -> tuple[Path, Path, Path]:
    rules = fs / "rules"
    rules.mkdir()
    (rules / "plan.yaml").write_text(PLAN, encoding="utf-8")
    site = fs / "site"
    assert _run(capsys, "trigger", "record", "d-1", "--on", "2015-09-30", "--rules", str(rules))[0] == 0
    assert _run(capsys, "done", "d-2", "--period", "2015-07", "--on", "2015-07-08", "--rules", str(rules))[0] == 0
    assert _run(capsys, "build", "--rules", str(rules), "--out", str(site), "--today", "2015-07-08")[0] == 0
    return rules, site, fs / ".deadlines" / "state.db"


def test_recording_marking_and_building_on_a_full_disk(small_fs, capsys):
    rules, site, db = _setup(small_fs, capsys)
    before_site = _site_snapshot(site)
    filler = _fill(small_fs)

    attempts = [
        ("trigger", "record", "d-1", "--on", "2015-10-08", "--rules", str(rules)),
        ("done", "d-2", "--period", "2015-08", "--on", "2015-08-05", "--rules", str(rules)),
        ("undo", "d-2", "--period", "2015-07", "--rules", str(rules)),
        ("build", "--rules", str(rules), "--out", str(site), "--today", "2015-08-01"),
    ]
    for args in attempts:
        code, out, err = _run(capsys, *args)
        assert code == 2, (args, out, err)
        assert err.count("\n") == 1 and err.startswith("deadlines: 磁盘已满："), (args, err)
        assert "Traceback" not in err

    # Nothing half-written: the site is the one before, whole; no build folder or temporary file is left.
    assert _site_snapshot(site) == before_site
    assert sorted(p.name for p in (small_fs / "site.builds").iterdir()) == [before_site[0]]
    leftovers = [p for p in small_fs.rglob(".*") if p.suffix in (".tmp", ".new", ".link")]
    assert leftovers == []

    # Nothing stored was lost, and nothing was half-stored.
    filler.unlink()
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = conn.execute("SELECT action, obligation, on_day, period FROM changes ORDER BY id").fetchall()
    assert rows == [("trigger", "d-1", "2015-09-30", None), ("done", "d-2", "2015-07-08", "0/2015-07")]  # rule/period

    # With space again, the same commands work.
    for args in attempts:
        code, out, err = _run(capsys, *args)
        assert code == 0, (args, err)
    assert _site_snapshot(site)[0] != before_site[0]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def test_serve_starts_on_a_full_disk_with_the_last_good_site(small_fs, capsys):
    rules, site, _ = _setup(small_fs, capsys)
    _, files = _site_snapshot(site)
    _fill(small_fs)
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "deadlines", "serve", "--rules", str(rules), "--out", str(site),
         "--port", str(port), "--today", "2015-08-01"],  # another day: the page changes, the build fails
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        for _ in range(200):  # bounded wait for the server to answer
            try:
                status, body = _get(port, "/feeds/index.json")
                break
            except OSError:
                time.sleep(0.05)
        else:
            pytest.fail("serve did not answer: " + (proc.stderr.read() if proc.poll() is not None else ""))
        assert status == 200 and body == files["feeds/index.json"]
        assert _get(port, "/feeds/all.ics") == (200, files["feeds/all.ics"])
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    first = err.splitlines()[0]
    assert first.startswith("deadlines serve: 生成失败，先提供上次的站点") and "磁盘已满：" in first
    assert "Traceback" not in err


def test_serve_keeps_serving_when_the_disk_fills_and_the_rules_change(small_fs, capsys, calendar):
    """The running server: a rebuild on a full disk fails in one line, the last site stays, connections are answered."""
    from deadlines import load_plans
    from deadlines.serve import Rebuilder, SiteServer, fingerprint
    from deadlines.site import build_site

    rules, site, _ = _setup(small_fs, capsys)
    logs: list[str] = []
    builds: list[int] = []

    def build():
        builds.append(1)
        build_site(load_plans(rules), site, calendar=calendar)

    clock = [0.0]
    rebuilder = Rebuilder(build, lambda: fingerprint([rules], skip=site), log=logs.append, retry=60,
                          clock=lambda: clock[0])
    rebuilder.start()
    server = SiteServer(("127.0.0.1", 0), site, rebuilder=None, quiet=True)
    import threading

    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        port = server.server_address[1]
        _, before = _get(port, "/feeds/all.ics")
        filler = _fill(small_fs)
        (rules / "plan.yaml").write_text(PLAN.replace("每月10号前", "每月15号前"), encoding="utf-8")
        assert rebuilder.refresh()  # the build fails …
        assert len(logs) == 1 and "磁盘已满：" in logs[0] and "继续提供上次的站点" in logs[0]
        for _ in range(20):  # … and requests are answered from the last site, without a rebuild each
            assert _get(port, "/feeds/all.ics") == (200, before)
            assert not rebuilder.refresh()
        assert len(builds) == 2 and len(logs) == 1
        filler.unlink()
        clock[0] += 61  # a full disk is tried again after a while
        assert rebuilder.refresh() and rebuilder.error is None
        status, after = _get(port, "/feeds/all.ics")
        assert status == 200 and after != before and b"DTSTART;VALUE=DATE:20150115" in after
    finally:
        server.shutdown()
        server.server_close()


def test_the_store_is_created_on_a_full_disk_with_one_line(small_fs, capsys):
    rules = small_fs / "rules"
    rules.mkdir()
    (rules / "plan.yaml").write_text(PLAN, encoding="utf-8")
    assert _run(capsys, "list", "--rules", str(rules))[0] == 0  # fills the plan cache first
    _fill(small_fs)
    code, out, err = _run(capsys, "trigger", "record", "d-1", "--on", "2015-09-30", "--rules", str(rules))
    assert code == 2 and err.count("\n") == 1 and err.startswith("deadlines: 磁盘已满："), err
    assert not (small_fs / ".deadlines" / "state.db").exists()
    assert [p.name for p in (small_fs / ".deadlines").iterdir() if p.name != "cache"] == []
    assert json.loads(_run(capsys, "trigger", "list", "--json", "--rules", str(rules))[1]) == []


def test_importing_onto_a_full_disk_keeps_the_files_there(small_fs, capsys, tmp_path):
    """`deadlines import -o`: the rules file and the unit registry are replaced whole or not at all."""
    source = Path(__file__).resolve().parent.parent / "rules" / "sources" / "004_8d8257cba47008e5.txt"
    out = small_fs / "rules" / "plan.yaml"
    out.parent.mkdir()
    out.write_text("# reviewed by hand\n", encoding="utf-8")
    _fill(small_fs)
    code, _, err = _run(capsys, "import", str(source), "-o", str(out), "--force")
    assert code == 2 and err.count("\n") == 1 and err.startswith(f"deadlines: 磁盘已满：{out}："), err
    assert out.read_text(encoding="utf-8") == "# reviewed by hand\n"
    assert [p.name for p in out.parent.iterdir()] == ["plan.yaml"]
