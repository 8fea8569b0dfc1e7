"""Comparing a sweep: paired effects with CIs, survival, figures, one-line errors."""

from __future__ import annotations

import shutil

import matplotlib
import numpy as np
import pandas as pd
import pytest

from sim.analysis import load_sweep, member_survival, paired_effects
from sim.analysis.effects import bootstrap_ci
from sim.analysis.plots import pareto
from sim.analysis.report import compare, main
from sim.api import compose_config, run
from sim.sweep import write_index


def make_sweep(folder, strategies=("none", "rules"), seeds=range(4), extra=()):
    for strategy in strategies:
        for seed in seeds:
            for cell in extra or [[]]:
                overrides = [f"strategy={strategy}", f"seed={seed}", "days=32",
                             "group.initial_members=40", "group.roles.spammers=0.1", *cell]
                name = ",".join(overrides)
                run(compose_config(overrides), keep_model=False).save(folder / name)
    write_index(folder)
    return folder


@pytest.fixture(scope="module")
def sweep_dir(tmp_path_factory):
    return make_sweep(tmp_path_factory.mktemp("cmp"))


def test_report_folder_holds_figures_and_tidy_effects(sweep_dir):
    out = compare(sweep_dir)
    for name in ("report.md", "effects.csv", "strategies.csv", "survival.csv", "daily.png",
                 "survival.png", "forest.png", "frontier.png"):
        assert (out / name).is_file(), name
    effects = pd.read_csv(out / "effects.csv")
    assert set(effects["strategy"]) == {"rules"}
    index = load_sweep(sweep_dir).index
    assert {"retention_day30", "active_late", "final_members"} <= set(effects["metric"])
    sold = index["summary.total_conversions"].gt(0).any()
    assert ("conversions" in set(effects["metric"])) == sold  # no offer in an interest group: no sale
    died = index["summary.died"].astype(bool).any()
    # all alive at day 32: every lifetime censored, so no lifetime or death effect is shown
    assert bool({"lifetime_days", "died"} & set(effects["metric"])) == died
    assert (effects["ci_low"] <= effects["effect"] + 1e-9).all()
    assert (effects["effect"] <= effects["ci_high"] + 1e-9).all()
    assert (effects["pairs"] == 4).all()


def test_paired_effect_is_the_mean_difference_per_seed(sweep_dir):
    sweep = load_sweep(sweep_dir)
    effects = paired_effects(sweep).set_index("metric")
    index = sweep.index.set_index(["strategy.name", "seed"])
    diff = (index.loc["rules", "summary.total_conversions"] - index.loc["none", "summary.total_conversions"])
    assert effects.loc["conversions", "effect"] == pytest.approx(diff.mean())


def test_rules_cut_spam_in_the_sweep(sweep_dir):
    daily = load_sweep(sweep_dir).daily
    spam = daily.groupby("strategy")["msg_spam"].sum()
    assert spam["rules"] < spam["none"]


def test_bootstrap_interval_covers_a_known_mean():
    rng = np.random.default_rng(3)
    low, high = bootstrap_ci(rng.normal(5.0, 1.0, 400))
    assert low < 5.0 < high and high - low < 0.5
    assert bootstrap_ci(np.array([2.0, 2.0, 2.0])) == (2.0, 2.0)


def test_kaplan_meier_handles_censoring():
    members = pd.DataFrame({"strategy": "x", "joined_day": [0, 0, 0, 0],
                            "exit_day": [2.0, np.nan, 4.0, np.nan]})
    curve = member_survival(members, days=5).set_index("days_in_group")["still_in"]
    assert curve[0] == 1.0 and curve[2] == pytest.approx(0.75) and curve[4] == pytest.approx(0.5)  # 3 at risk at day 4
    assert (np.diff(curve.to_numpy()) <= 0).all()


def test_frontier_keeps_only_unbeaten_strategies():
    assert pareto(np.array([0, 10, 10, 20]), np.array([1, 5, 3, 5])).tolist() == [True, True, False, False]


def test_heatmap_when_two_numeric_parameters_vary(tmp_path):
    grid = [[f"group.invite_rate={r}", f"population.noise_cost={c}"] for r in (0.0, 0.02) for c in (0.2, 1.0)]
    folder = make_sweep(tmp_path, strategies=("none",), seeds=range(2), extra=grid)
    out = compare(folder)
    assert (out / "heatmap_active_late.png").is_file()


@pytest.mark.parametrize("make, message", [
    (lambda p: p / "missing", "no such folder"),
    (lambda p: p, "not a groupsim sweep"),
])
def test_compare_rejects_empty_or_foreign_folders_in_one_line(tmp_path, capsys, make, message):
    (tmp_path / "notes.txt").write_text("not a sweep")
    with pytest.raises(SystemExit) as stop:
        main([str(make(tmp_path))])
    assert stop.value.code == 2
    err = capsys.readouterr().err.strip()
    assert message in err and err.count("\n") == 0


def test_unknown_baseline_is_one_line(sweep_dir, capsys):
    with pytest.raises(SystemExit):
        main([str(sweep_dir), "--baseline", "magic"])
    assert "baseline strategy 'magic' is not in the sweep" in capsys.readouterr().err


def run_main(args, capsys) -> str:
    """Run groupsim-compare expecting exit 2 with one line on stderr; returns that line."""
    with pytest.raises(SystemExit) as stop:
        main([str(a) for a in args])
    err = capsys.readouterr().err.strip()
    assert stop.value.code == 2 and err.count("\n") == 0, err
    return err


def test_runs_from_different_commands_are_refused(sweep_dir, tmp_path, capsys):
    mixed = tmp_path / "mixed"
    shutil.copytree(sweep_dir, mixed, ignore=shutil.ignore_patterns("runs.parquet", "report"))
    overrides = ["strategy=none", "seed=0", "days=20", "group.initial_members=40"]
    run(compose_config(overrides), keep_model=False).save(mixed / "other" / "seed0")
    err = run_main([mixed], capsys)
    assert "not one sweep" in err and "days" in err
    assert not (mixed / "report").exists() and not (mixed / "runs.parquet").exists()


def test_a_folder_of_several_sweeps_is_refused(sweep_dir, tmp_path, capsys):
    for name in ("a", "b"):
        shutil.copytree(sweep_dir, tmp_path / name, ignore=shutil.ignore_patterns("report"))
    assert "2 separate sweeps" in run_main([tmp_path], capsys)


def test_a_single_run_folder_is_refused_and_left_alone(sweep_dir, capsys):
    one = next(p.parent for p in sweep_dir.glob("*/summary.json"))
    before = sorted(p.name for p in one.iterdir())
    err = run_main([one], capsys)
    assert str(one) in err and "one run folder" in err
    assert sorted(p.name for p in one.iterdir()) == before


def test_broken_runs_and_outputs_are_one_line_naming_the_path(sweep_dir, tmp_path, capsys):
    copy = tmp_path / "copy"
    shutil.copytree(sweep_dir, copy, ignore=shutil.ignore_patterns("report"))
    with pytest.raises(SystemExit) as stop:  # the machine, not the input: exit 3, as everywhere
        main([str(copy), "--out", "/proc/nope"])
    assert stop.value.code == 3 and "/proc/nope cannot be written" in capsys.readouterr().err
    gone = sorted(copy.glob("*/summary.json"))[0].parent
    shutil.rmtree(gone)
    err = run_main([copy], capsys)
    assert str(gone) in err and "missing" in err
    (copy / "runs.parquet").unlink()
    corrupt = sorted(copy.glob("*/summary.json"))[0]
    corrupt.write_text("{not json")
    err = run_main([copy], capsys)
    assert str(corrupt) in err


def test_metric_option_chooses_the_outcomes(sweep_dir, tmp_path, capsys):
    out = compare(sweep_dir, out=tmp_path / "r", metrics=["conversation", "summary.peak_members"])
    effects = pd.read_csv(out / "effects.csv")
    shown = effects[effects["metric"].isin(["conversation", "summary.peak_members"])]
    assert len(shown) == 2
    assert "unknown outcome" in run_main([sweep_dir, "--metric", "nonsense"], capsys)


def test_default_outcomes_are_those_that_moved(sweep_dir):
    from sim.analysis.effects import choose_metrics
    effects = pd.DataFrame({"metric": ["a", "b", "c", "d"], "effect": [1.0, 5.0, 0.1, 3.0],
                            "ci_low": [0.5, 2.0, -1.0, -1.0], "ci_high": [1.5, 8.0, 1.0, 7.0]})
    table = pd.DataFrame({"a": [0, 1], "b": [0, 100], "c": [0, 1], "d": [0, 1]})
    assert choose_metrics(effects, table) == ["a", "b", "d"]  # a moves most per spread; d tops up


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_report_says_who_wins_in_words_in_both_languages(sweep_dir, tmp_path, lang):
    from sim.analysis.words import fmt_diff, metric_short
    from sim.i18n import set_lang
    set_lang(lang)
    try:
        out = compare(sweep_dir, out=tmp_path / lang, metrics=["active_late", "retention_day30"])
        text = (out / "report.md").read_text()
        sweep = load_sweep(sweep_dir)
        index = sweep.index.set_index(["strategy.name", "seed"])["summary.retention_day30"]
        diff = (index.loc["rules"] - index.loc["none"]).mean()
        assert f"{metric_short('retention_day30')} {fmt_diff(diff, 'share')}" in text  # points, not 0.03
        for raw in ("cell_label", "retention_day30", "2.875 conversions"):
            assert raw not in text
        assert ("群规" in text and "种子" in text) if lang == "zh" else "seed pairs" in text
        if not sweep.index["summary.died"].astype(bool).any():
            assert ("没有任何方案下的群死掉" if lang == "zh" else "No group died within 32 days") in text
    finally:
        set_lang(None)


def test_one_colour_per_arm_and_the_baseline_grey():
    from sim.analysis.plots import BASELINE_GREY, daily_lines, palette
    colours = palette(["none", "rules", "kol"], "none")
    assert matplotlib.colors.to_hex(colours["none"]) == BASELINE_GREY
    assert len({matplotlib.colors.to_hex(c) for c in colours.values()}) == 3
    daily = pd.DataFrame({"day": [0, 1] * 3, "members": 1, "active": 1, "messages": 1,
                          "strategy": ["kol", "kol", "none", "none", "rules", "rules"]})
    fig = daily_lines(daily, colours)
    drawn = {line.get_label(): matplotlib.colors.to_hex(line.get_color())
             for line in fig.axes[0].get_lines() if line.get_label() in colours}
    assert drawn == {k: matplotlib.colors.to_hex(v) for k, v in colours.items()}
