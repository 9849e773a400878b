"""The company block: tickers (none for a company that is not listed) and aliases (other names
the sources use), each refusal with its line, column and message."""

from pathlib import Path

import pytest

from minimetrics.factsheet import MAX_ALIASES, FactSheet, fold_name, name_clashes, read_sheet
from minimetrics.problems import Problem

HEAD = """company:
  id: {id}
  name: {name}
  native_name: 阿克米
"""
TAIL = """  currency: USD
  fiscal_year_end: 12-31
sources:
  daily_20260109: {outlet: Daily, title: IPO day, published: 2026-01-09, kind: press, rank: 2}
facts:
  revenue:
    FY2024: {value: 30.5, unit: USD million, source: daily_20260109}
"""


def _read(lines: str, company_id: str = "acme", name: str = "Acme") -> tuple[FactSheet | None, list[Problem]]:
    """A sheet whose company block holds ``lines`` (each indented two spaces) after the
    native name, on line 5 onwards."""
    text = HEAD.format(id=company_id, name=name) + lines + TAIL
    return read_sheet(Path(f"{company_id}.yaml"), text.encode("utf-8"))


def _sheet(lines: str, company_id: str = "acme", name: str = "Acme") -> FactSheet:
    sheet, problems = _read(lines, company_id, name)
    assert sheet is not None and problems == [], [str(p) for p in problems]
    return sheet


def _only(lines: str) -> tuple[int, int, str, str]:
    sheet, problems = _read(lines)
    assert sheet is None and len(problems) == 1, [str(p) for p in problems]
    problem = problems[0]
    return problem.line, problem.column, problem.message, problem.hint


# --- tickers ---------------------------------------------------------------------------------


def test_a_company_that_is_not_listed_has_no_tickers() -> None:
    assert _sheet("").company.tickers == ()


def test_tickers_are_read_as_written() -> None:
    assert _sheet('  tickers: ["00001.HK", "ACME.US"]\n').company.tickers == ("00001.HK", "ACME.US")


def test_an_empty_list_of_tickers_is_refused() -> None:
    assert _only("  tickers: []\n") == (
        5,
        12,
        "tickers is an empty list",
        "leave tickers out for a company that is not listed",
    )


def test_a_ticker_that_is_not_symbol_dot_exchange_is_refused() -> None:
    assert _only("  tickers: [ACME]\n")[2:] == ('ticker "ACME" is not SYMBOL.EXCHANGE', 'write it like "00100.HK"')


# --- aliases ---------------------------------------------------------------------------------


def test_aliases_are_read_as_written() -> None:
    sheet = _sheet("  aliases: [阿克米AI, Acme Group]\n")
    assert sheet.company.aliases == ("阿克米AI", "Acme Group")
    assert sheet.company.aliases_line == 5


def test_aliases_must_be_a_list() -> None:
    assert _only("  aliases: Acme Group\n") == (5, 12, "aliases must be a list", "write aliases: [智譜, 智谱]")


def test_an_empty_alias_is_refused() -> None:
    # Column 25: two spaces, "aliases: " (9), "[" at 12, "Acme Group" 13–22, ", " 23–24.
    assert _only('  aliases: [Acme Group, ""]\n')[:3] == (5, 25, "the value is missing")


def test_an_alias_listed_twice_is_refused_as_a_lookup_compares_names() -> None:
    # Ａｃｍｅ　ＧＲＯＵＰ (full-width) folds to "acme group" (NFKC, then case-folded).
    line, column, message, hint = _only("  aliases: [Acme Group, Ａｃｍｅ　ＧＲＯＵＰ]\n")
    assert (line, column) == (5, 25)  # the second item, as above
    # The ideographic space is not printable: the message shows it escaped.
    assert (message, hint) == ('alias "Ａｃｍｅ\\u3000ＧＲＯＵＰ" repeats "Acme Group"', "list each alias once")


@pytest.mark.parametrize(
    ("alias", "what"),
    [("acme", "id"), ("ACME", "id"), ("阿克米", "native_name"), ("00001.HK", "ticker")],
)
def test_an_alias_that_is_one_of_the_companys_own_names_is_refused(alias: str, what: str) -> None:
    # The name "Acme" folds to "acme", like the id: the id is named (it comes first).
    _, _, message, hint = _only(f'  tickers: ["00001.HK"]\n  aliases: ["{alias}"]\n')
    assert message == f'alias "{alias}" is the company\'s {what}'
    assert hint == "remove it: the lookup finds it already"


def test_an_alias_longer_than_100_characters_is_refused() -> None:
    # 101 characters: one over the limit; 100 is accepted.
    assert _sheet(f"  aliases: [{'A' * 100}]\n").company.aliases == ("A" * 100,)
    _, _, message, _ = _only(f"  aliases: [{'A' * 101}]\n")
    assert message == "alias is 101 characters long; at most 100"


def test_more_than_twenty_aliases_are_refused() -> None:
    names = ", ".join(f"Acme {n}" for n in range(MAX_ALIASES + 1))  # Acme 0 … Acme 20: 21 names
    assert MAX_ALIASES == 20
    assert _only(f"  aliases: [{names}]\n")[:3] == (5, 12, "21 aliases; at most 20")


@pytest.mark.parametrize(
    ("written", "character"),
    [(r'"Acme\x1b[31m"', "ESC"), (r'"Acme\u200bAI"', "zero-width space"), (r'"Acme\u202eIA"', "bidi override")],
)
def test_an_alias_with_a_control_or_invisible_character_is_refused(written: str, character: str) -> None:
    # The reader refuses such characters in any value; an alias is no exception.
    sheet, problems = _read(f"  aliases: [{written}]\n")
    assert sheet is None, character
    assert [p.line for p in problems if p.is_error] == [5], character


def test_fold_name_compares_as_the_lookup_does() -> None:
    assert fold_name(" Zhipu ") == fold_name("ZHIPU") == "zhipu"
    assert fold_name("智譜AI") != fold_name("智谱AI")  # traditional and simplified stay apart


# --- across sheets ---------------------------------------------------------------------------


def test_an_alias_that_is_another_companys_id_is_a_clash() -> None:
    # acme's alias "BETA" folds to beta's id; beta's alias "Gamma Labs" is nobody else's.
    acme = _sheet("  aliases: [BETA, Acme Group]\n")
    beta = _sheet("  aliases: [Gamma Labs]\n", company_id="beta", name="Beta Corp")
    clashes = name_clashes([acme, beta])
    assert [(p.path, p.line, p.message) for p in clashes] == [
        (Path("acme.yaml"), 5, 'alias "BETA" of acme is also a name of beta'),
    ]
    assert clashes[0].hint == "an alias must name one company; remove it from one of the sheets"


def test_two_companies_with_one_alias_clash_both_ways() -> None:
    acme = _sheet("  aliases: [Lab One]\n")
    beta = _sheet("  aliases: [LAB ONE]\n", company_id="beta", name="Beta")
    assert [(Path(p.path).name, p.message) for p in name_clashes([acme, beta])] == [
        ("acme.yaml", 'alias "Lab One" of acme is also a name of beta'),
        ("beta.yaml", 'alias "LAB ONE" of beta is also a name of acme'),
    ]


def test_the_shipped_aliases_name_one_company_each() -> None:
    root = Path(__file__).parent.parent / "datasets"
    sheets = [read_sheet(root / f"{name}.yaml")[0] for name in ("minimax", "zhipu")]
    assert all(sheets)
    assert name_clashes([s for s in sheets if s is not None]) == []


@pytest.mark.parametrize("name", ["Zhipu AI", "zhipu ai", "Knowledge Atlas", "智譜AI", "智谱"])
def test_the_names_the_sources_use_for_zhipu_find_it(name: str) -> None:
    # 智譜AI (articles) in Latin letters, and Longbridge's "$KNOWLEDGE ATLAS(02513.HK)" (public_facts.csv).
    from minimetrics.api import find_company, load_data

    assert find_company(load_data(), name).company.id == "zhipu"
