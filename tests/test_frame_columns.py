"""``load_frame(columns=...)``: a frame of the columns a computation reads, the same rows and
values as the whole frame's columns, with the as-of rule still applied on it; and the
worker processes' module imported only when workers are used."""

import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from conftest import REPO, TESTS, changed_number, write_sheet

from minimetrics import cache, dataset, store
from minimetrics.analysis import READS, runway_table
from minimetrics.dataset import load_data, load_frame
from minimetrics.metrics import INDEX_COLUMNS, RUNWAY_METRICS, RunwayOptions
from minimetrics.problems import UsageError
from minimetrics.tidy import COLUMNS

sys.path.insert(0, str(REPO / "benchmarks"))
import synth  # type: ignore[import-not-found, unused-ignore]

REVENUE = "  revenue:\n    FY2024: {value: 30.5, unit: USD million, source: press_20260109}\n"
RUNWAY: frozenset[str] = READS["runway"] or frozenset()


def _fixtures(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(TESTS / "fixtures", folder)
    return folder


def _narrow(frame: pd.DataFrame, columns: frozenset[str]) -> pd.DataFrame:
    return frame[[c for c in COLUMNS if c in columns]]


@pytest.mark.parametrize("use_cache", [True, False], ids=["store", "no-cache"])
def test_the_columns_asked_for_are_the_whole_frames_columns(tmp_path: Path, use_cache: bool) -> None:
    folder = _fixtures(tmp_path)
    whole = load_frame(folder, cache=use_cache).frame
    for _ in range(2):  # cold, then from the store
        got = load_frame(folder, columns=sorted(RUNWAY), cache=use_cache).frame
        pd.testing.assert_frame_equal(got, _narrow(whole, RUNWAY))
    # In the frame's own order whatever the order asked for; with companies and metrics too.
    two = load_frame(folder, ["gamma", "alpha"], RUNWAY_METRICS, columns=["value", "company"], cache=use_cache)
    expected = load_frame(folder, ["gamma", "alpha"], RUNWAY_METRICS, cache=use_cache).frame
    assert list(two.frame.columns) == ["company", "value"]
    pd.testing.assert_frame_equal(two.frame, expected[["company", "value"]])
    assert two.ids == ("alpha", "beta", "gamma") and len(two.frame) == len(expected) > 0


def test_runway_reads_only_its_columns_and_the_as_of_rules() -> None:
    # Every column the runway table and the as-of rule read is among READS["runway"]: a
    # missing one is a KeyError. The days are the existing as-of tests' (reports dropped and
    # decided again on 2026-01-09 and 2026-01-12), and one after every publication.
    folder = dataset.resolve_data_dir()
    data = load_data(folder)
    narrow = load_frame(folder, None, RUNWAY_METRICS, columns=RUNWAY)
    assert len(narrow.frame.columns) == len(RUNWAY) < len(COLUMNS)
    for day in (date(2026, 1, 9), date(2026, 1, 12), date(2026, 11, 30)):
        for detail in (False, True):
            options = RunwayOptions(as_of=day, with_ipo=None if detail else False)
            # Compared by repr: a NaN (no IPO money) is not equal to itself.
            assert repr(runway_table(narrow, [], options, detail)) == repr(runway_table(data, [], options, detail))
    assert INDEX_COLUMNS <= RUNWAY


def test_a_column_that_is_not_one_is_a_usage_error(tmp_path: Path) -> None:
    folder = _fixtures(tmp_path)
    with pytest.raises(UsageError) as raised:
        load_frame(folder, columns=["company", "amont"])
    assert raised.value.message == '"amont" is not a column of the facts frame'
    assert "amount" in raised.value.hint
    with pytest.raises(UsageError, match="no column"):
        load_frame(folder, columns=[])


def _segments(folder: Path) -> list[str | None]:
    return [e.segment for e in store.Store.of(folder).entries.values()]


def test_only_the_columns_asked_for_are_checked(tmp_path: Path) -> None:
    # A number changed on disk in a column not asked for is never read: the store is used as
    # it is. Changed in a column asked for, it is a miss: the sheets are read again, and their
    # rows written as a new segment. (Forty sheets: each number column spans several chunks,
    # so that ``value`` and ``amount`` lie in chunks of their own.)
    folder = tmp_path / "data"
    synth.generate(folder, 40)
    amounts = load_frame(folder).frame["amount"]
    assert len(amounts) * 8 > 2 * store.CHUNK
    before = _segments(folder)
    [segment] = sorted((cache.cache_dir() / "frames").glob("*/*.seg"))
    changed_number(segment, "value", 0, 12345.0)
    got = load_frame(folder, columns=["company", "amount"]).frame["amount"]
    pd.testing.assert_series_equal(got, amounts)
    assert _segments(folder) == before
    changed_number(segment, "amount", 0, 12345.0)
    got = load_frame(folder, columns=["company", "amount"]).frame["amount"]
    pd.testing.assert_series_equal(got, amounts)
    assert _segments(folder) != before


_IMPORTS = """
import sys
from pathlib import Path
from minimetrics import dataset
folder = Path(sys.argv[1])
dataset.load_data(folder)
print("multiprocessing" in sys.modules)
dataset.load_frame(folder)
print("multiprocessing" in sys.modules)
"""


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="workers are used only with two cores or more")
def test_the_worker_processes_module_is_imported_only_to_start_workers(tmp_path: Path) -> None:
    few, many = tmp_path / "few", tmp_path / "many"
    for folder, count in ((few, 3), (many, dataset.PARALLEL_FROM)):
        folder.mkdir()
        for number in range(count):
            write_sheet(folder, REVENUE, company_id=f"acme{number:03d}")
    env = {**os.environ, "PYTHONPATH": str(REPO)}

    def imported(folder: Path) -> list[str]:
        run = subprocess.run([sys.executable, "-c", _IMPORTS, str(folder)], capture_output=True, text=True, env=env)
        assert run.returncode == 0, run.stderr
        return run.stdout.split()

    assert imported(few) == ["False", "False"]  # read here, in one process: never imported
    assert imported(many)[0] == "True"  # cold: read by workers
    assert imported(many) == ["False", "False"]  # warm: nothing read afresh


@pytest.mark.parametrize("company", [5, ["acme"], {"id": "acme"}])
def test_a_manifest_entry_whose_company_is_not_text_is_a_miss(tmp_path: Path, company: object) -> None:
    write_sheet(tmp_path, REVENUE)
    load_frame(tmp_path)
    [path] = sorted((cache.cache_dir() / "frames").glob("*/manifest.json"))
    manifest = json.loads(path.read_bytes())
    manifest["sheets"]["acme.yaml"]["company"] = company
    manifest["sheets"]["acme.yaml"]["recorded"] += 10**18  # trusted without reading the sheet
    path.write_text(json.dumps(manifest))
    found = load_frame(tmp_path, ["acme"])
    assert found.ids == ("acme",) and found.frame["amount"].tolist() == [30.5e6]  # 30.5 USD million


def test_a_batch_reads_without_the_collector_and_turns_it_back_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The workers' batches read with the cyclic collector off (its passes were a fifth of their
    # CPU); the collector is on again after a batch, also after one that fails.
    import gc

    write_sheet(tmp_path, REVENUE)
    held = store.Store(tmp_path / "store", "key")
    seen: list[bool] = []
    real = dataset._entry_of

    def spying(path: Path, cache: bool | None) -> object:
        seen.append(gc.isenabled())
        return real(path, cache)

    monkeypatch.setattr(dataset, "_entry_of", spying)
    [entry] = dataset._batch((held, [tmp_path / "acme.yaml"], False, False))
    assert entry.company == "acme" and seen == [False] and gc.isenabled()
    with pytest.raises(FileNotFoundError):
        dataset._batch((held, [tmp_path / "missing.yaml"], False, False))
    assert gc.isenabled()
