"""The holiday commands' messages: in the package's one table and catalog (:mod:`deadlines.messages`)."""

from __future__ import annotations

from ..messages import say as message

__all__ = ["message"]
