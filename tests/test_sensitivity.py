"""Global sensitivity: indices per parameter, and one-line errors for bad names."""

from __future__ import annotations

import pandas as pd
import pytest

from sim.analysis.sensitivity import main, sensitivity


def test_morris_ranks_the_parameter_that_matters(tmp_path):
    out = sensitivity(["group.invite_rate=0:0.05", "population.unmute_rate=0:0.001"],
                      "final_members", ["days=30", "group.initial_members=60"], samples=4, seeds=1,
                      out=tmp_path, n_jobs=1)
    indices = pd.read_csv(out / "indices.csv", index_col="parameter")
    assert indices.loc["group.invite_rate", "mu_star"] > indices.loc["population.unmute_rate", "mu_star"]
    assert (out / "indices.png").is_file() and (out / "samples.parquet").is_file()


@pytest.mark.parametrize("argv, message", [
    (["--param", "group.no_such=0:1"], "unknown key 'group.no_such'"),
    (["--param", "group.invite_rate=0.5:0.1"], "LOW must be below HIGH"),
    (["--param", "group.invite_rate=0:2"], "group.invite_rate must be [0, 1]"),
    (["--param", "group.invite_rate=0:0.1", "--outcome", "happiness"], "--outcome must be one of"),
])
def test_bad_parameters_end_in_one_line(argv, message, capsys):
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    err = capsys.readouterr().err.strip()
    assert message in err and err.count("\n") == 0
