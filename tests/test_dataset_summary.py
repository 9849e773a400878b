"""``list``'s periods (``dataset.summarize``): only periods that hold a result."""

from pathlib import Path

from minimetrics import load_data, summarize

SHEET = """\
company: {id: delta, name: Delta Labs, native_name: 德尔塔, currency: USD, fiscal_year_end: 12-31}
sources:
  filing_20260301: {outlet: Delta filing (fictional), title: Annual results, published: 2026-03-01, kind: results_announcement, rank: 1}
facts:
  revenue:
    FY2024: {value: 10, unit: USD million, source: filing_20260301}
    FY2025: {value: 30, unit: USD million, source: filing_20260301, outlook: forecast}
  net_loss:
    H1-2025: {value: 7, unit: USD million, source: filing_20260301, outlook: estimate}
    9M2025: {value: 9, unit: USD million, source: filing_20260301}
  enterprise_customers:
    H1-2024: {value: 120, unit: count, source: filing_20260301}
  gross_margin:
    Q4-2024: {value: 40, unit: percent, source: filing_20260301}
"""


def test_a_period_with_only_a_forecast_or_a_count_is_not_listed(tmp_path: Path) -> None:
    (tmp_path / "delta.yaml").write_text(SHEET, encoding="utf-8")
    (row,) = summarize(load_data(tmp_path))
    # FY2024 (revenue), 9M2025 (a net loss) and Q4-2024 (a margin) hold results; FY2025 and
    # H1-2025 only an outlook, H1-2024 only a customer count. Full years first, then by end date.
    assert row.periods == ("FY2024", "Q4-2024", "9M2025")
    assert row.facts == 6 and row.reports == 6  # a fact per metric and period, each still counted
