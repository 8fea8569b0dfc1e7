"""What is fitted, and how far a simulation is from the operator's series.

The archetype (``group=...``) fixes everything but a few parameters that the
series can actually pin down. Identifiability was checked by sweeping each
candidate on the interest group (90 days, 3 seeds):

* ``group.chat_propensity`` scales every member's posting: messages move
  ~13x over its range. Fitted.
* ``group.invite_rate`` sets invitation joins (0 -> ~80 over 90 days). Fitted.
* ``population.leave_threshold`` sets churn: members leave once satisfaction
  drops below it. Below about -0.3 nobody is that unhappy and the series
  cannot tell values apart, so the range starts there. Fitted.
* ``group.need_intensity`` also scales messages and is confounded with
  ``chat_propensity`` from members + messages alone; ``population.leave_rate``
  barely moves anything at default satisfaction levels. Not fitted by
  default (``--param`` adds them, at the operator's risk).

The discrepancy compares scale-free features so that no series dominates by
its units: log members, log of the 7-day mean of messages, and joins and
exits as cumulative shares of the founding members. The simulated feature is
the mean over fixed seeds (common random numbers), so the loss is a
deterministic function of the parameters.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.sensitivity import checked_param
from sim.api import Run, run
from sim.calibration.series import OPTIONAL
from sim.checks import ConfigError
from sim.config import RunConfig

SMOOTH_DAYS = 7


@dataclass(frozen=True)
class FreeParam:
    """One fitted parameter and its search range (inside the config's declared range)."""

    key: str
    low: float
    high: float
    log: bool = False
    integer: bool = False


DEFAULT_PARAMS = (
    FreeParam("group.chat_propensity", 0.05, 1.5, log=True),  # talkativeness -> messages
    FreeParam("group.invite_rate", 0.0, 0.02),                  # invitations -> joins, growth
    FreeParam("population.leave_threshold", -0.3, 0.1),         # churn -> exits, decline
)


def free_params(texts: Sequence[str], base: Sequence[str]) -> list[FreeParam]:
    """``KEY=LOW:HIGH`` texts as parameters; both ends must compose under the schema."""
    if not texts:
        return list(DEFAULT_PARAMS)
    params = []
    for text in texts:
        key, low, high, integer = checked_param(text, list(base))
        if key in {p.key for p in params}:
            raise ConfigError(f"--param {key}: given twice")
        params.append(FreeParam(key, low, high, integer=integer))
    return params


def with_values(cfg: RunConfig, values: Mapping[str, float]) -> RunConfig:
    """``cfg`` with dotted keys replaced; ``dataclasses.replace`` re-runs the range checks.

    Composing through Hydra costs ~0.2 s, four times a run, so trials edit
    the composed config instead.
    """
    def put(node: Any, path: list[str], value: Any) -> Any:
        head, *rest = path
        return dataclasses.replace(node, **{head: put(getattr(node, head), rest, value) if rest else value})

    for key, value in values.items():
        cfg = put(cfg, key.split("."), value)
    return cfg


def simulate_series(base: RunConfig, values: Mapping[str, float], seeds: Sequence[int],
                    days: pd.Series) -> pd.DataFrame:
    """Simulated daily series on the operator's days, one block per seed (``seed`` column).

    The first observed day is simulated day 1; a gap in the data skips those days.
    """
    return series_of(simulate_runs(base, values, seeds), days)[0]


def simulate_runs(base: RunConfig, values: Mapping[str, float], seeds: Sequence[int]) -> list[Run]:
    """One run per seed of ``base`` with ``values`` (members kept: the patterns read them)."""
    cfg = with_values(base, values)
    return [run(dataclasses.replace(cfg, seed=seed), keep_model=False) for seed in seeds]


def series_of(runs: Sequence[Run], days: pd.Series) -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    """The runs' daily series on the operator's days (``seed`` column), and their member tables."""
    offset = int(days.iloc[0]) - 1
    frames = []
    for r in runs:
        daily = r.daily.assign(day=r.daily["day"] + offset).set_index("day").loc[days.to_numpy()]
        frames.append(daily[["members", "messages", *OPTIONAL]].reset_index().assign(seed=r.config.seed))
    return pd.concat(frames, ignore_index=True), [r.members for r in runs]


def features(series: pd.DataFrame, founders: int, columns: Sequence[str]) -> pd.DataFrame:
    """Scale-free versions of the series that the loss compares (index: day)."""
    series = series.set_index("day")
    out = {
        "members": np.log1p(series["members"]),
        "messages": np.log1p(series["messages"].rolling(SMOOTH_DAYS, min_periods=1).mean()),
    }
    for flow in (c for c in OPTIONAL if c in columns):
        out[flow] = series[flow].cumsum() / founders
    return pd.DataFrame(out)


def loss_terms(observed: pd.DataFrame, simulated: pd.DataFrame, founders: int) -> dict[str, float]:
    """Mean squared error per feature between the data and the seed-mean simulation."""
    target = features(observed, founders, observed.columns)
    by_seed = [features(block, founders, observed.columns) for _, block in simulated.groupby("seed")]
    mean = sum(by_seed) / len(by_seed)
    return {name: float(((mean[name] - target[name]) ** 2).mean()) for name in target.columns}
