"""What a run achieved: each outcome computed from one run folder's tables (compare, experiments).

Every figure a report states is one of these, computed from ``summary.json``,
``daily.parquet`` and ``members.parquet`` of each run, then averaged or
differenced over seeds. ``better`` says which way an operator wants it to go
(0: neither, e.g. more messages is not good by itself).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

LATE_WINDOW = 30  # "late in the group's life": the run's last 30 days


@dataclass(frozen=True)
class RunTables:
    """One finished run folder, its tables read on first use."""

    folder: Path

    @cached_property
    def summary(self) -> dict:
        return json.loads((self.folder / "summary.json").read_text())

    @cached_property
    def daily(self) -> pd.DataFrame:
        return pd.read_parquet(self.folder / "daily.parquet")

    @cached_property
    def members(self) -> pd.DataFrame:
        return pd.read_parquet(self.folder / "members.parquet")


@dataclass(frozen=True)
class Metric:
    label: str      # in an operator's words, unit in parentheses
    unit: str       # days | people | share | orders | yuan | hours | messages | index
    better: int     # +1 higher is better, -1 lower is better, 0 neither
    compute: Callable[[RunTables], float]


def _summary(key: str) -> Callable[[RunTables], float]:
    def compute(run: RunTables) -> float:
        value = run.summary.get(key)
        return float("nan") if value is None else float(value)
    return compute


def _exits(*reasons: str) -> Callable[[RunTables], float]:
    return lambda run: float(sum(run.summary["exits"].get(r, 0) for r in reasons))


def active_late(run: RunTables) -> float:
    """Daily active members (posting, thanks not counted) averaged over the last 30 days."""
    return float(run.daily["active"].tail(LATE_WINDOW).mean())


def founders_with_role(role: str) -> Callable[[RunTables], float]:
    def compute(run: RunTables) -> float:
        founders = run.members[run.members["joined_day"] == 0]
        return float((founders["role"] == role).sum())
    return compute


METRICS: dict[str, Metric] = {
    "active_late": Metric("active members in the last 30 days (daily mean, people)", "people", +1,
                          active_late),
    "lifetime_days": Metric("group lifetime (days before its first quiet week)", "days", +1,
                            _summary("lifetime_days")),
    "died": Metric("groups that died (share of runs)", "share", -1, _summary("died")),
    "retention_day30": Metric("founders still in at day 30 (share)", "share", +1,
                              _summary("retention_day30")),
    "retention_day90": Metric("founders still in at day 90 (share)", "share", +1,
                              _summary("retention_day90")),
    "final_members": Metric("members at the end (people)", "people", +1, _summary("final_members")),
    "messages": Metric("messages over the run (all kinds)", "messages", 0, _summary("total_messages")),
    "conversation": Metric("members' conversation over the run (no spam, ads)", "messages", 0,
                           lambda run: float(run.daily["conversation"].sum())),
    "thanks": Metric("'thanks' messages over the run", "messages", 0,
                     lambda run: float(run.daily["msg_thanks"].sum())),
    "conversions": Metric("conversions (orders)", "orders", +1, _summary("total_conversions")),
    "revenue": Metric("revenue incl. entry fees (yuan)", "yuan", +1, _summary("revenue")),
    "cost_per_conversion": Metric("money spent per conversion (yuan)", "yuan", -1,
                                  _summary("cost_per_conversion")),
    "money_spent": Metric("operator money spent (yuan)", "yuan", -1, _summary("spend_money")),
    "hours_spent": Metric("operator hours spent", "hours", -1, _summary("spend_hours")),
    "left_unhappy": Metric("members who left annoyed or overloaded (people)", "people", -1,
                           _exits("annoyed", "overload")),
    "left_satisfied": Metric("members who left because their need was met (people)", "people", 0,
                             _exits("satisfied")),
    "core_founders": Metric("core members among the founders (people)", "people", 0,
                            founders_with_role("core")),
    "gini": Metric("inequality of participation (Gini, 0-1)", "index", 0,
                   _summary("participation_gini")),
}


def run_outcomes(folder: Path, metrics: tuple[str, ...]) -> dict[str, float]:
    """The named outcomes of one finished run."""
    run = RunTables(Path(folder))
    try:
        return {name: METRICS[name].compute(run) for name in metrics}
    except (OSError, ValueError, KeyError) as exc:  # a corrupt or half-deleted run folder
        raise ValueError(f"{folder}: unreadable run tables ({type(exc).__name__}: {str(exc)[:80]})") from None


def sweep_outcomes(folder: Path, runs: pd.Series, metrics: tuple[str, ...]) -> pd.DataFrame:
    """One row per run (same order as ``runs``): the named outcomes, from its run folder."""
    return pd.DataFrame([run_outcomes(Path(folder) / run, metrics) for run in runs],
                        columns=list(metrics), index=runs.index)
