"""Replacing a file so that a reader sees the old bytes or the new, never half."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: str | Path, data: str | bytes, *, action: str | None = None) -> bool:
    """Replace ``path`` with ``data`` unless it already holds them; True if written.

    The bytes go to a temporary file beside ``path``, are flushed to disk, and
    the file is renamed over ``path`` (``os.replace`` is atomic on one file
    system), so a feed reader or a second process never sees a partial file.
    A write that fails (a full disk) leaves ``path`` as it was and raises
    :class:`~deadlines.errors.StorageError` saying ``action`` was not done.
    """
    from .errors import storage_error
    from .messages import say

    path = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        if path.read_bytes() == raw:
            return False
    except OSError:
        pass
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(raw)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise storage_error(exc, path, action or say("action_write")) from None
        raise
    return True
