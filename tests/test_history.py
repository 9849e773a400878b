"""The data as of a day, what it learned between two days, and runways measured to the as-of date,
on the shipped sheets: each expectation worked out beside it from the sheets' own figures."""

import math
from datetime import date

import pytest

from minimetrics.analysis import runway_table, short_runways
from minimetrics.dataset import load_data, resolve_data_dir
from minimetrics.history import as_of_note, changes, known_on
from minimetrics.metrics import RunwayOptions
from minimetrics.problems import UsageError
from minimetrics.results import ChangeKind, Status

DATA = load_data(resolve_data_dir())
LISTING_DAY, TODAY = date(2026, 1, 9), date(2026, 11, 30)


def test_known_on_keeps_only_sources_published_by_the_day() -> None:
    known = known_on(DATA, LISTING_DAY)
    for sheet in known.sheets:
        assert all(s.published <= LISTING_DAY for s in sheet.sources)
        cited = {r.source for f in sheet.facts for r in f.reports}
        assert cited <= {s.id for s in sheet.sources}
    minimax = next(s for s in known.sheets if s.company.id == "minimax")
    # The 2025-12-31 balance comes from cnyes_20260303 only: unknown on listing day.
    assert minimax.fact("cash_and_liquid_assets", "2025-12-31") is None
    # The 2026-01-09 market cap: of its six reports, deepnews_20260113 (106.6 HKD billion) and
    # baobian_20260112 and caijingtianxia_20260213 came later; top168's 1054億 is shown among the rest.
    cap = minimax.fact("market_cap", "2026-01-09")
    assert cap is not None and len(cap.reports) == 3 and cap.value.source == "top168_20260109"


def test_before_every_source_nothing_is_known_and_the_note_says_why() -> None:
    early = known_on(DATA, date(2020, 1, 1))
    assert all(not s.facts for s in early.sheets)
    assert as_of_note(DATA, date(2020, 1, 1), TODAY).startswith("no source was published on or before 2020-01-01")
    assert "do not exist yet" in as_of_note(DATA, date(2027, 1, 1), TODAY)
    assert as_of_note(DATA, LISTING_DAY, TODAY) == ""


def test_changes_between_listing_day_and_today() -> None:
    found = changes(DATA, LISTING_DAY, TODAY)
    by = {(c.company, c.key, c.period, c.kind): c for c in found.changes}
    # The 2025-12-31 balance appeared (cnyes_20260303, 10.5億 USD).
    appeared = by[("minimax", "cash_and_liquid_assets", "2025-12-31", ChangeKind.APPEARED)]
    assert appeared.old is None and (appeared.new.value, appeared.new.source) == (10.5, "cnyes_20260303")
    # The market cap of listing day: 1054億 (top168) then 106.6 billion (deepnews, more precise and agreeing
    # with nobody): changed, and a conflict arose among the sources.
    cap = by[("minimax", "market_cap", "2026-01-09", ChangeKind.CHANGED)]
    assert cap.old is not None and (cap.old.value, cap.new.value) == (1054.0, 106.6)
    assert ("minimax", "market_cap", "2026-01-09", ChangeKind.CONFLICT_AROSE) in by
    # 6.19 USD 億 and 619 USD million are one figure: written differently, not changed.
    assert ("minimax", "ipo_gross_proceeds[usd_conversion]", "2026-01-09", ChangeKind.CHANGED) not in by
    with pytest.raises(UsageError):
        changes(DATA, TODAY, LISTING_DAY)


def test_runway_months_left_on_the_as_of_date_and_the_gate() -> None:
    table = runway_table(DATA, ["zhipu"], RunwayOptions(as_of=TODAY))
    (zhipu,) = table.runways
    # 2552 ÷ (1751 ÷ 6) = 8.7447 months from 2025-06-30, running out 2026-03-23, before the as-of date:
    # 2025-06-30 to 2026-11-30 is 518 days = 17.0185 months; left: 8.7447 − 17.0185 = −8.27.
    assert zhipu.status == Status.RAN_OUT_ON_PAPER and str(zhipu.runs_out) == "2026-03-23"
    assert zhipu.months_left == pytest.approx(2552 / (1751 / 6) - 518 / (365.25 / 12))
    (short,) = short_runways(table, 1)
    assert short.status == Status.RAN_OUT_ON_PAPER
    # On listing day the balance had not run out: 8.7447 − 193 days ÷ 30.4375 = 2.404 months left.
    early = runway_table(DATA, ["zhipu"], RunwayOptions(as_of=LISTING_DAY)).runways[0]
    assert early.status == Status.OK and early.months_left == pytest.approx(2552 / (1751 / 6) - 193 / 30.4375)
    assert not short_runways(runway_table(DATA, ["zhipu"], RunwayOptions(as_of=LISTING_DAY)), 2)
    assert not math.isnan(early.months)
