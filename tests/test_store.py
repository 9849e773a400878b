"""The store of the facts frame: it gives what the records give, reads only changed sheets,
writes only new segments, treats anything odd as a miss, never runs code or waits when read,
and validate takes the date-independent problems from it."""

import json
import os
import pickle
import shutil
import subprocess
import sys
import weakref
from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from conftest import REPO, TESTS, changed_number, write_sheet

from minimetrics import cache, dataset, store
from minimetrics.dataset import check_files, load_data, load_frame
from minimetrics.factsheet import FactSheet, read_sheet
from minimetrics.metrics import RUNWAY_METRICS
from minimetrics.problems import FactSheetError, Problem
from minimetrics.tidy import facts_frame

sys.path.insert(0, str(REPO / "benchmarks"))
import synth  # type: ignore[import-not-found, unused-ignore]

REVENUE = "  revenue:\n    FY2024: {value: 30.5, unit: USD million, source: press_20260109}\n"


def _fixtures(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(TESTS / "fixtures", folder)
    return folder


def _expected(folder: Path, ids: list[str] | None = None, metrics: frozenset[str] | None = None) -> pd.DataFrame:
    sheets = [s for s in load_data(folder, cache=False).sheets if ids is None or s.company.id in ids]
    if metrics is not None:
        sheets = [replace(s, facts=tuple(f for f in s.facts if f.metric in metrics)) for s in sheets]
    return facts_frame(sheets)


def _revenue(folder: Path, company: str = "acme") -> float:
    frame = load_frame(folder, [company], frozenset({"revenue"})).frame
    return float(frame[frame["period"] == "FY2024"]["value"].iloc[0])


def _store_files() -> list[Path]:
    return sorted((cache.cache_dir() / "frames").glob("*/*"))


def test_the_store_gives_the_frame_the_records_give(tmp_path: Path) -> None:
    folder = _fixtures(tmp_path)
    expected = _expected(folder)
    for _ in range(2):  # cold, then from the store
        pd.testing.assert_frame_equal(load_frame(folder).frame, expected)
    pd.testing.assert_frame_equal(load_frame(folder, cache=False).frame, expected)
    chosen = load_frame(folder, ["gamma", "alpha"], RUNWAY_METRICS)
    pd.testing.assert_frame_equal(chosen.frame, _expected(folder, ["alpha", "gamma"], RUNWAY_METRICS))
    assert list(dict.fromkeys(chosen.frame["company"])) == ["alpha", "gamma"]  # folder order, as before
    assert chosen.ids == ("alpha", "beta", "gamma")
    assert chosen.fx == load_data(folder).fx and chosen.fx is not None
    assert chosen.warnings == load_data(folder).warnings
    assert not any(p.suffix == ".pickle" for p in _store_files())  # JSON and raw columns only
    json.loads(next(p for p in _store_files() if p.name == "manifest.json").read_text())


def test_many_sheets_read_on_every_core_give_the_same_frame(tmp_path: Path) -> None:
    synth.generate(tmp_path, dataset.PARALLEL_FROM + 6)
    names = [f"synth{i:04d}" for i in (3, 70, 1)]
    first = load_frame(tmp_path, names)  # cold: read by the workers, several segments
    assert len({p for p in _store_files() if p.suffix == ".seg"}) > 1
    expected = _expected(tmp_path, names)
    pd.testing.assert_frame_equal(first.frame, expected)
    pd.testing.assert_frame_equal(load_frame(tmp_path, names).frame, expected)
    assert first.company_id("SYNTH0070") == "synth0070"


def test_an_edit_in_place_is_read_afresh_even_with_the_same_size_and_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_sheet(tmp_path, REVENUE)
    assert _revenue(tmp_path) == 30.5
    for trusted, (old, new) in ((False, ("30.5", "31.5")), (True, ("31.5", "32.5"))):
        if trusted:  # the stat key is trusted at once: the changed ctime still tells
            monkeypatch.setattr(store, "RACY_NS", -(10**18))
        stat = path.stat()
        path.write_bytes(path.read_bytes().replace(f"value: {old},".encode(), f"value: {new},".encode()))
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        assert path.stat().st_size == stat.st_size and path.stat().st_mtime_ns == stat.st_mtime_ns
        assert _revenue(tmp_path) == float(new)


def test_an_edit_of_one_sheet_reads_and_writes_only_that_sheet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for number in range(5):
        write_sheet(tmp_path, REVENUE.replace("30.5", f"{number}.5"), company_id=f"acme{number}")
    load_frame(tmp_path)
    before = {p.name: p.stat().st_mtime_ns for p in _store_files() if p.suffix == ".seg"}
    assert len(before) == 1  # read together
    monkeypatch.setattr(store, "RACY_NS", -(10**18))  # trust stat keys at once, as minutes later
    read: list[Path] = []

    def counted(path: Path, data: bytes | None = None) -> tuple[FactSheet | None, list[Problem]]:
        read.append(path)
        return read_sheet(path, data)

    monkeypatch.setattr(dataset, "read_sheet", counted)
    monkeypatch.setattr(dataset, "read_through", lambda path, data, reader, record, use: reader(path, data))
    edited = tmp_path / "acme3.yaml"
    edited.write_text(edited.read_text().replace("3.5", "7.5"))
    assert _revenue(tmp_path, "acme3") == 7.5
    assert read == [edited]
    after = {p.name: p.stat().st_mtime_ns for p in _store_files() if p.suffix == ".seg"}
    assert len(set(after) - set(before)) == 1  # one new segment; the others untouched
    assert all(after[name] == mtime for name, mtime in before.items() if name in after)
    assert [_revenue(tmp_path, f"acme{n}") for n in range(5)] == [0.5, 1.5, 2.5, 7.5, 4.5]
    assert read == [edited]


def test_validate_takes_unchanged_sheets_from_the_manifest_and_checks_dates_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _fixtures(tmp_path)
    as_of = date(2026, 11, 24)
    expected = check_files([folder], as_of, cache=False)
    assert check_files([folder], as_of) == expected  # cold: fills the manifest
    monkeypatch.setattr(store, "RACY_NS", -(10**18))

    def refused(path: Path, data: bytes | None = None) -> tuple[FactSheet | None, list[Problem]]:
        raise AssertionError(f"{path} was read")

    monkeypatch.setattr(dataset, "read_sheet", refused)
    assert check_files([folder], as_of) == expected
    monkeypatch.undo()
    early = date(2024, 6, 30)  # before periods the sheets name: those sheets are read and their dates checked
    late = check_files([folder], early)
    assert late == check_files([folder], early, cache=False)
    assert any("ends after the as-of date 2024-06-30" in p.message for p in late)


def test_errors_are_raised_from_the_manifest_as_load_data_raises_them(tmp_path: Path) -> None:
    folder = _fixtures(tmp_path)
    broken = folder / "beta.yaml"
    broken.write_text(broken.read_text().replace("company:", "company:\n  colour: blue", 1))
    with pytest.raises(FactSheetError) as expected:
        load_data(folder, cache=False)
    for _ in range(2):
        with pytest.raises(FactSheetError) as raised:
            load_frame(folder)
        assert raised.value.problems == expected.value.problems


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(b""),
        lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]),
        lambda p: p.write_bytes(b"MMFRAME1" + b"\xff" * 64),
        lambda p: p.write_bytes(p.read_bytes().replace(b'"key":"', b'"key":"x', 1)),  # another store's
        lambda p: p.write_bytes(p.read_bytes()[:-8] + b"\x7f" * 8),  # a code outside its table
        lambda p: p.write_bytes(p.read_bytes().replace(b'"raw":"<f8"', b'"raw":"|O8"', 1)),  # objects
    ],
    ids=["empty", "truncated", "garbage", "foreign", "code", "object"],
)
def test_a_damaged_segment_is_a_miss(tmp_path: Path, damage: object) -> None:
    write_sheet(tmp_path, REVENUE)
    assert _revenue(tmp_path) == 30.5
    [segment] = [p for p in _store_files() if p.suffix == ".seg"]
    damage(segment)  # type: ignore[operator]
    assert _revenue(tmp_path) == 30.5
    pd.testing.assert_frame_equal(load_frame(tmp_path).frame, _expected(tmp_path))


def test_a_number_changed_on_disk_is_a_miss_not_a_wrong_figure(tmp_path: Path) -> None:
    # The CRC-32 of the chunk the row lies in no longer matches: the sheet is read again.
    write_sheet(tmp_path, REVENUE)
    assert _revenue(tmp_path) == 30.5
    [segment] = [p for p in _store_files() if p.suffix == ".seg"]
    changed_number(segment, "value", 0, 31.5)
    assert _revenue(tmp_path) == 30.5
    pd.testing.assert_frame_equal(load_frame(tmp_path).frame, _expected(tmp_path))


def test_a_read_of_some_sheets_checks_only_the_chunks_their_rows_lie_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Forty sheets in one segment; the damage is in the last sheet's rows: a read of the first
    # sheet does not check those chunks (and gives its rows), a read of the last one does.
    folder = tmp_path / "data"
    synth.generate(folder, 40)
    whole = load_frame(folder).frame
    [segment] = [p for p in _store_files() if p.suffix == ".seg"]
    changed_number(segment, "value", len(whole) - 1, 12345.0)
    checked: list[int] = []
    real = store.Segment.intact

    def counted(self: store.Segment, column: store.Column, start: int, stop: int) -> bool:
        found = real(self, column, start, stop)
        checked.append(len(self.checked))
        return found

    monkeypatch.setattr(store.Segment, "intact", counted)
    first = load_frame(folder, ["synth0001"]).frame
    pd.testing.assert_frame_equal(first, whole[whole["company"] == "synth0001"].reset_index(drop=True))
    assert 0 < max(checked) < len(segment.read_bytes()) // store.CHUNK // 2  # some chunks, not the segment's
    last = load_frame(folder, ["synth0040"]).frame  # damaged: a miss, read again
    pd.testing.assert_frame_equal(last, whole[whole["company"] == "synth0040"].reset_index(drop=True))


@pytest.mark.parametrize(
    "manifest",
    [b"", b"{", b"[]", b'{"mark": "minimetrics-frame-store", "key": "another", "sheets": {}}', b"\xff\xfe"],
    ids=["empty", "truncated", "list", "foreign", "garbage"],
)
def test_a_damaged_manifest_is_a_miss(tmp_path: Path, manifest: bytes) -> None:
    write_sheet(tmp_path, REVENUE)
    load_frame(tmp_path)
    [path] = [p for p in _store_files() if p.name == "manifest.json"]
    path.write_bytes(manifest)
    assert _revenue(tmp_path) == 30.5
    assert json.loads(path.read_bytes())["sheets"]["acme.yaml"]["company"] == "acme"  # rewritten


def test_a_manifest_entry_without_records_or_errors_is_a_miss(tmp_path: Path) -> None:
    write_sheet(tmp_path, REVENUE)
    load_frame(tmp_path)
    [path] = [p for p in _store_files() if p.name == "manifest.json"]
    manifest = json.loads(path.read_bytes())
    manifest["sheets"]["acme.yaml"]["company"] = None  # would make the sheet vanish with exit 0
    manifest["sheets"]["acme.yaml"]["recorded"] += 10**18
    path.write_text(json.dumps(manifest))
    assert load_frame(tmp_path).ids == ("acme",)


def _plant(entry: Path, kind: str) -> None:
    entry.unlink(missing_ok=True)
    if kind == "fifo":
        os.mkfifo(entry)
    elif kind == "zero":
        entry.symlink_to("/dev/zero")
    elif kind == "folder":
        entry.mkdir()


@pytest.mark.parametrize("kind", ["fifo", "zero", "folder"])
def test_a_planted_entry_that_is_not_a_regular_file_is_a_miss_not_a_hang(tmp_path: Path, kind: str) -> None:
    write_sheet(tmp_path, REVENUE)
    load_frame(tmp_path)
    load_data(tmp_path)
    planted = [p for p in _store_files() if p.suffix == ".seg" or p.name == "manifest.json"]
    planted += sorted(cache.cache_dir().glob("*.pickle"))
    assert len(planted) == 3
    for entry in planted:
        _plant(entry, kind)
    # In a child process with a time limit: a hang fails the test instead of stopping the run.
    script = (
        "import sys; from pathlib import Path; from minimetrics.dataset import load_frame, load_data, check_files\n"
        "folder = Path(sys.argv[1])\n"
        "frame = load_frame(folder, ['acme'], frozenset({'revenue'})).frame\n"
        "print(float(frame['value'].iloc[0]), load_data(folder).sheets[0].fact('revenue', 'FY2024').value.value,"
        " len(check_files([folder])))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["30.5", "30.5", "2"]  # two sources the sheet does not cite


def test_an_oversized_entry_is_a_miss(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_sheet(tmp_path, REVENUE)
    load_frame(tmp_path)
    monkeypatch.setattr(store, "MAX_SEGMENT", 16)
    monkeypatch.setattr(store, "MAX_MANIFEST", 16)
    assert cache.read_regular(next(p for p in _store_files() if p.name == "manifest.json"), 16) is None
    assert _revenue(tmp_path) == 30.5


class _Payload:
    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, ("touch planted-marker",))


def test_a_record_entry_naming_other_code_is_a_miss_and_never_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_sheet(tmp_path, REVENUE)
    monkeypatch.chdir(tmp_path)
    load_data(tmp_path)
    name = cache.entry_name(path, path.read_bytes(), "read_sheet")
    payloads: list[object] = [_Payload(), (None, [])]
    for payload in payloads:  # code; a sheet made to vanish without an error
        (cache.cache_dir() / name).write_bytes(pickle.dumps(("minimetrics-sheet-cache", name, payload)))
        [sheet] = load_data(tmp_path).sheets
        assert sheet.company.id == "acme"
    assert not (tmp_path / "planted-marker").exists()


def test_no_cache_neither_reads_nor_writes_the_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_sheet(tmp_path, REVENUE)
    assert load_frame(tmp_path, cache=False).ids == ("acme",)
    assert _store_files() == []
    monkeypatch.setenv("MINIMETRICS_NO_CACHE", "1")
    assert _revenue(tmp_path) == 30.5
    check_files([tmp_path])
    assert _store_files() == []
    monkeypatch.delenv("MINIMETRICS_NO_CACHE")
    assert _revenue(tmp_path) == 30.5
    assert _store_files() != []


def _segments_used() -> set[str]:
    [manifest] = [p for p in _store_files() if p.name == "manifest.json"]
    return {e["rows"][0] for e in json.loads(manifest.read_bytes())["sheets"].values()}


def test_edits_one_by_one_are_compacted_into_one_segment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for number in range(12):
        write_sheet(tmp_path, REVENUE.replace("30.5", f"{number}.5"), company_id=f"acme{number:02d}")
    load_frame(tmp_path)
    assert len(_segments_used()) == 1
    monkeypatch.setattr(store, "RACY_NS", -(10**18))
    seen = []
    for number in range(12):  # each edit adds a segment; past 2 x 1 + 8 = 10 they are copied into one
        path = tmp_path / f"acme{number:02d}.yaml"
        path.write_text(path.read_text().replace(f"value: {number}.5,", f"value: {number + 100}.5,"))
        load_frame(tmp_path)
        seen.append(len(_segments_used()))
    assert seen == [2, 3, 4, 5, 6, 7, 8, 9, 10, 1, 2, 3]
    pd.testing.assert_frame_equal(load_frame(tmp_path).frame, _expected(tmp_path))
    assert _revenue(tmp_path, "acme11") == 111.5


def test_companies_are_found_by_what_their_sheets_say(tmp_path: Path) -> None:
    folder = _fixtures(tmp_path)
    data = load_frame(folder)
    sheets = load_data(folder).sheets
    for sheet in sheets:
        for query in (sheet.company.id, sheet.company.name.upper(), *sheet.company.tickers):
            assert data.company_id(query) == dataset.find_company(load_data(folder), query).company.id
    with pytest.raises(dataset.UnknownCompanyError):
        load_frame(folder, ["nobody"])


def test_segments_are_mapped_one_at_a_time_and_a_run_may_come_back_to_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for number in range(3):
        write_sheet(tmp_path, REVENUE.replace("30.5", f"{number}.5"), company_id=f"acme{number}")
    load_frame(tmp_path)
    monkeypatch.setattr(store, "RACY_NS", -(10**18))
    edited = tmp_path / "acme1.yaml"  # acme1's rows go to a second segment: the runs are A, B, A
    edited.write_text(edited.read_text().replace("value: 1.5,", "value: 9.5,"))
    assert _revenue(tmp_path, "acme1") == 9.5
    assert len(_segments_used()) == 2
    alive: list[weakref.ref[store.Segment]] = []
    mapped_at_once = []
    real = store.Store.read_segment

    def counted(self: store.Store, name: str) -> store.Segment | None:
        segment = real(self, name)
        if segment is not None:
            alive.append(weakref.ref(segment))
        mapped_at_once.append(sum(ref() is not None for ref in alive))
        return segment

    monkeypatch.setattr(store.Store, "read_segment", counted)
    frame = load_frame(tmp_path).frame
    pd.testing.assert_frame_equal(frame, _expected(tmp_path))
    assert frame["value"].tolist() == [0.5, 9.5, 2.5]  # in folder order across the two segments
    assert mapped_at_once == [1, 1, 1]  # A, then B (A let go), then A again (B let go)


def test_the_rows_of_two_folders_are_assembled_at_once_as_the_records_give_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _fixtures(tmp_path)
    second = tmp_path / "more"
    second.mkdir()
    write_sheet(second, REVENUE, company_id="acme")
    expected = pd.concat([_expected(first), _expected(second)], ignore_index=True)

    def refused(frames: list[pd.DataFrame]) -> pd.DataFrame:
        raise AssertionError("the folders' frames were joined, not assembled at once")

    monkeypatch.setattr(dataset, "_concat", refused)
    for _ in range(2):  # cold (the segments are written first), then warm
        pd.testing.assert_frame_equal(load_frame([first, second]).frame, expected)
    chosen = load_frame([first, second], ["acme", "alpha"], frozenset({"revenue"})).frame
    assert list(dict.fromkeys(chosen["company"])) == ["alpha", "acme"]  # folder order
    assert set(chosen["metric"]) == {"revenue"}
