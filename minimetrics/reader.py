"""Strict YAML reading: bytes in, a tree of nodes that remember their line, out.

PyYAML is used only as a parser (events with positions). Nothing is constructed
by it, so YAML 1.1 resolution never happens: a plain ``NO`` stays the text "NO",
``1:30`` is not 90 and ``010`` is not 8. What a scalar means is decided by the
schema in ``factsheet`` (see ``number``, ``text``, ``day`` below). A sheet written in the
plain subset of YAML sheets use is read without PyYAML by ``_fast_tree``, which builds the
same nodes and leaves anything else, and anything to report, to PyYAML.

Refused here, every problem in a file reported together: bytes that are not
UTF-8, more than one document, anchors, aliases, tags, duplicate keys at any
level, keys that are not plain text, nesting deeper than ``MAX_DEPTH``, files
larger than ``MAX_BYTES``, keys and values longer than ``MAX_SCALAR`` characters, and
control, invisible and private-use characters in any key or value (written as they
are or as YAML escapes): ESC, NUL, line breaks, bidi overrides, zero-width characters.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from minimetrics.problems import Problem, Severity, code_point
from minimetrics.registry import non_ascii_digit, parse_date

MAX_BYTES = 1_000_000
MAX_DEPTH = 12
MAX_SCALAR = 4_000  # characters in one key or value; the fields' own limits are in factsheet
LARGEST_NUMBER = 1e15
SMALLEST_NUMBER = 1e-9  # a figure nearer zero than this (but not zero) is a typo or underflows
# Categories refused in any key or value: controls (Cc), invisible format characters (Cf:
# zero-width, bidi controls, U+FEFF), line and paragraph separators (Zl, Zp), private use (Co).
REFUSED_CATEGORIES = {"Cc": "control character", "Cf": "invisible character", "Zl": "line separator"}
REFUSED_CATEGORIES |= {"Zp": "paragraph separator", "Co": "private-use character", "Cs": "surrogate"}
# YAML's one-letter escapes in double quotes, by the character they stand for.
_ESCAPES = {"\x00": "0", "\x07": "a", "\x08": "b", "\t": "t", "\n": "n", "\x0b": "v", "\x0c": "f"}
_ESCAPES |= {"\r": "r", "\x1b": "e", "\x85": "N", "\u2028": "L", "\u2029": "P"}

if TYPE_CHECKING:
    from yaml import MarkedYAMLError
    from yaml.events import Event, NodeEvent


# Not frozen: a sheet has thousands of nodes, a frozen dataclass takes three times as long to
# create, and nothing changes a node once it is built.
@dataclass(slots=True)
class Node:
    line: int  # 1-based
    column: int  # 1-based


@dataclass(slots=True)
class Scalar(Node):
    text: str
    plain: bool  # written without quotes or block style


@dataclass(slots=True)
class Mapping(Node):
    items: tuple[tuple[Scalar, Node], ...]

    def get(self, key: str) -> Node | None:
        for k, v in self.items:
            if k.text == key:
                return v
        return None

    def keys(self) -> list[str]:
        return [k.text for k, _ in self.items]


@dataclass(slots=True)
class Sequence(Node):
    items: tuple[Node, ...]


def read_yaml(path: Path, data: bytes | None = None, *, fast: bool = True) -> tuple[Node | None, list[Problem]]:
    """Read one YAML file strictly into a node tree.

    Returns the root (None when nothing usable could be read) and every problem
    found; a warning (such as a byte-order mark) does not stop the reading.

    ``fast``: try ``_fast_tree`` first (the plain subset most sheets are written in), and
    let PyYAML read only what it does not take; False always lets PyYAML read.
    """
    if data is None:
        with path.open("rb") as handle:  # at most one byte past the limit, whatever the file claims
            data = handle.read(MAX_BYTES + 1)
    text, problems = _decode(path, data)
    if text is None:
        return None, problems
    if not text.strip() or all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()):
        problems.append(Problem(path, 1, 1, "the file is empty", "write a fact sheet; see README.md"))
        return None, problems
    if fast:
        root = _fast_tree(text)
        if root is not None:
            return root, problems
    import yaml  # here, not at the top: a start that finds every sheet in the cache never parses YAML

    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    builder = _Builder(path, text)
    try:
        loader = loader_class(text)
        try:
            builder.build(loader.get_event)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as err:
        problems.extend(builder.problems)
        problems.append(_syntax_problem(path, text, err))
        return None, problems
    except yaml.reader.ReaderError as err:  # a control character YAML does not allow
        problems.extend(builder.problems)
        # libyaml counts bytes, the pure-Python reader characters
        before = (
            text.encode("utf-8")[: err.position].decode("utf-8", "ignore")
            if loader_class is not yaml.SafeLoader
            else text[: err.position]
        )
        line, column = before.count("\n") + 1, len(before) - before.rfind("\n")
        character = err.character if isinstance(err.character, str) else chr(err.character)
        problems.append(
            Problem(path, line, column, f"character U+{ord(character):04X} is not allowed in YAML", "delete it")
        )
        return None, problems
    problems.extend(builder.problems)
    if any(p.severity is Severity.ERROR for p in builder.problems):
        return None, problems
    return builder.root, problems


def _decode(path: Path, data: bytes) -> tuple[str | None, list[Problem]]:
    if len(data) > MAX_BYTES:
        return None, [
            Problem(
                path,
                0,
                0,
                f"the file is larger than {MAX_BYTES:,} bytes, the limit",
                "split it or check that it is the right file",
            )
        ]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [Problem(path, 1, 1, "the file is UTF-16", "save it as UTF-8")]
    problems: list[Problem] = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        problems.append(
            Problem(
                path,
                1,
                1,
                "the file starts with a byte-order mark",
                "save it as UTF-8 without BOM",
                Severity.WARNING,
            )
        )
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        return None, [Problem(path, line, 1, "the file contains NUL bytes", "is it a text file?")]
    try:
        return data.decode("utf-8"), problems
    except UnicodeDecodeError as err:
        before = data[: err.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        return None, [
            Problem(
                path,
                line,
                column,
                f"byte 0x{data[err.start]:02x} is not UTF-8",
                "save the file as UTF-8",
            )
        ]


def _syntax_problem(path: Path, text: str, err: MarkedYAMLError) -> Problem:
    mark = err.problem_mark or err.context_mark
    opened = None
    if err.context_mark is not None and "quoted scalar" in (err.context or ""):
        opened = (err.context_mark.line + 1, err.context_mark.column + 1)
    elif mark is not None:
        opened = _quote_left_open(text, mark.index)
    if opened is not None:
        # Where the quote opens, not where the parser gave up looking for its end (often
        # the end of the file, or a line further on where another quote closes it).
        line, column = opened
        return Problem(
            path,
            line,
            column,
            "invalid YAML: the quoted text that opens here is not closed",
            "a quoted string is not closed: end it with the same quote on this line",
        )
    line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    message = (err.problem or err.context or "invalid YAML").strip()
    hint = "check the indentation and quotes near this line"
    lines = text.splitlines()
    if "tab" in message or (0 < line <= len(lines) and "\t" in lines[line - 1]):
        hint = "indent with spaces; YAML does not allow tabs"
    elif "quote" in message or "end of stream" in message:
        hint = "a quoted string is not closed"
    return Problem(path, line, column, f"invalid YAML: {message}", hint)


def _quote_left_open(text: str, until: int) -> tuple[int, int] | None:
    """Where the first quoted value left open at the end of its line opens, among the lines
    before the one holding ``until`` (where the parser failed); None when there is none.

    YAML lets quoted text span lines, so an unclosed ``name: "Acme`` swallows the lines below
    it until some later quote closes it, and the parser fails there. No value in a fact sheet
    needs more than a line, so a quote still open at a line's end is the likely mistake.
    """
    lines = text[: text.rfind("\n", 0, until) + 1].split("\n")
    for number, line in enumerate(lines, 1):
        column = _open_quote(line)
        if column:
            return number, column
    return None


def _open_quote(line: str) -> int:
    """The 1-based column of a quote still open at the end of ``line``, or 0. A quote opens a
    value only at its start (the line's, or after ``:``, ``-``, ``[``, ``{``, ``,``): the
    apostrophe in ``note: it's`` opens nothing, and a comment is no value."""
    quote, opened, before, i = "", 0, "", 0
    while i < len(line):
        c = line[i]
        if quote:
            if c == "\\" and quote == '"':
                i += 1  # an escape: the next character is taken as it is
            elif c == quote and quote == "'" and line[i + 1 : i + 2] == "'":
                i += 1  # '' is a quote inside single quotes
            elif c == quote:
                quote, before = "", c
        elif c in "\"'" and before in ("", ":", "-", "[", "{", ","):
            quote, opened = c, i + 1
        elif c == "#" and (i == 0 or line[i - 1] in " \t"):
            break
        elif c not in " \t":
            before = c
        i += 1
    return opened if quote else 0


def _position(event: Event) -> tuple[int, int]:
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)


class _Builder:
    """Turns parser events into nodes, refusing what the format does not allow."""

    def __init__(self, path: Path, text: str = "") -> None:
        self.path = path
        self.text = text  # the source, to point at a refused character inside a scalar
        self.problems: list[Problem] = []
        self.root: Node | None = None
        self.stack: list[tuple[Node, list[Node]]] = []
        self.documents = 0

    def _problem(self, event: Event, message: str, hint: str) -> None:
        line, column = _position(event)
        self.problems.append(Problem(self.path, line, column, message, hint))

    def _refused(self, event: NodeEvent, collection: bool) -> None:
        """An anchor or an explicit tag on a node."""
        if event.anchor is not None:
            self._problem(
                event,
                f'anchor "&{event.anchor}" is not allowed',
                "write the value out in full; fact sheets do not use anchors or aliases",
            )
        tag = getattr(event, "tag", None)
        implicit = getattr(event, "implicit", True)
        if collection:
            explicit_tag = tag is not None and not implicit
        else:
            explicit_tag = tag is not None and not (isinstance(implicit, tuple) and (implicit[0] or implicit[1]))
        if explicit_tag:
            self._problem(event, f'tag "{tag}" is not allowed', "remove the tag; write the plain value")

    def build(self, next_event: Callable[[], Any]) -> None:
        """Take every event until the stream ends, or until the rest cannot be trusted
        (a second document, nesting too deep).

        One loop dispatching on the exact event class: a sheet is thousands of events, and
        this is where a cold load spends most of its time.
        """
        from yaml import events

        scalar_event, alias_event = events.ScalarEvent, events.AliasEvent
        mapping_start, sequence_start = events.MappingStartEvent, events.SequenceStartEvent
        mapping_end, sequence_end = events.MappingEndEvent, events.SequenceEndEvent
        document_start, stream_end = events.DocumentStartEvent, events.StreamEndEvent
        stack = self.stack
        while (event := next_event()) is not None:
            kind = event.__class__
            if kind is scalar_event:
                if event.anchor is not None or (event.tag is not None and not (event.implicit[0] or event.implicit[1])):
                    self._refused(event, collection=False)
                mark = event.start_mark
                value = event.value
                if not value.isprintable() or len(value) > MAX_SCALAR:  # rare: most text is printable
                    self._check_scalar(event)
                node: Node = Scalar(mark.line + 1, mark.column + 1, value, bool(event.implicit[0]) and not event.style)
            elif kind is mapping_end or kind is sequence_end:
                shell, children = stack.pop()
                node = (
                    self._mapping(shell, children)
                    if shell.__class__ is Mapping
                    else Sequence(shell.line, shell.column, tuple(children))
                )
            elif kind is mapping_start or kind is sequence_start:
                if event.anchor is not None or (event.tag is not None and not event.implicit):
                    self._refused(event, collection=True)
                if len(stack) >= MAX_DEPTH:
                    self._problem(
                        event,
                        f"nesting deeper than {MAX_DEPTH} levels",
                        "a fact sheet needs at most five levels; check the indentation",
                    )
                    return
                line, column = _position(event)
                stack.append((Mapping(line, column, ()) if kind is mapping_start else Sequence(line, column, ()), []))
                continue
            elif kind is alias_event:
                self._problem(
                    event,
                    f'alias "*{event.anchor}" is not allowed',
                    "write the value out in full; fact sheets do not use anchors or aliases",
                )
                node = Scalar(*_position(event), "", True)
            elif kind is document_start:
                self.documents += 1
                if self.documents > 1:
                    self._problem(
                        event,
                        "a second YAML document (---) in the file",
                        "one fact sheet per file; remove the --- line or split the file",
                    )
                    return
                continue
            elif kind is stream_end:
                return
            else:  # stream start, document end
                continue
            if stack:
                stack[-1][1].append(node)
            else:
                self.root = node

    def _check_scalar(self, event: Any) -> None:
        """Refuse a value too long for any field, or holding a character that is not text:
        a control, an invisible or a private-use character (``REFUSED_CATEGORIES``). A block
        scalar's final line break is the YAML syntax's, not the text's."""
        value: str = event.value
        if len(value) > MAX_SCALAR:
            self._problem(
                event,
                f"a value of {len(value):,} characters; the longest a sheet may hold is {MAX_SCALAR:,}",
                "shorten it: a fact sheet cites its sources, it does not copy them",
            )
            return
        body = value.rstrip("\n") if event.style in ("|", ">") else value
        for character in body:
            kind = REFUSED_CATEGORIES.get(unicodedata.category(character))
            if kind is None:
                continue
            line, column = self._locate(event, character)
            shown = body if len(body) <= 60 else body[:57] + "…"
            self.problems.append(
                Problem(
                    self.path,
                    line,
                    column,
                    f'{kind} {code_point(character)} in "{shown}"',
                    "delete it; a fact sheet holds plain text on one line"
                    if character not in "\n\r\u2028\u2029"
                    else "write the text on one line; a line break inside a key or value is not allowed",
                )
            )
            return  # one problem a value: the others are usually its neighbours

    def _locate(self, event: Any, character: str) -> tuple[int, int]:
        """Where ``character`` (or the escape that wrote it) is in the source; the scalar's
        own position when neither can be found (a line break folded in by YAML)."""
        if event.style in ("|", ">"):  # a block's lines do not map one to one: point at the block
            return _position(event)
        start, end = event.start_mark.index, event.end_mark.index
        raw = self.text[start:end]
        at = raw.find(character)
        if at < 0:
            number = ord(character)
            hexes = [f"u{number:04x}", f"U{number:08x}", *([f"x{number:02x}"] if number < 0x100 else [])]
            found = re.search("|".join(re.escape("\\" + h) for h in hexes), raw, re.IGNORECASE)
            if found is None and character in _ESCAPES:  # the one-letter escapes are case-sensitive
                found = re.search(re.escape("\\" + _ESCAPES[character]), raw)
            if found is None:
                return _position(event)
            at = found.start()
        index = start + at
        return self.text.count("\n", 0, index) + 1, index - self.text.rfind("\n", 0, index)

    def _mapping(self, shell: Node, children: list[Node]) -> Mapping:
        items: list[tuple[Scalar, Node]] = []
        seen: dict[str, Scalar] = {}
        for key, value in zip(children[::2], children[1::2], strict=True):
            if not isinstance(key, Scalar):
                self.problems.append(
                    Problem(self.path, key.line, key.column, "a key must be plain text", "write the key as a name")
                )
                continue
            if key.text in seen:
                first = seen[key.text]
                self.problems.append(
                    Problem(
                        self.path,
                        key.line,
                        key.column,
                        f'duplicate key "{key.text}" (first at line {first.line})',
                        "merge the two entries; a second key would silently replace the first",
                    )
                )
                continue
            seen[key.text] = key
            items.append((key, value))
        return Mapping(shell.line, shell.column, tuple(items))


# --- A fast path for the plain subset ----------------------------------------------
#
# Through PyYAML a sheet costs a Python object per event and per mark, and at a thousand
# sheets that is most of a cold start. Sheets are written in a small, regular part of YAML:
# block mappings of plain keys, block lists of one-line items, one-line flow mappings and
# lists, plain and simply quoted values, comments. ``_fast_tree`` reads exactly that, line by
# line, and gives up (None) at the first thing outside it or at anything the full reader
# refuses or reports (a duplicate key, a character that is not printable, a long line, deep
# nesting, a tab): PyYAML and ``_Builder`` then read the file as before, so every problem
# still comes from them. What it does build is the tree they build, node for node, lines
# and columns included (tests/test_reader_fast.py compares the two).

# Keys of at most 1,000 characters: libyaml takes a key of at most 1,024.
_BLOCK_KEY = re.compile(r"([A-Za-z0-9_][A-Za-z0-9_./\-\[\]]{0,999}):(?: +|$)")
_FLOW_KEY = re.compile(r"([A-Za-z0-9_][A-Za-z0-9_./\-]{0,999}): +")
# A plain value inside braces or brackets: it starts with no indicator (a minus only before a
# digit or a point) and holds none of the characters that end it or begin something else there.
_FLOW_PLAIN = re.compile(r"(?:[^\s,\[\]{}#:?\"'&*!|>%@`\-]|-(?=[0-9.]))[^,\[\]{}#:?\"']*")
_DOUBLE = re.compile(r'"([^"\\]*)"')  # no escapes: the text is what is written
_SINGLE = re.compile(r"'([^']*)'(?!')")  # no '' inside
_END = re.compile(r"(?: +#.*| *)$")  # what may follow a value on its line
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_FAST_DEPTH = MAX_DEPTH - 3  # block levels taken: a flow mapping and a list in it may follow


class _Unsupported(Exception):
    """Outside what ``_fast_tree`` reads: the full reader takes the file."""


def _fast_tree(text: str) -> Node | None:
    """The node tree of a sheet written in the plain subset; None for any other text."""
    lines: list[tuple[int, int, str]] = []  # line number, indent and text of each line with content
    for number, line in enumerate(text.split("\n"), 1):
        if not line.isprintable() or len(line) > MAX_SCALAR:  # a tab, a CR, any refused character
            return None
        content = line.lstrip(" ")
        if content and content[0] != "#":
            lines.append((number, len(line) - len(content), line))
    if not lines or lines[0][1] != 0:
        return None
    try:
        root, end = _fast_block(lines, 0, 0, 0)
    except _Unsupported:
        return None
    return root if end == len(lines) else None


def _fast_block(lines: list[tuple[int, int, str]], at: int, indent: int, depth: int) -> tuple[Node, int]:
    """The block mapping or list whose first line is ``lines[at]``, and the index after it."""
    if depth > _FAST_DEPTH:
        raise _Unsupported
    count = len(lines)
    first = lines[at][0]
    items: list[Any] = []
    if lines[at][2].startswith("-", indent):
        while at < count:
            number, column, line = lines[at]
            if column < indent:
                break
            if column > indent or not line.startswith("- ", indent):
                raise _Unsupported
            start = len(line) - len(line[indent + 1 :].lstrip(" "))
            if start == len(line) or line[start] == "#" or _BLOCK_KEY.match(line, start):
                raise _Unsupported  # an item on the lines below, or a mapping begun on the dash's line
            items.append(_fast_inline(line, start, number))
            at += 1
        return Sequence(first, indent + 1, tuple(items)), at
    seen: set[str] = set()
    while at < count:
        number, column, line = lines[at]
        if column < indent:
            break
        key = _BLOCK_KEY.match(line, indent)
        if column > indent or key is None:
            raise _Unsupported
        name = key[1]
        if name in seen:
            raise _Unsupported  # a duplicate is the full reader's to report
        seen.add(name)
        start = key.end()
        at += 1
        value: Node
        if start == len(line) or line[start] == "#":  # the value is the block below
            if at == count or lines[at][1] <= indent:
                raise _Unsupported  # an empty value, or a list at the key's own indent
            value, at = _fast_block(lines, at, lines[at][1], depth + 1)
        else:
            value = _fast_inline(line, start, number)
        items.append((Scalar(number, indent + 1, name, True), value))
    return Mapping(first, indent + 1, tuple(items)), at


def _fast_inline(line: str, start: int, number: int) -> Node:
    """The value that starts at ``line[start]`` and ends the line (but for a comment)."""
    first = line[start]
    node: Node
    if first == "{":
        node, end = _fast_flow_mapping(line, start, number)
    elif first == "[":
        node, end = _fast_flow_list(line, start, number)
    elif first == '"' or first == "'":
        found = (_DOUBLE if first == '"' else _SINGLE).match(line, start)
        if found is None:
            raise _Unsupported
        node, end = Scalar(number, start + 1, found[1], False), found.end()
    else:  # plain: up to a comment, without the spaces before it
        if first in _INDICATORS and not (first == "-" and line[start + 1 : start + 2] in _DIGIT_OR_POINT):
            raise _Unsupported
        cut = line.find(" #", start)
        value = (line[start:cut] if cut >= 0 else line[start:]).rstrip(" ")
        if ": " in value or value.endswith(":"):
            raise _Unsupported
        return Scalar(number, start + 1, value, True)
    if _END.match(line, end) is None:
        raise _Unsupported
    return node


_DIGIT_OR_POINT = frozenset("0123456789.")


# One ``key: value`` of a flow mapping and what follows it (, or }), the value quoted or plain:
# one match a pair, where a report is three or four pairs.
_FLOW_PAIR = re.compile(
    r" *([A-Za-z0-9_][A-Za-z0-9_./\-]{0,999}): +"
    r"(?:\"([^\"\\]*)\"|'([^']*)'(?!')|((?:[^\s,\[\]{}#:?\"'&*!|>%@`\-]|-(?=[0-9.]))[^,\[\]{}#:?\"']*))"
    r" *([,}])"
)


def _fast_flow_mapping(line: str, start: int, number: int) -> tuple[Mapping, int]:
    items: list[tuple[Scalar, Node]] = []
    at, size = start + 1, len(line)
    while True:
        pair = _FLOW_PAIR.match(line, at)
        value: Node
        if pair is not None:  # the usual pair: a key and a quoted or plain value
            name, double, single, plain, after = pair.groups()
            if plain is not None:
                value = Scalar(number, pair.start(4) + 1, plain.rstrip(" "), True)
            elif double is not None:  # the column of the quote, before the group's text
                value = Scalar(number, pair.start(2), double, False)
            else:
                value = Scalar(number, pair.start(3), single, False)
            items.append((Scalar(number, pair.start(1) + 1, name, True), value))
            at = pair.end()
        else:  # a list as the value, or something outside the subset
            while at < size and line[at] == " ":
                at += 1
            found = _FLOW_KEY.match(line, at)
            if found is None or not line.startswith("[", found.end()):
                raise _Unsupported
            key = Scalar(number, at + 1, found[1], True)
            value, at = _fast_flow_list(line, found.end(), number)
            items.append((key, value))
            while at < size and line[at] == " ":
                at += 1
            if at == size or line[at] not in ",}":
                raise _Unsupported
            after = line[at]
            at += 1
        if after == "}":
            if len({key.text for key, _ in items}) < len(items):
                raise _Unsupported  # a duplicate is the full reader's to report
            return Mapping(number, start + 1, tuple(items)), at


def _fast_flow_list(line: str, start: int, number: int) -> tuple[Sequence, int]:
    items: list[Node] = []
    at, size = start + 1, len(line)
    while True:
        while at < size and line[at] == " ":
            at += 1
        value, at = _fast_flow_scalar(line, at, number)
        items.append(value)
        while at < size and line[at] == " ":
            at += 1
        if at == size or line[at] not in ",]":
            raise _Unsupported
        at += 1
        if line[at - 1] == "]":
            return Sequence(number, start + 1, tuple(items)), at


def _fast_flow_scalar(line: str, at: int, number: int) -> tuple[Scalar, int]:
    quote = line[at : at + 1]
    found = (_DOUBLE if quote == '"' else _SINGLE if quote == "'" else _FLOW_PLAIN).match(line, at)
    if found is None:
        raise _Unsupported
    if quote == '"' or quote == "'":
        return Scalar(number, at + 1, found[1], False), found.end()
    return Scalar(number, at + 1, found[0].rstrip(" "), True), found.end()


# --- Scalars, read strictly -------------------------------------------------------

_NUMBER = re.compile(r"^[-+]?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$")
_NON_FINITE = re.compile(r"^[-+]?\.?(nan|inf|infinity)$", re.IGNORECASE)
_BOOLEAN = re.compile(r"^(y|n|yes|no|true|false|on|off)$", re.IGNORECASE)
_FULLWIDTH = re.compile(r"[\uff10-\uff19\uff0e\uff0c\uff0d]")
_MINUS_SIGNS = "\u2212\u2013\u2014\ufe63\uff0d"


def number(node: Node) -> float | Problem:
    """A finite number written plainly, or the problem with it.

    >>> number(Scalar(1, 1, "30.52", True))
    30.52
    >>> number(Scalar(1, 1, "1,234", True)).message
    'thousands separators in "1,234"'
    >>> number(Scalar(1, 1, "30.5", False)).message
    'a number in quotes: "30.5"'
    """
    if not isinstance(node, Scalar):
        return _at(node, "expected a number, found a list or mapping", "write a single number")
    raw = node.text.strip()
    if node.plain and _NUMBER.match(raw):
        value = float(raw)
        if not math.isfinite(value) or abs(value) >= LARGEST_NUMBER:
            return _at(node, f"{raw} is too large to be a figure", "check the scale: write 1.5 with unit USD billion")
        if abs(value) < SMALLEST_NUMBER and any(c in "123456789" for c in raw.lower().split("e")[0]):
            # 1e-400 reads as 0: a burn would silently become "not burning".
            return _at(
                node,
                f"{raw} is too small to be a figure" + (" (it would be read as 0)" if value == 0 else ""),
                "check the exponent and the scale: write 1.5 with unit USD thousand",
            )
        return value
    problem = _at(node, *_why_not_number(raw, node.plain))
    at = non_ascii_digit(node.text)
    if at >= 0 and node.plain:  # point at the digit itself: a plain scalar holds no escapes
        return replace(problem, column=node.column + at)
    return problem


def _why_not_number(raw: str, plain: bool) -> tuple[str, str]:
    if not plain and _NUMBER.match(raw):
        return f'a number in quotes: "{raw}"', f"remove the quotes: {raw}"
    if not raw:
        return "the value is missing", "write a number"
    if _NON_FINITE.match(raw):
        return f'"{raw}" is not a finite number', "write the figure, or `not disclosed`"
    if _BOOLEAN.match(raw):
        return f'"{raw}" is a yes/no word, not a number', "write the figure"
    if re.match(r"^[-+]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$", raw):
        return f'thousands separators in "{raw}"', "write " + raw.replace(",", "")
    if re.match(r"^[-+]?[0-9]+(_[0-9]+)+(\.[0-9]+)?$", raw):
        return f'underscores in "{raw}"', "write " + raw.replace("_", "")
    if re.match(r"^[-+]?0[0-9]+(\.[0-9]+)?$", raw):
        return (
            f'leading zero in "{raw}" (YAML 1.1 reads 010 as octal 8)',
            "write " + (raw.lstrip("+-0") or "0"),
        )
    if re.match(r"^[-+]?[0-9]+(:[0-5]?[0-9])+$", raw):
        return f'"{raw}" looks like a time (YAML 1.1 reads 1:30 as 90)', "write the number in decimal"
    return _why_not_typed(raw)


def _why_not_typed(raw: str) -> tuple[str, str]:
    """What is wrong with a number typed with characters that are not ASCII digits and signs."""
    at = non_ascii_digit(raw)
    if at >= 0:
        return f'a digit that is not ASCII in "{raw}": "{raw[at]}" {code_point(raw[at])}', "type digits 0-9"
    if _FULLWIDTH.search(raw):
        return f'full-width characters in "{raw}"', "type the number with ASCII characters: 0-9 . , -"
    if raw[0] in _MINUS_SIGNS:
        return f'"{raw}" starts with a dash that is not a minus sign', "type the minus as the ASCII hyphen -"
    if raw.endswith("%"):
        return f'"{raw}" has a percent sign', f"write {raw[:-1].strip()} with unit: percent"
    return f'expected a number, found "{raw}"', "write a plain number such as 30.5"


def text(node: Node) -> str | Problem:
    """Non-empty text (quoted or plain)."""
    if not isinstance(node, Scalar):
        return _at(node, "expected text, found a list or mapping", "write a single value")
    if not node.text.strip():
        return _at(node, "the value is missing", "write the value after the colon")
    return node.text.strip()


def day(node: Node) -> date | Problem:
    """A calendar date written YYYY-MM-DD."""
    raw = text(node)
    if isinstance(raw, Problem):
        return raw
    parsed = parse_date(raw)
    if isinstance(parsed, str):
        assert isinstance(node, Scalar)  # text() took it
        at = non_ascii_digit(node.text) if node.plain else -1
        problem = _at(node, parsed, "write a real date as YYYY-MM-DD")
        return replace(problem, column=node.column + at) if at >= 0 else problem
    return parsed


def decimals(node: Scalar) -> int:
    """How precisely the source wrote a number: digits after the point, or minus the
    trailing zeros of a whole number (1500 is taken as rounded to the hundred).

    >>> decimals(Scalar(1, 1, "30.52", True))
    2
    >>> decimals(Scalar(1, 1, "1500", True))
    -2
    >>> decimals(Scalar(1, 1, "0", True))
    0
    """
    mantissa = node.text.strip().lower().split("e")[0].lstrip("+-")
    if "." in mantissa:
        return len(mantissa.split(".")[1])
    digits = mantissa.lstrip("0")
    return -(len(digits) - len(digits.rstrip("0"))) if digits else 0


def _at(node: Node, message: str, hint: str) -> Problem:
    # The path is filled in by the caller, who knows which file it is reading.
    return Problem("", node.line, node.column, message, hint)
