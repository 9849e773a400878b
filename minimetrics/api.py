"""The library's public functions, their inputs checked as the command line checks them.

``minimetrics`` re-exports these: the same core functions (``analysis``, ``breakeven``,
``report``, ``history``, ``dataset``), each first checking what it is given and raising the
error the command line gives for it (``UsageError``, exit 2 there): a company by id,
ticker, name or alias, else "did you mean"; a currency in any case ("usd"); a period in
any case ("fy2024"), else the periods that exist; a path as ``str`` or ``Path``; a date
as ``date`` or "YYYY-MM-DD"; ``fx`` as {"USDCNY": 7.2}, {("USD", "RMB"): 7.2} or
["USDCNY=7.2"]. A wrong type is a ``UsageError`` too, never an AttributeError deep inside.

Nothing here loads pandas: the computing modules are imported inside the functions.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from minimetrics import dataset
from minimetrics.choices import LossBasis
from minimetrics.dataset import Dataset, FrameData, Progress
from minimetrics.factsheet import FactSheet, FxTable
from minimetrics.factsheet import read_fx as _read_fx
from minimetrics.factsheet import read_sheet as _read_sheet
from minimetrics.problems import Problem, UsageError
from minimetrics.registry import CURRENCIES, CURRENCY_ALIASES, Period, parse_period, suggest

if TYPE_CHECKING:  # the results' classes load with the computations that make them
    from minimetrics.breakeven import BreakevenOptions
    from minimetrics.results import (
        BreakevenGridTable,
        BreakevenTable,
        Changes,
        ClaimsTable,
        CompanySummary,
        Comparison,
        Explanation,
        FigureTable,
        Report,
        RunwayTable,
    )

PathLike = str | os.PathLike[str]
Companies = str | Sequence[str] | None
Day = date | str | None
Fx = Mapping[str, float] | Mapping[tuple[str, str], float] | Sequence[str] | None

# The choices of the command line's options (cli.Burn, cli.Cash), which the library takes in any case.
BURN_BASES = ("stated", "operating", "adjusted_loss", "net_loss")
CASH_BASES = ("liquid", "cash")
BURN_GROWTH_BOUNDS = (-99.0, 100.0)  # runway --burn-growth, % a month
DEFAULT_STEPS = (-50.0, -25.0, 25.0, 50.0)  # breakeven --revenue-growth-steps, --cost-growth-steps


def _shown(value: object) -> str:
    """A value as a message quotes it: printable, and short."""
    text = value if isinstance(value, str) else repr(value)
    return "".join(c if c.isprintable() else "?" for c in text)[:60]


# --- The checks -------------------------------------------------------------------------------


def check_path(path: object, what: str = "path") -> Path:
    """A ``str`` or ``os.PathLike`` as a Path; anything else is a UsageError.

    >>> check_path("datasets")
    PosixPath('datasets')
    """
    if isinstance(path, Path):
        return path
    if isinstance(path, str | os.PathLike) and not isinstance(path, bytes):
        return Path(os.fspath(path))
    raise UsageError(f"the {what} is a {type(path).__name__}, not a path", 'give a str or a Path, e.g. "datasets"')


def check_data(data: object) -> Dataset:
    """The data the computations read: a ``Dataset`` from ``load_data``."""
    if not isinstance(data, Dataset):
        raise UsageError(
            f"the data is a {type(data).__name__}, not a Dataset", "load it first: data = load_data(folder)"
        )
    return data


def check_companies(data: Dataset, companies: Companies) -> list[str]:
    """The ids of ``companies`` (each an id, ticker, name or alias; one ``str`` is one company).

    None or [] is every company (an empty list). An unknown one raises ``UnknownCompanyError``
    with "did you mean", as the command line does.
    """
    if companies is None:
        return []
    wanted = [companies] if isinstance(companies, str) else companies
    if not isinstance(wanted, Sequence):
        raise UsageError(
            f"companies is a {type(companies).__name__}", 'give a company or a list of them, e.g. ["minimax", "zhipu"]'
        )
    ids = []
    for query in wanted:
        if not isinstance(query, str):
            raise UsageError(f"a company is a {type(query).__name__}, not a name", 'give ids or names, e.g. "minimax"')
        ids.append(dataset.find_company(data, query).company.id)
    return ids


def check_currency(code: object) -> str:
    """A currency code in any case, CNY read as RMB.

    >>> check_currency("usd"), check_currency("cny")
    ('USD', 'RMB')
    """
    found = CURRENCY_ALIASES.get(code.strip().upper(), code.strip().upper()) if isinstance(code, str) else ""
    if found not in CURRENCIES:
        hint = suggest(found, list(CURRENCIES)) or "use one of " + ", ".join(CURRENCIES)
        raise UsageError(f'unknown currency "{_shown(code)}"', hint)
    return found


def check_choice(value: object, choices: Sequence[str], what: str) -> str:
    """One of ``choices``, in any case.

    >>> check_choice("Net_Loss", BURN_BASES, "burn basis")
    'net_loss'
    """
    found = value.strip().lower() if isinstance(value, str) else ""
    if found not in choices:
        hint = suggest(found, list(choices)) or "use one of " + ", ".join(choices)
        raise UsageError(f'unknown {what} "{_shown(value)}"', hint)
    return found


def check_period(period: object, known: Sequence[str]) -> str:
    """``period`` as the data writes it (matched in any case), if the data has it.

    >>> check_period("fy2024", ["FY2023", "FY2024"])
    'FY2024'
    """
    if not isinstance(period, str):
        raise UsageError(f"the period is a {type(period).__name__}", 'give a label, e.g. "FY2024" or "9M2025"')
    labels = list(dict.fromkeys(known))
    found = {label.casefold(): label for label in labels}.get(period.strip().casefold())
    if found is None:
        have = "the data has " + (", ".join(labels) if labels else "no figures")
        raise UsageError(f'no figures for the period "{_shown(period)}"', suggest(period, labels) or have)
    return found


def check_date(day: object, what: str = "as_of") -> date | None:
    """A date, or "YYYY-MM-DD"; None stays None.

    >>> check_date("2026-01-31")
    datetime.date(2026, 1, 31)
    """
    if day is None:
        return None
    if isinstance(day, datetime):
        return day.date()
    if isinstance(day, date):
        return day
    if isinstance(day, str):
        try:
            return date.fromisoformat(day.strip())
        except ValueError:
            pass
    raise UsageError(f'{what} "{_shown(day)}" is not a date', "give a date or YYYY-MM-DD, e.g. 2026-01-31")


def check_fx(fx: Fx) -> dict[tuple[str, str], float]:
    """Rate overrides as ``--fx`` reads them: {"USDCNY": 7.2}, {("USD", "RMB"): 7.2} or ["USDCNY=7.2"]."""
    from minimetrics.fx import parse_overrides

    if fx is None:
        return {}
    if isinstance(fx, Mapping):
        texts = []
        for pair, rate in fx.items():
            name = "".join(pair) if isinstance(pair, tuple) and all(isinstance(p, str) for p in pair) else pair
            if not isinstance(name, str) or isinstance(rate, bool) or not isinstance(rate, int | float):
                raise UsageError(f"fx {_shown(pair)}: {_shown(rate)} is not a rate", 'write fx={"USDCNY": 7.2}')
            texts.append(f"{name}={float(rate)!r}" if math.isfinite(rate) else f"{name}={rate}")
        return parse_overrides(texts)
    if isinstance(fx, str) or not all(isinstance(t, str) for t in fx):
        raise UsageError(f"fx {_shown(fx)} is not a list of PAIR=RATE", 'write fx=["USDCNY=7.2"]')
    return parse_overrides(list(fx))


def _check_number(value: object, what: str, low: float | None = None, high: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise UsageError(f"{what} {_shown(value)} is not a number", f"give a number for {what}")
    if low is not None and high is not None and not low <= value <= high:
        raise UsageError(f"{what} {value:g} is out of bounds", f"give {low:g} to {high:g}")
    return float(value)


# --- Reading --------------------------------------------------------------------------------------


def resolve_data_dir(explicit: PathLike | None = None) -> Path:
    """The given folder, else ``$MINIMETRICS_DATA``, else the bundled sheets."""
    return dataset.resolve_data_dir(None if explicit is None else check_path(explicit, "data folder"))


def data_folders(folder: PathLike | Sequence[PathLike] | None = None) -> tuple[Path, ...]:
    """The folders to read: the one given, or several in reading order; by default what the
    command line reads with no option (``data_dirs()``: the bundled sheets, then the folders
    of ``$MINIMETRICS_DATA``)."""
    if folder is None:
        return dataset.data_dirs()
    if isinstance(folder, str | os.PathLike):
        return (check_path(folder, "data folder"),)
    if isinstance(folder, Sequence) and not isinstance(folder, bytes):
        return tuple(check_path(f, "data folder") for f in folder)
    return (check_path(folder, "data folder"),)  # says what was given instead of a path


def load_data(
    folder: PathLike | Sequence[PathLike] | None = None,
    *,
    companies: Companies = None,
    cache: bool | None = None,
    progress: Progress | None = None,
) -> Dataset:
    """Every sheet of the data folders (``data_folders(folder)``), validated; raises
    FactSheetError. With ``companies`` named, other sheets with errors are left out
    (``Dataset.broken``) instead of failing."""
    wanted = [companies] if isinstance(companies, str) else list(companies) if companies is not None else None
    return dataset.load_data(data_folders(folder), companies=wanted, cache=cache, progress=progress)


def load_frame(
    folder: PathLike | Sequence[PathLike] | None = None,
    companies: Companies = None,
    metrics: Sequence[str] | frozenset[str] | set[str] | None = None,
    *,
    cache: bool | None = None,
    progress: Progress | None = None,
) -> FrameData:
    """The facts frame of the named companies (all by default), from the cached columns."""
    wanted = [companies] if isinstance(companies, str) else list(companies) if companies is not None else None
    chosen = None if metrics is None else frozenset([metrics] if isinstance(metrics, str) else metrics)
    return dataset.load_frame(data_folders(folder), wanted, chosen, cache=cache, progress=progress)


def check_files(
    paths: PathLike | Sequence[PathLike],
    as_of: Day = None,
    *,
    cache: bool | None = None,
    progress: Progress | None = None,
) -> list[Problem]:
    """Every problem in the given files and folders, warnings and cross-checks included."""
    many = [paths] if isinstance(paths, str | os.PathLike) else paths
    return dataset.check_files([check_path(p, "file") for p in many], check_date(as_of), cache=cache, progress=progress)


def read_sheet(path: PathLike, data: bytes | None = None) -> tuple[FactSheet | None, list[Problem]]:
    """One sheet read and validated: the sheet (None with any error) and every problem."""
    return _read_sheet(check_path(path, "sheet"), data)


def read_fx(path: PathLike, data: bytes | None = None) -> tuple[FxTable | None, list[Problem]]:
    """The exchange-rate file read and validated."""
    return _read_fx(check_path(path, "fx file"), data)


def find_company(data: Dataset, query: str) -> FactSheet:
    """The sheet of the company with this id, ticker, name or alias, in any case."""
    if not isinstance(query, str):
        raise UsageError(f"a company is a {type(query).__name__}, not a name", 'give an id or a name, e.g. "minimax"')
    return dataset.find_company(check_data(data), query)


def summarize(data: Dataset) -> list[CompanySummary]:
    """One row per company (``list``): what it covers and how fresh its sources are."""
    return dataset.summarize(check_data(data))


# --- Computing ------------------------------------------------------------------------------------


def _label(period: object) -> str | None:
    """A period label in the case the data writes it ("fy2024" → "FY2024"), where the core
    checks that the data has it (``comparison``'s year, ``explain``'s period)."""
    if period is None:
        return None
    if not isinstance(period, str):
        raise UsageError(f"the period is a {type(period).__name__}", 'give a label, e.g. "FY2024" or "9M2025"')
    text, upper = period.strip(), period.strip().upper()
    return upper if isinstance(parse_period(upper), Period) else text


def growth_table(
    data: Dataset, companies: Companies = None, metric: str = "revenue", period: str | None = None, as_of: Day = None
) -> FigureTable:
    """``growth``: year-on-year growth, CAGR, run-rates and TTM of ``metric`` (only ``period``'s, if given)."""
    from minimetrics import analysis

    if not isinstance(metric, str):
        raise UsageError(f"the metric is a {type(metric).__name__}", 'give a flow metric, e.g. "revenue"')
    ids = check_companies(check_data(data), companies)
    table = analysis.growth_table(data, ids, metric.strip().lower(), None, check_date(as_of))
    return _only(table, period)


def margin_table(
    data: Dataset, companies: Companies = None, period: str | None = None, as_of: Day = None
) -> FigureTable:
    """``margins``: margins and cost ratios, their changes in pp (only ``period``'s, if given)."""
    from minimetrics import analysis

    ids = check_companies(check_data(data), companies)
    return _only(analysis.margin_table(data, ids, None, check_date(as_of)), period)


def _only(table: FigureTable, period: str | None) -> FigureTable:
    """The figures of one period (the core's ``period`` filter), a period the figures do not have refused."""
    if period is None:
        return table
    wanted = check_period(period, [f.period for f in table.figures])
    return replace(table, figures=tuple(f for f in table.figures if f.period == wanted))


def runway_table(  # noqa: PLR0913 -- the runway command's options
    data: Dataset,
    companies: Companies = None,
    *,
    burn: str | None = None,
    cash: str | None = None,
    with_ipo: bool = False,
    burn_growth: float = 0.0,
    detail: bool = False,
    fx: Fx = None,
    as_of: Day = None,
) -> RunwayTable:
    """``runway``: months of cash left per company, on the default basis (or every basis with ``detail``)."""
    from minimetrics import analysis
    from minimetrics.metrics import RunwayOptions

    ids = check_companies(check_data(data), companies)
    options = RunwayOptions(
        None if cash is None else check_choice(cash, CASH_BASES, "cash basis"),
        None if burn is None else check_choice(burn, BURN_BASES, "burn basis"),
        True if with_ipo else None if detail else False,  # as the command line: --detail shows both
        _check_number(burn_growth, "burn_growth", *BURN_GROWTH_BOUNDS),
        check_fx(fx),
        check_date(as_of),
    )
    return analysis.runway_table(data, ids, options, bool(detail))


def comparison(
    data: Dataset,
    companies: Companies,
    currency: str = "USD",
    fx: Fx = None,
    period: str | None = None,
    as_of: Day = None,
) -> Comparison:
    """``compare``: two or more companies side by side, money in ``currency``, full years aligned on ``period``."""
    from minimetrics import analysis

    ids = check_companies(check_data(data), companies)
    return analysis.comparison(data, ids, check_currency(currency), check_fx(fx), _label(period), check_date(as_of))


def explain(data: Dataset, company: str, figure: str, period: str | None = None, as_of: Day = None) -> Explanation:
    """``explain``: how one figure was derived, its inputs and their sources."""
    from minimetrics import explanation

    sheet = find_company(data, company)
    if not isinstance(figure, str):
        raise UsageError(f"the figure is a {type(figure).__name__}", 'give a figure, e.g. "revenue_growth"')
    return explanation.explain(data, sheet.company.id, figure.strip(), _label(period), check_date(as_of))


def claims_table(data: Dataset, companies: Companies = None, as_of: Day = None) -> ClaimsTable:
    """``claims``: every claim the sources make, checked against the data."""
    from minimetrics import analysis

    return analysis.claims_table(data, check_companies(check_data(data), companies), check_date(as_of))


def _breakeven_options(  # noqa: PLR0913 -- the breakeven command's options
    loss: str,
    cash: str | None,
    with_ipo: bool,
    revenue_growth: float | None,
    cost_growth: float | None,
    horizon: int,
    as_of: Day,
    fx: Fx,
) -> BreakevenOptions:
    from minimetrics import breakeven

    if isinstance(horizon, bool) or not isinstance(horizon, int):
        raise UsageError(f"horizon {_shown(horizon)} is not a whole number of years", "give 1 to 50 years")
    options = breakeven.BreakevenOptions(
        LossBasis(check_choice(loss, [b.value for b in LossBasis], "loss basis")),
        None if cash is None else check_choice(cash, CASH_BASES, "cash basis"),
        bool(with_ipo),
        None if revenue_growth is None else _check_number(revenue_growth, "revenue_growth"),
        None if cost_growth is None else _check_number(cost_growth, "cost_growth"),
        horizon,
        check_date(as_of),
        check_fx(fx),
    )
    breakeven.check_options(options)
    return options


def breakeven_table(  # noqa: PLR0913 -- the breakeven command's options
    data: Dataset,
    companies: Companies = None,
    *,
    loss: str = "adjusted_loss",
    cash: str | None = None,
    with_ipo: bool = False,
    revenue_growth: float | None = None,
    cost_growth: float | None = None,
    horizon: int = 10,
    as_of: Day = None,
    fx: Fx = None,
) -> BreakevenTable:
    """``breakeven``: when revenue would catch up with costs, and whether the cash lasts until then."""
    from minimetrics import breakeven

    options = _breakeven_options(loss, cash, with_ipo, revenue_growth, cost_growth, horizon, as_of, fx)
    return breakeven.breakeven_table(data, check_companies(check_data(data), companies), options)


def breakeven_grid_table(  # noqa: PLR0913 -- the breakeven --grid command's options
    data: Dataset,
    companies: Companies = None,
    *,
    loss: str = "adjusted_loss",
    cash: str | None = None,
    with_ipo: bool = False,
    revenue_growth: float | None = None,
    cost_growth: float | None = None,
    horizon: int = 10,
    revenue_growth_steps: Sequence[float] = DEFAULT_STEPS,
    cost_growth_steps: Sequence[float] = DEFAULT_STEPS,
    as_of: Day = None,
    fx: Fx = None,
) -> BreakevenGridTable:
    """``breakeven --grid``: months to breakeven over revenue growth × cost growth around the base case."""
    from minimetrics import breakeven

    options = _breakeven_options(loss, cash, with_ipo, revenue_growth, cost_growth, horizon, as_of, fx)
    steps = breakeven.GridSteps(
        tuple(_check_number(s, "a revenue growth step") for s in revenue_growth_steps) or DEFAULT_STEPS,
        tuple(_check_number(s, "a cost growth step") for s in cost_growth_steps) or DEFAULT_STEPS,
    )
    return breakeven.breakeven_grid_table(data, check_companies(check_data(data), companies), options, steps)


def build_report(
    data: Dataset, companies: Companies = None, as_of: Day = None, currency: str = "USD", fx: Fx = None
) -> Report:
    """``report``: the whole comparison as one document, as of ``as_of`` (default: today)."""
    from minimetrics import report

    ids = check_companies(check_data(data), companies)
    day = check_date(as_of) or date.today()
    return report.build_report(data, ids, day, check_currency(currency), check_fx(fx))


def changes(data: Dataset, since: date | str, until: date | str | None = None, companies: Companies = None) -> Changes:
    """What became known between ``since`` and ``until`` (default: today), by company, fact and period."""
    from minimetrics import history

    ids = check_companies(check_data(data), companies)
    first = check_date(since, "since")
    if first is None:
        raise UsageError("since is None", "give the first date, e.g. 2025-12-31")
    return history.changes(data, first, check_date(until, "until") or date.today(), ids)
