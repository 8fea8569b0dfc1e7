"""Red packets (红包): the strongest short-term activity booster, and no more."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from sim.checks import ranged
from sim.strategies.base import Lever, LeverParams


@dataclass
class RedPacketsParams(LeverParams):
    PREFIX: ClassVar[str] = "strategy.red_packets"
    every: int = ranged(7, 1, 3650)
    money: float = ranged(20.0, 0.0, None)
    hours: float = ranged(0.1, 0.0, 24.0)
    shares: int = ranged(30, 1, 500)
    pull: float = ranged(0.1, 0.0, 1.0)
    thanks: float = ranged(1.0, 0.0, 1.0)


class RedPackets(Lever):
    """Send a lucky-draw red packet to the group every ``every`` days.

    Seed 000: the single most effective tool for activity, but "people pop up
    to say thanks, lurkers keep lurking, few engage with the product". The
    packet pulls readers in for a day (``pull``), the first ``shares`` grab
    random parts of ``money``, and grabbers thank in proportion to their own
    talkativeness: a spike of low-value ``thanks`` that fades, with no effect
    on need, trust or sales beyond the reward itself.

    Defaults: "冒泡的出來說句謝謝" (000) means the usual posters nearly all say
    thanks, so ``thanks`` is 1 (the chance is still the grabber's own talk x
    habit, so lurkers stay silent); ``pull`` is modest, so the spike is mostly
    thanks plus some idle chat from members drawn in, not new conversation.
    """

    name = "red_packets"
    Params = RedPacketsParams
    classifier = {
        "cadence": "periodic",
        "touches": frozenset({"feed", "money"}),
        "spends": frozenset({"money", "hours"}),
        "stochastic": True,
        "sources": ("000", "003"),
    }

    def act(self, model) -> None:
        p = self.params
        model.notify_all(p.pull)
        model.send_red_packet(p.money, p.shares, p.thanks)
