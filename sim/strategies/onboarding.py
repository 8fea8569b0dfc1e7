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
    welcome: float = ranged(0.8, 0.0, 1.0)
    welcome_days: int = ranged(7, 1, 365)
    rules: bool = True
    rules_deterrence: float = ranged(0.5, 0.0, 1.0)


class Onboarding(Lever):
    """Welcome each day's newcomers: self-introduction, rules, introductions.

    Seed 001: when a group starts or a member joins, a self-introduction lets
    others see what they do, and members who find a match start talking.
    Each effect goes through what the newcomer knows, is told or is tied to:

    * asked to introduce themself, a newcomer does so with chance
      ``introduce``: their own first post (001);
    * the operator answers a newcomer's first words within ``welcome_days``
      with chance ``welcome``; being answered is what brings people back
      (Joyce & Kraut 2006, ``sim.behaviour.reply``); the answers are the
      operator's messages;
    * told the rules (``rules``), a newcomer knows at once what is welcome
      and stops holding back (Matias, PNAS 2019: announcing the rules raised
      newcomers' participation); without it they learn by watching others
      talk (``population.norm_learning``); a spammer told the rules spams
      less (``rules_deterrence``);
    * tied to ``matches`` members with similar needs among those talking
      lately, so the match can answer.

    Cost: ``hours`` a day plus ``hours_per_newcomer``.
    """

    name = "onboarding"
    Params = OnboardingParams
    classifier = {
        "cadence": "daily",
        "touches": frozenset({"feed", "ties", "norms"}),
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
        joined_day = m.column("joined_day")
        rng = self.rng(model)
        silent = m.reachable & (joined_day > 0) & (joined_day > model.day - p.welcome_days)
        silent &= m.column("first_post_day") < 0
        waiting = np.union1d(newcomers, np.flatnonzero(silent))
        model.welcome(waiting[rng.random(len(waiting)) < p.welcome])
        if len(newcomers) == 0:
            return
        if p.rules:
            model.tell_norms(newcomers)
        introducing = newcomers[rng.random(len(newcomers)) < p.introduce]
        model.post_as(introducing[m.role[introducing] != Role.SPAMMER], "chat", scripted=False)
        model.deter(newcomers[m.role[newcomers] == Role.SPAMMER], p.rules_deterrence)
        if p.matches:
            self._introduce(model, newcomers)

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
