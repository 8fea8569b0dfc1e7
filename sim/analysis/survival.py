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
