"""`explain COMPANY breakeven` (issue 12 item 1): the formula and every input with its source."""

import json

from typer.testing import CliRunner

from minimetrics import cli

runner = CliRunner()


def test_explain_breakeven_shows_the_formula_inputs_and_sources() -> None:
    result = runner.invoke(cli.app, ["explain", "zhipu", "breakeven", "--as-of", "2026-11-30", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    # Zhipu H1-2025: R0 = 1.909億 ÷ 6 = 31.82 RMBm, C0 = (1.909 + 17.51)億 ÷ 6 = 323.65 RMBm a month;
    # g_r = 1.909 ÷ 0.449 − 1 = 325.2 %, g_c = 19.419 ÷ 10.749 − 1 = 80.7 % (H1-2024 costs 0.449 + 10.30);
    # t* = ⌈12 · ln(323.65 ÷ 31.82) ÷ ln(4.2517 ÷ 1.8066)⌉ = ⌈12 · 2.3196 ÷ 0.8559⌉ = ⌈32.5⌉ = 33 months.
    assert data["value"] == 33.0
    assert "R(t) = R0·(1+g_r)^(t/12)" in data["formula"]
    keys = {(i["key"], i["period"], i["source"]) for i in data["inputs"]}
    assert keys == {
        ("revenue", "H1-2025", "shiji21_20251220"),
        ("adjusted_net_loss", "H1-2025", "pengpai_20251230"),
        ("revenue", "H1-2024", "pengpai_20251230"),
        ("adjusted_net_loss", "H1-2024", "pengpai_20251230"),
        ("cash_and_equivalents", "2025-06-30", "cnyeshao_20251219"),
    }
    assert {s["id"] for s in data["sources"]} == {"shiji21_20251220", "pengpai_20251230", "cnyeshao_20251219"}
    # Dead on this path: 2,552 RMBm held runs out in month 8 (2026-02-28), before breakeven.
    assert "dead: cash runs out 2026-02-28" in data["label"] + data["note"]
