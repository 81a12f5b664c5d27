"""The records (deadlines.records) against the models they are made from (deadlines.model).

Every command past reading a file works on records; the models validate.  A
record class must have its model's fields in the same order, the same
defaults and the same methods, and its dumps must be the model's: these
tests fail when a field is added to one and not the other.
"""

from __future__ import annotations

import datetime as dt
from datetime import date
import pickle
import subprocess
import sys
from pathlib import Path
from types import UnionType
from typing import Annotated, Union, get_args, get_origin

import pytest
from pydantic import BaseModel

from deadlines import model, records
from deadlines.rulesfile import load_plans

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("cls", model._MODELS, ids=lambda c: c.__name__)
def test_each_record_has_its_models_fields_in_order_with_its_defaults(cls):
    record = model.RECORD_OF[cls]
    assert record.__name__ == cls.__name__
    assert record._fields == tuple(cls.model_fields)
    for name, info in cls.model_fields.items():
        if info.is_required():
            assert name not in record._defaults, name
            continue
        default = info.default_factory() if info.default_factory is not None else info.default
        assert record.default(name) == default, name


def _parts(annotation):
    if get_origin(annotation) is Annotated:
        return _parts(get_args(annotation)[0])
    if get_origin(annotation) in (Union, UnionType):
        return [p for a in get_args(annotation) for p in _parts(a)]
    return [annotation]


@pytest.mark.parametrize("cls", model._MODELS, ids=lambda c: c.__name__)
def test_each_record_says_which_fields_are_not_plain_json(cls):
    """``_types`` (how the plan cache types a field again) agrees with the model's annotations."""
    record = model.RECORD_OF[cls]
    for name, info in cls.model_fields.items():
        found = [p for p in _parts(info.annotation) if p is not type(None)]
        kind = record._types.get(name)
        if dt.datetime in found:  # an event's moment: a day or a day and a time; not kept in the cache
            assert kind is None, name
        elif dt.date in found:
            assert kind is dt.date, name
        elif dt.time in found:
            assert kind is dt.time, name
        elif len(found) == 1 and isinstance(found[0], type) and issubclass(found[0], BaseModel):
            assert kind is model.RECORD_OF[found[0]], name
        else:
            assert kind is None, name


@pytest.fixture(scope="module")
def bundled():
    """The bundled plans validated (models) and as the loader gives them (records)."""
    from deadlines.rulesfile import _ALIASES, _reading, phrase_memo, plan_files
    from deadlines.yamlio import load_yaml, validate

    read = phrase_memo()  # as the loader reads: a phrase once, its rules shared
    pairs = []
    for path in plan_files(ROOT / "rules"):
        data, lines = load_yaml(path)
        data.setdefault("id", path.stem)
        validated = validate(model.Plan, data, path, lines, aliases=_ALIASES,
                             context=_reading(data, path, lines, read))
        pairs.append((validated, model.to_record(validated)))
    return pairs


def test_a_plans_record_equals_its_model_and_dumps_as_it_does(bundled):
    for validated, record in bundled:
        assert isinstance(record, records.Plan)
        assert record == validated and validated == record
        assert record.model_dump(mode="json") == validated.model_dump(mode="json")
        assert record.model_dump() == validated.model_dump()
        assert record.model_dump(mode="json", exclude={"obligations"}) == validated.model_dump(
            mode="json", exclude={"obligations"})
        for ob_record, ob in zip(record.obligations, validated.obligations, strict=True):
            assert isinstance(ob_record, records.Obligation)
            assert ob_record.units.all() == ob.units.all() and ob_record.source.shown() == ob.source.shown()
            for rule_record, rule in zip(ob_record.rules, ob.rules, strict=True):
                assert type(rule_record) is records.RULE_RECORDS[rule.kind]
                assert rule_record.model_dump(mode="json", exclude_defaults=True) == rule.model_dump(
                    mode="json", exclude_defaults=True)


def test_a_record_is_not_equal_to_another_of_other_fields(bundled):
    validated, record = bundled[0]
    first, second = record.obligations[:2]
    assert first != second and first != validated.obligations[1]
    assert first.units == first.units.model_copy() and hash(first.units) == hash(first.units.model_copy())
    assert first.units != "not a record"


def test_a_copy_changes_only_what_it_is_told(bundled):
    validated, record = bundled[0]
    ob, ob_model = record.obligations[0], validated.obligations[0]
    units = records.Units(lead=("某局",))
    copied = ob.model_copy(update={"units": units})
    assert copied.units is units and copied.title == ob.title and ob.units != units
    assert copied == ob_model.model_copy(update={"units": model.Units(lead=("某局",))})
    with pytest.raises(TypeError, match="no field"):
        ob.model_copy(update={"unit": units})


def test_what_was_shared_stays_shared(bundled):
    """One phrase read once gives its rule objects to every obligation repeating it; so do the records."""
    shared = 0
    for validated, record in bundled:
        pairs = [(m.rules[0], r.rules[0]) for m, r in zip(validated.obligations, record.obligations) if m.rules]
        for rule_model, rule in pairs:
            for other_model, other in pairs:
                if rule_model is other_model:
                    assert rule is other
        shared += len(pairs) - len({id(m) for m, _ in pairs})
    assert shared > 0


def test_a_record_made_by_keywords_takes_the_defaults_and_refuses_what_is_not_a_field():
    ob = records.Obligation(id="x-1", title="某项任务")
    assert ob.rules == [] and ob.units == records.Units() and ob.source.line is None
    assert records.Obligation(id="x-2", title="另一项").rules is not ob.rules  # a list of its own
    assert records.Policy().timely == model.Policy().timely
    with pytest.raises(TypeError, match="missing 1 required keyword-only argument: 'title'"):
        records.Obligation(id="x-3")
    with pytest.raises(TypeError, match="unexpected keyword argument 'due'"):
        records.Obligation(id="x-4", title="t", due="每月10日前")
    assert records.Units(("局",)) == records.Units(lead=("局",))  # in order, as far as the defaults allow


def test_records_pickle_and_print_as_the_models_do(bundled):
    validated, record = bundled[0]
    assert pickle.loads(pickle.dumps(record)) == record
    offset = records._Offset(n=2, unit="workday")
    assert repr(offset) == repr(model._Offset(n=2, unit="workday")) and offset.zh() == "2个工作日"


def test_a_command_on_cached_plans_imports_no_pydantic(tmp_path):
    """`deadlines due` on plans read before: the records only (pydantic is for reading a file)."""
    rules = tmp_path / "rules"
    rules.mkdir()
    for path in (ROOT / "rules").glob("*.yaml"):
        (rules / path.name).write_bytes(path.read_bytes())
    script = (
        "import sys\n"
        "from deadlines.cli import main\n"
        "try:\n"
        f"    main(['due', '--rules', {str(rules)!r}, '--today', '2015-07-08', '--next-week'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('_hashlib' in sys.modules, 'dataclasses' in sys.modules)\n"
        "print(sorted(n for n in sys.modules if n.split('.')[0] in ('pydantic', 'pydantic_core')))\n"
    )
    first = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=tmp_path)
    assert "'pydantic'" in first.stdout.splitlines()[-1]  # the files were read and validated
    again = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=tmp_path)
    assert again.stdout.splitlines()[-1] == "[]"
    # nor OpenSSL's hashing (small files: the interpreter's own SHA-256) nor dataclasses
    assert again.stdout.splitlines()[-2] == "False False"
    assert again.stdout.splitlines()[:-2] == first.stdout.splitlines()[:-2]  # the same answer


def test_the_loader_gives_records():
    plans = load_plans(ROOT / "rules")
    assert plans and all(isinstance(p, records.Plan) for p in plans)
    assert all(type(r).__module__ == "deadlines.records" for p in plans for ob in p.obligations for r in ob.rules)


def test_a_record_class_is_written_on_first_use_and_once():
    """``__init__`` and ``make`` are written when the class is first used, whichever comes first;
    a ``make`` taken before that gives records too (a loop may take it once and call it often)."""
    class Pair(records.Record):
        left: int
        right: int = 0
        items: list[int] = records.New(list)

    made = Pair.make  # taken before anything was written
    assert "_written" not in Pair.__dict__
    assert made(1, 2, [3]) == Pair(1, 2, [3]) and Pair(1).items == [] and Pair(1).items is not Pair(1).items
    assert Pair.__dict__["_written"] and Pair.make(4, 5, []).values() == (4, 5, [])
    assert repr(Pair(left=1)) == "Pair(left=1, right=0, items=[])"
    with pytest.raises(TypeError):
        Pair()


def test_a_field_may_not_hide_what_every_record_has():
    with pytest.raises(TypeError, match="may not be named values"):
        class Counted(records.Record):
            values: list[int]


def test_what_a_caller_gives_the_workspace_is_checked_by_the_model(tmp_path):
    """An event or a done mark made from a caller's values goes through the model: a date given as
    text is a date (the record alone would keep the text and fail later, far from the call)."""
    import shutil
    from datetime import date, datetime

    import deadlines

    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    ws = deadlines.open(rules)
    found = ws.record("zs2015-5", on="2015-09-30", at=datetime(2015, 9, 30, 9))
    assert found.event.on == date(2015, 9, 30) and isinstance(found.event, records.TriggerEvent)


def test_a_record_keeps_its_own_check_on_replace_and_defines_no_init_of_its_own():
    from deadlines.errors import WindowError
    from deadlines.workspace import Window

    week = Window(date(2024, 1, 1), date(2024, 1, 7))
    with pytest.raises(WindowError):
        week.replace(start=date(2025, 1, 1))
    with pytest.raises(TypeError, match="does not define __init__"):
        class Own(records.Record):
            a: int

            def __init__(self, a):
                self.a = a


def test_a_record_and_its_equal_model_hash_alike(bundled):
    validated, record = bundled[0]
    ob, ob_model = record.obligations[0], validated.obligations[0]
    assert ob.units == ob_model.units and hash(ob.units) == hash(ob_model.units)
    assert len({ob.units, ob_model.units}) == 1
