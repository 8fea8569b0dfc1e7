"""Onboarding: newcomers introduce themselves, learn the rules, find their people."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from sim.checks import ranged
from sim.members import Role
from sim.strategies.base import Lever, LeverParams


@dataclass
class OnboardingParams(LeverParams):
    PREFIX: ClassVar[str] = "strategy.onboarding"
    hours: float = ranged(0.05, 0.0, 24.0)
    hours_per_newcomer: float = ranged(0.05, 0.0, 24.0)
    introduce: float = ranged(0.7, 0.0, 1.0)
    matches: int = ranged(2, 0, 20)
    welcome: float = ranged(0.3, 0.0, 1.0)
    rules_deterrence: float = ranged(0.5, 0.0, 1.0)


class Onboarding(Lever):
    """Welcome each day's newcomers: self-introduction, rules, introductions.

    Seed 001: when a group starts or a member joins, a self-introduction lets
    others see what they do, and members who find a match start talking.
    Matias (PNAS 2019): announcing the rules to newcomers raises their
    participation. A newcomer introduces themself with probability
    ``introduce``, is tied to ``matches`` members with similar needs, gets a
    habit boost ``welcome``, has their first posts answered, and a spammer
    told the rules spams less (``rules_deterrence``).
    """

    name = "onboarding"
    Params = OnboardingParams
    classifier = {
        "cadence": "daily",
        "touches": frozenset({"feed", "ties", "habit"}),
        "spends": frozenset({"hours"}),
        "stochastic": True,
        "sources": ("001", "003"),
    }

    def setup(self, model) -> None:
        model.set_policy(onboarding=True)

    def cost(self, model) -> tuple[float, float]:
        p = self.params
        return 0.0, p.hours + p.hours_per_newcomer * len(model.today.joined)

    def act(self, model) -> None:
        p, m = self.params, model.members
        newcomers = model.today.joined
        if len(newcomers) == 0:
            return
        rng = self.rng(model)
        model.welcome(newcomers)
        model.boost_habit(newcomers, p.welcome)
        model.post_as(newcomers[rng.random(len(newcomers)) < p.introduce], "chat")
        model.deter(newcomers[m.role[newcomers] == Role.SPAMMER], p.rules_deterrence)
        old = np.flatnonzero(m.reachable & (m.column("joined_day") < model.day))
        if p.matches and len(old):
            similarity = m.needs[newcomers] @ m.needs[old].T
            best = np.argsort(-similarity, axis=1, kind="stable")[:, : p.matches]
            model.connect(np.repeat(newcomers, best.shape[1]), old[best].ravel())
