"""Fixed schedule: the operator posts at fixed hours, so members know when to look."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from sim.checks import ranged
from sim.strategies.base import Lever, LeverParams


@dataclass
class FixedScheduleParams(LeverParams):
    PREFIX: ClassVar[str] = "strategy.fixed_schedule"


class FixedSchedule(Lever):
    """Publish at fixed times: members who know when to look read it in one sitting.

    Seed 000 (community group-buy): new items at midnight, best-sellers at
    10:00, orders close at 23:00; customers form a body clock, look at the
    group at those times, and are not over-disturbed. The operator's posts
    (and scripted ones) are marked scheduled: a member reads them at the
    known time in the measure of their reading habit, so they add to the red
    dot's unread flood only for those not in the habit (``sim.kernels.weigh``).
    Nothing else changes: with no operator posts the schedule does nothing,
    and its effect grows with what the operator posts and with members' habit.
    """

    name = "fixed_schedule"
    Params = FixedScheduleParams
    classifier = {
        "cadence": "standing",
        "touches": frozenset({"feed"}),
        "spends": frozenset(),
        "stochastic": False,
        "sources": ("000",),
    }

    def setup(self, model) -> None:
        model.set_policy(fixed_schedule=True)

    def act(self, model) -> None:
        """Nothing to do each day: the schedule is a standing habit."""
