"""Records, conflicts and the tidy frame, on small sheets written by hand."""

import math
from datetime import date
from pathlib import Path

from conftest import write_sheet

from minimetrics import facts_frame
from minimetrics.factsheet import Report, Source, choose, read_sheet
from minimetrics.registry import parse_unit
from minimetrics.tidy import COLUMNS


def _load(tmp_path: Path, facts: str):  # type: ignore[no-untyped-def]
    sheet, problems = read_sheet(write_sheet(tmp_path, facts))
    assert sheet is not None, [str(p) for p in problems]
    return sheet


def test_rounded_figures_agree(tmp_path: Path) -> None:
    # 30.5 allows 30.45..30.55 million; 3052 萬 is 30.52 million (30.515..30.525): they overlap.
    sheet = _load(
        tmp_path,
        "  revenue:\n    FY2024:\n"
        "      - {value: 30.5, unit: USD million, source: press_20260109}\n"
        "      - {value: 3052, unit: USD 萬, source: other_20260110}\n",
    )
    fact = sheet.fact("revenue", "FY2024")
    assert fact is not None and not fact.conflict


def test_round_numbers_are_read_as_rounded(tmp_path: Path) -> None:
    # 350 萬 allows 345..355 and so agrees with 346 萬; 3.5 百萬 written 3.50 would not.
    sheet = _load(
        tmp_path,
        "  revenue:\n    FY2023:\n"
        "      - {value: 346, unit: USD 萬, source: press_20260109}\n"
        "      - {value: 350, unit: USD 萬, source: other_20260110}\n"
        "    FY2024:\n"
        "      - {value: 3.46, unit: USD million, source: press_20260109}\n"
        "      - {value: 3.50, unit: USD million, source: other_20260110}\n",
    )
    fy2023, fy2024 = sheet.fact("revenue", "FY2023"), sheet.fact("revenue", "FY2024")
    assert fy2023 is not None and not fy2023.conflict
    assert fy2024 is not None and fy2024.conflict


def test_disagreement_is_kept_and_the_better_rank_wins(tmp_path: Path) -> None:
    # 30.5 (rank 2) vs about 70 (rank 4): 66.5..73.5 does not reach 30.55, so a conflict.
    sheet = _load(
        tmp_path,
        "  revenue:\n    FY2024:\n"
        "      - {value: 70, unit: USD million, source: rumour_20250601, qualifier: about}\n"
        "      - {value: 30.5, unit: USD million, source: press_20260109}\n",
    )
    fact = sheet.fact("revenue", "FY2024")
    assert fact is not None
    assert fact.conflict and not fact.unresolved
    assert fact.preferred == 1 and fact.value.value == 30.5
    assert [r.value for r in fact.reports] == [70, 30.5]


def test_equal_ranks_that_disagree_are_unresolved(tmp_path: Path) -> None:
    sheet = _load(
        tmp_path,
        "  net_loss:\n    FY2022:\n"
        "      - {value: 1.44, unit: USD million, source: press_20260109}\n"
        "      - {value: 1.43, unit: USD million, source: other_20260110}\n",
    )
    fact = sheet.fact("net_loss", "FY2022")
    assert fact is not None and fact.conflict and fact.unresolved and fact.preferred == 0


def test_a_reviewers_choice_settles_a_tie_and_keeps_the_conflict(tmp_path: Path) -> None:
    # 1.5 (1.45..1.55) and 1.43 (1.425..1.435) disagree, both rank 2: the reviewer chooses 1.43,
    # overriding the first-written rule. 1.4312 agrees with 1.43 and is more precise, so it is shown.
    sheet = _load(
        tmp_path,
        "  net_loss:\n    FY2022:\n"
        "      - {value: 1.5, unit: USD million, source: press_20260109}\n"
        '      - {value: 1.43, unit: USD million, source: other_20260110, preferred_because: "the filing"}\n'
        "      - {value: 1.4312, unit: USD million, source: other_20260110}\n",
    )
    fact = sheet.fact("net_loss", "FY2022")
    assert fact is not None and fact.conflict and not fact.unresolved
    assert fact.resolution == "the filing" and fact.preferred == 2 and fact.value.value == 1.4312


def test_more_than_agrees_with_any_larger_figure(tmp_path: Path) -> None:
    # "more than 8,000" is consistent with 8,123 and inconsistent with 7,900.
    sheet = _load(
        tmp_path,
        "  enterprise_customers:\n"
        "    2025-09-30:\n"
        "      - {value: 8000, unit: count, source: press_20260109, qualifier: more_than}\n"
        "      - {value: 8123, unit: count, source: other_20260110}\n"
        "    2025-06-30:\n"
        "      - {value: 8000, unit: count, source: press_20260109, qualifier: more_than}\n"
        "      - {value: 7900, unit: count, source: other_20260110}\n",
    )
    september, june = sheet.fact("enterprise_customers", "2025-09-30"), sheet.fact("enterprise_customers", "2025-06-30")
    assert september is not None and not september.conflict
    assert june is not None and june.conflict


def test_not_disclosed_is_neither_missing_nor_zero(tmp_path: Path) -> None:
    sheet = _load(tmp_path, "  sm_expense:\n    FY2023: {value: not disclosed, source: press_20260109}\n")
    fact = sheet.fact("sm_expense", "FY2023")
    assert fact is not None and not fact.value.disclosed and fact.value.value is None
    frame = facts_frame([sheet])
    row = frame.iloc[0]
    assert not row["disclosed"] and math.isnan(row["value"]) and math.isnan(row["amount"])


def test_tidy_frame_has_one_row_per_report(tmp_path: Path) -> None:
    sheet = _load(
        tmp_path,
        "  revenue:\n    9M2025:\n"
        "      - {value: 5344, unit: USD 萬, source: press_20260109}\n"
        "      - {value: 53.4, unit: USD million, source: other_20260110, qualifier: about}\n"
        "  cash_and_equivalents:\n    2025-09-30: {value: 3.6, unit: USD 億, source: press_20260109}\n",
    )
    frame = facts_frame([sheet])
    assert list(frame.columns) == COLUMNS
    assert len(frame) == 3
    first = frame.iloc[0]
    # 5344 萬 = 5344 × 10^4 = 53,440,000 USD over 9 months
    assert first["amount"] == 53_440_000 and first["months"] == 9 and first["currency"] == "USD"
    assert first["preferred"] and not frame.iloc[1]["preferred"]
    cash = frame[frame.metric == "cash_and_equivalents"].iloc[0]
    # 3.6 億 = 3.6 × 10^8 = 360,000,000 USD, at a date
    assert cash["amount"] == 360_000_000 and cash["is_instant"] and cash["months"] == 0
    assert str(frame["period_end"].dtype).startswith("datetime64")


def test_a_reviewers_choice_on_a_lone_report_is_a_warning(tmp_path: Path) -> None:
    path = write_sheet(
        tmp_path,
        '  revenue:\n    FY2024: {value: 30.5, unit: USD million, source: press_20260109, preferred_because: "x"}\n',
    )
    sheet, problems = read_sheet(path)
    assert sheet is not None
    assert "revenue FY2024: preferred_because, but the reports agree" in [p.message for p in problems]


def test_a_range_is_read_and_checked_against_other_reports(tmp_path: Path) -> None:
    # 38.34–41.89 allows 38.335 to 41.895: 40.0 (39.95 to 40.05) agrees, 45 (44.5 to 45.5) does not.
    sheet = _load(
        tmp_path,
        "  revenue:\n    FY2024:\n"
        "      - {value: [38.34, 41.89], unit: USD million, qualifier: range, source: press_20260109}\n"
        "      - {value: 40.0, unit: USD million, source: other_20260110}\n"
        "    FY2023:\n"
        "      - {value: [38.34, 41.89], unit: USD million, qualifier: range, source: press_20260109}\n"
        "      - {value: 45, unit: USD million, source: other_20260110}\n",
    )
    agree, disagree = sheet.fact("revenue", "FY2024"), sheet.fact("revenue", "FY2023")
    assert agree is not None and not agree.conflict
    assert disagree is not None and disagree.conflict
    ranged = agree.reports[0]
    assert ranged.value is None and ranged.value_range == (38.34, 41.89) and ranged.disclosed
    # the more precise report is shown: 40.0 allows 0.1 million, the range 3.56 million
    assert agree.value.value == 40


def test_a_range_in_the_frame_has_no_point_value(tmp_path: Path) -> None:
    sheet = _load(
        tmp_path,
        "  revenue:\n    FY2024: {value: [9.5, 10.6], unit: USD 億, qualifier: range, source: press_20260109}\n",
    )
    row = facts_frame([sheet]).iloc[0]
    assert math.isnan(row["value"]) and math.isnan(row["amount"])
    assert (row["range_low"], row["range_high"]) == (9.5, 10.6)
    # 9.5 − 0.05 = 9.45 and 10.6 + 0.05 = 10.65, in 億 (× 1e8)
    assert (round(row["low"]), round(row["high"])) == (945_000_000, 1_065_000_000)
    assert row["qualifier"] == "range" and bool(row["disclosed"]) and bool(row["result"])


def test_plans_are_never_results_and_never_conflict_with_them(tmp_path: Path) -> None:
    # A forecast of 2790 a month beside a measured 1500 is no conflict; the measured one is shown.
    sheet = _load(
        tmp_path,
        "  monthly_cash_burn:\n    FY2025:\n"
        "      - {value: 2790, unit: USD 萬 per month, outlook: forecast, source: press_20260109}\n"
        "      - {value: 1500, unit: USD 萬 per month, source: other_20260110}\n",
    )
    fact = sheet.fact("monthly_cash_burn", "FY2025")
    assert fact is not None and not fact.conflict and fact.value.value == 1500
    frame = facts_frame([sheet])
    assert list(frame["result"]) == [False, True]
    assert list(frame["outlook"]) == ["forecast", ""]


def test_inferred_dates_reach_the_frame(tmp_path: Path) -> None:
    sheet = _load(
        tmp_path,
        "  revenue:\n    FY2024: {value: 30.5, unit: USD million, source: press_20260109,"
        " period_inferred: from_context}\n",
    )
    row = facts_frame([sheet]).iloc[0]
    assert bool(row["period_inferred"]) and not bool(row["published_inferred"])


def test_founded_is_derived_from_its_facts(tmp_path: Path) -> None:
    # Two sources say 2021-12, one says 2022: the most reported date comes first.
    text = write_sheet(
        tmp_path,
        "  founded:\n"
        "    2021-12:\n      - {source: press_20260109}\n      - {source: other_20260110}\n"
        "    2022: {source: press_20260109}\n",
    ).read_text(encoding="utf-8")
    text = "\n".join(line for line in text.splitlines() if not line.strip().startswith("founded: ")) + "\n"
    path = tmp_path / "acme.yaml"
    path.write_text(text, encoding="utf-8")
    sheet, problems = read_sheet(path)
    assert sheet is not None, [str(p) for p in problems]
    assert sheet.company.founded == "2021-12 or 2022"


# --- choose: the decision behind a fact, pure (reports and sources in, no reader) -------------

_DAY = date(2026, 1, 9)
_USD_M = parse_unit("USD million")


def _sources(**ranks: int) -> dict[str, Source]:
    return {name: Source(name, "Daily", "t", _DAY, "press", rank) for name, rank in ranks.items()}


def _usd(value: float, source: str, decimals: int, outlook: str = "", preferred_because: str = "") -> Report:
    assert not isinstance(_USD_M, str)
    return Report(value, _USD_M, source, decimals=decimals, outlook=outlook, preferred_because=preferred_because)


def test_choose_shows_the_better_ranked_source_and_resolves_by_rank() -> None:
    # 30.5 (rank 1, allows 30.45–30.55) vs 45 (rank 3, allows 44.5–45.5): disjoint, a conflict;
    # ranks differ, so it is resolved and the rank-1 report is shown.
    choice = choose([_usd(45, "wire", 0), _usd(30.5, "filing", 1)], _sources(wire=3, filing=1))
    assert (choice.preferred, choice.conflict, choice.unresolved, choice.disagreeing) == (1, True, False, (0,))


def test_choose_shows_a_more_precise_report_that_agrees() -> None:
    # 30.5 (rank 1: 30.45–30.55) and 30.52 (rank 2: 30.515–30.525) overlap: no conflict, and the
    # narrower interval (width 0.01 against 0.1) is shown although its source ranks lower.
    choice = choose([_usd(30.5, "filing", 1), _usd(30.52, "press", 2)], _sources(filing=1, press=2))
    assert (choice.preferred, choice.winner, choice.conflict) == (1, 0, False)


def test_choose_follows_a_reviewer_and_gives_the_reason() -> None:
    # Equal ranks disagree (30.5 vs 45); the reviewer's report (index 1) is shown, resolved.
    reports = [_usd(30.5, "a", 1), _usd(45, "b", 0, preferred_because="the audited figure")]
    choice = choose(reports, _sources(a=2, b=2))
    assert (choice.preferred, choice.conflict, choice.unresolved) == (1, True, False)
    assert choice.resolution == "the audited figure" and choice.reviewed == (1,)


def test_choose_weighs_a_plan_only_where_there_is_no_result() -> None:
    # A plan of 45 beside a result of 30.5: only the result is weighed, so no conflict.
    choice = choose([_usd(30.5, "a", 1), _usd(45, "b", 0, outlook="plan")], _sources(a=2, b=2))
    assert (choice.preferred, choice.conflict, choice.unresolved) == (0, False, False)


def test_records_made_without_init_are_whole_and_equal_to_those_made_by_init() -> None:
    # factsheet._record builds choose's Choice without __init__ (quicker), facts are built by a
    # helper that names every field: each must have every field and be the record __init__
    # makes, with the same hash. The shipped sheets have conflicts, ranges, events and
    # reviewed reports.
    from dataclasses import fields

    from minimetrics.factsheet import Choice, Fact
    from minimetrics.folders import bundled_data_dir

    seen = 0
    for path in sorted(bundled_data_dir().glob("*.yaml")):
        if path.name == "fx.yaml":
            continue
        sheet, problems = read_sheet(path)
        assert sheet is not None, [str(p) for p in problems]
        for fact in sheet.facts:
            assert set(vars(fact)) == {f.name for f in fields(Fact)}
            again = Fact(**vars(fact))
            assert fact == again and hash(fact) == hash(again)
            choice = choose(fact.reports, {s.id: s for s in sheet.sources})
            assert set(vars(choice)) == {f.name for f in fields(Choice)} and choice == Choice(**vars(choice))
            for report in fact.reports:
                assert set(vars(report)) == {f.name for f in fields(Report)}
                made = Report(**vars(report))
                assert report == made and hash(report) == hash(made)
                seen += 1
    assert seen > 100  # the shipped sheets hold some hundreds of reports
