"""Fixed schedule: the operator posts at fixed hours, so members know when to look."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from sim.checks import ranged
from sim.strategies.base import Lever, LeverParams


@dataclass
class FixedScheduleParams(LeverParams):
    PREFIX: ClassVar[str] = "strategy.fixed_schedule"
    relief: float = ranged(0.7, 0.0, 1.0)
    habit: float = ranged(0.05, 0.0, 0.5)


class FixedSchedule(Lever):
    """Publish at fixed times: operator posts disturb less and build a habit.

    Seed 000 (community group-buy): new items at midnight, best-sellers at
    10:00, orders close at 23:00; customers form a body clock, look at the
    group at those times, and are not over-disturbed. Operator posts count
    ``relief`` less toward the unread flood; members' habit target rises by
    ``habit``. The relief changes nothing by itself: it shapes the other
    levers' posts (with no operator posts, only the habit term acts).
    """

    name = "fixed_schedule"
    Params = FixedScheduleParams
    classifier = {
        "cadence": "standing",
        "touches": frozenset({"habit"}),
        "spends": frozenset(),
        "stochastic": False,
        "sources": ("000",),
    }

    def setup(self, model) -> None:
        model.set_policy(schedule_relief=self.params.relief, schedule_habit=self.params.habit)

    def act(self, model) -> None:
        """Nothing to do each day: the schedule is a standing habit."""
