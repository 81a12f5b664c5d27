"""Every command is documented, and the docs' promised pages exist."""

from __future__ import annotations

from pathlib import Path

import pytest

from deadlines.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def test_every_command_is_in_the_readme_and_has_help_with_an_example():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, command in cli.commands.items():
        assert f"deadlines {name}" in readme, name
        assert "Example:" in (command.help or ""), name


def test_readme_shows_the_two_commands_first():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```")[1]
    assert "make run" in first_block and "make test" in first_block


def test_docs_links_resolve():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for page in ("docs/rules.md", "docs/counting.md", "docs/holidays.md", "docs/phrases.md", "docs/subscribing.md",
                 "docs/triggers.md", "docs/importing.md", "docs/reliability.md", "docs/reminders.md"):
        assert page in readme and (ROOT / page).is_file()


def _doc_rows():
    """The rows of the tables of docs/phrases.md: (phrase, trigger, reading, dues).  A table's
    header is the row above its |---| line, whatever language its words are in."""
    text = (ROOT / "docs" / "phrases.md").read_text(encoding="utf-8")
    lines = text.splitlines()
    for line, below in zip(lines, lines[1:] + [""]):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        rule = below.strip()
        if rule.startswith("|") and "-" in rule and not rule.replace("|", "").replace("-", "").replace(":", "").strip():
            continue  # a header row
        if len(cells) == 4 and not set(cells[0]) <= {"-"}:
            yield cells


def test_every_row_of_the_phrase_grammar_holds():
    from datetime import date, datetime

    from deadlines import WorkCalendar
    from deadlines.phrasereport import read_and_date
    from deadlines.dates import moment_text
    from deadlines.render import explain

    calendar = WorkCalendar(provisional=True)
    rows = list(_doc_rows())
    assert len(rows) > 50
    for phrase, trigger, reading, dues in rows:
        on = (datetime.fromisoformat(trigger) if "T" in trigger else date.fromisoformat(trigger)) if trigger else None
        rules, found = read_and_date(
            phrase.replace("⏎", "\n"),
            year=2015,
            issued=date(2015, 6, 1),
            triggers=[("", on)] if on else [],
            calendar=calendar,
            end=date(2016, 1, 31),
        )
        got = "；".join(f"{r.kind}: {explain(r)}" if not r.unparsed else "未能识别 (flagged)" for r in rules)
        assert got == reading, phrase
        got_dues = sorted({moment_text(o.due) for o in found if o.due})
        want = [d.strip() for d in dues.split(",")] if dues != "—" else []
        if want and want[-1] == "…":
            assert got_dues[: len(want) - 1] == want[:-1] and len(got_dues) >= len(want), phrase
        else:
            assert got_dues == want, phrase


def test_the_readme_python_example_runs(tmp_path, monkeypatch):
    """The README's example is a doctest, run on a copy of the bundled rules (it records events)."""
    import doctest
    import re
    import shutil

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"```python\n(.*?)```", readme, re.S) if ">>>" in b]
    assert blocks
    shutil.copytree(ROOT / "rules", tmp_path / "rules", ignore=shutil.ignore_patterns("sources"))
    monkeypatch.chdir(tmp_path)
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for i, block in enumerate(blocks):
        test = parser.get_doctest(block, {}, f"README.md python block {i + 1}", "README.md", 0)
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.attempted >= 10 and result.failed == 0
    assert (tmp_path / ".deadlines" / "state.db").is_file()  # the events went to the copy's store


def test_the_import_examples_of_docs_importing_run(monkeypatch, capsys):
    """Every `deadlines import` example of the first block of docs/importing.md
    ("save the attachment and import it"), one per format, imports the plan."""
    import shlex

    from deadlines.cli import main

    text = (ROOT / "docs" / "importing.md").read_text(encoding="utf-8")
    assert text.startswith("# 导入计划：保存附件，直接导入")
    block = text.split("```sh", 1)[1].split("```", 1)[0]
    examples = [line.split("#", 1)[0].strip() for line in block.splitlines() if line.startswith("deadlines import")]
    suffixes = {shlex.split(e)[2].rsplit(".", 1)[-1] for e in examples}
    assert suffixes >= {"docx", "doc", "odt", "xlsx", "pdf", "html", "txt"}
    monkeypatch.chdir(ROOT)
    for example in examples:
        code = main(shlex.split(example)[1:])
        out, err = capsys.readouterr()
        assert code == 0 and "\n  - id: " in out, (example, err)


def _blocks(text: str):
    """(language, body) of every fenced block of a Markdown text, in order."""
    import re

    return [(m[1], m[2]) for m in re.finditer(r"```(\w*)\n(.*?)```", text, re.S)]


def test_every_holidays_example_runs(tmp_path, monkeypatch, capsys):
    """docs/holidays.md: each `deadlines holidays` line of its sh blocks runs, in order, on the
    notices in tests/notices; a JSON block after a --json command (one without "…") is its output."""
    import json
    import shlex
    import shutil

    from deadlines.cli import main

    shutil.copytree(ROOT / "tests" / "notices", tmp_path / "notices")
    (tmp_path / "rules").mkdir()
    monkeypatch.chdir(tmp_path)
    blocks = _blocks((ROOT / "docs" / "holidays.md").read_text(encoding="utf-8"))
    ran = 0
    for i, (lang, body) in enumerate(blocks):
        if lang != "sh":
            continue
        for line in body.splitlines():
            command = line.split("  #")[0].strip()
            if not command.startswith("deadlines holidays"):
                continue
            code = main(shlex.split(command)[1:])
            out, err = capsys.readouterr()
            assert code == 0, (command, err)
            ran += 1
            following = blocks[i + 1] if i + 1 < len(blocks) else ("", "")
            if "--json" in command and following[0] == "json" and "…" not in following[1]:
                assert json.loads(out) == json.loads(following[1]), command
    assert ran >= 7
    for name in ("import", "show", "status"):
        assert f"deadlines holidays {name}" in (ROOT / "docs" / "holidays.md").read_text(encoding="utf-8")


def test_the_review_example_of_docs_importing_runs(tmp_path, monkeypatch, capsys):
    """The second block of docs/importing.md: import a bundled source into a folder of
    one's own, then check it (0: nothing to review, 1: a list)."""
    import shlex
    import shutil

    from deadlines.cli import main

    text = (ROOT / "docs" / "importing.md").read_text(encoding="utf-8")
    block = text.split("# 导入的细节与审核", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#", 1)[0].strip() for line in block.splitlines() if line.startswith("deadlines ")]
    assert [shlex.split(c)[1] for c in commands] == ["import", "check"]
    shutil.copytree(ROOT / "rules" / "sources", tmp_path / "rules" / "sources")
    monkeypatch.chdir(tmp_path)
    codes = []
    for command in commands:
        codes.append(main(shlex.split(command)[1:]))
        capsys.readouterr()
    assert codes[0] == 0 and codes[1] in (0, 1)
    assert (tmp_path / "我的规则" / "zhashui-2015.yaml").exists()


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # SMTP over TLS
def test_every_remind_example_runs(tmp_path, monkeypatch, capsys):
    """docs/reminders.md: its contacts.yaml (with the SMTP server and robots made local), its
    environment variables, then each `deadlines` line of its sh blocks in order, and the command
    of its cron line and of its systemd service, each exit 0."""
    import re
    import shlex
    import shutil

    import deadlines.remind.robot as robot
    from deadlines.cli import main
    from receivers import RobotServer, SmtpReceiver

    text = (ROOT / "docs" / "reminders.md").read_text(encoding="utf-8")
    blocks = _blocks(text)
    contacts = next(body for lang, body in blocks if lang == "yaml" and body.startswith("# rules/contacts.yaml"))
    exports = set(re.findall(r"^export (\w+)=", text, re.M))
    shutil.copytree(ROOT / "rules", tmp_path / "rules")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(robot.time, "sleep", lambda seconds: None)  # pacing between parts: not waited for here
    with SmtpReceiver(tmp_path, security="ssl", login=("duban@example.gov.cn", "授权码")) as smtp, \
            RobotServer(secrets={"dingtalk": "SEC-doc", "feishu": "feishu-doc"}, keywords={"feishu": "督办"}) as robots:
        local = re.sub(r"  host: .*\n  port: .*\n", f"  host: 127.0.0.1\n  port: {smtp.port}\n  ca_file: {smtp.ca}\n",
                       contacts)
        assert local != contacts
        (tmp_path / "rules" / "contacts.yaml").write_text(local, encoding="utf-8")
        hooks = robots.webhooks()
        values = {"DEADLINES_SMTP_USER": "duban@example.gov.cn", "DEADLINES_SMTP_PASSWORD": "授权码",
                  "ZS_CZJ_WECOM": hooks["wecom"], "ZS_HBJ_DINGTALK": hooks["dingtalk"],
                  "ZS_HBJ_DINGTALK_SECRET": "SEC-doc", "ZS_HBJ_FEISHU": hooks["feishu"],
                  "ZS_HBJ_FEISHU_SECRET": "feishu-doc"}
        assert exports == set(values)  # every variable the docs export is one the example uses
        for name, value in values.items():
            monkeypatch.setenv(name, value)
        commands = [line.split("  #")[0].strip() for lang, body in blocks if lang == "sh"
                    for line in body.splitlines() if line.startswith("deadlines ")]
        cron = next(body for lang, body in blocks if lang == "cron")
        commands.append("deadlines " + re.search(r"bin/deadlines (.*?)(?: >>|$)", cron, re.M)[1])
        service = next(body for lang, body in blocks if lang == "ini" and "ExecStart" in body)
        commands.append("deadlines " + re.search(r"^ExecStart=\S*bin/deadlines ?(.*)$", service, re.M)[1])
        assert sum(c.startswith("deadlines remind") for c in commands) >= 5
        for command in commands:
            code = main(shlex.split(command)[1:])
            out, err = capsys.readouterr()
            assert code == 0, (command, out, err)
            if command == "deadlines history zs2015-2.1":
                assert "提醒新触发  中山市财政局  企业微信" in out
    assert smtp.logins and smtp.mails
    assert {r.vendor for r in robots.requests} == {"wecom", "dingtalk", "feishu"}
    assert all(r.verdict == "ok" for r in robots.requests)


def test_every_example_of_docs_office_runs(tmp_path, monkeypatch, capsys):
    """docs/office.md: each `deadlines` line of its sh blocks runs, in order, in a folder of its own;
    its units.yaml block is the registry, and the office's plan (tests/office/) stands for the
    imported and reviewed one.  Each text block is what the command before it prints (lines of it).
    `deadlines serve` blocks: tests/test_office.py serves on every address as the page says."""
    import shlex
    import shutil

    from deadlines.cli import main

    monkeypatch.delenv("DEADLINES_RULES", raising=False)
    monkeypatch.delenv("DEADLINES_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    blocks = _blocks((ROOT / "docs" / "office.md").read_text(encoding="utf-8"))
    registry = next(body for lang, body in blocks if lang == "yaml")
    out, ran = "", []
    for lang, body in blocks:
        if lang == "sh":
            for line in body.splitlines():
                command = line.split("  #")[0].strip()
                if not command.startswith("deadlines ") or command.startswith("deadlines serve"):
                    continue
                code = main(shlex.split(command)[1:])
                out, err = capsys.readouterr()
                assert code == 0, (command, err)
                ran.append(shlex.split(command)[1])
                if command == "deadlines init":
                    (tmp_path / "rules" / "units.yaml").write_text(registry, encoding="utf-8")
                    shutil.copy(ROOT / "tests" / "office" / "heping-2026.yaml", tmp_path / "rules")
        elif lang == "text":
            for want in filter(None, (w.strip() for w in body.splitlines())):
                assert want in out, want
    assert ran == ["init", "due", "done", "done", "history", "report"]
