"""The JSON Schema accepts every sheet the loader accepts, as an editor's YAML 1.2 parser reads it.

An editor (the YAML language server) validates a sheet against `minimetrics schema` after a
YAML 1.2 parse: plain 2019 is a number there, true a boolean, null or ~ null, and a date has no
type of its own (it stays text). The loader reads every scalar as text until a field says
otherwise, so the schema must take each of those readings wherever the loader takes text.
ruamel.yaml (`typ="safe"`) is the YAML 1.2 parser here; it reads dates as dates, which are
turned back into the text an editor would see.
"""

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from minimetrics.authoring import NewCompany, new_sheet
from minimetrics.factsheet import read_sheet
from minimetrics.schema import json_schema

ruamel_yaml = pytest.importorskip("ruamel.yaml", reason="ruamel.yaml (a YAML 1.2 parser) is not installed")
jsonschema = pytest.importorskip("jsonschema")

ROOT = Path(__file__).parent.parent
SHEETS = sorted(p for p in [*ROOT.glob("datasets/*.yaml"), *ROOT.glob("tests/fixtures/*.yaml")] if p.name != "fx.yaml")
VALIDATOR = jsonschema.Draft202012Validator(json_schema())


def _as_an_editor_reads(text: str) -> Any:
    def plain(node: Any) -> Any:
        if isinstance(node, dict):
            return {plain(k) if isinstance(k, date) else str(k): plain(v) for k, v in node.items()}
        if isinstance(node, list):
            return [plain(v) for v in node]
        return node.isoformat() if isinstance(node, date) else node

    return plain(ruamel_yaml.YAML(typ="safe", pure=True).load(text))


def _errors(text: str) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in VALIDATOR.iter_errors(_as_an_editor_reads(text))]


def test_there_are_sheets_to_check() -> None:
    assert {p.name for p in SHEETS} >= {"minimax.yaml", "zhipu.yaml", "alpha.yaml", "beta.yaml", "gamma.yaml"}


@pytest.mark.parametrize("path", SHEETS, ids=lambda p: p.name)
def test_every_shipped_sheet_and_fixture_is_valid_to_an_editor(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert read_sheet(path)[0] is not None
    assert _errors(text) == []


def test_the_skeleton_is_valid_to_an_editor() -> None:
    text = new_sheet(NewCompany("lumen", "Lumen AI", "USD", ticker="LMN.US", founded="2023"))
    assert read_sheet(Path("lumen.yaml"), text.encode("utf-8"))[0] is not None
    assert _errors(text) == []


def test_a_bare_founding_year_is_a_number_to_an_editor_and_valid() -> None:
    # The case that flagged zhipu.yaml: `founded: 2019` is the integer 2019 in YAML 1.2.
    text = (ROOT / "tests" / "fixtures" / "beta.yaml").read_text(encoding="utf-8")
    assert "founded: 2019" in text
    assert _as_an_editor_reads(text)["company"]["founded"] == 2019
    assert _errors(text) == []


def test_the_schema_still_refuses_an_unknown_field() -> None:
    text = (ROOT / "tests" / "fixtures" / "alpha.yaml").read_text(encoding="utf-8")
    assert _errors(text.replace("  name:", "  nmae:", 1))


PLAIN_SCALARS = ["2019", "2024.5", "true", "false", "null", "~", "1e3", "0x1F", "yes", "NO", "12-31", "2025-09-30"]


@pytest.mark.parametrize("field", ["name", "native_name", "outlet", "title", "crosscheck_note"])
@pytest.mark.parametrize("scalar", PLAIN_SCALARS)
def test_text_the_loader_takes_is_valid_to_an_editor(scalar: str, field: str) -> None:
    # A plain scalar a YAML 1.2 parser reads as a number, a boolean, null or a date, written
    # where the loader takes text: the loader reads the sheet, and the schema accepts it.
    text = (ROOT / "tests" / "fixtures" / "alpha.yaml").read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.lstrip().startswith(f"{field}:"))
    indent = lines[at][: len(lines[at]) - len(lines[at].lstrip())]
    lines[at] = f"{indent}{field}: {scalar}\n"
    mutated = "".join(lines)
    assert read_sheet(Path("alpha.yaml"), mutated.encode("utf-8"))[0] is not None
    assert _errors(mutated) == []


def test_a_skeleton_without_ticker_or_founding_is_valid_to_an_editor() -> None:
    # A company that is not listed has no tickers: the schema, like the loader, does not ask for them.
    text = new_sheet(NewCompany("lumen", "Lumen AI", "USD"))
    assert "\n  tickers:" not in text
    assert read_sheet(Path("lumen.yaml"), text.encode("utf-8"))[0] is not None
    assert _errors(text) == []


@pytest.mark.parametrize(
    ("aliases", "refused"),
    [
        ("[Acme Group, 阿克米AI]", False),
        ("[Acme Group, Acme Group]", True),  # listed twice
        (f"[{'A' * 101}]", True),  # 101 characters: one over the loader's limit
        ("[" + ", ".join(f"Acme {n}" for n in range(21)) + "]", True),  # 21: one over
        ("Acme Group", True),  # not a list
    ],
)
def test_the_schema_checks_aliases_as_the_loader_does(aliases: str, refused: bool) -> None:
    text = (ROOT / "tests" / "fixtures" / "alpha.yaml").read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("  native_name:"))
    lines.insert(at + 1, f"  aliases: {aliases}\n")
    mutated = "".join(lines)
    assert (read_sheet(Path("alpha.yaml"), mutated.encode("utf-8"))[0] is None) == refused
    assert bool(_errors(mutated)) == refused
