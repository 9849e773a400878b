"""The shipped data: every sheet loads, the prospectus figures are there with their sources, and
the disagreements between sources are kept as conflicts. Expected values were read by hand
from ../shared/sources; the wording they come from is given beside each."""

import pytest

from minimetrics import Fact, FactSheet, find_company, load_data, resolve_data_dir

DATA = load_data(resolve_data_dir())


def _fact(company: str, key: str, period: str) -> Fact:
    fact = find_company(DATA, company).fact(key, period)
    assert fact is not None, f"{company} {key} {period} missing"
    return fact


def _values(fact: Fact) -> set[tuple[float | None, str]]:
    return {(r.value, r.source) for r in fact.reports}


def test_every_shipped_file_loads_without_warnings() -> None:
    assert sorted(DATA.ids) == ["minimax", "zhipu"]
    assert DATA.fx is not None
    assert DATA.warnings == ()


def test_every_fact_cites_a_listed_source() -> None:
    for sheet in DATA.sheets:
        listed = {s.id for s in sheet.sources}
        assert {r.source for f in sheet.facts for r in f.reports} <= listed


@pytest.mark.parametrize(
    ("key", "period", "value", "unit", "source"),
    [
        # 網易科技 (file 000): "2023 年營收僅 346 萬美元,2024 年飆升至 3052 萬美元 … 前九個月 … 5344 萬美元,同比增長 174.7%"
        ("revenue", "FY2023", 346, "USD 萬", "netease_20260109"),
        ("revenue", "FY2024", 3052, "USD 萬", "netease_20260109"),
        ("revenue", "9M2025", 5344, "USD 萬", "netease_20260109"),
        ("revenue_growth", "9M2025", 174.7, "percent", "netease_20260109"),
        # AI矽基未來 (file 000): "現金結餘為10.5億美元,其中現金及現金等價物為3.6億美元" at 30 September 2025
        ("cash_and_liquid_assets", "2025-09-30", 10.5, "USD 億", "aisilicon_20260109"),
        ("cash_and_equivalents", "2025-09-30", 3.6, "USD 億", "aisilicon_20260109"),
        # AI矽基未來: "截至2025年12月31日止年度,預期每月現金消耗約為2790萬美元"
        ("monthly_cash_burn", "FY2025", 2790, "USD 萬 per month", "aisilicon_20260109"),
    ],
)
def test_minimax_prospectus_figures(key: str, period: str, value: float, unit: str, source: str) -> None:
    fact = _fact("minimax", key, period)
    assert any(
        r.value == value and r.unit is not None and r.unit.text == unit and r.source == source for r in fact.reports
    )


def test_minimax_fy2024_revenue_june_2025_estimate_conflicts_with_prospectus() -> None:
    # File 003 (June 2025, before the prospectus): "2024年超7000万美元年收入"; the prospectus: 3052萬.
    fact = _fact("minimax", "revenue", "FY2024")
    assert fact.conflict and not fact.unresolved  # rank 4 against rank 2: the prospectus wins
    assert (7000, "unnamed_20250618") in _values(fact)
    assert fact.value.value == 3052


def test_minimax_9m2025_revenue_from_the_ft_translation_is_a_conflict() -> None:
    # invest wallstreet (FT translation): "前九個月的收入為 1 億美元" against 5343.7萬 in the prospectus.
    fact = _fact("minimax", "revenue", "9M2025")
    assert fact.conflict
    assert (1, "investwallstreet_20260109") in _values(fact)
    assert fact.value.value == 5343.7  # AI矽基未來 gives the most precise agreeing figure


def test_minimax_cash_at_september_2025_keeps_every_definition_and_figure() -> None:
    # AI矽基未來: cash and equivalents 3.6億 (minichart: US$362.6 million, which agrees), within a
    # cash balance of 10.5億; 網易: "現金及理財產品合計超過 11 億美元" disagrees with 10.5億. Two
    # outlets label 10.46億 and ">11億" as cash and equivalents; their amounts are cash plus
    # financial assets (362.6 + 644.2 million), so they are filed there.
    cash = _fact("minimax", "cash_and_equivalents", "2025-09-30")
    liquid = _fact("minimax", "cash_and_liquid_assets", "2025-09-30")
    assert not cash.conflict and cash.value.value == 362.6
    # 10.5 and more than 11, both rank 2: a reviewer chose 10.5 (preferred_because), so it is
    # shown and the conflict stays visible but is no longer unresolved.
    assert liquid.conflict and not liquid.unresolved and liquid.resolution
    assert (liquid.value.value, liquid.value.source) == (10.5, "aisilicon_20260109")
    assert {(10.5, "aisilicon_20260109"), (11, "netease_20260109"), (10.46, "infoq_20251201")} <= _values(liquid)


def test_minimax_ipo_shares_and_proceeds_disagree() -> None:
    # AI矽基未來: "全球發售約3358萬股 … 募集資金約55.4億港元" against 29.1976 million shares and HK$4.8bn
    # elsewhere; 網易's 55.4億 is conditional ("若全額行使超額配股權 … 預計將達") and filed apart.
    shares = _fact("minimax", "ipo_shares_offered", "2026-01-09")
    proceeds = _fact("minimax", "ipo_gross_proceeds", "2026-01-09")
    assert shares.conflict and (3358, "aisilicon_20260109") in _values(shares)
    assert proceeds.conflict and (55.4, "aisilicon_20260109") in _values(proceeds)
    assert _values(_fact("minimax", "ipo_gross_proceeds_max", "2026-01-09")) == {(55.4, "netease_20260109")}


def test_zhipu_funding_rounds_disagree() -> None:
    # 豹變 (file 004): "上市前,智譜共進行了18輪融資"; FT translation: "六年內就完成了八輪融資".
    fact = _fact("zhipu", "funding_rounds", "2026-01-08")
    assert fact.conflict and _values(fact) == {(18, "baobian_20260112"), (8, "investwallstreet_20260109")}


def test_zhipu_rd_is_about_seven_times_revenue() -> None:
    # 伯虎財經: 2024 revenue 3.124億, R&D 21.95億 → 21.95 / 3.124 = 7.026, the "7倍" it states.
    revenue = _fact("zhipu", "revenue", "FY2024").value
    rd = _fact("zhipu", "rd_expense", "FY2024")
    bohu = next(r for r in rd.reports if r.source == "bohu_20260112")
    assert (revenue.value, bohu.value) == (3.124, 21.95)
    assert bohu.value / revenue.value == pytest.approx(7.026, abs=0.001)


def test_sources_have_outlet_title_and_date() -> None:
    sheets: tuple[FactSheet, ...] = DATA.sheets
    for source in (s for sheet in sheets for s in sheet.sources):
        assert source.outlet and source.title and source.published.year >= 2023


def test_minimax_ipo_proceeds_in_usd_disagree_and_stay_apart_from_hkd() -> None:
    # FT translation "籌集了6.19億美元", Bloomberg "raised US$619mil", Reuters US$620 million agree;
    # cnyes "IPO 募資 6.8 億美元" does not. They are the press's conversions, so they form their own
    # fact (segment usd_conversion) instead of being mixed with the HK$4.8bn.
    usd = _fact("minimax", "ipo_gross_proceeds[usd_conversion]", "2026-01-09")
    assert usd.conflict and not usd.unresolved and "6.8億" in usd.resolution
    assert (usd.value.value, usd.value.source) == (619, "bloomberg_20260112")
    assert (6.8, "cnyes_20260303") in _values(usd) and (619, "bloomberg_20260112") in _values(usd)
    assert all(r.unit is not None and r.unit.currency == "USD" for r in usd.reports)
