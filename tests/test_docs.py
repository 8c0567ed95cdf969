"""Every command has Vietnamese help with an example and appears in the README (style.md idiom 9)."""

from __future__ import annotations

from pathlib import Path

import typer

from dangvien_cli.cli.app import register

app = register()  # every command group, as the installed command builds on demand

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def leaf_commands():
    root = typer.main.get_command(app)
    for group_name, group in root.commands.items():
        for name, command in getattr(group, "commands", {}).items():
            yield f"{group_name} {name}", command


def test_there_are_commands():
    names = [n for n, _ in leaf_commands()]
    assert {"db init", "cells add", "members list", "import roster", "export roster"} <= set(names)


def test_every_command_has_help_with_an_example():
    missing = [name for name, cmd in leaf_commands() if not cmd.help or "Ví dụ" not in cmd.help]
    assert missing == []


def test_every_command_is_in_the_readme():
    missing = [name for name, _ in leaf_commands() if f"dangvien {name}" not in README]
    assert missing == []


def test_readme_starts_with_the_two_setup_commands():
    blocks = [b.split("```")[0].strip() for b in README.split("```bash")[1:3]]
    assert "pip install ." in blocks[0] and "dangvien import roster" in blocks[0]
    assert 'pip install -e ".[test]"' in blocks[1] and "pytest" in blocks[1]
    ci = (Path(__file__).parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert blocks[1] in ci


def test_readme_and_ci_run_the_suite_on_postgresql_too():
    block = README.split("```bash")[3].split("```")[0].strip()
    assert block.endswith("DANGVIEN_TEST_ENGINE=postgresql pytest")
    ci = (Path(__file__).parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "\nDANGVIEN_TEST_ENGINE=postgresql pytest\n" in ci
