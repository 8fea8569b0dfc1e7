"""Paired effects: each strategy against the baseline on the same seeds.

Runs on one seed share their initial population and every random draw a
strategy does not touch (common random numbers), so the per-seed difference
isolates the strategy; its mean gets a bootstrap confidence interval
(scipy.stats.bootstrap over seeds).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from sim.analysis.load import STRATEGY, Sweep

METRICS = {
    "lifetime_days": ("summary.lifetime_days", "group lifetime (days)"),
    "retention_day30": ("summary.retention_day30", "founders still in at day 30 (share)"),
    "conversions": ("summary.total_conversions", "conversions (orders)"),
    "cost_per_conversion": ("summary.cost_per_conversion", "cost per conversion (yuan)"),
}


def bootstrap_ci(diffs: np.ndarray, level: float = 0.95, seed: int = 0) -> tuple[float, float]:
    """Percentile bootstrap CI of the mean paired difference (degenerate data: the value)."""
    if len(diffs) < 2 or np.ptp(diffs) == 0:
        return float(diffs.mean()), float(diffs.mean())
    res = stats.bootstrap((diffs,), np.mean, confidence_level=level, n_resamples=2000,
                          method="percentile", rng=np.random.default_rng(seed))
    return float(res.confidence_interval.low), float(res.confidence_interval.high)


def paired_effects(sweep: Sweep, baseline: str = "none", metrics: dict = METRICS) -> pd.DataFrame:
    """Tidy table: cell, strategy, metric, pairs, baseline and strategy means, effect, 95% CI."""
    index = sweep.index
    if baseline not in set(index[STRATEGY]):
        raise ValueError(f"baseline strategy {baseline!r} is not in the sweep "
                         f"(strategies: {', '.join(sweep.strategies)})")
    # a strategy's own knobs (strategy.red_packets.every) are not the baseline's
    keys = [c for c in sweep.cells if not c.startswith("strategy.")] + ["seed"]
    rows = []
    base = index[index[STRATEGY] == baseline]
    for strategy in (s for s in sweep.strategies if s != baseline):
        treated = index[index[STRATEGY] == strategy]
        pairs = treated.merge(base, on=keys, suffixes=("", "_base"))
        for cell, group in pairs.groupby(sweep.cells, dropna=False) if sweep.cells else [((), pairs)]:
            cell = dict(zip(sweep.cells, cell if isinstance(cell, tuple) else (cell,)))
            for metric, (column, label) in metrics.items():
                if column not in group:
                    continue
                both = group[[column, f"{column}_base"]].apply(pd.to_numeric, errors="coerce").dropna()
                if both.empty:
                    continue
                diffs = (both[column] - both[f"{column}_base"]).to_numpy(float)
                low, high = bootstrap_ci(diffs)
                rows.append({**cell, "strategy": strategy, "metric": metric, "label": label,
                             "pairs": len(diffs), "baseline_mean": both[f"{column}_base"].mean(),
                             "strategy_mean": both[column].mean(), "effect": diffs.mean(),
                             "ci_low": low, "ci_high": high})
    return pd.DataFrame(rows)


CANDIDATES = ("active_late", "final_members", "retention_day30", "retention_day90", "conversions",
              "revenue", "left_unhappy", "messages", "lifetime_days", "died")
COSTS = ("money_spent", "hours_spent")


def standardized(effects: pd.DataFrame, table: pd.DataFrame) -> pd.Series:
    """|effect| over the outcome's spread across all runs: comparable across units."""
    spread = {m: pd.to_numeric(table[m], errors="coerce").std() for m in effects["metric"].unique()}
    return (effects["effect"].abs() / effects["metric"].map(spread).replace(0, np.nan)).fillna(0)


def choose_metrics(effects: pd.DataFrame, table: pd.DataFrame, most: int = 6, least: int = 3) -> list[str]:
    """Default outcomes: those some arm clearly moves (95% CI off zero), biggest standardized
    effect first; topped up with the next biggest when fewer than ``least`` move clearly."""
    scored = effects.assign(score=standardized(effects, table),
                            clear=(effects["ci_low"] > 0) | (effects["ci_high"] < 0))
    best = scored.groupby("metric").agg(score=("score", "max"), clear=("clear", "any"))
    best = best.sort_values(["clear", "score"], ascending=False)
    clear = list(best.index[best["clear"]])[:most]
    return clear + [m for m in best.index if m not in clear][: max(0, least - len(clear))]
