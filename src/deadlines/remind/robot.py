"""Posting to a group robot's webhook: one JSON POST per part, paced, retried, classified.

What is common to the 企业微信, 钉钉 and 飞书 robots: a digest split into
parts that each fit the vendor's size limit (items are never cut in two; an
item too long alone is shortened, and the message links to the unit's page),
posts to the same webhook spaced to the vendor's rate, a reply read as
success, "too fast" (retried after the wait the vendor needs), or refused
(a bad signature, a wrong key: retried on the next run, reported now).
Each vendor module gives the shape of its message, its signature and how to
read its reply; this one does the rest.

The clock (for signatures), the monotonic clock and ``sleep`` are passed in,
so tests run against a local server without waiting.
"""

from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Protocol, Sequence

from .digest import Digest, Item

PART_LABEL_ROOM = "（第99/99部分）"
CUT_NOTE = "…（内容过长，详见单位页面）"


@dataclass(frozen=True)
class Reply:
    """How a post went: ``ok``; else what the vendor said, and whether to try again in this run."""

    ok: bool
    detail: str
    retry_after: float | None = None  # seconds to wait before trying again now; None: not in this run
    partial: bool = False  # sent, but not to every recipient (a refused mail address)


@dataclass(frozen=True)
class Part:
    """One message of a digest: the items it carries and the JSON body (unsigned)."""

    items: tuple[Item, ...]
    body: dict[str, Any]

    def preview(self) -> str:
        """The body exactly as posted (a signed robot adds its timestamp and signature when it posts)."""
        return body_bytes(self.body).decode("utf-8")


class Vendor(Protocol):
    NAME: str
    LIMIT: int
    MIN_INTERVAL: float

    def item_text(self, digest: Digest, item: Item, cut: int | None) -> Any: ...
    def envelope(self, digest: Digest, blocks: Sequence[tuple[Item, Any]], label: str,
                 keyword: str = "") -> dict[str, Any]: ...
    def size(self, body: dict[str, Any]) -> int: ...
    def sign(self, url: str, body: dict[str, Any], secret: str | None, now: datetime) -> tuple[str, bytes]: ...
    def classify(self, status: int, text: str) -> Reply: ...


def body_bytes(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def parts(vendor: Vendor, digest: Digest, keyword: str = "") -> list[Part]:
    """The digest in as few parts as fit ``vendor.LIMIT``, each labelled (第i/n部分) when there are several;
    ``keyword``: the word the unit's robot requires in every message."""

    def fits(blocks: list[tuple[Item, Any]]) -> bool:
        return vendor.size(vendor.envelope(digest, blocks, PART_LABEL_ROOM, keyword)) <= vendor.LIMIT

    # Each part takes as many items as fit (adding an item never makes a message shorter): the
    # count is found by doubling, then halving, so a long digest costs a few envelopes per part,
    # not one per item on top of all the items before it.
    blocks = [(item, vendor.item_text(digest, item, None)) for item in digest.items]
    groups: list[list[tuple[Item, Any]]] = []
    i = 0
    while i < len(blocks):
        first = blocks[i] if fits(blocks[i:i + 1]) else _shortened(vendor, digest, blocks[i][0], fits)
        rest = len(blocks) - i - 1  # items after the first

        def fits_with(k: int) -> bool:  # the first and the k items after it
            return fits([first, *blocks[i + 1:i + 1 + k]])

        known, step = 0, 1  # fits_with(known) holds
        while known < rest and fits_with(min(known + step, rest)):
            known, step = min(known + step, rest), step * 2
        while step > 1 and known < rest:
            step //= 2
            if known + step <= rest and fits_with(known + step):
                known += step
        groups.append([first, *blocks[i + 1:i + 1 + known]])
        i += 1 + known
    total = len(groups)
    return [
        Part(tuple(item for item, _ in blocks),
             vendor.envelope(digest, blocks, f"（第{i}/{total}部分）" if total > 1 else "", keyword))
        for i, blocks in enumerate(groups, 1)
    ]


def _shortened(vendor: Vendor, digest: Digest, item: Item, fits: Callable[[list], bool]) -> tuple[Item, Any]:
    """The item with its long texts cut to the most characters that fit (binary search)."""
    low, high = 0, 4000
    best = (item, vendor.item_text(digest, item, 0))
    while low <= high:
        middle = (low + high) // 2
        block = (item, vendor.item_text(digest, item, middle))
        if fits([block]):
            best, low = block, middle + 1
        else:
            high = middle - 1
    return best


def markdown_item(digest: Digest, item: Item, limit: int | None, *, head: Callable[[str, str], str],
                  line_break: str) -> str:
    """One item of a group robot's markdown message (企业微信, 钉钉): the due and its
    heading, the task and the unit's role, the written limit and the why; each vendor
    marks the heading its own way (``head(text, colour)``) and breaks lines its way."""
    from ..duetext import head as due_head
    from ..duetext import limit_text, tag

    occ = item.occurrence
    if occ.due is None:
        units = "、".join(occ.units.all())
        return f"- {occ.obligation} {cut(occ.title, limit)}（{units}）：{cut(occ.why, limit)}"
    text, colour = due_head(occ, digest.today, digest.calendar)
    mark = " [暂定]" if occ.provisional else ""
    lines = [f"{head(text, colour)} {cut(occ.title, limit)}（{tag(occ, digest.unit)}）{mark}"]
    if occ.due_text:
        lines.append(f"> 时限：{cut(limit_text(occ), limit)}")
    lines.append(f"> {cut(occ.why, limit)}")
    return line_break.join(lines)


def markdown_lines(digest: Digest, blocks: Sequence[tuple[Item, str]], label: str, *, section: str,
                   link: str) -> list[str]:
    """The lines of a group robot's markdown message: its title and heading, each kind of
    item under its section (``section`` a format with ``{name}``), and the unit's page
    (``link`` a format with ``{url}``)."""
    out = [f"### {digest.title()}{label}", digest.heading()]
    kind = None
    for item, text in blocks:
        if item.kind != kind:
            kind = item.kind
            out.append(section.format(name=digest.section(kind, [i for i, _ in blocks if i.kind == kind])))
        out.append(text)
    if digest.link:
        out.append(link.format(url=digest.link))
    return out


def cut(text: str, limit: int | None) -> str:
    """``text`` cut to ``limit`` characters, saying so."""
    if limit is None or len(text) <= limit:
        return text
    return text[:limit] + CUT_NOTE


def http_post(url: str, data: bytes, timeout: float) -> tuple[int, str]:
    """POST JSON; the status and the reply's text (an HTTP error status is a reply too)."""
    request = urllib.request.Request(
        url, data=data, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (the configured webhook)
            return response.status, response.read(1 << 20).decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(1 << 20).decode("utf-8", "replace")


@dataclass
class Poster:
    """Posts parts to webhooks: spaced per webhook, each retried as its reply says."""

    now: Callable[[], datetime]
    sleep: Callable[[float], None] | None = None  # default time.sleep, looked up when used
    monotonic: Callable[[], float] | None = None  # default time.monotonic
    timeout: float = 15.0
    attempts: int = 3
    transport: Callable[[str, bytes, float], tuple[int, str]] = http_post
    _last: dict[str, float] = field(default_factory=dict)

    def _pace(self, url: str, interval: float) -> None:
        clock = self.monotonic or time.monotonic
        last = self._last.get(url)
        if last is not None:
            wait = last + interval - clock()
            if wait > 0:
                (self.sleep or time.sleep)(wait)
        self._last[url] = clock()

    def post(self, vendor: Vendor, url: str, secret: str | None, part: Part) -> Reply:
        reply = Reply(False, "未发送")
        for attempt in range(1, self.attempts + 1):
            self._pace(url, vendor.MIN_INTERVAL)
            try:
                target, data = vendor.sign(url, part.body, secret, self.now())
                status, text = self.transport(target, data, self.timeout)
            except ValueError as exc:  # a webhook address that is not a URL
                return Reply(False, f"webhook 地址无效：{exc}")
            except (urllib.error.URLError, socket.timeout, TimeoutError, OSError) as exc:
                reason = getattr(exc, "reason", None) or exc
                reply = Reply(False, f"无法连接：{reason}", retry_after=2.0 * attempt)
            else:
                reply = vendor.classify(status, text)
            if reply.ok or reply.retry_after is None or attempt == self.attempts:
                break
            (self.sleep or time.sleep)(reply.retry_after)
        if not reply.ok and attempt > 1:
            reply = Reply(False, f"{reply.detail}（已尝试 {attempt} 次）")
        return reply


def reply_json(text: str) -> dict[str, Any] | None:
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def shown(text: str, limit: int = 200) -> str:
    """A receiver's reply as a report shows it: one line, not too long."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"
