"""``groupsim``: the Hydra app that runs one group, or a sweep of many.

``groupsim group=course strategy=red_packets seed=3 days=90 hydra.run.dir=PATH``
writes PATH/config.yaml, daily.parquet, members.parquet and summary.json.
``groupsim -m strategy=none,rules seed='range(50)'`` runs the grid in
parallel (joblib), resumable, and indexes it in ``runs.parquet``.
Config errors end with one line naming the field and the allowed values.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import hydra
import pandas as pd
from hydra.core.hydra_config import HydraConfig
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.types import RunMode
from omegaconf import DictConfig

from sim.api import CONFIG_DIR, compose_config, config_yaml, run
from sim.checks import ConfigError
from sim.config import RunConfig, load_config, register_configs
from sim.sweep import INDEX, Progress, count_jobs, default_sweep_dir, run_in_folder

HYDRA_ARGS = ("-", "hydra.", "hydra/", "+hydra", "override hydra")
INFO_FLAGS = ("--help", "-h", "--hydra-help", "--info", "--cfg", "-c", "--resolve", "--shell-completion")


@hydra.main(version_base=None, config_path=str(CONFIG_DIR), config_name="config")
def app(cfg: DictConfig) -> None:
    config = load_config(cfg)
    hydra_cfg = HydraConfig.get()
    folder = Path(hydra_cfg.runtime.output_dir)
    if hydra_cfg.mode == RunMode.MULTIRUN or config.replications > 1:
        for one in replicate(config):
            where = folder / f"seed{one.seed}" if config.replications > 1 else folder
            run_in_folder(config_yaml(one), where, lambda one=one: run(one, keep_model=False))
        return
    result = run(config, keep_model=False)
    result.save(folder)
    s = result.summary
    print(f"groupsim: {config.group.name}/{config.strategy.name} seed {config.seed}: "
          f"lived {s['lifetime_days']} days{' (died)' if s['died'] else ''}, "
          f"{s['final_members']} members left, {s['total_conversions']} conversions -> {folder}")


def replicate(config: RunConfig) -> list[RunConfig]:
    """The runs one job stands for: ``replications`` consecutive seeds."""
    return [dataclasses.replace(config, seed=config.seed + k, replications=1)
            for k in range(config.replications)]


def task_overrides(args: list[str]) -> list[str]:
    return [a for a in args if not a.startswith(HYDRA_ARGS)]


def single_runs(overrides: list[str]) -> list[list[str]]:
    """Override lists that together try every swept value once (numbers: the extremes)."""
    parsed = OverridesParser.create().parse_overrides(overrides)
    base = [o.input_line if not o.is_sweep_override() else
            f"{o.get_key_element()}={next(iter(o.sweep_string_iterator()))}" for o in parsed]
    trials = [base]
    for i, o in enumerate(parsed):
        if not o.is_sweep_override():
            continue
        values = list(o.sweep_string_iterator())
        try:
            numbers = sorted(values, key=float)
            values = [numbers[0], numbers[-1]]
        except ValueError:
            pass
        for value in values:
            trials.append(base[:i] + [f"{o.get_key_element()}={value}"] + base[i + 1:])
    return trials


def check_overrides(args: list[str]) -> None:
    """Compose and validate every run the command asks for, before Hydra starts anything."""
    if any(a in INFO_FLAGS or a.startswith("--cfg") for a in args):
        return
    overrides = task_overrides(args)
    multirun = "-m" in args or "--multirun" in args
    for trial in single_runs(overrides) if multirun else [overrides]:
        compose_config(trial)


def sweep(args: list[str]) -> int:
    """Run a multirun with a progress bar; return how many runs failed."""
    overrides = task_overrides(args)
    given = [a.split("=", 1)[1] for a in args if a.startswith("hydra.sweep.dir=")]
    sweep_dir = Path(given[-1]) if given else default_sweep_dir(overrides)
    if not given:
        sys.argv.append(f"hydra.sweep.dir={sweep_dir}")
    total = count_jobs(overrides)
    replications = [int(o.split("=", 1)[1]) for o in overrides if o.startswith("replications=")
                    and o.split("=", 1)[1].isdigit()]
    if total and replications:
        total *= replications[-1]
    print(f"groupsim: sweep of {total or '?'} runs -> {sweep_dir} (rerun the command to resume)")
    with Progress(sweep_dir, total):
        app()
    index = pd.read_parquet(sweep_dir / INDEX) if (sweep_dir / INDEX).is_file() else pd.DataFrame()
    failed = int((index.get("status") == "failed").sum()) if len(index) else 0
    print(f"groupsim: {len(index) - failed} runs finished, {failed} failed; index: {sweep_dir / INDEX}")
    if failed:
        for row in index[index["status"] == "failed"].head(5).itertuples():
            print(f"  failed: {row.run}: {row.error}", file=sys.stderr)
    return failed


def main() -> None:
    register_configs()
    args = sys.argv[1:]
    try:
        check_overrides(args)
    except ConfigError as exc:
        print(f"groupsim: error: {exc}", file=sys.stderr)
        sys.exit(2)
    if "-m" in args or "--multirun" in args:
        sys.exit(min(sweep(args), 125))
    app()


if __name__ == "__main__":
    main()
