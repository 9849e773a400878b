"""Data folders (issue 17 item 1, issue 13 items 1, 10 and 11, issue 14 item 5): several folders
read as one, a company in two of them, fx.yaml layered, a broken sheet that does not stop a
command about other companies, every OSError on a path as the user's problem, aliases."""

import os
from pathlib import Path

import pytest
from conftest import REPO
from typer.testing import CliRunner

from minimetrics import store
from minimetrics.cli import app
from minimetrics.dataset import (
    AmbiguousCompanyError,
    UnknownCompanyError,
    broken_note,
    check_files,
    find_company,
    load_data,
    load_frame,
)
from minimetrics.folders import (
    DATA_ENV,
    bundled_data_dir,
    checkout_data_dir,
    data_dirs,
    folders_note,
    resolve_data_dir,
)
from minimetrics.problems import FactSheetError, Problem, UsageError

SHEET = """company:
  id: {id}
  name: {name}
  native_name: {name} 公司
  tickers: ["{ticker}"]
  currency: USD
  fiscal_year_end: 12-31
{aliases}sources:
  daily_20260109: {{outlet: Daily, title: IPO day, published: 2026-01-09, kind: press, rank: 2}}
facts:
  revenue:
    FY2024: {{value: {revenue}, unit: USD million, source: daily_20260109}}
"""

FX = """sources:
  {source}: {{outlet: {outlet}, title: Rates, published: 2025-02-28, kind: official_statistics, rank: 1}}
rates:
  {pair}:
    FY2024: {{value: {value}, source: {source}}}
"""


def _sheet(
    folder: Path,
    company: str,
    *,
    name: str = "",
    ticker: str = "",
    aliases: tuple[str, ...] = (),
    revenue: float = 10.0,
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    listed = f"  aliases: [{', '.join(aliases)}]\n" if aliases else ""
    text = SHEET.format(
        id=company,
        name=name or company.title(),
        ticker=ticker or f"0{len(company)}{ord(company[0])}.HK",
        aliases=listed,
        revenue=revenue,
    )
    path = folder / f"{company}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _fx(folder: Path, value: float, pair: str = "USDCNY", source: str = "bis_2025", outlet: str = "Bureau") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "fx.yaml"
    path.write_text(FX.format(pair=pair, value=value, source=source, outlet=outlet), encoding="utf-8")
    return path


def _broken(folder: Path, company: str) -> Path:
    """A sheet with one error: the metric is misspelt."""
    path = _sheet(folder, company)
    path.write_text(path.read_text(encoding="utf-8").replace("  revenue:", "  revenu:"), encoding="utf-8")
    return path


def _messages(err: FactSheetError) -> list[str]:
    return [str(p) for p in err.problems]


# --- Which folders ------------------------------------------------------------------


def test_the_bundled_sheets_come_first_then_every_data_dir(tmp_path: Path) -> None:
    mine, theirs = tmp_path / "mine", tmp_path / "theirs"
    assert data_dirs([mine, theirs], cwd=tmp_path) == (bundled_data_dir(), mine, theirs)
    assert data_dirs([mine], bundled=False, cwd=tmp_path) == (mine,)
    assert data_dirs(cwd=tmp_path) == (bundled_data_dir(),)


def test_the_environment_holds_a_path_list_and_data_dir_replaces_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one, two, given = tmp_path / "one", tmp_path / "two", tmp_path / "given"
    monkeypatch.setenv(DATA_ENV, f"{one}{os.pathsep}{os.pathsep} {two} ")  # an empty part and spaces ignored
    assert data_dirs(bundled=False, cwd=tmp_path) == (one, two)
    assert data_dirs([given], bundled=False, cwd=tmp_path) == (given,)
    assert resolve_data_dir() == one  # the one-folder API: the first


def test_a_folder_named_twice_is_read_once(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (tmp_path / "link").symlink_to(folder)
    assert data_dirs([folder, tmp_path / "link", folder], bundled=False, cwd=tmp_path) == (folder,)
    assert data_dirs([bundled_data_dir()], cwd=tmp_path) == (bundled_data_dir(),)


def test_no_bundled_and_no_folder_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no data folder to read") as caught:
        data_dirs(bundled=False, cwd=tmp_path)
    assert "--data-dir" in caught.value.hint


def test_a_checkout_reads_its_own_datasets_in_place_of_the_bundled_copy(tmp_path: Path) -> None:
    checkout = tmp_path / "checkout"
    _sheet(checkout / "datasets", "lumen")
    (checkout / "pyproject.toml").write_text('[project]\nname = "minimetrics"\n', encoding="utf-8")
    assert checkout_data_dir(checkout) == checkout / "datasets"
    assert data_dirs(cwd=checkout) == (checkout / "datasets",)
    with pytest.raises(UsageError):
        data_dirs(bundled=False, cwd=checkout)
    # The repository itself is such a checkout.
    assert checkout_data_dir(REPO) == REPO / "datasets"


def test_another_projects_datasets_folder_is_left_alone(tmp_path: Path) -> None:
    other = tmp_path / "other"
    _sheet(other / "datasets", "lumen")
    (other / "pyproject.toml").write_text('[project]\nname = "minimetrics-plugin"\n', encoding="utf-8")
    assert checkout_data_dir(other) is None
    assert checkout_data_dir(tmp_path) is None  # no pyproject.toml at all
    assert data_dirs(cwd=other) == (bundled_data_dir(),)


def test_the_note_says_which_folders_were_read(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    note = folders_note([bundled_data_dir(), mine], [2, 1])
    assert note == f"data folders: {bundled_data_dir()} (bundled, 2 sheets), {mine} (1 sheet)"
    assert folders_note([mine]) == f"data folder: {mine}"


# --- Several folders as one -----------------------------------------------------------


def test_several_folders_are_read_as_one_in_folder_order(tmp_path: Path) -> None:
    _sheet(tmp_path / "a", "zeta")
    _sheet(tmp_path / "b", "alpha")
    _sheet(tmp_path / "b", "beta")
    data = load_data([tmp_path / "a", str(tmp_path / "b")])
    assert data.ids == ["zeta", "alpha", "beta"]  # folder by folder, each in name order
    assert data.folders == (tmp_path / "a", tmp_path / "b")
    assert data.folder == tmp_path / "a"
    assert data.per_folder == (1, 2)
    frame = load_frame([tmp_path / "a", tmp_path / "b"])
    assert frame.ids == ("zeta", "alpha", "beta")
    assert list(frame.frame["company"]) == ["zeta", "alpha", "beta"]
    chosen = load_frame([tmp_path / "a", tmp_path / "b"], ["beta"]).frame
    assert list(chosen["value"]) == [10.0]


def test_an_empty_folder_of_the_users_is_read_beside_others(tmp_path: Path) -> None:
    (tmp_path / "new").mkdir()
    _sheet(tmp_path / "a", "zeta")
    assert load_data([tmp_path / "a", tmp_path / "new"]).ids == ["zeta"]
    with pytest.raises(FactSheetError, match="holds no fact sheets"):
        load_data(tmp_path / "new")


def test_a_company_in_two_folders_is_an_error_naming_both_files(tmp_path: Path) -> None:
    first = _sheet(tmp_path / "a", "lumen")
    second = _sheet(tmp_path / "b", "lumen")
    _sheet(tmp_path / "b", "other")
    expected = (
        f'{second}: error: company id "lumen" is defined in two files: {first} and {second} — keep one of the two'
    )
    with pytest.raises(FactSheetError) as caught:
        load_data([tmp_path / "a", tmp_path / "b"])
    assert _messages(caught.value) == [expected]
    with pytest.raises(FactSheetError):
        load_frame([tmp_path / "a", tmp_path / "b"])
    assert [str(p) for p in check_files([tmp_path / "a", tmp_path / "b"]) if p.is_error] == [expected]
    # A command about another company runs; one about lumen fails with the duplicate.
    assert load_data([tmp_path / "a", tmp_path / "b"], companies=["other"]).broken == (first, second)
    with pytest.raises(FactSheetError, match="defined in two files"):
        load_data([tmp_path / "a", tmp_path / "b"], companies=["LUMEN"])


def test_a_bundled_company_copied_into_a_folder_suggests_no_bundled(tmp_path: Path) -> None:
    _sheet(tmp_path / "mine", "minimax")
    with pytest.raises(FactSheetError) as caught:
        load_data([bundled_data_dir(), tmp_path / "mine"])
    (problem,) = caught.value.problems
    assert problem.hint == "keep one of the two, or leave the bundled sheets out with --no-bundled"
    assert str(bundled_data_dir() / "minimax.yaml") in problem.message


# --- fx.yaml from several folders -------------------------------------------------------


def test_a_later_folders_rate_replaces_an_earlier_ones_with_a_warning(tmp_path: Path) -> None:
    _sheet(tmp_path / "a", "zeta")
    bundled = _fx(tmp_path / "a", 7.0)
    mine = _fx(tmp_path / "b", 7.2, source="mine_2025", outlet="Me")
    data = load_data([tmp_path / "a", tmp_path / "b"])
    assert data.fx is not None
    assert [(r.base, r.quote, r.value, r.source) for r in data.fx.rates] == [
        ("USD", "RMB", 7.2, "mine_2025")
    ]  # CNY is read as RMB
    assert {s.id for s in data.fx.sources} == {"bis_2025", "mine_2025"}
    assert [str(p) for p in data.warnings] == [
        f"{mine}:5:1: warning: USDRMB FY2024 = 7.2 here replaces USDRMB = 7 in {bundled}:5"
        " — a later data folder's rate is used; remove one of the two to silence this"
    ]
    frame = load_frame([tmp_path / "a", tmp_path / "b"])
    assert frame.fx is not None and [r.value for r in frame.fx.rates] == [7.2]


def test_the_same_rate_written_the_other_way_round_is_no_warning(tmp_path: Path) -> None:
    _sheet(tmp_path / "a", "zeta")
    _fx(tmp_path / "a", 7.0)
    _fx(tmp_path / "b", 0.142857, pair="CNYUSD")  # 1 / 7 to six places: the same rate
    data = load_data([tmp_path / "a", tmp_path / "b"])
    assert data.fx is not None and [(r.base, r.value) for r in data.fx.rates] == [("RMB", 0.142857)]
    assert data.warnings == ()


def test_rates_of_other_pairs_and_periods_are_all_kept(tmp_path: Path) -> None:
    _sheet(tmp_path / "a", "zeta")
    _fx(tmp_path / "a", 7.0)
    _fx(tmp_path / "b", 7.8, pair="USDHKD")
    data = load_data([tmp_path / "a", tmp_path / "b"])
    assert data.fx is not None
    assert sorted((r.quote, r.value) for r in data.fx.rates) == [("HKD", 7.8), ("RMB", 7.0)]


def test_a_source_id_declared_differently_in_two_rate_files_is_an_error(tmp_path: Path) -> None:
    _sheet(tmp_path / "a", "zeta")
    first = _fx(tmp_path / "a", 7.8, pair="USDHKD")
    second = _fx(tmp_path / "b", 7.0, outlet="Another bureau")
    with pytest.raises(FactSheetError) as caught:
        load_data([tmp_path / "a", tmp_path / "b"], companies=["zeta"])  # fx.yaml must be clean for any command
    assert _messages(caught.value) == [
        f'{second}:2:1: error: source "bis_2025" is declared differently in {first}:2 — give one of the two another id'
    ]
    assert [str(p) for p in check_files([tmp_path / "a", tmp_path / "b"])] == _messages(caught.value)


# --- One broken sheet ---------------------------------------------------------------------


def test_a_command_about_named_companies_runs_beside_a_broken_sheet(tmp_path: Path) -> None:
    _sheet(tmp_path, "acme")
    broken = _broken(tmp_path, "beta")
    _sheet(tmp_path, "gamma")
    data = load_data(tmp_path, companies=["acme", "Gamma"])
    assert data.ids == ["acme", "gamma"]
    assert data.broken == (broken,)
    assert broken_note(data.broken) == "1 other sheet has errors and was left out: minimetrics validate lists them"
    assert data.per_folder == (2,)
    for cache in (True, False):
        frame = load_frame(tmp_path, ["acme"], cache=cache)
        assert frame.broken == (broken,)
        assert list(frame.frame["company"]) == ["acme"]


def test_a_command_over_every_company_fails_on_a_broken_sheet(tmp_path: Path) -> None:
    _sheet(tmp_path, "acme")
    _broken(tmp_path, "beta")
    every: list[list[str] | None] = [None, []]  # none named: every company
    for companies in every:
        with pytest.raises(FactSheetError, match='unknown metric "revenu"'):
            load_data(tmp_path, companies=companies)
    with pytest.raises(FactSheetError, match='unknown metric "revenu"'):
        load_frame(tmp_path)


def test_naming_the_broken_company_fails_with_its_errors(tmp_path: Path) -> None:
    _sheet(tmp_path, "acme")
    broken = _broken(tmp_path, "beta")
    _broken(tmp_path, "delta")
    with pytest.raises(FactSheetError) as caught:
        load_data(tmp_path, companies=["acme", "BETA"])
    assert {p.path for p in caught.value.problems} == {broken}
    with pytest.raises(FactSheetError) as caught:
        load_frame(tmp_path, ["beta"])
    assert {p.path for p in caught.value.problems} == {broken}


def test_a_name_no_clean_sheet_answers_to_may_be_in_a_broken_one(tmp_path: Path) -> None:
    _sheet(tmp_path, "acme")
    one, two = _broken(tmp_path, "beta"), _broken(tmp_path, "delta")
    with pytest.raises(FactSheetError) as caught:
        load_data(tmp_path, companies=["Beta Holdings"])
    assert {p.path for p in caught.value.problems} == {one, two}


def test_a_broken_fx_file_fails_every_command(tmp_path: Path) -> None:
    _sheet(tmp_path, "acme")
    (tmp_path / "fx.yaml").write_text("rates: [\n", encoding="utf-8")
    with pytest.raises(FactSheetError):
        load_data(tmp_path, companies=["acme"])
    with pytest.raises(FactSheetError):
        load_frame(tmp_path, ["acme"])


# --- Paths: every OSError is the user's ----------------------------------------------------


def test_a_path_too_long_for_the_file_system_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    long = tmp_path / ("x" * 5000)
    with pytest.raises(FactSheetError) as caught:
        load_data(long)
    (problem,) = caught.value.problems
    assert problem.message == "the data folder is too long for the file system"
    assert problem.hint == "use a shorter path"
    assert str(problem.path).endswith(f"({len(str(long)):,} characters)")  # cut: the message stays readable
    assert len(str(problem.path)) < 220
    (checked,) = check_files([long])
    assert checked.message == "the file or folder is too long for the file system"


def test_a_symlink_loop_is_a_loop_not_a_missing_folder(tmp_path: Path) -> None:
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    with pytest.raises(FactSheetError) as caught:
        load_data(loop)
    assert [p.message for p in caught.value.problems] == [
        "the data folder is a symlink loop (a link that leads back to itself)"
    ]
    _sheet(tmp_path / "data", "acme")
    (tmp_path / "data" / "beta.yaml").symlink_to(tmp_path / "data" / "beta.yaml")
    expected = f"{tmp_path / 'data' / 'beta.yaml'}: error: beta.yaml is a symlink loop (a link that leads back to itself) — point the link at a real file or folder"
    with pytest.raises(FactSheetError) as caught:
        load_data(tmp_path / "data")
    assert _messages(caught.value) == [expected]
    assert [str(p) for p in check_files([tmp_path / "data"])] == [expected]
    assert [str(p) for p in check_files([tmp_path / "data" / "beta.yaml"])] == [expected]


def test_a_file_given_as_a_folder_says_so(tmp_path: Path) -> None:
    sheet = _sheet(tmp_path, "acme")
    with pytest.raises(FactSheetError) as caught:
        load_data(sheet)
    assert [p.message for p in caught.value.problems] == ["the data folder is not a folder"]
    with pytest.raises(FactSheetError) as caught:
        load_data(sheet / "inside")
    assert [p.message for p in caught.value.problems] == [
        "the data folder does not exist: a part of it is a file, not a folder"
    ]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any folder")
def test_a_folder_that_cannot_be_listed_says_permission_denied(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    _sheet(folder, "acme")
    folder.chmod(0o000)
    try:
        with pytest.raises(FactSheetError) as caught:
            load_data(folder)
        assert [(p.message, p.hint) for p in caught.value.problems] == [
            ("the data folder cannot be read: permission denied", "check its permissions")
        ]
    finally:
        folder.chmod(0o755)


def test_a_dangling_link_names_its_target(tmp_path: Path) -> None:
    _sheet(tmp_path, "acme")
    (tmp_path / "beta.yaml").symlink_to(tmp_path / "gone.yaml")
    problems = check_files([tmp_path])
    assert [p.message for p in problems] == [f"beta.yaml is a link to {tmp_path / 'gone.yaml'}, which does not exist"]


def test_a_sheet_linked_from_outside_the_folder_is_followed(tmp_path: Path) -> None:
    elsewhere = _sheet(tmp_path / "elsewhere", "lumen")
    _sheet(tmp_path / "data", "acme")
    (tmp_path / "data" / "lumen.yaml").symlink_to(elsewhere)
    assert load_data(tmp_path / "data").ids == ["acme", "lumen"]
    assert load_frame(tmp_path / "data").ids == ("acme", "lumen")


@pytest.mark.parametrize("kind", ["long", "loop", "file"])
def test_the_command_line_exits_1_not_70_on_a_bad_path(tmp_path: Path, kind: str) -> None:
    sheet = _sheet(tmp_path, "acme")
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    path = {"long": tmp_path / ("x" * 5000), "loop": loop, "file": sheet}[kind]
    runner = CliRunner()
    listed = runner.invoke(app, ["list", "--no-bundled", "--data-dir", str(path)])
    assert listed.exit_code == 1, listed.output
    checked = runner.invoke(app, ["validate", str(path)])
    assert checked.exit_code == (0 if kind == "file" else 1), checked.output
    assert "Traceback" not in listed.output + checked.output


# --- Company lookup ---------------------------------------------------------------------


def test_an_alias_finds_a_company_whatever_its_case_and_width(tmp_path: Path) -> None:
    _sheet(tmp_path, "zhipu", name="Beijing Zhipu Huazhang", aliases=("Zhipu AI", "智譜"))
    _sheet(tmp_path, "acme")
    data = load_data(tmp_path)
    for query in ("zhipu ai", "ZHIPU AI", "Ｚｈｉｐｕ　ＡＩ", "智譜", " zhipu ai "):  # full-width letters and space
        assert find_company(data, query).company.id == "zhipu"
        assert load_frame(tmp_path).company_id(query) == "zhipu"


def test_an_alias_two_companies_answer_to_is_ambiguous(tmp_path: Path) -> None:
    _sheet(tmp_path, "alpha", aliases=("Star AI",))
    _sheet(tmp_path, "beta", aliases=("star ai", "alpha"))
    data = load_data(tmp_path)
    with pytest.raises(AmbiguousCompanyError) as caught:
        find_company(data, "STAR AI")
    assert str(caught.value) == '"STAR AI" is ambiguous: it names alpha, beta — name the company by its id, e.g. alpha'
    with pytest.raises(AmbiguousCompanyError):
        load_frame(tmp_path).company_id("star ai")
    assert find_company(data, "alpha").company.id == "alpha"  # an id wins over another company's alias


def test_the_store_manifest_holds_the_aliases(tmp_path: Path) -> None:
    _sheet(tmp_path, "zhipu", aliases=("Zhipu AI",))
    load_frame(tmp_path)
    (entry,) = store.Store.of(tmp_path).entries.values()
    assert "zhipu ai" in entry.names


def test_an_unknown_company_names_the_folders_read_and_the_flag(tmp_path: Path) -> None:
    _sheet(tmp_path / "a", "acme")
    _sheet(tmp_path / "b", "beta")
    data = load_data([tmp_path / "a", tmp_path / "b"])
    with pytest.raises(UnknownCompanyError) as caught:
        find_company(data, "lumen")
    assert caught.value.message == f'unknown company "lumen" in the data folders: {tmp_path / "a"}, {tmp_path / "b"}'
    assert caught.value.hint == "known: acme, beta; for a sheet in another folder add --data-dir FOLDER"
    with pytest.raises(UnknownCompanyError) as again:
        load_frame([tmp_path / "a", tmp_path / "b"], ["lumen"])
    assert again.value.message == caught.value.message


def test_problems_are_data(tmp_path: Path) -> None:
    (problem,) = check_files([tmp_path / "missing"])
    assert problem == Problem(tmp_path / "missing", 0, 0, "the file or folder does not exist", "check the path")
