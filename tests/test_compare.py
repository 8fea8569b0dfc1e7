"""Comparing a sweep: paired effects with CIs, survival, figures, one-line errors."""

from __future__ import annotations

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
    assert {"lifetime_days", "retention_day30", "conversions"} <= set(effects["metric"])
    assert (effects["ci_low"] <= effects["effect"] + 1e-9).all()
    assert (effects["effect"] <= effects["ci_high"] + 1e-9).all()
    complete = effects[effects["metric"] != "cost_per_conversion"]  # undefined without sales
    assert (complete["pairs"] == 4).all()


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
    assert (out / "heatmap_lifetime_days.png").is_file()


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
