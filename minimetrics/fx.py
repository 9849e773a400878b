"""Currency conversion as IAS 21 does it: flows at the period's average rate, balances at
the spot rate of their date. A rate that is not there is never replaced by another
period's: the caller gets the reason, naming the rate needed and how to supply it.

Where a rate comes from, first found first used: ``--fx`` overrides; fx.yaml's sourced rates
(a pair, its inverse, or a cross through USD when both legs are in fx.yaml); the ECB euro
reference rates (``reference_rates``: a spot rate on the day or the last business day before
it, the mean of the daily rates over a period). A cross never takes one leg from fx.yaml and
the other from the ECB: two sources' rates of two days would make one number of neither.
With ``as_of``, an ECB rate is used only when it was published by that day.
"""

from __future__ import annotations

import math
import re
from datetime import date

from minimetrics.factsheet import FxRate
from minimetrics.problems import UsageError
from minimetrics.reference_rates import ReferenceRate, reference_rate
from minimetrics.registry import CURRENCIES, CURRENCY_ALIASES, Period
from minimetrics.results import RateUsed

# Bounds of a --fx rate: far outside any real pair (USDCNY is about 7), inside what a float and
# its inverse hold exactly enough to convert with.
SMALLEST_RATE, LARGEST_RATE = 1e-6, 1e6


class BadOverrideError(UsageError):
    """A ``--fx`` option that is not PAIR=RATE."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "write --fx USDCNY=7.2")


def parse_overrides(texts: list[str]) -> dict[tuple[str, str], float]:
    """``["USDCNY=7.2"]`` → ``{("USD", "RMB"): 7.2}``.

    >>> parse_overrides(["USDCNY=7.2", "usdhkd=7.8"])
    {('USD', 'RMB'): 7.2, ('USD', 'HKD'): 7.8}
    >>> parse_overrides(["USDCNY=1e999"])
    Traceback (most recent call last):
    minimetrics.fx.BadOverrideError: --fx "USDCNY=1e999": a rate must lie between 1e-06 and 1e+06 — write --fx USDCNY=7.2
    """
    rates: dict[tuple[str, str], float] = {}
    for text in texts:
        found = re.match(r"^([A-Za-z]{3})([A-Za-z]{3})=([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)$", text.strip())
        if not found:
            raise BadOverrideError(f'--fx "{text}" is not PAIR=RATE, e.g. USDCNY=7.2')
        base, quote = (CURRENCY_ALIASES.get(c.upper(), c.upper()) for c in (found[1], found[2]))
        value = float(found[3])
        if base not in CURRENCIES or quote not in CURRENCIES or base == quote or value <= 0:
            raise BadOverrideError(f'--fx "{text}": use two of {", ".join(CURRENCIES)} and a rate above zero')
        if not (math.isfinite(value) and SMALLEST_RATE <= value <= LARGEST_RATE):
            # 400 digits read as infinity, and 1 / infinity as 0: a rate that does not survive reading.
            raise BadOverrideError(f'--fx "{text}": a rate must lie between {SMALLEST_RATE:g} and {LARGEST_RATE:g}')
        rates[(base, quote)] = value
    return rates


def find_rate(
    rates: tuple[FxRate, ...],
    source: str,
    target: str,
    period: Period,
    overrides: dict[tuple[str, str], float] | None = None,
    as_of: date | None = None,
) -> RateUsed | str:
    """The factor that turns ``source`` amounts of ``period`` into ``target``, or why there is none.

    A duration needs an average for exactly that period; a date needs a spot rate
    for exactly that date (from the ECB, the last business day on or before it, named
    in ``cited``). ``--fx`` overrides win over fx.yaml, fx.yaml over the ECB; fx.yaml
    pairs are used directly, inverted, or crossed through USD when both legs exist for
    the same period. With ``as_of``, a rate for a period that ends after it is not known yet.
    """
    if source == target:
        return RateUsed(source, target, 1.0, "same currency")
    for (base, quote), value in (overrides or {}).items():
        if (base, quote) == (source, target):
            return RateUsed(source, target, value, "user --fx", "--fx")
        if (base, quote) == (target, source):
            return RateUsed(source, target, 1 / value, "user --fx", "--fx")
    direct = _leg(rates, source, target, period)
    if direct is not None:
        return direct
    if "USD" not in (source, target):
        first, second = _leg(rates, source, "USD", period), _leg(rates, "USD", target, period)
        if first is not None and second is not None:
            return RateUsed(
                source, target, first.value * second.value, first.basis + " via USD", f"{first.cited}, {second.cited}"
            )
    pair = _pair_name(source, target)
    kind = "average for" if not period.is_instant else "spot rate on"
    if as_of is not None and period.end > as_of:
        why = f"on the as-of date {as_of} the ECB had not published it yet"
    else:
        ecb = reference_rate(source, target, period)
        if isinstance(ecb, ReferenceRate):
            return ecb.as_rate_used()
        why = ecb.reason
    return (
        f"no {pair} {kind} {period.label} in fx.yaml, and {why}; "
        f"add one to fx.yaml or pass --fx {pair}=RATE (another period's rate is never used)"
    )


def _pair_name(source: str, target: str) -> str:
    """The pair as markets quote it: USD first (USDRMB, USDHKD), then HKD (HKDRMB)."""
    other = {source, target} - {"USD", "HKD"}
    if "USD" in (source, target):
        return f"USD{target if source == 'USD' else source}"
    return f"HKD{other.pop() if other else target}"


def _leg(rates: tuple[FxRate, ...], source: str, target: str, period: Period) -> RateUsed | None:
    for rate in rates:
        if not rate.preferred or rate.period.label != period.label:
            continue
        basis = f"{period.label} average" if not period.is_instant else f"spot {period.label}"
        if (rate.base, rate.quote) == (source, target):
            return RateUsed(source, target, rate.value, basis, rate.source)
        if (rate.base, rate.quote) == (target, source):
            return RateUsed(source, target, 1 / rate.value, basis, rate.source)
    return None
