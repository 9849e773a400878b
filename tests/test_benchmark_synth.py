"""The benchmark's synthetic sheets are valid, clean and realistic: a correctness test, no timings."""

import sys
from pathlib import Path

from conftest import REPO

from minimetrics import check_files, load_data, summarize

sys.path.insert(0, str(REPO / "benchmarks"))
import synth  # type: ignore[import-not-found, unused-ignore]


def test_synthetic_sheets_validate_without_a_problem(tmp_path: Path) -> None:
    paths = synth.generate(tmp_path, 3)
    assert [str(p) for p in check_files([tmp_path])] == []
    data = load_data(tmp_path)
    assert [s.company.id for s in data.sheets] == ["synth0001", "synth0002", "synth0003"]
    assert data.fx is not None
    for row in summarize(data):
        assert 280 <= row.facts <= 340 and row.reports > row.facts and row.conflicts > 0
        assert "FY2016" in row.periods and "H1-2025" in row.periods and "9M2025" in row.periods
    units = {r.unit.text for s in data.sheets for f in s.facts for r in f.reports if r.unit}
    assert {"USD million", "USD 萬", "USD 億", "RMB million", "RMB 萬", "RMB 億", "percent"} <= units
    assert len({s.rank for sheet in data.sheets for s in sheet.sources}) == 4
    # Seeded: company i is the same whatever the count.
    assert synth.sheet_text(2) == paths[1].read_text(encoding="utf-8")
