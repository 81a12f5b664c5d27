"""What a reader says when a file cannot be read: one line each, kept in
:mod:`deadlines.messages` with every other message.  Each is a :class:`FormatProblem` (a
:class:`~deadlines.errors.DeadlineError`), so the CLI prints it and exits 2."""

from __future__ import annotations

from ..errors import DeadlineError
from ..messages import say



class FormatProblem(DeadlineError):
    """A file in an office format, a web page or a PDF that cannot be read."""

    def __init__(self, key: str, source: str, **data: str):
        self.key, self.source, self.data = key, source, data
        super().__init__(say(key, source=source, **data))
