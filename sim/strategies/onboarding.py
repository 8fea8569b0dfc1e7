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
    welcome_days: int = ranged(7, 1, 365)
    rules_deterrence: float = ranged(0.5, 0.0, 1.0)
    rules_voice: float = ranged(1.0, 0.0, 10.0)


class Onboarding(Lever):
    """Welcome each day's newcomers: self-introduction, rules, introductions.

    Seed 001: when a group starts or a member joins, a self-introduction lets
    others see what they do, and members who find a match start talking.
    Matias (PNAS 2019): announcing the rules to newcomers raises their
    participation. A newcomer introduces themself with probability
    ``introduce``, is tied to ``matches`` members with similar needs (among
    those talking lately, so the match can answer), gets a habit boost
    ``welcome``, has their first post answered if it comes within
    ``welcome_days`` of joining; told the rules, a newcomer speaks up sooner
    (talk x (1 + ``rules_voice``) until their first post or ``welcome_days``,
    Matias 2019) and a spammer spams less
    (``rules_deterrence``). Cost: ``hours`` a day plus ``hours_per_newcomer``.
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
        self._voiced = np.zeros(0, dtype=np.int64)  # newcomers encouraged who have not spoken yet

    def cost(self, model) -> tuple[float, float]:
        p = self.params
        return 0.0, p.hours + p.hours_per_newcomer * len(model.today.joined)

    def act(self, model) -> None:
        p, m = self.params, model.members
        newcomers = model.today.joined
        joined_day = m.column("joined_day")
        # Newcomers who have not spoken yet: their first words will be answered.
        silent = m.reachable & (joined_day > 0) & (joined_day > model.day - p.welcome_days)
        silent &= m.column("first_post_day") < 0
        model.welcome(np.union1d(newcomers, np.flatnonzero(silent)))
        self._settle(model)
        if len(newcomers) == 0:
            return
        rng = self.rng(model)
        model.boost_habit(newcomers, p.welcome)
        model.post_as(newcomers[rng.random(len(newcomers)) < p.introduce], "chat")
        voiced = newcomers[m.role[newcomers] != Role.SPAMMER]
        model.encourage(voiced, 1.0 + p.rules_voice)
        self._voiced = np.union1d(self._voiced, voiced)
        model.deter(newcomers[m.role[newcomers] == Role.SPAMMER], p.rules_deterrence)
        if p.matches:
            self._introduce(model, newcomers)

    def _settle(self, model) -> None:
        """Once a newcomer has spoken up (or ``welcome_days`` passed), talk goes back."""
        m, voiced = model.members, self._voiced
        spoke = m.first_post_day[voiced] >= 0
        late = m.joined_day[voiced] <= model.day - self.params.welcome_days
        model.encourage(voiced[spoke | late], 1.0 / (1.0 + self.params.rules_voice))
        self._voiced = voiced[~(spoke | late)]

    def _introduce(self, model, newcomers: np.ndarray) -> None:
        """Tie each newcomer to the ``matches`` old members whose needs fit theirs best."""
        m, day = model.members, model.day
        old = m.reachable & (m.column("joined_day") < day)
        window = model.cfg.population.active_window_days
        talking = old & (m.column("last_post_day") > day - window)
        pool = np.flatnonzero(talking if talking.sum() >= self.params.matches else old)
        if len(pool) == 0:
            return
        similarity = m.needs[newcomers] @ m.needs[pool].T
        best = np.argsort(-similarity, axis=1, kind="stable")[:, : self.params.matches]
        model.connect(np.repeat(newcomers, best.shape[1]), pool[best].ravel())
