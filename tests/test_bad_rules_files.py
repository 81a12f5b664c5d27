"""Rules files that are wrong in every way a typo, another editor or a hostile file can make them.

One case per class of failure found by mutating ``rules/zhongshan-2015.yaml``:
each gives one line ``file:line: field: what`` and exit 2 from ``due`` (an
``invalid`` finding from ``check``), never a traceback, and with bounded
memory.  Memory is measured with tracemalloc in a child process that also
caps its address space, so a bomb that escaped the bounds would fail there,
not take the machine down; no test here times anything.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

GOOD = """\
title: 测试方案
year: 2015
obligations:
  - id: t-1
    title: 公开
    units: {lead: [市财政局]}
    due_text: 2015年12月底前
"""


def _bomb(depth: int = 9, width: int = 9) -> str:
    """'Billion laughs': each anchor repeats the one before ``width`` times (9⁹ values)."""
    lines = ['a0: &a0 ["哈哈哈哈哈哈哈哈"]']
    for i in range(1, depth + 1):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


# name: ({file: text or bytes}, file with the problem, line, what the message says)
CASES: dict[str, tuple[dict[str, str | bytes], str, int | None, str]] = {
    "year in Chinese numerals": ({"p.yaml": GOOD.replace("year: 2015", "year: 二〇一五")}, "p.yaml", 2,
                                 "year: 应为整数，不是 '二〇一五'"),
    "year with a fraction": ({"p.yaml": GOOD.replace("year: 2015", "year: 2015.5")}, "p.yaml", 2,
                             "year: 应为整数，不是 2015.5"),
    "year quoted": ({"p.yaml": GOOD.replace("year: 2015", "year: '2015'")}, "p.yaml", 2,
                    "year: 应为整数，不是 '2015'（去掉引号）"),
    "year in a list": ({"p.yaml": GOOD.replace("year: 2015", "year: [2015]")}, "p.yaml", 2,
                       "year: 应为整数，不是 [2015]"),
    "year out of range": ({"p.yaml": GOOD.replace("year: 2015", "year: 1015")}, "p.yaml", 2,
                          "year: 应不小于 1900，不是 1015"),
    "year of 5,000 digits": ({"p.yaml": GOOD.replace("year: 2015", "year: 1" + "0" * 5000)}, "p.yaml", 2,
                             "year: 应为整数"),
    "date past the calendar": ({"p.yaml": GOOD.replace("due_text: 2015年12月底前", "due: {on: 9999-12-31, roll: true}")},
                               "p.yaml", 7, "obligations[0].due.on: 日期应在 1900-01-01–2200-12-31 之间"),
    "interval of a million years": (
        {"p.yaml": GOOD.replace("due_text: 2015年12月底前", "due: {every: year, interval: 99999999}")},
        "p.yaml", 7, "obligations[0].due: interval 99999999 超过一百年"),
    "offset past the calendar": (
        {"p.yaml": GOOD.replace("due_text: 2015年12月底前", "due: {after: 审批, within: {days: 99999999999}}")},
        "p.yaml", 7, "obligations[0].due.within: 期限 99999999999日 超过一百年"),
    "10,000 nested brackets": ({"p.yaml": GOOD + "x: " + "[" * 10_000 + "]" * 10_000 + "\n"}, "p.yaml", 8,
                               "嵌套超过 64 层"),
    "10,000 nested lines": ({"p.yaml": GOOD + "x:\n" + "".join(" " * i + "- \n" for i in range(1, 2000))},
                            "p.yaml", 8 + 64, "嵌套超过 64 层"),
    "billion laughs in a plan": ({"p.yaml": GOOD + _bomb()}, "p.yaml", 12, "展开后超过"),
    "billion laughs in units.yaml": ({"p.yaml": GOOD, "units.yaml": _bomb()}, "units.yaml", 5, "展开后超过"),
    "recursive alias": ({"p.yaml": GOOD + "x: &x [1, *x]\n"}, "p.yaml", 8, "递归引用"),
    "undefined alias": ({"p.yaml": GOOD + "x: *nowhere\n"}, "p.yaml", 8, "没有对应的锚点"),
    "NUL byte": ({"p.yaml": GOOD.replace("title: 公开", "title: 公\x00开")}, "p.yaml", 5,
                 "第 13 列有控制字符 U+0000（NUL）"),
    "control character": ({"p.yaml": GOOD.replace("title: 公开", "title: 公\x1b[0m开")}, "p.yaml", 5,
                          "U+001B（ESC）"),
    "saved as GB18030": ({"p.yaml": GOOD.encode("gb18030")}, "p.yaml", 1,
                         "看起来是 GB18030（GBK） 编码：请转换为 UTF-8，例如 iconv -f GB18030 -t UTF-8 p.yaml"),
    "saved as UTF-16": ({"p.yaml": GOOD.encode("utf-16")}, "p.yaml", None, "看起来是 UTF-16 编码"),
    "binary": ({"p.yaml": bytes(range(256)) * 8}, "p.yaml", None, "也不像常见的文本编码"),
    "two documents": ({"p.yaml": GOOD + "---\n" + GOOD}, "p.yaml", 8, "只能有一个 YAML 文档"),
    "a broken calendar file": ({"p.yaml": GOOD, "calendars/2030.yaml": "year: 2030\nnotice: x\nrest_days: [2030-02-30]\n"},
                               "calendars/2030.yaml", 3, "rest_days[0]: 不是有效日期：'2030-02-30'"),
    "billion laughs in a calendar file": ({"p.yaml": GOOD, "calendars/2030.yaml": _bomb()},
                                          "calendars/2030.yaml", 5, "展开后超过"),
}

# Runs every case through the CLI in one child process: tracemalloc's peak per
# command, the address space capped at 2 GiB and CPU time at 5 minutes (a
# guard against a hang, not a measurement).
_CHILD = textwrap.dedent("""
    import contextlib, io, json, resource, sys, tracemalloc
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
    resource.setrlimit(resource.RLIMIT_CPU, (300, 300))
    from deadlines.cli import main

    def run(args):
        out, err = io.StringIO(), io.StringIO()
        tracemalloc.start()
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                try:
                    code = main(args)
                except BaseException as exc:
                    code = "raised " + type(exc).__name__ + ": " + str(exc)[:300]
        finally:
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        return {"code": code, "out": out.getvalue(), "err": err.getvalue(), "peak": peak}

    results = {}
    for name, folder in json.loads(sys.argv[1]).items():
        results[name] = {
            "due": run(["due", "--rules", folder, "--today", "2015-07-08"]),
            "check": run(["check", "--rules", folder]),
        }
    print(json.dumps(results))
""")

PEAK_LIMIT = 48 << 20  # bytes traced by tracemalloc while one command runs: what a few plans take


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    base = tmp_path_factory.mktemp("bad")
    folders = {}
    for i, (name, (files, _, _, _)) in enumerate({"good": ({"p.yaml": GOOD}, "", 0, ""), **CASES}.items()):
        folder = base / f"case{i}" / "rules"
        for file, content in files.items():
            path = folder / file
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        folders[name] = str(folder)
    proc = subprocess.run([sys.executable, "-c", _CHILD, json.dumps(folders)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return folders, json.loads(proc.stdout)


def test_the_good_file_is_fine(results):
    _, found = results
    assert found["good"]["due"]["code"] == 0 and found["good"]["check"]["code"] == 0


@pytest.mark.parametrize("name", CASES)
def test_one_line_with_file_and_line_exit_2_bounded_memory(results, name):
    folders, found = results
    _, file, line, what = CASES[name]
    path = Path(folders[name]) / file
    where = f"{path}:{line}: " if line else f"{path}: "
    due, check = found[name]["due"], found[name]["check"]
    assert due["code"] == 2, due
    assert due["out"] == "" and due["err"].count("\n") == 1 and "Traceback" not in due["err"], due["err"]
    assert due["err"].startswith("deadlines: " + where), due["err"]
    assert what in due["err"], due["err"]
    assert check["code"] == 1, check
    # check gives every finding a line: the first, for a file that cannot be read at all
    assert f"{path}:{line or 1}: invalid: " in check["out"] and what in check["out"], check["out"]
    for run in (due, check):
        assert run["peak"] < PEAK_LIMIT, (name, run["peak"])


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path, capsys):
    from deadlines.cli import main
    from deadlines.yamlio import MAX_BYTES

    path = tmp_path / "rules" / "p.yaml"
    path.parent.mkdir()
    with path.open("wb") as f:  # sparse: takes no disk
        f.write(GOOD.encode())
        f.truncate(MAX_BYTES + 1)
    assert main(["due", "--rules", str(path.parent), "--today", "2015-07-08"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"deadlines: {path}: 文件过大（{MAX_BYTES + 1} 字节")


def test_aliases_within_bounds_still_work(write_rules):
    from deadlines import load_plans

    path = write_rules(GOOD.replace("units: {lead: [市财政局]}", "units: &u {lead: [市财政局]}")
                       + "  - {id: t-2, title: 再公开, units: *u, due_text: 2015年11月底前}\n")
    (plan,) = load_plans(path)
    assert [o.units.lead for o in plan.obligations] == [("市财政局",), ("市财政局",)]


# -- properties: whatever the bytes, a rules file loads or is one RulesFileError

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_YAMLISH = st.text(alphabet=st.sampled_from(list("[]{}:,-&*!|>'\"#\n \t0123456789abyear年月日前内\x00\x1b")), max_size=400)


def _loads_or_says_where(path: Path, data: bytes) -> None:
    from deadlines import load_plans
    from deadlines.errors import RulesFileError

    path.write_bytes(data)
    try:
        load_plans(path)
    except RulesFileError as exc:
        assert str(exc).startswith(str(path)) and "\n" not in str(exc)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=3000))
def test_any_bytes_load_or_give_one_rules_file_error(tmp_path, data):
    _loads_or_says_where(tmp_path / "p.yaml", data)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tail=_YAMLISH, cut=st.integers(min_value=0, max_value=len(GOOD)))
def test_any_yaml_like_text_loads_or_gives_one_rules_file_error(tmp_path, tail, cut):
    _loads_or_says_where(tmp_path / "p.yaml", (GOOD[:cut] + tail).encode("utf-8", errors="surrogatepass"))
