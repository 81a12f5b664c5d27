"""The plan cache gives the plans the loader gives, and the loader's errors."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

from deadlines import RulesFileError, load_plans
from deadlines.plancache import load_plans_cached
from deadlines.rulesfile import load_plan

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from synthetic import write_plan_set  # noqa: E402

SHORT_FORMS = """
id: forms
title: 各种写法
year: 2015
issued: 2015-06-01
period: {start: 2015-03-01, end: 2016-02-29}
policy: {roll: true, timely: {days: 15}}
obligations:
  - id: f-1
    source: {document: 某文件, item: "1.2"}
    category: 公开
    title: 固定日期
    requirement: 做好某项工作。
    units: {lead: [甲局, 乙局], responsible: 丙局, cooperating: [丁局]}
    due_text: 2015年7月、12月
    due: [{on: 2015-07-31}, {on: 2015-12-31, roll: false}]
  - id: f-2
    title: 周期
    units: {lead: [甲局]}
    due: {every: quarter, month: 1, day: 25, months: [1, 7]}
  - id: f-3
    title: 触发
    due: {after: 审批, within: {workdays: 2}, window: {workdays: 1}}
  - id: f-4
    title: 读不懂
    units: {lead: [甲局]}
    due: 信息公开年度报
  - id: f-5
    title: 短语
    units: {lead: [甲局]}
    due: 每季度结束后20日内；每周一下午；本方案印发后30个工作日内
    flags: [duplicate-row]
  - id: f-6
    title: 持续
    units: {lead: [甲局]}
    due: {kind: ongoing, start: 2015-06-01}
"""


def test_a_cached_plan_equals_the_plan_read_from_its_file(tmp_path, write_rules):
    write_rules(SHORT_FORMS, "forms.yaml")
    write_plan_set(tmp_path / "rules", units=40, obligations=400, plans=2)
    folder = tmp_path / "rules"
    fresh = load_plans(folder)
    cache = tmp_path / "cache"
    first = load_plans_cached(folder, cache)
    assert len(list(cache.glob("*.json"))) == 3
    again = load_plans_cached(folder, cache)
    assert first == fresh and again == fresh
    assert [p.model_dump() for p in again] == [p.model_dump() for p in fresh]
    assert again[0].obligations[0] is not fresh[0].obligations[0]


def test_the_bundled_rules_through_the_cache(tmp_path):
    cache = tmp_path / "cache"
    load_plans_cached(ROOT / "rules", cache)
    assert load_plans_cached(ROOT / "rules", cache) == load_plans(ROOT / "rules")


def test_a_changed_file_is_read_again(tmp_path, write_rules):
    path = write_rules(SHORT_FORMS, "forms.yaml")
    cache = tmp_path / "cache"
    load_plans_cached(path.parent, cache)
    path.write_text(path.read_text(encoding="utf-8").replace("title: 固定日期", "title: 新标题"), encoding="utf-8")
    (plan,) = load_plans_cached(path.parent, cache)
    assert plan.obligations[0].title == "新标题"


def test_errors_are_the_loaders_own(tmp_path, write_rules):
    path = write_rules(SHORT_FORMS, "forms.yaml")
    cache = tmp_path / "cache"
    load_plans_cached(path.parent, cache)
    path.write_text(path.read_text(encoding="utf-8").replace("{on: 2015-07-31}", "{on: 2015-02-30}"),
                    encoding="utf-8")
    with pytest.raises(RulesFileError) as cached:
        load_plans_cached(path.parent, cache)
    with pytest.raises(RulesFileError) as direct:
        load_plans(path.parent)
    assert str(cached.value) == str(direct.value)
    assert str(cached.value).startswith(f"{path}:15: obligations[0].due[0].on: 不是有效日期")


def test_ids_are_checked_across_files_even_when_each_file_is_cached(tmp_path, write_rules):
    cache = tmp_path / "cache"
    write_rules("title: 甲\nyear: 2015\nobligations: [{id: x-1, title: 一, due: 2015年7月}]\n", "a.yaml")
    b = write_rules("title: 乙\nyear: 2015\nobligations: [{id: x-2, title: 二, due: 2015年8月}]\n", "b.yaml")
    assert len(load_plans_cached(b.parent, cache)) == 2
    b.write_text(b.read_text(encoding="utf-8").replace("x-2", "x-1"), encoding="utf-8")
    load_plan(b)  # fine on its own
    with pytest.raises(RulesFileError, match="obligation id 'x-1' is also used in .*a.yaml:3"):
        load_plans_cached(b.parent, cache)


def test_a_damaged_cache_is_passed_over(tmp_path, write_rules):
    path = write_rules(SHORT_FORMS, "forms.yaml")
    cache = tmp_path / "cache"
    load_plans_cached(path.parent, cache)
    for entry in cache.glob("*.json"):
        entry.write_text('{"key": "', encoding="utf-8")
    assert load_plans_cached(path.parent, cache) == load_plans(path.parent)
    for entry in cache.glob("*.json"):  # and mended
        assert entry.read_text(encoding="utf-8").startswith('{"key": "')
        assert len(entry.read_text(encoding="utf-8")) > 100


def test_one_phrase_is_read_once_and_its_rules_shared(tmp_path):
    write_plan_set(tmp_path / "rules", units=10, obligations=200, plans=1)
    (plan,) = load_plans(tmp_path / "rules")
    by_text: dict[str, list] = {}
    for ob in plan.obligations:
        by_text.setdefault(ob.due_text, []).append(ob)
    shared = [obs for obs in by_text.values() if len(obs) > 1]
    assert shared
    for obs in shared:
        assert all(o.rules[0] is obs[0].rules[0] for o in obs)
    alone = load_plan(next((tmp_path / "rules").glob("*.yaml")))  # without the memo: equal, not shared
    assert alone == plan


def test_working_day_overrides_through_the_cache(tmp_path):
    from deadlines.plancache import override_reader
    from deadlines.workdays import WorkCalendar, _load_override, package_override_files

    user = tmp_path / "calendars" / "2027.yaml"
    user.parent.mkdir()
    user.write_text(
        "year: 2027\nnotice: 国办发明电〔2026〕1号\nrest_days:\n  - {from: 2027-02-05, to: 2027-02-11, name: 春节}\n"
        "workdays:\n  - {date: 2027-02-14, name: 春节}\n",
        encoding="utf-8",
    )
    read = override_reader(tmp_path / "cache")
    for path in [*package_override_files(), user]:
        assert read(path) == _load_override(path)  # read and kept
        assert read(path) == _load_override(path)  # from the cache
    assert len(list((tmp_path / "cache").glob("*.json"))) == len(package_override_files()) + 1
    cached = WorkCalendar(override_dirs=[user.parent], read_override=read)
    assert cached.add_workdays(date(2027, 2, 4), 2) == date(2027, 2, 14)
    assert cached.data_version == WorkCalendar(override_dirs=[user.parent]).data_version


def test_the_unit_registry_through_the_cache(tmp_path):
    from deadlines.plancache import load_registry_cached
    from deadlines.units import UnitRegistry

    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "units.yaml").write_bytes((ROOT / "rules" / "units.yaml").read_bytes())
    cache = tmp_path / "cache"
    first = load_registry_cached(rules, cache)
    assert list(cache.glob("units-*.json"))
    again = load_registry_cached(rules, cache)
    assert again.dump() == first.dump() == UnitRegistry.load(rules / "units.yaml").dump()
    # A changed registry is read again.
    with (rules / "units.yaml").open("a", encoding="utf-8") as f:
        f.write("某县:\n  某县财政局:\n    aliases: [县财政局]\n")
    assert load_registry_cached(rules, cache).resolve("某县", "县财政局") == "某县财政局"


def test_the_cache_key_covers_all_the_code_that_reads_a_plan(tmp_path, write_rules):
    """A cached plan is valid for the code that read it: every module that reading a
    rules folder imports (phrases, units, calendar files) is part of the key."""
    import json
    import subprocess

    from deadlines.plancache import READERS

    path = write_rules(SHORT_FORMS, "forms.yaml")
    (path.parent / "units.yaml").write_bytes((ROOT / "rules" / "units.yaml").read_bytes())
    (path.parent / "calendars").mkdir()
    (path.parent / "calendars" / "2027.yaml").write_text("year: 2027\nnotice: 国办发明电〔2026〕1号\n", encoding="utf-8")
    script = (
        "import json, sys\n"
        "from deadlines.rulesfile import load_plans\n"
        "from deadlines.workdays import WorkCalendar\n"
        f"load_plans({str(path.parent)!r})\n"
        f"WorkCalendar(override_dirs=[{str(path.parent / 'calendars')!r}])\n"
        "print(json.dumps(sorted(m.__file__ for n, m in sys.modules.items()"
        " if n.startswith('deadlines') and getattr(m, '__file__', None))))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    package = ROOT / "src" / "deadlines"
    used = {Path(f).resolve().relative_to(package.resolve()) for f in json.loads(done.stdout)}
    uncovered = [p for p in used if p.name != "__init__.py" or p.parent != Path(".")
                 if p.parts[0] not in READERS and p.as_posix() not in READERS]
    assert uncovered == []
    # and the key changes with that code: the fingerprint hashes every one of those files
    from deadlines.plancache import code_fingerprint

    assert len(code_fingerprint()) == 64


def test_the_cache_is_read_but_never_written_when_told(tmp_path):
    from deadlines.plancache import override_reader
    from deadlines.workdays import package_override_files

    cache = tmp_path / "cache"
    read_only = override_reader(cache, write=False)
    for path in package_override_files():
        read_only(path)
    assert not cache.exists()
    override_reader(cache)(package_override_files()[0])
    assert len(list(cache.glob("*.json"))) == 1


def _findings(rules: Path, cache: Path | None = None) -> list[str]:
    from deadlines.review import check_rules

    return [str(f) for f in check_rules(rules, cache_dir=cache)]


def test_check_through_the_cache_names_the_same_lines(tmp_path, monkeypatch):
    """`deadlines check` takes plans read before from the cache, with the lines its findings name."""
    import shutil

    import deadlines.rulesfile

    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    (rules / "forms.yaml").write_text(SHORT_FORMS, encoding="utf-8")  # unread and ambiguous time limits, flags
    cache = tmp_path / "cache"
    fresh = _findings(rules)
    assert any(":" in f and " unread: " in f for f in fresh)
    assert _findings(rules, cache) == fresh  # fills the cache
    assert len(list(cache.glob("*.json"))) == len(list(rules.glob("*.yaml"))) - 1  # not units.yaml

    def no_reading(*args, **kwargs):
        raise AssertionError("a cached plan was read again")

    monkeypatch.setattr(deadlines.rulesfile, "read_plan", no_reading)
    assert _findings(rules, cache) == fresh


def test_check_through_the_cache_reports_an_id_used_in_two_files(tmp_path, write_rules):
    """A cached plan whose id another file took first is read again: the clash names both lines."""
    cache = tmp_path / "cache"
    a = write_rules("title: 甲\nyear: 2015\nobligations: [{id: x-1, title: 一, due: 2015年7月}]\n", "a.yaml")
    text = a.read_text(encoding="utf-8")
    a.unlink()
    write_rules("title: 乙\nyear: 2015\nobligations: [{id: x-1, title: 二, due: 2015年8月}]\n", "b.yaml")
    assert not [f for f in _findings(a.parent, cache) if " invalid: " in f]  # b alone: fine, and cached
    a.write_text(text, encoding="utf-8")  # a is read first, then b comes from the cache
    clash = [f for f in _findings(a.parent, cache) if " invalid: " in f]
    assert clash == [f for f in _findings(a.parent) if " invalid: " in f]
    assert len(clash) == 1 and "b.yaml:3" in clash[0] and "also used in" in clash[0] and "a.yaml:3" in clash[0]


_BUILD = """
import sys, deadlines
from datetime import date
ws = deadlines.open("rules")
ws.build("site", today=date(2026, 7, 8))
print("pypinyin" in sys.modules)
"""


def _build_in_a_process(folder: Path) -> tuple[bool, dict[str, bytes]]:
    """A build in a fresh process: whether it loaded pypinyin, and the site's feeds and page."""
    import subprocess

    done = subprocess.run([sys.executable, "-c", _BUILD], cwd=folder, capture_output=True, text=True, check=True)
    site = (folder / "site").resolve()
    files = {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}
    return done.stdout.strip() == "True", files


def test_a_build_whose_names_were_met_before_loads_no_pinyin(tmp_path):
    """pypinyin (60 MB, half a second) is loaded only for names no earlier build met; what it
    gave is kept in the cache, for the installed pypinyin only, and gives the same site."""
    import json
    import shutil

    shutil.copytree(ROOT / "rules", tmp_path / "rules")
    loaded, first = _build_in_a_process(tmp_path)
    assert loaded
    kept = json.loads((tmp_path / ".deadlines" / "cache" / "pinyin.json").read_text(encoding="utf-8"))
    assert kept["texts"]["-"]["中山市人力资源社会保障局"] == "zhong-shan-shi-ren-li-zi-yuan-she-hui-bao-zhang-ju"
    shutil.rmtree(tmp_path / "site.builds")
    (tmp_path / "site").unlink()
    loaded, again = _build_in_a_process(tmp_path)
    assert not loaded and again == first
    # a name no build asks for any more (a unit renamed) is not kept
    cache = tmp_path / ".deadlines" / "cache" / "pinyin.json"
    stale = json.loads(cache.read_text(encoding="utf-8"))
    stale["texts"]["-"]["已撤销的单位"] = "yi-che-xiao-de-dan-wei"
    cache.write_text(json.dumps(stale, ensure_ascii=False), encoding="utf-8")
    shutil.rmtree(tmp_path / "site.builds")
    (tmp_path / "site").unlink()
    loaded, again = _build_in_a_process(tmp_path)
    assert not loaded and again == first
    assert json.loads(cache.read_text(encoding="utf-8")) == kept
    # kept for another pypinyin: not used
    kept["key"] = "pypinyin 0.0"
    kept["texts"]["-"]["中山市人力资源社会保障局"] = "wrong"
    (tmp_path / ".deadlines" / "cache" / "pinyin.json").write_text(json.dumps(kept), encoding="utf-8")
    shutil.rmtree(tmp_path / "site.builds")
    (tmp_path / "site").unlink()
    loaded, third = _build_in_a_process(tmp_path)
    assert loaded and third == first
    # damaged: passed over
    (tmp_path / ".deadlines" / "cache" / "pinyin.json").write_text("{not json", encoding="utf-8")
    shutil.rmtree(tmp_path / "site.builds")
    (tmp_path / "site").unlink()
    loaded, fourth = _build_in_a_process(tmp_path)
    assert loaded and fourth == first


def test_remind_takes_the_pinyin_a_build_kept_and_leaves_it_as_it_was(tmp_path):
    """`remind` names each unit's feed in its links: with the names' pinyin kept by a build it
    loads no pypinyin, and it keeps nothing of its own (it asks for fewer names than a build)."""
    import shutil
    import subprocess

    shutil.copytree(ROOT / "rules", tmp_path / "rules")
    _build_in_a_process(tmp_path)
    cache = tmp_path / ".deadlines" / "cache" / "pinyin.json"
    before = cache.read_bytes()
    remind = """
import sys, deadlines
from datetime import date, datetime
ws = deadlines.open("rules")
ws.remind(date(2015, 7, 8), now=lambda: datetime(2015, 7, 8, 9, 0), dry_run=True)
print("pypinyin" in sys.modules)
"""
    done = subprocess.run([sys.executable, "-c", remind], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
    assert cache.read_bytes() == before


def test_a_second_build_in_one_process_keeps_the_pinyin_of_every_name(tmp_path):
    """`serve` builds again and again in one process: what each build keeps must be every text it
    needed, including those a first build of the process already worked out (a Chinese id)."""
    import json
    import shutil
    import subprocess

    shutil.copytree(ROOT / "rules", tmp_path / "rules")
    twice = """
import deadlines
from datetime import date
ws = deadlines.open("rules")
ws.build("site", today=date(2026, 7, 8))
ws.build("site", today=date(2026, 7, 9))
"""
    subprocess.run([sys.executable, "-c", twice], cwd=tmp_path, capture_output=True, text=True, check=True)
    kept = json.loads((tmp_path / ".deadlines" / "cache" / "pinyin.json").read_text(encoding="utf-8"))
    assert kept["texts"][""]["zsx2015-通知.1"] == "zsx2015-tongzhi.1"  # a UID's id, not only the feeds' names


@pytest.mark.parametrize("size", [0, 10, 256 * 1024 - 1, 256 * 1024, 3_000_000])
def test_the_cache_keys_hash_is_sha256_whichever_implementation(size):
    """Small inputs are hashed by the interpreter's own SHA-256 (no OpenSSL import), large ones by
    hashlib's: the digests are SHA-256's either way, so keys do not change with the size."""
    import hashlib

    from deadlines.plancache import sha256

    data = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    found = sha256(data)
    found.update(b"tail")
    assert found.hexdigest() == hashlib.sha256(data + b"tail").hexdigest()
