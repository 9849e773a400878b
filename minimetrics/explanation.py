"""``explain``: how one figure was derived — its formula, its inputs with their periods and
units, and the sources they rest on (with publication dates, and which dates are inferred)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date

import pandas as pd

from minimetrics.breakeven import BreakevenOptions, breakeven_table
from minimetrics.dataset import Dataset, find_company
from minimetrics.history import known_on
from minimetrics.metrics import RunwayOptions, growth, margins, run_rates, runway, unit_economics
from minimetrics.problems import UnknownFigureError
from minimetrics.results import Explanation, Input, Measure, SourceRef, Status
from minimetrics.selection import unknown_hint
from minimetrics.tidy import facts_frame

__all__ = ["UnknownFigureError", "explain"]


def explain(
    data: Dataset,
    company: str,
    figure: str,
    period: str | None,
    as_of: date | None = None,
    overrides: Mapping[tuple[str, str], float] | None = None,
) -> Explanation:
    """How one figure was derived: formula, inputs with periods and units, their sources.

    ``breakeven`` explains the company's path to breakeven (``breakeven.breakeven``).
    ``overrides`` are ``--fx`` rates, used wherever a rate is (valuation, runway, breakeven).
    The figure and the period are matched whatever their case. An unknown figure is an
    ``UnknownFigureError`` with "did you mean" and every figure the company has; a period the
    figure does not have, with the periods it has.
    """
    data = known_on(data, as_of) if as_of is not None else data
    sheet = find_company(data, company)
    overrides = dict(overrides or {})
    if figure.strip().casefold() == "breakeven":
        return _explain_breakeven(data, sheet.company.id, as_of, overrides)
    frame = facts_frame([sheet])
    rates = data.fx.rates if data.fx else ()
    candidates = pd.concat(
        [
            growth(frame),
            growth(frame, "net_loss"),
            margins(frame),
            run_rates(frame),
            unit_economics(frame, rates, overrides, as_of),
        ],
        ignore_index=True,
    )
    known = sorted(set(candidates["figure"]) | set(frame["metric"]) | {"runway", "breakeven"})
    figure = _as_written(figure, known)
    if figure == "runway":
        return _explain_runway(data, sheet.company.id, frame, as_of, overrides)
    found = candidates[(candidates["figure"] == figure) & (candidates["segment"] == "")]
    if found.empty and figure in set(frame["metric"]):
        return _explain_fact(data, sheet.company.id, frame, figure, period)
    if found.empty:
        raise UnknownFigureError(
            f"no {figure} for {sheet.company.id}", unknown_hint(figure, known, "figures and metrics")
        )
    if period:
        periods = list(dict.fromkeys(str(p) for p in found["period"]))
        period = _as_written(period, periods)
        found = found[found["period"] == period]
        if found.empty:
            raise UnknownFigureError(
                f"no {figure} for {period} for {sheet.company.id}",
                unknown_hint(period, periods, f"periods of {figure}", periods=True),
            )
    row = found.iloc[-1]
    return Explanation(
        sheet.company.id,
        figure,
        str(row["period"]),
        float(row["value"]),
        str(row["unit"]),
        Status(row["status"]),
        str(row["label"]),
        str(row["formula"]),
        tuple(row["inputs"]),
        _sources(data, sheet.company.id, row["inputs"]),
        _with_inferred(str(row["note"]), tuple(row["inputs"])),
        str(row["qualifier"]),
    )


def _as_written(word: str, names: list[str]) -> str:
    """``word`` as ``names`` write it when it is one of them whatever the case (``fy2024``)."""
    word = word.strip()
    return next((name for name in names if name.casefold() == word.casefold()), word)


def _with_inferred(note: str, inputs: tuple[Input, ...]) -> str:
    """The note, and which inputs rest on a date the source does not state."""
    inferred = [f"{i.key} {i.period}: {i.inferred}" for i in inputs if i.inferred]
    return "; ".join([note, *inferred] if note else inferred)


def _explain_fact(data: Dataset, company: str, frame: pd.DataFrame, metric: str, period: str | None) -> Explanation:
    rows = frame[(frame["metric"] == metric) & (frame["segment"] == "")]
    periods = list(dict.fromkeys(str(p) for p in rows.sort_values("period_end")["period"]))
    if period:
        period = _as_written(period, periods)
        rows = rows[rows["period"] == period]
    if rows.empty:
        hint = (
            unknown_hint(period, periods, f"periods of {metric}", periods=True)
            if period and periods
            else "see `minimetrics show`"
        )
        raise UnknownFigureError(f"no {metric}{' for ' + period if period else ''} for {company}", hint)
    latest = rows.sort_values("period_end").iloc[-1]["period"]
    rows = rows[rows["period"] == latest]
    inputs = tuple(
        Input(
            metric,
            str(r.period),
            float(r.amount) if r.disclosed else math.nan,
            str(r.currency),
            str(r.source),
            str(r.unit),
            ("shown" if r.preferred else "not shown") + (", sources disagree" if r.conflict else ""),
        )
        for r in rows.itertuples()
    )
    shown = rows[rows["preferred"]].iloc[0]
    return Explanation(
        company,
        metric,
        str(latest),
        float(shown["amount"]),
        str(shown["currency"] or shown["unit"]),
        Status.OK,
        "reported" + (" (sources disagree)" if bool(shown["conflict"]) else ""),
        f"{metric} as reported",
        inputs,
        _sources(data, company, inputs),
        qualifier=str(shown["qualifier"]),
    )


def _explain_runway(
    data: Dataset, company: str, frame: pd.DataFrame, as_of: date | None, overrides: dict[tuple[str, str], float]
) -> Explanation:
    rates = data.fx.rates if data.fx else ()
    chosen = runway(frame, rates, RunwayOptions(overrides=overrides, as_of=as_of))
    chosen = chosen[chosen["default"]]
    if chosen.empty:
        raise UnknownFigureError(f"no runway for {company}", "it needs a cash balance and a burn basis")
    row = chosen.iloc[0]
    note = f"{row['label']}; runs out around {row['runs_out']}" + (f"; {row['flags']}" if row["flags"] else "")
    if as_of is not None and not math.isnan(float(row["months_left"])):
        note += f"; {float(row['months_left']):.1f} months left on {as_of}"
    return Explanation(
        company,
        "runway",
        f"from {row['cash_date']}",
        float(row["months"]),
        Measure.MONTHS,
        Status(row["status"]),
        "default basis",
        str(row["formula"]),
        tuple(row["inputs"]),
        _sources(data, company, row["inputs"]),
        note,
    )


def _sources(data: Dataset, company: str, inputs: tuple[Input, ...]) -> tuple[SourceRef, ...]:
    sheet = find_company(data, company)
    known = {s.id: s for s in sheet.sources}
    if data.fx:
        known.update({s.id: s for s in data.fx.sources})
    cited: list[SourceRef] = []
    for item in inputs:
        for source_id in (part.strip() for part in item.source.split(",")):
            if source_id in known and source_id not in [c.id for c in cited]:
                s = known[source_id]
                cited.append(SourceRef(s.id, s.outlet, s.title, s.published.isoformat(), s.url))
    return tuple(cited)


def _explain_breakeven(
    data: Dataset, company: str, as_of: date | None, overrides: dict[tuple[str, str], float]
) -> Explanation:
    """The path to breakeven as a figure: months from the cash date to breakeven, and why."""
    record = breakeven_table(data, [company], BreakevenOptions(as_of=as_of, overrides=overrides)).breakevens[0]
    value = float(record.breakeven_month) if record.breakeven_month is not None else math.nan
    status = Status.OK if record.breakeven_month is not None else Status.NOT_MEANINGFUL
    when = f"breakeven {record.breakeven_date}" if record.breakeven_date else str(record.status)
    verdict = f"{record.verdict}" + (f": cash runs out {record.cash_out_date}" if record.cash_out_date else "")
    told = [record.reason, record.cash_reason, *record.assumptions]
    return Explanation(
        company,
        "breakeven",
        f"from {record.start}" if record.start else "",
        value,
        Measure.MONTHS,
        status,
        f"{when}; {verdict}",
        record.formula,
        record.inputs,
        record.sources,
        "; ".join(t for t in told if t),
    )
