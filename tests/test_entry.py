"""The console entry point (``cli.run``): a run that names its command builds only that command,
and says exactly what the whole app says."""

import sys
from typing import Any

import pytest
import typer
import typer.main

from minimetrics import cli


def _run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str, whole: bool = False
) -> tuple[int, str, str]:
    """``minimetrics ARGS`` through the entry point (``whole``: the whole app, as before): exit
    code, stdout, stderr."""
    monkeypatch.setattr(sys, "argv", ["minimetrics", *args])
    # Click names the program after how Python was started (``python -m pytest`` here).
    monkeypatch.setattr(typer._click.utils, "_detect_program_name", lambda *_: "minimetrics")
    with pytest.raises(SystemExit) as done:
        cli.app() if whole else cli.run()
    out, err = capsys.readouterr()
    return int(done.value.code or 0), out, err


def _built(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the commands Typer builds from here on, in order."""
    built: list[str] = []
    build = typer.main.get_command_from_info

    def counting(command_info: typer.models.CommandInfo, **options: Any) -> typer._click.Command:
        command = build(command_info, **options)
        built.append(str(command.name))
        return command

    monkeypatch.setattr(typer.main, "get_command_from_info", counting)
    return built


def test_every_command_has_the_name_typer_gives_it() -> None:
    # add_source is registered as "add-source", import_table as "import": the names Click parses.
    group = typer.main.get_command(cli.app)
    assert isinstance(group, typer.core.TyperGroup)
    assert sorted(cli._name(command) for command in cli.app.registered_commands) == sorted(group.commands)


def test_the_global_flags_are_mains_options_that_take_no_value() -> None:
    # A flag missing here only costs time (every command is built); one taking a value would
    # make its value look like a command's name.
    group = typer.main.get_command(cli.app)
    flags = {
        name
        for param in group.params
        if isinstance(param, typer.core.TyperOption) and param.is_flag and not param.is_eager
        for name in param.opts
    }
    assert flags - {"--install-completion", "--show-completion"} == cli.GLOBAL_FLAGS


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["list"], "list"),
        (["--quiet", "-q", "--no-cache", "--no-color", "--debug", "compare", "minimax"], "compare"),
        (["add-source", "--help"], "add-source"),
        (["import", "figures.csv"], "import"),
        ([], None),  # no command: the help lists them all
        (["--help", "list"], None),  # the app's help, not list's
        (["--version"], None),
        (["lst"], None),  # no such command: Click suggests "list" from all of them
        (["--bogus", "list"], None),  # an unknown option: Click's error, as before
        (["add_source"], None),  # Typer's name is add-source
    ],
)
def test_the_command_named_is_the_first_word_after_the_global_flags(args: list[str], named: str | None) -> None:
    assert cli.command_named(args) == named


def test_a_named_command_is_the_only_one_built_and_says_what_the_whole_app_says(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = _run(capsys, monkeypatch, "--quiet", "compare", "--help", whole=True)
    built = _built(monkeypatch)
    assert _run(capsys, monkeypatch, "--quiet", "compare", "--help") == whole
    assert built == ["compare"]
    assert whole[0] == 0
    assert whole[1].startswith("Usage: minimetrics compare [OPTIONS]")
    assert len(cli.app.registered_commands) == 17  # the app itself still has every command


def test_the_apps_help_and_a_mistyped_command_build_every_command(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    whole_help = _run(capsys, monkeypatch, "--help", whole=True)
    built = _built(monkeypatch)
    assert _run(capsys, monkeypatch, "--help") == whole_help
    assert len(built) == 17
    assert "add-source" in whole_help[1]
    code, _, err = _run(capsys, monkeypatch, "lst")
    assert code == 2
    assert "No such command 'lst'" in err
    assert "list" in err.split("No such command 'lst'")[1]  # the suggestion, made from every command


def test_shell_completion_builds_every_command(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("_MINIMETRICS_COMPLETE", "complete_bash")
    monkeypatch.setenv("COMP_WORDS", "minimetrics li")
    monkeypatch.setenv("COMP_CWORD", "1")
    built = _built(monkeypatch)
    _run(capsys, monkeypatch, "list")
    assert len(built) == 17


@pytest.mark.parametrize(
    "args",
    [
        ("--quiet", "list", "--format", "json"),
        ("compare", "minimax", "zhipu", "--format", "csv"),
        ("show", "nobody"),  # an unknown company: exit 2 and the error on stderr, as before
        ("list", "--bogus"),  # an unknown option of the command: Click's error, as before
    ],
)
def test_a_run_of_one_command_is_the_whole_apps_run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    assert _run(capsys, monkeypatch, *args) == _run(capsys, monkeypatch, *args, whole=True)
