"""Milestones (里程碑): celebrate member and order counts with a red packet."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from sim.checks import ranged
from sim.strategies.base import Lever, LeverParams


@dataclass
class MilestonesParams(LeverParams):
    PREFIX: ClassVar[str] = "strategy.milestones"
    hours: float = ranged(0.2, 0.0, 24.0)
    member_marks: list[int] = field(default_factory=lambda: [100, 150, 200, 300, 400, 500])
    order_marks: list[int] = field(default_factory=lambda: [50, 100, 150, 200, 500, 1000])
    yuan_per_mark_unit: float = ranged(1.0, 0.0, None)
    shares: int = ranged(50, 1, 500)


class Milestones(Lever):
    """When members or orders cross a mark, @all with a red packet of that size.

    Seed 000 (community group-buy): announce 100/150/200 members and 50/100/200
    orders, @所有人 with a 100-yuan packet at 100 orders, "thank you for your
    trust; at 150 orders we'll send 150": members feel part of something
    (组织的认同感). A triggered red packet with an @all: it pulls everyone in
    and its grabbers thank and give back like any packet's (``sim.gifts``);
    the belonging has no term of its own. Only marks crossed while the lever runs count:
    a group founded with 150 members has nothing to celebrate at 100 or 150.
    """

    name = "milestones"
    Params = MilestonesParams
    classifier = {
        "cadence": "triggered",
        "touches": frozenset({"feed", "money"}),
        "spends": frozenset({"money", "hours"}),
        "stochastic": False,
        "sources": ("000",),
    }

    def __init__(self, params, streams) -> None:
        super().__init__(params, streams)
        self.passed: set[tuple[str, int]] = set()

    def setup(self, model) -> None:
        """Marks already reached when the group is founded are not milestones."""
        self.passed.update(self.reached(model))

    def reached(self, model) -> list[tuple[str, int]]:
        counts = {"members": model.present_members, "orders": model.recorder.total_conversions}
        marks = [("members", x) for x in self.params.member_marks]
        marks += [("orders", x) for x in self.params.order_marks]
        return [(k, x) for k, x in marks if counts[k] >= x and (k, x) not in self.passed]

    def due(self, model) -> bool:
        return super().due(model) and bool(self.reached(model))

    def cost(self, model) -> tuple[float, float]:
        money = sum(x for _, x in self.reached(model)) * self.params.yuan_per_mark_unit
        return money, self.params.hours

    def act(self, model) -> None:
        p = self.params
        marks = self.reached(model)
        self.passed.update(marks)
        amount = sum(x for _, x in marks) * p.yuan_per_mark_unit
        model.notify_all(1.0)
        model.send_red_packet(amount, p.shares, thanks=0.6)
        model.post("chat", len(marks))
