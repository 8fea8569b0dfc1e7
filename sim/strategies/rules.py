"""Strict group rules (群规): forbid ads and abuse; warn, then remove, in public."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from sim.checks import ranged
from sim.strategies.base import Lever, LeverParams


@dataclass
class RulesParams(LeverParams):
    PREFIX: ClassVar[str] = "strategy.rules"
    hours: float = ranged(0.3, 0.0, 24.0)
    strictness: float = ranged(0.8, 0.0, 1.0)
    warnings_before_removal: int = ranged(1, 0, 20)
    warning_effect: float = ranged(0.6, 0.0, 1.0)
    example_effect: float = ranged(0.5, 0.0, 1.0)
    chill: float = ranged(0.2, 0.0, 1.0)
    cooling: float = ranged(0.6, 0.0, 1.0)
    hours_per_case: float = ranged(0.05, 0.0, 24.0)


class Rules(Lever):
    """Enforce rules against spam, ads and quarrels, every day.

    Seeds 000 and 003: post rules, enforce them without exception, remove an
    offender publicly so others take note (杀鸡儆猴). Seed 004: without it,
    ads and vulgar chat drive good members out (劣币驱逐良币). Each day the
    operator catches yesterday's spammers with probability ``strictness``,
    warns them (their spam rate falls by ``warning_effect``) and removes repeat
    offenders; every public removal deters the rest (``example_effect``).
    Side effect: strict rules chill casual chat (``chill``) and cool quarrels.
    """

    name = "rules"
    Params = RulesParams
    classifier = {
        "cadence": "standing",
        "touches": frozenset({"feed", "status"}),
        "spends": frozenset({"hours"}),
        "stochastic": True,
        "sources": ("000", "003", "004"),
    }

    def __init__(self, params, streams) -> None:
        super().__init__(params, streams)
        self.warnings: dict[int, int] = {}

    def setup(self, model) -> None:
        p = self.params
        model.set_policy(chat_chill=p.chill * p.strictness, quarrel_cooling=p.cooling * p.strictness)

    def offenders(self, model) -> np.ndarray:
        return np.flatnonzero(model.spam_yesterday[: model.members.n] > 0)

    def cost(self, model) -> tuple[float, float]:
        cases = len(self.offenders(model)) * self.params.strictness
        return 0.0, self.params.hours + self.params.hours_per_case * cases

    def act(self, model) -> None:
        p = self.params
        suspects = self.offenders(model)
        caught = suspects[self.rng(model).random(len(suspects)) < p.strictness]
        for slot in caught.tolist():
            self.warnings[slot] = self.warnings.get(slot, 0) + 1
        repeat = np.array([s for s in caught.tolist() if self.warnings[s] > p.warnings_before_removal],
                          dtype=np.int64)
        model.deter(caught, p.warning_effect)
        if len(repeat):
            model.remove(repeat)
            model.deter(np.flatnonzero(model.members.reachable), p.example_effect)
