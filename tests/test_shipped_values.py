"""The headline figures of the shipped data (datasets/), by value, with the arithmetic from the
sheets beside each. They used to be pinned only by golden files; now the goldens come from the
fixture sheets, and a fix to the shipped data changes the expected value here, in one place,
with its arithmetic. (test_data.py checks the facts as the sources state them; this file
checks what the commands compute from them.) Amounts in the JSON are whole units: 1萬 = 1e4,
1億 = 1e8.
"""

import json
import math
from typing import Any

import pytest
from typer.testing import CliRunner

from minimetrics import cli

runner = CliRunner()
Row = dict[str, Any]


def _json(*args: str) -> Any:
    result = runner.invoke(cli.app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _figures(*args: str) -> dict[tuple[str, str, str], Row]:
    """Whole-company figures (no segment) by (company, figure, period)."""
    return {(r["company"], r["figure"], r["period"]): r for r in _json(*args)["frame"] if r["segment"] == ""}


def test_companies_facts_and_conflicts() -> None:
    listed = {c["id"]: (c["facts"], c["reports"], c["conflicts"]) for c in _json("list")}
    # Issue 15's re-reading added 22 facts (26 reports) to MiniMax and 9 (11) to Zhipu; MiniMax has two
    # conflicts fewer since the offer maximum (with the over-allotment) is filed apart from the shares sold.
    # Its second reading: + 1 fact and 1 report (stockanalysis' +5.74 % at 1:25 PM on 2026-01-21, a
    # figure that was only in a note): 208 + 1 = 209 facts, 365 + 1 = 366 reports; + 1 conflict, since
    # NetEase's about 2538.92萬 shares (the base offer) is back at the listing it names, against the
    # 29.1976 million sold: 10 + 1 = 11. Refiling (ipo_demand and ipo_order_book under ex_cornerstone,
    # Zhipu's target under [cloud]) moves facts without adding any.
    assert listed == {"minimax": (209, 366, 11), "zhipu": (89, 139, 2)}


@pytest.mark.parametrize(
    ("company", "figure", "period", "value"),
    [
        # minimax revenue: FY2023 346萬, FY2024 3052萬, FY2025 7903.8萬 (USD)
        ("minimax", "revenue_growth", "FY2024", (3052 / 346 - 1) * 100),  # = 782.1 %
        ("minimax", "revenue_growth", "FY2025", (7903.8 / 3052 - 1) * 100),  # = 159.0 %
        # 9M2025 5343.7萬 against 9M2024 US$19.45 million: 53.437 ÷ 19.45 − 1 = 174.7 %
        ("minimax", "revenue_growth", "9M2025", (53.437 / 19.45 - 1) * 100),
        # Q4-2025 2560萬, the prior derived from the stated 131 %: 2560 ÷ (2560 ÷ 2.31) − 1 = 131 %
        ("minimax", "revenue_growth", "Q4-2025", 131.0),
        ("minimax", "revenue_cagr", "FY2023-FY2025", ((7903.8 / 346) ** (1 / 2) - 1) * 100),  # = 377.9 %
        # TTM to 2025-09-30 = FY2024 + 9M2025 − 9M2024 = 30.52 + 53.437 − 19.45 = 64.507 USD million
        ("minimax", "revenue_ttm", "TTM to 2025-09-30", 64.507e6),
        # zhipu revenue: FY2022 5740萬, FY2023 1.245億, FY2024 3.124億, H1-2024 4490萬, H1-2025 1.909億 (RMB)
        ("zhipu", "revenue_growth", "FY2023", (124.5 / 57.4 - 1) * 100),  # = 116.9 %
        ("zhipu", "revenue_growth", "FY2024", (312.4 / 124.5 - 1) * 100),  # = 150.9 %
        ("zhipu", "revenue_growth", "H1-2025", (190.9 / 44.9 - 1) * 100),  # = 325.2 %
        ("zhipu", "revenue_cagr", "FY2022-FY2024", ((312.4 / 57.4) ** (1 / 2) - 1) * 100),  # = 133.3 %
        # TTM to 2025-06-30 = 312.4 + 190.9 − 44.9 = 458.4 RMB million
        ("zhipu", "revenue_ttm", "TTM to 2025-06-30", 458.4e6),
    ],
)
def test_revenue_growth_cagr_and_ttm(company: str, figure: str, period: str, value: float) -> None:
    row = _figures("growth")[(company, figure, period)]
    assert row["status"] == "ok"
    assert row["value"] == pytest.approx(value)


@pytest.mark.parametrize(
    ("company", "period", "value"),
    [
        ("minimax", "FY2023", (2.692 / 0.7373 - 1) * 100),  # 2.692億 ÷ 7373萬 − 1 = 265.1 %
        ("minimax", "FY2024", (4.652 / 2.692 - 1) * 100),  # 4.652億 ÷ 2.692億 − 1 = 72.8 %
        ("minimax", "FY2025", (18.72 / 4.652 - 1) * 100),  # 18.72億 ÷ 4.652億 − 1 = 302.4 %
        ("zhipu", "FY2023", (7.88 / 1.44 - 1) * 100),  # 7.88億 ÷ 1.44億 − 1 = 447.2 %
        ("zhipu", "FY2024", (29.58 / 7.88 - 1) * 100),  # 29.58億 ÷ 7.88億 − 1 = 275.4 %
        ("zhipu", "H1-2025", (23.58 / 12.36 - 1) * 100),  # 23.58億 ÷ 12.36億 − 1 = 90.8 %
    ],
)
def test_net_loss_widening(company: str, period: str, value: float) -> None:
    row = _figures("growth", "--metric", "net_loss")[(company, "net_loss_growth", period)]
    assert (row["label"], row["value"]) == ("loss widening", pytest.approx(value))


@pytest.mark.parametrize(
    ("company", "figure", "period", "value", "label"),
    [
        ("minimax", "gross_margin", "FY2024", 12.2, "stated"),  # no FY2024 gross profit in the sheet
        ("minimax", "gross_margin", "FY2025", 2007.9 / 7903.8 * 100, "computed"),  # = 25.4 %
        ("minimax", "net_margin", "FY2024", -4.652e8 / 3052e4 * 100, "computed"),  # = −1,524.2 %
        ("minimax", "adjusted_net_margin", "FY2024", -2.44e8 / 3052e4 * 100, "computed"),  # = −799.5 %
        ("zhipu", "gross_margin", "FY2024", 56.3, "stated"),
        ("zhipu", "net_margin", "FY2024", -29.58 / 3.124 * 100, "computed"),  # = −946.9 %
        ("zhipu", "adjusted_net_margin", "FY2024", -24.656 / 3.124 * 100, "computed"),  # = −789.2 %
    ],
)
def test_margins(company: str, figure: str, period: str, value: float, label: str) -> None:
    row = _figures("margins")[(company, figure, period)]
    assert (row["label"], row["value"]) == (label, pytest.approx(value))


def test_default_runways() -> None:
    rows = {r["company"]: r for r in _json("runway")["frame"]}
    minimax, zhipu = rows["minimax"], rows["zhipu"]
    # MiniMax: the stated 2790萬 a month is a forecast (a scenario, never the default), so the adjusted
    # loss on cash plus liquid assets: 10.5億 ÷ (FY2025 adjusted loss 2.51億, k88's more precise report
    # agreeing with cnyes' 2.5, ÷ 12) = 1050 ÷ 20.917 = 50.20 months from 2025-12-31
    # (50.20 × 30.4375 = 1,528 days → 2030-03-07).
    assert (minimax["cash_basis"], minimax["burn_basis"], minimax["cash_date"]) == (
        "liquid",
        "adjusted_loss",
        "2025-12-31",
    )
    assert (minimax["months"], minimax["runs_out"]) == (pytest.approx(1050 / (251 / 12)), "2030-03-07")
    # Zhipu: no stated burn or operating cash flow, so the adjusted loss: 25.52億 ÷ (17.51億 ÷ 6)
    # = 2552 ÷ 291.83 = 8.74 months from 2025-06-30 (→ 2026-03-23).
    assert (zhipu["cash_basis"], zhipu["burn_basis"], zhipu["burn_period"]) == ("cash", "adjusted_loss", "H1-2025")
    assert (zhipu["months"], zhipu["runs_out"]) == (pytest.approx(2552 / (1751 / 6)), "2026-03-23")


@pytest.mark.parametrize(
    ("company", "cash", "burn", "months"),
    [
        ("minimax", "liquid", "net_loss", 1050 / (1872 / 12)),  # 10.5億 ÷ (18.72億 ÷ 12) = 6.73
        ("minimax", "cash", "stated", 362.6 / 27.9),  # 3.626億 ÷ 2790萬 = 13.00
        ("minimax", "cash", "net_loss", 362.6 / (512 / 9)),  # 3.626億 ÷ (5.12億 ÷ 9) = 6.37
        ("zhipu", "cash", "net_loss", 2552 / (2358 / 6)),  # 25.52億 ÷ (23.58億 ÷ 6) = 6.49
    ],
)
def test_other_runway_bases(company: str, cash: str, burn: str, months: float) -> None:
    rows = [
        r
        for r in _json("runway", "--detail")["frame"]
        if (r["company"], r["cash_basis"], r["burn_basis"], r["with_ipo"]) == (company, cash, burn, False)
    ]
    assert [r["months"] for r in rows] == [pytest.approx(months)]


def test_runway_with_ipo_money_at_the_ecb_rate() -> None:
    # IPO proceeds are in HKD; fx.yaml has no HKD spot rate on the days the proceeds were received,
    # so the ECB's of those days: every with-IPO row has months.
    rows = [r for r in _json("runway", "--detail")["frame"] if r["with_ipo"]]
    assert rows and all(r["months"] is not None for r in rows)
    # Zhipu: 25.52億 RMB + HK$4,173.4 M × (8.1513 ÷ 9.0981, the ECB's CNY and HKD per euro on 2026-01-08)
    # = 2,552 + 3,739.1 = 6,291.1 M RMB ÷ (17.51億 ÷ 6 = 291.83 M a month) = 21.557 months.
    zhipu = next(r for r in rows if (r["company"], r["burn_basis"]) == ("zhipu", "adjusted_loss"))
    assert zhipu["months"] == pytest.approx((2552e6 + 4173.4e6 * 8.1513 / 9.0981) / (1751e6 / 6))
    # MiniMax's net proceeds are an estimate (a figure worked out before the listing): a labelled scenario.
    minimax = [r for r in rows if r["company"] == "minimax"]
    assert all("ipo_net_proceeds 2026-01-06 is an estimate" in r["scenario"] for r in minimax)


def test_compare_minimax_zhipu() -> None:
    data = _json("compare", "minimax", "zhipu", "--as-of", "2026-11-30")
    assert (data["year"], len(data["conflicts"])) == ("FY2024", 1)
    rows: dict[str, list[Row]] = {}
    for row in data["rows"]:
        rows.setdefault(row["label"], []).append(row)
    revenue = [c["value"] for c in rows["Revenue"][0]["cells"]]
    # MiniMax 3052萬 USD; Zhipu 3.124億 RMB ÷ 7.1217 (NBS FY2024 average) = 43.87 USD million.
    assert revenue == [pytest.approx(30.52e6), pytest.approx(3.124e8 / 7.1217)]
    net_loss = [c["value"] for c in rows["Net loss"][0]["cells"]]
    # MiniMax 4.652億 USD; Zhipu 29.58億 RMB ÷ 7.1217 = 415.35 USD million.
    assert net_loss == [pytest.approx(4.652e8), pytest.approx(29.58e8 / 7.1217)]
    # R&D ÷ revenue FY2024: MiniMax 1.89億 ÷ 3052萬 = 619.3 %; Zhipu 21.954億 ÷ 3.124億 = 702.8 %.
    rd = [c["value"] for c in rows["R&D as % of revenue"][0]["cells"]]
    assert rd == [pytest.approx(1.89e8 / 3052e4 * 100), pytest.approx(21.954 / 3.124 * 100)]
    months = rows["Months of cash left on 2026-11-30"][0]
    # MiniMax's stated 2790萬 burn is a forecast: its default is the adjusted loss, 1050 ÷ (251 ÷ 12) = 50.2
    # months from 2025-12-31, less 334 days ÷ 30.4375 gone. Zhipu's 2552 ÷ (1751 ÷ 6) = 8.7 months from
    # 2025-06-30 ran out on paper (518 days ÷ 30.4375 = 17.0 months gone): nothing to subtract.
    left = [1050 / (251 / 12) - 334 / 30.4375, 2552 / (1751 / 6) - 518 / 30.4375]
    assert [c["value"] for c in months["cells"]] == [pytest.approx(left[0]), pytest.approx(left[1])]
    assert [c["status"] for c in months["cells"]] == ["ok", "ran out on paper"]
    assert months["difference"] is None


def test_scale_and_valuation() -> None:
    rows = {r["label"]: r for r in _json("compare", "minimax", "zhipu")["rows"]}
    per_employee, valuation = rows["Revenue per employee"]["cells"], rows["Market cap ÷ trailing revenue"]["cells"]
    # TTM revenue to 2025-09-30 ÷ 385 employees = 64,507,000 ÷ 385 = 167,550.6 USD.
    assert per_employee[0]["value"] == pytest.approx(64_507_000 / 385)
    # The newest market cap, HK$2,580億 on 2026-03-04, at the ECB's USDHKD of that day ÷ FY2025 revenue 7903.8萬.
    assert (
        valuation[0]["period"] == "2026-03-04"
        and valuation[0]["inputs"][2]["source"] == "ECB reference rate, 2026-03-04"
    )
    usdhkd = valuation[0]["inputs"][2]["amount"]
    assert valuation[0]["value"] == pytest.approx(2580e8 / usdhkd / 79_038_000)
    # Zhipu's newest (2026-06-22) is "more than" HK$1萬億: ÷ TTM to 2025-06-30 (312.4 + 190.9 − 44.9 = 458.4 M RMB),
    # at the ECB rate of that day (quoted RMBHKD in the input): a lower bound, more_than.
    assert valuation[1]["status"] == "ok" and valuation[1]["qualifier"] == "more_than"
    hkdrmb = valuation[1]["inputs"][2]["amount"]
    assert valuation[1]["value"] == pytest.approx(1e12 / hkdrmb / 458.4e6)


def test_claims_counts_and_the_two_that_do_not_reproduce() -> None:
    claims = _json("claims")["claims"]
    counts: dict[tuple[str, str], int] = {}
    for claim in claims:
        key = (claim["company"], claim["verdict"])
        counts[key] = counts.get(key, 0) + 1
    assert counts == {
        ("minimax", "reproduces"): 67,
        ("minimax", "does not reproduce"): 4,
        # among them: R&D staff share at 2025-09-30, stated by three sources; the sheet has no rd_employees.
        # and compute_to_rd FY2024 "70–80 %" (a range): the sheet has no compute cost for FY2024.
        ("minimax", "cannot be checked"): 52,
        # among them compute_to_rd FY2024 "70–80 %": 15.53 ÷ 21.95 = 70.75 %.
        ("zhipu", "reproduces"): 27,
        # among them: R&D staff share at 2025-06-30 (657 R&D staff); the sheet has no employees that day.
        ("zhipu", "cannot be checked"): 23,
    }
    wrong = {(c["claim"], c["source"]): c for c in claims if c["verdict"] == "does not reproduce"}
    assert set(wrong) == {
        # Open platform's share of 9M2025 revenue is stated as 28.9 % by two outlets; the sheet's
        # figures give 28.84 %, outside what 28.9's rounding allows (28.85 to 28.95).
        ("revenue_share[open_platform] 9M2025", "netease_20260109"),
        ("revenue_share[open_platform] 9M2025", "caijingtianxia_20260213"),
        # About 719億 at HK$267.8: 267.8 × 309.26 M shares = 828.2億 (−13.2 %).
        ("market_cap_intraday 2026-01-09", "netease_20260109"),
        # 120.61 bn at HK$412.4: 412.4 × 309.26 M = 127.54 bn (−5.4 %; it is the previous close's).
        ("market_cap_intraday 2026-01-21", "stockanalysis_20260121"),
    }
    share = wrong[("revenue_share[open_platform] 9M2025", "netease_20260109")]
    # On NetEase's own revenue: 1541 ÷ 5344 = 28.836 %.
    assert share["stated"] == 28.9 and math.isclose(share["computed"], 1541 / 5344 * 100, rel_tol=1e-9)
    assert math.isclose(
        wrong[("market_cap_intraday 2026-01-09", "netease_20260109")]["computed"], 267.8 * 3.0926, rel_tol=1e-9
    )
    # Zhipu's 130 % CAGR: (3.124 ÷ 0.574)^(1/2) − 1 = 133.29 %, within 125–135 only as "130" rounded to tens.
    cagr = next(c for c in claims if c["claim"] == "revenue_cagr 2022-01-01/2024-12-31")
    assert cagr["verdict"] == "reproduces" and math.isclose(cagr["computed"], 133.292, abs_tol=1e-3)
    assert "read to the unit it would not reproduce" in cagr["assumption"]
    # NetEase's 4.4-year runway: its article gives cash but no burn, so it cannot be checked on its own.
    runway = next(c for c in claims if c["claim"] == "cash_runway 2025-09-30" and c["source"] == "netease_20260109")
    assert runway["verdict"] == "cannot be checked" and "18 pairings from 0.5 to 4.4 years" in runway["assumption"]


def test_explain_carries_the_qualifier_of_a_more_than_market_cap() -> None:
    # Zhipu's market cap on 2026-06-22 is "more than" HK$1,000 billion (Longbridge), so the
    # multiple built on it is a lower bound: explain marks it ">" in text, JSON and CSV alike.
    explained = _json("explain", "zhipu", "market_cap_to_revenue", "--as-of", "2026-11-30")
    assert explained["qualifier"] == "more_than"
    text = CliRunner().invoke(cli.app, ["explain", "zhipu", "market_cap_to_revenue", "--as-of", "2026-11-30"])
    assert "= >1,885.2×" in text.stdout
    reported = _json("explain", "zhipu", "market_cap", "2026-06-22")
    assert reported["qualifier"] == "more_than"
