"""The fast reader of the plain subset (``reader._fast_tree``) builds the very tree PyYAML and
``_Builder`` build, lines and columns included, or leaves the file to them: on every sheet
the tests and the data hold, on synthetic sheets, and on thousands of small edits of them."""

import random
import sys
from pathlib import Path

import pytest
from conftest import REPO, TESTS

from minimetrics import reader
from minimetrics.reader import Mapping, Scalar, Sequence

sys.path.insert(0, str(REPO / "benchmarks"))
import synth  # type: ignore[import-not-found, unused-ignore]

FILES = sorted([*(REPO / "datasets").glob("*.yaml"), *TESTS.rglob("*.yaml")])


def both(path: Path, data: bytes) -> None:
    """The fast path's answer is the full reader's, root and problems."""
    assert reader.read_yaml(path, data) == reader.read_yaml(path, data, fast=False)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_the_fast_and_the_full_reader_agree_on_every_file(path: Path) -> None:
    both(path, path.read_bytes())


def test_the_fast_reader_takes_the_shipped_and_the_synthetic_sheets(tmp_path: Path) -> None:
    # Not only agreeing by always giving up: the sheets at scale are read without PyYAML.
    for name in ("minimax", "zhipu"):
        assert reader._fast_tree((REPO / "datasets" / f"{name}.yaml").read_text(encoding="utf-8")) is not None
    for path in synth.generate(tmp_path, 3):
        assert reader._fast_tree(path.read_text(encoding="utf-8")) is not None
        both(path, path.read_bytes())


def test_the_fast_tree_of_a_small_sheet_node_by_node() -> None:
    text = "# a comment\na:\n  b: {x: 1, y: \"t # u\", z: [2, 'v']}  # c\n  c:\n    - w x\n    - {k: -3.5}\n"
    root = reader._fast_tree(text)
    # line 2 "a:" at column 1; line 3 "  b: {x: 1, ..." puts { at column 6, x at 7, 1 at 10,
    # y at 13, the quote at 16, z at 25, [ at 28, 2 at 29, the quote of 'v' at 32.
    b = Mapping(
        3,
        6,
        (
            (Scalar(3, 7, "x", True), Scalar(3, 10, "1", True)),
            (Scalar(3, 13, "y", True), Scalar(3, 16, "t # u", False)),
            (Scalar(3, 25, "z", True), Sequence(3, 28, (Scalar(3, 29, "2", True), Scalar(3, 32, "v", False)))),
        ),
    )
    # line 5 "    - w x": the list and its first item at columns 5 and 7; line 6's { at 7, k at 8, -3.5 at 11
    c = Sequence(
        5, 5, (Scalar(5, 7, "w x", True), Mapping(6, 7, ((Scalar(6, 8, "k", True), Scalar(6, 11, "-3.5", True)),)))
    )
    inner = Mapping(3, 3, ((Scalar(3, 3, "b", True), b), (Scalar(4, 3, "c", True), c)))
    assert root == Mapping(2, 1, ((Scalar(2, 1, "a", True), inner),))
    assert root == reader.read_yaml(Path("x.yaml"), text.encode())[0]
    assert root == reader.read_yaml(Path("x.yaml"), text.encode(), fast=False)[0]


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\n",  # an anchor
        "a: !!str 1\n",  # a tag
        "a: 1\na: 2\n",  # a duplicate key: the full reader reports it
        "a: {b: 1, b: 2}\n",
        "a:\n\tb: 1\n",  # a tab
        "a: 1\r\n",  # a carriage return
        "a: |\n  text\n",  # a block scalar
        'a: "x\\ty"\n',  # an escape
        "a: 'it''s'\n",
        "a: b: c\n",
        "a:\n- 1\n",  # a list at its key's indent
        "a:\nb: 1\n",  # an empty value
        "---\na: 1\n",
        "a: 1\n---\nb: 2\n",
        "a: x\n  y\n",  # a value continued on the next line
        "a: [1, [2]]\n",
        "a: {b: {c: 1}}\n",
        "a:\n  - b: 1\n",  # a mapping begun on a dash's line
        "a: \u200bx\n",  # an invisible character
    ],
)
def test_the_fast_reader_leaves_the_rest_to_the_full_reader(text: str) -> None:
    assert reader._fast_tree(text) is None
    both(Path("x.yaml"), text.encode())


EDITS = [":", ": ", " #", "#", "'", '"', "''", "-", "- ", "-1", "[", "]", "{", "}", ",", ", ", " ", "  ", "\t"]
EDITS += ["&a ", "*a", "!t ", "|", ">", "?", "? ", "%", "@", "`", "\\", "x: y", "\n", "\n  ", "\n    k: v"]
EDITS += ["\n- ", "---\n", "...", "\u2028", "\u00a0", "é", "萬", "{a: 1}", "[1, 2]", "\r", "~", "\ufeff"]


def edited(text: str, rng: random.Random) -> str:
    """``text`` with one or two small edits: a token put in, a character taken out, a line
    doubled, moved or re-indented."""
    for _ in range(rng.choice((1, 2))):
        lines = text.split("\n")
        number = rng.randrange(len(lines))
        line = lines[number]
        how = rng.randrange(6)
        if how <= 2:
            at = rng.randrange(len(line) + 1)
            lines[number] = line[:at] + rng.choice(EDITS) + line[at:]
        elif how == 3 and line:
            at = rng.randrange(len(line))
            lines[number] = line[:at] + line[at + 1 :]
        elif how == 4:
            lines.insert(rng.randrange(len(lines) + 1), line)
        else:
            lines[number] = " " * rng.choice((0, 1, 2, 3, 4, 6)) + line.lstrip(" ")
        text = "\n".join(lines)
    return text


@pytest.mark.parametrize("name", ["gamma", "alpha", "synthetic"])
def test_the_readers_agree_on_edited_sheets(name: str) -> None:
    if name == "synthetic":  # its sources and its revenue: one-line reports and lists of them
        text = synth.sheet_text(1)
        base = text[: text.index("\n  cost_of_revenue:") + 1]
    else:
        base = (TESTS / "fixtures" / f"{name}.yaml").read_text(encoding="utf-8")
    rng = random.Random(16)
    taken = 0
    for _ in range(1_500):
        text = edited(base, rng)
        data = text.encode("utf-8", "surrogatepass")
        both(Path(f"{name}.yaml"), data)
        taken += reader._fast_tree(text) is not None
    # Many edits leave a sheet in the subset (a space or a letter in a value, a moved line):
    # those trees were compared, not only the files both readers refuse.
    assert taken >= 150


@pytest.mark.parametrize(
    "text",
    [
        'a: {n: "😀 x", m: 1}\nb: 😀😀 y\nc: [é, 😀, "z"]\n',  # columns count characters, not bytes
        "a: {n: 日本, m: 2}  # 注\n",
        "a: x #y\nb: \"\"\nc: ''\nd: x#y\n",  # a comment needs a space before it
        "a:\n  - {b: 1}\n  -   x\n\n   \n  # c\n",
        "a: {b: [1, 2], c: -1.5e3}\nb: https://example.com/a?b=c\n",
    ],
)
def test_the_fast_reader_takes_these_and_agrees(text: str) -> None:
    assert reader._fast_tree(text) is not None
    both(Path("x.yaml"), text.encode())
