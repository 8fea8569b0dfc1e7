"""Running an experiment: every arm on the same seeds, one run folder each.

Runs go to ``<out>/<name>/runs/<arm>/seed<k>/`` through the sweep machinery
(``run_in_folder``): a finished folder (``summary.json``) holding the same
config is skipped on rerun, a run that raises leaves ``error.json`` and the
rest go on. Each run depends only on its config and seed, so results do not
depend on how many processes share the work.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pandas as pd
from joblib import Parallel, delayed

from sim.api import config_yaml, run
from sim.config import RunConfig
from sim.experiments.outcomes import run_outcomes
from sim.experiments.spec import Experiment
from sim.launcher import tie_to_parent, tied_backend, tied_workers
from sim.output import DONE_MARKER, is_finished
from sim.sweep import run_in_folder

RESULTS_DIR = Path("results/experiments")
PARALLEL_FROM = 16  # fewer runs than this finish before worker processes would have started


@dataclass(frozen=True)
class Task:
    arm: str
    seed: int
    config: RunConfig
    folder: Path


def plan(experiment: Experiment, folder: Path, seeds: int, days: int | None = None) -> list[Task]:
    """One task per arm and seed 0..seeds-1 (configs validated here, before anything runs)."""
    configs = experiment.configs(days)
    return [Task(arm.key, seed, dataclasses.replace(configs[arm.key], seed=seed),
                 folder / "runs" / arm.key / f"seed{seed}")
            for arm in experiment.arms for seed in range(seeds)]


def _stale(task: Task) -> bool:
    """A finished folder left by a different config (the spec or --days changed)."""
    saved = task.folder / "config.yaml"
    return is_finished(task.folder) and saved.read_text() != config_yaml(task.config)


def _execute(task: Task) -> str:
    tie_to_parent()  # in a worker: exit if the experiment process is killed
    return run_in_folder(config_yaml(task.config), task.folder,
                         partial(run, task.config, keep_model=False))["status"]


def execute(tasks: list[Task], jobs: int = 2, fresh: bool = False) -> list[str]:
    """Run every task not already finished; returns each task's status (done/skipped/failed)."""
    for task in tasks:
        if fresh or _stale(task):
            (task.folder / DONE_MARKER).unlink(missing_ok=True)
    todo = [t for t in tasks if not is_finished(t.folder)]
    statuses = dict.fromkeys((t.folder for t in tasks), "skipped")
    if todo:
        with tied_workers():
            done = Parallel(n_jobs=min(jobs, len(todo)), batch_size="auto", backend=tied_backend())(
                delayed(_execute)(t) for t in todo) if jobs > 1 and len(todo) >= PARALLEL_FROM \
                else [_execute(t) for t in todo]
        statuses.update(zip((t.folder for t in todo), done))
    return [statuses[t.folder] for t in tasks]


def outcomes(tasks: list[Task], metrics: tuple[str, ...], root: Path) -> pd.DataFrame:
    """One row per task: arm, seed, status, folder (under ``root``) and every metric (NaN if failed)."""
    rows = []
    for task in tasks:
        row = {"arm": task.arm, "seed": task.seed, "run": task.folder.relative_to(root).as_posix()}
        if is_finished(task.folder):
            rows.append(row | {"status": "done"} | run_outcomes(task.folder, metrics))
        else:
            rows.append(row | {"status": "failed"} | dict.fromkeys(metrics, float("nan")))
    return pd.DataFrame(rows)
