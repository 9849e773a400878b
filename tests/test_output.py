"""``report --output``: only a regular file is written, whole, through a temporary file of its
own; every bad target is a usage error (exit 2) with the reason, said before any work (issue 13, item 6)."""

import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from minimetrics import cli

FIXTURES = Path(__file__).parent / "fixtures"
runner = CliRunner()


def report_to(target: str) -> tuple[int, str]:
    result = runner.invoke(
        cli.app, ["report", "alpha", "--as-of", "2026-02-01", "--no-bundled", "--data-dir", str(FIXTURES), "-o", target]
    )
    return result.exit_code, result.stderr


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("", "is a folder, not a file"),  # Typer reads "" as the path "."
        (".", "is a folder, not a file"),
        ("folder", "is a folder, not a file"),
        ("missing/report.md", "does not exist"),
        ("file.md/report.md", "does not exist"),  # a parent that is a file
        ("x" * 300 + ".md", "File name too long"),
    ],
)
def test_a_bad_target_is_a_usage_error_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, reason: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "folder").mkdir()
    (tmp_path / "file.md").write_text("kept\n", encoding="utf-8")
    code, err = report_to(name)
    assert code == cli.EXIT_USAGE, err
    assert reason in err and "Traceback" not in err
    assert (tmp_path / "file.md").read_text(encoding="utf-8") == "kept\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.md", "folder"]  # nothing written


def test_a_fifo_is_refused_never_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    code, err = report_to(str(fifo))
    assert code == cli.EXIT_USAGE and "is not a regular file" in err
    assert stat.S_ISFIFO(fifo.stat().st_mode)  # still a FIFO (and nothing hung opening it)


def test_a_device_is_refused_never_replaced() -> None:
    code, err = report_to("/dev/null")
    assert code == cli.EXIT_USAGE and "is not a regular file" in err
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_symlink_to_a_device_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "out.md"
    link.symlink_to("/dev/null")
    code, err = report_to(str(link))
    assert code == cli.EXIT_USAGE and "is not a regular file" in err
    assert link.is_symlink()


def test_a_symlink_to_a_file_is_written_through_and_stays_a_link(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    real = tmp_path / "real" / "report.md"
    real.write_text("old\n", encoding="utf-8")
    real.chmod(0o640)
    link = tmp_path / "report.md"
    link.symlink_to(real)
    code, err = report_to(str(link))
    assert code == 0, err
    assert link.is_symlink() and real.read_text(encoding="utf-8").startswith("# minimetrics report: alpha")
    assert stat.S_IMODE(real.stat().st_mode) == 0o640  # the file keeps its permissions
    assert sorted(p.name for p in (tmp_path / "real").iterdir()) == ["report.md"]  # no temporary left


def test_a_loop_of_links_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    code, err = report_to(str(tmp_path / "a"))
    assert code == cli.EXIT_USAGE and "Traceback" not in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into any folder")
def test_an_unwritable_folder_is_a_usage_error(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    code, err = report_to(str(locked / "report.md"))
    assert code == cli.EXIT_USAGE and "is not writable" in err


def test_two_writers_at_once_each_have_their_own_temporary_file(tmp_path: Path) -> None:
    # Interleaved as two runs would be: each writes its own temporary file, and the file
    # ends whole, one writer's bytes, never a mixture.
    target = tmp_path / "report.md"
    with cli._atomic(target) as first, cli._atomic(target) as second:
        temporaries = sorted(p.name for p in tmp_path.iterdir())
        assert len(temporaries) == 2 and all(n.startswith(".report.md.") for n in temporaries)
        for i in range(1000):
            first.write(f"first {i}\n")
            second.write(f"second {i}\n")
    assert target.read_text(encoding="utf-8") == "".join(f"first {i}\n" for i in range(1000))
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


def test_a_new_file_gets_the_usual_permissions(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    mask = os.umask(0o022)
    try:
        assert report_to(str(target))[0] == 0
    finally:
        os.umask(mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
