"""The page's cards, written in Python (deadlines.page._card_writer), held to the template's markup.

The cards were a part of the page's template; at a province's scale they are
most of the page, and are written in Python for speed.  ``CARD_TEMPLATE`` is
that part of the template as it was: each card, rendered by Jinja with the
page's settings, must be the same text as the Python writer's — every branch
(overdue with more than are listed, tags, several items on one row, more
dates than are shown, nothing next, waiting), text that needs escaping, both
languages, and every card of the bundled plans' page.
"""

from __future__ import annotations

from datetime import date

import pytest

from deadlines import i18n, page
from deadlines.page import Card, Row

CARD_TEMPLATE = """{% for card in cards %}
<article class="unit" id="{{ card.anchor }}" data-unit="{{ card.name }}">
<h4>{{ card.name }}</h4>
<p class="roles">{{ card.roles }}</p>
<p class="links">{% for label, href, cls in links(card.feed) %}<a{% if cls %} class="{{ cls }}"{% endif %} href="{{ href }}">{{ label }}</a>{% endfor %}</p>
{% if today %}
{% if card.overdue_count %}
<h5 class="bad">{{ _("Overdue, not done ({count})").format(count=card.overdue_count) }}</h5>
<ul class="overdue">
{% for row in card.overdue %}
<li>{{ row.title }}{% if row.items > row.date_count and row.items > 1 %}<span class="tag">{{ _("{count} items").format(count=row.items) }}</span>{% endif %}{% for tag in row.tags %}<span class="tag">{{ tag }}</span>{% endfor %}<span class="dates">{{ _("due {dates}").format(dates=row.dates|join("、")) }}{% if row.date_count > shown_dates %} {{ _("and {count} more dates").format(count=row.date_count - shown_dates) }}{% endif %}</span></li>
{% endfor %}
</ul>
{% if card.overdue_count > card.overdue|length %}<p class="note">{{ _("{count} more, in the feed and in deadlines report.").format(count=card.overdue_count - card.overdue|length) }}</p>{% endif %}
{% endif %}
{% endif %}
<h5>{{ _("Next ({count})").format(count=card.upcoming_count) }}</h5>
{% if card.upcoming %}
<ul class="upcoming">
{% for row in card.upcoming %}
<li>{{ row.title }}{% if row.items > row.date_count and row.items > 1 %}<span class="tag">{{ _("{count} items").format(count=row.items) }}</span>{% endif %}{% for tag in row.tags %}<span class="tag">{{ tag }}</span>{% endfor %}<span class="dates"><time datetime="{{ row.iso }}">{{ row.dates|join("、") }}</time>{% if row.date_count > shown_dates %} {{ _("and {count} more dates").format(count=row.date_count - shown_dates) }}{% endif %}</span></li>
{% endfor %}
</ul>
{% if card.upcoming_count > card.upcoming|length %}<p class="note">{{ _("{count} more, in the feed.").format(count=card.upcoming_count - card.upcoming|length) }}</p>{% endif %}
{% else %}
<p class="none">{{ _("nothing") }}</p>
{% endif %}
{% if card.waiting %}
<h5>{{ _("Waiting for a trigger ({count})").format(count=card.waiting_count) }}</h5>
<ul class="waiting">
{% for row in card.waiting %}
<li>{{ row.title }}{% if row.items > row.date_count and row.items > 1 %}<span class="tag">{{ _("{count} items").format(count=row.items) }}</span>{% endif %}{% for tag in row.tags %}<span class="tag">{{ tag }}</span>{% endfor %}</li>
{% endfor %}
</ul>
{% if card.waiting_count > card.waiting|length %}<p class="note">{{ _("{count} more, in the feed.").format(count=card.waiting_count - card.waiting|length) }}</p>{% endif %}
{% endif %}
</article>
{% endfor %}
"""


def _jinja(cards: list[Card], today: date | None, links) -> str:
    from jinja2 import Environment, select_autoescape

    env = Environment(autoescape=select_autoescape(["html"], default_for_string=True), trim_blocks=True,
                      lstrip_blocks=True, keep_trailing_newline=True)
    env.globals["_"] = i18n._
    return env.from_string(CARD_TEMPLATE).render(cards=cards, today=today, links=links,
                                                 shown_dates=page.SHOWN_DATES)


def _python(cards: list[Card], today: date | None, links) -> str:
    write = page._card_writer(today, links)
    return "".join(write(card) + "\n" for card in cards)


def _row(title: str, dates: list[str], count: int, items: int, tags: list[str], iso: str = "2015-07-31") -> Row:
    return Row(title=title, dates=dates, date_count=count, iso=iso, tags=tags, items=items)


HAND_MADE = [
    Card(name='市"财政"局 <甲> & 乙', anchor="p-1--cai-zheng", feed="feeds/cai-zheng.ics", roles="牵头 2 · 配合 1",
         overdue=[_row("公开<预算>", ["2015-06-30（周二）"], 1, 1, ["配合"]),
                  _row("每月报送 & 汇总", ["2015-05-10（周日）", "2015-06-10（周三）", "2015-07-07（周二）"], 5, 6,
                       ["来自 各区县", "暂定"])],
         overdue_count=9,
         upcoming=[_row("发布'解读'", ["07-31（周五）"], 1, 3, []), _row("年度报告", ["07-09（周四）"], 1, 1, ["已完成"])],
         upcoming_count=12,
         waiting=[_row("审批后两个工作日内", [], 0, 2, ["审批"]), _row("待省出台规定后", [], 0, 1, [])], waiting_count=4),
    Card(name="县编办", anchor="p-2--bian-ban", feed="feeds/bian-ban.ics", roles="", overdue=[], overdue_count=0,
         upcoming=[], upcoming_count=0, waiting=[], waiting_count=0),
    Card(name="县统计局", anchor="p-2--tong-ji", feed="feeds/tong-ji.ics", roles="负责 1",
         overdue=[_row("季度报表", ["2015-04-25（周六）"], 1, 1, [])], overdue_count=1,
         upcoming=[_row("季度报表", ["07-25（周六）", "10-25（周日）"], 2, 2, [])], upcoming_count=1,
         waiting=[_row("待触发", [], 0, 1, ["收到申请"])], waiting_count=1),
]


def _links(base_url):
    return lambda file: page.links(file, base_url)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("today", [date(2015, 7, 8), None])
@pytest.mark.parametrize("base_url", [None, "https://example.org/d/?a=1&b=<2>", "ftp://example.org/d/"])
def test_hand_made_cards_are_the_template_s(lang, today, base_url):
    i18n.set_language(lang)
    try:
        assert _python(HAND_MADE, today, _links(base_url)) == _jinja(HAND_MADE, today, _links(base_url))
    finally:
        i18n.set_language(None)


def test_the_bundled_plans_cards_are_the_template_s(bundled_plans):
    """Every card of the bundled plans' page (each unit under each plan, as of a day with
    overdue, next and waiting items): the same text as the template's."""
    from deadlines import WorkCalendar, expand

    calendar = WorkCalendar(provisional=True)
    occurrences = expand(bundled_plans, date(2014, 1, 1), date(2019, 12, 31), calendar=calendar)
    by_unit: dict[str, list] = {}
    for occ in occurrences:
        for name in occ.units.all():
            by_unit.setdefault(name, []).append(occ)
    feeds = {name: f"feeds/u{n}.ics" for n, name in enumerate(sorted(by_unit))}
    today = date(2015, 7, 8)
    cards = []
    for plan in bundled_plans:
        counts = page.role_counts(plan.obligations)
        for name, found in sorted(by_unit.items()):
            mine = [o for o in found if o.plan == plan.id]
            if mine:
                cards.append(page._card(plan, name, f"{plan.id}--{name}", feeds[name], mine, today,
                                        counts.get(name, dict.fromkeys(page.ROLES, 0))))
    assert len(cards) > 100 and any(c.overdue for c in cards) and any(c.waiting for c in cards)
    assert _python(cards, today, _links(None)) == _jinja(cards, today, _links(None))
