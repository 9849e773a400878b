"""The only place a number becomes text: one formatter per kind of figure, each with examples.

House style, in every format (terminal, Markdown, report, footnotes):

- Money is in millions of its currency, and the unit is spelled one way, "USD million": once
  in a column's or a row's header where a table has one ("revenue (USD million)"), and after
  the number where a unit must sit in a cell or a sentence ("1,050.0 USD million"). ``show``
  writes a sheet's figures in the scales the sources used, one scale per table (per series
  in the dated table), each stated in the unit column ("USD 萬", "HKD billion").
- Every difference and every change is signed: "+49.8", "-13.3", "+631.2 pp", "+159.0%".
  The minus is the ASCII "-" everywhere.
- Every percentage goes through ``format_percent``: thousands separators, and the decimals
  the figure carries ("-2,574%" as a source wrote it, "-2,574.28%" computed to two places).
- Rescaling (萬 to million) shifts the decimal point and keeps every digit the source gave.

JSON and CSV carry numbers as data, rounded to ``SIGNIFICANT`` significant digits by
``machine_number`` (binary noise such as -44.099999999999994 goes, no stated digit does).
"""

from __future__ import annotations

import math

from minimetrics.factsheet import Report
from minimetrics.registry import QUALIFIER_MARKS, Unit
from minimetrics.results import Chart, Measure, Status

QUALIFIER_MARK = QUALIFIER_MARKS  # ~ about, > more than, ≥ at least, < less than, ≤ at most

# Significant digits of a number in JSON and CSV: more than any stated figure carries (a sheet
# value times a scale, or a computed figure), fewer than the 15-17 where binary noise shows.
SIGNIFICANT = 12


def machine_number(value: float) -> float:
    """A number for JSON and CSV: ``SIGNIFICANT`` significant digits, whole numbers kept whole.

    >>> machine_number(-44.099999999999994)
    -44.1
    >>> machine_number(43865930.887288146)
    43865930.8873
    >>> machine_number(0.1 + 0.2), machine_number(79038000.00000001)
    (0.3, 79038000.0)
    >>> machine_number(float("nan"))
    nan
    """
    if not math.isfinite(value) or value == 0:
        return value
    return round(value, SIGNIFICANT - 1 - math.floor(math.log10(abs(value))))


def format_number(value: float, decimals: int = 0, signed: bool = False) -> str:
    """Thousands separators, fixed decimals, an ASCII minus; ``signed``: a plus on the rest.

    >>> format_number(1234567.891, 2)
    '1,234,567.89'
    >>> format_number(-465.2, 1), format_number(49.8, 1, signed=True)
    ('-465.2', '+49.8')
    >>> format_number(float("nan"))
    'n/a'
    """
    if not math.isfinite(value):
        return "n/a"
    return f"{value:{'+' if signed else ''},.{max(decimals, 0)}f}"


def written_decimals(value: float) -> int:
    """How many decimals a figure as written carries (its shortest form).

    >>> written_decimals(-2574.0), written_decimals(12.25), written_decimals(0.0745)
    (0, 2, 4)
    """
    text = format_short(value)
    return len(text.partition(".")[2]) if "e" not in text else 0


def format_written(value: float) -> str:
    """A figure as a source wrote it, with thousands separators: every digit it gave, no more.

    >>> format_written(3052.0), format_written(-2574.28), format_written(0.97417)
    ('3,052', '-2,574.28', '0.97417')
    """
    return format_number(value, written_decimals(value))


def format_percent(value: float, decimals: int = 1, signed: bool = False) -> str:
    """A percentage, value given in percent: every percentage in the output goes through here.

    >>> format_percent(45.23), format_percent(-2574.28, 2), format_percent(-2574, 0)
    ('45.2%', '-2,574.28%', '-2,574%')
    >>> format_percent(158.97, signed=True)
    '+159.0%'
    """
    return f"{format_number(value, decimals, signed)}%"


def format_pp(value: float, decimals: int = 1) -> str:
    """A percentage-point change, always signed.

    >>> format_pp(3.14)
    '+3.1 pp'
    >>> format_pp(-0.5)
    '-0.5 pp'
    """
    return f"{format_number(value, decimals, signed=True)} pp"


def format_short(value: float, signed: bool = False) -> str:
    """A number as written, shortest form, no separators: a stated figure, a bound, a rate of change.

    >>> format_short(75.0)
    '75'
    >>> format_short(0.0745)
    '0.0745'
    >>> format_short(5, signed=True)
    '+5'
    """
    return f"{value:+g}" if signed else f"{value:g}"


def format_fixed(value: float, decimals: int) -> str:
    """Fixed decimals without separators (a line of stderr, a machine-like message).

    >>> format_fixed(8.7449, 1)
    '8.7'
    """
    return f"{value:.{decimals}f}"


def format_significant(value: float, digits: int = 6) -> str:
    """A rate or a count: ``digits`` significant digits with separators.

    >>> format_significant(7.12173)
    '7.12173'
    >>> format_significant(1234567.0)
    '1.23457e+06'
    """
    return f"{value:,.{digits}g}"


def format_periods(labels: tuple[str, ...]) -> str:
    """Full years as a range when consecutive, then the interims.

    >>> format_periods(("FY2022", "FY2023", "9M2024", "FY2024", "9M2025"))
    'FY2022-FY2024, 9M2024, 9M2025'
    >>> format_periods(("FY2022", "FY2024"))
    'FY2022, FY2024'
    """
    years = [int(p[2:]) for p in labels if p.startswith("FY")]
    others = [p for p in labels if not p.startswith("FY")]
    consecutive = len(years) > 2 and years == list(range(years[0], years[0] + len(years)))
    shown = [f"FY{years[0]}-FY{years[-1]}"] if consecutive else [f"FY{y}" for y in years]
    return ", ".join(shown + others)


def format_report(report: Report, unit: Unit | None = None) -> str:
    """A report's figure in ``unit`` (default its own), with its qualifier mark.

    Converting between scales keeps the precision the source wrote:
    5344 in USD 萬 is 53.44 in USD million.
    """
    if report.event:
        return "event"
    if report.unit is None or (report.value is None and report.value_range is None):
        return "not disclosed"
    target = unit or report.unit
    shift = round(math.log10(target.scale / report.unit.scale))
    factor = report.unit.scale / target.scale
    if report.value_range is not None:
        low, high = report.value_range
        text = format_number(low * factor, report.decimals + shift) + "–"
        text += format_number(high * factor, report.high_decimals + shift)
    else:
        assert report.value is not None
        text = QUALIFIER_MARK[report.qualifier] + format_number(report.value * factor, report.decimals + shift)
    return f"{text} ({report.outlook})" if report.outlook else text


def format_stated(value: float, unit: str, qualifier: str, high: float | None = None) -> str:
    """A figure as a source stated it: its qualifier mark, the number as written, its unit;
    with ``high``, a range from ``value`` to ``high`` (no mark: the ends are the qualifier).

    >>> format_stated(75.0, "percent", "about"), format_stated(-2574.0, "percent", "exact")
    ('~75%', '-2,574%')
    >>> format_stated(2.5, "years", "exact")
    '2.5 years'
    >>> format_stated(70.0, "percent", "range", 80.0), format_stated(1.5, "years", "range", 2.0)
    ('70–80%', '1.5–2 years')
    """
    if high is not None:
        text = f"{format_written(value)}–{format_written(high)}"
        return f"{text}%" if unit == Measure.PERCENT else f"{text} {unit}"
    mark = QUALIFIER_MARK.get(qualifier, "")
    if unit == Measure.PERCENT:
        return mark + format_percent(value, written_decimals(value))
    return f"{mark}{format_written(value)} {unit}"


def format_value(value: float, unit: str, status: str = Status.OK) -> str:
    """A computed figure with its unit: percent, pp, months, times, or money (millions when large).

    >>> format_value(30_520_000, "USD")
    '30.5 USD million'
    >>> format_value(167_550.6, "USD")
    '0.168 USD million'
    >>> format_value(782.08, "percent")
    '782.1%'
    >>> format_value(-10.23, "pp")
    '-10.2 pp'
    >>> format_value(173.04, "times")
    '173.0×'
    >>> format_value(float("nan"), "percent", "n/m")
    'n/m'
    """
    if status != Status.OK or not math.isfinite(value):
        return "–" if status == Status.OK else str(status)
    if unit == Measure.PERCENT:
        return format_percent(value)
    if unit == Measure.PP:
        return format_pp(value)
    if unit == Measure.MONTHS:
        return format_number(value, 1)
    if unit == Measure.TIMES:
        return format_number(value, 1) + "×"
    return format_money(value, unit)


def format_millions(value: float, status: str = Status.OK, decimals: int = 1, signed: bool = False) -> str:
    """Money in a column headed "USD million"; the status instead where there is no figure.

    >>> format_millions(43_865_930.9), format_millions(-13_300_000, signed=True)
    ('43.9', '-13.3')
    >>> format_millions(1_751_000, decimals=2, signed=True)
    '+1.75'
    >>> format_millions(float("nan"), "no rate")
    'no rate'
    """
    if status != Status.OK or not math.isfinite(value):
        return str(status)
    return format_number(value / 1e6, decimals, signed)


def unit_header(unit: str) -> str:
    """How a column or a row names its unit.

    >>> unit_header("USD")
    'USD million'
    >>> unit_header("percent")
    '%'
    """
    headers: dict[str, str] = {Measure.PERCENT: "%", Measure.PP: "pp", Measure.MONTHS: "months", Measure.DATE: ""}
    return headers.get(unit, f"{unit} million")


def chart_decimals(chart: Chart) -> int:
    """One precision for a whole chart: two decimals when its largest money value is below 10.

    Percentages and months always take one.
    """
    values = [abs(p.value) for s in chart.series for p in s.points if p.status == Status.OK and math.isfinite(p.value)]
    return 2 if chart.unit not in ("%", "months") and values and max(values) < 10 else 1


def format_chart_value(value: float, unit: str, decimals: int = 1) -> str:
    """A chart's value as its table and its labels show it.

    >>> format_chart_value(3.46, "USD million", 2)
    '3.46'
    >>> format_chart_value(-799.48, "%")
    '-799.5%'
    >>> format_chart_value(37.63, "months")
    '37.6'
    """
    if not math.isfinite(value):
        return "n/a"
    if unit == "%":
        return format_percent(value, decimals)
    return format_number(value, decimals)


def format_tick(value: float, unit: str) -> str:
    """A chart axis tick: whole when it is whole.

    >>> format_tick(20.0, "%")
    '20%'
    >>> format_tick(2.5, "months")
    '2.5'
    """
    decimals = 0 if value == int(value) else 1
    return format_percent(value, decimals) if unit == "%" else format_number(value, decimals)


def format_months_left(value: float, runs_out: object) -> str:
    """Months left on a day: a dash without a number, and a runway already over said in words.

    >>> format_months_left(-2.0, "2025-12-01")
    'none: ran out on paper 2025-12-01'
    >>> format_months_left(float("nan"), None)
    '–'
    """
    if not math.isfinite(value):
        return "–"
    if value < 0:
        return f"none: ran out on paper {runs_out}"
    return format_number(value, 1)


def format_growth(rate: float) -> str:
    """A yearly growth rate, always signed.

    >>> format_growth(158.97), format_growth(-25.0)
    ('+159.0%', '-25.0%')
    """
    return format_percent(rate, signed=True)


def money_decimals(value: float) -> int:
    """Decimals for an amount in millions: three significant digits at least, one decimal from 10.

    >>> money_decimals(30_520_000), money_decimals(6_586_500), money_decimals(167_550.6)
    (1, 2, 3)
    """
    millions = abs(value) / 1e6
    return 1 if millions >= 10 else 2 if millions >= 1 else 3


def format_money(value: float | None, currency: str, decimals: int | None = None, signed: bool = False) -> str:
    """Money in a cell or a sentence: millions, then "USD million"; a dash without a figure.

    >>> format_money(1_050_000_000.0, "USD"), format_money(-10_294_064_198.4, "RMB", signed=True)
    ('1,050.0 USD million', '-10,294.1 RMB million')
    >>> format_money(6_586_500.0, "USD", signed=True), format_money(None, "USD")
    ('+6.59 USD million', '–')
    """
    if value is None or not math.isfinite(value):
        return "–"
    shown = money_decimals(value) if decimals is None else decimals
    return f"{format_number(value / 1e6, shown, signed)} {currency} million"


def format_money_exact(value: float, currency: str) -> str:
    """An input amount as ``explain`` lists it: in millions, every digit down to the unit.

    >>> format_money_exact(312_400_000.0, "USD"), format_money_exact(167_551.0, "USD")
    ('312.4 USD million', '0.167551 USD million')
    >>> format_money_exact(float("nan"), "USD")
    'not disclosed'
    """
    if not math.isfinite(value):
        return "not disclosed"
    millions = round(value) / 1e6
    text = f"{millions:,.6f}".rstrip("0").rstrip(".")
    return f"{text} {currency} million"
