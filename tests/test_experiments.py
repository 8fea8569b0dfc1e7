"""Curated experiments: every spec runs, and a report's numbers come from its runs.

The end-to-end test recomputes the answer's figures straight from the run
folders (summary.json, daily.parquet) with plain pandas and finds them in
the report, so a report cannot carry a number its runs do not support.
"""

from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

import sim.experiments.runner as runner
from sim.experiments.claims import CLAIMS, Claim, agreement
from sim.experiments.answer import more_seeds
from sim.i18n import set_lang
import sim.experiments.spec as spec
from sim.experiments import available, load_experiment, main, run_experiment
from sim.experiments.answer import fmt, fmt_diff, headline, verdict
from sim.experiments.outcomes import METRICS

SECTIONS = ["## Answer", "## The articles say / the model shows", "## How sure are we?",
            "## What to try next", "## Setup", "## Figures", "## The numbers"]
TINY = {"seeds": 3, "days": 30, "jobs": 1}


def test_at_least_eight_experiments_and_all_compose():
    names = available()
    assert len(names) >= 8
    for name in names:
        experiment = load_experiment(name)
        configs = experiment.configs()  # raises SpecError on any bad override
        assert set(configs) == {arm.key for arm in experiment.arms}
        assert experiment.baseline in configs and experiment.primary in METRICS


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    out = tmp_path_factory.mktemp("experiments")
    set_lang("en")
    try:
        report = run_experiment("course_after_end", out=out, **TINY)
    finally:
        set_lang(None)
    return out / "course_after_end", report.read_text()


def test_report_has_every_section_and_its_figures(course):
    folder, text = course
    assert text.startswith(f"# {load_experiment('course_after_end').question}")
    positions = [text.index(s) for s in SECTIONS]
    assert positions == sorted(positions)
    for name in ("primary.png", "daily.png", "effects.png", "survival.png"):
        assert f"]({name})" in text and (folder / name).stat().st_size > 0


def test_report_numbers_are_recomputed_from_the_run_tables(course):
    folder, text = course
    experiment = load_experiment("course_after_end")
    days, unit = {}, METRICS["lifetime_days"].unit
    for arm in experiment.arms:
        days[arm.key] = np.array([json.loads((folder / "runs" / arm.key / f"seed{k}" / "summary.json")
                                             .read_text())["lifetime_days"] for k in range(3)], float)
    base = days[experiment.baseline]
    for arm in experiment.arms:
        if arm.key == experiment.baseline:
            continue
        effect = (days[arm.key] - base).mean()
        moved = (f"stayed at {fmt(base.mean(), unit)}" if effect == 0 else
                 f"{'rose' if effect > 0 else 'fell'} from {fmt(base.mean(), unit)} to "
                 f"{fmt(days[arm.key].mean(), unit)}")
        expected = f"group lifetime {moved}, {fmt_diff(effect, unit)}"
        assert f"**{arm.label}** vs " in text and expected in text
    active = {arm.key: np.mean([pd.read_parquet(folder / "runs" / arm.key / f"seed{k}" / "daily.parquet")
                                ["active"].tail(30).mean() for k in range(3)]) for arm in experiment.arms}
    numbers = text[text.index("## The numbers"):]
    for value in active.values():
        assert fmt(value, "people") in numbers


def test_rerun_skips_finished_runs_and_rewrites_the_same_report(course):
    folder, text = course
    stamps = {p: p.stat().st_mtime_ns for p in folder.glob("runs/*/seed*/summary.json")}
    set_lang("en")
    try:
        run_experiment("course_after_end", out=folder.parent, **TINY)
    finally:
        set_lang(None)
    assert {p: p.stat().st_mtime_ns for p in stamps} == stamps
    assert (folder / "report.md").read_text() == text


def test_a_failed_run_is_recorded_and_the_rest_go_on(tmp_path, monkeypatch):
    real_run = runner.run

    def flaky(cfg, keep_model=False):
        if cfg.seed == 1 and cfg.strategy.name == "chicken_soup":
            raise RuntimeError("boom")
        return real_run(cfg, keep_model=keep_model)

    monkeypatch.setattr(runner, "run", flaky)
    report = run_experiment("chicken_soup", seeds=2, days=20, out=tmp_path, jobs=1).read_text()
    failed = tmp_path / "chicken_soup" / "runs" / "soup" / "seed1"
    assert "boom" in json.loads((failed / "error.json").read_text())["error"]
    assert "1 of 6 runs failed" in report and "soup/seed1" in report
    assert len(list(tmp_path.glob("chicken_soup/runs/*/seed*/summary.json"))) == 5


def test_unknown_name_exits_2_with_one_line(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["no_such_experiment"])
    err = capsys.readouterr().err.strip()
    assert exit_.value.code == 2 and "\n" not in err
    assert "unknown experiment 'no_such_experiment'; available: " in err and "red_packets" in err


def test_bad_override_exits_2_before_running_anything(tmp_path, monkeypatch, capsys):
    good = (spec.EXPERIMENTS_DIR / "red_packets.yaml").read_text()
    (tmp_path / "broken.yaml").write_text(good.replace("strategy.red_packets.every=3",
                                                       "strategy.red_packets.every=0"))
    monkeypatch.setattr(spec, "EXPERIMENTS_DIR", tmp_path)
    with pytest.raises(SystemExit) as exit_:
        main(["broken", "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err.strip()
    assert exit_.value.code == 2 and "\n" not in err
    assert "broken: arm 'every3': strategy.red_packets.every must be" in err
    assert not (tmp_path / "out").exists()


def _row(effect, low, high, pairs=20, metric="active_late"):
    return SimpleNamespace(effect=effect, ci_low=low, ci_high=high, pairs=pairs, metric=metric)


@pytest.mark.parametrize("row, min_effect, expected", [
    (_row(5.0, 2.0, 8.0), 3, "better"),
    (_row(-5.0, -8.0, -2.0), 3, "worse"),
    (_row(2.8, 1.0, 6.0), 3, "small"),            # surely positive, maybe not enough to matter
    (_row(0.5, -1.0, 2.0), 3, "no_difference"),   # the whole interval is within +-3
    (_row(2.0, -1.0, 5.0), 3, "unclear"),
    (_row(9.0, 9.0, 9.0, pairs=1), 3, "unclear"),  # one pair: no interval, no verdict
    (_row(400.0, 300.0, 500.0, metric="messages"), 0, "higher"),  # no better direction
])
def test_verdict_reads_the_interval_not_the_point(row, min_effect, expected):
    assert verdict(row, min_effect) == expected


@pytest.mark.parametrize("verdicts, expected", [
    (["unclear", "better"], "better"),         # the headline follows any clearly better arm
    (["no_difference", "worse"], "worse"),
    (["no_difference", "no_difference"], "no_difference"),
    (["no_difference", "unclear"], "unclear"),  # "too small to matter" must hold for every arm
    (["small", "no_difference"], "unclear"),
])
def test_headline_over_arms(verdicts, expected):
    assert headline(pd.Series(verdicts)) == expected


def test_the_same_report_in_chinese_from_the_same_runs(course):
    folder, english = course
    set_lang("zh")
    try:
        text = run_experiment("course_after_end", out=folder.parent, **TINY).read_text()
        assert text.startswith("# 课程结束后，什么能让课程群活下去？")
        for heading in ("## 答案", "## 文章怎么说 / 模型怎么看", "## 把握有多大？", "## 实验设置"):
            assert heading in text
        active = np.mean([pd.read_parquet(folder / "runs" / "content" / f"seed{k}" / "daily.parquet")
                          ["active"].tail(30).mean() for k in range(3)])
        assert fmt(active, "people") in text and fmt(active, "people").endswith(" 人")
        assert "每日学习打卡" in text and "a daily learning check-in" not in text
    finally:
        set_lang(None)
    assert (folder / "report.md").read_text() != english


def test_the_report_checks_the_articles_claims_and_states_what_differs(course):
    folder, text = course
    claims = text[text.index("## The articles say"):text.index("## How sure")]
    assert claims.count("- Seed ") == len(CLAIMS["course_after_end"])
    assert all(any(w in line for w in ("agrees", "disagrees", "cannot tell"))
               for line in claims.splitlines() if line.startswith("- Seed"))
    setup = text[text.index("## Setup"):text.index("## Figures")]
    assert "`strategy.name=checkin`" in setup and "`strategy.name=none`" in setup


def test_every_claim_names_an_arm_and_outcome_its_experiment_measures():
    from sim.i18n import has
    for name, claims in CLAIMS.items():
        experiment = load_experiment(name)
        for number, claim in enumerate(claims, start=1):
            assert claim.arm in {a.key for a in experiment.arms} and claim.arm != experiment.baseline
            assert claim.metric in experiment.metrics, (name, claim)
            assert has(f"claim.{name}.{number}", "zh") and has(f"claim.{name}.{number}", "en")


@pytest.mark.parametrize("sign, low, high, expected", [
    (+1, 1.0, 3.0, "agrees"), (+1, -3.0, -1.0, "disagrees"), (+1, -1.0, 2.0, "cannot_tell"),
    (-1, -3.0, -1.0, "agrees"), (0, -1.0, 2.0, "agrees"), (0, 1.0, 2.0, "disagrees"),
])
def test_a_claim_is_judged_by_the_interval(sign, low, high, expected):
    row = SimpleNamespace(effect=(low + high) / 2, ci_low=low, ci_high=high, pairs=10, verdict="")
    assert agreement(Claim("000", "arm", "active_late", sign), row) == expected


def test_seed_advice_depends_on_the_seeds_already_run():
    unclear = pd.DataFrame({"verdict": ["unclear"], "effect": [2.0], "ci_low": [-1.0], "ci_high": [5.0]})
    with_20, with_50 = more_seeds(unclear, 20, 3.0), more_seeds(unclear, 50, 3.0)
    assert "--seeds 20)" not in with_20 and "--seeds 50" not in with_50  # never what was just run
    needed = int(with_50.split("--seeds ")[1].split("`")[0])
    assert needed > 50 and needed == 60  # 50 * (3/3)^2 = 50, then at least 10 more
    hopeless = pd.DataFrame({"verdict": ["unclear"], "effect": [0.0], "ci_low": [-0.1], "ci_high": [0.1]})
    assert "--seeds" not in more_seeds(hopeless, 50, 0.0)
    clear = unclear.assign(verdict="better")
    assert "--seeds" not in more_seeds(clear, 50, 3.0)


def test_owner_steps_back_has_an_ordinary_owner_without_kols():
    experiment = load_experiment("owner_steps_back")
    charisma = {arm.key: experiment.configs()[arm.key].group.owner_charisma for arm in experiment.arms}
    assert charisma["ordinary"] < charisma["charismatic"] and "strategy=none" in experiment.arm("ordinary").overrides
