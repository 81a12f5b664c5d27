"""Serve the feed site over HTTP, rebuilding it when its inputs change.

What calendar clients need from the server (see the notes on clients):
``Content-Type: text/calendar; charset=utf-8`` (without the charset Google
mis-decodes UTF-8), an ETag and a Last-Modified on every answer, and a 304 only
when the client's validator really matches — a blanket 304 can freeze a feed in
a client for good.  Only regular files under the site folder are served: no
``..``, no hidden files (the manifest), no symbolic links, and any
percent-encoded dot, slash, backslash, NUL or percent is answered 404.

A rebuild writes every file atomically (:func:`deadlines.atomic.write_atomic`),
so a request during a rebuild gets the old file or the new one, whole.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
import threading
from email.utils import formatdate, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Hashable, Iterable
from urllib.parse import unquote

from .errors import DeadlineError

CONTENT_TYPES = {
    ".ics": "text/calendar; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}
_ENCODED_TRICKS = ("%2e", "%2f", "%5c", "%00", "%25")


def resolve(root: Path, target: str) -> Path | None:
    """The file under ``root`` that the request target names, or None (answered 404)."""
    path = target.split("?", 1)[0].split("#", 1)[0]
    if not path.startswith("/") or "\\" in path or "\x00" in path:
        return None
    if any(trick in path.lower() for trick in _ENCODED_TRICKS):
        return None
    try:
        decoded = unquote(path, errors="strict")
    except UnicodeDecodeError:
        return None
    parts = decoded.split("/")[1:]
    if parts == [""]:
        parts = ["index.html"]
    if any(not p or p.startswith(".") or "\\" in p or "\x00" in p for p in parts):
        return None
    current = root
    for part in parts:
        current = current / part
        if current.is_symlink():
            return None
    real_root = os.path.realpath(root)
    if not os.path.realpath(current).startswith(real_root + os.sep):
        return None
    return current


def fingerprint(paths: Iterable[Path], skip: Path | None = None) -> tuple:
    """(path, mtime_ns, size) of every file under ``paths``; a missing path counts as such."""
    skip_real = os.path.realpath(skip) if skip is not None else None
    found: list[tuple] = []
    for path in paths:
        if path.is_dir():
            for dirpath, dirnames, filenames in os.walk(path):
                if skip_real and os.path.realpath(dirpath) == skip_real:
                    dirnames[:] = []
                    continue
                dirnames.sort()
                for name in sorted(filenames):
                    full = os.path.join(dirpath, name)
                    try:
                        st = os.stat(full)
                    except OSError:
                        continue
                    found.append((full, st.st_mtime_ns, st.st_size))
        else:
            try:
                st = path.stat()
                found.append((str(path), st.st_mtime_ns, st.st_size))
            except OSError:
                found.append((str(path), None, None))
    return tuple(found)


class Rebuilder:
    """Calls ``build`` when ``state()`` differs from what the last build saw.

    ``state`` is cheap (a fingerprint of the inputs, plus the day the page's
    30-day lists start).  One rebuild runs at a time; a request that comes
    during it is answered from the files as they are.  A build that fails
    (say a rules file with an error) leaves the site as it was and is retried
    only once the inputs change again.
    """

    def __init__(self, build: Callable[[], Any], state: Callable[[], Hashable], log: Callable[[str], Any] | None = None):
        self.build = build
        self.state = state
        self.log = log or (lambda message: print(message, file=sys.stderr))
        self.seen: Hashable = None
        self.lock = threading.Lock()
        self.error: str | None = None

    def start(self) -> None:
        """The first build: its errors go to the caller."""
        with self.lock:
            now = self.state()
            self.build()
            self.seen = now

    def refresh(self) -> None:
        if self.state() == self.seen or not self.lock.acquire(blocking=False):
            return
        try:
            now = self.state()
            if now == self.seen:
                return
            try:
                self.build()
                self.error = None
            except DeadlineError as exc:
                self.error = str(exc)
                self.log(f"deadlines serve: rebuild failed, still serving the last site: {exc}")
            self.seen = now
        finally:
            self.lock.release()


class _Handler(BaseHTTPRequestHandler):
    server: SiteServer
    server_version = "deadlines"
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._answer(body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(body=False)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        if not self.server.quiet:
            super().log_message(format, *args)

    def _not_found(self, body: bool) -> None:
        text = b"404 not found\n"
        self.send_response(HTTPStatus.NOT_FOUND)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        if body:
            self.wfile.write(text)

    def _answer(self, body: bool) -> None:
        if self.server.rebuilder is not None:
            self.server.rebuilder.refresh()
        path = resolve(self.server.root, self.path)
        data = st = None
        if path is not None:
            try:
                fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
            except OSError:
                fd = None
            if fd is not None:
                st = os.fstat(fd)
                if not stat.S_ISREG(st.st_mode):
                    os.close(fd)
                else:
                    with os.fdopen(fd, "rb") as fh:
                        data = fh.read()
        if data is None or st is None:
            self._not_found(body)
            return
        etag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
        modified = int(st.st_mtime)
        headers = {
            "ETag": etag,
            "Last-Modified": formatdate(modified, usegmt=True),
            "Cache-Control": "no-cache",
            "X-Content-Type-Options": "nosniff",
        }
        if self._not_modified(etag, modified):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            return
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", CONTENT_TYPES.get(path.suffix, "application/octet-stream"))
        self.send_header("Content-Length", str(len(data)))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _not_modified(self, etag: str, modified: int) -> bool:
        """RFC 9110 13.2.2: If-None-Match decides when present; else If-Modified-Since."""
        none_match = self.headers.get("If-None-Match")
        if none_match is not None:
            tags = [t.strip() for t in none_match.split(",")]
            return "*" in tags or any(t.removeprefix("W/") == etag for t in tags)
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                when = parsedate_to_datetime(since)
            except (TypeError, ValueError):
                return False
            if when is None or when.tzinfo is None:
                return False
            return modified <= int(when.timestamp())
        return False


class SiteServer(ThreadingHTTPServer):
    """A threading HTTP server for one site folder; ``rebuilder`` keeps it current."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], root: str | Path, *, rebuilder: Rebuilder | None = None, quiet: bool = False):
        self.root = Path(root)
        self.rebuilder = rebuilder
        self.quiet = quiet
        super().__init__(address, _Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/"
