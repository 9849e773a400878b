"""runway(default_only=True) computes one basis per company: the very row ``default`` marks
when every basis is computed, on the shipped sheets and the fixtures, with and without IPO
money and a growing burn."""

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from minimetrics.dataset import load_data, resolve_data_dir
from minimetrics.metrics import RunwayOptions, runway
from minimetrics.tidy import facts_frame

FOLDERS = [resolve_data_dir(), Path(__file__).parent / "fixtures"]


@pytest.mark.parametrize("folder", FOLDERS, ids=["shipped", "fixtures"])
@pytest.mark.parametrize("with_ipo", [None, False, True])
@pytest.mark.parametrize("growth", [0.0, 5.0])
def test_default_only_is_the_default_row(folder: Path, with_ipo: bool | None, growth: float) -> None:
    data = load_data(folder)
    frame = facts_frame(data.sheets)
    rates = data.fx.rates if data.fx else ()
    options = RunwayOptions(with_ipo=with_ipo, monthly_growth=growth, as_of=date(2026, 3, 31))
    every = runway(frame, rates, options)
    only = runway(frame, rates, options, default_only=True)
    assert len(only) == every["company"].nunique() > 0  # one row per company with a runway
    assert len(every) > len(only) or with_ipo is True  # the other bases were left out, not just hidden
    pd.testing.assert_frame_equal(only.reset_index(drop=True), every[every["default"]].reset_index(drop=True))
