"""``groupsim-calibrate``: recovers known parameters, refuses bad CSVs in one line, writes a usable fit.

Recovery: an interest group is simulated for 90 days with known values of the
three default free parameters (data seed 99, chosen before any fit and not
among the fit's seeds), its daily series written in the CSV contract, and
calibrated through the command (TEST_TRIALS trials x TEST_SEEDS seeds). Each
fitted value must lie within TOLERANCE of the truth, as a share of the
parameter's search range (of its logarithm for log-scaled talkativeness).

Why so wide: one group's 90 days pin the parameters down only so far. At
fixed parameters, seeds differ by ~30% in messages and ~50% in joins. On six
data seeds (99, 1, 2, 3, 7, 42; 60-80 trials x 8 seeds) the worst errors were
0.14 (chat propensity), 0.32 (invite rate) and 0.20 (leave threshold) of the
range. Model v2 (joiners judge the group fast and leave more) weakened what the
joins say about the invite rate: on seed 99 it now misses by 0.30 of its range,
hence its wider tolerance.
"""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest
import yaml

from sim.api import simulate
from sim.group_traits import ONE_GROUP
from sim.calibrate import load_fitted, main
from sim.calibration.objective import DEFAULT_PARAMS
from sim.calibration.series import initial_members, read_series

TRUTH = {"group.chat_propensity": 0.5, "group.invite_rate": 0.008, "population.leave_threshold": -0.1}
DATA_SEED = 99
TEST_TRIALS = 60
TEST_SEEDS = 8
# share of the search range; joins are few in 90 days, so the invite rate is pinned down least
TOLERANCE = {"group.chat_propensity": 0.2, "group.invite_rate": 0.35, "population.leave_threshold": 0.2}


def series_csv(path, overrides, columns=("day", "members", "messages", "joined", "left")):
    simulate(overrides).daily[list(columns)].to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def fitted(tmp_path_factory):
    """One calibration run on data with known parameters: (output folder, data path)."""
    folder = tmp_path_factory.mktemp("calibration")
    # one group with known values: no group traits drawn on top (as the fit assumes)
    data = series_csv(folder / "known.csv", ["group=interest", "days=90", f"seed={DATA_SEED}",
                                             *ONE_GROUP, *(f"{k}={v}" for k, v in TRUTH.items())])
    out = folder / "fit"
    main([str(data), "--group", "interest", "--trials", str(TEST_TRIALS), "--seeds", str(TEST_SEEDS),
          "--plot-seeds", "8", "--out", str(out), "--quiet"])
    return out, data


def range_share(param, fitted_value, true_value):
    """|fitted - true| as a share of the search range (log scale for log parameters)."""
    scale = math.log if param.log else (lambda x: x)
    return abs(scale(fitted_value) - scale(true_value)) / (scale(param.high) - scale(param.low))


def test_recovers_known_parameters(fitted):
    out, _ = fitted
    values = json.loads((out / "fit.json").read_text())["params"]
    errors = {p.key: range_share(p, values[p.key], TRUTH[p.key]) for p in DEFAULT_PARAMS}
    assert all(e <= TOLERANCE[k] for k, e in errors.items()), (values, errors)


def test_writes_a_fit_that_groupsim_can_run(fitted):
    out, data = fitted
    fit = yaml.safe_load((out / "fitted.yaml").read_text())
    cfg = load_fitted(out / "fitted.yaml")
    assert cfg.days == 90 and cfg.group.name == "interest"
    assert cfg.group.initial_members == initial_members(read_series(data)) == 150  # from the data
    assert cfg.group.chat_propensity == fit["params"]["group.chat_propensity"]
    assert fit["command"].startswith("groupsim group=interest ")
    trials = pd.read_csv(out / "trials.csv")
    assert len(trials) == TEST_TRIALS and trials["loss"].notna().all()
    assert (out / "fit.png").stat().st_size > 10_000
    report = json.loads((out / "fit.json").read_text())
    assert set(report["fit_seeds"]).isdisjoint(report["check_seeds"]), "the re-check needs fresh seeds"


def test_same_csv_and_options_give_the_same_fit(tmp_path):
    data = series_csv(tmp_path / "small.csv", ["days=20", "group.initial_members=40", "seed=5"],
                      columns=("day", "members", "messages"))
    runs = []
    for name in ("a", "b"):
        main([str(data), "--trials", "4", "--seeds", "1", "--recheck", "2", "--plot-seeds", "2",
              "--out", str(tmp_path / name), "--quiet"])
        runs.append([(tmp_path / name / f).read_text() for f in ("trials.csv", "fit.json", "fitted.yaml")])
    assert runs[0] == runs[1]


GOOD = "day,members,messages\n" + "".join(f"{d},{100 + d},{50 - d}\n" for d in range(1, 9))


@pytest.mark.parametrize("text, says", [
    ("", "the file is empty"),
    ("day,members\n" + "".join(f"{d},100\n" for d in range(1, 9)), "missing column messages"),
    (GOOD.replace("3,103,47", "3,103,-47"), "line 4: messages must not be negative, got -47"),
    (GOOD.replace("3,103,47", "3,1o3,47"), "line 4: members must be a whole number, got '1o3'"),
    (GOOD.replace("3,103,47", "2,103,47"), "line 4: days must increase strictly; day 2 repeats day 2"),
    (GOOD.replace("3,103,47", "1,103,47"), "line 4: days must increase strictly; day 1 comes after day 2"),
    ("day,members,messages\n1,100,5\n2,100,5\n", "calibration needs at least 7"),
    (GOOD.replace("3,103,47", "3,1e30,47"), "line 4: members must be at most 1,000,000,000"),
    (GOOD.replace("day,members", "Day,day,members").replace("\n1,", "\n1,1,"), "column day appears more than once"),
    (GOOD.replace("3,103,47", "3,103,47,9"), "Expected 3 fields in line 4, saw 4"),
    (GOOD.replace("\n", ",\n").replace("messages,", "messages"), "more fields than the header"),
    ("day,members,messages\n".encode() + "1,\u4eba,5\n".encode("gbk"), "not UTF-8 text"),
])
def test_malformed_csv_is_one_line_and_exit_2(tmp_path, capsys, text, says):
    data = tmp_path / "bad.csv"
    data.write_bytes(text if isinstance(text, bytes) else text.encode())
    with pytest.raises(SystemExit) as stop:
        main([str(data), "--quiet", "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert stop.value.code == 2
    assert err.count("\n") == 1 and err.startswith(f"groupsim-calibrate: error: {data}: ")
    assert says in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("param, says", [
    ("group.no_such_key=0:1", "no_such_key"),
    ("group.chat_propensity=0:80", "group.chat_propensity must be [0, 50]"),
    ("group.chat_propensity=0.5", "expected KEY=LOW:HIGH"),
])
def test_bad_param_is_one_line_and_exit_2(tmp_path, capsys, param, says):
    data = tmp_path / "ok.csv"
    data.write_text(GOOD)
    with pytest.raises(SystemExit) as stop:
        main([str(data), "--param", param, "--quiet", "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert stop.value.code == 2 and err.count("\n") == 1 and says in err
