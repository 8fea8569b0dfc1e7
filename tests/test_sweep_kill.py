"""Dying processes: a killed sweep leaves no workers behind; a killed worker loses only its runs."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
ROOT = Path(__file__).resolve().parents[1]


def parents() -> dict[int, int]:
    """pid -> parent pid of every live (non-zombie) process."""
    table = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            table[int(stat.parent.name)] = int(fields[1])
    return table


def descendants(pid: int) -> set[int]:
    table, found, frontier = parents(), set(), {pid}
    while frontier:
        frontier = {p for p, parent in table.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pids: set[int]) -> set[int]:
    return pids & set(parents())


def wait_for(condition, timeout: float):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    return condition()


def start_sweep(folder: Path, seeds: int, days: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "sim.cli", "-m", f"seed=range({seeds})", f"days={days}",
           "group.initial_members=30", f"hydra.sweep.dir={folder}", "hydra.launcher.n_jobs=2"]
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)


def started_runs(folder: Path) -> list[Path]:
    return [c.parent for c in folder.rglob("config.yaml")]


def loky_workers(pid: int) -> set[int]:
    return {p for p in descendants(pid) if "popen_loky" in Path(f"/proc/{p}/cmdline").read_text(errors="replace")}


@pytest.mark.parametrize(("sig", "when"), [(signal.SIGKILL, "running"), (signal.SIGTERM, "running"),
                                           (signal.SIGKILL, "starting")])
def test_killing_the_sweep_leaves_no_process_behind(tmp_path, sig, when):
    """``starting``: killed while workers are still starting, before any run (no task yet)."""
    sweep = start_sweep(tmp_path, seeds=20, days=3650)
    try:
        if when == "running":
            assert wait_for(lambda: started_runs(tmp_path), 90), "no run started"
        else:
            assert wait_for(lambda: len(loky_workers(sweep.pid)) == 2, 90), "no workers"
        children = descendants(sweep.pid)
        assert children, "the sweep has no worker processes"
        sweep.send_signal(sig)
        sweep.wait(timeout=30)
        left = wait_for(lambda: not alive(children), 15)
        assert left, f"still alive after the sweep died: {alive(children)}"
        if sig == signal.SIGTERM:
            assert sweep.returncode == 130
            assert "Traceback" not in sweep.stderr.read()
    finally:
        for pid in alive(descendants(sweep.pid)) | {sweep.pid}:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def test_a_killed_worker_costs_only_its_runs_which_are_recorded(tmp_path):
    sweep = start_sweep(tmp_path, seeds=6, days=300)
    try:
        first = wait_for(lambda: started_runs(tmp_path), 90)
        assert first, "no run started"
        workers = [p for p in descendants(sweep.pid)
                   if "loky" in Path(f"/proc/{p}/cmdline").read_text(errors="replace")
                   and "resource_tracker" not in Path(f"/proc/{p}/cmdline").read_text(errors="replace")]
        assert workers
        os.kill(workers[0], signal.SIGKILL)  # what the out-of-memory killer does
        out, err = sweep.communicate(timeout=240)
    finally:
        if sweep.poll() is None:
            sweep.kill()
    assert sweep.returncode == 1, err[-2000:]
    assert "Traceback" not in err and "a worker process died" in err
    index = pd.read_parquet(tmp_path / "runs.parquet")
    assert len(index) == 6
    lost = index[index["status"] == "failed"]
    assert 1 <= len(lost) <= 2 and lost["error"].str.contains("LostWorker").all()
    for run in lost["run"]:
        assert json.loads((tmp_path / run / "error.json").read_text())["lost"] is True
    assert (index["status"] == "done").sum() == 6 - len(lost)
