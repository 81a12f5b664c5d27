"""The fast rules reader (libyaml) against the reference (ruamel): the same plans, lines and errors.

Rules files are read by libyaml where :func:`deadlines.yamlio.fast_reader_takes`
the text, by ruamel's pure-Python parser (the reference) everywhere else and
for every error.  Held against each other here: every rules file of the
package, every document of the corpus as imported, generated plan sets, the
YAML 1.1/1.2 differences one by one, generated YAML of every style, every bad
file of tests/test_bad_rules_files.py, and what the commands print.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deadlines import yamlio
from deadlines.errors import RulesFileError
from deadlines.rulesfile import read_plan

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
sys.path.insert(0, str(ROOT / "bench"))

from synthetic import write_plan_set  # noqa: E402


def _reference(path: Path, text: str):
    try:
        return yamlio.load_yaml(path, text, fast=False)
    except RulesFileError as exc:
        return str(exc)


def _both_plans(path: Path, text: str | None = None):
    """The plan and lines read with the fast reader, and with the reference alone."""
    fast = read_plan(path, text=text)
    saved = yamlio.FAST
    yamlio.FAST = False
    try:
        reference = read_plan(path, text=text)
    finally:
        yamlio.FAST = saved
    return fast, reference


# -- real and generated rules files: the fast path is taken, and gives the same plan


@pytest.mark.parametrize("path", sorted((ROOT / "rules").glob("*.yaml")), ids=lambda p: p.name)
def test_every_bundled_file_is_read_fast_and_the_same(path):
    text = path.read_text(encoding="utf-8")
    assert yamlio.read_fast(path, text) is not None, "a bundled file should not need the slow reader"
    assert yamlio.read_fast(path, text) == yamlio.load_yaml(path, text, fast=False)
    if path.name != "units.yaml":
        (fast_plan, fast_lines), (plan, lines) = _both_plans(path)
        assert fast_plan == plan and fast_lines == lines


@pytest.fixture(scope="module")
def corpus_imports() -> list[tuple[str, str]]:
    import yaml

    from deadlines.importers import import_plan

    found = []
    for txt in sorted(CORPUS.glob("*.txt")):  # as tests/corpus/score.py imports them: with the truth's year
        year = int(yaml.safe_load(txt.with_name(txt.stem + ".truth.yaml").read_text(encoding="utf-8"))["year"])
        found.append((txt.stem, import_plan(txt.read_bytes(), source=txt.name, year=year, prefix=f"h{txt.stem[:2]}").yaml))
    return found


def test_every_corpus_import_is_read_fast_and_the_same(corpus_imports, tmp_path):
    assert len(corpus_imports) >= 28
    for name, text in corpus_imports:
        path = tmp_path / f"{name}.yaml"
        assert yamlio.read_fast(path, text) is not None, name
        (fast_plan, fast_lines), (plan, lines) = _both_plans(path, text)
        assert fast_plan == plan and fast_lines == lines, name


def test_a_generated_plan_set_is_read_fast_and_the_same(tmp_path):
    for path in write_plan_set(tmp_path / "rules", units=60, obligations=600, plans=3):
        text = path.read_text(encoding="utf-8")
        assert yamlio.read_fast(path, text) is not None
        (fast_plan, fast_lines), (plan, lines) = _both_plans(path)
        assert fast_plan == plan and fast_lines == lines


# -- YAML 1.1 (libyaml) and 1.2 (ruamel, the reference): the values are 1.2's

VERSIONS = {
    # text: what the reference reads (1.2), whichever reader reads it
    "on: no\nyes: off\nOn: Y\n": {"on": "no", "yes": "off", "On": "Y"},
    "a: 2015-07-01\nb: 2015-07-01 10:00:00\nc: 2015-7-1\n": {"a": "2015-07-01", "b": "2015-07-01 10:00:00",
                                                             "c": "2015-7-1"},
    "id: 0123\nb: 0o17\nc: 089\nd: 1_000\ne: 1:20\nf: 0x1F\n": {"id": "0123", "b": 15, "c": "089", "d": 1000,
                                                                "e": "1:20", "f": 31},
    "a: .5\nb: 1e3\nc: .inf\nd: ~\ne: null\nf: ''\ng: true\nh: True\n": {"a": 0.5, "b": 1000.0, "c": ".inf",
                                                                         "d": None, "e": None, "f": "", "g": True,
                                                                         "h": True},
    "a: [b:c, http://x.y/z, 10:00]\nb: {c:d}\n": {"a": ["b:c", "http://x.y/z", "10:00"], "b": {"c:d": None}},
    'a: "\\/\\u263A\\N\\_\\x41"\n': {"a": "/☺\x85\xa0A"},
    "a: &x [1, 2]\nb: *x\nc:\n  <<: *x\n": {"a": [1, 2], "b": [1, 2], "c": {"<<": [1, 2]}},
}


@pytest.mark.parametrize("text", VERSIONS, ids=range(len(VERSIONS)))
def test_values_are_read_as_yaml_1_2_by_both_readers(text):
    path = Path("p.yaml")
    fast = yamlio.read_fast(path, text)
    assert fast is not None and fast == yamlio.load_yaml(path, text, fast=False)
    assert fast[0] == VERSIONS[text]


# Text libyaml reads otherwise than ruamel, each found by the generated YAML below: refused by the fast reader.
DIFFERENT = {
    "a tab after a colon (libyaml takes it)": "a:\tb\n",
    "a tab inside a value": "a: b\tc\n",
    "NEL": "a: b\x85c\n",
    "LS": "a: b\u2028c\n",
    "a byte-order mark inside": "a: b\ufeffc\n",
    "a directive": "%YAML 1.1\n---\na: on\n",
    "a tag before a comma": "a: [!x, b]\n",
    "a non-specific tag": "- ! : x\n",
    "a comment on a block header": "a: >+#\n  b\n",
    "CR line ends": "a: |-\r  b\rc: d\r",
    "an anchor name with a colon": "a: 1\n&a: b\n",
}


@pytest.mark.parametrize("name", DIFFERENT)
def test_what_libyaml_reads_otherwise_goes_to_the_reference(name):
    text = DIFFERENT[name]
    assert not yamlio.fast_reader_takes(text)
    assert yamlio.read_fast(Path("p.yaml"), text) is None
    assert _reference(Path("p.yaml"), text) == _loaded(text)


def _loaded(text: str):
    try:
        return yamlio.load_yaml(Path("p.yaml"), text)
    except RulesFileError as exc:
        return str(exc)


# -- generated YAML of every style: the fast reader gives the reference's reading or steps aside

_SCALARS = ["a", "on", "no", "yes", "Off", "0123", "0o17", "089", "1_000", "1:20", "2015-07-01", "2015-07-01T10:00",
            ".5", "1e3", ".inf", "-1", "+2", "0x1F", "null", "~", "true", "FALSE", "", " ", "a:b", "a: b", "a #b",
            "a#b", "- x", "-x", "? x", "标题：x", "时间 10:00", "'", '"', "\\", "x\ny", " lead", "trail ", "[x]", "{x}",
            "x, y", "%x", "@x", "!x", "&x", "*x", "|", ">", "<<", "审批或核准后两个工作日内", "2015年12月底前", "s01-1",
            "3.2", "第1项", "a\tb", "é", "😀", "---", "...", "# c", "a'b", 'a"b']
_KEYS = ["id", "title", "due", "on", "no", "1", "01", "2015-07-01", "units", "a b", "标题", "a:b", "null", "true",
         "<<", "? x", "- k", "x#y"]


def _scalar(rng: random.Random, text: str, flow: bool, indent: int) -> str:
    style = rng.choice("psdplf" if not flow else "psdp")
    if style == "p":
        return text.replace("\n", " ")
    if style == "s":
        return "'" + text.replace("'", "''") + "'"
    if style == "d":
        out = text.replace("\\", "\\\\").replace('"', '\\"')
        out = out.replace("\n", "\\n" if rng.random() < 0.5 else "\n" + " " * (indent + 1))
        return '"' + (out.replace("a", "\\x61") if rng.random() < 0.2 else out) + '"'
    head = rng.choice(["|", "|-", "|+", ">", ">-", ">+", "|2", ">1"])
    pad = " " * (indent + rng.choice([1, 2, 3]))
    return head + ("  # c" if rng.random() < 0.2 else "") + "\n" + "\n".join(
        pad + line if line else "" for line in text.split("\n"))


def _node(rng: random.Random, depth: int, flow: bool, indent: int, anchors: list[str]) -> tuple[str, bool]:
    """(text, fits on the key's line) of a random node."""
    prefix = ""
    if rng.random() < 0.08:
        anchors.append(rng.choice(["a", "b1", "x-y", "z_"]))
        prefix = "&" + anchors[-1] + " "
    elif anchors and rng.random() < 0.05:
        return "*" + rng.choice(anchors), True
    if rng.random() < 0.05:
        prefix += rng.choice(["!!str ", "!!int ", "!x ", "!!bool "])
    r = rng.random()
    if depth > 3 or r < 0.5:
        return prefix + _scalar(rng, rng.choice(_SCALARS), flow, indent), True
    if flow or r < 0.6:
        if rng.random() < 0.5:
            items = [_node(rng, depth + 1, True, indent, anchors)[0] for _ in range(rng.randrange(4))]
            sep = rng.choice([", ", ",", " , ", ",\n" + " " * (indent + 1)])
            return prefix + "[" + sep.join(items) + rng.choice(["", ",", " "]) + "]", True
        pairs = [f"{_scalar(rng, rng.choice(_KEYS), True, indent)}: {_node(rng, depth + 1, True, indent, anchors)[0]}"
                 for _ in range(rng.randrange(4))]
        return prefix + "{" + rng.choice([", ", ","]).join(pairs) + "}", True
    step = rng.choice([1, 2, 4])
    lines = []
    for _ in range(rng.randrange(1, 4)):
        text, inline = _node(rng, depth + 1, False, indent + step, anchors)
        if r < 0.8:
            lines.append(" " * (indent + step if rng.random() < 0.8 else indent) + "- " + text)
        else:
            key = _scalar(rng, rng.choice(_KEYS), True, indent)
            lines.append(" " * (indent + step) + key + ":" + (" " + text if inline else text))
    return (prefix.strip() + "\n" if prefix else "\n") + "\n".join(lines), False


def yaml_document(seed: int) -> str:
    """A random YAML document: every style of scalar and collection, anchors, tags, comments, CRLF."""
    rng = random.Random(seed)
    anchors: list[str] = []
    lines = ["---"] if rng.random() < 0.1 else []
    for _ in range(rng.randrange(1, 6)):
        text, inline = _node(rng, 0, False, 0, anchors)
        lines.append(_scalar(rng, rng.choice(_KEYS), True, 0) + ":" + (" " + text if inline else text))
        if rng.random() < 0.1:
            lines.append(rng.choice(["", "# comment"]))
    text = "\n".join(lines) + ("\n" if rng.random() < 0.9 else "")
    return text.replace("\n", "\r\n") if rng.random() < 0.1 else text


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=2**32))
def test_generated_yaml_reads_the_same_or_goes_to_the_reference(seed):
    text = yaml_document(seed)
    path = Path("p.yaml")
    try:
        yamlio.check_characters(path, text)
    except RulesFileError:
        return
    fast = yamlio.read_fast(path, text)
    if fast is not None:
        assert fast == _reference(path, text), text


def test_the_generator_makes_yaml_the_fast_reader_takes():
    """Not a vacuous property: most generated documents are read fast and are mappings."""
    taken = sum(yamlio.read_fast(Path("p.yaml"), yaml_document(seed)) is not None for seed in range(300))
    assert taken > 60


# -- errors are the reference reader's own


def _error(path: Path, fast: bool, monkeypatch) -> str | None:
    from deadlines.units import UnitRegistry
    from deadlines.workdays import _load_override

    monkeypatch.setattr(yamlio, "FAST", fast)
    try:
        if path.parent.name == "calendars":
            _load_override(path)
        elif path.name == "units.yaml":
            UnitRegistry.load(path)
        else:
            read_plan(path)
    except RulesFileError as exc:
        return str(exc)
    return None


def test_bad_files_give_the_same_error_with_or_without_the_fast_reader(tmp_path, monkeypatch):
    from test_bad_rules_files import CASES

    for i, (name, (files, file, _, _)) in enumerate(CASES.items()):
        folder = tmp_path / f"case{i}" / "rules"
        for rel, content in files.items():
            target = folder / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        fast, reference = (_error(folder / file, mode, monkeypatch) for mode in (True, False))
        assert reference is not None and fast == reference, name


def test_a_validation_error_names_the_line_the_reference_reader_gives(write_rules, monkeypatch):
    path = write_rules("title: 测试\nyear: 2015\nobligations:\n  - id: a\n    title: 公开\n    due: {on: 2015-02-30}\n")
    fast, reference = (_error(path, mode, monkeypatch) for mode in (True, False))
    assert fast == reference and f"{path}:6: " in fast


# -- what the commands print is the same whichever reader read the rules


def _outputs(tmp_path: Path, fast: bool, monkeypatch) -> dict[str, bytes]:
    import shutil

    from click.testing import CliRunner

    from deadlines.cli import cli

    monkeypatch.setattr(yamlio, "FAST", fast)
    work = tmp_path / ("fast" if fast else "reference")
    shutil.copytree(ROOT / "rules", work / "rules")
    write_plan_set(work / "rules", units=40, obligations=300, plans=2)
    rules = str(work / "rules")
    runner = CliRunner()
    out: dict[str, bytes] = {}
    for name, args in {
        "due": ["due", "--rules", rules, "--today", "2015-07-08", "--from", "2015-01-01", "--to", "2026-12-31", "--json"],
        "list": ["list", "--rules", rules, "--json"],
        "check": ["check", "--rules", rules],
        "build": ["build", "--rules", rules, "--out", str(work / "site"), "--today", "2015-07-08"],
    }.items():
        result = runner.invoke(cli, args)
        assert result.exit_code in (0, 1), result.output
        out[name] = result.stdout_bytes.replace(str(work).encode(), b"WORK")
    for feed in sorted((work / "site" / "feeds").iterdir()):
        out[f"feeds/{feed.name}"] = feed.read_bytes()
    out["index.html"] = (work / "site" / "index.html").read_bytes()
    return out


def test_feeds_due_list_and_check_are_byte_identical_across_the_readers(tmp_path, monkeypatch):
    fast = _outputs(tmp_path, True, monkeypatch)
    reference = _outputs(tmp_path, False, monkeypatch)
    assert fast.keys() == reference.keys() and len(fast) > 40
    for name in fast:
        assert fast[name] == reference[name], name
