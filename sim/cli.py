"""``groupsim``: the Hydra app that runs one group and writes one run folder.

``groupsim group=course strategy=red_packets seed=3 days=90 hydra.run.dir=PATH``
writes PATH/config.yaml, daily.parquet, members.parquet and summary.json.
Config errors end with one line naming the field and the allowed values.
"""

from __future__ import annotations

import sys
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig

from sim.api import CONFIG_DIR, compose_config, run
from sim.checks import ConfigError
from sim.config import load_config, register_configs

HYDRA_FLAGS = ("-", "hydra.", "hydra/", "+hydra")


@hydra.main(version_base=None, config_path=str(CONFIG_DIR), config_name="config")
def app(cfg: DictConfig) -> None:
    config = load_config(cfg)
    folder = Path(HydraConfig.get().runtime.output_dir)
    result = run(config, keep_model=False)
    result.save(folder)
    s = result.summary
    print(f"groupsim: {config.group.name}/{config.strategy.name} seed {config.seed}: "
          f"lived {s['lifetime_days']} days{' (died)' if s['died'] else ''}, "
          f"{s['final_members']} members left, {s['total_conversions']} conversions -> {folder}")


def check_overrides(args: list[str]) -> None:
    """Compose and validate a single run's overrides before Hydra starts anything."""
    if any(a in ("-m", "--multirun", "--help", "-h", "--hydra-help", "--info") or a.startswith("--cfg")
           or a.startswith("-c") for a in args):
        return
    compose_config([a for a in args if not a.startswith(HYDRA_FLAGS)])


def main() -> None:
    register_configs()
    try:
        check_overrides(sys.argv[1:])
    except ConfigError as exc:
        print(f"groupsim: error: {exc}", file=sys.stderr)
        sys.exit(2)
    app()


if __name__ == "__main__":
    main()
