"""One catalog speaks for the package: complete, current, Chinese by default, English on request."""

from __future__ import annotations

import gettext
import importlib.util
import string
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from deadlines import i18n
from deadlines.cli import cli, main

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "src" / "deadlines" / "locale" / "zh_CN" / "LC_MESSAGES" / "deadlines.po"


def _tools():
    spec = importlib.util.spec_from_file_location("catalog_tools", ROOT / "tools" / "messages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _read_po():
    from babel.messages.pofile import read_po

    with PO.open("rb") as f:
        return read_po(f, locale="zh_CN", domain="deadlines")


def _ids(catalog) -> set:
    return {m.id if isinstance(m.id, str) else tuple(m.id) for m in catalog if m.id}


@pytest.fixture(autouse=True)
def _language_from_environment(monkeypatch):
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    i18n.set_language(None)
    yield
    i18n.set_language(None)


def test_every_msgid_has_a_chinese_translation():
    catalog = _read_po()
    missing = [m.id for m in catalog if m.id and not (m.string if isinstance(m.string, str) else all(m.string))]
    assert missing == []
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert fuzzy == []


def test_the_catalog_is_current_extracting_finds_no_new_msgid():
    extracted = _ids(_tools().extract())
    committed = _ids(_read_po())
    assert sorted(map(str, extracted - committed)) == [], "run `make messages` and translate the new entries"
    assert sorted(map(str, committed - extracted)) == [], "run `make messages`: the catalog holds msgids no longer used"


def test_translations_keep_every_placeholder():
    """A translation that drops or renames {field} would raise KeyError when the message is said."""
    fields = string.Formatter()
    for m in _read_po():
        if not m.id or "python-brace-format" not in m.flags:
            continue
        ids = [m.id] if isinstance(m.id, str) else list(m.id)
        strings = [m.string] if isinstance(m.string, str) else list(m.string)
        allowed = {f for text in ids for _, f, _, _ in fields.parse(text) if f is not None}
        for text in strings:
            used = {f for _, f, _, _ in fields.parse(text) if f is not None}
            assert used <= allowed, (m.id, text)


def test_the_compiled_catalog_is_the_committed_one():
    """The .mo the package loads (made by the build) says what the .po says."""
    loaded = gettext.translation("deadlines", i18n.LOCALE_DIR, languages=["zh_CN"])
    for m in _read_po():
        if m.id and isinstance(m.id, str):
            assert loaded.gettext(m.id) == m.string, m.id


def test_help_is_chinese_by_default():
    out = CliRunner().invoke(cli, ["--help"])
    assert out.exit_code == 0
    assert "用法:" in out.output and "显示本帮助并退出。" in out.output
    assert "政府工作计划的工作时限" in out.output
    assert "Show this message and exit." not in out.output
    assert "--rules" in CliRunner().invoke(cli, ["due", "--help"]).output  # option names stay as they are


def test_lang_en_gives_the_english_help():
    out = CliRunner().invoke(cli, ["--lang", "en", "due", "--help"], prog_name="deadlines")
    assert out.exit_code == 0
    assert "Usage: deadlines due [OPTIONS]" in out.output
    assert "What falls due, grouped by unit" in out.output
    assert "Take this as today (default: the real date)." in out.output
    assert "列出到期事项" not in out.output


def test_lang_en_from_the_environment(monkeypatch):
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    out = CliRunner().invoke(cli, ["--help"])
    assert "Show this message and exit." in out.output


def test_lc_all_wins_over_lang_and_a_c_locale_is_chinese(monkeypatch):
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    assert "Show this message and exit." in CliRunner().invoke(cli, ["--help"]).output
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    assert "显示本帮助并退出。" in CliRunner().invoke(cli, ["--help"]).output


def test_the_language_switches_back_within_one_process():
    assert "Show this message and exit." in CliRunner().invoke(cli, ["--lang", "en", "--help"]).output
    assert "显示本帮助并退出。" in CliRunner().invoke(cli, ["--help"]).output


def test_a_usage_error_is_one_chinese_line_with_exit_2(capsys):
    assert main(["due", "--bogus"]) == 2
    err = capsys.readouterr().err
    assert err == "deadlines: 没有选项 '--bogus'。\n"


def test_a_missing_option_is_said_in_chinese(capsys, tmp_path):
    assert main(["build"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("deadlines: 缺少选项") and "'--out'" in err and "\n" not in err


def test_a_library_error_is_chinese_by_default_and_english_with_lang_en(capsys, tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "plan.yaml").write_text("id: p\ntitle: 方案\nyear: 2015\nbogus: 1\nobligations: []\n", encoding="utf-8")
    assert main(["list", "--rules", str(rules)]) == 2
    zh = capsys.readouterr().err
    assert "未知字段" in zh and zh.count("\n") == 1
    assert main(["--lang", "en", "list", "--rules", str(rules)]) == 2
    en = capsys.readouterr().err
    assert "unknown field" in en and en.count("\n") == 1


def test_lang_en_from_lang_gives_an_english_error(capsys, monkeypatch):
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert main(["due", "--bogus"]) == 2
    assert capsys.readouterr().err == "deadlines: No such option '--bogus'.\n"


def test_a_bad_lang_is_one_line_naming_both_languages(capsys):
    assert main(["--lang", "fr", "--help"]) == 2
    err = capsys.readouterr().err
    assert "zh" in err and "en" in err and err.count("\n") == 1


def test_the_messages_table_is_english_msgids_said_in_chinese():
    from deadlines.messages import say

    assert say("window_inverted", start="2015-02-01", end="2015-01-01") == "时间窗口的开始 2015-02-01 晚于结束 2015-01-01"
    i18n.set_language("en")
    assert say("window_inverted", start="2015-02-01", end="2015-01-01") == \
        "the window starts on 2015-02-01, after its end 2015-01-01"


def test_every_message_of_the_table_is_an_english_msgid_with_a_translation():
    """A message added to messages.py in Chinese (not as an English msgid) is caught here."""
    from deadlines.messages import MESSAGES, NOUNS, OF_NOUNS

    translated = {m.id: m.string for m in _read_po() if isinstance(m.id, str)}
    for key, text in {**MESSAGES, **NOUNS, **OF_NOUNS}.items():
        assert text in translated, (key, text, "write it as N_(\"English\") and run `make messages`")
        assert translated[text] != text or not text.strip(), key


def test_chinese_help_is_broken_into_lines_a_terminal_shows():
    """click breaks help at spaces; a Chinese paragraph has none, so the help breaks it between characters."""
    from deadlines.clihelp import _columns

    for command in (["import", "--help"], ["remind", "--help"], ["due", "--help"]):
        out = CliRunner().invoke(cli, command, terminal_width=80).output
        description = out.split("选项:")[0]
        assert max(sum(map(_columns, line)) for line in description.splitlines()) <= 80, command
        assert not any(line.lstrip().startswith(("，", "。", "、", "；")) for line in description.splitlines())
