"""The shared protocol of operator levers (modelled on Axelrod's Player).

A lever is a small class: a docstring saying what the seeds claim for it,
a ``classifier`` of declared properties that the playbook, the comparison
layer and the tests read, a ``Params`` dataclass of its tunable numbers, and
``act(model)``, called on the days it is due and affordable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from sim.checks import Checked, ranged

if TYPE_CHECKING:
    from sim.model import GroupModel
    from sim.randomness import Streams

TOUCHES = frozenset({"feed", "habit", "ties", "trust", "joins", "status", "roles", "money"})


@dataclass
class LeverParams(Checked):
    """Whether and when a lever acts, and what one use costs the operator.

    Every lever is present in every strategy config, off unless ``enabled``,
    so any lever can be switched on from the command line
    (``strategy=topics strategy.rules.enabled=true``).
    """

    enabled: bool = False
    start_day: int = ranged(1, 1, None)
    every: int = ranged(1, 1, 3650)
    stop_day: int = ranged(0, 0, None)
    money: float = ranged(0.0, 0.0, None)
    hours: float = ranged(0.0, 0.0, 24.0)

    def due(self, day: int) -> bool:
        """On schedule: from ``start_day`` every ``every`` days, until ``stop_day`` (0 = never)."""
        running = day >= self.start_day and (self.stop_day == 0 or day <= self.stop_day)
        return running and (day - self.start_day) % self.every == 0


class Lever:
    """One operator lever. Subclasses set ``name``, ``classifier``, ``Params`` and ``act``."""

    name: ClassVar[str] = "lever"
    Params: ClassVar[type[LeverParams]] = LeverParams
    classifier: ClassVar[dict[str, Any]] = {
        "cadence": "daily",          # daily | periodic | standing | triggered
        "touches": frozenset(),      # member state it changes (subset of TOUCHES)
        "spends": frozenset(),       # {"money", "hours"}
        "stochastic": False,         # draws from its own random stream
        "sources": (),               # seed articles (shared/seeds) that describe it
    }

    def __init__(self, params: LeverParams, streams: Streams) -> None:
        self.params = params
        self.streams = streams

    def setup(self, model: GroupModel) -> None:
        """Install standing rules before day 1 (default: nothing)."""

    def due(self, model: GroupModel) -> bool:
        return self.params.due(model.day)

    def cost(self, model: GroupModel) -> tuple[float, float]:
        """(money, hours) that acting today would cost."""
        return self.params.money, self.params.hours

    def act(self, model: GroupModel) -> None:
        raise NotImplementedError

    def rng(self, model: GroupModel) -> np.random.Generator:
        """This lever's own stream for today: its draws never shift anyone else's."""
        return self.streams.generator("lever", self.name, model.day)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.params})"
