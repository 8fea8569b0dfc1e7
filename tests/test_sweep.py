"""Sweeps: one folder per run, an index, resume after a kill, failures recorded."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

import sim.cli
from sim.api import compose_config, run
from sim.sweep import count_jobs, default_sweep_dir, run_in_folder, write_index

SMALL = ["days=12", "group.initial_members=25"]


def sweep_cmd(folder, *extra):
    return [sys.executable, "-m", "sim.cli", "-m", "strategy=none,rules", "seed=0,1", *SMALL,
            f"hydra.sweep.dir={folder}", *extra]


@pytest.fixture(scope="module")
def swept(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sweep")
    done = subprocess.run(sweep_cmd(folder, "hydra.launcher.n_jobs=2"), capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return folder


def test_a_sweep_writes_one_run_folder_per_combination_and_an_index(swept):
    index = pd.read_parquet(swept / "runs.parquet")
    assert len(index) == 4 and (index["status"] == "done").all()
    assert set(index["strategy.name"]) == {"none", "rules"} and set(index["seed"]) == {0, 1}
    assert {"group.name", "days", "summary.lifetime_days", "summary.total_conversions"} <= set(index.columns)
    for run in index["run"]:
        assert (swept / run / "summary.json").is_file() and (swept / run / "daily.parquet").is_file()


def test_rerunning_a_killed_sweep_skips_finished_runs_and_completes_the_rest(swept):
    index = pd.read_parquet(swept / "runs.parquet")
    kept, killed = swept / index["run"][0], swept / index["run"][1]
    stamp = (kept / "summary.json").stat().st_mtime_ns
    (killed / "summary.json").unlink()  # killed mid-write: data present, no done marker
    done = subprocess.run(sweep_cmd(swept, "hydra/launcher=basic"), capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert (kept / "summary.json").stat().st_mtime_ns == stamp
    assert (killed / "summary.json").is_file()
    assert len(pd.read_parquet(swept / "runs.parquet")) == 4


def test_a_run_that_raises_is_recorded_and_the_sweep_goes_on(tmp_path, monkeypatch, capsys):
    real_run = sim.cli.run

    def flaky(cfg, keep_model=True):
        if cfg.strategy.name == "rules" and cfg.seed == 1:
            raise RuntimeError("boom")
        return real_run(cfg, keep_model)

    monkeypatch.setattr(sim.cli, "run", flaky)
    monkeypatch.setattr(sys, "argv", ["groupsim", "-m", "strategy=none,rules", "seed=0,1", *SMALL,
                                      f"hydra.sweep.dir={tmp_path}", "hydra/launcher=basic"])
    with pytest.raises(SystemExit) as stop:
        sim.cli.main()
    assert stop.value.code == 1
    index = pd.read_parquet(tmp_path / "runs.parquet")
    failed = index[index["status"] == "failed"]
    assert len(index) == 4 and len(failed) == 1
    assert "RuntimeError: boom" in failed["error"].iloc[0]
    assert "1 failed" in capsys.readouterr().out


def test_run_in_folder_records_the_error_and_retries_next_time(tmp_path):
    def boom():
        raise ValueError("bad luck")

    outcome = run_in_folder("seed: 1\n", tmp_path, boom)
    assert outcome["status"] == "failed"
    assert "bad luck" in json.loads((tmp_path / "error.json").read_text())["error"]


def test_bad_sweep_values_are_caught_before_anything_runs(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["groupsim", "-m", "strategy=none,nope", "seed=0,1",
                                      f"hydra.sweep.dir={tmp_path}/s"])
    with pytest.raises(SystemExit) as stop:
        sim.cli.main()
    assert stop.value.code == 2
    assert "strategy: unknown option 'nope'" in capsys.readouterr().err
    assert not (tmp_path / "s").exists()


def test_sweep_size_and_folder_follow_the_command():
    overrides = ["strategy=none,rules,kol", "seed=range(50)", "group=interest"]
    assert count_jobs(overrides) == 150
    assert default_sweep_dir(overrides) == default_sweep_dir(list(reversed(overrides)))
    assert default_sweep_dir(overrides) != default_sweep_dir(["strategy=none,rules", "seed=range(50)"])


def test_index_is_rebuilt_from_run_folders(swept):
    (swept / "runs.parquet").unlink()
    assert len(write_index(swept)) == 4


def test_the_same_sweep_runs_on_a_local_ray_instance(tmp_path):
    pytest.importorskip("ray")
    pytest.importorskip("hydra_plugins.hydra_ray_launcher")
    cmd = [sys.executable, "-m", "sim.cli", "-m", "strategy=none,rules", "seed=0", *SMALL,
           f"hydra.sweep.dir={tmp_path}", "hydra/launcher=ray", "+hydra.launcher.ray.init.num_cpus=2",
           "+hydra.launcher.ray.init.include_dashboard=false"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert (pd.read_parquet(tmp_path / "runs.parquet")["status"] == "done").sum() == 2


def test_replications_run_consecutive_seeds_in_one_job(tmp_path):
    cmd = [sys.executable, "-m", "sim.cli", "-m", "strategy=none,rules", "seed=0,3", "replications=3",
           *SMALL, f"hydra.sweep.dir={tmp_path}", "hydra/launcher=basic"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    index = pd.read_parquet(tmp_path / "runs.parquet")
    assert len(index) == 12 and (index["status"] == "done").all()
    assert sorted(index.loc[index["strategy.name"] == "rules", "seed"]) == [0, 1, 2, 3, 4, 5]
    alone = run(compose_config(["strategy=rules", "seed=4", *SMALL])).summary  # the same run alone
    row = index[(index["strategy.name"] == "rules") & (index["seed"] == 4)].iloc[0]
    assert row["summary.total_messages"] == alone["total_messages"]
