"""The as-of rule on the facts frame (``history.facts_on``, ``frame_on``) gives exactly what
``known_on`` + ``facts_frame`` give from the records, on the shipped sheets and the fixtures,
for the day before and the day of every publication, and before and after them all."""

from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from minimetrics.analysis import comparison, growth_table, margin_table, runway_table
from minimetrics.dataset import Dataset, load_data, load_frame, resolve_data_dir
from minimetrics.history import as_of_note, facts_on, frame_on, known_on
from minimetrics.metrics import RUNWAY_METRICS, RunwayOptions
from minimetrics.tidy import facts_frame

FIXTURES = Path(__file__).parent / "fixtures"
FOLDERS = {"shipped": resolve_data_dir(), "fixtures": FIXTURES}


def _days(data: Dataset) -> list[date]:
    published = sorted({s.published for sheet in data.sheets for s in sheet.sources})
    around = {d + timedelta(days=step) for d in published for step in (-1, 0)}
    return sorted(around | {date(2000, 1, 1), date(2030, 1, 1)})


def _same(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(
        got.reset_index(drop=True), expected.reset_index(drop=True), check_dtype=False, check_index_type=False
    )


@pytest.mark.parametrize("name", sorted(FOLDERS))
def test_facts_on_is_known_on_for_every_day(name: str) -> None:
    data = load_data(FOLDERS[name])
    frame = facts_frame(data.sheets)
    days = _days(data)
    assert len(days) > 10
    redecided = 0
    for day in days:
        expected = facts_frame(known_on(data, day).sheets)
        got = facts_on(frame, day)
        _same(got, expected)
        kept = frame[frame["source_published"] <= pd.Timestamp(day)].reset_index(drop=True)
        redecided += int((kept["preferred"] != expected["preferred"].reset_index(drop=True)).sum())
    # Not only rows dropped: some days change which report is shown (else the test would not test choose).
    assert redecided > 0


@pytest.mark.parametrize("name", sorted(FOLDERS))
def test_frame_on_from_the_store_is_known_on(name: str) -> None:
    data = load_data(FOLDERS[name])
    stored = load_frame(FOLDERS[name])
    for day in (date(2025, 12, 31), date(2026, 1, 9), date(2026, 1, 12), date(2026, 3, 3)):
        on = frame_on(stored, day)
        known = known_on(data, day)
        _same(on.frame, facts_frame(known.sheets))
        assert (on.fx is None) == (known.fx is None)
        assert on.fx is None or on.fx.rates == known.fx.rates  # type: ignore[union-attr]
        assert as_of_note(stored, day, date(2026, 11, 30)) == as_of_note(data, day, date(2026, 11, 30))
    assert as_of_note(stored, date(2001, 1, 1), date(2026, 11, 30)) == as_of_note(
        data, date(2001, 1, 1), date(2026, 11, 30)
    )


@pytest.mark.parametrize("day", [date(2026, 1, 9), date(2026, 1, 12), date(2026, 11, 30)])
def test_the_table_commands_give_the_same_result_from_the_frame(day: date) -> None:
    # Compared by repr: a NaN (no IPO money, a missing cell) is not equal to itself.
    folder = FOLDERS["shipped"]
    data = load_data(folder)
    everything = load_frame(folder)
    same: list[tuple[object, object]] = [
        (growth_table(everything, [], "revenue", None, day), growth_table(data, [], "revenue", None, day)),
        (margin_table(everything, ["zhipu"], None, day), margin_table(data, ["zhipu"], None, day)),
    ]
    options = RunwayOptions(as_of=day, with_ipo=False)
    runways = load_frame(folder, None, RUNWAY_METRICS)
    same.append((runway_table(runways, [], options), runway_table(data, [], options)))
    detail = RunwayOptions(as_of=day)
    same.append((runway_table(runways, [], detail, True), runway_table(data, [], detail, True)))
    two = load_frame(folder, ["minimax", "zhipu"])
    companies = ["minimax", "zhipu"]
    same.append((comparison(two, companies, "USD", {}, None, day), comparison(data, companies, "USD", {}, None, day)))
    for got, expected in same:
        assert repr(got) == repr(expected)
