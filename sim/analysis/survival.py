"""Member survival (Kaplan–Meier) by strategy: how long members stay.

Members still in the group at the end are right-censored at the run's end;
``scipy.stats.ecdf`` on censored data gives the Kaplan–Meier estimate.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats


def member_survival(members: pd.DataFrame, days: int, by: str = "strategy") -> pd.DataFrame:
    """Share of members still present ``t`` days after joining, per ``by`` group (tidy)."""
    grid = np.arange(0, days + 1)
    frames = []
    for name, group in members.groupby(by):
        stayed = group["exit_day"].isna().to_numpy()
        tenure = np.where(stayed, days - group["joined_day"], group["exit_day"] - group["joined_day"])
        tenure = np.asarray(tenure, dtype=float)
        data = stats.CensoredData(uncensored=tenure[~stayed], right=tenure[stayed])
        curve = stats.ecdf(data).sf.evaluate(grid)
        frames.append(pd.DataFrame({by: name, "days_in_group": grid, "still_in": curve}))
    return pd.concat(frames, ignore_index=True)


def group_survival(lifetimes: pd.DataFrame, days: int, by: str = "strategy") -> pd.DataFrame:
    """Share of groups still alive on each day, per ``by`` group (Kaplan–Meier; groups that
    never died are censored at the run's end, never counted as dying there)."""
    grid = np.arange(0, days + 1)
    frames = [pd.DataFrame({by: name, "day": grid, "alive": _fit(g).sf.evaluate(grid)})
              for name, g in lifetimes.groupby(by, sort=False)]
    return pd.concat(frames, ignore_index=True)


def lifetime_summary(lifetimes: pd.DataFrame, days: int, by: str = "strategy") -> pd.DataFrame:
    """Per group: runs, deaths, Kaplan–Meier median lifetime (NaN when fewer than half died)
    and restricted mean survival time up to ``days`` (the area under the KM curve)."""
    rows = []
    grid = np.arange(0, days + 1)
    for name, group in lifetimes.groupby(by, sort=False):
        sf = _fit(group).sf.evaluate(grid)
        below = np.nonzero(sf <= 0.5)[0]
        rows.append({by: name, "runs": len(group), "died": int(group["died"].sum()),
                     "median": float(grid[below[0]]) if len(below) else np.nan,
                     "rmst": float(np.sum(sf[:-1]))})  # step function: one day per grid step
    return pd.DataFrame(rows)


def _fit(group: pd.DataFrame):
    died = group["died"].astype(bool).to_numpy()
    life = group["lifetime_days"].to_numpy(float)
    return stats.ecdf(stats.CensoredData(uncensored=life[died], right=life[~died]))
