"""Text from a fact sheet made safe for where it is written: a terminal, Markdown, a spreadsheet.

A sheet's text reaches a terminal, a CI log, a Markdown page and a spreadsheet only as
text: ``visible`` spells out every character that would act rather than show (escape
codes, NUL, newlines, bidi overrides, zero-width characters); ``markdown_text`` also
keeps Markdown and raw HTML from acting; ``spreadsheet_text`` keeps a spreadsheet from
reading a formula. Each writer calls them on sheet text; the reader refusing such text
is a first line, this is the last one.
"""

from __future__ import annotations

import re
import unicodedata

_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _acts(char: str) -> bool:
    """Whether a character does something rather than show: controls, formats (bidi, zero
    width), surrogates, private use, unassigned, and the line and paragraph separators.
    Spaces of other widths (U+3000 in Chinese text) show, so they stay."""
    category = unicodedata.category(char)
    return category[0] == "C" or category in ("Zl", "Zp")


def _spelled(char: str) -> str:
    if char in _SHORT:
        return _SHORT[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def visible(text: str, keep_newlines: bool = False) -> str:
    """``text`` with every character that would act spelled out as Python writes it.

    ``keep_newlines`` leaves line breaks a writer put there itself (a cell of two lines);
    text straight from a sheet never keeps them.

    >>> visible("Alpha\\x1b[31m red\\u202egnp.exe")
    'Alpha\\\\x1b[31m red\\\\u202egnp.exe'
    >>> visible("a\\nb\\u200bc"), visible("a\\nb", keep_newlines=True)
    ('a\\\\nb\\\\u200bc', 'a\\nb')
    >>> visible("智譜 AI\\u3000年報")
    '智譜 AI\\u3000年報'
    """
    if text.isprintable():  # the common case, in C: nothing to look at
        return text
    return "".join(
        _spelled(c) if _acts(c) and not (keep_newlines and c == "\n") else c
        for c in text  # one pass: linear in the text
    )


# What makes Markdown act: a backslash (it would escape what follows), code, emphasis and raw HTML
# or an autolink; a "]" that would close a link, an image or a reference definition ("](", "][",
# "]:"); an "&" that would start an entity. A lone "[1]" or "R&D" acts as nothing and stays as it is;
# "_" starts nothing inside a word (every key and id) and around words can only make text italic.
_MARKDOWN = re.compile(r"[\\`*<>]|\](?=[(\[:])|&(?=#?[0-9A-Za-z]+;)")


def markdown_text(text: str) -> str:
    r"""Sheet text for Markdown: visible, and every character that could start a link, an
    image, code, emphasis or raw HTML escaped with a backslash (CommonMark shows it as itself).

    >>> markdown_text("<script>alert(1)</script> [x](javascript:alert(1)) R&D &amp; [1]")
    '\\<script\\>alert(1)\\</script\\> [x\\](javascript:alert(1)) R&D \\&amp; [1]'
    >>> markdown_text("**bold** `code` <https://x.example>")
    '\\*\\*bold\\*\\* \\`code\\` \\<https://x.example\\>'
    """
    return _MARKDOWN.sub(lambda m: "\\" + m.group(0), visible(text))


# What a spreadsheet reads as the start of a formula (OWASP, "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A number as the CSV writers write one (repr of a float or an int): a spreadsheet reads it as a number.
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def spreadsheet_text(text: str) -> str:
    """A text cell for CSV: a leading single quote when a spreadsheet would read a formula.

    A number stays as it is, its sign and all: ``-12.5`` is a number, not a formula.

    >>> spreadsheet_text('=HYPERLINK("http://x","click")')
    '\\'=HYPERLINK("http://x","click")'
    >>> spreadsheet_text("-12.5"), spreadsheet_text("-1e-05"), spreadsheet_text("-12 %"), spreadsheet_text("ok")
    ('-12.5', '-1e-05', "'-12 %", 'ok')
    """
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text
