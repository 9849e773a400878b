"""``show --metric M --period P``: the part of one company's sheet the user asked for.

Pure: a sheet in, a smaller sheet out (no Typer, no rendering). A name the company does not
have is a usage error with "did you mean" and what the company has, never an empty table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from difflib import get_close_matches

from minimetrics.factsheet import Fact, FactSheet
from minimetrics.problems import UsageError, printable
from minimetrics.registry import UNKNOWN_HINT_LIMIT, fact_key, parse_period

__all__ = ["did_you_mean", "select_facts", "unknown_hint"]

_Names = Callable[[Fact], tuple[str, ...]]


def select_facts(sheet: FactSheet, metrics: Sequence[str] = (), periods: Sequence[str] = ()) -> FactSheet:
    """The sheet with only the facts of one of ``metrics`` and one of ``periods`` (either empty:
    every one), and only the sources those facts cite.

    A metric is a metric (``revenue``: every segment of it) or a metric with its segment
    (``revenue_share[cloud]``); a period is a label as ``show`` prints it (``FY2024``,
    ``H1-2025``, ``2025-06-30``). Both are matched whatever their case. A name the company has
    no fact of raises ``UsageError`` with "did you mean" and the names it has; so does a metric
    and a period that each exist but never together.
    """
    facts = sheet.facts
    if metrics:
        has = _in_order(name for fact in facts for name in _metric_names(fact))
        facts = _keep(facts, metrics, _metric_names, has, f"{sheet.company.id} has no metric")
    if periods:
        has = _labels(sheet.facts)  # every period, whatever the metric: the user's next try
        facts = _keep(facts, periods, _period_names, has, f"{sheet.company.id} has no period")
    if not facts:  # each name exists, but not with the other
        raise UsageError(
            f"{sheet.company.id} has no fact of {_listed(metrics)} for {_listed(periods)}",
            f"the periods of {_listed(metrics)}: " + ", ".join(_labels(_keep_quietly(sheet.facts, metrics))),
        )
    cited = {report.source for fact in facts for report in fact.reports}
    return replace(sheet, facts=facts, sources=tuple(s for s in sheet.sources if s.id in cited))


def did_you_mean(word: str, names: Sequence[str]) -> str:
    """``registry.suggest`` whatever the case: the closest of ``names`` as they are written.

    >>> did_you_mean("fy2O24", ["FY2024", "H1-2025"])
    'did you mean "FY2024"?'
    >>> did_you_mean("happiness", ["revenue"])
    ''
    """
    folded = {name.casefold(): name for name in names}
    close = get_close_matches(word.strip().casefold(), list(folded), n=UNKNOWN_HINT_LIMIT, cutoff=0.6)
    return "did you mean " + " or ".join(f'"{folded[c]}"' for c in close) + "?" if close else ""


def unknown_hint(word: str, names: Sequence[str], what: str, periods: bool = False) -> str:
    """The hint for a name not in ``names``: "did you mean" the closest, then every name under
    ``what``. With ``periods``, a well-formed period gets no "did you mean" (FY2020 is not a
    typo of FY2024), only the list.

    >>> unknown_hint("FY2020", ["FY2023", "FY2024"], "periods", periods=True)
    'periods: FY2023, FY2024'
    >>> unknown_hint("FY224", ["FY2023", "FY2024"], "periods", periods=True)
    'did you mean "FY2024" or "FY2023"? periods: FY2023, FY2024'
    """
    listing = f"{what}: " + ", ".join(names)
    if periods and not isinstance(parse_period(word.strip().upper()), str):
        return listing
    close = did_you_mean(word, names)
    return f"{close} {listing}" if close else listing


def _metric_names(fact: Fact) -> tuple[str, ...]:
    """The names that pick ``fact``: its metric, and its metric with its segment."""
    return (fact.metric, fact_key(fact.metric, fact.segment)) if fact.segment else (fact.metric,)


def _period_names(fact: Fact) -> tuple[str, ...]:
    return (fact.period.label,)


def _keep(facts: tuple[Fact, ...], wanted: Sequence[str], names: _Names, has: list[str], no: str) -> tuple[Fact, ...]:
    """The facts one of whose ``names`` is wanted; a name not in ``has`` is a usage error."""
    folded = {name.casefold(): name for name in has}
    for word in wanted:
        if word.strip().casefold() not in folded:
            shown = printable(word)[:60]
            raise UsageError(f'{no} "{shown}"', unknown_hint(word, has, "it has", periods=names is _period_names))
    chosen = {folded[word.strip().casefold()] for word in wanted}
    return tuple(fact for fact in facts if chosen.intersection(names(fact)))


def _keep_quietly(facts: tuple[Fact, ...], metrics: Sequence[str]) -> tuple[Fact, ...]:
    """The facts of ``metrics`` (all for none), matched as ``_keep`` matches them."""
    chosen = {m.strip().casefold() for m in metrics}
    return tuple(f for f in facts if not chosen or chosen.intersection(n.casefold() for n in _metric_names(f)))


def _labels(facts: tuple[Fact, ...]) -> list[str]:
    return _in_order(f.period.label for f in sorted(facts, key=lambda f: (f.period.end, -f.period.months)))


def _in_order(names: Iterable[str]) -> list[str]:
    """Each name once, in the order first met (the sheet's order: a reader's, not the alphabet's)."""
    return list(dict.fromkeys(names))


def _listed(words: Sequence[str]) -> str:
    return " or ".join(f'"{printable(w.strip())[:60]}"' for w in words) if words else "any metric"
