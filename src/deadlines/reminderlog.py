"""The reminders sent, in the event store: never twice, never lost.

Every reminder is a row of one unit, one occurrence, one kind (``lead``: due
within the unit's lead time; ``overdue``; ``waiting``: newly waiting on a
trigger; ``triggered``: newly dated by a recorded event), one round (an
overdue occurrence reminded again every N working days) and one channel.
Like the ``changes`` log it is append-only: a reminder is first *claimed*
(a row with outcome ``sending``), then *settled* by a second row naming the
claim (``sent`` or ``failed``, with what the receiver said).

The claim is what makes two ``deadlines remind`` at once safe, the way done
marks are: the check and the claim are one ``BEGIN IMMEDIATE`` transaction,
and a database trigger (``reminders_one_claim``) refuses a second claim of a
reminder that is being sent or was sent, whoever writes it.  A claim that
failed leaves the reminder free: the next run claims it again (retried, and
reported).  A claim never settled — its process was killed between claiming
and recording the outcome — is taken over once it is older than the lease
the caller gives: such a reminder is sent again rather than lost (at least
once; the mail's Message-ID is the same both times, so a mail system that
keeps one copy of a Message-ID shows it once).

Time is passed in: ``at`` of each row and the lease's ``stale_before``.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Iterable

from .records import Record

KINDS = ("lead", "overdue", "waiting", "triggered")
OUTCOMES = ("sending", "sent", "failed")

REMINDERS_SCHEMA = """
CREATE TABLE IF NOT EXISTS reminders (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    at         TEXT NOT NULL,               -- when the row was written
    day        TEXT NOT NULL,               -- the day the run counted as today
    unit       TEXT NOT NULL,               -- the unit reminded
    obligation TEXT NOT NULL,
    occurrence TEXT NOT NULL,               -- which occurrence: its rule and period ("0/2015-Q3")
    due        TEXT NOT NULL DEFAULT '',    -- its due date ('' while it waits on a trigger)
    kind       TEXT NOT NULL CHECK (kind IN ('lead', 'overdue', 'waiting', 'triggered')),
    round      INTEGER NOT NULL DEFAULT 0,  -- overdue reminders repeated: 0, 1, 2, …
    channel    TEXT NOT NULL,               -- email, wecom, dingtalk, feishu
    outcome    TEXT NOT NULL CHECK (outcome IN ('sending', 'sent', 'failed')),
    claim      INTEGER REFERENCES reminders(id), -- sent, failed: the claim this settles
    detail     TEXT NOT NULL DEFAULT '',    -- what the receiver said, or why it failed
    CHECK ((outcome = 'sending') = (claim IS NULL))
);
CREATE INDEX IF NOT EXISTS reminders_key ON reminders(unit, obligation, occurrence, kind, channel);
CREATE INDEX IF NOT EXISTS reminders_claim ON reminders(claim);
CREATE INDEX IF NOT EXISTS reminders_obligation ON reminders(obligation);
CREATE TRIGGER IF NOT EXISTS reminders_no_update BEFORE UPDATE ON reminders
BEGIN SELECT RAISE(ABORT, 'the reminder log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS reminders_no_delete BEFORE DELETE ON reminders
BEGIN SELECT RAISE(ABORT, 'the reminder log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS reminders_one_claim BEFORE INSERT ON reminders
WHEN NEW.outcome = 'sending' AND EXISTS (
    SELECT 1 FROM reminders AS c
    WHERE c.outcome = 'sending' AND c.unit = NEW.unit AND c.obligation = NEW.obligation
      AND c.occurrence = NEW.occurrence AND c.due = NEW.due AND c.kind = NEW.kind
      AND c.round = NEW.round AND c.channel = NEW.channel
      AND NOT EXISTS (SELECT 1 FROM reminders AS f WHERE f.claim = c.id AND f.outcome = 'failed')
)
BEGIN SELECT RAISE(ABORT, 'this reminder is being sent or was sent'); END;
CREATE TRIGGER IF NOT EXISTS reminders_one_outcome BEFORE INSERT ON reminders
WHEN NEW.outcome <> 'sending' AND (
    NOT EXISTS (SELECT 1 FROM reminders AS c WHERE c.id = NEW.claim AND c.outcome = 'sending')
    OR EXISTS (SELECT 1 FROM reminders AS s WHERE s.claim = NEW.claim)
)
BEGIN SELECT RAISE(ABORT, 'a reminder claim is settled once'); END;
"""

_COLUMNS = "id, at, day, unit, obligation, occurrence, due, kind, round, channel, outcome, claim, detail"


class ReminderKey(Record):
    """What is reminded: a unit, an occurrence (with its due date), a kind and round, and a channel."""

    unit: str
    obligation: str
    occurrence: str
    due: str
    kind: str
    round: int
    channel: str

    def row(self) -> tuple:
        return (self.unit, self.obligation, self.occurrence, self.due, self.kind, self.round, self.channel)


class Reminder(Record):
    """One claim of the log, with how it was settled (``outcome`` is ``sending`` while it is not)."""

    id: int
    at: str
    day: str
    key: ReminderKey
    outcome: str
    settled_at: str | None = None
    detail: str = ""

    @property
    def unit(self) -> str:
        return self.key.unit

    @property
    def obligation(self) -> str:
        return self.key.obligation


class Claimed(Record):
    """The result of :meth:`ReminderLog.claim_reminders`: claim ids of the reminders this
    process now sends, those another process is sending or has sent, and claims it took over."""

    claims: dict[ReminderKey, int]
    busy: list[ReminderKey]
    done: list[ReminderKey]
    taken_over: list[Reminder]


class ReminderLog:
    """The reminder half of :class:`~deadlines.triggers.Store` (it holds ``path`` and ``_conn``)."""

    path: object
    _conn: sqlite3.Connection

    def _has_reminders(self) -> bool:
        """Whether the store has the table: a store of schema 2 opened read-only has none."""
        from .storedb import has_table

        return has_table(self._conn, "reminders")

    def reminders(self, *, obligation: str | None = None, unit: str | None = None) -> list[Reminder]:
        """Every claim (oldest first) with its outcome; only ``obligation``'s or ``unit``'s, if given."""
        from .errors import StoreError
        from .storedb import reason as _reason

        if not self._has_reminders():
            return []
        query = (f"SELECT {', '.join('c.' + c for c in _COLUMNS.split(', '))}, s.outcome, s.at, s.detail"
                 " FROM reminders AS c LEFT JOIN reminders AS s ON s.claim = c.id WHERE c.outcome = 'sending'")
        args: list = []
        if obligation is not None:
            query += " AND c.obligation = ?"
            args.append(obligation)
        if unit is not None:
            query += " AND c.unit = ?"
            args.append(unit)
        try:
            rows = self._conn.execute(query + " ORDER BY c.id", args).fetchall()
        except sqlite3.DatabaseError as exc:
            raise StoreError(self.path, _reason(exc)) from None
        return [_reminder(r) for r in rows]

    def reminder_state(self) -> dict[ReminderKey, str]:
        """Each reminder ever claimed and where it stands: ``sent``, ``sending`` (claimed, not
        settled) or ``failed`` (every claim failed: the next run sends it again)."""
        rank = {"failed": 0, "sending": 1, "sent": 2}
        state: dict[ReminderKey, str] = {}
        for reminder in self.reminders():
            if rank[reminder.outcome] >= rank.get(state.get(reminder.key, "failed"), 0):
                state[reminder.key] = reminder.outcome
        return state

    def claim_reminders(
        self, keys: Iterable[ReminderKey], *, at: datetime, day: str, stale_before: datetime
    ) -> Claimed:
        """Claim ``keys`` for sending, in one transaction: a reminder sent, or being sent by a
        claim newer than ``stale_before``, is left alone; an older claim never settled is
        settled ``failed`` (interrupted) and the reminder claimed again."""
        from .messages import say
        from .storedb import immediate
        from .storedb import stamp as _stamp

        conn = self._conn
        keys = list(dict.fromkeys(keys))
        claims: dict[ReminderKey, int] = {}
        busy: list[ReminderKey] = []
        done: list[ReminderKey] = []
        taken: list[Reminder] = []
        stamp = _stamp(at)
        with immediate(conn, self.path, say("action_remind")):
            for key in keys:
                rows = conn.execute(
                    f"SELECT {', '.join('c.' + c for c in _COLUMNS.split(', '))}, s.outcome, s.at, s.detail"
                    " FROM reminders AS c LEFT JOIN reminders AS s ON s.claim = c.id"
                    " WHERE c.outcome = 'sending' AND c.unit = ? AND c.obligation = ? AND c.occurrence = ?"
                    " AND c.due = ? AND c.kind = ? AND c.round = ? AND c.channel = ?"
                    " AND (s.outcome IS NULL OR s.outcome = 'sent')",
                    key.row(),
                ).fetchall()
                found = [_reminder(r) for r in rows]
                if any(r.outcome == "sent" for r in found):
                    done.append(key)
                    continue
                live = [r for r in found if datetime.fromisoformat(r.at) >= stale_before]
                if live:
                    busy.append(key)
                    continue
                for stale in found:  # claimed by a process that never said how it went
                    conn.execute(
                        "INSERT INTO reminders (at, day, unit, obligation, occurrence, due, kind, round, channel,"
                        " outcome, claim, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'failed', ?, ?)",
                        (stamp, day, *key.row(), stale.id, say("remind_interrupted", at=stale.at)),
                    )
                    taken.append(stale)
                cur = conn.execute(
                    "INSERT INTO reminders (at, day, unit, obligation, occurrence, due, kind, round, channel,"
                    " outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'sending')",
                    (stamp, day, *key.row()),
                )
                claims[key] = int(cur.lastrowid)
        return Claimed(claims, busy, done, taken)

    def settle_reminders(self, outcomes: dict[int, tuple[str, str]], *, at: datetime, day: str) -> list[int]:
        """Record how each claim went (claim id → (``sent`` | ``failed``, detail)), in one
        transaction; the ids of claims that were already settled (taken over) and so left as they are."""
        from .messages import say
        from .storedb import immediate
        from .storedb import stamp as _stamp

        conn = self._conn
        if not outcomes:
            return []
        refused = []
        with immediate(conn, self.path, say("action_remind")):
            for claim, (outcome, detail) in outcomes.items():
                if outcome not in ("sent", "failed"):
                    raise ValueError(f"a claim is settled sent or failed, not {outcome!r}")
                row = conn.execute(
                    "SELECT unit, obligation, occurrence, due, kind, round, channel FROM reminders"
                    " WHERE id = ? AND outcome = 'sending'", (claim,)
                ).fetchone()
                if row is None:
                    refused.append(claim)
                    continue
                try:
                    conn.execute(
                        "INSERT INTO reminders (at, day, unit, obligation, occurrence, due, kind, round, channel,"
                        " outcome, claim, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (_stamp(at), day, *row, outcome, claim, detail),
                    )
                except sqlite3.IntegrityError:
                    refused.append(claim)  # settled by a run that took the claim over
        return refused


def _reminder(row: tuple) -> Reminder:
    (ident, at, day, unit, obligation, occurrence, due, kind, round_, channel, _outcome, _claim, _detail,
     settled, settled_at, detail) = row
    key = ReminderKey(unit, obligation, occurrence, due, kind, round_, channel)
    return Reminder(ident, at, day, key, settled or "sending", settled_at, detail or "")
