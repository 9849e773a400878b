"""What the writers put on the page, across commands: no padding at line ends, one scale per
table and per series, one money spelling, signed differences, rounded machine numbers."""

import csv
import io
import json
import math
import os
import re
import subprocess
import sys
from dataclasses import replace

import pytest
from rich.text import Text

from minimetrics.dataset import bundled_data_dir, find_company, load_data
from minimetrics.factsheet import FactSheet
from minimetrics.metrics import quotient_qualifier
from minimetrics.render import machine, write
from minimetrics.render.numbers import machine_number
from minimetrics.render.rows import claim_stated
from minimetrics.render.terminal import console, write_sheet
from minimetrics.results import Claim, ClaimsTable, Figure, FigureTable, Input, Measure, Verdict


def _piped(*args: str, columns: int = 80) -> str:
    """A command's stdout when it is a pipe and COLUMNS is 80, as ``minimetrics … | head`` sees it."""
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR")}
    env["COLUMNS"] = str(columns)
    done = subprocess.run(
        [sys.executable, "-m", "minimetrics", *args], capture_output=True, text=True, env=env, check=True
    )
    return done.stdout


@pytest.mark.parametrize("args", [("show", "minimax"), ("compare", "minimax", "zhipu")], ids=" ".join)
def test_no_piped_line_ends_in_a_space(args: tuple[str, ...]) -> None:
    lines = _piped(*args).splitlines()
    assert len(lines) > 40
    assert [line for line in lines if line.endswith(" ")] == []


def test_trimming_keeps_colour_codes_and_everything_before_the_padding() -> None:
    out = io.StringIO()
    con = console(out, 20, colour=True)
    con.print(Text("a  b", style="red"))
    con.print("x", end="")
    con.print(" y ")
    text = out.getvalue()
    first, second = text.split("\n")[:2]
    assert "a  b" in first and not first.endswith(" ")
    assert first.endswith("\x1b[0m")  # the red is closed, only the spaces went
    assert second == "x y"


# --- one scale per table and per series (show) ------------------------------------------


def _minimax() -> FactSheet:
    data = load_data([bundled_data_dir()], companies=["minimax"])
    return find_company(data, "minimax")


def _show(scale: str | None = None) -> list[str]:
    out = io.StringIO()
    write_sheet(_minimax(), out, 160, scale)
    return out.getvalue().splitlines()


def _row(lines: list[str], table: str, metric: str) -> list[str]:
    """The words of the first row of ``metric`` below the heading ``table``."""
    start = lines.index(table)
    return next(line.split() for line in lines[start:] if line.split()[:1] == [metric])


def test_a_period_table_writes_all_its_money_in_the_scale_most_of_it_uses() -> None:
    lines = _show()
    # Full years: most USD figures are written in 萬, so net_loss (USD million in the sheet)
    # moves there: 73.73 million = 7,373 萬, 465.2 million = 46,520 萬 (× 100, no digit lost).
    assert _row(lines, "Full years", "net_loss")[1:4] == ["USD", "萬", "7,373"]
    assert "46,520" in _row(lines, "Full years", "net_loss")
    # adjusted_net_loss FY2024 is 2.44 USD 億 in the sheet: 2.44 × 10,000 = 24,400 萬.
    assert "24,400" in _row(lines, "Full years", "adjusted_net_loss")
    full_years = lines[lines.index("Full years") : lines.index("Interim periods (each under its own label)")]
    assert not any(" USD 億 " in line or " USD million " in line for line in full_years)


def test_scale_sets_every_money_figure_and_keeps_the_digits_the_source_gave() -> None:
    lines = _show("million")
    row = _row(lines, "Full years", "adjusted_net_loss")
    # 1,215 萬 = 12.15 million; 8,907 萬 = 89.07 million; 2.44 億 = 244 million (three digits
    # given, three shown: no "244.0" that the source did not write).
    assert row[1:6] == ["USD", "million", "12.15", "89.07", "244"]
    # 7,903.8 萬 = 79.038 million: the decimal point moves, the digits stay.
    assert "79.038" in _row(lines, "Full years", "revenue")
    # Percentages and per-user money are not rescaled: arppu stays 6 USD per user.
    assert _row(lines, "Full years", "arppu")[1:5] == ["USD", "per", "user", "6"]


def test_a_dated_series_is_written_in_one_scale() -> None:
    lines = _show()
    dated = lines[lines.index("Balances, prices and other spans") : lines.index("Timeline: events, oldest first")]
    caps = [line.split() for line in dated if line.split()[:1] == ["market_cap"]]
    # The market_cap series mixes HKD billion and HKD 億 in the sheet; most are billion, so
    # 1,054 億 (the conflict's other report) never shows here, and each row says billion.
    assert len(caps) >= 5 and all(words[-3:-1] == ["HKD", "billion"] for words in caps)
    assert [words[2] for words in caps][3] == "210.29"


def test_an_unknown_scale_is_refused() -> None:
    with pytest.raises(ValueError, match="million, billion, 萬, 億"):
        write_sheet(_minimax(), io.StringIO(), 100, "thousand")


# --- one money format, signed differences, one percent format ------------------------------

# Every command's table, Markdown and report output: none writes money the old ways.
OLD_MONEY = re.compile(
    r"\b(?:USD|RMB|HKD) m\b|\b(?:USD|RMB|HKD)m\b|\dm (?:USD|RMB|HKD)\b|\d (?:USD|RMB|HKD)\b(?! (?:million|億|萬|billion|per))"
)
COMMANDS = [
    ("show", "minimax"),
    ("compare", "minimax", "zhipu"),
    ("compare", "minimax", "zhipu", "--format", "markdown"),
    ("growth",),
    ("growth", "--format", "markdown"),
    ("margins",),
    ("runway", "--detail"),
    ("runway", "--format", "markdown"),
    ("claims",),
    ("breakeven",),
    ("explain", "minimax", "revenue_per_employee"),
    ("explain", "minimax", "runway"),
    ("explain", "zhipu", "revenue", "FY2024"),
    ("report", "--format", "markdown"),
    ("report", "--format", "html"),
]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_money_is_written_one_way(args: tuple[str, ...]) -> None:
    text = _piped(*args, columns=400)  # wide: a unit is never broken from its scale by a wrap
    assert OLD_MONEY.findall(text) == []


def test_money_differences_are_signed_like_pp() -> None:
    lines = _piped("compare", "minimax", "zhipu").splitlines()
    net_loss = next(line for line in lines if line.lstrip().startswith("Net loss (USD million)"))
    # 465.2 - 415.4 = +49.8 (USD million): the sign is written, as "+631.2 pp" is.
    assert net_loss.split()[-2] == "+49.8"


def test_a_stated_percentage_has_separators_like_a_computed_one() -> None:
    text = _piped("claims")
    # Four digits or more before "%" with no separator; decimals ("<33.3334%") are not thousands.
    assert re.search(r"(?<![\d,.])\d{4,}%", text) is None, "every percentage has thousands separators"


# --- CSV and JSON numbers ------------------------------------------------------------------


def test_machine_numbers_lose_binary_noise_and_no_stated_digit() -> None:
    assert machine_number(-44.099999999999994) == -44.1
    assert machine_number(43865930.887288146) == 43865930.8873  # 12 significant digits
    assert machine_number(79_038_000.0) == 79_038_000.0  # 7,903.8 萬, every digit kept
    assert machine_number(0.0745) == 0.0745


def test_csv_and_json_write_rounded_numbers() -> None:
    out = io.StringIO()
    machine.write_json(machine.plain({"x": -44.099999999999994}), out)
    assert json.loads(out.getvalue()) == {"x": -44.1}
    csv_text = _piped("runway", "--format", "csv")
    assert re.search(r"\d\.\d{12,}", csv_text) is None, "no field carries more than 12 significant digits"


def test_the_compare_csv_has_the_rate_in_its_own_columns() -> None:
    rows = list(csv.DictReader(io.StringIO(_piped("compare", "minimax", "zhipu", "--format", "csv"))))
    converted = [r for r in rows if r["rate_pair"]]
    assert converted and all(r["rate_pair"] == "USDRMB" and float(r["rate"]) > 6 for r in converted)
    assert not any("converted at" in r["note"] for r in rows), "the note no longer repeats the rate"


def test_the_compare_csv_has_one_meaning_per_column() -> None:
    rows = list(csv.DictReader(io.StringIO(_piped("compare", "minimax", "zhipu", "--format", "csv"))))
    growth = [r for r in rows if r["label"] == "Revenue growth, year on year" and r["status"] == "ok"]
    assert growth and all(r["how"] == "growth" and r["note"] == "" for r in growth)
    breakeven = [r for r in rows if r["label"].startswith("Breakeven") and r["status"] == "ok"]
    # The date alone in ``period``; alive or dead, and when a dead company's cash runs out, beside it.
    for r in breakeven:
        assert "," not in r["period"] and r["viability"] in ("alive", "dead", "undecided", "no rate", "n/m")
        assert bool(r["cash_out"]) == (r["viability"] == "dead")


def _qualified_growth() -> FigureTable:
    # Revenue "more than" 130 on an exact 100: growth 30 %, and more than that.
    now = Input("revenue", "FY2024", 130e6, "USD", "s", qualifier="more_than")
    before = Input("revenue", "FY2023", 100e6, "USD", "s")
    figure = Figure("a", "revenue_growth", "FY2024", 30.0, Measure.PERCENT, label="growth", inputs=(now, before))
    return FigureTable("Growth", (replace(figure, qualifier=quotient_qualifier(now, before)),))


@pytest.mark.parametrize(("fmt", "shown"), [("table", ">30.0%"), ("markdown", ">30.0%"), ("csv", "more_than")])
def test_a_qualified_growth_rate_shows_its_qualifier_in_every_format(fmt: str, shown: str) -> None:
    out = io.StringIO()
    write(_qualified_growth(), fmt, out, width=100)
    assert shown in out.getvalue()


def test_a_qualified_growth_rate_in_json_says_more_than() -> None:
    out = io.StringIO()
    write(_qualified_growth(), "json", out)
    assert json.loads(out.getvalue())["frame"][0]["qualifier"] == "more_than"


def test_a_claim_stated_as_a_range_reads_low_to_high() -> None:
    claim = Claim(
        "a", "compute_to_rd FY2024", math.nan, 70.0, 80.0, "percent", "range", "s", 70.75, Verdict.REPRODUCES, ""
    )
    assert claim_stated(claim) == "70–80%"
    for fmt in ("table", "markdown"):
        out = io.StringIO()
        write(ClaimsTable((claim,)), fmt, out, width=120)
        assert "70–80%" in out.getvalue(), fmt
    out = io.StringIO()
    write(ClaimsTable((claim,)), "csv", out)
    row = next(csv.DictReader(io.StringIO(out.getvalue())))
    assert (row["stated"], row["stated_low"], row["stated_high"]) == ("", "70.0", "80.0")
