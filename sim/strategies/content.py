"""Content output (干货, 早报): useful, fun, substantive posts from the operator."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from sim.checks import ranged
from sim.strategies.base import Lever, LeverParams


@dataclass
class ContentParams(LeverParams):
    PREFIX: ClassVar[str] = "strategy.content"
    hours: float = ranged(0.5, 0.0, 24.0)
    posts: int = ranged(1, 0, 50)
    soup: float = ranged(0.0, 0.0, 1.0)
    irritation: float = ranged(0.05, 0.0, 5.0)


class Content(Lever):
    """Post ``posts`` need-matched pieces a day; ``soup`` of them are chicken soup.

    Seeds 001 and 000: valuable content matched to members' needs (有用、有趣、
    有料) is the root of a group's life, and good content makes members invite
    friends. Seed 000: a daily "chicken soup" at a fixed hour irritates: those
    posts carry no value and cost each reader ``irritation``.
    """

    name = "content"
    Params = ContentParams
    classifier = {
        "cadence": "daily",
        "touches": frozenset({"feed", "trust"}),
        "spends": frozenset({"hours"}),
        "stochastic": False,
        "sources": ("000", "001", "003"),
    }

    def act(self, model) -> None:
        p = self.params
        soup = round(p.posts * p.soup)
        model.post("valuable", p.posts - soup)
        model.post("chat", soup)
        model.irritate(soup * p.irritation)
