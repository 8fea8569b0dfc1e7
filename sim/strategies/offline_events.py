"""Offline events (线下活动): meet in person; expensive, rare, and deep."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from sim.checks import ranged
from sim.strategies.base import Lever, LeverParams


@dataclass
class OfflineEventsParams(LeverParams):
    PREFIX: ClassVar[str] = "strategy.offline_events"
    start_day: int = ranged(30, 1, None)
    every: int = ranged(60, 1, 3650)
    money: float = ranged(1500.0, 0.0, None)
    hours: float = ranged(8.0, 0.0, 24.0)
    attendance: float = ranged(0.15, 0.0, 1.0)
    trust: float = ranged(0.3, 0.0, 1.0)


class OfflineEvents(Lever):
    """Hold a meet-up every ``every`` days for members who come.

    Seeds 001, 000 and 003: online talk stays between "net friends"; an
    offline event deepens ties and wakes lurkers, at a cost in money and a
    day of the operator's time. Members attend with probability
    ``attendance`` scaled by their social need and ties (muted members, less
    likely); attendees tie up with each other, unmute, and trust the group.
    """

    name = "offline_events"
    Params = OfflineEventsParams
    classifier = {
        "cadence": "periodic",
        "touches": frozenset({"ties", "habit", "status", "trust"}),
        "spends": frozenset({"money", "hours"}),
        "stochastic": True,
        "sources": ("000", "001", "003"),
    }

    def act(self, model) -> None:
        m = model.members
        present = m.present
        degree = model.ties.degree(m.n)
        keen = (0.5 + m.need("social")) * (1 + np.minimum(degree, 5) / 5)
        keen = np.where(m.reachable, keen, 0.3 * keen)
        p = np.clip(self.params.attendance * keen, 0.0, 1.0) * present
        p[0] = 1.0  # the owner hosts
        attendees = np.flatnonzero(self.rng(model).random(m.n) < p)
        model.hold_offline_event(attendees, self.params.trust)
        model.post("chat", 3)
