"""Problems are data: where, what is wrong, how to fix it."""

from __future__ import annotations

import unicodedata
from enum import StrEnum
from pathlib import Path

from minimetrics.records import Record

# Names of the C0 controls most likely in a sheet (unicodedata has no name for controls).
_CONTROL_NAMES = {
    0x00: "NULL",
    0x07: "BELL",
    0x08: "BACKSPACE",
    0x09: "CHARACTER TABULATION",
    0x0A: "LINE FEED",
    0x0B: "LINE TABULATION",
    0x0C: "FORM FEED",
    0x0D: "CARRIAGE RETURN",
    0x1B: "ESCAPE",
    0x7F: "DELETE",
    0x85: "NEXT LINE",
}


def code_point(character: str) -> str:
    r"""A character as a reader can look it up: its code point and Unicode name.

    >>> code_point("\u200b"), code_point("\x1b"), code_point("２")
    ('U+200B ZERO WIDTH SPACE', 'U+001B ESCAPE', 'U+FF12 FULLWIDTH DIGIT TWO')
    """
    number = ord(character)
    name = _CONTROL_NAMES.get(number) or unicodedata.name(character, "")
    if not name:
        name = "CONTROL CHARACTER" if unicodedata.category(character) == "Cc" else "UNNAMED CHARACTER"
    return f"U+{number:04X} {name}"


def printable(text: str) -> str:
    r"""``text`` with every non-printable character written as its escape, so text quoted
    from a sheet can never move the cursor, colour a terminal or start a new line in a log.

    >>> printable("net_loss\n::notice::x\u202e")
    'net_loss\\n::notice::x\\u202e'
    >>> printable("智谱 FY2024")
    '智谱 FY2024'
    """
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in text)


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Problem(Record):
    """One thing wrong with an input, at a 1-based line and column (0 = unknown)."""

    path: Path | str
    line: int
    column: int
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR

    def __post_init__(self) -> None:
        # Escaped once, where a problem is made: whatever shows a message (stderr, JSON,
        # the README's table) shows sheet text only as text.
        object.__setattr__(self, "message", printable(self.message))
        object.__setattr__(self, "hint", printable(self.hint))

    def __str__(self) -> str:
        """``path:line:col: error: message — hint``.

        >>> str(Problem("a.yaml", 3, 5, "duplicate key \\"revenue\\"", "merge the two"))
        'a.yaml:3:5: error: duplicate key "revenue" — merge the two'

        Every non-printable character is escaped (``printable``): a message quotes sheet
        text, and a line break in a key must not forge a line of its own in a CI log.

        >>> print(Problem("a.yaml", 2, 3, 'bad key "x\\n0 errors, 0 warnings"'))
        a.yaml:2:3: error: bad key "x\\n0 errors, 0 warnings"
        """
        where = f"{self.path}:{self.line}:{self.column}" if self.line else f"{self.path}"
        text = f"{where}: {self.severity.value}: {self.message}"
        return printable(f"{text} — {self.hint}" if self.hint else text)

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


class UnknownFigureError(UsageError):
    """A figure, period or runway the data does not have (``explain``, ``compare --period``…).

    Here rather than beside ``explain``, so that the commands that raise it do not import
    what ``explain`` computes with (breakeven)."""


def errors_in(problems: list[Problem] | tuple[Problem, ...]) -> list[Problem]:
    return [p for p in problems if p.is_error]
