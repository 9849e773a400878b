"""What every result offers Python users: ``to_frame()`` and, for notebooks, ``_repr_html_()``.

``FrameMixin`` is a base of the result classes in ``minimetrics.results``. It holds no data
and imports nothing at module level: pandas is loaded only when a frame is asked for, so
the commands that compute nothing (``--help``, ``list``, ``validate``) stay quick.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


class FrameMixin:
    """``to_frame()`` and ``_repr_html_()`` for a result (see ``minimetrics.frames``)."""

    __slots__ = ()

    def to_frame(self) -> pd.DataFrame:
        """The result as a tidy DataFrame: one row per figure, units, periods, statuses and sources as columns."""
        from minimetrics.frames import to_frame

        return to_frame(self)

    def _repr_html_(self) -> str:
        """The frame as an HTML table, every piece of sheet text escaped (Jupyter calls this)."""
        from minimetrics.frames import repr_html

        return repr_html(self)
