"""``groupsim-calibrate EXPORT``: several patterns fitted at once, reported beside the data; ``--from``.

Recovery: an interest group is simulated for 40 days with known
talkativeness (``group.chat_propensity`` 0.4) and talkativeness spread
(``population.talk_spread`` 1.2), data seed 99, written as a Telegram export
(``sim/ingest/synthetic.py``) and calibrated through the command at tiny
scale: 12 trials x 2 seeds, both parameters free. Tolerances are shares of the
search range (of its logarithm for talkativeness), set from what was seen:

* chat_propensity: 0.016 off on data seeds 99, 1 and 3; tolerance 0.1
  (a factor of ~1.4). Data seed 2 (a group that barely talks, 17% of its
  messages the operator's, which the synthetic export leaves out) misses by
  0.6: at this scale one atypical group can fool the fit.
* talk_spread: 0.115 off on seed 99, but 0.26 and 0.44 on seeds 1 and 3;
  tolerance 0.3. Inequality among ~80 posters is noisy, so the spread is
  only weakly pinned down by 40 days of one group.
"""

from __future__ import annotations

import json
import math
import shutil

import pandas as pd
import pytest
import yaml

from sim.calibrate import main
from sim.calibration.patterns import Patterns, gini, newcomer_return, top_share
from sim.experiments import main as experiment
from sim.ingest.synthetic import write_example

TRUTH = {"group.chat_propensity": 0.4, "population.talk_spread": 1.2}
RANGES = {"group.chat_propensity": (0.05, 1.5, True), "population.talk_spread": (0.1, 2.0, False)}
TOLERANCE = {"group.chat_propensity": 0.1, "population.talk_spread": 0.3}
DATA_SEED, DAYS = 99, 40
TINY = ["--trials", "12", "--seeds", "2", "--recheck", "2", "--plot-seeds", "4", "--quiet"]
PARAMS = [a for k, (lo, hi, _) in RANGES.items() for a in ("--param", f"{k}={lo}:{hi}")]


@pytest.fixture(scope="module")
def fitted(tmp_path_factory):
    """One calibration of a Telegram export of a group with known parameters: (out, export)."""
    folder = tmp_path_factory.mktemp("export")
    export, _ = write_example(folder, "telegram-json", ["group=interest", f"days={DAYS}", f"seed={DATA_SEED}",
                                                       *(f"{k}={v}" for k, v in TRUTH.items())])
    out = folder / "fit"
    main([str(export), "--tz", "Asia/Shanghai", "--out", str(out), *TINY, *PARAMS])
    return out, export


def share_off(key, value):
    lo, hi, log = RANGES[key]
    f = math.log if log else (lambda x: x)
    return abs(f(value) - f(TRUTH[key])) / (f(hi) - f(lo))


def one_line_exit_2(capsys, argv, command=main):
    with pytest.raises(SystemExit) as stop:
        command(argv)
    err = capsys.readouterr().err.strip()
    assert stop.value.code == 2 and len(err.splitlines()) == 1 and "Traceback" not in err, err
    return err


def test_recovers_known_parameters(fitted):
    out, _ = fitted
    values = json.loads((out / "fit.json").read_text())["params"]
    off = {k: share_off(k, v) for k, v in values.items()}
    assert all(off[k] <= TOLERANCE[k] for k in TRUTH), (values, off)


def test_fit_table_lists_every_pattern_beside_the_data(fitted):
    out, _ = fitted
    report = json.loads((out / "fit.json").read_text())
    rows = {r["pattern"]: r for r in report["patterns"]}
    listed = set(rows) | set(report["dropped"])
    expected = {"members", "messages", "joined", "left", "participation_gini", "top10_share", "newcomer_return"}
    assert expected <= listed, listed
    assert {"quit_0_7", "quit_7_30", "quit_30_40"} <= set(rows)  # Telegram notes leaves: observed
    assert {"quit_hazard", "participation_gini", "top10_share", "messages"} <= set(report["loss_terms"])
    for r in rows.values():
        assert r["fitted_low"] <= r["fitted_median"] <= r["fitted_high"], r
        assert r["within_band"] == (r["fitted_low"] <= r["observed"] <= r["fitted_high"]), r
    assert set(report["not_fitted"]) == {p for p, r in rows.items() if not r["fitted"]}
    table = (out / "fit.md").read_text()
    for name in listed:
        assert f"`{name}`" in table, name
    assert ("Could not fit" in table) == bool(report["not_fitted"])
    assert (out / "patterns.png").stat().st_size > 10_000 and (out / "fit.png").is_file()
    fit = yaml.safe_load((out / "fitted.yaml").read_text())
    assert "group.initial_members=" + str(pd.read_parquet(out / "ingested/daily.parquet")["members"][0]) \
        in fit["overrides"]  # the founders: members at the end of the export's day 0


def test_patterns_mean_the_same_on_data_and_runs():
    members = pd.DataFrame({"member_id": range(10), "joined_day": [0] * 4 + [3] * 6,
                            "exit_day": pd.array([None] * 9 + [5], dtype="Int64"),
                            "exit_reason": pd.array([None] * 9 + ["left"], dtype="string"),
                            "role": "member", "messages": [0, 0, 10, 10, 1, 2, 2, 1, 3, 0]})
    assert gini([5, 5, 5]) == 0 and top_share([9, 1, 0, 0, 0, 0, 0, 0, 0, 0]) == 0.9
    assert newcomer_return(members) == 3 / 5  # of 5 posting newcomers, 3 posted twice or more
    p = Patterns(members, days=10, quits=True)
    assert p.observed["quit_7_10"] == 0 and p.observed["quit_0_7"] > 0
    assert p.terms([members]) == {"participation_gini": 0, "top10_share": 0, "newcomer_return": 0,
                                  "quit_hazard": 0}
    inferred = Patterns(members.assign(exit_inferred=[False] * 9 + [True]), 10, True)
    assert inferred.observed["quit_0_7"] == 0  # an inferred exit is no leave: censored at the end


def test_inferred_leaves_drop_left_and_the_quit_hazard(tmp_path):
    """WeChat shows no leaves: without events.csv they are inferred, so neither is fitted."""
    export, events = write_example(tmp_path, "wechat-csv", ["group=interest", "days=20", "seed=3",
                                                            "group.initial_members=40"])
    assert events is not None
    main([str(export), "--out", str(tmp_path / "fit"), "--trials", "2", "--seeds", "1", "--recheck", "1",
          "--plot-seeds", "2", "--quiet"])
    report = json.loads((tmp_path / "fit" / "fit.json").read_text())
    assert {"left", "quit_hazard"} <= set(report["dropped"]) and "left" not in report["loss_terms"]
    assert not any(r["pattern"].startswith("quit_") for r in report["patterns"])
    assert "population.talk_spread" in report["params"]  # the default set grows for inequality


def test_ingested_folder_is_read_directly(fitted, tmp_path):
    out, _ = fitted
    main([str(out / "ingested"), "--out", str(tmp_path / "again"), "--trials", "2", "--seeds", "1",
          "--recheck", "1", "--plot-seeds", "2", "--quiet", *PARAMS])
    assert json.loads((tmp_path / "again" / "fit.json").read_text())["patterns"]


def test_from_runs_an_experiment_on_the_fitted_group(fitted, tmp_path):
    out, _ = fitted
    fit = yaml.safe_load((out / "fitted.yaml").read_text())["params"]
    experiment(["chicken_soup", "--from", str(out / "fitted.yaml"), "--seeds", "2", "--days", "20",
                "--out", str(tmp_path)])
    root = tmp_path / "chicken_soup"
    arms = sorted(p.name for p in (root / "runs").iterdir())
    assert arms == ["none", "soup", "useful"]
    for arm in arms:
        cfg = yaml.safe_load((root / "runs" / arm / "seed0" / "config.yaml").read_text())
        assert cfg["days"] == 20  # the experiment's horizon, not the fitted record's
        assert cfg["group"]["chat_propensity"] == fit["group.chat_propensity"]
        assert cfg["population"]["talk_spread"] == fit["population.talk_spread"]
    assert str(out / "fitted.yaml") in (root / "report.md").read_text()


def test_bad_inputs_are_one_line_and_exit_2(fitted, tmp_path, capsys):
    out, _ = fitted
    (tmp_path / "empty").mkdir()
    err = one_line_exit_2(capsys, [str(tmp_path / "empty"), "--out", str(tmp_path / "o"), *TINY])
    assert "daily.parquet" in err
    half = tmp_path / "half"
    shutil.copytree(out / "ingested", half)
    (half / "daily.parquet").unlink()
    assert "not an ingested folder" in one_line_exit_2(capsys, [str(half), "--out", str(tmp_path / "o"), *TINY])
    err = one_line_exit_2(capsys, [str(out / "ingested"), "--weight", "gossip=2", "--out", str(tmp_path / "o")])
    assert "gossip" in err
    for wrong in (out / "fit.json", tmp_path / "nope.yaml"):
        err = one_line_exit_2(capsys, ["chicken_soup", "--from", str(wrong), "--seeds", "2", "--days", "5",
                                       "--out", str(tmp_path)], experiment)
        assert "fitted" in err
    clash = tmp_path / "clash.yaml"
    fit = yaml.safe_load((out / "fitted.yaml").read_text())
    clash.write_text(yaml.safe_dump(fit | {"overrides": [*fit["overrides"], "strategy=content"]}))
    err = one_line_exit_2(capsys, ["chicken_soup", "--from", str(clash), "--seeds", "2", "--days", "5",
                                   "--out", str(tmp_path)], experiment)
    assert "varies strategy" in err
    assert not (tmp_path / "chicken_soup").exists()  # refused before anything ran
