"""One small bad file per loader error: the message, its line and column, and no traceback.

Each file in tests/bad/ is a valid sheet but for one fault (fx_*.yaml: the rates file).
"""

import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from minimetrics import cli
from minimetrics.factsheet import read_fx, read_sheet
from minimetrics.problems import printable

BAD = Path(__file__).parent / "bad"

# file stem → (line, column, a fragment of the message, a fragment of the hint)
EXPECTED = {
    "alias_bomb": (2, 7, 'anchor "&a0" is not allowed', "write the value out in full"),
    "anchor_alias": (15, 13, 'anchor "&r" is not allowed', "write the value out in full"),
    "boolean_value": (15, 21, '"true" is a yes/no word, not a number', "write the figure"),
    "burn_wrong_sign": (
        15,
        21,
        "monthly_cash_burn is negative (-2790)",
        "losses and burn are positive numbers: write 2790",
    ),
    "fullwidth_digits": (15, 21, 'a digit that is not ASCII in "３０.５": "３" U+FF13 FULLWIDTH DIGIT THREE', "0-9"),
    "negative_cash": (15, 25, "cash_and_equivalents is negative (-3.6)", "cannot be negative"),
    "unicode_minus": (15, 21, '"−310" starts with a dash that is not a minus sign', "the ASCII hyphen"),
    "comments_only": (1, 1, "the file is empty", "write a fact sheet"),
    "control_character": (15, 78, "character U+0007 is not allowed in YAML", "delete it"),
    "deep_nesting": (15, 84, "nesting deeper than 12 levels", "check the indentation"),
    "duplicate_metric": (16, 3, 'duplicate key "revenue" (first at line 14)', "merge the two entries"),
    "duplicate_nested_key": (16, 5, 'duplicate key "FY2024" (first at line 15)', "merge the two entries"),
    "duplicate_top_key": (16, 1, 'duplicate key "sources" (first at line 11)', "merge the two entries"),
    "empty": (1, 1, "the file is empty", "write a fact sheet"),
    "empty_report_list": (15, 5, "revenue FY2024 has no report", "add a report or remove the period"),
    "empty_segment": (14, 3, '"revenue[]" is not a metric name', "metric[segment]"),
    "flow_at_date": (
        15,
        5,
        'revenue is a flow and needs a duration such as FY2024 or 9M2025, not the date "2025-09-30"',
        "",
    ),
    "huge_number": (15, 21, "1e300 is too large to be a figure", "check the scale"),
    "id_mismatch": (2, 7, 'company id "acme" differs from the file name "id_mismatch"', "rename the file"),
    "infinity": (15, 21, '"-.inf" is not a finite number', "not disclosed"),
    "invalid_date": (12, 62, "no such date: 2026-02-30", "YYYY-MM-DD"),
    "margin_over_100": (15, 21, "gross_margin of 120% is above 100%", "check the figure"),
    "missing_unit": (15, 13, "the revenue report has no unit", "unit: USD million"),
    "mixed_currencies": (15, 5, "revenue FY2024 mixes units: RMB 億, USD million", "a conversion is not a report"),
    "nan": (15, 21, '".nan" is not a finite number', "not disclosed"),
    "negative_loss": (15, 21, "net_loss is negative (-465.2)", "losses and burn are positive numbers: write 465.2"),
    "not_utf8": (15, 79, "byte 0xe9 is not UTF-8", "save the file as UTF-8"),
    "octal": (15, 21, 'leading zero in "010" (YAML 1.1 reads 010 as octal 8)', "write 10"),
    "period_typo": (15, 5, 'unknown period "FY24"; did you mean "FY2024"?', ""),
    "quoted_number": (15, 21, 'a number in quotes: "30.5"', "remove the quotes: 30.5"),
    "second_document": (16, 1, "a second YAML document (---) in the file", "one fact sheet per file"),
    "sexagesimal": (15, 21, '"1:30" looks like a time (YAML 1.1 reads 1:30 as 90)', "decimal"),
    "stock_over_duration": (15, 5, "cash_and_equivalents is a balance at a date", ""),
    "tab_indent": (15, 1, "invalid YAML", "indent with spaces"),
    "tag": (15, 21, 'tag "tag:yaml.org,2002:float" is not allowed', "remove the tag"),
    "thousands_separator": (16, 14, 'thousands separators in "1,234.5"', "write 1234.5"),
    "thousands_separator_flow": (15, 23, '"234.5" after a comma', "write 1234.5"),
    "unclosed_quote": (15, 76, "the quoted text that opens here is not closed", "a quoted string is not closed"),
    "unknown_field": (15, 46, 'unknown field "sorce" in a report', 'did you mean "source"?'),
    "unknown_metric": (14, 3, 'unknown metric "revenu"', 'did you mean "revenue"'),
    "unknown_qualifier": (
        15,
        81,
        'unknown qualifier "roughly"',
        "exact, about, more_than, at_least, less_than, at_most, range",
    ),
    "unknown_segment": (14, 3, 'unknown segment "talky" in revenue[talky]', 'did you mean "talkie"?'),
    "unknown_source": (15, 54, 'unknown source "press_20260110"', 'did you mean "press_20260109"?'),
    "unknown_unit": (15, 33, 'unknown currency "EUR"', "units look like"),
    "utf16": (1, 1, "the file is UTF-16", "save it as UTF-8"),
    "wrong_unit_family": (15, 33, 'revenue is measured in money, not "percent"', ""),
    "yes_no_as_number": (15, 21, '"NO" is a yes/no word, not a number', "write the figure"),
    "two_preferred": (16, 5, "revenue FY2024: 2 reports say preferred_because", "keep preferred_because on one"),
    "range_without_qualifier": (15, 21, "a list of values with no qualifier", "qualifier: range"),
    "range_wrong_qualifier": (15, 88, 'a list of values is a range, not "about"', "qualifier: range"),
    "range_one_value": (15, 21, "a range needs its two ends, low and high", "value: [low, high]"),
    "range_three_ends": (15, 21, "a range has two ends, low and high, not 3", "value: [low, high]"),
    "range_reversed": (15, 21, "a range runs from low to high: 10.6 is not below 9.5", "write value: [9.5, 10.6]"),
    "range_end_not_number": (15, 27, 'a number in quotes: "10.6"', "remove the quotes: 10.6"),
    "event_with_value": (15, 22, "founded is an event with no figure: a report gives no value", "give the date"),
    "founded_twice": (6, 12, "founded is given both here and as facts", "remove company.founded"),
    "unknown_outlook": (15, 78, 'unknown outlook "hope"', "forecast, target, plan, estimate"),
    "outlook_twice": (15, 73, "expected_revenue_growth is a forecast by definition", "remove outlook:"),
    "unknown_period_inferred": (15, 86, 'unknown way of inferring a period "guessed"', "not_stated, from_context"),
    "unknown_published_inferred": (12, 116, 'unknown way of inferring a date "guessed"', "day_missing, kind_changed"),
    "fx_zero_rate": (5, 21, "an exchange rate of 0", "above zero"),
    "fx_pair_twice": (7, 1, "USDRMB FY2024 is given twice, at line 5", "under one pair key"),
    "fx_bad_pair": (4, 3, '"USDEUR" is not a currency pair', "e.g. USDCNY"),
    # Issue 13, second round: years, non-ASCII digits, invisible and control characters, numbers
    # that do not survive reading, figures from before the founding, paths leaving the sources
    # folder, dates written with slashes, quotes left open, text too long for any field.
    "arabic_indic_number": (
        15,
        21,
        'a digit that is not ASCII in "٤٦٥.٢": "٤" U+0664 ARABIC-INDIC DIGIT FO',
        "type digits 0-9",
    ),
    "before_founding": (15, 5, "net_loss FY1920 ends before the company was founded (2021-12-01)", "check the year"),
    "before_founding_facts": (
        16,
        5,
        "net_loss FY1919 ends before the company was founded (2019-06-01)",
        "check the year",
    ),
    "bidi_isolate_outlet": (
        12,
        35,
        'invisible character U+2066 LEFT-TO-RIGHT ISOLATE in "Daily \\u2066x\\u2069"',
        "delete it",
    ),
    "bidi_override_name": (
        3,
        14,
        'invisible character U+202E RIGHT-TO-LEFT OVERRIDE in "Acme\\u202eemca"',
        "delete it",
    ),
    "block_note_two_lines": (19, 13, 'control character U+000A LINE FEED in "one\\ntwo"', "write the text on one line"),
    "byte_order_mark_in_url": (
        12,
        122,
        'invisible character U+FEFF ZERO WIDTH NO-BREAK SPACE in "https://examp',
        "delete it",
    ),
    "carriage_return_outlet": (
        12,
        34,
        'control character U+000D CARRIAGE RETURN in "Daily\\rForged"',
        "write the text on one line",
    ),
    "devanagari_period": (15, 7, 'period "FY२०२४" has a digit that is not ASCII: "२" U+0968 DEVANAGARI D', ""),
    "empty_fact": (14, 13, "net_loss has no periods", "add a period and its report, or remove t"),
    "escape_in_title": (12, 47, 'control character U+001B ESCAPE in "IPO \\x1b[31mday"', "delete it"),
    "fullwidth_founded": (
        6,
        12,
        'founded "２０２１-12" has a digit that is not ASCII: "２" U+FF12 FULLWIDTH ',
        "write e.g. 2021-12",
    ),
    "fullwidth_period": (15, 7, 'period "FY２０２４" has a digit that is not ASCII: "２" U+FF12 FULLWIDTH DI', ""),
    "fullwidth_published": (
        12,
        62,
        'date "２０２６-01-09" has a digit that is not ASCII: "２" U+FF12 FULLWIDTH ',
        "write a real date as YYYY-MM-DD",
    ),
    "fx_fullwidth_rate": (
        5,
        21,
        'a digit that is not ASCII in "７.19": "７" U+FF17 FULLWIDTH DIGIT SEVEN',
        "type digits 0-9",
    ),
    "fx_rate_overflow": (5, 21, "1e400 is too large to be a figure", "check the scale: write 1.5 with unit USD"),
    "fx_tab_in_note": (5, 35, 'control character U+0009 CHARACTER TABULATION in "a\\tb"', "delete it"),
    "fx_year_zero": (
        5,
        5,
        'year 0000 in "0000-06-30" is outside 1900–2100; check the year',
        "write 2026-01-09 or FY2024",
    ),
    "huge_value": (
        12,
        42,
        "a value of 30,000 characters; the longest a sheet may hold is 4,000",
        "shorten it: a fact sheet cites its sourc",
    ),
    "line_separator_note": (
        15,
        81,
        'line separator U+2028 LINE SEPARATOR in "one\\u2028two"',
        "write the text on one line",
    ),
    "long_name": (3, 9, "name is 250 characters long; at most 200", "shorten it: a fact sheet cites its sourc"),
    "long_note": (15, 77, "note is 2,100 characters long; at most 2,000", "shorten it: a fact sheet cites its sourc"),
    "long_title": (12, 42, "title is 600 characters long; at most 500", "shorten it: a fact sheet cites its sourc"),
    "newline_in_key": (
        14,
        12,
        'control character U+000A LINE FEED in "net_loss\\n0 errors, 0 warnings\\n:',
        "write the text on one line",
    ),
    "newline_in_period": (
        15,
        12,
        'control character U+000A LINE FEED in "FY2024\\n::error::x"',
        "write the text on one line",
    ),
    "nul_in_outlet": (12, 32, 'control character U+0000 NULL in "Dai\\x00ly"', "delete it"),
    "overflow_number": (15, 21, "1e400 is too large to be a figure", "check the scale: write 1.5 with unit USD"),
    "private_use_title": (12, 46, 'private-use character U+E000 UNNAMED CHARACTER in "IPO \\ue000day"', "delete it"),
    "slash_date_period": (15, 5, '"2025/09/30" is not a date; write it as YYYY-MM-DD: 2025-09-30', ""),
    "slash_date_published": (
        12,
        62,
        '"2026/01/09" is not a date; write it as YYYY-MM-DD: 2026-01-09',
        "write a real date as YYYY-MM-DD",
    ),
    "source_file_absolute": (
        12,
        102,
        'file "/etc/passwd" is not a path inside the sources folder',
        "write a relative path with / and no .. s",
    ),
    "source_file_backslash": (
        12,
        102,
        'file "articles\\..\\x.txt" is not a path inside the sources folder',
        "write a relative path with / and no .. s",
    ),
    "source_file_parent": (
        12,
        102,
        'file "../../etc/passwd" is not a path inside the sources folder',
        "write a relative path with / and no .. s",
    ),
    "tiny_number": (15, 21, "4.652e-12 is too small to be a figure", "check the exponent and the scale: write "),
    "unclosed_quote_early": (
        3,
        9,
        "invalid YAML: the quoted text that opens here is not closed",
        "a quoted string is not closed: end it wi",
    ),
    "underflow_number": (
        15,
        21,
        "1e-400 is too small to be a figure (it would be read as 0)",
        "check the exponent and the scale: write ",
    ),
    "year_before_1900": (15, 5, 'year 1899 in "H1-1899" is outside 1900–2100; check the year', ""),
    "year_far_published": (
        12,
        62,
        'year 2205 in "2205-06-30" is outside 1900–2100; check the year',
        "write a real date as YYYY-MM-DD",
    ),
    "year_interval_end": (15, 5, '"2022-01-01/0000-01-01": year 0000 in "0000-01-01" is outside 1900–210', ""),
    "year_zero": (15, 5, 'year 0000 in "FY0000" is outside 1900–2100; check the year', ""),
    "year_zero_month": (15, 5, 'year 0000 in "0000-06" is outside 1900–2100; check the year', ""),
    "zero_width_joiner_source": (
        15,
        70,
        'invisible character U+200D ZERO WIDTH JOINER in "press_20260109\\u200d"',
        "delete it",
    ),
    "zero_width_key": (14, 11, 'invisible character U+200B ZERO WIDTH SPACE in "net_loss\\u200b"', "delete it"),
    "zero_width_note": (15, 79, 'invisible character U+200B ZERO WIDTH SPACE in "a\\u200bb"', "delete it"),
}


# file stem → (line, a fragment of the warning): the file loads; validate exits 0, or 1 with --strict.
WARNINGS = {
    "bom": (1, "the file starts with a byte-order mark"),
    "cash_far_from_burn": (
        15,
        "the latest cash balance (cash_and_equivalents 2025-09-30) is 33 months from every period",
    ),
    "future_period": (15, "revenue FY2030 ends after the as-of date 2026-11-24"),
    "fx_inverted": (5, "USDRMB at 0.1404 is outside 6 to 7.5"),
    "percent_as_fraction": (16, "gross_margin FY2024 is 0.563 beside 54.6: a fraction among percentages?"),
    "preferred_without_conflict": (16, "revenue FY2024: preferred_because, but the reports agree"),
    "unresolved_conflict": (
        16,
        "revenue FY2024: sources of equal rank disagree (30.5 USD million [press_20260109] vs 45 USD million"
        " [wire_20260110]) and no report is chosen",
    ),
}


def test_every_bad_file_has_an_expectation() -> None:
    on_disk = {p.stem for p in BAD.glob("*.yaml")}
    assert on_disk == set(EXPECTED) | set(WARNINGS)
    assert len(on_disk) >= 40


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_bad_file_is_refused_with_its_line(stem: str) -> None:
    path = BAD / f"{stem}.yaml"
    line, column, message, hint = EXPECTED[stem]
    reader = read_fx if stem.startswith("fx_") else read_sheet
    result, problems = reader(path)
    assert result is None, "a file with errors must not load"
    errors = [p for p in problems if p.is_error]
    assert errors, "expected at least one error"
    first = errors[0]
    assert (first.line, first.column) == (line, column), str(first)
    assert message in first.message
    assert hint in first.hint
    assert str(first).startswith(f"{path}:{line}:{column}: error: ")


def _as_given(stem: str, tmp_path: Path) -> str:
    """The corpus file's path; a rates file is only read as such under the name fx.yaml."""
    if not stem.startswith("fx_"):
        return str(BAD / f"{stem}.yaml")
    shutil.copy(BAD / f"{stem}.yaml", tmp_path / "fx.yaml")
    return str(tmp_path / "fx.yaml")


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_validate_exits_1_naming_file_line_and_column(stem: str, tmp_path: Path) -> None:
    line, column, message, _ = EXPECTED[stem]
    path = _as_given(stem, tmp_path)
    result = CliRunner().invoke(cli.app, ["validate", path])
    assert result.exit_code == cli.EXIT_DATA
    # stderr shows sheet text with every non-printable character escaped (Problem.__str__)
    assert f"{path}:{line}:{column}: error: " in result.stderr and printable(message) in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


@pytest.mark.parametrize("stem", sorted(WARNINGS))
def test_warnings_pass_unless_strict(stem: str, tmp_path: Path) -> None:
    line, message = WARNINGS[stem]
    path = _as_given(stem, tmp_path)
    relaxed = CliRunner().invoke(cli.app, ["validate", "--as-of", "2026-11-24", path])
    strict = CliRunner().invoke(cli.app, ["validate", "--as-of", "2026-11-24", "--strict", path])
    assert relaxed.exit_code == cli.EXIT_OK and strict.exit_code == cli.EXIT_DATA
    assert f"{path}:{line}:" in strict.stderr and f"warning: {message}" in strict.stderr


@pytest.mark.parametrize("device", ["/dev/null", "/dev/zero"])
def test_a_link_to_a_device_is_refused_without_reading_it(tmp_path: Path, device: str) -> None:
    # /dev/zero never ends: reading it would hang. The folder scan must name it, not skip it.
    shutil.copy(Path(__file__).parent.parent / "datasets" / "zhipu.yaml", tmp_path / "zhipu.yaml")
    (tmp_path / "odd.yaml").symlink_to(device)
    for args in (["validate", str(tmp_path / "odd.yaml")], ["list", "--data-dir", str(tmp_path)]):
        result = CliRunner().invoke(cli.app, args)
        assert result.exit_code == cli.EXIT_DATA
        assert "odd.yaml is a link to something that is not a regular file" in result.stderr


def test_inverted_rate_is_a_warning_with_the_inverse() -> None:
    # 1 / 0.1404 = 7.1225 (to 4 decimals), within the plausible USD/CNY range 6 to 7.5.
    table, problems = read_fx(BAD / "fx_inverted.yaml")
    assert table is not None
    assert [p.severity.value for p in problems] == ["warning"]
    assert "write 7.1225" in problems[0].hint


def test_every_error_in_a_file_is_reported_at_once(tmp_path: Path) -> None:
    text = (BAD / "unknown_unit.yaml").read_text(encoding="utf-8")
    text = text.replace("revenue:", "revenu:").replace("fiscal_year_end: 12-31", "fiscal_year_end: 13-31")
    text += "  net_loss:\n    FY2024: {value: -3, unit: USD million, source: press_20260109}\n"
    path = tmp_path / "unknown_unit.yaml"
    path.write_text(text, encoding="utf-8")
    messages = [p.message for p in read_sheet(path)[1] if p.is_error]
    assert len(messages) == 3, messages
    assert any("fiscal_year_end" in m for m in messages)
    assert any('unknown metric "revenu"' in m for m in messages)
    assert any("net_loss is negative" in m for m in messages)


def test_alias_bomb_is_refused_without_expanding(tmp_path: Path) -> None:
    # Nine levels of nine aliases would expand to 9**9 (387 million) nodes if followed.
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    sheet, problems = read_sheet(path)
    assert sheet is None
    assert any("alias" in p.message for p in problems)
    assert len(problems) < 200


def test_too_large_file(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"# padding\n" * 200_000)
    sheet, problems = read_sheet(path)
    assert sheet is None
    assert "larger than 1,000,000 bytes" in problems[0].message


def test_an_unreadable_sheet_is_a_problem_not_a_crash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests may run as root, which reads anything: the refusal is simulated at open().
    sheet = tmp_path / "acme.yaml"
    shutil.copy(BAD / "negative_loss.yaml", sheet)
    real_open = Path.open

    def refuse(self: Path, *args: Any, **kwargs: Any) -> Any:  # Path.open's many overloads, passed through
        if self == sheet:
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    for args in (["validate", str(sheet)], ["list", "--data-dir", str(tmp_path)]):
        result = CliRunner().invoke(cli.app, args)
        assert result.exit_code == 1, result.stderr
        assert f"{sheet}: error: cannot read acme.yaml: Permission denied — check its permissions" in result.stderr
