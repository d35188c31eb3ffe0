"""The command line imports only the module of the command it runs (issue 22: the prompt), so
its table of which module adds which commands must be what the modules really add; and a
command named wrongly, or none, still gets argparse's answer listing every command."""

from __future__ import annotations

import argparse
import importlib

import pytest

from notifier.cli import COMMANDS, build_parser, command_module, main


def added_by(module_name: str) -> list[str]:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers()
    module = importlib.import_module(f"notifier.cli.{module_name}")
    module.add_parsers(commands, argparse.ArgumentParser(add_help=False))
    return list(commands.choices)


@pytest.mark.parametrize("module_name", list(COMMANDS))
def test_the_table_names_exactly_the_commands_each_module_adds(module_name: str) -> None:
    assert tuple(added_by(module_name)) == COMMANDS[module_name]


def test_no_command_is_in_two_modules() -> None:
    names = [name for commands in COMMANDS.values() for name in commands]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(
    ("argv", "module_name"),
    [
        (["check", "--as-of", "2026-11-24"], "timeline_cmd"),
        (["audit", "--verify"], "records_cmd"),
        (["law", "history"], "changes_cmd"),
        (["init"], "scan_cmd"),
        ([], None),
        (["--help"], None),
        (["--version"], None),
        (["chekc"], None),
        (["--config", "x.toml", "check"], None),
    ],
)
def test_the_module_of_a_command_line(argv: list[str], module_name: str | None) -> None:
    assert command_module(argv) == module_name


def test_the_full_parser_lists_every_command_in_the_table_order() -> None:
    help_text = build_parser().format_help()
    every = [name for commands in COMMANDS.values() for name in commands]
    assert all(name in help_text for name in every)
    assert (
        build_parser()._subparsers._group_actions[0].choices.keys()  # type: ignore[union-attr]
        == dict.fromkeys(every).keys()
    )


def test_an_unknown_command_is_refused_with_the_list_of_commands(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["chekc"]) == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'chekc'" in err
    assert all(f"'{name}'" in err for name in ("check", "token", "law"))


def test_one_command_s_help_is_its_own(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: notifier check ")
    assert "--as-of" in out
