"""Synthetic fact sheets for the benchmark: realistic, valid under the strict loader, seeded.

Each company gets ten full years (FY2016-FY2025) and their first halves, the latest two
nine-month periods, year-end and mid-year balances, and about 300 facts in about 500
reports: revenue by segment, costs, losses, margins, growth, cash, cash flow, staff and a
market value. Money is in USD or RMB, written in million, 萬 or 億 as sources write it;
eight sources of ranks 1 to 4 cite them, and about one fact in ten has a lower-ranked
source that disagrees (a conflict). Stated margins, shares and growth rates are computed
from the figures as written, so the cross-checks find nothing to warn about.

    python benchmarks/synth.py FOLDER --count 100     # writes FOLDER/synth0001.yaml ... and fx.yaml

Company ``i`` is the same whatever ``count`` is, so the 10-sheet set is the start of the
1,000-sheet one.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

YEARS = range(2016, 2026)
SEED = 6

SOURCES = (
    # id suffix, kind, rank, outlet, title
    ("prospectus", "prospectus", 1, "HKEX", "Prospectus (招股章程)"),
    ("results", "results_announcement", 1, "HKEX", "Annual results announcement: 全年業績公告"),
    ("interim", "results_announcement", 1, "HKEX", "Interim results announcement (中期業績)"),
    ("caixin", "press", 2, "財新 Caixin", "Report on the listing document: revenue, losses, cash"),
    ("yicai", "press", 2, "第一財經 Yicai", "上市文件解讀:收入、虧損與現金流"),
    ("mirror", "press", 3, "reportify.cn summary", "Mirror summary of the filing"),
    ("aggregator", "press", 3, "Sina 財經 aggregator", "Column on the company's financials"),
    ("early", "press_before_prospectus", 4, "LatePost 晚點", "Pre-prospectus report on funding and revenue"),
)
PRIMARY = ("prospectus", "results", "interim", "caixin", "yicai")
SECONDARY = ("caixin", "yicai", "mirror", "aggregator", "early")
NOTES = (
    "comparative period",
    "as stated in the listing document",
    "同比口徑, year on year on the same basis",
    "figure rounded by the source",
    "source writes the figure in 億; unit kept",
)
SEGMENTS = ("consumer", "enterprise")


def _format(value: float, decimals: int) -> str:
    text = f"{value:.{decimals}f}"
    return "0" if text in ("-0", "-0.0", "-0.00", "-0.000") else text


class _Sheet:
    """One company's sheet, built fact by fact as YAML text."""

    def __init__(self, index: int, seed: int) -> None:
        self.rng = random.Random(seed * 1_000_003 + index)
        self.index = index
        self.id = f"synth{index:04d}"
        self.currency = "USD" if index % 2 else "RMB"
        self.lines: list[str] = []
        self.cited: set[str] = set()
        self.facts = 0

    def block(self, key: str) -> None:
        self.lines.append(f"  {key}:")

    def source(self, name: str) -> str:
        self.cited.add(name)
        return f"{name}_{self.index:04d}"

    def written(self, amount: float) -> tuple[str, str, float]:
        """An amount written as a source would: the unit, the text and what the text means."""
        scale_name, scale, decimals = self.rng.choice((("million", 1e6, 2), ("萬", 1e4, 0), ("億", 1e8, 3)))
        text = _format(amount / scale, decimals)
        return f"{self.currency} {scale_name}", text, float(text) * scale

    def fact(self, key: str, period: str, reports: list[str]) -> None:
        self.facts += 1
        if len(reports) == 1:
            self.lines.append(f"    {period}: {reports[0]}")
        else:
            self.lines.append(f"    {period}:")
            self.lines.extend(f"      - {r}" for r in reports)

    def report(self, text: str, unit: str, source: str, extra: str = "") -> str:
        return f"{{value: {text}, unit: {unit}, source: {self.source(source)}{extra}}}"

    def money(self, key: str, period: str, amount: float, conflicts: bool = True) -> float:
        """Write a money fact (with, now and then, an agreeing or a disagreeing second report);
        return the amount its preferred report states."""
        unit, text, stated = self.written(amount)
        primary = self.rng.choice(PRIMARY[:3])
        reports = [self.report(text, unit, primary)]
        roll = self.rng.random()
        if roll < 0.35:  # a second source repeats it, in the same unit
            reports.append(self.report(text, unit, self.rng.choice(SECONDARY[:2])))
        elif roll < 0.45 and conflicts:  # a lower-ranked source disagrees
            off = amount * (1 + self.rng.choice((-1, 1)) * self.rng.uniform(0.04, 0.2))
            other_unit, other, _ = self.written(off)
            note = f', note: "{self.rng.choice(NOTES)}"'
            reports.append(self.report(other, other_unit, self.rng.choice(SECONDARY[2:]), note))
        elif roll < 0.55:
            reports.append(self.report(text, unit, self.rng.choice(SECONDARY[2:4]), ", qualifier: about"))
        self.fact(key, period, reports)
        return stated

    def percent(self, key: str, period: str, value: float) -> None:
        if abs(value) < 1:  # a figure this small would be written with more digits; leave it out
            return
        text = _format(value, 1)
        reports = [self.report(text, "percent", self.rng.choice(PRIMARY))]
        if self.rng.random() < 0.3:
            reports.append(self.report(text, "percent", self.rng.choice(SECONDARY[:3])))
        self.fact(key, period, reports)

    def count(self, key: str, period: str, value: float) -> float:
        whole = round(value)
        self.fact(key, period, [self.report(str(whole), "count", self.rng.choice(PRIMARY))])
        return whole


def sheet_text(index: int, seed: int = SEED) -> str:
    """The YAML of company ``index`` (1-based)."""
    s = _Sheet(index, seed)
    per = {"USD": 1.0, "RMB": 7.0}[s.currency]
    base = s.rng.uniform(2e6, 40e6) * per  # first-year revenue
    shape = (s.rng.uniform(1.15, 1.6), s.rng.uniform(0.15, 0.7), s.rng.uniform(1.5, 9.0))
    periods, amounts = _amounts(s, base, *shape)
    full_years = [label for label, _ in periods if label.startswith("FY")]
    revenue = _revenue(s, periods, amounts)
    gross, losses = _costs_and_losses(s, periods, full_years, amounts)
    _ratios(s, periods, full_years, amounts, revenue, (gross, losses))
    _balance(s, amounts, revenue)
    return "\n".join([*_head(s, seed), "facts:", *s.lines, ""])


Amounts = dict[tuple[str, str], float]


def _amounts(
    s: _Sheet, base: float, growth: float, margin: float, burn_ratio: float
) -> tuple[list[tuple[str, float]], Amounts]:
    """The periods (label, share of the year's revenue) and every amount of each: revenue
    growing by ``growth`` a year from ``base``, a gross ``margin``, losses ``burn_ratio``
    times revenue in the first year, shrinking after."""
    rng = s.rng
    periods: list[tuple[str, float]] = []
    for year in YEARS:
        periods.append((f"FY{year}", 1.0))
        periods.append((f"H1-{year}", rng.uniform(0.38, 0.48)))
        if year >= 2024:
            periods.append((f"9M{year}", rng.uniform(0.65, 0.75)))
    amounts: Amounts = {}
    for label, share in periods:
        year = int(label[-4:])
        yearly = base * growth ** (year - YEARS[0]) * rng.uniform(0.9, 1.1)
        rev = yearly * share
        loss = rev * burn_ratio / (1 + 0.15 * (year - YEARS[0])) * rng.uniform(0.9, 1.1)
        gm = min(0.85, max(0.05, margin + rng.uniform(-0.08, 0.08)))
        amounts.update(
            {
                ("revenue", label): rev,
                ("cost_of_revenue", label): rev * (1 - gm),
                ("gross_profit", label): rev * gm,
                ("net_loss", label): loss,
                ("adjusted_net_loss", label): loss * rng.uniform(0.55, 0.85),
                ("operating_loss", label): loss * rng.uniform(0.8, 0.95),
                ("rd_expense", label): loss * rng.uniform(0.5, 0.8),
                ("sm_expense", label): rev * rng.uniform(0.2, 0.6),
                ("ga_expense", label): rev * rng.uniform(0.1, 0.3),
                ("operating_expenses", label): loss * rng.uniform(1.0, 1.3),
                ("operating_cash_flow", label): -loss * rng.uniform(0.5, 0.9),
            }
        )
    return periods, amounts


def _revenue(s: _Sheet, periods: list[tuple[str, float]], amounts: Amounts) -> dict[str, float]:
    """Revenue and its segments written; the revenue each period states. A full year's total
    is the sum of its segments as written (their consumer part goes into ``amounts``)."""
    revenue: dict[str, float] = {}
    segments: list[tuple[str, list[str]]] = []  # each full year's segment figures as written
    s.block("revenue")
    for label, _ in periods:
        if label.startswith("FY"):
            parts = [amounts[("revenue", label)] * w for w in (0.6, 0.4)]
            unit, texts = f"{s.currency} million", [_format(p / 1e6, 2) for p in parts]
            total = _format(sum(float(t) for t in texts), 2)
            s.fact("revenue", label, [s.report(total, unit, s.rng.choice(PRIMARY[:2]))])
            revenue[label] = float(total) * 1e6
            amounts[("revenue[consumer]", label)] = float(texts[0]) * 1e6
            segments.append((label, texts))
        else:
            revenue[label] = s.money("revenue", label, amounts[("revenue", label)], conflicts=False)
    for number, segment in enumerate(SEGMENTS):
        s.block(f"revenue[{segment}]")
        for label, texts in segments:
            source = s.rng.choice(PRIMARY[:2])
            s.fact(f"revenue[{segment}]", label, [s.report(texts[number], f"{s.currency} million", source)])
    return revenue


def _costs_and_losses(
    s: _Sheet, periods: list[tuple[str, float]], full_years: list[str], amounts: Amounts
) -> tuple[dict[str, float], Amounts]:
    """Costs, profits and losses written; the gross profit and the losses as stated."""
    gross: dict[str, float] = {}
    for metric in ("cost_of_revenue", "gross_profit"):
        s.block(metric)
        for label, _ in periods if metric == "gross_profit" else [(y, 1.0) for y in full_years]:
            stated = s.money(metric, label, amounts[(metric, label)], conflicts=False)
            if metric == "gross_profit":
                gross[label] = stated
    losses: Amounts = {}
    for metric in ("net_loss", "adjusted_net_loss", "operating_cash_flow"):
        s.block(metric)
        for label, _ in periods:
            losses[(metric, label)] = s.money(metric, label, amounts[(metric, label)], conflicts=metric != "rd_expense")
    for metric in ("operating_loss", "rd_expense", "sm_expense", "ga_expense", "operating_expenses"):
        s.block(metric)
        for label in full_years:
            losses[(metric, label)] = s.money(metric, label, amounts[(metric, label)])
    return gross, losses


def _ratios(
    s: _Sheet,
    periods: list[tuple[str, float]],
    full_years: list[str],
    amounts: Amounts,
    revenue: dict[str, float],
    stated: tuple[dict[str, float], Amounts],
) -> None:
    """Margins, shares and growth written as the sources state them, from the stated figures."""
    gross, losses = stated
    s.block("gross_margin")
    for label, _ in periods:
        s.percent("gross_margin", label, gross[label] / revenue[label] * 100)
    for metric, numerator, sign in (
        ("net_margin", "net_loss", -1),
        ("adjusted_net_margin", "adjusted_net_loss", -1),
        ("rd_to_revenue", "rd_expense", 1),
    ):
        s.block(metric)
        for label in full_years:
            s.percent(metric, label, sign * losses[(numerator, label)] / revenue[label] * 100)
    s.block("revenue_share[consumer]")
    for label in full_years:
        s.percent("revenue_share[consumer]", label, amounts[("revenue[consumer]", label)] / revenue[label] * 100)
    s.block("revenue_growth")
    for label, _ in periods:
        prior = label[:-4] + str(int(label[-4:]) - 1)
        if prior in revenue:
            s.percent("revenue_growth", label, (revenue[label] / revenue[prior] - 1) * 100)


def _balance(s: _Sheet, amounts: Amounts, revenue: dict[str, float]) -> None:
    """Cash, staff, burn, market value and funding rounds."""
    rng = s.rng
    s.block("cash_and_equivalents")
    liquid: list[tuple[str, float]] = []
    for year in YEARS:  # one to three years of the year's loss: runways of months to a few years
        for md in ("06-30", "12-31"):
            cash = amounts[("net_loss", f"FY{year}")] * rng.uniform(0.8, 3.0)
            liquid.append((f"{year}-{md}", s.money("cash_and_equivalents", f"{year}-{md}", cash)))
    s.block("cash_and_liquid_assets")
    for day, held in liquid[1::2]:
        s.money("cash_and_liquid_assets", day, held * rng.uniform(1.1, 1.6), conflicts=False)
    staff = rng.uniform(40, 150)
    s.block("employees")
    for year in YEARS:
        staff *= rng.uniform(1.1, 1.5)
        s.count("employees", f"{year}-12-31", staff)
    s.block("monthly_cash_burn")
    burn = -amounts[("operating_cash_flow", "FY2025")] / 12
    unit, text, _ = s.written(burn)
    s.fact("monthly_cash_burn", "FY2025", [s.report(text, f"{unit} per month", "results")])
    s.block("market_cap")
    for day in ("2025-06-30", "2025-12-31"):
        s.money("market_cap", day, revenue["FY2025"] * rng.uniform(15, 60))
    s.block("funding_rounds")
    s.count("funding_rounds", "2025-12-31", rng.uniform(3, 15))


def _head(s: _Sheet, seed: int) -> list[str]:
    """The company block and the sources the facts cite (an uncited source is a warning)."""
    index = s.index
    head = [
        f"# Synthetic fact sheet {s.id}, generated by benchmarks/synth.py (seed {seed}): not real data.",
        "company:",
        f"  id: {s.id}",
        f"  name: Synth {index:04d}",
        f"  native_name: 合成智能{index:04d}",
        f'  tickers: ["{10000 + index:05d}.HK"]',
        f"  founded: {YEARS[0] - s.rng.randint(0, 3)}",
        f"  currency: {s.currency}",
        "  fiscal_year_end: 12-31",
        "  segments:",
        "    consumer: {name: Consumer apps (C端), group: business}",
        "    enterprise: {name: Enterprise and API (B端), group: business}",
        "sources:",
    ]
    for number, (name, kind, rank, outlet, title) in enumerate(SOURCES):
        if name not in s.cited:
            continue
        # after the periods they report (FY2025), before the day the benchmark runs
        published = (
            f"2025-{6 + number % 6:02d}-{1 + index % 28:02d}"
            if rank == 4
            else f"2026-0{1 + number}-{1 + index % 28:02d}"
        )
        head.append(f"  {name}_{index:04d}:")
        head.append(f'    outlet: "{outlet}"')
        head.append(f'    title: "{title}"')
        head.append(f"    published: {published}")
        head.append(f"    kind: {kind}")
        head.append(f"    rank: {rank}")
    return head


def fx_text(seed: int = SEED) -> str:
    """Synthetic USD/RMB rates: a yearly average for every full year, a spot rate at every balance date."""
    rng = random.Random(seed)
    lines = [
        "# Synthetic exchange rates, generated by benchmarks/synth.py: not real data.",
        "sources:",
        "  stats_bureau: {outlet: Statistics bureau, title: Yearly averages, published: 2026-02-28, "
        "kind: official_statistics, rank: 1}",
        "  central_bank: {outlet: Central bank, title: Daily central parity, published: 2026-01-05, "
        "kind: official_statistics, rank: 1}",
        "rates:",
        "  USDCNY:",
    ]
    for year in YEARS:
        lines.append(f"    FY{year}: {{value: {rng.uniform(6.3, 7.2):.4f}, source: stats_bureau}}")
        for md in ("06-30", "12-31"):
            lines.append(f"    {year}-{md}: {{value: {rng.uniform(6.3, 7.2):.4f}, source: central_bank}}")
    return "\n".join([*lines, ""])


def generate(folder: Path, count: int, seed: int = SEED) -> list[Path]:
    """Write ``count`` sheets (synth0001.yaml ...) and fx.yaml into ``folder``; return the sheets."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "fx.yaml").write_text(fx_text(seed), encoding="utf-8")
    paths = []
    for index in range(1, count + 1):
        path = folder / f"synth{index:04d}.yaml"
        path.write_text(sheet_text(index, seed), encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--count", type=int, default=10)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    generate(args.folder, args.count, args.seed)


if __name__ == "__main__":
    main()
