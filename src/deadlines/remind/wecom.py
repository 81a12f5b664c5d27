"""企业微信 group robot: a markdown message to the group's webhook.

企业微信开发者中心《群机器人配置说明》(document/path/91770)::

    POST https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY
    {"msgtype": "markdown", "markdown": {"content": "…"}}

"content: markdown内容，最长不超过4096个字节，必须是utf8编码"; "每个机器人发送的
消息不能超过20条/分钟".  The reply is ``{"errcode": 0, "errmsg": "ok"}``; an
error names its code: 45009 (api freq out of limit: too fast), 40058
(content exceed max length 4096), 93000 (invalid webhook url).  The robot
signs nothing: the key in the webhook address is the secret, so the address
comes from an environment variable.  Colours: ``<font color="warning">``
(orange-red), ``info`` (green), ``comment`` (grey).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Sequence

from .digest import Digest, Item
from .robot import Reply, body_bytes, markdown_item, markdown_lines, reply_json, shown

NAME = "wecom"
LIMIT = 4096  # bytes of markdown.content
MIN_INTERVAL = 3.0  # 20 messages a minute
RATE_LIMITED = {45009}
RATE_WAIT = 60.0

_COLOURS = {"red": "warning", "yellow": "warning", "green": "info", "bright_black": "comment"}


def item_text(digest: Digest, item: Item, limit: int | None) -> str:
    return markdown_item(digest, item, limit, line_break="\n",
                         head=lambda text, colour: f'<font color="{_COLOURS.get(colour, "comment")}">{text}</font>')


def envelope(digest: Digest, blocks: Sequence[tuple[Item, str]], label: str, keyword: str = "") -> dict[str, Any]:
    """The message (企业微信 robots have no keyword: ``keyword`` is not used)."""
    out = markdown_lines(digest, blocks, label, section="\n**{name}**", link="\n[单位页面]({url})")
    return {"msgtype": "markdown", "markdown": {"content": "\n".join(out)}}


def size(body: dict[str, Any]) -> int:
    return len(body["markdown"]["content"].encode("utf-8"))


def sign(url: str, body: dict[str, Any], secret: str | None, now: datetime) -> tuple[str, bytes]:
    return url, body_bytes(body)


def classify(status: int, text: str) -> Reply:
    data = reply_json(text)
    if data is None or "errcode" not in data:
        retry = 5.0 if status >= 500 else None
        return Reply(False, f"HTTP {status}：{shown(text)}", retry)
    code = data.get("errcode")
    if code == 0:
        return Reply(True, str(data.get("errmsg", "ok")))
    detail = f"errcode {code}：{shown(str(data.get('errmsg', '')))}"
    return Reply(False, detail, RATE_WAIT if code in RATE_LIMITED or status == 429 else None)
