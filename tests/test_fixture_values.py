"""The key figures of the fixture sheets (tests/fixtures), worked out by hand from the sheets.

The goldens show how these figures are written; this file says what they are, with the
arithmetic beside each, so a wrong figure fails here by name and not only as a golden diff.
Money in the JSON is in whole units (USD, RMB), so 250 USD million is 250e6.

gamma's fiscal year ends on 31 March (FY2025 = April 2024 to March 2025, H1-2026 = April to
September 2025): its periods are read from their dates, never from the labels as if every
year ended in December.
"""

import json
import math
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from minimetrics import cli

FIXTURES = Path(__file__).parent / "fixtures"
DAYS_PER_MONTH = 365.25 / 12
runner = CliRunner()

Row = dict[str, Any]


def _json(*args: str) -> Any:
    result = runner.invoke(cli.app, [*args, "--format", "json", "--no-bundled", "--data-dir", str(FIXTURES)])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _figure(command: str, company: str, figure: str, period: str, segment: str = "", *extra: str) -> Row:
    rows = [
        r
        for r in _json(command, company, *extra)["frame"]
        if (r["figure"], r["period"], r["segment"]) == (figure, period, segment)
    ]
    assert len(rows) == 1, (command, company, figure, period, segment)
    row: Row = rows[0]
    return row


def _runway(company: str, burn: str, with_ipo: bool = False, *extra: str) -> Row:
    rows = [
        r
        for r in _json("runway", company, "--detail", *extra)["frame"]
        if (r["burn_basis"], r["with_ipo"]) == (burn, with_ipo)
    ]
    assert len(rows) == 1, (company, burn, with_ipo)
    row: Row = rows[0]
    return row


def _compare(*args: str) -> dict[str, list[Row]]:
    """Row label → its cells (a label appears once per section, so later sections append)."""
    rows: dict[str, list[Row]] = {}
    for row in _json("compare", *args)["rows"]:
        rows.setdefault(row["label"], []).append(row)
    return rows


def _fact(company: str, metric: str, period: str) -> Row:
    facts = _json("show", company)["facts"]
    found = [f for f in facts if (f["metric"], f["period"], f["segment"]) == (metric, period, None)]
    assert len(found) == 1
    fact: Row = found[0]
    return fact


# --- alpha: USD, December year, nine-month interims ------------------------------------


@pytest.mark.parametrize(
    ("metric", "period", "value", "label"),
    [
        ("revenue", "FY2024", 150.0, "growth"),  # 250 ÷ 100 − 1 = 1.5
        ("revenue", "9M2025", 50.0, "growth"),  # 300 ÷ 200 − 1 = 0.5
        ("net_loss", "FY2024", 50.0, "loss widening"),  # 300 ÷ 200 − 1 = 0.5
        ("net_loss", "9M2025", -20.0, "loss narrowing"),  # 180 ÷ 225 − 1 = −0.2
    ],
)
def test_alpha_growth(metric: str, period: str, value: float, label: str) -> None:
    row = _figure("growth", "alpha", f"{metric}_growth", period, "", "--metric", metric)
    assert (row["status"], row["label"]) == ("ok", label)
    assert row["value"] == pytest.approx(value)


def test_alpha_cagr_ttm_and_run_rate() -> None:
    # One year apart: (250 ÷ 100)^(1/1) − 1 = 150 %.
    assert _figure("growth", "alpha", "revenue_cagr", "FY2023-FY2024")["value"] == pytest.approx(150.0)
    # TTM to 2025-09-30 = FY2024 + 9M2025 − 9M2024 = 250 + 300 − 200 = 350.
    ttm = _figure("growth", "alpha", "revenue_ttm", "TTM to 2025-09-30")
    assert ttm["value"] == pytest.approx(350e6)
    # 9M2025 × 12 ÷ 9 = 300 × 4 ÷ 3 = 400.
    assert _figure("growth", "alpha", "revenue_annualised", "9M2025")["value"] == pytest.approx(400e6)


@pytest.mark.parametrize(
    ("figure", "period", "segment", "value"),
    [
        ("gross_margin", "FY2023", "", 20.0),  # 20 ÷ 100
        ("gross_margin", "FY2024", "", 30.0),  # 75 ÷ 250
        ("gross_margin_change", "FY2024", "", 10.0),  # 30 − 20 pp
        ("gross_margin", "FY2024", "chat", 40.0),  # 60 ÷ 150
        ("gross_margin", "FY2024", "api", 15.0),  # 15 ÷ 100
        ("net_margin", "FY2024", "", -120.0),  # −300 ÷ 250
        ("net_margin", "9M2025", "", -60.0),  # −180 ÷ 300
        ("net_margin_change", "9M2025", "", 52.5),  # −60 − (−225 ÷ 200 = −112.5) pp
        ("adjusted_net_margin", "FY2024", "", -96.0),  # −240 ÷ 250
        ("rd_to_revenue", "FY2024", "", 80.0),  # stated: the sheet has no R&D expense
    ],
)
def test_alpha_margins(figure: str, period: str, segment: str, value: float) -> None:
    assert _figure("margins", "alpha", figure, period, segment)["value"] == pytest.approx(value)


def test_alpha_runway_on_every_basis() -> None:
    stated = _runway("alpha", "stated")
    # Stated burn: 600 ÷ 25 = 24 months from 2025-09-30; 24 × 30.4375 = 730.5 days → 2027-09-30.
    assert (stated["months"], stated["runs_out"], stated["default"]) == (pytest.approx(24.0), "2027-09-30", True)
    # Net loss proxy: 600 ÷ (180 ÷ 9) = 600 ÷ 20 = 30 months.
    assert _runway("alpha", "net_loss")["months"] == pytest.approx(30.0)
    # Adjusted loss: only FY2024 (240 ÷ 12 = 20 a month), nine months before the cash date: flagged.
    adjusted = _runway("alpha", "adjusted_loss")
    assert adjusted["months"] == pytest.approx(30.0)
    assert "cash date 2025-09-30 is 9 months from the burn period FY2024" in adjusted["flags"]


def test_alpha_ipo_money_at_the_ecb_rate_of_its_day() -> None:
    # HK$780 million of IPO money and no USDHKD spot rate for 2026-01-09 in fx.yaml: the ECB's of that
    # day, HKD 9.0763 and USD 1.1642 per euro: USDHKD = 9.0763 ÷ 1.1642 = 7.79617; 780 ÷ 7.79617 = 100.0491;
    # (600 + 100.0491) ÷ 25 = 28.00196 months.
    ecb = _runway("alpha", "stated", True)
    assert ecb["status"] == "ok" and ecb["ipo"] == pytest.approx(780e6 * 1.1642 / 9.0763)
    assert ecb["months"] == pytest.approx((600e6 + 780e6 * 1.1642 / 9.0763) / 25e6)
    assert ecb["inputs"][-1]["source"] == "ECB reference rate, 2026-01-09"
    # With --fx USDHKD=7.8 the override wins: 780 ÷ 7.8 = 100; (600 + 100) ÷ 25 = 28 months.
    given = _runway("alpha", "stated", True, "--fx", "USDHKD=7.8")
    assert (given["ipo"], given["months"]) == (pytest.approx(100e6), pytest.approx(28.0))


def test_alpha_runway_with_growing_burn() -> None:
    # Burn growing 5 % a month: ln(1 + 600 × 0.05 ÷ 25) ÷ ln(1.05) = ln(2.2) ÷ 0.04879 = 16.16.
    row = _runway("alpha", "stated", False, "--burn-growth", "5")
    assert row["months"] == pytest.approx(math.log(2.2) / math.log(1.05))


def test_alpha_conflict_is_resolved_by_rank() -> None:
    # 250 (prospectus, rank 1) against about 300 (a rumour, rank 4): the prospectus is shown.
    fact = _fact("alpha", "revenue", "FY2024")
    assert (fact["conflict"], fact["unresolved"]) == (True, False)
    shown = [r for r in fact["reports"] if r["preferred"]]
    assert [(r["value"], r["source"]) for r in shown] == [(250, "prospectus_20251220")]


def test_alpha_scale_and_valuation() -> None:
    rows = _compare("alpha", "beta")
    # Revenue FY2024 per employee at 2024-12-31: 250,000,000 ÷ 500 = 500,000 USD.
    assert rows["Revenue per employee"][0]["cells"][0]["value"] == pytest.approx(500_000)
    # Market cap 7000 on 2026-01-09 ÷ the TTM to 2025-09-30 (350) = 20.0 times.
    assert rows["Market cap ÷ trailing revenue"][0]["cells"][0]["value"] == pytest.approx(20.0)


# --- beta: RMB, a zero and a negative base, a reviewed conflict ------------------------------


@pytest.mark.parametrize(
    ("metric", "period", "value", "label"),
    [
        ("revenue", "FY2024", 400.0, "growth"),  # 350 ÷ 70 − 1 = 4
        ("revenue", "H1-2025", 150.0, "growth"),  # 250 ÷ 100 − 1 = 1.5
        ("net_loss", "FY2023", 100.0, "loss widening"),  # 700 ÷ 350 − 1 = 1
        ("net_loss", "FY2024", 100.0, "loss widening"),  # 1400 ÷ 700 − 1 = 1
        ("net_loss", "H1-2025", 20.0, "loss widening"),  # 600 ÷ 500 − 1 = 0.2
    ],
)
def test_beta_growth(metric: str, period: str, value: float, label: str) -> None:
    row = _figure("growth", "beta", f"{metric}_growth", period, "", "--metric", metric)
    assert (row["status"], row["label"], row["value"]) == ("ok", label, pytest.approx(value))


@pytest.mark.parametrize(
    ("metric", "figure", "period", "reason"),
    [
        ("revenue", "revenue_growth", "FY2023", "FY2022 is zero"),  # revenue FY2022 = 0
        ("revenue", "revenue_cagr", "FY2022-FY2024", "zero or negative end point"),
        ("gross_profit", "gross_profit_growth", "FY2024", "FY2023 is negative"),  # a gross loss of 14
    ],
)
def test_beta_growth_from_a_zero_or_negative_base_is_not_meaningful(
    metric: str, figure: str, period: str, reason: str
) -> None:
    row = _figure("growth", "beta", figure, period, "", "--metric", metric)
    assert (row["status"], row["value"]) == ("n/m", None)
    assert reason in row["note"]


def test_beta_net_loss_cagr() -> None:
    # (1400 ÷ 350)^(1/2) − 1 = 4^(1/2) − 1 = 100 %.
    row = _figure("growth", "beta", "net_loss_cagr", "FY2022-FY2024", "", "--metric", "net_loss")
    assert row["value"] == pytest.approx(100.0)


@pytest.mark.parametrize(
    ("figure", "period", "value"),
    [
        ("gross_margin", "FY2023", -20.0),  # −14 ÷ 70
        ("gross_margin", "FY2024", 40.0),  # 140 ÷ 350
        ("gross_margin_change", "FY2024", 60.0),  # 40 − (−20) pp
        ("net_margin", "FY2024", -400.0),  # −1400 ÷ 350
        ("adjusted_net_margin", "H1-2025", -192.0),  # −480 ÷ 250
    ],
)
def test_beta_margins(figure: str, period: str, value: float) -> None:
    assert _figure("margins", "beta", figure, period)["value"] == pytest.approx(value)


def test_beta_margin_on_zero_revenue_is_not_meaningful() -> None:
    row = _figure("margins", "beta", "net_margin", "FY2022")  # revenue FY2022 = 0
    assert (row["status"], row["value"], row["note"]) == ("n/m", None, "revenue is zero or negative")


def test_beta_runway() -> None:
    # Adjusted loss (the default: no stated burn, no operating cash flow): 960 ÷ (480 ÷ 6) = 960 ÷ 80 = 12.
    adjusted = _runway("beta", "adjusted_loss")
    assert (adjusted["months"], adjusted["default"]) == (pytest.approx(12.0), True)
    # 12 × 30.4375 = 365.25 days after 2025-06-30.
    assert adjusted["runs_out"] == "2026-06-30"
    # Net loss proxy: 960 ÷ (600 ÷ 6) = 960 ÷ 100 = 9.6.
    assert _runway("beta", "net_loss")["months"] == pytest.approx(9.6)
    # IPO money in HKD, no HKDRMB rate in fx.yaml: the ECB's of 2026-01-08, CNY 8.1513 and HKD 9.0981 per
    # euro: HKDRMB = 8.1513 ÷ 9.0981 = 0.895934; 1100 × 0.895934 = 985.53 → (960 + 985.53) ÷ 80 = 24.319.
    ecb = _runway("beta", "adjusted_loss", True)
    assert ecb["months"] == pytest.approx((960e6 + 1100e6 * 8.1513 / 9.0981) / 80e6)
    # With HKDRMB 0.9 given: 1100 × 0.9 = 990 → (960 + 990) ÷ 80 = 24.375.
    given = _runway("beta", "adjusted_loss", True, "--fx", "HKDRMB=0.9")
    assert given["months"] == pytest.approx(24.375)


def test_beta_conflict_is_settled_by_a_reviewer() -> None:
    # 1400 and 1540, both rank 2: preferred_because picks 1400, the conflict stays visible.
    fact = _fact("beta", "net_loss", "FY2024")
    assert (fact["conflict"], fact["unresolved"]) == (True, False)
    assert fact["resolution"].startswith("the Gazette adds a one-off charge")
    assert [r["value"] for r in fact["reports"] if r["preferred"]] == [1400]


def test_beta_in_usd_at_the_fx_rate_and_no_rate_for_fy2023() -> None:
    rows = _compare("alpha", "beta")
    # FY2024 at USDCNY 7.0: revenue 350 ÷ 7 = 50; net loss 1400 ÷ 7 = 200; adjusted 1120 ÷ 7 = 160.
    assert rows["Revenue"][0]["cells"][1]["value"] == pytest.approx(50e6)
    assert rows["Net loss"][0]["cells"][1]["value"] == pytest.approx(200e6)
    assert rows["Adjusted net loss"][0]["cells"][1]["value"] == pytest.approx(160e6)
    # alpha − beta: 250 − 50 = 200.
    assert rows["Revenue"][0]["difference"] == pytest.approx(200e6)
    # fx.yaml has no FY2023 average: the ECB's mean over 2023 is used and named, never FY2024's rate.
    fy2023 = _compare("alpha", "beta", "--period", "FY2023")["Revenue"][0]["cells"][1]
    assert fy2023["status"] == "ok"
    assert "ECB reference rates, mean of 255 days 2023-01-01 – 2023-12-31" in fy2023["note"]


def test_runway_months_line_up_in_compare() -> None:
    months = _compare("alpha", "beta", "--as-of", "2026-02-01")["Months of cash left on 2026-02-01"][0]
    # 24 (alpha, stated, from 2025-09-30) and 12 (beta, adjusted loss, from 2025-06-30), both set on
    # the as-of day: 24 − 124 days ÷ 30.4375 = 19.93 and 12 − 216 ÷ 30.4375 = 4.90, 15.02 apart.
    left = [24 - 124 / 30.4375, 12 - 216 / 30.4375]
    assert [c["value"] for c in months["cells"]] == [pytest.approx(left[0]), pytest.approx(left[1])]
    assert months["difference"] == pytest.approx(left[0] - left[1])


# --- claims across the fixture sheets -----------------------------------------------------


def test_claims_and_their_verdicts() -> None:
    claims = {(c["company"], c["claim"]): c for c in _json("claims")["claims"]}
    expected = {
        ("alpha", "revenue_growth 9M2025"): ("reproduces", 50.0),  # 300 ÷ 200 − 1
        ("alpha", "gross_margin FY2024"): ("reproduces", 30.0),  # 75 ÷ 250
        ("alpha", "net_margin FY2024"): ("does not reproduce", -120.0),  # −300 ÷ 250, stated −90
        ("alpha", "rd_to_revenue FY2024"): ("cannot be checked", None),  # no R&D expense
        # 600 ÷ 25 = 24 months fits, but on the prospectus's cash and burn, not the ledger's own.
        ("alpha", "cash_runway 2025-09-30"): ("cannot be checked", None),
        ("alpha", "market_cap 2026-01-09"): ("cannot be checked", None),  # no price or share count
        ("beta", "revenue_share[cloud] FY2024"): ("reproduces", 20.0),  # 70 ÷ 350
        ("beta", "revenue_growth H1-2025"): ("reproduces", 150.0),  # 250 ÷ 100 − 1
        ("beta", "gross_margin FY2024"): ("reproduces", 40.0),  # 140 ÷ 350
    }
    assert set(claims) == set(expected)
    for key, (verdict, computed) in expected.items():
        assert claims[key]["verdict"] == verdict, key
        assert claims[key]["computed"] == (None if computed is None else pytest.approx(computed)), key


# --- gamma: a fiscal year ending 31 March --------------------------------------------------


@pytest.mark.parametrize(
    ("metric", "period", "value", "label"),
    [
        ("revenue", "FY2025", 50.0, "growth"),  # 60 ÷ 40 − 1 = 0.5
        ("revenue", "H1-2026", 50.0, "growth"),  # 36 ÷ 24 − 1 = 0.5
        ("net_loss", "H1-2026", 50.0, "loss widening"),  # 45 ÷ 30 − 1 = 0.5
    ],
)
def test_march_year_growth(metric: str, period: str, value: float, label: str) -> None:
    # Right today: growth pairs a label with the same label a year earlier, whatever the year end.
    row = _figure("growth", "gamma", f"{metric}_growth", period, "", "--metric", metric)
    assert (row["status"], row["label"], row["value"]) == ("ok", label, pytest.approx(value))


def test_march_year_run_rate() -> None:
    # H1-2026 × 12 ÷ 6 = 36 × 2 = 72.
    assert _figure("growth", "gamma", "revenue_annualised", "H1-2026")["value"] == pytest.approx(72e6)


def test_march_year_ttm_ends_with_the_interim() -> None:
    # H1-2026 is April to September 2025, so the TTM runs to 2025-09-30:
    # FY2025 + H1-2026 − H1-2025 = 60 + 36 − 24 = 72.
    rows = [r for r in _json("growth", "gamma")["frame"] if r["figure"] == "revenue_ttm"]
    assert [r["period"] for r in rows] == ["TTM to 2025-09-30"]
    assert rows[0]["value"] == pytest.approx(72e6)
    assert [i["period"] for i in rows[0]["inputs"]] == ["FY2025", "H1-2026", "H1-2025"]


def test_march_year_runway_burns_the_year_that_ends_on_the_cash_date() -> None:
    # Cash 100 at 2025-03-31, the last day of FY2025; FY2025's loss is 120, 10 a month:
    # 100 ÷ (120 ÷ 12) = 10.0 months, running out 304.375 days later, on 2026-01-29.
    # (Read as a December year, H1-2025 would be January to June 2025 and picked: 100 ÷ (30 ÷ 6) = 20.0.)
    row = _runway("gamma", "net_loss")
    assert (row["burn_period"], row["months"], row["runs_out"]) == ("FY2025", pytest.approx(10.0), "2026-01-29")
    assert "months from the burn period" not in row["flags"]  # the cash date is in the burn period


def test_march_year_runway_in_compare() -> None:
    months = _compare("alpha", "gamma", "--as-of", "2026-01-01")["Months of cash left on 2026-01-01"][0]
    gamma = months["cells"][1]
    # 100 ÷ (120 ÷ 12) = 10.0 months on the FY2025 loss, from 2025-03-31: 10 − 276 days ÷ 30.4375 left.
    assert gamma["value"] == pytest.approx(10 - 276 / 30.4375) and "burn FY2025" in gamma["note"]


def test_march_year_latest_period_in_compare() -> None:
    # Right today (compare reads period ends from the frame): gamma's newest period is H1-2026,
    # April to September 2025, with revenue growth 36 ÷ 24 − 1 = 50 %.
    growth = _compare("alpha", "gamma")["Revenue growth, year on year"][1]["cells"][1]
    assert (growth["period"], growth["value"]) == ("H1-2026", pytest.approx(50.0))
