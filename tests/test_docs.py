"""Every command is documented, and the docs' promised pages exist."""

from __future__ import annotations

from pathlib import Path

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
    for page in ("docs/rules.md", "docs/counting.md", "docs/holidays.md"):
        assert page in readme and (ROOT / page).is_file()
