"""Every result as a tidy DataFrame (``to_frame``), and as an HTML table for notebooks (``repr_html``).

One row per figure (a growth rate, a compared cell, a runway basis, a claim, a change…),
with what makes it a figure as columns, never in ``.attrs``: the company, the period, the
value and its unit, its status (why there is no value), its qualifier as the source wrote
it, and the ids of the sources behind it. Columns are named as the record's fields are,
so a frame, the JSON and the CSV of one result share one vocabulary. Numbers stay floats
(NaN where there is no figure: ``status`` says why), dates are datetimes (NaT where there
is none), the words (status, verdict…) plain strings; a figure's inputs stay records
(``inputs``, a tuple of ``results.Input``), so each stays traceable to its source.

The dispatch is on the result's class, in ``to_frame``. The results themselves offer
``to_frame()`` and ``_repr_html_()`` through ``minimetrics.notebook.FrameMixin``.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import pandas as pd

from minimetrics.dataset import Dataset
from minimetrics.factsheet import FactSheet
from minimetrics.registry import split_key
from minimetrics.results import (
    BREAKEVEN_COLUMNS,
    COMPARISON_COLUMNS,
    FIGURE_FRAME_COLUMNS,
    BreakevenGrid,
    BreakevenGridTable,
    BreakevenTable,
    Change,
    Changes,
    Claim,
    ClaimsTable,
    CompanySummary,
    Comparison,
    Explanation,
    Figure,
    FigureTable,
    Input,
    Report,
    Runway,
    RunwayTable,
    Scenario,
    ShortRunway,
    Shown,
    SourceRef,
    breakeven_fields,
    comparison_fields,
    input_qualifiers,
    input_sources,
)

__all__ = [
    "BREAKEVEN_COLUMNS",
    "CHANGE_COLUMNS",
    "CLAIM_COLUMNS",
    "COMPANY_COLUMNS",
    "COMPARISON_COLUMNS",
    "EXPLANATION_COLUMNS",
    "FIGURE_COLUMNS",
    "GRID_COLUMNS",
    "REPORT_COLUMNS",
    "RUNWAY_COLUMNS",
    "SHORT_RUNWAY_COLUMNS",
    "report_frames",
    "repr_html",
    "to_frame",
]

Row = dict[str, Any]

# A figure's frame columns: results' FIGURE_COLUMNS are its fields (JSON and CSV), these the frame's.
FIGURE_COLUMNS = FIGURE_FRAME_COLUMNS

# --- The columns of each frame, in order ------------------------------------------------------

RUNWAY_COLUMNS = (
    "company",
    "cash_basis",
    "burn_basis",
    "with_ipo",
    "default",
    "months",
    "status",
    "runs_out",
    "label",
    "currency",
    "cash_date",
    "cash",
    "ipo",
    "burn_period",
    "burn",
    "monthly_growth",
    "as_of",
    "months_left",
    "scenario",
    "flags",
    "formula",
    "input_qualifiers",
    "sources",
    "inputs",
)
CLAIM_COLUMNS = (
    "company",
    "claim",
    "figure",
    "segment",
    "period",
    "stated",
    "stated_low",
    "stated_high",
    "unit",
    "qualifier",
    "source",
    "computed",
    "verdict",
    "assumption",
)
EXPLANATION_COLUMNS = (
    "role",  # "figure" for the figure explained, "input" for each figure it was derived from
    "company",
    "figure",
    "segment",
    "period",
    "value",
    "unit",
    "written_unit",
    "status",
    "qualifier",
    "label",
    "formula",
    "note",
    "outlook",
    "inferred",
    "sources",
    "outlets",
    "published",
)
CHANGE_COLUMNS = (
    "company",
    "figure",
    "segment",
    "period",
    "change",
    "conflict",
    "value",
    "value_low",
    "value_high",
    "unit",
    "qualifier",
    "source",
    "published",
    "old_value",
    "old_value_low",
    "old_value_high",
    "old_unit",
    "old_qualifier",
    "old_source",
    "old_published",
)
GRID_COLUMNS = (
    "company",
    "revenue_growth",
    "cost_growth",
    "status",
    "verdict",
    "breakeven_month",
    "cash_out_month",
    "is_base",
    "base_period",
    "reason",
    "sources",
)
COMPANY_COLUMNS = (
    "company",
    "name",
    "native_name",
    "tickers",
    "currency",
    "periods",
    "facts",
    "reports",
    "conflicts",
    "newest_source",
)
SHORT_RUNWAY_COLUMNS = ("company", "months", "status", "bound")
# The report's figures, every section in one shape (``report_frames`` gives each section whole).
REPORT_COLUMNS = (
    "section",
    "company",
    "figure",
    "segment",
    "period",
    "value",
    "unit",
    "status",
    "qualifier",
    "label",
    "sources",
)

# Columns that hold numbers (floats, NaN for none) and dates (NaT for none), whatever the frame.
_FLOATS = frozenset(
    {
        "value",
        "months",
        "cash",
        "ipo",
        "burn",
        "monthly_growth",
        "months_left",
        "rate",
        "difference",
        "stated",
        "stated_low",
        "stated_high",
        "computed",
        "value_low",
        "value_high",
        "old_value",
        "old_value_low",
        "old_value_high",
        "breakeven_month",
        "breakeven_months_from_as_of",
        "cash_needed",
        "cash_held",
        "cushion",
        "cash_out_month",
        "cash_out_months_from_as_of",
        "base_months",
        "monthly_revenue",
        "monthly_costs",
        "revenue_growth",
        "cost_growth",
        "bound",
    }
)
_DATES = frozenset(
    {
        "runs_out",
        "cash_date",
        "as_of",
        "breakeven_date",
        "month_0",
        "cash_out_date",
        "newest_source",
        "cash_out",
    }
)

# An explanation's "published" lists the dates of several sources as text; a change's is one date.
_CHANGE_DATES = _DATES | {"published", "old_published"}


def _frame(columns: Sequence[str], rows: Iterable[Row], dates: frozenset[str] = _DATES) -> pd.DataFrame:
    """The rows as a frame with exactly ``columns`` (an empty result keeps them), typed."""
    frame = pd.DataFrame(list(rows), columns=list(columns))
    for column in frame.columns:
        if column in _FLOATS:
            frame[column] = pd.to_numeric(frame[column], errors="raise").astype("float64")
        elif column in dates:
            frame[column] = pd.to_datetime(frame[column])
    return frame


def _number(value: float | None) -> float:
    return float("nan") if value is None else float(value)


def _word(value: object) -> str:
    """An enum member or None as its plain word ("" for None)."""
    return "" if value is None else str(value)


# --- One function per record --------------------------------------------------------------------


def _figure(f: Figure) -> Row:
    return {
        "company": f.company,
        "figure": f.figure,
        "segment": f.segment,
        "period": f.period,
        "value": f.value,
        "unit": _word(f.unit),
        "status": _word(f.status),
        "qualifier": f.qualifier,
        "label": f.label,
        "direction": _word(f.direction),
        "formula": f.formula,
        "note": f.note,
        "sources": input_sources(f.inputs),
        "inputs": f.inputs,
    }


def _runway(r: Runway) -> Row:
    return {
        "company": r.company,
        "cash_basis": r.cash_basis,
        "burn_basis": r.burn_basis,
        "with_ipo": r.with_ipo,
        "default": r.default,
        "months": r.months,
        "status": _word(r.status),
        "runs_out": r.runs_out,
        "label": r.label,
        "currency": r.currency,
        "cash_date": r.cash_date,
        "cash": r.cash,
        "ipo": r.ipo,
        "burn_period": r.burn_period,
        "burn": r.burn,
        "monthly_growth": r.monthly_growth,
        "as_of": r.as_of,
        "months_left": r.months_left,
        "scenario": r.scenario,
        "flags": r.flags,
        "formula": r.formula,
        "input_qualifiers": input_qualifiers(r.inputs),
        "sources": input_sources(r.inputs),
        "inputs": r.inputs,
    }


def _comparison(result: Comparison) -> list[Row]:
    return [comparison_fields(row, cell) for row in result.rows for cell in row.cells]


def _claim(c: Claim) -> Row:
    key, _, period = c.claim.rpartition(" ")  # "revenue_share[cloud] FY2024"
    metric, segment = split_key(key)
    return {
        "company": c.company,
        "claim": c.claim,
        "figure": metric,
        "segment": segment,
        "period": period,
        "stated": c.stated,
        "stated_low": c.stated_low,
        "stated_high": c.stated_high,
        "unit": c.unit,
        "qualifier": c.qualifier,
        "source": c.source,
        "computed": c.computed,
        "verdict": _word(c.verdict),
        "assumption": c.assumption,
    }


def _explanation(e: Explanation) -> list[Row]:
    known = {s.id: s for s in e.sources}

    def cited(ids: str, field: str) -> str:
        found: list[SourceRef] = [known[i.strip()] for i in ids.split(",") if i.strip() in known]
        return ", ".join(getattr(s, field) for s in found)

    sources = ", ".join(known)
    figure: Row = {
        "role": "figure",
        "company": e.company,
        "figure": e.figure,
        "segment": "",
        "period": e.period,
        "value": e.value,
        "unit": _word(e.unit),
        "written_unit": "",
        "status": _word(e.status),
        "qualifier": e.qualifier,  # carried from its inputs (each input's own is on its row below)
        "label": e.label,
        "formula": e.formula,
        "note": e.note,
        "outlook": "",
        "inferred": "",
        "sources": sources,
        "outlets": cited(sources, "outlet"),
        "published": cited(sources, "published"),
    }
    inputs: list[Row] = []
    for i in e.inputs:
        metric, segment = split_key(i.key)
        inputs.append(
            {
                "role": "input",
                "company": e.company,
                "figure": metric,
                "segment": segment,
                "period": i.period,
                "value": i.amount,
                "unit": i.currency or i.unit,
                "written_unit": i.unit,
                "status": "ok" if i.amount == i.amount else "missing",  # NaN: not disclosed
                "qualifier": i.qualifier,
                "label": "",
                "formula": "",
                "note": i.note,
                "outlook": i.outlook,
                "inferred": i.inferred,
                "sources": i.source,
                "outlets": cited(i.source, "outlet"),
                "published": cited(i.source, "published"),
            }
        )
    return [figure, *inputs]


def _shown(prefix: str, shown: Shown | None) -> Row:
    low, high = shown.value_range if shown and shown.value_range else (None, None)
    return {
        f"{prefix}value": _number(shown.value) if shown else float("nan"),
        f"{prefix}value_low": _number(low),
        f"{prefix}value_high": _number(high),
        f"{prefix}unit": shown.unit if shown else "",
        f"{prefix}qualifier": shown.qualifier if shown else "",
        f"{prefix}source": shown.source if shown else "",
        f"{prefix}published": shown.published if shown else None,
    }


def _change(c: Change) -> Row:
    metric, segment = split_key(c.key)
    return {
        "company": c.company,
        "figure": metric,
        "segment": segment,
        "period": c.period,
        "change": _word(c.kind),
        "conflict": c.conflict,
        **_shown("", c.new),
        **_shown("old_", c.old),
    }


def _grid(grid: BreakevenGrid) -> list[Row]:
    base = grid.base
    shared = {
        "company": base.company,
        "base_period": base.base.period if base.base else "",
        "sources": input_sources(base.inputs),
    }
    if not grid.cells:  # no path to vary (n/m, already profitable): one row saying why
        return [
            {
                **shared,
                "revenue_growth": float("nan"),
                "cost_growth": float("nan"),
                "status": _word(base.status),
                "verdict": _word(base.verdict),
                "breakeven_month": float("nan"),
                "cash_out_month": float("nan"),
                "is_base": True,
                "reason": base.reason,
            }
        ]
    return [
        {
            **shared,
            "revenue_growth": c.revenue_growth,
            "cost_growth": c.cost_growth,
            "status": _word(c.status),
            "verdict": _word(c.verdict),
            "breakeven_month": _number(c.breakeven_month),
            "cash_out_month": _number(c.cash_out_month),
            "is_base": c.is_base,
            "reason": "",
        }
        for c in grid.cells
    ]


def _company(s: CompanySummary) -> Row:
    return {
        "company": s.id,
        "name": s.name,
        "native_name": s.native_name,
        "tickers": " ".join(s.tickers),
        "currency": s.currency,
        "periods": " ".join(s.periods),
        "facts": s.facts,
        "reports": s.reports,
        "conflicts": s.conflicts,
        "newest_source": s.newest_source,
    }


def _short(s: ShortRunway) -> Row:
    return {"company": s.company, "months": s.months, "status": _word(s.status), "bound": s.bound}


# --- The report: each section whole, and every figure in one shape -------------------------------


def report_frames(report: Report) -> dict[str, pd.DataFrame]:
    """Each section of a report with figures as its own frame, by section name."""
    sections = {
        "comparison": to_frame(report.comparison) if report.comparison else _frame(COMPARISON_COLUMNS, []),
        "growth": to_frame(report.growth),
        "margins": to_frame(report.margins),
        "runway": to_frame(report.runway),
        "scenarios": _frame(
            ("company", "scenario", "months", "status", "runs_out", "cash_date", "months_left_at_as_of", "basis"),
            (_scenario(s) for s in report.scenarios),
        ),
        "claims": to_frame(report.claims),
    }
    if report.breakeven is not None:
        sections["breakeven"] = to_frame(report.breakeven)
    return sections


def _scenario(s: Scenario) -> Row:
    return {
        "company": s.company,
        "scenario": s.scenario,
        "months": s.months,
        "status": _word(s.status),
        "runs_out": s.runs_out,
        "cash_date": s.cash_date,
        "months_left_at_as_of": s.months_left_at_as_of,
        "basis": s.basis,
    }


def _report(report: Report) -> list[Row]:
    """Every figure of the report in one shape: a runway is months from its cash date, a claim
    its stated figure (with the verdict as its status), a breakeven the months to it."""
    rows: list[Row] = []
    if report.comparison:
        rows += [
            {**_pick(r), "section": "comparison", "figure": r["figure"] or r["label"], "segment": ""}
            for r in _comparison(report.comparison)
        ]
    for section, table in (("growth", report.growth), ("margins", report.margins)):
        rows += [{**_pick(_figure(f)), "section": section} for f in table.figures]
    for r in report.runway.runways:
        rows.append(
            {
                "section": "runway",
                "company": r.company,
                "figure": "runway",
                "segment": "",
                "period": f"from {r.cash_date}",
                "value": r.months,
                "unit": "months",
                "status": _word(r.status),
                "qualifier": "",
                "label": r.label + (" (default)" if r.default else ""),
                "sources": input_sources(r.inputs),
            }
        )
    rows += [
        {
            "section": "scenarios",
            "company": s.company,
            "figure": "runway",
            "segment": "",
            "period": f"from {s.cash_date}",
            "value": s.months,
            "unit": "months",
            "status": _word(s.status),
            "qualifier": "",
            "label": f"{s.scenario} ({s.basis})",
            "sources": "",
        }
        for s in report.scenarios
    ]
    for c in report.claims.claims:
        claim = _claim(c)
        rows.append(
            {
                **{k: claim[k] for k in ("company", "figure", "segment", "period", "unit", "qualifier")},
                "section": "claims",
                "value": c.stated,  # NaN for a range: its ends are in the claims frame
                "status": _word(c.verdict),
                "label": "stated" if c.stated == c.stated else "stated as a range (ends: the claims frame)",
                "sources": c.source,
            }
        )
    if report.breakeven is not None:
        for grid in report.breakeven.grids:
            b = grid.base
            rows.append(
                {
                    "section": "breakeven",
                    "company": b.company,
                    "figure": "breakeven_month",
                    "segment": "",
                    "period": f"from {b.start}" if b.start else "",
                    "value": _number(b.breakeven_month),
                    "unit": "months",
                    "status": _word(b.status),
                    "qualifier": "",
                    "label": _word(b.verdict),
                    "sources": input_sources(b.inputs),
                }
            )
    return rows


def _pick(row: Row) -> Row:
    return {k: row[k] for k in REPORT_COLUMNS if k in row}


# --- The dispatch -------------------------------------------------------------------------------


def _records(items: Sequence[object]) -> pd.DataFrame:
    """A list of records of one kind (``list`` gives CompanySummary records) as one frame."""
    kinds = {type(item) for item in items}
    if len(kinds) > 1:
        raise TypeError("no frame for a list of " + " and ".join(sorted(k.__name__ for k in kinds)))
    frames = [to_frame(item) for item in items]
    if not frames:  # an empty list: the frame of ``list`` with no company
        return _frame(COMPANY_COLUMNS, [])
    return pd.concat(frames, ignore_index=True)


def _facts(result: FactSheet | Dataset) -> pd.DataFrame:
    from minimetrics.tidy import facts_frame

    return facts_frame([result] if isinstance(result, FactSheet) else result.sheets)


# Each kind of result, and each record a result holds, and how it becomes a frame.
_FRAMES: dict[type, Callable[[Any], pd.DataFrame]] = {
    FigureTable: lambda t: _frame(FIGURE_COLUMNS, (_figure(f) for f in t.figures)),
    Figure: lambda f: _frame(FIGURE_COLUMNS, [_figure(f)]),
    RunwayTable: lambda t: _frame(RUNWAY_COLUMNS, (_runway(r) for r in t.runways)),
    Runway: lambda r: _frame(RUNWAY_COLUMNS, [_runway(r)]),
    Comparison: lambda c: _frame(COMPARISON_COLUMNS, _comparison(c)),
    ClaimsTable: lambda t: _frame(CLAIM_COLUMNS, (_claim(c) for c in t.claims)),
    Claim: lambda c: _frame(CLAIM_COLUMNS, [_claim(c)]),
    Explanation: lambda e: _frame(EXPLANATION_COLUMNS, _explanation(e)),
    Changes: lambda t: _frame(CHANGE_COLUMNS, (_change(c) for c in t.changes), _CHANGE_DATES),
    Change: lambda c: _frame(CHANGE_COLUMNS, [_change(c)], _CHANGE_DATES),
    BreakevenTable: lambda t: _frame(BREAKEVEN_COLUMNS, (breakeven_fields(b, t.as_of) for b in t.breakevens)),
    BreakevenGridTable: lambda t: _frame(GRID_COLUMNS, (row for grid in t.grids for row in _grid(grid))),
    BreakevenGrid: lambda g: _frame(GRID_COLUMNS, _grid(g)),
    Report: lambda r: _frame(REPORT_COLUMNS, _report(r)),
    CompanySummary: lambda s: _frame(COMPANY_COLUMNS, [_company(s)]),
    ShortRunway: lambda s: _frame(SHORT_RUNWAY_COLUMNS, [_short(s)]),
    FactSheet: _facts,
    Dataset: _facts,
    list: _records,
    tuple: _records,
}


def to_frame(result: object) -> pd.DataFrame:
    """``result`` as a tidy DataFrame (see the module docstring; the columns are the ``*_COLUMNS``).

    Takes every result a command returns (a list of ``CompanySummary`` for ``list``), the
    records they hold (a ``Figure``, a ``Runway``, a ``Claim``…), a ``FactSheet`` or a
    ``Dataset`` (their facts: ``tidy.facts_frame``). Anything else is a TypeError naming it.
    """
    for kind in type(result).__mro__:  # a subclass of a result is framed as that result
        if kind in _FRAMES:
            return _FRAMES[kind](result)
    raise TypeError(f"no frame for a {type(result).__name__}")


# --- HTML for notebooks ---------------------------------------------------------------------------


def _cell_text(value: object) -> object:
    """A cell as an HTML table shows it: inputs as "key period amount currency [source]"."""
    if isinstance(value, tuple):
        return "; ".join(
            f"{i.key} {i.period} {i.amount:,.6g} {i.currency} [{i.source}]".replace("  ", " ")
            if isinstance(i, Input)
            else str(i)
            for i in value
        )
    return value


def repr_html(result: object) -> str:
    """``to_frame(result)`` as an HTML table, for Jupyter's ``_repr_html_``.

    Every cell and heading is escaped: text from a sheet is shown as text, never read as
    HTML. Long frames are cut as pandas cuts them (``display.max_rows``).
    """
    frame = to_frame(result)
    frame = frame.assign(**{c: frame[c].map(_cell_text) for c in frame.columns if frame[c].dtype == object})
    title = getattr(result, "title", "")
    caption = f"<p>{html.escape(title)}</p>\n" if isinstance(title, str) and title else ""
    table = frame.to_html(
        index=False,
        escape=True,
        na_rep="",
        border=0,
        max_rows=pd.get_option("display.max_rows"),
        render_links=False,
    )
    return f'<div class="minimetrics">\n{caption}{table}\n</div>'
