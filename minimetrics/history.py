"""The data as it stood on a day, and what it learned between two days.

``known_on(data, day)`` keeps only the reports whose source was published on or before
``day``: a fact with no such report is absent, and the report shown and the conflicts are
worked out again among the reports known then, by the same rule the sheets are read with
(``factsheet``). fx.yaml's sourced rates are filtered the same way; the ECB reference rates
are cut at the day by ``fx.find_rate``'s ``as_of``. ``changes(data, since, until)`` compares
the data known on two days, fact by fact. Pure: a Dataset and dates in, records out; no clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, cast

from minimetrics import factsheet
from minimetrics.dataset import Dataset, FrameData, find_company
from minimetrics.factsheet import Fact, FactSheet, FxRate, FxTable, Report
from minimetrics.problems import UsageError
from minimetrics.reader import Scalar
from minimetrics.records import Record
from minimetrics.results import Change, ChangeKind, Changes, Shown

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["as_of_note", "changes", "facts_on", "frame_on", "known_on"]


def known_on(data: Dataset, day: date) -> Dataset:
    """``data`` as it stood on ``day``: only reports whose source was published by then.

    A fact none of whose sources was published by ``day`` is left out, and so is a
    source published after it. Where some reports are left out, the report shown and
    whether sources disagree (``preferred``, ``conflict``, ``unresolved``) are decided
    again among the reports that remain; a reviewer's ``preferred_because`` counts only
    once its report is known.
    """
    fx = _fx_on(data.fx, day) if data.fx is not None else None
    return replace(data, sheets=tuple(_sheet_on(sheet, day) for sheet in data.sheets), fx=fx)


def _sheet_on(sheet: FactSheet, day: date) -> FactSheet:
    sources = {s.id: s for s in sheet.sources if s.published <= day}
    if len(sources) == len(sheet.sources):
        return sheet
    facts = []
    for fact in sheet.facts:
        reports = tuple(r for r in fact.reports if r.source in sources)
        if len(reports) == len(fact.reports):
            facts.append(fact)
        elif reports:
            facts.append(_decided(sheet, fact, reports, sources))
    return replace(sheet, sources=tuple(sources.values()), facts=tuple(facts))


def _decided(sheet: FactSheet, fact: Fact, reports: tuple[Report, ...], sources: dict[str, factsheet.Source]) -> Fact:
    """The fact with only ``reports``, the report shown and its conflicts decided by the sheet's own rule.

    The rule is the one a sheet is read with (``factsheet._decided``, which calls
    ``factsheet.choose``): its problems are the sheet's, already reported when it was read,
    and are dropped here. A fresh Fact, so that no decision of the full set carries over.
    """
    check = factsheet._Reader(sheet.path)
    key = Scalar(fact.line, 1, fact.key, True)
    return factsheet._decided(check, fact.metric, fact.segment, fact.period, reports, key, sources)


def frame_on(data: FrameData, day: date) -> FrameData:
    """``data`` (``dataset.load_frame``) as it stood on ``day``: ``facts_on`` its frame, and
    fx.yaml's rates as ``known_on`` keeps them. The same rows as ``facts_frame`` of the
    sheets of ``known_on``, without a record."""
    fx = _fx_on(data.fx, day) if data.fx is not None else None
    return replace(data, frame=facts_on(data.frame, day), fx=fx)


def facts_on(frame: pd.DataFrame, day: date) -> pd.DataFrame:
    """The rows of a facts frame (``tidy.facts_frame``) whose source was published on or
    before ``day``, with ``preferred``, ``conflict`` and ``unresolved`` decided again (by
    ``factsheet.choose``, as ``known_on`` does) for each fact that lost a report; a fact
    that lost every report is gone. Only those facts are looked at one by one."""
    import numpy as np
    import pandas as pd

    known = (frame["source_published"] <= pd.Timestamp(day)).to_numpy()
    if known.all():
        return frame
    # A fact's reports are consecutive rows (the sheet's order): a new fact starts where the key changes.
    keys = [frame[c].to_numpy() for c in ("file", "metric", "segment", "period")]
    starts = np.zeros(len(frame), dtype=bool)
    starts[:1] = True
    for column in keys:
        starts[1:] |= column[1:] != column[:-1]
    fact = np.cumsum(starts) - 1
    lost = np.zeros(int(fact[-1]) + 1 if len(fact) else 0, dtype=bool)
    lost[fact[~known]] = True
    kept = frame[known].reset_index(drop=True)
    redo = np.flatnonzero(lost[fact[known]])
    if not redo.size:
        return kept
    preferred, conflict, unresolved = (kept[c].to_numpy(copy=True) for c in ("preferred", "conflict", "unresolved"))
    columns = [
        kept[c].to_numpy()[redo].tolist() for c in ("low", "high", "outlook", "source_rank", "disclosed", "reviewed")
    ]
    groups = fact[known][redo]
    first = 0
    for last in [*np.flatnonzero(groups[1:] != groups[:-1]) + 1, len(redo)]:
        rows = [_Row(*values) for values in zip(*(c[first:last] for c in columns), strict=True)]
        ranks = {row.source: _Rank(row.rank) for row in rows}
        # The rule is the sheets' own (``factsheet.choose``); a row gives it what it reads of a report.
        choice = factsheet.choose(cast("list[Report]", rows), cast("dict[str, factsheet.Source]", ranks))
        at = redo[first:last]
        preferred[at] = [n == choice.preferred for n in range(len(rows))]
        conflict[at], unresolved[at] = choice.conflict, choice.unresolved
        first = last
    return kept.assign(preferred=preferred, conflict=conflict, unresolved=unresolved)


class _Rank:
    __slots__ = ("rank",)

    def __init__(self, rank: int) -> None:
        self.rank = rank


class _Row(Record):
    """What ``factsheet.choose`` reads of a report, from a frame row (``source`` is the row's
    place in its fact, so that each row has its own rank)."""

    low: float
    high: float
    outlook: str
    rank: int
    disclosed: bool
    reviewed: bool
    source: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "source", id(self))

    @property
    def has_bounds(self) -> bool:
        return self.low == self.low  # NaN: no bounds

    def bounds(self) -> tuple[float, float]:
        return (self.low, self.high)

    @property
    def preferred_because(self) -> str:
        return "reviewed" if self.reviewed else ""


def _fx_on(table: FxTable, day: date) -> FxTable:
    sources = {s.id: s for s in table.sources if s.published <= day}
    groups: dict[tuple[str, str, str], list[FxRate]] = {}
    for rate in table.rates:
        if rate.source in sources:
            groups.setdefault((rate.base, rate.quote, rate.period.label), []).append(rate)
    rates = tuple(r for group in groups.values() for r in factsheet._prefer(group, sources))
    return replace(table, sources=tuple(sources.values()), rates=rates)


def as_of_note(data: Dataset | FrameData, day: date, today: date) -> str:
    """One line on what ``day`` means for ``data``: before every source, or after today; else "".

    >>> from pathlib import Path
    >>> as_of_note(Dataset(Path("."), (), None), date(2027, 1, 1), date(2026, 11, 30))
    '2027-01-01 is after today (2026-11-30): sources published after today do not exist yet'
    """
    if isinstance(data, FrameData):
        earliest = data.earliest
    else:
        earliest = min((s.published for sheet in data.sheets for s in sheet.sources), default=None)
    if earliest is not None and day < earliest:
        return f"no source was published on or before {day} (the earliest is {earliest}): nothing was known yet"
    if day > today:
        return f"{day} is after today ({today}): sources published after today do not exist yet"
    return ""


def changes(data: Dataset, since: date, until: date, companies: Sequence[str] = ()) -> Changes:
    """What the data learned between ``since`` and ``until`` (both as ``known_on``), per fact.

    A fact whose first source came after ``since`` "appeared"; one whose shown report
    gives another figure "changed" (old → new, each with its source); one whose sources
    began to disagree "conflict arose"; one whose disagreement ended, or was settled by
    a reviewer's choice, "conflict settled". In the order of the data folder, then the
    sheet. ``since`` after ``until`` raises ``UsageError``.
    """
    if since > until:
        raise UsageError(f"--since {since} is after --until {until}", "give a --since on or before --until")
    ids = {find_company(data, c).company.id for c in companies}
    chosen = replace(data, sheets=tuple(s for s in data.sheets if not ids or s.company.id in ids))
    before, after = known_on(chosen, since), known_on(chosen, until)
    found: list[Change] = []
    for old_sheet, new_sheet in zip(before.sheets, after.sheets, strict=True):
        old_facts = {(f.key, f.period.label): f for f in old_sheet.facts}
        for fact in new_sheet.facts:
            found.extend(_fact_changes(new_sheet, old_sheet, old_facts.get((fact.key, fact.period.label)), fact))
    return Changes(since, until, tuple(found))


def _fact_changes(new_sheet: FactSheet, old_sheet: FactSheet, old: Fact | None, new: Fact) -> list[Change]:
    shown = _shown(new_sheet, new.value)

    def change(kind: ChangeKind, before: Shown | None) -> Change:
        return Change(new_sheet.company.id, new.key, new.period.label, kind, before, shown, new.conflict)

    if old is None:
        return [change(ChangeKind.APPEARED, None)]
    was = _shown(old_sheet, old.value)
    found = []
    if _figure(old.value) != _figure(new.value):
        found.append(change(ChangeKind.CHANGED, was))
    if new.conflict and not old.conflict:
        found.append(change(ChangeKind.CONFLICT_AROSE, was))
    elif (old.conflict and not new.conflict) or (old.unresolved and new.conflict and not new.unresolved):
        found.append(change(ChangeKind.CONFLICT_SETTLED, was))
    return found


def _shown(sheet: FactSheet, report: Report) -> Shown:
    unit = report.unit.text if report.unit is not None else ""
    published = sheet.source(report.source).published
    return Shown(report.value, unit, report.qualifier, report.source, published, report.value_range)


def _figure(report: Report) -> tuple[object, ...]:
    """What a report says, whatever unit it is written in: 6.19 USD 億 says what 619 USD million does."""
    unit = report.unit
    scale = unit.scale if unit is not None else 1.0
    ends = tuple(float(f"{end * scale:.12g}") for end in report.value_range) if report.value_range else None
    kind = (unit.family, unit.currency) if unit is not None else None
    return (report.amount, kind, report.qualifier, ends, report.disclosed)
