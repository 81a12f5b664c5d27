"""A cache of validated plans: a rules file is read and checked once, then loaded fast.

Reading a rules file keeps the line of every value (for ``file:line`` errors)
and reads every phrase; for a province-scale plan set (50,000 obligations)
that takes far longer than a daily ``deadlines due`` may.  Once a file has
been read without error, its plan is kept in ``.deadlines/cache/`` beside the
rules folder, keyed by the file's content and by the code that read it (the
package version and its source).  A changed file, or another version of
deadlines, is read again the slow way, so errors are always reported as
``file:line`` exactly as without the cache; a cache file that cannot be read
or written is passed over.

The cached form is compact: the plan's own fields, each distinct rule once,
and the obligations as columns whose units, sources and rule lists are
numbers into tables of distinct values.  Everything in it was validated when
the file was read, so it is rebuilt as records (:mod:`deadlines.records`)
without validating it again: a command on cached plans imports no pydantic.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Callable, Iterator

from .records import RULE_RECORDS, Obligation, Plan, Record, Source, Units, _Offset

FORMAT = 4


def sha256(data: bytes = b"") -> Any:
    """A SHA-256 hash object: the interpreter's own for a few hundred kilobytes, OpenSSL's beyond.

    Importing ``hashlib`` loads OpenSSL's binding (4 ms, a twentieth of a
    ``deadlines due`` on a small folder); the interpreter's own SHA-256 needs
    no import but is eight times slower per byte (43 ms against 6 ms on a
    province's 8 MB of rules).  The digest is the same either way.
    """
    if len(data) < _OWN_SHA256_UP_TO:
        import importlib
        import sys

        try:  # the interpreter's module: _sha256 up to CPython 3.11, _sha2 from 3.12
            return importlib.import_module("_sha2" if sys.version_info >= (3, 12) else "_sha256").sha256(data)
        except ImportError:
            pass  # an interpreter without it: OpenSSL's
    import hashlib

    return hashlib.sha256(data)


_OWN_SHA256_UP_TO = 256 * 1024


# The modules that read a rules file into a plan; the engine, the CLI and the
# rest do not change what a file means.
# tests/test_plancache.py checks that loading a plan imports nothing else.
READERS = ("errors.py", "messages.py", "i18n.py", "dates.py", "roles.py", "chinese.py", "model.py", "records.py",
           "rulesfile.py",
           "yamlio.py", "plancache.py", "workdays.py", "units.py", "phrases")


@cache
def code_fingerprint() -> str:
    """What a cached plan was read with: the source that reads plans, the Python, and pydantic.

    The source itself, not the package's version: a change to the reader is
    a new fingerprint even without a new version, and asking the installed
    metadata for the version (``importlib.metadata``) cost every command
    more than reading these files does.  pydantic (which validated the plan)
    by its ``version.py``, read, not imported: a command on cached plans
    imports no pydantic at all.
    """
    import importlib.util
    import sys

    digest = sha256(f"{FORMAT}:{sys.version_info[:2]}".encode())
    package = Path(__file__).resolve().parent
    paths = [package / name for name in READERS if name.endswith(".py")]
    paths += [p for name in READERS if not name.endswith(".py") for p in (package / name).rglob("*.py")]
    for path in sorted(paths):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    spec = importlib.util.find_spec("pydantic")
    if spec is not None and spec.origin:
        digest.update(Path(spec.origin).with_name("version.py").read_bytes())
    return digest.hexdigest()


# --------------------------------------------------------------------------
# The cached form


# The fields of an obligation kept as a number into a table of their distinct
# values (a province's 50,000 obligations name a few thousand units lists,
# sources, rule lists and flag lists): the obligations are columns, one list
# per field, so that reading them back makes few objects besides the texts.
_TABLED = ("source", "units", "rules", "remind", "review", "flags")


def dump_plan(plan: Plan) -> dict[str, Any]:
    """The compact, JSON-ready form of a validated plan: its own fields, each distinct rule once,
    and the obligations as columns (:data:`_TABLED` fields as numbers into tables)."""
    rules: list[dict[str, Any]] = []
    numbers: dict[str, int] = {}
    # A phrase read once gives every obligation that repeats it the same rule
    # objects: each is dumped once (``seen`` keeps them alive, so ids stay theirs).
    seen: dict[int, tuple[Any, int]] = {}

    def rule_number(rule: Any) -> int:
        found = seen.get(id(rule))
        if found is None:
            data = rule.model_dump(mode="json")
            key = json.dumps(data, sort_keys=True, ensure_ascii=False)
            if key not in numbers:
                numbers[key] = len(rules)
                rules.append(data)
            found = seen[id(rule)] = (rule, numbers[key])
        return found[1]

    keys: dict[str, Callable[[Any], Any]] = {
        "source": lambda source: source.values(),
        "units": lambda units: units.values(),
        "rules": lambda found: tuple(map(rule_number, found)),
        "remind": lambda offset: offset and offset.values(),
        "review": tuple,
        "flags": tuple,
    }
    tables: dict[str, dict[Any, int]] = {name: {} for name in _TABLED}
    columns: dict[str, list[Any]] = {name: [] for name in Obligation._fields}
    for ob in plan.obligations:
        for name, column in columns.items():
            value = getattr(ob, name)
            if name in tables:
                key = keys[name](value)
                table = tables[name]
                value = table.get(key)
                if value is None:
                    value = table[key] = len(table)
            column.append(value)
    meta = plan.model_dump(mode="json", exclude={"obligations"})
    return {"plan": meta, "rules": rules, "fields": list(columns), "tables": {name: list(t) for name, t in tables.items()},
            "obligations": list(columns.values())}


def load_dumped(data: dict[str, Any]) -> Plan:
    """The plan of :func:`dump_plan`'s output, as records (no validation: it was validated when read).

    A form written for other fields of an obligation is refused (``ValueError``:
    the file is read again)."""
    if data["fields"] != list(Obligation._fields):
        raise ValueError("the cached obligations have other fields")
    rules = [_rebuilt(RULE_RECORDS[r["kind"]], r) for r in data["rules"]]
    made = {
        "source": lambda values: Source.make(*values),
        "units": lambda values: Units.make(*map(tuple, values)),
        "rules": lambda refs: list(map(rules.__getitem__, refs)),
        "remind": lambda values: values and _Offset.make(*values),
        "review": list,
        "flags": list,
    }
    # Obligations of one distinct value share its record or list: records are read-only.
    tables = {name: [made[name](values) for values in found] for name, found in data["tables"].items()}
    columns = [map(tables[name].__getitem__, column) if name in tables else column
               for name, column in zip(Obligation._fields, data["obligations"], strict=True)]
    return _rebuilt(Plan, {**data["plan"], "obligations": list(map(Obligation.make, *columns))})


def _rebuilt(cls: type[Record], dumped: dict[str, Any]) -> Any:
    """The record ``cls`` from its ``model_dump(mode="json")``: dates, times and records typed again
    by the record's ``_types``; a field not in ``dumped`` (added since) takes its default."""
    types = cls._types
    values = []
    for name in cls._fields:
        if name in dumped:
            value = dumped[name]
            kind = types.get(name)
            if value is not None and kind is not None:
                value = _rebuilt(kind, value) if issubclass(kind, Record) else kind.fromisoformat(value)
        else:
            value = cls.default(name)
        values.append(value)
    return cls.make(*values)


# --------------------------------------------------------------------------
# Loading a rules folder through the cache


def _entry(cache_dir: Path, path: Path) -> Path:
    where = sha256(str(path.resolve()).encode()).hexdigest()[:16]
    return cache_dir / f"{path.stem}-{where}.json"


def _read_entry(entry: Path, key: str, decode: Callable[[dict[str, Any]], Any] = load_dumped) -> Any:
    """What a cache entry holds, if it was made for ``key``; else None."""
    try:
        data = json.loads(entry.read_bytes())
        if data.get("key") != key:
            return None
        return decode(data)
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None  # missing, stale or damaged: read the file instead


def _write_json(entry: Path, data: dict[str, Any]) -> None:
    from .atomic import write_atomic
    from .errors import StorageError

    try:
        write_atomic(entry, json.dumps(data, ensure_ascii=False))
    except (OSError, StorageError):
        pass  # a cache that cannot be written only costs time


def _key(content: bytes) -> str:
    """What a cache entry is valid for: the file's bytes and the code that reads them."""
    from .i18n import language

    # the language too: a plan's notes and flags are read in the language in use
    return sha256(content + code_fingerprint().encode() + language().encode()).hexdigest()


def _through_cache(
    cache_dir: str | Path,
    path: Path,
    load: Callable[[Path], Any],
    encode: Callable[[Any], dict[str, Any]],
    decode: Callable[[dict[str, Any]], Any],
    write: bool = True,
) -> Any:
    """``load(path)``, or what an entry keyed by the file's content says it gives.

    ``write=False`` reads the cache but adds nothing to it.
    """
    try:
        key = _key(path.read_bytes())
    except OSError:
        return load(path)  # names the problem
    entry = _entry(Path(cache_dir), path)
    found = _read_entry(entry, key, decode)
    if found is not None:
        return found
    value = load(path)
    if write:
        _write_json(entry, {"key": key, **encode(value)})
    return value


# The lines ``deadlines check`` names besides each obligation's id (deadlines.review).
_PLAN_LINES = ("id", "review", "period", "year")


def _dumped_lines(plan: Plan, lines: dict[tuple, int]) -> dict[str, Any]:
    """The lines a cached plan's findings name: the plan's own fields and each obligation's id."""
    return {"plan": {name: lines[(name,)] for name in _PLAN_LINES if (name,) in lines},
            "obligations": [lines.get(("obligations", i, "id")) for i in range(len(plan.obligations))]}


def _loaded_lines(data: dict[str, Any]) -> dict[tuple, int]:
    lines: dict[tuple, int] = {(name,): line for name, line in data["plan"].items()}
    for i, line in enumerate(data["obligations"]):
        if line is not None:
            lines[("obligations", i, "id")] = line
    return lines


def _encoded(plan: Plan, lines: dict[tuple, int]) -> dict[str, Any]:
    """A cache entry's body: the plan and the lines its findings name."""
    return {**dump_plan(plan), "lines": _dumped_lines(plan, lines)}


def _write_entry(entry: Path, key: str, plan: Plan, lines: dict[tuple, int]) -> None:
    _write_json(entry, {"key": key, **_encoded(plan, lines)})


def read_plan_cached(
    path: Path, cache_dir: str | Path, *, read_phrase: Callable[..., list[Any]], ids: dict[str, tuple[Path, int]],
) -> tuple[Plan, dict[tuple, int]]:
    """:func:`deadlines.rulesfile.read_plan` through the cache: the plan, and the lines its findings name.

    ``ids`` are the obligation ids of the files read before (and where);
    a cached plan that repeats one is read again, so the clash is reported
    as the reader reports it, with both lines.
    """
    from .rulesfile import read_plan

    def decode(data: dict[str, Any]) -> tuple[Plan, dict[tuple, int]] | None:
        plan, lines = load_dumped(data), _loaded_lines(data["lines"])
        own = {ob.id: (path, lines.get(("obligations", i, "id"), 1)) for i, ob in enumerate(plan.obligations)}
        if not own.keys().isdisjoint(ids):
            return None  # read again: the reader names the clash
        ids.update(own)
        return plan, lines

    return _through_cache(cache_dir, path, lambda p: read_plan(p, read_phrase=read_phrase, _ids=ids),
                          lambda found: _encoded(*found), decode)


def load_plans_cached(rules: str | Path, cache_dir: str | Path) -> list[Plan]:
    """:func:`deadlines.rulesfile.load_plans` through the cache in ``cache_dir``.

    Same result, same errors: any file not in the cache, and any set whose
    ids clash across files, goes through the loader itself.  Unit names are
    resolved through the folder's ``units.yaml`` as the loader does.  The
    whole load is one pause of the cycle collector (:func:`~deadlines.rulesfile.bulk_loading`).
    """
    from .rulesfile import bulk_loading, resolve_units

    with bulk_loading():
        return resolve_units(_load_cached(rules, cache_dir), load_registry_cached(rules, cache_dir))


def load_registry_cached(rules: str | Path, cache_dir: str | Path) -> Any:
    """The folder's unit registry (``units.yaml``) through the cache, keyed like the plans."""
    from .rulesfile import registry_path
    from .units import UnitEntry, UnitRegistry

    path = registry_path(rules)
    if path is None or not path.is_file():
        return UnitRegistry(path=path)
    return _through_cache(
        cache_dir, path, UnitRegistry.load,
        lambda registry: {"units": [[e.canonical, e.place, e.group, e.aliases, e.members, e.all_except]
                                    for e in registry.entries.values()]},
        lambda data: UnitRegistry([UnitEntry(*e) for e in data["units"]], path=path),
    )


def _load_cached(rules: str | Path, cache_dir: str | Path) -> list[Plan]:
    from .errors import RulesFileError
    from .rulesfile import load_plans, phrase_memo, plan_files, read_plan

    paths = plan_files(rules)
    cache_dir = Path(cache_dir)
    plans: list[Plan | None] = []
    missing: list[tuple[int, Path, str]] = []
    for i, path in enumerate(paths):
        try:
            content = path.read_bytes()
        except OSError:
            return load_plans(paths, canonical_units=False)  # the loader names the problem
        key = _key(content)
        plan = _read_entry(_entry(cache_dir, path), key)
        if plan is None:
            missing.append((i, path, key))
        plans.append(plan)
    read_phrase = phrase_memo()
    for i, path, key in missing:
        try:
            plan, lines = read_plan(path, read_phrase=read_phrase)
        except RulesFileError:
            return load_plans(paths, canonical_units=False)  # raises the first error of the set, as without the cache
        plans[i] = plan
        _write_entry(_entry(cache_dir, path), key, plan, lines)
    plan_ids: set[str] = set()
    obligation_ids: set[str] = set()
    count = 0
    for plan in plans:
        plan_ids.add(plan.id)
        count += len(plan.obligations)
        obligation_ids.update(ob.id for ob in plan.obligations)
    if len(plan_ids) != len(plans) or len(obligation_ids) != count:
        return load_plans(paths, canonical_units=False)  # reports the clash with both files and lines
    return plans  # type: ignore[return-value]


# --------------------------------------------------------------------------
# Working-day override files (rules/calendars/*.yaml and the package's own)


def override_reader(cache_dir: str | Path, *, write: bool = True) -> Callable[[Path], Any]:
    """A ``read_override`` for :class:`deadlines.workdays.WorkCalendar` that keeps
    what it read in ``cache_dir``, keyed like the plans (``write=False``: reads
    what is there and adds nothing)."""
    from .workdays import Notice, _load_override, _Override

    def encode(found: Any) -> dict[str, Any]:
        n = found.notice
        return {
            "notice": {"year": n.year, "notice": n.notice, "title": n.title, "url": n.url,
                       "published": n.published and n.published.isoformat(), "file": n.file,
                       "source": n.source, "whole_year": n.whole_year, "amended_by": list(n.amended_by)},
            "rest_days": {d.isoformat(): v for d, v in found.rest_days.items()},
            "workdays": {d.isoformat(): v for d, v in found.workdays.items()},
        }

    def decode(data: dict[str, Any]) -> Any:
        n = data["notice"]
        notice = Notice(n["year"], n["notice"], n["title"], n["url"],
                        n["published"] and date.fromisoformat(n["published"]), n["file"],
                        n["source"], n["whole_year"], tuple(n["amended_by"]))
        return _Override(notice, {date.fromisoformat(d): v for d, v in data["rest_days"].items()},
                         {date.fromisoformat(d): v for d, v in data["workdays"].items()})

    def read(path: Path) -> Any:
        return _through_cache(cache_dir, Path(path), _load_override, encode, decode, write)

    return read


# --------------------------------------------------------------------------
# Pinyin of the names met before


@contextmanager
def pinyin_remembered(cache_dir: str | Path, *, keep: bool = True) -> Iterator[None]:
    """Within it, :func:`deadlines.ical.pinyin_ascii` knows the texts the last run with this cache
    asked for; with ``keep``, the texts this run asks for are kept for the next (only those: a
    unit renamed is not kept for ever).  Kept for the code that makes them only: this package's
    ``ical.py``, the pypinyin installed, the Python and its Unicode data."""
    from . import ical

    entry = Path(cache_dir) / "pinyin.json"
    key = _pinyin_key()
    kept: dict[str, dict[str, str]] = {}
    try:
        data = json.loads(entry.read_bytes())
        if isinstance(data, dict) and data.get("key") == key and isinstance(data.get("texts"), dict):
            kept = {sep: {t: a for t, a in texts.items() if isinstance(t, str) and isinstance(a, str)}
                    for sep, texts in data["texts"].items() if isinstance(texts, dict)}
    except (OSError, ValueError):
        pass  # none yet, or unreadable: a cache only saves time
    outer = ical.PINYIN
    ical.PINYIN = {}  # what this run asks for
    ical.PINYIN_KEPT = {sep: {**outer.get(sep, {}), **kept.get(sep, {})} for sep in {*outer, *kept}}
    try:
        yield
    finally:
        used = ical.PINYIN
        ical.PINYIN, ical.PINYIN_KEPT = outer, {}
        for sep, texts in used.items():
            outer.setdefault(sep, {}).update(texts)
        used = {sep: dict(sorted(texts.items())) for sep, texts in sorted(used.items()) if texts}
        if keep and used != kept:
            _write_json(entry, {"key": key, "texts": used})


def _pinyin_key() -> str:
    """What the pinyin of a text depends on: the code that makes it, pypinyin's version (read from
    its source, not its metadata: importing ``importlib.metadata`` costs more than this), the
    Python and its Unicode data."""
    import importlib.util
    import sys
    import unicodedata

    digest = sha256(f"{sys.version_info[:2]}:{unicodedata.unidata_version}".encode())
    spec = importlib.util.find_spec("pypinyin")
    for path in (Path(__file__).with_name("ical.py"), Path(spec.origin) if spec and spec.origin else None):
        if path is not None:
            digest.update(path.read_bytes())
    return digest.hexdigest()
