"""Figures for a sweep, each readable on its own: title, units, strategy names."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402

from sim.analysis.effects import METRICS  # noqa: E402

sns.set_theme(style="whitegrid", context="notebook")
BAND = ("se", 1.96)  # mean ± 1.96 standard errors over seeds: a 95% band


def daily_lines(daily: pd.DataFrame, hue: str = "strategy") -> plt.Figure:
    """Members, active members and messages per day, mean and 95% band over seeds."""
    panels = [("members", "members present (people)"), ("active", "active members (people)"),
              ("messages", "messages per day")]
    fig, axes = plt.subplots(1, 3, figsize=(16, 4.8), sharex=True)
    for ax, (column, label) in zip(axes, panels):
        sns.lineplot(daily, x="day", y=column, hue=hue, errorbar=BAND, ax=ax, legend=ax is axes[0])
        ax.set(xlabel="day of the group's life", ylabel=label, title=label.split(" (")[0].capitalize())
    _legend_below(fig, axes[0])
    fig.suptitle("Daily course of the group by strategy (mean over seeds, 95% band)", y=1.02)
    return fig


def survival_curves(curves: pd.DataFrame, lifetimes: pd.DataFrame) -> plt.Figure:
    """Kaplan–Meier member survival, and the distribution of group lifetimes."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(14, 5), gridspec_kw={"width_ratios": [3, 2]})
    sns.lineplot(curves, x="days_in_group", y="still_in", hue="strategy", drawstyle="steps-post",
                 ax=left)
    left.set(xlabel="days since joining", ylabel="share of members still in the group",
             title="Member survival (Kaplan–Meier)", ylim=(0, 1.02))
    left.legend(title="strategy", fontsize="small")
    sns.boxplot(lifetimes, x="lifetime_days", y="strategy", ax=right, fliersize=0, color="0.9")
    sns.stripplot(lifetimes, x="lifetime_days", y="strategy", hue="died", ax=right, size=4,
                  palette={True: "tab:red", False: "tab:blue"}, alpha=0.7)
    right.set(xlabel="group lifetime (days; censored at the run's end if it never died)",
              ylabel="", title="Group lifetime by strategy")
    right.legend(title="died", fontsize="small", loc="lower right")
    fig.tight_layout()
    return fig


def forest(effects: pd.DataFrame, baseline: str) -> plt.Figure:
    """Paired effect of each strategy against the baseline, with 95% bootstrap CIs."""
    metrics = [m for m in METRICS if m in set(effects["metric"])]
    fig, axes = plt.subplots(1, len(metrics), figsize=(4.6 * len(metrics), 0.5 * effects["strategy"].nunique() + 2.2),
                             sharey=True, squeeze=False)
    for ax, metric in zip(axes[0], metrics):
        rows = effects[effects["metric"] == metric]
        label = rows["label"].iloc[0]
        y = np.arange(len(rows))
        ax.errorbar(rows["effect"], y, xerr=[rows["effect"] - rows["ci_low"], rows["ci_high"] - rows["effect"]],
                    fmt="o", color="tab:blue", capsize=3)
        ax.axvline(0, color="0.4", lw=1, ls="--")
        ax.set_yticks(y, rows["cell_label"])
        ax.set(title=label, xlabel=f"difference vs {baseline}")
    fig.suptitle(f"Paired effect vs '{baseline}' on the same seeds (mean, 95% bootstrap CI)", y=1.0)
    fig.tight_layout()
    return fig


def cost_frontier(index: pd.DataFrame) -> plt.Figure:
    """Spend against conversions per strategy: who buys conversions cheapest (frontier marked)."""
    means = index.groupby("strategy").agg(
        money=("summary.spend_money", "mean"), hours=("summary.spend_hours", "mean"),
        conversions=("summary.total_conversions", "mean"),
        conversions_se=("summary.total_conversions", "sem")).reset_index()
    fig, axes = plt.subplots(1, 2, figsize=(13, 5))
    for ax, cost, unit in zip(axes, ("money", "hours"), ("yuan", "operator hours")):
        frontier = pareto(means[cost].to_numpy(), means["conversions"].to_numpy())
        ax.errorbar(means[cost], means["conversions"], yerr=1.96 * means["conversions_se"].fillna(0),
                    fmt="none", ecolor="0.6", capsize=3)
        sns.scatterplot(means, x=cost, y="conversions", hue="strategy", s=90, ax=ax, legend=ax is axes[0])
        ordered = means[frontier].sort_values(cost)
        ax.plot(ordered[cost], ordered["conversions"], color="tab:green", lw=1.5, label="frontier")
        for row in means.itertuples():
            ax.annotate(row.strategy, (getattr(row, cost), row.conversions), textcoords="offset points",
                        xytext=(6, 4), fontsize="small")
        ax.set(xlabel=f"operator spend per run ({unit})", ylabel="conversions per run (orders)",
               title=f"Conversions against {cost} spent (green: not beaten on both)")
    _legend_below(fig, axes[0])
    fig.tight_layout()
    return fig


def pareto(cost: np.ndarray, gain: np.ndarray) -> np.ndarray:
    """Points no other point beats on both lower cost and higher gain."""
    beaten = [(cost <= c) & (gain >= g) & ((cost < c) | (gain > g)) for c, g in zip(cost, gain)]
    return ~np.array([b.any() for b in beaten])


def heatmap(index: pd.DataFrame, x: str, y: str, metric: str, label: str) -> plt.Figure:
    """Mean of ``metric`` over seeds on a grid of two swept parameters, one panel per strategy."""
    strategies = sorted(index["strategy"].unique())
    fig, axes = plt.subplots(1, len(strategies), figsize=(5 * len(strategies), 4.4), squeeze=False)
    for ax, strategy in zip(axes[0], strategies):
        grid = index[index["strategy"] == strategy].pivot_table(index=y, columns=x, values=metric)
        sns.heatmap(grid.sort_index(ascending=False), annot=True, fmt=".3g", cmap="viridis", ax=ax,
                    cbar_kws={"label": label})
        ax.set(title=strategy, xlabel=x, ylabel=y)
    fig.suptitle(f"{label}: mean over seeds", y=1.02)
    fig.tight_layout()
    return fig


def _legend_below(fig: plt.Figure, ax: plt.Axes) -> None:
    handles, labels = ax.get_legend_handles_labels()
    if ax.get_legend():
        ax.get_legend().remove()
    fig.legend(handles, labels, loc="lower center", ncol=min(len(labels), 6), frameon=False,
               bbox_to_anchor=(0.5, -0.08))
