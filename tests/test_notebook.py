"""Every result a command returns offers ``to_frame()`` and ``_repr_html_()`` (issue 14 item 6)."""

import dataclasses
import inspect

import pandas as pd

from minimetrics import results
from minimetrics.analysis import margin_table
from minimetrics.dataset import bundled_data_dir, load_data
from minimetrics.frames import to_frame
from minimetrics.notebook import FrameMixin

# The records a command hands to render.write: each must be a FrameMixin.
COMMAND_RESULTS = (
    "FigureTable",
    "RunwayTable",
    "Comparison",
    "Explanation",
    "ClaimsTable",
    "CompanySummary",
    "Report",
    "BreakevenTable",
    "BreakevenGridTable",
    "Changes",
)


def test_every_command_result_has_the_frame_methods() -> None:
    for name in COMMAND_RESULTS:
        cls = getattr(results, name)
        assert inspect.isclass(cls) and dataclasses.is_dataclass(cls), name
        assert issubclass(cls, FrameMixin), name


def test_the_method_is_the_function() -> None:
    # Zhipu's margins from the shipped data: the method and frames.to_frame give the same frame.
    table = margin_table(load_data(bundled_data_dir()), ["zhipu"])
    frame = table.to_frame()
    assert isinstance(frame, pd.DataFrame) and len(frame) > 0
    pd.testing.assert_frame_equal(frame, to_frame(table))
    html = table._repr_html_()
    assert html.startswith("<div") and "<script" not in html
