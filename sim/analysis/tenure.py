"""The quit hazard by tenure: how likely a member is to leave, given how long they have stayed.

Zhang et al. (KDD 2016, "Come-and-Go Patterns of Group Evolution") find the
time from joining to quitting follows a power law: most who quit do so soon
after joining, and the hazard falls with tenure. The same measure reads a
simulated run's member table or a real group's (``groupsim-ingest``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

BINS = (0, 7, 30, 60, 120)  # tenure windows, days


def hazard_by_tenure(members: pd.DataFrame, days: int, bins: Sequence[int] = BINS,
                     removed: bool = False) -> pd.DataFrame:
    """Voluntary exits per member-day at risk, in tenure windows [bins[k], bins[k+1]).

    A member is at risk from joining until leaving or the end of the
    observation (``days``, censored). Removals are the operator's doing and
    are left out unless ``removed``; the owner and admins never count.
    """
    table = members[~members["role"].isin(["owner", "admin"])]
    joined = table["joined_day"].to_numpy(dtype=float)
    exit_day = table["exit_day"].astype("Float64").fillna(np.nan).to_numpy(dtype=float)
    reason = table["exit_reason"].astype("string").fillna("").to_numpy(dtype=object)
    left = ~np.isnan(exit_day)
    if not removed:
        left &= reason != "removed"
    end = np.where(np.isnan(exit_day), days, exit_day)
    tenure = end - joined
    rows = []
    for lo, hi in zip(bins[:-1], bins[1:]):
        at_risk = np.clip(tenure - lo, 0, hi - lo).sum()
        quits = int((left & (tenure >= lo) & (tenure < hi)).sum())
        rows.append({"tenure": f"{lo}–{hi} days", "from_day": lo, "to_day": hi,
                     "member_days": float(at_risk), "quits": quits,
                     "hazard": quits / at_risk if at_risk else np.nan})
    return pd.DataFrame(rows)
