"""Figures for a sweep or an experiment, each readable on its own, in the reader's language.

Every figure of one report gets the same ``palette``: one colour per arm,
the baseline grey, so an arm is recognised across figures. Shares are drawn
in percent (levels) and percentage points (differences).
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.ticker import PercentFormatter  # noqa: E402
from matplotlib.transforms import offset_copy  # noqa: E402

from sim.analysis.words import metric_label  # noqa: E402
from sim.fonts import cjk_rc  # noqa: E402
from sim.i18n import t  # noqa: E402
from sim.output import atomic_write  # noqa: E402

sns.set_theme(style="whitegrid", context="notebook", rc=cjk_rc())
BAND = ("se", 1.96)  # mean ± 1.96 standard errors over seeds: a 95% band
BASELINE_GREY = "#8c8c8c"


def palette(arms: list[str], baseline: str | None) -> dict[str, tuple]:
    """Arm -> colour, in the given order: the baseline grey, the others tab10 without its grey."""
    colours = [c for i, c in enumerate(sns.color_palette("tab10", 10)) if i != 7]
    others = [a for a in arms if a != baseline]
    mapping = {a: colours[i % len(colours)] for i, a in enumerate(others)}
    if baseline in arms:
        mapping[baseline] = matplotlib.colors.to_rgb(BASELINE_GREY)
    return {a: mapping[a] for a in arms}


def save(fig: plt.Figure, path) -> str:
    """Write a PNG atomically and free the figure; returns the file name."""
    atomic_write(path, lambda p: fig.savefig(p, dpi=110, bbox_inches="tight", format="png"))
    plt.close(fig)
    return path.name


def daily_lines(daily: pd.DataFrame, colours: dict[str, tuple], hue: str = "strategy") -> plt.Figure:
    """Members, active members and messages per day, mean and 95% band over seeds."""
    panels = ["members", "active", "messages"]
    fig, axes = plt.subplots(1, 3, figsize=(16, 4.8), sharex=True)
    for ax, column in zip(axes, panels):
        sns.lineplot(daily, x="day", y=column, hue=hue, hue_order=list(colours), palette=colours,
                     errorbar=BAND, ax=ax, legend=ax is axes[0])
        ax.set(xlabel=t("fig.day"), ylabel=t(f"fig.daily.{column}"), title=t(f"fig.daily.{column}.title"))
    legend_below(fig, axes[0])
    fig.suptitle(t("fig.daily.suptitle"), y=1.02)
    return fig


def survival_curves(curves: pd.DataFrame, groups: pd.DataFrame | None,
                    colours: dict[str, tuple]) -> plt.Figure:
    """Kaplan–Meier member survival; beside it group survival, only when some group died."""
    fig, axes = plt.subplots(1, 2 if groups is not None else 1, figsize=(14 if groups is not None else 8, 5),
                             squeeze=False)
    left = axes[0][0]
    sns.lineplot(curves.assign(still_in=100 * curves["still_in"]), x="days_in_group", y="still_in",
                 hue="strategy", hue_order=list(colours), palette=colours, drawstyle="steps-post", ax=left)
    left.set(xlabel=t("fig.survival.x"), ylabel=t("fig.survival.y"), title=t("fig.survival.title"),
             ylim=(0, 102))
    left.yaxis.set_major_formatter(PercentFormatter())
    left.legend(title="", fontsize="small")
    if groups is not None:
        right = axes[0][1]
        sns.lineplot(groups.assign(alive=100 * groups["alive"]), x="day", y="alive", hue="strategy",
                     hue_order=list(colours), palette=colours, drawstyle="steps-post", ax=right, legend=False)
        right.set(xlabel=t("fig.day"), ylabel=t("fig.groups.y"), title=t("fig.groups.title"), ylim=(0, 102))
        right.yaxis.set_major_formatter(PercentFormatter())
    fig.tight_layout()
    return fig


def forest(effects: pd.DataFrame, metrics: list[str], units: dict[str, str], colours: dict[str, tuple],
           baseline_label: str, row: str = "row_label", arm: str = "strategy") -> plt.Figure:
    """Paired effect of each arm against the baseline, one panel per outcome, 95% bootstrap CIs."""
    rows_order = list(dict.fromkeys(effects[row]))
    fig, axes = plt.subplots(1, len(metrics), figsize=(4.4 * len(metrics), 0.5 * len(rows_order) + 2.2),
                             sharey=True, squeeze=False)
    y = dict(zip(rows_order, np.arange(len(rows_order))[::-1]))
    for ax, metric in zip(axes[0], metrics):
        part = effects[effects["metric"] == metric]
        scale = 100 if units.get(metric) == "share" else 1
        for r in part.itertuples():
            ax.errorbar(scale * r.effect, y[getattr(r, row)], fmt="o", capsize=3,
                        xerr=[[scale * (r.effect - r.ci_low)], [scale * (r.ci_high - r.effect)]],
                        color=colours.get(getattr(r, arm), "tab:blue"))
        ax.axvline(0, color="0.4", lw=1, ls="--")
        ax.set_yticks(list(y.values()), list(y))
        unit = t("fig.points") if scale == 100 else ""
        ax.set_title(metric_label(metric), fontsize="small")
        ax.set_xlabel(t("fig.forest.x", baseline=baseline_label) + (f" ({unit})" if unit else ""))
    fig.suptitle(t("fig.forest.title", baseline=baseline_label), y=1.0)
    fig.tight_layout()
    return fig


def cost_frontier(index: pd.DataFrame, colours: dict[str, tuple], gain: str = "summary.total_conversions",
                  gain_label: str | None = None) -> plt.Figure:
    """Spend (money, hours) against a gain per arm; the frontier of arms not beaten on both."""
    means = index.groupby("strategy").agg(
        money=("summary.spend_money", "mean"), hours=("summary.spend_hours", "mean"),
        gain=(gain, "mean"), gain_se=(gain, "sem")).reindex([a for a in colours if a in set(index["strategy"])])
    fig, axes = plt.subplots(1, 2, figsize=(13, 5))
    for ax, cost in zip(axes, ("money", "hours")):
        seen: dict[tuple, int] = {}
        for arm, r in means.iterrows():
            n = seen[(r[cost], r["gain"])] = seen.get((r[cost], r["gain"]), -1) + 1  # dodge ties
            ax.errorbar(r[cost], r["gain"], yerr=1.96 * (0 if pd.isna(r["gain_se"]) else r["gain_se"]),
                        fmt="o", ms=9, capsize=3, color=colours[arm], label=arm,
                        transform=offset_copy(ax.transData, fig=fig, x=8 * n, units="points"))
        on = means[pareto(means[cost].to_numpy(), means["gain"].to_numpy())].sort_values(cost)
        right = max(means[cost].max() * 1.05, 1)
        xs = [*on[cost], right]
        ys = [*on["gain"], on["gain"].iloc[-1]]
        ax.step(xs, ys, where="post", color="black", ls="--", lw=1.2, label=t("fig.frontier.line"))
        ax.scatter(on[cost], on["gain"], s=260, facecolors="none", edgecolors="black", lw=1.2)
        ax.set(xlabel=t(f"fig.frontier.{cost}"), ylabel=gain_label or metric_label("conversions"),
               title=t(f"fig.frontier.title.{cost}"))
        ax.set_xlim(left=-0.03 * right, right=right)
    legend_below(fig, axes[0])
    fig.suptitle(t("fig.frontier.suptitle"), y=1.02)
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
    fig.suptitle(t("fig.heatmap.title", label=label), y=1.02)
    fig.tight_layout()
    return fig


def legend_below(fig: plt.Figure, ax: plt.Axes) -> None:
    handles, labels = ax.get_legend_handles_labels()
    if ax.get_legend():
        ax.get_legend().remove()
    fig.legend(handles, labels, loc="lower center", ncol=min(len(labels), 6), frameon=False,
               bbox_to_anchor=(0.5, -0.08))
