"""Serve the feed site over HTTP, rebuilding it when its inputs change.

What calendar clients need from the server (see the notes on clients):
``Content-Type: text/calendar; charset=utf-8`` (without the charset Google
mis-decodes UTF-8), an ETag and a Last-Modified on every answer, and a 304 only
when the client's validator really matches — a blanket 304 can freeze a feed in
a client for good.  Only regular files under the site folder are served: no
``..``, no hidden files, no symbolic links, and any
percent-encoded dot, slash, backslash, NUL or percent is answered 404.

The site folder is a link to one whole build (:mod:`deadlines.site`); each
request resolves it once, so a request during a rebuild gets the old file or
the new one, whole, and never a file that vanished.

Serving never stops for a rebuild: a background thread watches the inputs,
waits until a change has settled (an editor may save a file in two writes),
and builds; a build that fails for any reason is reported in one line and
the last good site stays up, and the same inputs are not tried again (a full
disk is retried after a while, not on every request).  Each connection has a
timeout and the number served at once is bounded, so idle clients cannot
starve new ones.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import sys
import threading
import time
from email.utils import formatdate, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Hashable, Iterable
from urllib.parse import unquote

from .errors import DeadlineError

# Served on every address (--host 0.0.0.0) without --base-url, the page is built with this
# stand-in host, and each answer puts in the host the browser asked for (its Host header, else
# the address it reached): the subscription links work from any computer on the network.
REQUEST_HOST = "deadlines-request-host.invalid"
_HOST = re.compile(r"[A-Za-z0-9.\-]+(?::\d{1,5})?|\[[0-9A-Fa-f:.]+\](?::\d{1,5})?")
WILDCARD_HOSTS = ("0.0.0.0", "::", "")

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
    """(path, mtime_ns, size) of every file under ``paths``; a missing path counts as such.

    ``skip`` is the site folder: it and its builds are not inputs.
    """
    from .site import builds_folder

    skipped = {os.path.realpath(skip), os.path.realpath(builds_folder(skip))} if skip is not None else set()
    found: list[tuple] = []
    for path in paths:
        if path.is_dir():
            for dirpath, dirnames, filenames in os.walk(path):
                if skipped and os.path.realpath(dirpath) in skipped:
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


def has_site(root: str | Path) -> bool:
    """Whether ``root`` holds a site that can be served (a last good build)."""
    return (Path(os.path.realpath(root)) / "index.html").is_file()


def one_line(exc: BaseException) -> str:
    """An error as one line: a :class:`DeadlineError` says what it says; anything else, its type too."""
    text = str(exc) if isinstance(exc, DeadlineError) else f"{type(exc).__name__}: {exc}"
    return " ".join(text.split())


class Rebuilder:
    """Calls ``build`` when ``state()`` differs from what the last build saw, once the change has settled.

    ``state`` is cheap (a fingerprint of the inputs, plus the day the page's
    30-day lists start).  A changed state is built only once it has stayed
    the same for ``settle`` seconds (by ``clock``), so a file saved in two
    writes is not built half-written.  One rebuild runs at a time.  A build
    that fails, for any reason, leaves the site as it was, is reported in one
    line through ``log``, and is not tried again until the inputs change —
    except a failure to write (a full disk), tried again after ``retry``
    seconds.
    """

    def __init__(
        self,
        build: Callable[[], Any],
        state: Callable[[], Hashable],
        log: Callable[[str], Any] | None = None,
        *,
        settle: float = 0.0,
        retry: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        has_site: Callable[[], bool] | None = None,
        site: str | Path = "",
    ):
        self.build = build
        self.site = str(site)
        self.state = state
        self.log = log or (lambda message: print(message, file=sys.stderr, flush=True))
        self.settle = settle
        self.retry = retry
        self.clock = clock
        self.has_site = has_site
        self.seen: Hashable = None
        self.lock = threading.Lock()
        self.error: str | None = None
        self._pending: Hashable = None
        self._since = 0.0
        self._retry_at: float | None = None

    def start(self) -> None:
        """The first build.  If it fails and a last good site exists, that site is
        served and the failure logged; with no site to serve, the error is raised."""
        with self.lock:
            now = self.state()
            try:
                self.build()
            except Exception as exc:
                if self.has_site is None or not self.has_site():
                    if isinstance(exc, DeadlineError):
                        raise
                    raise DeadlineError(one_line(exc)) from exc
                self._failed(exc, "first_build_failed")
            self.seen = now

    def refresh(self) -> bool:
        """Build if the inputs changed and have settled; True if a build ran."""
        now = self.state()
        t = self.clock()
        if now == self.seen:
            self._pending = None
            if self._retry_at is None or t < self._retry_at:
                return False
        elif now != self._pending:
            self._pending, self._since = now, t
            if self.settle > 0:
                return False
        elif t - self._since < self.settle:
            return False
        if not self.lock.acquire(blocking=False):
            return False
        try:
            self._retry_at = None
            try:
                self.build()
                self.error = None
            except Exception as exc:  # any failure: the last good site stays
                self._failed(exc, "rebuild_failed")
            self.seen = now
            self._pending = None
            return True
        finally:
            self.lock.release()

    def _failed(self, exc: Exception, key: str) -> None:
        from .errors import StorageError
        from .messages import say

        self.error = one_line(exc)
        if isinstance(exc, (StorageError, OSError)):
            self._retry_at = self.clock() + self.retry
        self.log(f"deadlines serve: {say(key, reason=self.error, site=self.site)}")

    def watch(self, stop: threading.Event, every: float = 1.0) -> None:
        """Refresh every ``every`` seconds until ``stop`` is set (a background thread's loop)."""
        said = None
        while not stop.wait(every):
            try:
                self.refresh()
                said = None
            except Exception as exc:  # the state itself could not be read: said once, tried again next time
                if one_line(exc) != said:
                    said = one_line(exc)
                    self.log(f"deadlines serve: {said}")


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
        # The site folder is a link to one build: resolved once, every part
        # of this answer comes from that build.
        root = Path(os.path.realpath(self.server.root))
        path = resolve(root, self.path)
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
        if self.server.request_host and path.suffix == ".html" and REQUEST_HOST.encode() in data:
            data = data.replace(REQUEST_HOST.encode(), self._host().encode())
        etag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
        modified = st.st_mtime_ns
        # RFC 9110 8.8.2.1: a Last-Modified later than the answer's Date is replaced by the
        # Date.  A site build sets a changed file's time to the next whole second
        # (deadlines.site), so this happens within a second of a build; a client that sends
        # that Date back gets a 200 until it holds the file's own time.
        headers = {
            "ETag": etag,
            "Last-Modified": formatdate(min(modified // 1_000_000_000, int(time.time())), usegmt=True),
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

    def _host(self) -> str:
        """The host (and port) this request reached: its Host header when it is one, else the
        server's address on the connection the request came in on."""
        given = (self.headers.get("Host") or "").strip()
        if given and len(given) <= 255 and _HOST.fullmatch(given):
            return given
        host, port = self.connection.getsockname()[:2]
        return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"

    def _not_modified(self, etag: str, modified: int) -> bool:
        """RFC 9110 13.2.2: If-None-Match decides when present; else If-Modified-Since.

        ``modified`` is the file's time in nanoseconds.  If-Modified-Since is
        answered 304 only when the file was last written no later than the
        whole second the client names: a file written within that second (a
        second build, a copy of the site) may be newer than the client's copy,
        and gets a 200.  The site's own files have whole-second times
        (:func:`deadlines.site._move_time`), so a client that sends back the
        Last-Modified it got still gets its 304.
        """
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
            return modified <= int(when.timestamp()) * 1_000_000_000
        return False


class SiteServer(ThreadingHTTPServer):
    """A threading HTTP server for one site folder; ``rebuilder`` keeps it current.

    At most ``max_connections`` are served at once (one more gets a short
    503 and is closed); a connection idle for ``timeout`` seconds is closed.
    While it serves, a thread runs ``rebuilder.watch`` every ``watch_every`` seconds.
    """

    daemon_threads = True
    request_queue_size = 128

    def __init__(
        self,
        address: tuple[str, int],
        root: str | Path,
        *,
        rebuilder: Rebuilder | None = None,
        quiet: bool = False,
        timeout: float = 20.0,
        max_connections: int = 64,
        watch_every: float = 1.0,
    ):
        self.root = Path(root)
        self.request_host = False  # the page's links name REQUEST_HOST, put in per request
        self.rebuilder = rebuilder
        self.quiet = quiet
        self.timeout_per_connection = timeout
        self.watch_every = watch_every
        self._slots = threading.BoundedSemaphore(max_connections)
        self._stopping = threading.Event()
        handler = type("Handler", (_Handler,), {"timeout": timeout})
        super().__init__(address, handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/"

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        if self.rebuilder is not None:
            threading.Thread(target=self.rebuilder.watch, args=(self._stopping, self.watch_every),
                             daemon=True, name="deadlines-rebuild").start()
        try:
            super().serve_forever(poll_interval)
        finally:
            self._stopping.set()

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(blocking=False):
            try:
                request.settimeout(1)
                request.sendall(b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\n"
                                b"Content-Length: 0\r\nConnection: close\r\n\r\n")
            except OSError:
                pass
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()
