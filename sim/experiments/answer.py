"""From outcomes to an answer: paired effects, verdicts, trade-offs and plain sentences.

Effects are ``sim.analysis.paired_effects``: each arm minus the baseline on
the same seed, with a 95% bootstrap interval over seeds. A verdict reads the
interval, never the point alone: *better*/*worse* when it lies on one side of
zero (and the effect is at least the spec's ``min_effect``), *small* when it
lies on one side of zero but the effect is below ``min_effect``,
*no_difference* when it lies within ±``min_effect``, *unclear* otherwise
(and always with fewer than two seed pairs: one pair has no interval), and
*censored* for lifetimes when no group died in either arm: equal run lengths
are not a measured tie. The headline leads with the trade-off: what the best
arm gains, what it loses, and what each unit gained costs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.analysis.effects import bootstrap_ci, paired_effects
from sim.analysis.load import STRATEGY, Sweep
from sim.analysis.outcomes import METRICS
from sim.analysis.summary import cost_words
from sim.analysis.words import ci_text, fmt, fmt_diff, metric_short, sentences
from sim.experiments.spec import Experiment
from sim.experiments.texts import spec_text
from sim.i18n import t

__all__ = ["Answer", "answer", "arm_levels", "ci_text", "effects", "fmt", "fmt_diff", "headline",
           "more_seeds", "verdict"]

COSTS = ("money_spent", "hours_spent")
MAX_SEEDS = 1000


def short(metric: str) -> str:
    return metric_short(metric)


def effects(table: pd.DataFrame, experiment: Experiment, baseline: str,
            metrics: tuple[str, ...] | None = None, days: int | None = None) -> pd.DataFrame:
    """Paired effects of every arm against ``baseline`` on ``metrics`` (default: all, and the
    costs), arms in spec order; lifetimes of groups that never died are marked censored."""
    done = table[table["status"] == "done"].rename(columns={"arm": STRATEGY})
    if baseline not in set(done[STRATEGY]):
        return pd.DataFrame()
    names = metrics or tuple(dict.fromkeys([*experiment.metrics, *(c for c in COSTS if c in done)]))
    frame = paired_effects(Sweep(folder=None, index=done), baseline=baseline,
                           metrics={m: (m, METRICS[m].label) for m in names})
    if frame.empty:
        return frame
    frame = frame.rename(columns={"strategy": "arm"})
    frame["verdict"] = [verdict(r, experiment.min_effect if r.metric == experiment.primary else 0.0)
                        for r in frame.itertuples()]
    if days and "lifetime_days" in done:
        alive = done.groupby(STRATEGY)["lifetime_days"].min() >= days
        censored = (frame["metric"] == "lifetime_days") & frame["arm"].map(alive) & bool(alive.get(baseline))
        frame.loc[censored, "verdict"] = "censored"
    arm_order = {arm.key: i for i, arm in enumerate(experiment.arms)}
    metric_order = {m: i for i, m in enumerate(names)}
    ordered = frame.assign(_arm=frame["arm"].map(arm_order), _metric=frame["metric"].map(metric_order))
    return ordered.sort_values(["_arm", "_metric"]).drop(columns=["_arm", "_metric"]).reset_index(drop=True)


def verdict(row, min_effect: float = 0.0) -> str:
    """better/worse (or higher/lower for metrics with no good direction), small, no_difference, unclear."""
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
    headline: str         # the trade-off: gain, losses, cost per unit gained
    bullets: list[str]    # one per arm: primary effect, then clear side effects
    ranking: str          # best arm against the runner-up (three or more arms), else ""


def effect_phrase(row, unit: str) -> str:
    """'+352 messages (+11%; 95% CI +220 to +435 messages)'."""
    relative = ""
    if unit != "share" and row.baseline_mean:
        percent = round(100 * row.effect / abs(row.baseline_mean))
        relative = f"{percent:+d}%; " if abs(percent) < 500 else ""  # off a near-empty baseline
    return t("paren", head=fmt_diff(row.effect, unit), inner=relative + ci_text(row.ci_low, row.ci_high, unit, row.pairs))


def primary_sentence(row, experiment: Experiment, labels: dict[str, str]) -> str:
    metric = METRICS[experiment.primary]
    if row.verdict == "censored":
        moved = t("exp.censored", days=fmt(row.baseline_mean, "days"))
    elif row.effect == 0:
        moved = t("exp.stayed", level=fmt(row.baseline_mean, metric.unit))
    else:
        moved = t("exp.rose" if row.effect > 0 else "exp.fell", before=fmt(row.baseline_mean, metric.unit),
                  after=fmt(row.strategy_mean, metric.unit))
    return t("exp.primary", arm=labels[row.arm], baseline=labels[experiment.baseline],
             metric=short(experiment.primary), moved=moved, effect=effect_phrase(row, metric.unit),
             verdict=t(f"exp.verdict.{row.verdict}"))


def side_effects(rows: pd.DataFrame) -> str:
    """The other outcomes: clear changes spelled out, unclear ones named."""
    clear = [f"{short(r.metric)} {effect_phrase(r, METRICS[r.metric].unit)}"
             for r in rows.itertuples() if r.verdict not in ("unclear", "no_difference", "small", "censored")]
    vague = [short(r.metric) for r in rows.itertuples()
             if r.verdict in ("unclear", "no_difference", "small", "censored")]
    parts = []
    if clear:
        parts.append(t("exp.also_changed", items=t("list.sep").join(clear)))
    if vague:
        parts.append(t("exp.no_clear_change", items=t("list.sep").join(vague)))
    return sentences(parts)


def trade_off(experiment: Experiment, vs: pd.DataFrame, arm: str, labels: dict[str, str],
              won: bool = True) -> str:
    """What ``arm`` gains on the answer's measure, what it clearly loses, and the cost per unit gained."""
    rows = vs[vs["arm"] == arm]
    primary = rows[rows["metric"] == experiment.primary].iloc[0]
    gain = t("exp.trade.gain" if won else "exp.trade.top", arm=labels[arm], metric=short(experiment.primary),
             diff=fmt_diff(primary["effect"], METRICS[experiment.primary].unit),
             ci=ci_text(primary["ci_low"], primary["ci_high"], METRICS[experiment.primary].unit, primary["pairs"]),
             baseline=labels[experiment.baseline])
    losses = [f"{short(r.metric)} {fmt_diff(r.effect, METRICS[r.metric].unit)}" for r in rows.itertuples()
              if r.verdict == "worse" and r.metric not in COSTS]
    loss = (t("exp.trade.loss", items=t("list.sep").join(losses)) if losses else t("exp.trade.no_loss"))
    costs = rows[rows["metric"].isin(COSTS)]
    gains = rows[rows["metric"] == experiment.primary].assign(pairs=primary["pairs"])
    return sentences([gain, loss, cost_words(costs, gains, labels[experiment.baseline])])


def answer(table: pd.DataFrame, experiment: Experiment, vs: pd.DataFrame) -> Answer:
    labels = {arm.key: arm_label(experiment, arm.key) for arm in experiment.arms}
    primary = vs[vs["metric"] == experiment.primary]
    if primary.empty:
        return Answer("unclear", experiment.baseline, t("exp.too_few"), [], "")
    direction = METRICS[experiment.primary].better
    outcome = headline(primary["verdict"])
    named = primary[primary["verdict"] == "better"] if outcome == "better" else primary
    best_row = named.loc[(named["effect"] * direction).idxmax()]
    bullets = []
    for row in primary.itertuples():
        others = vs[(vs["arm"] == row.arm) & (vs["metric"] != experiment.primary) & ~vs["metric"].isin(COSTS)]
        bullets.append(sentences([primary_sentence(row, experiment, labels), side_effects(others)]))
    if outcome == "better":
        lead = trade_off(experiment, vs, best_row["arm"], labels)
    else:
        lead = sentences([t(f"exp.headline.{outcome}", metric=short(experiment.primary),
                           baseline=labels[experiment.baseline]),
                         trade_off(experiment, vs, best_row["arm"], labels, won=False)])
    top = best_row["arm"] if best_row["effect"] * direction > 0 else experiment.baseline
    return Answer(outcome, best_row["arm"], lead, bullets, ranking(table, experiment, top, labels))


def headline(verdicts: pd.Series) -> str:
    """The answer over all arms: better if any arm is clearly better, else worse if any is
    clearly worse, no_difference only if every arm is too close to matter, else unclear."""
    for outcome in ("better", "worse"):
        if (verdicts == outcome).any():
            return outcome
    return "no_difference" if (verdicts == "no_difference").all() else "unclear"


def ranking(table: pd.DataFrame, experiment: Experiment, top: str, labels: dict[str, str]) -> str:
    """With three or more arms: how far the top arm is ahead of the next one, paired by seed."""
    if len(experiment.arms) < 3:
        return ""
    metric = METRICS[experiment.primary]
    rows = effects(table, experiment, top, metrics=(experiment.primary,))
    if rows.empty:
        return ""
    runner = rows.loc[(rows["effect"] * metric.better).idxmax()]
    gap, lo, hi = -runner["effect"], -runner["ci_high"], -runner["ci_low"]
    if lo == hi == 0:
        return t("exp.rank.tie", metric=short(experiment.primary), top=labels[top],
                 runner=labels[runner["arm"]], level=fmt(runner["baseline_mean"], metric.unit))
    margin = t("exp.rank.clear" if lo > 0 or hi < 0 else "exp.rank.close")
    return t("exp.rank", top=labels[top], metric=short(experiment.primary),
             level=fmt(runner["baseline_mean"], metric.unit), runner=labels[runner["arm"]],
             runner_level=fmt(runner["strategy_mean"], metric.unit),
             gap=fmt_diff(gap * metric.better, metric.unit),
             ci=ci_text(*sorted((lo * metric.better, hi * metric.better)), metric.unit, runner["pairs"]),
             margin=margin)


def more_seeds(primary: pd.DataFrame, seeds: int, min_effect: float) -> str:
    """Advice on seeds from what was run: how many would narrow the widest unclear interval
    below the effect worth detecting (the CI shrinks as 1/sqrt(seeds)), or that more won't help."""
    unclear = primary[primary["verdict"] == "unclear"]
    if unclear.empty:
        return t("exp.seeds.enough", seeds=seeds)
    half = float(((unclear["ci_high"] - unclear["ci_low"]) / 2).max())
    target = max(min_effect, float(unclear["effect"].abs().max()))
    needed = math.ceil(seeds * (half / target) ** 2 / 10) * 10 if target > 0 else MAX_SEEDS + 1
    if needed > MAX_SEEDS:
        return t("exp.seeds.hopeless", seeds=seeds, most=MAX_SEEDS)
    return t("exp.seeds.more", seeds=seeds, needed=max(needed, seeds + 10))


def arm_label(experiment: Experiment, key: str) -> str:
    """An arm's label in the reader's language (zh from the experiments catalog, else the spec)."""
    return spec_text(experiment, f"arm.{key}", experiment.arm(key).label)


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]
