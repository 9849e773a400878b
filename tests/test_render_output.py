"""What the writers put on the page, across commands: no padding at line ends, one scale per
table and per series, one money spelling, signed differences, rounded machine numbers."""

import io
import os
import subprocess
import sys

import pytest
from rich.text import Text

from minimetrics.render.terminal import console


def _piped(*args: str) -> str:
    """A command's stdout when it is a pipe and COLUMNS is 80, as ``minimetrics … | head`` sees it."""
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR")}
    env["COLUMNS"] = "80"
    done = subprocess.run(
        [sys.executable, "-m", "minimetrics", *args], capture_output=True, text=True, env=env, check=True
    )
    return done.stdout


@pytest.mark.parametrize("args", [("show", "minimax"), ("compare", "minimax", "zhipu")], ids=" ".join)
def test_no_piped_line_ends_in_a_space(args: tuple[str, ...]) -> None:
    lines = _piped(*args).splitlines()
    assert len(lines) > 40
    assert [line for line in lines if line.endswith(" ")] == []


def test_trimming_keeps_colour_codes_and_everything_before_the_padding() -> None:
    out = io.StringIO()
    con = console(out, 20, colour=True)
    con.print(Text("a  b", style="red"))
    con.print("x", end="")
    con.print(" y ")
    text = out.getvalue()
    first, second = text.split("\n")[:2]
    assert "a  b" in first and not first.endswith(" ")
    assert first.endswith("\x1b[0m")  # the red is closed, only the spaces went
    assert second == "x y"
