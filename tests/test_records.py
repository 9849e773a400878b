"""``records.Record``: the package's records outside ``results`` are made dataclasses when first
used too, and behave exactly as the frozen dataclasses they were (``test_results`` covers the
machinery itself on the result records)."""

import dataclasses
import pickle
import subprocess
import sys
from datetime import date

import pytest

from minimetrics import records
from minimetrics.problems import Problem, Severity
from minimetrics.registry import Period, parse_period


def test_importing_the_core_modules_makes_only_the_records_they_build_at_import() -> None:
    code = (
        "import minimetrics.records as m\n"
        "import minimetrics.problems, minimetrics.registry, minimetrics.reference_rates, minimetrics.fx\n"
        "print(sorted(c.__name__ for c in m._MADE))\n"
        "minimetrics.problems.Problem('a.yaml', 1, 2, 'bad')\n"
        "print(sorted(c.__name__ for c in m._MADE))\n"
    )
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    # METRICS and RATIOS are built at import; Problem, Unit, Period, ... wait for their first use.
    assert shown.splitlines() == ["['Metric', 'Ratio']", "['Metric', 'Problem', 'Ratio']"]


def test_a_problem_is_the_frozen_dataclass_it_was() -> None:
    problem = Problem("a.yaml", 3, 5, "bad key \x1b[31m", "merge\nthem", Severity.WARNING)
    assert problem.message == "bad key \\x1b[31m"  # __post_init__ escapes, as before
    assert problem.hint == "merge\\nthem"
    assert not problem.is_error
    assert [f.name for f in dataclasses.fields(Problem)] == ["path", "line", "column", "message", "hint", "severity"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        problem.line = 4  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(problem)) == problem
    assert hash(dataclasses.replace(problem, line=4)) != hash(problem)
    assert isinstance(problem, records.Record) and dataclasses.is_dataclass(problem)


def test_a_period_unpickled_is_equal_and_hashes_alike() -> None:
    period = parse_period("FY2024")
    assert isinstance(period, Period)
    assert (period.start, period.end) == (date(2024, 1, 1), date(2024, 12, 31))
    again = pickle.loads(pickle.dumps(period))
    assert again == period and hash(again) == hash(period)
    assert {period: 1}[again] == 1


def test_made_makes_a_record_built_without_its_class_a_dataclass_first() -> None:
    code = (
        "import minimetrics.records as m\n"
        "from minimetrics.factsheet import Choice\n"
        "print(Choice in m._MADE)\n"
        "c = object.__new__(m.made(Choice))\n"
        "c.__dict__.update(preferred=0, winner=0, conflict=False, unresolved=False, resolution='',"
        " disagreeing=(), reviewed=())\n"
        "print(Choice in m._MADE, c == Choice(0, 0, False, False, '', (), ()), m.made(Choice) is Choice)\n"
    )
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    # Not made at import; made by made(), after which a record filled by hand equals one built by
    # __init__ (a plain object's == would be identity: False); made() of a made record is a no-op.
    assert shown.splitlines() == ["False", "True True True"]
