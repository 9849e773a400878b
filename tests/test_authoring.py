"""Writing sheets: the skeleton, one more source or figure, an import, atomic writes.

Every edit is checked as a diff of lines: the lines it removes and the lines it adds are
stated in full, so any other byte that changed fails the test.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from minimetrics.authoring import (
    CSV_UNIT_KINDS,
    SCHEMA_LINE,
    NewCompany,
    NewReport,
    NewSource,
    add_report,
    add_source,
    import_rows,
    new_sheet,
    write_atomically,
    write_plan,
)
from minimetrics.factsheet import read_sheet
from minimetrics.problems import FactSheetError, UsageError

REPO = Path(__file__).parent.parent

ACME = """\
# yaml-language-server: $schema=./factsheet.schema.json
# Acme: a fixture in the layouts the shipped sheets use.

company:
  id: acme
  name: Acme
  native_name: 阿克米
  tickers: ["00001.HK"]
  founded: 2021-12
  currency: USD
  fiscal_year_end: 12-31
  segments:
    consumer: {name: Consumer products, group: business}
    enterprise: {name: Enterprise services, group: business}

sources:
  daily_20260109:
    outlet: Daily 日報
    title: IPO day
    published: 2026-01-09
    kind: press
    rank: 2
  weekly_20260110:  # a comment on a source
    outlet: Weekly
    title: Recap
    published: 2026-01-10
    url: https://weekly.example/recap
    kind: press
    rank: 2

facts:
  # --- Income statement ---
  revenue:
    FY2023: {value: 10.5, unit: USD million, source: daily_20260109}  # as written
    FY2024:
      - {value: 30.52, unit: USD million, source: daily_20260109}
      - {value: 30.5, unit: USD million, source: weekly_20260110}
  revenue[consumer]:
    FY2024:
      value: 12
      unit: USD million
      source: weekly_20260110
      note: "block style, with a comment inside"
      # a reviewer's comment inside the report
  net_loss:
    FY2024: {value: 465.2, unit: USD million, source: daily_20260109}

  # --- Market ---
  market_cap:
    2026-01-09: {value: 100, unit: HKD 億, source: daily_20260109}
    2026-01-12: {value: 120, unit: HKD 億, source: weekly_20260110}
"""
PATH = Path("acme.yaml")
DAILY = "daily_20260109"


def changes(before: str, after: str) -> list[tuple[int, list[str], list[str]]]:
    """Each changed stretch: the 1-based line in ``before`` where it starts, the lines
    removed and the lines added. Every line not listed here is byte-identical."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    return [(i1 + 1, old[i1:i2], new[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


def clean(text: str, path: Path = PATH) -> bool:
    sheet, problems = read_sheet(path, text.encode("utf-8"))
    return sheet is not None and not problems


def test_the_fixture_is_clean() -> None:
    assert clean(ACME)


# --- new_sheet ---------------------------------------------------------------------------


def test_the_skeleton_validates_clean_and_names_the_schema() -> None:
    text = new_sheet(NewCompany("lumen", "Lumen AI", "USD", ticker="LMN.US", founded="2023-04"))
    assert text.splitlines()[0] == SCHEMA_LINE == "# yaml-language-server: $schema=./factsheet.schema.json"
    sheet, problems = read_sheet(Path("lumen.yaml"), text.encode("utf-8"))
    assert problems == []
    assert sheet is not None
    assert (sheet.company.id, sheet.company.name, sheet.company.native_name) == ("lumen", "Lumen AI", "Lumen AI")
    assert (sheet.company.tickers, sheet.company.founded, sheet.company.currency) == (("LMN.US",), "2023-04", "USD")
    assert (sheet.sources, sheet.facts) == ((), ())


def test_the_skeleton_takes_a_fiscal_year_end_and_a_currency_alias() -> None:
    text = new_sheet(NewCompany("lumen", "Lumen", "CNY", fiscal_year_end="03-31", ticker="00001.HK", founded="2019"))
    sheet, _ = read_sheet(Path("lumen.yaml"), text.encode("utf-8"))
    assert sheet is not None
    assert (sheet.company.currency, sheet.company.fiscal_year_end_month) == ("RMB", 3)


def test_a_skeleton_without_ticker_or_founded_validates() -> None:
    # An unlisted company has no ticker; the founding date may be unknown: both lines stay
    # commented out, and the sheet reads clean with no tickers and no founding date.
    text = new_sheet(NewCompany("lumen", "Lumen", "USD"))
    assert clean(text, Path("lumen.yaml"))
    sheet, _ = read_sheet(Path("lumen.yaml"), text.encode("utf-8"))
    assert sheet is not None
    assert (sheet.company.tickers, sheet.company.founded) == ((), "")


@pytest.mark.parametrize(
    ("args", "message", "hint"),
    [
        (("Lumen", "Lumen", "USD"), 'company id "Lumen" is not a lowercase slug', "use a-z"),
        (("lumen", "Lumen", "USDD"), 'unknown currency "USDD"', 'did you mean "USD"?'),
        (("lumen", "Lumen", "USD", "13-31"), 'fiscal_year_end "13-31" is not MM-DD', "write e.g. 12-31"),
        (("lumen", "Lumen", "USD", "12-31", "LMN"), 'ticker "LMN" is not SYMBOL.EXCHANGE', "00100.HK"),
    ],
)
def test_a_bad_skeleton_is_refused(args: tuple[str, ...], message: str, hint: str) -> None:
    with pytest.raises(UsageError) as raised:
        new_sheet(NewCompany(*args))
    assert raised.value.message == message
    assert hint in raised.value.hint


def test_a_source_and_a_figure_fill_the_skeleton() -> None:
    text = new_sheet(NewCompany("lumen", "Lumen", "USD", ticker="LMN.US", founded="2023"))
    path = Path("lumen.yaml")
    with_source = add_source(text, path, NewSource("caixin_20260301", "Caixin", "Lumen files for IPO", "2026-03-01"))
    assert changes(text, with_source) == [
        (
            22,
            ["sources: {}\n"],
            [
                "sources:\n",
                "  caixin_20260301:\n",
                "    outlet: Caixin\n",
                "    title: Lumen files for IPO\n",
                "    published: 2026-03-01\n",
                "    kind: press\n",
                "    rank: 2\n",  # DEFAULT_RANK["press"]
            ],
        )
    ]
    done = add_report(with_source, path, NewReport("revenue", "FY2025", "12.5", "USD million", "caixin_20260301"))
    assert changes(with_source, done) == [
        (
            31,
            ["facts: {}\n"],
            ["facts:\n", "  revenue:\n", "    FY2025: {value: 12.5, unit: USD million, source: caixin_20260301}\n"],
        )
    ]
    assert clean(done, path)


# --- add_report: where the figure goes -------------------------------------------------------


def test_a_new_period_goes_after_the_last_when_periods_are_in_date_order() -> None:
    after = add_report(ACME, PATH, NewReport("revenue", "FY2025", "41", "USD million", DAILY))
    assert changes(ACME, after) == [(38, [], ["    FY2025: {value: 41, unit: USD million, source: daily_20260109}\n"])]
    assert clean(after)


def test_a_new_date_goes_between_the_dates_around_it() -> None:
    after = add_report(ACME, PATH, NewReport("market_cap", "2026-01-10", "110", "HKD 億", DAILY, qualifier="about"))
    assert changes(ACME, after) == [
        (51, [], ["    2026-01-10: {value: 110, unit: HKD 億, source: daily_20260109, qualifier: about}\n"])
    ]


def test_a_second_report_turns_one_report_into_a_list_keeping_its_comment() -> None:
    after = add_report(
        ACME, PATH, NewReport("revenue", "FY2023", "10.5", "USD million", "weekly_20260110", note="same, rounded")
    )
    assert changes(ACME, after) == [
        (
            34,
            ["    FY2023: {value: 10.5, unit: USD million, source: daily_20260109}  # as written\n"],
            [
                "    FY2023:  # as written\n",
                "      - {value: 10.5, unit: USD million, source: daily_20260109}\n",
                '      - {value: 10.5, unit: USD million, source: weekly_20260110, note: "same, rounded"}\n',
            ],
        )
    ]
    sheet, _ = read_sheet(PATH, after.encode("utf-8"))
    assert sheet is not None
    fact = sheet.fact("revenue", "FY2023")
    assert fact is not None and [r.source for r in fact.reports] == [DAILY, "weekly_20260110"]


def test_a_third_report_goes_at_the_end_of_the_list() -> None:
    unit = "USD 億"  # 0.305億 = 30.5 million: agrees with both
    after = add_report(ACME, PATH, NewReport("revenue", "FY2024", "0.305", unit, DAILY))
    assert changes(ACME, after) == [(38, [], ["      - {value: 0.305, unit: USD 億, source: daily_20260109}\n"])]


def test_a_block_report_becomes_the_first_item_its_lines_shifted_by_two() -> None:
    after = add_report(ACME, PATH, NewReport("revenue", "FY2024", "12", "USD million", DAILY, segment="consumer"))
    assert changes(ACME, after) == [
        (
            40,
            [
                "      value: 12\n",
                "      unit: USD million\n",
                "      source: weekly_20260110\n",
                '      note: "block style, with a comment inside"\n',
                "      # a reviewer's comment inside the report\n",
            ],
            [
                "      - value: 12\n",
                "        unit: USD million\n",
                "        source: weekly_20260110\n",
                '        note: "block style, with a comment inside"\n',
                "        # a reviewer's comment inside the report\n",
                "      - {value: 12, unit: USD million, source: daily_20260109}\n",
            ],
        )
    ]


def test_a_new_metric_goes_beside_its_nearest_neighbour_in_the_registry() -> None:
    # Registry order: revenue 0, gross_margin 3, net_loss 5: net_loss is nearer, so above it.
    after = add_report(ACME, PATH, NewReport("gross_margin", "FY2024", "56.3", "percent", DAILY))
    assert changes(ACME, after) == [
        (45, [], ["  gross_margin:\n", "    FY2024: {value: 56.3, unit: percent, source: daily_20260109}\n"])
    ]
    # cash_and_equivalents 25: net_loss (5) is nearer than market_cap (75), so after net_loss,
    # before the blank line and the "Market" heading.
    after = add_report(ACME, PATH, NewReport("cash_and_equivalents", "2025-06-30", "1.1", "USD 億", DAILY))
    assert changes(ACME, after) == [
        (
            47,
            [],
            ["  cash_and_equivalents:\n", "    2025-06-30: {value: 1.1, unit: USD 億, source: daily_20260109}\n"],
        )
    ]


def test_a_new_segment_goes_after_the_metric_s_last_segment_and_its_comments() -> None:
    after = add_report(ACME, PATH, NewReport("revenue[enterprise]", "FY2024", "18.5", "USD million", DAILY))
    assert changes(ACME, after) == [
        (
            45,
            [],
            ["  revenue[enterprise]:\n", "    FY2024: {value: 18.5, unit: USD million, source: daily_20260109}\n"],
        )
    ]


def test_every_comment_and_untouched_line_of_the_shipped_sheets_is_kept() -> None:
    for path in sorted((REPO / "datasets").glob("*.yaml")):
        if path.name == "fx.yaml":
            continue
        text = path.read_text(encoding="utf-8")
        sheet, _ = read_sheet(path, text.encode("utf-8"))
        assert sheet is not None
        source = sheet.sources[0].id
        after = add_report(text, path, NewReport("employees", "2027-01-01", "5", "count", source, note="a test figure"))
        [(_, removed, added)] = changes(text, after)
        assert removed == []
        assert [line.strip() for line in added][-1].startswith("2027-01-01: {value: 5, unit: count")
        assert read_sheet(path, after.encode("utf-8"))[0] is not None


def test_crlf_line_endings_are_kept() -> None:
    text = ACME.replace("\n", "\r\n")
    after = add_report(text, PATH, NewReport("revenue", "FY2025", "41", "USD million", DAILY))
    assert changes(text, after) == [
        (38, [], ["    FY2025: {value: 41, unit: USD million, source: daily_20260109}\r\n"])
    ]


# --- add_report: what it refuses -------------------------------------------------------------


@pytest.mark.parametrize(
    ("figure", "message", "hint"),
    [
        (("revenu", "FY2024", "1", "USD million", DAILY), 'unknown metric "revenu"', 'did you mean "revenue"'),
        (("revenue", "FY24", "1", "USD million", DAILY), 'unknown period "FY24"', 'did you mean "FY2024"?'),
        (("revenue", "FY2024", "1", "UST million", DAILY), 'unknown currency "UST"', 'did you mean "USD"?'),
        (("revenue", "FY2024", "1", "USD million", "daily_2026019"), 'unknown source "daily_2026019"', DAILY),
        (("revenue[consumr]", "FY2024", "1", "USD million", DAILY), 'unknown segment "consumr"', '"consumer"'),
        (("revenue", "FY2024", "1,000", "USD million", DAILY), 'thousands separators in "1,000"', "write 1000"),
        (("revenue", "FY2024", "1", "", DAILY), "the figure 1 has no unit", "USD million"),
        (("revenue", "FY2024", "1", "percent", DAILY), 'revenue is measured in money, not "percent"', "units"),
        (("revenue", "2024-12-31", "1", "USD million", DAILY), "revenue is a flow and needs a duration", ""),
        (("net_loss", "FY2023", "-5", "USD million", DAILY), "net_loss is negative (-5)", "write 5"),
        (("revenue", "FY2023", "10.5", "USD million", DAILY), "revenue FY2023 from daily_20260109 is already", ""),
    ],
)
def test_a_bad_figure_is_refused(figure: tuple[str, str, str, str, str], message: str, hint: str) -> None:
    with pytest.raises(UsageError) as raised:
        add_report(ACME, PATH, NewReport(*figure))
    assert raised.value.message.startswith(message)
    assert hint in raised.value.hint


def test_an_unknown_qualifier_is_refused_with_a_suggestion() -> None:
    with pytest.raises(UsageError, match='did you mean "about"'):
        add_report(ACME, PATH, NewReport("revenue", "FY2025", "1", "USD million", DAILY, qualifier="abuot"))


def test_a_sheet_with_errors_is_refused_with_every_error() -> None:
    broken = ACME.replace("  net_loss:", "  net_los:").replace("2026-01-12:", "2026-01-32:")
    with pytest.raises(FactSheetError) as raised:
        add_report(broken, PATH, NewReport("revenue", "FY2025", "1", "USD million", DAILY))
    assert [(p.line, p.message) for p in raised.value.problems] == [
        (45, 'unknown metric "net_los"'),
        (51, "no such date: 2026-01-32 (day is out of range for month)"),
    ]


def test_a_conflicting_figure_is_added_and_shows_as_a_conflict() -> None:
    # 35 disagrees with 30.52 (30.515 to 30.525) from a source of the same rank, 2.
    after = add_report(ACME, PATH, NewReport("revenue", "FY2024", "35", "USD million", "weekly_20260110"))
    sheet, problems = read_sheet(PATH, after.encode("utf-8"))
    assert sheet is not None
    fact = sheet.fact("revenue", "FY2024")
    assert fact is not None and fact.conflict and fact.unresolved
    assert [p.message for p in problems] == [
        "revenue FY2024: sources of equal rank disagree (30.52 USD million [daily_20260109] vs "
        "35 USD million [weekly_20260110]) and no report is chosen"
    ]


# --- add_source ---------------------------------------------------------------------------------


def test_a_source_goes_after_the_last_one_in_the_sheet_s_own_indentation() -> None:
    source = NewSource(
        "caixin_20260301",
        "Caixin 財新",
        "Acme: the numbers",
        "2026-03-01",
        url="https://caixin.example/a",
        kind="prospectus",
    )
    after = add_source(ACME, PATH, source)
    assert changes(ACME, after) == [
        (
            30,
            [],
            [
                "  caixin_20260301:\n",
                "    outlet: Caixin 財新\n",
                '    title: "Acme: the numbers"\n',  # ": " would end a plain scalar
                "    published: 2026-03-01\n",
                "    url: https://caixin.example/a\n",
                "    kind: prospectus\n",
                "    rank: 1\n",  # DEFAULT_RANK["prospectus"]
            ],
        )
    ]
    sheet, problems = read_sheet(PATH, after.encode("utf-8"))
    assert sheet is not None and sheet.source("caixin_20260301").title == "Acme: the numbers"
    assert [p.message for p in problems] == ['source "caixin_20260301" is not cited']  # a warning


@pytest.mark.parametrize(
    ("changes_", "message", "hint"),
    [
        ({"id": DAILY}, f'source "{DAILY}" already exists (line 17)', "cite it"),
        ({"url": "https://weekly.example/recap"}, 'is already source "weekly_20260110"', "--source weekly_20260110"),
        ({"published": "2026-02-30"}, "no such date: 2026-02-30", "YYYY-MM-DD"),
        ({"kind": "pres"}, 'unknown source kind "pres"', 'did you mean "press"'),
        ({"rank": 0}, "rank 0 is not from 1 to 9", ""),
        ({"url": "caixin.example"}, '"caixin.example" is not a web address', "https://"),
        ({"id": "Caixin"}, 'source id "Caixin" is not a lowercase slug', ""),
    ],
)
def test_a_bad_source_is_refused(changes_: dict[str, object], message: str, hint: str) -> None:
    given: dict[str, object] = {
        "id": "caixin_20260301",
        "outlet": "Caixin",
        "title": "T",
        "published": "2026-03-01",
        "url": "",
        "rank": None,
        "kind": "press",
    }
    given.update(changes_)
    with pytest.raises(UsageError) as raised:
        add_source(ACME, PATH, NewSource(**given))  # type: ignore[arg-type]
    assert message in raised.value.message
    assert hint in raised.value.hint


# --- write_atomically -----------------------------------------------------------------------------


def test_write_atomically_replaces_the_file_and_keeps_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    path.write_text("old\n", encoding="utf-8")
    path.chmod(0o640)
    write_atomically(path, ACME)
    assert path.read_text(encoding="utf-8") == ACME
    assert path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["acme.yaml"]


@pytest.mark.parametrize("failure", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_a_write_that_fails_midway_leaves_the_old_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: BaseException
) -> None:
    path = tmp_path / "acme.yaml"
    path.write_text(ACME, encoding="utf-8")
    written: list[int] = []

    def fail(handle: int) -> None:  # the bytes are in the temporary file; the disk is full
        written.append(handle)
        raise failure

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(type(failure)):
        write_atomically(path, "half")
    assert written  # it failed after writing, before the rename
    assert path.read_text(encoding="utf-8") == ACME
    assert [p.name for p in tmp_path.iterdir()] == ["acme.yaml"]


# --- import_rows -------------------------------------------------------------------------------------

HEADER = "company,metric,period,value,unit,currency,scale,source_url,outlet,published,reliability,quote,note\n"


def test_an_import_maps_every_row_and_reuses_sources_by_url(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    path.write_text(ACME, encoding="utf-8")
    table = HEADER + (
        # line 2: a new source (no URL in the sheet): id from the outlet's first word and the day
        "Acme,revenue,H1-2025,19.1,amount,USD,million,https://caixin.example/a,Caixin 財新,2026-03-01,high,…,\n"
        # line 3: the same URL again: the same new source
        "ACME,gross_margin,H1-2025,50,percent,,1,https://caixin.example/a,Caixin 財新,2026-03-01,high,…,\n"
        # line 4: the weekly's URL: its id, and the sheet already has this figure (120億 = 12000 million)
        "阿克米,market_cap,2026-01-12,12000,amount,HKD,million,https://weekly.example/recap,Weekly,2026-01-10,"
        "medium,…,\n"
        # line 5: a new report from an existing source, with a note
        "acme,shares_outstanding,2026-01-12,309.26,shares,,million,https://weekly.example/recap,Weekly,2026-01-10,"
        'medium,…,"all classes, after listing"\n'
    )
    plan = import_rows(table, {path: ACME}, file="facts.csv")
    assert plan.unmapped == ()
    assert [(s.id, s.rank, s.line, s.url) for s in plan.sources] == [
        ("caixin_20260301", 2, 2, "https://caixin.example/a")  # reliability high: rank 2
    ]
    assert [(r.line, r.key, r.period, r.unit, r.source, r.present) for r in plan.reports] == [
        (2, "revenue", "H1-2025", "USD million", "caixin_20260301", False),
        (3, "gross_margin", "H1-2025", "percent", "caixin_20260301", False),
        (4, "market_cap", "2026-01-12", "HKD million", "weekly_20260110", True),
        (5, "shares_outstanding", "2026-01-12", "count million", "weekly_20260110", False),
    ]
    [(written_path, text)] = plan.texts
    assert written_path == path
    removed_lines = [removed for _, removed, _ in changes(ACME, text)]
    assert removed_lines == [[], [], [], []]  # only insertions
    assert path.read_text(encoding="utf-8") == ACME  # a plan writes nothing
    write_plan(plan)
    sheet, problems = read_sheet(path)
    assert sheet is not None and problems == []
    assert sheet.source("caixin_20260301").title == "untitled: imported from facts.csv line 2"
    assert sheet.source("caixin_20260301").file == "facts.csv"
    fact = sheet.fact("shares_outstanding", "2026-01-12")
    assert fact is not None and fact.value.amount == 309_260_000  # 309.26 × 10^6
    assert fact.value.note == "all classes, after listing"


def test_rows_that_do_not_map_are_listed_and_nothing_can_be_written(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    path.write_text(ACME, encoding="utf-8")
    table = HEADER + (
        "Acme,revenue,H1-2025,19.1,amount,USD,million,https://c.example/a,Caixin,2026-03-01,high,…,\n"  # 2: maps
        "Acmee,revenue,H1-2025,19.1,amount,USD,million,https://c.example/a,Caixin,2026-03-01,high,…,\n"  # 3
        "Acme,revenu,H1-2025,19.1,amount,USD,million,https://c.example/a,Caixin,2026-03-01,high,…,\n"  # 4
        "Acme,revenue,H1-25,19.1,amount,USD,million,https://c.example/a,Caixin,2026-03-01,high,…,\n"  # 5
        "Acme,revenue,H1-2025,19.1,date,,1,https://c.example/a,Caixin,2026-03-01,high,…,\n"  # 6
        "Acme,revenue,2025-06-30,19.1,amount,USD,million,https://c.example/a,Caixin,2026-03-01,high,…,\n"  # 7
        "Acme,net_loss,H1-2025,-3,amount,USD,million,https://c.example/a,Caixin,2026-03-01,high,…,\n"  # 8
    )
    plan = import_rows(table, {path: ACME})
    assert [(u.line, u.reason) for u in plan.unmapped] == [
        (3, "unknown company"),
        (4, "unknown metric"),
        (5, "unknown period"),
        (6, "unknown unit"),
        (7, "period does not fit the metric"),
        (8, "refused by the sheet"),
    ]
    assert 'did you mean "acme"?' in plan.unmapped[0].detail
    assert 'did you mean "revenue"' in plan.unmapped[1].detail
    assert plan.unmapped[3].detail == '"date" is not a unit; use one of: ' + ", ".join(CSV_UNIT_KINDS)
    assert "net_loss is negative (-3)" in plan.unmapped[5].detail
    assert [r.line for r in plan.added] == [2]
    assert plan.texts == ()
    with pytest.raises(UsageError, match="6 rows do not map; nothing was written"):
        write_plan(plan)
    assert path.read_text(encoding="utf-8") == ACME


def test_an_import_needs_the_layout_s_columns() -> None:
    with pytest.raises(UsageError, match="the table has no column period, outlet"):
        import_rows("company,metric,value,unit,published\n", {PATH: ACME})


def test_an_import_into_a_sheet_with_errors_is_refused() -> None:
    with pytest.raises(FactSheetError, match='unknown metric "net_los"'):
        import_rows(HEADER, {PATH: ACME.replace("  net_loss:", "  net_los:")})


def test_a_failed_write_of_a_plan_changes_no_sheet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = tmp_path / "acme.yaml", tmp_path / "beta.yaml"
    beta = ACME.replace("id: acme", "id: beta")
    first.write_text(ACME, encoding="utf-8")
    second.write_text(beta, encoding="utf-8")
    table = HEADER + (
        "acme,revenue,H1-2025,19.1,amount,USD,million,https://c.example/a,Caixin,2026-03-01,high,…,\n"
        "beta,revenue,H1-2025,19.1,amount,USD,million,https://c.example/a,Caixin,2026-03-01,high,…,\n"
    )
    plan = import_rows(table, {first: ACME, second: beta})
    assert len(plan.texts) == 2
    calls: list[int] = []

    def full_on_second(handle: int) -> None:
        calls.append(handle)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_on_second)
    with pytest.raises(OSError, match="No space left"):
        write_plan(plan)
    assert (first.read_text(encoding="utf-8"), second.read_text(encoding="utf-8")) == (ACME, beta)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["acme.yaml", "beta.yaml"]


def test_a_url_that_is_several_sources_maps_to_the_one_of_the_row_s_day(tmp_path: Path) -> None:
    # Two snapshots of one page: the row of 2026-01-11 belongs to the second, and the sheet has it.
    second = (
        "  weekly_20260111:\n    outlet: Weekly\n    title: Recap, later\n    published: 2026-01-11\n"
        "    url: https://weekly.example/recap\n    kind: press\n    rank: 2\n"
    )
    text = ACME.replace("\nfacts:", second + "\nfacts:").replace(
        "    2026-01-12: {value: 120, unit: HKD 億, source: weekly_20260110}",
        "    2026-01-12: {value: 120, unit: HKD 億, source: weekly_20260111}\n"
        "    2026-01-13: {value: 121, unit: HKD 億, source: weekly_20260110}",
    )
    assert clean(text)
    table = HEADER + (
        "acme,market_cap,2026-01-12,120,amount,HKD,億,https://weekly.example/recap,Weekly,2026-01-11,medium,…,\n"
        "acme,market_cap,2026-01-13,121,amount,HKD,億,https://weekly.example/recap,Weekly,2026-01-10,medium,…,\n"
    )
    plan = import_rows(table, {PATH: text})
    assert [(r.source, r.present) for r in plan.reports] == [("weekly_20260111", True), ("weekly_20260110", True)]
    assert plan.texts == ()  # nothing new
