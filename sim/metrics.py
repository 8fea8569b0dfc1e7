"""What an operator reads off a run: the daily table, the member table, the summary.

The column names and meanings are the output data contract (shared/DESIGN.md);
other tools read them. ``Recorder`` appends one row per day; the tables are
built once at the end.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sim.feed import KINDS
from sim.members import EXIT_NAMES, NEVER, Role, Status

if TYPE_CHECKING:
    from sim.behaviour import Posts
    from sim.model import GroupModel

DAILY_COLUMNS = [
    "day", "members", "active", "lurkers", "muted", "joined", "left", "messages",
    *(f"msg_{kind}" for kind in KINDS),
    "conversions", "revenue", "spend_money", "spend_hours",
]
EXTRA_DAILY_COLUMNS = ["operator_messages", "conversation"]
MEMBER_COLUMNS = [
    "member_id", "role", "need_learning", "need_social", "need_purchase", "joined_day",
    "invited_by", "muted_day", "exit_day", "exit_reason", "messages", "purchases",
]
SUMMARY_KEYS = [
    "lifetime_days", "died", "final_members", "peak_members", "total_messages",
    "total_conversions", "revenue", "spend_money", "spend_hours",
]


class Recorder:
    """Collects the daily row and keeps the running totals levers may read."""

    def __init__(self, model: GroupModel) -> None:
        self.rows: list[tuple] = []
        self.total_conversions = 0

    def record(self, model: GroupModel, posts: Posts, conversions: int, revenue: float) -> None:
        m, feed, day = model.members, model.today.feed, model.day
        window = model.cfg.population.active_window_days
        present = int(m.present.sum())
        active = int(m.active(day, window).sum())
        muted = int((m.column("status") == Status.MUTED).sum())
        member_messages = feed.total - feed.by_operator.sum()
        conversation = feed.conversation
        self.total_conversions += conversions
        book = model.playbook
        self.rows.append((
            day, present, active, present - active - muted, muted, len(model.today.joined),
            int(model.left_today.sum()), int(round(feed.total)),
            *(int(round(c)) for c in feed.count),
            conversions, float(revenue), book.spent_money, book.spent_hours,
            int(round(feed.by_operator.sum())), int(conversation),
        ))
        model.yesterday_per_member = member_messages / max(present, 1)
        model.spam_yesterday = posts.spam + posts.ad

    def daily(self) -> pd.DataFrame:
        """One row per day (the contract's ``daily.parquet``)."""
        frame = pd.DataFrame(self.rows, columns=DAILY_COLUMNS + EXTRA_DAILY_COLUMNS)
        return frame.astype({"revenue": float, "spend_money": float, "spend_hours": float})


def _nullable(values: np.ndarray, missing: np.ndarray) -> pd.Series:
    return pd.Series(pd.array(np.where(missing, 0, values), dtype="Int64")).mask(missing)


def member_table(model: GroupModel) -> pd.DataFrame:
    """One row per member ever present (the contract's ``members.parquet``)."""
    m = model.members
    n = m.n
    reason = m.column("exit_reason")
    frame = pd.DataFrame({
        "member_id": np.arange(n),
        "role": [Role(r).name.lower() for r in m.column("role")],
        **{f"need_{name}": m.needs[:n, i] for i, name in enumerate(m.need_names)},
        "joined_day": m.column("joined_day"),
        "invited_by": _nullable(m.column("invited_by"), m.column("invited_by") < 0),
        "muted_day": _nullable(m.column("muted_day"), m.column("muted_day") == NEVER),
        "exit_day": _nullable(m.column("exit_day"), m.column("exit_day") == NEVER),
        "exit_reason": pd.Series([EXIT_NAMES.get(int(r)) for r in reason], dtype="string"),
        "messages": m.column("messages"),
        "purchases": m.column("purchases"),
    })
    extras = [c for c in frame.columns if c not in MEMBER_COLUMNS]
    return frame[[c for c in MEMBER_COLUMNS if c in frame.columns] + extras]


def lifetime(daily: pd.DataFrame, quiet_messages: int, quiet_days: int) -> tuple[int, bool]:
    """Days the group lived, and whether it died.

    A group dies on the first day that starts ``quiet_days`` consecutive days
    on which members post fewer than ``quiet_messages`` messages of
    conversation (the operator's posts, spam and ads do not count); its
    lifetime is the number of days before that. A group still talking at the
    end is censored: lifetime = days run, died = False.
    """
    quiet = pd.Series(daily["conversation"].to_numpy() < quiet_messages)
    spell = quiet.rolling(quiet_days).sum().to_numpy() == quiet_days
    if spell.any():
        start = int(np.argmax(spell)) - quiet_days + 1
        return start, True
    return len(daily), False


def summarize(model: GroupModel, daily: pd.DataFrame, members: pd.DataFrame) -> dict[str, Any]:
    """Per-run figures an operator compares, with the definitions they rest on."""
    death = model.cfg.death
    days, died = lifetime(daily, death.quiet_messages, death.quiet_days)
    founders = members[members["joined_day"] == 0]
    conversions = int(daily["conversions"].sum())
    money = float(daily["spend_money"].sum())
    retention = {
        f"retention_day{d}": float(((founders["exit_day"].isna()) | (founders["exit_day"] > d)).mean())
        for d in (7, 30, 90) if d <= len(daily)
    }
    return {
        "lifetime_days": days,
        "died": died,
        "final_members": int(daily["members"].iloc[-1]),
        "peak_members": int(daily["members"].max()),
        "total_messages": int(daily["messages"].sum()),
        "total_conversions": conversions,
        "revenue": float(daily["revenue"].sum()),
        "spend_money": money,
        "spend_hours": float(daily["spend_hours"].sum()),
        **retention,
        "cost_per_conversion": money / conversions if conversions else None,
        "participation_gini": model.gini_of_messages(),
        "exits": {k: int(v) for k, v in members["exit_reason"].value_counts().items()},
        "lever_uses": dict(model.playbook.uses),
        "lever_unaffordable": dict(model.playbook.unaffordable),
        "red_packets": model.gifts.summary(),
        "group_traits": model.traits.as_dict(),
        "strategy": model.cfg.strategy.name,
        "group": model.cfg.group.name,
        "seed": model.cfg.seed,
        "days": len(daily),
        "definitions": {
            "died": (f"members posted fewer than {death.quiet_messages} messages of conversation "
                     f"a day for {death.quiet_days} consecutive days"),
            "conversation": ("members' own messages other than spam, ads and thanks (daily column); "
                             "the operator's, the owner persona's and scripted posts (a KOL asked "
                             "to share) are operator_messages, not conversation"),
            "lifetime_days": "days before that quiet spell began; the run length if it never did",
            "active": (f"present, not muted, posted (a thanks included) in the last "
                       f"{model.cfg.population.active_window_days} days"),
            "lurkers": "present, not muted, not active",
            "members": "present at the end of the day, muted included",
            "retention_dayN": "share of founding members still present after day N",
            "participation_gini": "Gini coefficient of messages over everyone ever present",
            "cost_per_conversion": "operator money spent / conversions (null if none)",
            "red_packets": ("red-packet money members grabbed, the money they sent back in "
                            "their own packets the next day, the ratio, and the luckiest "
                            "recipients' share of it (Yuan et al. 2024)"),
        },
    }
