"""The report's figures (seaborn/matplotlib), each from one measure's frame."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402

LABELS = {
    "activity": ("Messages per day and active members", "day", "count"),
    "rank": ("Participation: messages by rank (log-log)", "rank (1 = most messages)", "messages"),
    "newcomers": ("Newcomers: days from joining to first post", "days", "newcomers"),
    "hazard": ("Quit hazard by tenure", "tenure (days)", "exits per member at risk"),
    "kinds": ("Message kinds over time", "day (start of period)", "messages"),
    "rhythm": ("Weekly rhythm (local time)", "hour of day", "weekday"),
}
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def _axes(name: str, size=(7, 3.5)):
    fig, ax = plt.subplots(figsize=size)
    title, x, y = LABELS[name]
    ax.set(title=title, xlabel=x, ylabel=y)
    return fig, ax


def activity(daily: pd.DataFrame):
    fig, ax = _axes("activity")
    frame = daily[["day", "messages", "active"]].astype(float)
    ax.plot(frame["day"], frame["messages"], label="messages", lw=1)
    ax.plot(frame["day"], frame["messages"].rolling(7, min_periods=1).mean(), label="messages, 7-day mean")
    ax.plot(frame["day"], frame["active"], label="active members")
    ax.legend(frameon=False)
    return fig


def rank(curve: pd.Series):
    fig, ax = _axes("rank", (5, 4))
    ax.loglog(curve.index, curve.to_numpy(), marker="o", ms=3, lw=1)
    return fig


def newcomers(per: pd.DataFrame):
    fig, ax = _axes("newcomers")
    days = per["days_to_first_post"].dropna()
    if len(days):
        sns.histplot(days, discrete=True, ax=ax)
    ax.set_title(f"{LABELS['newcomers'][0]} ({int(per['days_to_first_post'].isna().sum())} never posted)")
    return fig


def hazard(table: pd.DataFrame):
    fig, ax = _axes("hazard")
    long = table.melt(id_vars="tenure_from", value_vars=["hazard_observed", "hazard_inferred"],
                      var_name="exits", value_name="hazard")
    long["exits"] = long["exits"].str.removeprefix("hazard_")
    sns.barplot(long, x="tenure_from", y="hazard", hue="exits", ax=ax)
    ax.set(xlabel=LABELS["hazard"][1], ylabel=LABELS["hazard"][2])
    return fig


def kinds(table: pd.DataFrame):
    fig, ax = _axes("kinds")
    if len(table):
        ax.stackplot(table.index, table.T.to_numpy(), labels=table.columns)
        ax.legend(frameon=False, fontsize="small", loc="upper right")
    return fig


def rhythm(table: pd.DataFrame):
    fig, ax = plt.subplots(figsize=(8, 3))
    sns.heatmap(table.set_axis(WEEKDAYS), cmap="rocket_r", ax=ax, cbar_kws={"label": "posts"})
    title, x, y = LABELS["rhythm"]
    ax.set(title=title, xlabel=x, ylabel=y)
    return fig
