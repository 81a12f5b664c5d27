"""Two clerks at once: eight processes marking the same occurrence done, or creating a new store.

Each process is the real command (``python -m deadlines …``); they load the
rules, wait at a barrier (a file the test creates once all are ready) and go
together.  Exactly one completion per occurrence may come out; every other
process is told, in one line, that it is already done.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

PLAN = """\
title: 并发检验方案
year: 2015
obligations:
  - {id: r-1, title: 项目批复公开, units: {lead: [甲局]}, due: 审批或核准后两个工作日内}
  - {id: r-2, title: 季度报告, units: {lead: [甲局]}, due: 每季度首月25日前}
"""

PROCESSES = 8


def _together(tmp_path: Path, commands: list[list[str]]) -> list[tuple[int, str, str]]:
    """Run the commands in parallel processes released at one moment; (exit code, stdout, stderr) of each.

    The processes are forked from this one once it has loaded the command's
    code, so they start at once and meet at a barrier before running it.
    """
    import contextlib
    import io
    import multiprocessing

    from deadlines.cli import main

    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(len(commands))
    queue = ctx.Queue()

    def child(i: int, args: list[str]) -> None:
        out, err = io.StringIO(), io.StringIO()
        barrier.wait(timeout=60)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(args)
            except BaseException as exc:  # reported to the test, not lost in the child
                code = f"raised {type(exc).__name__}: {exc}"
        queue.put((i, code, out.getvalue(), err.getvalue()))

    procs = [ctx.Process(target=child, args=(i, args)) for i, args in enumerate(commands)]
    for proc in procs:
        proc.start()
    found = dict((i, rest) for i, *rest in (queue.get(timeout=120) for _ in procs))
    for proc in procs:
        proc.join(timeout=60)
    return [tuple(found[i]) for i in range(len(commands))]


@pytest.fixture
def rules(write_rules) -> Path:
    from deadlines.cli import main

    folder = write_rules(PLAN).parent
    assert main(["list", "--rules", str(folder)]) == 0  # the plan cache is made before the race
    return folder


def _active_completions(db: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return conn.execute(
            "SELECT obligation, period FROM changes AS d WHERE action = 'done' AND NOT EXISTS "
            "(SELECT 1 FROM changes AS u WHERE u.action = 'undo' AND u.cancels = d.id) ORDER BY id"
        ).fetchall()


@pytest.mark.parametrize("period", ["2015-Q1", "2015-Q2", "2015-Q3"])
def test_eight_processes_mark_one_occurrence_done_once(tmp_path, rules, period):
    db = rules.parent / ".deadlines" / "state.db"
    command = ["done", "r-2", "--period", period, "--on", "2015-07-20", "--rules", str(rules)]
    results = _together(tmp_path, [command] * PROCESSES)
    done = [r for r in results if r[0] == 0]
    refused = [r for r in results if r[0] != 0]
    assert len(done) == 1, results
    assert f"已完成：r-2/0/{period}" in done[0][1]  # the occurrence key: obligation/rule/period
    for code, out, err in refused:
        assert code == 2 and out == "" and err.count("\n") == 1, (code, out, err)
        assert f"r-2/0/{period} 已于 2015-07-20 标记完成" in err, err
    assert _active_completions(db) == [("r-2", f"0/{period}")]


def test_undo_after_the_race_leaves_the_occurrence_open(tmp_path, rules, capsys):
    from deadlines.cli import main

    command = ["done", "r-2", "--period", "2015-Q3", "--on", "2015-07-20", "--rules", str(rules)]
    _together(tmp_path, [command] * PROCESSES)
    assert main(["undo", "r-2", "--period", "2015-Q3", "--rules", str(rules)]) == 0
    assert _active_completions(rules.parent / ".deadlines" / "state.db") == []


def test_the_store_refuses_a_second_completion_whoever_writes_it(tmp_path):
    """The rule lives in the database: a writer that skips the library's check is refused too."""
    from deadlines.triggers import Store

    db = tmp_path / "state.db"
    Store.open(db).close()
    with sqlite3.connect(db) as conn:
        insert = ("INSERT INTO changes (at, action, obligation, on_day, period) "
                  "VALUES ('2015-07-20T09:00:00+08:00', 'done', 'r-2', '2015-07-20', '2015-Q3')")
        conn.execute(insert)
        with pytest.raises(sqlite3.IntegrityError, match="already done"):
            conn.execute(insert)


def test_an_old_store_with_duplicates_is_brought_up_to_date_and_one_undo_clears_them(tmp_path, rules, capsys):
    """A store written by the racing version (schema 1) may hold several completions of one occurrence."""
    from deadlines.cli import main
    from deadlines.triggers import APPLICATION_ID

    db = rules.parent / ".deadlines" / "state.db"
    db.parent.mkdir(exist_ok=True)
    with sqlite3.connect(db) as conn:
        conn.executescript(f"""
            CREATE TABLE changes (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, action TEXT NOT NULL,
                obligation TEXT, name TEXT NOT NULL DEFAULT '', on_day TEXT, period TEXT,
                cancels INTEGER REFERENCES changes(id), note TEXT NOT NULL DEFAULT '');
            PRAGMA application_id = {APPLICATION_ID};
            PRAGMA user_version = 1;
        """)
        for _ in range(3):  # the occurrence as the store names it: rule and period (r-2/0/2015-Q3)
            conn.execute("INSERT INTO changes (at, action, obligation, on_day, period) "
                         "VALUES ('2015-07-20T09:00:00+08:00', 'done', 'r-2', '2015-07-20', '0/2015-Q3')")
    assert main(["done", "r-2", "--period", "2015-Q3", "--on", "2015-07-21", "--rules", str(rules)]) == 2
    assert "已于 2015-07-20 标记完成（#1）" in capsys.readouterr().err
    assert main(["undo", "r-2", "--period", "2015-Q3", "--rules", str(rules)]) == 0
    assert _active_completions(db) == []
    from deadlines.triggers import SCHEMA_VERSION

    with sqlite3.connect(db) as conn:  # up to date: one completion per occurrence, the reminders log,
        # who recorded each change, the versions of the feeds' events
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4
        assert {"recorded_by", "unit"} <= {row[1] for row in conn.execute("PRAGMA table_info(changes)")}
        assert conn.execute("SELECT count(*) FROM reminders").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM feed_versions").fetchone()[0] == 0


@pytest.mark.parametrize("round_", range(3))
def test_eight_processes_create_a_new_store_at_once(tmp_path, rules, round_):
    db = tmp_path / f"new-{round_}" / "state.db"
    days = [f"2015-09-{10 + i:02d}" for i in range(PROCESSES)]
    results = _together(tmp_path, [
        ["trigger", "record", "r-1", "--on", day, "--rules", str(rules), "--db", str(db)] for day in days
    ])
    assert [r[0] for r in results] == [0] * PROCESSES, results
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        stored = sorted(r[0] for r in conn.execute("SELECT on_day FROM changes WHERE action = 'trigger'"))
    assert stored == days
    assert db.stat().st_mode & 0o777 == 0o666 & ~_umask()
    assert [p.name for p in db.parent.iterdir() if p.name.endswith(".new")] == []


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
