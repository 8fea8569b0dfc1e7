"""Invitation campaigns (裂变): reward members for each friend they bring."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from sim.checks import ranged
from sim.strategies.base import Lever, LeverParams


@dataclass
class InviteCampaignParams(LeverParams):
    PREFIX: ClassVar[str] = "strategy.invite_campaign"
    stop_day: int = ranged(30, 0, None)
    hours: float = ranged(0.2, 0.0, 24.0)
    reward_per_join: float = ranged(5.0, 0.0, None)
    bonus: float = ranged(3.0, 0.0, 100.0)
    mismatch: float = ranged(0.5, 0.0, 1.0)


class InviteCampaign(Lever):
    """From ``start_day`` to ``stop_day``, pay ``reward_per_join`` per invited friend.

    Seed 000: fission by rewarded invitations (each invite gives a discount),
    growth with less-matched members. Invitation rates rise by ``bonus``;
    invitees' needs are pulled ``mismatch`` of the way from the group's
    profile toward indifference. Inviters are paid for yesterday's joins.
    """

    name = "invite_campaign"
    Params = InviteCampaignParams
    classifier = {
        "cadence": "daily",
        "touches": frozenset({"joins", "money"}),
        "spends": frozenset({"money", "hours"}),
        "stochastic": False,
        "sources": ("000", "001"),
    }

    def setup(self, model) -> None:
        if self.params.start_day <= 1:
            self._open(model)

    def _open(self, model) -> None:
        model.set_policy(invite_bonus=self.params.bonus, invite_mismatch=self.params.mismatch)

    def invited_today(self, model) -> np.ndarray:
        joined = model.today.joined
        return joined[model.members.campaign_invite[joined]]

    def cost(self, model) -> tuple[float, float]:
        return self.params.reward_per_join * len(self.invited_today(model)), self.params.hours

    def act(self, model) -> None:
        p = self.params
        inviters = model.members.invited_by[self.invited_today(model)]
        model.reward(inviters, p.reward_per_join, thanks=0.0)
        last_day = p.stop_day and model.day >= p.stop_day
        if last_day:
            model.set_policy(invite_bonus=0.0, invite_mismatch=0.0)
        else:
            self._open(model)
