"""Sending the day's reminders: claim, deliver, settle (see :mod:`deadlines.remind`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

from ..errors import DeadlineError
from ..messages import say
from ..records import Completion, Plan, TriggerEvent
from ..workdays import WorkCalendar
from . import dingtalk, feishu, mail, robot, wecom
from .contacts import CHANNELS_ZH, Contacts, secret
from .digest import TRIGGERED_RULES, Digest, Item, Settings, horizon, select

__all__ = ["Delivery", "Report", "send_reminders", "reminder_occurrences", "LEASE"]

# A claim not settled within this long was left by a process that died: the
# next run sends it again.  Far longer than one message takes (timeouts of
# 15–30 s, a few retries, a minute's wait for a rate limit).
LEASE = timedelta(minutes=15)

_ROBOTS = {"wecom": wecom, "dingtalk": dingtalk, "feishu": feishu}
_WEBHOOK_ZH = {"wecom": "企业微信机器人 webhook 地址", "dingtalk": "钉钉机器人 webhook 地址",
               "feishu": "飞书机器人 webhook 地址"}


@dataclass
class Delivery:
    """One message (in one or more parts) to one unit by one channel, and how it went."""

    unit: str
    channel: str
    items: tuple[Item, ...]
    ok: bool
    detail: str
    parts: int = 1
    partial: bool = False
    retried: int = 0  # items that failed on an earlier run
    failed_items: tuple[Item, ...] = ()

    @property
    def channel_zh(self) -> str:
        return CHANNELS_ZH[self.channel]


@dataclass
class Preview:
    """What a dry run would send: one message (or one part) as it would go out."""

    unit: str
    channel: str
    items: tuple[Item, ...]
    text: str


@dataclass
class Report:
    """What a run did: the messages sent and failed, units that have no channel, notes."""

    today: date
    deliveries: list[Delivery] = field(default_factory=list)
    unreachable: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    previews: list[Preview] = field(default_factory=list)

    @property
    def all_sent(self) -> bool:
        """Every message went out whole: the exit code of ``deadlines remind``."""
        return all(d.ok and not d.partial for d in self.deliveries)


def _plans_with(plans: Sequence[Plan], wanted: set[str]) -> list[Plan]:
    out = []
    for plan in plans:
        obs = [o for o in plan.obligations if o.id in wanted]
        if obs:
            out.append(plan.model_copy(update={"obligations": obs}))
    return out


def reminder_occurrences(
    plans: Sequence[Plan],
    *,
    calendar: WorkCalendar,
    today: date,
    triggers: Iterable[TriggerEvent] = (),
    done: Iterable[Completion] = (),
    settings: Settings = Settings(),
) -> list[Any]:
    """The occurrences reminders are chosen from: from the plans' start to the furthest
    lead time, and those dated by an event further ahead (relative and pending rules)."""
    from ..engine import expand

    if not plans:
        return []
    triggers, done = list(triggers), list(done)
    first = min(min(p.period.start for p in plans), today)
    last = horizon(today, plans, settings, calendar)
    found = expand(plans, first, last, calendar=calendar, triggers=triggers, done=done, today=today)
    waiting = _plans_with(plans, {o.id for p in plans for o in p.obligations
                                  if any(r.kind in TRIGGERED_RULES for r in o.rules)})
    if waiting:
        days = [e.on.date() if isinstance(e.on, datetime) else e.on for e in triggers]
        days += [p.issued for p in waiting if p.issued is not None]
        far = max([p.period.end for p in waiting] + days) + timedelta(days=3 * 366)
        if far > last:
            later = expand(waiting, last + timedelta(days=1), far, calendar=calendar, triggers=triggers,
                           done=done, today=today)
            found += [o for o in later if o.due is not None]
    return found


def _link(site: str | None, slug: str | None) -> str | None:
    if not site or not slug:
        return None
    return f"{site if site.endswith('/') else site + '/'}#{slug}"


def _messages(channel: str, digest: Digest, spec: Any, contacts: Contacts, now: datetime, keys: Sequence[Any]
              ) -> list[tuple[tuple[Item, ...], Any, str]]:
    """(items, what to send, its preview) for each message or part of ``digest`` on ``channel``."""
    if channel == "email":
        msg = mail.build(digest, sender=contacts.smtp.sender, to=spec.email, cc=spec.cc, now=now, keys=keys)
        return [(digest.items, msg, mail.preview(msg))]
    keyword = getattr(getattr(spec, channel), "keyword", "")
    return [(part.items, part, part.preview()) for part in robot.parts(_ROBOTS[channel], digest, keyword)]


def send_reminders(
    plans: Sequence[Plan],
    *,
    calendar: WorkCalendar,
    today: date,
    now: Callable[[], datetime],
    contacts: Contacts | None,
    store: Any = None,
    triggers: Iterable[TriggerEvent] = (),
    done: Iterable[Completion] = (),
    env: Mapping[str, str] | None = None,
    dry_run: bool = False,
    poster: robot.Poster | None = None,
    members: Mapping[str, Sequence[str]] | None = None,
) -> Report:
    """Send every unit its new reminders on ``today`` through each of its channels.

    ``members`` (group → member units, from ``units.yaml``): a group task reminds each
    member too, as its own (:func:`deadlines.groups.reach`), until the member marks it done.

    ``store`` is the event store (:class:`~deadlines.triggers.Store`); with
    ``dry_run`` it is only read (and may be None), nothing is sent or
    recorded, and :attr:`Report.previews` holds exactly what would be sent.
    ``env`` holds the secrets contacts.yaml names (the process environment).
    """
    from ..groups import reach
    from ..site import unit_slugs

    env = {} if env is None else env
    done = list(done)
    settings = Settings.of(contacts)
    report = Report(today)
    if contacts is not None:
        report.notes += [str(p) for p in contacts.problems]
    occurrences = reminder_occurrences(plans, calendar=calendar, today=today, triggers=triggers, done=done,
                                       settings=settings)
    copies = reach(occurrences, members or {}, done=done, plans=plans, today=today)
    per_unit = select([*occurrences, *copies], plans, today=today, calendar=calendar, settings=settings)
    slugs = unit_slugs({u for p in plans for o in p.obligations for u in o.units.all()}
                       | {u for occ in copies for u in occ.units.all()})
    state = store.reminder_state() if store is not None else {}
    poster = poster or robot.Poster(now=now)
    day = today.isoformat()
    base = contacts.path.parent if contacts is not None else None
    for unit, items in per_unit.items():
        entry = contacts.of(unit) if contacts is not None else None
        if entry is None:
            report.unreachable[unit] = len(items)
            continue
        link = _link(contacts.site, slugs.get(unit))
        for channel in entry.channels():
            pending = [it for it in items if state.get(it.key(unit, channel)) != "sent"]
            if not pending:
                continue
            if dry_run:
                digest = Digest(unit, today, tuple(pending), calendar, link)
                keys = [it.key(unit, channel) for it in pending]
                for part_items, _, text in _messages(channel, digest, entry.spec, contacts, now(), keys):
                    report.previews.append(Preview(unit, channel, part_items, text))
                continue
            claimed = store.claim_reminders([it.key(unit, channel) for it in pending], at=now(), day=day,
                                            stale_before=now() - LEASE)
            if claimed.busy:
                report.notes.append(say("remind_busy", unit=unit, channel=CHANNELS_ZH[channel],
                                        count=len(claimed.busy)))
            if claimed.taken_over:
                report.notes.append(say("remind_taken_over", unit=unit, channel=CHANNELS_ZH[channel],
                                        count=len(claimed.taken_over)))
            mine = [it for it in pending if it.key(unit, channel) in claimed.claims]
            if not mine:
                continue
            delivery = _deliver(channel, Digest(unit, today, tuple(mine), calendar, link), entry.spec, contacts,
                                env=env, now=now, poster=poster, base=base)
            delivery.retried = sum(1 for it in mine if state.get(it.key(unit, channel)) == "failed")
            failed = {id(it) for it in delivery.failed_items}
            outcomes = {
                claimed.claims[it.key(unit, channel)]: ("failed" if id(it) in failed else "sent", delivery.detail)
                for it in mine
            }
            lost = store.settle_reminders(outcomes, at=now(), day=day)
            if lost:
                report.notes.append(say("remind_settle_lost", unit=unit, channel=CHANNELS_ZH[channel],
                                        minutes=int(LEASE.total_seconds() // 60)))
            report.deliveries.append(delivery)
    return report


def _deliver(channel: str, digest: Digest, spec: Any, contacts: Contacts, *, env: Mapping[str, str],
             now: Callable[[], datetime], poster: robot.Poster, base: Path | None) -> Delivery:
    """Send ``digest`` on ``channel``; whatever goes wrong is the delivery's outcome, never an exception."""
    items = digest.items
    try:
        if channel == "email":
            keys = [it.key(digest.unit, channel) for it in items]
            ((_, msg, _),) = _messages(channel, digest, spec, contacts, now(), keys)
            reply = mail.send(msg, contacts.smtp, env, base=base)
            return Delivery(digest.unit, channel, items, reply.ok, reply.detail, partial=reply.partial,
                            failed_items=() if reply.ok else items)
        config = getattr(spec, channel)
        url = secret(env, config.webhook_env, _WEBHOOK_ZH[channel])
        signing = secret(env, getattr(config, "secret_env", None), "签名密钥")
        vendor = _ROBOTS[channel]
        messages = _messages(channel, digest, spec, contacts, now(), [])
        failed: list[Item] = []
        details: list[str] = []
        for i, (part_items, part, _) in enumerate(messages, 1):
            reply = poster.post(vendor, url, signing, part)
            if not reply.ok:
                failed += part_items
            label = f"第{i}/{len(messages)}部分：" if len(messages) > 1 else ""
            details.append(label + reply.detail)
        return Delivery(digest.unit, channel, items, not failed, "；".join(details), parts=len(messages),
                        failed_items=tuple(failed))
    except DeadlineError as exc:  # a secret not set (MissingSecret) among them
        return Delivery(digest.unit, channel, items, False, str(exc), failed_items=items)
    except Exception as exc:  # noqa: BLE001 - one channel's failure never stops the others
        return Delivery(digest.unit, channel, items, False, f"{type(exc).__name__}: {exc}", failed_items=items)
