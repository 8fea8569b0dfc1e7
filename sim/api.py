"""The Python API: compose a config from overrides, run it, get tables back.

``simulate(["strategy=topics", "seed=3"])`` does in memory what the
``groupsim`` command does on disk, through the same Hydra configs.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from hydra import compose, initialize_config_dir
from hydra.errors import HydraException
from omegaconf import DictConfig
from omegaconf.errors import OmegaConfBaseException

from sim.checks import ConfigError
from sim.config import RunConfig, load_config, register_configs
from sim.metrics import member_table, summarize
from sim.model import GroupModel
from sim.output import write_run
from sim.overrides import as_list, check_keys, parse
from sim.resources import check_memory

CONFIG_DIR = Path(__file__).resolve().parent.parent / "configs"
NOISE = ("full_key:", "reference_type", "object_type", "To append", "Config search path", "provider=")


@dataclass
class Run:
    """One finished run: the contract's three tables plus the model for inspection."""

    config: RunConfig
    daily: pd.DataFrame
    members: pd.DataFrame
    summary: dict[str, Any]
    model: GroupModel | None = field(default=None, repr=False)

    def save(self, folder: str | Path) -> Path:
        """Write the run folder (config.yaml, daily/members parquet, summary.json)."""
        return write_run(Path(folder), config_yaml(self.config), self.daily, self.members,
                         self.summary)


def config_yaml(cfg: RunConfig) -> str:
    """The fully resolved config as YAML (the run folder's ``config.yaml``)."""
    return yaml.safe_dump(dataclasses.asdict(cfg), sort_keys=False, allow_unicode=True)


def _chain(exc: BaseException | None):
    while exc is not None:
        yield exc
        exc = exc.__cause__ or exc.__context__


def one_line(exc: BaseException) -> str:
    """Hydra and OmegaConf errors span lines; keep what names the field and the choices."""
    text = "\n".join(str(e).strip() for e in _chain(exc))
    missing = re.search(r"Could not find '([^'/]+)/([^']*)'", text)
    if missing and "Available options" in text:
        group, chosen = missing.groups()
        listed = text.split("Available options", 1)[1].splitlines()[1:]
        options = [ln.strip() for ln in itertools.takewhile(lambda ln: ln.startswith("\t"), listed)]
        said = f"unknown option {chosen!r}" if chosen else "no option given"
        return f"{group}: {said}; allowed: {', '.join(options)}"
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    key = next((ln.split(":", 1)[1].strip() for ln in lines if ln.startswith("full_key:")), "")
    said = [ln for ln in lines if not ln.startswith(NOISE)][:2]
    message = ": ".join(ln.rstrip(".") for ln in said) or type(exc).__name__
    return f"{key}: {message}" if key and key not in message else message


def compose_dict(overrides: list[str] | None = None) -> DictConfig:
    """Compose ``configs/config.yaml`` with Hydra overrides (keys checked), not yet validated."""
    overrides = as_list(overrides)
    check_keys(parse(overrides))
    register_configs()
    try:
        with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base=None):
            return compose(config_name="config", overrides=overrides)
    except (HydraException, OmegaConfBaseException, ValueError) as exc:
        raise ConfigError(one_line(exc)) from None


def compose_config(overrides: list[str] | None = None) -> RunConfig:
    """Compose ``configs/config.yaml`` with Hydra overrides and validate it."""
    cfg = compose_dict(overrides)
    try:
        return load_config(cfg)
    except ConfigError:
        raise
    except (HydraException, OmegaConfBaseException, ValueError) as exc:
        raise ConfigError(one_line(exc)) from None


def run(cfg: RunConfig, keep_model: bool = True) -> Run:
    """Simulate ``cfg.days`` days of one group and collect the contract's tables."""
    check_memory(cfg)
    model = GroupModel(cfg)
    for _ in range(cfg.days):
        model.step()
    daily = model.recorder.daily()
    members = member_table(model)
    summary = summarize(model, daily, members)
    return Run(cfg, daily, members, summary, model if keep_model else None)


def simulate(overrides: list[str] | None = None) -> Run:
    """Compose a config from Hydra-style overrides and run it in memory."""
    return run(compose_config(overrides))
