"""飞书 custom bot: a rich-text (post) message, signed with the bot's secret (签名校验).

飞书开放平台《自定义机器人使用指南》::

    POST https://open.feishu.cn/open-apis/bot/v2/hook/HOOK
    {"timestamp": "1599360473", "sign": "…", "msg_type": "post",
     "content": {"post": {"zh_cn": {"title": "…", "content": [[{"tag": "text", "text": "…"},
                                                              {"tag": "a", "text": "…", "href": "…"}]]}}}}

签名: "把 timestamp + "\\n" + 密钥 当做签名字符串，使用 HmacSHA256 算法计算签名，再进行
Base64 编码" — the string is the HMAC's *key* and the data is empty (the
reverse of 钉钉), the timestamp in seconds, within an hour of the server's
clock.  "请求体大小不能超过20K"; 100 requests a minute, 5 a second.
Replies: ``{"code": 0, "msg": "success"}``; 19021 (sign match fail or
timestamp is not within one hour from current time), 19024 (Key Words Not
Found), 19022 (Ip Not Allowed), 9499 (Bad Request: a malformed or too large
body), 11232 (frequency limited) and HTTP 429 (too fast: retried after a wait).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime
from typing import Any, Sequence

from .digest import Digest, Item
from .robot import Reply, body_bytes, cut, reply_json, shown

NAME = "feishu"
LIMIT = 20_000  # bytes of the body, with room for timestamp and sign under 20 KB
SIGN_ROOM = 100
MIN_INTERVAL = 0.2  # 5 a second
RATE_LIMITED = {11232}
RATE_WAIT = 60.0


def signature(timestamp_s: int, secret: str) -> str:
    """base64(HmacSHA256(key=f"{timestamp}\\n{secret}", data=b""))."""
    key = f"{timestamp_s}\n{secret}".encode("utf-8")
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode("ascii")


def _text(text: str) -> dict[str, str]:
    return {"tag": "text", "text": text}


def item_text(digest: Digest, item: Item, limit: int | None) -> list[list[dict[str, str]]]:
    from ..duetext import head, limit_text, tag

    occ = item.occurrence
    if occ.due is None:
        units = "、".join(occ.units.all())
        return [[_text(f"{occ.obligation} {cut(occ.title, limit)}（{units}）：{cut(occ.why, limit)}")]]
    text, _ = head(occ, digest.today, digest.calendar)
    mark = " [暂定]" if occ.provisional else ""
    lines = [[_text(f"{text}  {cut(occ.title, limit)}（{tag(occ, digest.unit)}）{mark}")]]
    if occ.due_text:
        lines.append([_text(f"    时限：{cut(limit_text(occ), limit)}")])
    lines.append([_text(f"    {cut(occ.why, limit)}")])
    return lines


def envelope(digest: Digest, blocks: Sequence[tuple[Item, list]], label: str, keyword: str = "") -> dict[str, Any]:
    content: list[list[dict[str, str]]] = [[_text(digest.heading())]]
    kind = None
    for item, lines in blocks:
        if item.kind != kind:
            kind = item.kind
            content.append([_text(f"【{digest.section(kind, [i for i, _ in blocks if i.kind == kind])}】")])
        content.extend(lines)
    if digest.link:
        content.append([_text("单位页面："), {"tag": "a", "text": digest.link, "href": digest.link}])
    title = f"{keyword} {digest.title()}{label}".strip()
    return {"msg_type": "post", "content": {"post": {"zh_cn": {"title": title, "content": content}}}}


def size(body: dict[str, Any]) -> int:
    return len(body_bytes(body)) + SIGN_ROOM


def sign(url: str, body: dict[str, Any], secret: str | None, now: datetime) -> tuple[str, bytes]:
    if secret:
        stamp = int(now.timestamp())
        body = {"timestamp": str(stamp), "sign": signature(stamp, secret), **body}
    return url, body_bytes(body)


def classify(status: int, text: str) -> Reply:
    data = reply_json(text)
    if data is None or ("code" not in data and "StatusCode" not in data):
        if status == 429:
            return Reply(False, f"HTTP 429：{shown(text)}", RATE_WAIT)
        return Reply(False, f"HTTP {status}：{shown(text)}", 5.0 if status >= 500 else None)
    code = data.get("code", data.get("StatusCode"))
    if code == 0:
        return Reply(True, str(data.get("msg", data.get("StatusMessage", "success"))))
    detail = f"code {code}：{shown(str(data.get('msg', data.get('StatusMessage', ''))))}"
    return Reply(False, detail, RATE_WAIT if code in RATE_LIMITED or status == 429 else None)
