"""Finding the parameters: optuna's TPE, then a re-check of the best on fresh seeds.

TPE with a fixed sampler seed, one trial at a time, on a loss that is itself
deterministic (common random numbers) gives the same fit for the same
series and options. With only a few seeds per trial the winner may be a
point whose seeds happened to match the data; the best few trials are
therefore re-scored on three times as many fresh seeds and the lowest wins. Values
are rounded to four significant digits before that re-check, so the reported
loss is the loss of the reported (and written) values.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import optuna
import pandas as pd

from sim.calibration.objective import FreeParam, loss_terms, series_of, simulate_runs
from sim.calibration.patterns import Patterns
from sim.calibration.series import initial_members
from sim.config import RunConfig

SAMPLER_SEED = 0


@dataclass
class Fit:
    """The fitted values, their loss (and its terms) on ``check_seeds``, and the trial log."""

    values: dict[str, float]
    loss: float
    terms: dict[str, float]
    fit_seeds: list[int]
    check_seeds: list[int]
    trials: pd.DataFrame = field(repr=False)


def startup(trials: int) -> int:
    """Random trials before TPE models the loss: optuna's 10, but a third of a short search (at least 4)."""
    return min(10, max(4, trials // 3))


def rounded(values: dict[str, float], params: Sequence[FreeParam]) -> dict[str, float]:
    return {p.key: int(values[p.key]) if p.integer else float(f"{values[p.key]:.4g}") for p in params}


def calibrate(observed: pd.DataFrame, base: RunConfig, params: Sequence[FreeParam], trials: int = 150,
              seeds: int = 3, recheck: int = 5, progress: bool = True, patterns: Patterns | None = None,
              weights: Mapping[str, float] | None = None) -> Fit:
    """Fit ``params`` of ``base`` to ``observed`` (a validated series) and, if given, ``patterns``.

    The loss is the sum of the terms, each times its weight (default 1).
    """
    founders = initial_members(observed)
    fit_seeds = list(range(seeds))
    check_seeds = list(range(seeds, 4 * seeds))  # fresh: the winner's fit seeds may have flattered it
    weights = dict(weights or {})

    def score(values: dict[str, float], on: list[int]) -> dict[str, float]:
        simulated, members = series_of(simulate_runs(base, values, on), observed["day"])
        terms = loss_terms(observed, simulated, founders)
        return terms | (patterns.terms(members) if patterns is not None else {})

    def total(terms: dict[str, float]) -> float:
        return sum(weights.get(name, 1.0) * value for name, value in terms.items())

    def objective(trial: optuna.Trial) -> float:
        values = {p.key: (trial.suggest_int(p.key, int(p.low), int(p.high)) if p.integer
                          else trial.suggest_float(p.key, p.low, p.high, log=p.log)) for p in params}
        terms = score(values, fit_seeds)
        for name, value in terms.items():
            trial.set_user_attr(f"loss_{name}", value)
        return total(terms)

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(direction="minimize",
                                sampler=optuna.samplers.TPESampler(seed=SAMPLER_SEED,
                                                                   n_startup_trials=startup(trials)))
    study.optimize(objective, n_trials=trials, show_progress_bar=progress)

    log = trial_log(study)
    finalists = []
    for _, row in log.sort_values(["loss", "trial"]).iterrows():
        values = rounded(row[[p.key for p in params]].to_dict(), params)
        if values not in finalists:
            finalists.append(values)
        if len(finalists) == max(recheck, 1):
            break
    scored = [(total(terms), terms, values)
              for values in finalists for terms in [score(values, check_seeds)]]
    loss, terms, values = min(scored, key=lambda s: s[0])
    return Fit(values, loss, terms, fit_seeds, check_seeds, log)


def trial_log(study: optuna.Study) -> pd.DataFrame:
    """One row per trial: number, loss, loss terms, parameter values (no timestamps)."""
    rows = [{"trial": t.number, "loss": t.value, **t.user_attrs, **t.params} for t in study.trials]
    return pd.DataFrame(rows)
