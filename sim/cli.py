"""``groupsim``: the Hydra app that runs one group, or a sweep of many.

``groupsim group=course strategy=red_packets seed=3 days=90 hydra.run.dir=PATH``
writes PATH/config.yaml, daily.parquet, members.parquet and summary.json.
``groupsim -m strategy=none,rules seed='range(50)'`` runs the grid in
parallel (joblib), resumable, and indexes it in ``runs.parquet``.
Every combination is checked before anything runs; errors end with one line
naming the field and the allowed values, and the exit status says what kind
of failure it was (``sim/errors.py``; README "Errors and exit codes").
"""

from __future__ import annotations

import dataclasses
import os
import sys
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig

from sim.api import CONFIG_DIR, compose_config, config_yaml, run
from sim.config import RunConfig, load_config, register_configs
from sim.errors import OK, RUNS_FAILED, describe, entry_point, writable_dir
from sim.launcher import OUTCOMES, RETRY_ENV, tie_to_parent
from sim.overrides import check_sweep
from sim.resources import check_memory
from sim.sweep import INDEX, Progress, default_sweep_dir, load_index, run_in_folder

HYDRA_ARGS = ("-", "hydra.", "hydra/", "+hydra", "override hydra")
INFO_FLAGS = ("--help", "-h", "--hydra-help", "--info", "--cfg", "-c", "--resolve", "--shell-completion")


@hydra.main(version_base=None, config_path=str(CONFIG_DIR), config_name="config")
def app(cfg: DictConfig) -> list[dict] | None:
    hydra_cfg = HydraConfig.get()
    folder = Path(hydra_cfg.runtime.output_dir)
    if hydra_cfg.mode == RunMode.MULTIRUN:
        tie_to_parent()
        return run_jobs(load_config(cfg), folder)
    try:  # Hydra would print a traceback for anything raised here
        config = load_config(cfg)
        if config.replications > 1:
            failed = [o for o in run_jobs(config, folder) if o["status"] == "failed"]
            for o in failed:
                print(f"groupsim: failed: {o['run']}: {o['error']}", file=sys.stderr)
            print(f"groupsim: {config.replications - len(failed)} runs finished, {len(failed)} failed -> {folder}")
            if failed:
                raise SystemExit(RUNS_FAILED)
            return None
        result = run(config, keep_model=False)
        result.save(folder)
    except Exception as exc:
        line, code = describe(exc)
        print(f"groupsim: error: {line}", file=sys.stderr)
        raise SystemExit(code) from None
    s = result.summary
    print(f"groupsim: {config.group.name}/{config.strategy.name} seed {config.seed}: "
          f"lived {s['lifetime_days']} days{' (died)' if s['died'] else ''}, "
          f"{s['final_members']} members left, {s['total_conversions']} conversions -> {folder}")


def run_jobs(config: RunConfig, folder: Path) -> list[dict]:
    """One sweep job (or a replicated run): its runs, each recorded in its folder, never raising."""
    retry = os.environ.get(RETRY_ENV) != "0"
    outcomes = []
    for one in replicate(config):
        where = folder / f"seed{one.seed}" if config.replications > 1 else folder
        outcomes.append(run_in_folder(config_yaml(one), where, lambda one=one: run(one, keep_model=False),
                                      retry_failed=retry))
    OUTCOMES.extend(outcomes)  # for in-process launchers; joblib workers return them instead
    return outcomes


def replicate(config: RunConfig) -> list[RunConfig]:
    """The runs one job stands for: ``replications`` consecutive seeds."""
    return [dataclasses.replace(config, seed=config.seed + k, replications=1)
            for k in range(config.replications)]


def task_overrides(args: list[str]) -> list[str]:
    return [a for a in args if not a.startswith(HYDRA_ARGS)]


def given(args: list[str], key: str) -> str | None:
    values = [a.split("=", 1)[1] for a in args if a.startswith(f"{key}=")]
    return values[-1] if values else None


def check_run(args: list[str]) -> None:
    """A single run: its config, its memory, and that its folder can be written."""
    config = compose_config(task_overrides(args))
    check_memory(config)
    folder = given(args, "hydra.run.dir")
    if folder is None:
        folder = f"results/runs/{config.group.name}/{config.strategy.name}/seed{config.seed}"
    if "${" not in folder:
        writable_dir(folder, "run folder")


def sweep(args: list[str]) -> int:
    """Check every job, run the sweep with a progress bar, write the index; return the exit code."""
    overrides = task_overrides(args)
    total, largest = check_sweep(overrides)
    jobs = given(args, "hydra.launcher.n_jobs")
    side_by_side = int(jobs) if jobs and jobs.isdigit() and int(jobs) > 0 else os.cpu_count() or 1
    if given(args, "hydra/launcher") == "basic":
        side_by_side = 1
    check_memory(largest, min(side_by_side, total))
    sweep_dir = Path(given(args, "hydra.sweep.dir") or default_sweep_dir(overrides))
    if given(args, "hydra.sweep.dir") is None:
        sys.argv.append(f"hydra.sweep.dir={sweep_dir}")
    if "${" not in str(sweep_dir):
        writable_dir(sweep_dir, "sweep folder")
    replications = given(overrides, "replications")
    total *= int(replications) if replications and replications.isdigit() else 1
    print(f"groupsim: sweep of {total} runs -> {sweep_dir} (rerun the command to resume)")
    OUTCOMES.clear()
    try:
        with Progress(sweep_dir, total):
            app()
    finally:
        index = load_index(sweep_dir)  # also after Ctrl-C: the index matches the folders
    failed = index[index["status"] == "failed"] if len(index) else index
    listed = {str(sweep_dir / run) for run in index.get("run", [])}
    unrecorded = {o["run"]: o["error"] for o in OUTCOMES if o["status"] == "failed" and o["run"] not in listed}
    problems = [(row.run, row.error) for row in failed.itertuples()] + list(unrecorded.items())
    print(f"groupsim: {len(index) - len(failed)} runs finished, {len(problems)} failed; "
          f"index: {sweep_dir / INDEX}")
    for run_name, error in problems[:5]:
        print(f"  failed: {run_name}: {error}", file=sys.stderr)
    return RUNS_FAILED if problems else OK


@entry_point("groupsim")
def main() -> int:
    register_configs()
    args = sys.argv[1:]
    if any(a in INFO_FLAGS or a.startswith("--cfg") for a in args):
        app()
        return OK
    if "-m" in args or "--multirun" in args:
        return sweep(args)
    check_run(args)
    app()
    return OK


if __name__ == "__main__":
    main()
