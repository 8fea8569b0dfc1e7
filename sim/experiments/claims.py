"""What the articles say, as checkable claims: an expected sign of one arm's effect on one outcome.

Each experiment's question comes from a seed article (000–004). A claim names
the seed, the arm and outcome it is about, and the sign the article expects
(+1 up, -1 down, 0 no lasting change); the report checks it against the
paired effect computed from the runs, so "the model agrees" is never typed
in by hand. The claim's wording is ``claim.<experiment>.<n>`` in the catalog.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Claim:
    seeds: str      # '000' or '000, 004'
    arm: str
    metric: str
    sign: int       # +1, -1, or 0 (no clear change)


CLAIMS: dict[str, tuple[Claim, ...]] = {
    "red_packets": (Claim("000", "every3", "messages", +1), Claim("000", "every3", "thanks", +1),
                    Claim("000", "every3", "active_late", 0), Claim("000", "every3", "conversions", 0)),
    "chicken_soup": (Claim("000", "soup", "left_unhappy", +1), Claim("001", "useful", "active_late", +1)),
    "core_members": (Claim("000", "pct1", "active_late", +1), Claim("002, 004", "pct10", "left_unhappy", +1)),
    "course_after_end": (Claim("001", "content", "lifetime_days", +1),
                         Claim("000, 001", "checkin", "active_late", +1)),
    "hard_sell_vs_feelings": (Claim("000", "feelings_first", "left_unhappy", -1),
                              Claim("000", "feelings_first", "conversions", +1)),
    "owner_steps_back": (Claim("001", "kol_mesh", "active_late", +1),
                         Claim("001", "ordinary", "active_late", -1),
                         Claim("000, 001", "both", "active_late", +1)),
    "paid_entry": (Claim("000, 004", "paid", "retention_day90", +1),
                   Claim("000, 004", "paid", "final_members", -1)),
    "strict_rules": (Claim("004", "strict", "left_unhappy", -1),
                     Claim("000, 003", "zero_tolerance", "conversation", -1)),
    "when_to_convert": (Claim("000", "day30", "conversions", +1), Claim("000", "never", "left_unhappy", -1)),
}


def agreement(claim: Claim, row) -> str:
    """agrees / disagrees / cannot_tell, from the 95% CI of the arm's paired effect."""
    if row is None or row.pairs < 2 or getattr(row, "verdict", "") == "censored":
        return "cannot_tell"
    up, down = row.ci_low > 0, row.ci_high < 0
    if claim.sign == 0:
        return "disagrees" if up or down else "agrees"
    if (up and claim.sign > 0) or (down and claim.sign < 0):
        return "agrees"
    return "disagrees" if up or down else "cannot_tell"


def check(name: str, effects: pd.DataFrame) -> list[tuple[int, Claim, object, str]]:
    """(number, claim, effect row or None, agreement) for each claim of experiment ``name``."""
    rows = {(r.arm, r.metric): r for r in effects.itertuples()}
    return [(i, c, rows.get((c.arm, c.metric)), agreement(c, rows.get((c.arm, c.metric))))
            for i, c in enumerate(CLAIMS.get(name, ()), start=1)]
