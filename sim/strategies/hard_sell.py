"""Hard selling: product posts and links, the operator's direct route to sales."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from sim.checks import ranged
from sim.strategies.base import Lever, LeverParams


@dataclass
class HardSellParams(LeverParams):
    PREFIX: ClassVar[str] = "strategy.hard_sell"
    hours: float = ranged(0.2, 0.0, 24.0)
    posts: int = ranged(4, 0, 100)


class HardSell(Lever):
    """Post ``posts`` product ads a day.

    Seed 000: exposure sells to those who need the product, but if about 80%
    of the talk is selling people leave: "talk feelings more than money".
    Ads raise purchase exposure; when ads exceed the members' tolerance share
    of the feed, trust erodes and readers are annoyed.
    """

    name = "hard_sell"
    Params = HardSellParams
    classifier = {
        "cadence": "daily",
        "touches": frozenset({"feed", "trust"}),
        "spends": frozenset({"hours"}),
        "stochastic": False,
        "sources": ("000",),
    }

    def act(self, model) -> None:
        model.post("ad", self.params.posts)
