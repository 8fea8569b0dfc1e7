"""The comparison in plain words: who wins on what, by how much, how sure, at what cost.

Every sentence is built from the paired effects table (each arm minus the
baseline on the same seeds, 95% bootstrap CI) and read from the catalog, so
the report says the same thing in Chinese and English.
"""

from __future__ import annotations

import pandas as pd

from sim.analysis.outcomes import METRICS
from sim.analysis.words import ci_text, fmt, fmt_diff, metric_short, sentences
from sim.i18n import t


def unit_of(metric: str) -> str:
    return METRICS[metric].unit if metric in METRICS else "index"


def better_of(metric: str) -> int:
    return METRICS[metric].better if metric in METRICS else 0


def clear(row) -> bool:
    return row.pairs >= 2 and (row.ci_low > 0 or row.ci_high < 0)


def judgement(row) -> str:
    """'clearly better' / 'clearly lower' / 'not distinguishable from no change'."""
    if not clear(row):
        return t("cmp.word.unclear")
    direction = better_of(row.metric)
    if direction == 0:
        return t("cmp.word.higher" if row.effect > 0 else "cmp.word.lower")
    return t("cmp.word.better" if row.effect * direction > 0 else "cmp.word.worse")


def effect_words(row) -> str:
    unit = unit_of(row.metric)
    return t("cmp.effect", metric=metric_short(row.metric), diff=fmt_diff(row.effect, unit),
             ci=ci_text(row.ci_low, row.ci_high, unit, row.pairs), word=judgement(row))


def winners(effects: pd.DataFrame, metrics: list[str], labels: dict[str, str], baseline: str) -> list[str]:
    """One line per outcome: the arm furthest in the good direction, and whether it is sure."""
    lines = []
    for metric in metrics:
        rows = effects[effects["metric"] == metric]
        if rows.empty:
            continue
        direction = better_of(metric)
        top = rows.loc[(rows["effect"] * direction if direction else rows["effect"].abs()).idxmax()]
        unit = unit_of(metric)
        if direction == 0:  # more messages is not better by itself: say who moved it most
            key = "cmp.win.neutral" if clear(top) else "cmp.win.none_neutral"
            lines.append(t(key, metric=metric_short(metric), arm=top["row_label"], baseline=labels[baseline],
                           diff=fmt_diff(top["effect"], unit),
                           ci=ci_text(top["ci_low"], top["ci_high"], unit, top["pairs"])))
            continue
        if top["effect"] * direction <= 0 or not clear(top):
            lines.append(t("cmp.win.none", metric=metric_short(metric), baseline=labels[baseline]))
            continue
        lines.append(t("cmp.win", metric=metric_short(metric), arm=top["row_label"],
                       diff=fmt_diff(top["effect"], unit), baseline=labels[baseline],
                       ci=ci_text(top["ci_low"], top["ci_high"], unit, top["pairs"])))
    return lines


def cost_words(costs: pd.DataFrame, gains: pd.DataFrame, baseline_label: str) -> str:
    """Extra money and hours against the baseline, and what each unit of clear gain cost."""
    extra = {r.metric: r.effect for r in costs.itertuples()}
    money, hours = extra.get("money_spent", 0.0), extra.get("hours_spent", 0.0)
    if abs(money) < 0.5 and abs(hours) < 0.05:
        return t("cmp.cost.none", baseline=baseline_label)
    text = t("cmp.cost.extra", money=fmt_diff(money, "yuan"), hours=fmt_diff(hours, "hours"),
             baseline=baseline_label)
    per = []
    for row in gains.itertuples():
        if not clear(row) or better_of(row.metric) <= 0 or row.effect <= 0:  # gains, not fewer losses
            continue
        unit = unit_of(row.metric)
        step = row.effect * (100 if unit == "share" else 1)
        spend, spend_unit = (money, "yuan") if money >= 0.5 else (hours, "hours")
        per.append(t("cmp.cost.unit", cost=fmt(spend / step, spend_unit), per=t(f"unit.per.{unit}"),
                     metric=metric_short(row.metric)))
    return sentences([text, t("cmp.cost.per", items=t("list.sep").join(per)) if per else ""])


def arm_paragraph(arm_label: str, baseline_label: str, rows: pd.DataFrame, costs: pd.DataFrame,
                  seeds: int) -> list[str]:
    """A bullet per outcome for one arm, then its cost, then any outcome missing seed pairs."""
    pairs = int(rows["pairs"].max()) if len(rows) else 0
    lines = [t("cmp.arm.head", arm=arm_label, baseline=baseline_label, pairs=pairs), ""]
    lines += [f"- {effect_words(r)}" for r in rows.itertuples()]
    lines += [f"- {cost_words(costs, rows, baseline_label)}"]
    lines += [f"- {t('cmp.pairs.fewer', metric=metric_short(r.metric), pairs=r.pairs, seeds=seeds)}"
              for r in rows.itertuples() if r.pairs < seeds]
    return lines + [""]
