import json
import os
import shutil
import struct
import tempfile
from pathlib import Path

import pytest

from minimetrics import cache

TESTS = Path(__file__).parent
REPO = TESTS.parent


@pytest.fixture(autouse=True)
def _plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test sees a 100-column terminal without colour and the bundled data."""
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("MINIMETRICS_DATA", raising=False)


def pytest_configure(config: pytest.Config) -> None:
    # Before collection: some test modules load the shipped data when they are imported.
    os.environ["MINIMETRICS_CACHE_DIR"] = tempfile.mkdtemp(prefix="minimetrics-test-cache-")


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(os.environ.pop("MINIMETRICS_CACHE_DIR", ""), ignore_errors=True)


@pytest.fixture(autouse=True)
def _own_cache(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Every test has an empty cache folder of its own: no test writes to the real home."""
    monkeypatch.setenv("MINIMETRICS_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.delenv("MINIMETRICS_NO_CACHE", raising=False)
    cache.set_enabled(True)  # a CLI test with --no-cache turns it off for the process


SHEET_HEAD = """company:
  id: {id}
  name: Acme
  native_name: 阿克米
  tickers: ["00001.HK"]
  founded: 2021-12
  currency: USD
  fiscal_year_end: 12-31
  segments:
{segments}
sources:
  press_20260109: {{outlet: Daily, title: IPO day, published: 2026-01-09, kind: press, rank: 2}}
  rumour_20250601: {{outlet: Blog, title: Rumours, published: 2025-06-01, kind: press_before_prospectus, rank: 4}}
  other_20260110: {{outlet: Weekly, title: Recap, published: 2026-01-10, kind: press, rank: 2}}
facts:
"""
DEFAULT_SEGMENTS = """    consumer: {name: Consumer products, group: business}
    enterprise: {name: Enterprise services, group: business}"""


def write_sheet(folder: Path, facts: str, segments: str = DEFAULT_SEGMENTS, company_id: str = "acme") -> Path:
    """A valid sheet with the given facts block (indented two spaces under ``facts:``)."""
    path = folder / f"{company_id}.yaml"
    path.write_text(SHEET_HEAD.format(id=company_id, segments=segments) + facts, encoding="utf-8")
    return path


def changed_number(segment: Path, column: str, row: int, value: float) -> None:
    """Write ``value`` over row ``row`` of ``column`` in the segment file, leaving its CRC-32."""
    blob = bytearray(segment.read_bytes())
    length = int.from_bytes(blob[8:16], "little")
    header = json.loads(blob[16 : 16 + length])
    [described] = [c for c in header["columns"] if c["name"] == column]
    at = 16 + length + described["offset"] + row * 8
    blob[at : at + 8] = struct.pack("<d", value)
    segment.write_bytes(bytes(blob))
