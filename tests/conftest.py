"""Shared helpers: run configs once per session, and pair strategies by seed.

Claims about levers are tested the way an analyst would check them: the
same seeds with and without the lever (common random numbers), compared
on means over seeds, so a test fails if the mechanism stops working.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pytest

from sim.api import Run, compose_config, run

SEEDS = tuple(range(6))
# The archetype itself: no between-group variation (group traits all at their medians).
ARCHETYPE = tuple(f"group.variation.{k}=0" for k in ("size", "ties", "owner", "fit", "talk", "competition"))


@lru_cache(maxsize=512)
def _cached(overrides: tuple[str, ...]) -> Run:
    return run(compose_config(list(overrides)))


def simulate_cached(*overrides: str) -> Run:
    """``simulate`` with a session cache: identical overrides run once."""
    return _cached(tuple(overrides))


def over_seeds(*overrides: str, seeds=SEEDS) -> list[Run]:
    return [simulate_cached(*overrides, f"seed={s}") for s in seeds]


def paired(base: tuple[str, ...], treated: tuple[str, ...], seeds=SEEDS) -> list[tuple[Run, Run]]:
    """(baseline, treated) runs on the same seeds."""
    return list(zip(over_seeds(*base, seeds=seeds), over_seeds(*treated, seeds=seeds)))


def surely(diffs) -> tuple[float, float]:
    """95% bootstrap CI of a mean paired difference over seeds (one odd seed is not a verdict)."""
    from sim.analysis.effects import bootstrap_ci
    return bootstrap_ci(np.asarray(diffs, dtype=float))


def mean_of(runs: list[Run], metric) -> float:
    """Mean over runs of ``metric(run)``."""
    return float(np.mean([metric(r) for r in runs]))


@pytest.fixture
def tiny() -> Run:
    return simulate_cached("days=20", "group.initial_members=40")
