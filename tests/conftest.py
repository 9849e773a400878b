from pathlib import Path

import pytest

TESTS = Path(__file__).parent
REPO = TESTS.parent


@pytest.fixture(autouse=True)
def _plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test sees a 100-column terminal without colour and the bundled data."""
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("MINIMETRICS_DATA", raising=False)
