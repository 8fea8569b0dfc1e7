"""Topics (制造话题): start a discussion, with planted helpers (托) to get it going."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from sim.checks import ranged
from sim.strategies.base import Lever, LeverParams


@dataclass
class TopicsParams(LeverParams):
    PREFIX: ClassVar[str] = "strategy.topics"
    every: int = ranged(2, 1, 3650)
    hours: float = ranged(0.5, 0.0, 24.0)
    match: float = ranged(1.0, 0.0, 1.0)
    strength: float = ranged(1.5, 0.0, 20.0)
    heat: float = ranged(0.5, 0.0, 20.0)
    helpers: int = ranged(2, 0, 50)


class Topics(Lever):
    """Throw a hot topic into the group and have ``helpers`` answer first.

    Seeds 001 and 000: topics matched to members' needs raise participation;
    a topic off the group's needs (``match`` near 0) is noise that stirs few
    (the opening post is then chit-chat, or content on needs the group lacks);
    a heated topic (``heat``) turns into quarrels that must be cooled (000
    warns to keep discussion from escalating).
    """

    name = "topics"
    Params = TopicsParams
    classifier = {
        "cadence": "periodic",
        "touches": frozenset({"feed", "ties"}),
        "spends": frozenset({"hours"}),
        "stochastic": True,
        "sources": ("000", "001", "002"),
    }

    def act(self, model) -> None:
        p = self.params
        on_need = model.topic_vector()
        off_need = self.off_need(model, on_need)
        topic = p.match * on_need + (1 - p.match) * off_need
        model.raise_topic(topic, p.strength, p.heat)
        model.post("valuable", p.match, on_need)
        if off_need.any():
            model.post("valuable", 1 - p.match, off_need)
        else:
            model.post("chat", 1 - p.match)
        model.post("chat", 2 * p.helpers)

    def off_need(self, model, on_need: np.ndarray) -> np.ndarray:
        """What an off-need topic is about: needs the group's profile leaves out.

        When the profile gives every need some weight (all archetypes do), an
        off-need topic lies outside members' needs altogether (a zero vector):
        it stirs nobody by itself and its opening post is noise to everyone.
        A random mix of the group's own needs would not be off-need at all.
        """
        outside = on_need <= 0
        if not outside.any():
            return np.zeros_like(on_need)
        weights = self.rng(model).dirichlet(np.ones(int(outside.sum())))
        vec = np.zeros_like(on_need)
        vec[outside] = weights
        return vec
