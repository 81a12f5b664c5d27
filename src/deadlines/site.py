"""The feed site: one iCalendar feed per responsible unit, one for all, and a page.

Layout of the site folder ``out``::

    index.html            units by place and plan, each with its subscribe links,
                          what is overdue, what falls due next and what waits
                          on a trigger (deadlines.page, templates/index.html)
    feeds/<slug>.ics      one feed per unit: the obligations it leads, is
                          responsible for or cooperates on
    feeds/all.ics         every obligation
    feeds/index.json      unit → feed file, role counts, data version, window

What the SEQUENCE and LAST-MODIFIED of each event need from earlier builds
(:class:`deadlines.ical.Versions`) is not kept here but given by the caller —
the workspace keeps it in the event store — so a build into a fresh folder
(a CI job, a copy of the site) gives the same bytes as one over the last site.

``out`` itself is a symbolic link to one whole build, ``<out>.builds/<n>/``.
A build is written into a new folder beside the last one, and the link is
switched to it in one rename: a reader (a web server, ``deadlines serve``)
that resolves ``out`` sees either the whole old site or the whole new one —
``index.json``, the page and every feed from the same build — and no file
vanishes under it.  The build before the current one is kept for readers
still on it; older ones are removed.  A file whose bytes did not change is
hard-linked from the last build, so it keeps its Last-Modified; a build that
changes nothing switches nothing.  A plain static web server pointed at
``out`` serves the site as it is (it follows the link on each request).

A changed file's time is set to a whole second later than both its previous
version's and the moment it was written (:func:`_move_time`), so the
Last-Modified a server derives from it moves with every change, even two
builds within one second: a client that revalidates with If-Modified-Since
alone never gets a 304 for a changed feed.

A build that fails (a full disk) removes its own folder and leaves the site as
it was.  Nothing here reads the clock: DTSTAMP comes from the data
(:func:`data_stamp`), and "today" for the page's overdue and next items is an argument.
"""

from __future__ import annotations

import hashlib
import heapq
import io
import json
import os
import queue
import re
import shutil
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

from .engine import expand
from .dates import BEIJING
from .errors import DeadlineError, PathError, storage_error
from .ical import Entry, FeedSource, FeedWriter, Version, Versions, entries, pinyin_ascii
from .messages import say
from .records import Completion, Occurrence, Plan, TriggerEvent
from .page import stream as page_pieces
from .roles import ROLES, role_counts
from .workdays import WorkCalendar

FEEDS = "feeds"
MANIFEST = ".manifest.json"  # where sites before the event store kept versions: a site is recognised by it


# --------------------------------------------------------------------------
# Unit slugs


_MAX_SLUG = 60


def _short_hash(name: str) -> str:
    return hashlib.sha1(name.encode("utf-8")).hexdigest()[:6]


def unit_slug(name: str) -> str:
    """The ASCII file name of a unit's feed: its name in toneless pinyin.

    ``市财政局`` → ``shi-cai-zheng-ju``.  It depends on the name alone (and on
    pypinyin's dictionary, pinned for that reason), so a unit keeps its
    subscription URL across builds whatever other units come and go; a name
    with no letters at all, or a very long one, ends in a short hash of the
    name.  :func:`unit_slugs` breaks the rare collision of two names.
    """
    slug = re.sub(r"[^a-z0-9]+", "-", pinyin_ascii(name, "-").lower()).strip("-")
    if not slug:
        return f"unit-{_short_hash(name)}"
    if len(slug) > _MAX_SLUG:
        slug = slug[:_MAX_SLUG].rsplit("-", 1)[0] + f"-{_short_hash(name)}"
    return slug


def unit_slugs(names: Iterable[str]) -> dict[str, str]:
    """A slug for each unit name; names whose pinyin collides (同音) each get a hash of the name.

    ``all`` is the feed of all units, so a unit never gets it bare.
    """
    by_slug: dict[str, list[str]] = {}
    for name in sorted(set(names)):
        by_slug.setdefault(unit_slug(name), []).append(name)
    out: dict[str, str] = {}
    for slug, found in by_slug.items():
        if len(found) == 1 and slug != "all":
            out[found[0]] = slug
        else:
            for name in found:
                out[name] = f"{slug}-{_short_hash(name)}"
    return out


# --------------------------------------------------------------------------
# Time from the data


def data_stamp(plans: Sequence[Plan], triggers: Iterable[TriggerEvent] = (), done: Iterable[Completion] = ()) -> datetime:
    """The moment the data is as of: the latest plan issue date (or period start), trigger event or completion.

    It is the DTSTAMP and LAST-MODIFIED of an event first written in this
    build; a changed event gets a later one (see :class:`deadlines.ical.Versions`).
    """
    moments = [datetime.combine(p.issued or p.period.start, time.min) for p in plans]
    for ev in triggers:
        moments.append(ev.on if isinstance(ev.on, datetime) else datetime.combine(ev.on, time.min))
    moments += [datetime.combine(c.on, time.min) for c in done]
    latest = max(moments, default=datetime(2000, 1, 1))
    return latest.replace(tzinfo=BEIJING).astimezone(timezone.utc)


# --------------------------------------------------------------------------
# The site


@dataclass
class UnitFeed:
    name: str
    slug: str
    roles: dict[str, int]
    entries: list[Entry] = field(default_factory=list)
    occurrences: list[Occurrence] = field(default_factory=list)

    @property
    def file(self) -> str:
        return f"{FEEDS}/{self.slug}.ics"


@dataclass
class SiteResult:
    """What a build wrote."""

    out: Path
    start: date
    end: date
    data_version: str
    units: int
    written: list[str]
    removed: list[str]


def build_site(
    plans: Sequence[Plan],
    out: str | Path,
    *,
    calendar: WorkCalendar,
    start: date | None = None,
    end: date | None = None,
    triggers: Iterable[TriggerEvent] = (),
    done: Iterable[Completion] = (),
    alarm: timedelta | None = None,
    base_url: str | None = None,
    today: date | None = None,
    verify: bool = False,
    members: Mapping[str, Sequence[str]] | None = None,
    versions: dict[str, Version] | None = None,
    save_versions: Callable[[dict[str, Version]], None] | None = None,
    parallel: bool = False,
) -> SiteResult:
    """Expand ``plans`` and write the feed site into ``out``.

    Without ``start``/``end`` the window holds everything each plan gives: its
    recurring series over its whole period, and every dated item, inside the
    period or not.  ``alarm`` adds a reminder that long before each event;
    ``base_url`` (where the site is published) makes the page's webcal:// and
    Google links; ``today`` is the day the page's overdue and next items are counted from.  ``triggers`` give
    relative and pending rules their dates; ``done`` marks occurrences done.
    ``verify`` reads every feed back before the site switches; ``versions``
    and ``save_versions`` carry SEQUENCE across builds (see :func:`write_site`).
    ``members`` (group → member units, from ``units.yaml``) puts each group task
    in its members' feeds too (:func:`deadlines.groups.reach`); the group's feed stays.
    ``parallel``: the check runs in a second process (see :func:`write_site`).
    """
    from .groups import reach

    triggers, done = list(triggers), list(done)
    occurrences = expand(plans, start or date.min, end or date.max, calendar=calendar, triggers=triggers, done=done)
    reached = reach(occurrences, members or {}, done=done, plans=plans)
    return write_site(
        plans, occurrences, out, start=start, end=end, stamp=data_stamp(plans, triggers, done),
        alarm=alarm, base_url=base_url, today=today, calendar_version=calendar.data_version, verify=verify,
        holiday_years=_official_years(calendar),
        reached=reached,
        versions=versions, save_versions=save_versions, ordered=True, parallel=parallel,
    )


def _official_years(calendar: WorkCalendar) -> tuple[int, int]:
    """The first and last year of official holiday data: the package's and the notices imported."""
    years = [*calendar.package_years, *calendar.notices]
    return min(years), max(years)


def write_site(
    plans: Sequence[Plan],
    occurrences: Sequence[Occurrence],
    out: str | Path,
    *,
    stamp: datetime,
    start: date | None = None,
    end: date | None = None,
    alarm: timedelta | None = None,
    base_url: str | None = None,
    today: date | None = None,
    calendar_version: str = "",
    verify: bool = False,
    holiday_years: tuple[int, int] | None = None,
    reached: Sequence[Occurrence] = (),
    versions: dict[str, Version] | None = None,
    save_versions: Callable[[dict[str, Version]], None] | None = None,
    ordered: bool = False,
    parallel: bool = False,
) -> SiteResult:
    """Write the site for occurrences already expanded (and marked done, where they are);
    ``reached``: the members' copies of group tasks, for the members' feeds only;
    ``ordered``: the occurrences come sorted, as :func:`deadlines.engine.expand` gives them.

    ``calendar_version`` names the working-day data used (``WorkCalendar.data_version``);
    ``holiday_years`` is the first and last year it has official data for (shown on the page).
    With ``verify``, every feed is read back with recurring-ical-events as it
    is written and held against its occurrences
    (:func:`deadlines.feedcheck.build_check`): a feed a client would expand
    differently raises :class:`~deadlines.errors.FeedMismatch`, the build's
    folder is removed and the site stays as it was.  ``parallel`` runs that
    check in a second process while this one writes the site, where it can
    (:class:`deadlines.feedcheck.BuildCheckAside`): the same files, sooner on
    a machine with two processors, for more memory.

    ``versions`` are the versions (digest, SEQUENCE, LAST-MODIFIED) earlier
    builds gave each UID (none: every event at SEQUENCE 0); the versions this
    build adds are handed to ``save_versions`` once the feeds are checked and
    before the site is switched — a site that failed to switch is built again
    with the same numbers, never a number shown for two contents.
    """
    out = Path(out)
    current = current_build(out)
    plans = sorted(plans, key=lambda p: p.id)
    if not ordered:
        occurrences = sorted(occurrences, key=Occurrence.sort_key)
    dues = [o.due_date for o in occurrences if o.due is not None]
    start = start or min([p.period.start for p in plans] + dues, default=date(2000, 1, 1))
    end = end or max([p.period.end for p in plans] + dues, default=start)

    sources = {ob.id: FeedSource(plan, ob) for plan in plans for ob in plan.obligations}
    all_entries = entries(occurrences, sources, ordered=True)
    units = _unit_feeds(plans, all_entries, occurrences, reached, sources)

    numbered = Versions(versions)
    writer = FeedWriter(sources, versions=numbered, data_stamp=stamp, alarm=alarm)
    # Each feed is written into the new build as soon as it is made (and handed to the check):
    # memory holds the occurrences and one feed at a time, not every feed of the site.  all.ics
    # first, the reference the check holds each unit's feed against; the data version hashes the
    # feeds in the order of their file names.
    all_name = f"{FEEDS}/all.ics"
    feeds: list[tuple[str, UnitFeed | None]] = [(all_name, None), *((unit.file, unit) for unit in units)]
    feeds.sort(key=lambda feed: feed[0])
    reference = next(i for i, (_, unit) in enumerate(feeds) if unit is None)
    version_hash = hashlib.sha256()
    # The check is made (a second process forked, where it runs aside) before the build's writer
    # thread starts; leaving on an error, the writer stops first, then the check, then the build's
    # folder is removed.
    with SiteBuild(out, current) as build, _check(verify, build.folder, feeds, occurrences, reference,
                                                            parallel) as check, build.writing():

        def add(index: int, name: str, data: bytes) -> None:
            """Write a feed and hand it to the check: as written here, or its file once written."""
            if check.reads_files:
                build.add(name, data, then=lambda: check.written(index, data))
            else:
                build.add(name, data)
                check.written(index, data)

        # A feed that does not read back as its occurrences stops the build before the
        # switch: the build's folder is removed and the site stays as it was.
        all_data: bytes | None = writer.feed(all_entries, name="全部单位 · 工作时限",
                                             about="各计划全部事项的到期日与待触发事项")
        add(reference, all_name, all_data)
        for index, (name, unit) in enumerate(feeds):
            if unit is None:
                data, all_data = all_data, None
            else:
                data = writer.feed(
                    unit.entries, name=f"{unit.name} · 工作时限",
                    about=f"{unit.name}牵头、负责或配合的事项的到期日与待触发事项",
                )
                add(index, name, data)
            version_hash.update(data)
        del data
        check.written_all()
        version = version_hash.hexdigest()[:16]
        build.add(f"{FEEDS}/index.json", _index_json(units, all_entries, version, start, end, calendar_version))
        build.add_pieces("index.html", page_pieces(
            plans, {u.name: u.occurrences for u in units}, {u.name: u.file for u in units}, stamp=stamp, start=start,
            end=end, base_url=base_url, today=today, holiday_years=holiday_years, build=version))
        build.wait()  # every file written (and, to a check that reads the files, named)
        check.verdict()  # every feed reads back as its occurrences (or the build stops here)
        if save_versions is not None:  # the feeds are checked; before the site switches
            changed = numbered.changed()
            if changed:
                save_versions(changed)
        written, removed = build.finish()
    return SiteResult(out, start, end, version, len(units), written, removed)


# --------------------------------------------------------------------------
# Switching the site whole


def builds_folder(out: str | Path) -> Path:
    """Where the builds of the site ``out`` live: ``<out>.builds`` beside it."""
    out = Path(out)
    return out.with_name(out.name + ".builds")


def current_build(out: str | Path) -> Path | None:
    """The build ``out`` points at now (or ``out`` itself, a folder of an earlier layout); None if no site yet.

    A non-empty folder that is not a site is refused: a build never takes
    over a folder holding other files.
    """
    out = Path(out)
    if out.is_symlink():
        target = Path(os.path.realpath(out))
        return target if target.is_dir() else None
    if not out.exists():
        return None
    if not out.is_dir():
        raise PathError(out, say("not_a_folder"))
    if not any(out.iterdir()):
        return None
    if (out / FEEDS / "index.json").is_file() or (out / MANIFEST).is_file():
        return out  # a site written in place, before builds were switched whole
    raise DeadlineError(say("not_a_site", path=out))


def publish(out: str | Path, files: dict[str, bytes], current: Path | None = None) -> tuple[list[str], list[str]]:
    """Make ``out`` the site of exactly ``files``; the names written (changed) and removed.

    The new build is written and synced in a folder of its own, then ``out``
    is switched to it in one rename.  Nothing changes when no file does.
    """
    with SiteBuild(Path(out), current_build(out) if current is None else current) as build:
        for name, data in files.items():
            build.add(name, data)
        return build.finish()


class SiteBuild:
    """One build of the site being written: files are added one by one, then the site switches to it whole.

    Each file is written into the new build folder as it is added (a file
    with the same bytes as in the current build is hard-linked from it
    instead, keeping its Last-Modified).  :meth:`finish` makes the whole
    build durable at once — one sync of the file system for the data of
    every file, then the folders — and switches ``out`` to it in one rename:
    a province's 2,000 feeds cost one sync, not 2,000.  A build that changes
    nothing is removed and nothing switches.  Used as a context manager, a
    build that fails (a full disk, any error) removes its folder and leaves
    the site as it was.
    """

    def __init__(self, out: Path, current: Path | None):
        self.out = out
        self.current = current
        self.old: dict[str, Path] = {}
        if current is not None:
            self.old = {p.relative_to(current).as_posix(): p for p in current.rglob("*") if p.is_file()}
        self.builds = builds_folder(out)
        try:
            self.builds.mkdir(parents=True, exist_ok=True)
            self.folder = _new_build(self.builds)
        except OSError as exc:
            raise storage_error(exc, self.builds, say("action_build")) from None
        self.names: set[str] = set()
        self.changed: list[str] = []
        self._folders: set[Path] = {self.folder}
        self._writer: _Writer | None = None
        self.finished = False

    def __enter__(self) -> SiteBuild:
        return self

    def __exit__(self, kind: type | None, exc: BaseException | None, tb: object) -> None:
        if exc is not None and not self.finished:
            shutil.rmtree(self.folder, ignore_errors=True)
            if isinstance(exc, OSError):
                raise storage_error(exc, self.out, say("action_build")) from None

    def _target(self, name: str) -> Path:
        target = self.folder / name
        if target.parent not in self._folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(target.parent)
        self.names.add(name)
        return target

    def add(self, name: str, data: bytes, then: Callable[[], None] | None = None) -> None:
        """Write ``name`` (a path inside the site) into the new build; then call ``then``.

        Inside :meth:`writing`, the file is written by the build's writer thread
        and ``then`` is called there once the file is whole; else both happen here."""
        target = self._target(name)
        if self._writer is not None:
            self._writer.put(lambda: self._add(name, target, data, then))
        else:
            self._add(name, target, data, then)

    def _add(self, name: str, target: Path, data: bytes, then: Callable[[], None] | None) -> None:
        old = self.old.get(name)
        if old is not None and _holds(old, data):
            try:
                os.link(old, target)  # the same bytes: the same file, its mtime kept
            except OSError:
                _write(target, [data], after=old)
        else:
            self.changed.append(name)
            _write(target, [data], after=old)
        if then is not None:
            then()

    @contextmanager
    def writing(self) -> Iterator[SiteBuild]:
        """Files added inside are written by a thread of their own (:class:`_Writer`) while this
        one makes the next; on leaving, every one is written (or, when leaving on an error, the
        rest are dropped) and the thread has ended."""
        self._writer = _Writer()
        try:
            yield self
        except BaseException:
            self._writer.stop()
            raise
        else:
            self._writer.wait()
            self._writer.stop()
        finally:
            self._writer = None

    def wait(self) -> None:
        """Every file added so far is written (raises the error of one that could not be)."""
        if self._writer is not None:
            self._writer.wait()

    def add_pieces(self, name: str, pieces: Iterable[bytes]) -> None:
        """Write ``name`` from its bytes in pieces, as they are made (the page: never held whole);
        as :meth:`add`, a file the same as the current build's is that file.  Written here, after
        every file added before it (the files are written in the order added: the first that
        cannot be written stops the rest)."""
        self.wait()
        target = self._target(name)
        old = self.old.get(name)
        _write(target, pieces, after=old)
        if old is not None and _holds(old, target):
            linked = target.with_name(target.name + ".same")
            try:
                os.link(old, linked)
                os.replace(linked, target)  # the same bytes: the same file, its mtime kept
                return
            except OSError:
                linked.unlink(missing_ok=True)  # the file as written stays: the same bytes
                return
        self.changed.append(name)

    def finish(self) -> tuple[list[str], list[str]]:
        """Make the build durable and switch the site to it; the names written (changed) and removed."""
        self.wait()
        written = sorted(self.changed)
        removed = sorted(n for n in self.old if n not in self.names and n.startswith(f"{FEEDS}/") and n.endswith(".ics"))
        if self.current is not None and not written and set(self.old) <= self.names:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.finished = True
            return [], []
        out, current, new = self.out, self.current, self.folder
        _make_durable(new, sorted(self._folders))
        previous = current.name if current is not None else ""
        if current is not None and current == out:
            previous = _adopt(out, self.builds)  # the earlier layout: its folder becomes a build of its own
        elif current is None and out.is_dir() and not out.is_symlink():
            out.rmdir()  # an empty folder made for the site: the link takes its place
        _switch(out, new)
        self.finished = True
        _prune(self.builds, keep={new.name, previous})
        return written, removed


class _Writer:
    """A thread that writes a build's files, in the order given, while the build makes the next.

    Writing a province's 2,000 feeds (140 MB) is mostly the kernel's work —
    creating the files, copying into the page cache — which took 1–2 s of a
    build's wall time on its own thread; in a thread of its own it runs
    beside the making of the next feed (the system calls release the GIL).
    At most :attr:`DEPTH` files wait, so memory holds a few feeds, not the
    site.  The first error ends the writing (the files after it are dropped)
    and is raised in the build's thread by the next :meth:`put` or by
    :meth:`wait`.
    """

    DEPTH = 4

    def __init__(self) -> None:
        self.jobs: queue.Queue[Callable[[], None] | None] = queue.Queue(self.DEPTH)
        self.error: BaseException | None = None
        self.dropping = False
        self.thread = threading.Thread(target=self._run, name="deadlines-site-writer", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            job = self.jobs.get()
            try:
                if job is None:
                    return
                if self.error is None and not self.dropping:
                    job()
            except BaseException as exc:  # noqa: BLE001 - raised in the build's thread
                self.dropping = True  # here, before the build's thread can see the error: the files after it are not written
                self.error = exc
            finally:
                self.jobs.task_done()

    def _raise(self) -> None:
        if self.error is not None:
            error, self.error = self.error, None
            raise error

    def put(self, job: Callable[[], None]) -> None:
        self._raise()
        self.jobs.put(job)

    def wait(self) -> None:
        self.jobs.join()
        self._raise()

    def stop(self) -> None:
        """End the thread: the files still waiting are dropped."""
        self.dropping = True
        self.jobs.put(None)
        self.thread.join()


def _new_build(builds: Path) -> Path:
    """A new, empty build folder: the next number after every build there."""
    numbers = [int(p.name) for p in builds.iterdir() if p.name.isdigit()]
    n = max(numbers, default=0) + 1
    while True:
        try:
            (builds / str(n)).mkdir()
            return builds / str(n)
        except FileExistsError:  # another build process took it
            n += 1


def _holds(path: Path, data: bytes | Path) -> bool:
    """Whether the file ``path`` holds ``data``: bytes, or another file's (a megabyte at a time)."""
    try:
        size = data.stat().st_size if isinstance(data, Path) else len(data)
        if path.stat().st_size != size:
            return False
        with open(path, "rb") as one, (open(data, "rb") if isinstance(data, Path) else io.BytesIO(data)) as other:
            while True:
                block = one.read(1 << 20)
                if block != other.read(1 << 20):
                    return False
                if not block:
                    return True
    except OSError:
        return False


def _write(path: Path, pieces: Iterable[bytes], after: Path | None = None) -> None:
    """Write ``path`` (not synced: :meth:`SiteBuild.finish` makes the whole build durable at once)
    and give it a second of its own (:func:`_move_time`)."""
    with open(path, "wb") as f:
        for data in pieces:
            f.write(data)
        f.flush()
        written = os.fstat(f.fileno()).st_mtime_ns
    os.chmod(path, 0o644)
    _move_time(path, written, after)


_SECOND = 1_000_000_000


def _move_time(path: Path, written: int, previous: Path | None) -> None:
    """Set ``path``'s time to the next whole second after it was written and after ``previous``'s second.

    HTTP's Last-Modified has whole seconds.  With file times as written, two
    builds within one second give two contents one Last-Modified, and a client
    that revalidates with If-Modified-Since alone is told its old copy is
    current.  Here each version of a file gets a second of its own, later
    than its previous version's second and later than any moment it could
    have been fetched before (a client may send the Date it got it at), so
    any Last-Modified seen before the change is earlier than the new one.
    Only file times are read, never the clock.
    """
    moved = (written // _SECOND + 1) * _SECOND  # the next whole second
    if previous is not None:
        try:
            before = previous.stat().st_mtime_ns
        except OSError:
            before = None
        if before is not None:
            moved = max(moved, (before // _SECOND + 1) * _SECOND)
    os.utime(path, ns=(moved, moved))


@cache
def _syncfs() -> Any:
    """Linux's ``syncfs(2)`` (not in :mod:`os`): flush one file system's data and metadata; None elsewhere."""
    import ctypes

    try:
        call = ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return None
    call.argtypes = [ctypes.c_int]
    call.restype = ctypes.c_int
    return call


def _make_durable(build: Path, folders: list[Path]) -> None:
    """Flush every file of ``build`` and its folder entries to disk, so the switch never points at
    files a crash could lose.

    All files were written first, unsynced; one ``syncfs`` then flushes the
    data of them all (one journal commit instead of one per file).  Where
    there is no ``syncfs``, each file is synced, as before.  Then the folders.
    """
    syncfs = _syncfs()
    fd = os.open(build, os.O_RDONLY)
    try:
        if syncfs is not None:
            if syncfs(fd) != 0:
                import ctypes

                code = ctypes.get_errno()
                raise OSError(code, os.strerror(code), str(build))
        else:  # pragma: no cover - not Linux
            for path in build.rglob("*"):
                if path.is_file() and not path.is_symlink():
                    with open(path, "rb") as f:
                        os.fsync(f.fileno())
    finally:
        os.close(fd)
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _switch(out: Path, new: Path) -> None:
    """Point ``out`` at ``new`` in one rename (a relative link: the pair can be moved together)."""
    link = out.with_name(f".{out.name}.{new.name}.link")
    link.unlink(missing_ok=True)
    os.symlink(os.path.relpath(new, out.parent), link)
    os.replace(link, out)


def _adopt(out: Path, builds: Path) -> str:
    """Move a site folder of the earlier layout into ``builds`` (once; ``out`` then becomes the link)."""
    target = builds / "0"
    if target.exists():
        shutil.rmtree(target)
    os.rename(out, target)
    return target.name


# A replaced build stays this long after it was replaced (its successor was
# made), for readers still on it — a web server sending a large feed, a
# client reading index.json and then the feeds — and at most this many.
KEEP_SECONDS = 30
KEEP_BUILDS = 10


def _prune(builds: Path, keep: set[str]) -> None:
    """Remove the builds replaced long enough ago: never the current one or the one before it.

    "Long enough" is measured between file times (when the build after it
    was made, and when the newest was), so no clock is read here.
    """
    numbers = sorted(int(p.name) for p in builds.iterdir() if p.name.isdigit())
    kept = [int(k) for k in keep if k.isdigit()]
    if not kept:
        return

    def made(n: int) -> float:
        try:
            return (builds / str(n)).stat().st_mtime
        except OSError:
            return 0.0

    older = [n for n in numbers if n < max(kept) and n not in kept]
    now = made(max(kept))
    for i, n in enumerate(older):
        # A build before the kept ones was replaced when the next one was made;
        # one between them never switched (its process died, or is still writing).
        since = made(min(m for m in numbers if m > n)) if n < min(kept) else made(n)
        recent = now - since < KEEP_SECONDS
        if recent and len(older) - i <= KEEP_BUILDS - len(kept):
            continue
        shutil.rmtree(builds / str(n), ignore_errors=True)


def _check(verify: bool, folder: Path, feeds: list[tuple[str, UnitFeed | None]], occurrences: Sequence[Occurrence],
           reference: int, parallel: bool) -> Any:
    """The check of the feeds as they are written (:func:`deadlines.feedcheck.build_check`), or
    none."""
    if not verify:
        return _NoCheck()
    from .feedcheck import build_check

    return build_check(folder, [(name, occurrences if unit is None else unit.occurrences) for name, unit in feeds],
                       reference, aside=parallel)


class _NoCheck:
    """No check (``build --no-verify``)."""

    reads_files = False

    def written(self, index: int, data: bytes) -> None:
        pass

    def written_all(self) -> None:
        pass

    def verdict(self) -> None:
        pass

    def __enter__(self) -> _NoCheck:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


def _unit_feeds(plans: Sequence[Plan], all_entries: list[Entry], occurrences: Sequence[Occurrence],
                reached: Sequence[Occurrence] = (), sources: dict[str, FeedSource] | None = None) -> list[UnitFeed]:
    roles = role_counts(ob for plan in plans for ob in plan.obligations)
    copies: dict[str, list[Occurrence]] = {}
    for occ in sorted(reached, key=Occurrence.sort_key):
        for name in occ.units.all():
            roles.setdefault(name, dict.fromkeys(ROLES, 0))
            copies.setdefault(name, []).append(occ)
    slugs = unit_slugs(roles)
    units = {name: UnitFeed(name, slugs[name], roles[name]) for name in roles}
    # An obligation's units are one object shared by its occurrences and entries (and, from
    # the plan cache, by every obligation with the same units): each is looked at once.
    seen: dict[int, tuple[Any, list[UnitFeed]]] = {}

    def feeds_of(named: Any) -> list[UnitFeed]:
        found = seen.get(id(named))
        if found is None:
            found = seen[id(named)] = (named, [units[name] for name in named.all()])
        return found[1]

    for entry in all_entries:
        for feed in feeds_of(entry.units):
            feed.entries.append(entry)
    for occ in occurrences:
        for feed in feeds_of(occ.units):
            feed.occurrences.append(occ)
    for name, found in copies.items():  # a group task in a member's feed, done by the member's own mark
        feed = units[name]  # both halves are in order: merged, not sorted again
        feed.entries = list(heapq.merge(feed.entries, entries(found, sources or {}, ordered=True),
                                        key=lambda e: e.first.sort_key()))
        feed.occurrences = list(heapq.merge(feed.occurrences, found, key=Occurrence.sort_key))
    return sorted(units.values(), key=lambda u: (u.slug, u.name))


def _index_json(
    units: list[UnitFeed], all_entries: list[Entry], version: str, start: date, end: date, calendar_version: str
) -> bytes:
    def counts(chosen: list[Entry]) -> dict[str, int]:
        todo = sum(1 for e in chosen if e.is_todo)
        return {"events": len(chosen) - todo, "waiting": todo}

    data = {
        "data_version": version,
        "working_days": calendar_version,
        "window": {"from": start.isoformat(), "to": end.isoformat()},
        "all": {"file": f"{FEEDS}/all.ics", **counts(all_entries)},
        "units": {
            u.name: {"file": u.file, "slug": u.slug, "roles": u.roles, **counts(u.entries)} for u in units
        },
    }
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
