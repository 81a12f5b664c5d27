"""钉钉 custom robot: a markdown message, signed with the robot's secret (加签).

钉钉开放平台《自定义机器人接入》and《自定义机器人安全设置》::

    POST https://oapi.dingtalk.com/robot/send?access_token=TOKEN&timestamp=T&sign=S
    {"msgtype": "markdown", "markdown": {"title": "…", "text": "…"}}

加签: "把timestamp+"\\n"+密钥当做签名字符串，使用HmacSHA256算法计算签名，然后进行
Base64 encode，最后再把签名参数再进行urlEncode"; the key of the HMAC is the
secret (``SEC…``), the timestamp is in milliseconds and must be within an
hour of the server's clock.  "每个机器人每分钟最多发送20条消息到群里，如果超过
20条，会限流10分钟."  Replies: ``{"errcode": 0, "errmsg": "ok"}``; 310000
(sign not match, invalid timestamp, keywords not in content, ip not in
whitelist), 130101 (send too fast, exceed 20 times per minute), 460101
(message too long, exceed 20000 bytes).  Too fast is not retried in the same
run (the robot stays throttled for 10 minutes): the next run sends it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import urllib.parse
from datetime import datetime
from typing import Any, Sequence

from .digest import Digest, Item
from .robot import Reply, body_bytes, markdown_item, markdown_lines, reply_json, shown

NAME = "dingtalk"
LIMIT = 20_000  # bytes of the request body
MIN_INTERVAL = 3.0  # 20 messages a minute
RATE_LIMITED = {130101}


def signature(timestamp_ms: int, secret: str) -> str:
    """base64(HmacSHA256(key=secret, data=f"{timestamp}\\n{secret}")), not yet URL-encoded."""
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp_ms}\n{secret}".encode("utf-8"), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def item_text(digest: Digest, item: Item, limit: int | None) -> str:
    return markdown_item(digest, item, limit, head=lambda text, _colour: f"**{text}**", line_break="  \n")


def envelope(digest: Digest, blocks: Sequence[tuple[Item, str]], label: str, keyword: str = "") -> dict[str, Any]:
    title = f"{keyword} {digest.title()}{label}".strip()
    out = markdown_lines(digest, blocks, label, section="#### {name}", link="[单位页面]({url})")
    return {"msgtype": "markdown", "markdown": {"title": title, "text": "\n\n".join(out)}}


def size(body: dict[str, Any]) -> int:
    return len(body_bytes(body))


def sign(url: str, body: dict[str, Any], secret: str | None, now: datetime) -> tuple[str, bytes]:
    if secret:
        stamp = int(now.timestamp() * 1000)
        query = urllib.parse.urlencode({"timestamp": stamp, "sign": signature(stamp, secret)})
        url = f"{url}{'&' if '?' in url else '?'}{query}"
    return url, body_bytes(body)


def classify(status: int, text: str) -> Reply:
    data = reply_json(text)
    if data is None or "errcode" not in data:
        return Reply(False, f"HTTP {status}：{shown(text)}", 5.0 if status >= 500 else None)
    code = data.get("errcode")
    if code == 0:
        return Reply(True, str(data.get("errmsg", "ok")))
    detail = f"errcode {code}：{shown(str(data.get('errmsg', '')))}"
    if code in RATE_LIMITED:
        detail += "（钉钉限流10分钟，下次运行重发）"
    return Reply(False, detail, None)
