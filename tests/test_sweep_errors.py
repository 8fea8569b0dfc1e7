"""Sweeps lose nothing: unwritable folders, full disks, Ctrl-C and stale indexes are all accounted for."""

from __future__ import annotations

import errno
import json
import os
import shutil
import stat
import sys

import pandas as pd
import pytest

import sim.cli
from sim.output import UMASK, atomic_write
from sim.sweep import INDEX, UNFINISHED, load_index, run_in_folder

SMALL = ["days=3", "group.initial_members=25"]


def sweep(monkeypatch, folder, *overrides):
    """The sweep's exit code; joblib with one job runs in this process, so patches apply."""
    monkeypatch.setattr(sys, "argv", ["groupsim", "-m", *overrides, *SMALL, f"hydra.sweep.dir={folder}",
                                      "hydra.launcher.n_jobs=1"])
    try:
        sim.cli.main()
    except SystemExit as stop:
        return stop.code
    return 0


def test_a_file_where_a_run_folder_should_be_fails_that_run_only(tmp_path, monkeypatch, capsys):
    (tmp_path / "days=3,group.initial_members=25,seed=1").write_text("in the way")
    assert sweep(monkeypatch, tmp_path, "seed=0,1,2") == 1
    out, err = capsys.readouterr()
    assert "2 runs finished, 1 failed" in out
    assert "seed=1" in err and "run folder cannot be written" in err and "Traceback" not in err
    assert (load_index(tmp_path)["status"] == "done").sum() == 2


def test_a_full_disk_while_saving_is_a_failed_run_not_a_crash(tmp_path):
    class Full:
        summary: dict = {}

        def save(self, folder):
            raise OSError(errno.ENOSPC, "No space left on device")

    outcome = run_in_folder("seed: 1\n", tmp_path / "run", Full)
    assert outcome["status"] == "failed" and "No space left" in outcome["error"]
    assert "No space left" in json.loads((tmp_path / "run" / "error.json").read_text())["error"]


def test_ctrl_c_mid_sweep_exits_130_and_the_index_lists_every_folder(tmp_path, monkeypatch, capsys):
    real_run = sim.cli.run

    def interrupted_at_seed_1(cfg, keep_model=True):
        if cfg.seed == 1:
            raise KeyboardInterrupt
        return real_run(cfg, keep_model)

    monkeypatch.setattr(sim.cli, "run", interrupted_at_seed_1)
    assert sweep(monkeypatch, tmp_path, "seed=0,1,2") == 130
    err = capsys.readouterr().err
    assert err.strip().splitlines()[-1].startswith("groupsim: interrupted") and "Traceback" not in err
    index = pd.read_parquet(tmp_path / INDEX)
    assert sorted(index["status"]) == ["done", "failed"]
    assert index.loc[index["status"] == "failed", "error"].iloc[0] == UNFINISHED


def test_a_stale_index_is_rebuilt_from_the_folders(tmp_path, monkeypatch):
    assert sweep(monkeypatch, tmp_path, "seed=0,1") == 0
    assert len(pd.read_parquet(tmp_path / INDEX)) == 2
    # a later, longer sweep killed before it could index: one more finished folder, one cut short
    runs = sorted(p for p in tmp_path.iterdir() if p.is_dir())
    shutil.copytree(runs[0], tmp_path / "days=3,group.initial_members=25,seed=7")
    (tmp_path / "cut-short").mkdir()
    shutil.copy(runs[0] / "config.yaml", tmp_path / "cut-short" / "config.yaml")
    assert len(pd.read_parquet(tmp_path / INDEX)) == 2  # stale on disk
    index = load_index(tmp_path)
    assert len(index) == 4 and (index["status"] == "failed").sum() == 1
    assert len(pd.read_parquet(tmp_path / INDEX)) == 4  # and rewritten
    # a finished run rerun after the index was written makes it stale too
    later = os.stat(tmp_path / INDEX).st_mtime_ns + 10**9
    os.utime(runs[1] / "summary.json", ns=(later, later))
    before = os.stat(tmp_path / INDEX).st_mtime_ns
    load_index(tmp_path)
    assert os.stat(tmp_path / INDEX).st_mtime_ns > before


def test_run_files_get_ordinary_permissions_not_mkstemps_0600(tmp_path):
    atomic_write(tmp_path / "f.txt", lambda p: p.write_text("x"))
    assert stat.S_IMODE((tmp_path / "f.txt").stat().st_mode) == 0o666 & ~UMASK


def test_sweeps_too_large_to_enumerate_still_check_every_value(monkeypatch):
    import sim.overrides
    from sim.checks import ConfigError

    monkeypatch.setattr(sim.overrides, "MAX_CHECKED", 3)
    size, _ = sim.overrides.check_sweep(["seed=0,1,2", "days=5,6"])
    assert size == 6
    with pytest.raises(ConfigError, match="days must be"):
        sim.overrides.check_sweep(["seed=0,1,2", "days=5,0,6"])
    with pytest.raises(ConfigError, match="seed=1.5"):
        sim.overrides.check_sweep(["seed=0,1.5,2", "days=5,6"])
