"""Reading the phrase corpus (every case of tests/phrases) beside jionlp-time's parse_time.

jionlp-time (the dependency-free packaging of jionlp's time parser) is the
peer: installed by `make bench` only.  Both read the same phrases with the same
base date; the figure is µs per phrase, the median of five passes.  Also: a cold
`deadlines parse` process beside `python -c pass`.
"""

from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager
from typing import Iterator

from _timing import cold_ms, per_item_us, phrase_corpus

from deadlines import parse_phrase


def _read_or_refuse(text: str) -> None:
    from deadlines import DeadlineError

    try:
        parse_phrase(text, year=2015)
    except DeadlineError:
        pass


@contextmanager
def _silenced_stderr() -> Iterator[None]:
    """File descriptor 2 to /dev/null (what the peer prints, from Python or C), then back."""
    sys.stderr.flush()
    saved = os.dup(2)
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 2)
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)
        os.close(null)


def run() -> list[dict]:
    texts = phrase_corpus()
    ours = per_item_us(lambda t: parse_phrase(t, year=2015), texts)
    rows = []
    try:
        import jionlp_time

        base = time.mktime((2015, 1, 1, 0, 0, 0, 0, 0, -1))

        def peer(text: str) -> None:
            try:
                jionlp_time.parse_time(text, time_base=base)
            except Exception:  # it raises on what it cannot read; that is its answer
                pass

        with _silenced_stderr():  # it prints a traceback for each phrase it cannot read (about 60)
            theirs = per_item_us(peer, texts)
        rows.append({"what": f"read a plan phrase ({len(texts)} phrases)", "ours": ours,
                     "peer": "jionlp-time parse_time", "peer_value": theirs, "unit": "µs/phrase"})
    except ImportError:
        print("jionlp-time is not installed (make bench installs it): phrase row has no peer", file=sys.stderr)
    # Linear on long runs (issue #16): one 10,000-character run beside ten of
    # 1,000 characters; a ratio near 1 is linear, near 0.1 quadratic.
    for unit in ("9", " ", "一", "1月、"):
        long_run = (unit * 10000)[:10000]
        short_run = (unit * 1000)[:1000]
        rows.append({"what": f"read a 10,000-character run of {unit.strip() or 'spaces'!r}",
                     "ours": per_item_us(_read_or_refuse, [long_run], repeat=3) / 1000,
                     "peer": "ten 1,000-character runs", "unit": "ms",
                     "peer_value": 10 * per_item_us(_read_or_refuse, [short_run], repeat=3) / 1000})
    cmd = [sys.executable, "-m", "deadlines", "parse", "审批或核准后两个工作日内", "--year", "2015", "--trigger", "2015-09-30", "--json"]
    rows.append({"what": "cold `deadlines parse … --json`", "ours": cold_ms(cmd), "peer": "python -c pass",
                 "peer_value": cold_ms([sys.executable, "-c", "pass"]), "unit": "ms"})
    return rows
