"""The event store: an append-only log in SQLite, safe with several writers."""

from __future__ import annotations

import multiprocessing
import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest

from deadlines import DeadlineError
from deadlines.model import Completion, TriggerEvent
from deadlines.triggers import APPLICATION_ID, SCHEMA_VERSION, NoSuchChange, Store, StoreError

AT = datetime(2015, 10, 1, 9, 30)


def test_state_is_derived_from_the_log_and_nothing_is_overwritten(tmp_path):
    with Store.open(tmp_path / "s" / "state.db") as store:
        first = store.record(TriggerEvent(obligation="d-1", on=date(2015, 9, 30), note="批复"), at=AT)
        second = store.record(TriggerEvent(name="审批或核准", on=datetime(2015, 10, 8, 10, 0)), at=AT)
        assert [e.on for e in store.events()] == [date(2015, 9, 30), datetime(2015, 10, 8, 10, 0)]
        store.remove(first, at=AT, note="录错")
        assert [e.on for e in store.events()] == [datetime(2015, 10, 8, 10, 0)]
        done = store.mark_done(Completion(obligation="d-2", rule=0, period="2015-Q3", on=date(2015, 7, 20)), at=AT)
        store.undo(done, at=AT, note="未发布")
        again = store.mark_done(Completion(obligation="d-2", rule=0, period="2015-Q3", on=date(2015, 7, 22)), at=AT)
        assert store.completions() == [Completion(obligation="d-2", rule=0, period="2015-Q3", on=date(2015, 7, 22))]
        log = store.changes()
        assert [c.action for c in log] == ["trigger", "trigger", "remove", "done", "undo", "done"]
        assert [c.id for c in log] == sorted(c.id for c in log)
        assert log[2].cancels == first and log[2].note == "录错" and log[2].obligation == "d-1"
        assert [c.id for c in store.changes("d-2")] == [done, log[4].id, again]
        assert all(c.at == "2015-10-01T09:30:00" for c in log)
        assert second in {c.id for c in store.active_events()}


def test_the_log_refuses_updates_and_deletes(tmp_path):
    path = tmp_path / "state.db"
    with Store.open(path) as store:
        store.record(TriggerEvent(obligation="d-1", on=date(2015, 9, 30)), at=AT)
    conn = sqlite3.connect(path)
    for statement in ("UPDATE changes SET note = 'x'", "DELETE FROM changes"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute(statement)
    conn.close()


def test_wal_mode_and_a_schema_version(tmp_path):
    path = tmp_path / "state.db"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    conn.close()


def test_a_change_is_taken_back_once_and_only_the_right_kind(tmp_path):
    with Store.open(tmp_path / "state.db") as store:
        event = store.record(TriggerEvent(obligation="d-1", on=date(2015, 9, 30)), at=AT)
        done = store.mark_done(Completion(obligation="d-2", rule=0, period="2015-Q3", on=date(2015, 7, 20)), at=AT)
        store.remove(event, at=AT)
        with pytest.raises(NoSuchChange, match=f"no trigger event #{event} in force"):
            store.remove(event, at=AT)
        with pytest.raises(NoSuchChange, match=f"no trigger event #{done}"):
            store.remove(done, at=AT)
        with pytest.raises(NoSuchChange, match="no completion #999"):
            store.undo(999, at=AT)
        assert len(store.changes()) == 3


def test_reading_never_creates_a_store(tmp_path):
    path = tmp_path / ".deadlines" / "state.db"
    with pytest.raises(StoreError, match="no such database"):
        Store.open(path, create=False)
    assert not path.exists() and not path.parent.exists()


@pytest.mark.parametrize(
    "content, message",
    [
        (b"SQLite format 3\x00" + b"\x07" * 4000, "not a usable SQLite database"),
        (b"these are not the events you are looking for\n" * 200, "not a usable SQLite database"),
    ],
)
def test_a_corrupt_file_is_a_clear_error(tmp_path, content, message):
    path = tmp_path / "state.db"
    path.write_bytes(content)
    for create in (True, False):
        with pytest.raises(StoreError, match=message) as info:
            Store.open(path, create=create)
        assert info.value.path == str(path) and isinstance(info.value, DeadlineError)


def test_a_foreign_database_is_refused(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE people (name TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="not a deadlines event store"):
        Store.open(path)
    conn = sqlite3.connect(path)  # and left as it was
    assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["people"]
    conn.close()


def test_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "state.db"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer deadlines"):
        Store.open(path)


def test_a_folder_is_not_a_store(tmp_path):
    with pytest.raises(StoreError, match="is a folder"):
        Store.open(tmp_path)


def _writer(path: str, who: str, count: int, start, results) -> None:
    start.wait()
    with Store.open(path) as store:
        for i in range(count):
            store.record(TriggerEvent(obligation=f"{who}-{i}", on=date(2015, 1, 1), note=who), at=AT)
    results.put(who)


def test_two_processes_recording_at_once_lose_nothing(tmp_path):
    path = str(tmp_path / "state.db")  # created by the writers themselves, at the same moment
    ctx = multiprocessing.get_context("spawn")
    start, results = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=_writer, args=(path, who, 500, start, results)) for who in ("甲", "乙")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=300)
        assert p.exitcode == 0
    assert sorted(results.get(timeout=5) for _ in procs) == ["乙", "甲"]
    with Store.open(path, create=False) as store:
        events = store.events()
    assert len(events) == 1000
    assert {e.obligation for e in events} == {f"{w}-{i}" for w in ("甲", "乙") for i in range(500)}
