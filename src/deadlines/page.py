"""The site's index.html: the page a unit opens to subscribe and to see what it owes.

Units are grouped by place and plan (each plan named with its 文号), each
with its subscribe links, what is overdue and not done, and what falls due
next; identical task titles are listed once with all their dates.  The page
is plain HTML and CSS from one Jinja template (``templates/index.html``,
autoescaped): no script, so it works without JavaScript, and it reflows to
a phone's width.  Its words go through the package's catalog
(:mod:`deadlines.i18n`).

Nothing here reads the clock: ``today`` is an argument, and the data version
shown is the holiday data's year range and the date of the data (the latest
plan issue date, trigger event or completion), not the time of the build.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from datetime import date, datetime
from typing import Any, Iterator, Mapping, Sequence
from urllib.parse import quote

from .dates import BEIJING, day_of, weekday_zh
from .i18n import N_, _, language
from .records import Occurrence, Plan
from .roles import ROLES, role_counts

LIST_LIMIT = 8  # rows per list on the page; the feed has them all
SHOWN_DATES = 3  # dates shown on a row; the rest are counted
UPCOMING_DAYS = 30


# The role names as msgids (their Chinese is roles.ROLE_ZH).
ROLE_ZH_EN = {"lead": N_("lead"), "responsible": N_("responsible"), "cooperating": N_("cooperating")}


@dataclass
class Row:
    """One line of a list: a task title once, with every date it falls on in the list."""

    title: str
    dates: list[str] = field(default_factory=list)  # the first SHOWN_DATES distinct dates, in order
    date_count: int = 0  # distinct dates in all
    iso: str = ""
    tags: list[str] = field(default_factory=list)
    items: int = 0  # occurrences behind the row (several tasks may share a title and a date)
    seen: set = field(default_factory=set, repr=False)  # every distinct date, counted once


@dataclass
class Card:
    """One unit under one plan."""

    name: str
    anchor: str
    feed: str
    roles: str
    overdue: list[Row]
    overdue_count: int
    upcoming: list[Row]
    upcoming_count: int
    waiting: list[Row]
    waiting_count: int


@lru_cache(maxsize=8192)  # a province's 300,000 rows show a few hundred days
def _when_text(due: date | datetime, with_year: bool, lang: str) -> str:
    """A due date as a row shows it, in ``lang`` (the language in use: part of the key)."""
    return _when(day_of(due), due, with_year)


def _when(day: date, due: Any, with_year: bool) -> str:
    text = day.isoformat() if with_year else f"{day:%m-%d}"
    text += f"（{weekday_zh(day)}）" if language() == "zh" else f" ({day:%a})"
    if isinstance(due, datetime):
        text += f" {due:%H:%M}"
    return text


def rows(found: Sequence[Occurrence], unit: str, *, with_year: bool, limit: int = LIST_LIMIT) -> list[Row]:
    """The occurrences as rows, one per distinct title (first seen first), at most ``limit`` rows."""
    return _rows(found, unit, with_year, limit)[0]


def _rows(found: Sequence[Occurrence], unit: str, with_year: bool, limit: int = LIST_LIMIT) -> tuple[list[Row], int]:
    """:func:`rows`, and how many distinct titles there are in all (listed or not)."""
    by_title: dict[str, Row] = {}
    unlisted: set[str] = set()
    lang = language()
    for occ in found:
        row = by_title.get(occ.title)
        if row is None:
            if len(by_title) >= limit:
                unlisted.add(occ.title)
                continue
            row = by_title[occ.title] = Row(occ.title)
            if occ.due is not None:
                row.iso = occ.due_date.isoformat()
            role = occ.units.role_of(unit)
            if role == "cooperating":
                row.tags.append(_(ROLE_ZH_EN[role]))
            if getattr(occ, "via", None):
                row.tags.append(_("from {group}").format(group=occ.via))
            if occ.status == "provisional" or occ.provisional:
                row.tags.append(_("provisional"))
            if occ.status == "done":
                row.tags.append(_("done"))
            if occ.due is None and occ.waiting_for:
                row.tags.append(occ.waiting_for)
        row.items += 1
        due = occ.due
        if due is not None:  # each distinct date (the day, or the minute) counted; the first few written
            key = due.replace(second=0, microsecond=0) if type(due) is datetime else due
            seen = row.seen
            if key not in seen:
                seen.add(key)
                row.date_count += 1
                if len(row.dates) < SHOWN_DATES:
                    row.dates.append(_when_text(due, with_year, lang))
    return list(by_title.values()), len(by_title) + len(unlisted)


def _sorted(plan: Plan, found: list[Occurrence], today: date | None
            ) -> tuple[list[Occurrence], list[Occurrence], list[Occurrence]]:
    """A card's occurrences as overdue (the latest first), upcoming and waiting."""
    overdue: list[Occurrence] = []
    upcoming: list[Occurrence] = []
    waiting: list[Occurrence] = []
    # One pass, each due day worked out once: a province's page holds 35,000 cards.
    if today is not None:
        issued = plan.issued
        late: list[tuple[date, Occurrence]] = []
        for o in found:
            if o.due is None:
                waiting.append(o)
            elif o.status != "done":
                day = o.due if type(o.due) is date else day_of(o.due)
                if day >= today:
                    upcoming.append(o)
                elif issued is None or day >= issued:  # before the plan existed: not overdue
                    late.append((day, o))
        late.sort(key=lambda pair: pair[0], reverse=True)  # the latest first: what was just missed
        overdue = [o for _day, o in late]
    else:
        for o in found:
            (waiting if o.due is None else upcoming).append(o)
    return overdue, upcoming, waiting


def _card(plan: Plan, unit: str, anchor: str, feed: str, found: list[Occurrence], today: date | None,
          counts: dict[str, int]) -> Card:
    return _card_of(unit, anchor, feed, _sorted(plan, found, today), counts)


def _card_of(unit: str, anchor: str, feed: str,
             parts: tuple[list[Occurrence], list[Occurrence], list[Occurrence]], counts: dict[str, int]) -> Card:
    overdue, upcoming, waiting = parts
    roles = " · ".join(_("{role} {count}").format(role=_(ROLE_ZH_EN[r]), count=counts[r]) for r in ROLES if counts[r])
    (late, late_count), (next_, next_count), (waits, wait_count) = (
        _rows(overdue, unit, True), _rows(upcoming, unit, True), _rows(waiting, unit, False))
    return Card(name=unit, anchor=anchor, feed=feed, roles=roles, overdue=late, overdue_count=late_count,
                upcoming=next_, upcoming_count=next_count, waiting=waits, waiting_count=wait_count)


@dataclass
class _Listed:
    """A unit under a plan as the page's list of units shows it; its card is made when the page
    reaches it (a province's 35,000 cards are never all held at once)."""

    name: str
    anchor: str
    feed: str
    counts: dict[str, int]
    parts: tuple[list[Occurrence], list[Occurrence], list[Occurrence]]
    overdue_count: int


def _cards(listed: list[_Listed]) -> Iterator[Card]:
    for unit in listed:
        yield _card_of(unit.name, unit.anchor, unit.feed, unit.parts, unit.counts)
        unit.parts = ([], [], [])  # shown: its occurrences are no longer needed here


def links(file: str, base_url: str | None) -> list[tuple[str, str, str]]:
    """(label, href, class) of the subscribe links of one feed."""
    if not base_url:
        return [(_("Download .ics (the link subscribes too)"), file, "primary")]
    url = base_url.rstrip("/") + "/" + file
    found = []
    if url.startswith(("https://", "http://")):
        webcal = "webcal://" + url.split("://", 1)[1]
        found.append((_("Subscribe (webcal)"), webcal, "primary"))
        found.append((_("https link"), url, ""))
        found.append((_("Add to Google Calendar"), "https://calendar.google.com/calendar/r?cid=" + quote(webcal, safe=""),
                      ""))
    else:
        found.append((_("Subscription link"), url, "primary"))
    return found


_HTML_SPECIAL = re.compile("[&<>'\"]")  # what escaping changes: text without any is itself


def _card_writer(today: date | None, links_of: Any) -> Any:
    """The function that writes one card's ``<article>``, as the template's markup and words.

    A province's page has 35,000 cards and 300,000 rows.  In the template each
    ``{{ }}`` of a row costs a call through Jinja's context, an escape and a
    string object of its own: most of the page's time.  So the page's frame is
    the template and the cards are written here, from the words translated
    once per page; tests/test_page_cards.py holds these cards to the template's
    markup (``CARD_TEMPLATE``) on the bundled plans.
    """
    from markupsafe import Markup, escape

    words = {
        "overdue": _("Overdue, not done ({count})"), "items": _("{count} items"), "due": _("due {dates}"),
        "more_dates": _("and {count} more dates"), "more_report": _("{count} more, in the feed and in deadlines report."),
        "next": _("Next ({count})"), "more_feed": _("{count} more, in the feed."), "nothing": _("nothing"),
        "waiting": _("Waiting for a trigger ({count})"),
    }
    escaped: dict[str, str] = {}  # a title met on many cards is escaped once

    def esc(text: str) -> str:
        found = escaped.get(text)
        if found is None:
            found = escaped[text] = str(escape(text)) if _HTML_SPECIAL.search(text) else text
        return found

    def head(row: Row, out: list[str]) -> None:
        out.append("<li>" + esc(row.title))
        if row.items > row.date_count and row.items > 1:
            out.append('<span class="tag">' + esc(words["items"].format(count=row.items)) + "</span>")
        for tag in row.tags:
            out.append('<span class="tag">' + esc(tag) + "</span>")

    def more(row: Row) -> str:
        if row.date_count > SHOWN_DATES:
            return " " + esc(words["more_dates"].format(count=row.date_count - SHOWN_DATES))
        return ""

    def listing(out: list[str], kind: str, shown: list[Row], count: int, more_word: str, tail: Any) -> None:
        """A card's list of ``kind``: its rows (each ended by ``tail``), then how many more there are."""
        out.append(f'<ul class="{kind}">\n')
        for row in shown:
            head(row, out)
            out.append(tail(row))
        out.append("</ul>\n")
        if count > len(shown):
            out.append(f'<p class="note">{esc(words[more_word].format(count=count - len(shown)))}</p>')

    @cache
    def links_html(feed: str) -> str:  # a unit's links are on each of its cards
        return "".join((f'<a class="{esc(cls)}"' if cls else "<a") + f' href="{escape(href)}">{esc(label)}</a>'
                       for label, href, cls in links_of(feed))

    def card_html(card: Card) -> Markup:
        anchor = str(escape(card.anchor)) if _HTML_SPECIAL.search(card.anchor) else card.anchor
        out = [f'<article class="unit" id="{anchor}" data-unit="{esc(card.name)}">\n'
               f"<h4>{esc(card.name)}</h4>\n"
               f'<p class="roles">{esc(card.roles)}</p>\n'
               f'<p class="links">{links_html(card.feed)}</p>\n']
        if today and card.overdue_count:
            out.append(f'<h5 class="bad">{esc(words["overdue"].format(count=card.overdue_count))}</h5>\n')
            listing(out, "overdue", card.overdue, card.overdue_count, "more_report",
                    lambda row: f'<span class="dates">{esc(words["due"].format(dates="、".join(row.dates)))}'
                                f"{more(row)}</span></li>\n")
        out.append(f'<h5>{esc(words["next"].format(count=card.upcoming_count))}</h5>\n')
        if card.upcoming:
            listing(out, "upcoming", card.upcoming, card.upcoming_count, "more_feed",
                    lambda row: f'<span class="dates"><time datetime="{esc(row.iso)}">{esc("、".join(row.dates))}'
                                f"</time>{more(row)}</span></li>\n")
        else:
            out.append(f'<p class="none">{esc(words["nothing"])}</p>\n')
        if card.waiting:
            out.append(f'<h5>{esc(words["waiting"].format(count=card.waiting_count))}</h5>\n')
            listing(out, "waiting", card.waiting, card.waiting_count, "more_feed", lambda row: "</li>\n")
        out.append("</article>")
        return Markup("".join(out))

    return card_html


@cache
def _template():
    """The page's template, compiled once per process (``serve`` renders it on every rebuild)."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("deadlines", "templates"), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.globals["_"] = _  # the language in use when the page is rendered
    return env.get_template("index.html")


def render(plans: Sequence[Plan], by_unit: Mapping[str, Sequence[Occurrence]], feeds: dict[str, str],
           **options: Any) -> bytes:
    """The page, as bytes (:func:`stream`, whole)."""
    return b"".join(stream(plans, by_unit, feeds, **options))


def stream(
    plans: Sequence[Plan],
    by_unit: Mapping[str, Sequence[Occurrence]],
    feeds: dict[str, str],
    *,
    stamp: datetime,
    start: date,
    end: date,
    base_url: str | None,
    today: date | None,
    holiday_years: tuple[int, int] | None = None,
    build: str = "",
) -> Iterator[bytes]:
    """The page, in pieces of UTF-8 as they are made: a build writes them as they come, and
    never holds the whole page (a province's is tens of megabytes).

    ``feeds`` maps each unit name to its feed file (``feeds/<slug>.ics``); ``by_unit`` each
    unit's occurrences, sorted, as its feed has them (its own, and the copies of its groups'
    tasks: :func:`deadlines.groups.reach`).

    ``build`` is the digest of the feeds the page goes with (index.json's
    ``data_version``): kept in a ``<meta>`` for tools, not shown.
    """
    # Each unit's occurrences by plan, in one pass: the cards need no search and no sort.
    by_plan: dict[str, dict[str, list[Occurrence]]] = {}
    for name, found in by_unit.items():
        for occ in found:
            by_plan.setdefault(occ.plan, {}).setdefault(name, []).append(occ)
    places: dict[str, list[dict]] = {}
    unit_count = len(feeds)
    for plan in sorted(plans, key=lambda p: (p.place, -(p.year or 0), p.id)):
        mine = by_plan.get(plan.id, {})
        # the units the plan names, and the members its group tasks reach
        named = {name for ob in plan.obligations for name in ob.units.all()} | set(mine)
        units = sorted((n for n in named if n in feeds), key=lambda n: (feeds[n], n))
        listed = []
        counts = role_counts(plan.obligations)
        none = dict.fromkeys(ROLES, 0)
        for name in units:
            slug = feeds[name].rsplit("/", 1)[-1].removesuffix(".ics")
            parts = _sorted(plan, mine.get(name, []), today)
            listed.append(_Listed(name, f"{plan.id}--{slug}", feeds[name], counts.get(name, none), parts,
                                  len({o.title for o in parts[0]})))
        places.setdefault(plan.place or _("(no place given)"), []).append({
            "id": plan.id, "title": plan.title, "number": plan.document_number, "issuer": plan.issuer,
            "year": plan.year, "issued": plan.issued.isoformat() if plan.issued else "",
            "units": listed, "cards": _cards(listed), "overdue": sum(u.overdue_count for u in listed),
        })
    data_day = stamp.astimezone(BEIJING).date()
    pieces = _template().stream(
        lang="zh-CN" if language() == "zh" else "en",
        places=places,
        unit_count=unit_count,
        plan_count=len(plans),
        start=start.isoformat(),
        end=end.isoformat(),
        today=today.isoformat() if today else "",
        data_day=data_day.isoformat(),
        holiday_years=holiday_years,
        all_links=links("feeds/all.ics", base_url),
        card_html=_card_writer(today, cache(lambda file: links(file, base_url))),  # each feed's links made once
        base_url=base_url,
        build=build,
    )
    pieces.enable_buffering(4096)  # the template gives millions of small pieces: joined a few thousand at a time
    for piece in pieces:
        yield piece.encode("utf-8")


__all__ = ["render", "stream", "links", "rows", "Row", "Card"]
