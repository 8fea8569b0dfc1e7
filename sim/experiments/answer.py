"""From outcomes to an answer: paired effects, verdicts and plain sentences.

Effects are ``sim.analysis.paired_effects``: each arm minus the baseline on
the same seed, with a 95% bootstrap interval over seeds. A verdict reads the
interval, never the point alone: *better*/*worse* when it lies on one side of
zero (and the effect is at least the spec's ``min_effect``), *small* when it
lies on one side of zero but the effect is below ``min_effect``,
*no_difference* when it lies within ±``min_effect``, *unclear* otherwise
(and always with fewer than two seed pairs: one pair has no interval).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.analysis.effects import bootstrap_ci, paired_effects
from sim.analysis.load import STRATEGY, Sweep
from sim.experiments.outcomes import METRICS, Metric
from sim.experiments.spec import Experiment

VERDICT_WORDS = {"better": "clearly better", "worse": "clearly worse",
                 "no_difference": "too small to matter", "higher": "clearly higher",
                 "lower": "clearly lower", "unclear": "not distinguishable from no change",
                 "small": "real, but perhaps too small to matter"}


def fmt(value: float, unit: str) -> str:
    """A level in the metric's unit, rounded for reading."""
    if pd.isna(value):
        return "n/a"
    return {"share": f"{100 * value:.1f}%", "days": f"{value:.1f} days", "people": f"{value:.1f} people",
            "orders": f"{value:.1f} orders", "yuan": f"{value:,.0f} yuan", "hours": f"{value:.1f} hours",
            "messages": f"{value:,.0f} messages", "index": f"{value:.2f}"}[unit]


def fmt_diff(value: float, unit: str) -> str:
    """A difference: percentage points for shares, the unit otherwise, sign always shown."""
    if unit == "share":
        return f"{100 * value:+.1f} points"
    text = fmt(value, unit)
    return text if text.startswith("-") else f"+{text}"


def short(metric: Metric) -> str:
    return metric.label.split(" (")[0]


def effects(table: pd.DataFrame, experiment: Experiment, baseline: str,
            metrics: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Paired effects of every arm against ``baseline`` on ``metrics`` (default: all), arms in spec order."""
    done = table[table["status"] == "done"].rename(columns={"arm": STRATEGY})
    if baseline not in set(done[STRATEGY]):
        return pd.DataFrame()
    metrics = {m: (m, METRICS[m].label) for m in metrics or experiment.metrics}
    frame = paired_effects(Sweep(folder=None, index=done), baseline=baseline, metrics=metrics)
    if frame.empty:
        return frame
    frame = frame.rename(columns={"strategy": "arm"})
    frame["verdict"] = [verdict(r, experiment.min_effect if r.metric == experiment.primary else 0.0)
                        for r in frame.itertuples()]
    arm_order = {arm.key: i for i, arm in enumerate(experiment.arms)}
    metric_order = {m: i for i, m in enumerate(experiment.metrics)}
    ordered = frame.assign(_arm=frame["arm"].map(arm_order), _metric=frame["metric"].map(metric_order))
    return ordered.sort_values(["_arm", "_metric"]).drop(columns=["_arm", "_metric"]).reset_index(drop=True)


def verdict(row, min_effect: float = 0.0) -> str:
    """better/worse (or higher/lower for metrics with no good direction), no_difference, unclear."""
    lo, hi, effect = row.ci_low, row.ci_high, row.effect
    if row.pairs < 2:
        return "unclear"
    if max(abs(lo), abs(hi)) <= min_effect:
        return "no_difference"
    if lo > 0 or hi < 0:
        if abs(effect) < min_effect:
            return "small"
        better = METRICS[row.metric].better
        if better == 0:
            return "higher" if effect > 0 else "lower"
        return "better" if effect * better > 0 else "worse"
    return "unclear"


def arm_levels(table: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Mean of ``metric`` per arm over its finished runs, with a 95% bootstrap CI of the mean."""
    rows = []
    for arm, group in table[table["status"] == "done"].groupby("arm", sort=False):
        values = group[metric].dropna().to_numpy(float)
        low, high = bootstrap_ci(values) if len(values) else (np.nan, np.nan)
        rows.append({"arm": arm, "metric": metric, "runs": len(values),
                     "mean": values.mean() if len(values) else np.nan, "ci_low": low, "ci_high": high})
    return pd.DataFrame(rows)


@dataclass
class Answer:
    outcome: str          # better | worse | no_difference | unclear
    best: str             # the arm with the best primary effect vs the baseline
    bullets: list[str]    # one per arm: primary effect, then clear side effects
    ranking: str          # best arm against the runner-up (three or more arms), else ""


def ci_text(low: float, high: float, unit: str, pairs: int = 2) -> str:
    """'95% CI -1.7 to +2.2 people' (the unit once), or 'the same on every seed'."""
    if pairs < 2:
        return "one seed pair only, no interval"
    if low == high:
        return "the same on every seed"
    low_text, high_text = fmt_diff(low, unit), fmt_diff(high, unit)
    word = high_text.split(" ", 1)[1] if " " in high_text else ""
    if word and low_text.endswith(" " + word):
        low_text = low_text[: -len(word) - 1]
    return f"95% CI {low_text} to {high_text}"


def effect_phrase(row, unit: str) -> str:
    """'+352 messages (+11%; 95% CI +220 to +435 messages)'."""
    relative = ""
    if unit != "share" and row.baseline_mean:
        percent = round(100 * row.effect / abs(row.baseline_mean))
        relative = f"{percent:+d}%; " if abs(percent) < 500 else ""  # off a near-empty baseline
    return f"{fmt_diff(row.effect, unit)} ({relative}{ci_text(row.ci_low, row.ci_high, unit, row.pairs)})"


def primary_sentence(row, experiment: Experiment, baseline_label: str, label: str) -> str:
    metric = METRICS[experiment.primary]
    if row.effect == 0:
        moved = f"stayed at {fmt(row.baseline_mean, metric.unit)}"
    else:
        moved = (f"{'rose' if row.effect > 0 else 'fell'} from {fmt(row.baseline_mean, metric.unit)} "
                 f"to {fmt(row.strategy_mean, metric.unit)}")
    return (f"**{upper_first(label)}** vs {baseline_label}: {short(metric)} {moved}, "
            f"{effect_phrase(row, metric.unit)}: {VERDICT_WORDS[row.verdict]}.")


def side_effects(rows: pd.DataFrame) -> str:
    """The other metrics: clear changes spelled out, unclear ones named."""
    clear = [f"{short(METRICS[r.metric])} {effect_phrase(r, METRICS[r.metric].unit)}"
             for r in rows.itertuples() if r.verdict not in ("unclear", "no_difference", "small")]
    vague = [short(METRICS[r.metric]) for r in rows.itertuples()
             if r.verdict in ("unclear", "no_difference", "small")]
    parts = []
    if clear:
        parts.append("Also changed: " + "; ".join(clear) + ".")
    if vague:
        parts.append("No clear change in " + ", ".join(vague) + ".")
    return " ".join(parts)


def answer(table: pd.DataFrame, experiment: Experiment, effects_vs_baseline: pd.DataFrame) -> Answer:
    labels = {arm.key: arm.label for arm in experiment.arms}
    primary = effects_vs_baseline[effects_vs_baseline["metric"] == experiment.primary]
    if primary.empty:
        return Answer("unclear", experiment.baseline, ["Too few finished runs to compare arms."], "")
    direction = METRICS[experiment.primary].better
    outcome = headline(primary["verdict"])
    named = primary[primary["verdict"] == "better"] if outcome == "better" else primary
    best_row = named.loc[(named["effect"] * direction).idxmax()]
    bullets = []
    for row in primary.itertuples():
        others = effects_vs_baseline[(effects_vs_baseline["arm"] == row.arm)
                                     & (effects_vs_baseline["metric"] != experiment.primary)]
        text = primary_sentence(row, experiment, labels[experiment.baseline], labels[row.arm])
        bullets.append(f"{text} {side_effects(others)}".strip())
    top = best_row["arm"] if best_row["effect"] * direction > 0 else experiment.baseline
    return Answer(outcome, best_row["arm"], bullets, ranking(table, experiment, top))


def headline(verdicts: pd.Series) -> str:
    """The answer over all arms: better if any arm is clearly better, else worse if any is
    clearly worse, no_difference only if every arm is too close to matter, else unclear."""
    for outcome in ("better", "worse"):
        if (verdicts == outcome).any():
            return outcome
    return "no_difference" if (verdicts == "no_difference").all() else "unclear"


def ranking(table: pd.DataFrame, experiment: Experiment, top: str) -> str:
    """With three or more arms: how far the top arm is ahead of the next one, paired by seed."""
    if len(experiment.arms) < 3:
        return ""
    metric = METRICS[experiment.primary]
    rows = effects(table, experiment, top, metrics=(experiment.primary,))
    if rows.empty:
        return ""
    runner = rows.loc[(rows["effect"] * metric.better).idxmax()]
    labels = {arm.key: arm.label for arm in experiment.arms}
    gap, lo, hi = -runner["effect"], -runner["ci_high"], -runner["ci_low"]
    if lo == hi == 0:
        return (f"On {short(metric)}, **{labels[top]}** and {labels[runner['arm']]} tied on every seed "
                f"({fmt(runner['baseline_mean'], metric.unit)}).")
    margin = "a clear margin" if lo > 0 or hi < 0 else "too close to call with these seeds"
    return (f"Of all arms, **{labels[top]}** did best on {short(metric)} "
            f"({fmt(runner['baseline_mean'], metric.unit)}). The runner-up, {labels[runner['arm']]}, "
            f"reached {fmt(runner['strategy_mean'], metric.unit)}; the difference: "
            f"{fmt_diff(gap * metric.better, metric.unit)} in the top arm's favour "
            f"({ci_text(*sorted((lo * metric.better, hi * metric.better)), metric.unit, runner['pairs'])}), "
            f"{margin}.")


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]
