"""The event store: trigger events and completions, kept in SQLite.

One table, ``changes``, is an append-only log.  Recording a trigger, removing
it, marking an occurrence done and undoing that are each a new row with the
time it was recorded and a note; nothing is updated or deleted (the database
refuses it).  The current state (:meth:`Store.events`, :meth:`Store.completions`)
is derived from the log, so the history of every obligation can always be
shown.

Several writers at once (two units recording at the same moment) are safe:
the database runs in WAL mode, each write is one ``BEGIN IMMEDIATE``
transaction, and a writer waits (``busy_timeout``) rather than fail.  An
occurrence is done at most once: the check and the write are one
transaction, and a trigger in the database refuses a second completion
whoever writes it.  A new store is made whole in a file of its own and linked
into place, so processes that create it at once never wait on each other.

A full disk, or a store that cannot be written, is one :class:`~deadlines.errors.StorageError`;
the transaction is rolled back and nothing already stored changes.

The store does not read the clock: the caller passes the time of each change.
It knows events and completions, not what they mean for a plan: which
occurrence a completion names is its :class:`~deadlines.model.OccurrenceKey`,
kept as its text (``rule/period`` beside the obligation).
"""

from __future__ import annotations

import errno
import os
import sqlite3
from datetime import date, datetime
from pathlib import Path
from typing import Iterator

from .dates import moment_text, parse_moment
from .errors import AlreadyDone, EventOutOfRange, NoSuchChange, StoreError
from .messages import say
from .records import YEARS, Completion, OccurrenceKey, Record, TriggerEvent
from .feedversions import FEED_VERSIONS_SCHEMA, FeedVersionLog
from .reminderlog import REMINDERS_SCHEMA, ReminderLog
from .storedb import BUSY_TIMEOUT_MS
from .storedb import error as _error
from .storedb import immediate
from .storedb import reason as _reason
from .storedb import rollback as _rollback
from .storedb import stamp as _stamp

# ``PRAGMA application_id``: "DLNS".  A database with another id is not ours.
APPLICATION_ID = 0x444C4E53
# 2: one completion per occurrence (changes_one_completion)
# 3: reminders sent (reminders, with one claim per reminder in flight or sent)
# 4: who recorded each change (by), and the member unit a done mark of a group task is for (unit);
#    the versions of the feeds' events (feed_versions: SEQUENCE across builds)
SCHEMA_VERSION = 4

ACTIONS = ("trigger", "remove", "done", "undo")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS changes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    at         TEXT NOT NULL,               -- when the change was recorded
    action     TEXT NOT NULL CHECK (action IN ('trigger', 'remove', 'done', 'undo')),
    obligation TEXT,                        -- the obligation, or NULL for a named event
    name       TEXT NOT NULL DEFAULT '',    -- the trigger's name ('' = any of the obligation)
    on_day     TEXT,                        -- the event's date (YYYY-MM-DD[THH:MM]) or the day done
    period     TEXT,                        -- the occurrence done (done, undo)
    cancels    INTEGER REFERENCES changes(id), -- the change a remove or an undo takes back
    note       TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL DEFAULT '',   -- who recorded it (schema 4)
    unit       TEXT NOT NULL DEFAULT ''     -- done, undo: the member unit of a group task, '' = the task (schema 4)
);
CREATE INDEX IF NOT EXISTS changes_obligation ON changes(obligation);
CREATE TRIGGER IF NOT EXISTS changes_no_update BEFORE UPDATE ON changes
BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS changes_no_delete BEFORE DELETE ON changes
BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;
CREATE INDEX IF NOT EXISTS changes_cancels ON changes(cancels);
CREATE TRIGGER IF NOT EXISTS changes_one_completion BEFORE INSERT ON changes
WHEN NEW.action = 'done' AND EXISTS (
    SELECT 1 FROM changes AS d
    WHERE d.action = 'done' AND d.obligation = NEW.obligation AND d.period = NEW.period AND d.unit = NEW.unit
      AND NOT EXISTS (SELECT 1 FROM changes AS u WHERE u.action = 'undo' AND u.cancels = d.id)
)
BEGIN SELECT RAISE(ABORT, 'this occurrence is already done'); END;
""" + REMINDERS_SCHEMA + FEED_VERSIONS_SCHEMA

# Bringing a store of an older schema up to date, before _SCHEMA runs (its statements are IF NOT
# EXISTS): columns added, and the one-completion trigger made again to know member units.
_COLUMNS = {"recorded_by": "TEXT NOT NULL DEFAULT ''", "unit": "TEXT NOT NULL DEFAULT ''"}
_SELECT = "SELECT id, at, action, obligation, name, on_day, period, cancels, note, {recorded_by}, {unit} FROM changes"


def event_in_range(on: date | datetime) -> bool:
    """Whether a due can be counted from ``on``: its year is one a plan may have (:data:`~deadlines.model.YEARS`)."""
    return YEARS[0] <= on.year <= YEARS[1]


class Change(Record):
    """One row of the log."""

    id: int
    at: str
    action: str
    obligation: str | None
    name: str
    on: date | datetime | None
    period: str | None  # done and undo: the occurrence's rule and period, "0/2015-Q3"
    cancels: int | None
    note: str
    by: str = ""  # who recorded it ('' in a store made before it was kept)
    unit: str = ""  # done, undo: the member unit of a group task ('' = the task itself)

    @property
    def key(self) -> OccurrenceKey | None:
        """The occurrence a completion (or its undo) names."""
        if self.obligation is None or self.period is None:
            return None
        return OccurrenceKey.parse(f"{self.obligation}/{self.period}")

    def event(self) -> TriggerEvent:
        return TriggerEvent(name=self.name, on=self.on, obligation=self.obligation, note=self.note)

    def completion(self) -> Completion:
        return Completion.of(self.key, on=self.on, note=self.note, unit=self.unit, by=self.by)





def last_change(path: str | Path) -> tuple[int, int] | None:
    """(inode, number of the last change) of the store at ``path``, read without opening it for
    writing; None when it has recorded nothing (or there is no file: a build that only writes
    its feeds' versions makes one).  A file that is not a store is a :class:`StoreError`."""
    path = Path(path)
    try:
        inode = path.stat().st_ino
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreError(path, exc.strerror or str(exc)) from None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            (last,) = conn.execute("SELECT coalesce(max(id), 0) FROM changes").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise StoreError(path, str(exc)) from None
    return (inode, last) if last else None


class Store(ReminderLog, FeedVersionLog):
    """The event store of one database file.  Open with :meth:`open`.

    Trigger events and completions are the ``changes`` log; the reminders
    sent are a log of their own (:class:`~deadlines.reminderlog.ReminderLog`), and the
    versions of the feeds' events a table (:class:`~deadlines.feedversions.FeedVersionLog`).
    """

    def __init__(self, path: Path, conn: sqlite3.Connection):
        self.path = path
        self._conn = conn

    # -- opening ------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, create: bool = True) -> Store:
        """Open the store at ``path``; create it (and its folder) when ``create``.

        Without ``create`` a missing file is an error; the file is never made.
        A file that is not SQLite, or an SQLite database that is not a
        deadlines store, is a :class:`StoreError`, never a traceback.
        """
        path = Path(path)
        if path.is_dir():
            raise StoreError(path, "is a folder, not a database file")
        exists = path.exists()
        if not exists and not create:
            raise StoreError(path, "no such database (nothing has been recorded yet)")
        if not exists:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(path, f"cannot create its folder: {exc.strerror}") from None
            _create(path)
        mode = "rwc" if create else "rw"
        try:
            conn = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode={mode}", uri=True, timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None, check_same_thread=False,
            )
        except sqlite3.Error as exc:
            raise _error(path, exc, say("action_open")) from None
        store = cls(path, conn)
        try:
            store._prepare(create)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise _error(path, exc, say("action_open")) from None
        except StoreError:
            conn.close()
            raise
        return store

    def _prepare(self, create: bool) -> None:
        conn = self._conn
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if self._header() == (APPLICATION_ID, SCHEMA_VERSION):
            return  # the usual case: nothing to set up, no lock taken
        # One transaction sees the header and the tables together: another
        # process may be setting the file up (or bringing it up to date) now.
        conn.execute("BEGIN IMMEDIATE" if create else "BEGIN")
        try:
            app_id, version = self._header()
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            new = app_id == 0 and tables == 0
            if app_id != APPLICATION_ID and not new:
                raise StoreError(self.path, "an SQLite database, but not a deadlines event store")
            if version > SCHEMA_VERSION:
                raise StoreError(
                    self.path,
                    f"made by a newer deadlines (schema {version}; this one reads up to {SCHEMA_VERSION})",
                )
            if create and version < SCHEMA_VERSION:
                # A new file, or one of an older schema: every statement is IF NOT EXISTS.
                if not new:
                    have = {row[1] for row in conn.execute("PRAGMA table_info(changes)")}
                    for column, kind in _COLUMNS.items():
                        if have and column not in have:
                            conn.execute(f"ALTER TABLE changes ADD COLUMN {column} {kind}")
                    conn.execute("DROP TRIGGER IF EXISTS changes_one_completion")
                for statement in _statements(_SCHEMA):
                    conn.execute(statement)
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            _rollback(conn)
            raise
        if create and conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            conn.execute("PRAGMA journal_mode = WAL")  # kept in the file

    def _header(self) -> tuple[int, int]:
        conn = self._conn
        return conn.execute("PRAGMA application_id").fetchone()[0], conn.execute("PRAGMA user_version").fetchone()[0]

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading --------------------------------------------------------------

    def _ready(self) -> bool:
        return self._conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID

    def _select(self) -> str:
        """The query of every column of a change; a store of an older schema read as it is
        (only reading: it is brought up to date by the first write) gives '' for what it lacks."""
        have = {row[1] for row in self._conn.execute("PRAGMA table_info(changes)")}
        return _SELECT.format(**{c: c if c in have else f"'' AS {c}" for c in _COLUMNS})

    def changes(self, obligation: str | None = None) -> list[Change]:
        """Every change in the order recorded (only ``obligation``'s, if given)."""
        if not self._ready():
            return []
        query = self._select()
        args: tuple = ()
        if obligation is not None:
            query += " WHERE obligation = ?"
            args = (obligation,)
        try:
            rows = self._conn.execute(query + " ORDER BY id", args).fetchall()
        except sqlite3.DatabaseError as exc:
            raise StoreError(self.path, _reason(exc)) from None
        return [_change(r, self.path) for r in rows]

    def _active(self, action: str) -> list[Change]:
        log = self.changes()
        cancelled = {c.cancels for c in log if c.action in ("remove", "undo")}
        return [c for c in log if c.action == action and c.id not in cancelled]

    def active_events(self) -> list[Change]:
        """The trigger events in force (recorded and not removed), oldest first."""
        return self._active("trigger")

    def active_completions(self) -> list[Change]:
        """The completions in force (marked done and not undone), oldest first."""
        return self._active("done")

    def events(self) -> list[TriggerEvent]:
        """The events in force that a due can be counted from.  An event recorded on a day
        outside the calendar's years is not among them: :meth:`usable_events` gives those
        too, to be reported (as ``deadlines due`` and ``deadlines check`` do)."""
        return self.usable_events()[0]

    def usable_events(self) -> tuple[list[TriggerEvent], list[Change]]:
        """The events in force that a due can be counted from, and those it cannot
        (recorded before they were refused: 9999-12-31), to report beside the rest."""
        usable, skipped = [], []
        for change in self.active_events():
            (usable if change.on is not None and event_in_range(change.on) else skipped).append(change)
        return [c.event() for c in usable], skipped

    def completions(self) -> list[Completion]:
        return [c.completion() for c in self.active_completions()]

    # -- writing --------------------------------------------------------------

    def _append(self, at: datetime, action: str, *, obligation: str | None = None, name: str = "",
                on: date | datetime | None = None, period: str | None = None, cancels: int | None = None,
                note: str = "", by: str = "", unit: str = "") -> int:
        conn = self._conn
        with immediate(conn, self.path, say(f"action_{action}")):
            if cancels is not None:
                row = conn.execute("SELECT action FROM changes WHERE id = ?", (cancels,)).fetchone()
                taken = conn.execute(
                    "SELECT 1 FROM changes WHERE cancels = ? AND action IN ('remove', 'undo')", (cancels,)
                ).fetchone()
                wanted = {"remove": "trigger", "undo": "done"}[action]
                if row is None or row[0] != wanted or taken:
                    what = "trigger event" if wanted == "trigger" else "completion"
                    raise NoSuchChange(cancels, what, self.path)
            if action == "done":
                # Checked in the transaction that writes: a second process marking
                # the same occurrence waits for this one, then finds it done.
                found = self._completion_in_force(obligation, period, unit)
                if found is not None:
                    raise _already_done(found)
            try:
                cur = conn.execute(
                    "INSERT INTO changes (at, action, obligation, name, on_day, period, cancels, note, recorded_by, unit)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (_stamp(at), action, obligation, name, moment_text(on),
                     period, cancels, note, by, unit),
                )
            except sqlite3.IntegrityError as exc:  # the store's own guard: one completion per occurrence
                found = self._completion_in_force(obligation, period, unit) if "already done" in str(exc) else None
                if found is None:
                    raise
                raise _already_done(found) from None
            first = int(cur.lastrowid)
            if action == "undo":
                # A store written before completions were one per occurrence may
                # hold several of one occurrence: undoing one undoes them all.
                while (again := self._completion_in_force(obligation, period, unit)) is not None:
                    conn.execute(
                        "INSERT INTO changes (at, action, obligation, name, on_day, period, cancels, note, recorded_by, unit)"
                        " VALUES (?, 'undo', ?, '', NULL, ?, ?, ?, ?, ?)",
                        (_stamp(at), obligation, period, again.id, note, by, unit),
                    )
        return first

    def _completion_in_force(self, obligation: str | None, period: str | None, unit: str = "") -> Change | None:
        row = self._conn.execute(
            self._select().replace(" FROM changes", " FROM changes AS d") +
            " WHERE d.action = 'done' AND d.obligation = ? AND d.period = ? AND d.unit = ?"
            " AND NOT EXISTS (SELECT 1 FROM changes AS u WHERE u.action = 'undo' AND u.cancels = d.id)"
            " ORDER BY d.id LIMIT 1",
            (obligation, period, unit),
        ).fetchone()
        return _change(row, self.path) if row else None

    def record(self, event: TriggerEvent, *, at: datetime, by: str = "") -> int:
        """Record a trigger event (``by`` whom); its id.  An event no due can be counted from is refused."""
        if not event_in_range(event.on):
            raise EventOutOfRange(moment_text(event.on), *YEARS)
        return self._append(at, "trigger", obligation=event.obligation, name=event.name, on=event.on,
                            note=event.note, by=by)

    def remove(self, change_id: int, *, at: datetime, note: str = "", by: str = "") -> int:
        """Take back trigger event ``change_id`` (a new row; the event stays in the history)."""
        event = self._find(change_id)
        return self._append(at, "remove", obligation=event.obligation if event else None,
                            name=event.name if event else "", cancels=change_id, note=note, by=by)

    def mark_done(self, completion: Completion, *, at: datetime) -> int:
        """Mark an occurrence done; the id of the change.

        An occurrence already done is refused (:class:`AlreadyDone`), even when
        several processes mark it at the same moment: one of them records it.
        """
        key = completion.key
        return self._append(at, "done", obligation=key.obligation, period=f"{key.rule}/{key.period}",
                            on=completion.on, note=completion.note, by=completion.by, unit=completion.unit)

    def undo(self, change_id: int, *, at: datetime, note: str = "", by: str = "") -> int:
        """Take back completion ``change_id``."""
        done = self._find(change_id)
        return self._append(at, "undo", obligation=done.obligation if done else None,
                            period=done.period if done else None, cancels=change_id, note=note, by=by,
                            unit=done.unit if done else "")

    def _find(self, change_id: int) -> Change | None:
        row = self._conn.execute(self._select() + " WHERE id = ?", (change_id,)).fetchone()
        return _change(row, self.path) if row else None


def _change(row: tuple, path: Path) -> Change:
    change = Change(id=row[0], at=row[1], action=row[2], obligation=row[3], name=row[4], on=parse_moment(row[5]),
                    period=row[6], cancels=row[7], note=row[8], by=row[9], unit=row[10])
    if change.action in ("done", "undo") and change.obligation is not None:
        try:
            change.key
        except ValueError:
            raise StoreError(path, f"change #{change.id} names no occurrence ('{change.period}'): "
                                   "recorded by an earlier development version; move the file aside") from None
    return change


def _already_done(done: Change) -> AlreadyDone:
    return AlreadyDone(str(done.key), moment_text(done.on), done.id)





def _create(path: Path) -> None:
    """Make a new, empty store at ``path`` unless one appears there first.

    The store is made whole (schema, header, WAL mode) in a file of its own
    beside ``path`` and hard-linked into place: the link fails if another
    process got there first, and then its store is used.  No process ever
    sees a half-made store, nor waits for one being set up.
    """
    action = say("action_open")
    tmp = str(path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.new"))
    try:
        # 0o666 less the umask, as SQLite would make it (mkstemp would give 0o600)
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    except OSError as exc:
        raise _error(path, exc, action) from None
    try:
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            conn.execute("BEGIN")
            for statement in _statements(_SCHEMA):
                conn.execute(statement)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
            conn.execute("PRAGMA journal_mode = WAL")
        finally:
            conn.close()
        os.link(tmp, path)
    except FileExistsError:
        pass  # another process made it first: use that one
    except OSError as exc:
        if exc.errno in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
            return  # no hard links here: the store is set up in place, in one transaction (_prepare)
        raise _error(path, exc, action) from None
    except sqlite3.Error as exc:
        raise _error(path, exc, action) from None
    finally:
        for leftover in (tmp, tmp + "-wal", tmp + "-shm", tmp + "-journal"):
            try:
                os.unlink(leftover)
            except OSError:
                pass








# --------------------------------------------------------------------------
# Reporting what was stored before it was refused


def skipped_event(change: Change) -> str:
    """The line that reports a stored event no due can be counted from."""
    reason = say("event_out_of_range", on=moment_text(change.on), low=YEARS[0], high=YEARS[1])
    return say("stored_event_skipped", change=change.id, on=moment_text(change.on), reason=reason)


def _statements(script: str) -> Iterator[str]:
    """The statements of ``script`` (a trigger body holds a ';' of its own)."""
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            yield buffer.strip()
            buffer = ""
