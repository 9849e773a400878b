"""The cache of read sheets: a changed byte is read afresh, a damaged or foreign entry is
rebuilt, a new version misses, --no-cache neither reads nor writes, an unusable folder is no
cache, and the progress callback sees every file."""

import io
import os
import pickle
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import write_sheet
from typer.testing import CliRunner

import minimetrics
from minimetrics import cache, cli, dataset, render
from minimetrics.dataset import check_files, load_data
from minimetrics.factsheet import read_sheet

REVENUE = "  revenue:\n    FY2024: {value: 30.5, unit: USD million, source: press_20260109}\n"


def _revenue(folder: Path) -> float | None:
    [sheet] = load_data(folder).sheets
    fact = sheet.fact("revenue", "FY2024")
    assert fact is not None
    return fact.value.value


def _entries() -> list[Path]:
    return sorted(cache.cache_dir().glob("*.pickle"))


def test_an_edit_in_place_is_read_afresh_even_with_the_same_size_and_time(tmp_path: Path) -> None:
    path = write_sheet(tmp_path, REVENUE)
    assert _revenue(tmp_path) == 30.5
    assert len(_entries()) == 1
    assert _revenue(tmp_path) == 30.5  # from the cache
    stat = path.stat()
    path.write_bytes(path.read_bytes().replace(b"value: 30.5,", b"value: 31.5,"))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size and path.stat().st_mtime_ns == stat.st_mtime_ns
    assert _revenue(tmp_path) == 31.5
    assert len(_entries()) == 2  # the old entry is never found again


def test_the_cache_gives_what_the_reader_gives(tmp_path: Path) -> None:
    path = write_sheet(tmp_path, REVENUE)
    fresh = read_sheet(path)
    load_data(tmp_path)
    cached = load_data(tmp_path)
    assert cached.sheets == (fresh[0],)
    assert list(cached.warnings) == fresh[1]
    assert fresh[1] and all("is not cited" in p.message for p in fresh[1])  # the head's other sources


@pytest.mark.parametrize(
    "damage",
    [
        b"",  # empty
        b"\x80\x05garbage",  # not a pickle
        None,  # truncated: filled in below
        pickle.dumps({"revenue": 999.0}),  # a foreign pickle
        pickle.dumps(("minimetrics-sheet-cache", "another-entry", (None, []))),  # another entry's content
    ],
    ids=["empty", "garbage", "truncated", "foreign", "misplaced"],
)
def test_a_damaged_entry_is_ignored_and_rebuilt(tmp_path: Path, damage: bytes | None) -> None:
    write_sheet(tmp_path, REVENUE)
    load_data(tmp_path)
    [entry] = _entries()
    whole = entry.read_bytes()
    entry.write_bytes(whole[: len(whole) // 2] if damage is None else damage)
    assert _revenue(tmp_path) == 30.5
    assert entry.read_bytes() == whole  # rewritten


def test_validate_reads_through_the_cache_but_checks_dates_afresh(tmp_path: Path) -> None:
    write_sheet(tmp_path, REVENUE)
    late = [p.message for p in check_files([tmp_path], date(2024, 6, 30))]
    assert any("ends after the as-of date 2024-06-30" in m for m in late)
    assert len(_entries()) == 1
    later = [p.message for p in check_files([tmp_path], date(2026, 6, 30))]
    assert not any("ends after the as-of date" in m for m in later)


def test_a_new_version_misses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_sheet(tmp_path, REVENUE)
    data = path.read_bytes()
    load_data(tmp_path)
    before = cache.entry_name(path, data, "read_sheet")
    monkeypatch.setattr(minimetrics, "__version__", "99.0.0")
    assert cache.entry_name(path, data, "read_sheet") != before
    assert _revenue(tmp_path) == 30.5
    assert len(_entries()) == 2
    monkeypatch.setattr(cache, "CACHE_FORMAT", cache.CACHE_FORMAT + 1)
    assert _revenue(tmp_path) == 30.5
    assert len(_entries()) == 3
    monkeypatch.setattr(cache, "_code", lambda: "the reading code after an edit")  # same version, new code
    assert _revenue(tmp_path) == 30.5
    assert len(_entries()) == 4


def test_a_copied_sheet_reports_its_own_path(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    write_sheet(first, REVENUE)
    second.mkdir()
    shutil.copy(first / "acme.yaml", second / "acme.yaml")
    assert {p.path for p in load_data(first).warnings} == {first / "acme.yaml"}
    assert {p.path for p in load_data(second).warnings} == {second / "acme.yaml"}
    assert load_data(second).sheets[0].path == second / "acme.yaml"


def test_no_cache_neither_reads_nor_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_sheet(tmp_path, REVENUE)
    runner = CliRunner()
    result = runner.invoke(
        cli.app, ["--no-cache", "list", "--no-bundled", "--data-dir", str(tmp_path), "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    assert _entries() == []
    monkeypatch.setenv("MINIMETRICS_NO_CACHE", "1")
    assert runner.invoke(cli.app, ["list", "--no-bundled", "--data-dir", str(tmp_path)]).exit_code == 0
    assert _entries() == []
    monkeypatch.delenv("MINIMETRICS_NO_CACHE")
    assert runner.invoke(cli.app, ["list", "--no-bundled", "--data-dir", str(tmp_path)]).exit_code == 0
    [entry] = _entries()
    # An entry planted with another figure is used with the cache, never without it.
    path = tmp_path / "acme.yaml"
    other = tmp_path / "other"
    other.mkdir()
    wrong = read_sheet(write_sheet(other, REVENUE.replace("30.5", "99.5")))
    name = cache.entry_name(path, path.read_bytes(), "read_sheet")
    entry.write_bytes(pickle.dumps(("minimetrics-sheet-cache", name, wrong)))
    assert _revenue(tmp_path) == 99.5  # read from the planted entry: the cache is in use
    assert load_data(tmp_path, cache=False).sheets[0].fact("revenue", "FY2024").value.value == 30.5  # type: ignore[union-attr]
    assert (
        runner.invoke(
            cli.app, ["--no-cache", "show", "acme", "--no-bundled", "--data-dir", str(tmp_path)]
        ).stdout.count("30.5")
        == 1
    )


def test_an_unusable_cache_folder_is_no_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_sheet(tmp_path, REVENUE)
    blocker = tmp_path / "not-a-folder.txt"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv("MINIMETRICS_CACHE_DIR", str(blocker / "cache"))
    assert _revenue(tmp_path) == 30.5
    assert _revenue(tmp_path) == 30.5


def test_the_cache_folder_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("MINIMETRICS_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "xdg" / "minimetrics"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.cache_dir() == tmp_path / "home" / ".cache" / "minimetrics"


def test_parallel_runs_leave_whole_entries(tmp_path: Path) -> None:
    for number in range(12):
        write_sheet(tmp_path, REVENUE.replace("30.5", f"{30 + number}.5"), company_id=f"acme{number}")
    script = "import sys; from pathlib import Path; from minimetrics import load_data; load_data(Path(sys.argv[1]))"
    runs = [subprocess.Popen([sys.executable, "-c", script, str(tmp_path)]) for _ in range(4)]
    assert [run.wait() for run in runs] == [0, 0, 0, 0]
    entries = _entries()
    assert len(entries) == 12
    assert not list(cache.cache_dir().glob(".tmp-*"))
    for entry in entries:
        mark, _, (sheet, _problems) = pickle.loads(entry.read_bytes())
        assert mark == "minimetrics-sheet-cache" and sheet is not None


def test_progress_is_called_after_every_file(tmp_path: Path) -> None:
    for number in range(3):
        write_sheet(tmp_path, REVENUE, company_id=f"acme{number}")
    seen: list[tuple[int, int]] = []
    load_data(tmp_path, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 3), (2, 3), (3, 3)]
    seen.clear()
    check_files([tmp_path], progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 3), (2, 3), (3, 3)]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_progress_bar_only_on_a_terminal_and_only_for_many_files(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    piped = io.StringIO()
    with render.LoadProgress(piped) as progress:
        for done in range(1, 201):
            progress(done, 200)
        assert progress.bar is None
    assert piped.getvalue() == ""
    terminal = _Terminal()
    with render.LoadProgress(terminal) as progress:
        progress(1, render.PROGRESS_FROM)
        assert progress.bar is None  # a small folder loads too fast for a bar
        for done in range(1, 201):
            progress(done, 200)
        assert progress.bar is not None
    assert progress.bar is None
    monkeypatch.setenv("CI", "true")
    with render.LoadProgress(_Terminal()) as progress:
        progress(1, 200)
        assert progress.bar is None


def test_many_sheets_read_on_every_core_give_what_one_reader_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for number in range(dataset.PARALLEL_FROM + 6):
        write_sheet(tmp_path, REVENUE.replace("30.5", f"{number}.5"), company_id=f"acme{number:03d}")
    seen: list[tuple[int, int]] = []
    together = load_data(tmp_path, progress=lambda done, total: seen.append((done, total)))  # cold: read anew
    assert seen[-1] == (dataset.PARALLEL_FROM + 6, dataset.PARALLEL_FROM + 6) and len(seen) == seen[-1][0]
    assert len(_entries()) == dataset.PARALLEL_FROM + 6  # the workers kept what they read
    checked = check_files([tmp_path], date(2026, 1, 1), cache=False)
    assert len(checked) == 2 * (dataset.PARALLEL_FROM + 6)  # each sheet: two sources it does not cite
    monkeypatch.setattr(dataset, "PARALLEL_FROM", 10**9)
    alone = load_data(tmp_path, cache=False)
    assert together == alone
    assert check_files([tmp_path], date(2026, 1, 1), cache=False) == checked
    assert [s.fact("revenue", "FY2024").value.value for s in together.sheets][:3] == [0.5, 1.5, 2.5]  # type: ignore[union-attr]
