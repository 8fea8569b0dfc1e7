"""Rewards: monthly prizes for the top contributors, announced in public."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from sim.checks import ranged
from sim.members import Role
from sim.strategies.base import Lever, LeverParams


@dataclass
class RewardsParams(LeverParams):
    PREFIX: ClassVar[str] = "strategy.rewards"
    start_day: int = ranged(30, 1, None)
    every: int = ranged(30, 1, 3650)
    hours: float = ranged(0.5, 0.0, 24.0)
    winners: int = ranged(3, 1, 100)
    prize: float = ranged(50.0, 0.0, None)
    pull: float = ranged(0.4, 0.0, 1.0)
    recognition: float = ranged(0.6, 0.0, 1.0)
    spur: float = ranged(0.15, 0.0, 1.0)


class Rewards(Lever):
    """Every ``every`` days, give ``prize`` to the ``winners`` most active members.

    Seeds 001 and 003: a monthly prize for the most active members raises
    activity, provided winners are @-mentioned in public so the others are
    spurred on (激起没有获奖的成员的斗志). The prize is money to the winners
    (no value in itself to anyone else); the public announcement is
    recognition: winners gain ``recognition`` and the runners-up who took
    part a smaller ``spur`` of it, and recognition lifts one's talk
    (``population.recognition_voice``) until it fades. The announcement @s
    everyone (``pull``).
    """

    name = "rewards"
    Params = RewardsParams
    classifier = {
        "cadence": "periodic",
        "touches": frozenset({"feed", "status", "money"}),
        "spends": frozenset({"money", "hours"}),
        "stochastic": False,
        "sources": ("001", "003"),
    }

    def __init__(self, params, streams) -> None:
        super().__init__(params, streams)
        self.baseline = np.zeros(0, dtype=np.int64)

    def cost(self, model) -> tuple[float, float]:
        return self.params.prize * self.params.winners, self.params.hours

    def act(self, model) -> None:
        p, m = self.params, model.members
        counts = m.column("messages").copy()
        counts[: len(self.baseline)] -= self.baseline
        self.baseline = m.column("messages").copy()
        eligible = m.reachable & (m.column("role") != Role.OWNER) & (counts > 0)
        ranked = np.argsort(-np.where(eligible, counts, -1), kind="stable")[: p.winners]
        winners = ranked[eligible[ranked]]
        model.reward(winners, p.prize, thanks=0.8)
        model.post("chat", 1)
        model.notify_all(p.pull)
        model.recognise(winners, p.recognition)
        model.recognise(np.setdiff1d(np.flatnonzero(eligible), winners), p.spur)
