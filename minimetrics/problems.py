"""Problems are data: where, what is wrong, how to fix it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, at a 1-based line and column (0 = unknown)."""

    path: Path | str
    line: int
    column: int
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        """``path:line:col: error: message — hint``.

        >>> str(Problem("a.yaml", 3, 5, "duplicate key \\"revenue\\"", "merge the two"))
        'a.yaml:3:5: error: duplicate key "revenue" — merge the two'
        """
        where = f"{self.path}:{self.line}:{self.column}" if self.line else f"{self.path}"
        text = f"{where}: {self.severity.value}: {self.message}"
        return f"{text} — {self.hint}" if self.hint else text

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


class FactSheetError(Exception):
    """The one exception that crosses from the core to the command line."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class UsageError(Exception):
    """A command asked for something that is not there or cannot be used (exit 2).

    The other exception, beside ``FactSheetError``, that crosses from the core to the
    command line: an unknown company, figure or period, a malformed option value.
    """

    def __init__(self, message: str, hint: str = "") -> None:
        self.message, self.hint = message, hint
        super().__init__(f"{message} — {hint}" if hint else message)


def errors_in(problems: list[Problem] | tuple[Problem, ...]) -> list[Problem]:
    return [p for p in problems if p.is_error]
