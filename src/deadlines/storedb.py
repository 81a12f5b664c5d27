"""The SQLite plumbing of the event store, shared by its two parts (the change log in
triggers.py, the reminder log in reminderlog.py): time stamps, rollbacks, and
one-line errors for what SQLite or the file system says."""

from __future__ import annotations

import os
import sqlite3
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Iterator

from .errors import DeadlineError, DiskFull, StoreError

BUSY_TIMEOUT_MS = 30_000


def stamp(at: datetime) -> str:
    """When a change was recorded, as the store keeps it (to the second, with its offset)."""
    return at.isoformat(timespec="seconds")


def rollback(conn: sqlite3.Connection) -> None:
    """Roll back the open transaction, if SQLite has not already (it does after a full disk)."""
    if conn.in_transaction:
        try:
            conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass  # the connection is closed by the caller; SQLite rolls back what was not committed


@contextmanager
def immediate(conn: sqlite3.Connection, path: Path, action: str) -> Iterator[None]:
    """One ``BEGIN IMMEDIATE`` transaction: committed when the block ends, rolled back when
    it raises; what SQLite or the file system says becomes one line (:func:`error`)."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.DatabaseError as exc:
        raise error(path, exc, action) from None
    try:
        yield
        conn.execute("COMMIT")
    except BaseException as exc:
        rollback(conn)
        if isinstance(exc, (sqlite3.DatabaseError, OSError)):
            raise error(path, exc, action) from None
        raise


def has_table(conn: sqlite3.Connection, name: str) -> bool:
    """Whether the store has the table ``name`` (an older store opened read-only may lack it)."""
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None


def error(path: Path, exc: BaseException, action: str) -> DeadlineError:
    """The one-line error for an ``sqlite3`` or ``OSError`` failure while doing ``action``."""
    if isinstance(exc, OSError):
        from .errors import storage_error

        return storage_error(exc, path, action)
    if getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL or "disk is full" in str(exc):
        return DiskFull(path, action)
    if "disk I/O error" in str(exc) and _no_space(path):
        # SQLite says only "disk I/O error" when it cannot grow the WAL index (-shm) of a full disk
        return DiskFull(path, action)
    return StoreError(path, reason(exc))  # type: ignore[arg-type]


def _no_space(path: Path) -> bool:
    try:
        st = os.statvfs(path.parent)
    except OSError:
        return False
    return st.f_bavail * st.f_frsize < 64 * 1024


def reason(exc: sqlite3.DatabaseError) -> str:
    text = str(exc)
    if "file is not a database" in text or "malformed" in text:
        return f"not a usable SQLite database ({text}): move it aside and record again, or point --db elsewhere"
    if "locked" in text or "busy" in text:
        return f"the database stayed locked by another writer for {BUSY_TIMEOUT_MS // 1000} s ({text})"
    if "readonly" in text or "read-only" in text:
        return f"cannot write: {text}"
    return text
