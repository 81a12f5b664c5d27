"""Rule files: ``rules/*.yaml``, one plan per file, reviewed by a person.

Loading validates each file against the model and reports the first problem
as ``file:line: 'field' what is wrong``; nothing is guessed or dropped.
"""

from __future__ import annotations

import gc
import re
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from .errors import DeadlineError, PhraseError, RulesFileError

if TYPE_CHECKING:  # imported where a file is read: plans from the cache need neither
    from .records import Plan
    from .units import UnitRegistry
    from .yamlio import Lines

# Files in a rules folder that are not plans.
NOT_PLANS = {"units.yaml", "contacts.yaml"}

# Fields the short form writes under another name (model name -> file names).
_ALIASES = {"date": ("on",), "trigger": ("after", "waiting"), "offset": ("within",), "rules": ("due",)}


def _read_phrase(text: str, **context: Any) -> list[Any]:
    """:func:`deadlines.phrases.parse_phrase`, imported when a phrase is first read
    (a plan loaded from the cache needs no reader)."""
    from .phrases import parse_phrase

    return parse_phrase(text, **context)


def _guarded(read_phrase: Callable[..., list[Any]]) -> Callable[..., list[Any]]:
    """``read_phrase`` whose every failure is a :class:`PhraseError`: reported as
    ``file:line: field: what`` like any other problem of the file, never a traceback."""

    def read(text: str, **context: Any) -> list[Any]:
        try:
            return read_phrase(text, **context)
        except DeadlineError:
            raise
        except (ArithmeticError, ValueError, TypeError, IndexError, KeyError, RecursionError) as exc:
            raise PhraseError(text, f"cannot be read ({type(exc).__name__}: {exc})") from None

    return read


@contextmanager
def bulk_loading(*, freeze: bool = False) -> Iterator[None]:
    """The cycle collector paused while a plan set is read: one pause for the whole load.

    Reading 50,000 obligations makes millions of small objects (parser
    events, dicts, models); every few hundred of them start a collection,
    and each full collection walks every object alive, so the collector
    alone took a third of the time.  They form no cycles, so the pause frees
    nothing later that it would have freed sooner (the peak is the same).
    Nested pauses are one; the collector runs again after the outermost.

    ``freeze``: what was loaded lives as long as the process (a one-shot
    command): it is frozen (``gc.freeze``) before the collector runs again,
    so that no collection ever walks it.  Without it, the first collection
    after the pause walks what was loaded once.  A long-running process
    (``serve``) does not freeze: what it loads is replaced on each rebuild.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()


def plan_files(rules: str | Path | Iterable[str | Path]) -> list[Path]:
    """The plan files of a rules folder (``*.yaml``, sorted), or the files given."""
    if isinstance(rules, (str, Path)):
        path = Path(rules)
        if path.is_dir():
            return sorted(p for p in path.glob("*.yaml") if p.name not in NOT_PLANS)
        if not path.exists():
            raise RulesFileError(path, None, "no such file or folder")
        return [path]
    return [Path(p) for p in rules]


def _slug(stem: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-._")
    return slug or "plan"


def load_plan(
    path: str | Path,
    *,
    read_phrase: Callable[..., list[Any]] | None = _read_phrase,
    text: str | None = None,
    _ids: dict[str, tuple[Path, int]] | None = None,
) -> Plan:
    """Read and validate one rules file; phrases in ``due`` go to ``read_phrase``
    (``None`` keeps every phrase unread)."""
    return read_plan(path, read_phrase=read_phrase, text=text, _ids=_ids)[0]


def read_plan(
    path: str | Path,
    *,
    read_phrase: Callable[..., list[Any]] | None = _read_phrase,
    text: str | None = None,
    _ids: dict[str, tuple[Path, int]] | None = None,
) -> tuple[Plan, Lines]:
    """:func:`load_plan`, and the line of every value of the file (for reports that name lines).

    The file is read by the fast YAML reader where it may be
    (:func:`deadlines.yamlio.load_yaml`); a file with any problem is read
    again by the reference reader alone, so that every error is the one that
    reader gives, with its line.
    """
    from . import yamlio

    ids = {} if _ids is None else _ids
    before = dict(ids)
    try:
        return _read_plan(Path(path), read_phrase, text, ids, fast=None)
    except RulesFileError:
        if not yamlio.FAST:
            raise
        ids.clear()
        ids.update(before)
        return _read_plan(Path(path), read_phrase, text, ids, fast=False)


def _read_plan(
    path: Path, read_phrase: Callable[..., list[Any]] | None, text: str | None, ids: dict[str, tuple[Path, int]],
    *, fast: bool | None,
) -> tuple[Plan, Lines]:
    from . import model
    from .yamlio import load_yaml, validate

    data, lines = load_yaml(path, text, fast=fast)
    if not isinstance(data, dict):
        raise RulesFileError(path, 1, "a rules file is a mapping: title, year, obligations, …")
    data.setdefault("id", _slug(path.stem))
    _check_unique_ids(path, data, lines, ids)
    plan = validate(model.Plan, data, path, lines, aliases=_ALIASES, context=_reading(data, path, lines, read_phrase))
    return model.to_record(plan), lines


def _reading(data: dict, path: str | Path, lines: Lines, read_phrase: Callable[..., list[Any]] | None) -> dict:
    """The validation context that reads a plan's phrases: the reader, the plan year and issue date.

    The plan's own fields are checked first: the phrases are read in its year,
    so a year that is not one ('2015', 2015.5, 二〇一五) is reported as itself,
    with its line, before any phrase is read with it.
    """
    from .model import Plan
    from .yamlio import validate

    head = validate(Plan, {**data, "obligations": []}, path, lines, aliases=_ALIASES)
    reader = _guarded(read_phrase) if read_phrase is not None else None
    return {"read_phrase": reader, "year": head.year, "issued": head.issued}


def plan_from_data(
    data: dict[str, Any],
    *,
    read_phrase: Callable[..., list[Any]] | None = _read_phrase,
    source: str = "<data>",
) -> Plan:
    """A plan from a mapping shaped like a rules file, its phrases read by ``read_phrase``.

    This is the explicit path from data to a plan: ``Plan.model_validate``
    alone does not read Chinese (the model sits below the phrase reader) and
    refuses a phrase it is not told how to read.  ``read_phrase=None`` keeps
    every phrase as an unread rule.  A problem is a :class:`RulesFileError`
    naming ``source`` and the field.
    """
    if not isinstance(data, dict):
        raise RulesFileError(source, None, "a plan is a mapping: title, year, obligations, …")
    from . import model
    from .yamlio import validate

    lines = _keys(data)
    plan = validate(model.Plan, data, source, lines, aliases=_ALIASES,
                    context=_reading(data, source, lines, read_phrase))
    return model.to_record(plan)


def _keys(data: Any, key: tuple = ()) -> Lines:
    """Every key path of ``data`` with no line (data read from no file): errors still name the field."""
    found: Lines = {key: None}
    if isinstance(data, dict):
        for k, v in data.items():
            found.update(_keys(v, key + (k,)))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            found.update(_keys(v, key + (i,)))
    return found


def _check_unique_ids(path: Path, data: dict, lines: Lines, seen: dict[str, tuple[Path, int]]) -> None:
    """Obligation ids are unique (in ``seen``: this file, or the whole set); name both lines."""
    obligations = data.get("obligations")
    for i, ob in enumerate(obligations if isinstance(obligations, list) else []):
        ident = ob.get("id") if isinstance(ob, dict) else None
        if not isinstance(ident, str):
            continue
        line = lines.get(("obligations", i, "id"), 1)
        if ident in seen:
            first_path, first_line = seen[ident]
            if first_path == path:
                reason = f"obligation id '{ident}' appears twice (first on line {first_line})"
            else:
                reason = f"obligation id '{ident}' is also used in {first_path}:{first_line}"
            raise RulesFileError(path, line, reason, f"obligations[{i}].id")
        seen[ident] = (path, line)


def rules_folder(rules: str | Path) -> Path:
    """The rules folder a ``--rules`` argument names: the folder, or the one holding a rules file."""
    path = Path(rules)
    return path if path.is_dir() or not path.suffix else path.parent


def registry_path(rules: str | Path | Iterable[str | Path]) -> Path | None:
    """``units.yaml`` of a rules folder (or beside a rules file)."""
    if not isinstance(rules, (str, Path)):
        return None
    return rules_folder(rules) / "units.yaml"


def load_registry(rules: str | Path | Iterable[str | Path]) -> UnitRegistry:
    """The unit registry of a rules folder; empty when it has none."""
    from .units import UnitRegistry

    path = registry_path(rules)
    return UnitRegistry.load(path) if path is not None else UnitRegistry()


def resolve_units(plans: list[Plan], registry: UnitRegistry) -> list[Plan]:
    """Plans whose unit names are the registry's canonical names (unknown names kept)."""
    if not registry.entries:
        return plans
    # Obligations share few distinct unit lists: resolve each once, copy only what changes.
    resolved: dict[tuple, Any] = {}
    out = []
    for plan in plans:
        obligations = []
        for ob in plan.obligations:
            key = (plan.place, ob.units)
            if key not in resolved:
                resolved[key] = registry.canonical_units(plan.place, ob.units)[0]
            units = resolved[key]
            obligations.append(ob if units == ob.units else ob.model_copy(update={"units": units}))
        out.append(plan.model_copy(update={"obligations": obligations}))
    return out


def phrase_memo(read_phrase: Callable[..., list[Any]] = _read_phrase) -> Callable[..., list[Any]]:
    """``read_phrase`` that reads each phrase once: plans repeat their time limits.

    The rules are frozen, so obligations with the same time limit share them.
    """
    seen: dict[tuple, list[Any]] = {}

    def read(text: str, **context: Any) -> list[Any]:
        key = (text, *sorted(context.items()))
        if key not in seen:
            seen[key] = read_phrase(text, **context)
        return seen[key]

    return read


def load_plans(
    rules: str | Path | Iterable[str | Path] = "rules",
    *,
    read_phrase: Callable[..., list[Any]] | None = _read_phrase,
    canonical_units: bool = True,
) -> list[Plan]:
    """Load every plan of a rules folder (or the given files), checked across files.

    Plan ids and obligation ids must be unique across the whole set: a trigger
    or a feed event names an obligation by id alone.  Unit names are resolved
    through the folder's ``units.yaml`` (``canonical_units=False``: as written).
    """
    plans: list[Plan] = []
    plan_ids: dict[str, Path] = {}
    obligation_ids: dict[str, tuple[Path, int]] = {}
    if read_phrase is not None:
        read_phrase = phrase_memo(read_phrase)
    with bulk_loading():
        for path in plan_files(rules):
            plan = load_plan(path, read_phrase=read_phrase, _ids=obligation_ids)
            if plan.id in plan_ids:
                raise RulesFileError(path, 1, f"plan id '{plan.id}' is also used by {plan_ids[plan.id]}", "id")
            plan_ids[plan.id] = path
            plans.append(plan)
        return resolve_units(plans, load_registry(rules)) if canonical_units else plans
