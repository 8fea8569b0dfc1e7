"""Check-in (打卡): a daily learning check-in that lifts participation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from sim.checks import ranged
from sim.strategies.base import Lever, LeverParams


@dataclass
class CheckinParams(LeverParams):
    PREFIX: ClassVar[str] = "strategy.checkin"
    hours: float = ranged(0.2, 0.0, 24.0)
    need: str = "learning"
    strength: float = ranged(0.6, 0.0, 1.0)


class Checkin(Lever):
    """Open a daily check-in for members who hold ``need``.

    Seed 001: learning groups use check-in tools (a book or a course a day)
    to raise participation; seed 000 lists 打卡 among routine operations.
    The day's reminder brings members who hold the need to the group
    (``strength`` x need) and they check in with that chance: a short post,
    chat to everyone else (noise to those without a social need). What it
    builds is practice: opening the group daily makes a habit of it
    (``population.practice``), and a member who opens it reads what is there.
    """

    name = "checkin"
    Params = CheckinParams
    classifier = {
        "cadence": "daily",
        "touches": frozenset({"feed", "habit"}),
        "spends": frozenset({"hours"}),
        "stochastic": False,
        "sources": ("000", "001"),
    }

    def act(self, model) -> None:
        model.prompt_checkin(self.params.need, self.params.strength)
