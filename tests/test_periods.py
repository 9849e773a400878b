"""Period grammar and arithmetic in the registry, for December and non-December year ends."""

import re
from datetime import date

import pytest

from minimetrics.registry import (
    PERIOD_PATTERN,
    NamedPeriod,
    Period,
    fiscal_year_of,
    months_apart,
    named_period,
    parse_period,
    prior_label,
    shift_months,
    twelve_months_to,
    year_earlier,
)


def _period(label: str, year_end_month: int = 12) -> Period:
    period = parse_period(label, year_end_month)
    assert not isinstance(period, str), period
    return period


def test_the_schema_pattern_is_the_one_written_before_the_grammar_moved() -> None:
    # The JSON schema's text must not change: editors cache it.
    assert PERIOD_PATTERN == (
        r"^((FY|H1-|H2-|9M|Q1-|Q2-|Q3-|Q4-)\d{4}|\d{4}-\d{2}-\d{2}|\d{4}-\d{2}-\d{2}/\d{4}-\d{2}-\d{2}"
        r"|\d{4}-\d{2}|\d{4})$"
    )


@pytest.mark.parametrize(
    "label", ["FY2024", "H1-2025", "H2-2025", "9M2025", "Q1-2025", "Q4-2025", "2025-09-30", "2022-01-01/2025-09-30"]
)
def test_the_schema_pattern_accepts_what_parse_period_accepts(label: str) -> None:
    assert re.match(PERIOD_PATTERN, label)
    assert not isinstance(parse_period(label), str)


@pytest.mark.parametrize("label", ["FY25", "H3-2025", "9M-2025", "Q5-2025", "last year"])
def test_the_schema_pattern_refuses_what_parse_period_refuses(label: str) -> None:
    assert not re.match(PERIOD_PATTERN, label)
    assert isinstance(parse_period(label), str)


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("FY2024", NamedPeriod("FY", 2024)),
        ("H2-2025", NamedPeriod("H2-", 2025)),
        ("9M2025", NamedPeriod("9M", 2025)),
        ("Q3-2025", NamedPeriod("Q3-", 2025)),
        ("2025-09-30", None),
        ("2022-01-01/2025-09-30", None),
    ],
)
def test_named_period(label: str, expected: NamedPeriod | None) -> None:
    assert named_period(label) == expected


def test_named_period_kinds_drop_the_dash() -> None:
    kinds = [named_period(label) for label in ("FY2024", "9M2025", "H1-2025", "Q4-2025")]
    assert [k.kind if k else None for k in kinds] == ["FY", "9M", "H1", "Q4"]


@pytest.mark.parametrize(
    ("label", "year_end_month", "prior", "start", "end"),
    [
        # December year end: 9M2025 is January to September 2025, a year earlier 9M2024.
        ("9M2025", 12, "9M2024", date(2024, 1, 1), date(2024, 9, 30)),
        # March year end: FY2025 is April 2024 to March 2025, a year earlier April 2023 to March 2024.
        ("FY2025", 3, "FY2024", date(2023, 4, 1), date(2024, 3, 31)),
        # March year end: H1-2025 is April to September 2024, a year earlier April to September 2023.
        ("H1-2025", 3, "H1-2024", date(2023, 4, 1), date(2023, 9, 30)),
        # June year end: Q4-2025 is April to June 2025, a year earlier April to June 2024.
        ("Q4-2025", 6, "Q4-2024", date(2024, 4, 1), date(2024, 6, 30)),
        # A date: one year back; a leap day goes to the last day of February.
        ("2024-02-29", 12, "2023-02-28", date(2023, 2, 28), date(2023, 2, 28)),
        # An interval: both ends move; the end stays a month end.
        ("2023-03-01/2024-02-29", 12, "2022-03-01/2023-02-28", date(2022, 3, 1), date(2023, 2, 28)),
        # Event precision: a month and a year.
        ("2023-06", 12, "2022-06", date(2022, 6, 1), date(2022, 6, 30)),
        ("2023", 12, "2022", date(2022, 1, 1), date(2022, 12, 31)),
    ],
)
def test_year_earlier(label: str, year_end_month: int, prior: str, start: date, end: date) -> None:
    now = _period(label, year_end_month)
    before = year_earlier(now)
    assert (before.label, before.start, before.end) == (prior, start, end)
    assert (before.is_instant, before.precision, before.months) == (now.is_instant, now.precision, now.months)


@pytest.mark.parametrize("year_end_month", [12, 3, 6, 9])
@pytest.mark.parametrize("prefix", ["FY", "H1-", "H2-", "9M", "Q1-", "Q2-", "Q3-", "Q4-"])
def test_year_earlier_of_a_named_period_is_the_parsed_prior_label(prefix: str, year_end_month: int) -> None:
    # The dates a year earlier are those parse_period gives the prior label for the same year end.
    assert year_earlier(_period(f"{prefix}2025", year_end_month)) == _period(f"{prefix}2024", year_end_month)


@pytest.mark.parametrize(
    ("label", "year_end_month", "start", "end"),
    [
        ("9M2025", 12, date(2025, 1, 1), date(2025, 12, 31)),
        ("H2-2025", 12, date(2025, 1, 1), date(2025, 12, 31)),
        # March year end: Q4-2025 is January to March 2025, in the year April 2024 to March 2025.
        ("Q4-2025", 3, date(2024, 4, 1), date(2025, 3, 31)),
        # March year end: H1-2025 is April to September 2024, in the same fiscal year.
        ("H1-2025", 3, date(2024, 4, 1), date(2025, 3, 31)),
        ("FY2025", 3, date(2024, 4, 1), date(2025, 3, 31)),
    ],
)
def test_fiscal_year_of(label: str, year_end_month: int, start: date, end: date) -> None:
    year = fiscal_year_of(_period(label, year_end_month))
    assert year == _period("FY2025", year_end_month)
    assert year is not None and (year.start, year.end) == (start, end)


def test_fiscal_year_of_other_periods_is_none() -> None:
    assert fiscal_year_of(_period("2025-09-30")) is None
    assert fiscal_year_of(_period("2022-01-01/2025-09-30")) is None


def test_ttm_pieces_for_a_march_year_end() -> None:
    # 9M2025 of a March year end: April to December 2024. Its twelve months to 31 December
    # 2024 are FY2024 (April 2023 to March 2024) + 9M2025 − 9M2024 (April to December 2023).
    interim = _period("9M2025", 3)
    last_year = year_earlier(fiscal_year_of(interim) or interim)
    before = year_earlier(interim)
    assert (last_year.label, last_year.start, last_year.end) == ("FY2024", date(2023, 4, 1), date(2024, 3, 31))
    assert (before.label, before.start, before.end) == ("9M2024", date(2023, 4, 1), date(2023, 12, 31))
    ttm = twelve_months_to(interim.end)
    assert (ttm.start, ttm.end, ttm.months) == (date(2024, 1, 1), date(2024, 12, 31), 12)


@pytest.mark.parametrize(
    ("end", "start"),
    [
        (date(2025, 9, 30), date(2024, 10, 1)),
        (date(2025, 3, 31), date(2024, 4, 1)),
        (date(2024, 2, 29), date(2023, 3, 1)),
        (date(2025, 6, 15), date(2024, 6, 16)),  # not a month end: the day after, a year back
    ],
)
def test_twelve_months_to(end: date, start: date) -> None:
    period = twelve_months_to(end)
    assert (period.start, period.end, period.is_instant) == (start, end, False)
    assert period.label == f"{start}/{end}"
    assert _period(period.label) == period  # its label reads back as the same period


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 3, 31), -12, date(2024, 3, 31)),
        (date(2025, 5, 31), -3, date(2025, 2, 28)),  # month end to month end
        (date(2025, 2, 28), 1, date(2025, 3, 31)),  # month end to month end
        (date(2025, 1, 30), 1, date(2025, 2, 28)),  # the 30th has no February: the last day
        (date(2025, 1, 15), -13, date(2023, 12, 15)),
        (date(2025, 4, 1), -9, date(2024, 7, 1)),
    ],
)
def test_shift_months(day: date, months: int, expected: date) -> None:
    assert shift_months(day, months) == expected


def test_months_apart_and_period_months() -> None:
    # FY2022 to FY2025 of a March year end: three years, 36 months between their ends.
    first, last = _period("FY2022", 3), _period("FY2025", 3)
    assert months_apart(first.end, last.end) == 36
    assert (first.months, _period("H1-2025", 3).months, _period("2025-09-30").months) == (12, 6, 0)


def test_prior_label_names_only_named_periods() -> None:
    assert (prior_label("Q4-2025"), prior_label("2025-09-30")) == ("Q4-2024", None)
