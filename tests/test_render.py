"""The display layer's pure helpers: charts, name breaking, column widths."""

import math

import pytest
from rich.text import Text

from minimetrics.render import Column, bar, sparkline, table_widths, wrap_name


@pytest.mark.parametrize("value", [math.nan, -1.0, math.inf])
def test_a_bar_refuses_what_it_cannot_draw(value: float) -> None:
    with pytest.raises(ValueError):
        bar(value, 40, 20)


def test_bars_are_to_scale_and_the_mark_shows_only_past_the_bar() -> None:
    # 20 characters for 40 months: 10 months are 5 full blocks, the 12-month mark at 6.
    assert bar(10, 40, 20, mark=12) == "█████ ┆"
    assert bar(30, 40, 20, mark=12) == "█" * 15
    assert bar(99, 40, 20) == "█" * 20  # beyond the scale: the scale's end


def test_a_sparkline_never_passes_off_missing_or_negative_as_small() -> None:
    assert sparkline([1.0, math.nan, -2.0, 0.0, 8.0]) == "▁·-_█"
    assert sparkline([5.0, 5.0]) == "██"


@pytest.mark.parametrize("width", range(1, 40))
def test_wrap_name_keeps_every_character_and_the_width(width: int) -> None:
    name = "ipo_shares_offered[international_offering]"
    wrapped = wrap_name(name, width)
    assert wrapped.replace("\n", "") == name
    assert max(len(line) for line in wrapped.splitlines()) <= width


def test_numbers_keep_their_width_and_prose_gives_way() -> None:
    columns = [Column("company", "whole"), Column("value", "whole", "right"), Column("how")]
    rows: list[list[str | Text]] = [["minimax", "1,050.0", Text("annualised run-rate (9M2024 × 12 ÷ 9), not a result")]]
    widths = table_widths(columns, rows, 40)
    assert widths[:2] == [7, 7]
    assert sum(widths) + 2 + 2 + 2 * 3 <= 40  # edges, rules between columns, padding
