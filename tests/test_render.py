"""The display layer's pure helpers: name breaking, column widths."""

import pytest
from rich.text import Text

from minimetrics.render import Column, table_widths, wrap_name


@pytest.mark.parametrize("width", range(1, 40))
def test_wrap_name_keeps_every_character_and_the_width(width: int) -> None:
    name = "ipo_shares_offered[international_offering]"
    wrapped = wrap_name(name, width)
    assert wrapped.replace("\n", "") == name
    assert max(len(line) for line in wrapped.splitlines()) <= width


def test_numbers_keep_their_width_and_prose_gives_way() -> None:
    columns = [Column("company", "whole"), Column("value", "whole", "right"), Column("how")]
    rows = [["minimax", "1,050.0", Text("annualised run-rate (9M2024 × 12 ÷ 9), not a result")]]
    widths = table_widths(columns, rows, 40)
    assert widths[:2] == [7, 7]
    assert sum(widths) + 2 + 2 + 2 * 3 <= 40  # edges, rules between columns, padding
