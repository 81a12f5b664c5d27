"""The versions of the feeds' events, in the event store: what SEQUENCE needs across builds.

A client updates an event in place only when its SEQUENCE (and LAST-MODIFIED)
moves on, so each build must know what earlier builds gave each UID: the
digest of its content, its SEQUENCE and its LAST-MODIFIED
(:class:`deadlines.ical.Versions`).  That is history, like the trigger events
and done marks, so it lives beside them in the event store — not in the site
folder, where a build into a fresh folder (a CI job, a copy of the site) would
start every event again at SEQUENCE 0 with its old time stamps, and clients
would keep a moved event on its old date.  Any build of the same history
(rules, store), into any folder, gives the same bytes.

One row per UID, replaced when its content changes; a UID no longer in the
feeds keeps its row, so if it comes back it comes back with a higher SEQUENCE.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from .messages import say
from .storedb import has_table, immediate
from .storedb import reason as _reason

FEED_VERSIONS_SCHEMA = """
CREATE TABLE IF NOT EXISTS feed_versions (
    uid      TEXT PRIMARY KEY,              -- the event's UID (obligation.rule.period@deadlines)
    digest   TEXT NOT NULL,                 -- of the event's content as last written
    sequence INTEGER NOT NULL CHECK (sequence >= 0),
    modified TEXT NOT NULL                  -- its LAST-MODIFIED (UTC, ISO 8601)
);
"""

Version = tuple[str, int, datetime]


class FeedVersionLog:
    """The feed-versions half of :class:`~deadlines.triggers.Store` (it holds ``path`` and ``_conn``)."""

    path: object
    _conn: sqlite3.Connection

    def feed_versions(self) -> dict[str, Version]:
        """Every UID's version as the last build that wrote it left it."""
        try:
            if not has_table(self._conn, "feed_versions"):
                return {}
            rows = self._conn.execute("SELECT uid, digest, sequence, modified FROM feed_versions").fetchall()
        except sqlite3.DatabaseError as exc:
            from .errors import StoreError

            raise StoreError(self.path, _reason(exc)) from None  # type: ignore[arg-type]
        return {uid: (digest, int(seq), datetime.fromisoformat(modified)) for uid, digest, seq, modified in rows}

    def save_feed_versions(self, versions: dict[str, Version]) -> None:
        """Keep ``versions`` (new or changed UIDs), in one transaction.

        A SEQUENCE never goes down: when another build stored a higher one
        for a UID meanwhile, that row stays.
        """
        if not versions:
            return
        conn = self._conn
        with immediate(conn, self.path, say("action_build")):  # type: ignore[arg-type]
            conn.executemany(
                "INSERT INTO feed_versions (uid, digest, sequence, modified) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(uid) DO UPDATE SET digest = excluded.digest, sequence = excluded.sequence,"
                " modified = excluded.modified WHERE excluded.sequence >= feed_versions.sequence",
                [(uid, digest, seq, modified.isoformat()) for uid, (digest, seq, modified) in sorted(versions.items())],
            )
